package assessment

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asMap round-trips v through JSON into a generic map, as a FHIR server would see it.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// checkQuestionnaireResponse asserts the structural rules of a FHIR R4
// QuestionnaireResponse: resourceType, status from the value set, a
// questionnaire canonical, subject and authored, and every item with a
// linkId and answers holding exactly one value[x].
func checkQuestionnaireResponse(t *testing.T, m map[string]any, in *Instrument) {
	t.Helper()
	assert.Equal(t, "QuestionnaireResponse", m["resourceType"])
	assert.Contains(t, []any{"in-progress", "completed", "amended", "entered-in-error", "stopped"}, m["status"])
	assert.NotEmpty(t, m["questionnaire"])
	assert.Contains(t, m["questionnaire"], "|", "canonical with version")
	assert.True(t, strings.HasPrefix(m["subject"].(map[string]any)["reference"].(string), "Patient/"))
	assert.NotEmpty(t, m["authored"])
	items := m["item"].([]any)
	require.NotEmpty(t, items)
	for _, x := range items {
		it := x.(map[string]any)
		assert.NotEmpty(t, it["linkId"])
		for _, y := range it["answer"].([]any) {
			ans := y.(map[string]any)
			n := 0
			for k := range ans {
				if strings.HasPrefix(k, "value") {
					n++
				}
			}
			assert.Equal(t, 1, n, "answer has exactly one value[x]: %v", ans)
			if it["linkId"] == BandLinkID {
				continue
			}
			item, found := in.item(it["linkId"].(string))
			if !found || item.Unscored {
				continue
			}
			if c, ok := ans["valueCoding"].(map[string]any); ok {
				assert.NotEmpty(t, c["system"])
				assert.NotEmpty(t, c["code"])
				ext := c["extension"].([]any)[0].(map[string]any)
				assert.Equal(t, ordinalValueURL, ext["url"])
				assert.Contains(t, ext, "valueDecimal")
			}
		}
	}
}

// fhirNamePattern is the R4 Questionnaire invariant que-0 on name.
var fhirNamePattern = regexp.MustCompile(`^[A-Z]([A-Za-z0-9_]){0,254}$`)

// checkQuestionnaire asserts the structural rules of a FHIR R4
// Questionnaire: resourceType, status from its value set, url, a
// machine-friendly name, unique linkIds, item types from the R4 value set,
// choice items with answer options holding one value each.
func checkQuestionnaire(t *testing.T, q map[string]any) {
	t.Helper()
	assert.Equal(t, "Questionnaire", q["resourceType"])
	assert.Contains(t, []any{"draft", "active", "retired", "unknown"}, q["status"])
	assert.NotEmpty(t, q["url"])
	assert.Regexp(t, fhirNamePattern, q["name"])
	seen := map[string]bool{}
	for _, x := range q["item"].([]any) {
		qi := x.(map[string]any)
		id, _ := qi["linkId"].(string)
		require.NotEmpty(t, id)
		assert.False(t, seen[id], "linkId %q unique", id)
		seen[id] = true
		assert.Contains(t, []any{"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
			"string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity"}, qi["type"])
		if qi["type"] == "choice" {
			opts, _ := qi["answerOption"].([]any)
			require.NotEmpty(t, opts, "choice item %q has options", id)
			for _, o := range opts {
				n := 0
				for k := range o.(map[string]any) {
					if strings.HasPrefix(k, "value") {
						n++
					}
				}
				assert.Equal(t, 1, n, "answerOption of %q has one value[x]", id)
			}
		}
	}
}

