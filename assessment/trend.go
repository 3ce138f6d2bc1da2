package assessment

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
	"gonum.org/v1/gonum/stat"
)

// Point is one administration of an instrument in a person's history.
type Point struct {
	AssessmentID string    `json:"assessmentId"`   // the assessment the score comes from
	Date         time.Time `json:"date"`           // the assessment date
	Score        float64   `json:"score"`          // the (converted) score
	Band         string    `json:"band,omitempty"` // the band code
}

// AlertKind says why a deterioration alert was raised.
type AlertKind string

// Alert kinds.
const (
	// AlertReliableChange: the score worsened by more than the instrument's
	// ReliableChange between consecutive administrations, or cumulatively
	// since the first one.
	AlertReliableChange AlertKind = "reliable-change"
	// AlertBandWorse: the score moved into a worse band.
	AlertBandWorse AlertKind = "band-worse"
	// AlertItemCollapse: an item went from its best to its worst response
	// (for Barthel, a single item moving between fully dependent and
	// independent is likely real: Collin/Wade, REFERENCE §1.1).
	AlertItemCollapse AlertKind = "item-collapse"
)

// Alert is a deterioration alert on one instrument.
type Alert struct {
	Kind       AlertKind `json:"kind"`                // why the alert was raised
	Instrument string    `json:"instrument"`          // instrument ID
	Item       string    `json:"item,omitempty"`      // item ID for item alerts
	From       Point     `json:"from"`                // the earlier administration
	To         Point     `json:"to"`                  // the later administration
	Change     float64   `json:"change"`              // To − From score (item score for item alerts)
	Threshold  float64   `json:"threshold,omitempty"` // the reliable change used
}

// Trend is a person's history on one instrument.
type Trend struct {
	Instrument string    `json:"instrument"` // instrument ID
	Direction  Direction `json:"direction"`  // which end of the scale is better
	Points     []Point   `json:"points"`     // in date order
	Change     float64   `json:"change"`     // last − first score
	LastChange float64   `json:"lastChange"` // last − previous score (0 with one point)
	// SlopePerYear is the least-squares slope of score on time in years
	// (gonum stat.LinearRegression); 0 with fewer than two distinct dates.
	SlopePerYear float64 `json:"slopePerYear"`
	Alerts       []Alert `json:"alerts,omitempty"` // deterioration alerts, in date order
}

// Deteriorating reports whether the trend has any alert at its latest point.
func (t Trend) Deteriorating() bool {
	if len(t.Points) == 0 {
		return false
	}
	last := t.Points[len(t.Points)-1]
	return slices.ContainsFunc(t.Alerts, func(a Alert) bool { return a.To.AssessmentID == last.AssessmentID })
}

// sortedHistory checks that the assessments belong to one person and
// returns them in date order (ties by ID).
func sortedHistory(history []*Assessment) ([]*Assessment, error) {
	if len(history) == 0 {
		return nil, care.Invalid("history", "", "", "no assessments")
	}
	h := slices.Clone(history)
	for i, a := range h {
		if a == nil {
			return nil, care.Invalid("history", "", fmt.Sprintf("[%d]", i), "nil assessment")
		}
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if a.PersonID != h[0].PersonID {
			return nil, care.Invalid("assessment", a.ID, "personId", "history mixes people %q and %q", h[0].PersonID, a.PersonID)
		}
	}
	slices.SortStableFunc(h, func(x, y *Assessment) int {
		if c := x.Date.Compare(y.Date); c != 0 {
			return c
		}
		if x.ID < y.ID {
			return -1
		}
		if x.ID > y.ID {
			return 1
		}
		return 0
	})
	return h, nil
}

// Trends returns one [Trend] per instrument found in a person's history,
// in catalogue order. Deterioration is judged with each instrument's
// Direction, ReliableChange (Barthel 0–100: >10 points; 0–20: >2 points,
// REFERENCE §1.1; PHQ-9: 5 points and GAD-7: 4 points, commonly cited
// minimal important changes, not in REFERENCE) and band table.
func Trends(history []*Assessment, cat *Catalogue) ([]Trend, error) {
	if cat == nil {
		return nil, care.Invalid("catalogue", "", "", "nil")
	}
	h, err := sortedHistory(history)
	if err != nil {
		return nil, err
	}
	var out []Trend
	for _, id := range cat.IDs() {
		in, _ := cat.Lookup(id)
		var pts []Point
		var results []Result
		for _, a := range h {
			if r, ok := a.Result(id); ok {
				pts = append(pts, Point{AssessmentID: a.ID, Date: a.Date, Score: r.Score, Band: r.Band.Code})
				results = append(results, r)
			}
		}
		if len(pts) == 0 {
			continue
		}
		out = append(out, trend(in, pts, results))
	}
	return out, nil
}

// worse returns how much worse b is than a on the instrument's direction
// (positive = deterioration).
func worse(d Direction, a, b float64) float64 {
	if d == HigherWorse {
		return b - a
	}
	return a - b
}

