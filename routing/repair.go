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

// ChangeKind names a disruption that Repair handles.
type ChangeKind string

// Kinds of change.
const (
	// WorkerUnavailable: Worker is unavailable from At to the end of the
	// problem (a carer rings in sick). Recorded as leave, from the end of
	// the visit under way at At, if any.
	WorkerUnavailable ChangeKind = "worker_unavailable"
	// VisitCancelled: Visit is cancelled and leaves the problem.
	VisitCancelled ChangeKind = "visit_cancelled"
	// VisitAdded: NewVisit joins the problem (an urgent visit).
	VisitAdded ChangeKind = "visit_added"
	// VisitOverran: Visit, as published, ends at At instead (its duration
	// grows from its published start).
	VisitOverran ChangeKind = "visit_overran"
	// WorkerLate: Worker cannot leave the start of the shift that covers At
	// before At (the start of that shift moves to At).
	WorkerLate ChangeKind = "worker_late"
)

// Change is one disruption.
type Change struct {
	Kind   ChangeKind       `json:"kind"`             // what happened
	Worker care.WorkerID    `json:"worker,omitempty"` // the worker concerned (WorkerUnavailable, WorkerLate)
	Visit  schedule.VisitID `json:"visit,omitempty"`  // the visit concerned (VisitOverran, VisitCancelled, VisitAdded)
	// At is when the worker becomes unavailable, when the overrunning visit
	// ends, or when the late worker can leave.
	At time.Time `json:"at,omitzero"`
	// NewVisit is the visit a VisitAdded change adds.
	NewVisit *schedule.Visit `json:"new_visit,omitempty"`
}

// RepairOptions control Repair.
type RepairOptions struct {
	// Travel measures travel; nil = FromProblem(p), the problem's own model.
	Travel MatrixProvider `json:"-"`
	// Freeze: every visit whose published start is before Freeze stays with
	// its worker, in its place in the route and at its published start (it
	// has happened or is under way: in Result.Problem its windows become
	// that one instant, Target cleared); nothing is inserted before it, and
	// no other visit starts before Freeze (the windows of the others are clipped to Freeze in
	// Result.Problem; an orphan whose windows all close before Freeze is
	// left unassigned). Zero = nothing frozen.
	Freeze time.Time `json:"freeze,omitzero"`
	// MoveCost is charged, in objective units, for each visit placed with a
	// worker other than its published one; it steers orphans back to their
	// own carer when that is possible. 0 = no charge.
	MoveCost float64 `json:"move_cost,omitempty"`
	// RetimeCost is charged per minute that an insertion moves the start of
	// the route's visits (the orphan included) away from their published
	// starts, as the evaluator times them. 0 = no charge. MoveCost and
	// RetimeCost rank the places, on top of the place's cost as Recommend
	// computes it (Recommendation.Cost: the change of every term of the
	// objective, Overtime, Undertime and Fairness included); a visit is
	// left out only when serving it costs more than its penalty under the
	// problem's own weights.
	RetimeCost float64 `json:"retime_cost,omitempty"`
	// Keep lists visits that stay with their published worker: never taken
	// out of their route (another visit is taken out instead) nor moved to
	// make room, though visits may be inserted before them and their times
	// may shift. A kept visit that the changes make impossible (its worker
	// on leave, say) stays in place and the result reports the breach.
	Keep []schedule.VisitID `json:"keep,omitempty"`
	// MaxMoves bounds how many visits that kept their place Repair may move
	// to another route to make room for an orphan that fits nowhere (one
	// move per such orphan). 0 = none: only orphans move.
	MaxMoves int `json:"max_moves,omitempty"`
	// MinShift is passed to DiffRotas.
	MinShift time.Duration `json:"min_shift,omitempty"`
}

// RepairResult is what Repair returns.
type RepairResult struct {
	// Problem is the problem with the changes applied; the rota is planned
	// and evaluated against it.
	Problem *schedule.Problem `json:"problem"`
	// Rota is the repaired rota.
	Rota *schedule.Rota `json:"rota"`
	// Report is the evaluator's report on Rota against Problem.
	Report *Report `json:"report"`
	// Orphans are the visits that lost their place (and the added ones), in
	// the order they were re-inserted.
	Orphans []schedule.VisitID `json:"orphans"`
	// Moved are the other visits moved to make room for orphans (at most
	// RepairOptions.MaxMoves).
	Moved []schedule.VisitID `json:"moved,omitempty"`
	// Diff compares the published rota with the repaired one. Its Workers'
	// Retimed entries are the visits that keep their worker but start at
	// another planned time (those an orphan delays, with both starts): for
	// Repair what Recommendation.Delays is for Recommend.
	Diff Diff `json:"diff"`
}

// ErrBadChange is matched when a change names an unknown worker or visit,
// or lacks what its kind needs.
var ErrBadChange = errors.New("bad change")

