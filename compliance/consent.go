package compliance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
)

// DecisionCategory is the kind of a decision that needs consent. Capacity,
// consent and the scope of an attorney's or deputy's authority are all
// recorded against categories and decisions (MCA 2005: capacity is
// decision-specific; REFERENCE §2.1).
type DecisionCategory string

// Categories of decision.
const (
	DecisionPersonalCare     DecisionCategory = "personal_care"     // washing, dressing, toileting, skin care
	DecisionMedication       DecisionCategory = "medication"        // medicines support
	DecisionMovingHandling   DecisionCategory = "moving_handling"   // transfers, hoists
	DecisionNutrition        DecisionCategory = "nutrition"         // eating and drinking support
	DecisionMedicalTreatment DecisionCategory = "medical_treatment" // clinical treatment
	DecisionAccommodation    DecisionCategory = "accommodation"     // where to live
	DecisionDailyLiving      DecisionCategory = "daily_living"      // routines, contact, activities
	DecisionSharing          DecisionCategory = "information_sharing"
	DecisionFinance          DecisionCategory = "finance"  // money, bills, benefits
	DecisionProperty         DecisionCategory = "property" // the home and belongings
)

// Categories lists the defined decision categories in a stable order.
func Categories() []DecisionCategory {
	return []DecisionCategory{DecisionPersonalCare, DecisionMedication, DecisionMovingHandling, DecisionNutrition,
		DecisionMedicalTreatment, DecisionAccommodation, DecisionDailyLiving, DecisionSharing, DecisionFinance, DecisionProperty}
}

// Financial reports whether the category is property and financial affairs
// rather than health and welfare.
func (c DecisionCategory) Financial() bool { return c == DecisionFinance || c == DecisionProperty }

// Decision is one task or decision of a care plan that needs consent, as a
// care plan provides it to CanAction.
type Decision struct {
	ID       string           `json:"id"`       // unique within the plan; records refer to it
	Category DecisionCategory `json:"category"` // what kind of decision; capacity and authority are judged per category
	// LifeSustaining: an attorney may decide only if the LPA expressly allows it (MCA s.11(8)).
	LifeSustaining bool `json:"life_sustaining,omitempty"`
	// Restrictive: restraint, needing a best-interests decision that records it is necessary
	// and proportionate (MCA s.6).
	Restrictive bool `json:"restrictive,omitempty"`
	// Covert: medicines given covertly, needing a capacity assessment and a best-interests
	// decision involving the prescriber or pharmacist (NICE/SCIE quick guide).
	Covert bool `json:"covert,omitempty"`
	// DeprivationOfLiberty: in a person's own home only a Court of Protection order authorises it.
	DeprivationOfLiberty bool `json:"deprivation_of_liberty,omitempty"`
}

// Plan is what CanAction needs from a care plan: its ID, the person and the
// decisions that need consent. Package careplan (when written) provides it.
type Plan struct {
	ID          string             `json:"id"`           // the care plan's ID
	ServiceUser care.ServiceUserID `json:"service_user"` // the person the plan is for
	Decisions   []Decision         `json:"decisions"`    // the tasks and decisions that need consent
}

// Validate reports missing or duplicate IDs and unknown categories.
func (p *Plan) Validate() error {
	var errs []error
	if err := care.ValidateID(p.ID); err != nil {
		errs = append(errs, care.Invalid("plan", p.ID, "id", "%v", err))
	}
	seen := map[string]bool{}
	for i, d := range p.Decisions {
		f := fmt.Sprintf("decisions[%d]", i)
		if err := care.ValidateID(d.ID); err != nil {
			errs = append(errs, care.Invalid("plan", p.ID, f+".id", "%v", err))
		} else if seen[d.ID] {
			errs = append(errs, care.Invalid("plan", p.ID, f+".id", "duplicate decision id %q", d.ID))
		}
		seen[d.ID] = true
		if !slices.Contains(Categories(), d.Category) {
			errs = append(errs, care.Invalid("plan", p.ID, f+".category", "unknown category %q", d.Category))
		}
	}
	return errors.Join(errs...)
}

// ConsentFormat is how information was given to the person deciding.
type ConsentFormat string

