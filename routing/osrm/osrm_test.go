package osrm

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// travel is the fake server's deterministic, asymmetric travel function:
// seconds and metres from a to b for a profile.
func travel(profile string, a, b [2]float64) (float64, float64) {
	if a == b {
		return 0, 0
	}
	d := 1e5*math.Abs(a[0]-b[0]) + 2e5*math.Abs(a[1]-b[1])
	k := 0.1
	if profile == "foot" {
		k = 0.8
	}
	return math.Round(k*d*10+1000*a[1]) / 10, math.Round(d*10+b[0]) / 10
}

// fakeOSRM answers /table/v1/{profile}/{coords} in OSRM's documented format.
type fakeOSRM struct {
	mu        sync.Mutex
	requests  int
	maxCoords int
	profiles  []string
	queries   []string
	// unreachable[to] makes every route to the coordinate index (in the request) null.
	unreachable func(from, to [2]float64) bool
}

func (f *fakeOSRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) != 4 || parts[0] != "table" || parts[1] != "v1" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":"InvalidUrl","message":"URL string malformed"}`))
		return
	}
	var coords [][2]float64
	for _, c := range strings.Split(parts[3], ";") {
		lonlat := strings.Split(c, ",")
		lon, err1 := strconv.ParseFloat(lonlat[0], 64)
		lat, err2 := strconv.ParseFloat(lonlat[1], 64)
		if len(lonlat) != 2 || err1 != nil || err2 != nil {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"InvalidQuery","message":"Query string malformed"}`))
			return
		}
		coords = append(coords, [2]float64{lon, lat})
	}
	f.mu.Lock()
	f.requests++
	f.maxCoords = max(f.maxCoords, len(coords))
	f.profiles = append(f.profiles, parts[2])
	f.queries = append(f.queries, r.URL.RawQuery)
	f.mu.Unlock()
	// OSRM separates indices with ';', which url.ParseQuery rejects: split by hand.
	params := map[string]string{}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		params[k] = v
	}
	indices := func(key string) []int {
		v := params[key]
		var out []int
		if v == "" || v == "all" {
			for i := range coords {
				out = append(out, i)
			}
			return out
		}
		for _, s := range strings.Split(v, ";") {
			i, _ := strconv.Atoi(s)
			out = append(out, i)
		}
		return out
	}
	src, dst := indices("sources"), indices("destinations")
	durations := make([][]*float64, len(src))
	distances := make([][]*float64, len(src))
	for i, s := range src {
		for _, d := range dst {
			if f.unreachable != nil && f.unreachable(coords[s], coords[d]) {
				durations[i] = append(durations[i], nil)
				distances[i] = append(distances[i], nil)
				continue
			}
			sec, met := travel(parts[2], coords[s], coords[d])
			durations[i] = append(durations[i], &sec)
			distances[i] = append(distances[i], &met)
		}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code": "Ok", "durations": durations, "distances": distances,
		"sources": []any{}, "destinations": []any{},
	})
}

func locations(n int) []care.Location {
	locs := make([]care.Location, n)
	for i := range locs {
		locs[i] = care.NewLocation(53.4+0.01*float64(i), -2.2+0.007*float64(i*i%5))
	}
	return locs
}

func newClient(t *testing.T, url string, maxLocs int) *Client {
	t.Helper()
	c, err := New(Options{
		Endpoints: map[care.TravelMode]Endpoint{
			care.Car:  {BaseURL: url, Profile: "driving"},
			care.Walk: {BaseURL: url + "/", Profile: "foot"},
		},
		MaxLocations: maxLocs,
	})
	require.NoError(t, err)
	return c
}

func TestSingleRequest(t *testing.T) {
	fake := &fakeOSRM{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := newClient(t, srv.URL, 0)
	locs := locations(5)
	m, err := c.Matrix(context.Background(), locs, []care.TravelMode{care.Car, care.Walk})
	require.NoError(t, err)
	assert.Equal(t, 2, fake.requests) // one per mode
	assert.Equal(t, []string{"driving", "foot"}, fake.profiles)
	assert.Equal(t, "annotations=duration,distance", fake.queries[0])
	for i, a := range locs {
		for j, b := range locs {
			ws, wd := travel("foot", [2]float64{a.Lon(), a.Lat()}, [2]float64{b.Lon(), b.Lat()})
			assert.Equal(t, ws, m.Seconds(care.Walk, i, j))
			assert.Equal(t, wd, m.Distance(care.Walk, i, j))
			ws, _ = travel("driving", [2]float64{a.Lon(), a.Lat()}, [2]float64{b.Lon(), b.Lat()})
			assert.Equal(t, ws, m.Seconds(care.Car, i, j))
		}
	}
	assert.NotEqual(t, m.Seconds(care.Car, 1, 3), m.Seconds(care.Car, 3, 1), "the fake is asymmetric")

	// Cached: asking again sends nothing.
	_, err = c.Matrix(context.Background(), locs[1:4], []care.TravelMode{care.Walk})
	require.NoError(t, err)
	assert.Equal(t, 2, fake.requests)
	assert.Equal(t, 2*5*4, c.CacheLen())
}

func TestSplitting(t *testing.T) {
	fake := &fakeOSRM{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	locs := locations(7)
	car := []care.TravelMode{care.Car}

	whole, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	require.Equal(t, 1, fake.requests)

	*fake = fakeOSRM{}
	c := newClient(t, srv.URL, 4)
	split, err := c.Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	// 7 locations, blocks of 2 (4 coordinates per request): 4×4 blocks, less
	// the last diagonal block (location 6 to itself) that needs no request.
	assert.Equal(t, 15, fake.requests)
	assert.LessOrEqual(t, fake.maxCoords, 4)
	assert.Contains(t, fake.queries, "annotations=duration,distance&sources=0;1&destinations=2;3")
	ws, wd, _ := whole.Table(care.Car)
	ss, sd, _ := split.Table(care.Car)
	assert.Equal(t, ws, ss)
	assert.Equal(t, wd, sd)

	_, err = c.Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	assert.Equal(t, 15, fake.requests)
}

func TestUnreachable(t *testing.T) {
	locs := locations(4)
	fake := &fakeOSRM{unreachable: func(from, to [2]float64) bool {
		return from == [2]float64{locs[1].Lon(), locs[1].Lat()} && to == [2]float64{locs[3].Lon(), locs[3].Lat()}
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	_, err := newClient(t, srv.URL, 0).Matrix(context.Background(), locs, []care.TravelMode{care.Car})
	var ue *routing.UnreachableError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, 1, ue.From)
	assert.Equal(t, 3, ue.To)
	assert.ErrorIs(t, err, routing.ErrUnreachable)
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
		{"HTTP 400 with OSRM code", answer(400, `{"code":"InvalidQuery","message":"Query string malformed close to position 28"}`),
			func(t *testing.T, err error) {
				var se *ServiceError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, ServiceError{StatusCode: 400, Code: "InvalidQuery", Message: "Query string malformed close to position 28"}, *se)
			}},
		{"code not Ok", answer(200, `{"code":"NoTable","message":"No table found"}`),
			func(t *testing.T, err error) {
				var se *ServiceError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "NoTable", se.Code)
				assert.ErrorContains(t, err, "osrm: HTTP 200: NoTable: No table found")
			}},
		{"HTTP 502 from a proxy", answer(502, `<html>Bad Gateway</html>`),
			func(t *testing.T, err error) {
				var se *ServiceError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, ServiceError{StatusCode: 502}, *se)
			}},
		{"malformed JSON", answer(200, `{"code":"Ok","durations":[[0,1],[1`),
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrMalformed) }},
		{"wrong size", answer(200, `{"code":"Ok","durations":[[0,1]],"distances":[[0,1],[1,0]]}`),
			func(t *testing.T, err error) {
				assert.ErrorIs(t, err, ErrMalformed)
				assert.ErrorContains(t, err, "durations: 1 rows, want 2")
			}},
		{"no distances", answer(200, `{"code":"Ok","durations":[[0,1],[1,0]]}`),
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

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := newClient(t, srv.URL, 0).Matrix(ctx, locs, car)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotContains(t, err.Error(), "53.4", "errors must not carry coordinates")

	c, err := New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: srv.URL, Profile: "driving"}}, Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	_, err = c.Matrix(context.Background(), locs, car)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "53.4")
}

func TestOptions(t *testing.T) {
	_, err := New(Options{})
	assert.ErrorContains(t, err, "invalid options: endpoints: none")
	assert.ErrorIs(t, err, ErrOptions)
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "localhost:5000", Profile: "car"}}})
	assert.ErrorContains(t, err, "invalid options: endpoints[car].base_url")
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x", Profile: "a/b"}}})
	assert.ErrorContains(t, err, "invalid options: endpoints[car].profile")
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{"boat": {BaseURL: "http://x", Profile: "boat"}}})
	assert.ErrorContains(t, err, "unknown travel mode")
	_, err = New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x", Profile: "car"}}, MaxLocations: 1})
	assert.ErrorContains(t, err, "invalid options: max_locations")

	c, err := New(Options{Endpoints: map[care.TravelMode]Endpoint{care.Car: {BaseURL: "http://x", Profile: "car"}}})
	require.NoError(t, err)
	_, err = c.Matrix(context.Background(), locations(2), []care.TravelMode{care.Walk})
	assert.ErrorIs(t, err, ErrNoEndpoint)
	assert.ErrorContains(t, err, `no endpoint for travel mode "walk"`)
	_, err = c.Matrix(context.Background(), []care.Location{{math.NaN(), 0}}, []care.TravelMode{care.Car})
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestConcurrentSplitting(t *testing.T) {
	fake := &fakeOSRM{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	locs := locations(7)
	car := []care.TravelMode{care.Car}
	seq, err := newClient(t, srv.URL, 4).Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	require.Equal(t, 15, fake.requests)
	c, err := New(Options{Endpoints: newClient(t, srv.URL, 0).endpoints, MaxLocations: 4, Concurrency: 4})
	require.NoError(t, err)
	par, err := c.Matrix(context.Background(), locs, car)
	require.NoError(t, err)
	assert.Equal(t, 2*15, fake.requests)
	ss, sd, _ := seq.Table(care.Car)
	ps, pd, _ := par.Table(care.Car)
	assert.Equal(t, ss, ps)
	assert.Equal(t, sd, pd)
	_, err = New(Options{Endpoints: c.endpoints, Concurrency: -1})
	assert.ErrorContains(t, err, "invalid options: concurrency")
}
