package routing

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// RecommendOptions control Recommend.
type RecommendOptions struct {
	// Travel measures travel; nil = FromProblem(p), the problem's own model.
	Travel MatrixProvider `json:"-"`
	// NewVisit, when set, is a visit not yet in the problem (an urgent
	// request): it is added to a copy of the problem and recommended; the
	// id argument must then be NewVisit.ID.
	NewVisit *schedule.Visit `json:"new_visit,omitempty"`
}

// Recommendation is one place a visit could go: a worker's shift, a
// position in its route and the start of service there.
type Recommendation struct {
	Visit  schedule.VisitID `json:"visit"`  // the visit placed
	Worker care.WorkerID    `json:"worker"` // who would serve it
	Shift  schedule.ShiftID `json:"shift"`  // on which of the worker's shifts
	// Position is the index in the shift's route (after removing the visit
	// from wherever it is now) at which the visit is inserted.
	Position int `json:"position"`
	// Arrival is the ETA there, as the evaluator computes it (the route's
	// other visits no earlier than their planned starts; see Recommend).
	Arrival time.Time `json:"arrival"`
	// Start is the start of service there, computed the same way (after
	// waiting, when a dependency needs it, until its gap allows).
	Start time.Time `json:"start"`
	// Cost is the change of the rota's objective, term by term: every term
	// of Evaluate's Objective, Overtime (soft limits and contracted
	// minutes), Undertime and Fairness included (Cost.Total ranks the
	// recommendations; negative is an improvement, e.g. a visit that was
	// unassigned no longer pays its penalty). For a visit one carer makes
	// it is computed with the evaluator's own functions over the two
	// routes that change and their workers' other routes (Fairness: over
	// every worker); for a double-handed one, by Evaluate on the whole
	// rota before and after.
	Cost Objective `json:"cost"`
	// Reason says in words what the cost is made of (its non-zero terms), e.g.
	// "unassigned -1000.0; travel time +10.0; already visits the service user"
	// (for a double-handed visit first "with worker "w7", both starting …").
	Reason string `json:"reason"`
	// Partner is, for a double-handed visit, the worker who takes the
	// other seat: on PartnerShift, at PartnerPosition of its route,
	// arriving at PartnerArrival; both workers start at Start. Empty for a
	// visit one carer makes.
	Partner care.WorkerID `json:"partner,omitempty"`
	// PartnerShift is the partner's shift (see Partner).
	PartnerShift schedule.ShiftID `json:"partner_shift,omitempty"`
	// PartnerPosition is the index in the partner's route at which the
	// visit is inserted (see Position).
	PartnerPosition int `json:"partner_position,omitempty"`
	// PartnerArrival is the partner's ETA at the visit (see Arrival).
	PartnerArrival time.Time `json:"partner_arrival,omitzero"`
	// Delays lists every other visit whose start the recommendation moves
	// later (by more than Tolerance), one entry per worker: the people a
	// coordinator acting on it must phone. Both starts are timed as Start
	// is (see Recommend): before, the rota as given; after, with the visit
	// placed. For a visit one carer makes, the route it joins and the one
	// it leaves are compared (the latter only loses a visit, so its visits
	// start later only where travel breaks the triangle inequality); the
	// other carer of a double-handed visit it delays and the visits
	// linked to a delayed one by dependencies do not move: a place that would need them to (the
	// carers no longer together, a gap broken) is dropped. For a
	// double-handed visit the whole rota is compared, so both workers'
	// routes are covered. Sorted by old start, then worker, then visit;
	// empty when nothing moves later.
	Delays []Delay `json:"delays,omitempty"`
}

// Delay is one visit, other than the one recommended, that a
// recommendation makes start later.
type Delay struct {
	Visit  schedule.VisitID `json:"visit"`  // the delayed visit
	Worker care.WorkerID    `json:"worker"` // the worker whose start of it moves
	Shift  schedule.ShiftID `json:"shift"`  // the worker's shift
	// From is its start as the rota stands, timed as Evaluate times it
	// (its planned start, Assignment.Start, unless the route cannot keep
	// that).
	From time.Time `json:"from"`
	// To is its start with the recommendation made.
	To time.Time `json:"to"`
	// By is To - From, always positive.
	By time.Duration `json:"by"`
}

