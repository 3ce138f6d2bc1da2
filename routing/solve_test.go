package routing

import (
	"context"
	"testing"

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
	t.Logf("%+v", res.Rota)
	t.Logf("%+v", rep.Objective)
	_ = schedule.NoShift
}
