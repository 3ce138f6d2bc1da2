package routing_test

import (
	"context"
	"fmt"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
)

// ExampleRepair: a carer rings in sick; their visit goes to a colleague and
// the Diff says who to phone.
func ExampleRepair() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}},
		Workers: []care.Worker{
			{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home},
			{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home},
		},
		Visits: []schedule.Visit{{ID: "v1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 30)}}}},
		Shifts: []schedule.Shift{
			{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0)},
			{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)},
		},
		Weights: schedule.Weights{Unassigned: 1000, TravelTime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	published := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "v1", Workers: []care.WorkerID{"w1"}, Start: at(9, 0)}},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"v1"}}},
	}
	res, err := routing.Repair(context.Background(), p, published,
		[]routing.Change{{Kind: routing.WorkerUnavailable, Worker: "w1", At: at(7, 0)}}, routing.RepairOptions{Freeze: at(7, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Diff.Visits {
		fmt.Printf("%s %s: %v -> %v at %s\n", c.Visit, c.Type, c.From, c.To, c.ToStart.Format("15:04"))
	}
	for _, w := range res.Diff.Workers {
		fmt.Printf("phone %s: %d gained, %d lost\n", w.Worker, len(w.Gained), len(w.Lost))
	}
	fmt.Println("feasible:", res.Report.Feasible())
	// Output:
	// v1 reassigned: [w1] -> [w2] at 09:00
	// phone w1: 0 gained, 1 lost
	// phone w2: 1 gained, 0 lost
	// feasible: true
}

// ExampleExplain: a visit needs a hoist-trained carer and nobody on shift
// is; Explain names the block per worker and the smallest fix.
func ExampleExplain() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}},
		Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Visits: []schedule.Visit{{ID: "v1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Skills: []care.Skill{care.SkillHoist}, Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 30)}}}},
		Shifts:  []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(10, 0)}},
		Weights: schedule.Weights{Unassigned: 1000, TravelTime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	rota := &schedule.Rota{Unassigned: []schedule.Unassigned{{Visit: "v1", Reason: schedule.NoEligibleWorker}}}
	ex, err := routing.Explain(context.Background(), p, rota, routing.ExplainOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range ex.Visits {
		for _, w := range v.Workers {
			fmt.Printf("%s / %s: %s\n", v.Visit, w.Worker, w.Block)
		}
		// Adding the skill is the only change needed: -1000 penalty, +10 min travel.
		f := v.Fix
		fmt.Printf("fix: %s %s for %s, start %s, cost %+.0f\n", f.Kind, f.Skill, f.Worker, f.Start.Format("15:04"), f.Cost.Total)
	}
	// Output:
	// v1 / w1: skill_missing
	// fix: add_skill hoist for w1, start 09:00, cost -990
}

// ExampleRecommend: an urgent visit needs two carers; Recommend ranks the
// pairs of workers who can start it together, by the change of the
// objective, with the common start and the reason.
func ExampleRecommend() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}},
		Weights:      schedule.Weights{Unassigned: 1000, Shift: 10, TravelTime: 1},
		Travel:       schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	for i, start := range []time.Time{at(8, 0), at(8, 0), at(9, 0)} {
		w := care.WorkerID(fmt.Sprintf("w%d", i+1))
		p.Workers = append(p.Workers, care.Worker{ID: w, Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home})
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID(fmt.Sprintf("s%d", i+1)), Worker: w, Start: start, End: at(12, 0)})
	}
	urgent := schedule.Visit{ID: "urgent", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30), Carers: 2,
		Windows: []schedule.Window{{Earliest: at(8, 30), Latest: at(10, 0)}}}
	recs, err := routing.Recommend(context.Background(), p, &schedule.Rota{}, "urgent", 2, routing.RecommendOptions{NewVisit: &urgent})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range recs {
		// Each new route: +10 shift, +10 minutes of travel; the penalty saved.
		fmt.Printf("%s and %s at %s: %+.0f\n", r.Worker, r.Partner, r.Start.Format("15:04"), r.Cost.Total)
	}
	// Output:
	// w1 and w2 at 08:30: -960
	// w1 and w3 at 09:05: -960
}

// ExampleRecommend_delays: a new visit that must start by 08:20 fits only
// before the visit w1 starts at 08:05; Recommend says whom that delays (a
// coordinator's phone call), by how much, and puts it in the reason.
func ExampleRecommend_delays() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}},
		Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Visits: []schedule.Visit{{ID: "k1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20),
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}}},
		Shifts:  []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0)}},
		Weights: schedule.Weights{Unassigned: 1000, TravelTime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	rota := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "k1", Workers: []care.WorkerID{"w1"}, Start: at(8, 5)}},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	urgent := schedule.Visit{ID: "urgent", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10),
		Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(8, 20)}}}
	recs, err := routing.Recommend(context.Background(), p, rota, "urgent", 1, routing.RecommendOptions{NewVisit: &urgent})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := recs[0]
	fmt.Printf("%s at %s (position %d)\n", r.Worker, r.Start.Format("15:04"), r.Position)
	for _, d := range r.Delays {
		fmt.Printf("delays %s (%s): %s -> %s, %s\n", d.Visit, d.Worker, d.From.Format("15:04"), d.To.Format("15:04"), d.By)
	}
	fmt.Println(r.Reason)
	// Output:
	// w1 at 08:05 (position 0)
	// delays k1 (w1): 08:05 -> 08:15, 10m0s
	// unassigned -1000.0; already visits the service user; delays 1 other visit, by up to 10m0s
}

// ExampleCheck: a hand-made rota starts a visit after its window; check
// mode says so under the visit and the worker, with the ETA.
func ExampleCheck() {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := care.Location{0, 0}
	p := &schedule.Problem{
		Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{3, 4}}},
		Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Visits: []schedule.Visit{{ID: "v1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(8, 0)}}}},
		Shifts:  []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(12, 0)}},
		Weights: schedule.Weights{Unassigned: 1000, TravelTime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	rota := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "v1", Workers: []care.WorkerID{"w1"}}},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"v1"}}},
	}
	rep, err := routing.Check(context.Background(), p, rota, routing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := rep.Visits[0]
	fmt.Printf("%s: arrives %s\n", v.Visit, v.Stops[0].Arrival.Format("15:04"))
	for _, vi := range v.Violations {
		fmt.Println(vi.Kind, vi.Hard)
	}
	fmt.Println("w1 violations:", len(rep.Workers[0].Violations))
	// Output:
	// v1: arrives 08:05
	// window_missed true
	// w1 violations: 1
}
