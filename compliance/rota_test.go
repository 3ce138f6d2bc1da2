package compliance

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const h = time.Hour
const mins = time.Minute

func TestBaseRotaHasNoFindings(t *testing.T) {
	assert.Empty(t, base().check(t))
}

func TestCheckRotaInputErrors(t *testing.T) {
	p := DefaultPack(England)
	_, err := CheckRota(&p, RotaInput{})
	require.ErrorIs(t, err, ErrNoProblem)
	f := base()
	f.p.TimeZone = "Mars/Olympus"
	_, err = CheckRota(&p, RotaInput{Problem: f.p, Rota: f.r})
	require.ErrorIs(t, err, care.ErrInvalid)
	f = base()
	f.r.Assignments[0].Visit = "nope"
	_, err = CheckRota(&p, RotaInput{Problem: f.p, Rota: f.r})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `visit "nope"`)
}

func TestWTR11DailyRest(t *testing.T) {
	f := base().day("w1", 0, 21, 30*mins).day("w1", 1, 6, 30*mins)
	fs := only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectWorker, "w1"}, fs[0].Subject)
	assert.Equal(t, Breach, fs[0].Severity)
	assert.Contains(t, fs[0].Evidence, "rest of 8h10m between shift s-w1-d0-21 (ending 2026-11-02 21:40) and shift s-w1-d1-6")

	// Twin: the next day's work starts later.
	assert.Empty(t, only(base().day("w1", 0, 21, 30*mins).day("w1", 1, 9, 30*mins).check(t), RuleWTR11))

	// Compensatory rest logged: advisory, not a breach.
	f = base().day("w1", 0, 21, 30*mins).day("w1", 1, 6, 30*mins)
	f.rec("w1").CompensatoryRest = []time.Time{at(1, 12, 0)}
	fs = only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Equal(t, Advisory, fs[0].Severity)

	// Young worker: 11h10m is too little (12 hours owed).
	f = base().day("w1", 0, 21, 30*mins).day("w1", 1, 9, 30*mins)
	f.worker("w1").YoungWorker = true
	fs = only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "rest of 11h10m")
	assert.Contains(t, fs[0].Evidence, "at least 12h00m")

	// Work before the horizon counts.
	f = base()
	f.rec("w1").LastWorkEnd = tp(at(-1, 23, 0))
	fs = only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "work before the horizon")
}

func TestWTR48Average(t *testing.T) {
	weeks := func(n int, d time.Duration) []schedule.Duration {
		return slices.Repeat([]schedule.Duration{schedule.Duration(d)}, n)
	}
	f := base()
	f.rec("w1").PriorWeeks = weeks(16, 52*h)
	fs := only(f.check(t), RuleWTR48)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectWorker, "w1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "average 49h04m a week over 17 weeks ending week 1")

	// Twin: a signed opt-out.
	f.rec("w1").OptOut = &OptOut{Signed: at(-200, 0, 0)}
	assert.Empty(t, only(f.check(t), RuleWTR48))
	// An opt-out that ended is no opt-out.
	f.rec("w1").OptOut.Ended = tp(at(-1, 0, 0))
	assert.Len(t, only(f.check(t), RuleWTR48), 1)

	// Twin: 50 hours a week before averages under 48 with the rota week.
	f = base()
	f.rec("w1").PriorWeeks = weeks(16, 50*h)
	assert.Empty(t, only(f.check(t), RuleWTR48))
}

func TestWTRWeekRest(t *testing.T) {
	f := newFx()
	for d := range 14 {
		f.day("w1", d, 9, 8*h)
	}
	fs := only(f.check(t), RuleWTRWeek)
	require.Len(t, fs, 2, "both weeks lack a 24-hour rest")
	assert.Contains(t, fs[0].Evidence, "longest rest in the 7 days from 2026-11-02 00:00 is 15h40m")

	f = newFx()
	for d := range 14 {
		if d != 6 && d != 13 {
			f.day("w1", d, 9, 8*h)
		}
	}
	assert.Empty(t, only(f.check(t), RuleWTRWeek))

	// Young worker: 48 hours in each 7 days, so one day off is not enough.
	f.worker("w1").YoungWorker = true
	assert.NotEmpty(t, only(f.check(t), RuleWTRWeek))
}

