package routing

import (
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"gonum.org/v1/gonum/stat"
)

// The span terms: fairness, overtime and undertime against contracted
// minutes, and the soft max_shift and max_weekly limits, as Solve optimises
// them. Each depends on the working spans of a worker's routes (or of
// every worker's, for fairness), which the engine costs per route, so they
// are planned by span costs (search.Vehicle.SpanCost): each vehicle gets a
// convex piecewise-linear cost of its route's span: the part of these
// terms its route controls with every other route held at its current
// span, majorised (below) so that the rounds converge. The search runs in
// rounds (the loop of solve_law.go, shared with the working-time cuts),
// the first one without span costs, as Solve without these terms (with a
// warm start: with span costs around it); before each later round the
// span costs are derived again around the routes the round starts from
// (the best solution so far, or, with working-time cuts, the latest one
// cut back), and the solution kept is the one with the best true
// objective (fairScore: the terms computed exactly from the routes' spans,
// as Evaluate counts them, plus the engine's cost without its span costs),
// the warm start among the candidates. Slopes too steep for the engine's
// integer bound are halved until they fit (setSpanCosts).
//
// What the span cost of vehicle k is: h(s) − h(0), where h(s) is a
// separable majoriser of the terms around the current routes (s the
// route's span, every other route as now), so that lowering the engine's
// cost lowers the terms (majorise-minimise) and the rounds do not swing
// work from one worker to another and back:
//   - fairness: W·σ ≤ const + W/(2nσ₀)·Σ (x − x̄₀)² (the tangent of the
//     square root at the current variance, and the variance about the
//     current mean x̄₀ instead of the moving one), x a worker's prior plus
//     working minutes, n the workers with a shift, σ₀ the current standard
//     deviation (at least a minute); a worker's square is shared among its
//     m open vehicles: vehicle k pays (1/m)·c·(x₀ − x̄₀ + m·Δs)², Δs its
//     route's change (by Jensen's inequality the worker's vehicles
//     together pay at least c·(x − x̄₀)²), whose slope at Δs = 0 is the
//     gradient of W·σ;
//   - Weights.Overtime × (s − MaxShift) beyond a soft max_shift (exact);
//   - for each 7-day window the route meets (the shift, for an empty
//     route), with φ the share of the route in the window (of its current
//     span; of the shift for an empty route)
//     and the route's work φ·max(s − the shift's declared breaks, 0):
//     Weights.Overtime beyond ContractedMinutesPerWeek and beyond a soft
//     MaxWeekly, and Weights.Undertime below the (prorated) contract, of
//     the worker's work in the window with this route's change scaled by
//     m (the worker's open vehicles whose route, or shift when the route
//     is empty, meets the window: those that pay a share), times 1/m (the
//     same majoriser; exact when m is 1);
//
// sampled at the kinks of those terms, at and around the current span and
// on a grid up to the longest span the vehicle may work, and replaced by
// the lower convex hull of the samples (the engine needs a convex cost;
// h is convex except just below the declared breaks' length with
// undertime, where the hull lies under h); between samples the hull's
// chords lie above the fairness parabola. Slopes are rounded to whole
// engine cost units per millisecond. What stays approximate: the
// majoriser is exact only at the current spans (a large move is costed
// more than it gains), the window shares φ are frozen at the current
// route, and soft daily rest, breaks and consecutive days stay unplanned
// (Evaluate costs them as overtime).

// fairRoundsWanted reports whether Solve plans the span terms: a weight is
// set that applies to some worker and that some routes of the shifts could
// incur. Fairness: at least two workers with shifts. Undertime: a
// contract. Overtime: a soft max_shift shorter than one of the worker's
// shifts, or a contract or a soft max_weekly below the most the worker's
// shifts could work in some 7-day window (possibleWork); on a one-day
// horizon with contracts above a day's shifts and nothing else, no round
// runs and Solve runs one search as without the terms.
func (t *translation) fairRoundsWanted() bool {
	w := t.p.Weights
	if w.Fairness <= 0 && w.Overtime <= 0 && w.Undertime <= 0 {
		return false
	}
	if ids, _ := t.population(); w.Fairness > 0 && len(ids) >= 2 {
		return true
	}
	t.lawInit()
	for _, ks := range t.ownerVehicles() {
		rules := t.rules[ks[0]]
		soft := func(n string) bool { return slices.Contains(rules.Soft, n) }
		c := t.contract(ks[0])
		if w.Undertime > 0 && c > 0 {
			return true
		}
		if w.Overtime <= 0 {
			continue
		}
		if mx := rules.MaxShift.Std(); soft("max_shift") && mx > 0 {
			for _, k := range ks {
				if t.endAt[k].Sub(t.startAt[k]) > mx+Tolerance {
					return true
				}
			}
		}
		var weekly time.Duration
		if soft("max_weekly") {
			weekly = rules.MaxWeekly.Std()
		}
		for win := range t.weeks() {
			most := t.possibleWork(ks, win)
			if (c > 0 && most > c) || (weekly > 0 && most > weekly+Tolerance) {
				return true
			}
		}
	}
	return false
}

