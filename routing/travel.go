package routing

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/paulmach/orb/geo"
)

// checkLocations reports the first location that is not a finite point (or,
// when geographic, not a valid latitude and longitude), naming its index.
func checkLocations(locs []care.Location, geographic bool) error {
	for i, l := range locs {
		var err error
		if geographic {
			err = l.ValidateGeographic()
		} else {
			err = l.Validate()
		}
		if err != nil {
			return care.Invalid("location", strconv.Itoa(i), "", "%v", err)
		}
	}
	return nil
}

// GreatCircleProvider measures travel as the great-circle (haversine)
// distance on orb's spherical Earth (radius orb.EarthRadius) multiplied by a
// road factor, travelled at a constant speed per travel mode. It needs no
// network. The zero value uses schedule.DefaultRoadFactor and
// schedule.DefaultSpeeds.
type GreatCircleProvider struct {
	// RoadFactor multiplies great-circle distance; 0 means schedule.DefaultRoadFactor.
	RoadFactor float64
	// Speeds in metres per second per mode; missing modes use schedule.DefaultSpeeds.
	Speeds map[care.TravelMode]float64
}

// speed returns the speed of mode or an error naming the field.
func (g GreatCircleProvider) speed(mode care.TravelMode) (float64, error) {
	v, ok := g.Speeds[mode]
	if !ok {
		v = schedule.DefaultSpeeds()[mode]
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, care.Invalid("", "", fmt.Sprintf("travel.speeds[%s]", mode), "%v is not a positive finite speed in metres per second", v)
	}
	return v, nil
}

func (g GreatCircleProvider) roadFactor() (float64, error) {
	f := g.RoadFactor
	if f == 0 {
		return schedule.DefaultRoadFactor, nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, care.Invalid("", "", "travel.road_factor", "%v is not a positive finite number", f)
	}
	return f, nil
}

// Matrix implements MatrixProvider. Locations must be valid latitudes and
// longitudes. Distances are shared by all modes; durations are distance
// divided by each mode's speed.
func (g GreatCircleProvider) Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error) {
	if err := checkModes(modes); err != nil {
		return nil, err
	}
	if err := checkLocations(locs, true); err != nil {
		return nil, err
	}
	factor, err := g.roadFactor()
	if err != nil {
		return nil, err
	}
	speeds := make([]float64, len(modes))
	for k, mode := range modes {
		if speeds[k], err = g.speed(mode); err != nil {
			return nil, err
		}
	}
	n := len(locs)
	dist := make([]float64, n*n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := i + 1; j < n; j++ {
			d := geo.DistanceHaversine(locs[i].Point(), locs[j].Point()) * factor
			dist[i*n+j], dist[j*n+i] = d, d
		}
	}
	seconds := make([][]float64, len(modes))
	metres := make([][]float64, len(modes))
	for k := range modes {
		metres[k] = dist
		if same := slices.Index(speeds[:k], speeds[k]); same >= 0 {
			seconds[k] = seconds[same] // modes at one speed share a table
			continue
		}
		s := make([]float64, n*n)
		for x, d := range dist {
			s[x] = d / speeds[k]
		}
		seconds[k] = s
	}
	return &Matrix{Locations: locs, Modes: modes, seconds: seconds, metres: metres}, nil
}

// EuclideanProvider measures travel on a plane, as the Solomon VRPTW
// benchmarks do: Lon is x, Lat is y, the distance is the straight line in
// plane units, and the travel time is the distance times TimePerUnit, the
// same for every mode.
//
// With Rounding schedule.Trunc1 each arc's distance is truncated to one
// decimal, floor(10·d)/10. The tenths t are found exactly (a floating-point
// square root corrected by integer-valued comparisons, exact whenever the
// squared distance is a representable number, as with integer coordinates),
// and the time is computed as t × TimePerUnit (nanoseconds, exact in float64
// up to 2^53) divided once by 10^10, so a time that is a whole number of
// seconds, or any value float64 can represent, comes out exactly. With
// schedule.Exact the time is d × TimePerUnit in float64 with a single
// rounding when TimePerUnit is a whole number of seconds (so with one second
// per unit the time in seconds equals the distance exactly), else
// d × TimePerUnit(ns) / 10^9.
type EuclideanProvider struct {
	// TimePerUnit is the travel time per unit of distance; it must be positive.
	TimePerUnit time.Duration
	// Rounding is schedule.Exact (full precision) or schedule.Trunc1.
	Rounding schedule.Rounding
}