// Recommend returns the k cheapest feasible places for visit id in rota r:
// every position of every shift's route is tried (after taking the visit out
// of its current route, if any) and evaluated by the evaluator's rules;
// places that add a hard violation to the route (window, shift end, maximum
// shift, capacity, skills, exclusions, pins, leave) are dropped, and the
// rest are ranked by the change of the objective (Recommendation.Cost:
// every term), then (between costs equal to within costTolerance) by the
// total delay they give other visits (Recommendation.Delays: a place that
// delays nobody first), then by start time. It
// serves a new visit (in the problem but not routed) and a visit to be
// moved alike. The changed route is timed as Evaluate times the rota: each
// other visit starts no earlier than its planned start (Assignment.Start),
// so the waits the planner left for dependencies, partners and rest breaks
// stay, and a visit the insertion pushes later is judged where it then
// starts; the visit itself starts as early as possible, except that it
// waits, when its dependencies (or served visits' dependencies on it)
// need it later, until they allow (as Explain's trials do), or when it
// fills the wait that held the route's rest break, long enough for the
// break before it (REFERENCE.md WTR-BREAK); Start is then the start to
// plan. A place where a dependency breaks all the same (the gap, or the
// worker relation), that delays another visit of the route into breaking
// a dependency or its carers' togetherness, or that leaves a long route no
// break, is dropped (see Explain).
//
// k <= 0 returns every feasible place.
//
// A double-handed visit (two carers) gets pairs of places instead, as Solve
// plans it: two distinct workers who start it at the same moment and
// between them hold its seat skills (see recommendPairs). Each pair's Cost
// is the change of the evaluator's objective over the whole rota (planned
// starts as lower bounds, the visit's held at the pair's start) and the pair is
// kept only when that rota adds no hard violation (so dependencies,
// working-time law, seats and togetherness are checked as Evaluate checks
// them). At most maxPairTrials pairs are evaluated; k <= 0 returns the
// feasible pairs among them.
func Recommend(ctx context.Context, p *schedule.Problem, r *schedule.Rota, id schedule.VisitID, k int, opt RecommendOptions) ([]Recommendation, error) {
	if opt.NewVisit != nil && p != nil {
		if opt.NewVisit.ID != id {
			return nil, care.Invalid("options", "", "new_visit", "id %q differs from the visit asked about %q", opt.NewVisit.ID, id)
		}
		if _, exists := p.Visit(id); exists {
			return nil, care.Invalid("options", "", "new_visit", "visit %q is already in the problem", id)
		}
		q := shallowProblem(p)
		q.Visits = append(q.Visits, *opt.NewVisit)
		p = q
	}
	l, err := newLive(ctx, p, r, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("recommend: %w", err)
	}
	v, err := l.visitIndex(id)
	if err != nil {
		return nil, fmt.Errorf("recommend: %w", err)
	}
	if p.Visits[v].CarersNeeded() > 1 {
		out, err := l.recommendPairs(ctx, v, k)
		if err != nil {
			return nil, fmt.Errorf("recommend: %w", err)
		}
		return out, nil
	}
	// The route the visit leaves, if any, timed without it (Delays: with
	// travel times that break the triangle inequality, a visit there may
	// start later).
	var left *RouteReport
	if from := l.server[v]; from >= 0 {
		rr, _ := l.trial(from, slices.DeleteFunc(slices.Clone(l.routes[from]), func(x int) bool { return x == v }))
		left = &rr
	}
	var out []Recommendation
	for si := range p.Shifts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("recommend: %w", context.Cause(ctx))
		}
		if !l.mayServe(v, si) {
			continue
		}
		for _, early := range l.insertions(v, si, 0) {
			// Wait for the visit's dependencies; they must hold there.
			if ins, ok := l.settle(v, early); ok {
				out = append(out, l.recommendation(ins, left))
			}
		}
	}
	slices.SortStableFunc(out, compareRecommendations)
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out, nil
}

// compareFloat orders two floats.
func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mayServe is a quick filter before trial insertion: the shift's span meets
// one of the visit's windows.
func (l *live) mayServe(v, si int) bool {
	vis, sh := &l.p.Visits[v], &l.p.Shifts[si]
	for _, w := range vis.Windows {
		if !sh.Start.After(w.Latest) && !sh.End.Before(w.Earliest.Add(vis.Duration.Std())) {
			return true
		}
	}
	return false
}