// possibleWork bounds the work Evaluate can count for the vehicles ks (one
// worker's) in the w-th 7-day window: each shift meeting the window counted
// whole, less its declared breaks.
func (t *translation) possibleWork(ks []int, w int) time.Duration {
	ws, we := t.windowOf(w)
	var sum time.Duration
	for _, k := range ks {
		if meets(t.startAt[k], t.endAt[k], ws, we) {
			sum += max(t.endAt[k].Sub(t.startAt[k])-t.breaksOf(k), 0)
		}
	}
	return sum
}

// contract returns the contracted minutes per week of vehicle k's worker.
func (t *translation) contract(k int) time.Duration {
	if wk := t.workerOf(k); wk != nil {
		return time.Duration(wk.ContractedMinutesPerWeek) * time.Minute
	}
	return 0
}

// workerOf returns the record of vehicle k's worker (nil if none).
func (t *translation) workerOf(k int) *care.Worker {
	return t.workerRec[t.p.Shifts[t.shift[k]].Worker]
}

// population returns the workers the fairness term balances (those with a
// shift), in a fixed order, with their prior minutes.
func (t *translation) population() ([]care.WorkerID, map[care.WorkerID]float64) {
	prior := map[care.WorkerID]float64{}
	var ids []care.WorkerID
	for i := range t.p.Shifts {
		w := t.p.Shifts[i].Worker
		if _, ok := prior[w]; ok {
			continue
		}
		prior[w] = 0
		ids = append(ids, w)
	}
	for _, w := range ids {
		if wk := t.workerRec[w]; wk != nil {
			prior[w] = float64(wk.PriorMinutes)
		}
	}
	slices.Sort(ids)
	return ids, prior
}

// routeSpans returns each vehicle's route's departure and return in sol
// (zero times for an empty route), timed as the rota will be.
func (t *translation) routeSpans(sol *search.Solution) (dep, ret []time.Time) {
	dep, ret = make([]time.Time, len(t.shift)), make([]time.Time, len(t.shift))
	for _, ss := range t.spans(sol) {
		for _, s := range ss {
			dep[s.k], ret[s.k] = s.depart, s.ret
		}
	}
	return dep, ret
}

// breaksOf is the total length of vehicle k's shift's declared breaks,
// which the weekly rules do not count as work (as Evaluate).
func (t *translation) breaksOf(k int) time.Duration {
	var b time.Duration
	for _, x := range t.p.Shifts[t.shift[k]].Breaks {
		b += x.Length.Std()
	}
	return b
}

// windowShare returns the share of [a, b] in the w-th window (0 when they
// do not meet; 1 for an empty interval inside it).
func (t *translation) windowShare(a, b time.Time, w int) float64 {
	ws, we := t.windowOf(w)
	if !meets(a, b, ws, we) && !(a.Equal(b) && !a.Before(ws) && a.Before(we)) {
		return 0
	}
	total := b.Sub(a)
	lo, hi := a, b
	if ws.After(lo) {
		lo = ws
	}
	if we.Before(hi) {
		hi = we
	}
	if total <= 0 || hi.Sub(lo) >= total {
		return 1
	}
	return float64(hi.Sub(lo)) / float64(total)
}

// target returns the prorated contract of window w (as Evaluate's
// undertime: contracted × the window's length inside the horizon / 7 days).
func (t *translation) target(c time.Duration, w int) time.Duration {
	ws, _ := t.windowOf(w)
	if left := t.p.End.Sub(ws); left < week {
		return time.Duration(float64(c) * float64(left) / float64(week))
	}
	return c
}

