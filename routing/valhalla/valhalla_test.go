package valhalla

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// travel is the fake server's deterministic, asymmetric travel function:
// seconds and kilometres from a to b for a costing.
func travel(costing string, a, b point) (float64, float64) {
	if a == b {
		return 0, 0
	}
	d := 100*math.Abs(a.Lat-b.Lat) + 200*math.Abs(a.Lon-b.Lon)
	k := 100.0
	if costing == "pedestrian" {
		k = 800
	}
	return math.Round(k*d + 1000*a.Lat), math.Round(d*1000+b.Lon) / 1000
}

// fakeValhalla answers POST /sources_to_targets in Valhalla's documented
// layouts: verbose rows of objects, or concise durations and distances.
type fakeValhalla struct {
	mu         sync.Mutex
	requests   int
	maxSources int
	maxTargets int
	costings   []string
	concise    bool
	units      string
	noRoute    func(a, b point) bool
}

func (f *fakeValhalla) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var rq request
	if r.Method != http.MethodPost || r.URL.Path != "/sources_to_targets" || r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&rq); err != nil || len(rq.Sources) == 0 || len(rq.Targets) == 0 {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error_code":120,"error":"Insufficient number of locations provided","status_code":400,"status":"Bad Request"}`))
		return
	}
	f.mu.Lock()
	f.requests++
	f.maxSources = max(f.maxSources, len(rq.Sources))
	f.maxTargets = max(f.maxTargets, len(rq.Targets))
	f.costings = append(f.costings, rq.Costing)
	f.mu.Unlock()
	scale := 1.0
	if f.units == "miles" {
		scale = 1 / 1.609344
	}
	type cell struct {
		From     int      `json:"from_index"`
		To       int      `json:"to_index"`
		Time     *float64 `json:"time"`
		Distance *float64 `json:"distance"`
	}
	var rows [][]cell
	var durations, distances [][]*float64
	for i, s := range rq.Sources {
		var row []cell
		var dr, sr []*float64
		for j, t := range rq.Targets {
			c := cell{From: i, To: j}
			if f.noRoute == nil || !f.noRoute(s, t) {
				sec, km := travel(rq.Costing, s, t)
				km *= scale
				c.Time, c.Distance = &sec, &km
			}
			row = append(row, c)
			dr, sr = append(dr, c.Time), append(sr, c.Distance)
		}
		// Verbose rows need not be in order: the client reads the indices.
		for a, b := 0, len(row)-1; a < b; a, b = a+1, b-1 {
			row[a], row[b] = row[b], row[a]
		}
		rows = append(rows, row)
		durations, distances = append(durations, dr), append(distances, sr)
	}
	units := f.units
	if units == "" {
		units = rq.Units
	}
	ans := map[string]any{"units": units, "sources": rq.Sources, "targets": rq.Targets}
	if f.concise {
		ans["sources_to_targets"] = map[string]any{"durations": durations, "distances": distances}
	} else {
		ans["sources_to_targets"] = rows
	}
	_ = json.NewEncoder(w).Encode(ans)
}

func locations(n int) []care.Location {
	locs := make([]care.Location, n)
	for i := range locs {
		locs[i] = care.NewLocation(52.6+0.01*float64(i), -1.1+0.007*float64(i*i%5))
	}
	return locs
}

func pt(l care.Location) point { return point{Lat: l.Lat(), Lon: l.Lon()} }

func newClient(t *testing.T, url string, maxLocs int) *Client {
	t.Helper()
	c, err := New(Options{
		Endpoints: map[care.TravelMode]Endpoint{
			care.Car:  {BaseURL: url, Costing: "auto"},
			care.Walk: {BaseURL: url + "/", Costing: "pedestrian"},
		},
		MaxLocations: maxLocs,
	})
	require.NoError(t, err)
	return c
}

func TestLayoutsAndUnits(t *testing.T) {
	locs := locations(4)
	for _, f := range []*fakeValhalla{{}, {concise: true}, {units: "miles"}} {
		srv := httptest.NewServer(f)
		m, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, []care.TravelMode{care.Walk, care.Car})
		srv.Close()
		require.NoError(t, err)
		assert.Equal(t, 2, f.requests)
		assert.Equal(t, []string{"pedestrian", "auto"}, f.costings)
		for i, a := range locs {
			for j, b := range locs {
				sec, km := travel("pedestrian", pt(a), pt(b))
				assert.Equal(t, sec, m.Seconds(care.Walk, i, j))
				assert.InDelta(t, km*1000, m.Distance(care.Walk, i, j), 1e-6)
				sec, _ = travel("auto", pt(a), pt(b))
				assert.Equal(t, sec, m.Seconds(care.Car, i, j))
			}
		}
		assert.NotEqual(t, m.Seconds(care.Car, 0, 2), m.Seconds(care.Car, 2, 0), "the fake is asymmetric")
	}
}