// checkResponseAgainstQuestionnaire asserts that every item of a
// QuestionnaireResponse is defined by the Questionnaire, that each answer
// has the type the item declares (a choice answer is one of the item's
// options, with the same ordinalValue), and that required items are answered.
func checkResponseAgainstQuestionnaire(t *testing.T, q, qr map[string]any) {
	t.Helper()
	defs := map[string]map[string]any{}
	for _, x := range q["item"].([]any) {
		qi := x.(map[string]any)
		defs[qi["linkId"].(string)] = qi
	}
	answered := map[string]bool{}
	for _, x := range qr["item"].([]any) {
		it := x.(map[string]any)
		id := it["linkId"].(string)
		def, ok := defs[id]
		require.True(t, ok, "response item %q is defined in the Questionnaire", id)
		answered[id] = true
		for _, y := range it["answer"].([]any) {
			ans := y.(map[string]any)
			switch def["type"] {
			case "choice":
				c, ok := ans["valueCoding"].(map[string]any)
				require.True(t, ok, "choice item %q answered with valueCoding", id)
				var match map[string]any
				for _, o := range def["answerOption"].([]any) {
					oc := o.(map[string]any)["valueCoding"].(map[string]any)
					if oc["system"] == c["system"] && oc["code"] == c["code"] {
						match = oc
					}
				}
				require.NotNil(t, match, "item %q answer %v is one of its options", id, c["code"])
				assert.Equal(t, match["extension"], c["extension"], "item %q ordinalValue", id)
			case "decimal":
				assert.Contains(t, ans, "valueDecimal", "decimal item %q", id)
			default:
				t.Errorf("item %q has unexpected type %v", id, def["type"])
			}
		}
	}
	for id, def := range defs {
		if def["required"] == true {
			assert.True(t, answered[id], "required item %q answered", id)
		}
	}
}