// Repair re-plans published (a rota for p) after changes, with as little
// change as it can. It applies the changes to a copy of p (Result.Problem),
// then:
//
//  1. keeps every route as published, minus cancelled visits;
//  2. re-times each route under the changed problem and, while it breaks a
//     hard rule, takes out the offending visit (the one a violation names,
//     else the route's last visit), never one whose published start is
//     before opt.Freeze nor one listed in opt.Keep: those are orphans. A
//     breach that the published rota already has on that shift (made by
//     hand or by an older planner: a nursing visit by a care worker, say)
//     is no reason to take a visit out: it is carried over (Result.Report
//     lists it), and that route takes no orphan;
//  3. inserts the orphans and added visits one by one, highest priority and
//     tightest window first, each at its cheapest feasible place (trial at
//     every position after the frozen part of every route, as Recommend
//     does; the cost is Recommend's, every term of the objective: the
//     routes', the person's, and overtime, undertime and fairness over the
//     workers' routes), plus opt.MoveCost when the worker is not its published one
//     and opt.RetimeCost per minute of start times moved (between places
//     of equal cost, the one that moves published starts least); a visit
//     whose place costs more than leaving it out stays unassigned. Trials
//     time every route as Evaluate times the published rota: a visit that
//     keeps its published place starts no earlier than its published
//     start, so the waits the published rota planned (for a dependency, a
//     partner, a rest break) stay, and one the orphan pushes later is
//     judged where it then starts (window, shift, break; dependencies and
//     togetherness as below). Where the orphan fills the wait that held the
//     route's rest break, the orphan or the visit after it starts later,
//     leaving the break room again (REFERENCE.md WTR-BREAK, WTR reg 12),
//     or the place is refused. A place that would give the worker a
//     breach of the working-time rules over several routes that the
//     worker's routes do not have yet (daily rest, the weekly maximum,
//     consecutive days; REFERENCE.md §5, read as Evaluate reads them:
//     stricter for a young worker, and only when hard; a soft one adds its
//     overtime to the place's cost) is refused too; an orphan refused
//     everywhere for that alone stays out (schedule.WorkingTimeLimit). An orphan with
//     dependencies (or that served visits depend on) waits, as Explain's
//     trials do, until their gaps allow (its windows in Result.Problem then
//     open at that moment), and goes only where they hold and where it
//     delays no visit of the route into breaking a dependency it kept (see
//     Explain); when no place keeps them it stays out
//     (schedule.DependencyUnmet);
//  4. with opt.MaxMoves > 0, for an orphan that fits nowhere, tries taking
//     one unfrozen, unpinned, unkept visit out of a route, putting the orphan there
//     and the taken visit at its cheapest feasible place in another route;
//     the cheapest such swap that beats leaving the orphan out is made.
//
// Then a served visit that depends on a visit left out (it would break its
// dependency wherever it is) leaves its routes as well, with reason
// schedule.DependencyUnmet, unless frozen or kept (opt.Keep); and so on
// down a chain of dependencies.
//
// Visits not orphaned keep their worker and order, and start no earlier
// than their published start (later when an orphan before them pushes
// them, or holds them for a break), as the trials timed them; as a last
// resort, when the rota so timed breaks a hard rule the published one did
// not and the rota with every route timed as early as possible does not,
// that one is returned. Frozen and double-handed visits keep their
// published start always. Each route's planned breaks (Route.Breaks) are
// the published ones still inside a wait, or else, for a route that owes
// one, a new one at the start of the first wait long enough. Pins hold
// because every insertion passes the evaluator's rules. The result is
// checked by the evaluator (Result.Report) and compared with the published
// rota (Result.Diff). When it breaks a hard rule that the published rota
// did not (same kind, visit, worker and shift; only possible where frozen
// or kept visits are involved, e.g. a frozen visit overrunning past the
// shift's end) the result is returned with an error matching ErrInfeasible.
//
// Double-handed visits that no change touches keep their routes and
// published starts (their windows in Result.Problem are narrowed to that
// instant, so that trial insertions time them as their partner does): an
// orphan, or a neighbour moved to make room (MaxMoves), goes before one
// only where it does not delay it (a delay breaks that window, so the
// place is refused). One that a change breaks (a partner gone
// sick) leaves both routes and is an orphan like an added one: it is
// re-planned with two workers who start it together (see placePair: both
// seats' places by trial insertion, the pair's start held at the later of
// the two, the whole rota re-checked), its window then narrowed to that
// start; when no pair works or pays it is left unassigned
// (schedule.NoPartner). The repaired rota lists a double-handed visit's
// workers in seat order (schedule.Visit.SeatDurations: the first takes
// SeatDurations[0]), the order its routes were timed with: the published
// assignment's while the visit keeps its carers, the new pair's once
// re-planned (each seat's place found, and timed, for that seat).
//
// Limits: one neighbour at most is moved per orphan, and never to make room
// for a double-handed one nor for one its dependencies keep out (the move
// itself does not check dependencies: the final check does); a move is
// costed by the two routes' own terms (routeTerms: not the overtime beyond
// contracts or soft rules over several routes, undertime or fairness),
// the penalty saved and opt.MoveCost; the two seats
// of a re-planned double-handed visit are ranked by cost (opt.MoveCost per
// seat new to the visit), not by opt.RetimeCost, the pair's cost being the
// sum of the two seats' (each seat's undertime and fairness computed as if
// the other were not placed); at most maxPairTrials
// pairs are verified per visit.
func Repair(ctx context.Context, p *schedule.Problem, published *schedule.Rota, changes []Change, opt RepairOptions) (*RepairResult, error) {
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	if published == nil {
		return nil, care.Invalid("", "", "rota", "nil")
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	pub, err := EvaluateWith(ctx, p, published, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	pubStart := map[schedule.VisitID]time.Time{}
	pubWorker := map[schedule.VisitID]care.WorkerID{}
	pubBy := map[schedule.VisitID][]care.WorkerID{}
	for _, a := range published.Assignments {
		pubBy[a.Visit] = a.Workers
	}
	for _, rr := range pub.Routes {
		for _, st := range rr.Stops {
			if _, ok := pubStart[st.Visit]; !ok {
				pubStart[st.Visit], pubWorker[st.Visit] = st.Start, rr.Worker
			}
		}
	}
	q, added, err := applyChanges(p, changes, pubStart, pub.Routes)
	if err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("repair: changed problem: %w", err)
	}
	pl, m, err := ProblemMatrix(ctx, q, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	frozen := func(id schedule.VisitID) bool {
		st, ok := pubStart[id]
		return ok && !opt.Freeze.IsZero() && st.Before(opt.Freeze)
	}
	// double-handed visits the changes leave alone keep their
	// place and their start (see doubleWindows).
	doubles := map[schedule.VisitID]bool{}
	for _, v := range q.Visits {
		if v.CarersNeeded() > 1 {
			doubles[v.ID] = true
		}
	}
	double := func(id schedule.VisitID) bool { return doubles[id] }
	// pinnedPlace visits end the part of a route that insertions skip:
	// the frozen ones. (A double-handed visit does not: its window is
	// narrowed to its start below, so a trial that delays it breaks that
	// window and is refused; one that does not leaves it with its partner.)
	pinnedPlace := frozen
	// fixed visits are never taken out of their route: frozen, kept or double-handed.
	fixed := func(id schedule.VisitID) bool { return frozen(id) || double(id) || slices.Contains(opt.Keep, id) }
	// Nothing that is not frozen starts before the freeze: clip the windows
	// (a visit whose windows all closed before it keeps them, and fails).
	// What is frozen has happened: its window becomes its published start.
	if !opt.Freeze.IsZero() {
		for v := range q.Visits {
			if id := q.Visits[v].ID; frozen(id) {
				q.Visits[v].Windows = []schedule.Window{{Earliest: pubStart[id], Latest: pubStart[id]}}
				continue
			}
			var ws []schedule.Window
			for _, w := range q.Visits[v].Windows {
				if w.Latest.Before(opt.Freeze) {
					continue
				}
				if w.Earliest.Before(opt.Freeze) {
					w.Earliest = opt.Freeze
				}
				ws = append(ws, w)
			}
			if len(ws) > 0 {
				q.Visits[v].Windows = ws
			}
		}
	}
	// Double-handed visits keep their published start (both carers start
	// together), so that trial insertions before or after one time it as
	// its partner does: one that would delay it breaks this window. One dropped below
	// gets its windows back.
	doubleWindows := map[schedule.VisitID][]schedule.Window{}
	for v := range q.Visits {
		id := q.Visits[v].ID
		if st, ok := pubStart[id]; ok && double(id) && !frozen(id) {
			doubleWindows[id] = q.Visits[v].Windows
			q.Visits[v].Windows = []schedule.Window{{Earliest: st, Latest: st}}
		}
	}
	// Breaches of rules Solve does not plan (a wrong role, say) that the
	// published rota already has are carried over, shift by shift: they are
	// no reason to move a visit (see tolerance).
	tolerated := tolerance(q, pub)
	// The seat order of each double-handed visit: the published one while
	// it keeps its carers, placePair's once re-planned (see live.seats).
	seatOrder := map[schedule.VisitID][]care.WorkerID{}
	for id, ws := range pubBy {
		if double(id) && len(ws) > 1 {
			seatOrder[id] = slices.Clone(ws)
		}
	}
	// floated visits have lost their published place (orphans, added
	// visits, re-planned double-handed ones, moved neighbours): trials time
	// them as early as possible. Every other visit's published start is a
	// lower bound of its start in trials and in the repaired rota (see
	// live.planned), so the waits the published rota planned survive.
	floated := map[schedule.VisitID]bool{}
	// holds are the starts Repair holds placed visits at, no earlier: an
	// orphan waiting for a rest break before it, or the visit after it
	// (see insertionRange), or for its dependencies.
	holds := map[schedule.VisitID]time.Time{}
	index := func(r *schedule.Rota) *live {
		l := indexLive(q, r, pl, m)
		l.tolerated = tolerated
		l.seats = seatOrder
		for id, ws := range seatOrder {
			l.ev.assigned[id] = &schedule.Assignment{Visit: id, Workers: ws}
		}
		l.breakAfter = true
		l.planned = map[int]time.Time{}
		for id, t := range pubStart {
			if v, ok := l.visitIdx[id]; ok && !floated[id] {
				l.planned[v] = t
			}
		}
		for id, t := range holds {
			if v, ok := l.visitIdx[id]; ok {
				l.planned[v] = later(l.planned[v], t)
			}
		}
		return l
	}
	// 1-2. Keep the published routes, take out what no longer fits.
	work := &schedule.Rota{}
	l := index(work)
	var orphans []schedule.VisitID
	droppedDouble := map[schedule.VisitID]bool{}
	for _, rt := range published.Routes {
		si, ok := l.shiftIdx[rt.Shift]
		if !ok || slices.ContainsFunc(work.Routes, func(w schedule.Route) bool { return w.Shift == rt.Shift }) {
			continue
		}
		var route []int
		for _, id := range rt.Visits {
			if v, ok := l.visitIdx[id]; ok && !slices.Contains(route, v) {
				route = append(route, v)
			}
		}
		for {
			_, viol := l.trial(si, route)
			hard := l.hard(si, viol)
			if len(hard) > 0 && l.keepsPublished(si, route, pubStart, pubWorker) {
				// Timed as published (waits kept: a break, say), the
				// route still holds: nothing needs to leave it.
				break
			}
			victim := -1
			for _, vi := range hard {
				if v, ok := l.visitIdx[vi.Visit]; ok && vi.Visit != "" && slices.Contains(route, v) && !fixed(vi.Visit) {
					victim = v
					break
				}
				if v, ok := l.visitIdx[vi.Visit]; ok && vi.Visit != "" && slices.Contains(route, v) && double(vi.Visit) && !frozen(vi.Visit) {
					// A double-handed visit this worker can no longer make:
					// it leaves every route and is re-planned as a pair below.
					droppedDouble[vi.Visit] = true
					route = slices.DeleteFunc(route, func(x int) bool { return x == v })
					victim = -2
					break
				}
			}
			if victim == -2 {
				continue
			}
			if victim < 0 && len(hard) > 0 {
				for i := len(route) - 1; i >= 0; i-- {
					if !fixed(q.Visits[route[i]].ID) {
						victim = route[i]
						break
					}
				}
			}
			if victim < 0 {
				break
			}
			route = slices.DeleteFunc(route, func(x int) bool { return x == victim })
			orphans = append(orphans, q.Visits[victim].ID)
			floated[q.Visits[victim].ID] = true
		}
		nr := schedule.Route{Worker: q.Shifts[si].Worker, Shift: q.Shifts[si].ID}
		for _, v := range route {
			nr.Visits = append(nr.Visits, q.Visits[v].ID)
		}
		work.Routes = append(work.Routes, nr)
	}
	for i := range work.Routes {
		work.Routes[i].Visits = slices.DeleteFunc(work.Routes[i].Visits, func(id schedule.VisitID) bool { return droppedDouble[id] })
	}
	for v := range q.Visits {
		if id := q.Visits[v].ID; droppedDouble[id] {
			q.Visits[v].Windows = doubleWindows[id]
			orphans = append(orphans, id)
			delete(seatOrder, id) // placePair chooses the new pair's order
		}
	}
	orphans = append(orphans, added...)
	for _, id := range orphans {
		floated[id] = true
	}
	// Orphans whose windows all closed before the freeze stay out.
	var past []schedule.VisitID
	if !opt.Freeze.IsZero() {
		for _, id := range orphans {
			v, _ := q.Visit(id)
			if !slices.ContainsFunc(v.Windows, func(w schedule.Window) bool { return !w.Latest.Before(opt.Freeze) }) {
				past = append(past, id)
			}
		}
		orphans = slices.DeleteFunc(orphans, func(id schedule.VisitID) bool { return slices.Contains(past, id) })
	}
	l = index(work)
	slices.SortStableFunc(orphans, func(a, b schedule.VisitID) int {
		va, vb := &q.Visits[l.visitIdx[a]], &q.Visits[l.visitIdx[b]]
		if va.Priority != vb.Priority {
			return vb.Priority - va.Priority
		}
		return va.Windows[len(va.Windows)-1].Latest.Compare(vb.Windows[len(vb.Windows)-1].Latest)
	})
	// 3. Insert the orphans.
	var unassigned []schedule.Unassigned
	for _, id := range past {
		unassigned = append(unassigned, schedule.Unassigned{Visit: id, Reason: schedule.WindowUnreachable,
			Detail: "every window closes before the freeze time"})
	}
	res := &RepairResult{Problem: q}
	moves := 0
	for _, id := range orphans {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("repair: %w", context.Cause(ctx))
		}
		v := l.visitIdx[id]
		if q.Visits[v].CarersNeeded() > 1 {
			if l.placePair(v, work, pinnedPlace, pubBy, pubStart, pubWorker, opt.MoveCost) {
				l = index(work)
				continue
			}
			unassigned = append(unassigned, schedule.Unassigned{Visit: id, Reason: schedule.NoPartner,
				Detail: "after the changes no two workers can start it together (or it costs more than leaving it out)"})
			continue
		}
		var best *insertion
		var bestWindows []schedule.Window // the best place's windows, when it waits for a dependency
		bestCost, bestRetime := 0.0, 0.0
		feasible, depBlocked, lawBlocked := false, false, false
		for si := range q.Shifts {
			if !l.mayServe(v, si) || !l.open(si) {
				continue
			}
			minPos := 0
			for i, x := range l.routes[si] {
				if pinnedPlace(q.Visits[x].ID) {
					minPos = i + 1
				}
			}
			baseRR, _ := l.trial(si, l.routes[si])
			baseRetime := retimeMinutes(baseRR, pubStart)
			broken := l.broken(si)
			for _, early := range l.insertions(v, si, minPos) {
				// Wait for the orphan's dependencies, as Explain's trials do;
				// they must hold where it goes.
				w := l.waitForDependencies(v, early)
				ins := w.ins
				if len(ins.added) > 0 || (broken && !l.keepsPublished(si, ins.route, pubStart, pubWorker)) {
					depBlocked = depBlocked || (w.why != "" && len(early.added) == 0)
					lawBlocked = lawBlocked || onlyLaw(ins.added)
					continue
				}
				if st, ok := stopOf(ins.rr, id); ok && (len(l.depBlockers(v, si, ins.rr, st.Start)) > 0 || len(l.mateBlockers(v, si, ins.rr)) > 0) {
					depBlocked = true
					continue
				}
				feasible = true
				c := ins.delta.Total
				if w, ok := pubWorker[id]; ok && w != q.Shifts[si].Worker {
					c += opt.MoveCost
				}
				retime := retimeMinutes(ins.rr, pubStart) - baseRetime
				c += opt.RetimeCost * retime
				// Between places of equal cost, the one that moves the
				// published starts least.
				if ins.delta.Total < 0 && (best == nil || c < bestCost-1e-9 || c <= bestCost+1e-9 && retime < bestRetime) {
					best, bestCost, bestRetime, bestWindows = &ins, c, retime, nil
					if w.why != "" {
						bestWindows = w.l.p.Visits[v].Windows
					}
				}
			}
		}
		if best == nil && moves < opt.MaxMoves && !feasible && !depBlocked {
			if ej := l.eject(v, pinnedPlace, fixed, pubWorker, opt.MoveCost); ej != nil {
				for _, put := range []struct {
					si  int
					ids []int
				}{{ej.si, ej.route}, {ej.si2, ej.route2}} {
					sh := &q.Shifts[put.si]
					nr := schedule.Route{Worker: sh.Worker, Shift: sh.ID}
					for _, x := range put.ids {
						nr.Visits = append(nr.Visits, q.Visits[x].ID)
					}
					if i := slices.IndexFunc(work.Routes, func(r schedule.Route) bool { return r.Shift == sh.ID }); i >= 0 {
						work.Routes[i] = nr
					} else {
						work.Routes = append(work.Routes, nr)
					}
				}
				moves++
				res.Moved = append(res.Moved, q.Visits[ej.moved].ID)
				floated[q.Visits[ej.moved].ID] = true
				delete(holds, q.Visits[ej.moved].ID) // timed afresh where it goes
				l = index(work)
				continue
			}
		}
		if best == nil {
			u := schedule.Unassigned{Visit: id, Reason: schedule.WindowUnreachable, Detail: "after the changes no route can serve it within its window and shift (see Explain)"}
			switch {
			case feasible:
				u = schedule.Unassigned{Visit: id, Reason: schedule.NotWorthIt, Detail: "a feasible place exists but costs more than leaving the visit out"}
			case depBlocked:
				u = schedule.Unassigned{Visit: id, Reason: schedule.DependencyUnmet, Detail: "after the changes no place keeps its dependencies (see Explain)"}
			case lawBlocked:
				u = schedule.Unassigned{Visit: id, Reason: schedule.WorkingTimeLimit, Detail: "every place that fits its window and shift would break the worker's daily rest, weekly maximum or consecutive-days limit (see Explain)"}
			}
			unassigned = append(unassigned, u)
			continue
		}
		if bestWindows != nil {
			// It waits for a dependency: its windows open then, so that the
			// routes are timed (and finish plans it) with the wait.
			q.Visits[v].Windows = bestWindows
		}
		sh := &q.Shifts[best.si]
		i := slices.IndexFunc(work.Routes, func(r schedule.Route) bool { return r.Shift == sh.ID })
		if i < 0 {
			work.Routes = append(work.Routes, schedule.Route{Worker: sh.Worker, Shift: sh.ID})
			i = len(work.Routes) - 1
		}
		work.Routes[i].Visits = slices.Insert(work.Routes[i].Visits, best.pos, id)
		for x, t := range best.holds {
			// A start held for the route's rest break (see breakRoom).
			holds[q.Visits[x].ID] = later(holds[q.Visits[x].ID], t)
		}
		l = index(work)
	}
	// Then a visit that depends on one left out breaks its dependency wherever
	// it is: it leaves its routes too (unless frozen or kept), and so on
	// down the chain.
	if dropped := dropDependents(q, work, func(id schedule.VisitID) bool { return frozen(id) || slices.Contains(opt.Keep, id) }); len(dropped) > 0 {
		for _, d := range dropped {
			unassigned = append(unassigned, schedule.Unassigned{Visit: d[0], Reason: schedule.DependencyUnmet,
				Detail: fmt.Sprintf("depends on visit %q, which the repair could not place", d[1])})
		}
		l = index(work)
	}
	rota := l.finish(work, pubStart, pubWorker, published, unassigned, false)
	e := newEvaluation(q, rota, pl, m)
	e.run()
	if newBreaches(pub, e.rep) != nil {
		// A last resort: the routes timed as early as possible (no
		// published start kept) may hold where the published starts do not.
		early := l.finish(work, pubStart, pubWorker, published, unassigned, true)
		ee := newEvaluation(q, early, pl, m)
		ee.run()
		if newBreaches(pub, ee.rep) == nil {
			rota, e = early, ee
		}
	}
	res.Rota, res.Report, res.Orphans = rota, e.rep, orphans
	res.Diff = DiffRotas(p, published, q, rota, DiffOptions{MinShift: opt.MinShift})
	if err := newBreaches(pub, e.rep); err != nil {
		// Only frozen and kept visits are never taken out: a change that
		// breaks them (an overrun past the shift's end) cannot be repaired.
		return res, fmt.Errorf("repair: the repaired rota breaks hard rules the published one did not (frozen and kept visits do not move): %w", err)
	}
	return res, nil
}

// dropDependents takes out of work's routes every visit (not stay) that
// depends on a visit of q no route serves, repeatedly (a chain of
// dependencies empties), and returns each with the visit it depends on.
func dropDependents(q *schedule.Problem, work *schedule.Rota, stay func(schedule.VisitID) bool) [][2]schedule.VisitID {
	var out [][2]schedule.VisitID
	for {
		served := map[schedule.VisitID]bool{}
		for _, rt := range work.Routes {
			for _, id := range rt.Visits {
				served[id] = true
			}
		}
		before := len(out)
		for _, vis := range q.Visits {
			if !served[vis.ID] || stay(vis.ID) {
				continue
			}
			for _, d := range vis.Dependencies {
				if _, known := q.Visit(d.Visit); known && !served[d.Visit] {
					out = append(out, [2]schedule.VisitID{vis.ID, d.Visit})
					for i := range work.Routes {
						work.Routes[i].Visits = slices.DeleteFunc(work.Routes[i].Visits, func(id schedule.VisitID) bool { return id == vis.ID })
					}
					break
				}
			}
		}
		if len(out) == before {
			return out
		}
	}
}

// onlyLaw reports whether every violation of added (at least one) is of
// the working-time rules over several routes (lawKinds).
func onlyLaw(added []Violation) bool {
	return len(added) > 0 && !slices.ContainsFunc(added, func(v Violation) bool { return !slices.Contains(lawKinds, v.Kind) })
}

// tolerance returns, per shift of q (index), the hardKeys of the hard
// violations that pub (the published rota's report) has on that shift,
// whatever their kind: a rota made by hand or by an older planner may
// break a rule, and Repair carries such a breach over (Result.Report
// lists it; the final check compares with the published breaches by kind,
// visit, worker and shift) instead of taking visits out of the route to
// mend it. Such a route takes no orphan (see live.open): Repair does not
// add work to it. A breach naming no shift (the weekly maximum,
// consecutive days, a visit left out) needs no tolerance here: no route's
// trial reports it, and the final check carries it over.
func tolerance(q *schedule.Problem, pub *Report) map[int]map[string]bool {
	out := map[int]map[string]bool{}
	for _, v := range pub.Hard() {
		if v.Shift == "" {
			continue
		}
		si := slices.IndexFunc(q.Shifts, func(s schedule.Shift) bool { return s.ID == v.Shift })
		if si < 0 {
			continue
		}
		if out[si] == nil {
			out[si] = map[string]bool{}
		}
		out[si][hardKey(v)] = true
	}
	return out
}

// open reports whether shift si may take an orphan: its published route
// has no tolerated breach (see tolerance).
func (l *live) open(si int) bool { return len(l.tolerated[si]) == 0 }

// breachKey identifies a violation by kind, visit, worker and shift.
func breachKey(v Violation) string {
	return string(v.Kind) + "\x00" + string(v.Visit) + "\x00" + string(v.Worker) + "\x00" + string(v.Shift)
}

// newBreaches returns an error matching ErrInfeasible listing the hard
// violations of after (the repaired rota's report) that before (the
// published rota's) does not have, by kind, visit, worker and shift; nil
// when there are none.
func newBreaches(before, after *Report) error {
	fresh := &Report{Violations: newHardBy(before.Violations, after.Violations, breachKey)}
	return fresh.HardError()
}

// retimeMinutes sums, over the stops of rr that have a published start,
// the minutes between the stop's start and the published one.
func retimeMinutes(rr RouteReport, pubStart map[schedule.VisitID]time.Time) float64 {
	var total float64
	for _, st := range rr.Stops {
		if ps, ok := pubStart[st.Visit]; ok {
			total += math.Abs(st.Start.Sub(ps).Minutes())
		}
	}
	return total
}

// applyChanges returns a copy of p with the changes made, and the IDs of
// the added visits.
func applyChanges(p *schedule.Problem, changes []Change, pubStart map[schedule.VisitID]time.Time, pubRoutes []RouteReport) (*schedule.Problem, []schedule.VisitID, error) {
	q := shallowProblem(p)
	q.Leave = slices.Clone(p.Leave)
	var added []schedule.VisitID
	hasWorker := func(w care.WorkerID) bool {
		return slices.ContainsFunc(q.Workers, func(x care.Worker) bool { return x.ID == w })
	}
	visit := func(id schedule.VisitID) int {
		return slices.IndexFunc(q.Visits, func(v schedule.Visit) bool { return v.ID == id })
	}
	for i, c := range changes {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("change %d (%s): %s: %w", i+1, c.Kind, fmt.Sprintf(format, args...), ErrBadChange)
		}
		switch c.Kind {
		case WorkerUnavailable, WorkerLate:
			if !hasWorker(c.Worker) {
				return nil, nil, bad("worker %q unknown", c.Worker)
			}
			if c.At.IsZero() {
				return nil, nil, bad("worker %q: no time", c.Worker)
			}
			if c.Kind == WorkerUnavailable {
				// A visit under way at At is finished first.
				from := c.At
				for _, rr := range pubRoutes {
					for _, st := range rr.Stops {
						if rr.Worker == c.Worker && st.Start.Before(c.At) && st.End.After(from) {
							from = st.End
						}
					}
				}
				if from.Before(q.End) {
					q.Leave = append(q.Leave, schedule.Leave{Worker: c.Worker, From: from, To: q.End, Reason: "unavailable"})
				}
				continue
			}
			moved := false
			for s := range q.Shifts {
				sh := &q.Shifts[s]
				if sh.Worker == c.Worker && !c.At.Before(sh.Start) && c.At.Before(sh.End) {
					sh.Start, moved = c.At, true
				}
			}
			if !moved {
				return nil, nil, bad("worker %q: no shift covers %s", c.Worker, c.At.Format(time.RFC3339))
			}
		case VisitCancelled:
			v := visit(c.Visit)
			if v < 0 {
				return nil, nil, bad("visit %q unknown", c.Visit)
			}
			q.Visits = slices.Delete(q.Visits, v, v+1)
			for j := range q.Visits {
				if slices.ContainsFunc(q.Visits[j].Dependencies, func(d schedule.Dependency) bool { return d.Visit == c.Visit }) {
					q.Visits[j].Dependencies = slices.DeleteFunc(slices.Clone(q.Visits[j].Dependencies),
						func(d schedule.Dependency) bool { return d.Visit == c.Visit })
				}
			}
		case VisitAdded:
			if c.NewVisit == nil {
				return nil, nil, bad("no new visit")
			}
			if visit(c.NewVisit.ID) >= 0 {
				return nil, nil, bad("visit %q already exists", c.NewVisit.ID)
			}
			q.Visits = append(q.Visits, *c.NewVisit)
			added = append(added, c.NewVisit.ID)
		case VisitOverran:
			v := visit(c.Visit)
			if v < 0 {
				return nil, nil, bad("visit %q unknown", c.Visit)
			}
			st, ok := pubStart[c.Visit]
			if !ok {
				return nil, nil, bad("visit %q is not in the published rota", c.Visit)
			}
			if !c.At.After(st) {
				return nil, nil, bad("visit %q: ends %s, not after its start %s", c.Visit, c.At.Format(time.RFC3339), st.Format(time.RFC3339))
			}
			q.Visits[v].Duration = schedule.Duration(c.At.Sub(st))
		default:
			return nil, nil, bad("unknown kind")
		}
	}
	return q, added, nil
}

