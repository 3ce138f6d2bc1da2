// Package matrixtest holds the check that the tests of the travel-matrix
// clients (routing/osrm, routing/valhalla) share: what their decoding of a
// service's answer must give when it accepts the answer.
package matrixtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// RequireDecoded fails tb unless durations (seconds) and distances (metres)
// each hold rows*cols cells, every one NaN (unreachable) or a finite number
// of at least 0.
func RequireDecoded(tb testing.TB, durations, distances []float64, rows, cols int) {
	tb.Helper()
	require.NoError(tb, decodedError(durations, distances, rows, cols))
}

// decodedError returns the first way in which durations and distances break
// RequireDecoded's property, or nil.
func decodedError(durations, distances []float64, rows, cols int) error {
	for _, m := range []struct {
		name  string
		cells []float64
	}{{"durations", durations}, {"distances", distances}} {
		if len(m.cells) != rows*cols {
			return fmt.Errorf("%s: %d cells, want %d×%d", m.name, len(m.cells), rows, cols)
		}
		for i, v := range m.cells {
			if !math.IsNaN(v) && (v < 0 || math.IsInf(v, 0)) {
				return fmt.Errorf("%s: cell %d: %g is neither NaN nor finite and >= 0", m.name, i, v)
			}
		}
	}
	return nil
}
