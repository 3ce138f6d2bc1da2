package synth_test

import (
	"fmt"

	"github.com/carecoord/care/schedule/synth"
)

// Generate a one-day agency of 100 visits in Stockport and look at its size.
func ExampleGenerate() {
	p, err := synth.Generate(synth.Config{Seed: 7, VisitsPerDay: 100, Days: 1, Town: synth.Stockport()})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	double := 0
	for _, v := range p.Visits {
		if v.CarersNeeded() == 2 {
			double++
		}
	}
	fmt.Println(p.Name)
	fmt.Println(len(p.ServiceUsers), "people,", len(p.Visits), "visits,", double, "double-handed,", len(p.Workers), "workers")
	fmt.Println("first visit:", p.Visits[0].ID, p.Visits[0].Kind, p.Visits[0].Windows[0].Earliest.Format("15:04"))
	// Output:
	// synth-stockport-seed7-100vpd-1d
	// 32 people, 102 visits, 23 double-handed, 24 workers
	// first visit: su0001-d1-am personal_care 07:00
}

// The embedded sample agency, one week in Reading.
func ExampleSample() {
	p, err := synth.Sample()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Start.Format("Mon 2 Jan 2006"), p.TimeZone, len(p.ServiceUsers), "people,", len(p.Workers), "workers")
	// Output: Mon 23 Mar 2026 Europe/London 60 people, 14 workers
}
