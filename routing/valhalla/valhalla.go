// Package valhalla is a client for the time-distance matrix service of a
// Valhalla server that the user runs: POST /sources_to_targets with a JSON
// body of sources, targets and a costing model.
//
// A Client is a routing.MatrixProvider. It splits big matrices into blocks
// of at most MaxLocations sources by MaxLocations targets, and caches every
// pair in memory by travel mode and the two locations. It reads both answer
// layouts: the verbose one (sources_to_targets as rows of objects with
// from_index, to_index, time and distance) and the concise one
// (sources_to_targets as an object of durations and distances arrays).
// Distances are converted from the answer's units to metres. Only
// coordinates are sent; errors name location indices, never coordinates.
package valhalla

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
)

// DefaultMaxLocations is the default number of sources, and of targets, per request.
const DefaultMaxLocations = 50

// DefaultTimeout bounds each request when Options.HTTPClient is nil.
const DefaultTimeout = 30 * time.Second

// maxBody bounds the size of a response read from the server.
const maxBody = 64 << 20

// ErrOptions is matched by the errors New returns for unusable options.
var ErrOptions = errors.New("valhalla: invalid options")

// ErrNoEndpoint is matched by the error for a travel mode that has no endpoint.
var ErrNoEndpoint = errors.New("valhalla: no endpoint")

// ErrMalformed is matched by errors for answers that are not the documented
// JSON (bad syntax, missing or mis-sized tables, unknown units).
var ErrMalformed = errors.New("valhalla: malformed response")

// ServiceError is an error answer from the server: an HTTP status other
// than 200, with Valhalla's error_code and error when the body carries them.
type ServiceError struct {
	StatusCode int    // HTTP status
	ErrorCode  int    // Valhalla error_code, e.g. 171; 0 when absent
	Message    string // Valhalla error text, if any
}

