package routing

import (
	"context"
	"slices"
	"time"

	"github.com/carecoord/care/routing/internal/search"
)

// Working-time law over several routes of one worker (REFERENCE §5: daily
// rest, WTR reg 10; the weekly maximum, reg 4; days in a row, reg 11), as
// Solve plans it. The engine sees each shift as a vehicle on its own, so
// these rules are planned by cuts on the vehicles, in translation:
//
//   - daily rest between shifts A and B of a worker (B later, possibly
//     departing on another local day): A's end is moved to some moment m
//     and B's start to m + MinDailyRest, so that every route of the two
//     keeps the rest whatever the search does;
//   - the weekly maximum: in a 7-day window, the shifts of the worker that
//     meet it get maximum durations (Vehicle.MaxDuration) summing to at
//     most MaxWeekly, each route's whole span counted in every window it
//     meets (at least the evaluator's share of its work);
//   - consecutive days: a worker's shifts on a chosen day are closed.
//
// Cuts are added lazily: the search runs, the rota is checked against the
// rules (checkLaw, independent of Evaluate), each breach gets a cut chosen
// around the rota (the route holding more unassigned-penalty keeps its
// time), the routes are cut back to fit (visits dropped, reason
// working_time_limit) and the search resumes warm-started from them, with
// half of the budget left. The last round first freezes every rule (cuts
// for every pair of shifts, window and day at risk, chosen so that the
// current routes keep them), so the rota it returns keeps every hard rule
// whatever the search does. A rule listed in Rules.Soft is not planned
// (Evaluate costs its breaches as overtime). Instances where no rule can be
// broken by any routes of the shifts (checked up front, lawPossible) run
// one search exactly as before.

// lawRounds is the number of searches at most, the first included.
const lawRounds = 4

// lawRulesOf returns the hard limits of vehicle k's worker (0 = none):
// Problem.Rules, stricter for a young worker (ForYoungWorker), as Evaluate
// reads them; a rule listed in Rules.Soft counts as none.
func (t *translation) lawRulesOf(k int) (rest, weekly time.Duration, days int) {
	rules := t.rules[k]
	soft := func(n string) bool { return slices.Contains(rules.Soft, n) }
	if !soft("min_daily_rest") {
		rest = rules.MinDailyRest.Std()
	}
	if !soft("max_weekly") {
		weekly = rules.MaxWeekly.Std()
	}
	if !soft("max_consecutive_days") {
		days = rules.MaxConsecutiveDays
	}
	return max(rest, 0), max(weekly, 0), max(days, 0)
}

// lawInit sets up the cut state: each vehicle's real start and end (its
// shift's), the owners' vehicles in time order and the time zone.
func (t *translation) lawInit() {
	if t.startAt != nil {
		return
	}
	t.loc = time.UTC
	if loc, err := t.p.Loc(); err == nil {
		t.loc = loc
	}
	n := len(t.shift)
	t.startAt, t.endAt, t.closed = make([]time.Time, n), make([]time.Time, n), make([]bool, n)
	t.ownerVeh = map[int][]int{}
	for k, s := range t.shift {
		t.startAt[k], t.endAt[k] = t.p.Shifts[s].Start, t.p.Shifts[s].End
		o := t.in.Owner[k]
		t.ownerVeh[o] = append(t.ownerVeh[o], k)
	}
	for _, ks := range t.ownerVeh {
		slices.SortFunc(ks, func(a, b int) int { return t.startAt[a].Compare(t.startAt[b]) })
	}
}

// day returns local midnight of t's day in the problem's time zone.
func (t *translation) lawDay(x time.Time) time.Time {
	l := x.In(t.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, t.loc)
}

// nextDay returns local midnight of the day after day d.
func (t *translation) nextDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, t.loc)
}

// weeks returns the number of 7-day windows of the horizon.
func (t *translation) weeks() int {
	return int((t.p.End.Sub(t.p.Start) + week - 1) / week)
}

// windowOf returns the i-th 7-day window of the horizon.
func (t *translation) windowOf(i int) (time.Time, time.Time) {
	ws := t.p.Start.Add(time.Duration(i) * week)
	return ws, ws.Add(week)
}

// earlier returns the earlier of a and b.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// meets reports whether [a, b] meets the window [ws, we).
func meets(a, b, ws, we time.Time) bool { return b.After(ws) && a.Before(we) }

