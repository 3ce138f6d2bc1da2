package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/schedule"
)

// ErrNoPlan is returned when a care plan is needed and nil is given.
var ErrNoPlan = care.Invalid("plan", "", "plan", "nil care plan")

// PlanFromCarePlan returns what CanAction reads from a care plan: its ID, the
// person and one decision per task (and one for sharing information with
// other professionals), from careplan.Plan.Decisions. The consent categories
// of careplan are the strings of DecisionCategory.
func PlanFromCarePlan(p *careplan.Plan) Plan {
	out := Plan{ID: string(p.ID), ServiceUser: p.ServiceUser}
	for _, d := range p.Decisions() {
		out.Decisions = append(out.Decisions, Decision{ID: d.ID, Category: DecisionCategory(d.Category),
			LifeSustaining: d.LifeSustaining, Restrictive: d.Restrictive, Covert: d.Covert,
			DeprivationOfLiberty: d.DeprivationOfLiberty})
	}
	return out
}

// CanActionPlan is CanAction for a care plan of package careplan: it decides
// whether each of the plan's tasks may go live at at (see CanAction). A nil
// plan is an error (ErrNoPlan, matching care.ErrInvalid).
func (f *ConsentFile) CanActionPlan(p *careplan.Plan, at time.Time) (Authorisation, error) {
	if p == nil {
		return Authorisation{}, ErrNoPlan
	}
	return f.CanAction(PlanFromCarePlan(p), at)
}

// PlanRecordFromCarePlan returns the record the plan-level rules of
// CheckRecords read (REVIEW, VIS-MISSED): the start (zero if the plan has
// not started), the dates of its reviews, its trigger events and its
// missed-visit response.
func PlanRecordFromCarePlan(p *careplan.Plan) PlanRecord {
	r := PlanRecord{ID: string(p.ID), ServiceUser: p.ServiceUser, MissedVisitResponse: p.MissedVisitResponse}
	if p.Start != nil {
		r.Started = *p.Start
	}
	for _, rv := range p.Reviews {
		r.Reviews = append(r.Reviews, rv.Date)
	}
	for _, tr := range p.Triggers {
		r.Triggers = append(r.Triggers, tr.At)
	}
	return r
}

// CarePlanInput is a care plan to check and what else the plan rules read.
type CarePlanInput struct {
	Plan *careplan.Plan `json:"plan"` // the plan checked; required
	// AsOf is the instant of the check.
	AsOf time.Time `json:"as_of"`
	// NutritionScreens are when the person was screened for malnutrition (e.g. with 'MUST').
	// Evidence in the plan that cites a 'MUST' result (ref "<assessment>/must/...") counts as
	// a screen at the plan's start when no date is given here.
	NutritionScreens []time.Time `json:"nutrition_screens,omitempty"`
}

// nutritionOutcome is the Care and Support (Eligibility Criteria) Regulations 2015 reg 2(2)
// outcome code for nutrition, as careplan.Need.Outcome holds it.
const nutritionOutcome = "nutrition"

// malnutritionFlag is the assessment flag code for malnutrition risk (assessment.FlagMalnutrition).
const malnutritionFlag = "malnutrition-risk"

