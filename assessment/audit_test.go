package assessment

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flagCodes lists the codes of a result's flags, in order.
func flagCodes(r Result) []FlagCode {
	var out []FlagCode
	for _, f := range r.Flags {
		out = append(out, f.Code)
	}
	return out
}

// TestWorkedExampleEveryInstrument scores one realistic administration of
// every built-in instrument, with the total worked out by hand from the
// item tables of REFERENCE §1, and checks raw total, score, band and flags.
func TestWorkedExampleEveryInstrument(t *testing.T) {
	cases := []struct {
		name  string
		in    *Instrument
		resp  []Response
		raw   float64
		score float64
		band  string
		flags []FlagCode
	}{
		// 10+0+0+5+10+10+5+5+10+0 = 55 → Shah 21–60 severe.
		{"barthel-100 after hip fracture", Barthel100(), answers("feeding", 10, "bathing", 0, "grooming", 0, "dressing", 5, "bowels", 10,
			"bladder", 10, "toilet", 5, "transfers", 5, "mobility", 10, "stairs", 0), 55, 55, "severe", nil},
		// Same levels on the 0–20 form: 2+0+0+1+2+2+1+1+2+0 = 11 → 10–14 moderate.
		{"barthel-20 after hip fracture", Barthel20(), answers("feeding", 2, "bathing", 0, "grooming", 0, "dressing", 1, "bowels", 2,
			"bladder", 2, "toilet", 1, "transfers", 1, "mobility", 2, "stairs", 0), 11, 11, "moderate", nil},
		// Dependent in bathing, dressing, toileting: 3 → 0–3 severe.
		{"katz", Katz(), answers("bathing", 0, "dressing", 0, "toileting", 0, "transferring", 1, "continence", 1, "feeding", 1), 3, 3, "severe", nil},
		// A1 B3 C2 D5 E3 F4 G1 H1 → 1+0+0+0+0+0+1+1 = 3, no bands.
		{"lawton", Lawton(), answers("telephone", 1, "shopping", 3, "food", 2, "housekeeping", 5, "laundry", 3, "transport", 4,
			"medicines", 1, "finances", 1), 3, 3, "", nil},
		// 14 items: 3×8 + 2×4 + 4×2 = 40 → 14–42 probable depression, low-wellbeing flag.
		{"wemwbs", WEMWBS(), answers("1", 3, "2", 3, "3", 2, "4", 3, "5", 2, "6", 3, "7", 4, "8", 2, "9", 3, "10", 2,
			"11", 4, "12", 3, "13", 3, "14", 3), 40, 40, "probable-depression", []FlagCode{FlagLowWellbeing}},
		// 4+4+3+4+3+4+4 = 26 → metric 23.21 → 21–27 average.
		{"swemwbs", SWEMWBS(), answers("1", 4, "2", 4, "3", 3, "6", 4, "7", 3, "9", 4, "11", 4), 26, 23.21, "average", nil},
		// 2+2+1+2+1+1+0+0+0 = 9 → 5–9 mild, item 9 = 0: no flag.
		{"phq9 mild", PHQ9(), answers("1", 2, "2", 2, "3", 1, "4", 2, "5", 1, "6", 1, "7", 0, "8", 0, "9", 0), 9, 9, "mild", nil},
		// 3+3+2+3+2+2+1+2+2 = 20 → severe; item 9 = 2 → self-harm, ≥10 → depression.
		{"phq9 severe with item 9", PHQ9(), answers("1", 3, "2", 3, "3", 2, "4", 3, "5", 2, "6", 2, "7", 1, "8", 2, "9", 2), 20, 20, "severe",
			[]FlagCode{FlagSelfHarm, FlagDepression}},
		// 1+2 = 3 → positive screen.
		{"phq2", PHQ2(), answers("1", 1, "2", 2), 3, 3, "positive", []FlagCode{FlagAdministerFull}},
		// 2+2+3+2+1+2+3 = 15 → 15–21 severe, ≥10 anxiety.
		{"gad7", GAD7(), answers("1", 2, "2", 2, "3", 3, "4", 2, "5", 1, "6", 2, "7", 3), 15, 15, "severe", []FlagCode{FlagAnxiety}},
		// 1+1 = 2 → negative screen.
		{"gad2", GAD2(), answers("1", 1, "2", 1), 2, 2, "negative", nil},
		// often, some of the time, often: 3+2+3 = 8 → lonely.
		{"ucla3", UCLA3(), answers("1", 3, "2", 2, "3", 3), 8, 8, "lonely", []FlagCode{FlagLoneliness}},
		// "some of the time" (code 2) reversed → 4 → sometimes, no chronic flag.
		{"ons", ONSLoneliness(), answers("1", 2), 4, 4, "sometimes", nil},
		// BMI 26 (1), female (2), 70 (3), no weight loss (0), eating well (0),
		// urinary incontinence (1), restricted (3), diabetes (4) = 14 → at risk, 6 h.
		{"waterlow", Waterlow(), answers("build", 1, "sex", 2, "age", 3, "weight-loss", 0, "eating-poorly", 0,
			"continence", 1, "mobility", 3, "neuro", 4), 14, 14, "at-risk", []FlagCode{FlagPressureUlcer}},
		// 3+2+2+2+3+2 = 14 → 13–14 moderate, 6-hourly repositioning.
		{"braden", Braden(), answers("sensory", 3, "moisture", 2, "activity", 2, "mobility", 2, "nutrition", 3, "friction", 2), 14, 14, "moderate",
			[]FlagCode{FlagPressureUlcer}},
		// BMI 19 (1) + 6% loss (1), step 3 omitted = 2 → high.
		{"must", MUST(), answers("bmi", 1, "weight-loss", 1), 2, 2, "high", []FlagCode{FlagMalnutrition}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.in.Score(c.resp)
			require.NoError(t, err)
			assert.Equal(t, c.raw, r.Raw, "raw total")
			assert.Equal(t, c.score, r.Score, "score")
			assert.Equal(t, c.band, r.Band.Code, "band")
			assert.Equal(t, c.flags, flagCodes(r), "flags")
			for _, f := range r.Flags {
				require.NotEmpty(t, f.Evidence, "flag %s names its evidence", f.Code)
				assert.Equal(t, c.in.ID, f.Evidence[0].Instrument)
			}
		})
		covered[c.in.ID] = true
	}
	for _, in := range Builtins() {
		assert.True(t, covered[in.ID], "worked example for %s", in.ID)
	}
}

