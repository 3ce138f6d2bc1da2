package routing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// live is the shared state of the live-operations functions (Check,
// Explain, Recommend, Repair): a problem, a rota and the evaluator's lookups,
// with single routes re-evaluated on demand. Trial routes are timed by the
// evaluator (see EvaluateWith) with the rota's planned starts as lower
// bounds, as Evaluate reads Assignment.Start (see planned): a visit starts
// at the latest of its arrival, its window's opening and its planned start,
// so the waits the planner left (for a dependency, a partner, a rest
// break) survive; the visit a trial inserts or moves has no planned start
// (as early as possible), and a visit it pushes past its planned start is
// not a StartMismatch but is checked where it now starts (windows, shift,
// breaks by the trial; dependencies and togetherness by depBlockers and
// mateBlockers, or by a whole-rota evaluation). A double-handed visit with
// SeatDurations is timed with Duration (the longest seat) unless its seats
// are held (holdSeats, or Repair's seats), then with the worker's own seat.
type live struct {
	p        *schedule.Problem
	pl       *Places
	m        *Matrix
	r        *schedule.Rota
	visitIdx map[schedule.VisitID]int
	shiftIdx map[schedule.ShiftID]int
	workers  map[care.WorkerID]*care.Worker
	users    map[care.ServiceUserID]*care.ServiceUser
	// routes[s] lists the visits (p.Visits indices) of shift s in the rota's order.
	routes map[int][]int
	// server[v] is the shift serving visit v (-1 when none).
	server []int
	// seen[u][w] counts the visits of service user u served by worker w.
	seen map[care.ServiceUserID]map[care.WorkerID]int
	// ev is reused by trial: an evaluation of no rota, whose per-visit
	// records are cleared after each route. Its assignments are only the
	// held seats (see seats, holdSeats), with no planned start unless
	// trialHeld's.
	ev *evaluation
	// times[v] are the starts of served visit v, one per worker, as trial
	// times the routes (see baseTimes; nil until first needed).
	times map[int][]workerStart
	// tolerated[s] holds the hardKeys of the hard breaches that the
	// published rota already has on shift s (see tolerance): Repair
	// carries them over rather than moving visits to mend them (see
	// Repair). Nil outside Repair.
	tolerated map[int]map[string]bool
	// seats[id] lists the workers of double-handed visit id in seat order
	// (schedule.Visit.SeatDurations: the first takes SeatDurations[0]), as
	// Repair keeps or re-plans it; trial, timed and finish time and list
	// the visit's workers in that order. Nil outside Repair.
	seats map[schedule.VisitID][]care.WorkerID
	// waits caches, per visit and the moment its dependencies let it start,
	// the live over a copy of the problem whose visit's windows open then
	// (see waitForDependencies; nil until needed, reset by withProblem).
	waits map[waitKey]*waitLive
	// depOn holds the visits some visit depends on (see dependedOn; nil
	// until needed).
	depOn map[schedule.VisitID]bool
	// planned[v] is the lower bound of served visit v's start in trials:
	// its rota assignment's Start (Repair: its published start while it
	// stays in its published worker's route, or the start Repair holds it
	// at). Visits without one start as early as possible.
	planned map[int]time.Time
	// extra holds further lower bounds of starts, over planned, for the
	// trial being made (see breakRoom; nil outside it).
	extra map[int]time.Time
	// breakAfter lets a trial whose visit fills the wait that held the
	// route's rest break make room by starting the next visit later (as
	// well as the visit itself): Repair, which plans the starts it holds
	// (see insertion.holds). Explain and Recommend report one start only,
	// the visit's, so they only delay the visit.
	breakAfter bool
	// lawSpans caches the working span of each shift's route as trial
	// times it (see lawCheck; nil until needed, reset by withProblem).
	lawSpans map[int]span
	// lawBase caches, per shift, lawCheck of the routes as they are.
	lawBase map[int]liveLaw
	// byWorker lists each worker's shifts (p.Shifts indices, in order;
	// nil until needed, see workerShifts).
	byWorker map[care.WorkerID][]int
	// fair caches the fairness term's minutes of the routes as they are
	// (see fairBase; nil until needed, reset by withProblem).
	fair *fairState
}

// liveLaw is what lawCheck found for a worker's routes: the violations of
// the working-time rules over several routes and what the worker's
// routes together cost: Overtime (beyond a soft limit of those rules and
// beyond contracted minutes) and Undertime (below contracted minutes).
type liveLaw struct {
	viol      []Violation
	overtime  float64
	undertime float64
}

