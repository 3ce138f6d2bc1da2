package routing

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/benchdata"
	"github.com/carecoord/care/routing/vrptw"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)

// at returns day + hh:mm.
func at(hh, mm int) time.Time {
	return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func ptr[T any](v T) *T { return &v }

// planar returns a small Euclidean problem (one unit = one minute of travel):
// depot (0,0); user u1 at (3,4) (5 from the depot), u2 at (6,8) (5 from u1,
// 10 from the depot), u3 at (0,10).
//
//	a: u1, window 08:10–08:20, 30 min
//	b: u2, window 08:30–09:00, target 08:40 at 2/min, 20 min
//	c: u3, window 10:00–10:30, 15 min, priority 2
//
// Worker w1 (medication until 2026-03-02 09:00), shift s1 08:00–12:00 at the depot, capacity 10;
// worker w2, shift s2 08:00–12:00.
func planar() *schedule.Problem {
	depot := care.Location{0, 0}
	exp := at(9, 0)
	return &schedule.Problem{
		Name: "planar", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{
			{ID: "u1", Location: care.Location{3, 4}},
			{ID: "u2", Location: care.Location{6, 8}},
			{ID: "u3", Location: care.Location{0, 10}},
		},
		Workers: []care.Worker{
			{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot,
				Qualifications: []care.Qualification{{Skill: care.SkillMedication, Obtained: day.AddDate(-1, 0, 0), Expires: &exp}}},
			{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot},
		},
		Visits: []schedule.Visit{
			{ID: "a", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30), Load: 4,
				Windows: []schedule.Window{{Earliest: at(8, 10), Latest: at(8, 20)}}},
			{ID: "b", ServiceUser: "u2", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Load: 4,
				Windows: []schedule.Window{{Earliest: at(8, 30), Latest: at(9, 0), Target: ptr(at(8, 40)), PenaltyPerMinute: 2}}},
			{ID: "c", ServiceUser: "u3", Kind: schedule.Meal, Duration: schedule.Minutes(15), Priority: 2, Load: 4,
				Windows: []schedule.Window{{Earliest: at(10, 0), Latest: at(10, 30)}}},
		},
		Shifts: []schedule.Shift{
			{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0), Capacity: 10},
			{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)},
		},
		Weights: schedule.Weights{Unassigned: 1000, Shift: 100, Distance: 1, TravelTime: 0.5, WorkingTime: 0.1, Lateness: 3},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
}

func assign(visit schedule.VisitID, w ...care.WorkerID) schedule.Assignment {
	return schedule.Assignment{Visit: visit, Workers: w}
}

func TestEvaluateHandComputed(t *testing.T) {
	p := planar()
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("a", "w1"), assign("b", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"a", "b"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "c", Reason: schedule.NotWorthIt}},
	}
	rep, err := Evaluate(p, r)
	require.NoError(t, err)
	require.Empty(t, rep.Hard(), "%v", rep.Violations)
	require.Len(t, rep.Routes, 1)
	rr := rep.Routes[0]
	// Leaves at 08:05 (just in time: 5 min to a, whose window opens 08:10).
	assert.Equal(t, at(8, 5), rr.Depart)
	require.Len(t, rr.Stops, 2)
	a, b := rr.Stops[0], rr.Stops[1]
	assert.Equal(t, at(8, 10), a.Arrival)
	assert.Equal(t, at(8, 10), a.Start)
	assert.Zero(t, a.Wait)
	assert.Equal(t, at(8, 40), a.End)
	// 5 units on to b: arrives 08:45, starts at once, 5 min after its 08:40 target.
	assert.Equal(t, at(8, 45), b.Arrival)
	assert.Equal(t, at(8, 45), b.Start)
	assert.Zero(t, b.Wait)
	assert.Equal(t, 5*time.Minute, b.Late)
	assert.Equal(t, at(9, 5), b.End)
	// 10 units back to the depot.
	assert.Equal(t, at(9, 15), rr.Return)
	assert.Equal(t, 70*time.Minute, rr.WorkingTime)
	assert.Equal(t, 20*time.Minute, rr.Travel)
	assert.InDelta(t, 20.0, rr.Distance, 1e-12)
	assert.Equal(t, int64(8), rr.Load)
	// Legs: depot→a, a→b, b→depot.
	require.Len(t, rr.Legs, 3)
	assert.Equal(t, schedule.Leg{From: "", To: "a", Depart: at(8, 5), Arrive: at(8, 10), Travel: schedule.Minutes(5), Distance: 5}, rr.Legs[0])
	assert.Equal(t, schedule.Leg{From: "b", To: "", Depart: at(9, 5), Arrive: at(9, 15), Travel: schedule.Minutes(10), Distance: 10}, rr.Legs[2])

	// Soft: b misses its target.
	require.Len(t, rep.Violations, 1)
	assert.Equal(t, TargetMissed, rep.Violations[0].Kind)
	assert.False(t, rep.Violations[0].Hard)

	o := rep.Objective
	assert.InDelta(t, 3000, o.Unassigned, 1e-9) // 1000 × (1 + priority 2)
	assert.InDelta(t, 100, o.Shifts, 1e-9)
	assert.InDelta(t, 20, o.Distance, 1e-9)
	assert.InDelta(t, 10, o.TravelTime, 1e-9) // 0.5 × 20 min
	assert.InDelta(t, 7, o.WorkingTime, 1e-9) // 0.1 × 70 min
	assert.InDelta(t, 25, o.Lateness, 1e-9)   // (3 + 2) × 5 min
	assert.InDelta(t, 3162, o.Total, 1e-9)
	assert.Equal(t, 1, rep.Totals.ShiftsUsed)
	assert.Equal(t, 2, rep.Totals.Served)
	assert.Equal(t, map[int]int{2: 1}, rep.Totals.UnassignedByPriority)
}