// Formats of information.
const (
	FormatVerbal       ConsentFormat = "verbal"
	FormatWritten      ConsentFormat = "written"
	FormatEasyRead     ConsentFormat = "easy_read"
	FormatSignLanguage ConsentFormat = "sign_language"
	FormatInterpreter  ConsentFormat = "interpreter"
	FormatOther        ConsentFormat = "other"
)

// ConsentRecord records consent to (or refusal of) one decision: what was
// explained, in what format, whether it was understood, who gave it and when,
// and its withdrawal (Reg 11; REFERENCE §2.5).
type ConsentRecord struct {
	ID       string `json:"id"`       // unique within the consent file
	Decision string `json:"decision"` // the Decision.ID
	// GivenBy is the contact who decided; empty means the person themselves.
	GivenBy care.ContactID `json:"given_by,omitempty"`
	// Given is true for consent, false for a refusal.
	Given      bool          `json:"given"`
	Explained  string        `json:"explained"`           // what was explained, in plain words
	Format     ConsentFormat `json:"format"`              // how the information was given; "" = not recorded
	Understood bool          `json:"understood"`          // the person deciding understood the information; without it the consent does not count
	ObtainedBy care.WorkerID `json:"obtained_by"`         // the worker who took the consent
	At         time.Time     `json:"at"`                  // when it was given or refused
	Withdrawn  *time.Time    `json:"withdrawn,omitempty"` // when it was withdrawn; nil = still in force; not before At
}

// Ability is the answer to one part of the capacity test: whether the person
// can do it. The empty value means not assessed.
type Ability string

// Answers to the functional test.
const (
	NotAssessed Ability = ""
	Able        Ability = "able"
	Unable      Ability = "unable"
)

// YesNo is the finding of a yes/no stage of the capacity test; empty means not recorded.
type YesNo string

// Answers to the diagnostic and causal stages.
const (
	Unrecorded YesNo = ""
	Yes        YesNo = "yes"
	No         YesNo = "no"
)

// CapacityAssessment is an assessment of capacity for one decision at one
// time (MCA 2005 ss.2-3; REFERENCE §2.2): the four-part functional test, the
// diagnostic stage (an impairment of the mind or brain) and the causal link.
type CapacityAssessment struct {
	ID          string        `json:"id"`           // unique within the consent file
	Decision    string        `json:"decision"`     // the Decision.ID assessed: capacity is decision-specific (MCA s.2)
	At          time.Time     `json:"at"`           // when the assessment was made
	Assessor    care.WorkerID `json:"assessor"`     // the worker who assessed
	Understand  Ability       `json:"understand"`   // can understand the information relevant to the decision (MCA s.3(1)(a))
	Retain      Ability       `json:"retain"`       // can retain that information (MCA s.3(1)(b))
	UseOrWeigh  Ability       `json:"use_or_weigh"` // can use or weigh it in deciding (MCA s.3(1)(c))
	Communicate Ability       `json:"communicate"`  // can communicate the decision by any means (MCA s.3(1)(d))
	Impairment  YesNo         `json:"impairment"`   // diagnostic stage
	Causal      YesNo         `json:"causal"`       // the inability is because of the impairment
	// SupportSteps records the practicable steps taken to help the person decide (MCA s.1(3)).
	SupportSteps string `json:"support_steps,omitempty"`
}

// Missing lists the parts of the test not recorded. A person found able in
// all four functional parts needs no diagnostic or causal finding.
func (a *CapacityAssessment) Missing() []string {
	var m []string
	for _, p := range []struct {
		n string
		v Ability
	}{{"understand", a.Understand}, {"retain", a.Retain}, {"use or weigh", a.UseOrWeigh}, {"communicate", a.Communicate}} {
		if p.v == NotAssessed {
			m = append(m, "functional test '"+p.n+"' not recorded")
		}
	}
	if a.functionalFails() {
		if a.Impairment == Unrecorded {
			m = append(m, "diagnostic stage (impairment) not recorded")
		}
		if a.Impairment == Yes && a.Causal == Unrecorded {
			m = append(m, "causal link not recorded")
		}
		if strings.TrimSpace(a.SupportSteps) == "" {
			m = append(m, "practicable steps to help the person decide not recorded (MCA s.1(3))")
		}
	}
	return m
}

func (a *CapacityAssessment) functionalFails() bool {
	return a.Understand == Unable || a.Retain == Unable || a.UseOrWeigh == Unable || a.Communicate == Unable
}

