package routing

import (
	"context"
	"testing"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// engineObjectiveOnly keeps only the objective terms the engine optimises
// (part 1), so that its objective and the evaluator's rank rotas alike.
func engineObjectiveOnly(p *schedule.Problem) {
	p.Weights = schedule.Weights{Unassigned: 1000, Shift: 50, TravelTime: 1, WorkingTime: 0.1}
	for v := range p.Visits {
		for w := range p.Visits[v].Windows {
			p.Visits[v].Windows[w].Target = nil
			p.Visits[v].Windows[w].PenaltyPerMinute = 0
		}
	}
}

// TestWarmStartAtLeastAsGood: solving from a good rota with a budget of one
// iteration returns a rota at least as good, whereas a cold start with the
// same budget is worse.
func TestWarmStartAtLeastAsGood(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 7, VisitsPerDay: 60, Days: 1})
	require.NoError(t, err)
	engineObjectiveOnly(p)
	good, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 500})
	require.NoError(t, err)
	checkSolved(t, "good", p, good)
	warm, err := Solve(context.Background(), p, Options{Seed: 2, Threads: 1, MaxIterations: 1, Initial: good.Rota})
	require.NoError(t, err)
	checkSolved(t, "warm", p, warm)
	cold, err := Solve(context.Background(), p, Options{Seed: 2, Threads: 1, MaxIterations: 1})
	require.NoError(t, err)
	t.Logf("objective: good %.3f, warm (1 iteration) %.3f, cold (1 iteration) %.3f", good.Stats.Objective, warm.Stats.Objective, cold.Stats.Objective)
	assert.LessOrEqual(t, warm.Stats.Objective, good.Stats.Objective+1e-6)
	assert.Less(t, warm.Stats.Objective, cold.Stats.Objective)
	assert.LessOrEqual(t, warm.Report.Totals.Unassigned, good.Report.Totals.Unassigned)
}

// TestWarmStartDropsWhatDoesNotFit: an initial rota with a visit out of
// order (a after b misses a's window), a visit on an ineligible shift, an
// unknown visit and an unknown shift still warm-starts, and every visit is
// planned.
func TestWarmStartDropsWhatDoesNotFit(t *testing.T) {
	p := planar()
	p.Visits[2].Pinned = []care.WorkerID{"w2"}
	bad := &schedule.Rota{Routes: []schedule.Route{
		{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"b", "a", "c", "ghost"}},
		{Worker: "w9", Shift: "nope", Visits: []schedule.VisitID{"a"}},
	}}
	tr, err := translateFor(p)
	require.NoError(t, err)
	routes := tr.initial(bad)
	require.NoError(t, search.Check(&tr.in, routes))
	// Only b stays on s1: a misses its window after b, c is pinned to w2.
	require.Len(t, routes[0], 1)
	assert.Equal(t, "b", string(p.Visits[tr.visit[routes[0][0]]].ID))
	assert.Empty(t, routes[1])
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 50, Initial: bad})
	require.NoError(t, err)
	checkSolved(t, "warm from bad", p, res)
	assert.Zero(t, res.Report.Totals.Unassigned)
}

// translateFor measures travel and translates p as Solve does.
func translateFor(p *schedule.Problem) (*translation, error) {
	pl, m, err := ProblemMatrix(context.Background(), p, nil)
	if err != nil {
		return nil, err
	}
	return translate(p, pl, m)
}
