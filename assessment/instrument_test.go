package assessment

import (
	"errors"
	"strconv"
	"testing"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answers builds responses from item IDs and values given in pairs.
func answers(kv ...any) []Response {
	var out []Response
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Response{Item: kv[i].(string), Value: kv[i+1].(int)})
	}
	return out
}

// uniform answers every item of in with value v.
func uniform(in *Instrument, v int) []Response {
	var out []Response
	for _, it := range in.Items {
		out = append(out, Response{Item: it.ID, Value: v})
	}
	return out
}

// responsesForTotal answers the items of an instrument whose options are
// non-reversed, unweighted items so that the total is exactly target,
// filling items in order.
func responsesForTotal(t *testing.T, in *Instrument, target int) []Response {
	t.Helper()
	lo, _ := in.RawRange()
	rem := target - int(lo)
	var out []Response
	for _, it := range in.Items {
		if it.Unscored {
			continue
		}
		low := it.Options[0]
		for _, o := range it.Options {
			if o.Score < low.Score {
				low = o
			}
		}
		best := low
		for _, o := range it.Options {
			if int(o.Score-low.Score) <= rem && o.Score > best.Score {
				best = o
			}
		}
		rem -= int(best.Score - low.Score)
		out = append(out, Response{Item: it.ID, Value: best.Value})
	}
	require.Zero(t, rem, "cannot reach total %d on %s", target, in.ID)
	return out
}

func TestBuiltinsValidate(t *testing.T) {
	ids := map[string]bool{}
	for _, in := range Builtins() {
		require.NoError(t, in.Validate(), in.ID)
		assert.False(t, ids[in.ID], "duplicate %s", in.ID)
		ids[in.ID] = true
		assert.NotEmpty(t, in.Source, in.ID)
		assert.NotEmpty(t, in.Licence, in.ID)
	}
	assert.Len(t, DefaultCatalogue().IDs(), 15)
}

func TestRanges(t *testing.T) {
	cases := []struct {
		in     *Instrument
		lo, hi float64
	}{
		{Barthel100(), 0, 100}, {Barthel20(), 0, 20}, {Katz(), 0, 6}, {Lawton(), 0, 8},
		{WEMWBS(), 14, 70}, {SWEMWBS(), 7, 35}, {PHQ9(), 0, 27}, {PHQ2(), 0, 6}, {GAD7(), 0, 21},
		{GAD2(), 0, 6}, {UCLA3(), 3, 9}, {ONSLoneliness(), 1, 5}, {Braden(), 6, 23}, {MUST(), 0, 6},
	}
	for _, c := range cases {
		lo, hi := c.in.RawRange()
		assert.Equal(t, c.lo, lo, c.in.ID)
		assert.Equal(t, c.hi, hi, c.in.ID)
	}
	lo, hi := SWEMWBS().ScoreRange()
	assert.Equal(t, 7.0, lo)
	assert.Equal(t, 35.0, hi)
}

// bandEdges checks the band at every integer total from lo to hi against
// the expected [min, max] → code table.
type edge struct {
	min, max int
	code     string
}

func checkBands(t *testing.T, in *Instrument, edges []edge) {
	t.Helper()
	for _, e := range edges {
		for _, total := range []int{e.min, e.max} {
			res, err := in.Score(responsesForTotal(t, in, total))
			require.NoError(t, err, "%s total %d", in.ID, total)
			assert.Equal(t, float64(total), res.Score, "%s total", in.ID)
			assert.Equal(t, e.code, res.Band.Code, "%s total %d", in.ID, total)
			assert.Equal(t, in.Bands.ID, res.BandTable)
		}
	}
}

