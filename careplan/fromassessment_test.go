package careplan

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is an expected derived visit.
type want struct {
	time    string
	minutes int
	carers  int
	skills  []care.Skill
	tasks   []string
}

// checkVisits asserts the plan's care-worker visits, every day of the week,
// with the default 30-minute windows.
func checkVisits(t *testing.T, p *Plan, provider string, ws []want) {
	t.Helper()
	vs, err := p.Visits()
	require.NoError(t, err)
	var got []Visit
	for _, v := range vs {
		if v.Provider == provider {
			got = append(got, v)
		}
	}
	require.Len(t, got, len(ws), "visits a day by %s", provider)
	for i, w := range ws {
		v := got[i]
		assert.Equal(t, w.time, v.Time, "visit %d", i)
		assert.Equal(t, w.minutes, v.Minutes, "visit at %s: minutes", w.time)
		assert.Equal(t, w.carers, v.Carers, "visit at %s: carers", w.time)
		assert.Equal(t, w.skills, v.Skills, "visit at %s: skills", w.time)
		assert.ElementsMatch(t, w.tasks, v.Tasks, "visit at %s: tasks", w.time)
		assert.Equal(t, Week(), v.Days, "visit at %s: every day", w.time)
		assert.Equal(t, 30, v.Before)
		assert.Equal(t, 30, v.After)
		assert.True(t, v.Scheduled)
	}
}

// refs lists the evidence references.
func refs(ev []Evidence) []string {
	var out []string
	for _, e := range ev {
		out = append(out, e.Ref)
	}
	return out
}

