package careplan

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoord/care/assessment"
)

// FHIR code systems of this library (under assessment.FHIRBase).
const (
	// TaskKindSystem codes the plan's task kinds (TaskKind values).
	TaskKindSystem = assessment.FHIRBase + "/CodeSystem/care-task-kind"
	// OutcomeSystem codes the Care Act specified outcomes (reg 2(2)), as need codes.
	OutcomeSystem = assessment.FHIRBase + "/CodeSystem/care-act-outcome"
	// ConsentCategorySystem codes the consent decisions (ConsentCategory values).
	ConsentCategorySystem = assessment.FHIRBase + "/CodeSystem/consent-category"
	// PlanCategorySystem codes the kind of care plan.
	PlanCategorySystem = assessment.FHIRBase + "/CodeSystem/careplan-category"
	// PlanIdentifierSystem is the system of plan identifiers.
	PlanIdentifierSystem = assessment.FHIRBase + "/careplan"
)

// FHIRRef is a FHIR Reference: a relative or contained ("#id") reference,
// or a display alone for a party with no resource here.
type FHIRRef struct {
	Reference string `json:"reference,omitempty"` // e.g. "Patient/u1" or "#g1"
	Display   string `json:"display,omitempty"`   // text alone when there is no resource
}

// FHIRIdentifier is a FHIR Identifier.
type FHIRIdentifier struct {
	System string `json:"system"` // namespace of the value
	Value  string `json:"value"`  // the identifier
}

// FHIRTimingRepeat is a FHIR Timing.repeat.
type FHIRTimingRepeat struct {
	Frequency    int      `json:"frequency,omitempty"`    // times per period
	Period       float64  `json:"period,omitempty"`       // length of the period
	PeriodUnit   string   `json:"periodUnit,omitempty"`   // "h", "d", "wk"
	DayOfWeek    []string `json:"dayOfWeek,omitempty"`    // "mon".."sun"
	TimeOfDay    []string `json:"timeOfDay,omitempty"`    // "08:00:00"
	Duration     float64  `json:"duration,omitempty"`     // length of each occurrence
	DurationUnit string   `json:"durationUnit,omitempty"` // "min"
}

// FHIRTiming is a FHIR Timing.
type FHIRTiming struct {
	Repeat FHIRTimingRepeat `json:"repeat"` // when the event repeats
}

// FHIRActivityDetail is CarePlan.activity.detail.
type FHIRActivityDetail struct {
	Kind            string                          `json:"kind"`                      // "Task" or "ServiceRequest"
	Code            *assessment.FHIRCodeableConcept `json:"code,omitempty"`            // task kind or referral target
	ReasonReference []FHIRRef                       `json:"reasonReference,omitempty"` // contained needs
	Goal            []FHIRRef                       `json:"goal,omitempty"`            // contained goals
	Status          string                          `json:"status"`                    // not-started, in-progress or completed
	ScheduledTiming *FHIRTiming                     `json:"scheduledTiming,omitempty"` // days, times and length
	Performer       []FHIRRef                       `json:"performer,omitempty"`       // who does it
	Description     string                          `json:"description,omitempty"`     // plain words
}

// FHIRActivity is CarePlan.activity.
type FHIRActivity struct {
	Detail FHIRActivityDetail `json:"detail"` // the activity in line
}

// FHIRGoalTarget is Goal.target.
type FHIRGoalTarget struct {
	DetailString string `json:"detailString,omitempty"` // how we will know it is achieved
	DueDate      string `json:"dueDate,omitempty"`      // YYYY-MM-DD
}

