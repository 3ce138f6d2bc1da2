package routing

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// haversine is computed here independently of orb, on a sphere of radius
// 6378137 m (the radius orb uses).
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6378137.0
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

var (
	london     = care.NewLocation(51.5074, -0.1278)
	manchester = care.NewLocation(53.4808, -2.2426)
	leeds      = care.NewLocation(53.8008, -1.5491)
)

func TestGreatCircleKnownDistance(t *testing.T) {
	locs := []care.Location{london, manchester, leeds}
	modes := []care.TravelMode{care.Car, care.Walk}
	m, err := GreatCircleProvider{}.Matrix(context.Background(), locs, modes)
	require.NoError(t, err)
	require.Equal(t, 3, m.N())

	want := haversine(51.5074, -0.1278, 53.4808, -2.2426)
	assert.InDelta(t, 262e3, want, 8e3, "London-Manchester is about 262 km as the crow flies")
	assert.InEpsilon(t, want*schedule.DefaultRoadFactor, m.Distance(care.Car, 0, 1), 1e-9)
	assert.InEpsilon(t, want*schedule.DefaultRoadFactor, m.Distance(care.Walk, 1, 0), 1e-9)
	assert.InEpsilon(t, want*schedule.DefaultRoadFactor/8.3, m.Seconds(care.Car, 0, 1), 1e-9)
	assert.InEpsilon(t, want*schedule.DefaultRoadFactor/1.3, m.Seconds(care.Walk, 0, 1), 1e-9)
	wantML := haversine(53.4808, -2.2426, 53.8008, -1.5491)
	assert.InEpsilon(t, wantML*schedule.DefaultRoadFactor, m.Distance(care.Car, 1, 2), 1e-9)
	for i := range 3 {
		assert.Zero(t, m.Seconds(care.Car, i, i))
		assert.Zero(t, m.Distance(care.Walk, i, i))
	}

	// Own road factor and speeds; missing modes keep the defaults.
	g := GreatCircleProvider{RoadFactor: 1.5, Speeds: map[care.TravelMode]float64{care.Car: 10}}
	m, err = g.Matrix(context.Background(), locs, modes)
	require.NoError(t, err)
	assert.InEpsilon(t, want*1.5/10, m.Seconds(care.Car, 0, 1), 1e-9)
	assert.InEpsilon(t, want*1.5/1.3, m.Seconds(care.Walk, 0, 1), 1e-9)

	sec, met, ok := m.Table(care.Walk)
	require.True(t, ok)
	require.Len(t, sec, 9)
	assert.Equal(t, m.Seconds(care.Walk, 2, 1), sec[2*3+1])
	assert.Equal(t, m.Distance(care.Walk, 2, 1), met[2*3+1])
}

