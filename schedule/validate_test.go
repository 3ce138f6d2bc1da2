package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldErrors flattens a joined error into its *care.FieldError leaves.
func fieldErrors(t testing.TB, err error) []*care.FieldError {
	t.Helper()
	var out []*care.FieldError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *care.FieldError
		require.True(t, errors.As(e, &fe), "every leaf must be a *care.FieldError, got %T: %v", e, e)
		out = append(out, fe)
	}
	if err != nil {
		walk(err)
	}
	return out
}

// requireFieldError asserts that err holds a FieldError of kind, id and field
// whose message (Error()) contains every string in want.
func requireFieldError(t testing.TB, err error, kind, id, field string, want ...string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, care.ErrInvalid)
	var fe *care.FieldError
	require.ErrorAs(t, err, &fe)
	for _, fe := range fieldErrors(t, err) {
		if fe.Kind != kind || fe.ID != id || fe.Field != field {
			continue
		}
		msg := fe.Error()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(msg, w)
		}
		if ok {
			return
		}
	}
	t.Fatalf("no %s %q field %q error containing %q in:\n%v", kind, id, field, want, err)
}

func TestProblemValidateBadInputs(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Problem)
		kind   string
		id     string
		field  string
		want   []string
	}{
		{"window latest before earliest", func(p *Problem) {
			// London is on GMT on 23 March: local times equal UTC.
			p.Visits[0].Windows[1] = Window{Earliest: at(t, "2026-03-23T10:00:00Z"), Latest: at(t, "2026-03-23T09:00:00Z")}
		}, kindVisit, "v1", "window 2", []string{`visit "v1": window 2: latest 09:00 before earliest 10:00`}},
		{"window spanning days shows dates", func(p *Problem) {
			p.Visits[1].Windows[0].Earliest = at(t, "2026-03-23T23:30:00Z")
			p.Visits[1].Windows[0].Latest = at(t, "2026-03-23T22:00:00Z")
		}, kindVisit, "v2", "window 1", []string{"latest 22:00 before earliest 23:30"}},
		{"window outside horizon", func(p *Problem) {
			p.Visits[1].Windows[0].Latest = at(t, "2026-03-24T07:00:00Z")
		}, kindVisit, "v2", "window 1", []string{"outside the horizon", "2026-03-23 00:00"}},
		{"target outside window", func(p *Problem) {
			p.Visits[0].Windows[0].Target = atp(t, "2026-03-23T09:30:00Z")
		}, kindVisit, "v1", "window 1.target", []string{"outside the window"}},
		{"no windows", func(p *Problem) { p.Visits[1].Windows = nil }, kindVisit, "v2", "windows", []string{"at least one"}},
		{"zero duration", func(p *Problem) { p.Visits[1].Duration = 0 }, kindVisit, "v2", "duration", []string{"must be positive"}},
		{"negative duration", func(p *Problem) { p.Visits[1].Duration = -Minutes(5) }, kindVisit, "v2", "duration", []string{"-5m0s"}},
		{"three carers", func(p *Problem) { p.Visits[1].Carers = 3 }, kindVisit, "v2", "carers", []string{"1 or 2", "got 3"}},
		{"seat skills length", func(p *Problem) { p.Visits[0].SeatSkills = [][]care.Skill{{care.SkillHoist}} }, kindVisit, "v1", "seat_skills", []string{"1 seats", "needs 2"}},
		{"seat durations length", func(p *Problem) { p.Visits[0].SeatDurations = []Duration{Minutes(45)} }, kindVisit, "v1", "seat_durations", []string{"1 seats", "needs 2 carers"}},
		{"seat durations on a single-handed visit", func(p *Problem) { p.Visits[1].SeatDurations = []Duration{Minutes(15)} }, kindVisit, "v2", "seat_durations", []string{"1 seats", "needs 1 carers", "double-handed"}},
		{"seat duration not positive", func(p *Problem) { p.Visits[0].SeatDurations[1] = 0 }, kindVisit, "v1", "seat_durations[1]", []string{"must be positive", "got 0s"}},
		{"seat durations longest is not duration", func(p *Problem) { p.Visits[0].SeatDurations = []Duration{Minutes(20), Minutes(30)} }, kindVisit, "v1", "seat_durations", []string{"longest seat lasts 30m0s", "duration is 45m0s"}},
		{"dependency from unknown", func(p *Problem) { p.Visits[0].Dependencies[0].From = "middle" }, kindVisit, "v1", "dependencies[0].from", []string{`unknown reference point "middle"`, `"start"`}},
		{"bad skill code", func(p *Problem) { p.Visits[0].Skills = []care.Skill{"Hoist!"} }, kindVisit, "v1", "skills[0]", []string{"a-z"}},
		{"unknown kind", func(p *Problem) { p.Visits[1].Kind = "gardening" }, kindVisit, "v2", "kind", []string{`"gardening"`}},
		{"unknown service user", func(p *Problem) { p.Visits[1].ServiceUser = "su9" }, kindVisit, "v2", "service_user", []string{`unknown service user "su9"`}},
		{"pinned unknown worker", func(p *Problem) { p.Visits[0].Pinned = []care.WorkerID{"w9"} }, kindVisit, "v1", "pinned[0]", []string{`unknown worker "w9"`}},
		{"preferred unknown worker", func(p *Problem) { p.Visits[0].Preferred = []care.WorkerID{"w1", "w8"} }, kindVisit, "v1", "preferred[1]", []string{`unknown worker "w8"`}},
		{"pinned and excluded", func(p *Problem) { p.Visits[0].Excluded = []care.WorkerID{"w1"} }, kindVisit, "v1", "pinned[0]", []string{"both pinned and excluded"}},
		{"too many pinned", func(p *Problem) { p.Visits[1].Pinned = []care.WorkerID{"w1", "w2"} }, kindVisit, "v2", "pinned", []string{"2 workers pinned", "needs 1"}},
		{"duplicate visit", func(p *Problem) { p.Visits[1].ID = "v1"; p.Visits[0].Dependencies = nil }, kindVisit, "v1", "id", []string{"duplicate visit id"}},
		{"duplicate worker", func(p *Problem) { p.Workers[1].ID = "w1" }, kindWorker, "w1", "id", []string{"duplicate worker id"}},
		{"duplicate service user", func(p *Problem) { p.ServiceUsers[1].ID = "su1" }, kindServiceUser, "su1", "id", []string{"duplicate service user id"}},
		{"duplicate shift", func(p *Problem) { p.Shifts[1].ID = "s1" }, kindShift, "s1", "id", []string{"duplicate shift id"}},
		{"dependency on itself", func(p *Problem) { p.Visits[0].Dependencies[0].Visit = "v1" }, kindVisit, "v1", "dependencies[0].visit", []string{"itself"}},
		{"dependency unknown visit", func(p *Problem) { p.Visits[0].Dependencies[0].Visit = "v7" }, kindVisit, "v1", "dependencies[0].visit", []string{`unknown visit "v7"`}},
		{"min gap above max gap", func(p *Problem) { p.Visits[0].Dependencies[0].MinGap = Minutes(400) }, kindVisit, "v1", "dependencies[0]", []string{"min_gap 6h40m0s above max_gap 6h0m0s"}},
		{"cyclic dependencies", func(p *Problem) {
			p.Visits[1].Dependencies = []Dependency{{Visit: "v1"}}
		}, kindVisit, "v1", "dependencies", []string{"cyclic", "v1 -> v2 -> v1"}},
		{"shift end before start", func(p *Problem) { p.Shifts[0].End = at(t, "2026-03-23T06:00:00Z") }, kindShift, "s1", "end", []string{"06:00 not after start 07:00"}},
		{"shift outside horizon", func(p *Problem) { p.Shifts[0].End = at(t, "2026-03-24T01:00:00Z") }, kindShift, "s1", "", []string{"outside the horizon"}},
		{"shift unknown worker", func(p *Problem) { p.Shifts[1].Worker = "w5" }, kindShift, "s2", "worker", []string{`unknown worker "w5"`}},
		{"overlapping shifts", func(p *Problem) { p.Shifts[1].Worker = "w1" }, kindShift, "s1", "start", []string{`overlaps shift "s2"`, `worker "w1"`}},
		{"break outside shift", func(p *Problem) {
			p.Shifts[0].Breaks[0].Earliest = at(t, "2026-03-23T06:00:00Z")
		}, kindShift, "s1", "break 1", []string{"not inside the shift"}},
		{"break latest before earliest", func(p *Problem) {
			p.Shifts[0].Breaks[0].Latest = at(t, "2026-03-23T10:00:00Z")
		}, kindShift, "s1", "break 1", []string{"latest 10:00 before earliest 11:00"}},
		{"leave to before from", func(p *Problem) { p.Leave[0].To = at(t, "2026-03-23T12:00:00Z") }, kindWorker, "w2", "leave[0].to", []string{"12:00 not after from 13:00"}},
		{"overlapping windows", func(p *Problem) {
			p.Visits[0].Windows[1] = Window{Earliest: at(t, "2026-03-23T08:30:00Z"), Latest: at(t, "2026-03-23T09:30:00Z")}
		}, kindVisit, "v1", "window 2", []string{"starts 08:30, before window 1 ends at 09:00", "must not overlap"}},
		{"window inside another", func(p *Problem) {
			p.Visits[0].Windows = append(p.Visits[0].Windows, Window{Earliest: at(t, "2026-03-23T09:15:00Z"), Latest: at(t, "2026-03-23T09:20:00Z")})
		}, kindVisit, "v1", "window 3", []string{"starts 09:15, before window 2 ends at 10:00"}},
		{"break ending after the shift", func(p *Problem) {
			p.Shifts[0].Breaks[0] = Break{Earliest: at(t, "2026-03-23T14:40:00Z"), Latest: at(t, "2026-03-23T14:50:00Z"), Length: Minutes(30)}
		}, kindShift, "s1", "break 1", []string{"not inside the shift [07:00, 15:00]"}},
		{"leave after the horizon", func(p *Problem) {
			p.Leave[0].From, p.Leave[0].To = at(t, "2026-03-25T09:00:00Z"), at(t, "2026-03-25T17:00:00Z")
		}, kindWorker, "w2", "leave[0]", []string{"outside the horizon", "2026-03-25 09:00"}},
		{"leave ending as the horizon starts", func(p *Problem) {
			p.Leave[0].From, p.Leave[0].To = at(t, "2026-03-16T00:00:00Z"), at(t, "2026-03-23T00:00:00Z")
		}, kindWorker, "w2", "leave[0]", []string{"outside the horizon"}},
		{"leave unknown worker", func(p *Problem) { p.Leave[0].Worker = "w4" }, kindWorker, "w4", "leave[0].worker", []string{"unknown worker"}},
		{"unknown time zone", func(p *Problem) { p.TimeZone = "Europe/Atlantis" }, kindProblem, "full", "time_zone", []string{`"Europe/Atlantis"`}},
		{"missing time zone", func(p *Problem) { p.TimeZone = "" }, kindProblem, "full", "time_zone", []string{"required"}},
		{"end before start", func(p *Problem) { p.End = p.Start.Add(-time.Hour) }, kindProblem, "full", "end", []string{"not after start"}},
		{"negative together tolerance", func(p *Problem) { p.TogetherTolerance = -Minutes(1) }, kindProblem, "full", "together_tolerance", []string{"between 0 and 30m0s", "-1m0s"}},
		{"together tolerance over half an hour", func(p *Problem) { p.TogetherTolerance = Minutes(31) }, kindProblem, "full", "together_tolerance", []string{"got 31m0s"}},
		{"negative weight", func(p *Problem) { p.Weights.Lateness = -1 }, kindProblem, "full", "weights.lateness", []string{">= 0", "-1"}},
		{"NaN weight", func(p *Problem) { p.Weights.TravelTime = math.NaN() }, kindProblem, "full", "weights.travel_time", []string{"finite"}},
		{"negative undertime", func(p *Problem) { p.Weights.Undertime = -2 }, kindProblem, "full", "weights.undertime", []string{">= 0", "-2"}},
		{"infinite penalty", func(p *Problem) { p.Visits[0].Windows[0].PenaltyPerMinute = math.Inf(1) }, kindVisit, "v1", "window 1.penalty_per_minute", []string{"finite"}},
		{"unknown travel model", func(p *Problem) { p.Travel.Model = "teleport" }, kindProblem, "full", "travel.model", []string{`"teleport"`}},
		{"zero speed", func(p *Problem) { p.Travel.Speeds[care.Walk] = 0 }, kindProblem, "full", "travel.speeds.walk", []string{"> 0"}},
		{"road factor below 1", func(p *Problem) { p.Travel.RoadFactor = 0.8 }, kindProblem, "full", "travel.road_factor", []string{">= 1", "0.8"}},
		{"euclidean without time per unit", func(p *Problem) {
			p.Travel.Model = Euclidean
			p.Travel.TimePerUnit = 0
		}, kindProblem, "full", "travel.time_per_unit", []string{"positive"}},
		{"matrix not square", func(p *Problem) { p.Travel.Matrix.Seconds[1] = []float64{1} }, kindProblem, "full", "travel.matrix", []string{"seconds[1]", "1 entries, want 2"}},
		{"matrix negative entry", func(p *Problem) { p.Travel.Matrix.Metres[0][1] = -3 }, kindProblem, "full", "travel.matrix", []string{"metres[0][1]"}},
		{"matrix NaN entry", func(p *Problem) { p.Travel.Matrix.Seconds[0][1] = math.NaN() }, kindProblem, "full", "travel.matrix", []string{"seconds[0][1]", "NaN"}},
		{"matrix rows vs locations", func(p *Problem) {
			p.Travel.Matrix.Locations = append(p.Travel.Matrix.Locations, care.NewLocation(1, 1))
		}, kindProblem, "full", "travel.matrix", []string{"2 rows, want 3"}},
		{"explicit model needs matrix", func(p *Problem) { p.Travel.Model = Explicit; p.Travel.Matrix = nil }, kindProblem, "full", "travel.matrix", []string{"required"}},
		{"place missing from matrix", func(p *Problem) { p.Travel.Model = Explicit }, kindVisit, "v2", "location", []string{"not in travel.matrix.locations"}},
		{"latitude out of range", func(p *Problem) { p.ServiceUsers[1].Location = care.NewLocation(95, 0) }, kindServiceUser, "su2", "location", []string{"latitude 95"}},
		{"NaN location", func(p *Problem) { p.Visits[0].Location = locp(math.NaN(), 0) }, kindVisit, "v1", "location", []string{"finite"}},
		{"negative working-time limit", func(p *Problem) { p.Rules.MaxWeekly = -Minutes(1) }, kindProblem, "full", "rules.max_weekly", []string{"negative"}},
		{"unknown soft limit", func(p *Problem) { p.Rules.Soft = []string{"max_fun"} }, kindProblem, "full", "rules.soft[0]", []string{`"max_fun"`}},
		{"preference names unknown worker", func(p *Problem) {
			p.ServiceUsers[0].Preferences.ExcludedWorkers = []care.WorkerID{"w3"}
		}, kindServiceUser, "su1", "preferences.excluded_workers[0]", []string{`unknown worker "w3"`}},
		{"worker validation propagates", func(p *Problem) { p.Workers[0].Role = "wizard" }, kindWorker, "w1", "role", []string{`"wizard"`}},
		{"shift without place and worker without home", func(p *Problem) { p.Shifts[0].StartAt = nil; p.Workers[0].Home = nil }, kindShift, "s1", "start_at", []string{"has no home"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fullProblem(t)
			tc.mutate(p)
			requireFieldError(t, p.Validate(), tc.kind, tc.id, tc.field, tc.want...)
		})
	}
}