func TestWTRBreak(t *testing.T) {
	f := newFx().day("w1", 0, 9, 7*h)
	fs := only(f.check(t), RuleWTRBreak)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "shift s-w1-d0-9 works 7h20m")
	assert.Contains(t, fs[0].Evidence, "no break of 0h20m")

	f = newFx().visit("a", "u1", at(0, 9, 0), 3*h).visit("b", "u2", at(0, 12, 40), 3*h).route("w1", "s1", "a", "b")
	assert.Empty(t, only(f.check(t), RuleWTRBreak))

	// 25-minute gap in a 4h55m shift: fine for an adult, not for a young worker (30 min after 4.5 h).
	f = newFx().visit("a", "u1", at(0, 9, 0), 2*h).visit("b", "u2", at(0, 11, 35), 2*h).route("w1", "s1", "a", "b")
	assert.Empty(t, only(f.check(t), RuleWTRBreak))
	f.worker("w1").YoungWorker = true
	fs = only(f.check(t), RuleWTRBreak)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "(young worker)")
}

func TestWTRNight(t *testing.T) {
	f := newFx()
	for d := range 12 {
		f.day("w1", d, 23, 9*h)
	}
	fs := only(f.check(t), RuleWTRNight)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "averages 9h20m per 24 hours over 12 days")

	f = newFx()
	for d := range 10 {
		f.day("w1", d, 23, 9*h)
	}
	assert.Empty(t, only(f.check(t), RuleWTRNight))
}

func TestYoungWorkerLimits(t *testing.T) {
	f := newFx().day("w1", 0, 9, 9*h).day("w1", 2, 22, 1*h)
	f.worker("w1").YoungWorker = true
	fs := only(f.check(t), RuleYW840)
	require.Len(t, fs, 2)
	assert.Contains(t, fs[0].Evidence, "works 9h20m on 2026-11-02; limit 8h00m a day")
	assert.Contains(t, fs[1].Evidence, "1h10m in the restricted night period")

	f = newFx()
	for d := range 6 {
		f.day("w1", d, 9, 7*h)
	}
	f.worker("w1").YoungWorker = true
	fs = only(f.check(t), RuleYW840)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "works 44h00m in week 1; limit 40h00m")

	f = newFx()
	for d := range 5 {
		f.day("w1", d, 9, 7*h)
	}
	f.worker("w1").YoungWorker = true
	assert.Empty(t, only(f.check(t), RuleYW840))
	// The same rota for an adult has no young-worker findings either.
	f.worker("w1").YoungWorker = false
	assert.Empty(t, only(f.check(t), RuleYW840))
}

