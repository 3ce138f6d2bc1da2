package search

import (
	"fmt"
	"math"
)

// Soft terms of the objective beyond distance, travel and duration:
// lateness after a visit's Target (per route), continuity of care and
// preferred workers (over the whole solution).
//
// # Lateness
//
// With waiting allowed and no cost for starting early, a route's schedule
// is fixed by its departure D: every visit starts as early as it can after
// leaving at D. Let start⁰ᵢ be visit i's start when the worker leaves at
// the earliest moment, and Fᵢ the travel and service from the departure to
// the arrival at i without waiting. Then startᵢ(D) = max(start⁰ᵢ, D + Fᵢ),
// the return is max(end⁰, D + F_end), and the cost of the schedule
//
//	f(D) = Weights.Duration·(return(D) − D) + Σᵢ LateCostᵢ·max(0, startᵢ(D) − Targetᵢ)
//
// is convex and piecewise linear in D: the duration term falls with slope
// −Weights.Duration until every wait is absorbed, and visit i's lateness
// rises with slope LateCostᵢ from its breakpoint bᵢ = Targetᵢ − Fᵢ + L⁰ᵢ
// (L⁰ᵢ its lateness at the earliest departure). The route costs f at its
// best departure D*: the smallest D in [D_lo, D_hi] where the right slope
// −Weights.Duration + Σ_{bᵢ ≤ D} LateCostᵢ is no longer negative, with
// D_lo the just-in-time departure for the first visit (later when
// MaxDuration asks for it) and D_hi the latest departure that keeps every
// window and does not return later (the departure of minimal duration).
// When Weights.Duration is 0 this is D_lo: starting everything as early as
// possible minimises every lateness.
//
// Cost: one pass over the route (O(route length)), plus a scan of the
// breakpoints per breakpoint passed when some LateCost is below
// Weights.Duration. So when the instance has any visit with a LateCost,
// every move evaluation that touches a route costs O(its length) instead of
// the O(1) of the segment data (which still decide feasibility first); an
// instance without LateCost uses the O(1) path unchanged. No O(1) segment
// summary is used: the best departure depends on the whole route.
//
// # Continuity and preferred workers
//
// Each solution keeps, per person (Instance.Person), the number of its
// visits each owner serves, and per reward group (Instance.Reward) the
// number of members served by a preferred owner, with the resulting cost
// (tally). Every change of a route refreshes them; a move's change of the
// objective is computed by applying the owner changes of the visits it
// moves between routes to the counts and undoing them (O(visits moved ×
// owners per person)).

// validateSoft checks visit i's Target, LateCost and Preferred (owners
// are below owners).
func (in *Instance) validateSoft(i, owners int) error {
	v := &in.Visits[i]
	switch {
	case v.LateCost < 0 || v.LateCost > maxValue:
		return fmt.Errorf("%w: visit %d: late cost %d out of range", ErrInvalid, i, v.LateCost)
	case v.LateCost > 0 && (v.Target < v.Earliest || v.Target > v.Latest):
		return fmt.Errorf("%w: visit %d: target %d outside window %d..%d", ErrInvalid, i, v.Target, v.Earliest, v.Latest)
	}
	for j, o := range v.Preferred {
		if o < 0 || o >= owners {
			return fmt.Errorf("%w: visit %d: preferred[%d] = owner %d out of range", ErrInvalid, i, j, o)
		}
		if j > 0 && o <= v.Preferred[j-1] {
			return fmt.Errorf("%w: visit %d: preferred[%d] = %d: list must be strictly increasing", ErrInvalid, i, j, o)
		}
	}
	return nil
}

// owners returns the number of owners: one more than the largest in
// Owner, or the number of vehicles when Owner is nil.
func (in *Instance) owners() int {
	if in.Owner == nil {
		return len(in.Vehicles)
	}
	n := 0
	for _, o := range in.Owner {
		n = max(n, o+1)
	}
	return n
}