// TestFlagThresholdEdges checks every total- and subscale-threshold flag
// on both sides of its edge.
func TestFlagThresholdEdges(t *testing.T) {
	for _, c := range []struct {
		in          *Instrument
		below, edge int
		code        FlagCode
	}{
		{PHQ9(), 9, 10, FlagDepression},
		{GAD7(), 9, 10, FlagAnxiety},
		{PHQ2(), 2, 3, FlagAdministerFull},
		{GAD2(), 2, 3, FlagAdministerFull},
		{UCLA3(), 5, 6, FlagLoneliness},
		{MUST(), 0, 1, FlagMalnutrition},
		{Braden(), 19, 18, FlagPressureUlcer}, // lower is worse
	} {
		lo, err := c.in.Score(responsesForTotal(t, c.in, c.below))
		require.NoError(t, err)
		hi, err := c.in.Score(responsesForTotal(t, c.in, c.edge))
		require.NoError(t, err)
		assert.False(t, lo.HasFlag(c.code), "%s %d", c.in.ID, c.below)
		assert.True(t, hi.HasFlag(c.code), "%s %d", c.in.ID, c.edge)
	}
	// Waterlow nutrition screen: 2 → no referral flag, 3 (">2") → flag.
	base := answers("build", 0, "sex", 1, "age", 1, "continence", 0, "mobility", 0)
	r, err := Waterlow().Score(append(answers("weight-loss", 2, "eating-poorly", 0), base...))
	require.NoError(t, err)
	assert.False(t, r.HasFlag(FlagMalnutrition))
	r, err = Waterlow().Score(append(answers("weight-loss", 2, "eating-poorly", 1), base...))
	require.NoError(t, err)
	assert.True(t, r.HasFlag(FlagMalnutrition))
	// PHQ-9 item 9: every answer ≥1 flags the same day, 0 never does.
	for v := 0; v <= 3; v++ {
		resp := uniform(PHQ9(), 0)
		resp[8].Value = v
		r, err := PHQ9().Score(resp)
		require.NoError(t, err)
		assert.Equal(t, v >= 1, r.HasFlag(FlagSelfHarm), "item 9 = %d", v)
	}
}