// maxSpan is the longest route vehicle k may work under its cuts.
func (t *translation) maxSpan(k int) time.Duration {
	if t.closed[k] {
		return 0
	}
	d := max(t.endAt[k].Sub(t.startAt[k]), 0)
	if mx := t.in.Vehicles[k].MaxDuration; mx > 0 {
		d = min(d, time.Duration(mx)*engineTime)
	}
	return d
}

// windowSpan is the longest the vehicles ks (one worker's) may work in
// the w-th 7-day window under their cuts: the maxSpan of every vehicle
// whose shift meets the window, counted whole.
func (t *translation) windowSpan(ks []int, w int) time.Duration {
	ws, we := t.windowOf(w)
	var sum time.Duration
	for _, k := range ks {
		if meets(t.startAt[k], t.endAt[k], ws, we) {
			sum += t.maxSpan(k)
		}
	}
	return sum
}

// possibleDays returns the local days vehicle k's routes may depart on.
func (t *translation) possibleDays(k int) []time.Time {
	var out []time.Time
	last := t.lawDay(t.endAt[k])
	for d := t.lawDay(t.startAt[k]); !d.After(last); d = t.nextDay(d) {
		out = append(out, d)
	}
	return out
}

// lawPossible reports whether some routes of the shifts could break a hard
// daily-rest, weekly or consecutive-days rule (judged on the shifts' bounds).
func (t *translation) lawPossible() bool {
	t.lawInit()
	for _, ks := range t.ownerVeh {
		rest, weekly, days := t.lawRulesOf(ks[0])
		for i, a := range ks {
			for _, b := range ks[i+1:] {
				if rest > 0 && !t.sameDay(a, b) && t.startAt[b].Sub(t.endAt[a]) < rest {
					return true
				}
			}
		}
		for w := range t.weeks() {
			if weekly > 0 && t.windowSpan(ks, w) > weekly {
				return true
			}
		}
		if days > 0 {
			var ds []time.Time
			for _, k := range ks {
				ds = append(ds, t.possibleDays(k)...)
			}
			if longestRun(t, ds) > days {
				return true
			}
		}
	}
	return false
}

// sameDay reports whether routes of vehicles a and b (a earlier) surely
// depart on one local day: a's start and b's end fall on it.
func (t *translation) sameDay(a, b int) bool {
	return t.lawDay(t.startAt[a]).Equal(t.lawDay(t.endAt[b]))
}

// longestRun returns the longest run of consecutive local days in ds.
func longestRun(t *translation, ds []time.Time) int {
	ds = slices.Clone(ds)
	slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
	ds = slices.CompactFunc(ds, func(a, b time.Time) bool { return a.Equal(b) })
	best, run := 0, 0
	for i, d := range ds {
		if i > 0 && d.Equal(t.nextDay(ds[i-1])) {
			run++
		} else {
			run = 1
		}
		best = max(best, run)
	}
	return best
}

// lawSpan is a route's working span in the rota.
type lawSpan struct {
	k           int
	depart, ret time.Time
}

// spans returns each owner's non-empty routes of sol, by departure, timed
// as the rota will be (timeRoute).
func (t *translation) spans(sol *search.Solution) map[int][]lawSpan {
	t.sol, t.fits, t.narrowed = sol, nil, nil
	out := map[int][]lawSpan{}
	for k, er := range sol.Routes {
		if len(er) == 0 {
			continue
		}
		depart, _, ret, _, _, _ := t.timeRoute(k, er)
		o := t.in.Owner[k]
		out[o] = append(out[o], lawSpan{k: k, depart: depart, ret: ret})
	}
	for _, ss := range out {
		slices.SortFunc(ss, func(a, b lawSpan) int { return a.depart.Compare(b.depart) })
	}
	return out
}

// lawOwners returns the owners of spans in a fixed order.
func lawOwners(sp map[int][]lawSpan) []int {
	os := make([]int, 0, len(sp))
	for o := range sp {
		os = append(os, o)
	}
	slices.Sort(os)
	return os
}

// value is what route k of sol holds: its visits' unassigned penalties.
func (t *translation) value(routes [][]int, k int) int64 {
	var v int64
	if k < len(routes) {
		for _, ev := range routes[k] {
			v += t.in.Visits[ev].Penalty
		}
	}
	return v
}

