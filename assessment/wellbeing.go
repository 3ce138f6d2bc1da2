package assessment

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
)

// OutcomeStatus is the conclusion on one specified outcome.
type OutcomeStatus string

// Outcome statuses.
const (
	Achieved      OutcomeStatus = "achieved"       // no evidence of inability
	Unable        OutcomeStatus = "unable"         // unable to achieve, with the reg 2(3) meanings
	NotApplicable OutcomeStatus = "not-applicable" // work or child care that does not apply
)

// OutcomeNeed is the conclusion on one specified outcome with the evidence.
type OutcomeNeed struct {
	Outcome    Outcome       `json:"outcome"`            // the specified outcome
	Regulation string        `json:"regulation"`         // e.g. "2(2)(a)"
	Status     OutcomeStatus `json:"status"`             // achieved, unable or not applicable
	Meanings   []Meaning     `json:"meanings,omitempty"` // the reg 2(3) meanings of "unable to achieve" that apply
	Evidence   []Evidence    `json:"evidence,omitempty"` // the scores and observations that decided it
}

// Basis says how a conclusion was reached.
type Basis string

// Bases of a conclusion.
const (
	BasisObservation Basis = "observation" // recorded by a practitioner
	BasisDerived     Basis = "derived"     // suggested by the model from scores; a practitioner confirms
)

// Condition is one of the three eligibility conditions of reg 2(1).
type Condition struct {
	Met      bool       `json:"met"`                // whether the condition holds
	Basis    Basis      `json:"basis"`              // observed by a practitioner or derived from scores
	Reason   string     `json:"reason"`             // the rule applied, citing the regulation
	Evidence []Evidence `json:"evidence,omitempty"` // what decided it
}

// Eligibility is the Care Act 2014 adult eligibility determination under
// SI 2015/313 reg 2: needs are eligible only if all three conditions hold
// (REFERENCE §1.10). It is decided as if no carer were meeting the needs.
type Eligibility struct {
	Eligible bool `json:"eligible"` // all three conditions hold
	// Impairment: reg 2(1)(a), needs arise from physical or mental impairment or illness.
	Impairment Condition `json:"impairment"`
	// Outcomes: reg 2(1)(b), unable to achieve two or more specified outcomes.
	Outcomes Condition `json:"outcomes"`
	// Impact: reg 2(1)(c), significant impact on wellbeing as a consequence.
	Impact Condition `json:"impact"`
	// NeedsConfirmation is true when any condition was derived rather than observed.
	NeedsConfirmation bool `json:"needsConfirmation"`
}

// AreaFinding is the model's view of one wellbeing area.
type AreaFinding struct {
	Area     WellbeingArea `json:"area"`               // the wellbeing area
	Concern  bool          `json:"concern"`            // the area is affected
	Evidence []Evidence    `json:"evidence,omitempty"` // why
}

// TaskKind is a kind of personal care or practical task.
type TaskKind string

// Task kinds with default minutes in [DefaultTariff].
const (
	TaskWashing       TaskKind = "washing"    // help to bathe or wash
	TaskGrooming      TaskKind = "grooming"   // face, hair, teeth, shaving
	TaskDressing      TaskKind = "dressing"   // dressing and undressing
	TaskToileting     TaskKind = "toileting"  // help to use the toilet
	TaskContinence    TaskKind = "continence" // continence care
	TaskEating        TaskKind = "eating"     // help to eat and drink
	TaskTransfers     TaskKind = "transfers"  // transfers and mobility in the home
	TaskMealPrep      TaskKind = "meal-prep"  // preparing meals (practical, not personal care)
	TaskHousekeep     TaskKind = "housekeeping"
	TaskMedicines     TaskKind = "medicines" // medicines support (time counted in personal care)
	TaskRepositioning TaskKind = "repositioning"
)

// personal reports whether the task counts as personal care.
func (k TaskKind) personal() bool {
	return k != TaskMealPrep && k != TaskHousekeep
}

// Task is one support task derived from a need, with its daily minutes.
type Task struct {
	Kind          TaskKind   `json:"kind"`          // what the task is
	Outcome       Outcome    `json:"outcome"`       // the outcome it supports
	MinutesPerDay int        `json:"minutesPerDay"` // minutes a day from the tariff (personal care after the cognition allowance)
	PersonalCare  bool       `json:"personalCare"`  // counts as personal care
	Evidence      []Evidence `json:"evidence"`      // the needs that call for it
}

// Decision is a yes/no support conclusion with its evidence.
type Decision struct {
	Needed   bool       `json:"needed"`             // whether the support is needed
	Reason   string     `json:"reason,omitempty"`   // why, in plain words
	Evidence []Evidence `json:"evidence,omitempty"` // what decided it
}

// MedicinesDecision is the NG67 medicines support level with its evidence.
type MedicinesDecision struct {
	Level    MedicinesSupport `json:"level"`              // the NG67 support level
	Reason   string           `json:"reason,omitempty"`   // why, in plain words
	Evidence []Evidence       `json:"evidence,omitempty"` // what decided it
}

// Repositioning is the repositioning requirement from pressure-ulcer flags
// (NICE CG179/QS89: at risk every 6 h, high risk every 4 h; REFERENCE §1.8).
type Repositioning struct {
	IntervalHours int `json:"intervalHours"` // 0 when not at risk
	// MaxGapBetweenVisits: the person cannot reposition alone and lives
	// alone, so the interval is a maximum gap between visits (rule REPOS).
	MaxGapBetweenVisits bool       `json:"maxGapBetweenVisits"`
	Evidence            []Evidence `json:"evidence,omitempty"` // the pressure-ulcer flags and observations behind it
}