// Matrix implements MatrixProvider. Every mode shares one table.
func (e EuclideanProvider) Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error) {
	if err := checkModes(modes); err != nil {
		return nil, err
	}
	if err := checkLocations(locs, false); err != nil {
		return nil, err
	}
	if e.TimePerUnit <= 0 {
		return nil, care.Invalid("", "", "travel.time_per_unit", "%v must be positive for the euclidean model", e.TimePerUnit)
	}
	if e.Rounding != schedule.Exact && e.Rounding != schedule.Trunc1 {
		return nil, care.Invalid("", "", "travel.rounding", "unknown rounding %q (want \"\" or %q)", e.Rounding, schedule.Trunc1)
	}
	n := len(locs)
	dist := make([]float64, n*n)
	secs := make([]float64, n*n)
	tpu := float64(e.TimePerUnit)
	var wholeSeconds float64 // TimePerUnit in seconds when that is a whole number, else 0
	if e.TimePerUnit%time.Second == 0 {
		wholeSeconds = float64(e.TimePerUnit / time.Second)
	}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := i + 1; j < n; j++ {
			dx := locs[i].Lon() - locs[j].Lon()
			dy := locs[i].Lat() - locs[j].Lat()
			sq := dx*dx + dy*dy
			var d, s float64
			if e.Rounding == schedule.Trunc1 {
				t := truncTenths(sq)
				d = t / 10
				s = t * tpu / 1e10
			} else {
				d = math.Sqrt(sq)
				if wholeSeconds > 0 {
					s = d * wholeSeconds // one rounding; exactly d when TimePerUnit is 1 s
				} else {
					s = d * tpu / 1e9
				}
			}
			if math.IsInf(d, 0) || math.IsInf(s, 0) {
				return nil, care.Invalid("location", strconv.Itoa(j), "", "distance from location %d overflows", i)
			}
			dist[i*n+j], dist[j*n+i] = d, d
			secs[i*n+j], secs[j*n+i] = s, s
		}
	}
	seconds := make([][]float64, len(modes))
	metres := make([][]float64, len(modes))
	for k := range modes {
		seconds[k], metres[k] = secs, dist
	}
	return &Matrix{Locations: locs, Modes: modes, seconds: seconds, metres: metres}, nil
}

// truncTenths returns floor(10·sqrt(sq)) = floor(sqrt(100·sq)), correcting the
// floating-point root so that t² ≤ 100·sq < (t+1)².
func truncTenths(sq float64) float64 {
	v := 100 * sq
	t := math.Floor(math.Sqrt(v))
	for t > 0 && t*t > v {
		t--
	}
	for (t+1)*(t+1) <= v {
		t++
	}
	return t
}

// ExplicitProvider reads travel from a dense matrix given by the caller
// (schedule.Travel.Matrix). Every location asked about must equal one of the
// matrix's locations exactly; the same table serves every mode.
type ExplicitProvider struct {
	table *schedule.Matrix
	index map[care.Location]int
}

