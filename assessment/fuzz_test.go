package assessment

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/badinput"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzScore checks that no response set makes any built-in panic, and that
// accepted results lie within the instrument's score range.
func FuzzScore(f *testing.F) {
	f.Add("1", 0, "2", 3, "9", 1)
	f.Add("feeding", 10, "feeding", 10, "zz", -1)
	f.Add("build", 3, "skin-broken", 3, "weight-loss", 5)
	f.Fuzz(func(t *testing.T, i1 string, v1 int, i2 string, v2 int, i3 string, v3 int) {
		for _, in := range Builtins() {
			rs := uniform(in, in.Items[0].Options[0].Value)
			rs = append(rs, Response{i1, v1}, Response{i2, v2}, Response{i3, v3})
			r, err := in.Score(rs)
			if err != nil {
				continue
			}
			lo, hi := in.ScoreRange()
			if r.Score < lo || r.Score > hi {
				t.Fatalf("%s: score %g outside [%g, %g]", in.ID, r.Score, lo, hi)
			}
		}
	})
}

// FuzzImportQuestionnaireResponse checks that arbitrary JSON never panics the importer.
func FuzzImportQuestionnaireResponse(f *testing.F) {
	a := newAssessment("fz")
	r, err := a.Add(PHQ9(), uniform(PHQ9(), 1))
	require.NoError(f, err)
	qr, err := ExportQuestionnaireResponse(a, r, DefaultCatalogue())
	require.NoError(f, err)
	raw, err := json.Marshal(qr)
	require.NoError(f, err)
	f.Add(raw)
	f.Add([]byte(`{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"score","answer":[]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var q QuestionnaireResponse
		if json.Unmarshal(data, &q) != nil {
			return
		}
		cat := DefaultCatalogue()
		a, err := ImportQuestionnaireResponse(&q, cat)
		if err != nil {
			return
		}
		// An imported assessment validates, and its results export and
		// import back to the same score and band.
		require.NoError(t, a.Validate(), "imported assessment does not validate")
		for _, r := range a.Results {
			qr, err := ExportQuestionnaireResponse(a, r, cat)
			require.NoError(t, err, "export %s", r.Instrument)
			b, err := ImportQuestionnaireResponse(qr, cat)
			require.NoError(t, err, "re-import %s", r.Instrument)
			back, ok := b.Result(r.Instrument)
			require.True(t, ok)
			require.Equal(t, r.Score, back.Score, "%s: score changed by export and import", r.Instrument)
			require.Equal(t, r.Band, back.Band, "%s: band changed by export and import", r.Instrument)
		}
	})
}

func TestInstrumentJSONRoundTrip(t *testing.T) {
	for _, in := range Builtins() {
		raw, err := json.Marshal(in)
		require.NoError(t, err)
		var back Instrument
		require.NoError(t, json.Unmarshal(raw, &back))
		require.NoError(t, back.Validate(), in.ID)
		rs := uniform(in, in.Items[0].Options[len(in.Items[0].Options)-1].Value)
		want, err1 := in.Score(rs)
		got, err2 := back.Score(rs)
		assert.Equal(t, err1 == nil, err2 == nil, in.ID)
		assert.Equal(t, want, got, in.ID)
	}
}

func TestWaterlowAgeScore(t *testing.T) {
	for age, want := range map[int]int{14: 1, 49: 1, 50: 2, 64: 2, 65: 3, 74: 3, 75: 4, 80: 4, 81: 5, 100: 5} {
		got, err := WaterlowAgeScore(age)
		require.NoError(t, err)
		assert.Equal(t, want, got, "age %d", age)
	}
	_, err := WaterlowAgeScore(13)
	assert.Error(t, err)
}

// FuzzDecodeEvaluate checks that no JSON document panics decoding,
// evaluation or FHIR export, and that every accepted assessment gives a
// picture that validates.
func FuzzDecodeEvaluate(f *testing.F) {
	a := newAssessment("fz")
	r, err := a.Add(PHQ9(), uniform(PHQ9(), 1))
	require.NoError(f, err)
	_, err = a.Add(Barthel20(), uniform(Barthel20(), 1))
	require.NoError(f, err)
	a.Falls = &FallsProfile{Age: 81, FallsLast12Months: 3}
	a.Observations = Observations{Impairment: Impairment{Physical: true}, Cognition: CognitionModerate, LivesAlone: true,
		Outcomes: map[Outcome]OutcomeObservation{OutcomeWork: {NotApplicable: true}}}
	raw, err := json.Marshal(a)
	require.NoError(f, err)
	f.Add(raw)
	require.NotEmpty(f, r.Flags, "the seed carries a self-harm flag")
	f.Add([]byte(`{"id":"a","personId":"p","date":"2026-01-01T00:00:00Z","results":[{"instrument":"swemwbs","responses":[{"item":"1","value":9}]}]}`))
	f.Add([]byte(`{"id":"a","personId":"p","date":"2026-01-01T00:00:00Z","results":[],"observations":{"transferCarers":2,"cannotRepositionAlone":true},"falls":{"age":200}}`))
	f.Add([]byte(`null`))
	for _, b := range badinput.Files(f, "*assessment*.json") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat := DefaultCatalogue()
		a, err := DecodeAssessment(bytesReader(data), cat)
		if err != nil {
			return
		}
		// decode -> encode -> decode is a fixed point.
		b1, err := json.Marshal(a)
		require.NoError(t, err)
		a2, err := DecodeAssessment(bytesReader(b1), cat)
		require.NoError(t, err, "an accepted assessment re-encoded must decode: %s", b1)
		b2, err := json.Marshal(a2)
		require.NoError(t, err)
		require.Equal(t, string(b1), string(b2), "decode -> encode -> decode changed the assessment")
		p, err := Evaluate(a, Options{})
		if err != nil {
			t.Fatalf("decoded assessment does not evaluate: %v", err)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid picture: %v", err)
		}
		for _, r := range a.Results {
			if _, err := ExportQuestionnaireResponse(a, r, cat); err != nil {
				t.Fatalf("export %s: %v", r.Instrument, err)
			}
		}
		if _, err := NextReview([]*Assessment{a}, cat, a.Date); err != nil {
			t.Fatalf("next review: %v", err)
		}
	})
}

// TestNilInputsDoNotPanic calls every entry point with nil or empty input.
func TestNilInputsDoNotPanic(t *testing.T) {
	var in *Instrument
	var a *Assessment
	var p *Picture
	var cat *Catalogue
	assert.NotPanics(t, func() {
		_, err := in.Score(nil)
		assert.ErrorIs(t, err, care.ErrInvalid)
		assert.ErrorIs(t, in.Validate(), care.ErrInvalid)
		lo, hi := in.ScoreRange()
		assert.Zero(t, lo+hi)
		assert.Nil(t, in.Clone())
		_, err = in.WithBands(BandTable{ID: "x"})
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = in.WithText(nil)
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = in.WithMissing(MissingRule{})
		assert.ErrorIs(t, err, care.ErrInvalid)
		assert.Empty(t, QuestionnaireURL(in))
		assert.Equal(t, "Questionnaire", ExportQuestionnaire(in).ResourceType)

		_, err = a.Add(PHQ9(), nil)
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, ok := a.Result(IDPHQ9)
		assert.False(t, ok)
		assert.ErrorIs(t, a.Validate(), care.ErrInvalid)
		assert.ErrorIs(t, a.Rescore(DefaultCatalogue()), care.ErrInvalid)
		_, err = newAssessment("n").Add(nil, nil)
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = DecodeAssessment(nil, DefaultCatalogue())
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = Evaluate(a, Options{})
		assert.ErrorIs(t, err, care.ErrInvalid)

		_, ok = p.Need(OutcomeHygiene)
		assert.False(t, ok)
		_, ok = p.Area(AreaHealth)
		assert.False(t, ok)
		_, ok = p.Referral(ReferOT)
		assert.False(t, ok)
		assert.False(t, p.HasFlag(FlagFalls))
		assert.Zero(t, p.UnableCount())
		assert.ErrorIs(t, p.Validate(), care.ErrInvalid)

		_, err = cat.Lookup(IDPHQ9)
		assert.ErrorIs(t, err, ErrUnknownInstrument)
		assert.Empty(t, cat.IDs())
		h := []*Assessment{newAssessment("n")}
		_, err = Trends(h, cat)
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = NextReview(h, cat, time.Time{})
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = Trends([]*Assessment{nil}, DefaultCatalogue())
		assert.ErrorIs(t, err, care.ErrInvalid)

		_, err = ExportQuestionnaireResponse(a, Result{Instrument: IDPHQ9}, DefaultCatalogue())
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = ExportObservation(a, Result{Instrument: IDPHQ9}, DefaultCatalogue())
		assert.ErrorIs(t, err, care.ErrInvalid)
		_, err = ExportQuestionnaireResponse(newAssessment("n"), Result{Instrument: IDPHQ9}, cat)
		assert.ErrorIs(t, err, ErrUnknownInstrument)
		_, err = ImportQuestionnaireResponse(&QuestionnaireResponse{}, DefaultCatalogue())
		assert.ErrorIs(t, err, ErrFHIR)
	})
}
