package assessment

import (
	"fmt"
	"time"
)

// FlagCode identifies a kind of risk flag. Care plans and compliance switch
// on it.
type FlagCode string

// Flag codes raised by the built-in instruments and the falls model.
const (
	// FlagSelfHarm: PHQ-9 item 9 answered ≥1, whatever the total. Same-day
	// structured risk conversation and escalation (REFERENCE §1.5; rule RISK-PHQ9).
	FlagSelfHarm FlagCode = "self-harm-risk"
	// FlagDepression: PHQ-9 ≥10, the usual threshold for further
	// assessment or referral (REFERENCE §1.5).
	FlagDepression FlagCode = "depression"
	// FlagAnxiety: GAD-7 ≥10 (REFERENCE §1.5).
	FlagAnxiety FlagCode = "anxiety"
	// FlagAdministerFull: PHQ-2 or GAD-2 ≥3, administer the full tool (REFERENCE §1.5).
	FlagAdministerFull FlagCode = "administer-full-tool"
	// FlagLowWellbeing: WEMWBS/SWEMWBS in the probable-depression band;
	// a low-wellbeing flag, never a diagnosis (REFERENCE §1.4).
	FlagLowWellbeing FlagCode = "low-wellbeing"
	// FlagLoneliness: UCLA-3 ≥6 or ONS direct question "often/always" (REFERENCE §1.9).
	FlagLoneliness FlagCode = "loneliness"
	// FlagPressureUlcer: Waterlow ≥10 or Braden ≤18; carries the NICE
	// CG179 repositioning interval (REFERENCE §1.8; rule REPOS).
	FlagPressureUlcer FlagCode = "pressure-ulcer-risk"
	// FlagMalnutrition: MUST medium or high risk, or Waterlow nutrition
	// screen >2 (REFERENCE §1.7, §1.8).
	FlagMalnutrition FlagCode = "malnutrition-risk"
	// FlagFalls: NICE NG249 case-finding criteria met; a multifactorial
	// falls assessment is needed (REFERENCE §1.6).
	FlagFalls FlagCode = "falls"
	// FlagSafeguarding: the coordinator recorded a concern about abuse or
	// neglect; the safeguarding lead is told the same day.
	FlagSafeguarding FlagCode = "safeguarding"
)

// Severity grades a flag.
type Severity string

// Severities, in increasing order.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityHigh    Severity = "high"
	SeverityUrgent  Severity = "urgent"
)

// Escalation says how soon a flag must be acted on.
type Escalation string

// Escalations.
const (
	EscalateNone    Escalation = ""
	EscalateRoutine Escalation = "routine"  // at the next planned contact or referral
	EscalateSameDay Escalation = "same-day" // the same day, e.g. RISK-PHQ9
)

// Flag is a typed risk flag. Scores never decide alone: a flag asks a
// practitioner to act and confirm (REFERENCE encoding advice 4).
type Flag struct {
	Code       FlagCode   `json:"code"`                 // what kind of risk
	Severity   Severity   `json:"severity"`             // how serious
	Escalation Escalation `json:"escalation,omitempty"` // how soon it must be acted on
	// RepositionHours is the maximum interval between position changes
	// (NICE CG179/QS89: 6 at risk, 4 high risk); 0 if not a pressure flag.
	// When the person cannot reposition alone it is a maximum gap between visits.
	RepositionHours int        `json:"repositionHours,omitempty"`
	Rule            string     `json:"rule,omitempty"`   // catalogue rule ID, e.g. "RISK-PHQ9"
	Action          string     `json:"action,omitempty"` // what must happen, in plain words
	Source          string     `json:"source,omitempty"` // the guidance the rule comes from
	Evidence        []Evidence `json:"evidence"`         // the facts that raised the flag
}

// Sensitive reports whether the flag must never be shared on family or
// other non-clinical channels: PHQ-9 item 9 and safeguarding (REFERENCE §6,
// purpose tags and export filters).
func (f Flag) Sensitive() bool {
	return f.Code == FlagSelfHarm || f.Code == FlagSafeguarding
}

// EvidenceSource says where a piece of evidence came from.
type EvidenceSource string

// Evidence sources.
const (
	SourceInstrument  EvidenceSource = "instrument"  // a scored item, subscale or total
	SourceObservation EvidenceSource = "observation" // a coordinator's recorded observation
	SourceFalls       EvidenceSource = "falls"       // the falls profile
	SourceDerived     EvidenceSource = "derived"     // a conclusion drawn from other conclusions
)

// Evidence is one fact that led to a conclusion. It names instruments and
// items by ID and carries no free-text personal details beyond the note.
type Evidence struct {
	Source     EvidenceSource `json:"source"`               // where the evidence came from
	Instrument string         `json:"instrument,omitempty"` // instrument ID for instrument evidence
	Item       string         `json:"item,omitempty"`       // item, subscale or observation key
	Value      float64        `json:"value,omitempty"`      // the score, count or 1 for a present observation
	Band       string         `json:"band,omitempty"`       // band code, when a band decided
	Date       time.Time      `json:"date,omitzero"`        // the assessment date
	Note       string         `json:"note,omitempty"`       // short explanation; IDs and codes only, no names
}

// String renders the evidence compactly, e.g. "barthel100/transfers=5: major help".
func (e Evidence) String() string {
	key := e.Instrument
	if e.Item != "" {
		if key != "" {
			key += "/"
		}
		key += e.Item
	}
	if key == "" {
		key = string(e.Source)
	}
	s := fmt.Sprintf("%s=%g", key, e.Value)
	if e.Note != "" {
		s += ": " + e.Note
	}
	return s
}
