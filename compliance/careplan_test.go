package compliance

import (
	"errors"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodPlan is a person-centred plan built through careplan's public API:
// goals in the person's words, every task traced to a need, an eligible
// nutrition need met by a lunch task, a time-critical medicine, a risk with
// controls, agreed by the person and made active on day 0. Checked as of
// day 1 with a nutrition screen on day -1 it has no findings.
func goodPlan(t *testing.T) *careplan.Plan {
	t.Helper()
	p := &careplan.Plan{ID: "p1", ServiceUser: "u1", Status: careplan.Draft, TimeZone: "UTC",
		MissedVisitResponse: "office phones the person within 15 minutes and sends cover",
		Needs: []careplan.Need{
			{ID: "n-hygiene", Outcome: "hygiene", Eligible: true},
			{ID: "n-nutrition", Outcome: "nutrition", Eligible: true},
			{ID: "n-meds", Outcome: "home-safety", Eligible: true},
		},
		Goals: []careplan.Goal{{ID: "g1", Words: "I want to stay at home and be up and dressed by nine", Needs: []string{"n-hygiene"}}},
		Practitioners: []careplan.Practitioner{
			{ID: "agency", Kind: careplan.CareWorkers, Scheduled: true},
			{ID: "dn", Kind: careplan.DistrictNurse, Contact: "c-dn"},
		},
		Tasks: []careplan.Task{
			{ID: "wash", Kind: careplan.TaskPersonalCare, Provider: "agency", Times: []string{"08:00"}, Minutes: 30, Needs: []string{"n-hygiene"}, Goals: []string{"g1"}},
			{ID: "med", Kind: careplan.TaskMedicines, Provider: "agency", Times: []string{"08:00", "13:00", "18:00"}, Minutes: 10, Needs: []string{"n-meds"},
				Medicine: &careplan.Medicine{Medicine: "m1", Level: careplan.Administering, TimeCritical: true, MinIntervalHours: 4}},
			{ID: "lunch", Kind: careplan.TaskMeals, Provider: "agency", Times: []string{"13:00"}, Minutes: 20, Needs: []string{"n-nutrition"}},
			{ID: "wound", Kind: careplan.TaskNursing, Provider: "dn", Times: []string{"11:00"}, Days: []careplan.Day{careplan.Monday}, Minutes: 20, Needs: []string{"n-hygiene"}},
		},
		Risks: []careplan.Risk{{ID: "r-falls", Flag: "falls", Description: "falls at night", Level: careplan.RiskMedium,
			Controls: []string{"sensor mat"}, Owner: "agency", ReviewBy: at(60, 0, 0)}},
		Agreement: &careplan.Agreement{By: "person", At: at(-1, 10, 0)},
	}
	require.NoError(t, p.Validate())
	require.NoError(t, p.Transition(careplan.Agreed, at(-1, 10, 0), "w9"))
	require.NoError(t, p.Transition(careplan.Active, at(0, 0, 0), "w9"))
	return p
}

func checkPlan(t *testing.T, p *careplan.Plan, asOf time.Time, screens ...time.Time) []Finding {
	t.Helper()
	if screens == nil {
		screens = []time.Time{at(-1, 9, 0)}
	}
	fs, err := CheckCarePlan(ptrPack(England), CarePlanInput{Plan: p, AsOf: asOf, NutritionScreens: screens})
	require.NoError(t, err)
	return fs
}

func TestPlanFromCarePlan(t *testing.T) {
	p := goodPlan(t)
	p.Tasks[1].Medicine.Covert = true
	p.Tasks[0].Restrictive = true
	got := PlanFromCarePlan(p)
	require.NoError(t, got.Validate())
	assert.Equal(t, "p1", got.ID)
	assert.Equal(t, care.ServiceUserID("u1"), got.ServiceUser)
	assert.Equal(t, []Decision{
		{ID: "wash", Category: DecisionPersonalCare, Restrictive: true},
		{ID: "med", Category: DecisionMedication, Covert: true},
		{ID: "lunch", Category: DecisionNutrition},
		{ID: "wound", Category: DecisionMedicalTreatment},
		{ID: "share-with-professionals", Category: DecisionSharing},
	}, got.Decisions)
	// Every consent category careplan can produce is a DecisionCategory.
	for _, k := range careplan.TaskKinds() {
		assert.Contains(t, Categories(), DecisionCategory(k.Consent()), "task kind %s", k)
	}
}

// consentAll records the person's own consent to every decision of the plan.
func consentAll(p *careplan.Plan, when time.Time) ConsentFile {
	f := ConsentFile{ServiceUser: p.ServiceUser}
	for _, d := range p.Decisions() {
		f.Consents = append(f.Consents, ownConsent("c-"+d.ID, d.ID, when))
	}
	return f
}

func TestCanActionPlanConsentCases(t *testing.T) {
	p := goodPlan(t)
	now := at(0, 9, 0)

	t.Run("capacity present and consent given", func(t *testing.T) {
		f := consentAll(p, at(-1, 11, 0))
		a, err := f.CanActionPlan(p, now)
		require.NoError(t, err)
		assert.True(t, a.Allowed, a.Decisions)
		require.Len(t, a.Decisions, 5)
		for _, d := range a.Decisions {
			assert.Equal(t, BasisOwnConsent, d.Basis, d.Decision)
		}
	})

	t.Run("capacity lacking, registered health and welfare LPA in scope", func(t *testing.T) {
		f := consentAll(p, at(-1, 11, 0))
		f.Capacity = []CapacityAssessment{lacking("ca1", "med", at(-1, 9, 0))}
		f.Authorities = []Authority{{ID: "lpa1", Holder: "c-daughter", Kind: LPAHealthWelfare, Registered: tp(at(-400, 0, 0)),
			Scope: []DecisionCategory{DecisionMedication, DecisionPersonalCare}}}
		a, err := f.CanActionPlan(p, now)
		require.NoError(t, err)
		assert.False(t, a.Allowed, "the person's own consent no longer counts for med")
		f.Consents = append(f.Consents, ConsentRecord{ID: "c-lpa", Decision: "med", GivenBy: "c-daughter", Given: true,
			Explained: "medicines support", Format: FormatWritten, Understood: true, ObtainedBy: "w9", At: at(-1, 12, 0)})
		a, err = f.CanActionPlan(p, now)
		require.NoError(t, err)
		require.True(t, a.Allowed, a.Decisions)
		assert.Equal(t, DecisionOutcome{Decision: "med", Allowed: true, Basis: BasisAttorney, By: "c-daughter", Record: "c-lpa"}, a.Decisions[1])
	})

	t.Run("LPA for property and financial affairs only is refused", func(t *testing.T) {
		f := consentAll(p, at(-1, 11, 0))
		f.Capacity = []CapacityAssessment{lacking("ca1", "med", at(-1, 9, 0))}
		f.Authorities = []Authority{{ID: "lpa2", Holder: "c-son", Kind: LPAPropertyFinancial, Registered: tp(at(-400, 0, 0))}}
		f.Consents = append(f.Consents, ConsentRecord{ID: "c-son", Decision: "med", GivenBy: "c-son", Given: true,
			Explained: "medicines support", Format: FormatWritten, Understood: true, ObtainedBy: "w9", At: at(-1, 12, 0)})
		a, err := f.CanActionPlan(p, now)
		require.NoError(t, err)
		require.False(t, a.Allowed)
		med := a.Decisions[1]
		assert.False(t, med.Allowed)
		assert.Contains(t, med.Missing, `authority "lpa2" (lpa_property_financial) does not cover medication decisions`)
		assert.Equal(t, []care.ContactID{"c-son"}, med.Consulted, "a consultee, not a consenter")
		fs := a.Findings(ptrPack(England))
		require.Len(t, fs, 1)
		assert.Equal(t, RuleCONSENT, fs[0].Rule)
		assert.Equal(t, Subject{SubjectDecision, "p1/med"}, fs[0].Subject)
		err = a.Err()
		require.ErrorIs(t, err, ErrNotAuthorised)
		var nae *NotAuthorisedError
		require.True(t, errors.As(err, &nae))
		assert.Contains(t, nae.Missing, "med")
	})

	t.Run("consent withdrawn suspends the task", func(t *testing.T) {
		f := consentAll(p, at(-1, 11, 0))
		f.Consents[2].Withdrawn = tp(at(0, 8, 0)) // lunch
		a, err := f.CanActionPlan(p, now)
		require.NoError(t, err)
		assert.False(t, a.Allowed)
		assert.True(t, a.Decisions[0].Allowed)
		assert.False(t, a.Decisions[2].Allowed)
		assert.Contains(t, a.Decisions[2].Missing[0], `consent "c-lunch" from the person withdrawn on 2026-11-02 08:00`)
		a, err = f.CanActionPlan(p, at(0, 7, 0))
		require.NoError(t, err)
		assert.True(t, a.Allowed, "before the withdrawal")
	})

	t.Run("best-interests decision without consultation is refused", func(t *testing.T) {
		q := goodPlan(t)
		q.Tasks[1].Medicine.Covert = true
		f := consentAll(q, at(-1, 11, 0))
		f.Capacity = []CapacityAssessment{lacking("ca1", "med", at(-1, 9, 0))}
		bi := BestInterestsDecision{ID: "bi1", Decision: "med", At: at(-1, 10, 0), DecisionMaker: "w9", Proceed: true,
			WishesConsidered: true, PersonParticipated: true, LessRestrictiveConsidered: true}
		f.BestInterests = []BestInterestsDecision{bi}
		a, err := f.CanActionPlan(q, now)
		require.NoError(t, err)
		require.False(t, a.Allowed)
		assert.Contains(t, a.Decisions[1].Missing, `best-interests decision "bi1": nobody consulted (MCA s.4(7)); instruct an IMCA if there is nobody appropriate`)
		assert.Contains(t, a.Decisions[1].Missing, `best-interests decision "bi1": covert medicines without the prescriber or pharmacist consulted`)
		// Twin: the GP and the daughter consulted.
		f.BestInterests[0].Consultees = []Consultee{{Contact: "c-gp", Role: ConsulteePrescriber, At: at(-1, 9, 30)}, {Contact: "c-daughter", Role: ConsulteeFamily, At: at(-1, 9, 30)}}
		a, err = f.CanActionPlan(q, now)
		require.NoError(t, err)
		assert.True(t, a.Allowed, a.Decisions)
		assert.Equal(t, BasisBestInterests, a.Decisions[1].Basis)
	})

	t.Run("nil plan", func(t *testing.T) {
		f := ConsentFile{}
		_, err := f.CanActionPlan(nil, now)
		require.ErrorIs(t, err, ErrNoPlan)
		require.ErrorIs(t, err, care.ErrInvalid)
	})
}

func TestCheckCarePlanClean(t *testing.T) {
	assert.Empty(t, checkPlan(t, goodPlan(t), at(1, 0, 0)))
}

func TestCheckCarePlanPersonCentred(t *testing.T) {
	p := goodPlan(t)
	p.Goals[0].Words = " "
	fs := only(checkPlan(t, p, at(1, 0, 0)), RulePLAN)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPlan, "p1"}, fs[0].Subject)
	assert.Equal(t, "no goal recorded in the person's own words", fs[0].Evidence)
	assert.Equal(t, Breach, fs[0].Severity)
	assert.Equal(t, Responsive, fs[0].KeyQuestion)

	p = goodPlan(t)
	p.Tasks[0].Needs, p.Tasks[0].Goals = nil, nil
	fs = only(checkPlan(t, p, at(1, 0, 0)), RulePLAN)
	require.Len(t, fs, 1)
	assert.Equal(t, "task wash serves no recorded need or goal", fs[0].Evidence)
	assert.Contains(t, fs[0].Related, Subject{SubjectDecision, "p1/wash"})

	p = goodPlan(t)
	p.Needs = append(p.Needs, careplan.Need{ID: "n-social", Outcome: "relationships", Eligible: true})
	fs = only(checkPlan(t, p, at(1, 0, 0)), RulePLAN)
	require.Len(t, fs, 1)
	assert.Equal(t, "eligible need n-social (relationships) is met by no task and the plan does not say who meets it", fs[0].Evidence)
	// Twin: the plan says who meets it.
	p.Needs[3].MetBy = "family carer"
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RulePLAN))

	p = goodPlan(t)
	p.Agreement = nil
	fs = only(checkPlan(t, p, at(1, 0, 0)), RulePLAN)
	require.Len(t, fs, 1)
	assert.Equal(t, "plan is active with no record of who agreed it", fs[0].Evidence)
	// A draft needs no agreement yet.
	p.Status = careplan.Draft
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RulePLAN))
}

