package careplan_test

import (
	"fmt"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
	"github.com/carecoord/care/careplan"
)

// examplePlan is a small plan: a morning visit with a wash and a
// double-handed hoist transfer, a time-critical lunchtime medicine and an
// evening visit.
func examplePlan() *careplan.Plan {
	return &careplan.Plan{
		ID: "p1", ServiceUser: "u1", Status: careplan.Draft,
		Needs: []careplan.Need{{ID: "n-hygiene", Outcome: "hygiene", Eligible: true}, {ID: "n-home", Outcome: "home-safety", Eligible: true}},
		Goals: []careplan.Goal{{ID: "g1", Words: "I want to get up and dressed every morning", Needs: []string{"n-hygiene"}}},
		Practitioners: []careplan.Practitioner{
			{ID: "agency", Kind: careplan.CareWorkers, Scheduled: true},
			{ID: "dn", Kind: careplan.DistrictNurse, Contact: "c-dn"},
		},
		Tasks: []careplan.Task{
			{ID: "wash", Kind: careplan.TaskPersonalCare, Provider: "agency", Times: []string{"08:00"}, Minutes: 30, Needs: []string{"n-hygiene"}, Goals: []string{"g1"}},
			{ID: "hoist", Kind: careplan.TaskTransfer, Provider: "agency", Times: []string{"08:00", "20:00"}, Minutes: 15, Carers: 2, Needs: []string{"n-home"}},
			{ID: "med", Kind: careplan.TaskMedicines, Provider: "agency", Times: []string{"13:00"}, Minutes: 10,
				Medicine: &careplan.Medicine{Medicine: "m1", Level: careplan.Administering, TimeCritical: true, ToleranceMinutes: 15}},
			{ID: "wound", Kind: careplan.TaskNursing, Provider: "dn", Times: []string{"11:00"}, Days: []careplan.Day{careplan.Monday, careplan.Thursday}, Minutes: 20},
		},
		Funding: careplan.Funding{
			Funders:   []careplan.Funder{{ID: "la", Kind: careplan.LocalAuthority, Covers: []careplan.TaskKind{careplan.TaskPersonalCare, careplan.TaskTransfer}}, {ID: "self", Kind: careplan.SelfFunded}},
			RateCards: []careplan.RateCard{{Provider: "agency", PerHour: 2400}},
		},
	}
}

