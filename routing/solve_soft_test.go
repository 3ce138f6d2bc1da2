package routing

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// engineSolve runs Solve's pipeline step by step and returns the engine's
// own objective (in objective units, with the unassigned cost of the
// visits left out before the search added), the rota, and the relative
// rounding of the engine's per-unit weights (integers: a weight of 38 cost
// units per millimetre stands for anything from 37.5 to 38.5).
func engineSolve(t *testing.T, p *schedule.Problem, seed, iters int64) (float64, *schedule.Rota, float64) {
	t.Helper()
	ctx := context.Background()
	pl, m, err := ProblemMatrix(ctx, p, nil)
	require.NoError(t, err, p.Name)
	tr, err := translate(p, pl, m)
	require.NoError(t, err, p.Name)
	sol, err := search.Solve(ctx, &tr.in, search.Options{Seed: seed, Threads: 1, MaxIterations: iters})
	require.NoError(t, err, p.Name)
	require.NoError(t, search.CheckSolution(&tr.in, sol), p.Name)
	obj := float64(sol.Cost) / tr.costScale
	for v := range tr.early {
		if !slices.Contains(tr.visit, v) {
			obj += p.Weights.Unassigned * float64(1+p.Visits[v].Priority)
		}
	}
	rel := 0.0
	w := tr.in.Weights
	for _, x := range []int64{w.Distance, w.TravelTime, w.Duration} {
		if x > 0 {
			rel = max(rel, 0.5/float64(x))
		}
	}
	for _, v := range tr.in.Visits {
		if v.LateCost > 0 {
			rel = max(rel, 0.5/float64(v.LateCost))
		}
	}
	return obj, tr.rota(sol), rel
}

// modelled is Evaluate's objective less the terms the engine's single
// search does not cost (overtime, undertime and fairness: Solve plans them
// in rounds, solve_fair.go).
func modelled(o Objective) float64 { return o.Total - o.Overtime - o.Undertime - o.Fairness }

// withPreferences gives a random problem continuity and preferred-worker
// weights, regular carers for some people and preferred workers for some
// visits.
func withPreferences(rng *rand.Rand, p *schedule.Problem) {
	p.Weights.Continuity = 50 * rng.Float64()
	p.Weights.Preferred = 50 * rng.Float64()
	pick := func() care.WorkerID { return p.Workers[rng.IntN(len(p.Workers))].ID }
	excluded := map[care.ServiceUserID][]care.WorkerID{}
	for i := range p.ServiceUsers {
		u := &p.ServiceUsers[i]
		excluded[u.ID] = u.Preferences.ExcludedWorkers
		if w := pick(); rng.IntN(2) == 0 && !slices.Contains(excluded[u.ID], w) {
			u.Preferences.PreferredWorkers = []care.WorkerID{w}
		}
	}
	for i := range p.Visits {
		v := &p.Visits[i]
		if rng.IntN(3) == 0 {
			v.Preferred = slices.DeleteFunc(slices.Compact([]care.WorkerID{pick(), pick()}), func(w care.WorkerID) bool {
				return slices.Contains(v.Excluded, w) || slices.Contains(excluded[v.ServiceUser], w)
			})
		}
	}
}

// TestEngineObjectiveMatchesEvaluate solves 200 random problems with
// Targets, lateness weights and penalties, continuity and preferred
// workers (160 random home-care problems, 40 synthetic agencies): the
// rota has no hard violation of the rules Solve plans, and the engine's
// objective equals Evaluate's (less overtime and fairness) to the engine's
// rounding (whole milliseconds, travel rounded up).
func TestEngineObjectiveMatchesEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	late, cont, pref := 0.0, 0.0, 0.0
	for i := range 200 {
		var p *schedule.Problem
		if i < 160 {
			p = randomHomeCare(rng, i)
			withPreferences(rng, p)
		} else {
			var err error
			p, err = synth.Generate(synth.Config{Seed: uint64(i), VisitsPerDay: 3 + rng.IntN(20), Days: 1 + rng.IntN(2)})
			require.NoError(t, err)
		}
		require.NoError(t, p.Validate(), p.Name)
		obj, rota, rel := engineSolve(t, p, int64(i), 40)
		rep, err := Evaluate(p, rota)
		require.NoError(t, err, p.Name)
		require.NoError(t, rep.HardErrorExcept(NotPlannedYet()...), p.Name)
		want := modelled(rep.Objective)
		// Rounding: up to a millisecond per leg on travel, working time and
		// lateness, at the problem's per-minute weights.
		legs := float64(len(p.Visits) + len(p.Shifts))
		perMs := (p.Weights.TravelTime + p.Weights.WorkingTime + p.Weights.Lateness + 1) / 60000
		for _, v := range p.Visits {
			for _, w := range v.Windows {
				perMs += w.PenaltyPerMinute / 60000
			}
		}
		o := rep.Objective
		tol := rel*(o.Distance+o.TravelTime+o.WorkingTime+o.Lateness) + 2*legs*perMs + 1e-6*math.Abs(want) + 1e-6
		require.InDelta(t, want, obj, tol, "%s: engine %.6f, Evaluate %.6f (%+v)", p.Name, obj, want, rep.Objective)
		late += rep.Objective.Lateness
		cont += rep.Objective.Continuity
		pref += rep.Objective.Preferred
	}
	t.Logf("over all problems: lateness %.1f, continuity %.1f, preferred %.1f", late, cont, pref)
	assert.Positive(t, late)
	assert.Positive(t, cont)
	assert.Negative(t, pref)
}

