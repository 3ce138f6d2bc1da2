package compliance

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fullSchedule3() *Schedule3 {
	return &Schedule3{Identity: true, Conduct: true, ReasonLeft: true, Qualifications: true, EmploymentHistory: true, GapsExplained: true, Health: true}
}

func checkRecs(in RecordsInput) []Finding {
	p := DefaultPack(England)
	return CheckRecords(&p, in)
}

func TestSchedule3(t *testing.T) {
	r := record("w1")
	r.Schedule3 = fullSchedule3()
	in := RecordsInput{AsOf: day0, Workers: []care.Worker{worker("w1")}, WorkerRecords: []WorkerRecord{r}}
	assert.Empty(t, checkRecs(in))

	in.WorkerRecords[0].Schedule3.GapsExplained = false
	in.Workers[0].Checks.DBSLevel = care.DBSStandard
	fs := only(checkRecs(in), RuleSCHED3)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectWorker, "w1"}, fs[0].Subject)
	assert.Equal(t, "Schedule 3 items not on file: 3 enhanced DBS certificate with barred list information; 7 written explanation of gaps in employment", fs[0].Evidence)

	in.WorkerRecords = nil
	fs = only(checkRecs(in), RuleSCHED3)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "1 proof of identity with photograph")
}

func TestHarmNotifiable(t *testing.T) {
	assert.False(t, Harm{ImpairmentDays: 27, PainOrPsychDays: 27}.Notifiable())
	assert.True(t, Harm{ImpairmentDays: 28}.Notifiable())
	assert.True(t, Harm{PainOrPsychDays: 28}.Notifiable())
	assert.True(t, Harm{TreatmentToPrevent: true}.Notifiable())
	assert.True(t, Harm{Death: true}.Notifiable())
}

func TestCandour(t *testing.T) {
	inc := Incident{ID: "i1", ServiceUser: "u1", Occurred: at(0, 9, 0), Aware: at(0, 10, 0), Harm: Harm{PainOrPsychDays: 30}}
	in := RecordsInput{AsOf: at(11, 0, 0), Incidents: []Incident{inc}}
	fs := only(checkRecs(in), RuleCANDOUR)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectIncident, "i1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "no in-person notice after 10 days")

	// Failed attempts recorded: advisory.
	in.Incidents[0].FailedAttempts = []time.Time{at(1, 0, 0)}
	fs = only(checkRecs(in), RuleCANDOUR)
	require.Len(t, fs, 1)
	assert.Equal(t, Advisory, fs[0].Severity)

	// Notice without apology, and no written follow-up after 10 days.
	in.Incidents[0].InPersonNotice = tp(at(1, 0, 0))
	in.AsOf = at(12, 0, 0)
	fs = only(checkRecs(in), RuleCANDOUR)
	require.Len(t, fs, 2)
	assert.Contains(t, fs[0].Evidence+fs[1].Evidence, "without a recorded apology")
	assert.Contains(t, fs[0].Evidence+fs[1].Evidence, "no written follow-up 10 days after")

	// Twin: all steps done.
	in.Incidents[0].Apology = true
	in.Incidents[0].WrittenFollowUp = tp(at(3, 0, 0))
	assert.Empty(t, only(checkRecs(in), RuleCANDOUR))

	// Below the threshold: nothing to notify.
	in.Incidents = []Incident{{ID: "i2", Aware: at(0, 0, 0), Harm: Harm{PainOrPsychDays: 3}}}
	assert.Empty(t, only(checkRecs(in), RuleCANDOUR))
}

func TestSafeguarding(t *testing.T) {
	in := RecordsInput{AsOf: at(2, 0, 0), Concerns: []SafeguardingConcern{{ID: "s1", ServiceUser: "u1", Raised: at(0, 9, 0)}}}
	fs := only(checkRecs(in), RuleSAFEGUARD)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "not referred after 24h00m")
	in.Concerns[0].Referred = tp(at(0, 15, 0))
	assert.Empty(t, only(checkRecs(in), RuleSAFEGUARD))
	in.Concerns[0].Closed = tp(at(1, 0, 0))
	fs = only(checkRecs(in), RuleSAFEGUARD)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "closed without a recorded outcome")
}