func TestBandEdges(t *testing.T) {
	checkBands(t, Barthel100(), []edge{{0, 20, "total"}, {25, 60, "severe"}, {65, 90, "moderate"}, {95, 95, "slight"}, {100, 100, "independent"}})
	checkBands(t, Barthel20(), []edge{{0, 4, "very-severe"}, {5, 9, "severe"}, {10, 14, "moderate"}, {15, 19, "mild"}, {20, 20, "independent"}})
	checkBands(t, Katz(), []edge{{0, 3, "severe"}, {4, 5, "moderate"}, {6, 6, "full"}})
	checkBands(t, WEMWBS(), []edge{{14, 42, "probable-depression"}, {43, 44, "possible-depression"}, {45, 59, "average"}, {60, 70, "high"}})
	checkBands(t, PHQ9(), []edge{{0, 4, "minimal"}, {5, 9, "mild"}, {10, 14, "moderate"}, {15, 19, "moderately-severe"}, {20, 27, "severe"}})
	checkBands(t, GAD7(), []edge{{0, 4, "minimal"}, {5, 9, "mild"}, {10, 14, "moderate"}, {15, 21, "severe"}})
	checkBands(t, PHQ2(), []edge{{0, 2, "negative"}, {3, 6, "positive"}})
	checkBands(t, GAD2(), []edge{{0, 2, "negative"}, {3, 6, "positive"}})
	checkBands(t, UCLA3(), []edge{{3, 5, "not-lonely"}, {6, 9, "lonely"}})
	checkBands(t, Braden(), []edge{{6, 9, "very-high"}, {10, 12, "high"}, {13, 14, "moderate"}, {15, 18, "mild"}, {19, 23, "not-at-risk"}})
	checkBands(t, MUST(), []edge{{0, 0, "low"}, {1, 1, "medium"}, {2, 6, "high"}})
}

func TestBarthelBandEdgesExactTotals(t *testing.T) {
	// Shah bands at 20/21 and 90/91 cannot be reached in steps of 5 on the
	// 0–100 form, so check the table directly at every edge.
	bt := Barthel100().Bands
	for score, want := range map[float64]string{0: "total", 20: "total", 21: "severe", 60: "severe", 61: "moderate", 90: "moderate", 91: "slight", 99: "slight", 100: "independent"} {
		b, ok := bt.Lookup(score)
		require.True(t, ok)
		assert.Equal(t, want, b.Code, "score %g", score)
	}
}

func TestBarthelWorkedExample(t *testing.T) {
	// Post-hip-fracture: feeds self (10), needs bathing (0), grooming help (0),
	// dressing half (5), continent (10,10), toilet some help (5), transfers
	// major help (5), walks with one person (10), stairs unable (0) → 55.
	resp := answers("feeding", 10, "bathing", 0, "grooming", 0, "dressing", 5, "bowels", 10,
		"bladder", 10, "toilet", 5, "transfers", 5, "mobility", 10, "stairs", 0)
	r100, err := Barthel100().Score(resp)
	require.NoError(t, err)
	assert.Equal(t, 55.0, r100.Score)
	assert.Equal(t, "severe", r100.Band.Code)

	// Same levels on the 0–20 form: each value divided by 5 → 11, "moderate".
	var r20resp []Response
	for _, r := range resp {
		r20resp = append(r20resp, Response{Item: r.Item, Value: r.Value / 5})
	}
	r20, err := Barthel20().Score(r20resp)
	require.NoError(t, err)
	assert.Equal(t, 11.0, r20.Score)
	assert.Equal(t, r100.Score/5, r20.Score)
	assert.Equal(t, "moderate", r20.Band.Code)

	_, err = Barthel100().Score(append(resp[:9:9], Response{Item: "stairs", Value: 3}))
	assert.ErrorIs(t, err, ErrOutOfRange, "0-20 value on the 0-100 form")
}

func TestKatzWorkedExample(t *testing.T) {
	// Loses bathing and dressing (the usual order), independent otherwise: 4 → moderate.
	r, err := Katz().Score(answers("bathing", 0, "dressing", 0, "toileting", 1, "transferring", 1, "continence", 1, "feeding", 1))
	require.NoError(t, err)
	assert.Equal(t, 4.0, r.Score)
	assert.Equal(t, "moderate", r.Band.Code)
}