// FHIRGoal is a FHIR R4 Goal: an outcome the person wants, in their words.
type FHIRGoal struct {
	ResourceType      string                          `json:"resourceType"`                // "Goal"
	ID                string                          `json:"id"`                          // the goal ID
	LifecycleStatus   string                          `json:"lifecycleStatus"`             // proposed, accepted, active or completed
	AchievementStatus *assessment.FHIRCodeableConcept `json:"achievementStatus,omitempty"` // achieved, when it is
	Description       assessment.FHIRCodeableConcept  `json:"description"`                 // the person's words
	Subject           FHIRRef                         `json:"subject"`                     // the person
	Target            []FHIRGoalTarget                `json:"target,omitempty"`            // target and due date
	ExpressedBy       *FHIRRef                        `json:"expressedBy,omitempty"`       // the person, whose words these are
	Addresses         []FHIRRef                       `json:"addresses,omitempty"`         // contained needs
}

// FHIRConditionEvidence is Condition.evidence.
type FHIRConditionEvidence struct {
	Code []assessment.FHIRCodeableConcept `json:"code"` // evidence references as text
}

// FHIRCondition is a FHIR R4 Condition (category problem-list-item) for one
// need: a specified outcome the person cannot achieve (REFERENCE §7).
type FHIRCondition struct {
	ResourceType       string                           `json:"resourceType"`       // "Condition"
	ID                 string                           `json:"id"`                 // the need ID
	ClinicalStatus     assessment.FHIRCodeableConcept   `json:"clinicalStatus"`     // active
	VerificationStatus assessment.FHIRCodeableConcept   `json:"verificationStatus"` // provisional for a draft, else confirmed
	Category           []assessment.FHIRCodeableConcept `json:"category"`           // problem-list-item
	Code               assessment.FHIRCodeableConcept   `json:"code"`               // the Care Act outcome
	Subject            FHIRRef                          `json:"subject"`            // the person
	Evidence           []FHIRConditionEvidence          `json:"evidence,omitempty"` // assessment references
}

// FHIRCarePlan is a FHIR R4 CarePlan with its goals and needs contained.
type FHIRCarePlan struct {
	ResourceType string                           `json:"resourceType"`        // "CarePlan"
	ID           string                           `json:"id"`                  // the plan ID
	Identifier   []FHIRIdentifier                 `json:"identifier"`          // plan ID and version
	Contained    []any                            `json:"contained,omitempty"` // *FHIRCondition and *FHIRGoal
	Status       string                           `json:"status"`              // draft, active or completed
	Intent       string                           `json:"intent"`              // "plan"
	Category     []assessment.FHIRCodeableConcept `json:"category"`            // care and support plan
	Title        string                           `json:"title"`               // a fixed title, no names
	Subject      FHIRRef                          `json:"subject"`             // the person
	Period       *assessment.FHIRPeriod           `json:"period,omitempty"`    // start and end of the service
	Addresses    []FHIRRef                        `json:"addresses,omitempty"` // contained needs
	Goal         []FHIRRef                        `json:"goal,omitempty"`      // contained goals
	Activity     []FHIRActivity                   `json:"activity,omitempty"`  // tasks and referrals
	Note         []FHIRAnnotation                 `json:"note,omitempty"`      // free notes, no names
}

// FHIRAnnotation is a FHIR Annotation.
type FHIRAnnotation struct {
	Text string `json:"text"` // the note
}

// FHIRConsentProvision is Consent.provision.
type FHIRConsentProvision struct {
	Type   string                           `json:"type"`             // "permit"
	Period *assessment.FHIRPeriod           `json:"period,omitempty"` // when the consent applies
	Code   []assessment.FHIRCodeableConcept `json:"code,omitempty"`   // the decision category and flags
}

// FHIRConsent is a FHIR R4 Consent for one decision of the plan.
type FHIRConsent struct {
	ResourceType    string                           `json:"resourceType"`              // "Consent"
	ID              string                           `json:"id"`                        // "<plan>-consent-<decision>"
	Status          string                           `json:"status"`                    // proposed, active or inactive
	Scope           assessment.FHIRCodeableConcept   `json:"scope"`                     // treatment or patient-privacy
	Category        []assessment.FHIRCodeableConcept `json:"category"`                  // LOINC 59284-0 and the decision category
	Patient         FHIRRef                          `json:"patient"`                   // the person
	DateTime        string                           `json:"dateTime,omitempty"`        // when agreed
	Performer       []FHIRRef                        `json:"performer,omitempty"`       // who agreed: the person or their attorney
	PolicyRule      assessment.FHIRCodeableConcept   `json:"policyRule"`                // the law it rests on
	SourceReference *FHIRRef                         `json:"sourceReference,omitempty"` // the care plan
	Provision       FHIRConsentProvision             `json:"provision"`                 // permit, with the decision's codes
}