// checkObservation asserts the structural rules of a FHIR R4 Observation:
// resourceType, status from its value set, code with a coding, subject,
// effective time and exactly one value[x].
func checkObservation(t *testing.T, o map[string]any) {
	t.Helper()
	assert.Equal(t, "Observation", o["resourceType"])
	assert.Contains(t, []any{"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}, o["status"])
	codings := o["code"].(map[string]any)["coding"].([]any)
	require.NotEmpty(t, codings)
	c := codings[0].(map[string]any)
	assert.NotEmpty(t, c["system"])
	assert.NotEmpty(t, c["code"])
	assert.True(t, strings.HasPrefix(o["subject"].(map[string]any)["reference"].(string), "Patient/"))
	assert.NotEmpty(t, o["effectiveDateTime"])
	n := 0
	for k := range o {
		if strings.HasPrefix(k, "value") {
			n++
		}
	}
	assert.Equal(t, 1, n, "one value[x]")
	cat := o["category"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)
	assert.Equal(t, "survey", cat["code"])
}

func TestFHIRQuestionnaireName(t *testing.T) {
	for id, want := range map[string]string{"phq9": "Phq9", "ons-loneliness": "OnsLoneliness", "barthel100": "Barthel100", "9x": "Q9x", "": "Q", "--": "Q"} {
		assert.Equal(t, want, fhirName(id), id)
		assert.Regexp(t, fhirNamePattern, fhirName(id))
	}
}

func TestFHIRRoundTripEveryInstrument(t *testing.T) {
	cat := DefaultCatalogue()
	for _, id := range cat.IDs() {
		in, err := cat.Lookup(id)
		require.NoError(t, err)
		t.Run(id, func(t *testing.T) {
			lo, hi := in.RawRange()
			a := &Assessment{ID: "fhir-" + id, PersonID: "su-9", Date: assessed, Assessor: "w-2"}
			r, err := a.Add(in, responsesForTotal(t, in, int(lo+hi)/2))
			require.NoError(t, err)

			qr, err := ExportQuestionnaireResponse(a, r, cat)
			require.NoError(t, err)
			m := asMap(t, qr)
			checkQuestionnaireResponse(t, m, in)
			assert.Equal(t, QuestionnaireURL(in)+"|"+in.Version, m["questionnaire"])
			assert.Equal(t, "Practitioner/w-2", m["author"].(map[string]any)["reference"])

			raw, err := json.Marshal(qr)
			require.NoError(t, err)
			var back QuestionnaireResponse
			require.NoError(t, json.Unmarshal(raw, &back))
			imp, err := ImportQuestionnaireResponse(&back, cat)
			require.NoError(t, err)
			got, ok := imp.Result(id)
			require.True(t, ok)
			assert.Equal(t, r.Score, got.Score)
			assert.Equal(t, r.Raw, got.Raw)
			assert.Equal(t, r.Band, got.Band)
			assert.Equal(t, r.Responses, got.Responses)
			assert.Equal(t, len(r.Flags), len(got.Flags))
			assert.Equal(t, "su-9", imp.PersonID)
			assert.True(t, assessed.Equal(imp.Date))
			assert.Equal(t, "w-2", imp.Assessor)

			q := asMap(t, ExportQuestionnaire(in))
			checkQuestionnaire(t, q)
			assert.Equal(t, QuestionnaireURL(in), q["url"])
			assert.Equal(t, in.Version, q["version"])
			qItems := q["item"].([]any)
			for i := range in.Items {
				qi := qItems[i].(map[string]any)
				assert.Equal(t, in.Items[i].ID, qi["linkId"])
				assert.Equal(t, "choice", qi["type"])
				assert.Len(t, qi["answerOption"], len(in.Items[i].Options))
				assert.Equal(t, !in.Items[i].Omittable && !in.Items[i].Unscored, qi["required"], "required unless the manual lets it be left out")
			}
			checkResponseAgainstQuestionnaire(t, q, m)

			obs, err := ExportObservation(a, r, cat)
			require.NoError(t, err)
			om := asMap(t, obs)
			checkObservation(t, om)
			assert.Equal(t, r.Score, om["valueQuantity"].(map[string]any)["value"])
			assert.Equal(t, "QuestionnaireResponse/"+m["id"].(string), om["derivedFrom"].([]any)[0].(map[string]any)["reference"])
			if r.Band.Code != "" {
				assert.Equal(t, r.Band.Code, om["interpretation"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"])
			}
		})
	}
}

func TestFHIRLOINCCodes(t *testing.T) {
	cat := DefaultCatalogue()
	q := ExportQuestionnaire(PHQ9())
	require.Len(t, q.Code, 1)
	assert.Equal(t, LOINCSystem, q.Code[0].System)
	assert.Equal(t, "44249-1", q.Code[0].Code)
	assert.Equal(t, "69737-5", ExportQuestionnaire(GAD7()).Code[0].Code)
	assert.Empty(t, ExportQuestionnaire(Barthel100()).Code, "no LOINC code from the reference for Barthel")

	a := newAssessment("loinc")
	r, err := a.Add(PHQ9(), uniform(PHQ9(), 1))
	require.NoError(t, err)
	o, err := ExportObservation(a, r, cat)
	require.NoError(t, err)
	assert.Equal(t, "44261-6", o.Code.Coding[0].Code)
	assert.Equal(t, "mild", o.Interpretation[0].Coding[0].Code, "PHQ-9 9 is mild")
	assert.Equal(t, "QuestionnaireResponse/a-loinc-phq9", o.DerivedFrom[0].Reference)
	g, err := a.Add(GAD7(), uniform(GAD7(), 0))
	require.NoError(t, err)
	o, err = ExportObservation(a, g, cat)
	require.NoError(t, err)
	assert.Equal(t, "70274-6", o.Code.Coding[0].Code)

	// Licensed wording stays out of the export.
	qr, err := ExportQuestionnaireResponse(a, r, cat)
	require.NoError(t, err)
	assert.Equal(t, phq9Text[8], qr.Item[8].Text, "PHQ-9 wording is free")
	b := newAssessment("braden")
	br, err := b.Add(Braden(), uniform(Braden(), 2))
	require.NoError(t, err)
	qr, err = ExportQuestionnaireResponse(b, br, cat)
	require.NoError(t, err)
	for _, it := range qr.Item[:6] {
		assert.Empty(t, it.Text)
	}
}

func TestFHIRImportRejects(t *testing.T) {
	cat := DefaultCatalogue()
	a := newAssessment("imp")
	r, err := a.Add(PHQ9(), uniform(PHQ9(), 2))
	require.NoError(t, err)
	fresh := func() *QuestionnaireResponse {
		qr, err := ExportQuestionnaireResponse(a, r, cat)
		require.NoError(t, err)
		return qr
	}
	qr := fresh()
	qr.ResourceType = "Observation"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Status = "in-progress"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Questionnaire = "http://example.org/Questionnaire/phq9"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Questionnaire = QuestionnaireURL(PHQ9()) + "|old"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Questionnaire = FHIRBase + "/Questionnaire/nope"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrUnknownInstrument)

	qr = fresh()
	*qr.Item[len(qr.Item)-2].Answer[0].ValueDecimal = 3
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrScoreMismatch)

	qr = fresh()
	qr.Item[len(qr.Item)-1].Answer[0].ValueCoding.Code = "minimal"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrScoreMismatch)

	qr = fresh()
	qr.Item[0].Answer[0].ValueCoding.Code = "7"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrOutOfRange)

	qr = fresh()
	qr.Item = qr.Item[1:]
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrMissing)

	qr = fresh()
	qr.Subject = nil
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Authored = "yesterday"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.ID = ""
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	qr = fresh()
	qr.Item[2].Answer = nil
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)
	assert.ErrorContains(t, err, `"3"`, "names the item")

	qr = fresh()
	qr.Item = append(qr.Item, qr.Item[0])
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrDuplicate)

	qr = fresh()
	qr.Item[0].Answer[0].ValueCoding.System = "http://example.org/other"
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.ErrorIs(t, err, ErrFHIR)

	// A valueInteger answer is accepted as the recorded value.
	qr = fresh()
	v := 2
	qr.Item[0].Answer[0] = FHIRAnswer{ValueInteger: &v}
	_, err = ImportQuestionnaireResponse(qr, cat)
	assert.NoError(t, err)

	_, err = ImportQuestionnaireResponse(nil, cat)
	assert.ErrorIs(t, err, ErrFHIR)
}

