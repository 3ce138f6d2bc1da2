package careplan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
)

// Referral is a referral of a need to a professional or service, made when
// the plan is drafted from an assessment or by the coordinator. Practitioner
// is the plan's practitioner who receives it, when the plan has one for it
// (an OT, a district nurse, the GP); services outside the plan (a falls
// service, a dietitian, the safeguarding lead) are named by To alone.
type Referral struct {
	ID           string `json:"id"`                     // unique within the plan
	To           string `json:"to"`                     // e.g. "occupational-therapy" (assessment.ReferralTarget)
	Practitioner string `json:"practitioner,omitempty"` // the plan practitioner who receives it, if any
	// Urgency is "routine" or "same-day".
	Urgency  string     `json:"urgency"`
	Reason   string     `json:"reason"`             // why, in plain words
	Due      time.Time  `json:"due"`                // when it must be made by
	Made     *time.Time `json:"made,omitempty"`     // when the referral was sent
	Evidence []Evidence `json:"evidence,omitempty"` // what it came from
}

// VisitTimes are the local times of day at which FromAssessment places
// daily tasks: "08:00" style. The zero value means DefaultVisitTimes.
type VisitTimes struct {
	Morning string `json:"morning,omitempty"` // getting up, washing, dressing; default 08:00
	Lunch   string `json:"lunch,omitempty"`   // default 12:30
	Tea     string `json:"tea,omitempty"`     // default 17:00
	Evening string `json:"evening,omitempty"` // going to bed; default 20:00
}

// DefaultVisitTimes returns 08:00, 12:30, 17:00 and 20:00.
func DefaultVisitTimes() VisitTimes {
	return VisitTimes{Morning: "08:00", Lunch: "12:30", Tea: "17:00", Evening: "20:00"}
}

func (vt VisitTimes) withDefaults() VisitTimes {
	d := DefaultVisitTimes()
	if vt.Morning != "" {
		d.Morning = vt.Morning
	}
	if vt.Lunch != "" {
		d.Lunch = vt.Lunch
	}
	if vt.Tea != "" {
		d.Tea = vt.Tea
	}
	if vt.Evening != "" {
		d.Evening = vt.Evening
	}
	return d
}

// DraftOptions configure FromAssessment. Only PlanID is required.
type DraftOptions struct {
	// PlanID is the ID of the new plan.
	PlanID PlanID `json:"plan_id"`
	// Words are the outcomes the person wants, in their own words, keyed by
	// the reg 2(2) outcome code ("hygiene", "relationships", ...). A goal is
	// drafted for each entry whose outcome is a need; the library never
	// invents a person's words.
	Words map[string]string `json:"words,omitempty"`
	// Times place the daily tasks; zero = DefaultVisitTimes.
	Times VisitTimes `json:"times,omitzero"`
	// TimeZone of the times; "" = Europe/London.
	TimeZone string `json:"time_zone,omitempty"`
	// RepositionMinutes is the time repositioning takes at each visit; 0 = 10.
	RepositionMinutes int `json:"reposition_minutes,omitempty"`
	// Befriending is the day and time of a weekly befriending visit; zero = Wednesday 14:00.
	BefriendingDay  Day    `json:"befriending_day,omitempty"`
	BefriendingTime string `json:"befriending_time,omitempty"` // "14:00" style
	// RiskOwner is the staff ID who owns risks drafted from flags; "" = "coordinator".
	RiskOwner string `json:"risk_owner,omitempty"`
	// ShortVisitsAgreed records that visits under 30 minutes for a
	// medicines prompt were agreed in advance (NICE NG21; see Plan).
	ShortVisitsAgreed bool `json:"short_visits_agreed,omitempty"`
	// MissedVisitResponse is the agency's response to missed or late visits
	// (NICE QS123 st.2), copied into the plan.
	MissedVisitResponse string `json:"missed_visit_response,omitempty"`
}

