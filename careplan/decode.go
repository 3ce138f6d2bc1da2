package careplan

import (
	"fmt"
	"io"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/jsonpos"
)

// Decode reads one care plan in JSON from r strictly (unknown fields and
// data after the plan are errors) and validates it with [Plan.Validate].
//
// A JSON error matches care.ErrInvalid and names the line, column and field
// path, e.g. "decode plan: invalid: line 40, column 13 (offset 712): field
// start: parsing time ..."; quoted values are shortened (care.Clip), so a
// huge input is never echoed. A validation error is Validate's, and the plan
// is returned with it so that a caller may show it; it must not be used.
func Decode(r io.Reader) (*Plan, error) {
	if r == nil {
		return nil, care.Invalid(kindPlan, "", "", "nil reader")
	}
	var p Plan
	if err := jsonpos.Decode(r, &p); err != nil {
		return nil, fmt.Errorf("decode plan: %w: %w", care.ErrInvalid, err)
	}
	if err := p.Validate(); err != nil {
		return &p, err
	}
	return &p, nil
}
