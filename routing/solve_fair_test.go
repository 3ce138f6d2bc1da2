package routing

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fairProblem: workers A and B at the depot (0, 0), shifts 08:00–end on
// one day, n people at (10, 0) (10 minutes away) each with a visit of 30
// minutes starting 08:00–11:00. One worker doing k visits works
// 10 + 30k + 10 minutes. Using a shift costs 100, a unit of distance 1.
func fairProblem(n int, end time.Time) *schedule.Problem {
	depot := care.Location{0, 0}
	p := &schedule.Problem{
		Name: "fair", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		Workers: []care.Worker{
			{ID: "A", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot},
			{ID: "B", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot},
		},
		Shifts: []schedule.Shift{
			{ID: "sA", Worker: "A", Start: at(8, 0), End: end},
			{ID: "sB", Worker: "B", Start: at(8, 0), End: end},
		},
		Weights: schedule.Weights{Unassigned: 10000, Shift: 100, Distance: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	for i := range n {
		u := care.ServiceUserID(fmt.Sprintf("u%d", i))
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: u, Location: care.Location{10, 0}})
		p.Visits = append(p.Visits, schedule.Visit{ID: schedule.VisitID(fmt.Sprintf("v%d", i)), ServiceUser: u,
			Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}})
	}
	return p
}

// workedMinutes returns each worker's working minutes in a report.
func workedMinutes(rep *Report) map[care.WorkerID]float64 {
	out := map[care.WorkerID]float64{}
	for _, r := range rep.Routes {
		out[r.Worker] += r.WorkingTime.Minutes()
	}
	return out
}

// visitsOf counts each worker's visits in a rota.
func visitsOf(r *schedule.Rota) map[care.WorkerID]int {
	out := map[care.WorkerID]int{}
	for _, rt := range r.Routes {
		out[rt.Worker] += len(rt.Visits)
	}
	return out
}

func solveFair(t *testing.T, p *schedule.Problem) *Result {
	t.Helper()
	res, err := Solve(t.Context(), p, Options{Seed: 1, Threads: 1, MaxIterations: 400})
	require.NoError(t, err)
	require.Empty(t, res.Rota.Unassigned)
	return res
}

// TestSolveFairnessHandWorked: three visits. Without fairness one worker
// does them all (110 minutes; one shift, 20 distance: 120). With Fairness
// 10: all to one costs 120 + 10·55 = 670; a 2/1 split (80 and 50
// minutes: σ 15) 240 + 150 = 390, the optimum (3/0 and 2/1 are the only
// splits). With A's 60 prior minutes: B alone (A 60, B 110: σ 25) costs
// 120 + 250 = 370; A one and B two (110, 80: σ 15) 240 + 150 = 390; A two
// and B one (140, 50) 240 + 450; A alone (170, 0) 120 + 850. So B takes
// all three.
func TestSolveFairnessHandWorked(t *testing.T) {
	p := fairProblem(3, at(12, 0))
	res := solveFair(t, p)
	assert.Len(t, res.Rota.Routes, 1, "without fairness one worker does it all")
	assert.InDelta(t, 120, res.Report.Objective.Total, 1e-6)

	p.Weights.Fairness = 10
	res = solveFair(t, p)
	n := visitsOf(res.Rota)
	assert.ElementsMatch(t, []int{1, 2}, []int{n["A"], n["B"]}, "a 2/1 split: %v", n)
	assert.InDelta(t, 150, res.Report.Objective.Fairness, 1e-6)
	assert.InDelta(t, 390, res.Report.Objective.Total, 1e-6)

	p.Workers[0].PriorMinutes = 60
	res = solveFair(t, p)
	n = visitsOf(res.Rota)
	assert.Equal(t, 0, n["A"], "%v", n)
	assert.Equal(t, 3, n["B"], "%v", n)
	assert.InDelta(t, 250, res.Report.Objective.Fairness, 1e-6)
	assert.InDelta(t, 370, res.Report.Objective.Total, 1e-6)
}