func TestLawtonWorkedExample(t *testing.T) {
	// Phones (level 2 → 1), small purchases only (2 → 0), heats ready meals (3 → 0),
	// light tasks (3 → 1), small items (2 → 1), taxis only (2 → 1),
	// medicines prepared in advance (2 → 0), day-to-day money (2 → 1) → 5.
	r, err := Lawton().Score(answers("telephone", 2, "shopping", 2, "food", 3, "housekeeping", 3,
		"laundry", 2, "transport", 2, "medicines", 2, "finances", 2))
	require.NoError(t, err)
	assert.Equal(t, 5.0, r.Score)
	assert.Empty(t, r.Band.Code, "Lawton has no official bands")
	_, err = Lawton().Score(answers("telephone", 5, "shopping", 1, "food", 1, "housekeeping", 1,
		"laundry", 1, "transport", 1, "medicines", 1, "finances", 1))
	assert.ErrorIs(t, err, ErrOutOfRange, "telephone has four levels")
	for _, it := range Lawton().Items {
		assert.Empty(t, it.Text, "Lawton wording is the organisation's to supply")
		for _, o := range it.Options {
			assert.Empty(t, o.Label)
		}
	}
}

func TestSWEMWBSConversionAllRows(t *testing.T) {
	want := []struct {
		raw    int
		metric float64
	}{
		{7, 7.00}, {8, 9.51}, {9, 11.25}, {10, 12.40}, {11, 13.33}, {12, 14.08}, {13, 14.75}, {14, 15.32}, {15, 15.84}, {16, 16.36},
		{17, 16.88}, {18, 17.43}, {19, 17.98}, {20, 18.59}, {21, 19.25}, {22, 19.98}, {23, 20.73}, {24, 21.54}, {25, 22.35}, {26, 23.21},
		{27, 24.11}, {28, 25.03}, {29, 26.02}, {30, 27.03}, {31, 28.13}, {32, 29.31}, {33, 30.70}, {34, 32.55}, {35, 35.00},
	}
	require.Len(t, want, 29)
	in := SWEMWBS()
	for _, w := range want {
		t.Run(strconv.Itoa(w.raw), func(t *testing.T) {
			r, err := in.Score(responsesForTotal(t, in, w.raw))
			require.NoError(t, err)
			assert.Equal(t, float64(w.raw), r.Raw)
			assert.Equal(t, w.metric, r.Score)
		})
	}
}

func TestSWEMWBSBandsOnMetric(t *testing.T) {
	in := SWEMWBS()
	for raw, code := range map[int]string{7: "probable-depression", 19: "probable-depression", 20: "possible-depression",
		23: "possible-depression", 24: "average", 30: "average", 31: "high", 35: "high"} {
		r, err := in.Score(responsesForTotal(t, in, raw))
		require.NoError(t, err)
		assert.Equal(t, code, r.Band.Code, "raw %d metric %g", raw, r.Score)
		assert.Equal(t, code == "probable-depression", r.HasFlag(FlagLowWellbeing), "raw %d", raw)
	}
	// Any missing item: no score (no pro-rating).
	_, err := in.Score(uniform(in, 3)[1:])
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "1", re.Item)
	assert.ErrorIs(t, err, ErrMissing)
	// Item IDs are the WEMWBS numbers.
	_, err = in.Score(append(uniform(in, 3)[:6], Response{Item: "4", Value: 3}))
	assert.ErrorIs(t, err, ErrUnknownItem)
}