func TestProblemValidateCollectsAll(t *testing.T) {
	p := fullProblem(t)
	p.Visits[1].Duration = 0
	p.Weights.Fairness = -1
	p.Shifts[1].Worker = "nobody"
	errs := fieldErrors(t, p.Validate())
	require.Len(t, errs, 3, "%v", errs)
}

func TestCyclicDependencyLongerCycle(t *testing.T) {
	p := fullProblem(t)
	v3 := p.Visits[1]
	v3.ID = "v3"
	v3.Dependencies = []Dependency{{Visit: "v1"}}
	p.Visits[1].Dependencies = []Dependency{{Visit: "v3"}}
	p.Visits = append(p.Visits, v3)
	requireFieldError(t, p.Validate(), kindVisit, "v1", "dependencies", "v1 -> v2 -> v3 -> v1")
	assert.Len(t, fieldErrors(t, p.Validate()), 1, "one cycle reported once")
}

func TestPartValidators(t *testing.T) {
	p := fullProblem(t)
	require.NoError(t, p.Visits[0].Validate())
	require.NoError(t, p.Shifts[0].Validate())
	require.NoError(t, p.Leave[0].Validate())
	require.NoError(t, p.Rules.Validate())
	require.NoError(t, p.Weights.Validate())
	require.NoError(t, p.Travel.Validate())
	require.NoError(t, p.Travel.Matrix.Validate())
	require.NoError(t, p.Visits[0].Windows[0].Validate())
	require.NoError(t, p.Visits[0].Dependencies[0].Validate())
	require.NoError(t, UKDefaults().Validate())
	require.NoError(t, UKYoungWorkerDefaults().Validate())

	w := Window{Earliest: at(t, "2026-03-23T10:00:00Z"), Latest: at(t, "2026-03-23T09:00:00Z")}
	requireFieldError(t, w.Validate(), "window", "", "", "latest 09:00 before earliest 10:00")
	requireFieldError(t, Window{}.Validate(), "window", "", "earliest", "required")

	d := Dependency{Visit: "v", MinGap: -1}
	requireFieldError(t, d.Validate(), kindVisit, "", "dependency.min_gap", "negative")
	requireFieldError(t, Dependency{Visit: "v", Worker: "sibling"}.Validate(), kindVisit, "", "dependency.worker", `"sibling"`)

	m := &Matrix{Locations: []care.Location{care.NewLocation(0, 0), care.NewLocation(0, 0)}, Seconds: [][]float64{{0, 1}, {1, 0}}, Metres: [][]float64{{0, 1}, {1, 0}}}
	requireFieldError(t, m.Validate(), "matrix", "", "", "same place as locations[0]")

	tr := Travel{Rounding: "round"}
	requireFieldError(t, tr.Validate(), kindProblem, "", "travel.rounding", `"round"`)
	tr = Travel{Speeds: map[care.TravelMode]float64{"rocket": 100}}
	requireFieldError(t, tr.Validate(), kindProblem, "", "travel.speeds", `"rocket"`)

	r := WorkingTimeRules{BreakLength: Minutes(20), MaxConsecutiveDays: -1}
	requireFieldError(t, r.Validate(), kindProblem, "", "rules.break_after", "required")
	requireFieldError(t, r.Validate(), kindProblem, "", "rules.max_consecutive_days", "negative")

	s := Shift{ID: "s", Worker: "w", Start: at(t, "2026-03-23T07:00:00Z"), End: at(t, "2026-03-23T09:00:00Z"), Cost: -1, Capacity: -2}
	requireFieldError(t, s.Validate(), kindShift, "s", "cost", ">= 0")
	requireFieldError(t, s.Validate(), kindShift, "s", "capacity", "negative")

	v := Visit{ID: " v", ServiceUser: "u", Kind: Meal, Duration: Minutes(5), Load: -1,
		Windows: []Window{{Earliest: at(t, "2026-03-23T07:00:00Z"), Latest: at(t, "2026-03-23T09:00:00Z")}}}
	requireFieldError(t, v.Validate(), kindVisit, " v", "id", "leading or trailing space")
	requireFieldError(t, v.Validate(), kindVisit, " v", "load", "negative")
}