// recommendation turns a feasible insertion into a Recommendation; left
// is the route the visit leaves, timed without it (nil: none).
func (l *live) recommendation(ins insertion, left *RouteReport) Recommendation {
	vis := &l.p.Visits[ins.v]
	sh := &l.p.Shifts[ins.si]
	rec := Recommendation{Visit: vis.ID, Worker: sh.Worker, Shift: sh.ID, Position: ins.pos, Cost: ins.delta}
	if st, ok := stopOf(ins.rr, vis.ID); ok {
		rec.Arrival, rec.Start = st.Arrival, st.Start
	}
	after := []RouteReport{ins.rr}
	if left != nil && l.server[ins.v] != ins.si {
		after = append(after, *left)
	}
	base := l.baseTimes()
	rec.Delays = delays(func(id schedule.VisitID, w care.WorkerID) (time.Time, bool) {
		x, ok := l.visitIdx[id]
		if !ok {
			return time.Time{}, false
		}
		i := slices.IndexFunc(base[x], func(ws workerStart) bool { return ws.worker == w })
		if i < 0 {
			return time.Time{}, false
		}
		return base[x][i].start, true
	}, vis.ID, after...)
	rec.Reason = describeCost(ins.delta, l.seen[vis.ServiceUser][sh.Worker] > 0) + describeDelays(rec.Delays)
	return rec
}

// delays returns the stops of routes after, other than visit skip's, that
// start later than before gives their worker's start of them (by more than
// Tolerance; a visit before does not know is not a delay), sorted by old
// start, worker and visit.
func delays(before func(schedule.VisitID, care.WorkerID) (time.Time, bool), skip schedule.VisitID, after ...RouteReport) []Delay {
	var out []Delay
	for _, rr := range after {
		for _, st := range rr.Stops {
			if st.Visit == skip {
				continue
			}
			if old, ok := before(st.Visit, rr.Worker); ok && st.Start.Sub(old) > Tolerance {
				out = append(out, Delay{Visit: st.Visit, Worker: rr.Worker, Shift: rr.Shift, From: old, To: st.Start, By: st.Start.Sub(old)})
			}
		}
	}
	slices.SortFunc(out, func(a, b Delay) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Worker), string(b.Worker)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Visit), string(b.Visit))
	})
	return out
}

// describeDelays puts delays into words for a Reason: how many other
// visits start later and the largest delay (no IDs, no names); "" when
// none.
func describeDelays(ds []Delay) string {
	if len(ds) == 0 {
		return ""
	}
	var most time.Duration
	for _, d := range ds {
		most = max(most, d.By)
	}
	noun := "visits"
	if len(ds) == 1 {
		noun = "visit"
	}
	return fmt.Sprintf("; delays %d other %s, by up to %s", len(ds), noun, most.Round(time.Second))
}

// totalDelay is the sum of the delays' By.
func totalDelay(ds []Delay) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d.By
	}
	return t
}

// describeCost puts an objective change into words.
func describeCost(d Objective, knows bool) string {
	var parts []string
	term := func(name string, x float64) {
		if x != 0 {
			parts = append(parts, fmt.Sprintf("%s %+.1f", name, x))
		}
	}
	term("unassigned", d.Unassigned)
	term("shift", d.Shifts)
	term("travel time", d.TravelTime)
	term("distance", d.Distance)
	term("working time", d.WorkingTime)
	term("lateness", d.Lateness)
	term("continuity", d.Continuity)
	term("preferred", d.Preferred)
	term("overtime", d.Overtime)
	term("undertime", d.Undertime)
	term("fairness", d.Fairness)
	if knows {
		parts = append(parts, "already visits the service user")
	}
	if len(parts) == 0 {
		return "no change of cost"
	}
	return strings.Join(parts, "; ")
}

