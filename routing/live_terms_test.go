package routing

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The terms over the workers' routes (overtime against contracts and soft
// limits, undertime, fairness) in the live operations' costs.

// objectiveTerms returns the names and values of every float64 field of o
// (read by reflection, so that a term added to Objective is covered).
func objectiveTerms(o Objective) map[string]float64 {
	out := map[string]float64{}
	v := reflect.ValueOf(o)
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Float64 {
			out[v.Type().Field(i).Name] = v.Field(i).Float()
		}
	}
	return out
}

// assertCostIsChange asserts that cost equals after - before term by
// term, for every term of Objective.
func assertCostIsChange(t *testing.T, before, after, cost Objective, msg string) {
	t.Helper()
	b, a := objectiveTerms(before), objectiveTerms(after)
	for name, got := range objectiveTerms(cost) {
		assert.InDelta(t, a[name]-b[name], got, 1e-9, "%s: %s", name, msg)
	}
}

// TestObjectiveSubAddEveryTerm: sub and add carry every term of Objective
// (Undertime and Fairness were dropped, so a double-handed visit's Cost
// read 0 there while its Total counted them).
func TestObjectiveSubAddEveryTerm(t *testing.T) {
	var a, b Objective
	va, vb := reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem()
	n := 0
	for i := range va.NumField() {
		if va.Field(i).Kind() == reflect.Float64 {
			va.Field(i).SetFloat(float64(i + 1))
			vb.Field(i).SetFloat(float64(100 * (i + 1)))
			n++
		}
	}
	require.GreaterOrEqual(t, n, 12, "every term and the total")
	ta, tb := objectiveTerms(a), objectiveTerms(b)
	diff, sum := objectiveTerms(a.sub(b)), objectiveTerms(a.add(b))
	for name := range ta {
		assert.Equal(t, ta[name]-tb[name], diff[name], "sub: %s", name)
		assert.Equal(t, ta[name]+tb[name], sum[name], "add: %s", name)
	}
}

// termsProblem is lineProblem with the terms over the workers' routes
// weighted: contracts (w1 60 minutes a week: beyond it is overtime even on
// one day; w2 35 hours: below a seventh of it is undertime), prior
// minutes (w1 100, w2 0, w3 600, w4 50, w5 0: fairness), and a soft
// maximum shift of 55 minutes (w1 works 50 with A).
func termsProblem() (*schedule.Problem, *schedule.Rota) {
	p, r := lineProblem()
	p.Weights.Overtime, p.Weights.Undertime, p.Weights.Fairness = 2, 0.5, 3
	p.Workers[0].ContractedMinutesPerWeek = 60
	p.Workers[1].ContractedMinutesPerWeek = 35 * 60
	for i, m := range []int{100, 0, 600, 50, 0} {
		p.Workers[i].PriorMinutes = m
	}
	p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(55), Soft: []string{"max_shift"}}
	return p, r
}

// TestRecommendCostsEveryTerm: a single visit's Recommendation.Cost (and
// so Explain's trial costs and Repair's ranking, which share insertions)
// is the evaluator's objective change term by term, Overtime (a contract
// and a soft max_shift), Undertime and Fairness included, for a new visit
// (N) and for a visit moved off another worker's route (A: both workers'
// terms change). Before, the single-visit deltas left out undertime,
// fairness, contract overtime and a route's soft max_shift overtime.
func TestRecommendCostsEveryTerm(t *testing.T) {
	p, r := termsProblem()
	require.NoError(t, p.Validate())
	base, err := Evaluate(p, stripStarts(r))
	require.NoError(t, err)
	require.Positive(t, base.Objective.Undertime)
	require.Positive(t, base.Objective.Fairness)
	for _, id := range []schedule.VisitID{"N", "A"} {
		recs, err := Recommend(context.Background(), p, r, id, 0, RecommendOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, recs)
		var ot, ut, fair bool
		for _, rec := range recs {
			rep, err := Evaluate(p, withInsertion(p, r, id, rec.Shift, rec.Position))
			require.NoError(t, err)
			require.Empty(t, rep.Hard(), "%+v", rec)
			assertCostIsChange(t, base.Objective, rep.Objective, rec.Cost, string(id)+" to "+string(rec.Shift))
			ot = ot || rec.Cost.Overtime != 0
			ut = ut || rec.Cost.Undertime != 0
			fair = fair || rec.Cost.Fairness != 0
		}
		assert.True(t, ot && ut && fair, "%s: some place changes each of overtime %v, undertime %v, fairness %v", id, ot, ut, fair)
		assert.True(t, slices.IsSortedFunc(recs, func(a, b Recommendation) int { return compareCost(a.Cost.Total, b.Cost.Total) }))
	}
	// N after A on w1's route: 62 minutes, 7 beyond the soft maximum shift
	// and 2 beyond the contract, at 2 a minute.
	recs, err := Recommend(context.Background(), p, r, "N", 0, RecommendOptions{})
	require.NoError(t, err)
	i := slices.IndexFunc(recs, func(rec Recommendation) bool { return rec.Shift == "s1" && rec.Position == 1 })
	require.GreaterOrEqual(t, i, 0)
	assert.InDelta(t, 2*(7+2), recs[i].Cost.Overtime, 1e-9)
	assert.Contains(t, recs[i].Reason, "overtime +18.0")
}

