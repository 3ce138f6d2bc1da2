package routing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// breakDay is one worker (home at the origin, shift 08:00-16:00) and three
// visits to one person 10 minutes away (Euclidean, a minute per unit):
// v1 fixed at 08:10 for 150 minutes, v2 fixed at 10:40 (when the worker is
// back from v1: no wait before it) for 150 minutes, v3 from 13:10 to
// v3Latest for 90 minutes. Without a break the day runs 08:00-14:50
// (6 h 50 min), with no wait anywhere.
func breakDay(v3Latest time.Time) *schedule.Problem {
	home := care.Location{0, 0}
	fixed := func(t time.Time) []schedule.Window { return []schedule.Window{{Earliest: t, Latest: t}} }
	return &schedule.Problem{
		Name: "break-day", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{0, 10}}},
		Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
		Shifts:       []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(16, 0)}},
		Visits: []schedule.Visit{
			{ID: "v1", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(150), Windows: fixed(at(8, 10))},
			{ID: "v2", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(150), Windows: fixed(at(10, 40))},
			{ID: "v3", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(90),
				Windows: []schedule.Window{{Earliest: at(13, 10), Latest: v3Latest}}},
		},
		Rules:   schedule.WorkingTimeRules{BreakAfter: schedule.Minutes(6 * 60), BreakLength: schedule.Minutes(20)},
		Weights: schedule.Weights{Unassigned: 1000, Distance: 1, TravelTime: 0.5, WorkingTime: 0.1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
}

// solveBreaks solves p, asserts that Evaluate finds no hard violation and
// returns the rota's single route, its report and the visits' starts.
func solveBreaks(t *testing.T, p *schedule.Problem) (schedule.Route, RouteReport, map[schedule.VisitID]time.Time) {
	t.Helper()
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	rep, err := Evaluate(p, res.Rota)
	require.NoError(t, err)
	require.Empty(t, rep.Hard(), "%v", rep.Hard())
	require.Len(t, res.Rota.Routes, 1)
	require.Len(t, rep.Routes, 1)
	starts := map[schedule.VisitID]time.Time{}
	for _, a := range res.Rota.Assignments {
		starts[a.Visit] = a.Start
	}
	return res.Rota.Routes[0], rep.Routes[0], starts
}

// TestSolveBreakOnlySpot: the day works 6 h 50 min > 6 h, so a 20-minute
// break is owed (WTR reg 12). It cannot be before v1 (the first visit) nor
// before v2 (fixed at the arrival), so the only place is before v3: the
// optimum serves all three, breaks 13:10-13:30, starts v3 at 13:30 and is
// back at 15:10 (7 h 10 min).
func TestSolveBreakOnlySpot(t *testing.T) {
	p := breakDay(at(13, 40))
	rt, rr, starts := solveBreaks(t, p)
	assert.Equal(t, []schedule.VisitID{"v1", "v2", "v3"}, rt.Visits)
	assert.Equal(t, []schedule.PlannedBreak{{Start: at(13, 10), Length: schedule.Minutes(20)}}, rt.Breaks)
	assert.Equal(t, map[schedule.VisitID]time.Time{"v1": at(8, 10), "v2": at(10, 40), "v3": at(13, 30)}, starts)
	assert.Equal(t, at(8, 0), rr.Depart)
	assert.Equal(t, at(15, 10), rr.Return)
	assert.Equal(t, 7*time.Hour+10*time.Minute, rr.WorkingTime)
	require.Len(t, rt.Legs, 4)
	assert.Equal(t, schedule.Minutes(20), rt.Legs[2].Wait, "the leg into v3 waits for the break")
	assert.Equal(t, at(13, 10), rt.Legs[2].Arrive)

	// With v3 fixed at 13:10 no break fits anywhere: v3 is left out
	// (working_time_limit) rather than planned without a break.
	p = breakDay(at(13, 10))
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.WorkingTimeLimit, res.Rota.Unassigned[0].Reason)
	rep, err := Evaluate(p, res.Rota)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())
}

// TestSolveBreakShiftWindow: the shift declares a 30-minute break to start
// between 13:20 and 13:40. The break still goes before v3 (the only
// place), but starts at 13:20 (the window's opening, after the 13:10
// arrival) and lasts the window's 30 minutes, so v3 starts at 13:50.
func TestSolveBreakShiftWindow(t *testing.T) {
	p := breakDay(at(14, 0))
	p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(13, 20), Latest: at(13, 40), Length: schedule.Minutes(30)}}
	rt, rr, starts := solveBreaks(t, p)
	assert.Equal(t, []schedule.PlannedBreak{{Start: at(13, 20), Length: schedule.Minutes(30)}}, rt.Breaks)
	assert.Equal(t, at(13, 50), starts["v3"])
	assert.Equal(t, at(15, 30), rr.Return)
	assert.Equal(t, schedule.Minutes(40), rt.Legs[2].Wait)

	// A window that closes before the worker can be at v3 (13:10) leaves no
	// place for a break in the whole day: one visit is left out, v1, whose
	// absence shortens the day most (v2 and v3 run 10:30-14:50, 4 h 20 min).
	p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(12, 0), Latest: at(12, 30), Length: schedule.Minutes(20)}}
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.VisitID("v1"), res.Rota.Unassigned[0].Visit)
	assert.Equal(t, schedule.WorkingTimeLimit, res.Rota.Unassigned[0].Reason)
}

