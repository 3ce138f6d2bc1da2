package routing

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of Solve's rounds for the span terms (solve_fair.go, planLaw):
// when they run, the warm start among their candidates, slopes halved to
// fit the engine, the window shares, the engine's spans against the
// rota's, and progress over the rounds.

// pieceCost is Σ PerUnit·max(0, span − From): the engine's span cost of a
// non-empty route of span span (engine units), computed here apart.
func pieceCost(pcs []search.SpanPiece, span int64) int64 {
	var c int64
	for _, pc := range pcs {
		if span > pc.From {
			c += pc.PerUnit * (span - pc.From)
		}
	}
	return c
}

// vehicleOf returns the engine vehicle of shift id.
func vehicleOf(t *testing.T, tr *translation, id schedule.ShiftID) int {
	t.Helper()
	for k, s := range tr.shift {
		if tr.p.Shifts[s].ID == id {
			return k
		}
	}
	t.Fatalf("no vehicle for shift %s", id)
	return -1
}

// TestFairRoundsWanted: the rounds run only when a span term can be
// incurred. On fairProblem's one day (four-hour shifts), with only an
// overtime weight: contracts of 600 minutes cannot be exceeded (no round),
// A's contract of 60 can (rounds, and only A's shift gets a span cost, B's
// pieces being all zero); a soft max_shift of 300 minutes cannot be
// exceeded, one of 120 can; a soft max_weekly of 480 cannot, one of 200
// can; an undertime weight with a contract always plans; fairness needs
// two workers.
func TestFairRoundsWanted(t *testing.T) {
	for name, c := range map[string]struct {
		mod  func(p *schedule.Problem)
		want bool
	}{
		"contracts above the shifts": {func(p *schedule.Problem) {
			p.Workers[0].ContractedMinutesPerWeek, p.Workers[1].ContractedMinutesPerWeek = 600, 600
		}, false},
		"a contract below a shift": {func(p *schedule.Problem) {
			p.Workers[0].ContractedMinutesPerWeek, p.Workers[1].ContractedMinutesPerWeek = 60, 600
		}, true},
		"contract equal to the shift": {func(p *schedule.Problem) { p.Workers[0].ContractedMinutesPerWeek = 240 }, false},
		"soft max_shift above": {func(p *schedule.Problem) {
			p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(300), Soft: []string{"max_shift"}}
		}, false},
		"soft max_shift below": {func(p *schedule.Problem) {
			p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(120), Soft: []string{"max_shift"}}
		}, true},
		"soft max_weekly above": {func(p *schedule.Problem) {
			p.Rules = schedule.WorkingTimeRules{MaxWeekly: schedule.Minutes(480), Soft: []string{"max_weekly"}}
		}, false},
		"soft max_weekly below": {func(p *schedule.Problem) {
			p.Rules = schedule.WorkingTimeRules{MaxWeekly: schedule.Minutes(200), Soft: []string{"max_weekly"}}
		}, true},
		"undertime": {func(p *schedule.Problem) {
			p.Weights.Overtime, p.Weights.Undertime = 0, 1
			p.Workers[0].ContractedMinutesPerWeek = 6000
		}, true},
		"fairness": {func(p *schedule.Problem) { p.Weights.Overtime, p.Weights.Fairness = 0, 1 }, true},
		"fairness, one worker": {func(p *schedule.Problem) {
			p.Weights.Overtime, p.Weights.Fairness = 0, 1
			p.Shifts = p.Shifts[:1]
		}, false},
	} {
		p := fairProblem(6, at(12, 0))
		p.Weights.Overtime = 10
		c.mod(p)
		require.NoError(t, p.Validate(), name)
		tr, err := translateFor(p)
		require.NoError(t, err, name)
		assert.Equal(t, c.want, tr.fairRoundsWanted(), name)
	}
	// Only A can exceed its contract: only A's shift gets a span cost.
	p := fairProblem(6, at(12, 0))
	p.Weights.Overtime = 10
	p.Workers[0].ContractedMinutesPerWeek, p.Workers[1].ContractedMinutesPerWeek = 60, 600
	tr, err := translateFor(p)
	require.NoError(t, err)
	sol, err := search.Solve(context.Background(), &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	tr.setSpanCosts(&sol)
	assert.NotEmpty(t, tr.in.Vehicles[vehicleOf(t, tr, "sA")].SpanCost)
	assert.Nil(t, tr.in.Vehicles[vehicleOf(t, tr, "sB")].SpanCost)
}