func TestSplittingAndCache(t *testing.T) {
	fake := &fakeValhalla{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	locs := locations(7)
	car := []care.TravelMode{care.Car}
	whole, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	require.Equal(t, 1, fake.requests)

	*fake = fakeValhalla{}
	c := newClient(t, srv.URL, 3)
	split, err := c.Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	// 7 locations in blocks of 3: 3×3 blocks, less the last diagonal block
	// (location 6 to itself) that needs no request.
	assert.Equal(t, 8, fake.requests)
	assert.Equal(t, 3, fake.maxSources)
	assert.Equal(t, 3, fake.maxTargets)
	ws, wd, _ := whole.Table(care.Car)
	ss, sd, _ := split.Table(care.Car)
	assert.Equal(t, ws, ss)
	assert.Equal(t, wd, sd)

	_, err = c.Matrix(context.Background(), locs[2:5], car)
	require.NoError(t, err)
	assert.Equal(t, 8, fake.requests)
	assert.Equal(t, 7*6, c.CacheLen())
}

func TestUnreachable(t *testing.T) {
	locs := locations(3)
	for _, concise := range []bool{false, true} {
		fake := &fakeValhalla{concise: concise, noRoute: func(a, b point) bool { return a == pt(locs[2]) && b == pt(locs[0]) }}
		srv := httptest.NewServer(fake)
		_, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, []care.TravelMode{care.Car})
		srv.Close()
		var ue *routing.UnreachableError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, routing.UnreachableError{Mode: care.Car, From: 2, To: 0}, *ue)
	}
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestErrorAnswers(t *testing.T) {
	locs := locations(2)
	car := []care.TravelMode{care.Car}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{"error_code", answer(400, `{"error_code":171,"error":"No suitable edges near location","status_code":400,"status":"Bad Request"}`),
			func(t *testing.T, err error) {
				var se *ServiceError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, ServiceError{StatusCode: 400, ErrorCode: 171, Message: "No suitable edges near location"}, *se)
				assert.ErrorContains(t, err, "valhalla: HTTP 400: error 171: No suitable edges near location")
			}},
		{"HTTP 503 without JSON", answer(503, `Service Unavailable`),
			func(t *testing.T, err error) {
				var se *ServiceError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, ServiceError{StatusCode: 503}, *se)
			}},
		{"malformed JSON", answer(200, `{"sources_to_targets":[[{"time":1`),
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrMalformed) }},
		{"missing matrix", answer(200, `{"units":"kilometers"}`),
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrMalformed) }},
		{"wrong size", answer(200, `{"sources_to_targets":[[{"from_index":0,"to_index":0,"time":0,"distance":0}]]}`),
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrMalformed)
				assert.ErrorContains(t, err, "1 rows, want 2")
			}},
		{"repeated indices", answer(200, `{"sources_to_targets":[
			[{"from_index":0,"to_index":0,"time":0,"distance":0},{"from_index":0,"to_index":0,"time":0,"distance":0}],
			[{"from_index":1,"to_index":0,"time":5,"distance":1},{"from_index":1,"to_index":1,"time":0,"distance":0}]]}`),
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "bad or repeated indices") }},
		{"unknown units", answer(200, `{"units":"furlongs","sources_to_targets":{"durations":[[0,1],[1,0]],"distances":[[0,1],[1,0]]}}`),
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrMalformed) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			_, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, car)
			require.Error(t, err)
			c.check(t, err)
		})
	}
}

func TestContextAndTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	locs := locations(3)
	car := []care.TravelMode{care.Car}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	_, err := newClient(t, srv.URL, 0).Matrix(ctx, locs, car)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotContains(t, err.Error(), "52.6", "errors must not carry coordinates")

	c, err := New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: srv.URL, Costing: "auto"}}, Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	_, err = c.Matrix(context.Background(), locs, car)
	require.Error(t, err)
}

func TestOptions(t *testing.T) {
	_, err := New(Options{})
	assert.ErrorContains(t, err, "invalid options: endpoints: none")
	assert.ErrorIs(t, err, ErrOptions)
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "ftp://x", Costing: "auto"}}})
	assert.ErrorContains(t, err, "invalid options: endpoints[car].base_url")
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x"}}})
	assert.ErrorContains(t, err, "invalid options: endpoints[car].costing")
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x", Costing: "auto"}}, MaxLocations: -1})
	assert.ErrorContains(t, err, "invalid options: max_locations")

	c, err := New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x", Costing: "auto"}}})
	require.NoError(t, err)
	_, err = c.Matrix(context.Background(), locations(2), []care.TravelMode{care.Cycle})
	assert.ErrorContains(t, err, `no endpoint for travel mode "cycle"`)
}

func TestConcurrentSplitting(t *testing.T) {
	fake := &fakeValhalla{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	locs := locations(7)
	car := []care.TravelMode{care.Car}
	seq, err := newClient(t, srv.URL, 3).Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	require.Equal(t, 8, fake.requests)
	c, err := New(Options{Endpoints: newClient(t, srv.URL, 0).endpoints, MaxLocations: 3, Concurrency: 4})
	require.NoError(t, err)
	par, err := c.Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	assert.Equal(t, 2*8, fake.requests)
	ss, sd, _ := seq.Table(care.Car)
	ps, pd, _ := par.Table(care.Car)
	assert.Equal(t, ss, ps)
	assert.Equal(t, sd, pd)
	_, err = New(Options{Endpoints: c.endpoints, Concurrency: -1})
	assert.ErrorContains(t, err, "invalid options: concurrency")
}