// Support is the support derived from the needs: what a care plan must
// provide. careplan.FromAssessment consumes it.
type Support struct {
	// PersonalCareMinutesPerDay is the sum of the personal-care tasks'
	// minutes, after the cognition allowance (per person, not per worker:
	// double-handed tasks need two workers for the same minutes).
	PersonalCareMinutesPerDay int               `json:"personalCareMinutesPerDay"`
	Tasks                     []Task            `json:"tasks,omitempty"`       // support tasks in the order the needs were found
	DoubleHandedTransfers     Decision          `json:"doubleHandedTransfers"` // two carers for transfers (REFERENCE §5.7)
	Medicines                 MedicinesDecision `json:"medicines"`             // medicines support level (NG67)
	Nursing                   Decision          `json:"nursing"`               // a nurse is needed (district nurse referral)
	Befriending               Decision          `json:"befriending"`           // befriending or social activities for loneliness
	Repositioning             Repositioning     `json:"repositioning"`         // the CG179 repositioning requirement
}

// ReferralTarget is a professional or service a need is referred to.
type ReferralTarget string

// Referral targets.
const (
	ReferOT            ReferralTarget = "occupational-therapy"
	ReferDistrictNurse ReferralTarget = "district-nurse"
	ReferMentalHealth  ReferralTarget = "mental-health"
	ReferCrisis        ReferralTarget = "gp-or-crisis-same-day" // RISK-PHQ9 escalation
	ReferFalls         ReferralTarget = "falls-service"
	ReferDietitian     ReferralTarget = "dietitian"
	ReferSafeguarding  ReferralTarget = "safeguarding-lead"
)

// Referral is one professional referral with its urgency and evidence.
type Referral struct {
	To       ReferralTarget `json:"to"`       // the professional or service
	Urgency  Escalation     `json:"urgency"`  // routine or same day
	Reason   string         `json:"reason"`   // why, in plain words
	Evidence []Evidence     `json:"evidence"` // what led to it
}

// HomeStatus is the overall picture of living at home.
type HomeStatus string

// Home statuses.
const (
	HomeIndependent HomeStatus = "independent"  // at home without care and support
	HomeWithSupport HomeStatus = "with-support" // at home with the derived support
	HomeReview      HomeStatus = "review"       // a practitioner must review whether home is viable
)

// Home is the conclusion on whether the person can remain at home.
type Home struct {
	Status   HomeStatus `json:"status"`             // independent, with support, or review
	Reason   string     `json:"reason"`             // why, in plain words
	Evidence []Evidence `json:"evidence,omitempty"` // what decided it
}

// Picture is the output of the wellbeing model for one assessment: needs
// per specified outcome, Care Act eligibility, the nine wellbeing areas,
// risk flags, derived support, referrals and whether the person can remain
// at home. Every conclusion carries the evidence that led to it. It is
// plain data with JSON tags for careplan and compliance.
type Picture struct {
	AssessmentID string        `json:"assessmentId"`        // the assessment evaluated
	PersonID     string        `json:"personId"`            // the person assessed
	Date         time.Time     `json:"date"`                // the assessment date
	Needs        []OutcomeNeed `json:"needs"`               // the ten specified outcomes, in regulation order
	Eligibility  Eligibility   `json:"eligibility"`         // the reg 2(1) determination
	Wellbeing    []AreaFinding `json:"wellbeing"`           // the nine wellbeing areas, in s.1(2) order
	Flags        []Flag        `json:"flags,omitempty"`     // risk flags from instruments and the falls profile
	Support      Support       `json:"support"`             // the support derived from the needs
	Referrals    []Referral    `json:"referrals,omitempty"` // professional referrals
	Home         Home          `json:"home"`                // whether the person can remain at home
	Tariff       string        `json:"tariff"`              // ID of the tariff that set the minutes
}

// Need returns the conclusion on outcome o.
func (p *Picture) Need(o Outcome) (OutcomeNeed, bool) {
	if p == nil {
		return OutcomeNeed{}, false
	}
	for _, n := range p.Needs {
		if n.Outcome == o {
			return n, true
		}
	}
	return OutcomeNeed{}, false
}

// Area returns the finding for wellbeing area a.
func (p *Picture) Area(a WellbeingArea) (AreaFinding, bool) {
	if p == nil {
		return AreaFinding{}, false
	}
	for _, f := range p.Wellbeing {
		if f.Area == a {
			return f, true
		}
	}
	return AreaFinding{}, false
}

// Referral returns the referral to target t.
func (p *Picture) Referral(t ReferralTarget) (Referral, bool) {
	if p == nil {
		return Referral{}, false
	}
	return findReferral(p.Referrals, t)
}

// HasFlag reports whether the picture carries a flag with the given code.
func (p *Picture) HasFlag(code FlagCode) bool {
	if p == nil {
		return false
	}
	return slices.ContainsFunc(p.Flags, func(f Flag) bool { return f.Code == code })
}

// UnableCount returns how many outcomes the person is unable to achieve.
func (p *Picture) UnableCount() int {
	if p == nil {
		return 0
	}
	n := 0
	for _, x := range p.Needs {
		if x.Status == Unable {
			n++
		}
	}
	return n
}