// fhirPlanStatus maps the lifecycle to CarePlan.status: a draft is
// "draft"; an agreed, active or under-review plan is in force, "active";
// an ended plan is "completed".
func fhirPlanStatus(s Status) string {
	switch s {
	case Agreed, Active, UnderReview:
		return "active"
	case Ended:
		return "completed"
	}
	return "draft"
}

// fhirActivityStatus maps the lifecycle to CarePlan.activity.detail.status.
func fhirActivityStatus(s Status) string {
	switch s {
	case Active, UnderReview:
		return "in-progress"
	case Ended:
		return "completed"
	}
	return "not-started"
}

var fhirDays = map[Day]string{Monday: "mon", Tuesday: "tue", Wednesday: "wed", Thursday: "thu", Friday: "fri", Saturday: "sat", Sunday: "sun"}

func fhirDate(t time.Time) string { return t.Format(time.RFC3339) }

// FHIRCarePlan exports the plan as a FHIR R4 CarePlan (REFERENCE §7): its
// needs as contained Conditions (category problem-list-item, coded by
// Care Act outcome) that the plan addresses, its goals as contained Goals
// in the person's words, each task as an activity (kind Task, coded by
// task kind, with its timing, performer, goals and the needs it meets),
// each referral as an activity of kind ServiceRequest. The plan must be valid.
func (p *Plan) FHIRCarePlan() (*FHIRCarePlan, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("FHIR export: %w", err)
	}
	subject := FHIRRef{Reference: "Patient/" + string(p.ServiceUser)}
	cp := &FHIRCarePlan{
		ResourceType: "CarePlan", ID: string(p.ID),
		Identifier: []FHIRIdentifier{{System: PlanIdentifierSystem, Value: fmt.Sprintf("%s|v%d", p.ID, p.Version)}},
		Status:     fhirPlanStatus(p.Status), Intent: "plan",
		Category: []assessment.FHIRCodeableConcept{{Coding: []assessment.FHIRCoding{{System: PlanCategorySystem, Code: "care-and-support",
			Display: "Care and support plan (Care Act 2014 s.25)"}}}},
		Title:   "Care and support plan",
		Subject: subject,
	}
	if p.Start != nil {
		cp.Period = &assessment.FHIRPeriod{Start: fhirDate(*p.Start)}
		if p.End != nil {
			cp.Period.End = fhirDate(*p.End)
		}
	}
	for _, n := range p.Needs {
		c := &FHIRCondition{ResourceType: "Condition", ID: n.ID,
			ClinicalStatus: assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{
				System: "http://terminology.hl7.org/CodeSystem/condition-clinical", Code: "active"}}},
			VerificationStatus: assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{
				System: "http://terminology.hl7.org/CodeSystem/condition-ver-status", Code: verification(p.Status)}}},
			Category: []assessment.FHIRCodeableConcept{{Coding: []assessment.FHIRCoding{{
				System: "http://terminology.hl7.org/CodeSystem/condition-category", Code: "problem-list-item"}}}},
			Code: assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{System: OutcomeSystem, Code: n.Outcome,
				Display: assessment.Outcome(n.Outcome).Description()}}, Text: n.Description},
			Subject: subject,
		}
		for _, e := range n.Evidence {
			if e.Ref != "" {
				c.Evidence = append(c.Evidence, FHIRConditionEvidence{Code: []assessment.FHIRCodeableConcept{{Text: e.Ref}}})
			}
		}
		cp.Contained = append(cp.Contained, c)
		cp.Addresses = append(cp.Addresses, FHIRRef{Reference: "#" + n.ID})
	}
	for _, g := range p.Goals {
		fg := &FHIRGoal{ResourceType: "Goal", ID: g.ID, LifecycleStatus: goalLifecycle(p.Status, g.Achieved),
			Description: assessment.FHIRCodeableConcept{Text: g.Words}, Subject: subject, ExpressedBy: &FHIRRef{Reference: subject.Reference}}
		if g.Achieved {
			fg.AchievementStatus = &assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{
				System: "http://terminology.hl7.org/CodeSystem/goal-achievement", Code: "achieved"}}}
		}
		if g.Target != "" || g.Due != nil {
			t := FHIRGoalTarget{DetailString: g.Target}
			if g.Due != nil {
				t.DueDate = g.Due.Format(time.DateOnly)
			}
			fg.Target = []FHIRGoalTarget{t}
		}
		for _, n := range g.Needs {
			fg.Addresses = append(fg.Addresses, FHIRRef{Reference: "#" + n})
		}
		cp.Contained = append(cp.Contained, fg)
		cp.Goal = append(cp.Goal, FHIRRef{Reference: "#" + g.ID})
	}
	status := fhirActivityStatus(p.Status)
	for _, t := range p.Tasks {
		d := FHIRActivityDetail{Kind: "Task", Status: status, Description: t.Description,
			Code:            &assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{System: TaskKindSystem, Code: string(t.Kind)}}, Text: t.ID},
			ScheduledTiming: taskTiming(&t)}
		if pr, ok := p.Practitioner(t.Provider); ok {
			d.Performer = []FHIRRef{{Display: fmt.Sprintf("%s (%s)", pr.ID, pr.Kind)}}
		}
		for _, n := range t.Needs {
			d.ReasonReference = append(d.ReasonReference, FHIRRef{Reference: "#" + n})
		}
		for _, g := range t.Goals {
			d.Goal = append(d.Goal, FHIRRef{Reference: "#" + g})
		}
		cp.Activity = append(cp.Activity, FHIRActivity{Detail: d})
	}
	for _, r := range p.Referrals {
		d := FHIRActivityDetail{Kind: "ServiceRequest", Status: "not-started", Description: r.Reason,
			Code: &assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{System: assessment.FHIRBase + "/CodeSystem/referral-target", Code: r.To}}, Text: r.ID}}
		if r.Made != nil {
			d.Status = "in-progress"
		}
		if pr, ok := p.Practitioner(r.Practitioner); ok {
			d.Performer = []FHIRRef{{Display: fmt.Sprintf("%s (%s)", pr.ID, pr.Kind)}}
		} else {
			d.Performer = []FHIRRef{{Display: r.To}}
		}
		cp.Activity = append(cp.Activity, FHIRActivity{Detail: d})
	}
	return cp, nil
}