// finish lays out the repaired routes as a rota: legs and planned starts as
// the evaluator computes them, each visit's start in l.planned (its
// published start, or the one Repair holds it at) a lower bound, as the
// trials timed them (early: none, every route timed as early as possible),
// planned breaks by routeBreaks, and each double-handed visit's workers in
// the seat order of l.seats (the one its routes are timed with).
func (l *live) finish(work *schedule.Rota, pubStart map[schedule.VisitID]time.Time, pubWorker map[schedule.VisitID]care.WorkerID, published *schedule.Rota, unassigned []schedule.Unassigned, early bool) *schedule.Rota {
	out := &schedule.Rota{}
	booked := map[schedule.VisitID]int{}
	// pubBy: the published workers of each visit (both of a double-handed one).
	pubBreaks := map[schedule.ShiftID][]schedule.PlannedBreak{}
	for _, rt := range published.Routes {
		if _, ok := pubBreaks[rt.Shift]; !ok {
			pubBreaks[rt.Shift] = rt.Breaks
		}
	}
	for _, rt := range work.Routes {
		if len(rt.Visits) == 0 {
			continue
		}
		si := l.shiftIdx[rt.Shift]
		keep := map[schedule.VisitID]time.Time{}
		for _, id := range rt.Visits {
			v, ok := l.visitIdx[id]
			if !ok {
				continue
			}
			if t, ok := l.planned[v]; ok {
				// As the trials timed it: the published start (or the
				// start Repair holds it at) as a lower bound.
				keep[id] = t
			} else if l.p.Visits[v].CarersNeeded() > 1 && len(l.p.Visits[v].Windows) == 1 &&
				l.p.Visits[v].Windows[0].Earliest.Equal(l.p.Visits[v].Windows[0].Latest) {
				// A re-paired double-handed visit: its window is the pair's start.
				keep[id] = l.p.Visits[v].Windows[0].Earliest
			}
		}
		if early {
			keep = nil // frozen and double-handed visits keep theirs: their windows are that instant
		}
		// Published starts are kept unless they break a hard rule that the
		// earliest timing does not (a rule the route breaks either way, such
		// as a missing break, does not cost the published times). Frozen and
		// double-handed visits keep theirs either way: their windows are
		// their published starts.
		rr, viol := l.timed(si, rt, keep)
		if slices.ContainsFunc(viol, func(v Violation) bool { return v.Hard }) {
			if early, earlyViol := l.timed(si, rt, nil); len(newHard(earlyViol, viol)) > 0 {
				rr = early
			}
		}
		rt.Legs = rr.Legs
		rt.Breaks = l.routeBreaks(si, rr, pubBreaks[rt.Shift])
		out.Routes = append(out.Routes, rt)
		for _, st := range rr.Stops {
			if i, ok := booked[st.Visit]; ok {
				// A double-handed visit: one assignment with both workers.
				out.Assignments[i].Workers = append(out.Assignments[i].Workers, rt.Worker)
				if st.Start.Before(out.Assignments[i].Start) {
					out.Assignments[i].Start = st.Start
				}
				continue
			}
			booked[st.Visit] = len(out.Assignments)
			out.Assignments = append(out.Assignments, schedule.Assignment{Visit: st.Visit, Workers: []care.WorkerID{rt.Worker}, Start: st.Start})
		}
	}
	served := map[schedule.VisitID]bool{}
	for i, a := range out.Assignments {
		served[a.Visit] = true
		// A double-handed visit lists its workers in the seat order its
		// routes were timed with (see live.seats), not in route order.
		if order := l.seats[a.Visit]; len(order) == len(a.Workers) && !slices.ContainsFunc(a.Workers, func(w care.WorkerID) bool { return !slices.Contains(order, w) }) {
			out.Assignments[i].Workers = slices.Clone(order)
		}
	}
	listed := map[schedule.VisitID]bool{}
	for _, u := range append(slices.Clone(published.Unassigned), unassigned...) {
		if _, ok := l.visitIdx[u.Visit]; ok && !served[u.Visit] && !listed[u.Visit] {
			out.Unassigned = append(out.Unassigned, u)
			listed[u.Visit] = true
		}
	}
	for _, vis := range l.p.Visits {
		if !served[vis.ID] && !listed[vis.ID] {
			u := schedule.Unassigned{Visit: vis.ID, Reason: schedule.NotWorthIt, Detail: "not in the published rota and not re-planned by repair"}
			if vis.CarersNeeded() > 1 {
				u.Reason, u.Detail = schedule.NoPartner, "not in the published rota and not re-planned by repair"
			}
			out.Unassigned = append(out.Unassigned, u)
		}
	}
	slices.SortFunc(out.Assignments, func(a, b schedule.Assignment) int { return a.Start.Compare(b.Start) })
	return out
}

