package plot

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func locp(lat, lon float64) *care.Location { l := care.NewLocation(lat, lon); return &l }

// fixture: one day in London summer time; w1 makes v1 (with w2) and v2, w2
// makes v1 and v3, v4 is unassigned. A second-day shift of w1 has no visits.
func fixture(t testing.TB) (*schedule.Problem, *schedule.Rota) {
	t.Helper()
	win := func(a, b string) []schedule.Window {
		return []schedule.Window{{Earliest: at(t, a), Latest: at(t, b)}}
	}
	p := &schedule.Problem{
		Name: "fixture", Start: at(t, "2026-06-01T00:00:00Z"), End: at(t, "2026-06-03T00:00:00Z"), TimeZone: "Europe/London",
		ServiceUsers: []care.ServiceUser{
			{ID: "su1", DisplayName: "Ann Example", Location: care.NewLocation(51.50, -0.14)},
			{ID: "su2", Location: care.NewLocation(51.52, -0.10)},
		},
		Workers: []care.Worker{
			{ID: "w1", Name: "Wendy One", Role: care.RoleCareWorker, TravelMode: care.Car, Home: locp(51.51, -0.12)},
			{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: locp(51.49, -0.11)},
		},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "su1", Windows: win("2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z"), Duration: schedule.Minutes(30), Kind: schedule.PersonalCare, Carers: 2},
			{ID: "v2", ServiceUser: "su2", Windows: win("2026-06-01T09:30:00Z", "2026-06-01T10:30:00Z"), Duration: schedule.Minutes(45), Kind: schedule.PersonalCare},
			{ID: "v3", ServiceUser: "su1", Location: locp(51.505, -0.13), Windows: win("2026-06-01T12:00:00Z", "2026-06-01T13:00:00Z"), Duration: schedule.Minutes(20), Kind: schedule.Meal},
			{ID: "v4", ServiceUser: "su2", Windows: win("2026-06-01T18:00:00Z", "2026-06-01T19:00:00Z"), Duration: schedule.Minutes(30), Kind: schedule.Meal},
		},
		Shifts: []schedule.Shift{
			{ID: "s1", Worker: "w1", Start: at(t, "2026-06-01T07:00:00Z"), End: at(t, "2026-06-01T15:00:00Z"),
				Breaks: []schedule.Break{{Earliest: at(t, "2026-06-01T11:00:00Z"), Latest: at(t, "2026-06-01T12:00:00Z"), Length: schedule.Minutes(30)}}},
			{ID: "s2", Worker: "w2", Start: at(t, "2026-06-01T07:00:00Z"), End: at(t, "2026-06-01T14:00:00Z")},
			{ID: "s3", Worker: "w1", Start: at(t, "2026-06-02T07:00:00Z"), End: at(t, "2026-06-02T15:00:00Z")},
		},
		Rules: schedule.UKDefaults(), Weights: schedule.Weights{Unassigned: 1000},
	}
	leg := func(from, to schedule.VisitID, dep, arr string, travel, wait int) schedule.Leg {
		return schedule.Leg{From: from, To: to, Depart: at(t, dep), Arrive: at(t, arr), Travel: schedule.Minutes(travel), Wait: schedule.Minutes(wait), Distance: 1000}
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{
			{Visit: "v1", Workers: []care.WorkerID{"w1", "w2"}, Start: at(t, "2026-06-01T08:10:00Z")},
			{Visit: "v2", Workers: []care.WorkerID{"w1"}, Start: at(t, "2026-06-01T09:40:00Z")},
			{Visit: "v3", Workers: []care.WorkerID{"w2"}, Start: at(t, "2026-06-01T12:00:00Z")},
		},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"v1", "v2"}, Legs: []schedule.Leg{
				leg("", "v1", "2026-06-01T07:50:00Z", "2026-06-01T08:02:00Z", 12, 8),
				leg("v1", "v2", "2026-06-01T08:40:00Z", "2026-06-01T08:55:00Z", 15, 45),
				leg("v2", "", "2026-06-01T10:25:00Z", "2026-06-01T10:35:00Z", 10, 0),
			}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"v1", "v3"}, Legs: []schedule.Leg{
				leg("", "v1", "2026-06-01T07:55:00Z", "2026-06-01T08:10:00Z", 15, 0),
				leg("v1", "v3", "2026-06-01T08:40:00Z", "2026-06-01T08:50:00Z", 10, 190),
				leg("v3", "", "2026-06-01T12:20:00Z", "2026-06-01T12:30:00Z", 10, 0),
			}},
			{Worker: "w1", Shift: "s3"},
		},
		Unassigned: []schedule.Unassigned{{Visit: "v4", Reason: schedule.NoShift}},
	}
	require.NoError(t, p.Validate())
	require.NoError(t, r.Validate(p))
	return p, r
}