func TestNMW(t *testing.T) {
	pay := func(g float64) PayPeriod {
		return PayPeriod{Worker: "w1", From: day0, To: day0.AddDate(0, 1, 0), Gross: g, MinimumRate: 12.71}
	}
	f := base()
	f.in.Pay = []PayPeriod{pay(20)} // 1h45m of NMW time: 20/1.75 = 11.43
	fs := only(f.check(t), RuleNMW)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectWorker, "w1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "1h45m of NMW time (visits 1h15m, travel between visits 0h10m, waiting 0h20m")
	assert.Contains(t, fs[0].Evidence, "£11.43 an hour, below £12.71")
	assert.Contains(t, fs[0].Evidence, "for the WTR incl. journeys from and to home 2h05m")

	// Paying visit time only (1h15m at £15.28) still breaches once travel and waiting count.
	f.in.Pay = []PayPeriod{pay(19.10)}
	assert.Len(t, only(f.check(t), RuleNMW), 1)

	f.in.Pay = []PayPeriod{pay(22.30)}
	assert.Empty(t, only(f.check(t), RuleNMW))

	// A deduction can breach.
	f.in.Pay = []PayPeriod{{Worker: "w1", From: day0, To: day0.AddDate(0, 1, 0), Gross: 22.30, Deductions: 1, MinimumRate: 12.71}}
	assert.Len(t, only(f.check(t), RuleNMW), 1)
}

func TestSkillExpired(t *testing.T) {
	hoist := func(v *schedule.Visit) { v.Skills = []care.Skill{care.SkillHoist} }
	mk := func() *fx {
		f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins, hoist).route("w1", "s1", "a")
		f.in.Equipment = []Equipment{{ID: "e1", ServiceUser: "u1", Kind: "hoist", LastExamined: at(-30, 0, 0)}}
		return f
	}
	f := mk()
	exp := at(-1, 0, 0)
	f.worker("w1").Qualifications[2].Expires = &exp
	fs := only(f.check(t), RuleSKILLExp)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "a"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "worker w1 at 2026-11-02 09:00: hoist expired on 2026-11-01")
	assert.Empty(t, only(mk().check(t), RuleSKILLExp))

	// With a training matrix, a lapsed linked course blocks too.
	f = mk()
	m := DefaultTrainingMatrix()
	f.in.Training = &m
	f.in.Completions = []Completion{{Worker: "w1", Course: "basic_life_support", Completed: at(-100, 0, 0)},
		{Worker: "w1", Course: "safeguarding_adults", Completed: at(-100, 0, 0)},
		{Worker: "w1", Course: "moving_assisting", Completed: at(-400, 0, 0)}}
	fs = only(f.check(t), RuleSKILLExp)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "course moving_assisting expired on 2026-09-28")
	f.in.Completions[2].Completed = at(-100, 0, 0)
	assert.Empty(t, only(f.check(t), RuleSKILLExp))
}

func TestMedComp(t *testing.T) {
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication }
	f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins, med).route("w1", "s1", "a")
	f.rec("w1").MedicinesCompetence = []time.Time{day0.AddDate(0, -13, 0)}
	fs := only(f.check(t), RuleMEDComp)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "last medicines competence assessment 2025-10-02, more than 12 months")
	f.rec("w1").MedicinesCompetence = nil
	fs = only(f.check(t), RuleMEDComp)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "no medicines competence assessment")
	f.rec("w1").MedicinesCompetence = []time.Time{day0.AddDate(0, -11, 0)}
	assert.Empty(t, only(f.check(t), RuleMEDComp))
}

func TestDBS(t *testing.T) {
	f := base()
	f.worker("w1").Checks.DBSLevel = care.DBSEnhanced
	fs := only(f.check(t), RuleDBS)
	require.Len(t, fs, 2, "both solo visits")
	assert.Contains(t, fs[0].Evidence, "worker w1 works alone with DBS level enhanced")

	// Twin: working alongside another worker is not solo work.
	f = newFx().visit("a", "u1", at(0, 9, 0), 30*mins, func(v *schedule.Visit) { v.Carers = 2 }).route("w1", "s1", "a").route("w2", "s2", "a")
	f.worker("w1").Checks.DBSLevel = care.DBSEnhanced
	assert.Empty(t, only(f.check(t), RuleDBS))

	// Wales requires a certificate under 3 years old; England sets no limit.
	f = base()
	old := at(-4*365, 0, 0)
	f.worker("w1").Checks.DBSDate = &old
	assert.Empty(t, only(f.check(t), RuleDBS))
	f.pack = DefaultPack(Wales)
	fs = only(f.check(t), RuleDBS)
	require.Len(t, fs, 2)
	assert.Contains(t, fs[0].Evidence, "older than 36 months")
}

