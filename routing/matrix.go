package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// ErrUnreachable is matched (errors.Is) by every error reporting a pair of
// locations with no route between them; errors.As with *UnreachableError
// gives the pair.
var ErrUnreachable = errors.New("unreachable")

// UnreachableError reports that no route joins two locations for a travel
// mode. From and To are indices into the locations the provider was asked
// about (never coordinates, which may be someone's home).
type UnreachableError struct {
	Mode     care.TravelMode // the travel mode asked about
	From, To int             // location indices, from and to
}

// Error implements error.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("travel mode %s: no route from location %d to location %d", e.Mode, e.From, e.To)
}

// Is reports whether target is ErrUnreachable.
func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// MatrixProvider measures travel between locations. Matrix returns the travel
// durations and distances between every ordered pair of locs for every mode
// in modes; index i of the result is locs[i]. Implementations honour ctx and
// are safe for concurrent use.
type MatrixProvider interface {
	Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error)
}

// Matrix holds travel durations and distances between location indices, one
// dense table per travel mode.
//
// Durations are float64 seconds (fractions allowed, so that planar benchmark
// times stay exact until the solver scales them to integers). Distances are
// float64 metres, or plane units for Euclidean problems.
//
// Tables are flat, row-major slices: the value from i to j is at i*N()+j.
// Several modes may share one slice (great-circle distance does not depend on
// the mode), so a Matrix and the slices it returns are read-only.
type Matrix struct {
	// Locations are the places, in index order.
	Locations []care.Location
	// Modes are the travel modes, in table order.
	Modes   []care.TravelMode
	seconds [][]float64
	metres  [][]float64
}

// NewMatrix returns a matrix over locs and modes from flat row-major tables:
// seconds[k][i*len(locs)+j] is the travel time in seconds from locs[i] to
// locs[j] by modes[k], and metres[k] the distance. The tables are not copied
// (and may be shared between modes); do not modify them afterwards. Modes
// must be valid and distinct and every value finite and non-negative.
func NewMatrix(locs []care.Location, modes []care.TravelMode, seconds, metres [][]float64) (*Matrix, error) {
	if err := checkModes(modes); err != nil {
		return nil, err
	}
	n := len(locs)
	if len(seconds) != len(modes) {
		return nil, care.Invalid("", "", "seconds", "%d tables for %d modes", len(seconds), len(modes))
	}
	if len(metres) != len(modes) {
		return nil, care.Invalid("", "", "metres", "%d tables for %d modes", len(metres), len(modes))
	}
	for k, mode := range modes {
		if err := checkTable("seconds", mode, seconds[k], n); err != nil {
			return nil, err
		}
		if err := checkTable("metres", mode, metres[k], n); err != nil {
			return nil, err
		}
	}
	return &Matrix{Locations: locs, Modes: modes, seconds: seconds, metres: metres}, nil
}

func checkTable(name string, mode care.TravelMode, t []float64, n int) error {
	if len(t) != n*n {
		return care.Invalid("", "", fmt.Sprintf("%s[%s]", name, mode), "%d values for %d locations (want %d)", len(t), n, n*n)
	}
	for x, v := range t {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return care.Invalid("", "", fmt.Sprintf("%s[%s]", name, mode),
				"from location %d to location %d: %v is not a finite non-negative number", x/n, x%n, v)
		}
	}
	return nil
}

// checkModes reports an error unless modes is non-empty, valid and distinct.
func checkModes(modes []care.TravelMode) error {
	if len(modes) == 0 {
		return care.Invalid("", "", "modes", "no travel modes given")
	}
	for k, m := range modes {
		if err := m.Validate(); err != nil {
			return care.Invalid("", "", fmt.Sprintf("modes[%d]", k), "%v", err)
		}
		if slices.Index(modes, m) != k {
			return care.Invalid("", "", fmt.Sprintf("modes[%d]", k), "travel mode %s given twice", m)
		}
	}
	return nil
}

// N returns the number of locations.
func (m *Matrix) N() int { return len(m.Locations) }

// ModeIndex returns the index of mode in Modes, or -1 when the matrix has no
// table for it.
func (m *Matrix) ModeIndex(mode care.TravelMode) int { return slices.Index(m.Modes, mode) }

// Table returns the flat row-major tables of mode: seconds[i*N()+j] and
// metres[i*N()+j] are the travel time and distance from i to j. The slices
// are the matrix's own and must not be modified. ok is false when the matrix
// has no table for mode.
func (m *Matrix) Table(mode care.TravelMode) (seconds, metres []float64, ok bool) {
	k := m.ModeIndex(mode)
	if k < 0 {
		return nil, nil, false
	}
	return m.seconds[k], m.metres[k], true
}

// Seconds returns the travel time in seconds from location i to location j
// by mode, or NaN when mode has no table or an index is out of range (Lookup
// says which).
func (m *Matrix) Seconds(mode care.TravelMode, i, j int) float64 {
	s, _, err := m.Lookup(mode, i, j)
	if err != nil {
		return math.NaN()
	}
	return s
}

// Distance returns the travel distance in metres (plane units for Euclidean
// problems) from location i to location j by mode, or NaN when mode has no
// table or an index is out of range (Lookup says which).
func (m *Matrix) Distance(mode care.TravelMode, i, j int) float64 {
	_, d, err := m.Lookup(mode, i, j)
	if err != nil {
		return math.NaN()
	}
	return d
}

// ErrNoTable is matched by the error Lookup returns for a travel mode the
// matrix has no table for.
var ErrNoTable = errors.New("no travel table")

// ErrIndex is matched by the error Lookup returns for a location index out of range.
var ErrIndex = errors.New("location index out of range")

// Lookup returns the travel time in seconds and the distance from location i
// to location j by mode, or an error naming the mode or index that is wrong.
func (m *Matrix) Lookup(mode care.TravelMode, i, j int) (seconds, metres float64, err error) {
	k := m.ModeIndex(mode)
	if k < 0 {
		return 0, 0, fmt.Errorf("travel mode %q: %w", mode, ErrNoTable)
	}
	n := m.N()
	if i < 0 || i >= n {
		return 0, 0, fmt.Errorf("%w: from index %d outside [0, %d)", ErrIndex, i, n)
	}
	if j < 0 || j >= n {
		return 0, 0, fmt.Errorf("%w: to index %d outside [0, %d)", ErrIndex, j, n)
	}
	return m.seconds[k][i*n+j], m.metres[k][i*n+j], nil
}

// Explicit returns the table of mode as a schedule.Matrix (nested rows, a
// fresh copy), for storing a fetched matrix in a problem's Travel so that it
// can be planned again without the routing server. ok is false when the
// matrix has no table for mode.
func (m *Matrix) Explicit(mode care.TravelMode) (sm *schedule.Matrix, ok bool) {
	secs, dist, ok := m.Table(mode)
	if !ok {
		return nil, false
	}
	n := m.N()
	sm = &schedule.Matrix{
		Locations: slices.Clone(m.Locations),
		Seconds:   make([][]float64, n),
		Metres:    make([][]float64, n),
	}
	for i := range n {
		sm.Seconds[i] = slices.Clone(secs[i*n : (i+1)*n])
		sm.Metres[i] = slices.Clone(dist[i*n : (i+1)*n])
	}
	return sm, true
}
