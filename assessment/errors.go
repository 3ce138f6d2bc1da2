package assessment

import (
	"errors"
	"fmt"

	"github.com/carecoord/care"
)

// Sentinel errors for responses rejected by [Instrument.Score]. Every
// [*ResponseError] matches exactly one of them with errors.Is, and also
// matches care.ErrInvalid.
var (
	// ErrMissing: a required item has no answer and the instrument's
	// missing-data rule does not allow scoring without it.
	ErrMissing = errors.New("missing answer")
	// ErrDuplicate: the same item was answered more than once.
	ErrDuplicate = errors.New("duplicate answer")
	// ErrOutOfRange: the answer is not one of the item's allowed responses.
	ErrOutOfRange = errors.New("answer out of range")
	// ErrUnknownItem: the answer names an item the instrument does not have.
	ErrUnknownItem = errors.New("unknown item")
)

// ErrUnknownInstrument is returned when an instrument ID is not in a
// [Catalogue].
var ErrUnknownInstrument = errors.New("unknown instrument")

// ErrScoreMismatch is returned by imports when a score carried in the
// imported document differs from the score recomputed from its answers.
var ErrScoreMismatch = errors.New("score mismatch")

// ResponseError reports one rejected answer. It names the instrument and
// item by ID and never contains the wording of a question or personal data.
type ResponseError struct {
	Instrument string // instrument ID, e.g. "phq9"
	Item       string // item ID (FHIR linkId), e.g. "9"
	Value      int    // the rejected value (zero for ErrMissing)
	Err        error  // one of ErrMissing, ErrDuplicate, ErrOutOfRange, ErrUnknownItem
}

// Error implements error, e.g. `instrument "phq9": item "9": answer out of range: 4 (allowed 0..3)`.
func (e *ResponseError) Error() string {
	switch {
	case errors.Is(e.Err, ErrMissing):
		return fmt.Sprintf("instrument %q: item %q: %v", e.Instrument, e.Item, e.Err)
	default:
		return fmt.Sprintf("instrument %q: item %q: %v: %d", e.Instrument, e.Item, e.Err, e.Value)
	}
}

// Unwrap returns the sentinel error.
func (e *ResponseError) Unwrap() error { return e.Err }

// Is reports whether target is care.ErrInvalid, so every response error is
// also a validation error of the module.
func (e *ResponseError) Is(target error) bool { return target == care.ErrInvalid }
