package search

import (
	"math/rand/v2"
	"slices"
)

// recreate inserts the unassigned visits one by one, each at its cheapest
// feasible position (skipping each candidate position with probability
// blink), in a randomly chosen order. A visit whose cheapest insertion costs
// more than its penalty, or that fits nowhere, stays unassigned. With
// openNew false, empty routes are not used.
func (p *prepared) recreate(s *solution, rng *rand.Rand, blink float64, openNew bool, seen []bool) {
	if len(s.unassigned) == 0 {
		return
	}
	rng.Shuffle(len(s.unassigned), func(i, j int) { s.unassigned[i], s.unassigned[j] = s.unassigned[j], s.unassigned[i] })
	// Insertion order (SISR), chosen with weights 4:4:2:1: random, largest
	// demand first, farthest from the depot first, closest first.
	switch x := rng.IntN(11); {
	case x < 4:
	case x < 8:
		slices.SortStableFunc(s.unassigned, func(a, b int) int {
			return cmp64(p.in.Visits[b].Demand, p.in.Visits[a].Demand)
		})
	case x < 10:
		slices.SortStableFunc(s.unassigned, func(a, b int) int { return cmp64(p.depotDist(b), p.depotDist(a)) })
	default:
		slices.SortStableFunc(s.unassigned, func(a, b int) int { return cmp64(p.depotDist(a), p.depotDist(b)) })
	}
	if p.linked {
		// Link groups first: they need room in two routes at once.
		slices.SortStableFunc(s.unassigned, func(a, b int) int {
			return cmpBool(p.group[b] >= 0, p.group[a] >= 0)
		})
	}
	todo := append([]int(nil), s.unassigned...)
	s.unassigned = s.unassigned[:0]
	if p.linked {
		clear(s.links.tried)
	}
	for _, v := range todo {
		if p.linked && p.group[v] >= 0 {
			p.recreateGroup(s, v, rng, blink, openNew, seen)
			continue
		}
		ri, at, delta := p.bestInsertion(s, v, rng, blink, openNew, seen)
		if ri < 0 || delta >= p.in.Visits[v].Penalty {
			s.unassigned = append(s.unassigned, v)
			continue
		}
		p.insert(s, v, ri, at)
	}
}

// depotDist is the distance from the representative depot to visit v.
func (p *prepared) depotDist(v int) int64 {
	return p.in.Profiles[0].Distance[p.depot*p.n+p.in.Visits[v].Loc]
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bestInsertion returns the route, the visit index to insert at and the
// cost increase of the cheapest feasible insertion of v, or ri = -1. seen is
// scratch space of one bool per vehicle class.
func (p *prepared) bestInsertion(s *solution, v int, rng *rand.Rand, blink float64, openNew bool, seen []bool) (bestR, bestAt int, best int64) {
	bestR, bestAt = -1, -1
	clear(seen)
	for ri := range s.routes {
		r := &s.routes[ri]
		if !p.canServe(v, r.veh) {
			continue
		}
		if len(r.visits) == 0 {
			c := p.class[r.veh]
			if !openNew || seen[c] {
				continue
			}
			seen[c] = true
		}
		for i := 0; i <= len(r.visits); i++ {
			if blink > 0 && rng.Float64() < blink {
				continue
			}
			d, ok := p.insertDelta(r, v, i)
			if ok && (bestR < 0 || d < best) {
				bestR, bestAt, best = ri, i, d
			}
		}
	}
	return bestR, bestAt, best
}

// insertDelta returns the cost change of inserting v between node positions
// i and i+1 of r, and whether the result is feasible. When v is not served
// (and the objective has continuity or preferred-worker terms), the change
// of those terms is included; for a served v (a move) the caller adds it.
func (p *prepared) insertDelta(r *route, v, i int) (int64, bool) {
	veh := &p.in.Vehicles[r.veh]
	vs := &r.vseg[v]
	tot := r.total()
	if veh.Capacity > 0 && tot.load+vs.load > veh.Capacity {
		return 0, false
	}
	a, b := r.loc[i], r.loc[i+1]
	c := p.in.Visits[v].Loc
	n := p.n
	t1, t2 := r.tt[a*n+c], r.tt[c*n+b]
	left := r.fwd[i]
	// Quick rejection: arriving at v too late.
	if left.early+left.dur-left.tw+t1 > vs.late {
		return 0, false
	}
	sg := concat(concat(left, t1, *vs), t2, r.bwd[i+1])
	if !p.feasible(r.veh, sg) {
		return 0, false
	}
	w := &p.in.Weights
	t0 := r.tt[a*n+b]
	d := w.Distance*(r.dd[a*n+c]+r.dd[c*n+b]-r.dd[a*n+b]) + w.TravelTime*(t1+t2-t0)
	if p.slow {
		// Duration and lateness at the best departure, with the break the
		// route needs (O(route length) where lateness or a break rule applies).
		one := [1]int{v}
		c, _, _, ok := p.plan(r.veh, r.vseg, sg, seq3{r.visits[:i], one[:], r.visits[i:]})
		if !ok {
			return 0, false
		}
		d += c - r.sched
	} else {
		if w.Duration != 0 {
			d += w.Duration * (sg.dur - tot.dur)
			if len(r.visits) == 0 {
				d += w.Duration * tot.dur // empty routes cost nothing
			}
		}
		if p.spans {
			d += p.spanCost(r.veh, sg.dur) - p.spanCost(r.veh, r.span)
		}
	}
	if len(r.visits) == 0 {
		// The empty route cost nothing; its start-to-end arc was not paid.
		d += veh.FixedCost + w.Distance*r.dd[a*n+b] + w.TravelTime*t0
	}
	if r.tal != nil && r.tal.own[v] < 0 {
		// An unserved visit also changes continuity and preferred workers.
		d += p.tallyAdd(r.tal, v, p.owner(r.veh))
	}
	return d, true
}

// recreateGroup inserts the link group of unassigned visit v unless it is
// in or was tried in this recreate; when it does not fit, every member is
// filed as unassigned.
func (p *prepared) recreateGroup(s *solution, v int, rng *rand.Rand, blink float64, openNew bool, seen []bool) {
	g := p.group[v]
	if s.where[v] >= 0 || s.links.tried[g] {
		return
	}
	s.links.tried[g] = true
	if !p.insertGroup(s, v, rng, blink, openNew, seen, &s.links) {
		s.unassigned = append(s.unassigned, p.groups[g]...)
	}
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}
