package search

import "math/rand/v2"

// granularity is the number of nearest neighbours considered per visit by
// the local search (granular neighbourhoods, Toth and Vigo 2003).
const granularity = 16

// localSearch improves a solution with the move operators (relocate, swap,
// 2-opt*, or-opt, cross-exchange) over granular neighbourhoods, applying the first improving move
// found, until no move improves.
type localSearch struct {
	p     *prepared
	order []int
	seq   []int // scratch for intra-route evaluations
	str   []int // scratch for moved strings
	tune  tuning
	// heavy enables the string moves (or-opt, cross-exchange), which cost
	// more per neighbour pair than relocate, swap and 2-opt*.
	heavy bool
	star  swapStarScratch
	pairs []bool // route pairs with neighbouring visits, for SWAP*
}

func newLocalSearch(p *prepared, tune tuning) *localSearch {
	return &localSearch{p: p, tune: tune, heavy: true}
}

// run applies improving moves to s, starting from the visits in focus (all
// assigned visits when focus is nil).
func (ls *localSearch) run(s *solution, rng *rand.Rand, focus []int) {
	ls.order = ls.order[:0]
	if focus == nil {
		for v := range s.where {
			ls.order = append(ls.order, v)
		}
	} else {
		ls.order = append(ls.order, focus...)
	}
	rng.Shuffle(len(ls.order), func(i, j int) { ls.order[i], ls.order[j] = ls.order[j], ls.order[i] })
	for pass := 0; pass < 50; pass++ {
		improved := false
		for _, u := range ls.order {
			if s.where[u] < 0 {
				continue
			}
			nb := ls.p.adj[u]
			if len(nb) > granularity {
				nb = nb[:granularity]
			}
			for _, v32 := range nb {
				v := int(v32)
				if s.where[v] < 0 || s.where[u] < 0 {
					continue
				}
				if ls.relocate(s, u, v) || ls.swap(s, u, v) || ls.twoOptStar(s, u, v) ||
					ls.heavy && (!ls.tune.noOrOpt && ls.orOpt(s, u, v) || !ls.tune.noCross && ls.crossExchange(s, u, v)) {
					improved = true
				}
			}
		}
		if ls.heavy && !ls.tune.noSwapStar && ls.swapStarPass(s) {
			improved = true
		}
		if !improved {
			return
		}
	}
}

// evalRoute returns the cost of vehicle k serving a route with m visits whose
// whole segment is sg, and whether it is feasible.
func (p *prepared) evalRoute(k, m int, sg seg, dist, travel int64) (int64, bool) {
	if m == 0 {
		return 0, true
	}
	if !p.feasible(k, sg) {
		return 0, false
	}
	return p.routeCost(k, m, dist, travel, sg.dur), true
}

// evalSplice evaluates route r changed to: node positions 0..a unchanged,
// then the visits in mid, then node positions b..end unchanged. It costs
// O(len(mid)).
func (p *prepared) evalSplice(r *route, a int, mid []int, b int) (int64, bool) {
	n := p.n
	sg := r.fwd[a]
	at := r.loc[a]
	dist, travel := r.dist[a], r.travel[a]
	for _, v := range mid {
		loc := p.in.Visits[v].Loc
		t := r.tt[at*n+loc]
		sg = concat(sg, t, r.vseg[v])
		if sg.tw > 0 {
			return 0, false
		}
		dist += r.dd[at*n+loc]
		travel += t
		at = loc
	}
	lb := r.loc[b]
	t := r.tt[at*n+lb]
	sg = concat(sg, t, r.bwd[b])
	last := len(r.dist) - 1
	dist += r.dd[at*n+lb] + r.dist[last] - r.dist[b]
	travel += t + r.travel[last] - r.travel[b]
	m := len(r.visits) - (b - a - 1) + len(mid)
	if p.slow {
		return p.evalRouteSeq(r.veh, m, sg, dist, travel, r.vseg, r.visits[:a], mid, r.visits[b-1:])
	}
	return p.evalRoute(r.veh, m, sg, dist, travel)
}

// setVisits replaces route ri's visits and refreshes its data.
func (p *prepared) setVisits(s *solution, ri int, visits []int) {
	r := &s.routes[ri]
	r.visits = append(r.visits[:0], visits...)
	p.update(r, ri, s.where, s.pos)
}

// swapStarPass tries SWAP* on every pair of routes holding a visit of the
// focus and one of its granular neighbours, and reports whether any move was
// applied.
func (ls *localSearch) swapStarPass(s *solution) bool {
	nr := len(s.routes)
	if cap(ls.pairs) < nr*nr {
		ls.pairs = make([]bool, nr*nr)
	}
	ls.pairs = ls.pairs[:nr*nr]
	clear(ls.pairs)
	for _, u := range ls.order {
		ru := s.where[u]
		if ru < 0 {
			continue
		}
		nb := ls.p.adj[u]
		if len(nb) > granularity {
			nb = nb[:granularity]
		}
		for _, v := range nb {
			if rv := s.where[v]; rv >= 0 && rv != ru {
				ls.pairs[min(ru, rv)*nr+max(ru, rv)] = true
			}
		}
	}
	moved := false
	for ra := 0; ra < nr; ra++ {
		for rb := ra + 1; rb < nr; rb++ {
			if ls.pairs[ra*nr+rb] && ls.swapStar(s, ra, rb) {
				moved = true
			}
		}
	}
	return moved
}
