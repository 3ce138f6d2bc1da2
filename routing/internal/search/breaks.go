package search

import "fmt"

// Rest breaks (WTR reg 12, REFERENCE §5 "In-work break": 20 minutes when
// the working day passes 6 hours, 30 minutes past 4.5 hours for a young
// worker, not at the very start or end).
//
// A vehicle with a BreakAfter rule whose route works longer than
// BreakAfter (leave start .. reach end, at the departure the route is
// costed with: the one of minimal duration, or the best departure when
// some visit has a lateness cost) must hold a break: an idle stretch of
// BreakLength at the place of a visit, before that visit starts, that is
// not the route's first visit (the worker leaves just in time for the
// first one). With BreakWindows the break starts inside one of them and
// lasts max(BreakLength, the window's Length).
//
// The engine models the break as a pseudo-stop placed just before visit j
// (j not the first): no travel into j (the break is at j's place),
// service the break's length, time window the break window (the shift
// when there are none). "Break before j" is feasible iff the segment
// concatenation prefix(..j-1) + travel + break + suffix(j..) is, so one
// backward pass (suffix segments) and one forward pass over a route find
// every feasible position in O(route length × windows). Of the feasible
// positions the engine takes the one of least minimal duration (ties: the
// earliest position, then the first window), and the route is costed
// with that schedule. A route that needs a break and has no feasible
// position is infeasible. Without a break rule nothing changes; a vehicle
// whose route's minimal duration does not exceed BreakAfter (and no
// lateness costs) is decided in O(1).

// Break is a route's planned rest break (see [Solution.Breaks]).
type Break struct {
	// Before is the index, in the route's visit list, of the visit the
	// break is taken before (at its place, before it starts); -1 = none.
	Before int
	// Window is the index in Vehicle.BreakWindows the break starts in
	// (-1 when the vehicle declares no windows or no break is planned).
	Window int
}

// noBreak is the Break of a route without one.
var noBreak = Break{Before: -1, Window: -1}

// validateBreak checks vehicle k's break rule.
func validateBreak(k int, v *Vehicle) error {
	inRange := func(x int64) bool { return x >= 0 && x <= maxValue }
	switch {
	case !inRange(v.BreakAfter):
		return fmt.Errorf("%w: vehicle %d: break after %d out of range", ErrInvalid, k, v.BreakAfter)
	case !inRange(v.BreakLength):
		return fmt.Errorf("%w: vehicle %d: break length %d out of range", ErrInvalid, k, v.BreakLength)
	case v.BreakAfter > 0 && v.BreakLength == 0:
		return fmt.Errorf("%w: vehicle %d: break after %d needs a break length > 0", ErrInvalid, k, v.BreakAfter)
	case v.BreakAfter == 0 && (v.BreakLength != 0 || len(v.BreakWindows) > 0):
		return fmt.Errorf("%w: vehicle %d: break length or windows without break after", ErrInvalid, k)
	case len(v.BreakWindows) > 64:
		return fmt.Errorf("%w: vehicle %d: %d break windows: at most 64", ErrInvalid, k, len(v.BreakWindows))
	}
	for i, w := range v.BreakWindows {
		switch {
		case !inRange(w.Earliest) || !inRange(w.Latest):
			return fmt.Errorf("%w: vehicle %d: break window %d: %d..%d out of range", ErrInvalid, k, i, w.Earliest, w.Latest)
		case w.Latest < w.Earliest:
			return fmt.Errorf("%w: vehicle %d: break window %d: latest %d before earliest %d", ErrInvalid, k, i, w.Latest, w.Earliest)
		case !inRange(w.Length):
			return fmt.Errorf("%w: vehicle %d: break window %d: length %d out of range", ErrInvalid, k, i, w.Length)
		}
	}
	return nil
}

// prepareBreaks sets p.brk and p.slow.
func (p *prepared) prepareBreaks() {
	for _, v := range p.in.Vehicles {
		if v.BreakAfter > 0 {
			p.brk = true
		}
	}
	p.slow = p.late || p.brk
}

// breakSpan returns the start window and the length of vehicle v's break
// in window w (-1: no windows, the break may start any time in the shift).
// Solve times a planned break with the same rule in exact time (its
// breakOf: the shift, or the window, and max(BreakLength, its Length)).
func breakSpan(v *Vehicle, w int) (earliest, latest, length int64) {
	if w < 0 {
		return v.Start, v.End, v.BreakLength
	}
	bw := v.BreakWindows[w]
	return bw.Earliest, bw.Latest, max(v.BreakLength, bw.Length)
}

// breakSeg is the segment data of vehicle v's break in window w.
func breakSeg(v *Vehicle, w int) seg {
	e, l, d := breakSpan(v, w)
	return seg{dur: d, early: e, late: l}
}