func TestPHQ9Item9FlagIndependentOfTotal(t *testing.T) {
	in := PHQ9()
	resp := uniform(in, 0)
	resp[8].Value = 1 // item 9 "several days", total 1 (minimal)
	r, err := in.Score(resp)
	require.NoError(t, err)
	assert.Equal(t, 1.0, r.Score)
	assert.Equal(t, "minimal", r.Band.Code)
	require.True(t, r.HasFlag(FlagSelfHarm))
	f := r.Flags[0]
	assert.Equal(t, EscalateSameDay, f.Escalation)
	assert.Equal(t, SeverityUrgent, f.Severity)
	assert.Equal(t, "RISK-PHQ9", f.Rule)
	assert.Equal(t, "9", f.Evidence[0].Item)
	assert.False(t, r.HasFlag(FlagDepression))

	// Total 26 with item 9 at 0: depression flag, no self-harm flag.
	resp = uniform(in, 3)
	resp[8].Value = 0
	r, err = in.Score(resp)
	require.NoError(t, err)
	assert.Equal(t, 24.0, r.Score)
	assert.Equal(t, "severe", r.Band.Code)
	assert.False(t, r.HasFlag(FlagSelfHarm))
	assert.True(t, r.HasFlag(FlagDepression))

	// Threshold edge: 9 → no depression flag, 10 → flag.
	r9, err := in.Score(responsesForTotal(t, in, 9))
	require.NoError(t, err)
	assert.False(t, r9.HasFlag(FlagDepression))
	r10, err := in.Score(responsesForTotal(t, in, 10))
	require.NoError(t, err)
	assert.True(t, r10.HasFlag(FlagDepression))
	assert.Equal(t, "Thoughts that you would be better off dead or of hurting yourself in some way", in.Items[8].Text)
}

func TestShortFormsFlagFullTool(t *testing.T) {
	for _, in := range []*Instrument{PHQ2(), GAD2()} {
		r, err := in.Score(answers("1", 1, "2", 1))
		require.NoError(t, err)
		assert.False(t, r.HasFlag(FlagAdministerFull), in.ID)
		r, err = in.Score(answers("1", 2, "2", 1))
		require.NoError(t, err)
		assert.True(t, r.HasFlag(FlagAdministerFull), in.ID)
	}
}

func TestGAD7Flag(t *testing.T) {
	in := GAD7()
	r, err := in.Score(answers("1", 2, "2", 2, "3", 2, "4", 1, "5", 1, "6", 1, "7", 1))
	require.NoError(t, err)
	assert.Equal(t, 10.0, r.Score)
	assert.Equal(t, "moderate", r.Band.Code)
	assert.True(t, r.HasFlag(FlagAnxiety))
}

func TestLonelinessInstruments(t *testing.T) {
	r, err := UCLA3().Score(answers("1", 2, "2", 2, "3", 2))
	require.NoError(t, err)
	assert.Equal(t, 6.0, r.Score)
	assert.True(t, r.HasFlag(FlagLoneliness))
	r, err = UCLA3().Score(answers("1", 2, "2", 2, "3", 1))
	require.NoError(t, err)
	assert.False(t, r.HasFlag(FlagLoneliness))

	ons := ONSLoneliness()
	for code, want := range map[int]struct {
		score float64
		band  string
	}{1: {5, "chronic"}, 2: {4, "sometimes"}, 3: {3, "sometimes"}, 4: {2, "rarely"}, 5: {1, "rarely"}} {
		r, err := ons.Score(answers("1", code))
		require.NoError(t, err)
		assert.Equal(t, want.score, r.Score, "ONS code %d is reversed", code)
		assert.Equal(t, want.band, r.Band.Code)
		assert.Equal(t, code == 1, r.HasFlag(FlagLoneliness))
	}
}