// NewExplicitProvider checks m and returns a provider reading from it. The
// matrix must be square over its locations, with finite non-negative values.
// A location listed twice is accepted only when its rows and columns are
// identical, since otherwise a place could not be told which row it is.
func NewExplicitProvider(m *schedule.Matrix) (*ExplicitProvider, error) {
	if m == nil {
		return nil, care.Invalid("", "", "travel.matrix", "missing for the matrix model")
	}
	n := len(m.Locations)
	if err := checkLocations(m.Locations, false); err != nil {
		return nil, fmt.Errorf("travel.matrix: %w", err)
	}
	for _, t := range []struct {
		name string
		rows [][]float64
	}{{"seconds", m.Seconds}, {"metres", m.Metres}} {
		if len(t.rows) != n {
			return nil, care.Invalid("", "", "travel.matrix."+t.name, "%d rows for %d locations", len(t.rows), n)
		}
		for i, row := range t.rows {
			if len(row) != n {
				return nil, care.Invalid("", "", fmt.Sprintf("travel.matrix.%s[%d]", t.name, i), "%d columns for %d locations", len(row), n)
			}
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					return nil, care.Invalid("", "", fmt.Sprintf("travel.matrix.%s[%d][%d]", t.name, i, j), "%v is not a finite non-negative number", v)
				}
			}
		}
	}
	index := make(map[care.Location]int, n)
	for i, l := range m.Locations {
		first, dup := index[l]
		if !dup {
			index[l] = i
			continue
		}
		if !sameRowsAndColumns(m, first, i) {
			return nil, care.Invalid("", "", fmt.Sprintf("travel.matrix.locations[%d]", i),
				"same place as locations[%d] but with different travel", first)
		}
	}
	return &ExplicitProvider{table: m, index: index}, nil
}

func sameRowsAndColumns(m *schedule.Matrix, a, b int) bool {
	for _, t := range [][][]float64{m.Seconds, m.Metres} {
		for x := range t {
			if t[a][x] != t[b][x] || t[x][a] != t[x][b] {
				return false
			}
		}
	}
	return true
}

// Matrix implements MatrixProvider. It reports the first location that is not
// in the explicit matrix by its index in locs.
func (e *ExplicitProvider) Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error) {
	if err := checkModes(modes); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows := make([]int, len(locs))
	for i, l := range locs {
		r, ok := e.index[l]
		if !ok {
			return nil, care.Invalid("location", strconv.Itoa(i), "", "not among the explicit matrix's locations")
		}
		rows[i] = r
	}
	n := len(locs)
	secs := make([]float64, n*n)
	dist := make([]float64, n*n)
	for i, ri := range rows {
		for j, rj := range rows {
			secs[i*n+j] = e.table.Seconds[ri][rj]
			dist[i*n+j] = e.table.Metres[ri][rj]
		}
	}
	seconds := make([][]float64, len(modes))
	metres := make([][]float64, len(modes))
	for k := range modes {
		seconds[k], metres[k] = secs, dist
	}
	return &Matrix{Locations: locs, Modes: modes, seconds: seconds, metres: metres}, nil
}

// FromProblem returns the built-in provider that p.Travel describes:
// GreatCircleProvider (the default, also for an empty model),
// EuclideanProvider or ExplicitProvider. It checks the travel parameters
// and names the field at fault.
func FromProblem(p *schedule.Problem) (MatrixProvider, error) {
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	t := p.Travel
	switch t.Model {
	case "", schedule.GreatCircle:
		g := GreatCircleProvider{RoadFactor: t.RoadFactor, Speeds: t.Speeds}
		if _, err := g.roadFactor(); err != nil {
			return nil, err
		}
		for _, mode := range []care.TravelMode{care.Car, care.Walk, care.Cycle, care.PublicTransport} {
			if _, err := g.speed(mode); err != nil {
				return nil, err
			}
		}
		for mode := range t.Speeds {
			if err := mode.Validate(); err != nil {
				return nil, care.Invalid("", "", "travel.speeds", "%v", err)
			}
		}
		return g, nil
	case schedule.Euclidean:
		if t.TimePerUnit <= 0 {
			return nil, care.Invalid("", "", "travel.time_per_unit", "%v must be positive for the euclidean model", t.TimePerUnit.Std())
		}
		if t.Rounding != schedule.Exact && t.Rounding != schedule.Trunc1 {
			return nil, care.Invalid("", "", "travel.rounding", "unknown rounding %q (want \"\" or %q)", t.Rounding, schedule.Trunc1)
		}
		return EuclideanProvider{TimePerUnit: t.TimePerUnit.Std(), Rounding: t.Rounding}, nil
	case schedule.Explicit:
		return NewExplicitProvider(t.Matrix)
	}
	return nil, care.Invalid("", "", "travel.model", "unknown model %q (want %q, %q or %q)", t.Model, schedule.GreatCircle, schedule.Euclidean, schedule.Explicit)
}
