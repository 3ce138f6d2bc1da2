package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrNoInput is matched (errors.Is) when the problem or the rota is nil.
var ErrNoInput = errors.New("plot: no problem or rota")

// ErrNoRoutes is matched (errors.Is) when the rota has no route with a visit
// on the day asked for.
var ErrNoRoutes = errors.New("plot: no routes on the day")

// ErrOptions is matched (errors.Is) when Options are invalid (an unknown
// format, a negative or huge size).
var ErrOptions = errors.New("plot: invalid options")

// Format is the picture format Write produces.
type Format string

// Picture formats.
const (
	PNG Format = "png" // raster image, Width x Height pixels
	SVG Format = "svg" // vector image, Width x Height CSS pixels (0.75 pt each)
)

// Default picture size in pixels.
const (
	DefaultWidth  = 1200
	DefaultHeight = 800
)

// maxSide bounds each side of a picture, in pixels, so that a typo cannot
// allocate gigabytes.
const maxSide = 10000

// dpi is the resolution at which a PNG has exactly Width x Height pixels.
const dpi = 96

// Options choose how a picture is drawn and written.
type Options struct {
	// Width and Height of the picture in pixels; 0 means DefaultWidth and
	// DefaultHeight. An SVG gets the same size in CSS pixels, written in
	// points (Width*0.75 pt).
	Width, Height int
	// Format is PNG or SVG; empty means PNG.
	Format Format
	// Title replaces the default title ("Routes on Mon 23 Mar 2026",
	// "Rota on Mon 23 Mar 2026").
	Title string
	// WorkerNames labels workers by name instead of ID. Names are personal
	// data, so this is off by default.
	WorkerNames bool
	// Location is the time zone of the day and of the clock times shown. Nil
	// means the problem's TimeZone, or UTC when the problem sets none.
	Location *time.Location
}

// size returns the picture size in pixels, checked.
func (o Options) size() (w, h int, err error) {
	w, h = o.Width, o.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if w < 0 || h < 0 || w > maxSide || h > maxSide {
		return 0, 0, fmt.Errorf("%w: size %dx%d: each side must be 1 to %d pixels", ErrOptions, o.Width, o.Height, maxSide)
	}
	return w, h, nil
}

// lengths converts the picture size to vg lengths at 96 dots per inch.
func lengths(w, h int) (vg.Length, vg.Length) {
	return vg.Length(w) * vg.Inch / dpi, vg.Length(h) * vg.Inch / dpi
}

// Write draws plt into w as opt.Format at opt's size. Use it to write a
// plot from NewRouteMap or NewGantt after changing it.
func Write(w io.Writer, plt *gplot.Plot, opt Options) error {
	if plt == nil {
		return fmt.Errorf("%w: no plot", ErrOptions)
	}
	wp, hp, err := opt.size()
	if err != nil {
		return err
	}
	wl, hl := lengths(wp, hp)
	switch opt.Format {
	case PNG, "":
		c := vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		plt.Draw(draw.New(c))
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
			return fmt.Errorf("plot: write PNG: %w", err)
		}
	case SVG:
		c := vgsvg.New(wl, hl)
		plt.Draw(draw.New(c))
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("plot: write SVG: %w", err)
		}
	default:
		return fmt.Errorf("%w: format %q: want %q or %q", ErrOptions, opt.Format, PNG, SVG)
	}
	return nil
}

// day is what both pictures need: the routes of one local day.
type day struct {
	p        *schedule.Problem
	r        *schedule.Rota
	loc      *time.Location
	start    time.Time // local midnight
	routes   []*schedule.Route
	visits   map[schedule.VisitID]*schedule.Visit
	shifts   map[schedule.ShiftID]*schedule.Shift
	workerIx map[care.WorkerID]int // position in p.Workers: a worker's colour
}

// location returns the zone of opt, else the problem's, else UTC.
func location(p *schedule.Problem, opt Options) (*time.Location, error) {
	if opt.Location != nil {
		return opt.Location, nil
	}
	if p.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := p.Loc()
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	return loc, nil
}

// midnight returns the start of t's local day.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// newDay checks the inputs and collects the routes whose shift starts on
// the local date of on.
func newDay(p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) (*day, error) {
	if p == nil || r == nil {
		return nil, ErrNoInput
	}
	if _, _, err := opt.size(); err != nil {
		return nil, err
	}
	if err := r.Validate(p); err != nil {
		return nil, fmt.Errorf("plot: rota does not fit the problem: %w", err)
	}
	loc, err := location(p, opt)
	if err != nil {
		return nil, err
	}
	d := &day{p: p, r: r, loc: loc, start: midnight(on, loc),
		visits:   make(map[schedule.VisitID]*schedule.Visit, len(p.Visits)),
		shifts:   make(map[schedule.ShiftID]*schedule.Shift, len(p.Shifts)),
		workerIx: make(map[care.WorkerID]int, len(p.Workers)),
	}
	for i := range p.Visits {
		d.visits[p.Visits[i].ID] = &p.Visits[i]
	}
	for i := range p.Shifts {
		d.shifts[p.Shifts[i].ID] = &p.Shifts[i]
	}
	for i := range p.Workers {
		d.workerIx[p.Workers[i].ID] = i
	}
	for i := range r.Routes {
		rt := &r.Routes[i]
		if len(rt.Visits) > 0 && midnight(d.shifts[rt.Shift].Start, loc).Equal(d.start) {
			d.routes = append(d.routes, rt)
		}
	}
	if len(d.routes) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoRoutes, d.start.Format(time.DateOnly))
	}
	return d, nil
}

// label is how a worker is shown.
func (d *day) label(w care.WorkerID, opt Options) string {
	if opt.WorkerNames {
		if wk, ok := d.p.Worker(w); ok && wk.Name != "" {
			return wk.Name
		}
	}
	return string(w)
}

// colour returns worker w's colour, the same in every picture of the problem.
func (d *day) colour(w care.WorkerID) color.Color { return palette(d.workerIx[w]) }

// Days returns the local midnights of the days on which the rota has a
// route with at least one visit, in order: the days worth drawing.
func Days(p *schedule.Problem, r *schedule.Rota, opt Options) ([]time.Time, error) {
	if p == nil || r == nil {
		return nil, ErrNoInput
	}
	loc, err := location(p, opt)
	if err != nil {
		return nil, err
	}
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, rt := range r.Routes {
		sh, ok := p.Shift(rt.Shift)
		if !ok || len(rt.Visits) == 0 {
			continue
		}
		m := midnight(sh.Start, loc)
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out, nil
}

// palette returns the i'th of a sequence of distinct, saturated colours:
// hues a golden angle apart, so neighbours in the list never look alike.
func palette(i int) color.Color {
	h := math.Mod(float64(i)*0.618033988749895, 1) * 6
	s, v := 0.75, 0.8
	if i%2 == 1 {
		v = 0.6
	}
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := v - c
	to8 := func(f float64) uint8 { return uint8(math.Round((f + m) * 255)) }
	return color.RGBA{R: to8(r), G: to8(g), B: to8(b), A: 255}
}
