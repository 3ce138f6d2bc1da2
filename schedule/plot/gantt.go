package plot

import (
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
)

// Colours of the Gantt chart's bars other than visits.
var (
	travelColour = color.RGBA{R: 120, G: 120, B: 120, A: 255}
	waitColour   = color.RGBA{R: 240, G: 200, B: 80, A: 255}
	shiftColour  = color.RGBA{R: 235, G: 235, B: 235, A: 255}
	breakColour  = color.RGBA{R: 110, G: 170, B: 230, A: 255}
)

// bar is one rectangle of the Gantt chart: [from, to] in Unix seconds on row y.
type bar struct {
	from, to float64
	y        float64 // row centre
	half     float64 // half height, in rows
	fill     color.Color
	edge     edgeKind
}

// edgeKind is how a bar is outlined.
type edgeKind int

const (
	edgeNone  edgeKind = iota
	edgeWhite          // a thin white line that parts adjacent visits
	edgeBlack          // a double-handed visit
)

// bars is a gonum plotter that draws rectangles in data coordinates.
type bars struct{ list []bar }

// Plot implements gplot.Plotter.
func (b *bars) Plot(c draw.Canvas, plt *gplot.Plot) {
	tx, ty := plt.Transforms(&c)
	edge := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	gap := draw.LineStyle{Color: color.White, Width: vg.Points(0.6)}
	for _, r := range b.list {
		x0, x1 := tx(r.from), tx(r.to)
		y0, y1 := ty(r.y-r.half), ty(r.y+r.half)
		pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(r.fill, c.ClipPolygonXY(pts))
		switch r.edge {
		case edgeBlack:
			c.StrokeLines(edge, c.ClipLinesXY(append(pts, pts[0]))...)
		case edgeWhite:
			c.StrokeLines(gap, c.ClipLinesXY(append(pts, pts[0]))...)
		}
	}
}

// DataRange implements gplot.DataRanger.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = b.list[0].from, b.list[0].y-b.list[0].half
	xmax, ymax = b.list[0].to, b.list[0].y+b.list[0].half
	for _, r := range b.list[1:] {
		xmin, xmax = min(xmin, r.from), max(xmax, r.to)
		ymin, ymax = min(ymin, r.y-r.half), max(ymax, r.y+r.half)
	}
	return xmin, xmax, ymin, ymax
}

// swatch is a legend thumbnail: a filled box.
type swatch struct {
	fill    color.Color
	outline bool
}

// Thumbnail implements gplot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(s.fill, pts)
	if s.outline {
		c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}, append(pts, pts[0]))
	}
}

// hourTicks marks whole local hours, every 1, 2, 3 or 6 hours depending on
// the span, labelled "15:04".
type hourTicks struct{ loc *time.Location }

// Ticks implements gplot.Ticker.
func (h hourTicks) Ticks(lo, hi float64) []gplot.Tick {
	span := (hi - lo) / 3600
	step := 1
	switch {
	case span > 36:
		step = 6
	case span > 18:
		step = 3
	case span > 9:
		step = 2
	}
	if math.IsNaN(span) || math.IsInf(span, 0) || span < 0 {
		return nil
	}
	// Minor ticks every hour on a chart of up to three days; beyond that
	// (a visit far outside the day) about a dozen labelled ticks, so that a
	// chart spanning years never walks every hour.
	minor, layout := time.Hour, "15:04"
	if span > 72 {
		minor = time.Duration(math.Ceil(span/12)) * time.Hour
		step, layout = 1, "2006-01-02 15:04"
	}
	t := time.Unix(int64(lo), 0).In(h.loc).Truncate(time.Hour)
	var out []gplot.Tick
	for ; !t.After(time.Unix(int64(hi)+1, 0)); t = t.Add(minor) {
		v := float64(t.Unix())
		if v < lo {
			continue
		}
		if t.In(h.loc).Hour()%step == 0 {
			out = append(out, gplot.Tick{Value: v, Label: t.In(h.loc).Format(layout)})
		} else {
			out = append(out, gplot.Tick{Value: v})
		}
	}
	return out
}

