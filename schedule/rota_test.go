package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRotaValidateBadInputs(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(r *Rota)
		kind   string
		id     string
		field  string
		want   string
	}{
		{"unknown visit", func(r *Rota) { r.Assignments[0].Visit = "v9" }, kindVisit, "v9", "assignments[0].visit", "unknown visit"},
		{"assigned twice", func(r *Rota) { r.Assignments = append(r.Assignments, r.Assignments[0]) }, kindVisit, "v1", "assignments[1].visit", "assigned twice"},
		{"assigned and unassigned", func(r *Rota) { r.Unassigned[0].Visit = "v1" }, kindVisit, "v1", "unassigned[0].visit", "both assigned"},
		{"unassigned twice", func(r *Rota) { r.Unassigned = append(r.Unassigned, r.Unassigned[0]) }, kindVisit, "v2", "unassigned[1].visit", "unassigned twice"},
		{"unknown reason", func(r *Rota) { r.Unassigned[0].Reason = "bored" }, kindVisit, "v2", "unassigned[0].reason", `"bored"`},
		{"wrong worker count", func(r *Rota) { r.Assignments[0].Workers = r.Assignments[0].Workers[:1] }, kindVisit, "v1", "assignments[0].workers", "has 1 workers, the visit needs 2"},
		{"unknown worker", func(r *Rota) { r.Assignments[0].Workers[1] = "w7" }, kindVisit, "v1", "assignments[0].workers[1]", `unknown worker "w7"`},
		{"same worker twice", func(r *Rota) { r.Assignments[0].Workers[1] = "w1" }, kindVisit, "v1", "assignments[0].workers[1]", "listed twice"},
		{"missing start", func(r *Rota) { r.Assignments[0].Start = time.Time{} }, kindVisit, "v1", "assignments[0].start", "required"},
		{"unknown shift", func(r *Rota) { r.Routes[0].Shift = "s9" }, kindShift, "s9", "routes[0].shift", "unknown shift"},
		{"shift of another worker", func(r *Rota) { r.Routes[1].Shift = "s1" }, kindShift, "s1", "routes[1].worker", `shift belongs to worker "w1"`},
		{"two routes for a shift", func(r *Rota) { r.Routes[1].Shift = "s1"; r.Routes[1].Worker = "w1" }, kindShift, "s1", "routes[1].shift", "two routes"},
		{"route unknown visit", func(r *Rota) { r.Routes[1].Visits = append(r.Routes[1].Visits, "v8") }, kindShift, "s2", "routes[1].visits[1]", `unknown visit "v8"`},
		{"visit twice on route", func(r *Rota) { r.Routes[1].Visits = append(r.Routes[1].Visits, "v1") }, kindShift, "s2", "routes[1].visits[1]", "twice"},
		{"assigned worker without route", func(r *Rota) { r.Routes[1].Visits = nil }, kindVisit, "v1", "assignments[0].workers[1]", `worker "w2" has no route`},
		{"routed but not assigned", func(r *Rota) { r.Routes[1].Visits = []VisitID{"v1", "v2"} }, kindVisit, "v2", "routes", `worker "w2" but not assigned`},
		{"legs count", func(r *Rota) { r.Routes[0].Legs = r.Routes[0].Legs[:1] }, kindShift, "s1", "routes[0].legs", "has 1 legs, want 2"},
		{"leg order", func(r *Rota) { r.Routes[0].Legs[1].From = "v2" }, kindShift, "s1", "routes[0].legs[1]", `want from "v1"`},
		{"leg arrives before departing", func(r *Rota) { r.Routes[0].Legs[0].Arrive = r.Routes[0].Legs[0].Depart.Add(-1) }, kindShift, "s1", "routes[0].legs[0].arrive", "before depart"},
		{"leg negative travel", func(r *Rota) { r.Routes[0].Legs[0].Travel = -1 }, kindShift, "s1", "routes[0].legs[0].travel", "negative"},
		{"leg negative distance", func(r *Rota) { r.Routes[0].Legs[1].Distance = -5 }, kindShift, "s1", "routes[0].legs[1].distance", ">= 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fullRota(t)
			tc.mutate(r)
			requireFieldError(t, r.Validate(fullProblem(t)), tc.kind, tc.id, tc.field, tc.want)
		})
	}
}

func TestRotaValidateWithoutRoutes(t *testing.T) {
	r := fullRota(t)
	r.Routes = nil
	require.NoError(t, r.Validate(fullProblem(t)), "a hand-made rota may omit routes")
	var empty Rota
	require.NoError(t, empty.Validate(fullProblem(t)))
	err := empty.Validate(nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, care.ErrInvalid))
}

func TestReasonsAreDistinct(t *testing.T) {
	seen := map[Reason]bool{}
	for _, r := range Reasons() {
		assert.False(t, seen[r], "duplicate %q", r)
		seen[r] = true
	}
	assert.Len(t, seen, 9)
}