func verification(s Status) string {
	if s == Draft {
		return "provisional"
	}
	return "confirmed"
}

func goalLifecycle(s Status, achieved bool) string {
	switch {
	case achieved:
		return "completed"
	case s == Draft:
		return "proposed"
	case s == Agreed:
		return "accepted"
	case s == Ended:
		return "completed"
	}
	return "active"
}

// taskTiming is the FHIR timing of a task: its days and times of day with
// its length, every n weeks; a repositioning task done at every visit is
// "at most every n hours".
func taskTiming(t *Task) *FHIRTiming {
	r := FHIRTimingRepeat{Duration: float64(t.Minutes), DurationUnit: "min"}
	if len(t.Times) == 0 && t.RepositionHours > 0 {
		r.Frequency, r.Period, r.PeriodUnit = 1, float64(t.RepositionHours), "h"
		return &FHIRTiming{Repeat: r}
	}
	days := t.Days
	if len(days) == 0 {
		days = Week()
	}
	for _, d := range Week() {
		for _, x := range days {
			if x == d {
				r.DayOfWeek = append(r.DayOfWeek, fhirDays[d])
			}
		}
	}
	for _, tm := range t.Times {
		r.TimeOfDay = append(r.TimeOfDay, tm+":00")
	}
	if t.every() > 1 {
		r.Frequency, r.Period, r.PeriodUnit = 1, float64(t.every()), "wk"
	}
	return &FHIRTiming{Repeat: r}
}