func TestValidateNeverPanics(t *testing.T) {
	require.NotPanics(t, func() {
		var p Problem
		err := p.Validate()
		require.Error(t, err)
		requireFieldError(t, err, kindProblem, "", "time_zone", "required")
		requireFieldError(t, err, kindProblem, "", "start", "required")
	})
	require.NotPanics(t, func() {
		p := Problem{TimeZone: "UTC", Visits: []Visit{{}}, Shifts: []Shift{{}}, Leave: []Leave{{}},
			Travel: Travel{Model: Explicit, Matrix: &Matrix{}}}
		require.Error(t, p.Validate())
	})
}

func TestMessagesUseProblemTimeZone(t *testing.T) {
	p := fullProblem(t)
	p.TimeZone = "Asia/Tokyo" // UTC+9
	p.Visits[1].Windows[0].Latest = at(t, "2026-03-23T05:00:00Z")
	err := p.Validate()
	requireFieldError(t, err, kindVisit, "v2", "window 1", "latest 14:00 before earliest 15:00")
	assert.NotContains(t, fmt.Sprint(err), "Person One", "no personal names in errors")
}

func TestProblemValidateAllowsTouchingWindowsAndStraddlingLeave(t *testing.T) {
	p := fullProblem(t)
	// v1's windows touch: the first ends at 09:00 UTC, the second starts at 10:00 BST = 09:00 UTC.
	require.True(t, p.Visits[0].Windows[0].Latest.Equal(p.Visits[0].Windows[1].Earliest))
	// Leave that began before the horizon and ends inside it is kept.
	p.Leave[0].From = at(t, "2026-03-16T00:00:00Z")
	p.Leave[0].To = at(t, "2026-03-23T12:00:00Z")
	require.NoError(t, p.Validate())
	// Windows given out of order are fine as long as they do not overlap.
	p.Visits[0].Windows[0], p.Visits[0].Windows[1] = p.Visits[0].Windows[1], p.Visits[0].Windows[0]
	require.NoError(t, p.Validate())
}