// TestRecommendPairCostsEveryTerm: a double-handed visit's Cost carries
// Undertime and Fairness term by term (Objective.sub dropped them: they
// read 0 while Cost.Total counted them).
func TestRecommendPairCostsEveryTerm(t *testing.T) {
	p, r := pairProblem()
	p.Weights.Overtime, p.Weights.Undertime, p.Weights.Fairness = 2, 0.5, 3
	p.Workers[0].ContractedMinutesPerWeek = 60
	p.Workers[1].ContractedMinutesPerWeek = 35 * 60
	for i, m := range []int{100, 0, 600, 50, 0} {
		p.Workers[i].PriorMinutes = m
	}
	require.NoError(t, p.Validate())
	base, err := Evaluate(p, stripStarts(r))
	require.NoError(t, err)
	recs, err := Recommend(context.Background(), p, r, "D", 0, RecommendOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	var ut, fair bool
	for _, rec := range recs {
		rep, err := Evaluate(p, withPair(p, r, rec))
		require.NoError(t, err)
		require.Empty(t, rep.Hard(), "%+v", rec)
		assertCostIsChange(t, base.Objective, rep.Objective, rec.Cost, string(rec.Worker)+"+"+string(rec.Partner))
		ut = ut || rec.Cost.Undertime != 0
		fair = fair || rec.Cost.Fairness != 0
	}
	assert.True(t, ut && fair, "some pair changes undertime %v and fairness %v", ut, fair)
}

// TestRepairRanksByFairness: w1 goes sick; w2 and w3 could take A at the
// same route cost (same home, empty shifts), w2 first in order. With
// Weights.Fairness, w3 (no prior minutes; w2 has 600) is the fairer
// place, and Repair takes it. Before, Repair's places left fairness out,
// the tie went to w2, and the repaired rota's objective was the higher.
func TestRepairRanksByFairness(t *testing.T) {
	depot := care.Location{0, 0}
	p := &schedule.Problem{
		Name: "fair", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "ua", Location: care.Location{10, 0}}},
		Visits: []schedule.Visit{{ID: "A", ServiceUser: "ua", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 30)}}}},
		Weights: schedule.Weights{Unassigned: 1000, Shift: 10, TravelTime: 1, Fairness: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	for i, w := range []care.WorkerID{"w1", "w2", "w3"} {
		p.Workers = append(p.Workers, care.Worker{ID: w, Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot, PriorMinutes: []int{300, 600, 0}[i]})
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID("s" + string(w[1:])), Worker: w, Start: at(8, 0), End: at(12, 0)})
	}
	require.NoError(t, p.Validate())
	published := publishedRota(liveStop{"A", "w1", "s1", at(9, 0)})
	requireClean(t, p, published)
	res, err := Repair(context.Background(), p, published, []Change{{Kind: WorkerUnavailable, Worker: "w1", At: at(7, 0)}}, RepairOptions{})
	require.NoError(t, err)
	assertRepaired(t, published, res)
	assert.Equal(t, map[schedule.VisitID][]care.WorkerID{"A": {"w3"}}, workersOf(res.Rota))
	// The other place, evaluated here, costs more by fairness alone.
	other, err := Evaluate(res.Problem, placedAt(stripStarts(res.Rota), "A", "w2", "s2", 0, time.Time{}))
	require.NoError(t, err)
	assert.Greater(t, other.Objective.Fairness, res.Report.Objective.Fairness)
	assert.InDelta(t, other.Objective.Total-other.Objective.Fairness, res.Report.Objective.Total-res.Report.Objective.Fairness, 1e-9)
}

// TestCompareRecommendationsTolerance: two places whose costs are equal
// but for rounding (0.1+0.2 against 0.3) tie, and the one that delays
// nobody comes first. Before, the costs were compared exactly and the
// delaying place, cheaper by 5.6e-17, came first.
func TestCompareRecommendationsTolerance(t *testing.T) {
	x, y := 0.1, 0.2
	delaying := Recommendation{Worker: "w1", Cost: Objective{Total: 0.3},
		Delays: []Delay{{Visit: "k", Worker: "w1", From: at(9, 0), To: at(9, 10), By: 10 * time.Minute}}}
	prompt := Recommendation{Worker: "w2", Cost: Objective{Total: x + y}}
	require.NotEqual(t, delaying.Cost.Total, prompt.Cost.Total, "the rounding this test is about")
	assert.Positive(t, compareRecommendations(delaying, prompt))
	assert.Negative(t, compareRecommendations(prompt, delaying))
	recs := []Recommendation{delaying, prompt}
	slices.SortStableFunc(recs, compareRecommendations)
	assert.Equal(t, care.WorkerID("w2"), recs[0].Worker)
	// Costs that differ by more than the tolerance are not ties.
	dearer := prompt
	dearer.Cost.Total = 0.3 + 1e-6
	assert.Negative(t, compareRecommendations(delaying, dearer))
}