// TestResponseErrorMessages checks that every kind of rejected answer names
// the instrument and item in its message, carries no item wording, and is
// matchable with errors.Is and errors.As.
func TestResponseErrorMessages(t *testing.T) {
	in := PHQ9()
	good := uniform(in, 1)
	cases := []struct {
		name string
		resp []Response
		want string
		err  error
	}{
		{"missing", good[:8], `instrument "phq9": item "9": missing answer`, ErrMissing},
		{"duplicate", append(slices.Clone(good), Response{Item: "3", Value: 2}), `instrument "phq9": item "3": duplicate answer: 2`, ErrDuplicate},
		{"out of range", append(slices.Clone(good[:8]), Response{Item: "9", Value: 4}), `instrument "phq9": item "9": answer out of range: 4`, ErrOutOfRange},
		{"negative", append(slices.Clone(good[:8]), Response{Item: "9", Value: -1}), `instrument "phq9": item "9": answer out of range: -1`, ErrOutOfRange},
		{"unknown item", append(slices.Clone(good), Response{Item: "11", Value: 0}), `instrument "phq9": item "11": unknown item: 0`, ErrUnknownItem},
		{"unscored item out of range", append(slices.Clone(good[:9]), Response{Item: "10", Value: 4}), `instrument "phq9": item "10": answer out of range: 4`, ErrOutOfRange},
		{"empty item ID", append(slices.Clone(good), Response{Item: "", Value: 0}), `instrument "phq9": item "": unknown item: 0`, ErrUnknownItem},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := in.Score(c.resp)
			require.Error(t, err)
			assert.Zero(t, r.Score, "no partial result on error")
			assert.Nil(t, r.Flags)
			assert.ErrorIs(t, err, c.err)
			assert.ErrorIs(t, err, care.ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
			for _, txt := range phq9Text {
				assert.NotContains(t, err.Error(), txt, "no question wording in errors")
			}
		})
	}
	// An answer out of range and then the same item again: both reported.
	resp := append(slices.Clone(good[:8]), Response{Item: "9", Value: 7}, Response{Item: "9", Value: 1})
	_, err := in.Score(resp)
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorIs(t, err, ErrDuplicate)
	// Nil instrument and empty responses do not panic.
	var nilIn *Instrument
	_, err = nilIn.Score(good)
	assert.ErrorIs(t, err, care.ErrInvalid)
	_, err = in.Score(nil)
	assert.ErrorIs(t, err, ErrMissing)
}

// TestMissingAnswerRules checks the missing-data rule of every built-in:
// refusal everywhere (SWEMWBS/WEMWBS by their guidance, the others because
// REFERENCE §1 gives no prorating rule), except the items the manuals let
// be left out (MUST step 3, Waterlow skin and special-risk sections).
func TestMissingAnswerRules(t *testing.T) {
	omittable := map[string][]string{
		IDMUST: {"acute"},
		IDWaterlow: {"skin-tissue-paper", "skin-dry", "skin-oedematous", "skin-clammy", "skin-discoloured", "skin-broken",
			"cachexia", "organ-failure-multiple", "organ-failure-single", "pvd", "anaemia", "smoking", "neuro",
			"surgery-orthopaedic", "theatre-time", "medication"},
	}
	for _, in := range Builtins() {
		assert.NotEqual(t, Prorate, in.Missing.Policy, in.ID)
		var got []string
		for _, it := range in.Items {
			if it.Omittable {
				got = append(got, it.ID)
			}
		}
		assert.Equal(t, omittable[in.ID], got, in.ID)
		// Every single required item, left out, is refused by name.
		good := responsesForTotal(t, in, int(func() float64 { lo, _ := in.RawRange(); return lo }()))
		for _, it := range in.Items {
			if it.Omittable || it.Unscored {
				continue
			}
			var rest []Response
			for _, r := range good {
				if r.Item != it.ID {
					rest = append(rest, r)
				}
			}
			_, err := in.Score(rest)
			var re *ResponseError
			require.ErrorAs(t, err, &re, "%s without %s", in.ID, it.ID)
			assert.Equal(t, it.ID, re.Item)
			assert.ErrorIs(t, err, ErrMissing)
		}
	}
}