// LacksCapacity reports whether the assessment, complete, finds the person
// unable to make the decision: failing any one functional part, because of an
// impairment of the mind or brain (MCA ss.2-3).
func (a *CapacityAssessment) LacksCapacity() bool {
	return len(a.Missing()) == 0 && a.functionalFails() && a.Impairment == Yes && a.Causal == Yes
}

// ConsulteeRole is why someone was consulted for a best-interests decision.
type ConsulteeRole string

// Roles of consultees (MCA s.4(7); REFERENCE §2.3).
const (
	ConsulteeNamed      ConsulteeRole = "named_by_person"
	ConsulteeFamily     ConsulteeRole = "family"
	ConsulteeCarer      ConsulteeRole = "carer"
	ConsulteeAttorney   ConsulteeRole = "attorney"
	ConsulteeDeputy     ConsulteeRole = "deputy"
	ConsulteeIMCA       ConsulteeRole = "imca"
	ConsulteePrescriber ConsulteeRole = "prescriber"
	ConsulteePharmacist ConsulteeRole = "pharmacist"
	ConsulteeOther      ConsulteeRole = "professional"
)

// Consultee is one person consulted, by contact ID, and when.
type Consultee struct {
	Contact care.ContactID `json:"contact"` // the contact consulted
	Role    ConsulteeRole  `json:"role"`    // why they were consulted (MCA s.4(7))
	At      time.Time      `json:"at"`      // when they were consulted
}

// BestInterestsDecision records a decision made for a person who lacks
// capacity (MCA s.4; REFERENCE §2.3).
type BestInterestsDecision struct {
	ID            string        `json:"id"`             // unique within the consent file
	Decision      string        `json:"decision"`       // the Decision.ID decided
	At            time.Time     `json:"at"`             // when it was made
	DecisionMaker care.WorkerID `json:"decision_maker"` // the worker who made it
	Consultees    []Consultee   `json:"consultees"`     // who was consulted (MCA s.4(7))
	// Proceed is the outcome: true if the care or treatment is in the person's best interests.
	Proceed bool `json:"proceed"`
	// The s.4 checklist.
	WishesConsidered          bool `json:"wishes_considered"`
	PersonParticipated        bool `json:"person_participated"`         // the person was helped to take part (s.4(4))
	LessRestrictiveConsidered bool `json:"less_restrictive_considered"` // a less restrictive option was considered (s.1(6))
	// Proportionate records, for restraint, that it is necessary and proportionate (MCA s.6).
	Proportionate bool `json:"proportionate,omitempty"`
}

// AuthorityKind is the kind of instrument that lets someone decide for a person.
type AuthorityKind string

// Kinds of authority (REFERENCE §2.4).
const (
	LPAHealthWelfare     AuthorityKind = "lpa_health_welfare"
	LPAPropertyFinancial AuthorityKind = "lpa_property_financial"
	EPA                  AuthorityKind = "epa" // enduring power (before Oct 2007): property and affairs only
	DeputyWelfare        AuthorityKind = "deputy_welfare"
	DeputyProperty       AuthorityKind = "deputy_property"
	CourtOrder           AuthorityKind = "court_order" // Court of Protection order, e.g. for a deprivation of liberty at home
)

// Authority is a lasting or enduring power of attorney, a deputyship or a
// court order held by a contact of the person (REFERENCE §2.4).
type Authority struct {
	ID     string         `json:"id"`     // unique within the consent file
	Holder care.ContactID `json:"holder"` // the contact who holds it
	Kind   AuthorityKind  `json:"kind"`   // LPA, EPA, deputyship or court order
	// Registered is the date registered with the OPG, or of the court order; nil = not registered.
	Registered *time.Time `json:"registered,omitempty"`
	Until      *time.Time `json:"until,omitempty"`   // end of the authority; nil = open-ended
	Revoked    *time.Time `json:"revoked,omitempty"` // when it was revoked; nil = not revoked
	// Scope lists the categories covered; empty = all the kind may cover.
	Scope []DecisionCategory `json:"scope,omitempty"`
	// LifeSustaining: the LPA expressly covers life-sustaining treatment (MCA s.11(8)).
	LifeSustaining bool `json:"life_sustaining,omitempty"`
	// Conditions written in the instrument, in plain words.
	Conditions string `json:"conditions,omitempty"`
}