// TestSolveOneDayOneSearch: a generated agency's day has contracts (of 16
// hours a week or more) that no worker's shifts that day can exceed, and
// synth's Overtime weight of 5: Solve runs one search, exactly as with the
// weight 0 (same rota, same iterations), rather than halving it for rounds.
func TestSolveOneDayOneSearch(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 3, VisitsPerDay: 40, Days: 1})
	require.NoError(t, err)
	require.Positive(t, p.Weights.Overtime)
	contracts := 0
	for _, w := range p.Workers {
		if w.ContractedMinutesPerWeek > 0 {
			contracts++
		}
	}
	require.Positive(t, contracts)
	tr, err := translateFor(p)
	require.NoError(t, err)
	assert.False(t, tr.fairRoundsWanted())
	assert.False(t, tr.lawPossible())
	opt := Options{Seed: 1, Threads: 1, MaxIterations: 200}
	with, err := Solve(context.Background(), p, opt)
	require.NoError(t, err)
	q := *p
	q.Weights.Overtime = 0
	without, err := Solve(context.Background(), &q, opt)
	require.NoError(t, err)
	assert.True(t, reflect.DeepEqual(without.Rota, with.Rota), "the rotas differ")
	assert.Equal(t, without.Stats.Iterations, with.Stats.Iterations)
	assert.Zero(t, with.Report.Objective.Overtime)
}

// TestSolveWarmStartSpanTerms: a rota balanced for fairness (fairProblem's
// 2/1 split, 390) given as the warm start, with a budget of one to four
// iterations, comes back no worse by Evaluate, although the first search
// alone, without span costs, would undo the split (one worker doing all
// three visits saves a shift: 670 with fairness). The same on a generated
// agency with all three span terms.
func TestSolveWarmStartSpanTerms(t *testing.T) {
	p := fairProblem(3, at(12, 0))
	p.Weights.Fairness = 10
	good := solveFair(t, p)
	require.InDelta(t, 390, good.Stats.Objective, 1e-6)
	for _, n := range []int64{1, 2, 4} {
		warm, err := Solve(context.Background(), p, Options{Seed: 2, Threads: 1, MaxIterations: n, Initial: good.Rota})
		require.NoError(t, err)
		assert.LessOrEqual(t, warm.Stats.Objective, good.Stats.Objective+1e-6, "%d iterations", n)
	}

	g, err := synth.Generate(synth.Config{Seed: 5, VisitsPerDay: 30, Days: 2})
	require.NoError(t, err)
	shortContracts(g)
	g.Weights.Fairness, g.Weights.Overtime, g.Weights.Undertime = 20, 2, 1
	good, err = Solve(context.Background(), g, Options{Seed: 1, Threads: 1, MaxIterations: 300})
	require.NoError(t, err)
	for _, n := range []int64{1, 4} {
		warm, err := Solve(context.Background(), g, Options{Seed: 2, Threads: 1, MaxIterations: n, Initial: good.Rota})
		require.NoError(t, err)
		checkSolved(t, "warm", g, warm)
		// (Within the engine's millisecond rounding, by which the rounds choose.)
		assert.LessOrEqual(t, warm.Stats.Objective, good.Stats.Objective*(1+1e-6), "%d iterations", n)
	}
}

