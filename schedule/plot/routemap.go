package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NewRouteMap returns a map of the routes whose shift starts on the local
// date of on: one colour per worker (the same colour in NewGantt), a line
// from the shift's start place through each visit to its end place, each
// visit as a filled circle, start places as triangles, and that day's
// unassigned visits (by earliest window) as red crosses. Axes are longitude
// and latitude (x and y on planar problems); on geographic problems the
// ranges are widened so that a kilometre east is as long as a kilometre
// north near the centre of the map at opt's size.
//
// The error matches ErrNoRoutes when no route makes a visit that day, and
// wraps the *care.FieldError of schedule.Rota.Validate when the rota does
// not fit the problem.
func NewRouteMap(p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) (*gplot.Plot, error) {
	d, err := newDay(p, r, on, opt)
	if err != nil {
		return nil, err
	}
	plt := gplot.New()
	plt.Title.Text = opt.Title
	if plt.Title.Text == "" {
		plt.Title.Text = "Routes on " + d.start.Format("Mon 2 Jan 2006")
	}
	plt.X.Label.Text, plt.Y.Label.Text = "longitude", "latitude"
	if p.Travel.Model == schedule.Euclidean {
		plt.X.Label.Text, plt.Y.Label.Text = "x", "y"
	}
	plt.Legend.Top = true
	plt.X.Tick.Marker, plt.Y.Tick.Marker = decimalTicks{}, decimalTicks{}
	plt.Add(plotter.NewGrid())

	lines, missed, err := d.mapLines()
	if err != nil {
		return nil, err
	}
	var all plotter.XYs
	legend := map[care.WorkerID]bool{}
	for _, ml := range lines {
		pts := ml.pts
		all = append(all, pts...)
		col := d.colour(ml.worker)
		line, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("plot: route of worker %q, shift %q: %w", ml.worker, ml.shift, err)
		}
		line.Color = col
		line.Width = vg.Points(1.5)
		stops, err := plotter.NewScatter(pts[1 : len(pts)-1])
		if err != nil {
			return nil, fmt.Errorf("plot: route of worker %q, shift %q: %w", ml.worker, ml.shift, err)
		}
		stops.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		base, err := plotter.NewScatter(plotter.XYs{pts[0], pts[len(pts)-1]})
		if err != nil {
			return nil, fmt.Errorf("plot: route of worker %q, shift %q: %w", ml.worker, ml.shift, err)
		}
		base.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.TriangleGlyph{}}
		plt.Add(line, stops, base)
		if !legend[ml.worker] {
			legend[ml.worker] = true
			plt.Legend.Add(d.label(ml.worker, opt), line, stops)
		}
	}
	if len(missed) > 0 {
		all = append(all, missed...)
		sc, err := plotter.NewScatter(missed)
		if err != nil {
			return nil, fmt.Errorf("plot: unassigned visits: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: color.RGBA{R: 220, A: 255}, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
		plt.Add(sc)
		plt.Legend.Add("unassigned", sc)
	}
	w, h, _ := opt.size()
	scale := 1.0
	if p.Travel.Model != schedule.Euclidean {
		scale = math.Cos(centreLat(all) * math.Pi / 180)
	}
	// Leave the right-hand sixth of the map for the legend.
	frame(plt, all, scale, float64(w)/float64(h)*(1-legendRoom))
	plt.X.Max += (plt.X.Max - plt.X.Min) * legendRoom / (1 - legendRoom)
	return plt, nil
}

// mapLine is one route on the map: start place, visits, end place.
type mapLine struct {
	worker care.WorkerID
	shift  schedule.ShiftID
	pts    plotter.XYs
}

// mapLines returns the day's routes in the problem's order of workers, and
// the places of the day's unassigned visits; every point is finite.
func (d *day) mapLines() ([]mapLine, plotter.XYs, error) {
	routes := slices.Clone(d.routes)
	slices.SortStableFunc(routes, func(a, b *schedule.Route) int { return d.workerIx[a.Worker] - d.workerIx[b.Worker] })
	var lines []mapLine
	for _, rt := range routes {
		from, to, err := d.p.ShiftPlaces(d.shifts[rt.Shift])
		if err != nil {
			return nil, nil, fmt.Errorf("plot: %w", err)
		}
		pts := plotter.XYs{{X: from.Lon(), Y: from.Lat()}}
		for _, id := range rt.Visits {
			at, err := d.p.VisitLocation(d.visits[id])
			if err != nil {
				return nil, nil, fmt.Errorf("plot: %w", err)
			}
			pts = append(pts, plotter.XY{X: at.Lon(), Y: at.Lat()})
		}
		pts = append(pts, plotter.XY{X: to.Lon(), Y: to.Lat()})
		if err := finite(pts); err != nil {
			return nil, nil, fmt.Errorf("plot: route of worker %q, shift %q: %w", rt.Worker, rt.Shift, err)
		}
		lines = append(lines, mapLine{worker: rt.Worker, shift: rt.Shift, pts: pts})
	}
	var missed plotter.XYs
	for _, u := range d.r.Unassigned {
		v := d.visits[u.Visit]
		if e := earliest(v); e.IsZero() || !midnight(e, d.loc).Equal(d.start) {
			continue
		}
		at, err := d.p.VisitLocation(v)
		if err != nil {
			return nil, nil, fmt.Errorf("plot: %w", err)
		}
		missed = append(missed, plotter.XY{X: at.Lon(), Y: at.Lat()})
	}
	if err := finite(missed); err != nil {
		return nil, nil, fmt.Errorf("plot: unassigned visits: %w", err)
	}
	return lines, missed, nil
}

// RouteMap draws NewRouteMap(p, r, on, opt) into w as opt.Format.
func RouteMap(w io.Writer, p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) error {
	plt, err := NewRouteMap(p, r, on, opt)
	if err != nil {
		return err
	}
	return Write(w, plt, opt)
}

// earliest is the earliest start of any of v's windows (zero if none).
func earliest(v *schedule.Visit) time.Time {
	var t time.Time
	for _, w := range v.Windows {
		if t.IsZero() || w.Earliest.Before(t) {
			t = w.Earliest
		}
	}
	return t
}

// legendRoom is the share of a picture's width kept free for the legend.
const legendRoom = 0.16

// decimalTicks are gonum's default ticks labelled with as many decimals as
// their spacing needs (gonum's own labels round 51.45 to "51").
type decimalTicks struct{}

// Ticks implements gplot.Ticker.
func (decimalTicks) Ticks(lo, hi float64) []gplot.Tick {
	ticks := gplot.DefaultTicks{}.Ticks(lo, hi)
	step := math.Inf(1)
	prev := math.NaN()
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		if !math.IsNaN(prev) {
			step = min(step, t.Value-prev)
		}
		prev = t.Value
	}
	decimals := 0
	if step > 0 && !math.IsInf(step, 0) {
		decimals = max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', decimals, 64)
		}
	}
	return ticks
}