func TestSupervisionAppraisal(t *testing.T) {
	f := base()
	f.rec("w1").Supervisions = []time.Time{day0.AddDate(0, -4, 0)}
	f.rec("w1").Appraisals = nil
	fs := only(f.check(t), RuleSUP3M)
	require.Len(t, fs, 2)
	assert.Equal(t, Warning, fs[0].Severity)
	ev := fs[0].Evidence + "|" + fs[1].Evidence
	assert.Contains(t, ev, "last supervision 2026-07-02, more than 3 months before the first visit")
	assert.Contains(t, ev, "no appraisal on record")
	assert.Empty(t, only(base().check(t), RuleSUP3M))
}

func TestDoubleHanded(t *testing.T) {
	two := func(v *schedule.Visit) { v.Carers = 2 }
	f := newFx().visit("a", "u1", at(0, 9, 0), time.Hour, two).route("w1", "s1", "a")
	fs := only(f.check(t), RuleDBLSync)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "a"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "1 distinct worker(s) of 2")

	f = newFx().visit("a", "u1", at(0, 9, 0), time.Hour, two).route("w1", "s1", "a").route("w2", "s2", "a")
	assert.Empty(t, only(f.check(t), RuleDBLSync))

	// The partner arrives late: not synchronised.
	f.r.Routes[1].Legs[0].Depart = at(0, 9, 0)
	f.r.Routes[1].Legs[0].Arrive = at(0, 9, 10)
	fs = only(f.check(t), RuleDBLSync)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "worker w2 arrives 2026-11-02 09:10, 0h10m after the synchronised start")
}

func TestRepositioning(t *testing.T) {
	f := newFx().visit("a", "u1", at(0, 8, 0), 30*mins).visit("b", "u1", at(0, 13, 0), 30*mins).route("w1", "s1", "a").route("w1", "s2", "b")
	f.in.Repositioning = []RepositioningNeed{{ServiceUser: "u1", Risk: HighRisk}}
	fs := only(f.check(t), RuleREPOS)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPerson, "u1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "4h30m between visit a ending 2026-11-02 08:30 and visit b; repositioning interval 4h00m (high_risk)")
	// At risk (6 hours): the same gap is fine.
	f.in.Repositioning[0].Risk = AtRisk
	assert.Empty(t, only(f.check(t), RuleREPOS))
}

func TestMedicineTiming(t *testing.T) {
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication }
	f := newFx().visit("a", "u1", at(0, 9, 45), 30*mins, med).route("w1", "s1", "a")
	f.in.Doses = []Dose{{ID: "d1", ServiceUser: "u1", Medicine: "m1", Visit: "a", Due: at(0, 9, 0)}}
	fs := only(f.check(t), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "dose d1 due 2026-11-02 09:00 planned at 2026-11-02 09:45, 0h45m off; tolerance 0h30m")
	f.in.Doses[0].Due = at(0, 9, 20)
	assert.Empty(t, only(f.check(t), RuleMEDTime))

	// Minimum interval between doses of one medicine.
	f = newFx().visit("a", "u1", at(0, 9, 0), 30*mins, med).visit("b", "u1", at(0, 12, 0), 30*mins, med).route("w1", "s1", "a", "b")
	f.in.Doses = []Dose{{ID: "d1", ServiceUser: "u1", Medicine: "m1", Visit: "a", Due: at(0, 9, 0)},
		{ID: "d2", ServiceUser: "u1", Medicine: "m1", Visit: "b", Due: at(0, 12, 0), MinInterval: schedule.Duration(4 * h)}}
	fs = only(f.check(t), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "dose d2 planned 3h00m after dose d1; minimum interval 4h00m")
	f.in.Doses[1].MinInterval = schedule.Duration(3 * h)
	assert.Empty(t, only(f.check(t), RuleMEDTime))

	// A time-critical medication visit with a target is a dose without a Dose record; unplanned is a breach.
	target := at(0, 18, 0)
	f = newFx().visit("c", "u1", at(0, 18, 40), 30*mins, med, func(v *schedule.Visit) { v.TimeCritical = true; v.Windows[0].Target = &target }).route("w1", "s1", "c")
	fs = only(f.check(t), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "0h40m off")
	f.r = &schedule.Rota{Unassigned: []schedule.Unassigned{{Visit: "c", Reason: schedule.NoShift}}}
	fs = only(f.check(t), RuleMEDTime)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "its visit is not planned")
}

