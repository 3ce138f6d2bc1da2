package routing_test

import (
	"context"
	"fmt"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
)

// A worker with one morning shift and two calls on a plane where one unit
// of distance takes one minute.
func ExampleSolve() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	office := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}, {ID: "u2", Location: care.Location{6, 8}}},
		Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &office}},
		Shifts:       []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0)}},
		Visits: []schedule.Visit{
			{ID: "breakfast", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
				Windows: []schedule.Window{{Earliest: at(8, 30), Latest: at(9, 0)}}},
			{ID: "meds", ServiceUser: "u2", Kind: schedule.Medication, Duration: schedule.Minutes(15),
				Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(10, 0)}}},
		},
		Weights: schedule.Weights{Unassigned: 1000, Distance: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Rota.Assignments {
		fmt.Println(a.Visit, a.Workers, a.Start.Format("15:04"))
	}
	r := res.Report.Routes[0]
	fmt.Printf("leave %s, back %s, %.0f units, feasible %v\n", r.Depart.Format("15:04"), r.Return.Format("15:04"), r.Distance, res.Report.Feasible())
	// Output:
	// breakfast [w1] 08:30
	// meds [w1] 09:05
	// leave 08:25, back 09:30, 20 units, feasible true
}
