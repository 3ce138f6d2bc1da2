package careplan

import "github.com/carecoord/care"

// fieldErr returns a *care.FieldError for the plan, which matches care.ErrInvalid.
func fieldErr(plan, field, format string, args ...any) error {
	return care.Invalid(kindPlan, plan, field, format, args...)
}
