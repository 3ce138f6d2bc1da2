package search

import (
	"math"
	"math/rand/v2"
	"slices"
)

// regret holds the scratch space of regret insertion, reused between calls.
type regret struct {
	todo  []int   // visits still to insert
	cands []int   // route indices considered: non-empty routes, one empty route per class
	delta []int64 // [visit slot][route slot]: cheapest insertion cost, or noRoute
	at    []int   // [visit slot][route slot]: where
	// linked holds the linked visits set aside for group insertion.
	linked []int
}

// maxRegret is the largest k of regret-k insertion.
const maxRegret = 4

// noRoute marks a route where a visit cannot be inserted.
const noRoute = math.MaxInt64

// recreateRegret inserts the unassigned visits by regret-k insertion (Potvin
// and Rousseau 1993; Ropke and Pisinger 2006): at each step the visit with
// the largest regret, the sum over h = 2..k of the difference between its
// h-th cheapest route and its cheapest route (a missing route counting as
// the visit's penalty), goes to its cheapest position. Each evaluated
// insertion cost is multiplied by a random factor in [1-noise, 1+noise].
// Only the route changed by an insertion is re-evaluated. A visit whose
// cheapest insertion costs its penalty or more, or that fits nowhere, stays
// unassigned (after a last try once the others are in). With openNew false, empty routes are not used.
// Linked visits are inserted afterwards, group by group (see insertGroup).
func (p *prepared) recreateRegret(s *solution, rng *rand.Rand, k int, noise float64, openNew bool, g *regret, seen []bool) {
	if !p.linked {
		p.recreateRegretSingle(s, rng, k, noise, openNew, g, seen)
		return
	}
	g.linked = g.linked[:0]
	single := s.unassigned[:0]
	for _, v := range s.unassigned {
		if p.group[v] >= 0 {
			g.linked = append(g.linked, v)
		} else {
			single = append(single, v)
		}
	}
	s.unassigned = single
	p.recreateRegretSingle(s, rng, k, noise, openNew, g, seen)
	clear(s.links.tried)
	for _, v := range g.linked {
		p.recreateGroup(s, v, rng, 0, openNew, seen)
	}
}

// recreateRegretSingle is recreateRegret for visits without links.
func (p *prepared) recreateRegretSingle(s *solution, rng *rand.Rand, k int, noise float64, openNew bool, g *regret, seen []bool) {
	if len(s.unassigned) == 0 {
		return
	}
	g.todo = append(g.todo[:0], s.unassigned...)
	s.unassigned = s.unassigned[:0]
	g.cands = g.cands[:0]
	clear(seen)
	for ri := range s.routes {
		if len(s.routes[ri].visits) == 0 {
			c := p.class[s.routes[ri].veh]
			if !openNew || seen[c] {
				continue
			}
			seen[c] = true
		}
		g.cands = append(g.cands, ri)
	}
	// Room for routes opened later: at most one per insertion.
	stride := len(g.cands) + len(g.todo)
	n := len(g.todo) * stride
	if cap(g.delta) < n {
		g.delta = make([]int64, n)
		g.at = make([]int, n)
	}
	g.delta, g.at = g.delta[:n], g.at[:n]
	for x, v := range g.todo {
		for c, ri := range g.cands {
			g.delta[x*stride+c], g.at[x*stride+c] = p.bestInRoute(s, v, ri, rng, noise)
		}
	}
	alive := len(g.todo)
	for alive > 0 {
		// Pick the visit of largest regret.
		bestX, bestC := -1, -1
		var bestReg, bestD float64
		for x := 0; x < alive; x++ {
			v := g.todo[x]
			pen := float64(p.in.Visits[v].Penalty)
			d1, c1 := firstK(g.delta[x*stride:x*stride+len(g.cands)], k, pen)
			if c1 < 0 {
				continue
			}
			reg := d1[1]
			if bestX < 0 || reg > bestReg || reg == bestReg && d1[0] < bestD {
				bestX, bestC, bestReg, bestD = x, c1, reg, d1[0]
			}
		}
		if bestX < 0 {
			break // nothing fits anywhere
		}
		v := g.todo[bestX]
		ri := g.cands[bestC]
		row := bestX * stride
		at := g.at[row+bestC]
		// The true cost (without noise) decides against the penalty.
		d, ok := p.insertDelta(&s.routes[ri], v, at)
		if ok && d >= p.in.Visits[v].Penalty && noise > 0 {
			// Noise may have hidden a cheaper place: take the true cheapest.
			if r2, at2, d2 := p.bestInsertion(s, v, rng, 0, openNew, seen); r2 >= 0 && d2 < d {
				if c2 := slices.Index(g.cands, r2); c2 >= 0 {
					ri, at, d, bestC = r2, at2, d2, c2
				}
			}
		}
		if !ok || d >= p.in.Visits[v].Penalty {
			s.unassigned = append(s.unassigned, v)
			g.removeSlot(bestX, alive, stride)
			alive--
			continue
		}
		wasEmpty := len(s.routes[ri].visits) == 0
		p.insert(s, v, ri, at)
		g.removeSlot(bestX, alive, stride)
		alive--
		for x := 0; x < alive; x++ {
			g.delta[x*stride+bestC], g.at[x*stride+bestC] = p.bestInRoute(s, g.todo[x], ri, rng, noise)
		}
		if wasEmpty {
			// Another empty route of the same class takes its place.
			cl := p.class[s.routes[ri].veh]
			for rj := range s.routes {
				if len(s.routes[rj].visits) == 0 && p.class[s.routes[rj].veh] == cl {
					c := len(g.cands)
					g.cands = append(g.cands, rj)
					for x := 0; x < alive; x++ {
						g.delta[x*stride+c], g.at[x*stride+c] = p.bestInRoute(s, g.todo[x], rj, rng, noise)
					}
					break
				}
			}
		}
	}
	s.unassigned = append(s.unassigned, g.todo[:alive]...)
	p.retryLeftovers(s, rng, openNew, seen)
}

