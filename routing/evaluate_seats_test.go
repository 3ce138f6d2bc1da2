package routing

import (
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluateStartToStartDependencies: dependencies measured from the start
// of the other visit (From "start"), hand-worked on planar(). w1 on a then
// b: a starts 08:10 (ends 08:40), b starts 08:45, 35 minutes after a starts.
// w1 on a and w2 alone on b: b starts 08:30, 20 minutes after a starts and
// 10 minutes before a ends, which no end-to-start dependency allows.
func TestEvaluateStartToStartDependencies(t *testing.T) {
	one := []schedule.Route{route("w1", "s1", "a", "b")}
	two := []schedule.Route{route("w1", "s1", "a"), route("w2", "s2", "b")}
	dep := func(min, max int) schedule.Dependency {
		return schedule.Dependency{Visit: "a", MinGap: schedule.Minutes(min), MaxGap: schedule.Minutes(max), From: schedule.FromStart}
	}
	cases := []struct {
		name   string
		dep    schedule.Dependency
		routes []schedule.Route
		detail string // "" = holds
	}{
		{"min 40m, gap 35m", dep(40, 0), one,
			`dependency 1: starts 2026-03-02 08:45:00.000, 35m0s after visit "a" starts 2026-03-02 08:10:00.000; needs at least 40m0s`},
		{"min 35m, gap 35m", dep(35, 0), one, ""},
		{"max 30m, gap 35m", dep(0, 30), one,
			`dependency 1: starts 2026-03-02 08:45:00.000, 35m0s after visit "a" starts 2026-03-02 08:10:00.000; at most 30m0s allowed`},
		{"max 35m, gap 35m", dep(0, 35), one, ""},
		{"overlapping: 15m..25m, gap 20m", dep(15, 25), two, ""},
		{"overlapping: 25m..30m, gap 20m", dep(25, 30), two,
			`dependency 1: starts 2026-03-02 08:30:00.000, 20m0s after visit "a" starts 2026-03-02 08:10:00.000; needs at least 25m0s`},
		// The same gaps from a's end: b starts 10 minutes before a ends.
		{"from end: min 0, gap -10m", schedule.Dependency{Visit: "a"}, two,
			`dependency 1: starts 2026-03-02 08:30:00.000, -10m0s after visit "a" ends 2026-03-02 08:40:00.000; needs at least 0s`},
		{"explicit from end, same as default", schedule.Dependency{Visit: "a", From: schedule.FromEnd}, two,
			`dependency 1: starts 2026-03-02 08:30:00.000, -10m0s after visit "a" ends 2026-03-02 08:40:00.000; needs at least 0s`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := planar()
			p.Visits[1].Windows[0].Target = nil
			p.Visits[1].Dependencies = []schedule.Dependency{tc.dep}
			rep, err := Evaluate(p, rotaOf(p, tc.routes...))
			require.NoError(t, err)
			if tc.detail == "" {
				assert.Empty(t, rep.Violations)
				return
			}
			got := kinds(rep, DependencyBroken)
			require.Len(t, got, 1, "%v", rep.Violations)
			assert.True(t, got[0].Hard)
			assert.Equal(t, schedule.VisitID("b"), got[0].Visit)
			assert.Equal(t, tc.detail, got[0].Detail)
			assert.Len(t, rep.Violations, 1, "%v", rep.Violations)
		})
	}
}

// seatProblem is planar() with c double-handed, seat 0 lasting 15 minutes
// and seat 1 five, and a fourth visit d (u1, 10:00-12:00, 10 minutes).
func seatProblem() *schedule.Problem {
	p := planar()
	p.Visits[1].Windows[0].Target = nil
	p.Visits[2].Carers = 2
	p.Visits[2].SeatDurations = []schedule.Duration{schedule.Minutes(15), schedule.Minutes(5)}
	p.Visits = append(p.Visits, schedule.Visit{ID: "d", ServiceUser: "u1", Kind: schedule.Meal, Duration: schedule.Minutes(10),
		Windows: []schedule.Window{{Earliest: at(10, 0), Latest: at(12, 0)}}})
	return p
}

// TestEvaluateSeatDurations: each worker of a double-handed visit serves
// their seat's duration, the seat being their index in the assignment. Both
// leave the depot at 09:50 (u3 is 10 units away) and start c at 10:00;
// the seat-0 worker ends at 10:15 and is back at 10:25, the seat-1 worker
// ends at 10:05 and is back at 10:15.
func TestEvaluateSeatDurations(t *testing.T) {
	for _, order := range [][]care.WorkerID{{"w2", "w1"}, {"w1", "w2"}} {
		t.Run(string(order[0])+" in seat 0", func(t *testing.T) {
			p := seatProblem()
			r := &schedule.Rota{
				Assignments: []schedule.Assignment{{Visit: "c", Workers: order}},
				Routes:      []schedule.Route{route("w1", "s1", "c"), route("w2", "s2", "c")},
				Unassigned: []schedule.Unassigned{{Visit: "a", Reason: schedule.NotWorthIt}, {Visit: "b", Reason: schedule.NotWorthIt},
					{Visit: "d", Reason: schedule.NotWorthIt}},
			}
			rep, err := Evaluate(p, r)
			require.NoError(t, err)
			require.Empty(t, rep.Violations)
			require.Len(t, rep.Routes, 2)
			byWorker := map[care.WorkerID]RouteReport{}
			for _, rr := range rep.Routes {
				byWorker[rr.Worker] = rr
			}
			long, short := byWorker[order[0]], byWorker[order[1]]
			for _, rr := range []RouteReport{long, short} {
				assert.Equal(t, at(9, 50), rr.Depart)
				require.Len(t, rr.Stops, 1)
				assert.Equal(t, at(10, 0), rr.Stops[0].Start)
			}
			assert.Equal(t, at(10, 15), long.Stops[0].End)
			assert.Equal(t, 15*time.Minute, long.Service)
			assert.Equal(t, at(10, 25), long.Return)
			assert.Equal(t, 35*time.Minute, long.WorkingTime)
			assert.Equal(t, at(10, 5), short.Stops[0].End)
			assert.Equal(t, 5*time.Minute, short.Service)
			assert.Equal(t, at(10, 15), short.Return)
			assert.Equal(t, 25*time.Minute, short.WorkingTime)
			assert.Equal(t, 60*time.Minute, rep.Totals.WorkingTime)
			// The legs a rota gives must match: the short seat's last leg departs at 10:05.
			assert.Equal(t, at(10, 5), short.Legs[1].Depart)
		})
	}
}

