package week_test

import (
	"fmt"

	"github.com/carecoord/care/examples/agency/week"
	"github.com/carecoord/care/schedule/synth"
)

// Build assesses the sample agency's people, drafts and agrees their plans and
// holds back the one whose consent is missing, with its visits.
func ExampleBuild() {
	p, err := synth.Sample()
	if err != nil {
		panic(err)
	}
	w, err := week.Build(p, 1)
	if err != nil {
		panic(err)
	}
	held, _ := w.Person(w.HeldBack[0])
	fmt.Println("people:", len(w.People))
	fmt.Println("held back:", held.Plan.ID, held.Auth.Allowed)
	fmt.Println("visits left out:", len(w.Full.Visits)-len(w.Problem.Visits) == held.Visits)
	// Output:
	// people: 60
	// held back: cp-su0016 false
	// visits left out: true
}
