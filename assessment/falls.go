package assessment

import (
	"fmt"
	"slices"

	"github.com/carecoord/care"
)

// FallsRiskFactor is one component of the multifactorial falls assessment
// (NICE CG161 list, kept by NG249; REFERENCE §1.6).
type FallsRiskFactor string

// Falls risk factors (REFERENCE §1.6).
const (
	FallsHistory        FallsRiskFactor = "falls-history"
	FallsGaitBalance    FallsRiskFactor = "gait-balance-mobility-weakness"
	FallsOsteoporosis   FallsRiskFactor = "osteoporosis"
	FallsFear           FallsRiskFactor = "fear-of-falling"
	FallsVision         FallsRiskFactor = "vision"
	FallsCognition      FallsRiskFactor = "cognition-neurological"
	FallsIncontinence   FallsRiskFactor = "urinary-incontinence"
	FallsHomeHazards    FallsRiskFactor = "home-hazards"
	FallsCardiovascular FallsRiskFactor = "cardiovascular"
	FallsMedication     FallsRiskFactor = "medication"
)

// knownFallsFactors lists the valid factors.
func knownFallsFactors() []FallsRiskFactor {
	return []FallsRiskFactor{FallsHistory, FallsGaitBalance, FallsOsteoporosis, FallsFear, FallsVision,
		FallsCognition, FallsIncontinence, FallsHomeHazards, FallsCardiovascular, FallsMedication}
}

// FallsReferral is the status of the referral for a multifactorial falls assessment.
type FallsReferral string

// Falls referral statuses.
const (
	FallsNotReferred FallsReferral = ""
	FallsReferred    FallsReferral = "referred"
	FallsAssessed    FallsReferral = "assessed"
	FallsDeclined    FallsReferral = "declined"
)

// FallsProfile records falls events, case-finding criteria, risk factors and
// referral status. Per NICE NG249 (2025) it is deliberately not a
// prediction score: "falls risk" is a set of factors plus a referral
// status (REFERENCE §1.6).
type FallsProfile struct {
	Age                 int               `json:"age"`                           // age in years at the assessment
	FallsLast12Months   int               `json:"fallsLast12Months"`             // number of falls in the last 12 months
	InjuriousFall       bool              `json:"injuriousFall,omitempty"`       // a fall with injury
	Frailty             bool              `json:"frailty,omitempty"`             // frailty recorded
	GaitBalanceProblems bool              `json:"gaitBalanceProblems,omitempty"` // gait or balance problems recorded
	UnableToGetUp       bool              `json:"unableToGetUp,omitempty"`       // lay on the floor / could not get up
	Syncope             bool              `json:"syncope,omitempty"`             // loss of consciousness or suspected syncope
	RiskFactors         []FallsRiskFactor `json:"riskFactors,omitempty"`         // multifactorial assessment components found (CG161 list)
	Referral            FallsReferral     `json:"referral,omitempty"`            // status of the falls referral
}

// Validate checks ranges and factor codes.
func (p FallsProfile) Validate() error {
	if p.Age < 0 || p.Age > 130 {
		return care.Invalid("falls profile", "", "age", "out of range: %d", p.Age)
	}
	if p.FallsLast12Months < 0 {
		return care.Invalid("falls profile", "", "fallsLast12Months", "negative: %d", p.FallsLast12Months)
	}
	for i, f := range p.RiskFactors {
		if !slices.Contains(knownFallsFactors(), f) {
			return care.Invalid("falls profile", "", fmt.Sprintf("riskFactors[%d]", i), "unknown factor %q", f)
		}
	}
	switch p.Referral {
	case FallsNotReferred, FallsReferred, FallsAssessed, FallsDeclined:
	default:
		return care.Invalid("falls profile", "", "referral", "unknown status %q", p.Referral)
	}
	return nil
}

// CaseFinding reports whether NICE NG249 case-finding criteria for a
// comprehensive (multifactorial) falls assessment are met, with the
// evidence: the person is ≥65, or 50–64 with a risk factor, and has had an
// injurious fall, multiple (≥2) falls, frailty, or gait/balance problems
// (REFERENCE §1.6; QS86 statement 2).
func (p FallsProfile) CaseFinding() (bool, []Evidence) {
	var ev []Evidence
	add := func(item string, v float64, note string) {
		ev = append(ev, Evidence{Source: SourceFalls, Item: item, Value: v, Note: note})
	}
	if p.InjuriousFall {
		add("injuriousFall", 1, "injurious fall")
	}
	if p.FallsLast12Months >= 2 {
		add("fallsLast12Months", float64(p.FallsLast12Months), "multiple falls in 12 months")
	}
	if p.Frailty {
		add("frailty", 1, "frailty")
	}
	if p.GaitBalanceProblems {
		add("gaitBalanceProblems", 1, "gait or balance problems")
	}
	if len(ev) == 0 {
		return false, nil
	}
	switch {
	case p.Age >= 65:
		add("age", float64(p.Age), "aged 65 or over (NG249)")
	case p.Age >= 50 && (len(p.RiskFactors) > 0 || p.Frailty || p.GaitBalanceProblems):
		add("age", float64(p.Age), "aged 50-64 with a risk factor (NG249)")
	default:
		return false, nil
	}
	return true, ev
}

// FallsStratum is the World Falls Guidelines 2022 risk stratum.
type FallsStratum string

// World Falls Guidelines strata (REFERENCE §1.6, ◐).
const (
	FallsLow          FallsStratum = "low"          // education
	FallsIntermediate FallsStratum = "intermediate" // strength and balance exercise
	FallsHigh         FallsStratum = "high"         // multifactorial assessment
)

// Stratum returns the World Falls Guidelines 2022 stratum (◐): high after
// an injurious fall, ≥2 falls in 12 months, frailty, being unable to get up
// or syncope; intermediate after one non-injurious fall with gait/balance
// impairment; low otherwise. It is advisory: NG249 does not predict risk.
func (p FallsProfile) Stratum() FallsStratum {
	switch {
	case p.InjuriousFall || p.FallsLast12Months >= 2 || p.Frailty || p.UnableToGetUp || p.Syncope:
		return FallsHigh
	case p.FallsLast12Months == 1 && p.GaitBalanceProblems:
		return FallsIntermediate
	default:
		return FallsLow
	}
}

// Flags returns [FlagFalls] when the NG249 case-finding criteria are met.
// Escalation is routine unless the referral is already made, assessed or
// declined, in which case the flag is informational.
func (p FallsProfile) Flags() []Flag {
	ok, ev := p.CaseFinding()
	if !ok {
		return nil
	}
	for _, f := range p.RiskFactors {
		ev = append(ev, Evidence{Source: SourceFalls, Item: "riskFactor", Value: 1, Note: string(f)})
	}
	f := Flag{Code: FlagFalls, Severity: SeverityHigh, Escalation: EscalateRoutine, Rule: "NG249",
		Action: "refer for a comprehensive multifactorial falls assessment", Source: "NICE NG249, QS86 st.2 (REFERENCE 1.6)", Evidence: ev}
	if p.Referral != FallsNotReferred {
		f.Severity, f.Escalation = SeverityInfo, EscalateNone
		f.Action = "falls referral status: " + string(p.Referral)
	}
	return []Flag{f}
}