func TestGreatCircleBadInput(t *testing.T) {
	ctx := context.Background()
	car := []care.TravelMode{care.Car}
	cases := []struct {
		name  string
		g     GreatCircleProvider
		locs  []care.Location
		modes []care.TravelMode
		want  string
	}{
		{"NaN location", GreatCircleProvider{}, []care.Location{london, {math.NaN(), 51}}, car, `location "1"`},
		{"latitude out of range", GreatCircleProvider{}, []care.Location{care.NewLocation(95, 0)}, car, "latitude 95"},
		{"negative speed", GreatCircleProvider{Speeds: map[care.TravelMode]float64{care.Walk: -1}}, []care.Location{london}, []care.TravelMode{care.Walk}, "travel.speeds[walk]"},
		{"zero speed", GreatCircleProvider{Speeds: map[care.TravelMode]float64{care.Car: 0}}, []care.Location{london}, car, "travel.speeds[car]"},
		{"negative road factor", GreatCircleProvider{RoadFactor: -1}, []care.Location{london}, car, "travel.road_factor"},
		{"no modes", GreatCircleProvider{}, []care.Location{london}, nil, "no travel modes"},
		{"unknown mode", GreatCircleProvider{}, []care.Location{london}, []care.TravelMode{"boat"}, "modes[0]"},
		{"mode twice", GreatCircleProvider{}, []care.Location{london}, []care.TravelMode{care.Car, care.Car}, "modes[1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.g.Matrix(ctx, c.locs, c.modes)
			require.Error(t, err)
			assert.ErrorIs(t, err, care.ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestProvidersHonourCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	locs := []care.Location{london, manchester}
	car := []care.TravelMode{care.Car}
	ex, err := NewExplicitProvider(&schedule.Matrix{Locations: locs, Seconds: [][]float64{{0, 1}, {1, 0}}, Metres: [][]float64{{0, 1}, {1, 0}}})
	require.NoError(t, err)
	for name, p := range map[string]MatrixProvider{
		"great circle": GreatCircleProvider{},
		"euclidean":    EuclideanProvider{TimePerUnit: time.Minute},
		"explicit":     ex,
		"cached table": NewCachedTable(func(context.Context, care.TravelMode, []care.Location, []care.Location) ([]float64, []float64, error) {
			t.Error("fetch called despite a cancelled context")
			return nil, nil, errors.New("unexpected")
		}, func(n int) int { return n }),
	} {
		_, err := p.Matrix(ctx, locs, car)
		assert.ErrorIs(t, err, context.Canceled, name)
	}
}

func TestEuclideanExactAndTrunc1(t *testing.T) {
	// (0,0), (3,4), (1,1), (2,1): Lon is x, Lat is y.
	locs := []care.Location{care.NewLocation(0, 0), care.NewLocation(4, 3), care.NewLocation(1, 1), care.NewLocation(1, 2)}
	modes := []care.TravelMode{care.Car, care.Walk}

	m, err := EuclideanProvider{TimePerUnit: time.Minute}.Matrix(context.Background(), locs, modes)
	require.NoError(t, err)
	assert.Equal(t, 5.0, m.Distance(care.Car, 0, 1))
	assert.Equal(t, 300.0, m.Seconds(care.Car, 0, 1))
	assert.Equal(t, math.Sqrt2, m.Distance(care.Walk, 2, 0))
	assert.InDelta(t, math.Sqrt2*60, m.Seconds(care.Walk, 2, 0), 1e-12)
	assert.Equal(t, math.Sqrt(5), m.Distance(care.Car, 0, 3))

	m, err = EuclideanProvider{TimePerUnit: time.Minute, Rounding: schedule.Trunc1}.Matrix(context.Background(), locs, modes)
	require.NoError(t, err)
	assert.Equal(t, 5.0, m.Distance(care.Car, 0, 1))
	assert.Equal(t, 300.0, m.Seconds(care.Car, 0, 1))
	assert.Equal(t, 1.4, m.Distance(care.Car, 0, 2)) // floor(14.142...)/10
	assert.Equal(t, 84.0, m.Seconds(care.Car, 0, 2)) // 1.4 × 60 s, exactly
	assert.Equal(t, 2.2, m.Distance(care.Car, 3, 0)) // sqrt 5 = 2.236...
	assert.Equal(t, 132.0, m.Seconds(care.Car, 3, 0))
	assert.Equal(t, 1.0, m.Distance(care.Car, 2, 3))

	// One time unit per distance unit of one second: Trunc1 time in seconds equals the distance.
	m, err = EuclideanProvider{TimePerUnit: time.Second, Rounding: schedule.Trunc1}.Matrix(context.Background(), locs, modes)
	require.NoError(t, err)
	assert.Equal(t, 1.4, m.Seconds(care.Car, 0, 2))
	assert.Equal(t, 2.2, m.Seconds(care.Car, 0, 3))
}

// isqrt is floor(sqrt(v)) in integers, for checking truncTenths.
func isqrt(v int64) int64 {
	r := int64(0)
	for (r+1)*(r+1) <= v {
		r++
	}
	return r
}

func TestTruncTenthsMatchesIntegerRoot(t *testing.T) {
	for dx := int64(0); dx <= 60; dx++ {
		for dy := int64(0); dy <= 60; dy += 7 {
			sq := dx*dx + dy*dy
			require.Equal(t, float64(isqrt(100*sq)), truncTenths(float64(sq)), "dx=%d dy=%d", dx, dy)
		}
	}
}

func TestEuclideanBadInput(t *testing.T) {
	locs := []care.Location{care.NewLocation(0, 0)}
	car := []care.TravelMode{care.Car}
	_, err := EuclideanProvider{}.Matrix(context.Background(), locs, car)
	assert.ErrorContains(t, err, "travel.time_per_unit")
	_, err = EuclideanProvider{TimePerUnit: time.Second, Rounding: "round2"}.Matrix(context.Background(), locs, car)
	assert.ErrorContains(t, err, "travel.rounding")
	_, err = EuclideanProvider{TimePerUnit: time.Second}.Matrix(context.Background(), []care.Location{{0, math.Inf(1)}}, car)
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, `location "0"`)
}

func explicitFixture() *schedule.Matrix {
	a, b, c := care.NewLocation(1, 1), care.NewLocation(2, 2), care.NewLocation(3, 3)
	return &schedule.Matrix{
		Locations: []care.Location{a, b, c},
		Seconds:   [][]float64{{0, 10, 20}, {11, 0, 30}, {21, 31, 0}},
		Metres:    [][]float64{{0, 100, 200}, {110, 0, 300}, {210, 310, 0}},
	}
}

func TestExplicitLookups(t *testing.T) {
	fx := explicitFixture()
	p, err := NewExplicitProvider(fx)
	require.NoError(t, err)
	a, b, c := fx.Locations[0], fx.Locations[1], fx.Locations[2]
	// Asked in another order, with a repeat.
	m, err := p.Matrix(context.Background(), []care.Location{c, a, b, a}, []care.TravelMode{care.Walk, care.Car})
	require.NoError(t, err)
	assert.Equal(t, 21.0, m.Seconds(care.Car, 0, 1))   // c -> a
	assert.Equal(t, 210.0, m.Distance(care.Car, 0, 1)) // c -> a
	assert.Equal(t, 10.0, m.Seconds(care.Walk, 1, 2))  // a -> b
	assert.Equal(t, 31.0, m.Seconds(care.Walk, 0, 2))  // c -> b
	assert.Equal(t, 0.0, m.Seconds(care.Car, 1, 3))    // a -> a
	assert.Equal(t, 110.0, m.Distance(care.Car, 2, 3)) // b -> a

	_, err = p.Matrix(context.Background(), []care.Location{a, care.NewLocation(9, 9)}, []care.TravelMode{care.Car})
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, `location "1"`)
}

func TestExplicitBadMatrix(t *testing.T) {
	cases := map[string]struct {
		edit func(m *schedule.Matrix)
		want string
	}{
		"missing row":       {func(m *schedule.Matrix) { m.Seconds = m.Seconds[:2] }, "travel.matrix.seconds: 2 rows for 3 locations"},
		"short row":         {func(m *schedule.Matrix) { m.Metres[1] = m.Metres[1][:2] }, "travel.matrix.metres[1]: 2 columns"},
		"negative":          {func(m *schedule.Matrix) { m.Seconds[2][0] = -1 }, "travel.matrix.seconds[2][0]"},
		"NaN":               {func(m *schedule.Matrix) { m.Metres[0][1] = math.NaN() }, "travel.matrix.metres[0][1]"},
		"NaN location":      {func(m *schedule.Matrix) { m.Locations[1] = care.Location{math.NaN(), 0} }, `location "1"`},
		"ambiguous repeats": {func(m *schedule.Matrix) { m.Locations[2] = m.Locations[0] }, "travel.matrix.locations[2]: same place as locations[0]"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			m := explicitFixture()
			c.edit(m)
			_, err := NewExplicitProvider(m)
			require.Error(t, err)
			assert.ErrorIs(t, err, care.ErrInvalid)
			assert.ErrorContains(t, err, c.want)
		})
	}
	_, err := NewExplicitProvider(nil)
	assert.ErrorContains(t, err, "travel.matrix")

	// A repeated place with identical travel is accepted.
	a := care.NewLocation(1, 1)
	_, err = NewExplicitProvider(&schedule.Matrix{
		Locations: []care.Location{a, a},
		Seconds:   [][]float64{{0, 0}, {0, 0}},
		Metres:    [][]float64{{0, 0}, {0, 0}},
	})
	assert.NoError(t, err)
}

