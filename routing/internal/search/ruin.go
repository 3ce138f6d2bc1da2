package search

import "math/rand/v2"

// ruinParams are the SISR removal parameters (Christiaens and Vanden Berghe 2020).
type ruinParams struct {
	avgRemoved float64 // c̄: average number of removed visits
	maxString  float64 // L^max: maximum string length
	splitRate  float64 // α: probability of a split-string removal
	splitDepth float64 // β: probability of stopping the growth of the preserved substring
}

var defaultRuin = ruinParams{avgRemoved: 10, maxString: 10, splitRate: 0.5, splitDepth: 0.01}

// ruin removes adjacent strings of visits from several routes around a random
// seed visit (SISR) and appends the removed visits to s.unassigned. It
// returns the number of visits removed.
func (p *prepared) ruin(s *solution, rng *rand.Rand, par ruinParams, scratch *[]bool) int {
	assigned := len(p.in.Visits) - len(s.unassigned)
	used := s.used()
	if assigned == 0 || used == 0 {
		return 0
	}
	lsMax := min(par.maxString, float64(assigned)/float64(used))
	ksMax := 4*par.avgRemoved/(1+lsMax) - 1
	ks := int(rng.Float64()*ksMax) + 1
	// Seed: a random assigned visit.
	var seed int
	for {
		seed = rng.IntN(len(p.in.Visits))
		if s.where[seed] >= 0 {
			break
		}
	}
	if cap(*scratch) < len(s.routes) {
		*scratch = make([]bool, len(s.routes))
	}
	ruined := (*scratch)[:len(s.routes)]
	clear(ruined)
	removed := 0
	done := 0
	try := func(c int) {
		ri := s.where[c]
		if ri < 0 || ruined[ri] {
			return
		}
		ruined[ri] = true
		done++
		r := &s.routes[ri]
		m := len(r.visits)
		lmax := min(float64(m), lsMax)
		l := int(rng.Float64()*lmax) + 1
		l = min(l, m)
		idx := s.pos[c] - 1 // index of c in r.visits
		if l == m || rng.Float64() >= par.splitRate {
			// String of length l containing c.
			lo := max(0, idx-l+1)
			hi := min(idx, m-l)
			start := lo + rng.IntN(hi-lo+1)
			removed += p.cut(s, ri, start, l, 0, 0)
			return
		}
		// Split string: remove l visits from a string of length l+keep
		// containing c, preserving keep consecutive visits inside it.
		keep := 1
		for keep < m-l && rng.Float64() > par.splitDepth {
			keep++
		}
		total := l + keep
		lo := max(0, idx-total+1)
		hi := min(idx, m-total)
		start := lo + rng.IntN(hi-lo+1)
		keepAt := rng.IntN(l + 1) // offset of the preserved substring within the string
		removed += p.cut(s, ri, start, total, keepAt, keep)
	}
	try(seed)
	for _, c := range p.adj[seed] {
		if done >= ks {
			break
		}
		try(int(c))
	}
	return removed
}

// cut removes the visits r.visits[start:start+length] of route ri except the
// keep visits starting at offset keepAt within that string, adds them to
// s.unassigned and refreshes the route. It returns the number removed.
func (p *prepared) cut(s *solution, ri, start, length, keepAt, keep int) int {
	r := &s.routes[ri]
	out := r.visits[:start]
	n := 0
	for j := start; j < start+length; j++ {
		v := r.visits[j]
		off := j - start
		if keep > 0 && off >= keepAt && off < keepAt+keep {
			out = append(out, v)
			continue
		}
		s.where[v] = -1
		s.untally(v)
		s.unassigned = append(s.unassigned, v)
		n++
	}
	out = append(out, r.visits[start+length:]...)
	r.visits = out
	p.update(r, ri, s.where, s.pos)
	return n
}
