package assessment_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// Scoring checks every answer: PHQ-9 item 9 raises a same-day flag
// whatever the total, and bad answers are all reported, by item ID.
func ExampleInstrument_Score() {
	phq9 := assessment.PHQ9()
	r, err := phq9.Score([]assessment.Response{
		{Item: "1", Value: 0}, {Item: "2", Value: 1}, {Item: "3", Value: 0}, {Item: "4", Value: 0}, {Item: "5", Value: 0},
		{Item: "6", Value: 0}, {Item: "7", Value: 0}, {Item: "8", Value: 0}, {Item: "9", Value: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("PHQ-9 %g (%s)\n", r.Score, r.Band.Label)
	for _, f := range r.Flags {
		fmt.Printf("flag %s, %s, rule %s, evidence %s\n", f.Code, f.Escalation, f.Rule, f.Evidence[0])
	}

	_, err = phq9.Score([]assessment.Response{{Item: "1", Value: 4}, {Item: "1", Value: 0}, {Item: "99", Value: 1}})
	var re *assessment.ResponseError
	fmt.Println(errors.As(err, &re), errors.Is(err, assessment.ErrMissing), errors.Is(err, assessment.ErrOutOfRange))
	fmt.Println(strings.Split(err.Error(), "\n")[0])
	// Output:
	// PHQ-9 2 (minimal)
	// flag self-harm-risk, same-day, rule RISK-PHQ9, evidence phq9/9=1: item 9 scored 1 (at-least 1)
	// true true true
	// instrument "phq9": item "1": answer out of range: 4
}

// Evaluate turns scores and observations into needs, eligibility and
// support. An independent but lonely person is not eligible (one outcome,
// no impairment) but befriending is derived from the loneliness scores.
func ExampleEvaluate() {
	a := &assessment.Assessment{ID: "a-5", PersonID: "su-7", Date: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)}
	if _, err := a.Add(assessment.UCLA3(), []assessment.Response{{Item: "1", Value: 3}, {Item: "2", Value: 2}, {Item: "3", Value: 3}}); err != nil {
		fmt.Println(err)
		return
	}
	p, err := assessment.Evaluate(a, assessment.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := p.Need(assessment.OutcomeRelationships)
	fmt.Println(g.Regulation, g.Status, g.Meanings, g.Evidence[0])
	fmt.Println("eligible:", p.Eligibility.Eligible, "-", p.Eligibility.Outcomes.Reason)
	fmt.Println("befriending:", p.Support.Befriending.Needed, "home:", p.Home.Status)
	// Output:
	// 2(2)(g) unable [pain-distress-anxiety] ucla3=8: score 8 (at-least 6)
	// eligible: false - unable to achieve 1 specified outcome(s); two or more required (reg 2(1)(b))
	// befriending: true home: with-support
}

// Trends follow each instrument over a person's assessments: 20 → 19 → 16
// on the Barthel 0–20 form is a move out of "independent", then a fall of
// 3 points, more than the 2-point reliable change (Collin/Wade).
func ExampleTrends() {
	barthel := func(id string, month time.Month, transfers, mobility int) *assessment.Assessment {
		a := &assessment.Assessment{ID: id, PersonID: "su-1", Date: time.Date(2026, month, 1, 10, 0, 0, 0, time.UTC)}
		_, err := a.Add(assessment.Barthel20(), []assessment.Response{
			{Item: "feeding", Value: 2}, {Item: "bathing", Value: 1}, {Item: "grooming", Value: 1}, {Item: "dressing", Value: 2},
			{Item: "bowels", Value: 2}, {Item: "bladder", Value: 2}, {Item: "toilet", Value: 2},
			{Item: "transfers", Value: transfers}, {Item: "mobility", Value: mobility}, {Item: "stairs", Value: 2}})
		if err != nil {
			fmt.Println(err)
		}
		return a
	}
	history := []*assessment.Assessment{barthel("a-1", 1, 3, 3), barthel("a-2", 4, 3, 2), barthel("a-3", 7, 1, 1)}
	trends, err := assessment.Trends(history, assessment.DefaultCatalogue())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range trends {
		fmt.Printf("%s change %+g, slope %.1f/year, deteriorating %v\n", t.Instrument, t.Change, t.SlopePerYear, t.Deteriorating())
		for _, al := range t.Alerts {
			fmt.Printf("  %s %s→%s %+g (threshold %g)\n", al.Kind, al.From.AssessmentID, al.To.AssessmentID, al.Change, al.Threshold)
		}
	}
	// Output:
	// barthel20 change -4, slope -8.1/year, deteriorating true
	//   band-worse a-1→a-2 -1 (threshold 0)
	//   reliable-change a-2→a-3 -3 (threshold 2)
}

// NextReview gives the first review 6 weeks after the plan starts, sooner
// when a same-day flag or a deterioration needs it.
func ExampleNextReview() {
	a := &assessment.Assessment{ID: "a-1", PersonID: "su-3", Date: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	if _, err := a.Add(assessment.MUST(), []assessment.Response{{Item: "bmi", Value: 1}, {Item: "weight-loss", Value: 0}}); err != nil {
		fmt.Println(err)
		return
	}
	planStart := time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	r, err := assessment.NextReview([]*assessment.Assessment{a}, assessment.DefaultCatalogue(), planStart)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Due.Format(time.DateOnly), r.Reasons)
	// Output:
	// 2026-12-21 [first review within 6 weeks of the plan starting (QS123 st.5)]
}

// A result goes to FHIR R4 as a QuestionnaireResponse and comes back with
// the same score: the importer re-scores the answers and checks the score
// and band it carries.
func ExampleExportQuestionnaireResponse() {
	cat := assessment.DefaultCatalogue()
	a := &assessment.Assessment{ID: "a-9", PersonID: "su-4", Assessor: "w-1", Date: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	r, err := a.Add(assessment.GAD7(), []assessment.Response{{Item: "1", Value: 2}, {Item: "2", Value: 2}, {Item: "3", Value: 1},
		{Item: "4", Value: 1}, {Item: "5", Value: 1}, {Item: "6", Value: 2}, {Item: "7", Value: 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	qr, err := assessment.ExportQuestionnaireResponse(a, r, cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	raw, err := json.Marshal(qr)
	if err != nil {
		fmt.Println(err)
		return
	}
	var back assessment.QuestionnaireResponse
	if err := json.Unmarshal(raw, &back); err != nil {
		fmt.Println(err)
		return
	}
	imp, err := assessment.ImportQuestionnaireResponse(&back, cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, _ := imp.Result(assessment.IDGAD7)
	fmt.Println(qr.Questionnaire, qr.Status, len(qr.Item), "items")
	fmt.Printf("exported %g (%s), imported %g (%s)\n", r.Score, r.Band.Code, got.Score, got.Band.Code)
	obs, err := assessment.ExportObservation(a, r, cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(obs.Code.Coding[0].System, obs.Code.Coding[0].Code, obs.ValueQuantity.Value)
	// Output:
	// https://carecoord.github.io/care/fhir/Questionnaire/gad7|gad7 completed 9 items
	// exported 10 (moderate), imported 10 (moderate)
	// http://loinc.org 70274-6 10
}

// DecodeAssessment reads JSON, validates it and re-scores every result, so
// an edited score is caught.
func ExampleDecodeAssessment() {
	doc := `{"id":"a-1","personId":"su-1","date":"2026-11-02T10:00:00Z",
	 "results":[{"instrument":"phq2","version":"phq2","responses":[{"item":"1","value":2},{"item":"2","value":2}],"score":1}],
	 "observations":{}}`
	_, err := assessment.DecodeAssessment(strings.NewReader(doc), assessment.DefaultCatalogue())
	fmt.Println(errors.Is(err, assessment.ErrScoreMismatch))
	fixed := strings.Replace(doc, `"score":1`, `"score":4,"band":{"min":3,"code":"positive","label":""}`, 1)
	a, err := assessment.DecodeAssessment(strings.NewReader(fixed), assessment.DefaultCatalogue())
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := a.Result(assessment.IDPHQ2)
	fmt.Println(r.Score, r.Band.Label, r.HasFlag(assessment.FlagAdministerFull))
	// Output:
	// true
	// 4 positive screen: administer PHQ-9 true
}

// Falls are not predicted (NICE NG249): the profile records falls and
// case-finding criteria, and says whether a multifactorial assessment is due.
func ExampleFallsProfile_CaseFinding() {
	p := assessment.FallsProfile{Age: 78, FallsLast12Months: 1, GaitBalanceProblems: true,
		RiskFactors: []assessment.FallsRiskFactor{assessment.FallsVision}}
	ok, ev := p.CaseFinding()
	fmt.Println(ok, p.Stratum())
	for _, e := range ev {
		fmt.Println(e)
	}
	// Output:
	// true intermediate
	// gaitBalanceProblems=1: gait or balance problems
	// age=78: aged 65 or over (NG249)
}

// Licensed instruments ship without wording; the licensee adds it.
func ExampleInstrument_WithText() {
	braden := assessment.Braden()
	fmt.Printf("shipped text: %q\n", braden.Items[0].Text)
	licensed, err := braden.WithText(map[string]string{"sensory": "wording from the licence holder"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("licensee's text: %q\n", licensed.Items[0].Text)
	// Output:
	// shipped text: ""
	// licensee's text: "wording from the licence holder"
}
