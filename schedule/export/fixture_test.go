package export_test

import (
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/require"
)

// Personal details in the fixture that must never appear in a default export.
const (
	nameAnn     = "Ann Example"
	nameWendy   = "Wendy One"
	addressAnn  = "1 High Street"
	accessNotes = "key safe 1234"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func locp(lat, lon float64) *care.Location { l := care.NewLocation(lat, lon); return &l }

// fixture returns a one-day problem in British Summer Time (local = UTC+1)
// and a rota for it built by hand: w1 makes v1 (double-handed with w2) and
// v2; w2 makes v1 and v3 (at a day centre, not su1's home); v4 is unassigned.
func fixture(t testing.TB) (*schedule.Problem, *schedule.Rota) {
	t.Helper()
	win := func(a, b string) []schedule.Window {
		return []schedule.Window{{Earliest: at(t, a), Latest: at(t, b)}}
	}
	p := &schedule.Problem{
		Name:     "fixture",
		Start:    at(t, "2026-06-01T00:00:00Z"),
		End:      at(t, "2026-06-02T00:00:00Z"),
		TimeZone: "Europe/London",
		ServiceUsers: []care.ServiceUser{
			{ID: "su1", DisplayName: nameAnn, Location: care.NewLocation(51.50, -0.14), Address: addressAnn, AccessNotes: accessNotes},
			{ID: "su2", DisplayName: "=HYPERLINK(1)", Location: care.NewLocation(51.52, -0.10)},
		},
		Workers: []care.Worker{
			{ID: "w1", Name: nameWendy, Role: care.RoleCareWorker, TravelMode: care.Car, Home: locp(51.51, -0.12)},
			{ID: "w2", Name: "Bob Two", Role: care.RoleCareWorker, TravelMode: care.Car, Home: locp(51.49, -0.11)},
		},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "su1", Windows: win("2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z"),
				Duration: schedule.Minutes(30), Kind: schedule.Medication, Carers: 2},
			{ID: "v2", ServiceUser: "su2", Windows: win("2026-06-01T09:30:00Z", "2026-06-01T10:30:00Z"),
				Duration: schedule.Minutes(45), Kind: schedule.PersonalCare},
			{ID: "v3", ServiceUser: "su1", Location: locp(51.505, -0.13), Duration: schedule.Minutes(20), Kind: schedule.Befriending,
				Windows: []schedule.Window{
					{Earliest: at(t, "2026-06-01T06:00:00Z"), Latest: at(t, "2026-06-01T07:00:00Z")},
					{Earliest: at(t, "2026-06-01T12:00:00Z"), Latest: at(t, "2026-06-01T13:00:00Z")},
				}},
			{ID: "v4", ServiceUser: "su2", Windows: win("2026-06-01T18:00:00Z", "2026-06-01T19:00:00Z"),
				Duration: schedule.Minutes(30), Kind: schedule.Meal},
		},
		Shifts: []schedule.Shift{
			{ID: "s1", Worker: "w1", Start: at(t, "2026-06-01T07:00:00Z"), End: at(t, "2026-06-01T15:00:00Z")},
			{ID: "s2", Worker: "w2", Start: at(t, "2026-06-01T07:00:00Z"), End: at(t, "2026-06-01T14:00:00Z"),
				StartAt: locp(51.48, -0.15)},
		},
		Rules:   schedule.UKDefaults(),
		Weights: schedule.Weights{Unassigned: 1000},
	}
	leg := func(from, to schedule.VisitID, dep, arr string, travel, wait int, dist float64) schedule.Leg {
		return schedule.Leg{From: from, To: to, Depart: at(t, dep), Arrive: at(t, arr),
			Travel: schedule.Minutes(travel), Wait: schedule.Minutes(wait), Distance: dist}
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{
			{Visit: "v2", Workers: []care.WorkerID{"w1"}, Start: at(t, "2026-06-01T09:40:00Z")},
			{Visit: "v1", Workers: []care.WorkerID{"w1", "w2"}, Start: at(t, "2026-06-01T08:10:00Z")},
			{Visit: "v3", Workers: []care.WorkerID{"w2"}, Start: at(t, "2026-06-01T12:00:00Z")},
		},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"v1", "v2"}, Legs: []schedule.Leg{
				leg("", "v1", "2026-06-01T07:50:00Z", "2026-06-01T08:02:00Z", 12, 8, 2500),
				leg("v1", "v2", "2026-06-01T08:40:00Z", "2026-06-01T08:55:00Z", 15, 45, 3300),
				leg("v2", "", "2026-06-01T10:25:00Z", "2026-06-01T10:35:00Z", 10, 0, 2100),
			}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"v1", "v3"}, Legs: []schedule.Leg{
				leg("", "v1", "2026-06-01T07:55:00Z", "2026-06-01T08:10:00Z", 15, 0, 3000),
				leg("v1", "v3", "2026-06-01T08:40:00Z", "2026-06-01T08:50:00Z", 10, 190, 1200),
				leg("v3", "", "2026-06-01T12:20:00Z", "2026-06-01T12:30:00Z", 10, 0, 1900),
			}},
		},
		Unassigned: []schedule.Unassigned{{Visit: "v4", Reason: schedule.NoShift}},
	}
	require.NoError(t, p.Validate())
	require.NoError(t, r.Validate(p))
	return p, r
}
