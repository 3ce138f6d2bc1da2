package routing

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
)

// NotPlannedYet returns the kinds of violation Evaluate reports that Solve
// does not plan for yet: a returned rota could break them without Solve
// failing (Result.Report would list them). It returns no kinds now: Solve
// plans every rule Evaluate checks (roles, rest breaks, daily rest, the
// weekly maximum and consecutive days; see Solve), so every hard violation
// of a rota Solve returns is an internal error. It is kept, empty, for the
// callers that pass it to Report.HardErrorExcept, which then excepts
// nothing. Repair no longer uses it: it carries over any hard breach the
// published rota already has (see Repair).
func NotPlannedYet() []ViolationKind {
	return nil
}

// ErrNoSolution is matched when a search is stopped (cancelled context)
// before it built any rota.
var ErrNoSolution = errors.New("routing: stopped before a first rota")

// Solve plans a rota for p. It validates p, measures travel once
// (opt.Travel, else the problem's own model), translates the problem into
// the search engine's integer arrays, searches, and translates the best
// solution back into a schedule.Rota with assignments, routes with legs, and
// every unplanned visit with a Reason. The rota is then checked by Evaluate
// (Result.Report); a hard violation there is an internal error, returned
// with the result so that it can be inspected (NotPlannedYet, the kinds
// that would not be, is empty now).
//
// Translation. Time is counted in whole milliseconds from p.Start: window
// openings, shift starts, durations and travel times are rounded up and
// window closings and shift ends down, so a route the engine accepts is
// feasible in exact time. Distances are kept in tenths of a unit for
// Euclidean Trunc1 problems (exact), in millionths of a unit for Euclidean
// Exact problems and in millimetres otherwise. Objective weights become
// integers at 6·10^7 cost units per unit of objective (less when the
// penalties are so large that int64 sums could overflow), so a weight of
// one per minute costs 1000 per millisecond. The rota's times are
// recomputed exactly (time.Duration) from the matrix; reported figures come
// from Evaluate, not from the engine.
//
// What the search optimises: unassigned visits (Weights.Unassigned ×
// (1 + priority); the two seats of a double-handed visit share it), used
// shifts (Weights.Shift + Shift.Cost), distance, travel time, working
// time, lateness, continuity and preferred workers, as Evaluate counts
// them. Working time and lateness are costed together at each route's best
// departure: every visit starts as early as it can after the worker
// leaves, and the worker leaves when the working time saved by leaving
// later no longer outweighs the lateness it causes (so waiting for a
// partner or for a dependency's gap is paid as working time). Lateness is
// (Weights.Lateness + the planned window's PenaltyPerMinute) per minute
// after the window's Target, per worker on the visit; a window whose Target
// is its Latest (a time-critical visit) or that has none is never late,
// Latest staying the hard cap. Continuity is Weights.Continuity per
// distinct worker beyond the first that a person sees over the whole
// horizon; Weights.Preferred is earned once per visit served by one of its
// preferred workers (Visit.Preferred or the person's PreferredWorkers). It respects every window's hard bounds,
// shift start and end, capacity, Rules.MaxShift (unless soft), skills
// valid throughout the window (for a double-handed visit, each seat's
// SeatSkills too), the role that nursing, chiropody and befriending
// visits need, pins, exclusions (the visit's and the person's) and leave. A double-handed visit (Carers 2) is planned for two different
// workers who start it at the same moment, which meets any
// TogetherTolerance (the tolerance itself is not used yet), or left out
// with both seats: no_partner when the two seats cannot be placed together
// in the final routes, though each could be alone. A dependency holds for
// the planned starts (B starts MinGap to MaxGap after A ends, or after A
// starts with From "start"; every seat of a double-handed visit counts,
// each ending after its own SeatDurations entry) with
// its worker relation (same: one worker serves both; different: no worker
// serves both); the two visits are planned together or not at all, and one
// left out for that reason says dependency_unmet (as does a visit depending
// on one that cannot be planned). Rest breaks (Rules.BreakAfter and
// BreakLength, per worker: stricter for a young worker; the shift's
// Breaks windows) are planned: a route working longer than BreakAfter
// takes one break at a visit's place, in the wait before a visit that is
// not its first, starting inside one of the shift's break windows when it
// declares them, chosen to lengthen the working time least; it is
// Route.Breaks, and its leg's Wait covers it. A route that would need a
// break and has no room for one is not planned (its visits are left out,
// working_time_limit); a break rule listed in Rules.Soft is enforced all
// the same. The working-time law over a worker's routes is planned
// (REFERENCE §5; solve_law.go): daily rest (Rules.MinDailyRest between
// routes departing on different local days, from the latest return so
// far), the weekly maximum (Rules.MaxWeekly in each 7-day window from
// Start, a route's whole span counted in every window it meets) and
// consecutive days (Rules.MaxConsecutiveDays), each per worker (stricter
// for a young worker) and hard unless listed in Rules.Soft (a soft one is
// not planned; Evaluate costs its breaches as overtime). When some routes
// of the shifts could break one, the search runs in rounds that cut the
// shifts around each breach found (an earlier end, a later start, a
// maximum duration, a day closed), with the rules frozen before the budget
// runs out, so a returned rota never breaks them; a visit left out for
// them says working_time_limit.
//
// Fairness, overtime and undertime (solve_fair.go) are optimised too:
// Weights.Fairness (the spread of prior plus worked minutes over the
// workers with a shift), Weights.Overtime beyond ContractedMinutesPerWeek
// and beyond a soft max_shift or max_weekly, and Weights.Undertime below
// the contract. They depend on whole routes' spans, so each shift gets a
// convex cost of its route's working span (a majoriser of these terms
// with the other routes as they are) and the search runs in rounds, in
// the loop of the working-time cuts, the costs derived again before each
// around the routes it starts from; the rota returned is the one with the
// best true objective (these terms computed exactly from the spans, as
// Evaluate counts them). With these weights 0, or nothing they apply to
// (fewer than two workers for fairness, no contract for undertime, and
// no shifts that could work beyond a contract or a soft limit for
// overtime: a one-day problem whose contracts exceed its shifts), one
// search runs as without them. Overtime on a soft daily rest, break or
// consecutive-days rule is reported by Evaluate but not optimised.
// Not yet: visits needing more than two carers are left out. Of a visit's windows the first
// one that an eligible worker's shift covers (for a double-handed visit:
// shifts of two workers) is planned; the others are not tried.
//
// Warm start. With opt.Initial the search starts from that rota's routes
// (see Options.Initial; double-handed visits and dependencies keep their
// planned starts when those still keep the links, else they are
// re-inserted): the engine's first solution costs at most what those
// routes cost, and every later solution is kept only when no worse. When
// the search runs in rounds (the working-time law or the span terms
// above), the warm start itself is one of the rotas the rounds choose
// from (when it keeps the working-time law), by the true objective with
// the span terms; the first round's span costs are derived around it. So
// the returned rota is at least as good as the warm start's routes (as
// the translation times them: each worker leaving as late as the visits
// allow), under the engine's objective plus the span terms, whatever the
// iteration budget.
//
// Limits and concurrency. The search stops at opt.TimeLimit, after
// opt.MaxIterations, or when ctx is done, whichever comes first; when none is
// set it stops after DefaultTimeLimit. Cancelling ctx returns the best rota
// found so far (within about 100 ms) with a nil error; ErrNoSolution (with
// the context's cause) only if none was built. opt.Threads independent
// searches run in parallel (default runtime.NumCPU()) and the best is kept.
func Solve(ctx context.Context, p *schedule.Problem, opt Options) (*Result, error) {
	start := time.Now()
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	if opt.Threads < 0 || opt.Threads > 1024 {
		return nil, care.Invalid("options", "", "threads", "%d outside [0, 1024] (0 = runtime.NumCPU())", opt.Threads)
	}
	if opt.TimeLimit < 0 {
		return nil, care.Invalid("options", "", "time_limit", "must not be negative, got %s", opt.TimeLimit)
	}
	if opt.MaxIterations < 0 {
		return nil, care.Invalid("options", "", "max_iterations", "must not be negative, got %d", opt.MaxIterations)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	pl, m, err := ProblemMatrix(ctx, p, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	tr, err := translate(p, pl, m)
	if err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	threads := opt.Threads
	if threads == 0 {
		threads = runtime.NumCPU()
	}
	so := search.Options{Seed: opt.Seed, Threads: threads, TimeLimit: opt.TimeLimit, MaxIterations: opt.MaxIterations}
	if opt.Initial != nil {
		so.Initial = tr.initial(opt.Initial)
		so.InitialWindows = tr.initialWindows(opt.Initial)
	}
	if _, ok := ctx.Deadline(); !ok && opt.TimeLimit == 0 && opt.MaxIterations == 0 {
		so.TimeLimit = DefaultTimeLimit
	}
	if opt.Progress != nil {
		// Over every round (planLaw adds the earlier rounds' iterations);
		// the span costs, a round's stand-in for the span terms, left out.
		scale := tr.costScale
		so.Progress = func(pr search.Progress) {
			opt.Progress(Progress{Elapsed: time.Since(start), Iterations: pr.Iterations, Objective: float64(pr.BestCost-pr.SpanCost) / scale,
				Vehicles: pr.Vehicles, Unassigned: pr.Unassigned + len(tr.early)})
		}
	}
	// The working-time law over several routes of a worker (solve_law.go)
	// and the span terms (solve_fair.go): when some routes could break the
	// law, or fairness, overtime or undertime can be incurred, the first
	// search (as without them, but for span costs around a warm start)
	// gets half of the budget and the rounds the rest.
	law := tr.lawPossible()
	fair := tr.fairRoundsWanted()
	first := so
	var deadline time.Time
	if law || fair {
		if so.MaxIterations > 0 {
			first.MaxIterations = max(so.MaxIterations/2, int64(threads)) // a thread's zero would mean no limit
		}
		if so.TimeLimit > 0 {
			deadline = start.Add(so.TimeLimit)
		}
		if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
			deadline = d
		}
		if !deadline.IsZero() {
			first.TimeLimit = max(time.Until(deadline)/2, time.Millisecond)
		}
	}
	// A warm start is a candidate of the rounds (planLaw), and with the
	// span terms the first search is costed around it (so that it starts
	// by balancing from the given routes rather than by undoing them).
	var warm *search.Solution
	if so.Initial != nil && (law || fair) {
		a, err := search.Adopt(&tr.in, so.Initial, so.InitialWindows)
		if err != nil {
			return nil, fmt.Errorf("solve: %w", err)
		}
		warm = &a
		if fair {
			tr.setSpanCosts(warm)
			tr.sol = nil
		}
	}
	sol, err := search.Solve(ctx, &tr.in, first)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoSolution, context.Cause(ctx))
		}
		return nil, fmt.Errorf("solve: %w", err)
	}
	if law || fair {
		if sol, err = tr.planLaw(ctx, sol, so, so.MaxIterations, deadline, law, fair, warm); err != nil {
			return nil, fmt.Errorf("solve: %w", err)
		}
	}
	rota := tr.rota(sol)
	e := newEvaluation(p, rota, pl, m)
	e.run()
	res := &Result{Rota: rota, Report: e.rep, Stats: Stats{
		Iterations: sol.Iterations, Elapsed: time.Since(start), Threads: threads, Objective: e.rep.Objective.Total,
	}}
	if err := e.rep.HardErrorExcept(NotPlannedYet()...); err != nil {
		return res, fmt.Errorf("routing: internal error: the planned rota fails evaluation: %w", err)
	}
	return res, nil
}

