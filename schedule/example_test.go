package schedule_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/carecoord/care/schedule"
)

const exampleProblem = `{
  "name": "north-team-monday",
  "start": "2026-03-23T00:00:00Z",
  "end": "2026-03-24T00:00:00Z",
  "time_zone": "Europe/London",
  "service_users": [
    {"id": "su1", "location": {"lat": 53.4808, "lon": -2.2426}}
  ],
  "workers": [
    {"id": "w1", "role": "care_worker", "travel_mode": "car",
     "home": {"lat": 53.47, "lon": -2.25},
     "qualifications": [{"skill": "medication", "obtained": "2025-06-01T00:00:00Z"}]}
  ],
  "visits": [
    {"id": "v1", "service_user": "su1", "kind": "medication", "duration": 900,
     "skills": ["medication"], "time_critical": true,
     "windows": [{"earliest": "2026-03-23T07:45:00Z", "latest": "2026-03-23T08:15:00Z"}]}
  ],
  "shifts": [
    {"id": "s1", "worker": "w1", "start": "2026-03-23T07:00:00Z", "end": "2026-03-23T14:00:00Z"}
  ],
  "rules": {"max_shift": 43200, "min_daily_rest": 39600},
  "weights": {"unassigned": 1000000, "travel_time": 1},
  "travel": {"model": "great_circle"}
}`

// Decode a problem, which validates it, then expand a recurring visit over
// the week in which the clocks go forward: the local start stays at 08:00.
func Example() {
	p, err := schedule.Decode(strings.NewReader(exampleProblem))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Name, len(p.Visits), "visit,", len(p.Shifts), "shift")

	pt := schedule.Pattern{
		ID:       "su1-meds",
		Visit:    p.Visits[0],
		RRule:    "FREQ=WEEKLY;BYDAY=MO,WE,FR",
		Start:    "2026-03-23T08:00",
		TimeZone: "Europe/London",
		Before:   schedule.Minutes(15),
		After:    schedule.Minutes(15),
	}
	loc, _ := p.Loc()
	visits, err := pt.Expand(time.Date(2026, 3, 23, 0, 0, 0, 0, loc), time.Date(2026, 4, 4, 0, 0, 0, 0, loc))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range visits {
		w := v.Windows[0]
		fmt.Println(v.ID, w.Earliest.In(loc).Format("15:04"), "to", w.Latest.In(loc).Format("15:04 MST"))
	}

	// A broken problem: every error names the record, its ID and the field.
	bad := strings.Replace(exampleProblem, `"duration": 900`, `"duration": 0`, 1)
	_, err = schedule.Decode(strings.NewReader(bad))
	fmt.Println(err)
	// Output:
	// north-team-monday 1 visit, 1 shift
	// su1-meds@2026-03-23T08:00 07:45 to 08:15 GMT
	// su1-meds@2026-03-25T08:00 07:45 to 08:15 GMT
	// su1-meds@2026-03-27T08:00 07:45 to 08:15 GMT
	// su1-meds@2026-03-30T08:00 07:45 to 08:15 BST
	// su1-meds@2026-04-01T08:00 07:45 to 08:15 BST
	// su1-meds@2026-04-03T08:00 07:45 to 08:15 BST
	// visit "v1": duration: must be positive, got 0s
}

// Two patterns expanded together: lunchtime medicines at least four hours
// after that day's morning call, which is not made on bank holidays.
func ExampleExpandAll() {
	loc, _ := time.LoadLocation("Europe/London")
	morning := schedule.Pattern{
		ID:           "su1-am",
		Visit:        schedule.Visit{ServiceUser: "su1", Duration: schedule.Minutes(45), Kind: schedule.PersonalCare},
		RRule:        "FREQ=DAILY",
		Start:        "2026-04-02T08:00",
		TimeZone:     "Europe/London",
		After:        schedule.Minutes(30),
		BankHolidays: schedule.SkipBankHolidays,
	}
	meds := schedule.Pattern{
		ID: "su1-lunch-meds",
		Visit: schedule.Visit{ServiceUser: "su1", Duration: schedule.Minutes(15), Kind: schedule.Medication,
			Dependencies: []schedule.Dependency{{Visit: "su1-am", MinGap: schedule.Minutes(240)}}},
		RRule:    "FREQ=DAILY",
		Start:    "2026-04-02T13:00",
		TimeZone: "Europe/London",
		After:    schedule.Minutes(30),
	}
	visits, err := schedule.ExpandAll([]schedule.Pattern{morning, meds}, time.Date(2026, 4, 2, 0, 0, 0, 0, loc), time.Date(2026, 4, 5, 0, 0, 0, 0, loc))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range visits {
		fmt.Print(v.ID)
		for _, d := range v.Dependencies {
			fmt.Print(" after ", d.Visit)
		}
		fmt.Println()
	}
	// Output:
	// su1-am@2026-04-02T08:00
	// su1-am@2026-04-04T08:00
	// su1-lunch-meds@2026-04-02T13:00 after su1-am@2026-04-02T08:00
	// su1-lunch-meds@2026-04-03T13:00
	// su1-lunch-meds@2026-04-04T13:00 after su1-am@2026-04-04T08:00
}
