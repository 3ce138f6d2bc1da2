package careplan

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
)

// PlanID identifies a care plan.
type PlanID string

// Status is a plan's place in its lifecycle (see Plan.Transition).
type Status string

// Plan statuses, in lifecycle order.
const (
	Draft       Status = "draft"        // being written; the coordinator edits freely
	Agreed      Status = "agreed"       // agreed with the person (Care Act s.25(3)); not yet running
	Active      Status = "active"       // being delivered
	UnderReview Status = "under_review" // being reviewed (Care Act s.27; NICE QS123 st.5); still delivered
	Ended       Status = "ended"        // no longer delivered; kept for the record
)

// Day is a day of the week as an RFC 5545 BYDAY code.
type Day string

// Days of the week.
const (
	Monday    Day = "MO"
	Tuesday   Day = "TU"
	Wednesday Day = "WE"
	Thursday  Day = "TH"
	Friday    Day = "FR"
	Saturday  Day = "SA"
	Sunday    Day = "SU"
)

// Week lists the days Monday to Sunday.
func Week() []Day { return []Day{Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday} }

// Weekend reports whether d is Saturday or Sunday.
func (d Day) Weekend() bool { return d == Saturday || d == Sunday }

// Evidence ties an item of the plan to what it was derived from: an
// assessment result, a flag, an observation or the coordinator. It carries
// IDs and codes, never names.
type Evidence struct {
	Source string  `json:"source"`          // e.g. "assessment", "flag", "observation", "coordinator"
	Ref    string  `json:"ref,omitempty"`   // e.g. "a1/barthel100/transfers", "a1/flag/falls"
	Value  float64 `json:"value,omitempty"` // the score or answer, when there is one
	Note   string  `json:"note,omitempty"`  // plain words, no personal details
}

// Need is a need identified by the assessment, against one of the specified
// outcomes of the Care and Support (Eligibility Criteria) Regulations 2015
// reg 2(2) (REFERENCE §1.10), with whether it is eligible and who meets it
// (Care Act s.25(1)).
type Need struct {
	ID          string     `json:"id"`                    // unique within the plan, e.g. "n-hygiene"
	Outcome     string     `json:"outcome"`               // reg 2(2) outcome code, e.g. "hygiene"
	Description string     `json:"description,omitempty"` // plain words
	Eligible    bool       `json:"eligible,omitempty"`    // meets the eligibility criteria
	Wellbeing   []string   `json:"wellbeing,omitempty"`   // Care Act s.1(2) wellbeing areas it bears on
	MetBy       string     `json:"met_by,omitempty"`      // e.g. "agency", "family carer", "not met"
	Evidence    []Evidence `json:"evidence,omitempty"`    // what it was found from
}

// Goal is an outcome the person wants, in their own words (NICE NG21,
// CQC Reg 9), tied to the needs it answers.
type Goal struct {
	ID       string     `json:"id"`                 // unique within the plan
	Words    string     `json:"words"`              // the person's words
	Needs    []string   `json:"needs,omitempty"`    // IDs of needs it addresses
	Target   string     `json:"target,omitempty"`   // how we will know it is achieved
	Due      *time.Time `json:"due,omitempty"`      // when it should be achieved
	Achieved bool       `json:"achieved,omitempty"` // it has been achieved
	Evidence []Evidence `json:"evidence,omitempty"` // where the words were recorded
}

// TaskKind is the kind of a support task.
type TaskKind string

// Kinds of support task.
const (
	TaskPersonalCare  TaskKind = "personal_care"
	TaskMedicines     TaskKind = "medicines"
	TaskMeals         TaskKind = "meals" // meals and hydration
	TaskRepositioning TaskKind = "repositioning"
	TaskTransfer      TaskKind = "transfer" // moving and handling, e.g. a hoist transfer
	TaskDomestic      TaskKind = "domestic"
	TaskSocial        TaskKind = "social"
	TaskNursing       TaskKind = "nursing"
	TaskChiropody     TaskKind = "chiropody"
	TaskBefriending   TaskKind = "befriending"
	TaskSafeAndWell   TaskKind = "safe_and_well" // a safe-and-well check
	TaskReview        TaskKind = "review"        // e.g. an OT or medicines review
)

