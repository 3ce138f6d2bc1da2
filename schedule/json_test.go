package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFullProblemIsValid(t *testing.T) {
	require.NoError(t, fullProblem(t).Validate())
	require.NoError(t, fullRota(t).Validate(fullProblem(t)))
}

// The fixture's times are built with time.Parse(time.RFC3339, ...), exactly as
// encoding/json decodes them, so a faithful round trip gives a value that is
// reflect-equal (testify Equal). Re-encoding must also give the same bytes,
// which checks the instants and offsets independently of time.Location values.
func TestProblemJSONRoundTrip(t *testing.T) {
	want := fullProblem(t)
	b, err := json.Marshal(want)
	require.NoError(t, err)

	got, err := Decode(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, want, got)

	b2, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	// Spot checks on the encoding itself.
	assert.Contains(t, string(b), `"duration":2700`)
	assert.Contains(t, string(b), `"earliest":"2026-03-23T10:00:00+01:00"`)
	assert.Contains(t, string(b), `"location":{"lat":51.502,"lon":-0.142}`)
	assert.Contains(t, string(b), `"seat_durations":[2700,1800]`)
	assert.Contains(t, string(b), `"from":"end"`)
}

func TestRotaJSONRoundTrip(t *testing.T) {
	want := fullRota(t)
	b, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := DecodeRota(bytes.NewReader(b), fullProblem(t))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Contains(t, string(b), `"travel":600`)
}

func TestDurationRejectsISO8601(t *testing.T) {
	var d Duration
	err := json.Unmarshal([]byte(`"PT30M"`), &d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "whole number of seconds")
	assert.Contains(t, err.Error(), `"PT30M"`)

	require.NoError(t, json.Unmarshal([]byte(`1800`), &d))
	assert.Equal(t, Minutes(30), d)
}

// TestDurationFractionExact: a duration with a fraction of a second (a leg on
// a planar benchmark) encodes as a decimal and decodes to the same
// nanosecond; finer fractions, huge values and huge exponents are errors.
func TestDurationFractionExact(t *testing.T) {
	for _, c := range []struct {
		d    Duration
		json string
	}{
		{Duration(1500 * time.Millisecond), "1.5"},
		{Duration(754318000123), "754.318000123"},
		{Duration(-2*time.Second - 250*time.Millisecond), "-2.25"},
		{Duration(-250 * time.Millisecond), "-0.25"},
		{Duration(time.Nanosecond), "0.000000001"},
		{Minutes(30), "1800"},
		{0, "0"},
	} {
		b, err := json.Marshal(c.d)
		require.NoError(t, err)
		assert.Equal(t, c.json, string(b))
		var back Duration
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, c.d, back, c.json)
	}
	var d Duration
	require.NoError(t, json.Unmarshal([]byte(`1.8e3`), &d))
	assert.Equal(t, Minutes(30), d)
	for in, want := range map[string]string{
		`0.0000000001`:         "finer than a nanosecond",
		`1e30`:                 "out of range",
		`1e999999999`:          "out of range",
		`99999999999999999999`: "out of range",
	} {
		err := json.Unmarshal([]byte(in), &d)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestDecodeISODurationInProblem(t *testing.T) {
	b, err := json.Marshal(fullProblem(t))
	require.NoError(t, err)
	s := strings.Replace(string(b), `"duration":2700`, `"duration":"PT45M"`, 1)
	_, err = Decode(strings.NewReader(s))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "whole number of seconds")
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "visits[0].duration", de.Path)
	assert.Equal(t, int64(strings.Index(s, `"PT45M"`)), de.Offset, "offset of the bad value")
	assert.Equal(t, 1, de.Line)
	assert.Equal(t, int(de.Offset)+1, de.Column)
	assert.Contains(t, err.Error(), "field visits[0].duration")
}