// timed evaluates route rt on shift si with the given planned starts, a
// double-handed visit's worker taking their seat of l.seats.
func (l *live) timed(si int, rt schedule.Route, starts map[schedule.VisitID]time.Time) (RouteReport, []Violation) {
	r := &schedule.Rota{}
	for _, id := range rt.Visits {
		workers := []care.WorkerID{rt.Worker}
		order := l.seats[id]
		if slices.Contains(order, rt.Worker) {
			// The worker's own seat (and its duration), as finish lists it.
			workers = order
		}
		if st, ok := starts[id]; ok || len(workers) > 1 {
			r.Assignments = append(r.Assignments, schedule.Assignment{Visit: id, Workers: workers, Start: st})
		}
	}
	e := newEvaluation(l.p, r, l.pl, l.m)
	for i := range r.Assignments {
		e.assigned[r.Assignments[i].Visit] = &r.Assignments[i]
	}
	rt.Legs, rt.Breaks = nil, nil
	e.route(&rt, si)
	// The starts are lower bounds: finish plans the starts it computes.
	return e.rep.Routes[0], slices.DeleteFunc(e.rep.Violations, func(v Violation) bool { return v.Kind == StartMismatch })
}

// routeBreaks returns the planned breaks of a repaired route of shift si
// timed as rr: the published route's breaks (published) that still lie
// inside a wait before a visit, as Evaluate checks them; and when the
// route works longer than Rules.BreakAfter (REFERENCE.md WTR-BREAK, WTR
// reg 12) and none of those is the break it owes (Rules.BreakLength, within
// one of the shift's break windows when it declares them, then at least
// that break's Length), a new one at the start of the first wait long
// enough. When no wait is (a route Repair could not keep a break in),
// none is added and Evaluate reports missing_break.
func (l *live) routeBreaks(si int, rr RouteReport, published []schedule.PlannedBreak) []schedule.PlannedBreak {
	gaps := idle(&rr)
	within := func(from, to time.Time) bool {
		return slices.ContainsFunc(gaps, func(g [2]time.Time) bool {
			return !from.Before(g[0].Add(-Tolerance)) && !to.After(g[1].Add(Tolerance))
		})
	}
	var kept []schedule.PlannedBreak
	for _, b := range published {
		if b.Length > 0 && within(b.Start, b.End()) {
			kept = append(kept, b)
		}
	}
	sh := &l.p.Shifts[si]
	rules := l.ev.rulesFor(sh.Worker)
	after, length := rules.BreakAfter.Std(), rules.BreakLength.Std()
	if after <= 0 || length <= 0 || rr.WorkingTime <= after+Tolerance {
		return kept
	}
	// owed reports whether a break from start for d is the one owed.
	owed := func(start time.Time, d time.Duration) bool {
		if len(sh.Breaks) == 0 {
			return d >= length-Tolerance
		}
		return slices.ContainsFunc(sh.Breaks, func(w schedule.Break) bool {
			return !start.Before(w.Earliest.Add(-Tolerance)) && !start.After(w.Latest.Add(Tolerance)) && d >= max(length, w.Length.Std())-Tolerance
		})
	}
	if slices.ContainsFunc(kept, func(b schedule.PlannedBreak) bool { return owed(b.Start, b.Length.Std()) }) {
		return kept
	}
	for _, g := range gaps {
		var b *schedule.PlannedBreak
		if len(sh.Breaks) == 0 {
			if g[1].Sub(g[0]) >= length-Tolerance {
				b = &schedule.PlannedBreak{Start: g[0], Length: schedule.Duration(length)}
			}
		}
		for _, w := range sh.Breaks {
			from := later(g[0], w.Earliest)
			need := max(length, w.Length.Std())
			if b == nil && !from.After(w.Latest.Add(Tolerance)) && g[1].Sub(from) >= need-Tolerance {
				b = &schedule.PlannedBreak{Start: from, Length: schedule.Duration(need)}
			}
		}
		if b == nil {
			continue
		}
		out := slices.DeleteFunc(kept, func(k schedule.PlannedBreak) bool { return k.Start.Before(b.End()) && b.Start.Before(k.End()) })
		out = append(out, *b)
		slices.SortFunc(out, func(x, y schedule.PlannedBreak) int { return x.Start.Compare(y.Start) })
		return out
	}
	return kept
}

