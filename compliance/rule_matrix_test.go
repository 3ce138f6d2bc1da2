package compliance

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ruleCase is one rule of the catalogue shown on a record or rota that
// breaks it (a finding of the rule on the subject, with the evidence) and on
// its twin, which differs only in what makes the breach, and has no finding
// of the rule.
type ruleCase struct {
	breach, twin func(t *testing.T) []Finding
	subject      Subject
	evidence     string
}

// rotaCase builds a ruleCase from a fixture and a change that makes the breach.
func rotaCase(mk func() *fx, breakIt func(*fx), subject Subject, evidence string) ruleCase {
	return ruleCase{
		breach:  func(t *testing.T) []Finding { f := mk(); breakIt(f); return f.check(t) },
		twin:    func(t *testing.T) []Finding { return mk().check(t) },
		subject: subject, evidence: evidence,
	}
}

// recordsCase builds a ruleCase from records and a change that makes the breach.
func recordsCase(mk func() RecordsInput, breakIt func(*RecordsInput), subject Subject, evidence string) ruleCase {
	return ruleCase{
		breach:  func(t *testing.T) []Finding { in := mk(); breakIt(&in); return checkRecs(in) },
		twin:    func(t *testing.T) []Finding { return checkRecs(mk()) },
		subject: subject, evidence: evidence,
	}
}

// planCase builds a ruleCase from goodPlan and a change that makes the breach, checked as of asOf.
func planCase(asOf time.Time, breakIt func(*careplan.Plan), subject Subject, evidence string) ruleCase {
	return ruleCase{
		breach:  func(t *testing.T) []Finding { p := goodPlan(t); breakIt(p); return checkPlan(t, p, asOf) },
		twin:    func(t *testing.T) []Finding { return checkPlan(t, goodPlan(t), asOf) },
		subject: subject, evidence: evidence,
	}
}

