package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Tolerance is the slack Evaluate allows when it compares two instants or
// durations: one microsecond. Travel times come from a Matrix in float64
// seconds and are converted to time.Duration by rounding to the nearest
// nanosecond (TravelDuration), so sums of legs can differ from a planner's
// own arithmetic by a few nanoseconds.
const Tolerance = time.Microsecond

// distanceTolerance is the relative slack when a leg's stated distance is
// compared with the matrix.
const distanceTolerance = 1e-9

// TravelDuration converts a travel time in float64 seconds, as a Matrix
// holds it, to a time.Duration by rounding to the nearest nanosecond. Both
// Evaluate and Solve use this conversion.
func TravelDuration(seconds float64) time.Duration {
	return time.Duration(math.Round(seconds * 1e9))
}

// ViolationKind is a machine-readable code for a breach found by Evaluate.
type ViolationKind string

// Kinds of violation. All are hard (the rota is not feasible) except
// TargetMissed, UnlistedUnassigned, and the working-time kinds whose rule is
// listed in the rules' Soft limits.
const (
	// UnknownVisit: a route, assignment or unassigned entry names a visit the problem does not have.
	UnknownVisit ViolationKind = "unknown_visit"
	// UnknownShift: a route names a shift the problem does not have.
	UnknownShift ViolationKind = "unknown_shift"
	// WrongWorker: a route's worker is not its shift's worker.
	WrongWorker ViolationKind = "wrong_worker"
	// DuplicateShift: two routes use the same shift.
	DuplicateShift ViolationKind = "duplicate_shift"
	// DuplicateVisit: a visit appears twice in the same route, is served twice by one worker,
	// or is booked by two assignments.
	DuplicateVisit ViolationKind = "duplicate_visit"
	// CarersCount: a visit is served by a number of workers other than the number it needs.
	CarersCount ViolationKind = "carers_count"
	// NotTogether: the workers of a double-handed visit start it further apart than Problem.TogetherTolerance.
	NotTogether ViolationKind = "not_together"
	// AssignmentMismatch: the assignments disagree with the routes (missing, or other workers).
	AssignmentMismatch ViolationKind = "assignment_mismatch"
	// RoutedButUnassigned: a visit is listed as unassigned but a route serves it.
	RoutedButUnassigned ViolationKind = "routed_but_unassigned"
	// UnlistedUnassigned (soft): a visit no route serves is missing from Rota.Unassigned.
	UnlistedUnassigned ViolationKind = "unlisted_unassigned"
	// MissingSkill: the worker lacks a required skill (or seat skill) valid at the start of service.
	MissingSkill ViolationKind = "missing_skill"
	// ExcludedWorker: the worker is excluded by the visit or by the service user's preferences.
	ExcludedWorker ViolationKind = "excluded_worker"
	// NotPinned: the visit is pinned to other workers.
	NotPinned ViolationKind = "not_pinned"
	// OnLeave: the worker is on leave during the visit.
	OnLeave ViolationKind = "on_leave"
	// OverCapacity: a route's total Load exceeds its shift's Capacity.
	OverCapacity ViolationKind = "over_capacity"
	// ShiftStartEarly: a route's first leg departs before its shift starts.
	ShiftStartEarly ViolationKind = "shift_start"
	// ShiftEndLate: a route returns to its shift's end place after the shift ends.
	ShiftEndLate ViolationKind = "shift_end"
	// OverMaxShift: a route's working time exceeds Rules.MaxShift (soft when listed in Rules.Soft).
	OverMaxShift ViolationKind = "max_shift"
	// WindowMissed: service cannot start within any of the visit's windows.
	WindowMissed ViolationKind = "window_missed"
	// TargetMissed (soft): service starts after the chosen window's Target.
	TargetMissed ViolationKind = "target_missed"
	// LegMismatch: a route's Legs disagree with the recomputed journey.
	LegMismatch ViolationKind = "leg_mismatch"
	// StartMismatch: an assignment's planned Start is earlier than service can start.
	StartMismatch ViolationKind = "start_mismatch"
	// DependencyBroken: a served visit breaks one of its Dependencies: it starts too soon or
	// too late after the visit it depends on ends, the worker relation does not hold, or the
	// visit it depends on is not served (see EvaluateWith for the exact reading).
	DependencyBroken ViolationKind = "dependency"
	// BreakMisplaced: a route's planned break is not inside a recomputed wait before a visit
	// (it overlaps travel or a visit, or lies outside the route's span).
	BreakMisplaced ViolationKind = "break_misplaced"
	// MissingBreak: a route working more than Rules.BreakAfter has no idle interval of
	// Rules.BreakLength (within the shift's break windows when it declares them).
	// Soft when "break_after" or "break_length" is listed in Rules.Soft.
	MissingBreak ViolationKind = "missing_break"
	// ShortDailyRest: a worker rests less than Rules.MinDailyRest between routes starting on
	// different local days. Soft when "min_daily_rest" is listed in Rules.Soft.
	ShortDailyRest ViolationKind = "min_daily_rest"
	// OverMaxWeekly: a worker works more than Rules.MaxWeekly in a 7-day window from the
	// horizon's start. Soft when "max_weekly" is listed in Rules.Soft.
	OverMaxWeekly ViolationKind = "max_weekly"
	// TooManyDays: a worker works more than Rules.MaxConsecutiveDays consecutive local days.
	// Soft when "max_consecutive_days" is listed in Rules.Soft.
	TooManyDays ViolationKind = "max_consecutive_days"
	// WrongRole: the worker's role may not serve the visit: nursing, chiropody and
	// befriending visits (by kind or required skill) need a nurse, a chiropodist and a
	// befriender.
	WrongRole ViolationKind = "wrong_role"
)