func TestCheckCarePlanReviewTriggers(t *testing.T) {
	p := goodPlan(t)
	// Regular timing: first review within 6 weeks of the start.
	fs := checkPlan(t, p, at(43, 0, 0))
	require.Len(t, fs, 1)
	assert.Equal(t, RuleREVIEW, fs[0].Rule)
	assert.Equal(t, "review due 2026-12-14 not held", fs[0].Evidence)

	// A fall on day 10 brings the review forward to day 17.
	p.Triggers = []careplan.Trigger{{Kind: careplan.TriggerFall, At: at(10, 15, 0), Ref: "inc7"}}
	fs = only(checkPlan(t, p, at(20, 0, 0)), RuleREVIEW)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPlan, "p1"}, fs[0].Subject)
	assert.Equal(t, "review due 2026-11-19 (trigger event 2026-11-12) not held", fs[0].Evidence)
	// The same review, held late on day 19, is reported against its due date.
	p.Reviews = append(p.Reviews, careplan.Review{Date: at(19, 10, 0), By: "w9"})
	fs = only(checkPlan(t, p, at(20, 0, 0)), RuleREVIEW)
	require.Len(t, fs, 1)
	assert.Equal(t, "review due 2026-11-19 (trigger event 2026-11-12) held 2026-11-21", fs[0].Evidence)
	// Twin: held on day 15, within 7 days of the fall.
	p.Reviews[0].Date = at(15, 10, 0)
	assert.Empty(t, only(checkPlan(t, p, at(20, 0, 0)), RuleREVIEW))

	// No missed-visit response.
	p.MissedVisitResponse = ""
	fs = only(checkPlan(t, p, at(20, 0, 0)), RuleVISMissed)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPlan, "p1"}, fs[0].Subject)

	// A plan not started has no review due.
	q := goodPlan(t)
	q.Start = nil
	assert.Empty(t, only(checkPlan(t, q, at(400, 0, 0)), RuleREVIEW))
	rec := PlanRecordFromCarePlan(q)
	assert.True(t, rec.Started.IsZero())
}