// checkLaw checks rota r against the hard rules (strictly, without
// Evaluate's tolerance; a span's whole time counts in each window it meets)
// and, when cut is set, cuts the vehicles so that each breach cannot recur
// (the routes are not changed; see strip). It reports whether r breaks any.
func (t *translation) checkLaw(sol *search.Solution, routes [][]int, cut bool) bool {
	sp := t.spans(sol)
	win := sol.Windows
	broken := false
	for _, o := range lawOwners(sp) {
		ss := sp[o]
		rest, weekly, days := t.lawRulesOf(ss[0].k)
		// Daily rest: from the latest return so far to a departure on another day.
		if rest > 0 {
			end := ss[0]
			for i := 1; i < len(ss); i++ {
				s := ss[i]
				if !t.lawDay(s.depart).Equal(t.lawDay(ss[i-1].depart)) && s.depart.Sub(end.ret) < rest {
					broken = true
					if cut {
						// Keep the earlier route (with a minute's margin
						// for the engine's rounding) or the later one.
						m := earlier(end.ret.Add(time.Minute), t.endAt[end.k])
						if t.value(routes, s.k) > t.value(routes, end.k) {
							m = s.depart.Add(-rest - time.Minute)
						}
						t.cutRest(end.k, s.k, m, rest)
					}
				}
				if s.ret.After(end.ret) {
					end = s
				}
			}
		}
		// Weekly: the spans meeting each window.
		for w := range t.weeks() {
			ws, we := t.windowOf(w)
			var sum time.Duration
			for _, s := range ss {
				if meets(s.depart, s.ret, ws, we) {
					sum += s.ret.Sub(s.depart)
				}
			}
			if weekly > 0 && sum > weekly {
				broken = true
				if cut {
					t.cutWeek(o, w, weekly, routes, win)
				}
			}
		}
		// Consecutive days: runs of departure days.
		if days > 0 {
			var ds []time.Time
			for _, s := range ss {
				ds = append(ds, t.lawDay(s.depart))
			}
			if longestRun(t, ds) > days {
				broken = true
				if cut {
					t.cutDays(o, ds, days, routes, ss)
				}
			}
		}
	}
	return broken
}

// cutRest makes the rest between vehicles a and b (a earlier) hold for
// any routes: a ends by m, b starts at m + rest or later.
func (t *translation) cutRest(a, b int, m time.Time, rest time.Duration) {
	if m.Before(t.endAt[a]) {
		t.endAt[a] = m
	}
	if s := m.Add(rest); s.After(t.startAt[b]) {
		t.startAt[b] = s
	}
	t.applyBounds(a)
	t.applyBounds(b)
}

// applyBounds writes vehicle k's real bounds into the engine's vehicle
// (rounded inwards); a vehicle left with no time is closed.
func (t *translation) applyBounds(k int) {
	veh := &t.in.Vehicles[k]
	if s := ceilUnits(t.startAt[k].Sub(t.p.Start)); s > veh.Start {
		veh.Start = s
	}
	if e := floorUnits(t.endAt[k].Sub(t.p.Start)); e < veh.End {
		veh.End = e
	}
	if veh.End < veh.Start {
		veh.End = veh.Start
		t.close(k)
	}
}

// close takes vehicle k out: no visit may use it.
func (t *translation) close(k int) {
	if t.closed[k] {
		return
	}
	t.closed[k] = true
	all := make([]int, 0, len(t.in.Vehicles))
	for x := range t.in.Vehicles {
		all = append(all, x)
	}
	for i := range t.in.Visits {
		v := &t.in.Visits[i]
		al := all
		if v.Allowed != nil {
			if !slices.Contains(v.Allowed, k) {
				continue
			}
			al = v.Allowed
		}
		// A new list: orig shares the old one.
		v.Allowed = slices.DeleteFunc(slices.Clone(al), func(x int) bool { return x == k })
	}
}

// capDuration sets vehicle k's maximum duration to at most c engine units
// (closing it when c < 1).
func (t *translation) capDuration(k int, c int64) {
	if c < 1 {
		t.close(k)
		return
	}
	veh := &t.in.Vehicles[k]
	if veh.MaxDuration == 0 || c < veh.MaxDuration {
		veh.MaxDuration = c
	}
}