// fairState is the fairness term of the routes as they are, as Evaluate
// counts it: each worker's minutes (prior plus the working minutes of
// their routes, timed by trial) for every worker with a shift, the same
// values sorted, and Weights.Fairness times their spread.
type fairState struct {
	mins   map[care.WorkerID]float64
	sorted []float64
	now    float64
}

// routeAt is shift si's route timed as rr (nil: empty), standing in for
// the shift's current route in a trial's worker-level terms.
type routeAt struct {
	si int
	rr *RouteReport
}

// waitKey identifies a wait of waitForDependencies: the visit (p.Visits
// index) and the earliest start its dependencies allow.
type waitKey struct {
	v        int
	earliest int64 // Unix nanoseconds
}

// waitLive is a cached wait: the live over the copy (nil: every window
// closes before the wait) and the map from its windows to the visit's own.
type waitLive struct {
	l    *live
	kept []int
}

// setSeats records workers, in seat order, as the seats of visit id, so
// that trials time each worker's seat as Evaluate will (see live.seats).
func (l *live) setSeats(id schedule.VisitID, workers []care.WorkerID) {
	l.seats[id] = workers
	l.ev.assigned[id] = &schedule.Assignment{Visit: id, Workers: workers}
}

// clearSeats forgets the seat order of visit id.
func (l *live) clearSeats(id schedule.VisitID) {
	delete(l.seats, id)
	delete(l.ev.assigned, id)
}

// seatAssignments returns an assignment for every visit of the problem
// that l.seats orders or l.planned gives a start, by visit ID: added to a
// trial rota, they make Evaluate read each worker's seat as the repair
// plans it and time the visits as trial does (the planned start a lower
// bound: a StartMismatch of such a rota is no breach, see floatHard).
func (l *live) seatAssignments() []schedule.Assignment {
	var out []schedule.Assignment
	for id, ws := range l.seats {
		if v, ok := l.visitIdx[id]; ok {
			out = append(out, schedule.Assignment{Visit: id, Workers: slices.Clone(ws), Start: l.planned[v]})
		}
	}
	for v, t := range l.planned {
		if id := l.p.Visits[v].ID; l.seats[id] == nil {
			out = append(out, schedule.Assignment{Visit: id, Start: t})
		}
	}
	slices.SortFunc(out, func(a, b schedule.Assignment) int { return strings.Compare(string(a.Visit), string(b.Visit)) })
	return out
}

// hard returns the hard violations among viol that shift si does not
// tolerate (see live.tolerated).
func (l *live) hard(si int, viol []Violation) []Violation {
	var out []Violation
	for _, v := range viol {
		if v.Hard && !l.tolerated[si][hardKey(v)] {
			out = append(out, v)
		}
	}
	return out
}

// workerStart is one worker's start of a visit.
type workerStart struct {
	worker care.WorkerID
	start  time.Time
}

// baseTimes returns the starts of every served visit, each route timed by
// trial (earliest starts), computed once.
func (l *live) baseTimes() map[int][]workerStart {
	if l.times != nil {
		return l.times
	}
	l.times = map[int][]workerStart{}
	for si, route := range l.routes {
		rr, _ := l.trial(si, route)
		for _, st := range rr.Stops {
			if v, ok := l.visitIdx[st.Visit]; ok {
				l.times[v] = append(l.times[v], workerStart{worker: rr.Worker, start: st.Start})
			}
		}
	}
	return l.times
}