func TestShortVisit(t *testing.T) {
	mk := func() *fx {
		return newFx().visit("a", "u1", at(0, 9, 0), 15*mins).route("w1", "s1", "a")
	}
	f := mk()
	fs := only(f.check(t), RuleVIS30)
	require.Len(t, fs, 1)
	assert.Equal(t, Warning, fs[0].Severity, "soft in England")
	assert.Contains(t, fs[0].Evidence, "visit of 0h15m, under 0h30m: no short-visit agreement made in advance")
	f.pack = DefaultPack(Wales)
	fs = only(f.check(t), RuleVIS30)
	require.Len(t, fs, 1)
	assert.Equal(t, Breach, fs[0].Severity, "hard in Wales")

	f = mk()
	f.in.ShortVisits = []ShortVisitAgreement{{ServiceUser: "u1", Agreed: at(-10, 0, 0), WiderPackage: true, Purpose: MedicinesPrompt}}
	assert.Empty(t, only(f.check(t), RuleVIS30))
	// The worker must be known to the person.
	f.rec("w1").KnownTo = nil
	fs = only(f.check(t), RuleVIS30)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "worker w1 is not known to the person")
}

type fixedTravel time.Duration

func (d fixedTravel) EstimateTravel(_, _ care.Location, _ care.TravelMode) (time.Duration, error) {
	return time.Duration(d), nil
}

func TestTravelTime(t *testing.T) {
	f := base()
	f.r.Routes[0].Legs[1].Arrive = at(0, 10, 5) // arrives after b starts at 10:00
	fs := only(f.check(t), RuleVISTravel)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "worker w1 arrives at 2026-11-02 10:05, after visit b starts at 2026-11-02 10:00")

	f = base()
	f.in.Travel = fixedTravel(20 * mins)
	fs = only(f.check(t), RuleVISTravel)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "allows 0h10m; estimated travel 0h20m")
	f.in.Travel = fixedTravel(10 * mins)
	assert.Empty(t, only(f.check(t), RuleVISTravel))
}

func TestWalesScheduleAndRecords(t *testing.T) {
	f := base()
	f.pack = DefaultPack(Wales)
	f.r.Routes[0].Legs = nil
	fs := only(f.check(t), RuleVISSched)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "has no travel legs")
	f.pack = DefaultPack(England)
	assert.Empty(t, only(f.check(t), RuleVISSched), "a Welsh rule, off in England")

	f = base()
	f.pack = DefaultPack(Wales)
	f.in.AsOf = at(1, 0, 0)
	f.in.Actuals = []VisitActual{{Visit: "a", Worker: "w1", Arrived: at(0, 9, 0), Left: at(0, 9, 30), NotesAt: tp(at(0, 9, 35))}}
	fs = f.check(t)
	sched := only(fs, RuleVISSched)
	require.Len(t, sched, 1)
	assert.Equal(t, Subject{SubjectVisit, "b"}, sched[0].Subject)
	rec := only(fs, RuleRECORD)
	require.Len(t, rec, 1)
	assert.Equal(t, Subject{SubjectVisit, "b"}, rec[0].Subject)
}

func TestRecordContemporaneous(t *testing.T) {
	f := base()
	f.in.AsOf = at(1, 0, 0)
	f.in.Actuals = []VisitActual{
		{Visit: "a", Worker: "w1", Arrived: at(0, 9, 0), Left: at(0, 9, 30), NotesAt: tp(at(0, 11, 0))},
		{Visit: "b", Worker: "w1", Arrived: at(0, 10, 0), Left: at(0, 10, 45), NotesAt: tp(at(0, 10, 50))}}
	fs := only(f.check(t), RuleRECORD)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "a"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "wrote the notes at 2026-11-02 11:00, after the end of their next visit (2026-11-02 10:45)")
	f.in.Actuals[0].NotesAt = tp(at(0, 9, 40))
	assert.Empty(t, only(f.check(t), RuleRECORD))
}