// TestWithMissingProrates checks an organisation's prorating rule and that
// a flag-bearing item (PHQ-9 item 9) is never prorated away.
func TestWithMissingProrates(t *testing.T) {
	in, err := PHQ9().WithMissing(MissingRule{Policy: Prorate, MaxMissing: 2})
	require.NoError(t, err)
	assert.NotEqual(t, Prorate, PHQ9().Missing.Policy, "the built-in still refuses")

	// Items 1–7 and 9 answered 2 (item 8 missing): 16 × 9/8 = 18.
	r, err := in.Score(answers("1", 2, "2", 2, "3", 2, "4", 2, "5", 2, "6", 2, "7", 2, "9", 2))
	require.NoError(t, err)
	assert.True(t, r.Prorated)
	assert.Equal(t, 18.0, r.Score)
	assert.Equal(t, "moderately-severe", r.Band.Code)
	assert.Equal(t, []string{"8"}, r.Missing)
	assert.True(t, r.HasFlag(FlagSelfHarm), "item 9 = 2")

	// Item 9 missing is refused even though one missing item may be prorated.
	_, err = in.Score(answers("1", 2, "2", 2, "3", 2, "4", 2, "5", 2, "6", 2, "7", 2, "8", 2))
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "9", re.Item)
	assert.ErrorIs(t, err, ErrMissing)

	// Three missing is more than two: refused, each named.
	_, err = in.Score(answers("1", 2, "2", 2, "3", 2, "4", 2, "5", 2, "9", 0))
	assert.ErrorIs(t, err, ErrMissing)
	for _, id := range []string{"6", "7", "8"} {
		assert.ErrorContains(t, err, fmt.Sprintf("item %q: missing answer", id))
	}

	for _, bad := range []MissingRule{{Policy: Prorate}, {Policy: Prorate, MaxMissing: 9}, {Policy: Refuse, MaxMissing: 1}, {Policy: "guess"}} {
		_, err := PHQ9().WithMissing(bad)
		assert.ErrorIs(t, err, care.ErrInvalid, "%+v", bad)
	}
}

// TestEligibilityThreeConditions checks SI 2015/313 reg 2(1): eligible only
// when all three conditions hold, over all eight combinations, with each
// condition's evidence named.
func TestEligibilityThreeConditions(t *testing.T) {
	for mask := 0; mask < 8; mask++ {
		impairment, twoOutcomes, impact := mask&1 != 0, mask&2 != 0, mask&4 != 0
		t.Run(fmt.Sprintf("impairment=%v,two=%v,impact=%v", impairment, twoOutcomes, impact), func(t *testing.T) {
			a := newAssessment("elig")
			a.Observations.Impairment.Physical = impairment
			a.Observations.Outcomes = map[Outcome]OutcomeObservation{
				OutcomeHygiene: {Unable: []Meaning{UnableWithoutAssistance, UnableTakesLonger}}, // two meanings, one outcome
				OutcomeWork:    {NotApplicable: true},
			}
			if twoOutcomes {
				a.Observations.Outcomes[OutcomeCommunity] = OutcomeObservation{Unable: []Meaning{UnablePainDistress}}
			}
			a.Observations.SignificantImpact = &impact
			p := evaluate(t, a)
			e := p.Eligibility
			assert.Equal(t, impairment, e.Impairment.Met)
			assert.Equal(t, twoOutcomes, e.Outcomes.Met)
			assert.Equal(t, impact, e.Impact.Met)
			assert.Equal(t, impairment && twoOutcomes && impact, e.Eligible)
			if impairment {
				assert.True(t, hasEvidence(e.Impairment.Evidence, "", "impairment.physical"))
			}
			want := 1
			if twoOutcomes {
				want = 2
			}
			assert.Len(t, e.Outcomes.Evidence, want, "one piece of evidence per unable outcome")
			assert.True(t, hasEvidence(e.Outcomes.Evidence, "", string(OutcomeHygiene)))
			assert.True(t, hasEvidence(e.Impact.Evidence, "", "significantImpact"))
			assert.Equal(t, BasisObservation, e.Impact.Basis)
		})
	}
}