// line returns a Euclidean problem (one unit = one minute of travel) on the
// line y = 0 with one worker w1 whose shift s1 runs 08:00-12:00 from x = 0
// to x = end, and no visits yet.
func line(end float64) *schedule.Problem {
	home := care.Location{0, 0}
	return &schedule.Problem{
		Name: "line", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		Workers: []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Shifts:  []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0), EndAt: &care.Location{end, 0}}},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
}

// addVisit adds a visit of a new person at (x, 0) with one window.
func addVisit(p *schedule.Problem, id string, x float64, w schedule.Window, minutes int) {
	u := care.ServiceUserID("u-" + id)
	p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: u, Location: care.Location{x, 0}})
	p.Visits = append(p.Visits, schedule.Visit{ID: schedule.VisitID(id), ServiceUser: u, Kind: schedule.PersonalCare,
		Duration: schedule.Minutes(minutes), Windows: []schedule.Window{w}})
}

// solveChecked solves p, checks the rota with Evaluate and returns the
// result and the engine's objective, which must match.
func solveChecked(t *testing.T, p *schedule.Problem) (*Result, float64) {
	t.Helper()
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	obj, _, _ := engineSolve(t, p, 1, 200)
	assert.InDelta(t, modelled(res.Report.Objective), obj, 1e-6, "engine and Evaluate")
	return res, obj
}

// TestSolveLatenessOrder: the worker goes from x = 0 to x = 30; x at 10
// (08:00-10:00, no target, 10 min) and y at 20 (08:00-10:00, target 08:20,
// 10 min). x then y travels 30 minutes and starts y at 08:30, 10 minutes
// late; y then x travels 50 minutes and is never late. At 1 per minute of
// travel, a lateness cost of 3 per minute makes y first win (50 < 30 + 30),
// 1 per minute x first (30 + 10 < 50).
func TestSolveLatenessOrder(t *testing.T) {
	for _, c := range []struct {
		penalty float64
		order   []schedule.VisitID
		cost    float64
		late    time.Duration
	}{
		{3, []schedule.VisitID{"y", "x"}, 50, 0},
		{1, []schedule.VisitID{"x", "y"}, 40, 10 * time.Minute},
	} {
		p := line(30)
		p.Weights = schedule.Weights{Unassigned: 1000, TravelTime: 1}
		addVisit(p, "x", 10, schedule.Window{Earliest: at(8, 0), Latest: at(10, 0)}, 10)
		addVisit(p, "y", 20, schedule.Window{Earliest: at(8, 0), Latest: at(10, 0), Target: ptr(at(8, 20)), PenaltyPerMinute: c.penalty}, 10)
		res, obj := solveChecked(t, p)
		require.Len(t, res.Rota.Routes, 1)
		assert.Equal(t, c.order, res.Rota.Routes[0].Visits, "penalty %v", c.penalty)
		assert.InDelta(t, c.cost, res.Report.Objective.Total, 1e-9, "penalty %v", c.penalty)
		assert.InDelta(t, c.cost, obj, 1e-9, "penalty %v", c.penalty)
		assert.Equal(t, c.late, res.Report.Totals.Late, "penalty %v", c.penalty)
	}
}

// TestSolveLatenessDeparture: the worker goes from x = 0 and back; a at
// 10 (08:00-08:30, target 08:10, 10 min), b at 20 (09:00-09:10, 10 min).
// Leaving at 08:00 he waits 30 minutes at b and works 90 minutes; leaving
// 20 minutes later he works 70 and a starts 20 minutes late. With working
// time at 1 per minute, lateness at 2 per minute keeps the early start (90);
// at 0.5 per minute the later one wins (70 + 10).
func TestSolveLatenessDeparture(t *testing.T) {
	for _, c := range []struct {
		lateness float64
		work     time.Duration
		cost     float64
	}{
		{2, 90 * time.Minute, 90},
		{0.5, 70 * time.Minute, 80},
	} {
		p := line(0)
		p.Weights = schedule.Weights{Unassigned: 1000, WorkingTime: 1, Lateness: c.lateness}
		addVisit(p, "a", 10, schedule.Window{Earliest: at(8, 0), Latest: at(8, 30), Target: ptr(at(8, 10))}, 10)
		addVisit(p, "b", 20, schedule.Window{Earliest: at(9, 0), Latest: at(9, 10)}, 10)
		res, obj := solveChecked(t, p)
		require.Len(t, res.Rota.Routes, 1)
		assert.Equal(t, []schedule.VisitID{"a", "b"}, res.Rota.Routes[0].Visits)
		assert.Equal(t, c.work, res.Report.Totals.WorkingTime, "lateness %v", c.lateness)
		assert.InDelta(t, c.cost, res.Report.Objective.Total, 1e-9, "lateness %v", c.lateness)
		assert.InDelta(t, c.cost, obj, 1e-9, "lateness %v", c.lateness)
	}
}

