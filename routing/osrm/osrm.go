// Package osrm is a client for the table service of an OSRM server
// (osrm-routed) that the user runs: GET
// /table/v1/{profile}/{lon,lat;lon,lat;...}?annotations=duration,distance.
//
// A Client is a routing.MatrixProvider. It splits big matrices into blocks
// the server accepts (osrm-routed refuses tables above --max-table-size
// locations, 100 by default), using the sources and destinations options,
// and caches every pair in memory by travel mode and the two locations.
// Only coordinates are sent; errors name location indices, never
// coordinates.
package osrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
)

// DefaultMaxLocations is the default number of coordinates per request, the
// default --max-table-size of osrm-routed.
const DefaultMaxLocations = 100

// DefaultTimeout bounds each request when Options.HTTPClient is nil.
const DefaultTimeout = 30 * time.Second

// maxBody bounds the size of a response read from the server.
const maxBody = 64 << 20

// ErrOptions is matched by the errors New returns for unusable options.
var ErrOptions = errors.New("osrm: invalid options")

// ErrNoEndpoint is matched by the error for a travel mode that has no endpoint.
var ErrNoEndpoint = errors.New("osrm: no endpoint")

// ErrMalformed is matched by errors for answers that are not the documented
// JSON (bad syntax, missing or mis-sized tables).
var ErrMalformed = errors.New("osrm: malformed response")

// ServiceError is an error answer from the server: an HTTP status other
// than 200, or a JSON answer whose code is not "Ok".
type ServiceError struct {
	StatusCode int    // HTTP status
	Code       string // OSRM code, e.g. "InvalidQuery", "NoTable"; empty when the body was not OSRM's JSON
	Message    string // OSRM message, if any
}

// Error implements error.
func (e *ServiceError) Error() string {
	s := fmt.Sprintf("osrm: HTTP %d", e.StatusCode)
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Endpoint says where to ask about one travel mode.
type Endpoint struct {
	// BaseURL is the server's address, e.g. "http://localhost:5000" (a path prefix is kept).
	BaseURL string
	// Profile is the profile in the request path, e.g. "driving", "car", "foot", "bike".
	Profile string
}

// Options configure a Client.
type Options struct {
	// Endpoints gives the server and profile for each travel mode the client may be asked about.
	Endpoints map[care.TravelMode]Endpoint
	// HTTPClient sends the requests; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds each request when HTTPClient is nil; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxLocations is the most coordinates in one request; 0 means DefaultMaxLocations.
	// A matrix of up to MaxLocations distinct locations takes one request; a bigger one is
	// split into blocks of MaxLocations/2 sources by MaxLocations/2 destinations.
	MaxLocations int
	// Concurrency is the most requests in flight at once when a matrix is split; 0 or 1 sends them one at a time.
	Concurrency int
}

// Client asks an OSRM server for travel matrices. It is safe for concurrent use.
type Client struct {
	endpoints map[care.TravelMode]Endpoint
	http      *http.Client
	max       int
	table     *routing.CachedTable
}

// New checks opts and returns a client.
func New(opts Options) (*Client, error) {
	if len(opts.Endpoints) == 0 {
		return nil, fmt.Errorf("%w: endpoints: none configured", ErrOptions)
	}
	eps := make(map[care.TravelMode]Endpoint, len(opts.Endpoints))
	for mode, ep := range opts.Endpoints {
		if err := mode.Validate(); err != nil {
			return nil, fmt.Errorf("%w: endpoints: %w", ErrOptions, err)
		}
		u, err := url.Parse(ep.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%w: endpoints[%s].base_url: want an http or https URL with a host", ErrOptions, mode)
		}
		if ep.Profile == "" || strings.ContainsAny(ep.Profile, "/?#") {
			return nil, fmt.Errorf("%w: endpoints[%s].profile: %q is not a profile name", ErrOptions, mode, ep.Profile)
		}
		ep.BaseURL = strings.TrimRight(ep.BaseURL, "/")
		eps[mode] = ep
	}
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("%w: concurrency: %d is negative", ErrOptions, opts.Concurrency)
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("%w: timeout: %v is negative", ErrOptions, opts.Timeout)
	}
	if opts.MaxLocations < 0 || opts.MaxLocations == 1 {
		return nil, fmt.Errorf("%w: max_locations: %d (want 0 for the default, or at least 2)", ErrOptions, opts.MaxLocations)
	}
	c := &Client{endpoints: eps, http: opts.HTTPClient, max: opts.MaxLocations}
	if c.http == nil {
		t := opts.Timeout
		if t == 0 {
			t = DefaultTimeout
		}
		c.http = &http.Client{Timeout: t}
	}
	if c.max == 0 {
		c.max = DefaultMaxLocations
	}
	c.table = routing.NewCachedTable(c.Table, func(n int) int {
		if n <= c.max {
			return n
		}
		return c.max / 2
	})
	c.table.Concurrency = opts.Concurrency
	return c, nil
}