// seat is one feasible place for one seat of a double-handed visit: a trial
// insertion into a route of the rota without the visit (see seatPlaces).
type seat struct {
	ins   insertion
	start time.Time // the earliest start there
	// of is the seat the place is for, its index in the visit's
	// SeatDurations, timed with that seat's duration; -1 for a visit
	// without SeatDurations (either seat, timed with Duration).
	of int
	// route is the change of the route's own terms (ins.delta without the
	// person terms and the terms over the workers' routes, ins.workers):
	// a lower bound of the route's change once the start is held at a
	// later moment for the partner (recommendPairs).
	route float64
}

// seatPlaces returns the places for one seat of double-handed visit v in
// shift si's route, at every position from minPos, where trial insertion
// adds no hard violation to the route and keep (nil: any) accepts the
// place. A visit with SeatDurations gets one place per position and seat,
// each timed with that seat's duration (a short seat may fit where the
// long one does not); any other, one per position, timed with Duration.
// Repair's placePair and Recommend's recommendPairs both pair these.
func (l *live) seatPlaces(v, si, minPos int, keep func(seat) bool) []seat {
	vis := &l.p.Visits[v]
	w := l.p.Shifts[si].Worker
	var out []seat
	for _, of := range l.seatsOf(v) {
		if of >= 0 {
			// The worker in seat of, the other seat's worker not known yet.
			workers := make([]care.WorkerID, of+1)
			workers[of] = w
			restore := l.holdSeats(vis.ID, workers)
			out = l.appendSeatPlaces(out, v, si, minPos, of, keep)
			restore()
			continue
		}
		out = l.appendSeatPlaces(out, v, si, minPos, of, keep)
	}
	return out
}

// seatsOf lists the seats seatPlaces times visit v for: 0 and 1 with
// SeatDurations, else -1 (either).
func (l *live) seatsOf(v int) []int {
	if len(l.p.Visits[v].SeatDurations) > 0 {
		return []int{0, 1}
	}
	return []int{-1}
}