func TestCheckCarePlanMedicines(t *testing.T) {
	p := goodPlan(t)
	p.Tasks[1].Times = []string{"08:00", "10:00", "18:00"}
	fs := only(checkPlan(t, p, at(1, 0, 0)), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectDecision, "p1/med"}, fs[0].Subject)
	assert.Equal(t, "medicine m1 planned at 08:00 and 10:00, 2h00m apart; minimum interval 4h", fs[0].Evidence)

	// Over midnight: 08:00 and 22:00 with a 12-hour interval are 10 hours apart overnight.
	p.Tasks[1].Times = []string{"08:00", "22:00"}
	p.Tasks[1].Medicine.MinIntervalHours = 12
	fs = only(checkPlan(t, p, at(1, 0, 0)), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Equal(t, "medicine m1 planned at 22:00 and next day at 08:00, 10h00m apart over midnight; minimum interval 12h", fs[0].Evidence)
	// Twin: 08:00 and 20:00.
	p.Tasks[1].Times = []string{"08:00", "20:00"}
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RuleMEDTime))

	// The same dose planned by two tasks of two providers.
	p = goodPlan(t)
	p.Tasks = append(p.Tasks, careplan.Task{ID: "dn-med", Kind: careplan.TaskMedicines, Provider: "dn", Times: []string{"13:00"}, Minutes: 10,
		Needs: []string{"n-meds"}, Medicine: &careplan.Medicine{Medicine: "m1", Level: careplan.Administering}})
	require.NoError(t, p.Validate())
	fs = only(checkPlan(t, p, at(1, 0, 0)), RuleMEDPlan)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectDecision, "p1/dn-med"}, fs[0].Subject, "the second task planning the dose")
	assert.Contains(t, fs[0].Related, Subject{SubjectDecision, "p1/med"})
	assert.Contains(t, fs[0].Evidence, "medicine m1 planned at 13:00 by task")
	assert.Contains(t, fs[0].Evidence, "(provider dn)")
	// Twin: the nurse's dose on Mondays only at 11:00 instead.
	p.Tasks[4].Times = []string{"11:00"}
	p.Tasks[4].Medicine.Medicine = "m2"
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RuleMEDPlan))
}

