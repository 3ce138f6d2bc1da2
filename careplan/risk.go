package careplan

import (
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
)

// RiskLevel grades a risk.
type RiskLevel string

// Risk levels, in increasing order.
const (
	RiskLow    RiskLevel = "low"
	RiskMedium RiskLevel = "medium"
	RiskHigh   RiskLevel = "high"
	RiskUrgent RiskLevel = "urgent"
)

// Escalation is what a risk escalates to and by when, e.g. a safeguarding
// referral to the local authority (CQC Reg 13) or a same-day GP contact
// after PHQ-9 item 9 (rule RISK-PHQ9).
type Escalation struct {
	To           string     `json:"to"`                     // e.g. "safeguarding lead", "GP", "crisis line"
	Safeguarding bool       `json:"safeguarding,omitempty"` // a safeguarding referral
	Due          time.Time  `json:"due"`                    // when it must be done by
	Done         *time.Time `json:"done,omitempty"`         // when it was done
}

// Risk is an entry in the plan's risk register: from an assessment flag or
// entered by the coordinator, with its controls, owner, review date and
// escalation (CQC Reg 12(2)(a)-(b)).
type Risk struct {
	ID          string      `json:"id"`                   // unique within the plan
	Flag        string      `json:"flag,omitempty"`       // assessment flag code, e.g. "falls"; empty = coordinator entry
	Description string      `json:"description"`          // plain words, no names
	Level       RiskLevel   `json:"level"`                // low to urgent
	Controls    []string    `json:"controls,omitempty"`   // what reduces the risk
	Owner       string      `json:"owner"`                // practitioner or staff ID responsible
	ReviewBy    time.Time   `json:"review_by"`            // when it is next reviewed
	Escalation  *Escalation `json:"escalation,omitempty"` // what it escalates to, if anything
	// Providers are the practitioners the risk concerns (for professional notices).
	Providers []string   `json:"providers,omitempty"`
	Closed    *time.Time `json:"closed,omitempty"`   // when it was closed
	Evidence  []Evidence `json:"evidence,omitempty"` // what it came from
}

// Sensitive reports whether the risk is never told to family channels:
// self-harm (PHQ-9 item 9) and safeguarding (REFERENCE §6).
func (r *Risk) Sensitive() bool {
	return r.Flag == "self-harm-risk" || r.Flag == "safeguarding" || r.Escalation != nil && r.Escalation.Safeguarding
}

func (r *Risk) validate(plan string, i int) []error {
	var errs []error
	f := fmt.Sprintf("risk %q", r.ID)
	if err := care.ValidateID(r.ID); err != nil {
		f = fmt.Sprintf("risks[%d]", i)
		errs = append(errs, fieldErr(plan, f+".id", "%v", err))
	}
	if !slices.Contains([]RiskLevel{RiskLow, RiskMedium, RiskHigh, RiskUrgent}, r.Level) {
		errs = append(errs, fieldErr(plan, f+".level", "unknown level %q", trunc(string(r.Level))))
	}
	if r.Owner == "" {
		errs = append(errs, fieldErr(plan, f+".owner", "is required"))
	}
	if r.ReviewBy.IsZero() {
		errs = append(errs, fieldErr(plan, f+".review_by", "is required"))
	}
	if r.Escalation != nil && (r.Escalation.To == "" || r.Escalation.Due.IsZero()) {
		errs = append(errs, fieldErr(plan, f+".escalation", "needs to and due"))
	}
	return errs
}

// AddRisk adds a coordinator's entry to the register, refusing a duplicate
// ID or an invalid entry.
func (p *Plan) AddRisk(r Risk) error {
	if findRisk(p, r.ID) != nil {
		return fieldErr(string(p.ID), fmt.Sprintf("risk %q", r.ID), "duplicate risk id")
	}
	if errs := r.validate(string(p.ID), len(p.Risks)); len(errs) > 0 {
		return errs[0]
	}
	p.Risks = append(p.Risks, r)
	return nil
}

// RiskAction is something due on the risk register.
type RiskAction struct {
	Risk    string    `json:"risk"`    // the risk ID
	What    string    `json:"what"`    // "review" or "escalate"
	Due     time.Time `json:"due"`     // when
	Overdue bool      `json:"overdue"` // already overdue at the instant asked
}

// RiskActions lists open risks whose review or escalation falls due by the
// instant by, marking those already overdue at the instant at, most urgent first.
func (p *Plan) RiskActions(at, by time.Time) []RiskAction {
	var out []RiskAction
	for _, r := range p.Risks {
		if r.Closed != nil {
			continue
		}
		if e := r.Escalation; e != nil && e.Done == nil && !e.Due.After(by) {
			out = append(out, RiskAction{Risk: r.ID, What: "escalate to " + e.To, Due: e.Due, Overdue: e.Due.Before(at)})
		}
		if !r.ReviewBy.After(by) {
			out = append(out, RiskAction{Risk: r.ID, What: "review", Due: r.ReviewBy, Overdue: r.ReviewBy.Before(at)})
		}
	}
	slices.SortStableFunc(out, func(a, b RiskAction) int { return a.Due.Compare(b.Due) })
	return out
}
