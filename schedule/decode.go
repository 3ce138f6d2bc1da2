package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// ErrDecode is matched (errors.Is) by every error of Decode and DecodeRota
// that comes from reading JSON rather than from validation.
var ErrDecode = errors.New("cannot decode")

// DecodeError reports where JSON decoding failed: the byte offset in the
// input, the 1-based line and column, and, for a value of the wrong type,
// the JSON field path (e.g. "visits.duration").
type DecodeError struct {
	Offset int64  // byte offset of the failure in the input
	Line   int    // 1-based line of Offset
	Column int    // 1-based column (in bytes) of Offset
	Path   string // JSON field path, when known
	Err    error  // the underlying error
}

// Error implements error.
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("decode: line %d, column %d (offset %d)", e.Line, e.Column, e.Offset)
	if e.Path != "" {
		s += ": field " + e.Path
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is reports whether target is ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// Decode reads one problem in JSON from r, rejecting unknown fields and
// trailing data, and then validates it. A JSON error is a *DecodeError with
// the position and field path; a validation error is the joined
// *care.FieldError list of Problem.Validate (the problem is then returned too,
// so a caller may show it, but it must not be planned).
func Decode(r io.Reader) (*Problem, error) {
	var p Problem
	if err := decodeStrict(r, &p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return &p, err
	}
	return &p, nil
}

// DecodeRota reads one rota in JSON from r, rejecting unknown fields, and
// checks it against problem p with Rota.Validate when p is not nil.
func DecodeRota(r io.Reader, p *Problem) (*Rota, error) {
	var rota Rota
	if err := decodeStrict(r, &rota); err != nil {
		return nil, err
	}
	if p != nil {
		if err := rota.Validate(p); err != nil {
			return &rota, err
		}
	}
	return &rota, nil
}

func decodeStrict(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%w: read: %w", ErrDecode, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return positioned(data, dec.InputOffset(), err, reflect.TypeOf(v))
	}
	if dec.More() {
		return positioned(data, dec.InputOffset(), errors.New("unexpected data after the top-level value"), nil)
	}
	if _, err := dec.Token(); err != io.EOF {
		return positioned(data, dec.InputOffset(), errors.New("unexpected data after the top-level value"), nil)
	}
	return nil
}

// positioned wraps err in a *DecodeError, taking the most precise offset and
// path it can find. encoding/json gives no position for errors of custom
// unmarshalers (durations, locations, times) or unknown fields, so for those
// a second pass (locate) walks the input against the Go type to find the
// value that fails, with array indices in the path.
func positioned(data []byte, off int64, err error, t reflect.Type) error {
	de := &DecodeError{Offset: off, Err: err}
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
			if !w.walk(t.Elem(), join(path, fmt.Sprint(k))) {
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
				w.fail(join(path, key), keyAt)
				return false
			}
			if !w.walk(f.Type, join(path, key)) {
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