// TestEligibilityDerivedImpactIsAConsequence checks that, without the
// practitioner's judgement, the suggested impact counts only wellbeing
// areas affected by the outcomes the person cannot achieve, and that a
// recorded cognitive impairment satisfies condition 1.
func TestEligibilityDerivedImpactIsAConsequence(t *testing.T) {
	// Depressed (PHQ-9 16) but every outcome achieved: no impact derived
	// even though the health area is of concern.
	a := newAssessment("impact")
	add(t, a, PHQ9(), answers("1", 2, "2", 3, "3", 2, "4", 3, "5", 2, "6", 2, "7", 1, "8", 1, "9", 0))
	a.Observations.Impairment.Mental = true
	p := evaluate(t, a)
	h, _ := p.Area(AreaHealth)
	assert.True(t, h.Concern)
	assert.False(t, p.Eligibility.Impact.Met)
	assert.Empty(t, p.Eligibility.Impact.Evidence)
	assert.Equal(t, BasisDerived, p.Eligibility.Impact.Basis)

	// Add two unmet outcomes: impact is suggested from the areas they affect.
	a.Observations.Outcomes = map[Outcome]OutcomeObservation{
		OutcomeHygiene:       {Unable: []Meaning{UnableWithoutAssistance}},
		OutcomeHabitableHome: {Unable: []Meaning{UnableTakesLonger}},
	}
	p = evaluate(t, a)
	assert.True(t, p.Eligibility.Impact.Met)
	var areas []string
	for _, e := range p.Eligibility.Impact.Evidence {
		areas = append(areas, e.Item)
	}
	assert.ElementsMatch(t, []string{string(AreaDignity), string(AreaAccommodation)}, areas,
		"health is a concern from PHQ-9, not as a consequence of the outcomes")
	assert.True(t, p.Eligibility.Eligible)
	assert.True(t, p.Eligibility.NeedsConfirmation)

	// Cognitive impairment recorded without the impairment box ticked.
	b := newAssessment("cog")
	b.Observations.Cognition = CognitionMild
	p = evaluate(t, b)
	assert.True(t, p.Eligibility.Impairment.Met)
	assert.True(t, hasEvidence(p.Eligibility.Impairment.Evidence, "", "cognition"))
}

// TestWaterlowBuildScore checks the build/BMI section at its edges.
func TestWaterlowBuildScore(t *testing.T) {
	for bmi, want := range map[float64]int{15: 3, 19.99: 3, 20: 0, 24.9: 0, 24.95: 0, 25: 1, 29.9: 1, 29.99: 1, 30: 2, 42: 2} {
		got, err := WaterlowBuildScore(bmi)
		require.NoError(t, err)
		assert.Equal(t, want, got, "BMI %g", bmi)
	}
	_, err := WaterlowBuildScore(0)
	assert.ErrorIs(t, err, care.ErrInvalid)
}