// spanTerms returns the span terms of the routes timed dep..ret per
// vehicle (zero = empty), in objective units, as Evaluate counts them:
// fairness, overtime beyond contracted minutes and the soft max_shift and
// max_weekly limits, and undertime.
func (t *translation) spanTerms(dep, ret []time.Time) float64 {
	w := t.p.Weights
	var total float64
	if w.Fairness > 0 {
		ids, prior := t.population()
		if len(ids) >= 2 {
			for k := range t.shift {
				if !dep[k].IsZero() {
					wk := t.p.Shifts[t.shift[k]].Worker
					prior[wk] += ret[k].Sub(dep[k]).Minutes()
				}
			}
			xs := make([]float64, len(ids))
			for i, id := range ids {
				xs[i] = prior[id]
			}
			total += w.Fairness * spread(xs)
		}
	}
	if w.Overtime == 0 && w.Undertime == 0 {
		return total
	}
	t.lawInit()
	for _, ks := range t.ownerVehicles() {
		rules := t.rules[ks[0]]
		soft := func(n string) bool { return slices.Contains(rules.Soft, n) }
		c := t.contract(ks[0])
		for _, k := range ks {
			if mx := rules.MaxShift.Std(); soft("max_shift") && mx > 0 && !dep[k].IsZero() {
				if d := ret[k].Sub(dep[k]); d > mx+Tolerance {
					total += w.Overtime * (d - mx).Minutes()
				}
			}
		}
		for win := range t.weeks() {
			var got time.Duration
			for _, k := range ks {
				if dep[k].IsZero() {
					continue
				}
				work := max(ret[k].Sub(dep[k])-t.breaksOf(k), 0)
				got += time.Duration(float64(work) * t.windowShare(dep[k], ret[k], win))
			}
			if mw := rules.MaxWeekly.Std(); soft("max_weekly") && mw > 0 && got > mw+Tolerance {
				total += w.Overtime * (got - mw).Minutes()
			}
			if c > 0 && got > c {
				total += w.Overtime * (got - c).Minutes()
			}
			if tg := t.target(c, win); c > 0 && w.Undertime > 0 && got < tg {
				total += w.Undertime * (tg - got).Minutes()
			}
		}
	}
	return total
}

// ownerVehicles returns each worker's vehicles (by start), workers in a
// fixed order.
func (t *translation) ownerVehicles() [][]int {
	os := make([]int, 0, len(t.ownerVeh))
	for o := range t.ownerVeh {
		os = append(os, o)
	}
	slices.Sort(os)
	out := make([][]int, len(os))
	for i, o := range os {
		out[i] = t.ownerVeh[o]
	}
	return out
}

// fairScore is the true objective of sol for choosing between rounds, in
// engine cost units: the engine's cost without its span costs plus the
// span terms computed exactly.
func (t *translation) fairScore(sol *search.Solution) float64 {
	dep, ret := t.routeSpans(sol)
	return float64(sol.Cost-sol.SpanCost) + t.spanTerms(dep, ret)*t.costScale
}

