package assessment_test

import (
	"fmt"
	"time"

	"github.com/carecoord/care/assessment"
)

// A person home after a hip fracture: the Barthel Index, PHQ-9 and the
// falls profile go into one assessment, and the wellbeing model derives
// needs, eligibility, support and referrals, each with its evidence.
func Example() {
	a := &assessment.Assessment{
		ID: "a-17", PersonID: "su-42", Assessor: "w-3",
		Date: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		Observations: assessment.Observations{
			Impairment: assessment.Impairment{Physical: true},
			LivesAlone: true,
		},
		Falls: &assessment.FallsProfile{Age: 84, FallsLast12Months: 2, InjuriousFall: true},
	}
	barthel := []assessment.Response{
		{Item: "feeding", Value: 10}, {Item: "bathing", Value: 0}, {Item: "grooming", Value: 5},
		{Item: "dressing", Value: 5}, {Item: "bowels", Value: 10}, {Item: "bladder", Value: 10},
		{Item: "toilet", Value: 5}, {Item: "transfers", Value: 5}, {Item: "mobility", Value: 10},
		{Item: "stairs", Value: 0},
	}
	r, err := a.Add(assessment.Barthel100(), barthel)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Barthel %g (%s)\n", r.Score, r.Band.Label)

	phq := []assessment.Response{{Item: "1", Value: 1}, {Item: "2", Value: 1}, {Item: "3", Value: 2},
		{Item: "4", Value: 1}, {Item: "5", Value: 0}, {Item: "6", Value: 0}, {Item: "7", Value: 0},
		{Item: "8", Value: 0}, {Item: "9", Value: 1}}
	r, err = a.Add(assessment.PHQ9(), phq)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("PHQ-9 %g (%s), self-harm flag: %v\n", r.Score, r.Band.Label, r.HasFlag(assessment.FlagSelfHarm))

	p, err := assessment.Evaluate(a, assessment.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range p.Needs {
		if n.Status == assessment.Unable {
			fmt.Printf("unable %s %s %v (evidence: %s)\n", n.Regulation, n.Outcome, n.Meanings, n.Evidence[0])
		}
	}
	fmt.Println("eligible:", p.Eligibility.Eligible)
	fmt.Println("personal care minutes/day:", p.Support.PersonalCareMinutesPerDay)
	fmt.Println("double-handed transfers:", p.Support.DoubleHandedTransfers.Needed)
	for _, ref := range p.Referrals {
		fmt.Printf("refer to %s (%s)\n", ref.To, ref.Urgency)
	}
	fmt.Println("home:", p.Home.Status)
	// Output:
	// Barthel 60 (severe dependency)
	// PHQ-9 6 (mild), self-harm flag: true
	// unable 2(2)(b) hygiene [without-assistance] (evidence: barthel100/bathing=0: Barthel bathing level 0 of 1: not independent)
	// unable 2(2)(c) toilet [without-assistance] (evidence: barthel100/toilet=5: Barthel toilet level 1 of 2: not independent)
	// unable 2(2)(d) clothed [without-assistance] (evidence: barthel100/dressing=5: Barthel dressing level 1 of 2: not independent)
	// unable 2(2)(e) home-safety [without-assistance endangers] (evidence: barthel100/transfers=5: Barthel transfers level 1 of 3: not independent)
	// eligible: true
	// personal care minutes/day: 95
	// double-handed transfers: true
	// refer to gp-or-crisis-same-day (same-day)
	// refer to falls-service (routine)
	// refer to occupational-therapy (routine)
	// home: with-support
}

// Scoring SWEMWBS converts the raw sum to the Rasch metric score.
func ExampleSWEMWBS() {
	in := assessment.SWEMWBS()
	var rs []assessment.Response
	for _, it := range in.Items {
		rs = append(rs, assessment.Response{Item: it.ID, Value: 3})
	}
	r, err := in.Score(rs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("raw %g → metric %.2f (%s)\n", r.Raw, r.Score, r.Band.Label)
	// Output: raw 21 → metric 19.25 (possible depression)
}
