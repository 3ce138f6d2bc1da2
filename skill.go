package care

import (
	"fmt"
	"time"
)

// Skill is a typed code for something a worker is trained and competent to
// do. The common codes are constants; an agency may use its own codes too
// (lower case letters, digits, '_' and '-').
type Skill string

// Common skills in UK home care.
const (
	SkillPersonalCare    Skill = "personal_care"    // washing, dressing, toileting
	SkillMedication      Skill = "medication"       // medicines administration (NICE NG67 competence)
	SkillHoist           Skill = "hoist"            // moving and handling with a hoist (REFERENCE §5.7)
	SkillCatheterStoma   Skill = "catheter_stoma"   // catheter and stoma care
	SkillPEGFeeding      Skill = "peg_feeding"      // percutaneous endoscopic gastrostomy feeding
	SkillDementia        Skill = "dementia"         // dementia care
	SkillEndOfLife       Skill = "end_of_life"      // end of life care
	SkillNursing         Skill = "nursing"          // registered nursing
	SkillChiropody       Skill = "chiropody"        // foot care by a chiropodist or podiatrist
	SkillBefriending     Skill = "befriending"      // companionship and social support
	SkillMealPreparation Skill = "meal_preparation" // meals and hydration
)

// CommonSkills lists the documented skill codes in a stable order.
func CommonSkills() []Skill {
	return []Skill{SkillPersonalCare, SkillMedication, SkillHoist, SkillCatheterStoma, SkillPEGFeeding,
		SkillDementia, SkillEndOfLife, SkillNursing, SkillChiropody, SkillBefriending, SkillMealPreparation}
}

// Validate reports an error unless the code is 1 to 64 characters of lower
// case letters, digits, '_' or '-'.
func (s Skill) Validate() error {
	if len(s) == 0 || len(s) > 64 {
		return fmt.Errorf("skill code must have 1 to 64 characters, got %d", len(s))
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("skill code %q may hold only a-z, 0-9, '_' and '-'", truncate(string(s), 64))
		}
	}
	return nil
}

// Qualification records that a worker holds a skill: at which level, when it
// was obtained and, for training that must be refreshed, when it expires.
type Qualification struct {
	Skill    Skill      `json:"skill"`             // the skill held
	Level    int        `json:"level,omitempty"`   // e.g. RQF level or an agency competence level; 0 = not graded
	Obtained time.Time  `json:"obtained"`          // date the training or assessment was passed
	Expires  *time.Time `json:"expires,omitempty"` // nil = does not expire
}

// Valid reports whether the qualification is in force at the instant at:
// obtained at or before it and not yet expired (an expiry instant is the first
// instant at which it is no longer valid).
func (q Qualification) Valid(at time.Time) bool {
	if at.Before(q.Obtained) {
		return false
	}
	return q.Expires == nil || at.Before(*q.Expires)
}

// Validate reports problems with the qualification; field names are relative.
func (q Qualification) validate(kind, id, field string) []error {
	var errs []error
	if err := q.Skill.Validate(); err != nil {
		errs = append(errs, Invalid(kind, id, field+".skill", "%v", err))
	}
	if q.Level < 0 {
		errs = append(errs, Invalid(kind, id, field+".level", "must not be negative, got %d", q.Level))
	}
	if q.Obtained.IsZero() {
		errs = append(errs, Invalid(kind, id, field+".obtained", "is required"))
	}
	if q.Expires != nil && !q.Obtained.IsZero() && !q.Expires.After(q.Obtained) {
		errs = append(errs, Invalid(kind, id, field+".expires", "%s is not after obtained %s",
			q.Expires.Format(time.DateOnly), q.Obtained.Format(time.DateOnly)))
	}
	return errs
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