func ruleCases() map[RuleID]ruleCase {
	w1 := Subject{SubjectWorker, "w1"}
	va := Subject{SubjectVisit, "a"}
	u1 := Subject{SubjectPerson, "u1"}
	p1 := Subject{SubjectPlan, "p1"}
	wales := func(f *fx) *fx { f.pack = DefaultPack(Wales); return f }
	one := func(opts ...func(*schedule.Visit)) func() *fx {
		return func() *fx { return newFx().visit("a", "u1", at(0, 9, 0), 30*mins, opts...).route("w1", "s1", "a") }
	}
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication }
	hoist := func(v *schedule.Visit) { v.Skills = []care.Skill{care.SkillHoist} }
	two := func(v *schedule.Visit) { v.Carers = 2 }
	days := func(n, h int, d time.Duration, skip ...int) func() *fx {
		return func() *fx {
			f := newFx()
			for i := range n {
				if !slices.Contains(skip, i) {
					f.day("w1", i, h, d)
				}
			}
			return f
		}
	}
	young := func(f *fx) { f.worker("w1").YoungWorker = true }
	withActuals := func(notes time.Time) func() *fx {
		return func() *fx {
			f := base()
			f.in.AsOf = at(1, 0, 0)
			f.in.Actuals = []VisitActual{{Visit: "a", Worker: "w1", Arrived: at(0, 9, 0), Left: at(0, 9, 30), NotesAt: tp(notes)},
				{Visit: "b", Worker: "w1", Arrived: at(0, 10, 0), Left: at(0, 10, 45), NotesAt: tp(at(0, 10, 50))}}
			return f
		}
	}
	return map[RuleID]ruleCase{
		RuleVIS30: rotaCase(func() *fx {
			f := newFx().visit("a", "u1", at(0, 9, 0), 15*mins).route("w1", "s1", "a")
			f.in.ShortVisits = []ShortVisitAgreement{{ServiceUser: "u1", Agreed: at(-10, 0, 0), WiderPackage: true, Purpose: MedicinesPrompt}}
			return f
		}, func(f *fx) { f.in.ShortVisits = nil }, va, "visit of 0h15m, under 0h30m: no short-visit agreement made in advance"),
		RuleVISTravel: rotaCase(base, func(f *fx) { f.r.Routes[0].Legs[1].Arrive = at(0, 10, 5) },
			Subject{SubjectVisit, "b"}, "worker w1 arrives at 2026-11-02 10:05, after visit b starts at 2026-11-02 10:00"),
		RuleVISSched: rotaCase(func() *fx { return wales(base()) }, func(f *fx) { f.r.Routes[0].Legs = nil },
			Subject{SubjectRoute, "s1"}, "has no travel legs"),
		RuleVISMissed: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(10, 0, 0), Plans: []PlanRecord{{ID: "p1", ServiceUser: "u1", Started: at(0, 0, 0), MissedVisitResponse: "office calls"}}}
		}, func(in *RecordsInput) { in.Plans[0].MissedVisitResponse = "" }, p1, "plan has no missed or late visit response"),
		RuleCONTKPI: rotaCase(func() *fx {
			f := newFx().visit("a", "u1", at(0, 9, 0), 30*mins).visit("b", "u1", at(1, 9, 0), 30*mins).visit("c", "u1", at(2, 9, 0), 30*mins).
				route("w1", "s1", "a").route("w2", "s2", "b").route("w3", "s3", "c")
			f.pack.Params.ContinuityMaxWorkers = 3
			return f
		}, func(f *fx) { f.pack.Params.ContinuityMaxWorkers = 2 }, u1, "3 distinct workers over 3 visits"),
		RuleDBLSync: rotaCase(func() *fx { return one(two)().route("w2", "s2", "a") },
			func(f *fx) { f.r.Routes[1].Legs[0].Depart, f.r.Routes[1].Legs[0].Arrive = at(0, 9, 0), at(0, 9, 10) },
			va, "worker w2 arrives 2026-11-02 09:10, 0h10m after the synchronised start"),
		RuleMEDTime: rotaCase(func() *fx {
			f := one(med)()
			f.in.Doses = []Dose{{ID: "d1", ServiceUser: "u1", Medicine: "m1", Visit: "a", Due: at(0, 9, 20)}}
			return f
		}, func(f *fx) { f.in.Doses[0].Due = at(0, 8, 15) }, va, "dose d1 due 2026-11-02 08:15 planned at 2026-11-02 09:00, 0h45m off"),
		RuleMEDComp: rotaCase(one(med), func(f *fx) { f.rec("w1").MedicinesCompetence = nil }, va, "no medicines competence assessment"),
		RuleSKILLExp: rotaCase(func() *fx {
			f := one(hoist)()
			f.in.Equipment = []Equipment{{ID: "e1", ServiceUser: "u1", Kind: "hoist", LastExamined: at(-30, 0, 0)}}
			return f
		}, func(f *fx) { f.worker("w1").Qualifications[2].Expires = tp(at(-1, 0, 0)) }, va, "worker w1 at 2026-11-02 09:00: hoist expired on 2026-11-01"),
		RuleDBS:   rotaCase(one(), func(f *fx) { f.worker("w1").Checks.DBSLevel = care.DBSEnhanced }, va, "worker w1 works alone with DBS level enhanced"),
		RuleSUP3M: rotaCase(one(), func(f *fx) { f.rec("w1").Supervisions = []time.Time{day0.AddDate(0, -4, 0)} }, w1, "last supervision 2026-07-02, more than 3 months"),
		RuleWTR48: rotaCase(base, func(f *fx) {
			f.rec("w1").PriorWeeks = slices.Repeat([]schedule.Duration{schedule.Duration(52 * h)}, 16)
		}, w1, "average 49h04m a week over 17 weeks"),
		RuleWTR11:   rotaCase(func() *fx { return base().day("w1", 0, 21, 30*mins).day("w1", 1, 9, 30*mins) }, func(f *fx) { *f = *base().day("w1", 0, 21, 30*mins).day("w1", 1, 6, 30*mins) }, w1, "rest of 8h10m between shift s-w1-d0-21"),
		RuleWTRWeek: rotaCase(days(14, 9, 8*h, 6, 13), func(f *fx) { *f = *days(14, 9, 8*h)() }, w1, "longest rest in the 7 days from 2026-11-02 00:00 is 15h40m"),
		RuleWTRBreak: rotaCase(func() *fx {
			return newFx().visit("a", "u1", at(0, 9, 0), 3*h).visit("b", "u2", at(0, 12, 40), 3*h).route("w1", "s1", "a", "b")
		}, func(f *fx) { *f = *newFx().day("w1", 0, 9, 7*h) }, w1, "no break of 0h20m"),
		RuleWTRNight: rotaCase(days(10, 23, 9*h), func(f *fx) { *f = *days(12, 23, 9*h)() }, w1, "averages 9h20m per 24 hours over 12 days"),
		RuleYW840:    rotaCase(func() *fx { f := days(5, 9, 7*h)(); young(f); return f }, func(f *fx) { f.day("w1", 5, 9, 7*h) }, w1, "works 44h00m in week 1; limit 40h00m"),
		RuleNMW: rotaCase(func() *fx {
			f := base()
			f.in.Pay = []PayPeriod{{Worker: "w1", From: day0, To: day0.AddDate(0, 1, 0), Gross: 22.30, MinimumRate: 12.71}}
			return f
		}, func(f *fx) { f.in.Pay[0].Gross = 19.10 }, w1, "below £12.71"),
		RuleREPOS: rotaCase(func() *fx {
			f := newFx().visit("a", "u1", at(0, 8, 0), 30*mins).visit("b", "u1", at(0, 13, 0), 30*mins).route("w1", "s1", "a").route("w1", "s2", "b")
			f.in.Repositioning = []RepositioningNeed{{ServiceUser: "u1", Risk: AtRisk}}
			return f
		}, func(f *fx) { f.in.Repositioning[0].Risk = HighRisk }, u1, "4h30m between visit a ending 2026-11-02 08:30 and visit b; repositioning interval 4h00m (high_risk)"),
		RuleCONSENT: {
			breach: func(t *testing.T) []Finding {
				f := ConsentFile{ServiceUser: "u1", Consents: []ConsentRecord{ownConsent("c1", "wash", at(-1, 10, 0))}}
				f.Consents[0].Withdrawn = tp(at(0, 8, 0))
				a, err := f.CanAction(planWash(), at(0, 9, 0))
				require.NoError(t, err)
				return a.Findings(ptrPack(England))
			},
			twin: func(t *testing.T) []Finding {
				f := ConsentFile{ServiceUser: "u1", Consents: []ConsentRecord{ownConsent("c1", "wash", at(-1, 10, 0))}}
				a, err := f.CanAction(planWash(), at(0, 9, 0))
				require.NoError(t, err)
				return a.Findings(ptrPack(England))
			},
			subject: Subject{SubjectDecision, "p1/wash"}, evidence: `consent "c1" from the person withdrawn on 2026-11-02 08:00`,
		},
		RuleREVIEW: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(50, 0, 0), Plans: []PlanRecord{{ID: "p1", ServiceUser: "u1", Started: at(0, 0, 0), MissedVisitResponse: "office calls", Reviews: []time.Time{at(40, 0, 0)}}}}
		}, func(in *RecordsInput) { in.Plans[0].Reviews = nil }, p1, "review due 2026-12-14 not held"),
		RuleRISKPHQ9: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(1, 9, 0), Screens: []RiskScreen{{ID: "r1", ServiceUser: "u1", At: at(0, 10, 0), Item9: 1, Escalated: tp(at(0, 16, 0))}}}
		}, func(in *RecordsInput) { in.Screens[0].Escalated = nil }, u1, "screen r1: PHQ-9 item 9 answered 1 on 2026-11-02 without a same-day escalation"),
		RuleCANDOUR: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(12, 0, 0), Incidents: []Incident{{ID: "i1", ServiceUser: "u1", Occurred: at(0, 9, 0), Aware: at(0, 10, 0),
				Harm: Harm{PainOrPsychDays: 30}, InPersonNotice: tp(at(1, 0, 0)), Apology: true, WrittenFollowUp: tp(at(3, 0, 0))}}}
		}, func(in *RecordsInput) { in.Incidents[0].Apology = false }, Subject{SubjectIncident, "i1"}, "notice given without a recorded apology"),
		RuleRECORD: rotaCase(withActuals(at(0, 9, 40)), func(f *fx) { f.in.Actuals[0].NotesAt = tp(at(0, 11, 0)) },
			va, "wrote the notes at 2026-11-02 11:00, after the end of their next visit (2026-11-02 10:45)"),
		RuleLOLER: rotaCase(func() *fx {
			f := one(hoist)()
			f.in.Equipment = []Equipment{{ID: "sling1", ServiceUser: "u1", Kind: "sling", LastExamined: day0.AddDate(0, -5, 0)}}
			return f
		}, func(f *fx) { f.in.Equipment[0].LastExamined = day0.AddDate(0, -7, 0) }, Subject{SubjectItem, "sling1"}, "sling last examined 2026-04-02, more than 6 months before visit a"),
		RuleSHIFTNotice: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(3, 0, 0), ShiftChanges: []ShiftChange{{ID: "ch1", Worker: "w1", Shift: "s9", Kind: ShiftMoved, ShiftStart: at(3, 8, 0), Notified: tp(at(-5, 8, 0))}}}
		}, func(in *RecordsInput) { in.ShiftChanges[0].Notified = tp(at(2, 8, 0)) }, w1, "change ch1: shift s9 due 2026-11-05 08:00 moved with 24h00m notice"),
		RuleSCHED3: recordsCase(func() RecordsInput {
			r := record("w1")
			r.Schedule3 = fullSchedule3()
			return RecordsInput{AsOf: day0, Workers: []care.Worker{worker("w1")}, WorkerRecords: []WorkerRecord{r}}
		}, func(in *RecordsInput) { in.WorkerRecords[0].Schedule3.GapsExplained = false }, w1, "7 written explanation of gaps in employment"),
		RuleSAFEGUARD: recordsCase(func() RecordsInput {
			return RecordsInput{AsOf: at(2, 0, 0), Concerns: []SafeguardingConcern{{ID: "s1", ServiceUser: "u1", Raised: at(0, 9, 0), Referred: tp(at(0, 15, 0))}}}
		}, func(in *RecordsInput) { in.Concerns[0].Referred = nil }, Subject{SubjectIncident, "s1"}, "not referred after 24h00m"),
		RuleMEDMAR: rotaCase(func() *fx {
			f := base()
			f.in.AsOf = at(1, 0, 0)
			f.in.Medicines = []MedicineSupport{{ServiceUser: "u1", Medicine: "m1", Level: Administering, Visits: []schedule.VisitID{"a"}}}
			f.in.MAR = []MAREntry{{Visit: "a", Medicine: "m1", Worker: "w1", Outcome: MARGiven, At: at(0, 9, 10), Signed: true}}
			return f
		}, func(f *fx) { f.in.MAR = nil }, va, "medicine m1 (administering): no MAR entry"),
		RuleDIGNITY: rotaCase(base, func(f *fx) { f.p.ServiceUsers[0].Preferences.CarerGender = care.Male }, va, "gender (female) is not the person's stated preference (male)"),
		RulePLAN:    planCase(at(1, 0, 0), func(p *careplan.Plan) { p.Tasks[0].Needs, p.Tasks[0].Goals = nil, nil }, p1, "task wash serves no recorded need or goal"),
		RuleMEDPlan: planCase(at(1, 0, 0), func(p *careplan.Plan) { p.Risks[0].Controls = nil }, Subject{SubjectItem, "p1/risk/r-falls"}, "open risk r-falls (medium) has no controls recorded"),
		RuleNUTRITION: planCase(at(1, 0, 0), func(p *careplan.Plan) { p.Tasks[2].Needs = []string{"n-hygiene"} },
			p1, "eligible nutrition need n-nutrition has no meals or hydration task"),
	}
}