// cutWeek caps the vehicles of owner o meeting window w so that their
// maximum durations sum to at most limit: the routes' current durations
// (the latest routes cut back first while the sum is over), and what is
// left shared evenly. routes is changed in place.
func (t *translation) cutWeek(o, w int, limit time.Duration, routes [][]int, win []search.Span) {
	ws, we := t.windowOf(w)
	var vs []int
	for _, k := range t.ownerVeh[o] {
		if !t.closed[k] && meets(t.startAt[k], t.endAt[k], ws, we) {
			vs = append(vs, k)
		}
	}
	// A millisecond per route and visit for the rounding between the
	// engine's durations and the rota's exact ones (a second per vehicle).
	lim := floorUnits(limit - time.Duration(len(vs))*time.Second)
	dur := make([]int64, len(vs))
	var sum int64
	for i, k := range vs {
		if k < len(routes) {
			routes[k] = t.stripRoute(k, routes[k])
			dur[i], _ = search.RouteDuration(&t.in, k, routes[k], win)
		}
		sum += dur[i]
	}
	for i := len(vs) - 1; i >= 0 && sum > lim; i-- {
		k := vs[i]
		for sum > lim && k < len(routes) && len(routes[k]) > 0 {
			routes[k] = routes[k][:len(routes[k])-1]
			d, ok := search.RouteDuration(&t.in, k, routes[k], win)
			for !ok && len(routes[k]) > 0 {
				routes[k] = routes[k][1:]
				d, ok = search.RouteDuration(&t.in, k, routes[k], win)
			}
			sum += d - dur[i]
			dur[i] = d
		}
	}
	share := (lim - sum) / int64(max(len(vs), 1))
	for i, k := range vs {
		t.capDuration(k, dur[i]+share)
	}
}

// cutDays closes owner o's vehicles on one day of each run of departure
// days ds longer than limit: the day holding the least penalty among those
// that split the run into runs of at most limit (else the day after the
// first limit days).
func (t *translation) cutDays(o int, ds []time.Time, limit int, routes [][]int, ss []lawSpan) {
	ds = slices.Clone(ds)
	ds = slices.CompactFunc(ds, func(a, b time.Time) bool { return a.Equal(b) })
	worth := func(d time.Time) int64 {
		var v int64
		for _, s := range ss {
			if t.lawDay(s.depart).Equal(d) {
				v += t.value(routes, s.k)
			}
		}
		return v
	}
	for i := 0; i < len(ds); {
		j := i + 1
		for j < len(ds) && ds[j].Equal(t.nextDay(ds[j-1])) {
			j++
		}
		if n := j - i; n > limit {
			pick := i + limit
			if lo, hi := n-1-limit, limit; lo <= hi {
				pick = i + lo
				for x := i + lo + 1; x <= i+hi && x < j; x++ {
					if worth(ds[x]) < worth(ds[pick]) {
						pick = x
					}
				}
			}
			t.closeDay(o, ds[pick])
		}
		i = j
	}
}

// closeDay closes owner o's vehicles that may depart on day d.
func (t *translation) closeDay(o int, d time.Time) {
	for _, k := range t.ownerVeh[o] {
		if slices.ContainsFunc(t.possibleDays(k), d.Equal) {
			t.close(k)
		}
	}
}

