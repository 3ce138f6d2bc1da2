package routing

import (
	"context"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule/synth"

	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSolvePlanar(t *testing.T) {
	p := planar()
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	require.True(t, res.Report.Feasible(), "%v", res.Report.Violations)
	assert.Zero(t, res.Report.Totals.Unassigned)
	rep, err := Evaluate(p, res.Rota)
	require.NoError(t, err)
	require.Empty(t, rep.Hard())
	assert.InDelta(t, res.Stats.Objective, rep.Objective.Total, 1e-9)
	// One route serves a, b and c.
	require.Len(t, res.Rota.Routes, 1)
	assert.ElementsMatch(t, []schedule.VisitID{"a", "b", "c"}, res.Rota.Routes[0].Visits)
}

func TestSolveCancel(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 3, VisitsPerDay: 150, Days: 1})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	timer := time.AfterFunc(time.Second, func() { cancelled = time.Now(); cancel() })
	defer timer.Stop()
	var progress int
	res, err := Solve(ctx, p, Options{Seed: 1, Threads: 2, TimeLimit: time.Minute, Progress: func(Progress) { progress++ }})
	done := time.Now()
	require.NoError(t, err)
	require.False(t, cancelled.IsZero(), "the search stopped before the cancel")
	lag := done.Sub(cancelled)
	t.Logf("returned %v after the cancel; %d iterations, %d served, %d progress reports", lag, res.Stats.Iterations, res.Report.Totals.Served, progress)
	// Issue 3: within 100 ms of the cancel (measured 1-6 ms without the race
	// detector); the race detector slows an iteration and the translation
	// back several times over, so the bound is wider there.
	bound := 100 * time.Millisecond
	if raceDetector {
		bound = 300 * time.Millisecond
	}
	assert.Less(t, lag, bound)
	assert.Positive(t, progress)
	assert.Positive(t, res.Report.Totals.Served)
	checkSolved(t, p.Name, p, res)
}

func TestSolveDeterministic(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 5, VisitsPerDay: 40, Days: 1})
	require.NoError(t, err)
	opt := Options{Seed: 42, Threads: 2, MaxIterations: 300}
	a, err := Solve(context.Background(), p, opt)
	require.NoError(t, err)
	b, err := Solve(context.Background(), p, opt)
	require.NoError(t, err)
	assert.Equal(t, a.Rota, b.Rota)
	assert.Equal(t, a.Stats.Objective, b.Stats.Objective)
	assert.Equal(t, a.Stats.Iterations, b.Stats.Iterations)
}

func TestSolveBadInput(t *testing.T) {
	_, err := Solve(context.Background(), nil, Options{})
	require.ErrorIs(t, err, care.ErrInvalid)
	_, err = Solve(context.Background(), planar(), Options{Threads: -1})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "threads")
	p := planar()
	p.Visits[1].Windows[0].Latest = at(8, 0)
	_, err = Solve(context.Background(), p, Options{MaxIterations: 10})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `visit "b"`)
}

// TestSolveReasons checks the reason found for each kind of impossible visit.
func TestSolveReasons(t *testing.T) {
	p := planar()
	p.Visits = append(p.Visits,
		schedule.Visit{ID: "hoist", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Skills: []care.Skill{care.SkillHoist}, Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(10, 0)}}},
		schedule.Visit{ID: "night", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Windows: []schedule.Window{{Earliest: at(22, 0), Latest: at(23, 0)}}},
		// Double-handed, but only w1 may serve it: no partner.
		schedule.Visit{ID: "double", ServiceUser: "u2", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Carers: 2,
			Pinned: []care.WorkerID{"w1"}, Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(11, 0)}}},
		// Double-handed, both may serve it: planned for w1 and w2 together.
		schedule.Visit{ID: "pair", ServiceUser: "u2", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Carers: 2,
			Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(11, 0)}}},
		// Depends on a visit that cannot be planned.
		schedule.Visit{ID: "after-far", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Dependencies: []schedule.Dependency{{Visit: "far", MinGap: schedule.Minutes(10)}},
			Windows:      []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}},
		schedule.Visit{ID: "far", ServiceUser: "u3", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Location: &care.Location{0, 400}, Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}},
		schedule.Visit{ID: "heavy", ServiceUser: "u3", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Load: 50,
			Pinned: []care.WorkerID{"w1"}, Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(11, 0)}}},
	)
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, "reasons", p, res)
	got := map[schedule.VisitID]schedule.Reason{}
	for _, u := range res.Rota.Unassigned {
		got[u.Visit] = u.Reason
	}
	assert.Equal(t, map[schedule.VisitID]schedule.Reason{
		"hoist":     schedule.NoEligibleWorker,
		"night":     schedule.NoShift,
		"double":    schedule.NoPartner,
		"far":       schedule.WindowUnreachable,
		"heavy":     schedule.CapacityExceeded,
		"after-far": schedule.DependencyUnmet,
	}, got)
	for _, a := range res.Rota.Assignments {
		if a.Visit == "pair" {
			assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, a.Workers)
		}
	}
	d, _ := checkLinks(t, "reasons", p, res)
	assert.Equal(t, 1, d)
}