// seq3 is a route given as three consecutive pieces.
type seq3 struct{ x, y, z []int }

func (q *seq3) len() int { return len(q.x) + len(q.y) + len(q.z) }

// at returns the i-th visit of q.
func (q *seq3) at(i int) int {
	if i < len(q.x) {
		return q.x[i]
	}
	i -= len(q.x)
	if i < len(q.y) {
		return q.y[i]
	}
	return q.z[i-len(q.y)]
}

// placeBreak returns the break of least minimal duration for vehicle k
// serving q (windows vseg), the whole-route segment with it, and whether
// any position is feasible (time windows, shift, MaxDuration).
func (p *prepared) placeBreak(k int, vseg []seg, q *seq3) (Break, seg, bool) {
	veh := &p.in.Vehicles[k]
	m := q.len()
	if m < 2 {
		return noBreak, seg{}, false
	}
	pr := &p.in.Profiles[veh.Profile]
	n := p.n
	var buf [64]seg
	var suf []seg
	if m+1 <= len(buf) {
		suf = buf[:m+1]
	} else {
		suf = make([]seg, m+1)
	}
	start, end := depotSegs(veh)
	suf[m] = end
	next := veh.EndLoc
	for i := m - 1; i >= 0; i-- {
		v := q.at(i)
		loc := p.in.Visits[v].Loc
		suf[i] = concat(vseg[v], pr.Duration[loc*n+next], suf[i+1])
		next = loc
	}
	nw := len(veh.BreakWindows)
	ws := max(nw, 1)
	best, bs, found := noBreak, seg{}, false
	fw, at := start, veh.StartLoc
	for i := 0; i < m; i++ {
		v := q.at(i)
		loc := p.in.Visits[v].Loc
		t := pr.Duration[at*n+loc]
		if i > 0 {
			for wi := 0; wi < ws; wi++ {
				w := wi
				if nw == 0 {
					w = -1
				}
				c := concat(concat(fw, t, breakSeg(veh, w)), 0, suf[i])
				if p.feasible(k, c) && (!found || c.dur < bs.dur) {
					best, bs, found = Break{Before: i, Window: w}, c, true
				}
			}
		}
		fw = concat(fw, t, vseg[v])
		if fw.tw > 0 {
			break // later positions keep this prefix's time warp
		}
		at = loc
	}
	return best, bs, found
}

// plan returns the duration, lateness and span-cost part of the cost of
// vehicle k serving q (windows vseg), whose whole-route segment without a
// break sg is feasible, the working span it is costed at, the route's
// break (noBreak when it needs none) and whether the route is feasible
// under its break rule. Without a break rule or a lateness cost it is
// Weights.Duration·sg.dur plus the span cost of sg.dur, in O(1).
func (p *prepared) plan(k int, vseg []seg, sg seg, q seq3) (int64, int64, Break, bool) {
	c, span, b, ok := p.planSched(k, vseg, sg, q)
	if ok && p.spans {
		c += spanCostOf(p.in.Vehicles[k].SpanCost, span)
	}
	return c, span, b, ok
}

// planSched is plan without the span cost.
func (p *prepared) planSched(k int, vseg []seg, sg seg, q seq3) (int64, int64, Break, bool) {
	veh := &p.in.Vehicles[k]
	wd := p.in.Weights.Duration
	if !p.late {
		if veh.BreakAfter == 0 || sg.dur <= veh.BreakAfter {
			return wd * sg.dur, sg.dur, noBreak, true
		}
		b, bs, ok := p.placeBreak(k, vseg, &q)
		if !ok {
			return 0, 0, noBreak, false
		}
		return wd * bs.dur, bs.dur, b, true
	}
	if veh.BreakAfter == 0 || sg.dur <= veh.BreakAfter {
		// The span at the best departure is at least the minimal duration
		// sg.dur, so only then can the route need no break.
		_, cost, span := p.bestDeparture(k, vseg, sg.dur, &q, noBreak)
		if veh.BreakAfter == 0 || span <= veh.BreakAfter {
			return cost, span, noBreak, true
		}
	}
	b, bs, ok := p.placeBreak(k, vseg, &q)
	if !ok {
		return 0, 0, noBreak, false
	}
	_, cost, span := p.bestDeparture(k, vseg, bs.dur, &q, b)
	return cost, span, b, true
}

// fixBreaks makes every route that needs a break it cannot hold (after a
// ruin took visits out) feasible again by taking out its last visits, and
// reports whether it took any out.
func (p *prepared) fixBreaks(s *solution) bool {
	cut := false
	for ri := range s.routes {
		for s.routes[ri].nobrk && len(s.routes[ri].visits) > 0 {
			p.cut(s, ri, len(s.routes[ri].visits)-1, 1, 0, 0)
			cut = true
		}
	}
	return cut
}