// FromAssessment drafts a plan from an assessment: here a person who needs
// help to bathe and dress (Katz), with no other needs.
func ExampleFromAssessment() {
	a := &assessment.Assessment{ID: "a1", PersonID: "u7", Date: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	_, err := a.Add(assessment.Katz(), []assessment.Response{{Item: "bathing", Value: 0}, {Item: "dressing", Value: 0},
		{Item: "toileting", Value: 1}, {Item: "transferring", Value: 1}, {Item: "continence", Value: 1}, {Item: "feeding", Value: 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	a.Observations = assessment.Observations{Impairment: assessment.Impairment{Physical: true}}
	pic, err := assessment.Evaluate(a, assessment.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := careplan.FromAssessment(pic, careplan.DraftOptions{PlanID: "p7",
		Words: map[string]string{"hygiene": "I like a bath before breakfast"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range p.Needs {
		fmt.Printf("need %s (eligible %v) from %s\n", n.ID, n.Eligible, n.Evidence[0].Ref)
	}
	fmt.Printf("goal %s: %q\n", p.Goals[0].ID, p.Goals[0].Words)
	vs, _ := p.Visits()
	for _, v := range vs {
		fmt.Printf("visit %s: %d min, tasks %v\n", v.Time, v.Minutes, v.Tasks)
	}
	// Output:
	// need n-hygiene (eligible true) from a1/katz/bathing
	// need n-clothed (eligible true) from a1/katz/dressing
	// goal g-hygiene: "I like a bath before breakfast"
	// visit 08:00: 40 min, tasks [t-washing t-dressing]
	// visit 20:00: 30 min, tasks [t-dressing]
}

// Visits derives the recurring visits from the tasks; Patterns turns the
// scheduled ones into schedule patterns for the planner.
func ExamplePlan_Visits() {
	p := examplePlan()
	vs, err := p.Visits()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range vs {
		fmt.Printf("%s %s %v: %d min, %d carer(s), skills %v, window -%d/+%d, scheduled %v\n",
			v.Provider, v.Time, v.Days, v.Minutes, v.Carers, v.Skills, v.Before, v.After, v.Scheduled)
	}
	pats, _ := p.Patterns(time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC))
	fmt.Println(len(pats), "patterns;", pats[0].RRule, pats[0].Start)
	// Output:
	// agency 08:00 [MO TU WE TH FR SA SU]: 45 min, 2 carer(s), skills [hoist personal_care], window -30/+30, scheduled true
	// agency 13:00 [MO TU WE TH FR SA SU]: 30 min, 1 carer(s), skills [medication], window -15/+15, scheduled true
	// agency 20:00 [MO TU WE TH FR SA SU]: 30 min, 2 carer(s), skills [hoist], window -30/+30, scheduled true
	// dn 11:00 [MO TH]: 20 min, 1 carer(s), skills [nursing], window -30/+30, scheduled false
	// 3 patterns; FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU 2026-04-06T08:00
}

// WeeklyCost prices the visits from the rate card and splits the cost:
// the local authority pays for personal care and transfers, the person the rest.
func ExamplePlan_WeeklyCost() {
	est, err := examplePlan().WeeklyCost()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range est.Visits {
		fmt.Println(v.Visit, v.PerOccurrence, v.Weekly)
	}
	fmt.Println("total", est.Total, "la", est.ByFunder["la"], "self", est.ByFunder["self"], "uncosted", est.Uncosted)
	// Output:
	// p1-agency-0800 £36.00 £252.00
	// p1-agency-1300 £12.00 £84.00
	// p1-agency-2000 £24.00 £168.00
	// total £504.00 la £420.00 self £84.00 uncosted [p1-dn-1100-MO,TH]
}

// Diff lists the changes between two versions in data and words.
func ExampleDiff() {
	v1 := examplePlan()
	v2 := examplePlan()
	v2.Tasks[0].Minutes = 40
	v2.Tasks[3].Days = []careplan.Day{careplan.Tuesday, careplan.Friday}
	for _, c := range careplan.Diff(v1, v2) {
		if c.Section == "task" {
			fmt.Printf("%s [%s]\n", c.Text(), c.Category)
		}
	}
	// Output:
	// task "wash": minutes changed from 30 to 40 [care_plan]
	// task "wound": days changed from [MO TH] to [TU FR] [health]
}

// Notices works out who must be told of a change: here the wound care
// moves and a lunchtime visit is late one day. The daughter agreed to
// share the rota only; the district nurse is told of her own task.
func ExampleNotices() {
	v1 := examplePlan()
	v2 := examplePlan()
	v2.Tasks[3].Days = []careplan.Day{careplan.Tuesday, careplan.Friday}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	v2.TimeZone = "UTC"
	set, err := careplan.Notices(careplan.NoticeInput{
		Plan: v2, Changes: careplan.Diff(v1, v2), At: at,
		Rota: []careplan.RotaChange{{Date: "2026-04-02", Visit: "p1-agency-1300", FromTime: "13:00", ToTime: "13:15"}},
		Contacts: []care.Contact{
			{ID: "c-daughter", MayShare: []care.ShareCategory{care.ShareRota}},
			{ID: "c-dn", Professional: care.DistrictNurse},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range set.Notices {
		if n.Recipient != "person" {
			fmt.Print(n.Text())
		}
	}
	fmt.Println(len(set.Withheld), "items withheld")
	// Output:
	// Care plan p1: changes for c-daughter (family), to be told by 2026-04-02 11:00 UTC
	// - The visit on 2026-04-02 moves from 13:00 to 13:15.
	// Care plan p1: changes for c-dn (professional), to be told by 2026-04-02 11:00 UTC
	// - Support "nursing": days changes from [MO TH] to [TU FR].
	// - A regular visit is no longer needed (p1-dn-1100-MO,TH).
	// - A regular visit is added (p1-dn-1100-TU,FR).
	// - The visit on 2026-04-02 moves from 13:00 to 13:15.
	// 3 items withheld
}