// Error implements error.
func (e *ServiceError) Error() string {
	s := fmt.Sprintf("valhalla: HTTP %d", e.StatusCode)
	if e.ErrorCode != 0 {
		s += fmt.Sprintf(": error %d", e.ErrorCode)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Endpoint says where to ask about one travel mode.
type Endpoint struct {
	// BaseURL is the server's address, e.g. "http://localhost:8002" (a path prefix is kept).
	BaseURL string
	// Costing is the costing model, e.g. "auto", "pedestrian", "bicycle", "bus".
	Costing string
}

// Options configure a Client.
type Options struct {
	// Endpoints gives the server and costing for each travel mode the client may be asked about.
	Endpoints map[care.TravelMode]Endpoint
	// HTTPClient sends the requests; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds each request when HTTPClient is nil; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxLocations is the most sources, and the most targets, in one request; 0 means DefaultMaxLocations.
	MaxLocations int
	// Concurrency is the most requests in flight at once when a matrix is split; 0 or 1 sends them one at a time.
	Concurrency int
}

// Client asks a Valhalla server for travel matrices. It is safe for concurrent use.
type Client struct {
	endpoints map[care.TravelMode]Endpoint
	http      *http.Client
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
		if ep.Costing == "" {
			return nil, fmt.Errorf("%w: endpoints[%s].costing: empty", ErrOptions, mode)
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
	if opts.MaxLocations < 0 {
		return nil, fmt.Errorf("%w: max_locations: %d is negative", ErrOptions, opts.MaxLocations)
	}
	c := &Client{endpoints: eps, http: opts.HTTPClient}
	if c.http == nil {
		t := opts.Timeout
		if t == 0 {
			t = DefaultTimeout
		}
		c.http = &http.Client{Timeout: t}
	}
	maxLocs := opts.MaxLocations
	if maxLocs == 0 {
		maxLocs = DefaultMaxLocations
	}
	c.table = routing.NewCachedTable(c.Table, func(int) int { return maxLocs })
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

type point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type request struct {
	Sources []point `json:"sources"`
	Targets []point `json:"targets"`
	Costing string  `json:"costing"`
	Units   string  `json:"units"`
}

// Table makes one sources_to_targets request, without cache or splitting:
// the travel time in seconds and the distance in metres from each source to
// each target, row-major, NaN where the server answered null (no route).
func (c *Client) Table(ctx context.Context, mode care.TravelMode, sources, targets []care.Location) (seconds, metres []float64, err error) {
	ep, ok := c.endpoints[mode]
	if !ok {
		return nil, nil, fmt.Errorf("%w for travel mode %q", ErrNoEndpoint, mode)
	}
	if len(sources) == 0 || len(targets) == 0 {
		return nil, nil, errors.New("valhalla: matrix needs at least one source and one target")
	}
	rq := request{Costing: ep.Costing, Units: "kilometers"}
	for _, l := range sources {
		rq.Sources = append(rq.Sources, point{Lat: l.Lat(), Lon: l.Lon()})
	}
	for _, l := range targets {
		rq.Targets = append(rq.Targets, point{Lat: l.Lat(), Lon: l.Lon()})
	}
	body, err := json.Marshal(rq)
	if err != nil {
		return nil, nil, fmt.Errorf("valhalla: encoding request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.BaseURL+"/sources_to_targets", bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("valhalla: building request: %w", scrub(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("valhalla: matrix request: %w", scrub(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("valhalla: reading response: %w", scrub(err))
	}
	return decode(resp.StatusCode, data, len(sources), len(targets))
}

type response struct {
	Matrix    json.RawMessage `json:"sources_to_targets"`
	Units     string          `json:"units"`
	ErrorCode int             `json:"error_code"`
	Error     string          `json:"error"`
}

// verboseCell is one entry of the verbose layout.
type verboseCell struct {
	From     *int     `json:"from_index"`
	To       *int     `json:"to_index"`
	Time     *float64 `json:"time"`
	Distance *float64 `json:"distance"`
}

// concise is the layout answered when verbose is false.
type concise struct {
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

func decode(status int, body []byte, rows, cols int) (seconds, metres []float64, err error) {
	var r response
	jerr := json.Unmarshal(body, &r)
	if status != http.StatusOK || (jerr == nil && (r.ErrorCode != 0 || r.Error != "")) {
		e := &ServiceError{StatusCode: status}
		if jerr == nil {
			e.ErrorCode, e.Message = r.ErrorCode, r.Error
		}
		return nil, nil, e
	}
	if jerr != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, jerr)
	}
	var scale float64
	switch r.Units {
	case "", "kilometers", "km":
		scale = 1000
	case "miles", "mi":
		scale = 1609.344
	default:
		return nil, nil, fmt.Errorf("%w: unknown units %q", ErrMalformed, r.Units)
	}
	raw := bytes.TrimSpace(r.Matrix)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, fmt.Errorf("%w: no sources_to_targets", ErrMalformed)
	}
	seconds, metres = make([]float64, rows*cols), make([]float64, rows*cols)
	if raw[0] == '{' {
		var t concise
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if err := fill("durations", t.Durations, rows, cols, 1, seconds); err != nil {
			return nil, nil, err
		}
		if err := fill("distances", t.Distances, rows, cols, scale, metres); err != nil {
			return nil, nil, err
		}
		return seconds, metres, nil
	}
	var t [][]verboseCell
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(t) != rows {
		return nil, nil, fmt.Errorf("%w: sources_to_targets: %d rows, want %d", ErrMalformed, len(t), rows)
	}
	seen := make([]bool, rows*cols)
	for i, row := range t {
		if len(row) != cols {
			return nil, nil, fmt.Errorf("%w: sources_to_targets[%d]: %d columns, want %d", ErrMalformed, i, len(row), cols)
		}
		for j, c := range row {
			from, to := i, j
			if c.From != nil {
				from = *c.From
			}
			if c.To != nil {
				to = *c.To
			}
			if from < 0 || from >= rows || to < 0 || to >= cols || seen[from*cols+to] {
				return nil, nil, fmt.Errorf("%w: sources_to_targets[%d][%d]: bad or repeated indices %d, %d", ErrMalformed, i, j, from, to)
			}
			seen[from*cols+to] = true
			if seconds[from*cols+to], err = value(c.Time, 1); err != nil {
				return nil, nil, fmt.Errorf("%w: sources_to_targets[%d][%d].time: %w", ErrMalformed, i, j, err)
			}
			if metres[from*cols+to], err = value(c.Distance, scale); err != nil {
				return nil, nil, fmt.Errorf("%w: sources_to_targets[%d][%d].distance: %w", ErrMalformed, i, j, err)
			}
		}
	}
	return seconds, metres, nil
}

// value returns *v times scale, NaN (unreachable) for nil, and an error for
// a negative or non-finite result.
func value(v *float64, scale float64) (float64, error) {
	if v == nil {
		return math.NaN(), nil
	}
	x := *v * scale
	if x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, fmt.Errorf("%g is not a finite number >= 0 (scaled by %g)", *v, scale)
	}
	return x, nil
}

func fill(name string, t [][]*float64, rows, cols int, scale float64, out []float64) error {
	if len(t) != rows {
		return fmt.Errorf("%w: %s: %d rows, want %d", ErrMalformed, name, len(t), rows)
	}
	for i, row := range t {
		if len(row) != cols {
			return fmt.Errorf("%w: %s[%d]: %d columns, want %d", ErrMalformed, name, i, len(row), cols)
		}
		for j, v := range row {
			x, err := value(v, scale)
			if err != nil {
				return fmt.Errorf("%w: %s[%d][%d]: %w", ErrMalformed, name, i, j, err)
			}
			out[i*cols+j] = x
		}
	}
	return nil
}

// scrub drops the URL from a *url.Error, keeping the cause (such as
// context.Canceled) for errors.Is.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