// rota turns the engine's solution into a schedule.Rota. The two seats of a
// double-handed visit become one assignment with both workers (in route
// order; in seat order when the visit has SeatDurations), starting at the
// earlier seat's start (the later one is within the tolerance).
func (t *translation) rota(sol search.Solution) *schedule.Rota {
	t.sol = &sol
	r := &schedule.Rota{}
	booked := map[int]int{} // p.Visits index -> index in r.Assignments
	for k, er := range sol.Routes {
		if len(er) == 0 {
			continue
		}
		sh := &t.p.Shifts[t.shift[k]]
		depart, stops, ret, lastTravel, lastDist, br := t.timeRoute(k, er)
		rt := schedule.Route{Worker: sh.Worker, Shift: sh.ID}
		if br.before >= 0 {
			// The break lies in the wait before stop br.before (its leg's Wait shows it).
			rt.Breaks = []schedule.PlannedBreak{{Start: br.start, Length: schedule.Duration(br.length)}}
		}
		from, leave := schedule.VisitID(""), depart
		for x, st := range stops {
			vis := &t.p.Visits[st.v]
			rt.Visits = append(rt.Visits, vis.ID)
			rt.Legs = append(rt.Legs, schedule.Leg{From: from, To: vis.ID, Depart: leave, Arrive: st.arrival,
				Travel: schedule.Duration(st.travel), Distance: st.distance, Wait: schedule.Duration(st.start.Sub(st.arrival))})
			if i, ok := booked[st.v]; ok {
				a := &r.Assignments[i]
				if er[x] != t.seat2[st.v] && len(vis.SeatDurations) > 0 {
					// The first seat's worker is listed first (schedule.Visit.SeatDurations).
					a.Workers = append([]care.WorkerID{sh.Worker}, a.Workers...)
				} else {
					a.Workers = append(a.Workers, sh.Worker)
				}
				if st.start.Before(a.Start) {
					a.Start = st.start
				}
			} else {
				booked[st.v] = len(r.Assignments)
				r.Assignments = append(r.Assignments, schedule.Assignment{Visit: vis.ID, Workers: []care.WorkerID{sh.Worker}, Start: st.start})
			}
			from, leave = vis.ID, st.start.Add(t.duration(er[x]))
		}
		rt.Legs = append(rt.Legs, schedule.Leg{From: from, Depart: leave, Arrive: ret, Travel: schedule.Duration(lastTravel), Distance: lastDist})
		r.Routes = append(r.Routes, rt)
	}
	unassigned := slices.Clone(sol.Unassigned)
	for v := range t.p.Visits {
		if u, ok := t.early[v]; ok {
			r.Unassigned = append(r.Unassigned, u)
			continue
		}
		ev := t.engineVisit[v]
		if ev >= 0 && slices.Contains(unassigned, ev) {
			r.Unassigned = append(r.Unassigned, t.reasonLinked(sol, v))
		}
	}
	slices.SortFunc(r.Assignments, func(a, b schedule.Assignment) int { return a.Start.Compare(b.Start) })
	return r
}