// ErrNoPicture matches FromAssessment called without a picture.
var ErrNoPicture = errors.New("no assessment picture")

// taskRule says how an assessment task becomes a plan task.
type taskRule struct {
	kind  TaskKind
	slots func(VisitTimes) []string
	desc  string
}

// taskRules maps the wellbeing model's task kinds to plan tasks and the
// times of day they are done.
func taskRules() map[assessment.TaskKind]taskRule {
	m := func(v VisitTimes) []string { return []string{v.Morning} }
	me := func(v VisitTimes) []string { return []string{v.Morning, v.Evening} }
	mle := func(v VisitTimes) []string { return []string{v.Morning, v.Lunch, v.Evening} }
	return map[assessment.TaskKind]taskRule{
		assessment.TaskWashing:    {TaskPersonalCare, m, "help to wash or bathe"},
		assessment.TaskGrooming:   {TaskPersonalCare, m, "help with face, hair, teeth and shaving"},
		assessment.TaskDressing:   {TaskPersonalCare, me, "help to dress and undress"},
		assessment.TaskToileting:  {TaskPersonalCare, mle, "help to use the toilet"},
		assessment.TaskContinence: {TaskPersonalCare, me, "continence care"},
		assessment.TaskEating: {TaskMeals, func(v VisitTimes) []string { return []string{v.Morning, v.Lunch, v.Tea} },
			"help to eat and drink"},
		assessment.TaskTransfers: {TaskTransfer, me, "help with transfers (out of and into bed)"},
		assessment.TaskMealPrep: {TaskMeals, func(v VisitTimes) []string { return []string{v.Lunch, v.Tea} },
			"prepare a meal and a drink"},
		assessment.TaskHousekeep: {TaskDomestic, func(v VisitTimes) []string { return []string{v.Lunch} },
			"housework and laundry"},
		assessment.TaskMedicines:     {TaskMedicines, me, "medicines support"},
		assessment.TaskRepositioning: {TaskRepositioning, mle, "help to change position"},
	}
}

// FromAssessment drafts a plan (status draft) from the wellbeing model's
// picture of an assessment. Every item carries Evidence whose Ref names the
// assessment and the instrument and item, observation, flag or derivation
// it came from ("a1/barthel100/transfers", "a1/observation/cognition",
// "a1/flag/falls"). The rules:
//
//   - Needs: one per specified outcome the person is unable to achieve
//     (reg 2(2), 2(3)), eligible when the picture finds the person
//     eligible, with the wellbeing areas it bears on.
//   - Goals: one per outcome in opts.Words, in the person's words.
//   - Tasks, delivered by the agency's care workers ("agency"): each
//     support task of the picture at fixed times of day (washing and
//     grooming in the morning; dressing, continence, transfers and
//     medicines morning and evening; toileting morning, lunch and evening;
//     help to eat at breakfast, lunch and tea; meal preparation at lunch and
//     tea; housework at lunch), its daily minutes split over its times and
//     rounded up to 5 minutes. Double-handed transfers need two carers
//     (and so hoist-trained carers); moderate or severe cognitive
//     impairment adds the dementia skill to personal care; the medicines
//     level is the NG67 level of the picture.
//   - Repositioning: when the person cannot reposition alone and lives
//     alone, a task at every visit whose interval is the longest gap
//     between visits (NICE CG179; visits are added to keep it); otherwise
//     a task at the morning, lunch and evening visits.
//   - Befriending: a weekly visit by a volunteer befriender.
//   - Practitioners and referrals: an OT for moving-and-handling or bathing
//     referrals, a district nurse for nursing needs, the GP for same-day
//     and mental-health referrals; other services by name. Each referral is
//     due the same day or within 14 days.
//   - Risks: one per flag code (level from severity, same-day escalation
//     for a same-day flag), one for a safeguarding concern (a safeguarding
//     referral) and one when home needs review.
//
// The coordinator then edits the draft through the API; Validate and
// Visits apply as to any plan.
func FromAssessment(pic *assessment.Picture, opts DraftOptions) (*Plan, error) {
	if pic == nil {
		return nil, fmt.Errorf("plan %q: %w", opts.PlanID, ErrNoPicture)
	}
	if err := pic.Validate(); err != nil {
		return nil, fmt.Errorf("plan %q: assessment %q: %w", opts.PlanID, pic.AssessmentID, err)
	}
	if err := care.ValidateID(string(opts.PlanID)); err != nil {
		return nil, fieldErr(string(opts.PlanID), "plan_id", "%v", err)
	}
	vt := opts.Times.withDefaults()
	for _, s := range []string{vt.Morning, vt.Lunch, vt.Tea, vt.Evening, opts.BefriendingTime} {
		if s == "" {
			continue
		}
		if _, err := parseClock(s); err != nil {
			return nil, fieldErr(string(opts.PlanID), "times", "%v", err)
		}
	}
	d := &drafter{pic: pic, opts: opts, vt: vt, p: &Plan{
		ID: opts.PlanID, ServiceUser: care.ServiceUserID(pic.PersonID), Status: Draft,
		TimeZone: opts.TimeZone, Assessment: pic.AssessmentID, MissedVisitResponse: opts.MissedVisitResponse,
		ShortVisitsAgreed: opts.ShortVisitsAgreed,
	}}
	if d.opts.RiskOwner == "" {
		d.opts.RiskOwner = "coordinator"
	}
	d.needs()
	d.goals()
	d.tasks()
	d.referrals()
	d.risks()
	if err := d.p.Validate(); err != nil {
		return nil, fmt.Errorf("plan %q: draft from assessment %q is not valid: %w", opts.PlanID, pic.AssessmentID, err)
	}
	return d.p, nil
}