// TestSolveNotWorthIt: when leaving a visit out is cheaper than driving to
// it, the reason is cost.
func TestSolveNotWorthIt(t *testing.T) {
	p := planar()
	p.Weights = schedule.Weights{Unassigned: 1, Distance: 100}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	checkSolved(t, "not worth it", p, res)
	require.Len(t, res.Rota.Unassigned, 3)
	for _, u := range res.Rota.Unassigned {
		assert.Equal(t, schedule.NotWorthIt, u.Reason, u.Visit)
	}
	assert.InDelta(t, 1*(1+1+3), res.Stats.Objective, 1e-9)
}

// TestSolveWithProvider: Options.Travel replaces the problem's travel model;
// EvaluateWith and the same provider agree with the result.
func TestSolveWithProvider(t *testing.T) {
	p := planar()
	slow := EuclideanProvider{TimePerUnit: 3 * time.Minute} // three times slower than the problem says
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100, Travel: slow})
	require.NoError(t, err)
	rep, err := EvaluateWith(context.Background(), p, res.Rota, slow)
	require.NoError(t, err)
	require.Empty(t, rep.Hard())
	assert.InDelta(t, res.Stats.Objective, rep.Objective.Total, 1e-9)
	for _, r := range rep.Routes {
		for _, st := range r.Stops {
			assert.InDelta(t, st.Distance*float64(3*time.Minute), float64(st.Travel), float64(Tolerance), st.Visit)
		}
	}
}

// TestSolveDependencyWait: w1 serves "wash" at u1 from 9:00 (30 min, the
// window allows no other start); "meds" at the same place must start at
// least 60 min after it ends and the same worker must give it. Opening a
// second shift costs more than waiting (Shift 100 against WorkingTime 0.1
// per minute), so w1 waits at u1 and starts "meds" at 10:30 exactly.
func TestSolveDependencyWait(t *testing.T) {
	p := planar()
	p.Visits = []schedule.Visit{
		{ID: "wash", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 0)}}},
		{ID: "meds", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Dependencies: []schedule.Dependency{{Visit: "wash", MinGap: schedule.Minutes(60), Worker: schedule.SameWorker}},
			Windows:      []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 30)}}},
	}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, "dependency", p, res)
	_, deps := checkLinks(t, "dependency", p, res)
	assert.Equal(t, 1, deps)
	require.Len(t, res.Rota.Routes, 1)
	assert.Equal(t, []schedule.VisitID{"wash", "meds"}, res.Rota.Routes[0].Visits)
	start := map[schedule.VisitID]time.Time{}
	for _, a := range res.Rota.Assignments {
		start[a.Visit] = a.Start
	}
	assert.Equal(t, at(9, 0), start["wash"])
	assert.Equal(t, at(10, 30), start["meds"])
	// At most 30 min after "wash" ends and by a different worker: "meds"
	// goes to the other worker.
	p.Visits[1].Dependencies[0] = schedule.Dependency{Visit: "wash", MinGap: schedule.Minutes(0), MaxGap: schedule.Minutes(30), Worker: schedule.DifferentWorker}
	res, err = Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, "dependency different", p, res)
	_, deps = checkLinks(t, "dependency different", p, res)
	assert.Equal(t, 1, deps)
	require.Len(t, res.Rota.Routes, 2)
	workers := map[schedule.VisitID]care.WorkerID{}
	for _, a := range res.Rota.Assignments {
		workers[a.Visit] = a.Workers[0]
	}
	assert.NotEqual(t, workers["wash"], workers["meds"])
}