func TestEvaluateWaitMidRouteAndPlannedStart(t *testing.T) {
	p := planar()
	// w2 serves b then c. Planned start of b is 08:50 (later than possible).
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "b", Workers: []care.WorkerID{"w2"}, Start: at(8, 50)}, assign("c", "w2")},
		Routes:      []schedule.Route{{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"b", "c"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "a", Reason: schedule.NotWorthIt}},
	}
	rep, err := Evaluate(p, r)
	require.NoError(t, err)
	require.Empty(t, rep.Hard(), "%v", rep.Violations)
	rr := rep.Routes[0]
	// The planned start moves the departure: 10 units to b, so leave 08:40.
	assert.Equal(t, at(8, 40), rr.Depart)
	b, c := rr.Stops[0], rr.Stops[1]
	assert.Equal(t, at(8, 50), b.Arrival)
	assert.Equal(t, at(8, 50), b.Start)
	assert.Equal(t, 10*time.Minute, b.Late)
	assert.Equal(t, at(9, 10), b.End)
	// b (6,8) to c (0,10): sqrt(36+4) = 6.3246 units = minutes.
	d := 6.324555320336759
	trav := TravelDuration(d * 60)
	assert.Equal(t, at(9, 10).Add(trav), c.Arrival)
	assert.Equal(t, at(10, 0), c.Start)
	assert.Equal(t, at(10, 0).Sub(at(9, 10).Add(trav)), c.Wait)
	assert.Equal(t, at(10, 15), c.End)
	// c (0,10) to the depot: 10 units.
	assert.Equal(t, at(10, 25), rr.Return)
	assert.Equal(t, 105*time.Minute, rr.WorkingTime)
	assert.Equal(t, c.Wait, rr.Wait)
	assert.InDelta(t, 20+d, rr.Distance, 1e-9)
	assert.InDelta(t, (3+2)*10.0, rep.Objective.Lateness, 1e-9)
	assert.InDelta(t, 1000, rep.Objective.Unassigned, 1e-9)
}