// Validate checks that the picture is complete and consistent: all ten
// outcomes once each in order, unable outcomes with meanings and evidence,
// nine wellbeing areas, minutes equal to the sum of personal-care tasks,
// known codes, and eligibility equal to the conjunction of its conditions.
func (p *Picture) Validate() error {
	if p == nil {
		return care.Invalid("wellbeing picture", "", "", "nil")
	}
	inv := func(field, format string, args ...any) error {
		return care.Invalid("wellbeing picture", p.AssessmentID, field, format, args...)
	}
	if p.PersonID == "" {
		return inv("personId", "empty")
	}
	if len(p.Needs) != len(Outcomes()) {
		return inv("needs", "want %d outcomes, got %d", len(Outcomes()), len(p.Needs))
	}
	for i, n := range p.Needs {
		if n.Outcome != Outcomes()[i] {
			return inv(fmt.Sprintf("needs[%d]", i), "want outcome %q, got %q", Outcomes()[i], n.Outcome)
		}
		switch n.Status {
		case Unable:
			if len(n.Meanings) == 0 || len(n.Evidence) == 0 {
				return inv(fmt.Sprintf("needs[%d]", i), "unable without meaning or evidence")
			}
		case Achieved, NotApplicable:
			if len(n.Meanings) > 0 {
				return inv(fmt.Sprintf("needs[%d]", i), "%s with meanings", n.Status)
			}
		default:
			return inv(fmt.Sprintf("needs[%d].status", i), "unknown %q", n.Status)
		}
	}
	if len(p.Wellbeing) != len(WellbeingAreas()) {
		return inv("wellbeing", "want %d areas, got %d", len(WellbeingAreas()), len(p.Wellbeing))
	}
	e := p.Eligibility
	if e.Eligible != (e.Impairment.Met && e.Outcomes.Met && e.Impact.Met) {
		return inv("eligibility", "eligible=%v disagrees with its conditions", e.Eligible)
	}
	sum := 0
	for i, t := range p.Support.Tasks {
		if t.MinutesPerDay < 0 {
			return inv(fmt.Sprintf("support.tasks[%d]", i), "negative minutes")
		}
		if t.PersonalCare {
			sum += t.MinutesPerDay
		}
	}
	if sum != p.Support.PersonalCareMinutesPerDay {
		return inv("support.personalCareMinutesPerDay", "%d, but personal-care tasks sum to %d", p.Support.PersonalCareMinutesPerDay, sum)
	}
	if p.Support.Medicines.Level.rank() < 0 {
		return inv("support.medicines.level", "unknown %q", p.Support.Medicines.Level)
	}
	if h := p.Support.Repositioning.IntervalHours; h < 0 || h > 24 {
		return inv("support.repositioning.intervalHours", "out of range: %d", h)
	}
	for i, r := range p.Referrals {
		if r.To == "" || len(r.Evidence) == 0 {
			return inv(fmt.Sprintf("referrals[%d]", i), "missing target or evidence")
		}
	}
	switch p.Home.Status {
	case HomeIndependent, HomeWithSupport, HomeReview:
	default:
		return inv("home.status", "unknown %q", p.Home.Status)
	}
	return nil
}

// Tariff sets the minutes per day of each task and the thresholds of the
// overall picture. Minutes are local policy, not published norms: each
// organisation sets its own; [DefaultTariff] documents the defaults.
type Tariff struct {
	ID      string           `json:"id"`      // identifies the tariff in every picture it priced
	Minutes map[TaskKind]int `json:"minutes"` // minutes a day per task kind
	// CognitionFactor multiplies personal-care minutes for moderate or
	// severe cognitive impairment: NICE NG21 asks for more time for people
	// with cognitive impairment (REFERENCE §4.1).
	CognitionFactor float64 `json:"cognitionFactor"`
	// MaxHomeMinutesPerDay: above this many personal-care minutes a day
	// the picture asks a practitioner to review whether home remains viable.
	MaxHomeMinutesPerDay int `json:"maxHomeMinutesPerDay"`
}

// DefaultTariff returns this library's default tariff (an implementation
// choice, not a published norm): washing 30, grooming 10, dressing 20
// (morning and evening), toileting 30 (three times a day), continence 20,
// eating 30, transfers 15, medicines 10 (prompting at several visits),
// repositioning 20 (each visit), meal preparation 30, housekeeping 20
// minutes a day; cognition factor 1.25; home review above 360 minutes.
func DefaultTariff() Tariff {
	return Tariff{
		ID: "care-default-2026",
		Minutes: map[TaskKind]int{
			TaskWashing: 30, TaskGrooming: 10, TaskDressing: 20, TaskToileting: 30, TaskContinence: 20,
			TaskEating: 30, TaskTransfers: 15, TaskMedicines: 10, TaskRepositioning: 20, TaskMealPrep: 30, TaskHousekeep: 20,
		},
		CognitionFactor:      1.25,
		MaxHomeMinutesPerDay: 360,
	}
}

// Options configure [Evaluate]. The zero value uses [DefaultTariff].
type Options struct {
	Tariff *Tariff // nil uses [DefaultTariff]
}

// builder accumulates the conclusions of Evaluate.
type builder struct {
	a        *Assessment
	obs      Observations
	tariff   Tariff
	needs    map[Outcome]*OutcomeNeed
	tasks    map[TaskKind]*Task
	order    []TaskKind
	areas    map[WellbeingArea]*AreaFinding
	refs     []Referral
	flags    []Flag
	p        *Picture
	cogLevel int
}

// unable marks outcome o unable with meaning m and evidence ev.
func (b *builder) unable(o Outcome, m Meaning, ev ...Evidence) {
	n := b.needs[o]
	n.Status = Unable
	if !slices.Contains(n.Meanings, m) {
		n.Meanings = append(n.Meanings, m)
	}
	n.Evidence = append(n.Evidence, ev...)
}

// task adds (or adds evidence to) a task for outcome o.
func (b *builder) task(k TaskKind, o Outcome, ev ...Evidence) {
	t, ok := b.tasks[k]
	if !ok {
		t = &Task{Kind: k, Outcome: o, MinutesPerDay: b.tariff.Minutes[k], PersonalCare: k.personal()}
		b.tasks[k] = t
		b.order = append(b.order, k)
	}
	t.Evidence = append(t.Evidence, ev...)
}