func (a *Authority) welfare() bool {
	return a.Kind == LPAHealthWelfare || a.Kind == DeputyWelfare || a.Kind == CourtOrder
}

// covers says why the authority does not let its holder decide d at at ("" if it does).
func (a *Authority) covers(d Decision, at time.Time) string {
	switch {
	case a.Registered == nil || a.Registered.After(at):
		return fmt.Sprintf("authority %q (%s) not registered at %s", a.ID, a.Kind, at.Format(time.DateOnly))
	case a.Revoked != nil && !a.Revoked.After(at):
		return fmt.Sprintf("authority %q (%s) revoked on %s", a.ID, a.Kind, a.Revoked.Format(time.DateOnly))
	case a.Until != nil && !a.Until.After(at):
		return fmt.Sprintf("authority %q (%s) ended on %s", a.ID, a.Kind, a.Until.Format(time.DateOnly))
	case d.Category.Financial() != !a.welfare():
		return fmt.Sprintf("authority %q (%s) does not cover %s decisions", a.ID, a.Kind, d.Category)
	case len(a.Scope) > 0 && !slices.Contains(a.Scope, d.Category):
		return fmt.Sprintf("authority %q (%s) scope does not include %s", a.ID, a.Kind, d.Category)
	case d.LifeSustaining && !(a.Kind == LPAHealthWelfare && a.LifeSustaining) && a.Kind != CourtOrder:
		return fmt.Sprintf("authority %q (%s) does not expressly cover life-sustaining treatment (MCA s.11(8))", a.ID, a.Kind)
	case d.DeprivationOfLiberty && a.Kind != CourtOrder:
		return fmt.Sprintf("authority %q (%s) cannot authorise a deprivation of liberty; a Court of Protection order is needed", a.ID, a.Kind)
	case a.Kind == CourtOrder && !d.DeprivationOfLiberty && len(a.Scope) == 0:
		return fmt.Sprintf("court order %q has no scope recorded", a.ID)
	}
	return ""
}

// AuthoritiesFromContacts converts the powers of attorney and deputyships
// recorded on contacts (care.Contact) into Authority records with IDs
// "<contact>/lpa<i>" and "<contact>/deputy". The care record's free-text
// scope cannot be read as categories, so the scope is the whole kind.
func AuthoritiesFromContacts(contacts []care.Contact) []Authority {
	var out []Authority
	for _, c := range contacts {
		for i, p := range c.Powers {
			k := LPAHealthWelfare
			if p.Type == care.PropertyAndFinancial {
				k = LPAPropertyFinancial
			}
			out = append(out, Authority{ID: fmt.Sprintf("%s/lpa%d", c.ID, i), Holder: c.ID, Kind: k,
				Registered: p.Registered, Conditions: p.Scope})
		}
		if d := c.Deputy; d != nil {
			k := DeputyWelfare
			if d.Type == care.PropertyAndFinancial {
				k = DeputyProperty
			}
			appointed := d.Appointed
			out = append(out, Authority{ID: string(c.ID) + "/deputy", Holder: c.ID, Kind: k, Registered: &appointed, Until: d.Until})
		}
	}
	return out
}

// AdvanceDecision is an advance decision to refuse treatment (MCA ss.24-26).
type AdvanceDecision struct {
	ID      string             `json:"id"`      // unique within the consent file
	Refuses []DecisionCategory `json:"refuses"` // the categories of treatment refused
	Made    time.Time          `json:"made"`    // when it was made; it applies only after this
	Written bool               `json:"written"` // in writing; needed for life-sustaining treatment (MCA s.25(6))
	// Signed, Witnessed and LifeAtRisk (the statement that it applies even if life is at risk)
	// are needed for it to apply to life-sustaining treatment.
	Signed     bool       `json:"signed"`
	Witnessed  bool       `json:"witnessed"`           // see Signed
	LifeAtRisk bool       `json:"life_at_risk"`        // see Signed
	Withdrawn  *time.Time `json:"withdrawn,omitempty"` // when it was withdrawn; nil = still in force
}

