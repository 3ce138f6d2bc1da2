package assessment

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
)

// Assessment is one assessment episode of one person: the scored
// instruments, the coordinator's observations and the falls profile, with
// the date that stamps every result. It is the JSON exchange form of an
// assessment and the input to [Evaluate] and [Trend].
type Assessment struct {
	ID           string        `json:"id"`                 // assessment ID
	PersonID     string        `json:"personId"`           // the person assessed (an ID, never a name)
	Date         time.Time     `json:"date"`               // when the assessment took place; stamps every result
	Assessor     string        `json:"assessor,omitempty"` // practitioner ID
	Results      []Result      `json:"results"`            // scored instruments, at most one per instrument
	Observations Observations  `json:"observations"`       // the coordinator's observations
	Falls        *FallsProfile `json:"falls,omitempty"`    // the falls profile, if recorded
}

// Add scores responses with in and appends the result. An instrument may
// appear once per assessment; a second result for the same ID is an error.
func (a *Assessment) Add(in *Instrument, responses []Response) (Result, error) {
	if a == nil {
		return Result{}, care.Invalid("assessment", "", "", "nil")
	}
	if in == nil {
		return Result{}, care.Invalid("assessment", a.ID, "instrument", "nil")
	}
	if _, dup := a.Result(in.ID); dup {
		return Result{}, care.Invalid("assessment", a.ID, "results", "instrument %q already recorded", in.ID)
	}
	r, err := in.Score(responses)
	if err != nil {
		return Result{}, fmt.Errorf("assessment %q: %w", a.ID, err)
	}
	a.Results = append(a.Results, r)
	return r, nil
}

// Result returns the result for instrument id.
func (a *Assessment) Result(id string) (Result, bool) {
	if a == nil {
		return Result{}, false
	}
	for _, r := range a.Results {
		if r.Instrument == id {
			return r, true
		}
	}
	return Result{}, false
}

// Validate checks IDs, the date, one result per instrument, the
// observations and the falls profile.
func (a *Assessment) Validate() error {
	if a == nil {
		return care.Invalid("assessment", "", "", "nil")
	}
	if a.ID == "" {
		return care.Invalid("assessment", "", "id", "empty")
	}
	if err := care.ValidateID(a.ID); err != nil {
		return care.Invalid("assessment", a.ID, "id", "%v", err)
	}
	if a.PersonID == "" {
		return care.Invalid("assessment", a.ID, "personId", "empty")
	}
	if err := care.ValidateID(a.PersonID); err != nil {
		return care.Invalid("assessment", a.ID, "personId", "%v", err)
	}
	if a.Assessor != "" {
		if err := care.ValidateID(a.Assessor); err != nil {
			return care.Invalid("assessment", a.ID, "assessor", "%v", err)
		}
	}
	if a.Date.IsZero() {
		return care.Invalid("assessment", a.ID, "date", "missing")
	}
	seen := map[string]bool{}
	for i, r := range a.Results {
		if r.Instrument == "" {
			return care.Invalid("assessment", a.ID, fmt.Sprintf("results[%d].instrument", i), "empty")
		}
		if seen[r.Instrument] {
			return care.Invalid("assessment", a.ID, fmt.Sprintf("results[%d]", i), "instrument %q recorded twice", r.Instrument)
		}
		seen[r.Instrument] = true
	}
	if err := a.Observations.Validate(); err != nil {
		return fmt.Errorf("assessment %q: %w", care.Clip(a.ID), err)
	}
	if a.Falls != nil {
		if err := a.Falls.Validate(); err != nil {
			return fmt.Errorf("assessment %q: %w", care.Clip(a.ID), err)
		}
	}
	return nil
}

// Rescore recomputes every result from its responses with the instruments
// in cat and replaces it, returning an error matching [ErrScoreMismatch]
// if a stored score or band differs from the recomputed one (a document
// scored with other rules, or edited), or the response error if answers
// are invalid. Use it after decoding an assessment from JSON.
func (a *Assessment) Rescore(cat *Catalogue) error {
	if a == nil {
		return care.Invalid("assessment", "", "", "nil")
	}
	for i, r := range a.Results {
		in, err := cat.Lookup(r.Instrument)
		if err != nil {
			return fmt.Errorf("assessment %q: %w", care.Clip(a.ID), err)
		}
		got, err := in.Score(r.Responses)
		if err != nil {
			return fmt.Errorf("assessment %q: %w", care.Clip(a.ID), err)
		}
		if math.Abs(got.Score-r.Score) > 1e-9 || got.Band.Code != r.Band.Code {
			return fmt.Errorf("assessment %q: instrument %q: stored score %g band %q, recomputed %g band %q: %w",
				a.ID, r.Instrument, r.Score, r.Band.Code, got.Score, got.Band.Code, ErrScoreMismatch)
		}
		a.Results[i] = got
	}
	return nil
}

// Cognition is the coordinator's record of cognitive impairment (e.g. a
// dementia diagnosis and its stage).
type Cognition string

// Cognition levels.
const (
	CognitionIntact   Cognition = ""
	CognitionMild     Cognition = "mild"
	CognitionModerate Cognition = "moderate"
	CognitionSevere   Cognition = "severe"
)

// MedicinesSupport is the NICE NG67 level of medicines support (REFERENCE §4.2).
type MedicinesSupport string