// freeze cuts every rule at risk so that any routes keep it, choosing the
// cuts so that the routes of rota r (whose breaches were cut already) keep
// their places where they can.
func (t *translation) freeze(sol *search.Solution, routes [][]int) {
	sp := t.spans(sol)
	win := sol.Windows
	owners := make([]int, 0, len(t.ownerVeh))
	for o := range t.ownerVeh {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	for _, o := range owners {
		ks := t.ownerVeh[o]
		rest, weekly, days := t.lawRulesOf(ks[0])
		span := map[int]lawSpan{}
		for _, s := range sp[o] {
			span[s.k] = s
		}
		if rest > 0 {
			for i, a := range ks {
				for _, b := range ks[i+1:] {
					if t.closed[a] || t.closed[b] || t.sameDay(a, b) || t.startAt[b].Sub(t.endAt[a]) >= rest {
						continue
					}
					sa, usedA := span[a]
					sb, usedB := span[b]
					switch {
					case usedA && usedB && t.lawDay(sa.depart).Equal(t.lawDay(sb.depart)) && sa.depart.Sub(t.startAt[a]) >= 0:
						// Both depart on one day now: keep them on it.
						d := t.lawDay(sa.depart)
						if d.After(t.startAt[a]) {
							t.startAt[a] = d
						}
						if nd := t.nextDay(d).Add(-engineTime); nd.Before(t.endAt[b]) {
							t.endAt[b] = nd
						}
						t.applyBounds(a)
						t.applyBounds(b)
					case usedA && usedB && !sb.depart.Before(sa.ret.Add(rest)):
						t.cutRest(a, b, sa.ret.Add(sb.depart.Sub(sa.ret.Add(rest))/2), rest)
					case usedA:
						t.cutRest(a, b, earlier(sa.ret.Add(time.Minute), t.endAt[a]), rest)
					case usedB:
						t.cutRest(a, b, sb.depart.Add(-rest-time.Minute), rest)
					default:
						// Neither used: share the shortfall.
						short := rest - t.startAt[b].Sub(t.endAt[a])
						t.cutRest(a, b, t.endAt[a].Add(-short/2), rest)
					}
				}
			}
		}
		if weekly > 0 {
			for w := range t.weeks() {
				if t.windowSpan(ks, w) > weekly {
					t.cutWeek(o, w, weekly, routes, win)
				}
			}
		}
		if days > 0 {
			// The vehicles used now, then the others, in time order, while
			// the runs of the days they may depart on stay within the limit.
			var allowed []time.Time
			for pass := range 2 {
				for _, k := range ks {
					if _, used := span[k]; t.closed[k] || used != (pass == 0) {
						continue
					}
					try := append(slices.Clone(allowed), t.possibleDays(k)...)
					if longestRun(t, try) > days {
						t.close(k) // (a used one only when its days are at risk: night shifts)
						continue
					}
					allowed = try
				}
			}
		}
	}
}

// strip cuts routes back until each passes search.Check on the cut
// instance (stripRoute).
func (t *translation) strip(routes [][]int) [][]int {
	out := make([][]int, len(routes))
	for k, r := range routes {
		out[k] = t.stripRoute(k, r)
	}
	return out
}

// stripRoute cuts route r of vehicle k back until it passes search.Check
// on the cut instance: a closed vehicle's route is emptied; otherwise the
// visit of least penalty whose removal makes it pass goes first, or, when
// no single removal does, the visit at the end a cut moved.
func (t *translation) stripRoute(k int, r []int) []int {
	r = slices.Clone(r)
	if t.closed[k] {
		return nil
	}
	trial := make([][]int, k+1)
	ok := func(x []int) bool { trial[k] = x; return search.Check(&t.in, trial) == nil }
	for len(r) > 0 && !ok(r) {
		best := -1
		for i := range r {
			x := slices.Delete(slices.Clone(r), i, i+1)
			if ok(x) && (best < 0 || t.in.Visits[r[i]].Penalty < t.in.Visits[r[best]].Penalty) {
				best = i
			}
		}
		if best < 0 {
			best = len(r) - 1
			if t.orig != nil && t.in.Vehicles[k].Start > t.orig.Vehicles[k].Start {
				best = 0
			}
		}
		r = slices.Delete(r, best, best+1)
	}
	return r
}

// lawState is a snapshot of the cuts (the engine's vehicles and visits and
// the real bounds), so that a solution found under earlier cuts is timed
// under those.
type lawState struct {
	vehicles       []search.Vehicle
	visits         []search.Visit
	startAt, endAt []time.Time
	closed         []bool
}

func (t *translation) saveLaw() lawState {
	// close replaces a visit's Allowed list rather than changing it, so
	// shallow copies keep the old lists.
	return lawState{slices.Clone(t.in.Vehicles), slices.Clone(t.in.Visits), slices.Clone(t.startAt), slices.Clone(t.endAt), slices.Clone(t.closed)}
}

func (t *translation) restoreLaw(st lawState) {
	t.in.Vehicles, t.in.Visits, t.startAt, t.endAt, t.closed = st.vehicles, st.visits, st.startAt, st.endAt, st.closed
}

// planLaw runs the searches of the working-time cuts (see the comment at
// the top of this file) and of the span terms (solve_fair.go) after the
// first one, sol, and returns the best solution found that keeps the rules
// (with the cuts it was found under), its Iterations the total. law says
// whether the working-time rules need cuts, fair whether the span terms
// are planned; best means cheapest by the engine's cost, or with fair by
// the true objective (fairScore). warm, when not nil, is the warm start the
// first search began from (search.Adopt of Options.Initial): it is a
// candidate too when it keeps the rules, so that the rota returned is at
// least as good as the warm start by that measure, whatever the rounds do.
// iters is the whole iteration budget (0 = none set) and deadline the end
// of the time budget (zero = none). While budget is left, each round
// searches on, warm-started from the last solution cut back to the cuts
// (from the best one when only fair applies), with the span costs derived
// again around the routes it starts from (half of what is left; all of it
// in the last round, which first freezes the rules when the solution
// breaks them, so that its result keeps them). When the budget runs out on
// a solution that breaks the rules, the rules are frozen and one iteration
// per thread runs from the cut-back routes.
func (t *translation) planLaw(ctx context.Context, sol search.Solution, so search.Options, iters int64, deadline time.Time, law, fair bool, warm *search.Solution) (search.Solution, error) {
	total := sol.Iterations
	if t.orig == nil {
		t.orig = &search.Instance{Vehicles: slices.Clone(t.in.Vehicles), Visits: slices.Clone(t.in.Visits)}
	}
	var clean *search.Solution
	var cleanState lawState
	var cleanScore float64
	done := func() (search.Solution, error) {
		t.restoreLaw(cleanState)
		t.sol, t.fits, t.narrowed = nil, nil, nil
		clean.Iterations = total
		return *clean, nil
	}
	// keep makes s (found under the cuts st) the best when it beats it.
	keep := func(s *search.Solution, st lawState, score float64) {
		if clean == nil || (fair && score < cleanScore) || (!fair && s.Cost < clean.Cost) {
			c := *s
			clean, cleanState, cleanScore = &c, st, score
		}
	}
	if warm != nil {
		// Under no cuts, as the first search.
		var score float64
		if fair {
			score = t.fairScore(warm)
		}
		if !law || !t.checkLaw(warm, nil, false) {
			keep(warm, t.saveLaw(), score)
		}
	}
	left := func() bool {
		return ctx.Err() == nil && (iters == 0 || total < iters) && (deadline.IsZero() || time.Until(deadline) > 5*time.Millisecond)
	}
	for round := 1; ; round++ {
		routes := slices.Clone(sol.Routes)
		for k := range routes {
			routes[k] = slices.Clone(routes[k])
		}
		before := t.saveLaw()
		var score float64
		if fair {
			score = t.fairScore(&sol) // under the cuts sol was found with
		}
		broken := law && t.checkLaw(&sol, routes, true)
		if !broken {
			keep(&sol, before, score)
		}
		out := !left() || round >= lawRounds
		if out && !broken {
			return done()
		}
		final := out || round == lawRounds-1
		if broken && final {
			t.freeze(&sol, routes)
		}
		next := so
		next.Initial = t.strip(routes)
		next.InitialWindows = sol.Windows
		if fair {
			if !law {
				// No cuts: on from the best so far.
				next.Initial, next.InitialWindows = t.strip(clean.Routes), clean.Windows
			}
			// The span costs around the routes the search starts from,
			// timed under the current cuts.
			from, err := search.Adopt(&t.in, next.Initial, next.InitialWindows)
			if err != nil {
				return sol, err
			}
			t.setSpanCosts(&from)
		}
		if so.Progress != nil {
			// Progress counts the iterations of every round.
			base := total
			next.Progress = func(pr search.Progress) {
				pr.Iterations += base
				so.Progress(pr)
			}
		}
		runCtx := ctx
		// At least one iteration per thread: the engine shares
		// MaxIterations between them, and a thread's zero means no limit.
		least := int64(max(so.Threads, 1))
		if iters > 0 {
			n := iters - total
			if !final {
				n /= 2
			}
			next.MaxIterations = max(n, least)
		}
		if !deadline.IsZero() {
			d := time.Until(deadline)
			if !final {
				d /= 2
			}
			next.TimeLimit = max(d, time.Millisecond)
		}
		if out {
			// No budget left: one iteration from the cut routes, so that
			// the rota returned keeps the rules (even when cancelled).
			runCtx = context.WithoutCancel(ctx)
			next.MaxIterations, next.TimeLimit = least, 0
		}
		s, err := search.Solve(runCtx, &t.in, next)
		t.sol, t.fits, t.narrowed = nil, nil, nil
		if err != nil {
			return sol, err
		}
		total += s.Iterations
		sol = s
		if out {
			// Frozen: sol keeps the rules whatever the search did.
			if fair {
				score = t.fairScore(&sol)
			}
			keep(&sol, t.saveLaw(), score)
			return done()
		}
	}
}
