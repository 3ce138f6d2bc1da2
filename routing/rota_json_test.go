package routing

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSolvedRotaJSONRoundTrip: a rota from Solve, legs included (great-circle
// travel gives legs with fractions of a second), encodes to JSON and decodes
// to the same rota, which the evaluator still accepts.
func TestSolvedRotaJSONRoundTrip(t *testing.T) {
	p, err := synth.Generate(synth.Config{Seed: 11, VisitsPerDay: 40, Days: 1})
	require.NoError(t, err)
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	fraction := false
	for _, rt := range res.Rota.Routes {
		for _, l := range rt.Legs {
			fraction = fraction || l.Travel.Std()%1e9 != 0 || l.Wait.Std()%1e9 != 0
		}
	}
	require.True(t, fraction, "no leg with a fraction of a second: the test would not show the encoding")
	b, err := json.Marshal(res.Rota)
	require.NoError(t, err)
	back, err := schedule.DecodeRota(bytes.NewReader(b), p)
	require.NoError(t, err)
	// Times come back in the problem's zone: compare the encodings, and the
	// legs' durations to the nanosecond.
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(again))
	require.Equal(t, len(res.Rota.Routes), len(back.Routes))
	for i, rt := range res.Rota.Routes {
		require.Equal(t, len(rt.Legs), len(back.Routes[i].Legs))
		for j, l := range rt.Legs {
			got := back.Routes[i].Legs[j]
			assert.Equal(t, l.Travel, got.Travel)
			assert.Equal(t, l.Wait, got.Wait)
			assert.True(t, l.Arrive.Equal(got.Arrive))
		}
	}
	rep, err := Evaluate(p, back)
	require.NoError(t, err)
	assert.NoError(t, rep.HardErrorExcept(NotPlannedYet()...), "decoded rota")
}