// validateTally checks Person and Reward.
func (in *Instance) validateTally() error {
	for _, x := range []struct {
		name string
		list []int
	}{{"person", in.Person}, {"reward", in.Reward}} {
		if x.list == nil {
			continue
		}
		if len(x.list) != len(in.Visits) {
			return fmt.Errorf("%w: %s has %d entries for %d visits", ErrInvalid, x.name, len(x.list), len(in.Visits))
		}
		for i, g := range x.list {
			if g < -1 || g >= len(in.Visits) {
				return fmt.Errorf("%w: %s[%d] = %d out of range [-1, %d)", ErrInvalid, x.name, i, g, len(in.Visits))
			}
		}
	}
	if in.Owner != nil {
		for k, o := range in.Owner {
			if o < 0 || o >= 1<<30 {
				return fmt.Errorf("%w: owner[%d] = %d out of range [0, 2^30)", ErrInvalid, k, o)
			}
		}
	}
	return nil
}

// prepareSoft fills the prepared data of the soft terms.
func (p *prepared) prepareSoft() {
	in := p.in
	for _, v := range in.Visits {
		if v.LateCost > 0 {
			p.late = true
		}
	}
	nv := len(in.Visits)
	if in.Weights.Continuity > 0 && in.Person != nil {
		p.person = make([]int32, nv)
		n := 0
		for _, x := range in.Person {
			n = max(n, x+1)
		}
		p.slotOff = make([]int32, n+1)
		for v, x := range in.Person {
			p.person[v] = int32(x)
			if x >= 0 {
				p.slotOff[x+1]++
			}
		}
		for i := 1; i <= n; i++ {
			p.slotOff[i] += p.slotOff[i-1]
		}
		p.tally = true
	}
	if in.Weights.Preferred > 0 {
		p.reward = make([]int32, nv)
		any := false
		for v := range in.Visits {
			p.reward[v] = -1
			if len(in.Visits[v].Preferred) == 0 {
				continue
			}
			any = true
			p.reward[v] = int32(v)
			if in.Reward != nil {
				p.reward[v] = int32(in.Reward[v])
			}
		}
		if any {
			p.tally = true
		} else {
			p.reward = nil
		}
	}
}

// tally is a solution's bookkeeping of continuity and preferred workers.
type tally struct {
	p        *prepared
	own      []int32 // per visit: the owner it is counted for, -1 = none
	slotOwn  []int32 // per person, slots slotOff[P]..: owners serving P
	slotCnt  []int32 // and how many of P's visits each serves
	distinct []int32 // per person: slots in use
	pref     []int32 // per reward group: members served by a preferred owner
	cost     int64   // Continuity·Σ max(0, distinct−1) − Preferred·#{groups with pref > 0}
}

func (p *prepared) newTally() *tally {
	if !p.tally {
		return nil
	}
	t := &tally{p: p, own: make([]int32, len(p.in.Visits))}
	for v := range t.own {
		t.own[v] = -1
	}
	if p.person != nil {
		n := len(p.slotOff) - 1
		t.slotOwn = make([]int32, p.slotOff[n])
		t.slotCnt = make([]int32, p.slotOff[n])
		t.distinct = make([]int32, n)
	}
	if p.reward != nil {
		t.pref = make([]int32, len(p.in.Visits))
	}
	return t
}

// untally records that visit v, just taken out of its route, is not served.
func (s *solution) untally(v int) {
	if s.tal != nil {
		s.tal.p.tset(s.tal, v, -1)
	}
}

// copyFrom makes t a copy of o.
func (t *tally) copyFrom(o *tally) {
	copy(t.own, o.own)
	copy(t.slotOwn, o.slotOwn)
	copy(t.slotCnt, o.slotCnt)
	copy(t.distinct, o.distinct)
	copy(t.pref, o.pref)
	t.cost = o.cost
}

// prefers reports whether owner o is one of visit v's preferred owners.
func (p *prepared) prefers(v, o int) bool {
	for _, x := range p.in.Visits[v].Preferred {
		if x == o {
			return true
		}
		if x > o {
			return false
		}
	}
	return false
}

// slot returns the index of owner o among person x's slots, or -1.
func (t *tally) slot(p *prepared, x int32, o int32) int {
	off := int(p.slotOff[x])
	for i := off; i < off+int(t.distinct[x]); i++ {
		if t.slotOwn[i] == o {
			return i
		}
	}
	return -1
}