// TaskKinds lists the task kinds in a stable order.
func TaskKinds() []TaskKind {
	return []TaskKind{TaskPersonalCare, TaskMedicines, TaskMeals, TaskRepositioning, TaskTransfer, TaskDomestic,
		TaskSocial, TaskNursing, TaskChiropody, TaskBefriending, TaskSafeAndWell, TaskReview}
}

// ConsentCategory is the kind of decision a task needs consent for. The
// values are those of compliance.DecisionCategory, so that package can read
// Plan.Decisions without careplan importing it.
type ConsentCategory string

// Consent categories (the same strings as compliance.DecisionCategory).
const (
	ConsentPersonalCare     ConsentCategory = "personal_care"
	ConsentMedication       ConsentCategory = "medication"
	ConsentMovingHandling   ConsentCategory = "moving_handling"
	ConsentNutrition        ConsentCategory = "nutrition"
	ConsentMedicalTreatment ConsentCategory = "medical_treatment"
	ConsentDailyLiving      ConsentCategory = "daily_living"
	ConsentSharing          ConsentCategory = "information_sharing"
	ConsentFinance          ConsentCategory = "finance"
)

// Consent returns the consent category of a task kind.
func (k TaskKind) Consent() ConsentCategory {
	switch k {
	case TaskPersonalCare, TaskChiropody:
		return ConsentPersonalCare
	case TaskMedicines:
		return ConsentMedication
	case TaskMeals:
		return ConsentNutrition
	case TaskRepositioning, TaskTransfer:
		return ConsentMovingHandling
	case TaskNursing:
		return ConsentMedicalTreatment
	}
	return ConsentDailyLiving
}

// Share returns the information-sharing category that details of a task of
// this kind fall under: medicines, nursing and chiropody are health
// details; the rest are the care plan.
func (k TaskKind) Share() care.ShareCategory {
	switch k {
	case TaskMedicines, TaskNursing, TaskChiropody, TaskReview:
		return care.ShareHealth
	}
	return care.ShareCarePlan
}

// MedicineLevel is the NICE NG67 level of medicines support (REFERENCE §4.2).
type MedicineLevel string

// Levels of medicines support.
const (
	Prompting     MedicineLevel = "prompting"
	Assisting     MedicineLevel = "assisting"
	Administering MedicineLevel = "administering"
)

// DefaultTolerance is how far from its time a time-critical dose may be
// given: 30 minutes (Parkinson's UK "Get It On Time"; NICE NG67; REFERENCE §4.2).
const DefaultTolerance = 30 * time.Minute

// Medicine is the support given with one medicine, recorded per medicine in
// the plan as NICE NG67 requires. Medicine is an opaque ID, not a drug name.
type Medicine struct {
	Medicine     string        `json:"medicine"`                // opaque medicine ID, not a drug name
	Level        MedicineLevel `json:"level"`                   // prompting, assisting or administering
	TimeCritical bool          `json:"time_critical,omitempty"` // must be given within its tolerance of the time
	// ToleranceMinutes: how far from the time a time-critical dose may be given; 0 = 30.
	ToleranceMinutes int `json:"tolerance_minutes,omitempty"`
	// MinIntervalHours: least time between doses (e.g. 4 for paracetamol); 0 = none.
	MinIntervalHours int  `json:"min_interval_hours,omitempty"`
	Covert           bool `json:"covert,omitempty"` // needs a best-interests decision (MCA; NICE/SCIE)
}

// Tolerance returns the dose tolerance, DefaultTolerance when unset.
func (m *Medicine) Tolerance() time.Duration {
	if m.ToleranceMinutes > 0 {
		return time.Duration(m.ToleranceMinutes) * time.Minute
	}
	return DefaultTolerance
}