// TestSolveDoubleHandedHandWorked: workers w1 and w2 live at x=0 on a line
// (one minute per unit, working time costs 1 per minute). S1 at x=10 (only
// w1, starts 8:00..8:40, 10 min), S2 at x=40 (only w2, starts at 9:40, 10
// min), and double-handed D at x=20 (20 min). w1 must do S1 before D, and
// is out 70 min whenever D starts by 9:00; w2 does D then S2 (D by 9:00 to
// reach S2 at 9:40) and is out from D-20 to 10:30. The optimum starts D at
// 9:00 for both: routes w1 {S1, D}, w2 {D, S2}, working time 70 + 110.
func TestSolveDoubleHandedHandWorked(t *testing.T) {
	home := care.Location{0, 0}
	p := planar()
	p.Workers = []care.Worker{
		{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home},
		{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home},
	}
	p.ServiceUsers = []care.ServiceUser{
		{ID: "u1", Location: care.Location{10, 0}}, {ID: "u2", Location: care.Location{40, 0}}, {ID: "u3", Location: care.Location{20, 0}},
	}
	p.Visits = []schedule.Visit{
		{ID: "S1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Pinned: []care.WorkerID{"w1"},
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(8, 40)}}},
		{ID: "S2", ServiceUser: "u2", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Pinned: []care.WorkerID{"w2"},
			Windows: []schedule.Window{{Earliest: at(9, 40), Latest: at(9, 40)}}},
		{ID: "D", ServiceUser: "u3", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Carers: 2,
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(16, 0)}}},
	}
	p.Shifts = []schedule.Shift{
		{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(16, 0)},
		{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(16, 0)},
	}
	p.Weights = schedule.Weights{Unassigned: 1000, WorkingTime: 1}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	checkSolved(t, "double-handed", p, res)
	doubles, _ := checkLinks(t, "double-handed", p, res)
	assert.Equal(t, 1, doubles)
	routes := map[care.WorkerID][]schedule.VisitID{}
	for _, r := range res.Rota.Routes {
		routes[r.Worker] = r.Visits
	}
	assert.Equal(t, map[care.WorkerID][]schedule.VisitID{"w1": {"S1", "D"}, "w2": {"D", "S2"}}, routes)
	for _, a := range res.Rota.Assignments {
		if a.Visit == "D" {
			assert.Equal(t, at(9, 0), a.Start)
			assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, a.Workers)
		}
	}
	assert.InDelta(t, 180.0, res.Report.Objective.Total, 1e-6)
}

// TestSolveNoPartnerByTiming: both workers may serve the double-handed
// visit and each could alone (w1 works 8:00-9:00, w2 10:00-12:00, the visit
// may start 8:00-11:00), but never together: no_partner, found by trial.
func TestSolveNoPartnerByTiming(t *testing.T) {
	p := planar()
	p.Visits = []schedule.Visit{{ID: "D", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Carers: 2,
		Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}}}
	p.Shifts = []schedule.Shift{
		{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(9, 0)},
		{ID: "s2", Worker: "w2", Start: at(10, 0), End: at(12, 0)},
	}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	checkSolved(t, "no partner", p, res)
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.NoPartner, res.Rota.Unassigned[0].Reason)
	// With w2 from 8:30 they meet.
	p.Shifts[1].Start = at(8, 30)
	res, err = Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	checkSolved(t, "partner", p, res)
	assert.Empty(t, res.Rota.Unassigned)
}

// TestSolveRoles: a nursing visit goes to the nurse, not the care worker;
// with no nurse it is left out (no eligible worker).
func TestSolveRoles(t *testing.T) {
	p := planar()
	p.Workers[1].Role = care.RoleNurse
	p.Visits = []schedule.Visit{{ID: "n", ServiceUser: "u1", Kind: schedule.Nursing, Duration: schedule.Minutes(20),
		Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(10, 0)}}}}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	checkSolved(t, "roles", p, res)
	require.Len(t, res.Rota.Assignments, 1)
	assert.Equal(t, []care.WorkerID{"w2"}, res.Rota.Assignments[0].Workers)
	p.Workers[1].Role = care.RoleCareWorker
	res, err = Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.NoEligibleWorker, res.Rota.Unassigned[0].Reason)
}