// trend builds the trend of one instrument.
func trend(in *Instrument, pts []Point, results []Result) Trend {
	t := Trend{Instrument: in.ID, Direction: in.Direction, Points: pts}
	first, last := pts[0], pts[len(pts)-1]
	t.Change = last.Score - first.Score
	if len(pts) > 1 {
		t.LastChange = last.Score - pts[len(pts)-2].Score
		xs := make([]float64, len(pts))
		ys := make([]float64, len(pts))
		for i, p := range pts {
			xs[i] = p.Date.Sub(first.Date).Hours() / (24 * 365.25)
			ys[i] = p.Score
		}
		if xs[len(xs)-1] > 0 {
			_, beta := stat.LinearRegression(xs, ys, nil, false)
			if !math.IsNaN(beta) && !math.IsInf(beta, 0) {
				t.SlopePerYear = beta
			}
		}
	}
	bandIndex := func(code string) int {
		return slices.IndexFunc(in.Bands.Bands, func(b Band) bool { return b.Code == code })
	}
	pairwise := false
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if rc := in.ReliableChange; rc > 0 && worse(in.Direction, a.Score, b.Score) > rc {
			t.Alerts = append(t.Alerts, Alert{Kind: AlertReliableChange, Instrument: in.ID, From: a, To: b, Change: b.Score - a.Score, Threshold: rc})
			pairwise = true
		}
		if ia, ib := bandIndex(a.Band), bandIndex(b.Band); ia >= 0 && ib >= 0 {
			if (in.Direction == HigherBetter && ib < ia) || (in.Direction == HigherWorse && ib > ia) {
				t.Alerts = append(t.Alerts, Alert{Kind: AlertBandWorse, Instrument: in.ID, From: a, To: b, Change: b.Score - a.Score})
			}
		}
		for _, it := range in.Items {
			sa, okA := results[i-1].Item(it.ID)
			sb, okB := results[i].Item(it.ID)
			if !okA || !okB {
				continue
			}
			lo, hi := it.scoreRange()
			lo, hi = lo*it.weight(), hi*it.weight()
			best, worst := hi, lo
			if in.Direction == HigherWorse {
				best, worst = lo, hi
			}
			if lo != hi && sa == best && sb == worst {
				t.Alerts = append(t.Alerts, Alert{Kind: AlertItemCollapse, Instrument: in.ID, Item: it.ID, From: a, To: b, Change: sb - sa})
			}
		}
	}
	if rc := in.ReliableChange; rc > 0 && !pairwise && len(pts) > 2 && worse(in.Direction, first.Score, last.Score) > rc {
		t.Alerts = append(t.Alerts, Alert{Kind: AlertReliableChange, Instrument: in.ID, From: first, To: last, Change: t.Change, Threshold: rc})
	}
	return t
}

// Review is when the next review is due and why.
type Review struct {
	Due     time.Time `json:"due"`     // the date the next review is due
	Reasons []string  `json:"reasons"` // why, one line per rule that set the date
}

// NextReview returns the date the next review is due, the earliest of:
//
//   - the plan start + 6 weeks when no assessment is dated after the plan
//     start (first review: NICE QS123 st.5 "within 6 weeks"; Care Act
//     statutory guidance 6–8 weeks; REFERENCE §1.10, §4.1);
//   - the latest assessment + 12 months (Care Act s.27; QS123 st.5);
//   - the latest assessment + 1 month when 'MUST' is high, + 2 months when
//     medium (BAPEN step 5, community; REFERENCE §1.7);
//   - the latest assessment's date when any trend deteriorates at the
//     latest point, a same-day flag is raised or a safeguarding concern is
//     recorded (change of circumstances).
//
// planStart may be zero when no plan has started. Time comes only from
// the inputs.
func NextReview(history []*Assessment, cat *Catalogue, planStart time.Time) (Review, error) {
	h, err := sortedHistory(history)
	if err != nil {
		return Review{}, err
	}
	latest := h[len(h)-1]
	var cands []Review
	addCand := func(d time.Time, why string) { cands = append(cands, Review{Due: d, Reasons: []string{why}}) }
	if !planStart.IsZero() && !latest.Date.After(planStart) {
		addCand(planStart.AddDate(0, 0, 42), "first review within 6 weeks of the plan starting (QS123 st.5)")
	}
	addCand(latest.Date.AddDate(1, 0, 0), "annual review (Care Act s.27; QS123 st.5)")
	if m, ok := latest.Result(IDMUST); ok {
		switch m.Band.Code {
		case "high":
			addCand(latest.Date.AddDate(0, 1, 0), "'MUST' high risk: review monthly (BAPEN)")
		case "medium":
			addCand(latest.Date.AddDate(0, 2, 0), "'MUST' medium risk: rescreen every 2-3 months (BAPEN)")
		}
	}
	for _, r := range latest.Results {
		for _, f := range r.Flags {
			if f.Escalation == EscalateSameDay {
				addCand(latest.Date, fmt.Sprintf("same-day flag %s from %s", f.Code, r.Instrument))
			}
		}
	}
	if latest.Observations.SafeguardingConcern {
		addCand(latest.Date, "safeguarding concern raised")
	}
	trends, err := Trends(h, cat)
	if err != nil {
		return Review{}, err
	}
	for _, t := range trends {
		if t.Deteriorating() {
			addCand(latest.Date, "deterioration on "+t.Instrument)
		}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		switch {
		case c.Due.Before(best.Due):
			best = c
		case c.Due.Equal(best.Due):
			best.Reasons = append(slices.Clone(best.Reasons), c.Reasons...)
		}
	}
	return best, nil
}