// NewGantt returns a Gantt chart of the routes whose shift starts on the
// local date of on: one row per worker (top to bottom in the problem's
// order of workers), time of day across in opt's zone. Each row shows the
// worker's shift as a pale band, break windows as a thin blue line at its
// foot, travel as grey and waiting as amber half-height bars, and visits as
// full-height bars in the worker's colour (the same as in NewRouteMap),
// outlined in black when double-handed. Breaks are shown as the windows in
// which the shift's breaks must start: a rota does not fix when a break is
// taken. The title counts the day's unassigned visits (by earliest window).
//
// Errors as for NewRouteMap.
func NewGantt(p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) (*gplot.Plot, error) {
	d, err := newDay(p, r, on, opt)
	if err != nil {
		return nil, err
	}
	g := d.gantt()
	workers, shifts, breaks, travel, waits, visits := g.workers, g.shifts, g.breaks, g.travel, g.waits, g.visits
	ticks := make([]gplot.Tick, len(workers))
	for i, w := range workers {
		ticks[i] = gplot.Tick{Value: g.row[w], Label: d.label(w, opt)}
	}
	unassigned := 0
	for _, u := range r.Unassigned {
		if e := earliest(d.visits[u.Visit]); !e.IsZero() && midnight(e, d.loc).Equal(d.start) {
			unassigned++
		}
	}

	plt := gplot.New()
	plt.Title.Text = opt.Title
	if plt.Title.Text == "" {
		plt.Title.Text = fmt.Sprintf("Rota on %s: %d visits planned, %d unassigned", d.start.Format("Mon 2 Jan 2006"), len(visitSet(d.routes)), unassigned)
	}
	plt.X.Label.Text = "time (" + d.loc.String() + ")"
	plt.X.Tick.Marker = hourTicks{loc: d.loc}
	plt.Y.Tick.Marker = gplot.ConstantTicks(ticks)
	plt.Y.Min, plt.Y.Max = -0.5, float64(len(workers))-0.5
	// Leave the right-hand part of the chart for the legend.
	all := &bars{list: slices.Concat(shifts, breaks, travel, waits, visits)}
	xmin, xmax, _, _ := all.DataRange()
	plt.X.Min, plt.X.Max = xmin, xmax+(xmax-xmin)*legendRoom/(1-legendRoom)
	plt.Add(&bars{list: shifts})
	if len(breaks) > 0 {
		plt.Add(&bars{list: breaks})
	}
	if len(travel) > 0 {
		plt.Add(&bars{list: travel})
	}
	if len(waits) > 0 {
		plt.Add(&bars{list: waits})
	}
	plt.Add(&bars{list: visits})
	plt.Legend.Top = true
	plt.Legend.Add("visit", swatch{fill: palette(0)})
	plt.Legend.Add("double-handed", swatch{fill: palette(0), outline: true})
	plt.Legend.Add("travel", swatch{fill: travelColour})
	plt.Legend.Add("waiting", swatch{fill: waitColour})
	plt.Legend.Add("break window", swatch{fill: breakColour})
	plt.Legend.Add("shift", swatch{fill: shiftColour})
	return plt, nil
}

// Gantt draws NewGantt(p, r, on, opt) into w as opt.Format.
func Gantt(w io.Writer, p *schedule.Problem, r *schedule.Rota, on time.Time, opt Options) error {
	plt, err := NewGantt(p, r, on, opt)
	if err != nil {
		return err
	}
	return Write(w, plt, opt)
}

// visitSet returns the distinct visits on the routes.
func visitSet(routes []*schedule.Route) map[schedule.VisitID]bool {
	s := map[schedule.VisitID]bool{}
	for _, rt := range routes {
		for _, v := range rt.Visits {
			s[v] = true
		}
	}
	return s
}

// ganttBars are the bars of a Gantt chart by layer, and the rows.
type ganttBars struct {
	workers                               []care.WorkerID // top to bottom
	row                                   map[care.WorkerID]float64
	shifts, breaks, travel, waits, visits []bar
}

// gantt lays out the day's bars: one row per worker, times in Unix seconds.
func (d *day) gantt() ganttBars {
	var workers []care.WorkerID
	for _, rt := range d.routes {
		if !slices.Contains(workers, rt.Worker) {
			workers = append(workers, rt.Worker)
		}
	}
	slices.SortStableFunc(workers, func(a, b care.WorkerID) int { return d.workerIx[a] - d.workerIx[b] })
	row := map[care.WorkerID]float64{}
	for i, w := range workers {
		y := float64(len(workers) - 1 - i)
		row[w] = y
	}
	starts := make(map[schedule.VisitID]*schedule.Assignment, len(d.r.Assignments))
	for i := range d.r.Assignments {
		starts[d.r.Assignments[i].Visit] = &d.r.Assignments[i]
	}
	sec := func(t time.Time) float64 { return float64(t.Unix()) }
	var shifts, breaks, travel, waits, visits []bar
	for _, rt := range d.routes {
		y := row[rt.Worker]
		sh := d.shifts[rt.Shift]
		shifts = append(shifts, bar{from: sec(sh.Start), to: sec(sh.End), y: y, half: 0.45, fill: shiftColour})
		for _, b := range sh.Breaks {
			breaks = append(breaks, bar{from: sec(b.Earliest), to: sec(b.Latest.Add(b.Length.Std())), y: y - 0.4, half: 0.04, fill: breakColour})
		}
		for i, l := range rt.Legs {
			if l.Arrive.After(l.Depart) {
				travel = append(travel, bar{from: sec(l.Depart), to: sec(l.Arrive), y: y, half: 0.18, fill: travelColour})
			}
			if i < len(rt.Visits) && l.Wait > 0 {
				waits = append(waits, bar{from: sec(l.Arrive), to: sec(l.Arrive.Add(l.Wait.Std())), y: y, half: 0.18, fill: waitColour})
			}
		}
		for _, id := range rt.Visits {
			a := starts[id]
			v := d.visits[id]
			edge := edgeWhite
			if len(a.Workers) > 1 {
				edge = edgeBlack
			}
			visits = append(visits, bar{from: sec(a.Start), to: sec(a.Start.Add(v.Duration.Std())), y: y, half: 0.32,
				fill: d.colour(rt.Worker), edge: edge})
		}
	}
	return ganttBars{workers: workers, row: row, shifts: shifts, breaks: breaks, travel: travel, waits: waits, visits: visits}
}
