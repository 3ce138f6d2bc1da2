package routing

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startToStartProblem: on planar()'s map, a (u1, 60 minutes) must start at
// 09:00 and b (u2, 20 minutes, window 09:00-09:15) 10 to 20 minutes after a
// starts, by a different worker. The only plans: w1 on a and w2 on b or the
// other way round, b starting 09:10 to 09:15 while a is still going on.
func startToStartProblem(from schedule.DependencyFrom) *schedule.Problem {
	p := planar()
	p.Visits = []schedule.Visit{
		{ID: "a", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(60),
			Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 0)}}},
		{ID: "b", ServiceUser: "u2", Kind: schedule.Nursing, Duration: schedule.Minutes(20),
			Windows:      []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 15)}},
			Dependencies: []schedule.Dependency{{Visit: "a", MinGap: schedule.Minutes(10), MaxGap: schedule.Minutes(20), Worker: schedule.DifferentWorker, From: from}}},
	}
	p.Workers[0].Role = care.RoleNurse
	return p
}

func TestSolveStartToStartDependency(t *testing.T) {
	p := startToStartProblem(schedule.FromStart)
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	require.Empty(t, res.Rota.Unassigned)
	starts := map[schedule.VisitID]time.Time{}
	who := map[schedule.VisitID][]care.WorkerID{}
	for _, a := range res.Rota.Assignments {
		starts[a.Visit], who[a.Visit] = a.Start, a.Workers
	}
	assert.Equal(t, at(9, 0), starts["a"])
	assert.Equal(t, []care.WorkerID{"w1"}, who["b"], "b is nursing: only w1 is a nurse")
	assert.Equal(t, []care.WorkerID{"w2"}, who["a"])
	gap := starts["b"].Sub(starts["a"])
	assert.True(t, gap >= 10*time.Minute && gap <= 15*time.Minute, "b starts %s after a", gap)
	// Working time is the only time cost: the nurse leaves just in time
	// (10 units to u2) and starts b at 09:10, the earliest the link allows.
	assert.Equal(t, at(9, 10), starts["b"])

	// The same gaps from a's end cannot be met: b's window closes 45 minutes before.
	p = startToStartProblem(schedule.FromEnd)
	res, err = Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	require.Len(t, res.Rota.Unassigned, 2, "a and b are planned together or not at all")
	for _, u := range res.Rota.Unassigned {
		assert.Equal(t, schedule.DependencyUnmet, u.Reason, "visit %s: %s", u.Visit, u.Detail)
	}
}

// seatDurationProblem: on planar()'s map, c (u3) needs two carers at
// 09:00, seat 0 (hoist) for 60 minutes and seat 1 for 15; only w1 holds the
// hoist skill. d (u2, 10 minutes) must start 09:20 to 09:30. u3 to u2 is
// √40 ≈ 6.32 units. c has priority 1: of the two it is kept.
func seatDurationProblem(seats bool) *schedule.Problem {
	p := planar()
	p.Workers[0].Qualifications = []care.Qualification{{Skill: care.SkillHoist, Obtained: day.AddDate(-1, 0, 0)}}
	c := schedule.Visit{ID: "c", ServiceUser: "u3", Kind: schedule.PersonalCare, Duration: schedule.Minutes(60), Carers: 2, Priority: 1,
		SeatSkills: [][]care.Skill{{care.SkillHoist}, nil},
		Windows:    []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 0)}}}
	if seats {
		c.SeatDurations = []schedule.Duration{schedule.Minutes(60), schedule.Minutes(15)}
	}
	p.Visits = []schedule.Visit{c, {ID: "d", ServiceUser: "u2", Kind: schedule.Meal, Duration: schedule.Minutes(10),
		Windows: []schedule.Window{{Earliest: at(9, 20), Latest: at(9, 30)}}}}
	return p
}

func TestSolveSeatDurations(t *testing.T) {
	p := seatDurationProblem(true)
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	require.Empty(t, res.Rota.Unassigned, "the short seat's worker is free by 09:15 and reaches d by 09:21:19")
	who := map[schedule.VisitID][]care.WorkerID{}
	start := map[schedule.VisitID]time.Time{}
	for _, a := range res.Rota.Assignments {
		who[a.Visit], start[a.Visit] = a.Workers, a.Start
	}
	assert.Equal(t, []care.WorkerID{"w1", "w2"}, who["c"], "seat order: the hoist seat is w1's")
	assert.Equal(t, []care.WorkerID{"w2"}, who["d"])
	assert.Equal(t, at(9, 21), start["d"].Truncate(time.Minute))
	for _, rr := range res.Report.Routes {
		if rr.Worker == "w2" {
			require.Len(t, rr.Stops, 2)
			assert.Equal(t, at(9, 15), rr.Stops[0].End)
		} else {
			assert.Equal(t, at(10, 0), rr.Stops[0].End)
		}
	}

	// A warm start from the rota keeps w1 in the long seat, although w2's
	// route comes first in the rota.
	slices.Reverse(res.Rota.Routes)
	warm, err := Solve(context.Background(), p, Options{Seed: 2, Threads: 1, MaxIterations: 1, Initial: res.Rota})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, warm)
	require.Empty(t, warm.Rota.Unassigned)
	for _, a := range warm.Rota.Assignments {
		assert.Equal(t, who[a.Visit], a.Workers, "visit %s", a.Visit)
	}

	// With one duration for both seats, both workers are busy until 10:00.
	p = seatDurationProblem(false)
	res, err = Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.VisitID("d"), res.Rota.Unassigned[0].Visit)
}

// TestSolveShortSeatFitsAShortShift: w2's shift ends 09:30, too soon for the
// whole 60-minute visit but enough for its 15-minute seat (ends 09:15, back
// at the depot 09:25), so c is planned with w2 in the short seat; d cannot
// then be served (w2 would be back 09:41).
func TestSolveShortSeatFitsAShortShift(t *testing.T) {
	p := seatDurationProblem(true)
	p.Shifts[1].End = at(9, 30)
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	require.Len(t, res.Rota.Assignments, 1)
	assert.Equal(t, schedule.Assignment{Visit: "c", Workers: []care.WorkerID{"w1", "w2"}, Start: at(9, 0)}, res.Rota.Assignments[0])
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.VisitID("d"), res.Rota.Unassigned[0].Visit)
}
