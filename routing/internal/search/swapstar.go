package search

import "slices"

// SWAP* (Vidal 2022, "Hybrid genetic search for the CVRP: open-source
// implementation and SWAP* neighborhood"): exchange u of route A and v of
// route B, each reinserted at its best position in the other route rather
// than in the other's place. The best position of v in A without u is either
// u's place or one of v's three cheapest insertion positions in A that are
// not next to u, so the three cheapest positions per visit and route,
// computed once per route pair, make every pair (u, v) cost O(1) to
// estimate. Here the estimate counts cost changes from the segment data of
// the routes as they are; the best estimated pairs are then evaluated
// exactly, time windows included, and the first that lowers the cost is
// applied.

// topIns is one of the cheapest insertion positions of a visit in a route.
type topIns struct {
	at    int   // insert between node positions at and at+1
	delta int64 // cost change, noRoute when absent
}

// top3 holds the three cheapest feasible insertions, cheapest first.
type top3 [3]topIns

func (t *top3) reset() {
	for i := range t {
		t[i] = topIns{at: -1, delta: noRoute}
	}
}

func (t *top3) add(at int, d int64) {
	switch {
	case d < t[0].delta:
		t[2], t[1], t[0] = t[1], t[0], topIns{at, d}
	case d < t[1].delta:
		t[2], t[1] = t[1], topIns{at, d}
	case d < t[2].delta:
		t[2] = topIns{at, d}
	}
}

// swapStarCand is a pair (u, v) with its estimated cost change and where
// each goes (node positions in the other route as it is now, or -1 for the
// other's place).
type swapStarCand struct {
	i, j     int // node positions of u in A and v in B
	atV, atU int // v goes after node atV of A (-1: u's place); u after node atU of B
	est      int64
}

// swapStarScratch is reused between calls.
type swapStarScratch struct {
	topA  []top3 // per visit of B: its best insertions into A
	topB  []top3 // per visit of A: its best insertions into B
	gainA []int64
	gainB []int64
	cands []swapStarCand
	seqA  []int
	seqB  []int
}

// swapStarChecks bounds how many estimated-improving pairs are evaluated
// exactly per route pair.
const swapStarChecks = 4

// swapStar tries the SWAP* moves between routes ra and rb and applies the
// first exactly improving one among the best estimates. It reports whether it
// changed the solution.
func (ls *localSearch) swapStar(s *solution, ra, rb int) bool {
	p := ls.p
	a, b := &s.routes[ra], &s.routes[rb]
	if len(a.visits) == 0 || len(b.visits) == 0 {
		return false
	}
	sc := &ls.star
	sc.topA = slices.Grow(sc.topA[:0], len(b.visits))[:len(b.visits)]
	sc.topB = slices.Grow(sc.topB[:0], len(a.visits))[:len(a.visits)]
	for y, v := range b.visits {
		sc.topA[y].reset()
		if !p.canMove(s, v, a.veh) {
			continue
		}
		for at := 0; at <= len(a.visits); at++ {
			if d, ok := p.insertDelta(a, v, at); ok {
				sc.topA[y].add(at, d)
			}
		}
	}
	for x, u := range a.visits {
		sc.topB[x].reset()
		if !p.canMove(s, u, b.veh) {
			continue
		}
		for at := 0; at <= len(b.visits); at++ {
			if d, ok := p.insertDelta(b, u, at); ok {
				sc.topB[x].add(at, d)
			}
		}
	}
	sc.gainA = removalGains(p, a, sc.gainA)
	sc.gainB = removalGains(p, b, sc.gainB)
	sc.cands = sc.cands[:0]
	for x, u := range a.visits {
		i := x + 1
		if !p.canMove(s, u, b.veh) || sc.gainA[x] == noRoute {
			continue
		}
		for y, v := range b.visits {
			j := y + 1
			if !p.canMove(s, v, a.veh) || sc.gainB[y] == noRoute {
				continue
			}
			dV, atV, okV := bestOutside(p, a, i, v, &sc.topA[y], sc.gainA[x])
			if !okV {
				continue
			}
			dU, atU, okU := bestOutside(p, b, j, u, &sc.topB[x], sc.gainB[y])
			if !okU {
				continue
			}
			est := dV + dU - sc.gainA[x] - sc.gainB[y]
			if s.tal != nil {
				est += p.tallySwap1(s.tal, u, a.veh, v, b.veh)
			}
			if est < 0 {
				sc.cands = append(sc.cands, swapStarCand{i: i, j: j, atV: atV, atU: atU, est: est})
			}
		}
	}
	if len(sc.cands) == 0 {
		return false
	}
	slices.SortFunc(sc.cands, func(x, y swapStarCand) int { return cmp64(x.est, y.est) })
	base := a.cost + b.cost
	for k, c := range sc.cands {
		if k == swapStarChecks {
			break
		}
		sc.seqA = exchanged(sc.seqA[:0], a.visits, c.i, b.visits[c.j-1], c.atV)
		sc.seqB = exchanged(sc.seqB[:0], b.visits, c.j, a.visits[c.i-1], c.atU)
		costA, ok := p.evalSplice(a, 0, sc.seqA, len(a.loc)-1)
		if ok && s.tal != nil {
			costA += p.tallySwap1(s.tal, a.visits[c.i-1], a.veh, b.visits[c.j-1], b.veh)
		}
		if !ok || costA >= base {
			continue
		}
		costB, ok := p.evalSplice(b, 0, sc.seqB, len(b.loc)-1)
		if !ok || costA+costB >= base {
			continue
		}
		p.setVisits(s, ra, sc.seqA)
		p.setVisits(s, rb, sc.seqB)
		return true
	}
	return false
}

// removalGains returns, per visit of r, the cost saved by removing it
// (noRoute when the route would be infeasible without it).
func removalGains(p *prepared, r *route, out []int64) []int64 {
	out = out[:0]
	for i := range r.visits {
		c, ok := p.evalSplice(r, i, nil, i+2)
		if !ok {
			out = append(out, noRoute)
			continue
		}
		out = append(out, r.cost-c)
	}
	return out
}

// bestOutside estimates the cheapest insertion of x into route r once the
// visit at node position i is removed: in its place (exact, given the
// removal gain), or at one of x's top insertions not next to i (estimated by
// their cost in r as it is). It returns the cost change relative to r
// without the removed visit, where (-1 for the removed visit's place) and
// whether any is feasible.
func bestOutside(p *prepared, r *route, i, x int, top *top3, gain int64) (int64, int, bool) {
	best, at := int64(noRoute), -1
	if c, ok := p.replaceCost(r, i, x); ok {
		best = c - (r.cost - gain)
	}
	for _, t := range top {
		if t.at < 0 {
			break
		}
		if t.at == i-1 || t.at == i {
			continue // next to the removed visit: covered by its place or invalid
		}
		if t.delta < best {
			best, at = t.delta, t.at
		}
		break // the first valid one is the cheapest
	}
	return best, at, best != noRoute
}

// exchanged appends to dst the visits of a route with the visit at node
// position i removed and x inserted after node position at (-1: in i's
// place; at is never i-1 or i).
func exchanged(dst, visits []int, i, x, at int) []int {
	if at < 0 {
		dst = append(dst, visits...)
		dst[i-1] = x
		return dst
	}
	for k, v := range visits {
		if at == k {
			dst = append(dst, x)
		}
		if k+1 != i {
			dst = append(dst, v)
		}
	}
	if at == len(visits) {
		dst = append(dst, x)
	}
	return dst
}