// tset counts visit v for owner o (-1 = not served), updating the cost.
func (p *prepared) tset(t *tally, v, o int) {
	old := int(t.own[v])
	if old == o {
		return
	}
	w := &p.in.Weights
	if p.person != nil {
		if x := p.person[v]; x >= 0 {
			if old >= 0 {
				i := t.slot(p, x, int32(old))
				t.slotCnt[i]--
				if t.slotCnt[i] == 0 {
					last := int(p.slotOff[x]) + int(t.distinct[x]) - 1
					t.slotOwn[i], t.slotCnt[i] = t.slotOwn[last], t.slotCnt[last]
					t.distinct[x]--
					if t.distinct[x] >= 1 {
						t.cost -= w.Continuity
					}
				}
			}
			if o >= 0 {
				if i := t.slot(p, x, int32(o)); i >= 0 {
					t.slotCnt[i]++
				} else {
					i = int(p.slotOff[x]) + int(t.distinct[x])
					t.slotOwn[i], t.slotCnt[i] = int32(o), 1
					t.distinct[x]++
					if t.distinct[x] >= 2 {
						t.cost += w.Continuity
					}
				}
			}
		}
	}
	if p.reward != nil {
		if g := p.reward[v]; g >= 0 {
			if old >= 0 && p.prefers(v, old) {
				t.pref[g]--
				if t.pref[g] == 0 {
					t.cost += w.Preferred
				}
			}
			if o >= 0 && p.prefers(v, o) {
				t.pref[g]++
				if t.pref[g] == 1 {
					t.cost -= w.Preferred
				}
			}
		}
	}
	t.own[v] = int32(o)
}

// tallyAdd returns the change of the tally cost if unserved visit v were
// served by owner o.
func (p *prepared) tallyAdd(t *tally, v, o int) int64 {
	var d int64
	w := &p.in.Weights
	if p.person != nil {
		if x := p.person[v]; x >= 0 && t.distinct[x] >= 1 && t.slot(p, x, int32(o)) < 0 {
			d += w.Continuity
		}
	}
	if p.reward != nil {
		if g := p.reward[v]; g >= 0 && t.pref[g] == 0 && p.prefers(v, o) {
			d -= w.Preferred
		}
	}
	return d
}

// tallyExchange returns the change of the tally cost if the visits xs,
// served by owner ox, went to owner oy and the visits ys, served by oy, went
// to ox. It leaves t as it was.
func (p *prepared) tallyExchange(t *tally, xs []int, ox int, ys []int, oy int) int64 {
	if t == nil || ox == oy {
		return 0
	}
	c := t.cost
	for _, x := range xs {
		p.tset(t, x, oy)
	}
	for _, y := range ys {
		p.tset(t, y, ox)
	}
	d := t.cost - c
	for _, y := range ys {
		p.tset(t, y, oy)
	}
	for _, x := range xs {
		p.tset(t, x, ox)
	}
	return d
}

// tallyMove1 is tallyExchange for one visit u moving from vehicle k's
// owner to vehicle l's owner.
func (p *prepared) tallyMove1(t *tally, u, k, l int) int64 {
	if t == nil {
		return 0
	}
	one := [1]int{u}
	return p.tallyExchange(t, one[:], p.owner(k), nil, p.owner(l))
}

// tallySwap1 is tallyExchange for u of vehicle k and v of vehicle l
// trading places.
func (p *prepared) tallySwap1(t *tally, u, k, v, l int) int64 {
	if t == nil {
		return 0
	}
	a, b := [1]int{u}, [1]int{v}
	return p.tallyExchange(t, a[:], p.owner(k), b[:], p.owner(l))
}

// LateItem is one visit's lateness term of a route's departure cost.
type LateItem struct {
	// B is the route departure from which the visit starts late.
	B int64
	// C is the visit's lateness cost per unit of departure beyond B.
	C int64
}

// BestDeparture returns the best departure in [lo, hi] of a route whose
// duration costs wd per unit and whose visits' lateness costs items (see
// the lateness notes above): the smallest D from which the right slope
// −wd + Σ_{B ≤ D} C is no longer negative, hi when it stays negative
// before hi, and lo when wd is 0. The engine costs routes with it
// (bestDeparture) and Solve times the rota with it, so that the two agree.
func BestDeparture(lo, hi, wd int64, items []LateItem) int64 {
	ds := lo
	if wd <= 0 {
		return ds
	}
	var slope int64 // Σ C over breakpoints <= ds
	for _, it := range items {
		if it.B <= lo {
			slope += it.C
		}
	}
	for cur := lo; slope < wd; cur = ds {
		next := int64(math.MaxInt64)
		for _, it := range items {
			if it.B > cur {
				next = min(next, it.B)
			}
		}
		if next >= hi {
			return hi
		}
		for _, it := range items {
			if it.B == next {
				slope += it.C
			}
		}
		ds = next
	}
	return ds
}