func TestWaterlowWorkedExample(t *testing.T) {
	// 82-year-old woman, BMI 19 (3), dry skin (1), weight loss 5-10 kg (2) and
	// eating poorly (1), urinary incontinence (1), restricted mobility (3),
	// after orthopaedic surgery (5): 3+1+2+5+2+1+1+3+5 = 23 → very high.
	in := Waterlow()
	r, err := in.Score(answers("build", 3, "skin-dry", 1, "sex", 2, "age", 5, "weight-loss", 2,
		"eating-poorly", 1, "continence", 1, "mobility", 3, "surgery-orthopaedic", 5))
	require.NoError(t, err)
	assert.Equal(t, 23.0, r.Score)
	assert.Equal(t, "very-high", r.Band.Code)
	assert.Equal(t, 3.0, r.Subscales["nutrition"])
	assert.True(t, r.HasFlag(FlagMalnutrition), "nutrition screen >2")
	require.True(t, r.HasFlag(FlagPressureUlcer))
	for _, f := range r.Flags {
		if f.Code == FlagPressureUlcer {
			assert.Equal(t, 4, f.RepositionHours)
		}
	}
	// "unsure" weight loss scores 2.
	r, err = in.Score(answers("build", 0, "sex", 1, "age", 1, "weight-loss", 5, "eating-poorly", 0, "continence", 0, "mobility", 0))
	require.NoError(t, err)
	assert.Equal(t, 4.0, r.Score, "male 1 + age 1 + unsure weight loss 2")
	assert.Equal(t, 2.0, r.Subscales["nutrition"])
	assert.Equal(t, "not-at-risk", r.Band.Code)
	assert.False(t, r.HasFlag(FlagPressureUlcer))
	assert.Contains(t, r.Missing, "cachexia")
	// Required sections missing are refused.
	_, err = in.Score(answers("build", 0))
	assert.ErrorIs(t, err, ErrMissing)
}

func TestWaterlowBandEdgesAndRepositioning(t *testing.T) {
	in := Waterlow()
	base := answers("build", 0, "sex", 1, "age", 1, "weight-loss", 0, "eating-poorly", 0, "continence", 0, "mobility", 0) // 2
	cases := []struct {
		extra []Response
		score float64
		band  string
		hours int
	}{
		{answers("pvd", 5, "anaemia", 2), 9, "not-at-risk", 0},
		{answers("pvd", 5, "anaemia", 2, "smoking", 1), 10, "at-risk", 6},
		{answers("pvd", 5, "organ-failure-single", 5, "anaemia", 2), 14, "at-risk", 6},
		{answers("pvd", 5, "organ-failure-single", 5, "anaemia", 2, "smoking", 1), 15, "high", 4},
		{answers("cachexia", 8, "organ-failure-single", 5, "anaemia", 2, "smoking", 1, "skin-dry", 1), 19, "high", 4},
		{answers("cachexia", 8, "organ-failure-single", 5, "pvd", 5), 20, "very-high", 4},
	}
	for _, c := range cases {
		r, err := in.Score(append(append([]Response{}, base...), c.extra...))
		require.NoError(t, err)
		assert.Equal(t, c.score, r.Score)
		assert.Equal(t, c.band, r.Band.Code)
		hours := 0
		for _, f := range r.Flags {
			hours = f.RepositionHours
		}
		assert.Equal(t, c.hours, hours, "score %g", c.score)
	}
}

func TestBradenRepositioning(t *testing.T) {
	in := Braden()
	for total, hours := range map[int]int{6: 4, 9: 4, 10: 4, 12: 4, 13: 6, 14: 6, 15: 6, 18: 6, 19: 0, 23: 0} {
		r, err := in.Score(responsesForTotal(t, in, total))
		require.NoError(t, err)
		got := 0
		for _, f := range r.Flags {
			if f.Code == FlagPressureUlcer {
				got = f.RepositionHours
			}
		}
		assert.Equal(t, hours, got, "Braden %d", total)
	}
	for _, it := range in.Items {
		assert.Empty(t, it.Text, "Braden wording is licensed")
	}
	withText, err := in.WithText(map[string]string{"sensory": "licensed wording"})
	require.NoError(t, err)
	assert.Equal(t, "licensed wording", withText.Items[0].Text)
	assert.Empty(t, in.Items[0].Text, "original unchanged")
	_, err = in.WithText(map[string]string{"nope": "x"})
	assert.ErrorIs(t, err, ErrUnknownItem)
}