func TestRiskPHQ9(t *testing.T) {
	in := RecordsInput{AsOf: at(1, 9, 0), Screens: []RiskScreen{{ID: "r1", ServiceUser: "u1", At: at(0, 10, 0), Item9: 1}}}
	fs := only(checkRecs(in), RuleRISKPHQ9)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "screen r1: PHQ-9 item 9 answered 1 on 2026-11-02 without a same-day escalation")
	in.Screens[0].Escalated = tp(at(0, 16, 0))
	assert.Empty(t, only(checkRecs(in), RuleRISKPHQ9))
	in.Screens[0].Escalated = tp(at(1, 8, 0))
	assert.Len(t, only(checkRecs(in), RuleRISKPHQ9), 1, "next day is too late")
	// Still the same day and not yet escalated: not yet a finding.
	in = RecordsInput{AsOf: at(0, 12, 0), Screens: []RiskScreen{{ID: "r1", At: at(0, 10, 0), Item9: 2}}}
	assert.Empty(t, only(checkRecs(in), RuleRISKPHQ9))
	in.Screens[0].Item9 = 0
	in.AsOf = at(5, 0, 0)
	assert.Empty(t, only(checkRecs(in), RuleRISKPHQ9))
}

func TestPlanReviewAndMissedVisits(t *testing.T) {
	p := PlanRecord{ID: "p1", ServiceUser: "u1", Started: at(0, 0, 0), MissedVisitResponse: "office calls within 15 minutes"}
	in := RecordsInput{AsOf: at(50, 0, 0), Plans: []PlanRecord{p}}
	fs := checkRecs(in)
	require.Len(t, fs, 1)
	assert.Equal(t, RuleREVIEW, fs[0].Rule)
	assert.Equal(t, "review due 2026-12-14 not held", fs[0].Evidence)

	in.Plans[0].Reviews = []time.Time{at(40, 0, 0)}
	assert.Empty(t, checkRecs(in))
	in.AsOf = at(40+366, 0, 0)
	fs = checkRecs(in)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "review due 2027-12-12 not held")

	in.Plans[0].Reviews = []time.Time{at(45, 0, 0)}
	in.AsOf = at(50, 0, 0)
	fs = checkRecs(in)
	require.Len(t, fs, 1)
	assert.Equal(t, "review due 2026-12-14 held 2026-12-17", fs[0].Evidence)

	in.Plans[0].MissedVisitResponse = ""
	in.Plans[0].Reviews = []time.Time{at(40, 0, 0)}
	fs = checkRecs(in)
	require.Len(t, fs, 1)
	assert.Equal(t, RuleVISMissed, fs[0].Rule)
	assert.Equal(t, Subject{SubjectPlan, "p1"}, fs[0].Subject)
}

func TestTrainingMatrix(t *testing.T) {
	m := DefaultTrainingMatrix()
	w := worker("w1")
	req := m.Required(&w)
	var ids []string
	for _, c := range req {
		ids = append(ids, c.ID)
	}
	assert.Contains(t, ids, "moving_assisting")
	assert.Contains(t, ids, "medicines", "held medication skill needs the medicines course")
	assert.NotContains(t, ids, "care_certificate", "senior carers are past induction")
	assert.NotContains(t, ids, "food_hygiene")

	comps := []Completion{{Worker: "w1", Course: "medicines", Completed: day0.AddDate(-1, 0, 10)},
		{Worker: "w1", Course: "moving_assisting", Completed: day0.AddDate(-1, 0, 0)}}
	st := m.Status(&w, comps, day0, 30*24*time.Hour)
	states := map[string]CourseState{}
	for _, s := range st {
		states[s.Course] = s.State
	}
	assert.Equal(t, CourseExpiring, states["medicines"])
	assert.Equal(t, CourseExpired, states["moving_assisting"])
	assert.Equal(t, CourseMissing, states["fire_safety"])
}

func TestExpiringBlocksVisits(t *testing.T) {
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication; v.Skills = []care.Skill{care.SkillMedication} }
	f := newFx().visit("a", "u1", at(1, 9, 0), 30*mins, med).visit("b", "u1", at(12, 9, 0), 30*mins, med).
		visit("c", "u2", at(12, 11, 0), 30*mins).route("w1", "s1", "a").route("w1", "s2", "b").route("w1", "s3", "c")
	exp := at(10, 0, 0)
	f.worker("w1").Qualifications[1].Expires = &exp // medication skill lapses on day 10
	m := DefaultTrainingMatrix()
	comps := []Completion{{Worker: "w1", Course: "safeguarding_adults", Completed: day0.AddDate(-1, 0, 5)}} // lapses day 5
	ex := m.Expiring(f.p, f.r, comps, day0, 14)
	require.Len(t, ex, 2)
	assert.Equal(t, Expiry{Worker: "w1", What: "course safeguarding_adults", Expires: day0.AddDate(0, 0, 5), Blocks: []schedule.VisitID{"b", "c"}}, ex[0])
	assert.Equal(t, Expiry{Worker: "w1", What: "skill medication", Expires: exp, Blocks: []schedule.VisitID{"b"}}, ex[1])
	// A shorter window sees only the first.
	assert.Len(t, m.Expiring(f.p, f.r, comps, day0, 7), 1)
}