func TestFromProblem(t *testing.T) {
	p := &schedule.Problem{}
	prov, err := FromProblem(p)
	require.NoError(t, err)
	assert.IsType(t, GreatCircleProvider{}, prov)

	p.Travel = schedule.Travel{Model: schedule.GreatCircle, RoadFactor: 1.2, Speeds: map[care.TravelMode]float64{care.Walk: 1.5}}
	prov, err = FromProblem(p)
	require.NoError(t, err)
	assert.Equal(t, GreatCircleProvider{RoadFactor: 1.2, Speeds: map[care.TravelMode]float64{care.Walk: 1.5}}, prov)

	p.Travel.Speeds = map[care.TravelMode]float64{care.Walk: -2}
	_, err = FromProblem(p)
	assert.ErrorContains(t, err, "travel.speeds[walk]")

	p.Travel = schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1), Rounding: schedule.Trunc1}
	prov, err = FromProblem(p)
	require.NoError(t, err)
	assert.Equal(t, EuclideanProvider{TimePerUnit: time.Minute, Rounding: schedule.Trunc1}, prov)

	p.Travel.TimePerUnit = 0
	_, err = FromProblem(p)
	assert.ErrorContains(t, err, "travel.time_per_unit")

	p.Travel = schedule.Travel{Model: schedule.Explicit, Matrix: explicitFixture()}
	prov, err = FromProblem(p)
	require.NoError(t, err)
	assert.IsType(t, &ExplicitProvider{}, prov)

	p.Travel.Matrix = nil
	_, err = FromProblem(p)
	assert.ErrorContains(t, err, "travel.matrix")

	p.Travel = schedule.Travel{Model: "teleport"}
	_, err = FromProblem(p)
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, "travel.model")

	_, err = FromProblem(nil)
	assert.Error(t, err)
}