func TestContinuity(t *testing.T) {
	f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins).visit("b", "u1", at(1, 9, 0), 30*mins).visit("c", "u1", at(2, 9, 0), 30*mins).
		route("w1", "s1", "a").route("w2", "s2", "b").route("w3", "s3", "c")
	f.pack.Params.ContinuityMaxWorkers = 2
	fs := only(f.check(t), RuleCONTKPI)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectPerson, "u1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "3 distinct workers over 3 visits")
	f.pack.Params.ContinuityMaxWorkers = 3
	assert.Empty(t, only(f.check(t), RuleCONTKPI))
}

func TestLOLER(t *testing.T) {
	f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins, func(v *schedule.Visit) { v.Skills = []care.Skill{care.SkillHoist} }).route("w1", "s1", "a")
	fs := only(f.check(t), RuleLOLER)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "no lifting equipment examination on record")
	f.in.Equipment = []Equipment{{ID: "sling1", ServiceUser: "u1", Kind: "sling", LastExamined: day0.AddDate(0, -7, 0)}}
	fs = only(f.check(t), RuleLOLER)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectItem, "sling1"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "sling last examined 2026-04-02, more than 6 months before visit a")
	f.in.Equipment[0].LastExamined = day0.AddDate(0, -5, 0)
	assert.Empty(t, only(f.check(t), RuleLOLER))
}

func TestDignity(t *testing.T) {
	f := base()
	f.p.ServiceUsers[0].Preferences.CarerGender = care.Male
	fs := only(f.check(t), RuleDIGNITY)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "a"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "gender (female) is not the person's stated preference (male)")
	f.p.ServiceUsers[0].Preferences.CarerGender = care.Female
	assert.Empty(t, only(f.check(t), RuleDIGNITY))
	f.p.ServiceUsers[1].Preferences.ExcludedWorkers = []care.WorkerID{"w1"}
	fs = only(f.check(t), RuleDIGNITY)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "b"}, fs[0].Subject)
}

func TestMAR(t *testing.T) {
	f := base()
	f.in.AsOf = at(1, 0, 0)
	f.in.Medicines = []MedicineSupport{{ServiceUser: "u1", Medicine: "m1", Level: Administering, Visits: []schedule.VisitID{"a"}}}
	fs := only(f.check(t), RuleMEDMAR)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "medicine m1 (administering): no MAR entry")
	f.in.MAR = []MAREntry{{Visit: "a", Medicine: "m1", Worker: "w1", Outcome: MARDeclined, At: at(0, 9, 10)}}
	fs = only(f.check(t), RuleMEDMAR)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "not signed")
	f.in.MAR[0].Signed = true
	assert.Empty(t, only(f.check(t), RuleMEDMAR))
}

func TestPackSwitchesRules(t *testing.T) {
	f := base().day("w1", 0, 21, 30*mins).day("w1", 1, 6, 30*mins)
	require.NoError(t, f.pack.Set(RuleWTR11, false, Breach))
	assert.Empty(t, only(f.check(t), RuleWTR11))
	require.NoError(t, f.pack.Set(RuleWTR11, true, Warning))
	fs := only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Equal(t, Warning, fs[0].Severity)
	err := f.pack.Set("NOPE", true, Breach)
	assert.True(t, errors.Is(err, ErrUnknownRule))
	assert.Error(t, f.pack.Set(RuleWTR11, true, "severe"))
}