func TestLapsing(t *testing.T) {
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication }
	f := newFx().visit("a", "u1", at(1, 9, 0), 30*mins, med).visit("b", "u1", at(12, 9, 0), 30*mins, med).
		visit("c", "u2", at(12, 11, 0), 30*mins).route("w1", "s1", "a").route("w1", "s2", "b").route("w1", "s3", "c")
	r := f.rec("w1")
	r.MedicinesCompetence = []time.Time{day0.AddDate(-1, 0, 8)} // lapses day 8
	r.Supervisions = []time.Time{day0.AddDate(0, -3, 3)}        // due day 3
	r.Appraisals = []time.Time{day0.AddDate(0, -3, 0)}          // not due for months
	f.in.Workers = []WorkerRecord{*r}
	dbs := day0.AddDate(-3, 0, 11) // lapses day 11 under the Welsh 3-year rule
	f.worker("w1").Checks.DBSDate = &dbs

	p := DefaultPack(Wales)
	ex := Lapsing(&p, nil, f.p, f.r, nil, f.in.Workers, day0, 14)
	require.Len(t, ex, 3)
	assert.Equal(t, Expiry{Worker: "w1", What: "supervision", Expires: day0.AddDate(0, 0, 3)}, ex[0])
	assert.Equal(t, Expiry{Worker: "w1", What: "medicines competence", Expires: day0.AddDate(0, 0, 8), Blocks: []schedule.VisitID{"b"}}, ex[1])
	assert.Equal(t, Expiry{Worker: "w1", What: "DBS certificate", Expires: day0.AddDate(0, 0, 11), Blocks: []schedule.VisitID{"b", "c"}}, ex[2])

	p = DefaultPack(England)
	ex = Lapsing(&p, nil, f.p, f.r, nil, f.in.Workers, day0, 14)
	assert.Len(t, ex, 2, "no DBS re-check interval in England")
}