// TestPHQ9DifficultyQuestionUnscored checks the PHQ-9's 10th question:
// recorded when given, never scored, never required (REFERENCE §1.5).
func TestPHQ9DifficultyQuestionUnscored(t *testing.T) {
	in := PHQ9()
	nine := answers("1", 1, "2", 2, "3", 1, "4", 1, "5", 0, "6", 1, "7", 0, "8", 0, "9", 0)
	without, err := in.Score(nine)
	require.NoError(t, err)
	with, err := in.Score(append(slices.Clone(nine), Response{Item: "10", Value: 3}))
	require.NoError(t, err)
	assert.Equal(t, 6.0, without.Score)
	assert.Equal(t, without.Score, with.Score, "the 10th question is not scored")
	assert.Equal(t, without.Band, with.Band)
	v, ok := with.Value("10")
	assert.True(t, ok)
	assert.Equal(t, 3, v)
	_, scored := with.Item("10")
	assert.False(t, scored)
	assert.Empty(t, without.Missing, "leaving it out is not a missing answer")
	lo, hi := in.RawRange()
	assert.Equal(t, [2]float64{0, 27}, [2]float64{lo, hi})

	// Exported without an ordinalValue, as an optional item, and imported back.
	q := ExportQuestionnaire(in)
	assert.Equal(t, "10", q.Item[9].LinkID)
	assert.False(t, q.Item[9].Required)
	assert.Empty(t, q.Item[9].AnswerOption[0].ValueCoding.Extension)
	assert.NotEmpty(t, q.Item[8].AnswerOption[0].ValueCoding.Extension)
	a := newAssessment("phq10")
	r, err := a.Add(in, append(slices.Clone(nine), Response{Item: "10", Value: 2}))
	require.NoError(t, err)
	qr, err := ExportQuestionnaireResponse(a, r, DefaultCatalogue())
	require.NoError(t, err)
	checkResponseAgainstQuestionnaire(t, asMap(t, q), asMap(t, qr))
	imp, err := ImportQuestionnaireResponse(qr, DefaultCatalogue())
	require.NoError(t, err)
	got, _ := imp.Result(IDPHQ9)
	assert.Equal(t, r.Responses, got.Responses)
	assert.Equal(t, 6.0, got.Score)

	// Prorating counts scored items only: 8 answered at 1 plus item 10 → 8 × 9/8 = 9.
	pr, err := in.WithMissing(MissingRule{Policy: Prorate, MaxMissing: 1})
	require.NoError(t, err)
	res, err := pr.Score(answers("1", 1, "2", 1, "3", 1, "4", 1, "5", 1, "6", 1, "7", 1, "9", 1, "10", 3))
	require.NoError(t, err)
	assert.Equal(t, 9.0, res.Score)
	_, err = in.WithMissing(MissingRule{Policy: Prorate, MaxMissing: 9})
	assert.ErrorIs(t, err, care.ErrInvalid, "nine scored items: at most eight missing")

	// An unscored item cannot feed a subscale or a flag.
	bad := PHQ9()
	bad.Subscales = []Subscale{{ID: "s", Items: []string{"10"}}}
	assert.ErrorIs(t, bad.Validate(), care.ErrInvalid)
	bad = PHQ9()
	bad.FlagRules[0].Item = "10"
	assert.ErrorIs(t, bad.Validate(), care.ErrInvalid)
	bad = &Instrument{ID: "x", Direction: HigherWorse, Items: []Item{{ID: "a", Unscored: true, Options: []Option{opt(0, "")}}}}
	assert.ErrorIs(t, bad.Validate(), care.ErrInvalid)
}

// TestCareActOutcomesMeaningsAreas checks the ten specified outcomes of SI
// 2015/313 reg 2(2)(a)–(j) in order with their wording, the four meanings
// of reg 2(3) and the nine wellbeing areas of s.1(2) (REFERENCE §1.10).
func TestCareActOutcomesMeaningsAreas(t *testing.T) {
	want := []struct {
		o    Outcome
		reg  string
		text string
	}{
		{OutcomeNutrition, "2(2)(a)", "managing and maintaining nutrition"},
		{OutcomeHygiene, "2(2)(b)", "maintaining personal hygiene"},
		{OutcomeToilet, "2(2)(c)", "managing toilet needs"},
		{OutcomeClothed, "2(2)(d)", "being appropriately clothed"},
		{OutcomeHomeSafety, "2(2)(e)", "being able to make use of the adult's home safely"},
		{OutcomeHabitableHome, "2(2)(f)", "maintaining a habitable home environment"},
		{OutcomeRelationships, "2(2)(g)", "developing and maintaining family or other personal relationships"},
		{OutcomeWork, "2(2)(h)", "accessing and engaging in work, training, education or volunteering"},
		{OutcomeCommunity, "2(2)(i)", "making use of necessary facilities or services in the local community including public transport, and recreational facilities or services"},
		{OutcomeChildCare, "2(2)(j)", "carrying out any caring responsibilities the adult has for a child"},
	}
	require.Len(t, Outcomes(), 10)
	for i, w := range want {
		assert.Equal(t, w.o, Outcomes()[i])
		assert.Equal(t, w.reg, w.o.Regulation())
		assert.Equal(t, w.text, w.o.Description())
	}
	assert.Empty(t, Outcome("x").Regulation())
	assert.Empty(t, Outcome("x").Description())
	assert.Equal(t, []Meaning{UnableWithoutAssistance, UnablePainDistress, UnableEndangers, UnableTakesLonger}, Meanings())
	assert.Len(t, WellbeingAreas(), 9)

	// Every picture lists all ten outcomes and nine areas, in order.
	p := evaluate(t, newAssessment("order"))
	for i, n := range p.Needs {
		assert.Equal(t, want[i].o, n.Outcome)
		assert.Equal(t, want[i].reg, n.Regulation)
	}
	for i, a := range p.Wellbeing {
		assert.Equal(t, WellbeingAreas()[i], a.Area)
	}
	assert.Zero(t, p.UnableCount())
}