// TestEvaluateDependencyOnSeatEnds: d depends on double-handed c; c's ends
// are 10:15 (w2, seat 0) and 10:05 (w1, seat 1). w2 goes on to d: u3 to u1
// is √45 ≈ 6.708 units, so d starts 10:21:42.49. MaxGap is measured from the
// earliest end (w1's 10:05, which the seat durations give), MinGap from the
// latest (10:15).
func TestEvaluateDependencyOnSeatEnds(t *testing.T) {
	cases := []struct {
		name     string
		min, max time.Duration
		start    bool // From "start"
		want     string
	}{
		{"max from the short seat's end", 0, 10 * time.Minute, false, `16m42.49`},
		{"max holds", 0, 17 * time.Minute, false, ""},
		{"min from the long seat's end", 7 * time.Minute, 0, false, `ends 2026-03-02 10:15:00.000; needs at least 7m0s`},
		{"min holds", 6 * time.Minute, 0, false, ""},
		{"from start: max 22m holds", 0, 22 * time.Minute, true, ""},
		{"from start: max 21m", 0, 21 * time.Minute, true, `after visit "c" starts 2026-03-02 10:00:00.000; at most 21m0s allowed`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := seatProblem()
			d := schedule.Dependency{Visit: "c", MinGap: schedule.Duration(tc.min), MaxGap: schedule.Duration(tc.max)}
			if tc.start {
				d.From = schedule.FromStart
			}
			p.Visits[3].Dependencies = []schedule.Dependency{d}
			r := &schedule.Rota{
				Assignments: []schedule.Assignment{{Visit: "c", Workers: []care.WorkerID{"w2", "w1"}}, {Visit: "d", Workers: []care.WorkerID{"w2"}}},
				Routes:      []schedule.Route{route("w1", "s1", "c"), route("w2", "s2", "c", "d")},
				Unassigned:  []schedule.Unassigned{{Visit: "a", Reason: schedule.NotWorthIt}, {Visit: "b", Reason: schedule.NotWorthIt}},
			}
			rep, err := Evaluate(p, r)
			require.NoError(t, err)
			var dStart time.Time
			for _, rr := range rep.Routes {
				for _, st := range rr.Stops {
					if st.Visit == "d" {
						dStart = st.Start
					}
				}
			}
			assert.Equal(t, at(10, 21).Add(42490*time.Millisecond), dStart.Truncate(10*time.Millisecond))
			if tc.want == "" {
				assert.Empty(t, rep.Violations)
				return
			}
			got := kinds(rep, DependencyBroken)
			require.Len(t, got, 1, "%v", rep.Violations)
			assert.Contains(t, got[0].Detail, tc.want)
			assert.Len(t, rep.Violations, 1, "%v", rep.Violations)
		})
	}
}

// TestEvaluateSeatOrderWithSeatDurations: seat skills are checked in the
// assignment's order when the visit has SeatDurations (the order fixes who
// serves how long), and in either order without.
func TestEvaluateSeatOrderWithSeatDurations(t *testing.T) {
	for _, tc := range []struct {
		name      string
		durations bool
		order     []care.WorkerID
		missing   bool
	}{
		{"no seat durations, either order", false, []care.WorkerID{"w1", "w2"}, false},
		{"seat durations, w2 holds seat 0's skill", true, []care.WorkerID{"w2", "w1"}, false},
		{"seat durations, w1 in seat 0 lacks the hoist", true, []care.WorkerID{"w1", "w2"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := seatProblem()
			if !tc.durations {
				p.Visits[2].SeatDurations = nil
			}
			p.Workers[1].Qualifications = []care.Qualification{{Skill: care.SkillHoist, Obtained: day.AddDate(-1, 0, 0)}}
			p.Visits[2].SeatSkills = [][]care.Skill{{care.SkillHoist}, {}}
			r := &schedule.Rota{
				Assignments: []schedule.Assignment{{Visit: "c", Workers: tc.order}},
				Routes:      []schedule.Route{route("w1", "s1", "c"), route("w2", "s2", "c")},
				Unassigned: []schedule.Unassigned{{Visit: "a", Reason: schedule.NotWorthIt}, {Visit: "b", Reason: schedule.NotWorthIt},
					{Visit: "d", Reason: schedule.NotWorthIt}},
			}
			rep, err := Evaluate(p, r)
			require.NoError(t, err)
			if !tc.missing {
				assert.Empty(t, rep.Violations)
				return
			}
			got := kinds(rep, MissingSkill)
			require.Len(t, got, 1, "%v", rep.Violations)
			assert.Equal(t, schedule.VisitID("c"), got[0].Visit)
		})
	}
}