// drafter builds a plan from a picture.
type drafter struct {
	pic  *assessment.Picture
	opts DraftOptions
	vt   VisitTimes
	p    *Plan
}

// ev converts assessment evidence to plan evidence with a reference
// "<assessment>/<instrument or source>/<item>".
func (d *drafter) ev(in ...assessment.Evidence) []Evidence {
	var out []Evidence
	for _, e := range in {
		where := e.Instrument
		if where == "" {
			where = string(e.Source)
		}
		ref := d.pic.AssessmentID + "/" + where
		if e.Item != "" {
			ref += "/" + e.Item
		}
		x := Evidence{Source: "assessment", Ref: ref, Value: e.Value, Note: e.Note}
		if e.Band != "" {
			x.Note = strings.TrimSpace(x.Note + " (band " + e.Band + ")")
		}
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// flagEv is the evidence of a flag: the flag itself, then the facts that raised it.
func (d *drafter) flagEv(f assessment.Flag) []Evidence {
	out := []Evidence{{Source: "flag", Ref: d.pic.AssessmentID + "/flag/" + string(f.Code), Note: f.Rule}}
	return append(out, d.ev(f.Evidence...)...)
}

func needID(o assessment.Outcome) string { return "n-" + string(o) }

func (d *drafter) needs() {
	for _, n := range d.pic.Needs {
		if n.Status != assessment.Unable {
			continue
		}
		var areas []string
		for _, a := range d.pic.Wellbeing {
			for _, e := range a.Evidence {
				if e.Source == assessment.SourceDerived && e.Item == string(n.Outcome) && !slices.Contains(areas, string(a.Area)) {
					areas = append(areas, string(a.Area))
				}
			}
		}
		var means []string
		for _, m := range n.Meanings {
			means = append(means, string(m))
		}
		d.p.Needs = append(d.p.Needs, Need{
			ID: needID(n.Outcome), Outcome: string(n.Outcome),
			Description: fmt.Sprintf("unable to achieve %s (reg %s): %s", n.Outcome.Description(), n.Regulation, strings.Join(means, ", ")),
			Eligible:    d.pic.Eligibility.Eligible, Wellbeing: areas, MetBy: "not met",
			Evidence: d.ev(n.Evidence...),
		})
	}
}

func (d *drafter) hasNeed(o string) bool {
	return slices.ContainsFunc(d.p.Needs, func(n Need) bool { return n.Outcome == o })
}

func (d *drafter) goals() {
	for _, n := range d.p.Needs {
		w := strings.TrimSpace(d.opts.Words[n.Outcome])
		if w == "" {
			continue
		}
		d.p.Goals = append(d.p.Goals, Goal{ID: "g-" + n.Outcome, Words: w, Needs: []string{n.ID},
			Evidence: []Evidence{{Source: "person", Note: "the person's own words"}}})
	}
}

func (d *drafter) goalsFor(need string) []string {
	var out []string
	for _, g := range d.p.Goals {
		if slices.Contains(g.Needs, need) {
			out = append(out, g.ID)
		}
	}
	return out
}

// cognition returns the recorded cognition level (0 intact .. 3 severe) from the evidence.
func (d *drafter) cognition() int {
	lvl := 0
	for _, a := range d.pic.Wellbeing {
		for _, e := range a.Evidence {
			if e.Source == assessment.SourceObservation && e.Item == "cognition" && int(e.Value) > lvl {
				lvl = int(e.Value)
			}
		}
	}
	return lvl
}

const agency = "agency"

func (d *drafter) addPractitioner(pr Practitioner) {
	if _, ok := d.p.Practitioner(pr.ID); !ok {
		d.p.Practitioners = append(d.p.Practitioners, pr)
	}
}

func (d *drafter) tasks() {
	rules := taskRules()
	s := d.pic.Support
	dementia := d.cognition() >= 2
	for _, at := range s.Tasks {
		r, ok := rules[at.Kind]
		if !ok {
			continue
		}
		need := needID(at.Outcome)
		var needs []string
		if d.hasNeed(string(at.Outcome)) {
			needs = []string{need}
		}
		times := r.slots(d.vt)
		t := Task{
			ID: "t-" + string(at.Kind), Kind: r.kind, Description: r.desc, Needs: needs, Goals: d.goalsFor(need),
			Provider: agency, Times: times, Minutes: perTime(at.MinutesPerDay, len(times)), Evidence: d.ev(at.Evidence...),
		}
		if t.Minutes == 0 {
			continue
		}
		switch at.Kind {
		case assessment.TaskTransfers:
			if s.DoubleHandedTransfers.Needed {
				t.Carers = 2
				t.Description += "; two carers with a hoist until the moving-and-handling assessment decides"
				t.Evidence = append(t.Evidence, d.ev(s.DoubleHandedTransfers.Evidence...)...)
			}
		case assessment.TaskMedicines:
			t.Medicine = &Medicine{Medicine: "regular-medicines", Level: medicineLevel(s.Medicines.Level)}
			t.Description = fmt.Sprintf("medicines support: %s (%s)", t.Medicine.Level, s.Medicines.Reason)
			t.Evidence = d.ev(s.Medicines.Evidence...)
		case assessment.TaskRepositioning:
			t.Evidence = d.ev(s.Repositioning.Evidence...)
			if s.Repositioning.MaxGapBetweenVisits {
				t.Times = nil
				t.RepositionHours = s.Repositioning.IntervalHours
				t.Minutes = d.opts.RepositionMinutes
				if t.Minutes <= 0 {
					t.Minutes = 10
				}
				t.Description = fmt.Sprintf("help to change position at every visit; no more than %d hours between visits", t.RepositionHours)
			}
		}
		if dementia && t.Kind == TaskPersonalCare {
			t.Skills = []care.Skill{care.SkillDementia}
		}
		d.p.Tasks = append(d.p.Tasks, t)
		for i := range d.p.Needs {
			if slices.Contains(t.Needs, d.p.Needs[i].ID) {
				d.p.Needs[i].MetBy = agency
			}
		}
	}
	if len(d.p.Tasks) > 0 {
		d.addPractitioner(Practitioner{ID: agency, Kind: CareWorkers, Scheduled: true})
	}
	if s.Befriending.Needed {
		day, tm := d.opts.BefriendingDay, d.opts.BefriendingTime
		if day == "" {
			day = Wednesday
		}
		if tm == "" {
			tm = "14:00"
		}
		d.addPractitioner(Practitioner{ID: "befriender", Kind: Befriender, Scheduled: true, Role: care.RoleBefriender})
		need := needID(assessment.OutcomeRelationships)
		t := Task{ID: "t-befriending", Kind: TaskBefriending, Description: "a weekly visit from a volunteer befriender",
			Provider: "befriender", Times: []string{tm}, Days: []Day{day}, Minutes: 60, Goals: d.goalsFor(need),
			Evidence: d.ev(s.Befriending.Evidence...)}
		if d.hasNeed(string(assessment.OutcomeRelationships)) {
			t.Needs = []string{need}
			for i := range d.p.Needs {
				if d.p.Needs[i].ID == need {
					d.p.Needs[i].MetBy = "befriender"
				}
			}
		}
		d.p.Tasks = append(d.p.Tasks, t)
	}
}

// perTime splits daily minutes over n times, rounded up to 5 minutes.
func perTime(daily, n int) int {
	if n <= 0 || daily <= 0 {
		return 0
	}
	per := (daily + n - 1) / n
	return (per + 4) / 5 * 5
}

func medicineLevel(l assessment.MedicinesSupport) MedicineLevel {
	switch l {
	case assessment.MedicinesAssist:
		return Assisting
	case assessment.MedicinesAdminister:
		return Administering
	}
	return Prompting
}

// referralPractitioner is the plan practitioner who receives a referral, if any.
func referralPractitioner(t assessment.ReferralTarget) (Practitioner, bool) {
	switch t {
	case assessment.ReferOT:
		return Practitioner{ID: "ot", Kind: OccupationalTherapist}, true
	case assessment.ReferDistrictNurse:
		return Practitioner{ID: "district-nurse", Kind: DistrictNurse}, true
	case assessment.ReferCrisis, assessment.ReferMentalHealth:
		return Practitioner{ID: "gp", Kind: GP}, true
	}
	return Practitioner{}, false
}

func (d *drafter) referrals() {
	for _, r := range d.pic.Referrals {
		ref := Referral{ID: "ref-" + string(r.To), To: string(r.To), Urgency: string(r.Urgency), Reason: r.Reason,
			Due: d.pic.Date.AddDate(0, 0, 14), Evidence: d.ev(r.Evidence...)}
		if r.Urgency == assessment.EscalateSameDay {
			ref.Due = endOfDay(d.pic.Date)
		}
		if pr, ok := referralPractitioner(r.To); ok {
			d.addPractitioner(pr)
			ref.Practitioner = pr.ID
		}
		d.p.Referrals = append(d.p.Referrals, ref)
	}
}

// endOfDay is the last second of t's day in t's location.
func endOfDay(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 23, 59, 59, 0, t.Location())
}

func riskLevel(s assessment.Severity) RiskLevel {
	switch s {
	case assessment.SeverityUrgent:
		return RiskUrgent
	case assessment.SeverityHigh:
		return RiskHigh
	case assessment.SeverityWarning:
		return RiskMedium
	}
	return RiskLow
}

// flagProviders lists the plan practitioners a flag's risk concerns.
func (d *drafter) flagProviders(code assessment.FlagCode) []string {
	var want []string
	switch code {
	case assessment.FlagFalls:
		want = []string{agency, "ot"}
	case assessment.FlagPressureUlcer:
		want = []string{agency, "district-nurse"}
	case assessment.FlagMalnutrition:
		want = []string{agency}
	case assessment.FlagSelfHarm, assessment.FlagDepression, assessment.FlagAnxiety, assessment.FlagLowWellbeing:
		want = []string{"gp"}
	case assessment.FlagLoneliness:
		want = []string{"befriender"}
	}
	var out []string
	for _, id := range want {
		if _, ok := d.p.Practitioner(id); ok {
			out = append(out, id)
		}
	}
	return out
}

func (d *drafter) risks() {
	at := d.pic.Date
	routine := at.AddDate(0, 0, 28)
	for _, f := range d.pic.Flags {
		id := "r-" + string(f.Code)
		if r := findRisk(d.p, id); r != nil {
			r.Evidence = append(r.Evidence, d.flagEv(f)...)
			if lv := riskLevel(f.Severity); riskRank(lv) > riskRank(r.Level) {
				r.Level = lv
			}
			if f.Action != "" && !slices.Contains(r.Controls, f.Action) {
				r.Controls = append(r.Controls, f.Action)
			}
			continue
		}
		r := Risk{ID: id, Flag: string(f.Code), Description: "assessment flag " + string(f.Code), Level: riskLevel(f.Severity),
			Owner: d.opts.RiskOwner, ReviewBy: routine, Providers: d.flagProviders(f.Code), Evidence: d.flagEv(f)}
		if f.Action != "" {
			r.Controls = []string{f.Action}
		}
		if f.RepositionHours > 0 {
			r.Controls = append(r.Controls, fmt.Sprintf("change position at least every %d hours (NICE CG179)", f.RepositionHours))
		}
		switch {
		case f.Code == assessment.FlagSafeguarding:
			r.Escalation = &Escalation{To: "safeguarding lead", Safeguarding: true, Due: endOfDay(at)}
			r.ReviewBy = at.AddDate(0, 0, 1)
		case f.Escalation == assessment.EscalateSameDay:
			to := "GP or crisis team"
			if f.Code != assessment.FlagSelfHarm {
				to = "GP"
			}
			r.Escalation = &Escalation{To: to, Due: endOfDay(at)}
			r.ReviewBy = at.AddDate(0, 0, 1)
		}
		d.p.Risks = append(d.p.Risks, r)
	}
	if sg, ok := d.pic.Referral(assessment.ReferSafeguarding); ok {
		if r := findRisk(d.p, "r-safeguarding"); r != nil {
			// Raised as a flag too: one entry, with the referral's control.
			r.Controls = append(r.Controls, "tell the safeguarding lead the same day (CQC Reg 13)")
			r.Level = RiskUrgent
			d.homeRisk()
			return
		}
		d.p.Risks = append(d.p.Risks, Risk{ID: "r-safeguarding", Flag: "safeguarding", Description: "safeguarding concern raised",
			Level: RiskUrgent, Owner: d.opts.RiskOwner, ReviewBy: at.AddDate(0, 0, 1),
			Controls:   []string{"tell the safeguarding lead the same day (CQC Reg 13)"},
			Escalation: &Escalation{To: "safeguarding lead", Safeguarding: true, Due: endOfDay(at)},
			Evidence:   d.ev(sg.Evidence...)})
	}
	d.homeRisk()
}

// homeRisk adds a risk when the picture asks whether home remains viable.
func (d *drafter) homeRisk() {
	at := d.pic.Date
	if d.pic.Home.Status == assessment.HomeReview {
		var prov []string
		if _, ok := d.p.Practitioner(agency); ok {
			prov = []string{agency}
		}
		d.p.Risks = append(d.p.Risks, Risk{ID: "r-home", Description: "whether home remains viable: " + d.pic.Home.Reason,
			Level: RiskHigh, Owner: d.opts.RiskOwner, ReviewBy: at.AddDate(0, 0, 14), Providers: prov,
			Controls: []string{"review with the person, their representatives and the local authority"},
			Evidence: d.ev(d.pic.Home.Evidence...)})
	}
}

func riskRank(l RiskLevel) int {
	return slices.Index([]RiskLevel{RiskLow, RiskMedium, RiskHigh, RiskUrgent}, l)
}
