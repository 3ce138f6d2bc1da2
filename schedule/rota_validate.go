package schedule

import (
	"errors"
	"fmt"
	"slices"

	"github.com/carecoord/care"
)

// Reasons lists the defined reasons for unassigned visits in a stable order.
func Reasons() []Reason {
	return []Reason{NoEligibleWorker, NoShift, WindowUnreachable, NoPartner, CapacityExceeded,
		WorkingTimeLimit, DependencyUnmet, Cancelled, NotWorthIt}
}

// Validate checks that the rota refers to problem p consistently: every
// visit, worker and shift it names exists; no visit is assigned twice, or
// both assigned and unassigned; each assignment has as many distinct workers
// as the visit needs; each route's shift belongs to its worker and its legs
// follow its visits; and, when the rota has routes, every assigned worker
// has the visit on one of their routes and every routed visit is assigned to
// that worker; each planned break has a start and a positive length, does
// not overlap the previous one, lies inside its shift and, when the route has
// legs that follow its visits, inside a wait of those legs (between arriving
// at a visit and starting it). It does NOT check timing or feasibility (windows, travel,
// skills, working time): that is the evaluator's job in package routing.
//
// Every error is a *care.FieldError naming the visit or shift ID and the
// rota field (e.g. "assignments[3].workers"); they are joined with errors.Join.
func (r *Rota) Validate(p *Problem) error {
	if p == nil {
		return care.Invalid(kindRota, "", "", "no problem to check the rota against")
	}
	var errs []error
	visitIdx := make(map[VisitID]*Visit, len(p.Visits))
	for i := range p.Visits {
		visitIdx[p.Visits[i].ID] = &p.Visits[i]
	}
	workerIdx := make(map[care.WorkerID]bool, len(p.Workers))
	for i := range p.Workers {
		workerIdx[p.Workers[i].ID] = true
	}
	shiftIdx := make(map[ShiftID]*Shift, len(p.Shifts))
	for i := range p.Shifts {
		shiftIdx[p.Shifts[i].ID] = &p.Shifts[i]
	}

	assigned := map[VisitID]int{}
	for i, a := range r.Assignments {
		field := fmt.Sprintf("assignments[%d]", i)
		bad := func(f, format string, args ...any) {
			errs = append(errs, care.Invalid(kindVisit, string(a.Visit), field+f, format, args...))
		}
		v, ok := visitIdx[a.Visit]
		if !ok {
			bad(".visit", "unknown visit")
		}
		if j, dup := assigned[a.Visit]; dup {
			bad(".visit", "visit assigned twice (also assignments[%d])", j)
		} else {
			assigned[a.Visit] = i
		}
		if a.Start.IsZero() {
			bad(".start", "is required")
		}
		if ok && len(a.Workers) != v.CarersNeeded() {
			bad(".workers", "has %d workers, the visit needs %d", len(a.Workers), v.CarersNeeded())
		}
		for j, w := range a.Workers {
			if !workerIdx[w] {
				bad(fmt.Sprintf(".workers[%d]", j), "unknown worker %q", w)
			}
			if slices.Index(a.Workers, w) < j {
				bad(fmt.Sprintf(".workers[%d]", j), "worker %q listed twice", w)
			}
		}
	}
	unassigned := map[VisitID]int{}
	for i, u := range r.Unassigned {
		field := fmt.Sprintf("unassigned[%d]", i)
		bad := func(f, format string, args ...any) {
			errs = append(errs, care.Invalid(kindVisit, string(u.Visit), field+f, format, args...))
		}
		if _, ok := visitIdx[u.Visit]; !ok {
			bad(".visit", "unknown visit")
		}
		if j, dup := unassigned[u.Visit]; dup {
			bad(".visit", "visit listed as unassigned twice (also unassigned[%d])", j)
		} else {
			unassigned[u.Visit] = i
		}
		if j, both := assigned[u.Visit]; both {
			bad(".visit", "visit is both assigned (assignments[%d]) and unassigned", j)
		}
		if !slices.Contains(Reasons(), u.Reason) {
			bad(".reason", "unknown reason %q", truncate(string(u.Reason), 40))
		}
	}

	// routed[visit] = workers whose routes hold the visit.
	routed := map[VisitID][]care.WorkerID{}
	routeOf := map[ShiftID]int{}
	for i, rt := range r.Routes {
		field := fmt.Sprintf("routes[%d]", i)
		bad := func(f, format string, args ...any) {
			errs = append(errs, care.Invalid(kindShift, string(rt.Shift), field+f, format, args...))
		}
		s, ok := shiftIdx[rt.Shift]
		if !ok {
			bad(".shift", "unknown shift")
		} else if s.Worker != rt.Worker {
			bad(".worker", "route names worker %q but the shift belongs to worker %q", rt.Worker, s.Worker)
		}
		if j, dup := routeOf[rt.Shift]; dup {
			bad(".shift", "shift has two routes (also routes[%d])", j)
		} else {
			routeOf[rt.Shift] = i
		}
		if !workerIdx[rt.Worker] {
			bad(".worker", "unknown worker %q", rt.Worker)
		}
		for j, v := range rt.Visits {
			if _, ok := visitIdx[v]; !ok {
				bad(fmt.Sprintf(".visits[%d]", j), "unknown visit %q", v)
			}
			if slices.Index(rt.Visits, v) < j {
				bad(fmt.Sprintf(".visits[%d]", j), "visit %q appears twice on the route", v)
			}
			routed[v] = append(routed[v], rt.Worker)
		}
		if len(rt.Legs) > 0 {
			errs = append(errs, checkLegs(rt, field)...)
		}
		if len(rt.Breaks) > 0 {
			errs = append(errs, checkBreaks(rt, s, field)...)
		}
	}
	if len(r.Routes) > 0 {
		for i, a := range r.Assignments {
			for j, w := range a.Workers {
				if !slices.Contains(routed[a.Visit], w) {
					errs = append(errs, care.Invalid(kindVisit, string(a.Visit), fmt.Sprintf("assignments[%d].workers[%d]", i, j),
						"worker %q has no route with this visit", w))
				}
			}
		}
		vids := make([]VisitID, 0, len(routed))
		for v := range routed {
			vids = append(vids, v)
		}
		slices.Sort(vids)
		for _, v := range vids {
			ai, ok := assigned[v]
			for _, w := range routed[v] {
				if !ok || !slices.Contains(r.Assignments[ai].Workers, w) {
					errs = append(errs, care.Invalid(kindVisit, string(v), "routes",
						"on a route of worker %q but not assigned to that worker", w))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkLegs checks that a route's legs follow its visits: len(Visits)+1 legs
// from the shift start through each visit to the shift end, with arrival not
// before departure and finite non-negative travel and distance.
func checkLegs(rt Route, field string) []error {
	var errs []error
	bad := func(f, format string, args ...any) {
		errs = append(errs, care.Invalid(kindShift, string(rt.Shift), field+f, format, args...))
	}
	if len(rt.Legs) != len(rt.Visits)+1 {
		bad(".legs", "has %d legs, want %d (one more than the visits)", len(rt.Legs), len(rt.Visits)+1)
		return errs
	}
	for i, l := range rt.Legs {
		var from, to VisitID
		if i > 0 {
			from = rt.Visits[i-1]
		}
		if i < len(rt.Visits) {
			to = rt.Visits[i]
		}
		f := fmt.Sprintf(".legs[%d]", i)
		if l.From != from || l.To != to {
			bad(f, "goes from %q to %q, want from %q to %q (\"\" = shift start or end)", l.From, l.To, from, to)
		}
		if l.Arrive.Before(l.Depart) {
			bad(f+".arrive", "before depart")
		}
		if l.Travel < 0 {
			bad(f+".travel", "must not be negative, got %s", l.Travel)
		}
		if l.Wait < 0 {
			bad(f+".wait", "must not be negative, got %s", l.Wait)
		}
		if !finite(l.Distance) || l.Distance < 0 {
			bad(f+".distance", "must be a finite number >= 0, got %v", l.Distance)
		}
	}
	return errs
}

// checkBreaks checks a route's planned breaks: a start, a positive length,
// in time order without overlap, inside the shift s (when known) and, when
// the legs follow the visits, inside the wait of one leg (from its Arrive
// for its Wait, before a visit), so never over travel or a visit.
func checkBreaks(rt Route, s *Shift, field string) []error {
	var errs []error
	bad := func(f, format string, args ...any) {
		errs = append(errs, care.Invalid(kindShift, string(rt.Shift), field+f, format, args...))
	}
	legsOK := len(rt.Legs) > 0 && len(checkLegs(rt, field)) == 0
	for i, b := range rt.Breaks {
		f := fmt.Sprintf(".breaks[%d]", i)
		if b.Start.IsZero() {
			bad(f+".start", "is required")
			continue
		}
		if b.Length <= 0 {
			bad(f+".length", "must be positive, got %s", b.Length)
			continue
		}
		if i > 0 && !rt.Breaks[i-1].Start.IsZero() && b.Start.Before(rt.Breaks[i-1].End()) {
			bad(f+".start", "before the end of breaks[%d]", i-1)
		}
		if s != nil && (b.Start.Before(s.Start) || b.End().After(s.End)) {
			bad(f, "not inside the shift")
		}
		if legsOK && !slices.ContainsFunc(rt.Legs[:len(rt.Legs)-1], func(l Leg) bool {
			return !b.Start.Before(l.Arrive) && !b.End().After(l.Arrive.Add(l.Wait.Std()))
		}) {
			bad(f, "not inside a wait before a visit (a break must not overlap travel or a visit)")
		}
	}
	return errs
}