// ejection is an orphan placed by moving one other visit.
type ejection struct {
	si, si2       int   // the orphan's shift; the moved visit's new shift
	route, route2 []int // their new visit lists
	moved         int   // the moved visit
}

// eject finds the cheapest way to serve orphan o by taking one unfrozen,
// unpinned visit u out of a route whose span meets o's window, inserting o
// there, and inserting u at its cheapest feasible place in another route
// (feasible: no hard violation, and no breach of the working-time law over
// the worker's routes that they do not have now; see lawAdds).
// The cost counts the two routes' terms, o's penalty saved and moveCost
// for u (and for o when its published worker differs). It returns nil when
// nothing beats leaving o out.
func (l *live) eject(o int, frozen, fixed func(schedule.VisitID) bool, pubWorker map[schedule.VisitID]care.WorkerID, moveCost float64) *ejection {
	ov := &l.p.Visits[o]
	penalty := l.p.Weights.Unassigned * float64(1+ov.Priority)
	var best *ejection
	bestCost := 0.0
	for si := range l.p.Shifts {
		if !l.mayServe(o, si) || !l.open(si) {
			continue
		}
		route := l.routes[si]
		baseRR, _ := l.trial(si, route)
		base := l.routeTerms(si, baseRR).Total
		minPos := 0
		for i, x := range route {
			if frozen(l.p.Visits[x].ID) {
				minPos = i + 1
			}
		}
		worker := l.p.Shifts[si].Worker
		oCost := 0.0
		if w, ok := pubWorker[ov.ID]; ok && w != worker {
			oCost = moveCost
		}
		for j := minPos; j < len(route); j++ {
			u := route[j]
			if len(l.p.Visits[u].Pinned) > 0 || fixed(l.p.Visits[u].ID) {
				continue
			}
			without := slices.Delete(slices.Clone(route), j, j+1)
			// The orphan's cheapest feasible place in the route without u.
			var in []int
			var inRR RouteReport
			inCost := math.Inf(1)
			for pos := minPos; pos <= len(without); pos++ {
				r := slices.Insert(slices.Clone(without), pos, o)
				rr, viol := l.trial(si, r)
				if slices.ContainsFunc(viol, func(v Violation) bool { return v.Hard }) || len(l.lawAdds(si, &rr, -1, nil)) > 0 {
					continue
				}
				if c := l.routeTerms(si, rr).Total - base; c < inCost {
					in, inRR, inCost = r, rr, c
				}
			}
			if in == nil || inCost+oCost-penalty >= bestCost {
				continue
			}
			// u's cheapest feasible place elsewhere.
			for s2 := range l.p.Shifts {
				if s2 == si || !l.mayServe(u, s2) || !l.open(s2) {
					continue
				}
				r2 := l.routes[s2]
				min2 := 0
				for i, x := range r2 {
					if frozen(l.p.Visits[x].ID) {
						min2 = i + 1
					}
				}
				b2RR, _ := l.trial(s2, r2)
				b2 := l.routeTerms(s2, b2RR).Total
				for pos := min2; pos <= len(r2); pos++ {
					r := slices.Insert(slices.Clone(r2), pos, u)
					rr, viol := l.trialFree(s2, r, u) // u moves: as early as possible
					if slices.ContainsFunc(viol, func(v Violation) bool { return v.Hard }) || len(l.lawAdds(s2, &rr, si, &inRR)) > 0 {
						continue
					}
					c := inCost + oCost - penalty + l.routeTerms(s2, rr).Total - b2 + moveCost
					if c < bestCost {
						best, bestCost = &ejection{si: si, si2: s2, route: in, route2: r, moved: u}, c
					}
				}
			}
		}
	}
	return best
}