// bestDeparture returns the best departure of vehicle k serving q
// (windows vseg) with the break b (noBreak: none) for a route the segment
// data found feasible with minimal duration dur (the break included), the
// duration and lateness cost there and the working span (leave .. reach
// end) there. Without a visit with a LateCost the departure returned is 0
// (unused), the cost Weights.Duration·dur and the span dur.
func (p *prepared) bestDeparture(k int, vseg []seg, dur int64, q *seq3, b Break) (int64, int64, int64) {
	veh := &p.in.Vehicles[k]
	wd := p.in.Weights.Duration
	pr := &p.in.Profiles[veh.Profile]
	n := p.n
	var buf [32]LateItem
	items := buf[:0]
	t, at := veh.Start, veh.StartLoc
	var f, d0, c0 int64
	dmax := int64(math.MaxInt64)
	m := q.len()
	if m == 0 {
		return 0, 0, 0
	}
	for i := 0; i < m; i++ {
		v := q.at(i)
		vis := &p.in.Visits[v]
		if i == b.Before {
			// The break: at v's place, before v (never the first stop).
			bs := breakSeg(veh, b.Window)
			tt := pr.Duration[at*n+vis.Loc]
			f += tt
			st := max(t+tt, bs.early)
			dmax = min(dmax, bs.late-f)
			f += bs.dur
			t = st + bs.dur
			at = vis.Loc
		}
		tt := pr.Duration[at*n+vis.Loc]
		f += tt
		st := max(t+tt, vseg[v].early)
		if i == 0 {
			d0 = st - f
		}
		dmax = min(dmax, vseg[v].late-f)
		if vis.LateCost > 0 {
			l0 := max(st-vis.Target, 0)
			c0 += vis.LateCost * l0
			items = append(items, LateItem{B: vis.Target - f + l0, C: vis.LateCost})
		}
		f += vis.Service
		t = st + vis.Service
		at = vis.Loc
	}
	if len(items) == 0 {
		return 0, wd * dur, dur
	}
	tt := pr.Duration[at*n+veh.EndLoc]
	f += tt
	end0 := t + tt
	dmax = min(dmax, veh.End-f)
	hi := min(dmax, end0-f) // beyond end0-f no wait is left to absorb
	lo := d0
	if veh.MaxDuration > 0 {
		lo = max(lo, end0-veh.MaxDuration)
	}
	hi = max(hi, lo) // infeasible routes (never costed) stay finite
	ds := BestDeparture(lo, hi, wd, items)
	cost := wd*(end0-ds) + c0
	for _, it := range items {
		if ds > it.B {
			cost += it.C * (ds - it.B)
		}
	}
	return ds, cost, end0 - ds
}

// evalRouteSeq is evalRoute for the route of vehicle k made of the visits
// x, then y, then z: with lateness costs or break rules it costs the
// route by plan (O(route length) where they apply), else it is evalRoute.
func (p *prepared) evalRouteSeq(k, m int, sg seg, dist, travel int64, vseg []seg, x, y, z []int) (int64, bool) {
	if !p.slow || m == 0 {
		return p.evalRoute(k, m, sg, dist, travel)
	}
	if !p.feasible(k, sg) {
		return 0, false
	}
	c, _, _, ok := p.plan(k, vseg, sg, seq3{x, y, z})
	if !ok {
		return 0, false
	}
	return p.routeCostSched(k, dist, travel, c), true
}

// routeCostSched is the cost of a non-empty route of vehicle k whose
// duration, lateness and span-cost part is sched (see plan).
func (p *prepared) routeCostSched(k int, dist, travel, sched int64) int64 {
	w := &p.in.Weights
	return p.in.Vehicles[k].FixedCost + w.Distance*dist + w.TravelTime*travel + sched
}
