package assessment

import (
	"encoding/json"
	"strings"
	"testing"

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
func checkQuestionnaireResponse(t *testing.T, m map[string]any) {
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
			if c, ok := ans["valueCoding"].(map[string]any); ok && it["linkId"] != BandLinkID {
				assert.NotEmpty(t, c["system"])
				assert.NotEmpty(t, c["code"])
				ext := c["extension"].([]any)[0].(map[string]any)
				assert.Equal(t, ordinalValueURL, ext["url"])
				assert.Contains(t, ext, "valueDecimal")
			}
		}
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
			checkQuestionnaireResponse(t, m)
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
			assert.Equal(t, "Questionnaire", q["resourceType"])
			assert.Equal(t, "active", q["status"])
			assert.Equal(t, QuestionnaireURL(in), q["url"])
			for i, x := range q["item"].([]any) {
				qi := x.(map[string]any)
				assert.Equal(t, in.Items[i].ID, qi["linkId"])
				assert.Equal(t, "choice", qi["type"])
				assert.Len(t, qi["answerOption"], len(in.Items[i].Options))
			}

			obs, err := ExportObservation(a, r, cat)
			require.NoError(t, err)
			om := asMap(t, obs)
			assert.Equal(t, "Observation", om["resourceType"])
			assert.Equal(t, "final", om["status"])
			assert.NotEmpty(t, om["code"].(map[string]any)["coding"])
			assert.Equal(t, r.Score, om["valueQuantity"].(map[string]any)["value"])
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

	_, err = ImportQuestionnaireResponse(nil, cat)
	assert.ErrorIs(t, err, ErrFHIR)
}