// concern marks wellbeing area a as a concern.
func (b *builder) concern(a WellbeingArea, ev ...Evidence) {
	f := b.areas[a]
	f.Concern = true
	f.Evidence = append(f.Evidence, ev...)
}

// refer adds a referral, merging evidence and keeping the most urgent escalation.
func (b *builder) refer(to ReferralTarget, urg Escalation, reason string, ev ...Evidence) {
	for i := range b.refs {
		if b.refs[i].To == to {
			b.refs[i].Evidence = append(b.refs[i].Evidence, ev...)
			if urg == EscalateSameDay {
				b.refs[i].Urgency = urg
				b.refs[i].Reason = reason
			}
			return
		}
	}
	b.refs = append(b.refs, Referral{To: to, Urgency: urg, Reason: reason, Evidence: ev})
}

// itemEv builds evidence for an item of a result.
func (b *builder) itemEv(r Result, item, note string) Evidence {
	v, _ := r.Item(item)
	return Evidence{Source: SourceInstrument, Instrument: r.Instrument, Item: item, Value: v, Date: b.a.Date, Note: note}
}

// obsEv builds evidence for an observation.
func (b *builder) obsEv(key string, v float64, note string) Evidence {
	return Evidence{Source: SourceObservation, Item: key, Value: v, Date: b.a.Date, Note: note}
}

// barthelLevel returns the level index (0 = lowest) and top level of a
// Barthel item from either form, preferring the 0–100 form.
func (b *builder) barthelLevel(item string) (r Result, level, top int, ok bool) {
	for _, id := range []string{IDBarthel100, IDBarthel20} {
		res, found := b.a.Result(id)
		if !found {
			continue
		}
		v, answered := res.Value(item)
		if !answered {
			continue
		}
		step := 5
		if id == IDBarthel20 {
			step = 1
		}
		for _, bi := range barthelItems() {
			if bi.id == item {
				return res, v / step, len(bi.levels) - 1, true
			}
		}
	}
	return Result{}, 0, 0, false
}