// Task is one support task: what is done, by which practitioner, when and
// for how long, with the carers and skills it needs, traced to the needs and
// goals it serves and the evidence for it.
type Task struct {
	ID          string   `json:"id"`                    // unique within the plan
	Kind        TaskKind `json:"kind"`                  // what kind of support
	Description string   `json:"description,omitempty"` // plain words for the carer
	Needs       []string `json:"needs,omitempty"`       // IDs of needs it meets
	Goals       []string `json:"goals,omitempty"`       // IDs of goals it serves
	Provider    string   `json:"provider"`              // practitioner ID
	// Times are the local times of day, "08:00". A repositioning task with no
	// times is done at every visit and sets the longest gap between visits.
	Times []string `json:"times,omitempty"`
	// Days the task is done; empty = every day.
	Days []Day `json:"days,omitempty"`
	// EveryWeeks repeats the task every n weeks (e.g. 6 for chiropody); 0 = 1.
	EveryWeeks int `json:"every_weeks,omitempty"`
	// Minutes the task takes at each occurrence.
	Minutes int `json:"minutes"`
	// Carers needed for the task: 2 for a hoist transfer (REFERENCE §5.7); 0 = 1.
	Carers int          `json:"carers,omitempty"`
	Skills []care.Skill `json:"skills,omitempty"` // skills every carer needs, besides those the kind implies
	// Medicine is set for a medicines task.
	Medicine *Medicine `json:"medicine,omitempty"`
	// RepositionHours is the longest gap between position changes (NICE CG179: 6
	// at risk, 4 high risk) for a person who cannot reposition alone.
	RepositionHours int `json:"reposition_hours,omitempty"`
	// Restrictive marks a task involving restraint (MCA s.6).
	Restrictive bool       `json:"restrictive,omitempty"`
	Evidence    []Evidence `json:"evidence,omitempty"` // what it was derived from
}

// carers returns the number of carers the task needs, at least 1.
func (t *Task) carers() int {
	if t.Carers < 1 {
		return 1
	}
	return t.Carers
}

// every returns the repeat interval in weeks, at least 1.
func (t *Task) every() int {
	if t.EveryWeeks < 1 {
		return 1
	}
	return t.EveryWeeks
}

// PractitionerKind is who delivers tasks.
type PractitionerKind string

// Kinds of practitioner.
const (
	CareWorkers           PractitionerKind = "care_workers" // the agency's care workers
	DistrictNurse         PractitionerKind = "district_nurse"
	OccupationalTherapist PractitionerKind = "occupational_therapist"
	Chiropodist           PractitionerKind = "chiropodist"
	Befriender            PractitionerKind = "befriender" // a volunteer befriender
	GP                    PractitionerKind = "gp"
	Pharmacy              PractitionerKind = "pharmacy"
)

// PractitionerKinds lists the kinds in a stable order.
func PractitionerKinds() []PractitionerKind {
	return []PractitionerKind{CareWorkers, DistrictNurse, OccupationalTherapist, Chiropodist, Befriender, GP, Pharmacy}
}

// Practitioner is a provider of some of the plan's tasks: the agency's care
// workers, whose visits go into the schedule, or a professional or service
// seen by external appointment (Scheduled false).
type Practitioner struct {
	ID        string           `json:"id"`                  // unique within the plan, e.g. "agency", "ot"
	Kind      PractitionerKind `json:"kind"`                // who they are
	Scheduled bool             `json:"scheduled,omitempty"` // its visits are planned in our schedule
	// Contact is the service user's contact record for this professional, used for notices.
	Contact care.ContactID `json:"contact,omitempty"`
	// Role is the worker role that may make scheduled visits (e.g. nurse); empty = care worker.
	Role care.Role `json:"role,omitempty"`
}

// Share returns the information-sharing category that the involvement of
// a practitioner of this kind falls under: that a nurse, an OT, a
// chiropodist, the GP or a pharmacy is involved tells of health; the
// agency's care workers and a befriender are the care plan.
func (k PractitionerKind) Share() care.ShareCategory {
	switch k {
	case CareWorkers, Befriender:
		return care.ShareCarePlan
	}
	return care.ShareHealth
}

// Agreement records who agreed the plan and when (Care Act s.25(3)).
type Agreement struct {
	By string    `json:"by"` // "person" or a contact ID (an attorney or deputy)
	At time.Time `json:"at"` // when it was agreed
}