func TestCheckCarePlanRisks(t *testing.T) {
	p := goodPlan(t)
	p.Risks[0].Controls = nil
	fs := only(checkPlan(t, p, at(1, 0, 0)), RuleMEDPlan)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectItem, "p1/risk/r-falls"}, fs[0].Subject)
	assert.Equal(t, "open risk r-falls (medium) has no controls recorded", fs[0].Evidence)
	p.Risks[0].Controls = []string{"sensor mat"}
	fs = only(checkPlan(t, p, at(61, 0, 0)), RuleMEDPlan)
	require.Len(t, fs, 1)
	assert.Equal(t, "risk r-falls review due 2027-01-01 not done", fs[0].Evidence)
	// Twin: a closed risk is not reviewed.
	p.Risks[0].Closed = tp(at(30, 0, 0))
	assert.Empty(t, only(checkPlan(t, p, at(61, 0, 0)), RuleMEDPlan))
}

func TestCheckCarePlanNutrition(t *testing.T) {
	// An eligible nutrition need and no meals task.
	p := goodPlan(t)
	p.Tasks = append(p.Tasks[:2], p.Tasks[3:]...)
	fs := only(checkPlan(t, p, at(1, 0, 0)), RuleNUTRITION)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPlan, "p1"}, fs[0].Subject)
	assert.Equal(t, "eligible nutrition need n-nutrition has no meals or hydration task", fs[0].Evidence)
	assert.Equal(t, Effective, fs[0].KeyQuestion)
	// Twin: the need is met by someone else.
	p.Needs[1].MetBy = "family carer"
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RuleNUTRITION))

	// An open malnutrition risk and no meals task.
	p.Risks = append(p.Risks, careplan.Risk{ID: "r-mal", Flag: "malnutrition-risk", Level: careplan.RiskHigh, Controls: []string{"food chart"}, Owner: "agency", ReviewBy: at(30, 0, 0)})
	fs = only(checkPlan(t, p, at(1, 0, 0)), RuleNUTRITION)
	require.Len(t, fs, 1)
	assert.Equal(t, "open malnutrition risk r-mal with no meals or hydration task", fs[0].Evidence)

	// Nutrition in scope, no screening.
	p = goodPlan(t)
	fs = only(checkPlan(t, p, at(1, 0, 0), []time.Time{}...), RuleNUTRITION)
	require.Len(t, fs, 1)
	assert.Equal(t, "nutrition is in scope but no nutrition screening ('MUST') is recorded", fs[0].Evidence)
	// A screening more than 12 months old.
	fs = only(checkPlan(t, p, at(1, 0, 0), at(-400, 0, 0)), RuleNUTRITION)
	require.Len(t, fs, 1)
	assert.Equal(t, "last nutrition screening 2025-09-28, more than 12 months ago", fs[0].Evidence)
	// Twin: the plan cites a 'MUST' result from the assessment.
	p.Needs[1].Evidence = []careplan.Evidence{{Source: "assessment", Ref: "a1/must/total", Value: 1}}
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0), []time.Time{}...), RuleNUTRITION))
}