func TestProblemPlaces(t *testing.T) {
	home1, home2 := care.NewLocation(51.1, -0.1), care.NewLocation(51.2, -0.2)
	office, wHome := care.NewLocation(51.3, -0.3), care.NewLocation(51.4, -0.4)
	p := &schedule.Problem{
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: home1}, {ID: "u2", Location: home2}},
		Workers: []care.Worker{
			{ID: "w1", TravelMode: care.Walk, Home: &wHome},
			{ID: "w2", TravelMode: care.Car},
			{ID: "w3", TravelMode: care.Walk},
		},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "u2"},
			{ID: "v2", ServiceUser: "u1"},
			{ID: "v3", ServiceUser: "u1", Location: &home2}, // same place as u2's home
			{ID: "v4", ServiceUser: "u2"},
		},
		Shifts: []schedule.Shift{
			{ID: "s1", Worker: "w1"},                                  // home to home
			{ID: "s2", Worker: "w2", StartAt: &office},                // office, then free end
			{ID: "s3", Worker: "w3", StartAt: &office, EndAt: &home1}, // office to a visit place
			{ID: "s4", Worker: "w1", EndAt: &office},
		},
	}
	pl, err := ProblemPlaces(p)
	require.NoError(t, err)
	assert.Equal(t, []care.Location{home2, home1, wHome, office}, pl.Locations)
	assert.Equal(t, 4, pl.Len())
	assert.Equal(t, []int{0, 1, 0, 0}, pl.Visit)
	assert.Equal(t, []int{2, 3, 3, 2}, pl.ShiftStart)
	assert.Equal(t, []int{2, -1, 1, 3}, pl.ShiftEnd)
	assert.Equal(t, []care.TravelMode{care.Walk, care.Car}, pl.Modes)
	assert.Equal(t, []int{0, 1, 0, 0}, pl.ShiftMode)
	i, ok := pl.Index(office)
	assert.True(t, ok)
	assert.Equal(t, 3, i)

	p.Visits[1].ServiceUser = "nobody"
	_, err = ProblemPlaces(p)
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, `visit "v2": service_user`)

	p.Visits[1].ServiceUser = "u1"
	p.Shifts[2].Worker = "w9"
	_, err = ProblemPlaces(p)
	assert.ErrorContains(t, err, `shift "s3": worker`)

	p.Shifts[2].Worker = "w3"
	bad := care.Location{math.NaN(), 0}
	p.Shifts[1].StartAt = &bad
	_, err = ProblemPlaces(p)
	assert.ErrorContains(t, err, `shift "s2": start_at`)
}