// histogram counts the pixels of img by colour.
func histogram(img image.Image) map[color.RGBA]int {
	h := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			h[color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: uint8(a >> 8)}]++
		}
	}
	return h
}

// rgba converts c for lookups in a histogram.
func rgba(c color.Color) color.RGBA { return color.RGBAModel.Convert(c).(color.RGBA) }

type drawFunc func(w *bytes.Buffer, p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) error

var pictures = map[string]drawFunc{
	"map": func(w *bytes.Buffer, p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) error {
		return RouteMap(w, p, r, on, opt)
	},
	"gantt": func(w *bytes.Buffer, p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) error {
		return Gantt(w, p, r, on, opt)
	},
}

func TestPNGHasTheRequestedSizeAndEachWorkersColour(t *testing.T) {
	p, r := fixture(t)
	day := at(t, "2026-06-01T12:00:00Z")
	for name, draw := range pictures {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, draw(&buf, p, r, day, Options{Width: 640, Height: 480}))
			img, err := png.Decode(&buf)
			require.NoError(t, err)
			assert.Equal(t, image.Rect(0, 0, 640, 480), img.Bounds())
			h := histogram(img)
			assert.Positive(t, h[rgba(palette(0))], "w1's colour is drawn")
			assert.Positive(t, h[rgba(palette(1))], "w2's colour is drawn")
			assert.Zero(t, h[rgba(palette(2))], "no third worker")
			if name == "gantt" {
				assert.Positive(t, h[rgba(travelColour)], "travel bars")
				assert.Positive(t, h[rgba(waitColour)], "waiting bars")
			}

		})
	}
}

func TestDefaultSize(t *testing.T) {
	w, h, err := Options{}.size()
	require.NoError(t, err)
	assert.Equal(t, [2]int{DefaultWidth, DefaultHeight}, [2]int{w, h})
	w, h, err = Options{Width: 300}.size()
	require.NoError(t, err)
	assert.Equal(t, [2]int{300, DefaultHeight}, [2]int{w, h})
	// A PNG at the default size (of an empty plot, cheap to draw under -race).
	var buf bytes.Buffer
	plt := gplot.New()
	require.NoError(t, Write(&buf, plt, Options{}))
	cfg, err := png.DecodeConfig(&buf)
	require.NoError(t, err)
	assert.Equal(t, [2]int{DefaultWidth, DefaultHeight}, [2]int{cfg.Width, cfg.Height})
}

func TestSVGIsXMLOfTheRequestedSize(t *testing.T) {
	p, r := fixture(t)
	day := at(t, "2026-06-01T12:00:00Z")
	for name, draw := range pictures {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, draw(&buf, p, r, day, Options{Width: 800, Height: 600, Format: SVG, WorkerNames: true}))
			raw := buf.String()
			dec := xml.NewDecoder(strings.NewReader(raw))
			var root *xml.StartElement
			elements := 0
			for {
				tok, err := dec.Token()
				if err != nil {
					require.ErrorContains(t, err, "EOF")
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					elements++
					if root == nil {
						root = &se
					}
				}
			}
			require.NotNil(t, root)
			assert.Equal(t, "svg", root.Name.Local)
			attrs := map[string]string{}
			for _, a := range root.Attr {
				attrs[a.Name.Local] = a.Value
			}
			assert.Equal(t, 800*0.75, pt(t, attrs["width"]))
			assert.Equal(t, 600*0.75, pt(t, attrs["height"]))
			assert.Greater(t, elements, 20, "the picture has content")
			assert.Contains(t, raw, "Wendy One", "worker names when asked")
			assert.NotContains(t, raw, "Ann Example", "people visited are never named")
		})
	}
}

func pt(t *testing.T, s string) float64 {
	t.Helper()
	require.True(t, strings.HasSuffix(s, "pt"), s)
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "pt"), 64)
	require.NoError(t, err)
	return v
}

func TestWorkerLabels(t *testing.T) {
	p, r := fixture(t)
	day := at(t, "2026-06-01T12:00:00Z")
	var buf bytes.Buffer
	require.NoError(t, Gantt(&buf, p, r, day, Options{Format: SVG}))
	assert.NotContains(t, buf.String(), "Wendy One", "IDs, not names, by default")
	assert.Contains(t, buf.String(), "w1")
	assert.Contains(t, buf.String(), "3 visits planned, 1 unassigned", "title counts the day")
}

