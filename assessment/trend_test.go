package assessment

import (
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dated returns an assessment of person "p1" on the given day with one
// Barthel 0–100 result.
func datedBarthel(t *testing.T, id string, day time.Time, over ...any) *Assessment {
	t.Helper()
	a := &Assessment{ID: id, PersonID: "p1", Date: day}
	add(t, a, Barthel100(), barthel100(over...))
	return a
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestTrendBarthelReliableChangeAndBands(t *testing.T) {
	h := []*Assessment{
		datedBarthel(t, "a3", day(2026, 7, 1), "bathing", 0, "stairs", 5, "dressing", 5, "mobility", 10, "transfers", 10, "toilet", 5, "grooming", 0),  // 65
		datedBarthel(t, "a1", day(2026, 1, 1), "bathing", 0, "stairs", 5),                                                                              // 90
		datedBarthel(t, "a2", day(2026, 4, 1), "bathing", 0, "stairs", 5, "dressing", 5),                                                               // 85
		datedBarthel(t, "a4", day(2026, 10, 1), "bathing", 0, "stairs", 0, "dressing", 5, "mobility", 10, "transfers", 10, "toilet", 5, "grooming", 0), // 60
	}
	trends, err := Trends(h, DefaultCatalogue())
	require.NoError(t, err)
	require.Len(t, trends, 1)
	tr := trends[0]
	assert.Equal(t, IDBarthel100, tr.Instrument)
	var scores []float64
	for _, p := range tr.Points {
		scores = append(scores, p.Score)
	}
	assert.Equal(t, []float64{90, 85, 65, 60}, scores, "sorted by date")
	assert.Equal(t, -30.0, tr.Change)
	assert.Equal(t, -5.0, tr.LastChange)
	// Least squares by hand: x in years from 1 Jan.
	xs := []float64{0, 90.0 / 365.25, 181.0 / 365.25, 273.0 / 365.25}
	var mx, my float64
	for i := range xs {
		mx += xs[i] / 4
		my += scores[i] / 4
	}
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (scores[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	assert.InDelta(t, sxy/sxx, tr.SlopePerYear, 1e-9)
	assert.Less(t, tr.SlopePerYear, 0.0)

	var kinds []AlertKind
	for _, a := range tr.Alerts {
		kinds = append(kinds, a.Kind)
		if a.Kind == AlertReliableChange {
			assert.Equal(t, "a2", a.From.AssessmentID)
			assert.Equal(t, "a3", a.To.AssessmentID)
			assert.Equal(t, -20.0, a.Change)
			assert.Equal(t, 10.0, a.Threshold)
		}
		if a.Kind == AlertBandWorse {
			assert.Equal(t, "a4", a.To.AssessmentID, "65 moderate → 60 severe")
		}
		if a.Kind == AlertItemCollapse {
			assert.Equal(t, "grooming", a.Item, "grooming independent → needs help")
			assert.Equal(t, "a3", a.To.AssessmentID)
		}
	}
	assert.ElementsMatch(t, []AlertKind{AlertReliableChange, AlertBandWorse, AlertItemCollapse}, kinds)
	assert.True(t, tr.Deteriorating())
}

func TestTrendCumulativeAndItemCollapse(t *testing.T) {
	h := []*Assessment{
		datedBarthel(t, "b1", day(2026, 1, 1)),                            // 100
		datedBarthel(t, "b2", day(2026, 3, 1), "stairs", 5),               // 95
		datedBarthel(t, "b3", day(2026, 5, 1), "stairs", 5, "bathing", 0), // 90
		datedBarthel(t, "b4", day(2026, 7, 1), "stairs", 0, "bathing", 0), // 85
	}
	trends, err := Trends(h, DefaultCatalogue())
	require.NoError(t, err)
	tr := trends[0]
	var cum, collapse int
	for _, a := range tr.Alerts {
		switch a.Kind {
		case AlertReliableChange:
			cum++
			assert.Equal(t, "b1", a.From.AssessmentID)
			assert.Equal(t, "b4", a.To.AssessmentID)
			assert.Equal(t, -15.0, a.Change)
		case AlertItemCollapse:
			collapse++
			assert.Equal(t, "bathing", a.Item)
			assert.Equal(t, "b3", a.To.AssessmentID)
		}
	}
	assert.Equal(t, 1, cum, "no step exceeds 10 but the total does")
	assert.Equal(t, 1, collapse, "bathing independent → dependent; stairs went 10→5→0 in steps")

	// A 10-point fall is not more than 10: no alert.
	h = []*Assessment{datedBarthel(t, "c1", day(2026, 1, 1)), datedBarthel(t, "c2", day(2026, 2, 1), "stairs", 0)}
	trends, err = Trends(h, DefaultCatalogue())
	require.NoError(t, err)
	for _, a := range trends[0].Alerts {
		assert.NotEqual(t, AlertReliableChange, a.Kind)
	}
}

func TestTrendHigherWorsePHQ9(t *testing.T) {
	mk := func(id string, d time.Time, total int) *Assessment {
		a := &Assessment{ID: id, PersonID: "p1", Date: d}
		add(t, a, PHQ9(), responsesForTotal(t, PHQ9(), total))
		return a
	}
	trends, err := Trends([]*Assessment{mk("p1", day(2026, 1, 1), 4), mk("p2", day(2026, 2, 1), 10)}, DefaultCatalogue())
	require.NoError(t, err)
	tr := trends[0]
	assert.Equal(t, 6.0, tr.Change)
	assert.True(t, tr.Deteriorating())
	assert.Greater(t, tr.SlopePerYear, 0.0)
	// Improvement raises nothing.
	trends, err = Trends([]*Assessment{mk("p1", day(2026, 1, 1), 12), mk("p2", day(2026, 2, 1), 3)}, DefaultCatalogue())
	require.NoError(t, err)
	assert.Empty(t, trends[0].Alerts)
}

func TestTrendsRejectMixedPeople(t *testing.T) {
	a := datedBarthel(t, "x1", day(2026, 1, 1))
	b := datedBarthel(t, "x2", day(2026, 2, 1))
	b.PersonID = "p2"
	_, err := Trends([]*Assessment{a, b}, DefaultCatalogue())
	assert.ErrorIs(t, err, care.ErrInvalid)
	_, err = Trends(nil, DefaultCatalogue())
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestNextReview(t *testing.T) {
	cat := DefaultCatalogue()
	start := day(2026, 3, 2)
	a := datedBarthel(t, "r1", day(2026, 3, 1))
	r, err := NextReview([]*Assessment{a}, cat, start)
	require.NoError(t, err)
	assert.Equal(t, day(2026, 4, 13), r.Due, "6 weeks after the plan starts")

	b := datedBarthel(t, "r2", day(2026, 4, 10))
	r, err = NextReview([]*Assessment{a, b}, cat, start)
	require.NoError(t, err)
	assert.Equal(t, day(2027, 4, 10), r.Due, "then annually")

	add(t, b, MUST(), answers("bmi", 1, "weight-loss", 0))
	r, err = NextReview([]*Assessment{a, b}, cat, start)
	require.NoError(t, err)
	assert.Equal(t, day(2026, 6, 10), r.Due, "'MUST' medium: 2 months")

	c := datedBarthel(t, "r3", day(2026, 8, 1), "bathing", 0, "dressing", 0, "stairs", 0)
	r, err = NextReview([]*Assessment{a, b, c}, cat, start)
	require.NoError(t, err)
	assert.Equal(t, day(2026, 8, 1), r.Due, "deterioration: review now")
	assert.Contains(t, r.Reasons[0], IDBarthel100)

	d := &Assessment{ID: "r4", PersonID: "p1", Date: day(2026, 9, 1)}
	resp := uniform(PHQ9(), 0)
	resp[8].Value = 2
	add(t, d, PHQ9(), resp)
	r, err = NextReview([]*Assessment{d}, cat, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 9, 1), r.Due)
	assert.Contains(t, r.Reasons[0], string(FlagSelfHarm))

	// 'MUST' high: monthly.
	e := &Assessment{ID: "r5", PersonID: "p1", Date: day(2026, 10, 5)}
	add(t, e, MUST(), answers("bmi", 2, "weight-loss", 1))
	r, err = NextReview([]*Assessment{e}, cat, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 11, 5), r.Due)
	assert.Contains(t, r.Reasons[0], "monthly")
	// No plan start, nothing else: a year after the assessment.
	f := datedBarthel(t, "r6", day(2026, 10, 5))
	r, err = NextReview([]*Assessment{f}, cat, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, day(2027, 10, 5), r.Due)
	_, err = NextReview(nil, cat, time.Time{})
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestTrendBarthel20ReliableChangeEdge(t *testing.T) {
	mk := func(id string, d time.Time, stairs, mobility int) *Assessment {
		a := &Assessment{ID: id, PersonID: "p1", Date: d}
		add(t, a, Barthel20(), []Response{{"feeding", 2}, {"bathing", 1}, {"grooming", 1}, {"dressing", 2}, {"bowels", 2},
			{"bladder", 2}, {"toilet", 2}, {"transfers", 3}, {"mobility", mobility}, {"stairs", stairs}})
		return a
	}
	// 19 → 17: a change of 2 is not "more than 2" (Collin/Wade).
	trends, err := Trends([]*Assessment{mk("a", day(2026, 1, 1), 1, 3), mk("b", day(2026, 6, 1), 1, 1)}, DefaultCatalogue())
	require.NoError(t, err)
	for _, al := range trends[0].Alerts {
		assert.NotEqual(t, AlertReliableChange, al.Kind)
	}
	// 19 → 16: more than 2 → alert, and the review is due at once.
	h := []*Assessment{mk("a", day(2026, 1, 1), 1, 3), mk("b", day(2026, 6, 1), 0, 1)}
	trends, err = Trends(h, DefaultCatalogue())
	require.NoError(t, err)
	require.NotEmpty(t, trends[0].Alerts)
	assert.Equal(t, AlertReliableChange, trends[0].Alerts[0].Kind)
	assert.Equal(t, -3.0, trends[0].Alerts[0].Change)
	assert.Equal(t, 2.0, trends[0].Alerts[0].Threshold)
	r, err := NextReview(h, DefaultCatalogue(), time.Time{})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 6, 1), r.Due)
}

func TestTrendSWEMWBSUsesMetricScores(t *testing.T) {
	mk := func(id string, d time.Time, raw int) *Assessment {
		a := &Assessment{ID: id, PersonID: "p1", Date: d}
		add(t, a, SWEMWBS(), responsesForTotal(t, SWEMWBS(), raw))
		return a
	}
	// Raw 28 → 25.03, raw 21 → 19.25: statistics on the metric, never the raw sum.
	trends, err := Trends([]*Assessment{mk("s1", day(2026, 1, 1), 28), mk("s2", day(2027, 1, 1), 21)}, DefaultCatalogue())
	require.NoError(t, err)
	tr := trends[0]
	assert.Equal(t, []float64{25.03, 19.25}, []float64{tr.Points[0].Score, tr.Points[1].Score})
	assert.InDelta(t, 19.25-25.03, tr.Change, 1e-9)
	assert.InDelta(t, (19.25-25.03)/(365.0/365.25), tr.SlopePerYear, 1e-9)
	require.NotEmpty(t, tr.Alerts)
	assert.Equal(t, AlertBandWorse, tr.Alerts[0].Kind, "average → possible depression")
	assert.Equal(t, "possible-depression", tr.Alerts[0].To.Band)
	assert.True(t, tr.Deteriorating())
}
