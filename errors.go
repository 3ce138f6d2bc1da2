package care

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrInvalid is the sentinel that every validation error in this module
// matches with errors.Is. Use errors.As with *FieldError to read the record,
// ID and field that were rejected.
var ErrInvalid = errors.New("invalid")

// FieldError reports one invalid field of one record. Its message names the
// record kind, its ID and the field, never personal details:
//
//	visit "v17": window 2: latest 09:00 before earliest 10:00
type FieldError struct {
	Kind   string // record kind, e.g. "visit", "worker", "service user"
	ID     string // the record's ID; empty when the record has none yet
	Field  string // the field path, e.g. "window 2", "qualifications[0].expires"
	Reason string // what is wrong, in plain words
}

// Error implements error. An over-long ID or field path is shortened with
// Clip and the reason with ClipN(reason, 8*MaxQuoted), so that an error
// about a huge input never echoes it.
func (e *FieldError) Error() string {
	var s string
	switch {
	case e.Kind != "" && e.ID != "":
		s = fmt.Sprintf("%s %q: ", e.Kind, Clip(e.ID))
	case e.Kind != "":
		s = e.Kind + " (no id): "
	}
	if e.Field != "" {
		s += Clip(e.Field) + ": "
	}
	return s + ClipN(e.Reason, 8*MaxQuoted)
}

// Is reports whether target is ErrInvalid, so that every FieldError matches
// errors.Is(err, ErrInvalid).
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Invalid returns a *FieldError for record kind and id, field, and a reason
// formatted as by fmt.Sprintf.
func Invalid(kind, id, field, format string, args ...any) error {
	return &FieldError{Kind: kind, ID: id, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// MaxQuoted is how many bytes of an input value, ID or key an error message
// quotes before Clip shortens it.
const MaxQuoted = 64

// Clip returns s shortened to MaxQuoted bytes, cut on a rune boundary and
// ended with "…" when it was longer, for quoting input in error messages.
func Clip(s string) string { return ClipN(s, MaxQuoted) }

// ClipN returns s shortened to at most n bytes (n >= 0), cut on a rune
// boundary and ended with "…" when it was longer.
func ClipN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := max(n, 0)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