// TestSolveBreakYoungWorker: v1 fixed at 08:10 for 150 minutes, v2 from
// 10:40 to 11:30 for 120 minutes; served without a wait the day runs
// 08:00-12:50 (4 h 50 min). An adult is owed no break (6 h); a young
// worker is owed 30 minutes past 4.5 hours (REFERENCE §5, WTR reg 12), so
// the break goes before v2 (10:40-11:10) and v2 starts at 11:10.
func TestSolveBreakYoungWorker(t *testing.T) {
	for _, young := range []bool{false, true} {
		p := breakDay(at(13, 40))
		p.Visits = p.Visits[:2]
		p.Visits[1].Duration = schedule.Minutes(120)
		p.Visits[1].Windows = []schedule.Window{{Earliest: at(10, 40), Latest: at(11, 30)}}
		p.Workers[0].YoungWorker = young
		rt, rr, starts := solveBreaks(t, p)
		if !young {
			assert.Empty(t, rt.Breaks)
			assert.Equal(t, at(10, 40), starts["v2"])
			assert.Equal(t, 4*time.Hour+50*time.Minute, rr.WorkingTime)
			continue
		}
		assert.Equal(t, []schedule.PlannedBreak{{Start: at(10, 40), Length: schedule.Minutes(30)}}, rt.Breaks)
		assert.Equal(t, at(11, 10), starts["v2"])
		assert.Equal(t, 5*time.Hour+20*time.Minute, rr.WorkingTime)
	}
}

// TestSolveBreaksProperty solves 200 random home-care problems whose
// workers owe rest breaks (random rules, young workers, shift break
// windows, soft rules; withBreaks) and asserts that Evaluate finds no hard
// violation at all in any returned rota (missing_break included), that
// the rota is valid (each break inside its leg's wait) and that breaks are
// planned.
func TestSolveBreaksProperty(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(41, 43))
	planned, owed := 0, 0
	for i := range 200 {
		p := randomHomeCare(rng, 1000+i)
		withBreaks(rand.New(rand.NewPCG(uint64(i), 0xb7ea)), p)
		require.NoError(t, p.Validate(), "home %d", i)
		res, err := Solve(ctx, p, Options{Seed: int64(i), Threads: 1 + i%2, MaxIterations: 40})
		require.NoError(t, err, "home %d", i)
		checkSolved(t, p.Name, p, res)
		// The planned breaks lie in their legs' waits, inside the shift (Rota.Validate).
		require.NoError(t, res.Rota.Validate(p), "home %d", i)
		for _, rt := range res.Rota.Routes {
			planned += len(rt.Breaks)
		}
		for _, rr := range res.Report.Routes {
			rules := p.Rules
			for _, w := range p.Workers {
				if w.ID == rr.Worker && w.YoungWorker {
					rules = rules.ForYoungWorker()
				}
			}
			if rules.BreakAfter > 0 && rr.WorkingTime > rules.BreakAfter.Std() {
				owed++
			}
		}
	}
	t.Logf("%d routes owed a break; %d breaks planned", owed, planned)
	assert.Greater(t, owed, 20, "the generator should make routes that owe breaks")
	assert.Greater(t, planned, 20)
}

// withBreaks gives problem p working-time break rules from its own random
// stream: a BreakAfter of 1 to 5 hours and a BreakLength of 10 to 30
// minutes (sometimes soft), young workers, and break windows on some
// shifts.
func withBreaks(rng *rand.Rand, p *schedule.Problem) {
	p.Rules.BreakAfter = schedule.Minutes(60 + rng.IntN(240))
	p.Rules.BreakLength = schedule.Minutes(10 + rng.IntN(21))
	if rng.IntN(6) == 0 {
		p.Rules.Soft = append(p.Rules.Soft, []string{"break_after", "break_length"}[rng.IntN(2)])
	}
	for w := range p.Workers {
		p.Workers[w].YoungWorker = rng.IntN(5) == 0
	}
	for s := range p.Shifts {
		sh := &p.Shifts[s]
		if rng.IntN(3) != 0 {
			continue
		}
		span := int(sh.End.Sub(sh.Start) / time.Minute)
		for range 1 + rng.IntN(2) {
			length := schedule.Minutes(5 + rng.IntN(4)*10)
			e := sh.Start.Add(time.Duration(rng.IntN(max(span-30, 1))) * time.Minute)
			l := e.Add(time.Duration(rng.IntN(120)) * time.Minute)
			if end := sh.End.Add(-length.Std()); l.After(end) {
				l = end // the break ends inside the shift (Problem.Validate)
			}
			if l.Before(e) {
				continue
			}
			sh.Breaks = append(sh.Breaks, schedule.Break{Earliest: e, Latest: l, Length: length})
		}
	}
}

// ExampleSolve_breaks shows a planned rest break: the 6 h 50 min day of
// breakDay owes 20 minutes, taken at v3's door before it starts.
func ExampleSolve_breaks() {
	p := breakDay(day.Add(13*time.Hour + 40*time.Minute))
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range res.Rota.Routes[0].Breaks {
		fmt.Println("break at", b.Start.Format("15:04"), "for", b.Length.Std())
	}
	// Output: break at 13:10 for 20m0s
}
