package schedule

import (
	"errors"
	"fmt"
	"io"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/jsonpos"
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

// Error implements error. The underlying message is shortened with
// care.ClipN so that an error about a huge value never echoes it.
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("decode: line %d, column %d (offset %d)", e.Line, e.Column, e.Offset)
	if e.Path != "" {
		s += ": field " + care.ClipN(e.Path, 4*care.MaxQuoted)
	}
	return s + ": " + care.ClipN(e.Err.Error(), 4*care.MaxQuoted)
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

// decodeStrict decodes one JSON value into v with internal/jsonpos and
// turns its error into a *DecodeError.
func decodeStrict(r io.Reader, v any) error {
	err := jsonpos.Decode(r, v)
	var pe *jsonpos.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return &DecodeError{Offset: pe.Offset, Line: pe.Line, Column: pe.Column, Path: pe.Path, Err: pe.Err}
	default:
		return fmt.Errorf("%w: read: %w", ErrDecode, err)
	}
}