func TestMatrixChecksAndLookup(t *testing.T) {
	locs := []care.Location{london, manchester}
	modes := []care.TravelMode{care.Car}
	_, err := NewMatrix(locs, modes, [][]float64{{0, 1, 2}}, [][]float64{{0, 1, 1, 0}})
	assert.ErrorContains(t, err, "seconds[car]: 3 values for 2 locations")
	_, err = NewMatrix(locs, modes, [][]float64{{0, 1, -1, 0}}, [][]float64{{0, 1, 1, 0}})
	assert.ErrorContains(t, err, "from location 1 to location 0")
	_, err = NewMatrix(locs, modes, nil, nil)
	assert.ErrorIs(t, err, care.ErrInvalid)

	m, err := NewMatrix(locs, modes, [][]float64{{0, 5, 6, 0}}, [][]float64{{0, 50, 60, 0}})
	require.NoError(t, err)
	s, d, err := m.Lookup(care.Car, 1, 0)
	require.NoError(t, err)
	assert.Equal(t, 6.0, s)
	assert.Equal(t, 60.0, d)
	_, _, err = m.Lookup(care.Walk, 0, 1)
	assert.ErrorIs(t, err, ErrNoTable)
	_, _, err = m.Lookup(care.Car, 0, 2)
	assert.ErrorContains(t, err, "to index 2")
	_, _, err = m.Lookup(care.Car, -1, 0)
	assert.ErrorContains(t, err, "from index -1")
	assert.ErrorIs(t, err, ErrIndex)
	assert.True(t, math.IsNaN(m.Seconds(care.Walk, 0, 1)))
	assert.True(t, math.IsNaN(m.Distance(care.Car, 0, 7)))
	assert.Equal(t, -1, m.ModeIndex(care.Cycle))
	_, _, ok := m.Table(care.Cycle)
	assert.False(t, ok)
}

func TestGreatCircleModesAtOneSpeed(t *testing.T) {
	g := GreatCircleProvider{Speeds: map[care.TravelMode]float64{care.Car: 5, care.Cycle: 5}}
	m, err := g.Matrix(context.Background(), []care.Location{london, leeds}, []care.TravelMode{care.Car, care.Walk, care.Cycle})
	require.NoError(t, err)
	want := haversine(51.5074, -0.1278, 53.8008, -1.5491) * schedule.DefaultRoadFactor
	assert.InEpsilon(t, want/5, m.Seconds(care.Cycle, 1, 0), 1e-9)
	assert.InEpsilon(t, want/5, m.Seconds(care.Car, 0, 1), 1e-9)
	assert.InEpsilon(t, want/1.3, m.Seconds(care.Walk, 0, 1), 1e-9)
}

