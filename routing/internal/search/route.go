package search

// route is one vehicle's sequence of visits with the prefix and suffix data
// that make move evaluation O(1). Node positions: 0 is the start depot,
// i+1 is visits[i], len(visits)+1 is the end depot.
type route struct {
	veh    int
	visits []int
	loc    []int   // location per node position
	fwd    []seg   // fwd[i]: nodes 0..i
	bwd    []seg   // bwd[i]: nodes i..end
	dist   []int64 // dist[i]: distance from node 0 to node i
	travel []int64 // travel[i]: travel time from node 0 to node i
	cost   int64   // route cost (0 when empty)
	tt     []int64 // the vehicle's travel-time matrix (shared, read-only)
	dd     []int64 // the vehicle's distance matrix (shared, read-only)
	vseg   []seg   // the solution's single-visit segments (windows narrowed by links)
	// sched is the duration and lateness part of cost (with lateness
	// costs only, see sched; 0 otherwise).
	sched int64
	// span is the working span the route is costed at (0 when empty).
	span int64
	// brk is the route's break (noBreak when it needs none); nobrk: the
	// route needs a break and none fits (infeasible; see fixBreaks).
	brk   Break
	nobrk bool
	tal   *tally // the solution's tally (nil without continuity or preferred terms)
}

// total returns the segment of the whole route.
func (r *route) total() seg { return r.fwd[len(r.fwd)-1] }

// update recomputes every derived field of r from r.visits and records each
// visit's route and position in where/pos.
func (p *prepared) update(r *route, ri int, where, pos []int) {
	veh := &p.in.Vehicles[r.veh]
	pr := &p.in.Profiles[veh.Profile]
	n := len(r.visits) + 2
	r.tt, r.dd = pr.Duration, pr.Distance
	r.loc = r.loc[:0]
	r.loc = append(r.loc, veh.StartLoc)
	for i, v := range r.visits {
		r.loc = append(r.loc, p.in.Visits[v].Loc)
		where[v] = ri
		pos[v] = i + 1
	}
	r.loc = append(r.loc, veh.EndLoc)
	r.fwd = grow(r.fwd, n)
	r.bwd = grow(r.bwd, n)
	r.dist = grow64(r.dist, n)
	r.travel = grow64(r.travel, n)
	s, e := depotSegs(veh)
	r.fwd[0] = s
	r.dist[0], r.travel[0] = 0, 0
	for i := 1; i < n; i++ {
		a, b := r.loc[i-1], r.loc[i]
		t := pr.Duration[a*p.n+b]
		var ns seg
		if i == n-1 {
			ns = e
		} else {
			ns = r.vseg[r.visits[i-1]]
		}
		r.fwd[i] = concat(r.fwd[i-1], t, ns)
		r.dist[i] = r.dist[i-1] + pr.Distance[a*p.n+b]
		r.travel[i] = r.travel[i-1] + t
	}
	r.bwd[n-1] = e
	for i := n - 2; i >= 0; i-- {
		var ns seg
		if i == 0 {
			ns = s
		} else {
			ns = r.vseg[r.visits[i-1]]
		}
		r.bwd[i] = concat(ns, pr.Duration[r.loc[i]*p.n+r.loc[i+1]], r.bwd[i+1])
	}
	r.brk, r.nobrk = noBreak, false
	if p.slow && len(r.visits) > 0 {
		var ok bool
		r.sched, r.span, r.brk, ok = p.plan(r.veh, r.vseg, r.fwd[n-1], seq3{x: r.visits})
		r.nobrk = !ok
		r.cost = p.routeCostSched(r.veh, r.dist[n-1], r.travel[n-1], r.sched)
	} else {
		r.sched, r.span = 0, 0
		if len(r.visits) > 0 {
			r.span = r.fwd[n-1].dur
		}
		r.cost = p.routeCost(r.veh, len(r.visits), r.dist[n-1], r.travel[n-1], r.fwd[n-1].dur)
	}
	if r.tal != nil {
		o := p.owner(r.veh)
		for _, v := range r.visits {
			p.tset(r.tal, v, o)
		}
	}
}

// routeCost is the objective contribution of a route of vehicle k with m
// visits and duration dur (its span cost included).
func (p *prepared) routeCost(k, m int, dist, travel, dur int64) int64 {
	if m == 0 {
		return 0
	}
	w := &p.in.Weights
	c := p.in.Vehicles[k].FixedCost + w.Distance*dist + w.TravelTime*travel + w.Duration*dur
	if p.spans {
		c += spanCostOf(p.in.Vehicles[k].SpanCost, dur)
	}
	return c
}

// feasible reports whether a whole-route segment satisfies vehicle k's
// time, capacity and duration limits.
func (p *prepared) feasible(k int, s seg) bool {
	v := &p.in.Vehicles[k]
	return s.tw == 0 && (v.Capacity == 0 || s.load <= v.Capacity) && (v.MaxDuration == 0 || s.dur <= v.MaxDuration)
}

func grow(s []seg, n int) []seg {
	if cap(s) < n {
		return make([]seg, n, 2*n)
	}
	return s[:n]
}

func grow64(s []int64, n int) []int64 {
	if cap(s) < n {
		return make([]int64, n, 2*n)
	}
	return s[:n]
}