// TestSolveContractHandWorked: six visits (one worker alone: 200 minutes).
// B's shift ends at 10:00, so B can do at most three (110 minutes).
//   - Overtime: A is contracted 120 minutes a week. Without the weight A
//     does all (one shift, 20 distance: 120). With Overtime 10, A alone
//     costs 120 + 10·80; A three and B three 240 with A at 110 minutes; A
//     four (140) 240 + 200: the optimum keeps A within the contract.
//   - Undertime: A contracted 700 minutes a week (a one-day horizon: a
//     target of 100), B none, A's shift costing 10 more. Three visits: B
//     alone costs 120, A alone 130; with Undertime 10 B alone costs 1000
//     more (A idle, 100 under), so A takes them (110 minutes, none under).
func TestSolveContractHandWorked(t *testing.T) {
	t.Run("overtime", func(t *testing.T) {
		p := fairProblem(6, at(12, 0))
		p.Shifts[1].End = at(10, 0)
		p.Workers[0].ContractedMinutesPerWeek = 120
		res := solveFair(t, p)
		assert.InDelta(t, 200, workedMinutes(res.Report)["A"], 1e-6, "without the weight A does all")
		p.Weights.Overtime = 10
		res = solveFair(t, p)
		m := workedMinutes(res.Report)
		assert.LessOrEqual(t, m["A"], 120.0, "%v", m)
		assert.Equal(t, map[care.WorkerID]int{"A": 3, "B": 3}, visitsOf(res.Rota))
		assert.Zero(t, res.Report.Objective.Overtime)
		assert.InDelta(t, 240, res.Report.Objective.Total, 1e-6)
	})
	t.Run("undertime", func(t *testing.T) {
		p := fairProblem(3, at(12, 0))
		p.Shifts[0].Cost = 10
		p.Workers[0].ContractedMinutesPerWeek = 700
		res := solveFair(t, p)
		assert.Equal(t, map[care.WorkerID]int{"B": 3}, visitsOf(res.Rota), "without the weight the cheaper B")
		p.Weights.Undertime = 10
		res = solveFair(t, p)
		assert.Equal(t, map[care.WorkerID]int{"A": 3}, visitsOf(res.Rota))
		assert.Zero(t, res.Report.Objective.Undertime)
		assert.InDelta(t, 130, res.Report.Objective.Total, 1e-6)
	})
}

// TestSolveSoftMaxShiftHandWorked: six visits, Rules.MaxShift 120 minutes
// listed as soft. Without an overtime weight one worker does all (200
// minutes: a soft violation, 120); with Overtime 10 that costs 800 more,
// and three each (110 minutes, 240) is the optimum.
func TestSolveSoftMaxShiftHandWorked(t *testing.T) {
	p := fairProblem(6, at(12, 0))
	p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(120), Soft: []string{"max_shift"}}
	res := solveFair(t, p)
	require.Len(t, res.Rota.Routes, 1)
	assert.InDelta(t, 120, res.Report.Objective.Total, 1e-6)
	p.Weights.Overtime = 10
	res = solveFair(t, p)
	require.Len(t, res.Rota.Routes, 2)
	for _, r := range res.Report.Routes {
		assert.LessOrEqual(t, r.WorkingTime, 120*time.Minute)
	}
	assert.Zero(t, res.Report.Objective.Overtime)
	assert.InDelta(t, 240, res.Report.Objective.Total, 1e-6)
}

// spanTermsCompare solves a generated agency's problem (changed by mod)
// with the span terms' weights on and off (same seed and budget) and
// returns the Evaluate objectives of both rotas under the weights on.
func spanTermsCompare(t testing.TB, cfg synth.Config, mod func(*schedule.Problem), opt Options, w schedule.Weights) (on, off Objective) {
	p, err := synth.Generate(cfg)
	require.NoError(t, err)
	if mod != nil {
		mod(p)
	}
	p.Weights.Fairness, p.Weights.Overtime, p.Weights.Undertime = w.Fairness, w.Overtime, w.Undertime
	q := *p
	q.Weights.Fairness, q.Weights.Overtime, q.Weights.Undertime = 0, 0, 0
	resOn, err := Solve(context.Background(), p, opt)
	require.NoError(t, err)
	resOff, err := Solve(context.Background(), &q, opt)
	require.NoError(t, err)
	rep, err := Evaluate(p, resOff.Rota)
	require.NoError(t, err)
	return resOn.Report.Objective, rep.Objective
}

// shortContracts gives the workers contracts of 300, 600 and 2400 minutes
// a week in turn and some history, so that overtime, undertime and prior
// minutes all apply on a short horizon.
func shortContracts(p *schedule.Problem) {
	for i := range p.Workers {
		p.Workers[i].ContractedMinutesPerWeek = []int{300, 600, 2400}[i%3]
		p.Workers[i].PriorMinutes = 60 * (i % 4)
	}
}

// TestSolveSpanTermsRealistic: on a generated agency's two days (about 40
// visits a day, eight workers), Solve with Fairness, Overtime and
// Undertime weights returns a rota whose span terms and total, by
// Evaluate, are lower than those of the rota solved without them with the
// same budget, leaving no more visits out.
func TestSolveSpanTermsRealistic(t *testing.T) {
	on, off := spanTermsCompare(t, synth.Config{Seed: 5, VisitsPerDay: 40, Days: 2}, shortContracts,
		Options{Seed: 1, Threads: 1, MaxIterations: 1000}, schedule.Weights{Fairness: 20, Overtime: 2, Undertime: 1})
	t.Logf("with the terms: fairness %.1f overtime %.1f undertime %.1f total %.1f; without: %.1f %.1f %.1f total %.1f",
		on.Fairness, on.Overtime, on.Undertime, on.Total, off.Fairness, off.Overtime, off.Undertime, off.Total)
	assert.Less(t, on.Fairness+on.Overtime+on.Undertime, off.Fairness+off.Overtime+off.Undertime)
	assert.Less(t, on.Total, off.Total)
	assert.LessOrEqual(t, on.Unassigned, off.Unassigned, "no visit given up for the soft terms")
}

