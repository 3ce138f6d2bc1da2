package matrixtest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodedError(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := []float64{0, 1.5, nan, 1e300}
	require.NoError(t, decodedError(ok, ok, 2, 2))
	require.NoError(t, decodedError(nil, nil, 0, 3))
	RequireDecoded(t, ok, ok, 4, 1)

	for _, c := range []struct {
		name     string
		dur, dis []float64
		rows     int
		want     string
	}{
		{"short durations", ok[:3], ok, 2, "durations: 3 cells, want 2×2"},
		{"long distances", ok, append(ok, 0), 2, "distances: 5 cells, want 2×2"},
		{"negative duration", []float64{0, -1, 0, 0}, ok, 2, "durations: cell 1: -1"},
		{"infinite distance", ok, []float64{0, 0, inf, 0}, 2, "distances: cell 2: +Inf"},
		{"minus infinity", []float64{math.Inf(-1), 0, 0, 0}, ok, 2, "durations: cell 0: -Inf"},
	} {
		err := decodedError(c.dur, c.dis, c.rows, 2)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}