func TestDaysAndErrors(t *testing.T) {
	p, r := fixture(t)
	days, err := Days(p, r, Options{})
	require.NoError(t, err)
	loc, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	assert.Equal(t, []time.Time{time.Date(2026, 6, 1, 0, 0, 0, 0, loc)}, days, "s3 makes no visit")

	var buf bytes.Buffer
	err = RouteMap(&buf, p, r, at(t, "2026-06-02T10:00:00Z"), Options{})
	require.ErrorIs(t, err, ErrNoRoutes)
	assert.Contains(t, err.Error(), "2026-06-02")
	day := days[0]
	require.ErrorIs(t, Gantt(&buf, p, r, day, Options{Format: "gif"}), ErrOptions)
	require.ErrorIs(t, Gantt(&buf, p, r, day, Options{Width: -1}), ErrOptions)
	require.ErrorIs(t, RouteMap(&buf, p, r, day, Options{Height: 1 << 20}), ErrOptions)
	require.ErrorIs(t, RouteMap(&buf, nil, r, day, Options{}), ErrNoInput)
	_, err = Days(p, nil, Options{})
	require.ErrorIs(t, err, ErrNoInput)
	require.ErrorIs(t, Write(&buf, nil, Options{}), ErrOptions)

	r.Routes[0].Shift = "s9"
	err = Gantt(&buf, p, r, day, Options{})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `"s9"`)

	p2, r2 := fixture(t)
	l := care.Location{0, 1}
	l[0] = l[0] / l[0] // NaN
	p2.Visits[1].Location = &l
	require.ErrorContains(t, RouteMap(&buf, p2, r2, day, Options{}), "not finite")
}

func TestFrameKeepsDistancesTrue(t *testing.T) {
	plt := gplot.New()
	// 0.2 degrees of longitude by 0.1 of latitude at 60N: 0.1 by 0.1 in true length.
	pts := plotter.XYs{{X: 0, Y: 60}, {X: 0.2, Y: 60.1}}
	frame(plt, pts, 0.5, 2)
	dx := (plt.X.Max - plt.X.Min) * 0.5
	dy := plt.Y.Max - plt.Y.Min
	assert.InDelta(t, 2, dx/dy, 1e-9, "true width over true height equals the aspect")
	assert.LessOrEqual(t, plt.X.Min, 0.0)
	assert.GreaterOrEqual(t, plt.X.Max, 0.2)
	assert.LessOrEqual(t, plt.Y.Min, 60.0)
	assert.GreaterOrEqual(t, plt.Y.Max, 60.1)
}

func TestHourTicks(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	lo := float64(time.Date(2026, 6, 1, 6, 30, 0, 0, loc).Unix())
	hi := float64(time.Date(2026, 6, 1, 10, 0, 0, 0, loc).Unix())
	ticks := hourTicks{loc: loc}.Ticks(lo, hi)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	assert.Equal(t, []string{"07:00", "08:00", "09:00", "10:00"}, labels, "local hours")
	day := hourTicks{loc: loc}.Ticks(lo, lo+20*3600)
	labelled := 0
	for _, tk := range day {
		if tk.Label != "" {
			labelled++
			hh, _ := strconv.Atoi(tk.Label[:2])
			assert.Zero(t, hh%3, tk.Label)
		}
	}
	assert.Positive(t, labelled)
}

func TestPaletteColoursDiffer(t *testing.T) {
	seen := map[color.Color]bool{}
	for i := range 30 {
		seen[palette(i)] = true
	}
	assert.Len(t, seen, 30)
}

// TestSampleAgency draws a day of a rota that routing.Solve plans for the
// embedded sample agency.
func TestSampleAgency(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	days, err := Days(p, res.Rota, Options{})
	require.NoError(t, err)
	require.Len(t, days, 7, "the sample is a week with visits every day")
	for name, draw := range pictures {
		var buf bytes.Buffer
		require.NoError(t, draw(&buf, p, res.Rota, days[0], Options{Width: 900, Height: 600}), name)
		img, err := png.Decode(&buf)
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, 900, 600), img.Bounds(), name)
		buf.Reset()
		require.NoError(t, draw(&buf, p, res.Rota, days[0], Options{Width: 900, Height: 600, Format: SVG}), name)
		assert.Contains(t, buf.String(), `width="675pt"`, name)
	}
}