// TestPictureValidateRejects checks each consistency rule of Picture.Validate.
func TestPictureValidateRejects(t *testing.T) {
	a := newAssessment("pv")
	add(t, a, Katz(), answers("bathing", 0, "dressing", 0, "toileting", 1, "transferring", 1, "continence", 1, "feeding", 1))
	a.Observations.Impairment.Physical = true
	good := evaluate(t, a)
	assert.Equal(t, 2, good.UnableCount())
	clone := func() *Picture {
		var c Picture
		raw, err := json.Marshal(good)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &c))
		return &c
	}
	for name, f := range map[string]func(p *Picture){
		"no person":           func(p *Picture) { p.PersonID = "" },
		"outcome order":       func(p *Picture) { p.Needs[0], p.Needs[1] = p.Needs[1], p.Needs[0] },
		"unable w/o meaning":  func(p *Picture) { p.Needs[1].Meanings = nil },
		"achieved w/ meaning": func(p *Picture) { p.Needs[0].Meanings = []Meaning{UnableEndangers} },
		"bad status":          func(p *Picture) { p.Needs[0].Status = "maybe" },
		"areas":               func(p *Picture) { p.Wellbeing = p.Wellbeing[:8] },
		"negative minutes":    func(p *Picture) { p.Support.Tasks[0].MinutesPerDay = -5 },
		"medicines level":     func(p *Picture) { p.Support.Medicines.Level = "inject" },
		"reposition hours":    func(p *Picture) { p.Support.Repositioning.IntervalHours = 30 },
		"referral evidence":   func(p *Picture) { p.Referrals = []Referral{{To: ReferOT}} },
		"home status":         func(p *Picture) { p.Home.Status = "hospital" },
	} {
		p := clone()
		require.NoError(t, p.Validate())
		f(p)
		err := p.Validate()
		assert.ErrorIs(t, err, care.ErrInvalid, name)
		assert.ErrorContains(t, err, "a-pv", "names the assessment: %s", name)
	}
}

// TestCatalogueAndCustomInstrument checks catalogue errors and an
// organisation's own instrument with an at-most flag.
func TestCatalogueAndCustomInstrument(t *testing.T) {
	_, err := NewCatalogue(PHQ9(), PHQ9())
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.ErrorContains(t, err, `"phq9"`)
	_, err = NewCatalogue(nil)
	assert.ErrorIs(t, err, care.ErrInvalid)
	bad := PHQ9()
	bad.ID = ""
	_, err = NewCatalogue(bad)
	assert.ErrorIs(t, err, care.ErrInvalid)

	energy := &Instrument{ID: "energy", Name: "Energy check", Direction: HigherBetter,
		Items: []Item{
			{ID: "a", Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
			{ID: "b", Options: []Option{opt(0, ""), opt(1, ""), opt(2, "")}},
		},
		Bands:     BandTable{ID: "energy-2", Bands: []Band{{0, "low", "low"}, {3, "ok", "ok"}}},
		FlagRules: []FlagRule{{Flag: "low-energy", Cmp: AtMost, Threshold: 1, Severity: SeverityInfo}},
	}
	cat, err := NewCatalogue(energy, PHQ2())
	require.NoError(t, err)
	assert.Equal(t, []string{"energy", IDPHQ2}, cat.IDs())
	for total, flagged := range map[int]bool{0: true, 1: true, 2: false, 4: false} {
		r, err := energy.Score(responsesForTotal(t, energy, total))
		require.NoError(t, err)
		assert.Equal(t, flagged, r.HasFlag("low-energy"), "total %d", total)
	}
	// A JSON assessment with the custom instrument re-scores against this catalogue only.
	a := newAssessment("custom")
	add(t, a, energy, answers("a", 2, "b", 2))
	raw, err := json.Marshal(a)
	require.NoError(t, err)
	_, err = DecodeAssessment(bytesReader(raw), cat)
	require.NoError(t, err)
	_, err = DecodeAssessment(bytesReader(raw), DefaultCatalogue())
	assert.ErrorIs(t, err, ErrUnknownInstrument)
}