// FHIRConsents exports one FHIR R4 Consent per decision of the plan
// (Plan.Decisions; CQC Reg 11, REFERENCE §2.5, §7): scope "treatment", or
// "patient-privacy" for sharing information; category LOINC 59284-0
// "Patient Consent" and the decision's category; the policy rule the Care
// Act, the Mental Capacity Act and CQC Regulation 11. A plan with a record
// of agreement that is agreed, active or under review exports active
// consents performed by the person (Patient) or the contact who agreed for
// them (RelatedPerson); a draft exports proposed consents; an ended plan
// inactive ones. Restrictive and covert decisions carry those codes in the
// provision.
func (p *Plan) FHIRConsents() ([]FHIRConsent, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("FHIR export: %w", err)
	}
	patient := FHIRRef{Reference: "Patient/" + string(p.ServiceUser)}
	status := "proposed"
	switch {
	case p.Status == Ended:
		status = "inactive"
	case p.Agreement != nil && p.Status != Draft:
		status = "active"
	}
	var out []FHIRConsent
	for _, d := range p.Decisions() {
		scope := "treatment"
		if d.Category == ConsentSharing {
			scope = "patient-privacy"
		}
		c := FHIRConsent{ResourceType: "Consent", ID: fmt.Sprintf("%s-consent-%s", p.ID, d.ID), Status: status,
			Scope: assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{System: "http://terminology.hl7.org/CodeSystem/consentscope", Code: scope}}},
			Category: []assessment.FHIRCodeableConcept{
				{Coding: []assessment.FHIRCoding{{System: assessment.LOINCSystem, Code: "59284-0", Display: "Patient Consent"}}},
				{Coding: []assessment.FHIRCoding{{System: ConsentCategorySystem, Code: string(d.Category)}}},
			},
			Patient:         patient,
			PolicyRule:      assessment.FHIRCodeableConcept{Text: "Care Act 2014 s.25(3); Mental Capacity Act 2005; CQC Regulation 11"},
			SourceReference: &FHIRRef{Reference: "CarePlan/" + string(p.ID)},
			Provision:       FHIRConsentProvision{Type: "permit"},
		}
		code := assessment.FHIRCodeableConcept{Coding: []assessment.FHIRCoding{{System: ConsentCategorySystem, Code: string(d.Category)}}, Text: d.ID}
		for _, f := range []struct {
			on   bool
			code string
		}{{d.Restrictive, "restrictive"}, {d.Covert, "covert"}, {d.LifeSustaining, "life-sustaining"}, {d.DeprivationOfLiberty, "deprivation-of-liberty"}} {
			if f.on {
				code.Coding = append(code.Coding, assessment.FHIRCoding{System: ConsentCategorySystem, Code: f.code})
			}
		}
		c.Provision.Code = []assessment.FHIRCodeableConcept{code}
		if p.Start != nil {
			c.Provision.Period = &assessment.FHIRPeriod{Start: fhirDate(*p.Start)}
			if p.End != nil {
				c.Provision.Period.End = fhirDate(*p.End)
			}
		}
		if a := p.Agreement; a != nil && status != "proposed" {
			c.DateTime = fhirDate(a.At)
			if a.By == "person" || a.By == "" {
				c.Performer = []FHIRRef{patient}
			} else {
				c.Performer = []FHIRRef{{Reference: "RelatedPerson/" + strings.TrimSpace(a.By)}}
			}
		}
		out = append(out, c)
	}
	return out, nil
}
