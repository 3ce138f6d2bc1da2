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
	// Arrival is the ETA there, as the evaluator computes it (every stop
	// as early as possible).
	Arrival time.Time `json:"arrival"`
	// Start is the start of service there, computed the same way.
	Start time.Time `json:"start"`
	// Cost is the change of the rota's objective, term by term (Cost.Total
	// ranks the recommendations; negative is an improvement, e.g. a visit
	// that was unassigned no longer pays its penalty).
	Cost Objective `json:"cost"`
	// Reason says in words what the cost is made of, e.g.
	// "serves a visit left out (-1000.0); travel +10m0s; already visits the service user".
	Reason string `json:"reason"`
}

// Recommend returns the k cheapest feasible places for visit id in rota r:
// every position of every shift's route is tried (after taking the visit out
// of its current route, if any) and evaluated by the evaluator's rules;
// places that add a hard violation to the route (window, shift end, maximum
// shift, capacity, skills, exclusions, pins, leave) are dropped, and the
// rest are ranked by the change of the objective, then by start time. It
// serves a new visit (in the problem but not routed) and a visit to be
// moved alike. Times of the changed routes float: planned starts are
// recomputed, every stop as early as possible.
//
// k <= 0 returns every feasible place. Part 1 plans one carer per visit: a
// double-handed visit gets single-worker places (pairs come with part 2).
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
	var out []Recommendation
	for si := range p.Shifts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("recommend: %w", context.Cause(ctx))
		}
		if !l.mayServe(v, si) {
			continue
		}
		for _, ins := range l.insertions(v, si, 0) {
			if len(ins.added) > 0 {
				continue
			}
			out = append(out, l.recommendation(ins))
		}
	}
	slices.SortStableFunc(out, func(a, b Recommendation) int {
		if c := compareFloat(a.Cost.Total, b.Cost.Total); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	})
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

// recommendation turns a feasible insertion into a Recommendation.
func (l *live) recommendation(ins insertion) Recommendation {
	vis := &l.p.Visits[ins.v]
	sh := &l.p.Shifts[ins.si]
	rec := Recommendation{Visit: vis.ID, Worker: sh.Worker, Shift: sh.ID, Position: ins.pos, Cost: ins.delta}
	if st, ok := stopOf(ins.rr, vis.ID); ok {
		rec.Arrival, rec.Start = st.Arrival, st.Start
	}
	rec.Reason = describeCost(ins.delta, l.seen[vis.ServiceUser][sh.Worker] > 0)
	return rec
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
	if knows {
		parts = append(parts, "already visits the service user")
	}
	if len(parts) == 0 {
		return "no change of cost"
	}
	return strings.Join(parts, "; ")
}