// Evaluate runs the wellbeing model on one assessment. Scores suggest
// needs and flags; the coordinator's observations add reg 2(3) meanings and
// settle what scores cannot (impairment, significant impact, transfers,
// medicines, nursing). The rules, with their sources:
//
//   - Barthel and Katz items → outcomes (a)–(e), Lawton → (a), (f), (i);
//     loneliness → (g) (REFERENCE §1.10 mapping hints). An item below
//     independence means "cannot achieve without assistance" (reg 2(3)(a)).
//   - NG249 falls case-finding → (e) "endangers"; MUST high → (a) "endangers".
//   - Transfers: Barthel transfers unable or major help → double-handed
//     transfers and an OT referral for the moving-and-handling assessment,
//     unless that assessment set TransferCarers (REFERENCE §5.7).
//   - Medicines: Lawton item G level 2 → prompting, level 3 → administering;
//     moderate cognition → at least prompting, severe → administering;
//     an observed level overrides (NICE NG67 levels, REFERENCE §4.2).
//   - Flags: PHQ-9 item 9 → same-day GP/crisis referral (RISK-PHQ9); PHQ-9 or
//     GAD-7 ≥10 → mental-health referral; pressure flags → repositioning
//     interval (CG179), broken skin or nursing needs → district nurse; MUST
//     high or Waterlow nutrition → dietitian; loneliness → befriending;
//     falls case-finding without referral → falls service.
//   - Eligibility per SI 2015/313 reg 2 (REFERENCE §1.10).
func Evaluate(a *Assessment, opts Options) (*Picture, error) {
	if a == nil {
		return nil, care.Invalid("assessment", "", "", "nil")
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	tariff := DefaultTariff()
	if opts.Tariff != nil {
		tariff = *opts.Tariff
		if tariff.ID == "" || tariff.CognitionFactor < 1 || tariff.MaxHomeMinutesPerDay <= 0 {
			return nil, care.Invalid("tariff", tariff.ID, "", "needs an ID, cognition factor ≥1 and a positive home threshold")
		}
		for k, m := range tariff.Minutes {
			if m < 0 {
				return nil, care.Invalid("tariff", tariff.ID, "minutes."+string(k), "negative: %d", m)
			}
		}
	}
	b := &builder{
		a: a, obs: a.Observations, tariff: tariff,
		needs: map[Outcome]*OutcomeNeed{}, tasks: map[TaskKind]*Task{}, areas: map[WellbeingArea]*AreaFinding{},
		p: &Picture{AssessmentID: a.ID, PersonID: a.PersonID, Date: a.Date, Tariff: tariff.ID},
	}
	for _, o := range Outcomes() {
		b.needs[o] = &OutcomeNeed{Outcome: o, Regulation: o.Regulation(), Status: Achieved}
	}
	for _, w := range WellbeingAreas() {
		b.areas[w] = &AreaFinding{Area: w}
	}
	for _, r := range a.Results {
		for _, f := range r.Flags {
			f.Evidence = slices.Clone(f.Evidence)
			for i := range f.Evidence {
				f.Evidence[i].Date = a.Date
			}
			b.flags = append(b.flags, f)
		}
	}
	if a.Falls != nil {
		b.flags = append(b.flags, a.Falls.Flags()...)
	}
	b.adl()
	b.iadl()
	b.mood()
	b.skinAndNutrition()
	b.falls()
	b.observations()
	b.supportDecisions()
	b.wellbeing()
	b.eligibility()
	b.finish()
	if err := b.p.Validate(); err != nil {
		return nil, fmt.Errorf("wellbeing model produced an invalid picture: %w", err)
	}
	return b.p, nil
}

// adl maps Barthel and Katz items to outcomes (a)–(e) and tasks.
func (b *builder) adl() {
	type rule struct {
		item    string
		outcome Outcome
		task    TaskKind
	}
	for _, x := range []rule{
		{"feeding", OutcomeNutrition, TaskEating},
		{"bathing", OutcomeHygiene, TaskWashing},
		{"grooming", OutcomeHygiene, TaskGrooming},
		{"dressing", OutcomeClothed, TaskDressing},
		{"toilet", OutcomeToilet, TaskToileting},
		{"bowels", OutcomeToilet, TaskContinence},
		{"bladder", OutcomeToilet, TaskContinence},
		{"transfers", OutcomeHomeSafety, TaskTransfers},
		{"mobility", OutcomeHomeSafety, TaskTransfers},
	} {
		r, lvl, top, ok := b.barthelLevel(x.item)
		if !ok || lvl >= top {
			continue
		}
		ev := b.itemEv(r, x.item, fmt.Sprintf("Barthel %s level %d of %d: not independent", x.item, lvl, top))
		b.unable(x.outcome, UnableWithoutAssistance, ev)
		b.task(x.task, x.outcome, ev)
	}
	if r, lvl, _, ok := b.barthelLevel("stairs"); ok && lvl == 0 {
		b.unable(OutcomeHomeSafety, UnableWithoutAssistance, b.itemEv(r, "stairs", "Barthel stairs: unable"))
	}
	if r, lvl, _, ok := b.barthelLevel("mobility"); ok && lvl <= 1 {
		b.unable(OutcomeCommunity, UnableWithoutAssistance, b.itemEv(r, "mobility", "Barthel mobility: immobile or wheelchair only"))
	}
	if k, ok := b.a.Result(IDKatz); ok {
		for _, x := range []struct {
			item    string
			outcome Outcome
			task    TaskKind
		}{
			{"bathing", OutcomeHygiene, TaskWashing}, {"dressing", OutcomeClothed, TaskDressing},
			{"toileting", OutcomeToilet, TaskToileting}, {"transferring", OutcomeHomeSafety, TaskTransfers},
			{"continence", OutcomeToilet, TaskContinence}, {"feeding", OutcomeNutrition, TaskEating},
		} {
			if v, answered := k.Value(x.item); answered && v == 0 {
				ev := b.itemEv(k, x.item, "Katz "+x.item+": dependent")
				b.unable(x.outcome, UnableWithoutAssistance, ev)
				b.task(x.task, x.outcome, ev)
			}
		}
	}
}

// iadl maps Lawton domains to outcomes (a), (f), (i).
func (b *builder) iadl() {
	l, ok := b.a.Result(IDLawton)
	if !ok {
		return
	}
	for _, x := range []struct {
		item    string
		outcome Outcome
		task    TaskKind
	}{
		{"food", OutcomeNutrition, TaskMealPrep},
		{"housekeeping", OutcomeHabitableHome, TaskHousekeep},
		{"laundry", OutcomeHabitableHome, TaskHousekeep},
		{"shopping", OutcomeCommunity, ""},
		{"transport", OutcomeCommunity, ""},
	} {
		if s, answered := l.Item(x.item); answered && s == 0 {
			ev := b.itemEv(l, x.item, "Lawton "+x.item+": scores 0")
			b.unable(x.outcome, UnableWithoutAssistance, ev)
			if x.task != "" {
				b.task(x.task, x.outcome, ev)
			}
		}
	}
	if s, answered := l.Item("finances"); answered && s == 0 {
		ev := b.itemEv(l, "finances", "Lawton finances: incapable of handling money")
		b.concern(AreaControl, ev)
		b.concern(AreaSocialEconomic, ev)
	}
}

// flagEv returns the evidence of the flags with the given code.
func (b *builder) flagEv(code FlagCode) ([]Evidence, bool) {
	var ev []Evidence
	found := false
	for _, f := range b.flags {
		if f.Code == code {
			found = true
			ev = append(ev, f.Evidence...)
		}
	}
	return ev, found
}

// mood handles PHQ, GAD, wellbeing and loneliness flags.
func (b *builder) mood() {
	if ev, ok := b.flagEv(FlagSelfHarm); ok {
		b.refer(ReferCrisis, EscalateSameDay, "PHQ-9 item 9 answered at least 'several days': same-day structured risk conversation and escalation (RISK-PHQ9)", ev...)
		b.concern(AreaHealth, ev...)
		b.concern(AreaProtection, ev...)
	}
	if ev, ok := b.flagEv(FlagDepression); ok {
		b.refer(ReferMentalHealth, EscalateRoutine, "PHQ-9 at least 10: further assessment", ev...)
		b.concern(AreaHealth, ev...)
	}
	if ev, ok := b.flagEv(FlagAnxiety); ok {
		b.refer(ReferMentalHealth, EscalateRoutine, "GAD-7 at least 10: further assessment", ev...)
		b.concern(AreaHealth, ev...)
	}
	if ev, ok := b.flagEv(FlagLowWellbeing); ok {
		b.concern(AreaHealth, ev...)
	}
	if ev, ok := b.flagEv(FlagLoneliness); ok {
		b.unable(OutcomeRelationships, UnablePainDistress, ev...)
		b.concern(AreaRelationships, ev...)
		b.concern(AreaSocialEconomic, ev...)
	}
}

// skinAndNutrition handles pressure-ulcer and malnutrition flags.
func (b *builder) skinAndNutrition() {
	if ev, ok := b.flagEv(FlagPressureUlcer); ok {
		b.concern(AreaHealth, ev...)
	}
	if w, ok := b.a.Result(IDWaterlow); ok {
		if v, answered := w.Value("skin-broken"); answered && v > 0 {
			b.refer(ReferDistrictNurse, EscalateRoutine, "broken skin (pressure ulcer category 2-4)", b.itemEv(w, "skin-broken", "Waterlow skin broken"))
		}
		if s := w.Subscales["nutrition"]; s > 2 {
			b.refer(ReferDietitian, EscalateRoutine, "Waterlow malnutrition screen above 2: nutrition referral",
				Evidence{Source: SourceInstrument, Instrument: IDWaterlow, Item: "nutrition", Value: s, Date: b.a.Date, Note: "Waterlow nutrition subscale"})
		}
	}
	if m, ok := b.a.Result(IDMUST); ok && m.Band.Code != "" && m.Band.Code != "low" {
		ev := Evidence{Source: SourceInstrument, Instrument: IDMUST, Value: m.Score, Band: m.Band.Code, Date: b.a.Date, Note: "'MUST' " + m.Band.Label}
		b.concern(AreaHealth, ev)
		if m.Band.Code == "high" {
			b.unable(OutcomeNutrition, UnableEndangers, ev)
			b.refer(ReferDietitian, EscalateRoutine, "'MUST' high risk: refer to dietitian, review monthly (BAPEN step 5)", ev)
		}
	}
}

// falls handles NG249 case-finding.
func (b *builder) falls() {
	if b.a.Falls == nil {
		return
	}
	ok, ev := b.a.Falls.CaseFinding()
	if !ok {
		return
	}
	b.unable(OutcomeHomeSafety, UnableEndangers, ev...)
	b.concern(AreaHealth, ev...)
	if slices.Contains(b.a.Falls.RiskFactors, FallsHomeHazards) {
		b.concern(AreaAccommodation, Evidence{Source: SourceFalls, Item: "riskFactor", Value: 1, Date: b.a.Date, Note: string(FallsHomeHazards)})
	}
	if b.a.Falls.Referral == FallsNotReferred {
		b.refer(ReferFalls, EscalateRoutine, "NG249 case-finding met: comprehensive multifactorial falls assessment", ev...)
	}
}

// observations applies the coordinator's observations.
func (b *builder) observations() {
	o := b.obs
	for _, out := range Outcomes() {
		ob, ok := o.Outcomes[out]
		if !ok {
			if out == OutcomeWork || out == OutcomeChildCare {
				if b.needs[out].Status == Achieved {
					b.needs[out].Status = NotApplicable
				}
			}
			continue
		}
		if ob.NotApplicable {
			b.needs[out].Status = NotApplicable
			continue
		}
		for _, m := range ob.Unable {
			b.unable(out, m, b.obsEv("outcomes."+string(out), 1, "observed: "+string(m)))
		}
	}
	switch o.Cognition {
	case CognitionModerate:
		b.cogLevel = 2
	case CognitionSevere:
		b.cogLevel = 3
	case CognitionMild:
		b.cogLevel = 1
	}
	if b.cogLevel >= 2 {
		ev := b.obsEv("cognition", float64(b.cogLevel), "cognitive impairment: "+string(o.Cognition))
		b.concern(AreaControl, ev)
		if o.LivesAlone {
			b.unable(OutcomeHomeSafety, UnableEndangers, ev, b.obsEv("livesAlone", 1, "lives alone"))
		}
	}
	if o.SafeguardingConcern {
		ev := b.obsEv("safeguardingConcern", 1, "safeguarding concern raised")
		b.flags = append(b.flags, Flag{Code: FlagSafeguarding, Severity: SeverityUrgent, Escalation: EscalateSameDay,
			Action: "tell the safeguarding lead the same day", Source: "CQC Regulation 13 (REFERENCE §3)", Evidence: []Evidence{ev}})
		b.concern(AreaProtection, ev)
		b.refer(ReferSafeguarding, EscalateSameDay, "safeguarding concern: tell the safeguarding lead the same day", ev)
	}
	if len(o.Nursing) > 0 {
		var ev []Evidence
		for _, n := range o.Nursing {
			ev = append(ev, b.obsEv("nursing", 1, string(n)))
		}
		b.refer(ReferDistrictNurse, EscalateRoutine, "nursing needs", ev...)
		b.concern(AreaHealth, ev...)
	}
}

// supportDecisions derives double-handed transfers, medicines, nursing,
// befriending and repositioning.
func (b *builder) supportDecisions() {
	s := &b.p.Support
	o := b.obs
	// Double-handed transfers (REFERENCE §5.7).
	if r, lvl, _, ok := b.barthelLevel("transfers"); ok && lvl <= 1 {
		ev := b.itemEv(r, "transfers", "Barthel transfers: unable or major help (one or two people)")
		switch o.TransferCarers {
		case 2:
			s.DoubleHandedTransfers = Decision{Needed: true, Reason: "moving-and-handling risk assessment: two carers", Evidence: []Evidence{ev, b.obsEv("transferCarers", 2, "risk assessment")}}
		case 1:
			s.DoubleHandedTransfers = Decision{Needed: false, Reason: "moving-and-handling risk assessment: single-handed", Evidence: []Evidence{ev, b.obsEv("transferCarers", 1, "risk assessment")}}
		default:
			s.DoubleHandedTransfers = Decision{Needed: true, Reason: "major help or unable to transfer: two carers until a moving-and-handling risk assessment decides", Evidence: []Evidence{ev}}
			b.refer(ReferOT, EscalateRoutine, "moving-and-handling risk assessment and equipment for transfers", ev)
		}
	} else if o.TransferCarers == 2 {
		s.DoubleHandedTransfers = Decision{Needed: true, Reason: "moving-and-handling risk assessment: two carers", Evidence: []Evidence{b.obsEv("transferCarers", 2, "risk assessment")}}
	}
	if r, lvl, _, ok := b.barthelLevel("bathing"); ok && lvl == 0 {
		b.refer(ReferOT, EscalateRoutine, "bathing equipment or adaptations", b.itemEv(r, "bathing", "Barthel bathing: dependent"))
	}
	if s.DoubleHandedTransfers.Needed {
		b.task(TaskTransfers, OutcomeHomeSafety, s.DoubleHandedTransfers.Evidence...)
	}
	// Medicines (NG67).
	med := MedicinesDecision{}
	raise := func(l MedicinesSupport, reason string, ev Evidence) {
		if l.rank() > med.Level.rank() {
			med.Level, med.Reason = l, reason
		}
		med.Evidence = append(med.Evidence, ev)
	}
	if l, ok := b.a.Result(IDLawton); ok {
		switch v, _ := l.Value("medicines"); v {
		case 2:
			raise(MedicinesPrompt, "takes medicines only if prepared in advance", b.itemEv(l, "medicines", "Lawton G level 2"))
		case 3:
			raise(MedicinesAdminister, "cannot dispense own medicines", b.itemEv(l, "medicines", "Lawton G level 3"))
		}
	}
	switch b.cogLevel {
	case 2:
		raise(MedicinesPrompt, "moderate cognitive impairment", b.obsEv("cognition", 2, "moderate"))
	case 3:
		raise(MedicinesAdminister, "severe cognitive impairment", b.obsEv("cognition", 3, "severe"))
	}
	if o.Medicines != MedicinesNone {
		med.Level, med.Reason = o.Medicines, "medicines assessment"
		med.Evidence = append(med.Evidence, b.obsEv("medicines", float64(o.Medicines.rank()), "observed level "+string(o.Medicines)))
	}
	s.Medicines = med
	if med.Level != MedicinesNone {
		b.task(TaskMedicines, OutcomeHomeSafety, med.Evidence...)
		b.concern(AreaHealth, med.Evidence...)
	}
	// Nursing.
	if r, ok := findReferral(b.refs, ReferDistrictNurse); ok {
		s.Nursing = Decision{Needed: true, Reason: r.Reason, Evidence: r.Evidence}
	}
	// Befriending.
	if ev, ok := b.flagEv(FlagLoneliness); ok {
		s.Befriending = Decision{Needed: true, Reason: "loneliness", Evidence: ev}
	}
	// Repositioning (CG179/QS89).
	for _, f := range b.flags {
		if f.Code != FlagPressureUlcer || f.RepositionHours == 0 {
			continue
		}
		if s.Repositioning.IntervalHours == 0 || f.RepositionHours < s.Repositioning.IntervalHours {
			s.Repositioning.IntervalHours = f.RepositionHours
		}
		s.Repositioning.Evidence = append(s.Repositioning.Evidence, f.Evidence...)
	}
	if s.Repositioning.IntervalHours > 0 && o.CannotRepositionAlone {
		s.Repositioning.Evidence = append(s.Repositioning.Evidence, b.obsEv("cannotRepositionAlone", 1, "cannot reposition alone"))
		b.task(TaskRepositioning, OutcomeHomeSafety, s.Repositioning.Evidence...)
		if o.LivesAlone {
			s.Repositioning.MaxGapBetweenVisits = true
			s.Repositioning.Evidence = append(s.Repositioning.Evidence, b.obsEv("livesAlone", 1, "no one else present"))
		}
		if s.Repositioning.IntervalHours <= 4 {
			b.refer(ReferDistrictNurse, EscalateRoutine, "high pressure-ulcer risk, cannot reposition alone: pressure-relieving equipment", s.Repositioning.Evidence...)
			if !s.Nursing.Needed {
				r, _ := findReferral(b.refs, ReferDistrictNurse)
				s.Nursing = Decision{Needed: true, Reason: r.Reason, Evidence: r.Evidence}
			}
		}
	}
}

// findReferral finds a referral in refs.
func findReferral(refs []Referral, t ReferralTarget) (Referral, bool) {
	for _, r := range refs {
		if r.To == t {
			return r, true
		}
	}
	return Referral{}, false
}

// wellbeing maps unable outcomes to wellbeing areas.
func (b *builder) wellbeing() {
	derived := func(o Outcome) Evidence {
		return Evidence{Source: SourceDerived, Item: string(o), Value: 1, Date: b.a.Date, Note: "unable to achieve " + o.Regulation()}
	}
	m := map[Outcome][]WellbeingArea{
		OutcomeNutrition:     {AreaHealth},
		OutcomeHygiene:       {AreaDignity},
		OutcomeToilet:        {AreaDignity},
		OutcomeClothed:       {AreaDignity},
		OutcomeHomeSafety:    {AreaAccommodation, AreaHealth},
		OutcomeHabitableHome: {AreaAccommodation},
		OutcomeRelationships: {AreaRelationships},
		OutcomeWork:          {AreaParticipation, AreaContribution, AreaSocialEconomic},
		OutcomeCommunity:     {AreaParticipation, AreaSocialEconomic},
		OutcomeChildCare:     {AreaRelationships, AreaContribution},
	}
	for _, o := range Outcomes() {
		if b.needs[o].Status != Unable {
			continue
		}
		for _, a := range m[o] {
			b.concern(a, derived(o))
		}
	}
}

// eligibility evaluates the three conditions of reg 2(1).
func (b *builder) eligibility() {
	e := &b.p.Eligibility
	imp := b.obs.Impairment
	var impEv []Evidence
	if imp.Physical {
		impEv = append(impEv, b.obsEv("impairment.physical", 1, "physical impairment or illness"))
	}
	if imp.Mental {
		impEv = append(impEv, b.obsEv("impairment.mental", 1, "mental impairment or illness"))
	}
	if b.obs.Cognition != CognitionIntact {
		// A recorded cognitive impairment is a mental impairment.
		impEv = append(impEv, b.obsEv("cognition", float64(b.cogLevel), "cognitive impairment: "+string(b.obs.Cognition)))
	}
	if len(impEv) > 0 {
		e.Impairment = Condition{Met: true, Basis: BasisObservation, Reason: "needs arise from or relate to a physical or mental impairment or illness (reg 2(1)(a))", Evidence: impEv}
	} else {
		e.Impairment = Condition{Met: false, Basis: BasisObservation, Reason: "no physical or mental impairment or illness recorded (reg 2(1)(a))"}
	}
	var unable []Evidence
	for _, o := range Outcomes() {
		if n := b.needs[o]; n.Status == Unable {
			unable = append(unable, Evidence{Source: SourceDerived, Item: string(o), Value: 1, Date: b.a.Date,
				Note: fmt.Sprintf("unable to achieve %s (%v)", o.Regulation(), n.Meanings)})
		}
	}
	e.Outcomes = Condition{Met: len(unable) >= 2, Basis: BasisDerived, Evidence: unable,
		Reason: fmt.Sprintf("unable to achieve %d specified outcome(s); two or more required (reg 2(1)(b))", len(unable))}
	if b.obs.SignificantImpact != nil {
		met := *b.obs.SignificantImpact
		e.Impact = Condition{Met: met, Basis: BasisObservation,
			Reason:   fmt.Sprintf("practitioner judged significant impact on wellbeing: %v (reg 2(1)(c))", met),
			Evidence: []Evidence{b.obsEv("significantImpact", boolValue(met), "practitioner judgement")}}
	} else {
		// Only areas affected as a consequence of the outcomes the person
		// cannot achieve count (reg 2(1)(c) "as a consequence"); concerns
		// raised by flags alone do not.
		var ev []Evidence
		for _, w := range WellbeingAreas() {
			var from []string
			for _, x := range b.areas[w].Evidence {
				if x.Source == SourceDerived && b.needs[Outcome(x.Item)] != nil && b.needs[Outcome(x.Item)].Status == Unable {
					from = append(from, Outcome(x.Item).Regulation())
				}
			}
			if len(from) > 0 {
				ev = append(ev, Evidence{Source: SourceDerived, Item: string(w), Value: float64(len(from)), Date: b.a.Date,
					Note: fmt.Sprintf("wellbeing area of concern as a consequence of %v", from)})
			}
		}
		met := len(unable) > 0 && len(ev) > 0
		e.Impact = Condition{Met: met, Basis: BasisDerived, Evidence: ev,
			Reason: fmt.Sprintf("%d wellbeing area(s) of concern as a consequence of unmet outcomes; practitioner to confirm (reg 2(1)(c))", len(ev))}
	}
	e.Eligible = e.Impairment.Met && e.Outcomes.Met && e.Impact.Met
	e.NeedsConfirmation = e.Outcomes.Basis == BasisDerived || e.Impact.Basis == BasisDerived
}

// boolValue is 1 for true, 0 for false.
func boolValue(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// finish assembles tasks, minutes, areas, referrals and the home picture.
func (b *builder) finish() {
	p := b.p
	for _, o := range Outcomes() {
		p.Needs = append(p.Needs, *b.needs[o])
	}
	for _, w := range WellbeingAreas() {
		p.Wellbeing = append(p.Wellbeing, *b.areas[w])
	}
	factor := 1.0
	if b.cogLevel >= 2 {
		factor = b.tariff.CognitionFactor
	}
	total := 0
	for _, k := range b.order {
		t := *b.tasks[k]
		if t.PersonalCare {
			t.MinutesPerDay = int(math.Ceil(float64(t.MinutesPerDay)*factor/5) * 5)
			total += t.MinutesPerDay
		}
		p.Support.Tasks = append(p.Support.Tasks, t)
	}
	p.Support.PersonalCareMinutesPerDay = total
	p.Flags = b.flags
	p.Referrals = b.refs
	switch {
	case b.obs.ContinuousSupervision:
		p.Home = Home{Status: HomeReview, Reason: "needs someone present at all times: review whether home remains viable",
			Evidence: []Evidence{b.obsEv("continuousSupervision", 1, "continuous supervision needed")}}
	case total > b.tariff.MaxHomeMinutesPerDay:
		p.Home = Home{Status: HomeReview, Reason: fmt.Sprintf("%d personal-care minutes a day exceed %d: review whether home remains viable", total, b.tariff.MaxHomeMinutesPerDay),
			Evidence: []Evidence{{Source: SourceDerived, Item: "personalCareMinutesPerDay", Value: float64(total), Date: b.a.Date}}}
	case len(p.Support.Tasks) == 0 && !p.Support.Befriending.Needed && !p.Support.Nursing.Needed && p.Support.Medicines.Level == MedicinesNone:
		var ev []Evidence
		for _, r := range b.a.Results {
			ev = append(ev, Evidence{Source: SourceInstrument, Instrument: r.Instrument, Value: r.Score, Band: r.Band.Code, Date: b.a.Date,
				Note: "scored without a need for care and support"})
		}
		p.Home = Home{Status: HomeIndependent, Reason: "no care and support tasks derived", Evidence: ev}
	default:
		var ev []Evidence
		for _, t := range p.Support.Tasks {
			ev = append(ev, Evidence{Source: SourceDerived, Item: string(t.Kind), Value: float64(t.MinutesPerDay), Date: b.a.Date, Note: "task for " + t.Outcome.Regulation()})
		}
		if p.Support.Befriending.Needed {
			ev = append(ev, Evidence{Source: SourceDerived, Item: "befriending", Value: 1, Date: b.a.Date})
		}
		if p.Support.Nursing.Needed {
			ev = append(ev, Evidence{Source: SourceDerived, Item: "nursing", Value: 1, Date: b.a.Date})
		}
		p.Home = Home{Status: HomeWithSupport, Reason: "can remain at home with the derived support", Evidence: ev}
	}
}