// Plan is a care and support plan (Care Act 2014 s.25; NICE NG21;
// REFERENCE §1.10): the needs, the outcomes the person wants, the tasks that
// meet them, who delivers each, the funding, the risks, the reviews and the
// lifecycle. Visits derives the visit patterns from the tasks.
type Plan struct {
	ID          PlanID             `json:"id"`           // the plan's ID
	ServiceUser care.ServiceUserID `json:"service_user"` // the person the plan is for
	Version     int                `json:"version"`      // version number, set by History.Save
	Status      Status             `json:"status"`       // place in the lifecycle
	// Start is the date the service starts (set when the plan becomes active).
	Start *time.Time `json:"start,omitempty"`
	End   *time.Time `json:"end,omitempty"` // when the service ended
	// TimeZone is the IANA zone of task times; "" = Europe/London.
	TimeZone string `json:"time_zone,omitempty"`
	// WindowMinutes is how far before or after its time a visit may start; 0 = 30.
	WindowMinutes int `json:"window_minutes,omitempty"`
	// ShortVisitsAgreed records that visits under 30 minutes for a time-limited task
	// or a safe-and-well check were agreed in advance as part of the package (NICE
	// NG21, QS123 st.4). Without it every visit is at least 30 minutes.
	ShortVisitsAgreed bool `json:"short_visits_agreed,omitempty"`
	// MissedVisitResponse says how missed or late visits are handled (QS123 st.2).
	MissedVisitResponse string         `json:"missed_visit_response,omitempty"`
	Needs               []Need         `json:"needs,omitempty"`         // needs found by the assessment
	Goals               []Goal         `json:"goals,omitempty"`         // outcomes the person wants
	Tasks               []Task         `json:"tasks,omitempty"`         // support tasks
	Practitioners       []Practitioner `json:"practitioners,omitempty"` // who delivers the tasks
	Funding             Funding        `json:"funding,omitzero"`        // funders and rate cards
	Risks               []Risk         `json:"risks,omitempty"`         // the risk register
	// Referrals to professionals and services (see FromAssessment).
	Referrals []Referral `json:"referrals,omitempty"`
	Reviews   []Review   `json:"reviews,omitempty"` // reviews held
	// ReviewOpened is when the current review opened (status under_review).
	ReviewOpened *time.Time `json:"review_opened,omitempty"`
	Triggers     []Trigger  `json:"triggers,omitempty"`  // events calling for a review
	Agreement    *Agreement `json:"agreement,omitempty"` // who agreed the plan and when
	// Assessment is the ID of the assessment the plan was derived from.
	Assessment string `json:"assessment,omitempty"`
}

const kindPlan = "plan"

// Practitioner returns the practitioner with the ID.
func (p *Plan) Practitioner(id string) (*Practitioner, bool) {
	for i := range p.Practitioners {
		if p.Practitioners[i].ID == id {
			return &p.Practitioners[i], true
		}
	}
	return nil, false
}

// Task returns the task with the ID.
func (p *Plan) Task(id string) (*Task, bool) {
	for i := range p.Tasks {
		if p.Tasks[i].ID == id {
			return &p.Tasks[i], true
		}
	}
	return nil, false
}

// location returns the plan's time zone.
func (p *Plan) location() (*time.Location, error) {
	tz := p.TimeZone
	if tz == "" {
		tz = "Europe/London"
	}
	return time.LoadLocation(tz)
}

// window returns the default window half-width.
func (p *Plan) window() time.Duration {
	if p.WindowMinutes > 0 {
		return time.Duration(p.WindowMinutes) * time.Minute
	}
	return 30 * time.Minute
}