func TestPackJSONRoundTrip(t *testing.T) {
	p := DefaultPack(Wales)
	require.NoError(t, p.Set(RuleCONTKPI, false, Advisory))
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"min_visit":1800`, "durations encode as seconds")
	var q Pack
	require.NoError(t, json.Unmarshal(b, &q))
	assert.Equal(t, p, q)
	assert.Equal(t, Breach, q.Rules[RuleVIS30].Severity)
	assert.False(t, q.Rules[RuleCONTKPI].Enabled)
	assert.Len(t, q.RuleList(), len(catalogue()))
}

func TestPackValidate(t *testing.T) {
	for _, j := range []Jurisdiction{England, Wales} {
		p := DefaultPack(j)
		require.NoError(t, p.Validate())
	}
	p := DefaultPack(England)
	p.Jurisdiction = "SCO"
	p.Params.NightStart = 1500
	p.Params.MinVisit = -1
	r := p.Rules[RuleDBS]
	r.Severity = "loud"
	p.Rules[RuleDBS] = r
	p.Rules["X"] = p.Rules[RuleLOLER]
	err := p.Validate()
	require.ErrorIs(t, err, care.ErrInvalid)
	for _, s := range []string{`unknown jurisdiction "SCO"`, "params.night_start: 1500 minutes", "params.min_visit: must not be negative",
		`rules.DBS.severity: unknown severity "loud"`, `rules.X: holds rule "LOLER"`} {
		assert.Contains(t, err.Error(), s)
	}
}

func TestShiftNotice(t *testing.T) {
	ch := ShiftChange{ID: "ch1", Worker: "w1", Shift: "s9", Kind: ShiftCancelled, ShiftStart: at(3, 8, 0)}
	in := RecordsInput{AsOf: at(3, 0, 0), ShiftChanges: []ShiftChange{ch}}
	fs := only(checkRecs(in), RuleSHIFTNotice)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectWorker, "w1"}, fs[0].Subject)
	assert.Equal(t, "change ch1: shift s9 due 2026-11-05 08:00 cancelled with no notice logged", fs[0].Evidence)
	assert.Equal(t, Advisory, fs[0].Severity, "advisory until the 2027 regulations")
	assert.Contains(t, fs[0].Related, Subject{SubjectItem, "shift/s9"})

	// Two days' notice is short of the default 7 days.
	in.ShiftChanges[0].Notified = tp(at(1, 8, 0))
	in.ShiftChanges[0].Compensation = 15
	fs = only(checkRecs(in), RuleSHIFTNotice)
	require.Len(t, fs, 1)
	assert.Equal(t, "change ch1: shift s9 due 2026-11-05 08:00 cancelled with 48h00m notice (less than 168h00m); compensation recorded £15.00", fs[0].Evidence)

	// Twin: eight days' notice.
	in.ShiftChanges[0].Notified = tp(at(-5, 8, 0))
	assert.Empty(t, only(checkRecs(in), RuleSHIFTNotice))

	// A provider that makes the rule hard gets a breach.
	p := DefaultPack(England)
	require.NoError(t, p.Set(RuleSHIFTNotice, true, Breach))
	in.ShiftChanges[0].Notified = nil
	fs = only(CheckRecords(&p, in), RuleSHIFTNotice)
	require.Len(t, fs, 1)
	assert.Equal(t, Breach, fs[0].Severity)
}

func TestMatrixTravel(t *testing.T) {
	a, b := care.NewLocation(51.45, -0.97), care.NewLocation(51.46, -0.95)
	m, err := routing.NewMatrix([]care.Location{a, b}, []care.TravelMode{care.Car},
		[][]float64{{0, 600.5, 610, 0}}, [][]float64{{0, 2000, 2100, 0}})
	require.NoError(t, err)
	tr, err := NewMatrixTravel(m)
	require.NoError(t, err)
	d, err := tr.EstimateTravel(a, b, care.Car)
	require.NoError(t, err)
	assert.Equal(t, 600500*time.Millisecond, d)
	d, err = tr.EstimateTravel(b, a, care.Car)
	require.NoError(t, err)
	assert.Equal(t, 610*time.Second, d)
	_, err = tr.EstimateTravel(a, care.NewLocation(0, 0), care.Car)
	require.ErrorIs(t, err, ErrUnknownLocation)
	_, err = tr.EstimateTravel(a, b, care.Walk)
	require.ErrorIs(t, err, routing.ErrNoTable)
	_, err = NewMatrixTravel(nil)
	require.ErrorIs(t, err, care.ErrInvalid)
}

func TestShiftChangesFromRepair(t *testing.T) {
	before := []schedule.Shift{
		{ID: "s1", Worker: "w1", Start: at(2, 8, 0), End: at(2, 14, 0)},
		{ID: "s2", Worker: "w2", Start: at(2, 8, 0), End: at(2, 14, 0)},
		{ID: "s3", Worker: "w3", Start: at(2, 8, 0), End: at(2, 14, 0)},
		{ID: "s4", Worker: "w1", Start: at(9, 8, 0), End: at(9, 14, 0)},
		{ID: "s5", Worker: "w2", Start: at(2, 16, 0), End: at(2, 20, 0)},
	}
	after := []schedule.Shift{
		{ID: "s2", Worker: "w2", Start: at(2, 10, 0), End: at(2, 14, 0)},
		{ID: "s3", Worker: "w3", Start: at(2, 8, 0), End: at(2, 12, 0)},
		{ID: "s4", Worker: "w1", Start: at(9, 8, 0), End: at(9, 14, 0)},
		{ID: "s5", Worker: "w3", Start: at(2, 16, 0), End: at(2, 20, 0)},
		{ID: "s6", Worker: "w3", Start: at(3, 8, 0), End: at(3, 14, 0)},
	}
	chs := ShiftChanges(before, after, at(1, 18, 0))
	require.Len(t, chs, 4)
	kinds := map[schedule.ShiftID]ShiftChangeKind{}
	for _, c := range chs {
		kinds[c.Shift] = c.Kind
		require.NotNil(t, c.Notified)
		assert.Equal(t, at(1, 18, 0), *c.Notified)
	}
	assert.Equal(t, map[schedule.ShiftID]ShiftChangeKind{"s1": ShiftCancelled, "s2": ShiftMoved, "s3": ShiftCurtailed, "s5": ShiftMoved}, kinds)
	assert.Equal(t, "s1/cancelled", chs[0].ID)
	assert.Equal(t, care.WorkerID("w2"), chs[3].Worker, "a reassigned shift is a change for the worker who lost it")

	// 14 hours' notice: every change is short notice.
	fs := only(checkRecs(RecordsInput{AsOf: at(1, 18, 0), ShiftChanges: chs}), RuleSHIFTNotice)
	require.Len(t, fs, 4)
	assert.Contains(t, fs[0].Evidence, "with 14h00m notice")
}