// appendSeatPlaces appends to out the places of seatPlaces for seat of.
func (l *live) appendSeatPlaces(out []seat, v, si, minPos, of int, keep func(seat) bool) []seat {
	for _, ins := range l.insertions(v, si, minPos) {
		st, ok := stopOf(ins.rr, l.p.Visits[v].ID)
		if !ok || len(ins.added) > 0 {
			continue
		}
		if s := (seat{ins: ins, start: st.Start, of: of}); keep == nil || keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// holdSeats makes trials time visit id with workers in its seats (an
// assignment with no planned start; in Repair also its seat order, for
// timed) and returns the function that restores what was there.
func (l *live) holdSeats(id schedule.VisitID, workers []care.WorkerID) func() {
	prevA, hadA := l.ev.assigned[id]
	prevS, hadS := l.seats[id]
	l.ev.assigned[id] = &schedule.Assignment{Visit: id, Workers: workers}
	if l.seats != nil {
		l.seats[id] = workers
	}
	return func() {
		delete(l.ev.assigned, id)
		if hadA {
			l.ev.assigned[id] = prevA
		}
		if l.seats != nil {
			delete(l.seats, id)
			if hadS {
				l.seats[id] = prevS
			}
		}
	}
}

// pairable reports whether places a and b can serve a double-handed visit
// together: distinct workers and, with SeatDurations, different seats.
func (l *live) pairable(a, b seat) bool {
	return l.p.Shifts[a.ins.si].Worker != l.p.Shifts[b.ins.si].Worker && (a.of < 0 || a.of != b.of)
}

// floatRota returns l.r with every route's legs dropped and visit drop
// ("" = none) left out of its routes, its assignment and the unassigned
// list. Planned starts stay, as lower bounds (Evaluate reads them so; a
// visit pushed past one is not a StartMismatch for the live operations:
// see floatHard), so the waits the planner left survive, as in trial. A
// route keeps its planned breaks unless drop leaves it (its waits may
// move; Evaluate's missing_break still judges its idle time).
func (l *live) floatRota(drop schedule.VisitID) *schedule.Rota {
	out := &schedule.Rota{}
	for _, a := range l.r.Assignments {
		if a.Visit != drop {
			out.Assignments = append(out.Assignments, schedule.Assignment{Visit: a.Visit, Workers: slices.Clone(a.Workers), Start: a.Start})
		}
	}
	for _, rt := range l.r.Routes {
		rt.Legs = nil
		if slices.Contains(rt.Visits, drop) {
			rt.Breaks = nil
		}
		rt.Breaks = slices.Clone(rt.Breaks)
		rt.Visits = slices.DeleteFunc(slices.Clone(rt.Visits), func(id schedule.VisitID) bool { return id == drop })
		out.Routes = append(out.Routes, rt)
	}
	for _, u := range l.r.Unassigned {
		if u.Visit != drop {
			out.Unassigned = append(out.Unassigned, u)
		}
	}
	return out
}

// floatHard returns the hard violations of viol but the StartMismatch of
// a visit other than held: in a rota from floatRota a planned start is a
// lower bound, and a visit pushed past it is judged where it now starts.
func floatHard(viol []Violation, held schedule.VisitID) []Violation {
	return slices.DeleteFunc(slices.Clone(viol), func(v Violation) bool { return v.Kind == StartMismatch && v.Visit != held })
}

// trialHeld is trial with visit v's start planned at t and its seats
// taken by workers (as an assignment would give them).
func (l *live) trialHeld(si int, visits []int, v int, workers []care.WorkerID, t time.Time) (RouteReport, []Violation) {
	id := l.p.Visits[v].ID
	restore := l.holdSeats(id, workers)
	defer restore()
	l.ev.assigned[id].Start = t
	return l.trial(si, visits)
}

// pairItem is a pair of seats waiting in recommendPairs' queue: by its
// lower bound until its held cost is known, then by that.
type pairItem struct {
	a, b int     // indices in the seats
	key  float64 // the bound, or the held cost once held
	held bool
}

// pairQueue is a min-heap of pairItems by key (container/heap).
type pairQueue []pairItem

func (q pairQueue) Len() int { return len(q) }
func (q pairQueue) Less(i, j int) bool {
	if q[i].key != q[j].key {
		return q[i].key < q[j].key
	}
	if q[i].a != q[j].a {
		return q[i].a < q[j].a
	}
	return q[i].b < q[j].b
}
func (q pairQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *pairQueue) Push(x any)   { *q = append(*q, x.(pairItem)) }
func (q *pairQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// maxHeldTrials bounds the pairs whose two routes recommendPairs times
// with the visit held at the pair's start (two route trials each).
const maxHeldTrials = 20 * maxPairTrials

// recommendPairs returns the k cheapest pairs of places for double-handed
// visit v (see Recommend), found by trial insertion:
//
//  1. the visit is taken out of the rota (all its routes); every position
//     of every shift's route that meets a window is tried for one seat, as
//     for a single visit, timed as early as possible; places that add a
//     hard violation to their route, or whose worker holds neither seat's
//     skills (with SeatDurations: the place's seat's), are dropped;
//  2. every two places of distinct workers form a pair, whose start is
//     the later of their two earliest starts; since holding a seat later
//     never makes its route cheaper, the sum of the two routes' changes
//     plus the pair's person terms (penalty saved, continuity, preferred)
//     is a lower bound of the pair's cost;
//  3. pairs are taken cheapest first from a queue: a pair met by its bound
//     is checked for the seat skills (and the role a seat's skill is
//     reserved to) at its start, its two routes are timed again with the
//     visit held there (no new hard violation in either, both starting
//     then), and it goes back in the queue at that cost; a pair met by its
//     held cost is checked on the whole rota: with the visit in both
//     routes and its assignment's start held, the rota must add no hard
//     violation to the rota without it (Evaluate's rules, so also
//     dependencies and working-time law); its Cost is the evaluator's
//     objective change against the rota as given (planned starts as
//     lower bounds: a visit pushed past its own is judged where it then
//     starts, not as a StartMismatch; see floatRota).
//
// It stops once k pairs passed, or after maxPairTrials whole-rota checks
// or maxHeldTrials held pairs. The queue uses the routes' own terms and
// the person terms; Cost also counts the terms over the workers' routes
// (overtime against contracts and the soft rules over several routes,
// undertime, fairness), which can reorder pairs whose costs differ by
// less than those terms: the pairs returned are sorted by Cost, but with k
// > 0 they are the first k the queue verified, not always the k cheapest
// by Cost.
//
// The places of step 1 come from seatPlaces (shared with Repair): for a
// visit with SeatDurations each is for one seat, timed with that seat's
// duration and checked for that seat's skills, and a pair takes one place
// of each seat, the first seat's worker being Worker (the assignment's
// order, as Evaluate reads the seats); for any other visit each seat is
// timed with Duration and Worker is the worker whose ID sorts first.
func (l *live) recommendPairs(ctx context.Context, v, k int) ([]Recommendation, error) {
	vis := &l.p.Visits[v]
	id := vis.ID
	before := newEvaluation(l.p, l.floatRota(""), l.pl, l.m)
	before.run()
	without := l.floatRota(id)
	evWithout := newEvaluation(l.p, without, l.pl, l.m)
	evWithout.run()
	l0 := indexLive(l.p, without, l.pl, l.m)
	removal := evWithout.rep.Objective.Total - before.rep.Objective.Total
	// Every worker's start of every visit as the rota stands (Delays).
	type seatOf struct {
		visit  schedule.VisitID
		worker care.WorkerID
	}
	starts := map[seatOf]time.Time{}
	for _, rr := range before.rep.Routes {
		for _, st := range rr.Stops {
			starts[seatOf{st.Visit, rr.Worker}] = st.Start
		}
	}
	beforeStart := func(id schedule.VisitID, w care.WorkerID) (time.Time, bool) {
		t, ok := starts[seatOf{id, w}]
		return t, ok
	}
	unserved := l0.personTerms(v, "")
	// holds: worker w may take seat of (-1: either) at the place's start.
	holds := func(w care.WorkerID, of int, at time.Time) bool {
		if len(vis.SeatSkills) < 2 {
			return true
		}
		wk := l0.workers[w]
		if wk == nil {
			return false
		}
		if of >= 0 {
			return holdsSeat(wk, vis.SeatSkills[of], at)
		}
		return holdsSeat(wk, vis.SeatSkills[0], at) || holdsSeat(wk, vis.SeatSkills[1], at)
	}
	// The routes without the visit: their terms and violations, per shift.
	type baseRoute struct {
		terms Objective
		viol  []Violation
	}
	bases := map[int]baseRoute{}
	var seats []seat
	for si := range l.p.Shifts {
		if err := ctx.Err(); err != nil {
			return nil, context.Cause(ctx)
		}
		if !l0.mayServe(v, si) {
			continue
		}
		w := l.p.Shifts[si].Worker
		person := l0.personTerms(v, w).sub(unserved)
		for _, s := range l0.seatPlaces(v, si, 0, func(s seat) bool { return holds(w, s.of, s.start) }) {
			if _, ok := bases[si]; !ok {
				rr, viol := l0.trial(si, l0.routes[si])
				bases[si] = baseRoute{terms: l0.routeTerms(si, rr), viol: viol}
			}
			s.route = s.ins.delta.Total - person.Total - s.ins.workers.Total
			seats = append(seats, s)
		}
	}
	worker := func(s int) care.WorkerID { return l.p.Shifts[seats[s].ins.si].Worker }
	q := &pairQueue{}
	for a := range seats {
		for b := a + 1; b < len(seats); b++ {
			if !l0.pairable(seats[a], seats[b]) {
				continue
			}
			bound := seats[a].route + seats[b].route + l0.personTerms(v, worker(a), worker(b)).Total - unserved.Total + removal
			*q = append(*q, pairItem{a: a, b: b, key: bound})
		}
	}
	heap.Init(q)
	// order puts the place of the first seat first (SeatDurations), else
	// that of the worker whose ID sorts first.
	order := func(it pairItem) (int, int) {
		if seats[it.b].of == 0 || (seats[it.a].of < 0 && worker(it.b) < worker(it.a)) {
			return it.b, it.a
		}
		return it.a, it.b
	}
	startOf := func(a, b int) time.Time {
		if seats[b].start.After(seats[a].start) {
			return seats[b].start
		}
		return seats[a].start
	}
	var out []Recommendation
	checked, held := 0, 0
	for q.Len() > 0 && (k <= 0 || len(out) < k) && checked < maxPairTrials {
		if err := ctx.Err(); err != nil {
			return nil, context.Cause(ctx)
		}
		it := heap.Pop(q).(pairItem)
		a, b := order(it)
		t := startOf(a, b)
		wa, wb := worker(a), worker(b)
		if !it.held {
			if held == maxHeldTrials {
				break
			}
			if !l0.seatsHeld(v, wa, wb, t) {
				continue
			}
			held++
			cost, ok := 0.0, true
			for _, s := range []int{a, b} {
				si := seats[s].ins.si
				rr, viol := l0.trialHeld(si, seats[s].ins.route, v, []care.WorkerID{wa, wb}, t)
				st, found := stopOf(rr, id)
				if !found || !st.Start.Equal(t) || len(newHard(bases[si].viol, viol)) > 0 {
					ok = false
					break
				}
				cost += l0.routeTerms(si, rr).Total - bases[si].terms.Total
			}
			if ok {
				it.key, it.held = cost+l0.personTerms(v, wa, wb).Total-unserved.Total+removal, true
				heap.Push(q, it)
			}
			continue
		}
		checked++
		sa, sb := seats[a].ins, seats[b].ins
		trial := &schedule.Rota{
			Routes:      l0.withRoutes(without, map[int][]int{sa.si: sa.route, sb.si: sb.route}).Routes,
			Assignments: append(slices.Clone(without.Assignments), schedule.Assignment{Visit: id, Workers: []care.WorkerID{wa, wb}, Start: t}),
			Unassigned:  without.Unassigned,
		}
		e := newEvaluation(l.p, trial, l.pl, l.m)
		e.run()
		if len(newHard(evWithout.rep.Violations, floatHard(e.rep.Violations, id))) > 0 {
			continue
		}
		rec := Recommendation{Visit: id, Worker: wa, Shift: l.p.Shifts[sa.si].ID, Position: sa.pos, Start: t,
			Partner: wb, PartnerShift: l.p.Shifts[sb.si].ID, PartnerPosition: sb.pos,
			Cost: e.rep.Objective.sub(before.rep.Objective)}
		for _, rr := range e.rep.Routes {
			if st, ok := stopOf(rr, id); ok {
				switch rr.Shift {
				case rec.Shift:
					rec.Arrival = st.Arrival
				case rec.PartnerShift:
					rec.PartnerArrival = st.Arrival
				}
			}
		}
		rec.Delays = delays(beforeStart, id, e.rep.Routes...)
		knows := l0.seen[vis.ServiceUser][wa] > 0 || l0.seen[vis.ServiceUser][wb] > 0
		rec.Reason = fmt.Sprintf("with worker %q, both starting %s; ", wb, t.Format(time.RFC3339)) + describeCost(rec.Cost, knows) + describeDelays(rec.Delays)
		out = append(out, rec)
	}
	slices.SortStableFunc(out, compareRecommendations)
	return out, nil
}

// costTolerance is the relative difference below which two costs are
// taken as equal (compareCost): the terms are summed in different orders
// for different places, so equal costs may differ in the last bits.
const costTolerance = 1e-9

// compareCost orders two costs, equal when they differ by at most
// costTolerance times the larger magnitude (at least 1).
func compareCost(a, b float64) int {
	if math.Abs(a-b) <= costTolerance*max(1, math.Abs(a), math.Abs(b)) {
		return 0
	}
	return compareFloat(a, b)
}

// compareRecommendations orders recommendations by Cost.Total, then by
// the total delay they give other visits (least first: between places of
// equal cost, to within costTolerance, the one that delays nobody), then
// by start.
func compareRecommendations(a, b Recommendation) int {
	if c := compareCost(a.Cost.Total, b.Cost.Total); c != 0 {
		return c
	}
	if c := cmp.Compare(totalDelay(a.Delays), totalDelay(b.Delays)); c != 0 {
		return c
	}
	return a.Start.Compare(b.Start)
}

// holdsSeat reports whether w may take a seat needing skills at t: a valid
// qualification for each, and the role one of them is reserved to (as
// Evaluate checks seats).
func holdsSeat(w *care.Worker, skills []care.Skill, t time.Time) bool {
	if need := roleForSkills(skills); need != "" && w.Role != need {
		return false
	}
	return !slices.ContainsFunc(skills, func(s care.Skill) bool { return !w.HasSkill(s, t) })
}