func TestDecodeBadTimeNamesPath(t *testing.T) {
	in := `{"name": "x", "visits": [{"id": "v1"}, {"id": "v2", "windows": [{"earliest": "2026-03-23T08:00:00Z"}, {"earliest": "yesterday"}]}]}`
	_, err := Decode(strings.NewReader(in))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "visits[1].windows[1].earliest", de.Path)
	assert.Equal(t, int64(strings.Index(in, `"yesterday"`)), de.Offset)
}

func TestDecodeUnknownField(t *testing.T) {
	in := `{"name":"x","colour":"blue"}`
	_, err := Decode(strings.NewReader(in))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), `unknown field "colour"`)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "colour", de.Path)
	assert.Equal(t, int64(strings.Index(in, `"colour"`)), de.Offset)
}

func TestDecodeTypeErrorNamesPath(t *testing.T) {
	in := "{\n  \"name\": \"x\",\n  \"visits\": [{\"id\": \"v1\", \"priority\": \"high\"}]\n}"
	_, err := Decode(strings.NewReader(in))
	require.Error(t, err)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "visits[0].priority", de.Path)
	assert.Equal(t, 3, de.Line)
	assert.Contains(t, err.Error(), "line 3")
	assert.Contains(t, err.Error(), "field visits[0].priority")
}

func TestDecodeSyntaxErrorAndTrailingData(t *testing.T) {
	_, err := Decode(strings.NewReader("{\"name\": \"x\",\n \"start\": }"))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 2, de.Line)

	b, _ := json.Marshal(fullProblem(t))
	_, err = Decode(strings.NewReader(string(b) + " {}"))
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "after the top-level value")
}

func TestDecodeRejectsBareLocationPair(t *testing.T) {
	b, _ := json.Marshal(fullProblem(t))
	s := strings.Replace(string(b), `"location":{"lat":51.502,"lon":-0.142}`, `"location":[-0.142,51.502]`, 1)
	_, err := Decode(strings.NewReader(s))
	require.ErrorIs(t, err, ErrDecode)
	assert.Contains(t, err.Error(), "lat")
}

func TestDecodeRunsValidate(t *testing.T) {
	p := fullProblem(t)
	p.Visits[1].Duration = 0
	b, err := json.Marshal(p)
	require.NoError(t, err)
	got, err := Decode(bytes.NewReader(b))
	require.Error(t, err)
	assert.NotNil(t, got, "the decoded problem is returned with its validation errors")
	assert.False(t, errors.Is(err, ErrDecode))
	var fe *care.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "v2", fe.ID)
	assert.Equal(t, "duration", fe.Field)
}

func TestDecodeMalformedNeverPanics(t *testing.T) {
	inputs := []string{
		``, `null`, `[]`, `"x"`, `{"visits": {}}`, `{"visits": [[]]}`, `{"visits": [null, {"windows": null}]}`,
		`{"travel": {"speeds": {"car": "fast"}}}`, `{"travel": {"matrix": {"seconds": [[1, "a"]]}}}`,
		`{"workers": [{"home": [1, 2]}]}`, `{"shifts": [{"breaks": [{"length": "PT20M"}]}]}`,
		`{"name": 7}`, `{"start": "2026-13-01T00:00:00Z"}`, `{"visits": [{"windows": [{"target": 5}]}]}`,
	}
	for _, in := range inputs {
		require.NotPanics(t, func() {
			_, err := Decode(strings.NewReader(in))
			assert.Error(t, err, "%s", in)
		}, in)
	}
	_, err := Decode(strings.NewReader(`{"travel": {"matrix": {"seconds": [[1, "a"]]}}}`))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "travel.matrix.seconds[0][1]", de.Path)
}

func TestDecodeRotaStrict(t *testing.T) {
	_, err := DecodeRota(strings.NewReader(`{"assignments": [{"visit": "v1", "worker": "w1"}]}`), nil)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "assignments[0].worker", de.Path)
	r, err := DecodeRota(strings.NewReader(`{"assignments": [{"visit": "v9", "workers": ["w1"], "start": "2026-03-23T08:00:00Z"}]}`), fullProblem(t))
	require.NotNil(t, r)
	requireFieldError(t, err, kindVisit, "v9", "assignments[0].visit", "unknown visit")
}