// Violation is one breach found by Evaluate. IDs are empty when they do not
// apply; Detail holds times and amounts, never personal details.
type Violation struct {
	Kind   ViolationKind    `json:"kind"`             // what was breached
	Hard   bool             `json:"hard"`             // true = the rota is infeasible (see Feasible); false = a soft breach
	Visit  schedule.VisitID `json:"visit,omitempty"`  // the visit concerned; "" = none
	Worker care.WorkerID    `json:"worker,omitempty"` // the worker concerned; "" = none
	Shift  schedule.ShiftID `json:"shift,omitempty"`  // the shift concerned; "" = none
	Detail string           `json:"detail"`           // times and amounts, IDs only
}

// String formats the violation with its IDs, e.g.
// `window_missed: visit "v17" worker "w2" shift "s4": start 09:12 after latest 09:00`.
func (v Violation) String() string {
	s := string(v.Kind) + ":"
	if v.Visit != "" {
		s += fmt.Sprintf(" visit %q", v.Visit)
	}
	if v.Worker != "" {
		s += fmt.Sprintf(" worker %q", v.Worker)
	}
	if v.Shift != "" {
		s += fmt.Sprintf(" shift %q", v.Shift)
	}
	if !v.Hard {
		s += " (soft)"
	}
	return s + ": " + v.Detail
}

// StopReport is the recomputed timing of one visit in one route.
type StopReport struct {
	Visit  schedule.VisitID `json:"visit"`  // the visit made
	Worker care.WorkerID    `json:"worker"` // the route's worker
	Shift  schedule.ShiftID `json:"shift"`  // the route's shift
	// Window is the index in Visit.Windows of the window used: the first whose Latest is not
	// before the earliest possible start (the last window when none is, with WindowMissed).
	Window   int           `json:"window"`
	Arrival  time.Time     `json:"arrival"`  // when the worker reaches the visit's place
	Start    time.Time     `json:"start"`    // start of service
	End      time.Time     `json:"end"`      // Start + Duration
	Wait     time.Duration `json:"wait"`     // Start - Arrival
	Travel   time.Duration `json:"travel"`   // travel time of the leg into this stop
	Distance float64       `json:"distance"` // distance of the leg into this stop, in metres (plane units on Euclidean problems)
	// Late is how long after the window's Target service starts (0 without a Target).
	Late time.Duration `json:"late,omitempty"`
}

// RouteReport is the recomputed journey of one route.
type RouteReport struct {
	Worker      care.WorkerID    `json:"worker"`       // the route's worker
	Shift       schedule.ShiftID `json:"shift"`        // the route's shift
	Depart      time.Time        `json:"depart"`       // leaves the start place
	Return      time.Time        `json:"return"`       // reaches the end place
	Travel      time.Duration    `json:"travel"`       // total travel time, including the return to the end place
	Distance    float64          `json:"distance"`     // total distance in metres (plane units on Euclidean problems)
	Service     time.Duration    `json:"service"`      // total time of service at the visits
	Wait        time.Duration    `json:"wait"`         // total waiting before service starts
	WorkingTime time.Duration    `json:"working_time"` // Return - Depart
	Load        int64            `json:"load"`         // total Load of the visits, against Shift.Capacity
	Stops       []StopReport     `json:"stops"`        // one per visit, in route order
	// Legs are the recomputed legs, in the layout of schedule.Route.Legs.
	Legs []schedule.Leg `json:"legs,omitempty"`
}

// Totals sum the routes of a report.
type Totals struct {
	// Distance in metres, or plane units on Euclidean problems.
	Distance    float64       `json:"distance"`
	TravelTime  time.Duration `json:"travel_time"`  // over all routes
	WorkingTime time.Duration `json:"working_time"` // over all routes, Return - Depart each
	WaitTime    time.Duration `json:"wait_time"`    // over all routes
	Late        time.Duration `json:"late"`         // time after Target, over all stops
	// ShiftsUsed counts routes with at least one visit; Workers the distinct workers among them.
	ShiftsUsed int `json:"shifts_used"`
	Workers    int `json:"workers"`    // see ShiftsUsed
	Served     int `json:"served"`     // visits with at least one worker
	Unassigned int `json:"unassigned"` // visits with no worker
	// UnassignedByPriority counts unserved visits per priority.
	UnassignedByPriority map[int]int `json:"unassigned_by_priority,omitempty"`
}