func TestCheckCarePlanNil(t *testing.T) {
	_, err := CheckCarePlan(ptrPack(England), CarePlanInput{})
	require.ErrorIs(t, err, ErrNoPlan)
	p := goodPlan(t)
	p.TimeZone = "Mars/Olympus"
	_, err = CheckCarePlan(ptrPack(England), CarePlanInput{Plan: p})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "time_zone")
}

// TestMedicinesFromCarePlanOnRota follows a plan's medicines tasks to the
// rota: the plan's patterns are expanded into visits, a hand-made rota
// assigns them, and MED-COMP, MED-MAR and MED-TIME are checked against the
// support and doses the plan gives.
func TestMedicinesFromCarePlanOnRota(t *testing.T) {
	p := goodPlan(t)
	pats, err := p.Patterns(at(0, 0, 0))
	require.NoError(t, err)
	f := newFx()
	f.p.ServiceUsers[0].ID = "u1"
	for _, pt := range pats {
		vs, err := pt.Expand(at(0, 0, 0), at(1, 0, 0))
		require.NoError(t, err)
		for _, v := range vs {
			f.p.Visits = append(f.p.Visits, v)
			f.starts[v.ID] = v.Windows[0].Earliest.Add(pt.Before.Std())
		}
	}
	var med []schedule.VisitID
	for _, v := range f.p.Visits {
		if needsMedicines(&v) {
			med = append(med, v.ID)
		}
	}
	require.Len(t, med, 3, "08:00, 13:00 and 18:00 carry the medicine")
	support, doses, err := MedicinesFromCarePlan(p, f.p.Visits)
	require.NoError(t, err)
	require.Len(t, support, 1)
	assert.Equal(t, "m1", support[0].Medicine)
	assert.Equal(t, Administering, support[0].Level)
	assert.ElementsMatch(t, med, support[0].Visits)
	require.Len(t, doses, 3)
	for _, d := range doses {
		assert.Equal(t, f.starts[d.Visit], d.Due, "due at the planned time of %s", d.Visit)
		assert.Equal(t, schedule.Duration(30*time.Minute), d.Tolerance)
		assert.Equal(t, schedule.Duration(4*time.Hour), d.MinInterval)
	}
	for _, v := range f.p.Visits {
		f.route("w1", schedule.ShiftID("s-"+string(v.ID)), v.ID)
	}
	f.in.Medicines, f.in.Doses = support, doses
	f.in.AsOf = at(1, 0, 0)
	for _, v := range f.p.Visits {
		notes := f.starts[v.ID].Add(40 * time.Minute)
		f.in.Actuals = append(f.in.Actuals, VisitActual{Visit: v.ID, Worker: "w1", NotesAt: &notes})
		for _, ms := range support {
			for _, mv := range ms.Visits {
				if mv == v.ID {
					f.in.MAR = append(f.in.MAR, MAREntry{Visit: v.ID, Medicine: ms.Medicine, Worker: "w1", Outcome: MARGiven, At: f.starts[v.ID].Add(5 * time.Minute), Signed: true})
				}
			}
		}
	}
	for _, id := range []RuleID{RuleMEDComp, RuleMEDMAR, RuleMEDTime} {
		assert.Empty(t, only(f.check(t), id), "twin: competent worker, full MAR, doses on time")
	}

	// The worker's competence lapses: every medicines visit of the plan is reported.
	f.rec("w1").MedicinesCompetence = []time.Time{at(-400, 0, 0)}
	fs := only(f.check(t), RuleMEDComp)
	require.Len(t, fs, 3)
	for _, x := range fs {
		assert.Contains(t, med, schedule.VisitID(x.Subject.ID))
	}
	f.rec("w1").MedicinesCompetence = []time.Time{at(-30, 0, 0)}

	// One MAR entry missing: MED-MAR on that visit.
	f.in.MAR = f.in.MAR[1:]
	fs = only(f.check(t), RuleMEDMAR)
	require.Len(t, fs, 1)
	assert.Equal(t, string(med[0]), fs[0].Subject.ID)

	// A dose visit started 45 minutes late: MED-TIME.
	late := med[1]
	for i := range f.r.Assignments {
		if f.r.Assignments[i].Visit == late {
			f.r.Assignments[i].Start = f.r.Assignments[i].Start.Add(45 * time.Minute)
		}
	}
	fs = only(f.check(t), RuleMEDTime)
	require.NotEmpty(t, fs)
	assert.Equal(t, Subject{SubjectVisit, string(late)}, fs[0].Subject)

	_, _, err = MedicinesFromCarePlan(nil, nil)
	require.ErrorIs(t, err, ErrNoPlan)
}