// finite reports an error for the first point that is not finite.
func finite(pts plotter.XYs) error {
	for i, p := range pts {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return fmt.Errorf("point %d is not finite", i)
		}
	}
	return nil
}

func centreLat(pts plotter.XYs) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = min(lo, p.Y), max(hi, p.Y)
	}
	return (lo + hi) / 2
}

// frame sets the axis ranges around pts with a margin, widening one of them
// so that one unit of y is as long on the page as 1/xScale units of x, for a
// data area of the given width/height aspect.
func frame(plt *gplot.Plot, pts plotter.XYs, xScale, aspect float64) {
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		xmin, xmax = min(xmin, p.X), max(xmax, p.X)
		ymin, ymax = min(ymin, p.Y), max(ymax, p.Y)
	}
	if xScale <= 0.01 {
		xScale = 0.01 // near a pole; keep the map finite
	}
	dx, dy := (xmax-xmin)*xScale, ymax-ymin
	if dx == 0 && dy == 0 {
		dx, dy = 0.01, 0.01
	}
	if dx < dy*aspect {
		dx = dy * aspect
	} else {
		dy = dx / aspect
	}
	cx, cy := (xmin+xmax)/2, (ymin+ymax)/2
	const margin = 1.08
	plt.X.Min, plt.X.Max = cx-dx/xScale/2*margin, cx+dx/xScale/2*margin
	plt.Y.Min, plt.Y.Max = cy-dy/2*margin, cy+dy/2*margin
}
