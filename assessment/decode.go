package assessment

import (
	"fmt"
	"io"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/jsonpos"
)

// DecodeAssessment reads one JSON assessment, validates it and re-scores
// it against cat (see [Assessment.Rescore]). Unknown JSON fields and data
// after the assessment are errors. A JSON error matches care.ErrInvalid and
// names the line, column and field path, e.g.
//
//	decode assessment: invalid: line 4, column 11 (offset 52): field date: parsing time ...
//
// Quoted values are shortened (care.Clip), so a huge input is never echoed.
func DecodeAssessment(r io.Reader, cat *Catalogue) (*Assessment, error) {
	if r == nil {
		return nil, care.Invalid("assessment", "", "", "nil reader")
	}
	var a Assessment
	if err := jsonpos.Decode(r, &a); err != nil {
		return nil, fmt.Errorf("decode assessment: %w: %w", care.ErrInvalid, err)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := a.Rescore(cat); err != nil {
		return nil, err
	}
	return &a, nil
}