func TestDependencyFromDefaultsToEnd(t *testing.T) {
	// Every existing problem has no "from": it reads as "end", and validates.
	p := fullProblem(t)
	p.Visits[0].Dependencies[0].From = ""
	require.NoError(t, p.Validate())
	assert.False(t, p.Visits[0].Dependencies[0].StartToStart())
	p.Visits[0].Dependencies[0].From = FromStart
	require.NoError(t, p.Validate())
	assert.True(t, p.Visits[0].Dependencies[0].StartToStart())
	var d Dependency
	require.NoError(t, json.Unmarshal([]byte(`{"visit":"a","min_gap":60}`), &d))
	assert.False(t, d.StartToStart())
	require.NoError(t, json.Unmarshal([]byte(`{"visit":"a","min_gap":60,"from":"start"}`), &d))
	assert.True(t, d.StartToStart())
	assert.Equal(t, Minutes(1), d.MinGap)
}

func TestSeatDuration(t *testing.T) {
	v := Visit{Duration: Minutes(40), Carers: 2}
	assert.Equal(t, Minutes(40), v.SeatDuration(0), "no seat durations: every seat lasts Duration")
	assert.Equal(t, Minutes(40), v.SeatDuration(1))
	v.SeatDurations = []Duration{Minutes(25), Minutes(40)}
	assert.Equal(t, Minutes(25), v.SeatDuration(0))
	assert.Equal(t, Minutes(40), v.SeatDuration(1))
	assert.Equal(t, Minutes(40), v.SeatDuration(2), "out of range: Duration")
}