// TestSpanCostsHalvedToFit: with Fairness 10⁹ (and A's 110 prior minutes,
// B's shift costing 5 more), the span costs around A doing all three
// visits are too steep for the engine's integer bound; setSpanCosts halves
// them until the instance validates, keeping costs on both shifts, and
// Solve still plans fairness: B takes all three (both at 110 minutes,
// fairness 0) where without span costs the cheaper A would.
func TestSpanCostsHalvedToFit(t *testing.T) {
	p := fairProblem(3, at(12, 0))
	p.Weights.Fairness = 1e9
	p.Workers[0].PriorMinutes = 110
	p.Shifts[1].Cost = 5
	tr, err := translateFor(p)
	require.NoError(t, err)
	sol, err := search.Solve(context.Background(), &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	require.Equal(t, map[care.WorkerID]int{"A": 3}, visitsOf(tr.rota(sol)), "without span costs the cheaper A")
	halved := tr.setSpanCosts(&sol)
	assert.Positive(t, halved)
	require.NoError(t, tr.in.Validate())
	for _, s := range []schedule.ShiftID{"sA", "sB"} {
		assert.NotEmpty(t, tr.in.Vehicles[vehicleOf(t, tr, s)].SpanCost, s)
	}

	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	assert.Equal(t, map[care.WorkerID]int{"B": 3}, visitsOf(res.Rota))
	assert.InDelta(t, 0, res.Report.Objective.Fairness, 1e-6)
}

// TestSpanCostWindowShares: worker A (contracted 300 minutes a week, on a
// two-week horizon) has a day shift in week 1 serving one 30-minute visit
// (50 minutes) and a night shift from Sunday 20:00 to Monday 08:00 whose
// route (a visit at 02:00) lies wholly in week 2. Only the day shift's
// route meets week 1, so it alone pays week 1's overtime, exactly: its
// span cost is zero up to a 300-minute span and rises after (counting the
// night shift as sharing week 1 would halve the room, charging from 175
// minutes).
func TestSpanCostWindowShares(t *testing.T) {
	depot := care.Location{0, 0}
	mon2 := day.AddDate(0, 0, 7)
	p := &schedule.Problem{
		Name: "shares", Start: day, End: day.AddDate(0, 0, 14), TimeZone: "UTC",
		Workers: []care.Worker{{ID: "A", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot, ContractedMinutesPerWeek: 300}},
		Shifts: []schedule.Shift{
			{ID: "day", Worker: "A", Start: day.AddDate(0, 0, 2).Add(8 * time.Hour), End: day.AddDate(0, 0, 2).Add(18 * time.Hour)},
			{ID: "night", Worker: "A", Start: mon2.Add(-4 * time.Hour), End: mon2.Add(8 * time.Hour)},
		},
		ServiceUsers: []care.ServiceUser{{ID: "u", Location: care.Location{10, 0}}},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "u", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
				Windows: []schedule.Window{{Earliest: day.AddDate(0, 0, 2).Add(8 * time.Hour), Latest: day.AddDate(0, 0, 2).Add(12 * time.Hour)}}},
			{ID: "v2", ServiceUser: "u", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
				Windows: []schedule.Window{{Earliest: mon2.Add(2 * time.Hour), Latest: mon2.Add(3 * time.Hour)}}},
		},
		Weights: schedule.Weights{Unassigned: 10000, Overtime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	require.NoError(t, p.Validate())
	tr, err := translateFor(p)
	require.NoError(t, err)
	require.True(t, tr.fairRoundsWanted())
	sol, err := search.Solve(context.Background(), &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 20})
	require.NoError(t, err)
	require.Empty(t, sol.Unassigned)
	kd, kn := vehicleOf(t, tr, "day"), vehicleOf(t, tr, "night")
	dep, ret := tr.routeSpans(&sol)
	require.Equal(t, 50*time.Minute, ret[kd].Sub(dep[kd]))
	require.False(t, dep[kn].Before(mon2), "the night route departs in week 2: %v", dep[kn])
	tr.setSpanCosts(&sol)
	pcs := tr.in.Vehicles[kd].SpanCost
	ms := int64(time.Minute / engineTime)
	assert.Zero(t, pieceCost(pcs, 290*ms), "%v", pcs)
	assert.Zero(t, pieceCost(pcs, 300*ms), "%v", pcs)
	// One objective unit per minute over: costScale per minute.
	assert.InDelta(t, 10*tr.costScale, float64(pieceCost(pcs, 310*ms)), tr.costScale/100, "%v", pcs)
}

// TestEngineSpansMatchRota: the engine's span of each route
// (search.Solution.Spans, what the span costs are charged on) is the
// rota's Return − Depart as the translation times it (routeSpans, what
// the span terms are counted on): exactly on fairProblem's whole minutes,
// and within the engine's rounding (a millisecond per leg and visit) on
// generated agencies with lateness, breaks and span costs.
func TestEngineSpansMatchRota(t *testing.T) {
	ctx := context.Background()
	p := fairProblem(6, at(12, 0))
	p.Shifts[1].End = at(10, 0)
	tr, err := translateFor(p)
	require.NoError(t, err)
	sol, err := search.Solve(ctx, &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	dep, ret := tr.routeSpans(&sol)
	for k, r := range sol.Routes {
		if len(r) > 0 {
			assert.Equal(t, ret[k].Sub(dep[k]), time.Duration(sol.Spans[k])*engineTime, "vehicle %d", k)
		}
	}
	checked := 0
	for seed := range uint64(3) {
		g, err := synth.Generate(synth.Config{Seed: seed + 1, VisitsPerDay: 30, Days: 2})
		require.NoError(t, err)
		shortContracts(g)
		g.Weights.Fairness, g.Weights.Overtime, g.Weights.Undertime = 3, 2, 1
		tr, err := translateFor(g)
		require.NoError(t, err)
		sol, err := search.Solve(ctx, &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 100})
		require.NoError(t, err)
		for round := range 2 {
			dep, ret := tr.routeSpans(&sol)
			for k, r := range sol.Routes {
				if len(r) == 0 {
					continue
				}
				d := time.Duration(sol.Spans[k])*engineTime - ret[k].Sub(dep[k])
				assert.LessOrEqual(t, d.Abs(), time.Duration(2*len(r)+2)*engineTime, "seed %d round %d vehicle %d", seed, round, k)
				checked++
			}
			tr.setSpanCosts(&sol)
			sol, err = search.Solve(ctx, &tr.in, search.Options{Seed: 2, Threads: 1, MaxIterations: 50, Initial: sol.Routes, InitialWindows: sol.Windows})
			require.NoError(t, err)
		}
	}
	assert.Greater(t, checked, 20)
}