// TestEvaluateViolations triggers every kind of violation, one at a time.
func TestEvaluateViolations(t *testing.T) {
	good := func() *schedule.Rota {
		return &schedule.Rota{
			Assignments: []schedule.Assignment{assign("a", "w1"), assign("b", "w1"), assign("c", "w2")},
			Routes: []schedule.Route{
				{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"a", "b"}},
				{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"c"}},
			},
		}
	}
	cases := []struct {
		kind   ViolationKind
		hard   bool
		visit  schedule.VisitID
		change func(p *schedule.Problem, r *schedule.Rota)
	}{
		{UnknownVisit, true, "zz", func(p *schedule.Problem, r *schedule.Rota) { r.Routes[1].Visits = append(r.Routes[1].Visits, "zz") }},
		{UnknownShift, true, "", func(p *schedule.Problem, r *schedule.Rota) { r.Routes[1].Shift = "nope" }},
		{WrongWorker, true, "", func(p *schedule.Problem, r *schedule.Rota) { r.Routes[1].Worker = "w1" }},
		{DuplicateShift, true, "", func(p *schedule.Problem, r *schedule.Rota) { r.Routes[1].Shift = "s1"; r.Routes[1].Worker = "w1" }},
		{DuplicateVisit, true, "a", func(p *schedule.Problem, r *schedule.Rota) { r.Routes[0].Visits = []schedule.VisitID{"a", "b", "a"} }},
		{CarersCount, true, "c", func(p *schedule.Problem, r *schedule.Rota) { p.Visits[2].Carers = 2 }},
		{NotTogether, true, "c", func(p *schedule.Problem, r *schedule.Rota) {
			p.Visits[2].Carers = 2
			r.Routes[0].Visits = append(r.Routes[0].Visits, "c")
			r.Assignments[2].Workers = []care.WorkerID{"w1", "w2"}
			// w1 reaches c at 10:00 too but is told to start at 10:10.
			r.Assignments = append(r.Assignments[:2], schedule.Assignment{Visit: "c", Workers: []care.WorkerID{"w1", "w2"}})
			r.Routes[1].Visits = []schedule.VisitID{"c"}
			p.Visits[2].Windows[0].Earliest = at(9, 0)
		}},
		{AssignmentMismatch, true, "b", func(p *schedule.Problem, r *schedule.Rota) { r.Assignments[1].Workers = []care.WorkerID{"w2"} }},
		{RoutedButUnassigned, true, "a", func(p *schedule.Problem, r *schedule.Rota) {
			r.Unassigned = []schedule.Unassigned{{Visit: "a", Reason: schedule.NoShift}}
		}},
		{UnlistedUnassigned, false, "c", func(p *schedule.Problem, r *schedule.Rota) {
			r.Routes[1].Visits = nil
			r.Assignments = r.Assignments[:2]
		}},
		{MissingSkill, true, "b", func(p *schedule.Problem, r *schedule.Rota) {
			// w1's medication qualification now expires at 08:40: valid when a starts (08:10), not when b does (08:45).
			p.Workers[0].Qualifications[0].Expires = ptr(at(8, 40))
			p.Visits[0].Skills = []care.Skill{care.SkillMedication}
			p.Visits[1].Skills = []care.Skill{care.SkillMedication}
		}},
		{ExcludedWorker, true, "c", func(p *schedule.Problem, r *schedule.Rota) { p.Visits[2].Excluded = []care.WorkerID{"w2"} }},
		{NotPinned, true, "c", func(p *schedule.Problem, r *schedule.Rota) { p.Visits[2].Pinned = []care.WorkerID{"w1"} }},
		{OnLeave, true, "c", func(p *schedule.Problem, r *schedule.Rota) {
			p.Leave = []schedule.Leave{{Worker: "w2", From: at(10, 5), To: at(11, 0)}}
		}},
		{OverCapacity, true, "", func(p *schedule.Problem, r *schedule.Rota) { p.Visits[1].Load = 7 }},
		{ShiftStartEarly, true, "", func(p *schedule.Problem, r *schedule.Rota) {
			r.Routes[1].Legs = []schedule.Leg{{To: "c", Depart: at(7, 0)}, {From: "c"}}
		}},
		{ShiftEndLate, true, "", func(p *schedule.Problem, r *schedule.Rota) { p.Shifts[1].End = at(10, 20) }},
		{OverMaxShift, true, "", func(p *schedule.Problem, r *schedule.Rota) { p.Rules.MaxShift = schedule.Minutes(60) }},
		{OverMaxShift, false, "", func(p *schedule.Problem, r *schedule.Rota) {
			p.Rules.MaxShift = schedule.Minutes(60)
			p.Rules.Soft = []string{"max_shift"}
		}},
		{WindowMissed, true, "b", func(p *schedule.Problem, r *schedule.Rota) { p.Visits[1].Windows[0].Latest = at(8, 44) }},
		{TargetMissed, false, "b", func(p *schedule.Problem, r *schedule.Rota) {}},
		{LegMismatch, true, "c", func(p *schedule.Problem, r *schedule.Rota) {
			r.Routes[1].Legs = []schedule.Leg{{To: "c", Depart: at(9, 50), Arrive: at(9, 59), Travel: schedule.Minutes(10), Distance: 10}, {From: "c"}}
		}},
		{StartMismatch, true, "c", func(p *schedule.Problem, r *schedule.Rota) { r.Assignments[2].Start = at(9, 55) }},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			p, r := planar(), good()
			if tc.kind != TargetMissed {
				// Without b's target the good rota has no violation at all.
				p.Visits[1].Windows[0].Target = nil
				base, err := Evaluate(p, r)
				require.NoError(t, err)
				require.Empty(t, base.Violations)
			}
			tc.change(p, r)
			rep, err := Evaluate(p, r)
			require.NoError(t, err)
			i := slices.IndexFunc(rep.Violations, func(v Violation) bool { return v.Kind == tc.kind })
			require.GreaterOrEqual(t, i, 0, "want %s in %v", tc.kind, rep.Violations)
			v := rep.Violations[i]
			assert.Equal(t, tc.hard, v.Hard, v.String())
			if tc.visit != "" {
				assert.Equal(t, tc.visit, v.Visit, v.String())
			}
			assert.NotEmpty(t, v.Detail)
			assert.Equal(t, !tc.hard, rep.Feasible(), "%v", rep.Violations)
			if tc.kind == MissingSkill {
				assert.Len(t, rep.Hard(), 1, "only b lacks a valid skill: %v", rep.Violations)
			}
		})
	}
}