// Objective is the cost of a rota under Problem.Weights, term by term.
type Objective struct {
	Unassigned  float64 `json:"unassigned"`   // Weights.Unassigned × (1 + priority) per unserved visit
	Shifts      float64 `json:"shifts"`       // Weights.Shift + Shift.Cost per used shift
	TravelTime  float64 `json:"travel_time"`  // Weights.TravelTime per minute
	Distance    float64 `json:"distance"`     // Weights.Distance per km (per unit on Euclidean problems)
	WorkingTime float64 `json:"working_time"` // Weights.WorkingTime per minute of Return - Depart
	Lateness    float64 `json:"lateness"`     // (Weights.Lateness + window PenaltyPerMinute) per minute after Target
	Continuity  float64 `json:"continuity"`   // Weights.Continuity per distinct worker beyond the first, per service user
	Preferred   float64 `json:"preferred"`    // -Weights.Preferred per visit served by a preferred worker
	// Overtime is Weights.Overtime per minute beyond contracted minutes in each 7-day window
	// and per minute of excess (or shortfall) on the working-time limits listed in Rules.Soft.
	Overtime float64 `json:"overtime"`
	// Undertime is Weights.Undertime per minute below contracted minutes in each 7-day
	// window (the target prorated for a window cut short by the horizon's End).
	Undertime float64 `json:"undertime"`
	// Fairness is Weights.Fairness times the population standard deviation, over the workers
	// with at least one shift in the problem, of prior minutes plus working minutes.
	Fairness float64 `json:"fairness"`
	Total    float64 `json:"total"` // the sum of the terms above
}

// Report is the outcome of Evaluate.
type Report struct {
	Routes     []RouteReport `json:"routes"`               // one per route of the rota, in its order
	Totals     Totals        `json:"totals"`               // sums over the routes and visits
	Objective  Objective     `json:"objective"`            // the cost, term by term
	Violations []Violation   `json:"violations,omitempty"` // every breach found, hard and soft; empty = none
}

// Hard returns the hard violations.
func (r *Report) Hard() []Violation {
	var out []Violation
	for _, v := range r.Violations {
		if v.Hard {
			out = append(out, v)
		}
	}
	return out
}

// Feasible reports whether the rota has no hard violation.
func (r *Report) Feasible() bool { return len(r.Hard()) == 0 }

// HardError returns nil when the rota is feasible, else an error listing the
// hard violations (up to ten), matching ErrInfeasible.
func (r *Report) HardError() error { return r.HardErrorExcept() }

// HardErrorExcept is HardError with the hard violations of the given kinds
// left out: a planner that does not yet plan some rules can check that it
// broke none of the others (the Report still lists every violation).
func (r *Report) HardErrorExcept(kinds ...ViolationKind) error {
	h := slices.DeleteFunc(r.Hard(), func(v Violation) bool { return slices.Contains(kinds, v.Kind) })
	if len(h) == 0 {
		return nil
	}
	errs := []error{fmt.Errorf("%w: %d hard violations", ErrInfeasible, len(h))}
	for i, v := range h {
		if i == 10 {
			errs = append(errs, fmt.Errorf("… and %d more", len(h)-10))
			break
		}
		errs = append(errs, errors.New(v.String()))
	}
	return errors.Join(errs...)
}

// ErrInfeasible is matched by Report.HardError when a rota breaks a hard rule.
var ErrInfeasible = errors.New("rota breaks hard rules")

// Evaluate recomputes a rota from scratch with the problem's own travel model
// (FromProblem). See EvaluateWith.
func Evaluate(p *schedule.Problem, r *schedule.Rota) (*Report, error) {
	return EvaluateWith(context.Background(), p, r, nil)
}