// Validate reports every problem with the plan, joined; each is a
// *care.FieldError naming the plan ID and the field.
func (p *Plan) Validate() error {
	id := string(p.ID)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindPlan, id, field, format, args...))
	}
	if err := care.ValidateID(id); err != nil {
		bad("id", "%v", err)
	}
	if err := care.ValidateID(string(p.ServiceUser)); err != nil {
		bad("service_user", "%v", err)
	}
	if !slices.Contains([]Status{Draft, Agreed, Active, UnderReview, Ended}, p.Status) {
		bad("status", "unknown status %q", trunc(string(p.Status)))
	}
	if _, err := p.location(); err != nil {
		bad("time_zone", "unknown time zone %q", trunc(p.TimeZone))
	}
	if p.WindowMinutes < 0 || p.WindowMinutes > 240 {
		bad("window_minutes", "%d outside [0, 240]", p.WindowMinutes)
	}
	if p.Start != nil && p.End != nil && p.End.Before(*p.Start) {
		bad("end", "before start")
	}
	needs := map[string]bool{}
	for i, n := range p.Needs {
		f := fmt.Sprintf("needs[%d]", i)
		if err := care.ValidateID(n.ID); err != nil {
			bad(f+".id", "%v", err)
		} else if needs[n.ID] {
			bad(f+".id", "duplicate need id %q", n.ID)
		}
		needs[n.ID] = true
		if n.Outcome == "" {
			bad(f+".outcome", "is required")
		}
	}
	goals := map[string]bool{}
	for i, g := range p.Goals {
		f := fmt.Sprintf("goals[%d]", i)
		if err := care.ValidateID(g.ID); err != nil {
			bad(f+".id", "%v", err)
		} else if goals[g.ID] {
			bad(f+".id", "duplicate goal id %q", g.ID)
		}
		goals[g.ID] = true
		if g.Words == "" {
			bad(f+".words", "is required (the person's own words)")
		}
		for _, n := range g.Needs {
			if !needs[n] {
				bad(f+".needs", "unknown need %q", n)
			}
		}
	}
	prac := map[string]bool{}
	for i, pr := range p.Practitioners {
		f := fmt.Sprintf("practitioners[%d]", i)
		if err := care.ValidateID(pr.ID); err != nil {
			bad(f+".id", "%v", err)
		} else if prac[pr.ID] {
			bad(f+".id", "duplicate practitioner id %q", pr.ID)
		}
		prac[pr.ID] = true
		if !slices.Contains(PractitionerKinds(), pr.Kind) {
			bad(f+".kind", "unknown practitioner kind %q", trunc(string(pr.Kind)))
		}
		if pr.Role != "" {
			if err := pr.Role.Validate(); err != nil {
				bad(f+".role", "%v", err)
			}
		}
	}
	tasks := map[string]bool{}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		f := fmt.Sprintf("task %q", t.ID)
		if err := care.ValidateID(t.ID); err != nil {
			f = fmt.Sprintf("tasks[%d]", i)
			bad(f+".id", "%v", err)
		} else if tasks[t.ID] {
			bad(f, "duplicate task id")
		}
		tasks[t.ID] = true
		if !slices.Contains(TaskKinds(), t.Kind) {
			bad(f+".kind", "unknown task kind %q", trunc(string(t.Kind)))
		}
		if !prac[t.Provider] {
			bad(f+".provider", "unknown practitioner %q", trunc(t.Provider))
		}
		for _, n := range t.Needs {
			if !needs[n] {
				bad(f+".needs", "unknown need %q", trunc(n))
			}
		}
		for _, g := range t.Goals {
			if !goals[g] {
				bad(f+".goals", "unknown goal %q", trunc(g))
			}
		}
		for j, s := range t.Times {
			if _, err := parseClock(s); err != nil {
				bad(fmt.Sprintf("%s.times[%d]", f, j), "%v", err)
			}
		}
		if len(t.Times) == 0 && !(t.Kind == TaskRepositioning && t.RepositionHours > 0) {
			bad(f+".times", "at least one time of day is required")
		}
		for j, d := range t.Days {
			if !slices.Contains(Week(), d) {
				bad(fmt.Sprintf("%s.days[%d]", f, j), "unknown day %q (want MO..SU)", trunc(string(d)))
			}
		}
		if t.EveryWeeks < 0 || t.EveryWeeks > 52 {
			bad(f+".every_weeks", "%d outside [0, 52]", t.EveryWeeks)
		}
		if t.Minutes <= 0 || t.Minutes > 24*60 {
			bad(f+".minutes", "%d outside [1, 1440]", t.Minutes)
		}
		if t.Carers < 0 || t.Carers > 2 {
			bad(f+".carers", "must be 1 or 2 (0 is read as 1), got %d", t.Carers)
		}
		for j, s := range t.Skills {
			if err := s.Validate(); err != nil {
				bad(fmt.Sprintf("%s.skills[%d]", f, j), "%v", err)
			}
		}
		if t.Kind == TaskMedicines {
			if t.Medicine == nil {
				bad(f+".medicine", "is required for a medicines task (NICE NG67: support is recorded per medicine)")
			} else {
				if err := care.ValidateID(t.Medicine.Medicine); err != nil {
					bad(f+".medicine.medicine", "%v", err)
				}
				if !slices.Contains([]MedicineLevel{Prompting, Assisting, Administering}, t.Medicine.Level) {
					bad(f+".medicine.level", "unknown level %q (want prompting, assisting or administering)", trunc(string(t.Medicine.Level)))
				}
				if t.Medicine.ToleranceMinutes < 0 || t.Medicine.MinIntervalHours < 0 {
					bad(f+".medicine", "tolerance and minimum interval must not be negative")
				}
			}
		} else if t.Medicine != nil {
			bad(f+".medicine", "is set on a %s task", t.Kind)
		}
		if t.RepositionHours < 0 || t.RepositionHours > 24 {
			bad(f+".reposition_hours", "%d outside [0, 24]", t.RepositionHours)
		}
	}
	riskIDs := map[string]bool{}
	for i := range p.Risks {
		errs = append(errs, p.Risks[i].validate(id, i)...)
		if riskIDs[p.Risks[i].ID] {
			bad(fmt.Sprintf("risk %q", p.Risks[i].ID), "duplicate risk id")
		}
		riskIDs[p.Risks[i].ID] = true
	}
	refs := map[string]bool{}
	for i, r := range p.Referrals {
		f := fmt.Sprintf("referral %q", r.ID)
		if err := care.ValidateID(r.ID); err != nil {
			f = fmt.Sprintf("referrals[%d]", i)
			bad(f+".id", "%v", err)
		} else if refs[r.ID] {
			bad(f, "duplicate referral id")
		}
		refs[r.ID] = true
		if r.To == "" {
			bad(f+".to", "is required")
		}
		if r.Practitioner != "" && !prac[r.Practitioner] {
			bad(f+".practitioner", "unknown practitioner %q", trunc(r.Practitioner))
		}
		if r.Due.IsZero() {
			bad(f+".due", "is required")
		}
	}
	if err := p.Funding.validate(id, prac); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Decision is one task of the plan that needs consent, as package compliance
