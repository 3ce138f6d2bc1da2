package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/carecoord/care/assessment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// section returns the text between the "== title" line and the next "== " line.
func section(t *testing.T, out, title string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "== "+title)
	require.True(t, ok, "section %q", title)
	if i := strings.Index(rest, "\n== "); i >= 0 {
		rest = rest[:i]
	}
	_, body, _ := strings.Cut(rest, "\n")
	return body
}

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf))
	out := buf.String()

	var p assessment.Picture
	require.NoError(t, json.Unmarshal([]byte(section(t, out, "wellbeing picture")), &p))
	require.NoError(t, p.Validate())
	assert.Equal(t, "su-42", p.PersonID)
	assert.True(t, p.Eligibility.Eligible)
	assert.True(t, p.Support.DoubleHandedTransfers.Needed, "Barthel transfers: major help")
	assert.Equal(t, 4, p.Support.Repositioning.IntervalHours, "Waterlow 19: high risk")
	assert.True(t, p.Support.Repositioning.MaxGapBetweenVisits, "cannot reposition alone, lives alone")
	_, falls := p.Referral(assessment.ReferFalls)
	assert.True(t, falls)

	trends := section(t, out, "trends")
	assert.Contains(t, trends, "barthel100: change -40")
	assert.Contains(t, trends, "alert reliable-change")
	assert.Contains(t, out, "== next review due 2026-11-02: [deterioration on barthel100]")

	var qr assessment.QuestionnaireResponse
	require.NoError(t, json.Unmarshal([]byte(section(t, out, "FHIR QuestionnaireResponse")), &qr))
	imp, err := assessment.ImportQuestionnaireResponse(&qr, assessment.DefaultCatalogue())
	require.NoError(t, err)
	r, ok := imp.Result(assessment.IDBarthel100)
	require.True(t, ok)
	assert.Equal(t, 55.0, r.Score)
	assert.Equal(t, "severe", r.Band.Code)

	var flags []assessment.FHIRFlag
	require.NoError(t, json.Unmarshal([]byte(section(t, out, "FHIR Flags")), &flags))
	require.Len(t, flags, len(p.Flags))
	var codes []string
	for _, f := range flags {
		assert.Equal(t, "Flag", f.ResourceType)
		assert.Equal(t, "Patient/su-42", f.Subject.Reference)
		codes = append(codes, f.Code.Coding[0].Code)
	}
	assert.Contains(t, codes, string(assessment.FlagFalls))
	assert.Contains(t, codes, string(assessment.FlagPressureUlcer))
}