func TestAssignmentsOnlyRota(t *testing.T) {
	// A hand-made rota with no routes: working time comes from the assignments.
	f := newFx().visit("eve", "u1", at(0, 21, 0), 30*mins).visit("early", "u1", at(1, 6, 0), 30*mins)
	f.assign("eve", "w1")
	f.assign("early", "w1")
	fs := only(f.check(t), RuleWTR11)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "rest of 8h30m between shift unrouted-2026-11-02 (ending 2026-11-02 21:30) and shift unrouted-2026-11-03")

	// In a rota with routes, a double-handed visit missing from a partner's routes is reported.
	two := func(v *schedule.Visit) { v.Carers = 2 }
	f = newFx().visit("a", "u1", at(0, 9, 0), time.Hour, two).route("w1", "s1", "a")
	f.assign("a", "w2")
	fs = only(f.check(t), RuleDBLSync)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "worker w2 is assigned but the visit is on none of their routes")
}

// TestSkillReservedRole: nursing, chiropody and befriending (by kind or by
// skill) are for nurses, chiropodists and befrienders only (care.RoleFor),
// whatever skills another worker holds.
func TestSkillReservedRole(t *testing.T) {
	nursing := func(v *schedule.Visit) { v.Kind = schedule.Nursing; v.Skills = []care.Skill{care.SkillNursing} }
	mk := func(role care.Role) *fx {
		f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins, nursing).route("w1", "s1", "a")
		w := f.worker("w1")
		w.Role = role
		w.Qualifications = append(w.Qualifications, care.Qualification{Skill: care.SkillNursing, Obtained: at(-400, 0, 0)})
		return f
	}
	fs := only(mk(care.RoleCareWorker).check(t), RuleSKILLExp)
	require.Len(t, fs, 1)
	assert.Equal(t, Subject{SubjectVisit, "a"}, fs[0].Subject)
	assert.Contains(t, fs[0].Evidence, "a nursing visit is for the nurse role, not care_worker")
	assert.Contains(t, fs[0].Evidence, "nursing is reserved to the nurse role, not care_worker")
	assert.Empty(t, only(mk(care.RoleNurse).check(t), RuleSKILLExp))

	// By kind alone: befriending with no skills listed.
	befriend := func(v *schedule.Visit) { v.Kind = schedule.Befriending; v.Skills = nil }
	f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins, befriend).route("w1", "s1", "a")
	fs = only(f.check(t), RuleSKILLExp)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "a befriending visit is for the befriender role")
	f.worker("w1").Role = care.RoleBefriender
	assert.Empty(t, only(f.check(t), RuleSKILLExp))
}

// A double-handed visit whose second seat is shorter (SeatDurations): w2
// leaves d after its 20-minute seat and goes on to b; no travel breach,
// while w1 stays the full hour. Without the seat durations w2 would leave
// 40 minutes before d ends.
func TestSeatDurationsTravel(t *testing.T) {
	mk := func(seats bool) *fx {
		f := newFx().visit("d", "u1", at(0, 9, 0), time.Hour, func(v *schedule.Visit) {
			v.Carers = 2
			if seats {
				v.SeatDurations = []schedule.Duration{schedule.Minutes(60), schedule.Minutes(20)}
			}
		}).visit("b", "u2", at(0, 9, 30), 30*time.Minute).route("w1", "s1", "d").route("w2", "s2", "d", "b")
		// w2 leaves d at 09:20 (end of the short seat) and arrives at b 09:30.
		legs := f.r.Routes[1].Legs
		legs[1].Depart, legs[1].Arrive, legs[1].Wait = at(0, 9, 20), at(0, 9, 30), 0
		return f
	}
	f := mk(true)
	require.Equal(t, []care.WorkerID{"w1", "w2"}, f.r.Assignments[0].Workers, "w2 takes the short seat")
	assert.Empty(t, only(f.check(t), RuleVISTravel))
	fs := only(mk(false).check(t), RuleVISTravel)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0].Evidence, "worker w2 leaves visit d at 2026-11-02 09:20, before it ends at 2026-11-02 10:00")
}