// maxPairTrials bounds the pairs of seats placePair verifies per visit.
const maxPairTrials = 200

// placePair re-plans double-handed orphan v with two workers who start it
// together: every feasible place of one seat (trial insertion after the
// frozen part of each route, as for single orphans) is paired with one of
// another worker; pairs are tried cheapest first (both routes' terms, the
// penalty saved once, moveCost per seat whose worker was not on the
// published visit), each with the visit's start held at the later of the
// two seats' starts (its window narrowed to that instant, in the problem,
// for good); the first pair that adds no hard violation to the whole rota
// (seat skills, dependencies, working-time law, as Evaluate checks them)
// and beats leaving the visit out is put in work. It reports whether one was.
//
// The places are found by seatPlaces, shared with Recommend: with
// SeatDurations each place is for one seat, timed with that seat's
// duration, and a pair takes one place of each seat. The pair's seat order
// is recorded in l.seats, and the repaired rota lists the visit's workers
// in it (the first takes SeatDurations[0]).
func (l *live) placePair(v int, work *schedule.Rota, pinned func(schedule.VisitID) bool, pubBy map[schedule.VisitID][]care.WorkerID,
	pubStart map[schedule.VisitID]time.Time, pubWorker map[schedule.VisitID]care.WorkerID, moveCost float64) bool {
	vis := &l.p.Visits[v]
	var seats []seat
	for si := range l.p.Shifts {
		if !l.mayServe(v, si) || !l.open(si) {
			continue
		}
		minPos := 0
		for i, x := range l.routes[si] {
			if pinned(l.p.Visits[x].ID) {
				minPos = i + 1
			}
		}
		broken := l.broken(si)
		seats = append(seats, l.seatPlaces(v, si, minPos, func(s seat) bool {
			return !broken || l.keepsPublished(si, s.ins.route, pubStart, pubWorker)
		})...)
	}
	penalty := l.p.Weights.Unassigned * float64(1+vis.Priority)
	type pair struct {
		a, b int
		cost float64
	}
	var pairs []pair
	seatCost := func(s seat) float64 {
		c := s.ins.delta.Total
		if !slices.Contains(pubBy[vis.ID], l.p.Shifts[s.ins.si].Worker) {
			c += moveCost
		}
		return c
	}
	for a := range seats {
		for b := a + 1; b < len(seats); b++ {
			if !l.pairable(seats[a], seats[b]) {
				continue
			}
			if c := seatCost(seats[a]) + seatCost(seats[b]) + penalty; c < 0 {
				pairs = append(pairs, pair{a: a, b: b, cost: c})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return compareFloat(x.cost, y.cost) })
	if len(pairs) > maxPairTrials {
		pairs = pairs[:maxPairTrials]
	}
	windows := vis.Windows
	baseRota := l.withRoutes(work, nil)
	baseRota.Assignments = l.seatAssignments()
	base := newEvaluation(l.p, baseRota, l.pl, l.m)
	base.run()
	for _, pr := range pairs {
		sa, sb := seats[pr.a], seats[pr.b]
		if sb.of == 0 {
			sa, sb = sb, sa // the first seat's worker first
		}
		t := later(sa.start, sb.start)
		order := []care.WorkerID{l.p.Shifts[sa.ins.si].Worker, l.p.Shifts[sb.ins.si].Worker}
		if !l.seatsHeld(v, order[0], order[1], t) {
			continue
		}
		vis.Windows = []schedule.Window{{Earliest: t, Latest: t}}
		// Each seat timed with its own duration, as Evaluate reads it.
		l.setSeats(vis.ID, order)
		cost := pr.cost
		ok := true
		for _, s := range []seat{sa, sb} {
			_, beforeViol := l.trial(s.ins.si, l.routes[s.ins.si])
			rr, viol := l.trial(s.ins.si, s.ins.route)
			if len(newHard(beforeViol, viol)) > 0 {
				ok = false
				break
			}
			cost += l.routeTerms(s.ins.si, rr).Total - l.routeTerms(s.ins.si, s.ins.rr).Total
		}
		if ok && cost < 0 {
			trial := l.withRoutes(work, map[int][]int{sa.ins.si: sa.ins.route, sb.ins.si: sb.ins.route})
			trial.Assignments = l.seatAssignments()
			e := newEvaluation(l.p, trial, l.pl, l.m)
			e.run()
			// The working rota has no bookings but the seat orders: only
			// the rules themselves count (not the missing bookings).
			added := slices.DeleteFunc(newHard(base.rep.Violations, floatHard(e.rep.Violations, vis.ID)), func(v Violation) bool { return v.Kind == AssignmentMismatch })
			if len(added) == 0 {
				work.Routes = trial.Routes
				return true
			}
		}
		l.clearSeats(vis.ID)
		vis.Windows = windows
	}
	return false
}

// withRoutes returns a copy of work's routes with the routes of the given
// shifts replaced by the given visit lists (routes added when missing).
func (l *live) withRoutes(work *schedule.Rota, set map[int][]int) *schedule.Rota {
	out := &schedule.Rota{Routes: slices.Clone(work.Routes)}
	for si, visits := range set {
		sh := &l.p.Shifts[si]
		nr := schedule.Route{Worker: sh.Worker, Shift: sh.ID}
		for _, x := range visits {
			nr.Visits = append(nr.Visits, l.p.Visits[x].ID)
		}
		if i := slices.IndexFunc(out.Routes, func(r schedule.Route) bool { return r.Shift == sh.ID }); i >= 0 {
			out.Routes[i] = nr
		} else {
			out.Routes = append(out.Routes, nr)
		}
	}
	return out
}

// broken reports whether shift si's current route, timed as early as
// possible, breaks a hard rule (then insertions into it must also hold
// with the published waits kept: see keepsPublished).
func (l *live) broken(si int) bool {
	_, viol := l.trial(si, l.routes[si])
	return len(l.hard(si, viol)) > 0
}

// keepsPublished reports whether shift si's route (visits, in order), timed
// with the published starts of the visits that were its worker's, breaks no
// hard rule.
func (l *live) keepsPublished(si int, route []int, pubStart map[schedule.VisitID]time.Time, pubWorker map[schedule.VisitID]care.WorkerID) bool {
	sh := &l.p.Shifts[si]
	rt := schedule.Route{Worker: sh.Worker, Shift: sh.ID}
	keep := map[schedule.VisitID]time.Time{}
	for _, v := range route {
		id := l.p.Visits[v].ID
		rt.Visits = append(rt.Visits, id)
		if st, ok := pubStart[id]; ok && (pubWorker[id] == sh.Worker || l.p.Visits[v].CarersNeeded() > 1) {
			keep[id] = st
		}
	}
	_, viol := l.timed(si, rt, keep)
	return len(l.hard(si, viol)) == 0
}