// CheckCarePlan checks one care plan as of in.AsOf under the rules of pack:
//
//   - PLAN (Reg 9, person-centred care): at least one goal in the person's
//     words; every task serves a need or a goal; every eligible need is met
//     by a task or says who else meets it; an agreed, active or reviewed
//     plan records who agreed it (Care Act s.25(3));
//   - REVIEW and VIS-MISSED as CheckRecords does for PlanRecordFromCarePlan,
//     so trigger events bring reviews forward;
//   - MED-TIME (NG67): doses of one medicine on the same day closer than its
//     minimum interval, and doses on consecutive days closer over midnight
//     (days of the week are read; a task every n weeks counts as weekly);
//   - MED-PLAN (Reg 12(2)(a),(b),(g); NG67): one medicine planned at the same
//     time by two tasks (who gives it is unclear, a double dose is possible);
//     an open risk past its review date or without controls;
//   - NUTRITION (Reg 14): an eligible nutrition need, or an open malnutrition
//     risk, with no meals task meeting it; nutrition in scope (such a need or
//     risk, or a meals task) without a nutrition screening in the last
//     NutritionScreenMonths.
//
// Findings are sorted by time, rule and subject. It returns an error only
// for a nil plan; the plan need not be valid (an imported plan is checked as
// it is).
func CheckCarePlan(pack *Pack, in CarePlanInput) ([]Finding, error) {
	p := in.Plan
	if p == nil {
		return nil, ErrNoPlan
	}
	loc, err := time.LoadLocation(cmpOr(p.TimeZone, "Europe/London"))
	if err != nil {
		return nil, care.Invalid("plan", string(p.ID), "time_zone", "%v", err)
	}
	e := &emitter{pack: pack}
	c := planCtx{e: e, p: p, in: in, loc: loc, sub: Subject{SubjectPlan, string(p.ID)}}
	c.personCentred()
	rec := PlanRecordFromCarePlan(p)
	checkPlanRecord(e, &rec, in.AsOf, loc)
	c.medicines()
	c.risks()
	c.nutrition()
	sortFindings(e.out)
	return e.out, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type planCtx struct {
	e   *emitter
	p   *careplan.Plan
	in  CarePlanInput
	loc *time.Location
	sub Subject
}

func (c *planCtx) task(id string) Subject { return Subject{SubjectDecision, string(c.p.ID) + "/" + id} }
func (c *planCtx) user() Subject          { return usub(c.p.ServiceUser) }

// agencyMeets reports whether a need's MetBy leaves it to the agency: empty,
// "agency", or a practitioner of the plan who is the agency's care workers.
func (c *planCtx) agencyMeets(n *careplan.Need) bool {
	if n.MetBy == "" || strings.EqualFold(n.MetBy, "agency") {
		return true
	}
	pr, ok := c.p.Practitioner(n.MetBy)
	return ok && pr.Kind == careplan.CareWorkers
}

// met reports whether a task of kind (any kind when kinds is empty) lists the need.
func (c *planCtx) met(need string, kinds ...careplan.TaskKind) bool {
	return slices.ContainsFunc(c.p.Tasks, func(t careplan.Task) bool {
		return slices.Contains(t.Needs, need) && (len(kinds) == 0 || slices.Contains(kinds, t.Kind))
	})
}

// personCentred runs PLAN (Reg 9).
func (c *planCtx) personCentred() {
	at := ptime(c.in.AsOf)
	if !slices.ContainsFunc(c.p.Goals, func(g careplan.Goal) bool { return strings.TrimSpace(g.Words) != "" }) {
		c.e.add(RulePLAN, Breach, c.sub, at, "no goal recorded in the person's own words",
			"ask the person what they want from their care and record it as goals in their words", c.user())
	}
	for _, t := range c.p.Tasks {
		if len(t.Needs) == 0 && len(t.Goals) == 0 {
			c.e.add(RulePLAN, Breach, c.sub, at, fmt.Sprintf("task %s serves no recorded need or goal", t.ID),
				"tie the task to the need or goal it meets, or remove it", c.task(t.ID), c.user())
		}
	}
	for i := range c.p.Needs {
		n := &c.p.Needs[i]
		if n.Eligible && n.MetBy == "" && !c.met(n.ID) {
			c.e.add(RulePLAN, Breach, c.sub, at, fmt.Sprintf("eligible need %s (%s) is met by no task and the plan does not say who meets it", n.ID, n.Outcome),
				"add a task for the need or record who meets it (Care Act s.25(1))", c.user())
		}
	}
	switch c.p.Status {
	case careplan.Agreed, careplan.Active, careplan.UnderReview:
		if c.p.Agreement == nil || strings.TrimSpace(c.p.Agreement.By) == "" {
			c.e.add(RulePLAN, Breach, c.sub, at, fmt.Sprintf("plan is %s with no record of who agreed it", c.p.Status),
				"record the person's (or their attorney's) agreement to the plan (Care Act s.25(3))", c.user())
		}
	}
}

// dose is one planned time of day of a medicine.
type dose struct {
	task   *careplan.Task
	minute int
}

// sharesDay reports whether two tasks happen on a common day (empty Days = every day).
func sharesDay(a, b *careplan.Task) bool {
	if len(a.Days) == 0 || len(b.Days) == 0 {
		return true
	}
	return slices.ContainsFunc(a.Days, func(d careplan.Day) bool { return slices.Contains(b.Days, d) })
}

// followedBy reports whether a day of task a is followed the next day by a day of task b.
func followedBy(a, b *careplan.Task) bool {
	week := careplan.Week()
	on := func(t *careplan.Task, d careplan.Day) bool { return len(t.Days) == 0 || slices.Contains(t.Days, d) }
	for i, d := range week {
		if on(a, d) && on(b, week[(i+1)%7]) {
			return true
		}
	}
	return false
}

// medicines runs MED-TIME (minimum intervals) and MED-PLAN (one giver per dose) over the plan's medicines tasks.
func (c *planCtx) medicines() {
	at := ptime(c.in.AsOf)
	byMed := map[string][]dose{}
	var meds []string
	for i := range c.p.Tasks {
		t := &c.p.Tasks[i]
		if t.Kind != careplan.TaskMedicines || t.Medicine == nil {
			continue
		}
		for _, tm := range t.Times {
			clock, err := time.Parse("15:04", tm)
			if err != nil {
				continue // careplan.Plan.Validate reports it
			}
			m := t.Medicine.Medicine
			if _, ok := byMed[m]; !ok {
				meds = append(meds, m)
			}
			byMed[m] = append(byMed[m], dose{t, clock.Hour()*60 + clock.Minute()})
		}
	}
	slices.Sort(meds)
	for _, m := range meds {
		ds := byMed[m]
		slices.SortStableFunc(ds, func(a, b dose) int { return a.minute - b.minute })
		for i := range ds {
			for j := i + 1; j < len(ds); j++ {
				a, b := ds[i], ds[j]
				sameDay := sharesDay(a.task, b.task)
				clk := func(d dose) string { return fmt.Sprintf("%02d:%02d", d.minute/60, d.minute%60) }
				if sameDay && a.minute == b.minute && a.task.ID != b.task.ID {
					c.e.add(RuleMEDPlan, Breach, c.task(b.task.ID), at,
						fmt.Sprintf("medicine %s planned at %s by task %s (provider %s) and task %s (provider %s)", m, clk(a), a.task.ID, a.task.Provider, b.task.ID, b.task.Provider),
						"record one task, and one provider, for each dose", c.sub, c.task(a.task.ID), c.user())
					continue
				}
				minInt := 0
				for _, t := range []*careplan.Task{a.task, b.task} {
					minInt = max(minInt, t.Medicine.MinIntervalHours*60)
				}
				if minInt == 0 {
					continue
				}
				gap := b.minute - a.minute
				over := 24*60 - gap // from b to a on the next day
				if sameDay && gap < minInt {
					c.e.add(RuleMEDTime, Breach, c.task(b.task.ID), at,
						fmt.Sprintf("medicine %s planned at %s and %s, %s apart; minimum interval %dh", m, clk(a), clk(b), fmtDur(time.Duration(gap)*time.Minute), minInt/60),
						"space the doses at least the minimum interval apart", c.sub, c.task(a.task.ID), c.user())
				} else if over < minInt && followedBy(b.task, a.task) {
					c.e.add(RuleMEDTime, Breach, c.task(a.task.ID), at,
						fmt.Sprintf("medicine %s planned at %s and next day at %s, %s apart over midnight; minimum interval %dh", m, clk(b), clk(a), fmtDur(time.Duration(over)*time.Minute), minInt/60),
						"space the doses at least the minimum interval apart", c.sub, c.task(b.task.ID), c.user())
				}
			}
		}
	}
}

// risks runs the risk part of MED-PLAN (Reg 12(2)(a),(b)): open risks have controls and are reviewed by their date.
func (c *planCtx) risks() {
	for _, r := range c.p.Risks {
		if r.Closed != nil && !r.Closed.After(c.in.AsOf) {
			continue
		}
		sub := Subject{SubjectItem, string(c.p.ID) + "/risk/" + r.ID}
		if len(r.Controls) == 0 {
			c.e.add(RuleMEDPlan, Breach, sub, ptime(c.in.AsOf), fmt.Sprintf("open risk %s (%s) has no controls recorded", r.ID, r.Level),
				"record how the risk is mitigated (Reg 12(2)(b))", c.sub, c.user())
		}
		if !r.ReviewBy.IsZero() && c.in.AsOf.After(r.ReviewBy) {
			c.e.add(RuleMEDPlan, Breach, sub, ptime(r.ReviewBy), fmt.Sprintf("risk %s review due %s not done", r.ID, r.ReviewBy.In(c.loc).Format(time.DateOnly)),
				"review the risk assessment and set its next review date (Reg 12(2)(a))", c.sub, c.user())
		}
	}
}

// nutrition runs NUTRITION (Reg 14).
func (c *planCtx) nutrition() {
	at := ptime(c.in.AsOf)
	inScope := false
	meals := []careplan.TaskKind{careplan.TaskMeals}
	for i := range c.p.Needs {
		n := &c.p.Needs[i]
		if n.Outcome != nutritionOutcome {
			continue
		}
		inScope = true
		if n.Eligible && c.agencyMeets(n) && !c.met(n.ID, meals...) {
			c.e.add(RuleNUTRITION, Breach, c.sub, at, fmt.Sprintf("eligible nutrition need %s has no meals or hydration task", n.ID),
				"plan support with eating and drinking that meets the need and the person's preferences", c.user())
		}
	}
	hasMeals := slices.ContainsFunc(c.p.Tasks, func(t careplan.Task) bool { return t.Kind == careplan.TaskMeals })
	for _, r := range c.p.Risks {
		if r.Flag != malnutritionFlag || r.Closed != nil && !r.Closed.After(c.in.AsOf) {
			continue
		}
		inScope = true
		if !hasMeals {
			c.e.add(RuleNUTRITION, Breach, c.sub, at, fmt.Sprintf("open malnutrition risk %s with no meals or hydration task", r.ID),
				"plan support with eating and drinking, or record why another service meets it", c.user())
		}
	}
	if !inScope && !hasMeals {
		return
	}
	screens := slices.Clone(c.in.NutritionScreens)
	if c.p.Start != nil && c.citesMUST() {
		screens = append(screens, *c.p.Start)
	}
	last := lastBefore(screens, c.in.AsOf)
	switch {
	case last == nil:
		c.e.add(RuleNUTRITION, Breach, c.sub, at, "nutrition is in scope but no nutrition screening ('MUST') is recorded",
			"screen the person for malnutrition and record the risk category", c.user())
	case !addMonths(*last, c.e.pack.Params.NutritionScreenMonths).After(c.in.AsOf):
		c.e.add(RuleNUTRITION, Breach, c.sub, at, fmt.Sprintf("last nutrition screening %s, more than %d months ago", last.In(c.loc).Format(time.DateOnly), c.e.pack.Params.NutritionScreenMonths),
			"repeat the nutrition screening", c.user())
	}
}

// citesMUST reports whether any evidence of the plan cites a 'MUST' result ("<assessment>/must/...").
func (c *planCtx) citesMUST() bool {
	cites := func(ev []careplan.Evidence) bool {
		return slices.ContainsFunc(ev, func(e careplan.Evidence) bool {
			parts := strings.Split(e.Ref, "/")
			return len(parts) >= 2 && parts[1] == "must"
		})
	}
	for _, n := range c.p.Needs {
		if cites(n.Evidence) {
			return true
		}
	}
	for _, r := range c.p.Risks {
		if cites(r.Evidence) {
			return true
		}
	}
	for _, t := range c.p.Tasks {
		if cites(t.Evidence) {
			return true
		}
	}
	return false
}

// MedicinesFromCarePlan returns the medicines support (for MED-MAR) and the
// time-critical doses (for MED-TIME) that the plan's tasks put on the given
// schedule visits, which are occurrences of the plan's patterns
// (careplan.Plan.Patterns expanded with schedule.Pattern.Expand, so each ID
// is "<pattern>@<local date>T<hh:mm>" and each pattern is a careplan.Visit).
// A dose is due at the visit's planned time (its window's start plus the
// pattern's Before) with the medicine's tolerance and minimum interval.
// Visits of other plans are ignored.
func MedicinesFromCarePlan(p *careplan.Plan, visits []schedule.Visit) ([]MedicineSupport, []Dose, error) {
	if p == nil {
		return nil, nil, ErrNoPlan
	}
	pvs, err := p.Visits()
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*careplan.Visit{}
	for i := range pvs {
		byID[pvs[i].ID] = &pvs[i]
	}
	support := map[string]*MedicineSupport{}
	var order []string
	var doses []Dose
	for _, v := range visits {
		pat, _, ok := strings.Cut(string(v.ID), "@")
		pv := byID[pat]
		if !ok || pv == nil || v.ServiceUser != p.ServiceUser {
			continue
		}
		for _, tid := range pv.Tasks {
			t, ok := p.Task(tid)
			if !ok || t.Kind != careplan.TaskMedicines || t.Medicine == nil {
				continue
			}
			m := t.Medicine
			ms := support[m.Medicine]
			if ms == nil {
				ms = &MedicineSupport{ServiceUser: p.ServiceUser, Medicine: m.Medicine, Level: SupportLevel(m.Level)}
				support[m.Medicine] = ms
				order = append(order, m.Medicine)
			}
			if !slices.Contains(ms.Visits, v.ID) {
				ms.Visits = append(ms.Visits, v.ID)
			}
			if m.TimeCritical && len(v.Windows) > 0 {
				due := v.Windows[0].Earliest.Add(time.Duration(pv.Before) * time.Minute)
				doses = append(doses, Dose{ID: string(v.ID) + "/" + t.ID, ServiceUser: p.ServiceUser, Medicine: m.Medicine, Visit: v.ID,
					Due: due, Tolerance: schedule.Duration(m.Tolerance()), MinInterval: schedule.Duration(time.Duration(m.MinIntervalHours) * time.Hour)})
			}
		}
	}
	var out []MedicineSupport
	for _, m := range order {
		out = append(out, *support[m])
	}
	return out, doses, nil
}