// TestEveryRuleBreachAndTwin shows every rule of the catalogue (and of this
// package's additions) on a record or rota that breaks it, asserting the
// rule, the subject and the evidence, and on a twin without the breach that
// has no finding of the rule. A rule added to the catalogue without a case
// fails here.
func TestEveryRuleBreachAndTwin(t *testing.T) {
	cases := ruleCases()
	for _, r := range catalogue() {
		t.Run(string(r.ID), func(t *testing.T) {
			c, ok := cases[r.ID]
			require.True(t, ok, "rule %s has no breach and twin case", r.ID)
			fs := only(c.breach(t), r.ID)
			require.NotEmpty(t, fs, "breach of %s not reported", r.ID)
			found := slices.ContainsFunc(fs, func(f Finding) bool {
				return f.Subject == c.subject && strings.Contains(f.Evidence, c.evidence)
			})
			assert.True(t, found, "no %s finding on %s with evidence %q in %v", r.ID, c.subject, c.evidence, fs)
			for _, f := range fs {
				assert.Equal(t, r.Source, f.Source)
				assert.Equal(t, r.KeyQuestion, f.KeyQuestion)
				assert.NotEmpty(t, f.Remedy)
			}
			assert.Empty(t, only(c.twin(t), r.ID), "twin of %s", r.ID)
		})
	}
	assert.Len(t, cases, len(catalogue()), "a case for a rule not in the catalogue")
}
