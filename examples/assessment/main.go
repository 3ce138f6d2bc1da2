// Command assessment is a small example: it scores a person's assessments
// at two dates, runs the wellbeing model on the latest, prints the picture
// as JSON, the trend alerts, the next review date, the FHIR
// QuestionnaireResponse of the latest Barthel Index and the FHIR Flags of
// the picture.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/carecoord/care/assessment"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "assessment:", err)
		os.Exit(1)
	}
}

// barthel returns Barthel 0–100 responses from values in item order.
func barthel(vals ...int) []assessment.Response {
	var out []assessment.Response
	for i, it := range assessment.Barthel100().Items {
		out = append(out, assessment.Response{Item: it.ID, Value: vals[i]})
	}
	return out
}

// run writes the example's report to w.
func run(w io.Writer) error {
	cat := assessment.DefaultCatalogue()
	first := &assessment.Assessment{ID: "a-1", PersonID: "su-42", Assessor: "w-3",
		Date: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)}
	// feeding bathing grooming dressing bowels bladder toilet transfers mobility stairs
	if _, err := first.Add(assessment.Barthel100(), barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 5)); err != nil {
		return err
	}
	latest := &assessment.Assessment{ID: "a-2", PersonID: "su-42", Assessor: "w-3",
		Date: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		Observations: assessment.Observations{
			Impairment: assessment.Impairment{Physical: true}, LivesAlone: true, CannotRepositionAlone: true},
		Falls: &assessment.FallsProfile{Age: 84, FallsLast12Months: 2, InjuriousFall: true,
			RiskFactors: []assessment.FallsRiskFactor{assessment.FallsOsteoporosis}},
	}
	if _, err := latest.Add(assessment.Barthel100(), barthel(10, 0, 0, 5, 10, 10, 5, 5, 10, 0)); err != nil {
		return err
	}
	waterlow := []assessment.Response{{Item: "build", Value: 3}, {Item: "sex", Value: 2}, {Item: "age", Value: 5},
		{Item: "weight-loss", Value: 1}, {Item: "eating-poorly", Value: 0}, {Item: "continence", Value: 0},
		{Item: "mobility", Value: 3}, {Item: "surgery-orthopaedic", Value: 5}}
	if _, err := latest.Add(assessment.Waterlow(), waterlow); err != nil {
		return err
	}

	p, err := assessment.Evaluate(latest, assessment.Options{})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	fmt.Fprintln(w, "== wellbeing picture")
	if err := enc.Encode(p); err != nil {
		return err
	}

	history := []*assessment.Assessment{first, latest}
	trends, err := assessment.Trends(history, cat)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== trends")
	for _, t := range trends {
		fmt.Fprintf(w, "%s: change %+g, slope %.1f/year\n", t.Instrument, t.Change, t.SlopePerYear)
		for _, a := range t.Alerts {
			fmt.Fprintf(w, "  alert %s %s %s→%s (%+g)\n", a.Kind, a.Item, a.From.AssessmentID, a.To.AssessmentID, a.Change)
		}
	}
	review, err := assessment.NextReview(history, cat, time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== next review due %s: %v\n", review.Due.Format(time.DateOnly), review.Reasons)

	r, _ := latest.Result(assessment.IDBarthel100)
	qr, err := assessment.ExportQuestionnaireResponse(latest, r, cat)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== FHIR QuestionnaireResponse")
	if err := enc.Encode(qr); err != nil {
		return err
	}
	flags, err := assessment.ExportFlags(p)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== FHIR Flags")
	return enc.Encode(flags)
}