func TestFromAssessmentHipFracture(t *testing.T) {
	pic, p := draft(t, "hip", DraftOptions{Words: map[string]string{"home-safety": "I want to get about my flat without falling again"}})
	assert.Equal(t, Draft, p.Status)
	assert.Equal(t, care.ServiceUserID("su-hip"), p.ServiceUser)
	assert.Equal(t, "a-su-hip", p.Assessment)
	hoist := []care.Skill{care.SkillHoist, care.SkillPersonalCare}
	// washing 30 + grooming 10 + dressing 20/2 + toileting 30/3 + transfers 15/2 rounded up to 10.
	checkVisits(t, p, "agency", []want{
		{"08:00", 70, 2, hoist, []string{"t-washing", "t-grooming", "t-dressing", "t-toileting", "t-transfers"}},
		{"12:30", 30, 1, []care.Skill{care.SkillPersonalCare}, []string{"t-toileting"}}, // 10 minutes lengthened to 30
		{"20:00", 30, 2, hoist, []string{"t-dressing", "t-toileting", "t-transfers"}},
	})
	tr, ok := p.Task("t-transfers")
	require.True(t, ok)
	assert.Equal(t, 2, tr.Carers)
	assert.Contains(t, refs(tr.Evidence), "a-su-hip/barthel100/transfers")
	assert.Equal(t, TaskTransfer, tr.Kind)
	// Needs: the four outcomes the picture marks unable, each with its evidence.
	var outcomes []string
	for _, n := range p.Needs {
		outcomes = append(outcomes, n.Outcome)
		assert.True(t, n.Eligible)
		assert.NotEmpty(t, n.Evidence, n.ID)
		assert.Equal(t, "agency", n.MetBy, n.ID)
	}
	assert.Equal(t, []string{"hygiene", "toilet", "clothed", "home-safety"}, outcomes)
	hs := p.Needs[3]
	assert.Contains(t, refs(hs.Evidence), "a-su-hip/falls/fallsLast12Months", "NG249 case finding is evidence")
	assert.Contains(t, hs.Wellbeing, string(assessment.AreaAccommodation))
	// Goal in the person's words, tied to the need and served by its tasks.
	require.Len(t, p.Goals, 1)
	assert.Equal(t, []string{"n-home-safety"}, p.Goals[0].Needs)
	assert.Equal(t, []string{"g-home-safety"}, tr.Goals)
	// OT referral for the hoist and bathing; falls service by name.
	ot, ok := p.Practitioner("ot")
	require.True(t, ok)
	assert.Equal(t, OccupationalTherapist, ot.Kind)
	assert.False(t, ot.Scheduled)
	var otRef *Referral
	for i := range p.Referrals {
		if p.Referrals[i].To == string(assessment.ReferOT) {
			otRef = &p.Referrals[i]
		}
	}
	require.NotNil(t, otRef)
	assert.Equal(t, "ot", otRef.Practitioner)
	assert.Equal(t, pic.Date.AddDate(0, 0, 14), otRef.Due)
	assert.Contains(t, refs(otRef.Evidence), "a-su-hip/barthel100/bathing")
	// Risks from the falls and pressure-ulcer flags.
	falls := findRisk(p, "r-falls")
	require.NotNil(t, falls)
	assert.Equal(t, "a-su-hip/flag/falls", falls.Evidence[0].Ref)
	assert.Equal(t, []string{"agency", "ot"}, falls.Providers)
	pu := findRisk(p, "r-pressure-ulcer-risk")
	require.NotNil(t, pu)
	assert.Contains(t, pu.Controls, "change position at least every 4 hours (NICE CG179)")
	assert.Contains(t, refs(pu.Evidence), "a-su-hip/waterlow")
	_, hasRepo := p.Task("t-repositioning")
	assert.False(t, hasRepo, "she can reposition alone")
	// Every visit pattern of a double-handed visit asks for two hoist-trained carers.
	pats, err := p.Patterns(assessed)
	require.NoError(t, err)
	require.Len(t, pats, 3)
	assert.Equal(t, 2, pats[0].Visit.Carers)
	assert.Equal(t, schedule.Minutes(70), pats[0].Visit.Duration)
	assert.Equal(t, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", pats[0].RRule)

	// After the moving-and-handling assessment says one carer, the draft follows.
	a := scenarios()[1].build(t)
	a.Observations.TransferCarers = 1
	pic2, err := assessment.Evaluate(a, assessment.Options{})
	require.NoError(t, err)
	p2, err := FromAssessment(pic2, DraftOptions{PlanID: "p2"})
	require.NoError(t, err)
	vs, err := p2.Visits()
	require.NoError(t, err)
	for _, v := range vs {
		assert.Equal(t, 1, v.Carers, v.Time)
		assert.NotContains(t, v.Skills, care.SkillHoist)
	}
}

func TestFromAssessmentModerateDementia(t *testing.T) {
	_, p := draft(t, "dementia", DraftOptions{})
	dem := []care.Skill{care.SkillDementia, care.SkillMedication, care.SkillPersonalCare}
	// × 1.25 for cognition: washing 40, grooming 15, medicines 15/2 → 10 each; meal preparation 30/2.
	checkVisits(t, p, "agency", []want{
		{"08:00", 65, 1, dem, []string{"t-washing", "t-grooming", "t-medicines"}},
		{"12:30", 30, 1, []care.Skill{care.SkillMealPreparation}, []string{"t-meal-prep"}},
		{"17:00", 30, 1, []care.Skill{care.SkillMealPreparation}, []string{"t-meal-prep"}},
		{"20:00", 30, 1, []care.Skill{care.SkillMedication}, []string{"t-medicines"}},
	})
	med, ok := p.Task("t-medicines")
	require.True(t, ok)
	require.NotNil(t, med.Medicine)
	assert.Equal(t, Administering, med.Medicine.Level, "Lawton G level 3 and moderate cognition")
	assert.Contains(t, refs(med.Evidence), "a-su-dementia/lawton/medicines")
	assert.Contains(t, refs(med.Evidence), "a-su-dementia/observation/cognition")
	// Community access is a need nobody meets yet: the draft says so.
	var community Need
	for _, n := range p.Needs {
		if n.Outcome == "community" {
			community = n
		}
	}
	assert.Equal(t, "not met", community.MetBy)
	assert.Empty(t, p.Goals, "no words given, no goals invented")
}

func TestFromAssessmentShortMedicinesVisit(t *testing.T) {
	// After a medicines assessment finds prompting enough, and short visits
	// are agreed, the evening prompt is a short visit (the NG21 exception).
	a := scenarios()[2].build(t)
	require.Equal(t, "su-dementia", a.PersonID)
	a.Observations.Medicines = assessment.MedicinesPrompt
	pic, err := assessment.Evaluate(a, assessment.Options{})
	require.NoError(t, err)
	for _, agreed := range []bool{false, true} {
		p, err := FromAssessment(pic, DraftOptions{PlanID: "p-short", ShortVisitsAgreed: agreed})
		require.NoError(t, err)
		med, _ := p.Task("t-medicines")
		assert.Equal(t, Prompting, med.Medicine.Level)
		vs, err := p.Visits()
		require.NoError(t, err)
		ev := vs[len(vs)-1]
		require.Equal(t, "20:00", ev.Time)
		if agreed {
			assert.True(t, ev.Short)
			assert.Equal(t, 10, ev.Minutes, "prompting 10 min a day x 1.25 = 15, over two times = 7.5, rounded up to 10")
		} else {
			assert.False(t, ev.Short)
			assert.Equal(t, 30, ev.Minutes, "no agreement: at least 30 minutes")
		}
		assert.Equal(t, 30, vs[1].Minutes, "meal preparation is not a time-limited task: never short")
	}
}

func TestFromAssessmentBedboundRepositioning(t *testing.T) {
	_, p := draft(t, "bedbound", DraftOptions{})
	rp, ok := p.Task("t-repositioning")
	require.True(t, ok)
	assert.Equal(t, 4, rp.RepositionHours)
	assert.Empty(t, rp.Times, "done at every visit")
	assert.Equal(t, 10, rp.Minutes)
	assert.Contains(t, refs(rp.Evidence), "a-su-bed/braden")
	vs, err := p.Visits()
	require.NoError(t, err)
	require.Len(t, vs, 8, "four care visits and four added for the 4-hour gap")
	hoist := []care.Skill{care.SkillHoist, care.SkillMealPreparation, care.SkillPersonalCare}
	byTime := map[string]Visit{}
	for _, v := range vs {
		byTime[v.Time] = v
		assert.Contains(t, v.Tasks, "t-repositioning", v.Time)
	}
	m := byTime["08:00"]
	// eating 10 + washing 30 + grooming 10 + dressing 10 + toileting 10 + continence 10 + transfers 10 + repositioning 10
	assert.Equal(t, 100, m.Minutes)
	assert.Equal(t, 2, m.Carers)
	assert.Equal(t, hoist, m.Skills)
	e := byTime["20:00"]
	assert.Equal(t, 50, e.Minutes) // dressing, toileting, continence, transfers, repositioning
	assert.Equal(t, 2, e.Carers)
	assert.Equal(t, 30, byTime["17:00"].Minutes, "eating 10 + repositioning 10 lengthened")
	// No gap from the end of one visit to the start of the next exceeds 4 h,
	// even when one starts 30 minutes early and the next 30 minutes late.
	sort.Slice(vs, func(i, j int) bool { return vs[i].Time < vs[j].Time })
	for i := range vs {
		cur, next := vs[i], vs[(i+1)%len(vs)]
		a, _ := parseClock(cur.Time)
		b, _ := parseClock(next.Time)
		if b <= a {
			b += 1440
		}
		gap := (b + next.After) - (a - cur.Before + cur.Minutes)
		assert.LessOrEqual(t, gap, 240, "%s to %s", cur.Time, next.Time)
	}
	dn, ok := p.Practitioner("district-nurse")
	require.True(t, ok, "wound care and high pressure risk")
	assert.Equal(t, DistrictNurse, dn.Kind)
	pu := findRisk(p, "r-pressure-ulcer-risk")
	require.NotNil(t, pu)
	assert.Equal(t, []string{"agency", "district-nurse"}, pu.Providers)
}

func TestFromAssessmentSevereDementia(t *testing.T) {
	_, p := draft(t, "severe-dementia", DraftOptions{})
	all := []care.Skill{care.SkillDementia, care.SkillMedication, care.SkillPersonalCare}
	// × 1.25: washing 40, dressing 25/2 → 15, toileting 40/3 → 15, continence 25/2 → 15, medicines 15/2 → 10.
	checkVisits(t, p, "agency", []want{
		{"08:00", 95, 1, all, []string{"t-washing", "t-dressing", "t-toileting", "t-continence", "t-medicines"}},
		{"12:30", 30, 1, []care.Skill{care.SkillDementia, care.SkillPersonalCare}, []string{"t-toileting"}},
		{"20:00", 55, 1, all, []string{"t-dressing", "t-toileting", "t-continence", "t-medicines"}},
	})
	home := findRisk(p, "r-home")
	require.NotNil(t, home, "continuous supervision: home under review")
	assert.Equal(t, RiskHigh, home.Level)
	assert.Equal(t, []string{"a-su-severe/observation/continuousSupervision"}, refs(home.Evidence))
}

func TestFromAssessmentNoImpairment(t *testing.T) {
	_, p := draft(t, "no-impairment", DraftOptions{MissedVisitResponse: "call the person and the on-call coordinator"})
	assert.Equal(t, "call the person and the on-call coordinator", p.MissedVisitResponse)
	checkVisits(t, p, "agency", []want{
		{"08:00", 40, 1, []care.Skill{care.SkillPersonalCare}, []string{"t-washing", "t-dressing"}},
		{"20:00", 30, 1, []care.Skill{care.SkillPersonalCare}, []string{"t-dressing"}}, // 10 lengthened
	})
	for _, n := range p.Needs {
		assert.False(t, n.Eligible, "no impairment recorded: needs not eligible, support may still be arranged")
	}
	assert.Contains(t, refs(p.Needs[0].Evidence), "a-su-noimp/katz/bathing")
}

func TestFromAssessmentSafeguarding(t *testing.T) {
	_, p := draft(t, "safeguarding", DraftOptions{})
	// Barthel 0-20: dressing 20/2 and transfers 15/2 rounded up: 10 + 10 at each visit; one carer (minor help).
	ps := []care.Skill{care.SkillPersonalCare}
	checkVisits(t, p, "agency", []want{
		{"08:00", 30, 1, ps, []string{"t-dressing", "t-transfers"}},
		{"20:00", 30, 1, ps, []string{"t-dressing", "t-transfers"}},
	})
	sg := findRisk(p, "r-safeguarding")
	require.NotNil(t, sg)
	assert.True(t, sg.Sensitive())
	require.NotNil(t, sg.Escalation)
	assert.True(t, sg.Escalation.Safeguarding)
	assert.Equal(t, time.Date(2026, 11, 2, 23, 59, 59, 0, time.UTC), sg.Escalation.Due, "the same day")
	for _, r := range p.Referrals {
		assert.NotEqual(t, string(assessment.ReferFalls), r.To, "already referred to the falls service")
	}
	falls := findRisk(p, "r-falls")
	require.NotNil(t, falls)
	assert.Equal(t, RiskLow, falls.Level, "info flag")
}

func TestFromAssessmentLonely(t *testing.T) {
	_, p := draft(t, "lonely", DraftOptions{Words: map[string]string{"relationships": "Someone to talk to about the garden"},
		BefriendingDay: Friday, BefriendingTime: "15:00"})
	vs, err := p.Visits()
	require.NoError(t, err)
	require.Len(t, vs, 1, "no personal care, one befriending visit")
	v := vs[0]
	assert.Equal(t, "befriender", v.Provider)
	assert.Equal(t, []Day{Friday}, v.Days)
	assert.Equal(t, "15:00", v.Time)
	assert.Equal(t, 60, v.Minutes)
	assert.Equal(t, []care.Skill{care.SkillBefriending}, v.Skills)
	assert.Equal(t, schedule.Befriending, v.Kind)
	assert.InDelta(t, 1.0, v.PerWeek(), 1e-9)
	fr, _ := p.Task("t-befriending")
	assert.Equal(t, []string{"g-relationships"}, fr.Goals)
	assert.Contains(t, refs(fr.Evidence), "a-su-lonely/ons-loneliness")
	_, agencyThere := p.Practitioner("agency")
	assert.False(t, agencyThere)
}

func TestFromAssessmentDepression(t *testing.T) {
	pic, p := draft(t, "depression", DraftOptions{})
	vs, err := p.Visits()
	require.NoError(t, err)
	assert.Empty(t, vs, "no personal care tasks: needs met by referral for now")
	sh := findRisk(p, "r-self-harm-risk")
	require.NotNil(t, sh)
	assert.True(t, sh.Sensitive())
	assert.Equal(t, RiskUrgent, sh.Level)
	require.NotNil(t, sh.Escalation)
	assert.Equal(t, "GP or crisis team", sh.Escalation.To)
	assert.Contains(t, refs(sh.Evidence), "a-su-depr/phq9/9")
	var crisis Referral
	for _, r := range p.Referrals {
		if r.To == string(assessment.ReferCrisis) {
			crisis = r
		}
	}
	assert.Equal(t, "gp", crisis.Practitioner)
	assert.Equal(t, "same-day", crisis.Urgency)
	assert.Equal(t, endOfDay(pic.Date), crisis.Due)
	for _, n := range p.Needs {
		assert.Equal(t, "not met", n.MetBy)
		assert.Equal(t, "assessment", n.Evidence[0].Source)
		assert.True(t, strings.HasPrefix(n.Evidence[0].Ref, "a-su-depr/observation/outcomes."), n.Evidence[0].Ref)
	}
	actions := p.RiskActions(pic.Date, pic.Date.Add(24*time.Hour))
	require.NotEmpty(t, actions)
	assert.Equal(t, "r-self-harm-risk", actions[0].Risk, "the same-day escalation comes first")
}

func TestFromAssessmentMalnutrition(t *testing.T) {
	_, p := draft(t, "malnutrition", DraftOptions{Times: VisitTimes{Lunch: "12:00", Tea: "17:30"}})
	checkVisits(t, p, "agency", []want{
		{"12:00", 30, 1, []care.Skill{care.SkillMealPreparation}, []string{"t-meal-prep"}},
		{"17:30", 30, 1, []care.Skill{care.SkillMealPreparation}, []string{"t-meal-prep"}},
	})
	mal := findRisk(p, "r-malnutrition-risk")
	require.NotNil(t, mal)
	assert.True(t, slices.ContainsFunc(mal.Evidence, func(e Evidence) bool { return strings.HasPrefix(e.Ref, "a-su-must/must") }),
		"cites the 'MUST' result, as compliance's nutrition rule reads it")
}

func TestFromAssessmentEveryScenarioValidAndTraceable(t *testing.T) {
	for _, s := range scenarios() {
		t.Run(s.name, func(t *testing.T) {
			_, p := draft(t, s.name, DraftOptions{})
			require.NoError(t, p.Validate())
			for _, n := range p.Needs {
				assert.NotEmpty(t, n.Evidence, "need %s", n.ID)
			}
			for _, tk := range p.Tasks {
				assert.NotEmpty(t, tk.Evidence, "task %s", tk.ID)
				for _, e := range tk.Evidence {
					assert.True(t, strings.HasPrefix(e.Ref, p.Assessment+"/"), e.Ref)
				}
			}
			for _, r := range p.Risks {
				assert.NotEmpty(t, r.Evidence, "risk %s", r.ID)
			}
			for _, r := range p.Referrals {
				assert.NotEmpty(t, r.Evidence, "referral %s", r.ID)
			}
		})
	}
}

func TestFromAssessmentRefusesBadInput(t *testing.T) {
	_, err := FromAssessment(nil, DraftOptions{PlanID: "p"})
	assert.ErrorIs(t, err, ErrNoPicture)
	pic, _ := draft(t, "hip", DraftOptions{})
	_, err = FromAssessment(pic, DraftOptions{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "plan_id")
	_, err = FromAssessment(pic, DraftOptions{PlanID: "p", Times: VisitTimes{Morning: "8am"}})
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "8am")
	bad := *pic
	bad.Home.Status = "somewhere"
	_, err = FromAssessment(&bad, DraftOptions{PlanID: "p"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "home.status")
	assert.False(t, errors.Is(err, ErrNoPicture))
}