func TestFHIRFlagExport(t *testing.T) {
	a := newAssessment("flags")
	resp := uniform(PHQ9(), 0)
	resp[8].Value = 1
	add(t, a, PHQ9(), resp)
	add(t, a, MUST(), answers("bmi", 2, "weight-loss", 0))
	a.Falls = &FallsProfile{Age: 80, FallsLast12Months: 2}
	a.Observations = Observations{Impairment: Impairment{Mental: true}, SafeguardingConcern: true}
	p := evaluate(t, a)
	flags, err := ExportFlags(p)
	require.NoError(t, err)
	require.Len(t, flags, len(p.Flags))
	want := map[string]string{string(FlagSelfHarm): "safety", string(FlagMalnutrition): "diet", string(FlagFalls): "safety", string(FlagSafeguarding): "safety"}
	got := map[string]string{}
	for i, f := range flags {
		m := asMap(t, f)
		assert.Equal(t, "Flag", m["resourceType"])
		assert.Contains(t, []any{"active", "inactive", "entered-in-error"}, m["status"])
		code := m["code"].(map[string]any)["coding"].([]any)[0].(map[string]any)
		assert.NotEmpty(t, code["system"])
		assert.Equal(t, string(p.Flags[i].Code), code["code"])
		assert.Equal(t, "Patient/flags", m["subject"].(map[string]any)["reference"])
		assert.Equal(t, "2026-11-02T10:00:00Z", m["period"].(map[string]any)["start"])
		cat := m["category"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)
		assert.Equal(t, flagCategorySystem, cat["system"])
		got[code["code"].(string)] = cat["code"].(string)
		sensitive := p.Flags[i].Code == FlagSelfHarm || p.Flags[i].Code == FlagSafeguarding
		assert.Equal(t, sensitive, p.Flags[i].Sensitive())
		if sensitive {
			sec := m["meta"].(map[string]any)["security"].([]any)[0].(map[string]any)
			assert.Equal(t, "R", sec["code"], "restricted: never to family channels")
		} else {
			assert.NotContains(t, m, "meta")
		}
	}
	assert.Equal(t, want, got)
	require.True(t, p.HasFlag(FlagSafeguarding))

	// The safeguarding concern also brings the review forward to the day.
	r, err := NextReview([]*Assessment{a}, DefaultCatalogue(), time.Time{})
	require.NoError(t, err)
	assert.Equal(t, a.Date, r.Due)
	assert.Contains(t, r.Reasons, "safeguarding concern raised")

	_, err = ExportFlags(nil)
	assert.ErrorIs(t, err, care.ErrInvalid)
	_, err = ExportFlags(&Picture{AssessmentID: "x"})
	assert.ErrorIs(t, err, care.ErrInvalid)
}