// TestSolveTimeCriticalNeverLate: m (at 10, 08:00-08:15) has its Target at
// Latest, a time-critical visit, and n (at 12, 08:00-09:00, target 08:05,
// 5 per minute) must wait: m first and on time, n 17 minutes late, since n
// first would push m past its window.
func TestSolveTimeCriticalNeverLate(t *testing.T) {
	p := line(0)
	p.Weights = schedule.Weights{Unassigned: 1000, TravelTime: 1, Lateness: 5}
	addVisit(p, "m", 10, schedule.Window{Earliest: at(8, 0), Latest: at(8, 15), Target: ptr(at(8, 15))}, 10)
	addVisit(p, "n", 12, schedule.Window{Earliest: at(8, 0), Latest: at(9, 0), Target: ptr(at(8, 5))}, 10)
	res, obj := solveChecked(t, p)
	require.Zero(t, res.Report.Totals.Unassigned)
	require.Len(t, res.Rota.Routes, 1)
	assert.Equal(t, []schedule.VisitID{"m", "n"}, res.Rota.Routes[0].Visits)
	stops := res.Report.Routes[0].Stops
	assert.Equal(t, at(8, 10), stops[0].Start)
	assert.Zero(t, stops[0].Late)
	assert.Equal(t, 17*time.Minute, stops[1].Late)
	assert.InDelta(t, 24+5*17.0, obj, 1e-9)
}

// continuityProblem: person u at (5, 0) has a morning visit m (08:00-08:10,
// only w1's early shift can make it) and a late visit e (10:00-10:10).
// Worker w1 lives at 0 (shifts 07:30-09:00 and 09:30-11:30), w2 at u's door
// (shift 09:30-11:30): e costs 10 minutes of travel by w1 and none by w2.
func continuityProblem() *schedule.Problem {
	p := line(0)
	door := care.Location{5, 0}
	p.Workers = append(p.Workers, care.Worker{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &door})
	p.Shifts = []schedule.Shift{
		{ID: "s1a", Worker: "w1", Start: at(7, 30), End: at(9, 0)},
		{ID: "s1b", Worker: "w1", Start: at(9, 30), End: at(11, 30)},
		{ID: "s2", Worker: "w2", Start: at(9, 30), End: at(11, 30)},
	}
	p.ServiceUsers = []care.ServiceUser{{ID: "u", Location: door}}
	p.Visits = []schedule.Visit{
		{ID: "m", ServiceUser: "u", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(8, 10)}}},
		{ID: "e", ServiceUser: "u", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
			Windows: []schedule.Window{{Earliest: at(10, 0), Latest: at(10, 10)}}},
	}
	return p
}

// TestSolveContinuityAndPreferred: at 1 per minute of travel, e goes to w2
// unless continuity (per extra carer) or a preferred-worker reward for w1
// is worth more than w1's 10 minutes.
func TestSolveContinuityAndPreferred(t *testing.T) {
	for _, c := range []struct {
		name         string
		cont, reward float64
		regular      bool // w1 is u's regular carer (else e names w1 as preferred)
		want         care.WorkerID
		cost         float64
	}{
		{"no preference", 0, 0, false, "w2", 10},
		{"continuity below travel", 8, 0, false, "w2", 18},
		{"continuity above travel", 12, 0, false, "w1", 20},
		{"visit prefers w1, small reward", 0, 8, false, "w2", 10},
		{"visit prefers w1, large reward", 0, 12, false, "w1", 20 - 12},
		{"regular carer w1", 0, 12, true, "w1", 20 - 2*12},
	} {
		p := continuityProblem()
		p.Weights = schedule.Weights{Unassigned: 1000, TravelTime: 1, Continuity: c.cont, Preferred: c.reward}
		if c.reward > 0 {
			if c.regular {
				p.ServiceUsers[0].Preferences.PreferredWorkers = []care.WorkerID{"w1"}
			} else {
				p.Visits[1].Preferred = []care.WorkerID{"w1"}
			}
		}
		res, obj := solveChecked(t, p)
		require.Zero(t, res.Report.Totals.Unassigned, c.name)
		var who care.WorkerID
		for _, a := range res.Rota.Assignments {
			if a.Visit == "e" {
				who = a.Workers[0]
			}
		}
		assert.Equal(t, c.want, who, c.name)
		assert.InDelta(t, c.cost, res.Report.Objective.Total, 1e-9, c.name)
		assert.InDelta(t, c.cost, obj, 1e-9, c.name)
	}
}