func TestMapLinesFollowTheRoutes(t *testing.T) {
	p, r := fixture(t)
	d, err := newDay(p, r, at(t, "2026-06-01T20:00:00Z"), Options{})
	require.NoError(t, err)
	lines, missed, err := d.mapLines()
	require.NoError(t, err)
	require.Len(t, lines, 2, "s3 of the next day is not drawn")
	assert.Equal(t, care.WorkerID("w1"), lines[0].worker)
	assert.Equal(t, plotter.XYs{{X: -0.12, Y: 51.51}, {X: -0.14, Y: 51.50}, {X: -0.10, Y: 51.52}, {X: -0.12, Y: 51.51}}, lines[0].pts)
	assert.Equal(t, plotter.XYs{{X: -0.11, Y: 51.49}, {X: -0.14, Y: 51.50}, {X: -0.13, Y: 51.505}, {X: -0.11, Y: 51.49}}, lines[1].pts)
	assert.Equal(t, plotter.XYs{{X: -0.10, Y: 51.52}}, missed, "v4 is unassigned that day")
}

func TestGanttBarsFollowTheRota(t *testing.T) {
	p, r := fixture(t)
	d, err := newDay(p, r, at(t, "2026-06-01T05:00:00Z"), Options{})
	require.NoError(t, err)
	g := d.gantt()
	assert.Equal(t, []care.WorkerID{"w1", "w2"}, g.workers)
	assert.Equal(t, map[care.WorkerID]float64{"w1": 1, "w2": 0}, g.row, "first worker on top")
	sec := func(s string) float64 { return float64(at(t, s).Unix()) }
	type span struct {
		from, to, y float64
		edge        edgeKind
	}
	spans := func(bs []bar) []span {
		var out []span
		for _, b := range bs {
			out = append(out, span{b.from, b.to, b.y, b.edge})
		}
		return out
	}
	assert.Equal(t, []span{
		{sec("2026-06-01T08:10:00Z"), sec("2026-06-01T08:40:00Z"), 1, edgeBlack},
		{sec("2026-06-01T09:40:00Z"), sec("2026-06-01T10:25:00Z"), 1, edgeWhite},
		{sec("2026-06-01T08:10:00Z"), sec("2026-06-01T08:40:00Z"), 0, edgeBlack},
		{sec("2026-06-01T12:00:00Z"), sec("2026-06-01T12:20:00Z"), 0, edgeWhite},
	}, spans(g.visits))
	assert.Len(t, g.travel, 6, "every leg")
	assert.Equal(t, span{sec("2026-06-01T08:40:00Z"), sec("2026-06-01T08:55:00Z"), 1, edgeNone}, spans(g.travel)[1])
	assert.Equal(t, []span{
		{sec("2026-06-01T08:02:00Z"), sec("2026-06-01T08:10:00Z"), 1, edgeNone},
		{sec("2026-06-01T08:55:00Z"), sec("2026-06-01T09:40:00Z"), 1, edgeNone},
		{sec("2026-06-01T08:50:00Z"), sec("2026-06-01T12:00:00Z"), 0, edgeNone},
	}, spans(g.waits), "waiting ends when service starts")
	assert.Equal(t, []span{{sec("2026-06-01T11:00:00Z"), sec("2026-06-01T12:30:00Z"), 1 - 0.4, edgeNone}}, spans(g.breaks))
	assert.Len(t, g.shifts, 2)
}

func TestPlanarMap(t *testing.T) {
	p, r := fixture(t)
	p.Travel.Model = schedule.Euclidean
	plt, err := NewRouteMap(p, r, at(t, "2026-06-01T10:00:00Z"), Options{Title: "Plan"})
	require.NoError(t, err)
	assert.Equal(t, "x", plt.X.Label.Text)
	assert.Equal(t, "y", plt.Y.Label.Text)
	assert.Equal(t, "Plan", plt.Title.Text)
	// Without the cos(latitude) correction, one unit of x is as long as one of y:
	// the data width is the picture's aspect (less the legend's room) times its height.
	dx := (plt.X.Max - plt.X.Min) * (1 - legendRoom)
	dy := plt.Y.Max - plt.Y.Min
	assert.InDelta(t, float64(DefaultWidth)/DefaultHeight*(1-legendRoom), dx/dy, 1e-9)
}

func TestOnePlaceRoute(t *testing.T) {
	p, r := fixture(t)
	// Every place of the day the same: the map still has a finite, non-empty frame.
	for i := range p.ServiceUsers {
		p.ServiceUsers[i].Location = care.NewLocation(51.5, -0.1)
	}
	p.Visits[2].Location = nil
	for i := range p.Workers {
		p.Workers[i].Home = locp(51.5, -0.1)
	}
	var buf bytes.Buffer
	require.NoError(t, RouteMap(&buf, p, r, at(t, "2026-06-01T10:00:00Z"), Options{Width: 300, Height: 200}))
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 300, 200), img.Bounds())
}