// setSpanCosts gives every vehicle the span cost of the span terms around
// the routes of sol: a majoriser of the terms (see the comment at the top
// of this file), so that a search that lowers it lowers the terms. sol's
// routes must be feasible under the current cuts (they are timed under
// them). It returns how many times the slopes were halved to fit the
// engine's integer bound (0 normally).
func (t *translation) setSpanCosts(sol *search.Solution) (halved int) {
	dep, ret := t.routeSpans(sol)
	t.lawInit()
	w := t.p.Weights
	ids, prior := t.population()
	x := map[care.WorkerID]float64{}
	for _, id := range ids {
		x[id] = prior[id]
	}
	cur := make([]time.Duration, len(t.shift))
	for k := range t.shift {
		if !dep[k].IsZero() {
			cur[k] = ret[k].Sub(dep[k])
			x[t.p.Shifts[t.shift[k]].Worker] += cur[k].Minutes()
		}
	}
	// The fairness majoriser's centre (the mean) and curvature.
	var mean, curv float64
	if n := float64(len(ids)); w.Fairness > 0 && n >= 2 {
		xs := make([]float64, len(ids))
		for i, id := range ids {
			xs[i] = x[id]
		}
		mean = stat.Mean(xs, nil)
		curv = w.Fairness / (2 * n * max(stat.PopStdDev(xs, nil), 1))
	}
	open := func(k int) bool { return !t.closed[k] && t.maxSpan(k) > 0 }
	// share is the share φ of vehicle k's route (of its shift, when the
	// route is empty) in the i-th window.
	share := func(k, i int) float64 {
		if dep[k].IsZero() {
			return t.windowShare(t.startAt[k], t.endAt[k], i)
		}
		return t.windowShare(dep[k], ret[k], i)
	}
	perMinute := t.costScale / float64(time.Minute/engineTime)
	vs := slices.Clone(t.in.Vehicles)
	for k := range t.shift {
		vs[k].SpanCost = nil
		if !open(k) {
			continue
		}
		wk := t.p.Shifts[t.shift[k]].Worker
		ks := t.ownerVeh[t.in.Owner[k]]
		rules := t.rules[k]
		soft := func(n string) bool { return slices.Contains(rules.Soft, n) }
		var kinks []time.Duration
		// Fairness: the worker's share 1/m of c·(x − mean)², m its open
		// vehicles, with this route's change scaled by m.
		var fair func(s time.Duration) float64
		if curv > 0 {
			m := 0
			for _, j := range ks {
				if open(j) {
					m++
				}
			}
			a := 1 / float64(max(m, 1))
			x0 := x[wk]
			fair = func(s time.Duration) float64 {
				d := x0 - mean + (s-cur[k]).Minutes()/a
				return a * curv * d * d
			}
			if z := cur[k] + time.Duration((mean-x0)*a*float64(time.Minute)); z > 0 {
				kinks = append(kinks, z)
			}
		}
		mx := rules.MaxShift.Std()
		shiftOver := w.Overtime > 0 && soft("max_shift") && mx > 0
		if shiftOver {
			kinks = append(kinks, mx)
		}
		// The windows the route may meet: its share of each, the
		// worker's work there now and the share 1/m of the window's terms
		// (m: the worker's open vehicles meeting it).
		type win struct {
			share, a                      float64
			now, contract, target, weekly time.Duration
		}
		var wins []win
		c := t.contract(k)
		weekly := time.Duration(0)
		if soft("max_weekly") && w.Overtime > 0 {
			weekly = max(rules.MaxWeekly.Std(), 0)
		}
		brk := t.breaksOf(k)
		work := func(s time.Duration) time.Duration { return max(s-brk, 0) }
		if (w.Overtime > 0 && c > 0) || (w.Undertime > 0 && c > 0) || weekly > 0 {
			for i := range t.weeks() {
				sh := share(k, i)
				if sh <= 0 {
					continue
				}
				var now time.Duration
				m := 0
				for _, j := range ks {
					// m counts the vehicles that pay a share of this
					// window's terms, as k does: open, their route (or
					// shift, when empty) meeting the window.
					if open(j) && share(j, i) > 0 {
						m++
					}
					if !dep[j].IsZero() {
						now += time.Duration(float64(work(ret[j].Sub(dep[j]))) * t.windowShare(dep[j], ret[j], i))
					}
				}
				wn := win{share: sh, a: 1 / float64(max(m, 1)), now: now, weekly: weekly}
				if c > 0 && w.Overtime > 0 {
					wn.contract = c
				}
				if c > 0 && w.Undertime > 0 {
					wn.target = t.target(c, i)
				}
				wins = append(wins, wn)
				// Kinks: where the route's work meets each limit.
				for _, lim := range []time.Duration{wn.contract, wn.target, wn.weekly} {
					// (Beyond the longest span, or before 0, a kink is
					// dropped: clamped here, as a tiny share would
					// overflow the conversion.)
					if at := float64(brk+work(cur[k])) + float64(lim-now)*wn.a/sh; lim > 0 && at >= 0 && at <= float64(t.maxSpan(k)) {
						kinks = append(kinks, time.Duration(at))
					}
				}
				if brk > 0 {
					kinks = append(kinks, brk)
				}
			}
		}
		if fair == nil && !shiftOver && len(wins) == 0 {
			continue
		}
		h := func(s time.Duration) float64 {
			var v float64
			if fair != nil {
				v += fair(s)
			}
			if shiftOver && s > mx {
				v += w.Overtime * (s - mx).Minutes()
			}
			for _, wn := range wins {
				got := wn.now + time.Duration(wn.share*float64(work(s)-work(cur[k]))/wn.a)
				var u float64
				if wn.contract > 0 && got > wn.contract {
					u += w.Overtime * (got - wn.contract).Minutes()
				}
				if wn.weekly > 0 && got > wn.weekly {
					u += w.Overtime * (got - wn.weekly).Minutes()
				}
				if wn.target > 0 && got < wn.target {
					u += w.Undertime * (wn.target - got).Minutes()
				}
				v += wn.a * u
			}
			return v
		}
		vs[k].SpanCost = convexPieces(h, t.maxSpan(k), cur[k], kinks, perMinute)
	}
	t.in.Vehicles = vs
	// The engine bounds its objective within int64 (search's Validate):
	// with a large weight and a small spread the slopes may not fit. Then
	// every vehicle's slopes are halved alike until they do, so the terms
	// are still planned, at a smaller weight against the rest of the
	// objective (the rounds still choose by the true objective). It
	// returns the number of halvings.
	for t.in.Validate() != nil && halveSpanCosts(vs) {
		halved++
	}
	return halved
}

