// Command careplan is a small example: it drafts a care plan from the
// assessment of a person home after a hip fracture, funds and agrees it,
// prints the visits and the weekly cost, then records a change after the
// OT's moving-and-handling assessment and prints what changed, who must be
// told what, the OT's report and the FHIR R4 CarePlan.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/assessment"
	"github.com/carecoord/care/careplan"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "careplan:", err)
		os.Exit(1)
	}
}

// FHIRMarker precedes the FHIR CarePlan JSON in the output.
const FHIRMarker = "--- FHIR CarePlan ---"

// run writes the example's report to w.
func run(w io.Writer) error {
	assessed := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	a := &assessment.Assessment{ID: "a-9", PersonID: "su-9", Assessor: "w-3", Date: assessed,
		Observations: assessment.Observations{Impairment: assessment.Impairment{Physical: true}, LivesAlone: true},
		Falls: &assessment.FallsProfile{Age: 84, FallsLast12Months: 2, InjuriousFall: true,
			RiskFactors: []assessment.FallsRiskFactor{assessment.FallsOsteoporosis}}}
	// feeding bathing grooming dressing bowels bladder toilet transfers mobility stairs
	vals := []int{10, 0, 0, 5, 10, 10, 5, 5, 10, 0}
	var rs []assessment.Response
	for i, it := range assessment.Barthel100().Items {
		rs = append(rs, assessment.Response{Item: it.ID, Value: vals[i]})
	}
	if _, err := a.Add(assessment.Barthel100(), rs); err != nil {
		return err
	}
	pic, err := assessment.Evaluate(a, assessment.Options{})
	if err != nil {
		return err
	}
	p, err := careplan.FromAssessment(pic, careplan.DraftOptions{PlanID: "cp-9",
		Words: map[string]string{"home-safety": "I want to potter in my garden again"}})
	if err != nil {
		return err
	}
	if ot, ok := p.Practitioner("ot"); ok {
		ot.Contact = "c-ot"
	}
	p.Funding = careplan.Funding{
		Funders: []careplan.Funder{
			{ID: "la", Kind: careplan.LocalAuthority, Covers: []careplan.TaskKind{careplan.TaskPersonalCare, careplan.TaskTransfer}, WeeklyCap: 40000},
			{ID: "self", Kind: careplan.SelfFunded},
		},
		RateCards: []careplan.RateCard{{Provider: "agency", PerHour: 2600, DayStart: "07:00", DayEnd: "20:00", UnsocialPercent: 20, WeekendPercent: 25}},
	}
	fmt.Fprintf(w, "Draft plan %s from assessment %s: %d needs, %d tasks, %d risks, %d referrals\n",
		p.ID, p.Assessment, len(p.Needs), len(p.Tasks), len(p.Risks), len(p.Referrals))
	vs, err := p.Visits()
	if err != nil {
		return err
	}
	for _, v := range vs {
		fmt.Fprintf(w, "  visit %s every day: %d min, %d carer(s), skills %v\n", v.Time, v.Minutes, v.Carers, v.Skills)
	}
	est, err := p.WeeklyCost()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Weekly cost %s: local authority %s, self-funded %s\n", est.Total, est.ByFunder["la"], est.ByFunder["self"])

	var h careplan.History
	agreed := assessed.AddDate(0, 0, 3)
	p.Agreement = &careplan.Agreement{By: "person", At: agreed}
	if err := p.Transition(careplan.Agreed, agreed, "coord-1"); err != nil {
		return err
	}
	if err := p.Transition(careplan.Active, agreed.AddDate(0, 0, 1), "coord-1"); err != nil {
		return err
	}
	v1, err := h.Save(p, "coord-1", "agreed with the person", agreed.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	due, err := p.NextReview(careplan.ReviewPolicy{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Active from %s; first review due %s\n", p.Start.Format(time.DateOnly), due.Due.Format(time.DateOnly))

	// The OT's assessment: single-handed transfers with a stand aid; the evening call moves earlier.
	changed := agreed.AddDate(0, 0, 10)
	tr, _ := p.Task("t-transfers")
	tr.Carers, tr.Times = 1, []string{"08:00", "19:30"}
	tr.Description = "help with transfers with a stand aid (one carer, OT assessment)"
	dr, _ := p.Task("t-dressing")
	dr.Times = []string{"08:00", "19:30"}
	tg, _ := p.Task("t-toileting")
	tg.Times = []string{"08:00", "12:30", "19:30"}
	v2, err := h.Save(p, "coord-1", "OT moving-and-handling assessment: single-handed", changed)
	if err != nil {
		return err
	}
	changes := careplan.Diff(&v1.Plan, &v2.Plan)
	fmt.Fprintf(w, "Version %d -> %d: %d changes\n", v1.Number, v2.Number, len(changes))
	for _, c := range changes {
		if c.Section == "task" {
			fmt.Fprintf(w, "  %s\n", c.Text())
		}
	}
	registered := assessed.AddDate(-1, 0, 0)
	set, err := careplan.Notices(careplan.NoticeInput{Plan: p, Changes: changes, At: changed,
		LacksCapacity: []careplan.ConsentCategory{careplan.ConsentMovingHandling},
		Contacts: []care.Contact{
			{ID: "c-son", Relationship: "son", MayShare: []care.ShareCategory{care.ShareRota}},
			{ID: "c-niece", Relationship: "niece", Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: &registered}}},
			{ID: "c-ot", Professional: care.OccupationalTherapist},
		}})
	if err != nil {
		return err
	}
	for _, n := range set.Notices {
		fmt.Fprintf(w, "Notice to %s (%s): %d item(s) by %s\n", n.Recipient, n.Kind, len(n.Items), n.Due.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "%d items withheld\n", len(set.Withheld))
	rep, err := p.ProfessionalReport("ot")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, rep.Markdown())
	cp, err := p.FHIRCarePlan()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, FHIRMarker)
	fmt.Fprintln(w, string(b))
	return nil
}
