// Package jsonpos decodes one JSON value strictly (unknown fields and
// trailing data refused) and, when that fails, reports where: the byte
// offset, line and column, and the field path with array indices (e.g.
// "visits[2].windows[0].earliest"). encoding/json gives no position for
// errors of custom unmarshalers (durations, locations, times) or unknown
// fields, so for those a second pass walks the input against the Go type to
// find the value that fails. Quoted keys and values are shortened with
// care.Clip so that an error about a huge input never echoes it.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/carecoord/care"
)

// Error reports where JSON decoding failed.
type Error struct {
	Offset int64  // byte offset of the failure in the input
	Line   int    // 1-based line of Offset
	Column int    // 1-based column (in bytes) of Offset
	Path   string // JSON field path, when known (keys shortened with care.Clip)
	Err    error  // the underlying error
}

// maxMessage bounds the underlying error's message in Error.
const maxMessage = 4 * care.MaxQuoted

// Error implements error: "line L, column C (offset O): field P: message",
// the message shortened to maxMessage bytes.
func (e *Error) Error() string {
	s := fmt.Sprintf("line %d, column %d (offset %d)", e.Line, e.Column, e.Offset)
	if e.Path != "" {
		s += ": field " + e.Path
	}
	return s + ": " + care.ClipN(e.Err.Error(), maxMessage)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrTrailing is the underlying error when data follows the top-level value.
var ErrTrailing = errors.New("unexpected data after the top-level value")

// Decode reads all of r and decodes it into v (a pointer) as one JSON value,
// refusing unknown fields and trailing data. A JSON error is an *Error; a
// read error is returned as it is.
func Decode(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return positioned(data, dec.InputOffset(), err, reflect.TypeOf(v))
	}
	if dec.More() {
		return positioned(data, dec.InputOffset(), ErrTrailing, nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return positioned(data, dec.InputOffset(), ErrTrailing, nil)
	}
	return nil
}

// positioned wraps err in an *Error, taking the most precise offset and path
// it can find.
func positioned(data []byte, off int64, err error, t reflect.Type) error {
	de := &Error{Offset: off, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		de.Offset = se.Offset
	case errors.As(err, &te):
		de.Offset = te.Offset
		de.Path = te.Field
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		de.Offset = int64(len(data))
	}
	if se == nil && t != nil {
		if path, at, ok := locate(data, t); ok {
			de.Path, de.Offset = path, at
		}
	}
	de.Path = care.ClipN(de.Path, maxMessage)
	de.Offset = max(0, min(de.Offset, int64(len(data))))
	de.Line, de.Column = 1, 1
	for _, b := range data[:de.Offset] {
		if b == '\n' {
			de.Line++
			de.Column = 1
		} else {
			de.Column++
		}
	}
	return de
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// locate walks data as a JSON value of type t and returns the path and
// offset of the first value that cannot be decoded into its Go type, or of
// the first unknown object key.
func locate(data []byte, t reflect.Type) (path string, offset int64, found bool) {
	w := &walker{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	w.walk(t, "")
	return w.path, w.offset, w.found
}

type walker struct {
	dec    *json.Decoder
	data   []byte
	path   string
	offset int64
	found  bool
}

// start returns the offset of the next value, after white space, ':' and ','.
func (w *walker) start() int64 {
	i := w.dec.InputOffset()
	for i < int64(len(w.data)) {
		switch w.data[i] {
		case ' ', '\t', '\r', '\n', ':', ',':
			i++
			continue
		}
		break
	}
	return i
}

func (w *walker) fail(path string, at int64) {
	w.path, w.offset, w.found = path, at, true
}

// walk consumes one value of type t; it returns false to stop the walk.
func (w *walker) walk(t reflect.Type, path string) bool {
	at := w.start()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	custom := reflect.PointerTo(t).Implements(unmarshalerType)
	if custom || (t.Kind() != reflect.Struct && t.Kind() != reflect.Slice && t.Kind() != reflect.Map) {
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return false
		}
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			w.fail(path, at)
			return false
		}
		return true
	}
	tok, err := w.dec.Token()
	if err != nil {
		return false
	}
	if tok == nil { // null
		return true
	}
	d, ok := tok.(json.Delim)
	if !ok || (t.Kind() == reflect.Slice) != (d == '[') {
		w.fail(path, at)
		return false
	}
	switch t.Kind() {
	case reflect.Slice:
		for i := 0; w.dec.More(); i++ {
			if !w.walk(t.Elem(), fmt.Sprintf("%s[%d]", path, i)) {
				return false
			}
		}
	case reflect.Map:
		for w.dec.More() {
			k, err := w.dec.Token()
			if err != nil {
				return false
			}
			if !w.walk(t.Elem(), join(path, care.Clip(fmt.Sprint(k)))) {
				return false
			}
		}
	default: // struct
		for w.dec.More() {
			keyAt := w.start()
			k, err := w.dec.Token()
			if err != nil {
				return false
			}
			key, _ := k.(string)
			f, ok := fieldByJSONName(t, key)
			if !ok {
				w.fail(join(path, care.Clip(key)), keyAt)
				return false
			}
			if !w.walk(f.Type, join(path, care.Clip(key))) {
				return false
			}
		}
	}
	_, err = w.dec.Token() // closing delimiter
	return err == nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldByJSONName finds the exported field of struct t that encoding/json
// would decode key into: the exact JSON name first, then case-insensitively.
func fieldByJSONName(t reflect.Type, key string) (reflect.StructField, bool) {
	var fold reflect.StructField
	folded := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if et := f.Type; f.Anonymous && name == "" {
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				if g, ok := fieldByJSONName(et, key); ok {
					return g, true
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
		if !folded && strings.EqualFold(name, key) {
			fold, folded = f, true
		}
	}
	return fold, folded
}
