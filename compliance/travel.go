package compliance

import (
	"errors"
	"fmt"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
)

// ErrUnknownLocation is matched by the error of MatrixTravel.EstimateTravel
// for a location the matrix does not hold.
var ErrUnknownLocation = errors.New("location not in the travel matrix")

// MatrixTravel adapts a routing.Matrix to a TravelEstimator, so VIS-TRAVEL
// compares each leg of a rota with the same travel times the optimiser
// plans with (or, for a hand-made rota, with the provider's estimate). Build
// one with NewMatrixTravel.
type MatrixTravel struct {
	m   *routing.Matrix
	idx map[care.Location]int
}

// NewMatrixTravel indexes the locations of m. The matrix is read, never
// changed; m must not be nil.
func NewMatrixTravel(m *routing.Matrix) (*MatrixTravel, error) {
	if m == nil {
		return nil, care.Invalid("travel", "", "matrix", "nil matrix")
	}
	t := &MatrixTravel{m: m, idx: make(map[care.Location]int, len(m.Locations))}
	for i, l := range m.Locations {
		if _, ok := t.idx[l]; !ok {
			t.idx[l] = i
		}
	}
	return t, nil
}

// EstimateTravel returns the matrix's travel time from one location to
// another by mode, converted as routing does (routing.TravelDuration). It
// returns an error matching ErrUnknownLocation for a location not in the
// matrix and routing.ErrNoTable for a mode it has no table for.
func (t *MatrixTravel) EstimateTravel(from, to care.Location, mode care.TravelMode) (time.Duration, error) {
	i, ok := t.idx[from]
	if !ok {
		return 0, fmt.Errorf("from %v: %w", from, ErrUnknownLocation)
	}
	j, ok := t.idx[to]
	if !ok {
		return 0, fmt.Errorf("to %v: %w", to, ErrUnknownLocation)
	}
	s, _, err := t.m.Lookup(mode, i, j)
	if err != nil {
		return 0, err
	}
	return routing.TravelDuration(s), nil
}
