package schedule

import (
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/require"
)

// at parses an RFC 3339 time the way encoding/json does, so that a fixture
// built with it compares equal (reflect.DeepEqual) with its decoded copy:
// same instant, same Location value, no monotonic reading.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func atp(t testing.TB, s string) *time.Time { v := at(t, s); return &v }

func locp(lat, lon float64) *care.Location { l := care.NewLocation(lat, lon); return &l }

// fullProblem returns a valid problem that sets every field of every type
// reachable from Problem, for round-trip tests.
func fullProblem(t testing.TB) *Problem {
	t.Helper()
	return &Problem{
		Name:     "full",
		Start:    at(t, "2026-03-23T00:00:00Z"),
		End:      at(t, "2026-03-24T00:00:00Z"),
		TimeZone: "Europe/London",
		ServiceUsers: []care.ServiceUser{{
			ID:          "su1",
			DisplayName: "Person One",
			Location:    care.NewLocation(51.501, -0.141),
			Address:     "1 High Street",
			AccessNotes: "key safe",
			Preferences: care.Preferences{
				PreferredWorkers: []care.WorkerID{"w1"},
				ExcludedWorkers:  []care.WorkerID{"w2"},
				CarerGender:      care.Female,
				Languages:        []string{"en", "cy"},
			},
			Contacts: []care.Contact{{
				ID: "c1", Name: "Relative", Relationship: "daughter", Phone: "01234 567890",
				Email:        "d@example.org",
				Powers:       []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: atp(t, "2020-01-02T00:00:00Z"), Scope: "all"}},
				Deputy:       &care.Deputyship{Type: care.PropertyAndFinancial, Appointed: at(t, "2021-05-01T00:00:00Z"), Until: atp(t, "2030-05-01T00:00:00Z")},
				Professional: care.GP,
				MayShare:     []care.ShareCategory{care.ShareRota, care.ShareCarePlan},
			}},
		}, {
			ID:       "su2",
			Location: care.NewLocation(51.52, -0.1),
		}},
		Workers: []care.Worker{{
			ID: "w1", Name: "Worker One", Role: care.RoleSeniorCarer,
			Qualifications: []care.Qualification{{
				Skill: care.SkillHoist, Level: 2, Obtained: at(t, "2025-01-10T00:00:00Z"), Expires: atp(t, "2027-01-10T00:00:00Z"),
			}, {Skill: care.SkillMedication, Obtained: at(t, "2024-06-01T00:00:00Z")}},
			Home:                     locp(51.51, -0.12),
			TravelMode:               care.Car,
			ContractedMinutesPerWeek: 2250,
			Checks: care.EmploymentChecks{DBSDate: atp(t, "2025-02-01T00:00:00Z"), DBSLevel: care.DBSEnhancedBarredList,
				RightToWorkUntil: atp(t, "2029-12-31T00:00:00Z")},
			Gender:      care.Female,
			Languages:   []string{"en"},
			YoungWorker: false,
		}, {
			ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Walk, YoungWorker: true,
		}},
		Visits: []Visit{{
			ID:          "v1",
			ServiceUser: "su1",
			Location:    locp(51.502, -0.142),
			Windows: []Window{{
				Earliest: at(t, "2026-03-23T08:00:00Z"), Latest: at(t, "2026-03-23T09:00:00Z"),
				Target: atp(t, "2026-03-23T08:30:00Z"), PenaltyPerMinute: 0.5,
			}, {Earliest: at(t, "2026-03-23T10:00:00+01:00"), Latest: at(t, "2026-03-23T11:00:00+01:00")}},
			Duration:   Minutes(45),
			Kind:       PersonalCare,
			Skills:     []care.Skill{care.SkillHoist},
			Carers:     2,
			SeatSkills: [][]care.Skill{{care.SkillMedication}, {}},
			// The second seat is needed only for the transfer.
			SeatDurations: []Duration{Minutes(45), Minutes(30)},
			Priority:      3,
			TimeCritical:  true,
			Pinned:        []care.WorkerID{"w1"},
			Preferred:     []care.WorkerID{"w1"},
			Excluded:      []care.WorkerID{"w2"},
			Dependencies:  []Dependency{{Visit: "v2", MinGap: Minutes(240), MaxGap: Minutes(360), Worker: DifferentWorker, From: FromEnd}},
			Load:          1,
		}, {
			ID: "v2", ServiceUser: "su2", Kind: Medication, Duration: Minutes(15),
			Windows: []Window{{Earliest: at(t, "2026-03-23T06:00:00Z"), Latest: at(t, "2026-03-23T07:00:00Z")}},
		}},
		Shifts: []Shift{{
			ID: "s1", Worker: "w1",
			Start: at(t, "2026-03-23T07:00:00Z"), End: at(t, "2026-03-23T15:00:00Z"),
			StartAt: locp(51.5, -0.13), EndAt: locp(51.505, -0.135),
			Breaks:   []Break{{Earliest: at(t, "2026-03-23T11:00:00Z"), Latest: at(t, "2026-03-23T13:00:00Z"), Length: Minutes(30)}},
			Capacity: 10,
			Cost:     25.5,
		}, {
			ID: "s2", Worker: "w2", Start: at(t, "2026-03-23T06:00:00Z"), End: at(t, "2026-03-23T12:00:00Z"),
			StartAt: locp(51.49, -0.1), EndAt: locp(51.49, -0.1),
		}},
		Leave: []Leave{{Worker: "w2", From: at(t, "2026-03-23T13:00:00Z"), To: at(t, "2026-03-23T17:00:00Z"), Reason: "annual_leave"}},
		Rules: WorkingTimeRules{
			MaxShift: Minutes(600), MinDailyRest: Minutes(660), MaxWeekly: Minutes(2880), BreakAfter: Minutes(360),
			BreakLength: Minutes(20), MaxConsecutiveDays: 6, Soft: []string{"max_weekly"},
		},
		Weights: Weights{Unassigned: 1e6, Shift: 100, TravelTime: 1, Distance: 0.1, WorkingTime: 0.5, Lateness: 2,
			Continuity: 10, Preferred: 5, Overtime: 3, Fairness: 0.25},
		Travel: Travel{
			Model:       GreatCircle,
			RoadFactor:  1.4,
			Speeds:      map[care.TravelMode]float64{care.Car: 9, care.Walk: 1.2},
			TimePerUnit: Minutes(1),
			Rounding:    Trunc1,
			Matrix: &Matrix{
				Locations: []care.Location{care.NewLocation(51.5, -0.13), care.NewLocation(51.502, -0.142)},
				Seconds:   [][]float64{{0, 120.5}, {130, 0}},
				Metres:    [][]float64{{0, 900}, {950, 0}},
			},
		},
	}
}

// fullRota returns a rota for fullProblem that sets every field.
func fullRota(t testing.TB) *Rota {
	t.Helper()
	return &Rota{
		Assignments: []Assignment{{Visit: "v1", Workers: []care.WorkerID{"w1", "w2"}, Start: at(t, "2026-03-23T08:30:00Z")}},
		Routes: []Route{{
			Worker: "w1", Shift: "s1", Visits: []VisitID{"v1"},
			Legs: []Leg{
				{To: "v1", Depart: at(t, "2026-03-23T07:50:00Z"), Arrive: at(t, "2026-03-23T08:00:00Z"), Travel: Minutes(10), Distance: 2500.5, Wait: Minutes(30)},
				{From: "v1", Depart: at(t, "2026-03-23T09:15:00Z"), Arrive: at(t, "2026-03-23T09:25:00Z"), Travel: Minutes(10), Distance: 2400},
			},
		}, {
			Worker: "w2", Shift: "s2", Visits: []VisitID{"v1"},
		}},
		Unassigned: []Unassigned{{Visit: "v2", Reason: NoShift, Detail: "no shift of an eligible worker overlaps window 1"}},
	}
}
