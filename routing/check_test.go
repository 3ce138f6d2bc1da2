package routing

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
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
	// Every kind found was planted, and every kind the evaluator defines
	// (read from evaluate.go) is planted here or in checkLawPlants.
	kinds := map[ViolationKind]bool{}
	for _, v := range rep.Report.Violations {
		kinds[v.Kind] = true
	}
	assert.Len(t, kinds, len(want), "kinds found: %v", kinds)
	for k := range checkLawPlants(t) {
		assert.False(t, kinds[k], "%s planted twice", k)
		kinds[k] = true
	}
	defined := evaluatorKinds(t)
	require.GreaterOrEqual(t, len(defined), 29)
	for _, k := range defined {
		assert.True(t, kinds[k], "no violation of kind %s planted", k)
	}
	assert.Len(t, kinds, len(defined))
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

// evaluatorKinds returns the ViolationKind constants declared in
// evaluate.go, read from the source so that a kind added there without a
// planted case here fails the test.
func evaluatorKinds(t *testing.T) []ViolationKind {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "evaluate.go", nil, 0)
	require.NoError(t, err)
	var out []ViolationKind
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "ViolationKind" {
				continue
			}
			for _, val := range vs.Values {
				lit, ok := val.(*ast.BasicLit)
				require.True(t, ok, "ViolationKind constant that is not a string literal")
				k, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out = append(out, ViolationKind(k))
			}
		}
	}
	return out
}

// checkLawPlants plants, on a three-day problem, one violation of each
// kind that needs problem-wide rules or several days: a dependency, a
// misplaced planned break, a missing break, short daily rest, the weekly
// maximum, consecutive days and a role. It checks that check mode finds
// each under its visit or worker, that nothing else is found, and returns
// the kinds found.
//
// liveProblem(8) (each k<i> 08:05–08:25 on w<i>'s route: 30 minutes of
// work), with Rules: break of 15 min after 60, 11 h daily rest, 100 min a
// week, 2 consecutive days; then:
//   - k2 depends on k1 with a 60-minute gap: it starts 20 minutes before k1 ends;
//   - w3's route plans a break at 08:02, while travelling;
//   - k4 lasts 90 minutes: w4 works 100 minutes with no wait;
//   - w5 serves k5 on a late shift (21:55–22:30) and v5 the next morning
//     (06:00–06:30): 7 h 30 min of rest;
//   - w6 serves k6 (50 minutes: 60 minutes of work) and, on day 3, v6
//     (the same): 120 minutes in the week;
//   - w7 serves k7, v7a on day 2 and v7b on day 3: three days in a row;
//   - k8 is a nursing visit and w8 a care worker.
func checkLawPlants(t *testing.T) map[ViolationKind]bool {
	t.Helper()
	p := liveProblem(8)
	p.End = day.Add(72 * time.Hour)
	p.Rules = schedule.WorkingTimeRules{BreakAfter: schedule.Minutes(60), BreakLength: schedule.Minutes(15),
		MinDailyRest: schedule.Minutes(11 * 60), MaxWeekly: schedule.Minutes(100), MaxConsecutiveDays: 2}
	vis := func(i int) *schedule.Visit { return &p.Visits[i-1] }
	vis(2).Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(60)}}
	vis(4).Duration = schedule.Minutes(90)
	vis(5).Windows = []schedule.Window{{Earliest: at(22, 0), Latest: at(22, 0)}}
	p.Shifts[4].Start, p.Shifts[4].End = at(21, 0), at(23, 0)
	vis(6).Duration = schedule.Minutes(50)
	vis(8).Kind = schedule.Nursing
	extra := func(id string, w care.WorkerID, u care.ServiceUserID, days int, dur schedule.Duration, h, m int) {
		p.Visits = append(p.Visits, schedule.Visit{ID: schedule.VisitID(id), ServiceUser: u, Kind: schedule.PersonalCare, Duration: dur,
			Windows: []schedule.Window{{Earliest: at(h, m).AddDate(0, 0, days), Latest: at(h, m).AddDate(0, 0, days)}}})
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID("s" + id), Worker: w,
			Start: at(h, m).Add(-time.Hour).AddDate(0, 0, days), End: at(h, m).Add(3*time.Hour).AddDate(0, 0, days)})
	}
	extra("v5", "w5", "u5", 1, schedule.Minutes(20), 6, 5)
	extra("v6", "w6", "u6", 2, schedule.Minutes(50), 8, 5)
	extra("v7a", "w7", "u7", 1, schedule.Minutes(20), 8, 5)
	extra("v7b", "w7", "u7", 2, schedule.Minutes(20), 8, 5)
	require.NoError(t, p.Validate())
	r := &schedule.Rota{}
	for _, sh := range p.Shifts {
		var vs []schedule.VisitID
		for _, v := range p.Visits {
			if sh.ID == "s"+schedule.ShiftID(v.ID) || (sh.ID == schedule.ShiftID("s"+string(v.ID[1:])) && v.ID[0] == 'k') {
				vs = append(vs, v.ID)
			}
		}
		require.Len(t, vs, 1, sh.ID)
		r.Routes = append(r.Routes, schedule.Route{Worker: sh.Worker, Shift: sh.ID, Visits: vs})
		r.Assignments = append(r.Assignments, assign(vs[0], sh.Worker))
	}
	r.Routes[2].Breaks = []schedule.PlannedBreak{{Start: at(8, 2), Length: schedule.Minutes(15)}}
	rep, err := Check(context.Background(), p, r, CheckOptions{})
	require.NoError(t, err)
	byVisit := map[schedule.VisitID][]Violation{}
	for _, vc := range rep.Visits {
		byVisit[vc.Visit] = vc.Violations
	}
	byWorker := map[care.WorkerID][]Violation{}
	for _, wc := range rep.Workers {
		byWorker[wc.Worker] = wc.Violations
	}
	has := func(vs []Violation, kind ViolationKind) bool {
		return slices.ContainsFunc(vs, func(v Violation) bool { return v.Kind == kind && v.Hard })
	}
	for _, k := range []struct {
		kind   ViolationKind
		visit  schedule.VisitID
		worker care.WorkerID
	}{
		{DependencyBroken, "k2", "w2"},
		{BreakMisplaced, "", "w3"},
		{MissingBreak, "", "w4"},
		{ShortDailyRest, "", "w5"},
		{OverMaxWeekly, "", "w6"},
		{TooManyDays, "", "w7"},
		{WrongRole, "k8", "w8"},
	} {
		if k.visit != "" {
			assert.True(t, has(byVisit[k.visit], k.kind), "%s not found on visit %s: %v", k.kind, k.visit, byVisit[k.visit])
		}
		assert.True(t, has(byWorker[k.worker], k.kind), "%s not found on worker %s: %v", k.kind, k.worker, byWorker[k.worker])
	}
	kinds := map[ViolationKind]bool{}
	for _, v := range rep.Report.Violations {
		kinds[v.Kind] = true
	}
	assert.Len(t, kinds, 7, "%v", rep.Report.Violations)
	assert.Len(t, rep.Report.Violations, 7, "one violation each: %v", rep.Report.Violations)
	assert.Empty(t, rep.Unattributed)
	return kinds
}
