package jsonpos

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	At    time.Time `json:"at"`
	Count int       `json:"count"`
}

type Embedded struct {
	Note string `json:"note"`
}

type outer struct {
	Embedded
	Name  string           `json:"name"`
	Items []inner          `json:"items"`
	ByKey map[string]inner `json:"by_key"`
}

func decode(s string) (*outer, error) {
	var o outer
	err := Decode(strings.NewReader(s), &o)
	return &o, err
}

func TestDecodePositions(t *testing.T) {
	for _, c := range []struct {
		name, in, path string
		line, col      int
		msg            string
	}{
		{"time without zone", "{\"items\": [\n {\"at\": \"2026-01-01T00:00:00Z\"},\n {\"at\": \"2026-01-01T10:00:00\"}]}", "items[1].at", 3, 9, "parsing time"},
		{"wrong type", `{"items": [{"count": "three"}]}`, "items[0].count", 1, 22, "cannot unmarshal string"},
		{"map value", `{"by_key": {"a": {"count": 1.5}}}`, "by_key.a.count", 1, 28, "cannot unmarshal number 1.5"},
		{"unknown field", `{"name": "x", "colour": 1}`, "colour", 1, 15, `unknown field "colour"`},
		{"embedded field wrong type", `{"note": 1}`, "note", 1, 10, "cannot unmarshal number"},
		{"trailing data", "{}\n{}", "", 2, 1, "unexpected data after the top-level value"},
		{"truncated", `{"name": "x"`, "", 1, 13, "unexpected EOF"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := decode(c.in)
			var pe *Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.path, pe.Path)
			assert.Equal(t, c.line, pe.Line, "line")
			assert.Equal(t, c.col, pe.Column, "column")
			assert.Contains(t, pe.Error(), c.msg)
		})
	}
	o, err := decode(`{"note": "n", "name": "a", "items": [{"count": 2}]}`)
	require.NoError(t, err)
	assert.Equal(t, "n", o.Note)
	assert.Equal(t, 2, o.Items[0].Count)
	_, err = decode("{}")
	assert.NoError(t, err)
	_, err = decode("{} x")
	assert.True(t, errors.Is(err, ErrTrailing))
}

func TestDecodeNeverEchoesHugeInput(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, in := range []string{
		`{"` + huge + `": 1}`,
		`{"items": [{"at": "` + huge + `"}]}`,
		`{"by_key": {"` + huge + `": {"count": "x"}}}`,
	} {
		_, err := decode(in)
		require.Error(t, err)
		assert.Less(t, len(err.Error()), 1000, "%.200s", err)
	}
}

// FuzzDecode: any input decodes or gives an *Error (or nil) whose position
// lies inside the input and agrees with its line and column, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"note": "n", "items": [{"at": "2026-01-01T00:00:00Z", "count": 1}], "by_key": {"k": {}}}`))
	f.Add([]byte("{\"items\": [{\"at\": \"2026-01-01T10:00\"}]}\n[]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o outer
		err := Decode(bytes.NewReader(data), &o)
		if err == nil {
			return
		}
		var pe *Error
		require.ErrorAs(t, err, &pe)
		require.GreaterOrEqual(t, pe.Offset, int64(0))
		require.LessOrEqual(t, pe.Offset, int64(len(data)))
		before := data[:pe.Offset]
		require.Equal(t, 1+bytes.Count(before, []byte("\n")), pe.Line)
		require.Equal(t, 1+len(before)-(bytes.LastIndexByte(before, '\n')+1), pe.Column)
	})
}