// Medicines support levels, in increasing order.
const (
	MedicinesNone       MedicinesSupport = ""
	MedicinesPrompt     MedicinesSupport = "prompt"     // prompting or reminding
	MedicinesAssist     MedicinesSupport = "assist"     // assisting
	MedicinesAdminister MedicinesSupport = "administer" // administering
)

// rank orders medicines support levels.
func (m MedicinesSupport) rank() int {
	return slices.Index([]MedicinesSupport{MedicinesNone, MedicinesPrompt, MedicinesAssist, MedicinesAdminister}, m)
}

// NursingNeed is a health task for a nurse rather than a care worker.
type NursingNeed string

// Nursing needs recognised by the model.
const (
	NursingWoundCare     NursingNeed = "wound-care"
	NursingCatheter      NursingNeed = "catheter-care"
	NursingInjections    NursingNeed = "injections"
	NursingPressureUlcer NursingNeed = "pressure-ulcer"
	NursingStoma         NursingNeed = "stoma-care"
	NursingPalliative    NursingNeed = "palliative"
)

// Impairment records condition 1 of Care Act eligibility: whether needs
// arise from a physical or mental impairment or illness (SI 2015/313 reg 2(1)(a)).
type Impairment struct {
	Physical bool `json:"physical,omitempty"` // a physical impairment or illness
	Mental   bool `json:"mental,omitempty"`   // a mental impairment or illness (including cognitive impairment)
}

// OutcomeObservation is the coordinator's observation on one specified
// outcome: the reg 2(3) meanings of "unable to achieve" that apply, or that
// the outcome does not apply to this person (only for work/training and
// caring for a child).
type OutcomeObservation struct {
	Unable        []Meaning `json:"unable,omitempty"`        // the reg 2(3) meanings observed
	NotApplicable bool      `json:"notApplicable,omitempty"` // the outcome does not apply (work or child care only)
	Note          string    `json:"note,omitempty"`          // practitioner's note; no names
}

// Observations are what the coordinator records besides instrument
// scores. All are optional; absent observations leave conclusions to the
// scores, which a practitioner confirms.
type Observations struct {
	Impairment Impairment                     `json:"impairment"`          // eligibility condition 1 (reg 2(1)(a))
	Outcomes   map[Outcome]OutcomeObservation `json:"outcomes,omitempty"`  // observations per specified outcome
	Cognition  Cognition                      `json:"cognition,omitempty"` // recorded cognitive impairment
	// Medicines overrides the medicines support level derived from Lawton
	// item G and cognition (set after a medicines assessment, NG67).
	Medicines MedicinesSupport `json:"medicines,omitempty"`
	// TransferCarers is the number of carers for transfers set by the
	// moving-and-handling risk assessment (0 = not yet assessed; REFERENCE §5.7).
	TransferCarers        int           `json:"transferCarers,omitempty"`
	Nursing               []NursingNeed `json:"nursing,omitempty"`               // health tasks for a nurse
	CannotRepositionAlone bool          `json:"cannotRepositionAlone,omitempty"` // the person cannot change position without help
	LivesAlone            bool          `json:"livesAlone,omitempty"`            // no one else lives with the person
	// SignificantImpact is the practitioner's judgement on eligibility
	// condition 3; nil leaves it to the model's suggestion.
	SignificantImpact *bool `json:"significantImpact,omitempty"`
	// SafeguardingConcern: a concern about abuse or neglect was raised.
	SafeguardingConcern bool `json:"safeguardingConcern,omitempty"`
	// ContinuousSupervision: the person needs someone present at all times.
	ContinuousSupervision bool `json:"continuousSupervision,omitempty"`
}

// Validate checks codes and ranges.
func (o Observations) Validate() error {
	for k, v := range o.Outcomes {
		if !slices.Contains(Outcomes(), k) {
			return care.Invalid("observations", "", "outcomes", "unknown outcome %q", care.Clip(string(k)))
		}
		if v.NotApplicable && k != OutcomeWork && k != OutcomeChildCare {
			return care.Invalid("observations", "", "outcomes."+string(k), "only work and child-care outcomes may be not applicable")
		}
		if v.NotApplicable && len(v.Unable) > 0 {
			return care.Invalid("observations", "", "outcomes."+string(k), "both not applicable and unable")
		}
		for _, m := range v.Unable {
			if !slices.Contains(Meanings(), m) {
				return care.Invalid("observations", "", "outcomes."+string(k), "unknown meaning %q", care.Clip(string(m)))
			}
		}
	}
	switch o.Cognition {
	case CognitionIntact, CognitionMild, CognitionModerate, CognitionSevere:
	default:
		return care.Invalid("observations", "", "cognition", "unknown level %q", care.Clip(string(o.Cognition)))
	}
	if o.Medicines.rank() < 0 {
		return care.Invalid("observations", "", "medicines", "unknown level %q", care.Clip(string(o.Medicines)))
	}
	if o.TransferCarers < 0 || o.TransferCarers > 2 {
		return care.Invalid("observations", "", "transferCarers", "must be 0, 1 or 2, got %d", o.TransferCarers)
	}
	for i, n := range o.Nursing {
		if !slices.Contains([]NursingNeed{NursingWoundCare, NursingCatheter, NursingInjections, NursingPressureUlcer, NursingStoma, NursingPalliative}, n) {
			return care.Invalid("observations", "", fmt.Sprintf("nursing[%d]", i), "unknown need %q", care.Clip(string(n)))
		}
	}
	return nil
}
