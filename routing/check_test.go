package routing

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveProblem returns a Euclidean problem (one unit = one minute) with n
// workers w1..wn, each with shift s<i> 08:00–12:00 from the depot (0,0), and
// n visits k1..kn of 20 minutes, window 08:00–11:00, each for its own
// service user u<i> at (3,4), five minutes from the depot. Weights make an
// unserved visit cost 1000.
func liveProblem(n int) *schedule.Problem {
	depot := care.Location{0, 0}
	p := &schedule.Problem{
		Name: "live", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		Weights: schedule.Weights{Unassigned: 1000, Shift: 10, TravelTime: 1, WorkingTime: 0.1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	for i := 1; i <= n; i++ {
		w := care.WorkerID(fmt.Sprintf("w%d", i))
		u := care.ServiceUserID(fmt.Sprintf("u%d", i))
		p.Workers = append(p.Workers, care.Worker{ID: w, Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot})
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID(fmt.Sprintf("s%d", i)), Worker: w, Start: at(8, 0), End: at(12, 0)})
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: u, Location: care.Location{3, 4}})
		p.Visits = append(p.Visits, schedule.Visit{ID: schedule.VisitID(fmt.Sprintf("k%d", i)), ServiceUser: u,
			Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}})
	}
	return p
}

// TestCheckFindsEveryPlantedViolation builds one bad rota with a violation
// of every kind the evaluator knows planted on its own route, and checks
// that check mode finds each, under the right visit and worker.
func TestCheckFindsEveryPlantedViolation(t *testing.T) {
	p := liveProblem(22)
	vis := func(i int) *schedule.Visit { return &p.Visits[i-1] }
	// Problem-side plants.
	vis(5).Carers = 2
	vis(6).Carers = 2
	vis(11).Skills = []care.Skill{care.SkillHoist}
	vis(12).Excluded = []care.WorkerID{"w12"}
	vis(13).Pinned = []care.WorkerID{"w1"}
	p.Leave = []schedule.Leave{{Worker: "w14", From: at(8, 0), To: at(9, 0), Reason: "training"}}
	p.Shifts[14].Capacity = 1
	vis(15).Load = 2
	p.Shifts[16].End = at(8, 30)
	vis(17).Duration = schedule.Minutes(30)
	p.Rules.MaxShift = schedule.Minutes(180)
	vis(18).Duration = schedule.Minutes(200)
	vis(19).Windows[0].Latest = at(8, 2)
	vis(20).Windows[0].Target = ptr(at(8, 1))
	require.NoError(t, p.Validate())

	route := func(w, s string, vs ...schedule.VisitID) schedule.Route {
		return schedule.Route{Worker: care.WorkerID(w), Shift: schedule.ShiftID(s), Visits: vs}
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{
			assign("k1", "w1"), assign("k3", "w2"), assign("k4", "w4"), assign("k5", "w5"),
			assign("k6", "w6", "w7"), assign("k7", "w7"), assign("k8", "w9"), assign("k9", "w9"),
			assign("k11", "w11"), assign("k12", "w12"), assign("k13", "w13"), assign("k14", "w14"),
			assign("k15", "w15"), assign("k16", "w16"), assign("k17", "w17"), assign("k18", "w18"),
			assign("k19", "w19"), assign("k20", "w20"), assign("k21", "w21"),
			{Visit: "k22", Workers: []care.WorkerID{"w22"}, Start: at(8, 1)},
		},
		Routes: []schedule.Route{
			route("w1", "s1", "k1", "ghost"), // unknown_visit
			route("w2", "nope", "k2"),        // unknown_shift
			route("w2", "s3", "k3"),          // wrong_worker
			route("w1", "s1"),                // duplicate_shift
			route("w4", "s4", "k4", "k4"),    // duplicate_visit
			route("w5", "s5", "k5"),          // carers_count
			route("w6", "s6", "k6"),          // not_together (w6 at 08:05) ...
			route("w7", "s7", "k7", "k6"),    // ... and w7 after k7 (08:25)
			route("w8", "s8", "k8"),          // assignment_mismatch
			route("w9", "s9", "k9"),          // routed_but_unassigned
			route("w11", "s11", "k11"),       // missing_skill
			route("w12", "s12", "k12"),       // excluded_worker
			route("w13", "s13", "k13"),       // not_pinned
			route("w14", "s14", "k14"),       // on_leave
			route("w15", "s15", "k15"),       // over_capacity
			route("w16", "s16", "k16"),       // shift_start (legs below)
			route("w17", "s17", "k17"),       // shift_end
			route("w18", "s18", "k18"),       // max_shift
			route("w19", "s19", "k19"),       // window_missed
			route("w20", "s20", "k20"),       // target_missed
			route("w21", "s21", "k21"),       // leg_mismatch
			route("w22", "s22", "k22"),       // start_mismatch
		},
		// k10 is neither routed nor listed: unlisted_unassigned.
		Unassigned: []schedule.Unassigned{{Visit: "k9", Reason: schedule.NotWorthIt}},
	}
	r.Routes[15].Legs = []schedule.Leg{{To: "k16", Depart: at(7, 55), Arrive: at(8, 5), Travel: schedule.Minutes(5), Distance: 5},
		{From: "k16", Depart: at(8, 25), Arrive: at(8, 30), Travel: schedule.Minutes(5), Distance: 5}}
	r.Routes[20].Legs = []schedule.Leg{{To: "k21", Depart: at(8, 0), Arrive: at(8, 9), Travel: schedule.Minutes(9), Distance: 9},
		{From: "k21", Depart: at(8, 29), Arrive: at(8, 38), Travel: schedule.Minutes(9), Distance: 9}}

	rep, err := Check(context.Background(), p, r, CheckOptions{})
	require.NoError(t, err)
	byVisit := map[schedule.VisitID]VisitCheck{}
	for _, vc := range rep.Visits {
		byVisit[vc.Visit] = vc
	}
	byWorker := map[care.WorkerID]WorkerCheck{}
	for _, wc := range rep.Workers {
		byWorker[wc.Worker] = wc
	}
	has := func(vs []Violation, kind ViolationKind) bool {
		return slices.ContainsFunc(vs, func(v Violation) bool { return v.Kind == kind })
	}
	want := []struct {
		kind   ViolationKind
		visit  schedule.VisitID
		worker care.WorkerID
		hard   bool
	}{
		{UnknownVisit, "", "w1", true},
		{UnknownShift, "", "w2", true},
		{WrongWorker, "", "w3", true},
		{DuplicateShift, "", "w1", true},
		{DuplicateVisit, "k4", "w4", true},
		{CarersCount, "k5", "w5", true},
		{NotTogether, "k6", "", true},
		{AssignmentMismatch, "k8", "w8", true},
		{RoutedButUnassigned, "k9", "w9", true},
		{UnlistedUnassigned, "k10", "", false},
		{MissingSkill, "k11", "w11", true},
		{ExcludedWorker, "k12", "w12", true},
		{NotPinned, "k13", "w13", true},
		{OnLeave, "k14", "w14", true},
		{OverCapacity, "", "w15", true},
		{ShiftStartEarly, "", "w16", true},
		{ShiftEndLate, "", "w17", true},
		{OverMaxShift, "", "w18", true},
		{WindowMissed, "k19", "w19", true},
		{TargetMissed, "k20", "w20", false},
		{LegMismatch, "", "w21", true},
		{StartMismatch, "k22", "w22", true},
	}
	for _, k := range want {
		if k.visit != "" {
			vs := byVisit[k.visit].Violations
			i := slices.IndexFunc(vs, func(v Violation) bool { return v.Kind == k.kind })
			if assert.GreaterOrEqual(t, i, 0, "%s not found on visit %s: %v", k.kind, k.visit, vs) {
				assert.Equal(t, k.hard, vs[i].Hard, vs[i].String())
			}
		}
		if k.worker != "" {
			assert.True(t, has(byWorker[k.worker].Violations, k.kind), "%s not found on worker %s: %v", k.kind, k.worker, byWorker[k.worker].Violations)
		}
	}
	// Every kind the evaluator defines was planted.
	kinds := map[ViolationKind]bool{}
	for _, v := range rep.Report.Violations {
		kinds[v.Kind] = true
	}
	assert.Len(t, kinds, len(want), "kinds found: %v", kinds)
	// Clean visits and workers carry no violation.
	for _, id := range []schedule.VisitID{"k1", "k3", "k7", "k15", "k17", "k18"} {
		assert.Empty(t, byVisit[id].Violations, id)
	}
	assert.Empty(t, byWorker["w10"].Violations)
	assert.Empty(t, byWorker["w10"].Routes)
	// ETAs as the evaluator computes them.
	k20 := byVisit["k20"]
	require.Len(t, k20.Stops, 1)
	assert.Equal(t, at(8, 5), k20.Stops[0].Start)
	assert.Equal(t, 4*time.Minute, k20.Stops[0].Late)
	k6 := byVisit["k6"]
	assert.ElementsMatch(t, []care.WorkerID{"w6", "w7"}, k6.Workers)
	require.Len(t, k6.Stops, 2)
	assert.Equal(t, at(8, 5), k6.Stops[0].Start)
	assert.Equal(t, at(8, 25), k6.Stops[1].Start)
	require.NotNil(t, byVisit["k9"].Unassigned)
	assert.Equal(t, schedule.NotWorthIt, byVisit["k9"].Unassigned.Reason)
	assert.Nil(t, byVisit["k10"].Unassigned)
	assert.Equal(t, 2, byWorker["w7"].Visits)
	assert.Equal(t, 50*time.Minute, byWorker["w7"].WorkingTime) // 08:00 → k7 08:05–08:25 → k6 08:25–08:45 (same place) → 08:50
	// The objective is the evaluator's, term by term.
	plain, err := Evaluate(p, r)
	require.NoError(t, err)
	assert.Equal(t, plain.Objective, rep.Report.Objective)
	assert.InDelta(t, 2000, rep.Report.Objective.Unassigned, 1e-9) // k10, and k2 (on the unknown shift's route, never served)
	assert.Empty(t, rep.Unattributed)
}

func TestCheckErrors(t *testing.T) {
	_, err := Check(context.Background(), nil, &schedule.Rota{}, CheckOptions{})
	require.ErrorIs(t, err, care.ErrInvalid)
	_, err = Check(context.Background(), liveProblem(1), nil, CheckOptions{})
	require.ErrorIs(t, err, care.ErrInvalid)
}