// TestSolvePreferredDoubleHanded: a double-handed visit whose two
// preferred workers both serve it earns the reward once, in the engine as
// in Evaluate.
func TestSolvePreferredDoubleHanded(t *testing.T) {
	p := continuityProblem()
	p.Visits = p.Visits[1:]
	p.Visits[0].Carers = 2
	p.Visits[0].Preferred = []care.WorkerID{"w1", "w2"}
	p.Weights = schedule.Weights{Unassigned: 1000, TravelTime: 1, Preferred: 100}
	res, obj := solveChecked(t, p)
	require.Zero(t, res.Report.Totals.Unassigned)
	assert.InDelta(t, -100.0, res.Report.Objective.Preferred, 1e-9)
	assert.InDelta(t, 10-100.0, obj, 1e-9)
}

// meanCarers returns the mean over the people with a served visit of the
// number of distinct workers who serve them in r.
func meanCarers(p *schedule.Problem, r *schedule.Rota) float64 {
	user := map[schedule.VisitID]care.ServiceUserID{}
	for _, v := range p.Visits {
		user[v.ID] = v.ServiceUser
	}
	seen := map[care.ServiceUserID]map[care.WorkerID]bool{}
	for _, a := range r.Assignments {
		u := user[a.Visit]
		if seen[u] == nil {
			seen[u] = map[care.WorkerID]bool{}
		}
		for _, w := range a.Workers {
			seen[u][w] = true
		}
	}
	total := 0
	for _, ws := range seen {
		total += len(ws)
	}
	return float64(total) / float64(max(len(seen), 1))
}

// TestSolveContinuityWeek: on a small synthetic agency (12 people, four
// workers, four days), the continuity term lowers the mean number of
// distinct carers per person (measured 1.42 against 1.83).
func TestSolveContinuityWeek(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 4, People: 12, Days: 4})
	require.NoError(t, err)
	with, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 300})
	require.NoError(t, err)
	require.NoError(t, with.Report.HardErrorExcept(NotPlannedYet()...))
	q := *p
	q.Weights.Continuity, q.Weights.Preferred = 0, 0
	without, err := Solve(context.Background(), &q, Options{Seed: 1, Threads: 1, MaxIterations: 300})
	require.NoError(t, err)
	a, b := meanCarers(p, with.Rota), meanCarers(p, without.Rota)
	t.Logf("mean distinct carers per person: %.2f with continuity, %.2f without; unassigned %d and %d",
		a, b, with.Report.Totals.Unassigned, without.Report.Totals.Unassigned)
	assert.Less(t, a, b)
}

// TestContinuityFigure measures, on the generator's sample week
// (synth.Sample: 60 people, 14 workers, seven days), the mean number of
// distinct carers per person over the week with the problem's weights,
// without the continuity term, and without the continuity and
// preferred-worker terms. Off unless CARE_CONTINUITY is set to a time
// limit per run:
//
//	CARE_CONTINUITY=60s go test ./routing -run TestContinuityFigure -v -timeout 0
func TestContinuityFigure(t *testing.T) {
	limit := os.Getenv("CARE_CONTINUITY")
	if limit == "" {
		t.Skip("set CARE_CONTINUITY to a time limit per run (e.g. 60s) to measure continuity")
	}
	d, err := time.ParseDuration(limit)
	require.NoError(t, err)
	p, err := synth.Sample()
	require.NoError(t, err)
	for _, c := range []struct {
		name             string
		continuity, pref float64
	}{
		{"problem weights", p.Weights.Continuity, p.Weights.Preferred},
		{"no continuity term", 0, p.Weights.Preferred},
		{"no continuity or preferred term", 0, 0},
	} {
		q := *p
		q.Weights.Continuity, q.Weights.Preferred = c.continuity, c.pref
		res, err := Solve(context.Background(), &q, Options{Seed: 1, Threads: 2, TimeLimit: d})
		require.NoError(t, err)
		r := res.Report
		t.Logf("%-32s continuity %4.0f preferred %4.0f: mean distinct carers per person %.2f; served %d of %d, travel %s, %d iterations",
			c.name, c.continuity, c.pref, meanCarers(p, res.Rota), r.Totals.Served, len(p.Visits), r.Totals.TravelTime.Round(time.Minute), res.Stats.Iterations)
	}
}
