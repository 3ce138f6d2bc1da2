package compliance_test

import (
	"fmt"
	"os"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/schedule"
)

// A person lacks capacity to decide about personal care; their daughter holds
// a registered lasting power of attorney, but for property and financial
// affairs only, so her agreement is not consent and the task may not go live.
func ExampleConsentFile_CanAction() {
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	registered := day.AddDate(-1, 0, 0)
	file := compliance.ConsentFile{
		ServiceUser: "u1",
		Capacity: []compliance.CapacityAssessment{{ID: "ca1", Decision: "wash", At: day.AddDate(0, 0, -3), Assessor: "w9",
			Understand: compliance.Unable, Retain: compliance.Unable, UseOrWeigh: compliance.Unable, Communicate: compliance.Able,
			Impairment: compliance.Yes, Causal: compliance.Yes, SupportSteps: "easy-read leaflet; asked again after lunch"}},
		Authorities: []compliance.Authority{{ID: "lpa1", Holder: "k1", Kind: compliance.LPAPropertyFinancial, Registered: &registered}},
		Consents: []compliance.ConsentRecord{{ID: "c1", Decision: "wash", GivenBy: "k1", Given: true, Explained: "morning routine",
			Format: compliance.FormatVerbal, Understood: true, ObtainedBy: "w1", At: day.AddDate(0, 0, -2)}},
	}
	plan := compliance.Plan{ID: "p1", ServiceUser: "u1", Decisions: []compliance.Decision{{ID: "wash", Category: compliance.DecisionPersonalCare}}}
	a, err := file.CanAction(plan, day)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("allowed:", a.Allowed)
	for _, m := range a.Decisions[0].Missing {
		fmt.Println("-", m)
	}
	// Output:
	// allowed: false
	// - authority "lpa1" (lpa_property_financial) does not cover personal_care decisions
	// - no lawful authority and no best-interests decision recorded
	// - contact "k1" has no authority for this decision: recorded as consultee, not consent
}

// A hand-made rota in which one worker finishes at 21:40 and starts again at
// 05:50 the next morning, checked under the English rule pack.
func ExampleCheckRota() {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	dbs := day.AddDate(-1, 0, 0)
	p := &schedule.Problem{Start: day, End: day.AddDate(0, 0, 7), TimeZone: "Europe/London", Rules: schedule.UKDefaults(),
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.NewLocation(51.5, -0.1)}},
		Workers: []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car,
			Checks: care.EmploymentChecks{DBSLevel: care.DBSEnhancedBarredList, DBSDate: &dbs}}},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "u1", Duration: schedule.Minutes(30), Kind: schedule.PersonalCare},
			{ID: "v2", ServiceUser: "u1", Duration: schedule.Minutes(30), Kind: schedule.PersonalCare},
		}}
	leg := func(from, to schedule.VisitID, dep time.Time) schedule.Leg {
		return schedule.Leg{From: from, To: to, Depart: dep, Arrive: dep.Add(10 * time.Minute), Travel: schedule.Minutes(10)}
	}
	v1, v2 := day.Add(21*time.Hour), day.Add(30*time.Hour) // 21:00, then 06:00 the next day
	rota := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "v1", Workers: []care.WorkerID{"w1"}, Start: v1}, {Visit: "v2", Workers: []care.WorkerID{"w1"}, Start: v2}},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "eve", Visits: []schedule.VisitID{"v1"}, Legs: []schedule.Leg{leg("", "v1", v1.Add(-10*time.Minute)), leg("v1", "", v1.Add(30*time.Minute))}},
			{Worker: "w1", Shift: "morn", Visits: []schedule.VisitID{"v2"}, Legs: []schedule.Leg{leg("", "v2", v2.Add(-10*time.Minute)), leg("v2", "", v2.Add(30*time.Minute))}},
		}}
	recs := []compliance.WorkerRecord{{Worker: "w1", Supervisions: []time.Time{day.AddDate(0, -1, 0)}, Appraisals: []time.Time{day.AddDate(0, -2, 0)}}}
	pack := compliance.DefaultPack(compliance.England)
	fs, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: p, Rota: rota, Workers: recs})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := compliance.NewReport(fs)
	if err := r.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// key_question,severity,rule,source,subject_kind,subject_id,related,at,evidence,remedy
	// well-led,breach,WTR-11,"WTR 1998 regs 10, 24",worker,w1,,2026-11-03T05:50:00Z,rest of 8h10m between shift eve (ending 2026-11-02 21:40) and shift morn (starting 2026-11-03 05:50); at least 11h00m is owed,"move the later shift so the rest reaches the minimum, or log equivalent compensatory rest (WTR reg 24)"
}

// A care plan made with package careplan goes through the consent gate task
// by task, and its contents are checked against Regulations 9, 12 and 14.
func ExampleCheckCarePlan() {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	plan := &careplan.Plan{ID: "p1", ServiceUser: "u1", Status: careplan.Draft, TimeZone: "UTC",
		MissedVisitResponse: "office phones within 15 minutes",
		Needs:               []careplan.Need{{ID: "n1", Outcome: "hygiene", Eligible: true}, {ID: "n2", Outcome: "nutrition", Eligible: true}},
		Goals:               []careplan.Goal{{ID: "g1", Words: "I want to stay in my own home", Needs: []string{"n1"}}},
		Practitioners:       []careplan.Practitioner{{ID: "agency", Kind: careplan.CareWorkers, Scheduled: true}},
		Tasks: []careplan.Task{
			{ID: "wash", Kind: careplan.TaskPersonalCare, Provider: "agency", Times: []string{"08:00"}, Minutes: 30, Needs: []string{"n1"}},
			{ID: "meds", Kind: careplan.TaskMedicines, Provider: "agency", Times: []string{"08:00", "10:00"}, Minutes: 10, Needs: []string{"n1"},
				Medicine: &careplan.Medicine{Medicine: "m1", Level: careplan.Prompting, MinIntervalHours: 4}},
		},
		Agreement: &careplan.Agreement{By: "person", At: start},
	}
	if err := plan.Transition(careplan.Agreed, start, "w9"); err != nil {
		fmt.Println(err)
		return
	}
	consents := compliance.ConsentFile{ServiceUser: "u1", Consents: []compliance.ConsentRecord{{ID: "c1", Decision: "wash", Given: true,
		Explained: "morning wash", Format: compliance.FormatVerbal, Understood: true, ObtainedBy: "w9", At: start}}}
	auth, err := consents.CanActionPlan(plan, start.Add(time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(auth.Err())

	pack := compliance.DefaultPack(compliance.England)
	fs, err := compliance.CheckCarePlan(&pack, compliance.CarePlanInput{Plan: plan, AsOf: start.Add(time.Hour)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fs {
		fmt.Println(f)
	}
	// Output:
	// plan "p1": no valid consent or lawful authority: decision "meds": no consent recorded from the person
	// breach MED-TIME decision p1/meds: medicine m1 planned at 08:00 and 10:00, 2h00m apart; minimum interval 4h
	// breach NUTRITION plan p1: eligible nutrition need n2 has no meals or hydration task
	// breach NUTRITION plan p1: nutrition is in scope but no nutrition screening ('MUST') is recorded
	// breach PLAN plan p1: eligible need n2 (nutrition) is met by no task and the plan does not say who meets it
}