func TestCheckCarePlanMedicineIntervalOverMidnightByDay(t *testing.T) {
	p := goodPlan(t)
	p.Tasks[1].Times = []string{"22:00"}
	p.Tasks[1].Days = []careplan.Day{careplan.Monday}
	p.Tasks = append(p.Tasks, careplan.Task{ID: "med-am", Kind: careplan.TaskMedicines, Provider: "agency", Times: []string{"06:00"},
		Days: []careplan.Day{careplan.Tuesday}, Minutes: 10, Needs: []string{"n-meds"},
		Medicine: &careplan.Medicine{Medicine: "m1", Level: careplan.Administering, MinIntervalHours: 10}})
	require.NoError(t, p.Validate())
	fs := only(checkPlan(t, p, at(1, 0, 0)), RuleMEDTime)
	require.Len(t, fs, 1, "Monday 22:00 then Tuesday 06:00 is 8 hours")
	assert.Equal(t, Subject{SubjectDecision, "p1/med-am"}, fs[0].Subject)
	assert.Equal(t, "medicine m1 planned at 22:00 and next day at 06:00, 8h00m apart over midnight; minimum interval 10h", fs[0].Evidence)
	// Twin: the morning dose on Wednesday never follows a Monday night dose.
	p.Tasks[4].Days = []careplan.Day{careplan.Wednesday}
	assert.Empty(t, only(checkPlan(t, p, at(1, 0, 0)), RuleMEDTime))
}