// TestSolveProgressRounds: with undertime planned in rounds (A contracted
// 700 minutes, a one-day target of 100; TestSolveContractHandWorked),
// Progress counts the iterations of every round (the last report's equal
// Stats.Iterations, where a round's own count would fall short), its
// Elapsed never goes back, and its Objective leaves the span costs out:
// never below 0 (the engine's other terms are costs), though A's span
// cost is a reward of up to 1000 for working the target.
func TestSolveProgressRounds(t *testing.T) {
	p := fairProblem(3, at(12, 0))
	p.Shifts[0].Cost = 10
	p.Workers[0].ContractedMinutesPerWeek = 700
	p.Weights.Undertime = 10
	var reports []Progress
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 400,
		Progress: func(pr Progress) { reports = append(reports, pr) }})
	require.NoError(t, err)
	assert.Equal(t, map[care.WorkerID]int{"A": 3}, visitsOf(res.Rota))
	require.NotEmpty(t, reports)
	last := reports[len(reports)-1]
	assert.Equal(t, res.Stats.Iterations, last.Iterations)
	for i, pr := range reports {
		assert.GreaterOrEqual(t, pr.Objective, 0.0, "report %d", i)
		if i > 0 {
			assert.GreaterOrEqual(t, pr.Elapsed, reports[i-1].Elapsed, "report %d", i)
			assert.GreaterOrEqual(t, pr.Iterations, reports[i-1].Iterations, "report %d", i)
		}
	}
	assert.InDelta(t, res.Stats.Objective, last.Objective, 1e-6, "the last round's best is the rota returned, none under")
}

// TestSolveLawAndSpanTerms: a generated week (the weekly maximum and
// consecutive days at risk, so the working-time cuts run) with the three
// span terms on: the rounds of both (each round's span costs derived
// around the routes it starts from, cut back to the cuts) return a rota
// that keeps every hard rule, with span terms no higher than the rota
// solved without their weights (same budget), and a warm start from it
// with one iteration comes back no worse.
func TestSolveLawAndSpanTerms(t *testing.T) {
	cfg := synth.Config{Seed: 2, VisitsPerDay: 12, Days: 7}
	p, err := synth.Generate(cfg)
	require.NoError(t, err)
	shortContracts(p)
	p.Weights.Fairness, p.Weights.Overtime, p.Weights.Undertime = 20, 2, 1
	tr, err := translateFor(p)
	require.NoError(t, err)
	require.True(t, tr.lawPossible())
	require.True(t, tr.fairRoundsWanted())
	opt := Options{Seed: 1, Threads: 1, MaxIterations: 400}
	on, off := spanTermsCompare(t, cfg, shortContracts, opt, p.Weights)
	t.Logf("span terms with their weights %.1f, without %.1f", on.Fairness+on.Overtime+on.Undertime, off.Fairness+off.Overtime+off.Undertime)
	assert.LessOrEqual(t, on.Fairness+on.Overtime+on.Undertime, off.Fairness+off.Overtime+off.Undertime)
	res, err := Solve(context.Background(), p, opt)
	require.NoError(t, err)
	checkSolved(t, "week", p, res)
	warm, err := Solve(context.Background(), p, Options{Seed: 2, Threads: 1, MaxIterations: 1, Initial: res.Rota})
	require.NoError(t, err)
	checkSolved(t, "warm week", p, warm)
	assert.LessOrEqual(t, warm.Stats.Objective, res.Stats.Objective*(1+1e-6))
}