// halveSpanCosts halves every piece's slope (rounded towards zero, so the
// costs stay convex), dropping pieces left flat; it reports whether any
// span cost is left.
func halveSpanCosts(vs []search.Vehicle) bool {
	left := false
	for k := range vs {
		pcs := vs[k].SpanCost[:0:0]
		for _, pc := range vs[k].SpanCost {
			if pc.PerUnit /= 2; pc.PerUnit != 0 {
				pcs = append(pcs, pc)
			}
		}
		if len(pcs) == 0 {
			pcs = nil
		}
		vs[k].SpanCost = pcs
		left = left || pcs != nil
	}
	return left
}

// fairGrid is the number of even steps up to the longest span sampled for
// a span cost, besides the kinks and the current span.
const fairGrid = 12

// convexPieces samples h − h(0) on [0, longest] (at the kinks inside it,
// at cur, on an even grid and finely around cur), takes the lower convex
// hull of the samples and returns it as engine span-cost pieces, slopes
// in engine cost units per engine time unit (perMinute cost units per
// objective unit per minute). Nil when the hull is flat.
func convexPieces(h func(time.Duration) float64, longest, cur time.Duration, kinks []time.Duration, perMinute float64) []search.SpanPiece {
	pts := []time.Duration{0, longest}
	for i := 1; i < fairGrid; i++ {
		pts = append(pts, longest*time.Duration(i)/fairGrid)
	}
	for _, d := range []time.Duration{0, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour} {
		pts = append(pts, cur-d, cur+d)
	}
	pts = append(pts, kinks...)
	pts = slices.DeleteFunc(pts, func(d time.Duration) bool { return d < 0 || d > longest })
	// Whole engine units, so that the pieces start where the samples are.
	for i := range pts {
		pts[i] = pts[i].Truncate(engineTime)
	}
	slices.Sort(pts)
	pts = slices.Compact(pts)
	h0 := h(0)
	type pt struct {
		s time.Duration
		v float64
	}
	var hull []pt
	for _, s := range pts {
		p := pt{s, h(s) - h0}
		for len(hull) >= 2 {
			a, b := hull[len(hull)-2], hull[len(hull)-1]
			// Drop b when it lies on or above the chord a..p.
			if (b.v-a.v)*float64(p.s-a.s) >= (p.v-a.v)*float64(b.s-a.s) {
				hull = hull[:len(hull)-1]
				continue
			}
			break
		}
		hull = append(hull, p)
	}
	var out []search.SpanPiece
	var last int64
	for i := 1; i < len(hull); i++ {
		a, b := hull[i-1], hull[i]
		// Objective units per minute of span, to engine units per engine unit.
		sl := int64(math.Round((b.v - a.v) / (b.s - a.s).Minutes() * perMinute))
		if i == 1 {
			if sl != 0 {
				out = append(out, search.SpanPiece{From: 0, PerUnit: sl})
			}
			last = sl
			continue
		}
		if sl > last {
			out = append(out, search.SpanPiece{From: int64(a.s / engineTime), PerUnit: sl - last})
			last = sl
		}
	}
	return out
}