// newLive validates p and r, measures travel and indexes the rota. Visits
// and shifts the problem does not know are ignored (Check reports them).
func newLive(ctx context.Context, p *schedule.Problem, r *schedule.Rota, prov MatrixProvider) (*live, error) {
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	if r == nil {
		return nil, care.Invalid("", "", "rota", "nil")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pl, m, err := ProblemMatrix(ctx, p, prov)
	if err != nil {
		return nil, err
	}
	return indexLive(p, r, pl, m), nil
}

// indexLive builds the lookups of a live over already measured travel.
func indexLive(p *schedule.Problem, r *schedule.Rota, pl *Places, m *Matrix) *live {
	e := newEvaluation(p, r, pl, m)
	l := &live{p: p, pl: pl, m: m, r: r, visitIdx: e.visitIdx, shiftIdx: e.shiftIdx, workers: e.workers, users: e.users,
		routes: map[int][]int{}, server: make([]int, len(p.Visits)), seen: map[care.ServiceUserID]map[care.WorkerID]int{},
		ev: newEvaluation(p, &schedule.Rota{}, pl, m)}
	for v := range l.server {
		l.server[v] = -1
	}
	for _, rt := range r.Routes {
		si, ok := l.shiftIdx[rt.Shift]
		if !ok {
			continue
		}
		if _, dup := l.routes[si]; dup {
			continue
		}
		var vs []int
		for _, id := range rt.Visits {
			v, ok := l.visitIdx[id]
			if !ok || slices.Contains(vs, v) {
				continue
			}
			vs = append(vs, v)
			if l.server[v] < 0 {
				l.server[v] = si
			}
			l.see(v, p.Shifts[si].Worker, 1)
		}
		l.routes[si] = vs
	}
	for _, a := range r.Assignments {
		if v, ok := l.visitIdx[a.Visit]; ok && !a.Start.IsZero() && l.server[v] >= 0 {
			if l.planned == nil {
				l.planned = map[int]time.Time{}
			}
			l.planned[v] = a.Start
		}
	}
	return l
}

// withProblem returns a copy of l over q, a problem with the same visits,
// shifts, workers and places as l.p (for example with one fix applied).
func (l *live) withProblem(q *schedule.Problem) *live {
	c := *l
	c.p = q
	e := newEvaluation(q, l.r, l.pl, l.m)
	c.workers, c.users = e.workers, e.users
	c.ev = newEvaluation(q, &schedule.Rota{}, l.pl, l.m)
	c.times = nil
	c.waits = nil
	c.lawSpans, c.lawBase = nil, nil
	c.fair = nil
	return &c
}

func (l *live) see(v int, w care.WorkerID, n int) {
	u := l.p.Visits[v].ServiceUser
	if l.seen[u] == nil {
		l.seen[u] = map[care.WorkerID]int{}
	}
	l.seen[u][w] += n
	if l.seen[u][w] <= 0 {
		delete(l.seen[u], w)
	}
}

// trial evaluates shift si serving visits (p.Visits indices) in order,
// each visit's planned start (l.planned) a lower bound of its start, and
// returns the route's report and its violations (see trialFree).
func (l *live) trial(si int, visits []int) (RouteReport, []Violation) {
	return l.trialFree(si, visits, -1)
}

// trialFree is trial with visit free (-1: none), the one a trial inserts
// or moves, timed without its planned start (as early as possible). A
// planned start is a lower bound only: a visit pushed past it is not a
// StartMismatch (none is reported for it) but is judged where it now
// starts. A visit whose start is held (holdSeats, trialHeld) keeps that.
func (l *live) trialFree(si int, visits []int, free int) (RouteReport, []Violation) {
	e := l.ev
	e.rep = &Report{}
	sh := &l.p.Shifts[si]
	rt := schedule.Route{Worker: sh.Worker, Shift: sh.ID, Visits: make([]schedule.VisitID, 0, len(visits))}
	type saved struct {
		id  schedule.VisitID
		a   *schedule.Assignment
		had bool
	}
	var restore []saved
	for _, v := range visits {
		id := l.p.Visits[v].ID
		rt.Visits = append(rt.Visits, id)
		t, ok := l.planned[v]
		if v == free {
			t, ok = time.Time{}, false
		}
		if x, held := l.extra[v]; held {
			t, ok = later(t, x), true
		}
		if !ok {
			continue
		}
		a, had := e.assigned[id]
		if had && !a.Start.IsZero() {
			continue // held
		}
		b := schedule.Assignment{Visit: id, Start: t}
		if had {
			b.Workers = a.Workers
		}
		restore = append(restore, saved{id: id, a: a, had: had})
		e.assigned[id] = &b
	}
	e.route(&rt, si)
	for _, v := range visits {
		e.servers[v], e.starts[v] = e.servers[v][:0], e.starts[v][:0]
	}
	viol := e.rep.Violations
	if len(restore) > 0 {
		for _, r := range restore {
			if r.had {
				e.assigned[r.id] = r.a
			} else {
				delete(e.assigned, r.id)
			}
		}
		viol = slices.DeleteFunc(viol, func(x Violation) bool {
			return x.Kind == StartMismatch && slices.ContainsFunc(restore, func(r saved) bool { return r.id == x.Visit })
		})
	}
	return e.rep.Routes[0], viol
}

// routeTerms returns the objective terms of one route, as Evaluate counts
// them: shift cost, travel time, distance, working time, lateness and the
// route's own overtime (routeOvertime: a soft max_shift or rest break).
// The terms over a worker's several routes or over every worker's
// (Overtime against the contract and the soft rules over several routes,
// Undertime, Fairness) are computed apart (lawCheck, fairnessChange; see
// insertionRange).
func (l *live) routeTerms(si int, rr RouteReport) Objective {
	var o Objective
	if len(rr.Stops) == 0 {
		return o
	}
	wt := l.p.Weights
	o.Shifts = wt.Shift + l.p.Shifts[si].Cost
	o.TravelTime = wt.TravelTime * rr.Travel.Minutes()
	o.WorkingTime = wt.WorkingTime * rr.WorkingTime.Minutes()
	if l.p.Travel.Model == schedule.Euclidean {
		o.Distance = wt.Distance * rr.Distance
	} else {
		o.Distance = wt.Distance * rr.Distance / 1000
	}
	for _, st := range rr.Stops {
		if st.Late > 0 {
			vis := &l.p.Visits[l.visitIdx[st.Visit]]
			o.Lateness += (wt.Lateness + vis.Windows[st.Window].PenaltyPerMinute) * st.Late.Minutes()
		}
	}
	o.Overtime = l.routeOvertime(si, &rr)
	o.Total = o.Shifts + o.TravelTime + o.Distance + o.WorkingTime + o.Lateness + o.Overtime
	return o
}

// routeOvertime returns the Overtime that shift si's route, timed as rr,
// costs by itself, with the evaluator's own checks (maxShift, breaks):
// Weights.Overtime per minute beyond a soft max_shift and per minute short
// of a soft rest break. 0 when no such rule is soft.
func (l *live) routeOvertime(si int, rr *RouteReport) float64 {
	e := l.ev
	if l.p.Weights.Overtime == 0 || len(rr.Stops) == 0 || !e.soft("max_shift", "break_after", "break_length") {
		return 0
	}
	saved := e.rep
	e.rep = &Report{}
	sh := &l.p.Shifts[si]
	rt := &schedule.Route{Worker: rr.Worker, Shift: rr.Shift}
	e.maxShift(rt, sh.Worker, rr)
	e.breaks(rt, sh, rr)
	o := e.rep.Objective.Overtime
	e.rep = saved
	return o
}

// workerShifts returns the shifts of worker w (p.Shifts indices, in order).
func (l *live) workerShifts(w care.WorkerID) []int {
	if l.byWorker == nil {
		l.byWorker = map[care.WorkerID][]int{}
		for si := range l.p.Shifts {
			x := l.p.Shifts[si].Worker
			l.byWorker[x] = append(l.byWorker[x], si)
		}
	}
	return l.byWorker[w]
}

// spanNow returns the working span of shift si's route as it is, timed by
// trial (cached), and false when the route has no visit.
func (l *live) spanNow(si int) (span, bool) {
	route := l.routes[si]
	if len(route) == 0 {
		return span{}, false
	}
	s, ok := l.lawSpans[si]
	if !ok {
		r, _ := l.trial(si, route)
		s, _ = l.lawSpan(si, &r)
		if l.lawSpans == nil {
			l.lawSpans = map[int]span{}
		}
		l.lawSpans[si] = s
	}
	return s, true
}

// workerMinutes returns worker w's minutes as the fairness term counts
// them (Evaluate's fairness): PriorMinutes plus the working minutes
// (Return - Depart) of their routes, the routes of changed standing in
// for the current ones.
func (l *live) workerMinutes(w care.WorkerID, changed []routeAt) float64 {
	var m float64
	if wk := l.workers[w]; wk != nil {
		m = float64(wk.PriorMinutes)
	}
	for _, si := range l.workerShifts(w) {
		if i := slices.IndexFunc(changed, func(c routeAt) bool { return c.si == si }); i >= 0 {
			if rr := changed[i].rr; rr != nil && len(rr.Stops) > 0 {
				m += rr.WorkingTime.Minutes()
			}
			continue
		}
		if s, ok := l.spanNow(si); ok {
			m += s.return_.Sub(s.depart).Minutes()
		}
	}
	return m
}

// fairBase returns the fairness term of the routes as they are (cached).
func (l *live) fairBase() *fairState {
	if l.fair != nil {
		return l.fair
	}
	f := &fairState{mins: map[care.WorkerID]float64{}}
	for si := range l.p.Shifts {
		w := l.p.Shifts[si].Worker
		if _, ok := f.mins[w]; !ok {
			f.mins[w] = l.workerMinutes(w, nil)
			f.sorted = append(f.sorted, f.mins[w])
		}
	}
	f.now = l.p.Weights.Fairness * spread(f.sorted) // sorts f.sorted
	l.fair = f
	return f
}

// fairnessChange returns the change of the Fairness term (Weights.Fairness
// times the spread of the workers' minutes, as Evaluate computes it, with
// the evaluator's spread) when the routes of changed replace the current
// ones; 0 when the weight is 0.
func (l *live) fairnessChange(changed ...routeAt) float64 {
	if l.p.Weights.Fairness == 0 {
		return 0
	}
	f := l.fairBase()
	xs := slices.Clone(f.sorted)
	var done []care.WorkerID
	for _, c := range changed {
		w := l.p.Shifts[c.si].Worker
		old, ok := f.mins[w]
		if !ok || slices.Contains(done, w) {
			continue
		}
		done = append(done, w)
		i, _ := slices.BinarySearch(xs, old)
		xs = slices.Delete(xs, i, i+1)
		x := l.workerMinutes(w, changed)
		j, _ := slices.BinarySearch(xs, x)
		xs = slices.Insert(xs, j, x)
	}
	if len(done) == 0 {
		return 0
	}
	return l.p.Weights.Fairness*spread(xs) - f.now
}

// personTerms returns the unassigned, continuity and preferred terms that
// visit v contributes when served by workers (none, or only "": unassigned;
// two for a double-handed visit), given the other visits' servers in l.seen
// with v's current servers removed. The preferred reward is earned once
// when any of them is preferred (the visit's or the person's).
func (l *live) personTerms(v int, workers ...care.WorkerID) Objective {
	wt := l.p.Weights
	vis := &l.p.Visits[v]
	u := l.users[vis.ServiceUser]
	var o Objective
	served := false
	distinct := len(l.seen[vis.ServiceUser])
	for _, w := range workers {
		if w == "" {
			continue
		}
		served = true
		if slices.Contains(vis.Preferred, w) || u != nil && slices.Contains(u.Preferences.PreferredWorkers, w) {
			o.Preferred = -wt.Preferred
		}
		if l.seen[vis.ServiceUser][w] == 0 {
			distinct++
		}
	}
	if !served {
		o.Unassigned = wt.Unassigned * float64(1+vis.Priority)
	}
	if distinct > 1 {
		o.Continuity = wt.Continuity * float64(distinct-1)
	}
	o.Total = o.Unassigned + o.Preferred + o.Continuity
	return o
}

// sub returns a - b term by term (every term of Objective).
func (a Objective) sub(b Objective) Objective {
	return Objective{
		Unassigned: a.Unassigned - b.Unassigned, Shifts: a.Shifts - b.Shifts, TravelTime: a.TravelTime - b.TravelTime,
		Distance: a.Distance - b.Distance, WorkingTime: a.WorkingTime - b.WorkingTime, Lateness: a.Lateness - b.Lateness,
		Continuity: a.Continuity - b.Continuity, Preferred: a.Preferred - b.Preferred, Overtime: a.Overtime - b.Overtime,
		Undertime: a.Undertime - b.Undertime, Fairness: a.Fairness - b.Fairness,
		Total: a.Total - b.Total,
	}
}

// add returns a + b term by term (every term of Objective).
func (a Objective) add(b Objective) Objective {
	return Objective{
		Unassigned: a.Unassigned + b.Unassigned, Shifts: a.Shifts + b.Shifts, TravelTime: a.TravelTime + b.TravelTime,
		Distance: a.Distance + b.Distance, WorkingTime: a.WorkingTime + b.WorkingTime, Lateness: a.Lateness + b.Lateness,
		Continuity: a.Continuity + b.Continuity, Preferred: a.Preferred + b.Preferred, Overtime: a.Overtime + b.Overtime,
		Undertime: a.Undertime + b.Undertime, Fairness: a.Fairness + b.Fairness,
		Total: a.Total + b.Total,
	}
}

// insertion is visit v moved from its current shift (if any) into shift si at pos.
type insertion struct {
	v, si, pos int
	route      []int       // the new visit list of si
	rr         RouteReport // its evaluation
	added      []Violation // hard violations of the new route not present in si's current route
	delta      Objective   // objective after minus before, every term (see insertionRange)
	// workers is the part of delta over the workers' routes: Overtime
	// against contracts and the soft rules over several routes, Undertime,
	// Fairness (see insertionRange); delta less workers and the person terms
	// is the change of the routes' own terms (routeTerms).
	workers Objective
	// holds are starts the trial holds visits of the route at, no
	// earlier, to make room for the route's rest break (see breakRoom);
	// nil when none.
	holds map[int]time.Time
}

// hardKey identifies a violation for comparisons between trial routes
// (and rotas): by kind and visit, and, for one that names no visit (a
// route's or a worker's: the shift's end, the working-time law), by worker
// and shift too, so that a breach of one worker's routes is not taken for
// another's.
func hardKey(v Violation) string {
	if v.Visit == "" {
		return string(v.Kind) + "\x00\x00" + string(v.Worker) + "\x00" + string(v.Shift)
	}
	return string(v.Kind) + "\x00" + string(v.Visit)
}

// newHard returns the hard violations of after that before does not have
// (compared by hardKey).
func newHard(before, after []Violation) []Violation {
	return newHardBy(before, after, hardKey)
}

// newHardBy returns the hard violations of after whose key no hard
// violation of before has.
func newHardBy(before, after []Violation, key func(Violation) string) []Violation {
	had := map[string]bool{}
	for _, v := range before {
		if v.Hard {
			had[key(v)] = true
		}
	}
	var out []Violation
	for _, v := range after {
		if v.Hard && !had[key(v)] {
			out = append(out, v)
		}
	}
	return out
}

// insertions tries visit v at every position of shift si's route (after
// removing v from wherever it is served now) and returns one insertion per
// position, each with its new hard violations and objective delta. Positions
// before minPos are not tried.
//
// The delta is the change of every term of Evaluate's objective, computed
// with the evaluator's own functions over the routes that change (si's
// and the one v leaves): their own terms (routeTerms), v's person terms
// (personTerms) and the terms over the workers' routes: Overtime (beyond
// contracted minutes and the soft rules over several routes) and
// Undertime of the two workers over all their routes (lawCheck), and
// Fairness over every worker (fairnessChange). The new hard violations
// include breaches of the working-time rules over several routes that the
// change gives either worker.
func (l *live) insertions(v, si, minPos int) []insertion {
	return l.insertionRange(v, si, minPos, -1)
}

// insertionAt is insertions at position pos only (false when the route has
// no such position).
func (l *live) insertionAt(v, si, pos int) (insertion, bool) {
	ins := l.insertionRange(v, si, pos, pos)
	if len(ins) == 0 {
		return insertion{}, false
	}
	return ins[0], true
}

// insertionRange is insertions at the positions from minPos to maxPos
// (maxPos < 0: to the end).
func (l *live) insertionRange(v, si, minPos, maxPos int) []insertion {
	from := l.server[v]
	cur := l.routes[si]
	base := slices.DeleteFunc(slices.Clone(cur), func(x int) bool { return x == v })
	beforeRR, beforeViol := l.trial(si, cur)
	before := l.routeTerms(si, beforeRR)
	var fromBefore, fromAfter Objective
	var fromRR *RouteReport
	if from >= 0 && from != si {
		rb, _ := l.trial(from, l.routes[from])
		ra, _ := l.trial(from, slices.DeleteFunc(slices.Clone(l.routes[from]), func(x int) bool { return x == v }))
		fromBefore, fromAfter = l.routeTerms(from, rb), l.routeTerms(from, ra)
		fromRR = &ra
	}
	lawBefore := l.lawNow(si)
	changed := []routeAt{{si: si}}
	// The worker the visit leaves, when another: their terms over all
	// their routes without it (the same at every position).
	var left Objective
	var leftAdded []Violation
	if fromRR != nil {
		changed = append(changed, routeAt{si: from, rr: fromRR})
		if l.p.Shifts[from].Worker != l.p.Shifts[si].Worker {
			lb := l.lawNow(from)
			la, _ := l.lawCheck(from, fromRR, -1, nil)
			leftAdded = newHardBy(lb.viol, la.viol, lawKey)
			left.Overtime, left.Undertime = la.overtime-lb.overtime, la.undertime-lb.undertime
		}
	}
	var oldWorker care.WorkerID
	if from >= 0 {
		oldWorker = l.p.Shifts[from].Worker
	}
	if oldWorker != "" {
		l.see(v, oldWorker, -1)
	}
	personBefore := l.personTerms(v, oldWorker)
	personAfter := l.personTerms(v, l.p.Shifts[si].Worker)
	if oldWorker != "" {
		l.see(v, oldWorker, 1)
	}
	var out []insertion
	last := len(base)
	if maxPos >= 0 {
		last = min(last, maxPos)
	}
	for pos := max(minPos, 0); pos <= last; pos++ {
		route := slices.Insert(slices.Clone(base), pos, v)
		rr, viol := l.trialFree(si, route, v)
		added := newHard(beforeViol, viol)
		var holds map[int]time.Time
		if slices.ContainsFunc(added, func(x Violation) bool { return x.Kind == MissingBreak }) {
			rr, added, holds = l.breakRoom(si, route, v, pos, rr, added, beforeViol)
		}
		after := l.routeTerms(si, rr)
		d := after.add(fromAfter).add(personAfter).sub(before.add(fromBefore).add(personBefore))
		// The working-time law over the worker's routes: a breach the
		// routes do not have now blocks the place; soft rules, contracts
		// and fairness cost.
		law, _ := l.lawCheck(si, &rr, from, fromRR)
		added = append(added, newHardBy(lawBefore.viol, law.viol, lawKey)...)
		added = append(added, leftAdded...)
		changed[0].rr = &rr
		ws := Objective{Overtime: law.overtime - lawBefore.overtime + left.Overtime, Undertime: law.undertime - lawBefore.undertime + left.Undertime,
			Fairness: l.fairnessChange(changed...)}
		ws.Total = ws.Overtime + ws.Undertime + ws.Fairness
		d = d.add(ws)
		out = append(out, insertion{v: v, si: si, pos: pos, route: route, rr: rr, added: added, delta: d, workers: ws, holds: holds})
	}
	return out
}

// stopOf returns the stop of visit id in rr.
func stopOf(rr RouteReport, id schedule.VisitID) (StopReport, bool) {
	for _, st := range rr.Stops {
		if st.Visit == id {
			return st, true
		}
	}
	return StopReport{}, false
}

// visitIndex returns the index of visit id, or an error naming it.
func (l *live) visitIndex(id schedule.VisitID) (int, error) {
	v, ok := l.visitIdx[id]
	if !ok {
		return 0, fmt.Errorf("visit %q: %w", id, ErrUnknownVisit)
	}
	return v, nil
}

// breakRoom makes room again for the rest break of shift si's route when
// the trial of visit v at position pos (route, timed as rr, adding the
// hard violations added to the route's own, before) leaves it without one
// (MissingBreak; REFERENCE.md WTR-BREAK, WTR reg 12): v fills the wait
// that held the break. It tries holding v's start late enough for a break
// before it and, with l.breakAfter, the next visit's for one after it
// (the shortest such wait: Rules.BreakLength from the arrival, within the
// shift's break windows when it declares them, then at least that break's
// length), and returns the trial that adds no MissingBreak and fewer hard
// violations in all (the fewest, then the cheaper), with the start it
// holds; or rr and added as they were when neither does (a hold that only
// trades the missing break for a missed window, say, is no better).
func (l *live) breakRoom(si int, route []int, v, pos int, rr RouteReport, added, before []Violation) (RouteReport, []Violation, map[int]time.Time) {
	sh := &l.p.Shifts[si]
	rules := l.ev.rulesFor(sh.Worker)
	length := rules.BreakLength.Std()
	if length <= 0 || len(rr.Stops) != len(route) {
		return rr, added, nil
	}
	// hold is the start of stop j that gives a break before it.
	hold := func(j int) (time.Time, bool) {
		if j <= 0 || j >= len(rr.Stops) {
			return time.Time{}, false // the first stop has no wait: the worker leaves later
		}
		arrive := rr.Stops[j].Arrival
		if len(sh.Breaks) == 0 {
			return arrive.Add(length), true
		}
		var best time.Time
		for _, w := range sh.Breaks {
			from := later(arrive, w.Earliest)
			if from.After(w.Latest) {
				continue
			}
			if t := from.Add(max(length, w.Length.Std())); best.IsZero() || t.Before(best) {
				best = t
			}
		}
		return best, !best.IsZero()
	}
	cands := []int{pos}
	if l.breakAfter {
		cands = append(cands, pos+1)
	}
	bestRR, bestAdded := rr, added
	var bestHolds map[int]time.Time
	bestCost := 0.0
	for _, j := range cands {
		t, ok := hold(j)
		if !ok || !t.After(rr.Stops[j].Start) {
			continue
		}
		l.extra = map[int]time.Time{route[j]: t}
		r2, viol := l.trialFree(si, route, v)
		l.extra = nil
		a2 := newHard(before, viol)
		if len(a2) >= len(added) || slices.ContainsFunc(a2, func(x Violation) bool { return x.Kind == MissingBreak }) {
			continue // no better: the hold breaks something else instead
		}
		c := l.routeTerms(si, r2).Total
		if bestHolds == nil || len(a2) < len(bestAdded) || len(a2) == len(bestAdded) && c < bestCost {
			bestRR, bestAdded, bestHolds, bestCost = r2, a2, map[int]time.Time{route[j]: t}, c
		}
	}
	return bestRR, bestAdded, bestHolds
}

// lawKinds are the violations of the working-time rules over a worker's
// several routes (REFERENCE.md §5: WTR regs 4, 10 and 11), which no single
// route's trial shows (see lawCheck).
var lawKinds = []ViolationKind{ShortDailyRest, OverMaxWeekly, TooManyDays}

// lawKey identifies a violation of the working-time rules over several
// routes for comparisons between states of one worker's routes: by kind
// and shift (daily rest names the later shift; the weekly maximum and
// consecutive days name none), not by detail, which gives the times.
func lawKey(v Violation) string { return string(v.Kind) + "\x00" + string(v.Shift) }

// lawAdds returns the hard breaches of the working-time law over shift
// si's worker's routes that si's route timed as rr (and, when from >= 0,
// shift from's timed as fromRR) adds to the routes as they are (see
// lawCheck; compared by lawKey).
func (l *live) lawAdds(si int, rr *RouteReport, from int, fromRR *RouteReport) []Violation {
	law, ok := l.lawCheck(si, rr, from, fromRR)
	if !ok {
		return nil
	}
	return newHardBy(l.lawNow(si).viol, law.viol, lawKey)
}

// lawNow returns lawCheck of shift si's worker's routes as they are (cached).
func (l *live) lawNow(si int) liveLaw {
	if st, ok := l.lawBase[si]; ok {
		return st
	}
	var st liveLaw
	if route := l.routes[si]; len(route) > 0 {
		rr, _ := l.trial(si, route)
		st, _ = l.lawCheck(si, &rr, -1, nil)
	} else {
		st, _ = l.lawCheck(si, nil, -1, nil)
	}
	if l.lawBase == nil {
		l.lawBase = map[int]liveLaw{}
	}
	l.lawBase[si] = st
	return st
}

// lawSpan returns the working span of shift si's route timed as rr, as
// Evaluate records it (the span less the shift's agreed unpaid Breaks),
// and false for a route with no visit (no span).
func (l *live) lawSpan(si int, rr *RouteReport) (span, bool) {
	if rr == nil || len(rr.Stops) == 0 {
		return span{}, false
	}
	sh := &l.p.Shifts[si]
	work := rr.WorkingTime
	for _, b := range sh.Breaks {
		work -= b.Length.Std()
	}
	return span{shift: sh.ID, depart: rr.Depart, return_: rr.Return, work: max(work, 0)}, true
}

// lawCheck judges the working-time rules over the routes of shift si's
// worker (daily rest, the weekly maximum and consecutive days; REFERENCE.md
// §5, WTR regs 10, 4 and 11) with si's route timed as rr (nil: empty) and,
// when from >= 0, shift from's route timed as fromRR (the route a trial
// takes the visit out of); the worker's other routes are timed by trial
// (cached). It reads the rules as Evaluate does, with the evaluator's own
// checks (dailyRest, weekly, consecutiveDays; rulesFor: stricter for a
// young worker; soft when listed in Rules.Soft; addUndertime), and returns
// their violations and what the worker's routes together cost: Overtime
// (Weights.Overtime per minute beyond a soft limit and beyond contracted
// minutes in each 7-day window) and Undertime (Weights.Undertime per
// minute below the prorated contract). Cheap checks first: false (nothing
// to judge, every term 0) when the worker has none of these rules and no
// contract that costs, or has no contract that costs and works no other
// route and the weekly maximum, if any, cannot be passed by this route
// alone.
func (l *live) lawCheck(si int, rr *RouteReport, from int, fromRR *RouteReport) (liveLaw, bool) {
	e := l.ev
	w := l.p.Shifts[si].Worker
	rules := e.rulesFor(w)
	wk := l.workers[w]
	contract := wk != nil && wk.ContractedMinutesPerWeek > 0 && (l.p.Weights.Overtime != 0 || l.p.Weights.Undertime != 0)
	if !contract && rules.MinDailyRest <= 0 && rules.MaxWeekly <= 0 && rules.MaxConsecutiveDays <= 0 {
		return liveLaw{}, false
	}
	var ss []span
	if s, ok := l.lawSpan(si, rr); ok {
		ss = append(ss, s)
	}
	for _, sj := range l.workerShifts(w) {
		if sj == si {
			continue
		}
		if sj == from {
			if s, ok := l.lawSpan(sj, fromRR); ok {
				ss = append(ss, s)
			}
			continue
		}
		if s, ok := l.spanNow(sj); ok {
			ss = append(ss, s)
		}
	}
	if !contract && (len(ss) == 0 || len(ss) == 1 && (rules.MaxWeekly <= 0 || ss[0].work <= rules.MaxWeekly.Std())) {
		return liveLaw{}, false
	}
	slices.SortFunc(ss, func(a, b span) int { return a.depart.Compare(b.depart) })
	saved := e.rep
	e.rep = &Report{}
	if len(ss) > 0 {
		e.dailyRest(w, ss)
		e.weekly(w, ss)
		e.consecutiveDays(w, ss)
	}
	st := liveLaw{viol: e.rep.Violations, overtime: e.rep.Objective.Overtime}
	e.rep = saved
	e.addUndertime(w, ss, &st.undertime)
	return st, true
}