// Matrix implements routing.MatrixProvider: it returns cached pairs and
// fetches the blocks that hold any other pair. Every mode must have an
// endpoint.
func (c *Client) Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*routing.Matrix, error) {
	for _, m := range modes {
		if _, ok := c.endpoints[m]; !ok {
			return nil, fmt.Errorf("%w for travel mode %q", ErrNoEndpoint, m)
		}
	}
	return c.table.Matrix(ctx, locs, modes)
}

// CacheLen returns the number of pairs in the cache.
func (c *Client) CacheLen() int { return c.table.Len() }

// Table makes one table request, without cache or splitting: the travel
// time in seconds and the distance in metres from each source to each
// destination, row-major, NaN where the server answered null (no route).
// When sources and destinations are equal it sends them once.
func (c *Client) Table(ctx context.Context, mode care.TravelMode, sources, destinations []care.Location) (seconds, metres []float64, err error) {
	ep, ok := c.endpoints[mode]
	if !ok {
		return nil, nil, fmt.Errorf("%w for travel mode %q", ErrNoEndpoint, mode)
	}
	if len(sources) == 0 || len(destinations) == 0 {
		return nil, nil, errors.New("osrm: table needs at least one source and one destination")
	}
	coords := sources
	q := "annotations=duration,distance"
	if !slices.Equal(sources, destinations) {
		coords = slices.Concat(sources, destinations)
		q += "&sources=" + indexList(0, len(sources)) + "&destinations=" + indexList(len(sources), len(coords))
	}
	var b strings.Builder
	b.WriteString(ep.BaseURL + "/table/v1/" + url.PathEscape(ep.Profile) + "/")
	for i, l := range coords {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatFloat(l.Lon(), 'f', -1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(l.Lat(), 'f', -1, 64))
	}
	b.WriteString("?" + q)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("osrm: building request: %w", scrub(err))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("osrm: table request: %w", scrub(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("osrm: reading response: %w", scrub(err))
	}
	return decode(resp.StatusCode, body, len(sources), len(destinations))
}

// response is the part of the table answer the client reads.
type response struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

func decode(status int, body []byte, rows, cols int) (seconds, metres []float64, err error) {
	var r response
	jerr := json.Unmarshal(body, &r)
	if status != http.StatusOK {
		e := &ServiceError{StatusCode: status}
		if jerr == nil {
			e.Code, e.Message = r.Code, r.Message
		}
		return nil, nil, e
	}
	if jerr != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, jerr)
	}
	if r.Code != "Ok" {
		return nil, nil, &ServiceError{StatusCode: status, Code: r.Code, Message: r.Message}
	}
	if seconds, err = flatten("durations", r.Durations, rows, cols); err != nil {
		return nil, nil, err
	}
	if metres, err = flatten("distances", r.Distances, rows, cols); err != nil {
		return nil, nil, err
	}
	return seconds, metres, nil
}

func flatten(name string, t [][]*float64, rows, cols int) ([]float64, error) {
	if len(t) != rows {
		return nil, fmt.Errorf("%w: %s: %d rows, want %d", ErrMalformed, name, len(t), rows)
	}
	out := make([]float64, 0, rows*cols)
	for i, row := range t {
		if len(row) != cols {
			return nil, fmt.Errorf("%w: %s[%d]: %d columns, want %d", ErrMalformed, name, i, len(row), cols)
		}
		for j, v := range row {
			switch {
			case v == nil:
				out = append(out, math.NaN())
			case *v < 0 || math.IsInf(*v, 0) || math.IsNaN(*v):
				return nil, fmt.Errorf("%w: %s[%d][%d]: %g is not a finite number >= 0", ErrMalformed, name, i, j, *v)
			default:
				out = append(out, *v)
			}
		}
	}
	return out, nil
}

// indexList returns "lo;lo+1;...;hi-1".
func indexList(lo, hi int) string {
	var b strings.Builder
	for i := lo; i < hi; i++ {
		if i > lo {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

// scrub drops the URL, which holds coordinates, from a *url.Error, keeping
// the cause (such as context.Canceled) for errors.Is.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