func TestMUST(t *testing.T) {
	for bmi, want := range map[float64]int{25: 0, 20.01: 0, 20: 1, 18.5: 1, 18.49: 2, 15: 2} {
		got, err := MUSTBMIScore(bmi)
		require.NoError(t, err)
		assert.Equal(t, want, got, "BMI %g", bmi)
	}
	for cur, want := range map[float64]int{100: 0, 95.01: 0, 95: 1, 90: 1, 89.99: 2, 105: 0} {
		got, err := MUSTWeightLossScore(100, cur)
		require.NoError(t, err)
		assert.Equal(t, want, got, "100 → %g kg", cur)
	}
	_, err := MUSTBMIScore(0)
	assert.ErrorIs(t, err, care.ErrInvalid)
	_, err = MUSTWeightLossScore(-1, 50)
	assert.ErrorIs(t, err, care.ErrInvalid)
	bmi, err := BMI(50, 1.6)
	require.NoError(t, err)
	assert.InDelta(t, 19.53, bmi, 0.01)

	in := MUST()
	// Step 3 omitted outside hospital: scored as 0, listed as missing.
	r, err := in.Score(answers("bmi", 1, "weight-loss", 0))
	require.NoError(t, err)
	assert.Equal(t, "medium", r.Band.Code)
	assert.Equal(t, []string{"acute"}, r.Missing)
	require.True(t, r.HasFlag(FlagMalnutrition))
	assert.Equal(t, SeverityWarning, r.Flags[0].Severity)
	r, err = in.Score(answers("bmi", 1, "weight-loss", 1))
	require.NoError(t, err)
	assert.Equal(t, "high", r.Band.Code)
	assert.Equal(t, SeverityHigh, r.Flags[0].Severity)
	r, err = in.Score(answers("bmi", 0, "weight-loss", 0, "acute", 2))
	require.NoError(t, err)
	assert.Equal(t, "high", r.Band.Code)
	_, err = in.Score(answers("bmi", 0, "weight-loss", 0, "acute", 1))
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestBadResponsesEveryInstrument(t *testing.T) {
	for _, in := range Builtins() {
		t.Run(in.ID, func(t *testing.T) {
			good := responsesForTotal(t, in, int(func() float64 { lo, _ := in.RawRange(); return lo }()))
			_, err := in.Score(good)
			require.NoError(t, err)

			// unknown item
			_, err = in.Score(append(append([]Response{}, good...), Response{Item: "zz", Value: 0}))
			assert.ErrorIs(t, err, ErrUnknownItem)
			assert.ErrorIs(t, err, care.ErrInvalid)
			// duplicate
			_, err = in.Score(append(append([]Response{}, good...), good[0]))
			assert.ErrorIs(t, err, ErrDuplicate)
			// out of range
			bad := append([]Response{}, good...)
			bad[0].Value = 99
			_, err = in.Score(bad)
			assert.ErrorIs(t, err, ErrOutOfRange)
			assert.NotErrorIs(t, err, ErrMissing, "an out-of-range answer is not also reported missing")
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, in.ID, re.Instrument)
			assert.Equal(t, good[0].Item, re.Item)
			assert.Equal(t, 99, re.Value)
			assert.Contains(t, err.Error(), strconv.Quote(good[0].Item))
			// missing: drop the first required item
			var drop int = -1
			for i, it := range in.Items {
				if !it.Omittable {
					drop = i
					break
				}
			}
			var missing []Response
			for _, r := range good {
				if r.Item != in.Items[drop].ID {
					missing = append(missing, r)
				}
			}
			_, err = in.Score(missing)
			assert.ErrorIs(t, err, ErrMissing)
			// all errors reported together
			_, err = in.Score(append(append([]Response{}, bad...), Response{Item: "zz"}))
			assert.ErrorIs(t, err, ErrOutOfRange)
			assert.ErrorIs(t, err, ErrUnknownItem)
		})
	}
}