func TestProblemMatrix(t *testing.T) {
	a, b, c := care.NewLocation(51.1, -0.1), care.NewLocation(51.2, -0.2), care.NewLocation(51.3, -0.3)
	p := &schedule.Problem{
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: a}, {ID: "u2", Location: b}},
		Workers:      []care.Worker{{ID: "w1", TravelMode: care.Walk, Home: &c}, {ID: "w2", TravelMode: care.Car}},
		Visits:       []schedule.Visit{{ID: "v1", ServiceUser: "u1"}, {ID: "v2", ServiceUser: "u2"}},
		Shifts:       []schedule.Shift{{ID: "s1", Worker: "w1"}, {ID: "s2", Worker: "w2"}},
	}
	pl, m, err := ProblemMatrix(context.Background(), p, nil)
	require.NoError(t, err)
	assert.Equal(t, []care.TravelMode{care.Walk, care.Car}, m.Modes)
	assert.Equal(t, pl.Locations, m.Locations)
	direct, err := GreatCircleProvider{}.Matrix(context.Background(), []care.Location{a, b, c}, []care.TravelMode{care.Car})
	require.NoError(t, err)
	assert.Equal(t, direct.Seconds(care.Car, 2, 1), m.Seconds(care.Car, pl.ShiftStart[0], pl.Visit[1]))

	// Explicit matrix without v2's place: the error names the visit.
	p.Travel = schedule.Travel{Model: schedule.Explicit, Matrix: &schedule.Matrix{
		Locations: []care.Location{a, c},
		Seconds:   [][]float64{{0, 1}, {1, 0}},
		Metres:    [][]float64{{0, 1}, {1, 0}},
	}}
	_, _, err = ProblemMatrix(context.Background(), p, nil)
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, `visit "v2": location "1": not among the explicit matrix's locations`)

	// An unreachable pair is named by visit and shift.
	noRoute := NewCachedTable(func(_ context.Context, _ care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
		s := make([]float64, len(src)*len(dst))
		for i := range src {
			for j := range dst {
				if src[i] == c && dst[j] == b {
					s[i*len(dst)+j] = math.NaN()
				}
			}
		}
		return s, make([]float64, len(s)), nil
	}, func(n int) int { return n })
	_, _, err = ProblemMatrix(context.Background(), p, noRoute)
	assert.ErrorIs(t, err, ErrUnreachable)
	assert.ErrorContains(t, err, `from shift "s1" start to visit "v2"`)

	// No shifts: a car matrix all the same.
	p.Shifts = nil
	_, m, err = ProblemMatrix(context.Background(), p, GreatCircleProvider{})
	require.NoError(t, err)
	assert.Equal(t, []care.TravelMode{care.Car}, m.Modes)
	assert.Equal(t, 2, m.N())
}

func TestExplicitRoundTrip(t *testing.T) {
	locs := []care.Location{london, manchester, leeds}
	m, err := GreatCircleProvider{}.Matrix(context.Background(), locs, []care.TravelMode{care.Cycle})
	require.NoError(t, err)
	sm, ok := m.Explicit(care.Cycle)
	require.True(t, ok)
	_, ok = m.Explicit(care.Car)
	assert.False(t, ok)
	p, err := NewExplicitProvider(sm)
	require.NoError(t, err)
	// Asked for two of the places, in reverse, for another mode.
	back, err := p.Matrix(context.Background(), []care.Location{leeds, london}, []care.TravelMode{care.Car})
	require.NoError(t, err)
	assert.Equal(t, m.Seconds(care.Cycle, 2, 0), back.Seconds(care.Car, 0, 1))
	assert.Equal(t, m.Distance(care.Cycle, 0, 2), back.Distance(care.Car, 1, 0))
	sm.Seconds[2][0] = 1 // a copy: the matrix is unchanged
	assert.NotEqual(t, 1.0, m.Seconds(care.Cycle, 2, 0))
}
