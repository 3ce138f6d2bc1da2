package export_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/export"
)

// smallRota returns a one-morning problem (two people, one worker) and the
// rota planned for it, as routing.Solve would return it.
func smallRota() (*schedule.Problem, *schedule.Rota) {
	day := func(h, m int) time.Time { return time.Date(2026, 3, 23, h, m, 0, 0, time.UTC) }
	home := care.NewLocation(51.455, -0.975)
	p := &schedule.Problem{
		Name: "example", Start: day(0, 0), End: day(23, 59), TimeZone: "Europe/London",
		ServiceUsers: []care.ServiceUser{
			{ID: "su1", DisplayName: "A. Person", Location: care.NewLocation(51.46, -0.97)},
			{ID: "su2", Location: care.NewLocation(51.45, -0.99)},
		},
		Workers: []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "su1", Duration: schedule.Minutes(30), Kind: schedule.PersonalCare,
				Windows: []schedule.Window{{Earliest: day(8, 0), Latest: day(9, 0)}}},
			{ID: "v2", ServiceUser: "su2", Duration: schedule.Minutes(15), Kind: schedule.Medication,
				Windows: []schedule.Window{{Earliest: day(9, 0), Latest: day(10, 0)}}},
			{ID: "v3", ServiceUser: "su2", Duration: schedule.Minutes(30), Kind: schedule.Meal,
				Windows: []schedule.Window{{Earliest: day(18, 0), Latest: day(19, 0)}}},
		},
		Shifts: []schedule.Shift{{ID: "s1", Worker: "w1", Start: day(7, 30), End: day(12, 0)}},
		Rules:  schedule.UKDefaults(), Weights: schedule.Weights{Unassigned: 1000},
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{
			{Visit: "v1", Workers: []care.WorkerID{"w1"}, Start: day(8, 0)},
			{Visit: "v2", Workers: []care.WorkerID{"w1"}, Start: day(9, 0)},
		},
		Routes: []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"v1", "v2"}, Legs: []schedule.Leg{
			{To: "v1", Depart: day(7, 52), Arrive: day(8, 0), Travel: schedule.Minutes(8), Distance: 1100},
			{From: "v1", To: "v2", Depart: day(8, 30), Arrive: day(8, 41), Travel: schedule.Minutes(11), Distance: 1900, Wait: schedule.Minutes(19)},
			{From: "v2", Depart: day(9, 15), Arrive: day(9, 24), Travel: schedule.Minutes(9), Distance: 1300},
		}}},
		Unassigned: []schedule.Unassigned{{Visit: "v3", Reason: schedule.NoShift}},
	}
	return p, r
}

// A spreadsheet of the visits: IDs and local times only unless asked.
func ExampleWriteCSV() {
	p, r := smallRota()
	if err := export.WriteCSV(os.Stdout, p, r, export.Options{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// visit,service_user,workers,planned_start,planned_end,duration_min,window_earliest,window_latest,travel_before_min,waiting_min,status,reason
	// v1,su1,w1,2026-03-23T08:00:00Z,2026-03-23T08:30:00Z,30,2026-03-23T08:00:00Z,2026-03-23T09:00:00Z,8,0,assigned,
	// v2,su2,w1,2026-03-23T09:00:00Z,2026-03-23T09:15:00Z,15,2026-03-23T09:00:00Z,2026-03-23T10:00:00Z,11,19,assigned,
	// v3,su2,,,,30,2026-03-23T18:00:00Z,2026-03-23T19:00:00Z,,,unassigned,no_shift
}

// Routes as lines and visits as points, for any map that reads GeoJSON.
func ExampleGeoJSON() {
	p, r := smallRota()
	fc, err := export.GeoJSON(p, r, export.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fc.Features {
		fmt.Println(f.Geometry.GeoJSONType(), f.Properties["kind"], f.Properties["visit"], f.Properties["worker"])
	}
	// Output:
	// LineString route <nil> w1
	// Point visit v1 <nil>
	// Point visit v2 <nil>
	// Point unassigned v3 <nil>
}

// One calendar per worker, to import into a phone's calendar.
func ExampleWriteCalendar() {
	p, r := smallRota()
	var b strings.Builder
	stamp := time.Date(2026, 3, 20, 17, 0, 0, 0, time.UTC) // when the rota was published
	if err := export.WriteCalendar(&b, p, r, "w1", export.Options{Stamp: stamp, UIDDomain: "agency.example"}); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(b.String(), "\r\n") {
		if strings.HasPrefix(line, "UID") || strings.HasPrefix(line, "DTSTART") || strings.HasPrefix(line, "SUMMARY") {
			fmt.Println(line)
		}
	}
	// Output:
	// UID:v1.w1@agency.example
	// DTSTART:20260323T080000Z
	// SUMMARY:Visit v1
	// UID:v2.w1@agency.example
	// DTSTART:20260323T090000Z
	// SUMMARY:Visit v2
}