// ConsentFile holds a person's consent, capacity, best-interests, authority
// and advance-decision records. CanAction reads it.
type ConsentFile struct {
	ServiceUser   care.ServiceUserID      `json:"service_user"`             // the person the records are about
	Consents      []ConsentRecord         `json:"consents,omitempty"`       // consents and refusals, by the person or a contact
	Capacity      []CapacityAssessment    `json:"capacity,omitempty"`       // capacity assessments, per decision
	BestInterests []BestInterestsDecision `json:"best_interests,omitempty"` // best-interests decisions (MCA s.4)
	Authorities   []Authority             `json:"authorities,omitempty"`    // LPAs, EPAs, deputyships and court orders
	Advance       []AdvanceDecision       `json:"advance,omitempty"`        // advance decisions to refuse treatment
}

// Basis is the lawful basis on which a decision may go live.
type Basis string

// Bases for acting.
const (
	BasisNone          Basis = ""
	BasisOwnConsent    Basis = "own_consent"
	BasisAttorney      Basis = "attorney"
	BasisDeputy        Basis = "deputy"
	BasisCourtOrder    Basis = "court_order"
	BasisBestInterests Basis = "best_interests"
)

// DecisionOutcome says whether one decision may go live, on what basis and
// record, and if not exactly what is missing.
type DecisionOutcome struct {
	Decision string         `json:"decision"`          // the Decision.ID
	Allowed  bool           `json:"allowed"`           // the decision may go live
	Basis    Basis          `json:"basis,omitempty"`   // the lawful basis relied on, or tried when Missing is not empty; "" = none found
	By       care.ContactID `json:"by,omitempty"`      // the attorney, deputy or court order holder who consented
	Record   string         `json:"record,omitempty"`  // the consent or best-interests record relied on
	Missing  []string       `json:"missing,omitempty"` // what is missing or refused, in plain words with record IDs; empty when allowed
	// Consulted lists contacts who recorded agreement without authority: consultees, never consenters.
	Consulted []care.ContactID `json:"consulted,omitempty"`
}

// Authorisation is the result of CanAction for a plan.
type Authorisation struct {
	Plan      string            `json:"plan"`      // the plan's ID
	At        time.Time         `json:"at"`        // the instant the records were judged at
	Allowed   bool              `json:"allowed"`   // every decision is allowed
	Decisions []DecisionOutcome `json:"decisions"` // one outcome per decision of the plan, in the plan's order
}

// ErrNotAuthorised is matched (errors.Is) by the error of an Authorisation
// that does not allow its plan to go live.
var ErrNotAuthorised = errors.New("no valid consent or lawful authority")

// NotAuthorisedError lists, per decision, what is missing.
type NotAuthorisedError struct {
	Plan    string              // the plan's ID
	Missing map[string][]string // decision ID to what is missing
}