// retryLeftovers tries the unassigned visits again until none can be
// inserted for less than its penalty: with a duration term in the objective,
// later insertions can make a visit cheaper to insert (less waiting).
func (p *prepared) retryLeftovers(s *solution, rng *rand.Rand, openNew bool, seen []bool) {
	for again := true; again; {
		again = false
		for i := 0; i < len(s.unassigned); i++ {
			v := s.unassigned[i]
			ri, at, d := p.bestInsertion(s, v, rng, 0, openNew, seen)
			if ri >= 0 && d < p.in.Visits[v].Penalty {
				s.removeUnassigned(v)
				p.insert(s, v, ri, at)
				again = true
				i--
			}
		}
	}
}

// removeSlot moves the last live visit slot into slot x.
func (g *regret) removeSlot(x, alive, stride int) {
	last := alive - 1
	if x != last {
		g.todo[x] = g.todo[last]
		copy(g.delta[x*stride:(x+1)*stride], g.delta[last*stride:(last+1)*stride])
		copy(g.at[x*stride:(x+1)*stride], g.at[last*stride:(last+1)*stride])
	}
}

// firstK returns the cheapest cost of a row and its regret (the sum of the
// differences between the h-th cheapest, h = 2..k, and the cheapest, a
// missing route counting as pen), and the slot of the cheapest, or -1.
func firstK(row []int64, k int, pen float64) ([2]float64, int) {
	var top [maxRegret]float64
	n := 0
	best := -1
	for c, d := range row {
		if d == noRoute {
			continue
		}
		f := float64(d)
		if best < 0 || f < top[0] {
			best = c
		}
		// Insert f into the sorted top list of length min(n, k).
		j := min(n, k-1)
		if n < k {
			n++
		} else if f >= top[k-1] {
			continue
		}
		for j > 0 && top[j-1] > f {
			top[j] = top[j-1]
			j--
		}
		top[j] = f
	}
	if best < 0 {
		return [2]float64{}, -1
	}
	reg := 0.0
	for h := 1; h < k; h++ {
		d := pen
		if h < n {
			d = top[h]
		}
		reg += d - top[0]
	}
	return [2]float64{top[0], reg}, best
}

// bestInRoute returns the cheapest feasible insertion of v into route ri
// (cost multiplied by a noise factor) and its position, or noRoute.
func (p *prepared) bestInRoute(s *solution, v, ri int, rng *rand.Rand, noise float64) (int64, int) {
	r := &s.routes[ri]
	if !p.canServe(v, r.veh) {
		return noRoute, -1
	}
	best, bestAt := int64(noRoute), -1
	for i := 0; i <= len(r.visits); i++ {
		d, ok := p.insertDelta(r, v, i)
		if ok && d < best {
			best, bestAt = d, i
		}
	}
	if bestAt >= 0 && noise > 0 {
		best = int64(float64(best) * (1 + noise*(2*rng.Float64()-1)))
		if best == noRoute {
			best--
		}
	}
	return best, bestAt
}
