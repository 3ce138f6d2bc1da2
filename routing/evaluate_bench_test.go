package routing

import (
	"testing"

	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/require"
)

// BenchmarkEvaluateWeek evaluates a planned week of a synthetic agency
// (150 visits a day, 7 days), every rule on (UK working-time defaults).
func BenchmarkEvaluateWeek(b *testing.B) {
	p, err := synth.Generate(synth.Config{Seed: 1, VisitsPerDay: 150, Days: 7})
	require.NoError(b, err)
	res, err := Solve(b.Context(), p, Options{Seed: 1, Threads: 1, MaxIterations: 1})
	if err != nil {
		require.ErrorIs(b, err, ErrInfeasible)
	}
	require.NotNil(b, res)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Evaluate(p, res.Rota); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Visits)), "visits")
}