func TestEvaluateWindowChoice(t *testing.T) {
	p := planar()
	// c gets two windows; a rota that reaches c at 10:40 uses the second.
	p.Visits[2].Windows = []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 30)}, {Earliest: at(10, 0), Latest: at(11, 0)}}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "c", Workers: []care.WorkerID{"w2"}, Start: at(10, 40)}},
		Routes:      []schedule.Route{{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"c"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "a"}, {Visit: "b"}},
	}
	rep, err := Evaluate(p, r)
	require.NoError(t, err)
	require.True(t, rep.Feasible(), "%v", rep.Violations)
	st := rep.Routes[0].Stops[0]
	assert.Equal(t, 1, st.Window)
	assert.Equal(t, at(10, 40), st.Start)
	assert.Equal(t, at(10, 30), rep.Routes[0].Depart)
	// Without a planned start the first window is used, at 09:00.
	r.Assignments[0].Start = time.Time{}
	rep, err = Evaluate(p, r)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Routes[0].Stops[0].Window)
	assert.Equal(t, at(9, 0), rep.Routes[0].Stops[0].Start)
}

func TestEvaluateErrors(t *testing.T) {
	_, err := Evaluate(nil, &schedule.Rota{})
	require.ErrorIs(t, err, care.ErrInvalid)
	_, err = Evaluate(planar(), nil)
	require.ErrorIs(t, err, care.ErrInvalid)
	p := planar()
	p.Visits[0].Duration = 0
	_, err = Evaluate(p, &schedule.Rota{})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `"a"`)
}

// TestEvaluateSolomonBKSRoutes recomputes every best-known route file: the
// evaluator must find it feasible and reproduce its distance to 0.01.
func TestEvaluateSolomonBKSRoutes(t *testing.T) {
	dir := benchdata.Dir(t, "solomon")
	bks, err := vrptw.ReadBKSFile(filepath.Join(dir, "bks.csv"))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "bks_routes", "*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 56)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		inst, err := vrptw.ReadFile(filepath.Join(dir, name+".txt"))
		require.NoError(t, err, name)
		routes, err := vrptw.ReadRoutesFile(f)
		require.NoError(t, err, name)
		p, err := vrptw.Problem(inst, vrptw.Exact, vrptw.Hierarchical)
		require.NoError(t, err, name)
		r, err := vrptw.Rota(p, routes)
		require.NoError(t, err, name)
		rep, err := Evaluate(p, r)
		require.NoError(t, err, name)
		require.Empty(t, rep.Hard(), "%s: %v", name, rep.Hard())
		bk, err := bks.Get(name, vrptw.Exact)
		require.NoError(t, err)
		assert.InDelta(t, bk.Distance, rep.Totals.Distance, 0.01, name)
		assert.Equal(t, bk.Vehicles, rep.Totals.ShiftsUsed, name)
		assert.Zero(t, rep.Totals.Unassigned, name)
	}
}