// EvaluateWith recomputes every route of r against p, measuring travel with
// prov (nil = FromProblem(p)), and lists every violation. The error is
// non-nil only when the evaluation cannot be made at all: a nil or invalid
// problem, a nil rota, or travel that cannot be measured. Problems with the
// rota itself are reported as violations.
//
// Timing model. A route's visits are served in the route's order. With
// departure D from the shift's start place, each visit's arrival is the
// previous visit's end (or D) plus the travel time; its service starts at
// the latest of the arrival, the assignment's planned Start (when not zero)
// and the chosen window's Earliest; the window chosen is the first, in the
// visit's order, whose Latest is not before max(arrival, planned Start). The
// route returns to the shift's end place after the last visit plus travel.
// D is the shift's Start, made later by the wait at the first visit: the
// worker leaves just in time for the first visit's service start, so a
// planned Start on the first visit moves the departure, and no other wait
// is removed. Working time is the span from D to the return. A visit's end
// is its start plus its Duration or, for a double-handed visit with
// SeatDurations, plus the duration of the seat the worker takes: the
// worker's index in the visit's Assignment.Workers (a worker the assignment
// does not list is given Duration, the longest seat).
//
// Dependencies (DependencyBroken). A served visit B with a Dependency on A
// needs A served too: a dependency on an unserved visit is a breach, since B
// cannot be shown to respect it (B unserved: nothing is checked). Every
// worker's start of B must be at least MinGap and, when MaxGap is set, at
// most MaxGap after every worker's end of A (that worker's start plus their
// seat's duration) or, for From "start", every worker's start of A; so for
// double-handed visits the earliest start of B is measured from the latest
// end (start) of A, and the latest start of B from the earliest end (start)
// of A. The worker relation compares the sets of workers: SameWorker holds
// when at least one worker serves both visits, DifferentWorker when no worker
// serves both.
//
// Eligibility (WrongRole). Nursing, chiropody and befriending visits, by
// Kind or by a required skill (care.SkillNursing, SkillChiropody,
// SkillBefriending), may be served only by workers of role nurse,
// chiropodist and befriender. A seat of a double-handed visit whose
// SeatSkills hold such a skill needs a worker of that role (MissingSkill
// when no order of the two workers fills both seats; with SeatDurations the
// order is the assignment's).
//
// Working-time law, per worker over all their routes (hard unless the rule's
// JSON name is listed in Rules.Soft; a soft breach is a soft violation and
// costs Weights.Overtime per minute of excess or shortfall). A young worker
// (care.Worker.YoungWorker) gets Problem.Rules.ForYoungWorker (the stricter
// of Problem.Rules and schedule.UKYoungWorkerDefaults for each limit), as
// package compliance does:
//   - max_shift: each route's working time (Return - Depart) is at most MaxShift.
//   - breaks (missing_break, soft when "break_after" or "break_length" is soft):
//     a route whose working time exceeds BreakAfter needs an idle interval of
//     at least BreakLength: a wait at a stop (from arriving to starting
//     service; the first stop never waits, as the worker leaves just in
//     time). This is package compliance's reading (WTR-BREAK: an idle gap
//     between activities counts as the break). When the shift declares
//     Breaks, the break must start within one of their [Earliest, Latest]
//     windows and last the longer of BreakLength and that break's Length.
//     Planned breaks (Route.Breaks) must each lie inside such a wait
//     (break_misplaced otherwise); they label the wait, they do not move any
//     time. To make room for a break a planner plans the next visit's Start
//     later. Soft cost: the minutes missing from the best candidate.
//   - min_daily_rest: between two routes starting on different local days,
//     the time from the latest return so far to the next departure is at
//     least MinDailyRest (compliance WTR-11 reads it the same way).
//   - max_weekly: in each 7-day window from Problem.Start (the last one cut
//     at End), the working time is at most MaxWeekly. Working time here is
//     Return - Depart less the lengths of the shift's declared (unpaid)
//     Breaks, as compliance counts it; a route crossing a window's edge is
//     shared in proportion to its time on each side.
//   - max_consecutive_days: the local days on which the worker's routes
//     depart form runs of at most MaxConsecutiveDays consecutive days. Soft
//     cost: the working minutes of the routes departing on the days beyond.
//
// Soft terms beyond those of part 1: Overtime also costs every minute of
// working time (as for max_weekly) beyond the worker's
// ContractedMinutesPerWeek in each 7-day window (0 = no contract);
// Undertime costs Weights.Undertime per minute below it, for every worker
// with a contract and a shift (a window cut short by End prorates the
// target: contracted × its length / 7 days); Fairness is Weights.Fairness
// times the population standard deviation, over the workers with at least
// one shift in the problem (an available worker left idle counts), of
// care.Worker.PriorMinutes (history from earlier weeks) plus the working
// minutes (Return - Depart) of their routes.
//
// Not checked here: the gender and language preferences.
func EvaluateWith(ctx context.Context, p *schedule.Problem, r *schedule.Rota, prov MatrixProvider) (*Report, error) {
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	if r == nil {
		return nil, care.Invalid("", "", "rota", "nil")
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	pl, m, err := ProblemMatrix(ctx, p, prov)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	e := newEvaluation(p, r, pl, m)
	e.run()
	return e.rep, nil
}

// evaluation holds the lookups of one Evaluate call.
type evaluation struct {
	p        *schedule.Problem
	r        *schedule.Rota
	pl       *Places
	m        *Matrix
	visitIdx map[schedule.VisitID]int
	shiftIdx map[schedule.ShiftID]int
	workers  map[care.WorkerID]*care.Worker
	users    map[care.ServiceUserID]*care.ServiceUser
	assigned map[schedule.VisitID]*schedule.Assignment
	rep      *Report
	loc      *time.Location // the problem's time zone, for details
	// servers[v] lists the workers whose routes serve visit v; starts[v] their start times.
	servers [][]care.WorkerID
	starts  [][]time.Time
	// spans lists each worker's working spans (routes with visits).
	spans map[care.WorkerID][]span
}

func newEvaluation(p *schedule.Problem, r *schedule.Rota, pl *Places, m *Matrix) *evaluation {
	e := &evaluation{
		p: p, r: r, pl: pl, m: m,
		visitIdx: make(map[schedule.VisitID]int, len(p.Visits)),
		shiftIdx: make(map[schedule.ShiftID]int, len(p.Shifts)),
		workers:  make(map[care.WorkerID]*care.Worker, len(p.Workers)),
		users:    make(map[care.ServiceUserID]*care.ServiceUser, len(p.ServiceUsers)),
		assigned: make(map[schedule.VisitID]*schedule.Assignment, len(r.Assignments)),
		rep:      &Report{},
		servers:  make([][]care.WorkerID, len(p.Visits)),
		starts:   make([][]time.Time, len(p.Visits)),
		loc:      time.UTC,
		spans:    map[care.WorkerID][]span{},
	}
	if loc, err := p.Loc(); err == nil {
		e.loc = loc
	}
	for i := range p.Visits {
		e.visitIdx[p.Visits[i].ID] = i
	}
	for i := range p.Shifts {
		e.shiftIdx[p.Shifts[i].ID] = i
	}
	for i := range p.Workers {
		e.workers[p.Workers[i].ID] = &p.Workers[i]
	}
	for i := range p.ServiceUsers {
		e.users[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	return e
}

func (e *evaluation) add(kind ViolationKind, hard bool, visit schedule.VisitID, worker care.WorkerID, shift schedule.ShiftID, format string, args ...any) {
	e.rep.Violations = append(e.rep.Violations, Violation{Kind: kind, Hard: hard, Visit: visit, Worker: worker, Shift: shift, Detail: fmt.Sprintf(format, args...)})
}

func (e *evaluation) fmtTime(t time.Time) string {
	return t.In(e.loc).Format("2006-01-02 15:04:05.000")
}

func (e *evaluation) run() {
	for i := range e.r.Assignments {
		a := &e.r.Assignments[i]
		if _, ok := e.visitIdx[a.Visit]; !ok {
			e.add(UnknownVisit, true, a.Visit, "", "", "assignment %d names an unknown visit", i)
			continue
		}
		if _, dup := e.assigned[a.Visit]; dup {
			e.add(DuplicateVisit, true, a.Visit, "", "", "booked by two assignments")
			continue
		}
		e.assigned[a.Visit] = a
	}
	usedShift := map[schedule.ShiftID]int{}
	for ri := range e.r.Routes {
		rt := &e.r.Routes[ri]
		si, ok := e.shiftIdx[rt.Shift]
		if !ok {
			e.add(UnknownShift, true, "", rt.Worker, rt.Shift, "route %d names an unknown shift", ri)
			continue
		}
		if prev, dup := usedShift[rt.Shift]; dup {
			e.add(DuplicateShift, true, "", rt.Worker, rt.Shift, "routes %d and %d use the same shift", prev, ri)
			continue
		}
		usedShift[rt.Shift] = ri
		sh := &e.p.Shifts[si]
		if rt.Worker != sh.Worker {
			e.add(WrongWorker, true, "", rt.Worker, rt.Shift, "the shift belongs to worker %q", sh.Worker)
		}
		e.route(rt, si)
	}
	e.crossChecks()
	e.dependencies()
	e.law()
	e.objective()
}

// route recomputes one route and appends its report.
func (e *evaluation) route(rt *schedule.Route, si int) {
	sh := &e.p.Shifts[si]
	worker := sh.Worker // checks use the shift's worker; WrongWorker is reported separately
	w := e.workers[worker]
	mode := e.pl.Modes[e.pl.ShiftMode[si]]
	rr := RouteReport{Worker: rt.Worker, Shift: rt.Shift}
	seen := map[schedule.VisitID]bool{}
	var idx []int
	for _, id := range rt.Visits {
		v, ok := e.visitIdx[id]
		if !ok {
			e.add(UnknownVisit, true, id, rt.Worker, rt.Shift, "the route names an unknown visit")
			continue
		}
		if seen[id] {
			e.add(DuplicateVisit, true, id, rt.Worker, rt.Shift, "the visit appears twice in the route")
			continue
		}
		seen[id] = true
		idx = append(idx, v)
	}
	if len(idx) == 0 {
		e.rep.Routes = append(e.rep.Routes, rr)
		return
	}
	travel := func(from, to int) (time.Duration, float64) {
		if from < 0 || to < 0 {
			return 0, 0
		}
		s, d, err := e.m.Lookup(mode, from, to)
		if err != nil {
			return 0, 0
		}
		return TravelDuration(s), d
	}
	// Forward pass from the shift's start.
	clock := sh.Start
	at := e.pl.ShiftStart[si]
	for _, v := range idx {
		vis := &e.p.Visits[v]
		tt, dd := travel(at, e.pl.Visit[v])
		st := StopReport{Visit: vis.ID, Worker: rt.Worker, Shift: rt.Shift, Travel: tt, Distance: dd}
		st.Arrival = clock.Add(tt)
		ready := st.Arrival
		a := e.assigned[vis.ID]
		if a != nil && !a.Start.IsZero() {
			if a.Start.After(ready) {
				ready = a.Start
			}
		}
		st.Window = len(vis.Windows) - 1
		for wi, win := range vis.Windows {
			if !win.Latest.Add(Tolerance).Before(ready) {
				st.Window = wi
				break
			}
		}
		win := vis.Windows[st.Window]
		st.Start = ready
		if win.Earliest.After(st.Start) {
			st.Start = win.Earliest
		}
		if st.Start.After(win.Latest.Add(Tolerance)) {
			e.add(WindowMissed, true, vis.ID, rt.Worker, rt.Shift, "start %s after the latest start %s of window %d",
				e.fmtTime(st.Start), e.fmtTime(win.Latest), st.Window+1)
		}
		if a != nil && !a.Start.IsZero() && a.Start.Before(st.Start.Add(-Tolerance)) {
			e.add(StartMismatch, true, vis.ID, rt.Worker, rt.Shift, "planned start %s before service can start %s", e.fmtTime(a.Start), e.fmtTime(st.Start))
		}
		if win.Target != nil && st.Start.After(win.Target.Add(Tolerance)) {
			st.Late = st.Start.Sub(*win.Target)
			e.add(TargetMissed, false, vis.ID, rt.Worker, rt.Shift, "start %s is %s after the target %s", e.fmtTime(st.Start), st.Late, e.fmtTime(*win.Target))
		}
		st.Wait = st.Start.Sub(st.Arrival)
		st.End = st.Start.Add(e.seatDuration(vis, rt.Worker))
		clock = st.End
		at = e.pl.Visit[v]
		rr.Stops = append(rr.Stops, st)
	}
	// Leave just in time for the first visit.
	rr.Depart = sh.Start
	if first := &rr.Stops[0]; first.Wait > 0 {
		rr.Depart = rr.Depart.Add(first.Wait)
		first.Arrival = first.Start
		first.Wait = 0
	}
	tt, dd := travel(at, e.pl.ShiftEnd[si])
	rr.Return = clock.Add(tt)
	rr.Travel, rr.Distance = tt, dd
	for k, st := range rr.Stops {
		vis := &e.p.Visits[idx[k]]
		rr.Travel += st.Travel
		rr.Distance += st.Distance
		rr.Wait += st.Wait
		rr.Service += st.End.Sub(st.Start)
		rr.Load += vis.Load
		e.servers[idx[k]] = append(e.servers[idx[k]], rt.Worker)
		e.starts[idx[k]] = append(e.starts[idx[k]], st.Start)
		e.people(vis, w, rt, st)
	}
	rr.WorkingTime = rr.Return.Sub(rr.Depart)
	rr.Legs = makeLegs(rr, tt, dd)
	if rr.Return.After(sh.End.Add(Tolerance)) {
		e.add(ShiftEndLate, true, "", rt.Worker, rt.Shift, "returns %s after the shift ends %s", e.fmtTime(rr.Return), e.fmtTime(sh.End))
	}
	if sh.Capacity > 0 && rr.Load > sh.Capacity {
		e.add(OverCapacity, true, "", rt.Worker, rt.Shift, "load %d exceeds capacity %d", rr.Load, sh.Capacity)
	}
	e.maxShift(rt, worker, &rr)
	e.checkLegs(rt, rr, sh)
	e.breaks(rt, sh, &rr)
	work := rr.WorkingTime
	for _, b := range sh.Breaks {
		work -= b.Length.Std()
	}
	e.spans[worker] = append(e.spans[worker], span{shift: rt.Shift, depart: rr.Depart, return_: rr.Return, work: max(work, 0)})
	e.rep.Routes = append(e.rep.Routes, rr)
}

// maxShift checks a route's working time against Rules.MaxShift for worker
// (stricter for a young worker); soft: the excess costs Weights.Overtime.
func (e *evaluation) maxShift(rt *schedule.Route, worker care.WorkerID, rr *RouteReport) {
	if mx := e.rulesFor(worker).MaxShift.Std(); mx > 0 && rr.WorkingTime > mx+Tolerance {
		soft := e.soft("max_shift")
		e.add(OverMaxShift, !soft, "", rt.Worker, rt.Shift,
			"working time %s exceeds the maximum shift %s", rr.WorkingTime, mx)
		if soft {
			e.overtime(rr.WorkingTime - mx)
		}
	}
}

// makeLegs lays out the recomputed journey as schedule legs.
func makeLegs(rr RouteReport, lastTravel time.Duration, lastDist float64) []schedule.Leg {
	legs := make([]schedule.Leg, 0, len(rr.Stops)+1)
	from, depart := schedule.VisitID(""), rr.Depart
	for _, st := range rr.Stops {
		legs = append(legs, schedule.Leg{From: from, To: st.Visit, Depart: depart, Arrive: st.Arrival,
			Travel: schedule.Duration(st.Travel), Distance: st.Distance, Wait: schedule.Duration(st.Wait)})
		from, depart = st.Visit, st.End
	}
	legs = append(legs, schedule.Leg{From: from, Depart: depart, Arrive: rr.Return, Travel: schedule.Duration(lastTravel), Distance: lastDist})
	return legs
}

// checkLegs compares the rota's legs, when given, with the recomputed ones.
// A leg's Wait is not compared for the last leg (its meaning, waiting until
// the shift ends, is optional).
func (e *evaluation) checkLegs(rt *schedule.Route, rr RouteReport, sh *schedule.Shift) {
	if len(rt.Legs) == 0 {
		return
	}
	if len(rt.Legs) > 0 && rt.Legs[0].Depart.Before(sh.Start.Add(-Tolerance)) {
		e.add(ShiftStartEarly, true, "", rt.Worker, rt.Shift, "departs %s before the shift starts %s", e.fmtTime(rt.Legs[0].Depart), e.fmtTime(sh.Start))
	}
	if len(rt.Legs) != len(rr.Legs) {
		e.add(LegMismatch, true, "", rt.Worker, rt.Shift, "%d legs for %d recomputed", len(rt.Legs), len(rr.Legs))
		return
	}
	near := func(a, b time.Time) bool { d := a.Sub(b); return d <= Tolerance && d >= -Tolerance }
	for i, got := range rt.Legs {
		want := rr.Legs[i]
		var what string
		switch {
		case got.From != want.From || got.To != want.To:
			what = fmt.Sprintf("from %q to %q, recomputed from %q to %q", got.From, got.To, want.From, want.To)
		case !near(got.Depart, want.Depart):
			what = fmt.Sprintf("departs %s, recomputed %s", e.fmtTime(got.Depart), e.fmtTime(want.Depart))
		case !near(got.Arrive, want.Arrive):
			what = fmt.Sprintf("arrives %s, recomputed %s", e.fmtTime(got.Arrive), e.fmtTime(want.Arrive))
		case math.Abs(float64(got.Travel-want.Travel)) > float64(Tolerance):
			what = fmt.Sprintf("travel %s, recomputed %s", got.Travel, want.Travel)
		case math.Abs(got.Distance-want.Distance) > distanceTolerance*math.Max(1, want.Distance):
			what = fmt.Sprintf("distance %v, recomputed %v", got.Distance, want.Distance)
		case i < len(rt.Legs)-1 && math.Abs(float64(got.Wait-want.Wait)) > float64(Tolerance):
			what = fmt.Sprintf("wait %s, recomputed %s", got.Wait, want.Wait)
		default:
			continue
		}
		e.add(LegMismatch, true, want.To, rt.Worker, rt.Shift, "leg %d %s", i+1, what)
		return
	}
}

// people checks the worker against the visit: skills, exclusions, pins, leave.
func (e *evaluation) people(vis *schedule.Visit, w *care.Worker, rt *schedule.Route, st StopReport) {
	if w == nil {
		return
	}
	for _, s := range vis.Skills {
		if !w.HasSkill(s, st.Start) {
			e.add(MissingSkill, true, vis.ID, w.ID, rt.Shift, "no valid qualification %q at %s", s, e.fmtTime(st.Start))
		}
	}
	if need := roleFor(vis); need != "" && w.Role != need {
		e.add(WrongRole, true, vis.ID, w.ID, rt.Shift, "a %s visit needs a worker of role %s, not %s", vis.Kind, need, w.Role)
	}
	if slices.Contains(vis.Excluded, w.ID) {
		e.add(ExcludedWorker, true, vis.ID, w.ID, rt.Shift, "the visit excludes the worker")
	}
	if u := e.users[vis.ServiceUser]; u != nil && slices.Contains(u.Preferences.ExcludedWorkers, w.ID) {
		e.add(ExcludedWorker, true, vis.ID, w.ID, rt.Shift, "service user %q excludes the worker", vis.ServiceUser)
	}
	if len(vis.Pinned) > 0 && !slices.Contains(vis.Pinned, w.ID) {
		e.add(NotPinned, true, vis.ID, w.ID, rt.Shift, "the visit is pinned to %v", vis.Pinned)
	}
	for _, l := range e.p.Leave {
		if l.Worker == w.ID && st.Start.Before(l.To) && l.From.Before(st.End) {
			e.add(OnLeave, true, vis.ID, w.ID, rt.Shift, "on leave %s to %s", e.fmtTime(l.From), e.fmtTime(l.To))
		}
	}
}

// crossChecks compares routes, assignments and the unassigned list, and the
// carers of each visit.
func (e *evaluation) crossChecks() {
	listed := map[schedule.VisitID]bool{}
	for _, u := range e.r.Unassigned {
		v, ok := e.visitIdx[u.Visit]
		if !ok {
			e.add(UnknownVisit, true, u.Visit, "", "", "the unassigned list names an unknown visit")
			continue
		}
		listed[u.Visit] = true
		if len(e.servers[v]) > 0 {
			e.add(RoutedButUnassigned, true, u.Visit, e.servers[v][0], "", "listed as unassigned (%s) but served", u.Reason)
		}
	}
	for v := range e.p.Visits {
		vis := &e.p.Visits[v]
		got := e.servers[v]
		a := e.assigned[vis.ID]
		if len(got) == 0 {
			if !listed[vis.ID] {
				e.add(UnlistedUnassigned, false, vis.ID, "", "", "no route serves the visit and it is not listed as unassigned")
			}
			if a != nil && len(a.Workers) > 0 {
				e.add(AssignmentMismatch, true, vis.ID, a.Workers[0], "", "assigned to %v but no route serves it", a.Workers)
			}
			continue
		}
		distinct := slices.Clone(got)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct)
		if len(distinct) < len(got) {
			e.add(DuplicateVisit, true, vis.ID, got[0], "", "served twice by the same worker")
		}
		if need := vis.CarersNeeded(); len(got) != need {
			e.add(CarersCount, true, vis.ID, got[0], "", "served by %d workers, needs %d", len(got), need)
		}
		if len(got) > 1 {
			lo, hi := slices.MinFunc(e.starts[v], time.Time.Compare), slices.MaxFunc(e.starts[v], time.Time.Compare)
			if hi.Sub(lo) > e.p.TogetherTolerance.Std()+Tolerance {
				e.add(NotTogether, true, vis.ID, got[0], "", "workers start between %s and %s", e.fmtTime(lo), e.fmtTime(hi))
			}
			e.seats(vis, got)
		}
		switch {
		case a == nil:
			e.add(AssignmentMismatch, true, vis.ID, got[0], "", "served but has no assignment")
		default:
			want := slices.Clone(a.Workers)
			slices.Sort(want)
			if !slices.Equal(want, distinct) {
				e.add(AssignmentMismatch, true, vis.ID, got[0], "", "assigned to %v but served by %v", a.Workers, distinct)
			}
		}
	}
}

// seatDuration returns how long worker w serves vis: the visit's Duration,
// or, when it has SeatDurations, that of the seat w takes, which is w's
// index in the visit's assignment (schedule.Visit.SeatDurations). A worker
// the assignment does not list (an AssignmentMismatch, reported elsewhere)
// serves the longest seat, Duration.
func (e *evaluation) seatDuration(vis *schedule.Visit, w care.WorkerID) time.Duration {
	return seatDuration(vis, e.assigned[vis.ID], w)
}

// seatDuration returns how long worker w serves vis under assignment a
// (nil: none): with SeatDurations, the duration of w's seat, w's index in
// a.Workers; else, or when a does not list w, the visit's Duration.
func seatDuration(vis *schedule.Visit, a *schedule.Assignment, w care.WorkerID) time.Duration {
	if len(vis.SeatDurations) > 0 && a != nil {
		if i := slices.Index(a.Workers, w); i >= 0 {
			return vis.SeatDuration(i).Std()
		}
	}
	return vis.Duration.Std()
}

// seats checks a double-handed visit's seat skills: some order of the
// workers must give each seat a worker holding its skills at the start and,
// when a seat asks for nursing, chiropody or befriending, of the role that
// skill is restricted to. A visit with SeatDurations fixes the order: the
// assignment's, as its durations are read (seatDuration).
func (e *evaluation) seats(vis *schedule.Visit, got []care.WorkerID) {
	if len(vis.SeatSkills) != 2 || len(got) != 2 {
		return
	}
	if a := e.assigned[vis.ID]; len(vis.SeatDurations) > 0 && a != nil && len(a.Workers) == 2 {
		got = a.Workers
	}
	start := e.starts[e.visitIdx[vis.ID]][0]
	holds := func(w care.WorkerID, seat int) bool {
		wk := e.workers[w]
		if wk == nil {
			return false
		}
		if need := roleForSkills(vis.SeatSkills[seat]); need != "" && wk.Role != need {
			return false
		}
		for _, s := range vis.SeatSkills[seat] {
			if !wk.HasSkill(s, start) {
				return false
			}
		}
		return true
	}
	if !(holds(got[0], 0) && holds(got[1], 1)) && (len(vis.SeatDurations) > 0 || !(holds(got[1], 0) && holds(got[0], 1))) {
		e.add(MissingSkill, true, vis.ID, got[0], "", "workers %v cannot fill the seats' skills", got)
	}
}

// objective fills the totals and the objective terms.
func (e *evaluation) objective() {
	wt := e.p.Weights
	t := &e.rep.Totals
	o := &e.rep.Objective
	workers := map[care.WorkerID]bool{}
	for i := range e.rep.Routes {
		rr := &e.rep.Routes[i]
		if len(rr.Stops) == 0 {
			continue
		}
		t.ShiftsUsed++
		workers[rr.Worker] = true
		t.Distance += rr.Distance
		t.TravelTime += rr.Travel
		t.WorkingTime += rr.WorkingTime
		t.WaitTime += rr.Wait
		if si, ok := e.shiftIdx[rr.Shift]; ok {
			o.Shifts += wt.Shift + e.p.Shifts[si].Cost
		}
		for _, st := range rr.Stops {
			t.Late += st.Late
			if st.Late > 0 {
				vis := &e.p.Visits[e.visitIdx[st.Visit]]
				o.Lateness += (wt.Lateness + vis.Windows[st.Window].PenaltyPerMinute) * st.Late.Minutes()
			}
		}
	}
	t.Workers = len(workers)
	seenBy := map[care.ServiceUserID]map[care.WorkerID]bool{}
	for v := range e.p.Visits {
		vis := &e.p.Visits[v]
		if len(e.servers[v]) == 0 {
			t.Unassigned++
			if t.UnassignedByPriority == nil {
				t.UnassignedByPriority = map[int]int{}
			}
			t.UnassignedByPriority[vis.Priority]++
			o.Unassigned += wt.Unassigned * float64(1+vis.Priority)
			continue
		}
		t.Served++
		if seenBy[vis.ServiceUser] == nil {
			seenBy[vis.ServiceUser] = map[care.WorkerID]bool{}
		}
		preferred := false
		for _, w := range e.servers[v] {
			seenBy[vis.ServiceUser][w] = true
			if slices.Contains(vis.Preferred, w) {
				preferred = true
			}
			if u := e.users[vis.ServiceUser]; u != nil && slices.Contains(u.Preferences.PreferredWorkers, w) {
				preferred = true
			}
		}
		if preferred {
			o.Preferred -= wt.Preferred
		}
	}
	for _, ws := range seenBy {
		o.Continuity += wt.Continuity * float64(len(ws)-1)
	}
	o.TravelTime = wt.TravelTime * t.TravelTime.Minutes()
	o.WorkingTime = wt.WorkingTime * t.WorkingTime.Minutes()
	if e.p.Travel.Model == schedule.Euclidean {
		o.Distance = wt.Distance * t.Distance
	} else {
		o.Distance = wt.Distance * t.Distance / 1000
	}
	o.Fairness = wt.Fairness * e.fairness()
	o.Total = o.Unassigned + o.Shifts + o.TravelTime + o.Distance + o.WorkingTime + o.Lateness + o.Continuity + o.Preferred + o.Overtime + o.Undertime + o.Fairness
}