// Error implements error; decisions are listed in ID order.
func (e *NotAuthorisedError) Error() string {
	ids := make([]string, 0, len(e.Missing))
	for id := range e.Missing {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "plan %q: %v:", e.Plan, ErrNotAuthorised)
	for _, id := range ids {
		fmt.Fprintf(&b, " decision %q: %s;", id, strings.Join(e.Missing[id], "; "))
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Is makes errors.Is(err, ErrNotAuthorised) true.
func (e *NotAuthorisedError) Is(target error) bool { return target == ErrNotAuthorised }

// Err returns nil when the plan may go live, else a *NotAuthorisedError.
func (a *Authorisation) Err() error {
	if a.Allowed {
		return nil
	}
	e := &NotAuthorisedError{Plan: a.Plan, Missing: map[string][]string{}}
	for _, d := range a.Decisions {
		if !d.Allowed {
			e.Missing[d.Decision] = d.Missing
		}
	}
	return e
}

// Findings returns one CONSENT finding per decision that may not go live.
func (a *Authorisation) Findings(pack *Pack) []Finding {
	e := emitter{pack: pack}
	for _, d := range a.Decisions {
		if d.Allowed {
			continue
		}
		e.add(RuleCONSENT, Breach, Subject{SubjectDecision, a.Plan + "/" + d.Decision}, ptime(a.At),
			strings.Join(d.Missing, "; "),
			"record valid consent from the person, or from an attorney or deputy within scope, or a best-interests decision with consultation, before the task goes live",
			Subject{SubjectPlan, a.Plan})
	}
	return e.out
}

// CanAction decides whether plan may go live at the instant at, decision by
// decision (CONSENT; Reg 11, MCA 2005; REFERENCE §2.5 consent gate):
//
//  1. capacity is presumed unless a complete assessment for this decision
//     finds it lacking; with capacity, the person's own recorded consent is
//     needed (what was explained, format, understood, who obtained it, when);
//  2. without capacity, a registered health-and-welfare attorney or a welfare
//     deputy within scope must consent; failing one, a best-interests decision
//     with consultees (an IMCA when nobody else) must be recorded; a valid
//     advance decision refusing the category blocks it;
//  3. family members without authority are consultees, never consenters;
//  4. a withdrawal at or before at stops the decision at once.
//
// It returns an error only when the plan or the file is malformed.
func (f *ConsentFile) CanAction(plan Plan, at time.Time) (Authorisation, error) {
	if err := plan.Validate(); err != nil {
		return Authorisation{}, err
	}
	if f.ServiceUser != "" && plan.ServiceUser != "" && f.ServiceUser != plan.ServiceUser {
		return Authorisation{}, care.Invalid("plan", plan.ID, "service_user", "is %q but the consent file is for %q", plan.ServiceUser, f.ServiceUser)
	}
	out := Authorisation{Plan: plan.ID, At: at, Allowed: true}
	for _, d := range plan.Decisions {
		o := f.decide(d, at)
		o.Allowed = len(o.Missing) == 0
		if !o.Allowed {
			out.Allowed = false
			o.Basis, o.By, o.Record = BasisNone, "", ""
		}
		out.Decisions = append(out.Decisions, o)
	}
	return out, nil
}

// latest returns the index of the record for decision with the latest time at or before at, or -1.
func latest[T any](recs []T, decision string, at time.Time, key func(*T) (string, time.Time)) int {
	best := -1
	var bt time.Time
	for i := range recs {
		d, t := key(&recs[i])
		if d != decision || t.After(at) {
			continue
		}
		if best < 0 || !t.Before(bt) {
			best, bt = i, t
		}
	}
	return best
}

func (f *ConsentFile) consentBy(decision string, by care.ContactID, at time.Time) *ConsentRecord {
	var best *ConsentRecord
	for i := range f.Consents {
		c := &f.Consents[i]
		if c.Decision == decision && c.GivenBy == by && !c.At.After(at) && (best == nil || !c.At.Before(best.At)) {
			best = c
		}
	}
	return best
}

// checkConsent lists what is wrong with a consent record, as seen at at.
func checkConsent(c *ConsentRecord, who string, at time.Time) []string {
	if c == nil {
		return []string{"no consent recorded from " + who}
	}
	var m []string
	if c.Withdrawn != nil && !c.Withdrawn.After(at) {
		return []string{fmt.Sprintf("consent %q from %s withdrawn on %s", c.ID, who, c.Withdrawn.Format(stamp))}
	}
	if !c.Given {
		return []string{fmt.Sprintf("consent %q: %s refused on %s", c.ID, who, c.At.Format(stamp))}
	}
	if strings.TrimSpace(c.Explained) == "" {
		m = append(m, fmt.Sprintf("consent %q: what was explained is not recorded", c.ID))
	}
	if c.Format == "" {
		m = append(m, fmt.Sprintf("consent %q: format of information not recorded", c.ID))
	}
	if !c.Understood {
		m = append(m, fmt.Sprintf("consent %q: not recorded as understood", c.ID))
	}
	if c.ObtainedBy == "" {
		m = append(m, fmt.Sprintf("consent %q: who obtained it is not recorded", c.ID))
	}
	return m
}

func (f *ConsentFile) decide(d Decision, at time.Time) DecisionOutcome {
	o := DecisionOutcome{Decision: d.ID}
	ci := latest(f.Capacity, d.ID, at, func(a *CapacityAssessment) (string, time.Time) { return a.Decision, a.At })
	var ca *CapacityAssessment
	if ci >= 0 {
		ca = &f.Capacity[ci]
		if miss := ca.Missing(); len(miss) > 0 {
			for _, m := range miss {
				o.Missing = append(o.Missing, fmt.Sprintf("capacity assessment %q: %s", ca.ID, m))
			}
			return o
		}
	}
	// Contacts who recorded consent: with capacity none counts; without, only holders of authority.
	others := map[care.ContactID]bool{}
	for _, c := range f.Consents {
		if c.Decision == d.ID && c.GivenBy != "" && !c.At.After(at) {
			others[c.GivenBy] = true
		}
	}
	if ca == nil || !ca.LacksCapacity() {
		c := f.consentBy(d.ID, "", at)
		o.Missing = checkConsent(c, "the person", at)
		if c != nil {
			o.Record = c.ID
		}
		o.Basis = BasisOwnConsent
		for id := range others {
			o.Consulted = append(o.Consulted, id)
		}
		slices.Sort(o.Consulted)
		if len(o.Missing) > 0 && len(o.Consulted) > 0 {
			o.Missing = append(o.Missing, "agreement from contacts does not count: the person has, or is presumed to have, capacity for this decision")
		}
		return o
	}
	// The person lacks capacity for this decision.
	var why []string
	var holders []*Authority
	for i := range f.Authorities {
		a := &f.Authorities[i]
		if w := a.covers(d, at); w != "" {
			why = append(why, w)
			continue
		}
		holders = append(holders, a)
	}
	if adv := f.blockingAdvance(d, at, holders); adv != "" {
		o.Missing = []string{adv}
		return o
	}
	for _, a := range holders {
		delete(others, a.Holder)
	}
	for id := range others {
		o.Consulted = append(o.Consulted, id)
	}
	slices.Sort(o.Consulted)
	if len(holders) > 0 {
		var miss []string
		for _, a := range holders {
			c := f.consentBy(d.ID, a.Holder, at)
			m := checkConsent(c, fmt.Sprintf("contact %q (authority %q)", a.Holder, a.ID), at)
			if len(m) == 0 {
				o.Basis, o.By, o.Record = basisOf(a.Kind), a.Holder, c.ID
				return o
			}
			miss = append(miss, m...)
		}
		o.Missing = miss
		return o
	}
	if d.DeprivationOfLiberty {
		o.Missing = append(why, "deprivation of liberty at home needs a Court of Protection order")
		return o
	}
	bi := latest(f.BestInterests, d.ID, at, func(b *BestInterestsDecision) (string, time.Time) { return b.Decision, b.At })
	if bi < 0 {
		o.Missing = append(why, "no lawful authority and no best-interests decision recorded")
		for _, id := range o.Consulted {
			o.Missing = append(o.Missing, fmt.Sprintf("contact %q has no authority for this decision: recorded as consultee, not consent", id))
		}
		return o
	}
	b := &f.BestInterests[bi]
	o.Missing = checkBestInterests(b, d, ca)
	o.Basis, o.Record = BasisBestInterests, b.ID
	return o
}

func basisOf(k AuthorityKind) Basis {
	switch k {
	case LPAHealthWelfare, LPAPropertyFinancial, EPA:
		return BasisAttorney
	case CourtOrder:
		return BasisCourtOrder
	}
	return BasisDeputy
}

// blockingAdvance returns why a valid advance decision blocks d, or "". A
// health-and-welfare LPA registered after the advance decision and covering
// the treatment overrides it (MCA s.25(2)(b)).
func (f *ConsentFile) blockingAdvance(d Decision, at time.Time, holders []*Authority) string {
	for _, a := range f.Advance {
		if !slices.Contains(a.Refuses, d.Category) || a.Made.After(at) || !a.Written && d.LifeSustaining {
			continue
		}
		if a.Withdrawn != nil && !a.Withdrawn.After(at) {
			continue
		}
		if d.LifeSustaining && !(a.Signed && a.Witnessed && a.LifeAtRisk) {
			continue
		}
		overridden := false
		for _, h := range holders {
			if h.Kind == LPAHealthWelfare && h.Registered.After(a.Made) {
				overridden = true
			}
		}
		if !overridden {
			return fmt.Sprintf("advance decision %q refuses %s", a.ID, d.Category)
		}
	}
	return ""
}

func checkBestInterests(b *BestInterestsDecision, d Decision, ca *CapacityAssessment) []string {
	var m []string
	p := func(s string) { m = append(m, fmt.Sprintf("best-interests decision %q: %s", b.ID, s)) }
	if b.At.Before(ca.At) {
		p("made before capacity assessment " + fmt.Sprintf("%q", ca.ID))
	}
	if len(b.Consultees) == 0 {
		p("nobody consulted (MCA s.4(7)); instruct an IMCA if there is nobody appropriate")
	}
	if !b.WishesConsidered {
		p("past and present wishes and feelings not recorded as considered")
	}
	if !b.LessRestrictiveConsidered {
		p("less restrictive option not recorded as considered (MCA s.1(6))")
	}
	if d.Restrictive && !b.Proportionate {
		p("restraint not recorded as necessary and proportionate (MCA s.6)")
	}
	if d.Covert && !slices.ContainsFunc(b.Consultees, func(c Consultee) bool {
		return c.Role == ConsulteePrescriber || c.Role == ConsulteePharmacist
	}) {
		p("covert medicines without the prescriber or pharmacist consulted")
	}
	if !b.Proceed {
		p("decided the care is not in the person's best interests")
	}
	return m
}

// Validate reports every malformed record of the file, joined; each error
// names the record's ID and field. CanAction does not require a valid file
// (a missing record is a finding, not an error), but a caller storing one
// should validate it.
func (f *ConsentFile) Validate() error {
	const kind = "consent file"
	id := string(f.ServiceUser)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kind, id, field, format, args...))
	}
	ids := map[string]string{}
	uniq := func(field, rid string) {
		if err := care.ValidateID(rid); err != nil {
			bad(field+".id", "%v", err)
			return
		}
		if prev, ok := ids[rid]; ok {
			bad(field+".id", "duplicate record id %q (also %s)", rid, prev)
		}
		ids[rid] = field
	}
	for i, c := range f.Consents {
		fl := fmt.Sprintf("consents[%d]", i)
		uniq(fl, c.ID)
		if c.Decision == "" {
			bad(fl+".decision", "is required")
		}
		if c.At.IsZero() {
			bad(fl+".at", "is required")
		}
		if !slices.Contains([]ConsentFormat{"", FormatVerbal, FormatWritten, FormatEasyRead, FormatSignLanguage, FormatInterpreter, FormatOther}, c.Format) {
			bad(fl+".format", "unknown format %q", c.Format)
		}
		if c.Withdrawn != nil && c.Withdrawn.Before(c.At) {
			bad(fl+".withdrawn", "is before the consent was recorded")
		}
	}
	for i, a := range f.Capacity {
		fl := fmt.Sprintf("capacity[%d]", i)
		uniq(fl, a.ID)
		if a.Decision == "" {
			bad(fl+".decision", "is required")
		}
		for j, v := range []Ability{a.Understand, a.Retain, a.UseOrWeigh, a.Communicate} {
			if v != NotAssessed && v != Able && v != Unable {
				bad(fl+"."+[]string{"understand", "retain", "use_or_weigh", "communicate"}[j], "unknown answer %q (want able or unable)", v)
			}
		}
		for j, v := range []YesNo{a.Impairment, a.Causal} {
			if v != Unrecorded && v != Yes && v != No {
				bad(fl+"."+[]string{"impairment", "causal"}[j], "unknown answer %q (want yes or no)", v)
			}
		}
	}
	for i, b := range f.BestInterests {
		fl := fmt.Sprintf("best_interests[%d]", i)
		uniq(fl, b.ID)
		if b.Decision == "" {
			bad(fl+".decision", "is required")
		}
	}
	for i, a := range f.Authorities {
		fl := fmt.Sprintf("authorities[%d]", i)
		uniq(fl, a.ID)
		if !slices.Contains([]AuthorityKind{LPAHealthWelfare, LPAPropertyFinancial, EPA, DeputyWelfare, DeputyProperty, CourtOrder}, a.Kind) {
			bad(fl+".kind", "unknown kind %q", a.Kind)
		}
		if a.Holder == "" {
			bad(fl+".holder", "is required")
		}
		for j, c := range a.Scope {
			if !slices.Contains(Categories(), c) {
				bad(fmt.Sprintf("%s.scope[%d]", fl, j), "unknown category %q", c)
			}
		}
	}
	for i, a := range f.Advance {
		fl := fmt.Sprintf("advance[%d]", i)
		uniq(fl, a.ID)
		for j, c := range a.Refuses {
			if !slices.Contains(Categories(), c) {
				bad(fmt.Sprintf("%s.refuses[%d]", fl, j), "unknown category %q", c)
			}
		}
	}
	return errors.Join(errs...)
}
