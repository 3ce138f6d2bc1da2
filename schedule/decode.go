package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
		return positioned(data, dec.InputOffset(), err)
	}
	if dec.More() {
		return positioned(data, dec.InputOffset(), errors.New("unexpected data after the top-level value"))
	}
	if _, err := dec.Token(); err != io.EOF {
		return positioned(data, dec.InputOffset(), errors.New("unexpected data after the top-level value"))
	}
	return nil
}

// positioned wraps err in a *DecodeError, taking the most precise offset and
// path the error carries.
func positioned(data []byte, off int64, err error) error {
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
	if de.Offset > int64(len(data)) {
		de.Offset = int64(len(data))
	}
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