func TestProrateAndWeightsAndReversal(t *testing.T) {
	in := &Instrument{
		ID: "custom", Direction: HigherWorse,
		Items: []Item{
			{ID: "a", Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
			{ID: "b", Weight: 2, Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
			{ID: "c", Reversed: true, Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
			{ID: "d", Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
		},
		Subscales: []Subscale{{ID: "ab", Items: []string{"a", "b"}}},
		Missing:   MissingRule{Policy: Prorate, MaxMissing: 1},
	}
	require.NoError(t, in.Validate())
	r, err := in.Score(answers("a", 1, "b", 2, "c", 0, "d", 1))
	require.NoError(t, err)
	assert.Equal(t, 1.0+4+2+1, r.Score, "weight 2 on b, c reversed")
	assert.Equal(t, 5.0, r.Subscales["ab"])
	// d missing: 7 × 4/3 = 9.33 → 9
	r, err = in.Score(answers("a", 1, "b", 2, "c", 0))
	require.NoError(t, err)
	assert.True(t, r.Prorated)
	assert.Equal(t, 9.0, r.Score)
	assert.Equal(t, []string{"d"}, r.Missing)
	_, err = in.Score(answers("a", 1, "b", 2))
	assert.ErrorIs(t, err, ErrMissing, "more than MaxMissing")
}

func TestWithBandsOverride(t *testing.T) {
	in := Katz()
	alt, err := in.WithBands(BandTable{ID: "hartford", Bands: []Band{{0, "severe", "severe"}, {3, "unbanded", "unbanded"}, {4, "moderate", "moderate"}, {5, "unbanded5", "unbanded"}, {6, "full", "full"}}})
	require.NoError(t, err)
	r, err := alt.Score(responsesForTotal(t, alt, 3))
	require.NoError(t, err)
	assert.Equal(t, "unbanded", r.Band.Code)
	assert.Equal(t, "hartford", r.BandTable)
	r, err = in.Score(responsesForTotal(t, in, 3))
	require.NoError(t, err)
	assert.Equal(t, "severe", r.Band.Code, "original keeps its table")

	_, err = in.WithBands(BandTable{ID: "bad", Bands: []Band{{1, "a", "a"}}})
	assert.ErrorIs(t, err, care.ErrInvalid, "first band above the lowest score")
	_, err = in.WithBands(BandTable{ID: "bad", Bands: []Band{{0, "a", "a"}, {0, "b", "b"}}})
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestValidateRejectsBadDefinitions(t *testing.T) {
	mk := func(f func(*Instrument)) error { in := PHQ9(); f(in); return in.Validate() }
	for name, f := range map[string]func(*Instrument){
		"no id":         func(in *Instrument) { in.ID = "" },
		"dup item":      func(in *Instrument) { in.Items[1].ID = "1" },
		"dup option":    func(in *Instrument) { in.Items[0].Options[1].Value = 0 },
		"bad flag item": func(in *Instrument) { in.FlagRules[0].Item = "99" },
		"bad direction": func(in *Instrument) { in.Direction = "up" },
		"bad conv":      func(in *Instrument) { in.Conversion = &Conversion{ID: "x", Table: map[int]float64{0: 1}} },
		"bad policy":    func(in *Instrument) { in.Missing.Policy = "guess" },
	} {
		err := mk(f)
		assert.ErrorIs(t, err, care.ErrInvalid, name)
		var fe *care.FieldError
		assert.True(t, errors.As(err, &fe), name)
	}
	_, err := DefaultCatalogue().Lookup("nope")
	assert.ErrorIs(t, err, ErrUnknownInstrument)
}