// reasonLinked is reason for p.Visits[v], whose engine visits may be linked
// (double-handed seats, dependencies): a seat that fits nowhere alone gives
// its own reason; otherwise, when the visit's link group fits into the final
// routes as a whole, it was not worth it; else no_partner for a
// double-handed visit without dependencies, dependency_unmet for the rest.
func (t *translation) reasonLinked(sol search.Solution, v int) schedule.Unassigned {
	ev := t.engineVisit[v]
	linked := t.seat2[v] >= 0
	for _, l := range t.in.Links {
		linked = linked || l.A == ev || l.B == ev
	}
	if !linked {
		return t.reason(sol.Routes, ev)
	}
	vis := &t.p.Visits[v]
	for _, s := range []int{ev, t.seat2[v]} {
		if s < 0 {
			continue
		}
		if u := t.reason(sol.Routes, s); u.Reason != schedule.NotWorthIt {
			u.Visit = vis.ID
			return u
		}
	}
	if t.fits == nil {
		t.fits = search.GroupsFit(&t.in, sol)
	}
	if t.fits[ev] {
		return schedule.Unassigned{Visit: vis.ID, Reason: schedule.NotWorthIt, Detail: "a feasible place exists but costs more than leaving the visit out"}
	}
	if t.seat2[v] >= 0 && len(vis.Dependencies) == 0 && !t.dependedOn(v) {
		return schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoPartner, Detail: "no two workers can start it together in the planned routes"}
	}
	return schedule.Unassigned{Visit: vis.ID, Reason: schedule.DependencyUnmet, Detail: "it and the visits linked to it by dependencies cannot all be placed in range"}
}