// BenchmarkSolveSpanTerms compares, on generated agencies, Solve with the
// span terms' weights (Fairness 20, Overtime 2, Undertime 1; contracts and
// history from shortContracts) against the same solve without them, with
// one thread and the same time limit (CARE_FAIR_TIME, a Go duration;
// default 10s), both rotas evaluated under the weights: a 200-visit day
// and a week of about 60 visits a day (the working-time law's cuts run in
// the same rounds). It reports each term with (on) and without (off):
//
//	go test -run '^$' -bench '^BenchmarkSolveSpanTerms$' -benchtime 1x ./routing/
func BenchmarkSolveSpanTerms(b *testing.B) {
	limit := 10 * time.Second
	if v := os.Getenv("CARE_FAIR_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("CARE_FAIR_TIME: want a positive Go duration, got %q", v)
		}
		limit = d
	}
	for _, c := range []struct {
		name string
		cfg  synth.Config
	}{
		{"day200", synth.Config{Seed: 1, VisitsPerDay: 200, Days: 1}},
		{"week60", synth.Config{Seed: 1, VisitsPerDay: 60, Days: 7}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var on, off Objective
			for b.Loop() {
				on, off = spanTermsCompare(b, c.cfg, shortContracts, Options{Seed: 1, Threads: 1, TimeLimit: limit},
					schedule.Weights{Fairness: 20, Overtime: 2, Undertime: 1})
			}
			b.ReportMetric(on.Fairness, "fairness-on")
			b.ReportMetric(off.Fairness, "fairness-off")
			b.ReportMetric(on.Overtime, "overtime-on")
			b.ReportMetric(off.Overtime, "overtime-off")
			b.ReportMetric(on.Undertime, "undertime-on")
			b.ReportMetric(off.Undertime, "undertime-off")
			b.ReportMetric(on.Total, "total-on")
			b.ReportMetric(off.Total, "total-off")
			b.ReportMetric(on.Unassigned, "unassigned-cost-on")
			b.ReportMetric(off.Unassigned, "unassigned-cost-off")
		})
	}
}

// TestSpanTermsMatchEvaluate: the translation's own count of the span
// terms (spanTerms, which chooses between rounds) equals Evaluate's
// Fairness + Overtime + Undertime on the engine's rotas of generated
// agencies (two days, short contracts, history, soft max_shift and
// max_weekly limits), also after span costs have been set: and a search
// with span costs keeps Cost = the reference cost with them.
func TestSpanTermsMatchEvaluate(t *testing.T) {
	ctx := context.Background()
	checked := 0
	for seed := range uint64(4) {
		p, err := synth.Generate(synth.Config{Seed: seed + 1, VisitsPerDay: 20 + 10*int(seed), Days: 2})
		require.NoError(t, err)
		shortContracts(p)
		p.Weights.Fairness, p.Weights.Overtime, p.Weights.Undertime = 3, 2, 1
		p.Rules.MaxShift, p.Rules.MaxWeekly = schedule.Minutes(180), schedule.Minutes(400)
		p.Rules.Soft = []string{"max_shift", "max_weekly"}
		pl, m, err := ProblemMatrix(ctx, p, nil)
		require.NoError(t, err)
		tr, err := translate(p, pl, m)
		require.NoError(t, err)
		require.True(t, tr.fairRoundsWanted())
		sol, err := search.Solve(ctx, &tr.in, search.Options{Seed: 1, Threads: 1, MaxIterations: 300})
		require.NoError(t, err)
		for round := range 2 {
			rep, err := Evaluate(p, tr.rota(sol))
			require.NoError(t, err)
			dep, ret := tr.routeSpans(&sol)
			o := rep.Objective
			assert.InDelta(t, o.Fairness+o.Overtime+o.Undertime, tr.spanTerms(dep, ret), 1e-6, "seed %d round %d", seed, round)
			assert.Positive(t, o.Fairness+o.Overtime+o.Undertime)
			checked++
			tr.setSpanCosts(&sol)
			pieces := 0
			for _, v := range tr.in.Vehicles {
				pieces += len(v.SpanCost)
			}
			assert.Positive(t, pieces, "span costs set")
			sol, err = search.Solve(ctx, &tr.in, search.Options{Seed: 2, Threads: 1, MaxIterations: 100, Initial: sol.Routes, InitialWindows: sol.Windows})
			require.NoError(t, err)
			require.NoError(t, search.CheckSolution(&tr.in, sol))
			require.Equal(t, search.SolutionCost(&tr.in, sol), sol.Cost)
		}
	}
	assert.Equal(t, 8, checked)
}
