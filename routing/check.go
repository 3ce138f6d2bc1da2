package routing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// ErrUnknownVisit is matched when a function is asked about a visit the
// problem does not have.
var ErrUnknownVisit = errors.New("unknown visit")

// CheckOptions control Check.
type CheckOptions struct {
	// Travel measures travel; nil = FromProblem(p), the problem's own model.
	Travel MatrixProvider `json:"-"`
}

// VisitCheck is what check mode says about one visit of the problem.
type VisitCheck struct {
	// Visit is the visit's ID.
	Visit schedule.VisitID `json:"visit"`
	// Workers are the workers whose routes serve the visit (empty when none does).
	Workers []care.WorkerID `json:"workers,omitempty"`
	// Stops are the visit's recomputed timings (arrival, start, end, wait,
	// lateness), one per route serving it: the ETAs a coordinator reads.
	Stops []StopReport `json:"stops,omitempty"`
	// Unassigned is the rota's unassigned entry for the visit, when it has one.
	Unassigned *schedule.Unassigned `json:"unassigned,omitempty"`
	// Violations name the visit.
	Violations []Violation `json:"violations,omitempty"`
}

// WorkerCheck is what check mode says about one worker.
type WorkerCheck struct {
	// Worker is the worker's ID.
	Worker care.WorkerID `json:"worker"`
	// Routes are the worker's recomputed routes, one per shift used.
	Routes []RouteReport `json:"routes,omitempty"`
	// Visits counts the stops of the worker's routes.
	Visits int `json:"visits"`
	// WorkingTime sums the working time (leaving to returning) of the worker's routes.
	WorkingTime time.Duration `json:"working_time"`
	// TravelTime sums the travel time of the worker's routes.
	TravelTime time.Duration `json:"travel_time"`
	// Violations name the worker, or a shift of the worker's.
	Violations []Violation `json:"violations,omitempty"`
}

// CheckReport is the outcome of check mode: the evaluator's report, plus
// the same facts laid out per visit and per worker.
type CheckReport struct {
	// Report is Evaluate's report: routes, totals, objective term by term and
	// every violation.
	Report *Report `json:"report"`
	// Visits has one entry per visit of the problem, in the problem's order.
	Visits []VisitCheck `json:"visits"`
	// Workers has one entry per worker of the problem, in the problem's
	// order, then one for each unknown worker a violation names.
	Workers []WorkerCheck `json:"workers"`
	// Unattributed are violations that name neither a known visit nor a
	// worker (for example a route naming an unknown shift and no worker).
	Unattributed []Violation `json:"unattributed,omitempty"`
}

// Check is check mode: it scores any rota, planned by hand, imported or
// returned by a solver, against p. It runs the independent evaluator
// (EvaluateWith, with opt.Travel) and lays out its findings per visit (the
// workers serving it, its ETAs, its unassigned entry and every violation
// naming it) and per worker (routes, totals and every violation naming the
// worker or one of the worker's shifts). A violation that names both a
// visit and a worker appears under both. The objective is the Report's,
// term by term; nothing is optimised or changed.
//
// The error is non-nil only when the check cannot be made (nil or invalid
// problem, nil rota, travel that cannot be measured); a bad rota gives
// violations, not an error.
func Check(ctx context.Context, p *schedule.Problem, r *schedule.Rota, opt CheckOptions) (*CheckReport, error) {
	rep, err := EvaluateWith(ctx, p, r, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	out := &CheckReport{Report: rep, Visits: make([]VisitCheck, len(p.Visits))}
	visitIdx := make(map[schedule.VisitID]int, len(p.Visits))
	for i := range p.Visits {
		visitIdx[p.Visits[i].ID] = i
		out.Visits[i].Visit = p.Visits[i].ID
	}
	workerIdx := map[care.WorkerID]int{}
	worker := func(id care.WorkerID) *WorkerCheck {
		i, ok := workerIdx[id]
		if !ok {
			i = len(out.Workers)
			workerIdx[id] = i
			out.Workers = append(out.Workers, WorkerCheck{Worker: id})
		}
		return &out.Workers[i]
	}
	for i := range p.Workers {
		worker(p.Workers[i].ID)
	}
	shiftWorker := make(map[schedule.ShiftID]care.WorkerID, len(p.Shifts))
	for _, sh := range p.Shifts {
		shiftWorker[sh.ID] = sh.Worker
	}
	for _, rr := range rep.Routes {
		wc := worker(rr.Worker)
		wc.Routes = append(wc.Routes, rr)
		wc.Visits += len(rr.Stops)
		wc.WorkingTime += rr.WorkingTime
		wc.TravelTime += rr.Travel
		for _, st := range rr.Stops {
			if v, ok := visitIdx[st.Visit]; ok {
				vc := &out.Visits[v]
				vc.Stops = append(vc.Stops, st)
				if !slices.Contains(vc.Workers, rr.Worker) {
					vc.Workers = append(vc.Workers, rr.Worker)
				}
			}
		}
	}
	for i := range r.Unassigned {
		if v, ok := visitIdx[r.Unassigned[i].Visit]; ok && out.Visits[v].Unassigned == nil {
			u := r.Unassigned[i]
			out.Visits[v].Unassigned = &u
		}
	}
	for _, vi := range rep.Violations {
		placed := false
		if v, ok := visitIdx[vi.Visit]; ok && vi.Visit != "" {
			out.Visits[v].Violations = append(out.Visits[v].Violations, vi)
			placed = true
		}
		w := vi.Worker
		if sw, ok := shiftWorker[vi.Shift]; ok && (w == "" || sw != w) {
			// A wrong worker on a route is reported against both the route's
			// worker and the shift's owner.
			if w != "" {
				wc := worker(w)
				wc.Violations = append(wc.Violations, vi)
			}
			w = sw
		}
		if w != "" {
			wc := worker(w)
			wc.Violations = append(wc.Violations, vi)
			placed = true
		}
		if !placed {
			out.Unattributed = append(out.Unattributed, vi)
		}
	}
	return out, nil
}
