package assessment

import (
	"encoding/json"
	"testing"

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
		_, _ = ImportQuestionnaireResponse(&q, DefaultCatalogue())
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