// reads it (the fields and JSON tags of compliance.Decision).
type Decision struct {
	ID                   string          `json:"id"`                               // the task ID, or "share-with-professionals"
	Category             ConsentCategory `json:"category"`                         // the kind of decision
	LifeSustaining       bool            `json:"life_sustaining,omitempty"`        // life-sustaining treatment (MCA s.11(8))
	Restrictive          bool            `json:"restrictive,omitempty"`            // involves restraint (MCA s.6)
	Covert               bool            `json:"covert,omitempty"`                 // covert medication
	DeprivationOfLiberty bool            `json:"deprivation_of_liberty,omitempty"` // may deprive the person of liberty
}

// Decisions lists the plan's tasks as decisions needing consent (CQC Reg 11;
// REFERENCE §2.5), one per task with the task's ID, plus one for sharing
// information when any task is delivered by another practitioner than the
// agency's care workers.
func (p *Plan) Decisions() []Decision {
	var out []Decision
	shared := false
	for _, t := range p.Tasks {
		d := Decision{ID: t.ID, Category: t.Kind.Consent(), Restrictive: t.Restrictive}
		if t.Medicine != nil {
			d.Covert = t.Medicine.Covert
		}
		out = append(out, d)
		if pr, ok := p.Practitioner(t.Provider); ok && pr.Kind != CareWorkers {
			shared = true
		}
	}
	if shared {
		out = append(out, Decision{ID: "share-with-professionals", Category: ConsentSharing})
	}
	return out
}

// parseClock parses "HH:MM" into minutes after midnight.
func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("want a time of day like \"08:00\", got %q", trunc(s))
	}
	return t.Hour()*60 + t.Minute(), nil
}

// clock formats minutes after midnight as "HH:MM".
func clock(m int) string {
	m = ((m % 1440) + 1440) % 1440
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

func trunc(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}