// dependedOn reports whether some visit depends on p.Visits[v].
func (t *translation) dependedOn(v int) bool {
	id := t.p.Visits[v].ID
	for i := range t.p.Visits {
		for _, d := range t.p.Visits[i].Dependencies {
			if d.Visit == id {
				return true
			}
		}
	}
	return false
}

// reason finds, by trial insertion into the final routes (and empty
// vehicles), why engine visit ev was left out: a feasible place exists
// (cost), only capacity or only the working-time limit stands in the way, or
// no eligible shift can reach it within its window.
func (t *translation) reason(routes [][]int, ev int) schedule.Unassigned {
	vis := &t.p.Visits[t.visit[ev]]
	// relaxed drops capacity, the duration limit and the break rule;
	// withDur drops only capacity (a break that does not fit is a
	// working-time rule, as the duration limit). Both use the vehicles
	// before the working-time cuts (solve_law.go); lawIn, the cut ones
	// without capacity: a visit that fits only without the cuts is
	// left out for the working-time law.
	base := t.in
	if t.orig != nil {
		base.Vehicles, base.Visits = t.orig.Vehicles, t.orig.Visits
	}
	relaxed, withDur, lawIn := base, base, t.in
	if t.sol != nil && len(t.sol.Windows) == len(t.in.Visits) {
		// Served linked visits keep their narrowed windows (an unserved
		// visit's window in sol is its own).
		narrow := func(vs []search.Visit) []search.Visit {
			out := slices.Clone(vs)
			for i, w := range t.sol.Windows {
				out[i].Earliest, out[i].Latest = w.Earliest, w.Latest
			}
			return out
		}
		if t.narrowed == nil {
			t.narrowed = narrow(t.in.Visits)
			t.narrowedBase = t.narrowed
			if t.orig != nil {
				t.narrowedBase = narrow(t.orig.Visits)
			}
		}
		relaxed.Visits, withDur.Visits, lawIn.Visits = t.narrowedBase, t.narrowedBase, t.narrowed
	}
	relaxed.Vehicles, withDur.Vehicles = slices.Clone(base.Vehicles), slices.Clone(base.Vehicles)
	lawIn.Vehicles = slices.Clone(t.in.Vehicles)
	for k := range relaxed.Vehicles {
		relaxed.Vehicles[k].Capacity, relaxed.Vehicles[k].MaxDuration = 0, 0
		relaxed.Vehicles[k].BreakAfter, relaxed.Vehicles[k].BreakLength, relaxed.Vehicles[k].BreakWindows = 0, 0, nil
		withDur.Vehicles[k].Capacity = 0
		lawIn.Vehicles[k].Capacity = 0
	}
	timeOK, capOK, durOK := false, false, false
	allowed := base.Visits[ev].Allowed
	// trial[:k+1] holds the one trial route, at k (the others empty): one
	// slice for every trial instead of one per vehicle and position.
	trial := make([][]int, len(t.in.Vehicles))
	for k := range t.in.Vehicles {
		if allowed != nil && !slices.Contains(allowed, k) {
			continue
		}
		var route []int
		if k < len(routes) {
			route = routes[k]
		}
		veh := t.in.Vehicles[k]
		load := t.in.Visits[ev].Demand
		for _, x := range route {
			load += t.in.Visits[x].Demand
		}
		fitsLoad := veh.Capacity == 0 || load <= veh.Capacity
		buf := make([]int, len(route)+1)
		for pos := 0; pos <= len(route); pos++ {
			copy(buf, route[:pos])
			buf[pos] = ev
			copy(buf[pos+1:], route[pos:])
			trial[k] = buf
			tr := trial[:k+1]
			if search.Check(&relaxed, tr) != nil {
				continue
			}
			timeOK = true
			d := search.Check(&withDur, tr) == nil && (t.orig == nil || search.Check(&lawIn, tr) == nil)
			durOK = durOK || d
			capOK = capOK || (d && fitsLoad)
		}
		trial[k] = nil
	}
	switch {
	case capOK:
		return schedule.Unassigned{Visit: vis.ID, Reason: schedule.NotWorthIt, Detail: "a feasible place exists but costs more than leaving the visit out"}
	case durOK:
		return schedule.Unassigned{Visit: vis.ID, Reason: schedule.CapacityExceeded, Detail: "every route that could reach the visit in time is full"}
	case timeOK:
		return schedule.Unassigned{Visit: vis.ID, Reason: schedule.WorkingTimeLimit, Detail: "serving it would make a shift longer than the maximum, leave no room for the rest break it would need, or break the daily rest, weekly maximum or consecutive-days limit"}
	}
	return schedule.Unassigned{Visit: vis.ID, Reason: schedule.WindowUnreachable, Detail: "no eligible shift can reach it within its window"}
}
