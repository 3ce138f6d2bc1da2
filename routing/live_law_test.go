package routing

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// restWeek is TestSolveDailyRest's problem with w1 and w2 (WTR reg 10,
// REFERENCE.md §5: 11 h of daily rest): w1 works 07:00-22:00 on day 0 and
// 07:00-15:00 on day 1, w2 07:00-15:00 on day 1; a (30 minutes) is fixed
// at 21:00 on day 0, b (30 minutes) at 07:30 on day 1. w1 back at 21:40
// and out again at 07:20 rests 9 h 40 min. With w3, w3 also works
// 07:00-15:00 on day 1.
func restWeek(w3 bool) *schedule.Problem {
	workers := []care.WorkerID{"w1", "w2"}
	if w3 {
		workers = append(workers, "w3")
	}
	p := lawWeek(schedule.WorkingTimeRules{MinDailyRest: schedule.Minutes(11 * 60)}, workers...)
	lawShift(p, "w1", "s1", on(0, 7, 0), on(0, 22, 0))
	lawShift(p, "w1", "s2", on(1, 7, 0), on(1, 15, 0))
	lawShift(p, "w2", "s3", on(1, 7, 0), on(1, 15, 0))
	if w3 {
		lawShift(p, "w3", "s4", on(1, 7, 0), on(1, 15, 0))
	}
	lawVisit(p, "a", on(0, 21, 0), 30, 0)
	lawVisit(p, "b", on(1, 7, 30), 30, 0)
	return p
}

// TestRepairKeepsDailyRest: Solve gives a to w1 and b to w2; w2 goes sick
// before day 1. The only shift left for b is w1's s2, which would leave w1
// 9 h 40 min of rest: Repair leaves b out (working_time_limit) and the
// repaired rota passes Evaluate. Before, Repair put b on s2 and failed
// with ErrInfeasible (min_daily_rest). With w3 on day 1, b goes to w3.
func TestRepairKeepsDailyRest(t *testing.T) {
	for _, w3 := range []bool{false, true} {
		p := restWeek(w3)
		published, who := solveLaw(t, p)
		require.Equal(t, []care.WorkerID{"w1"}, who["a"])
		require.NotEqual(t, []care.WorkerID{"w1"}, who["b"], "b is not w1's in the published rota")
		sick := who["b"][0]
		res, err := Repair(context.Background(), p, published,
			[]Change{{Kind: WorkerUnavailable, Worker: sick, At: on(1, 0, 0)}}, RepairOptions{})
		require.NoError(t, err, "w3 %v", w3)
		assert.Empty(t, res.Report.Hard(), "w3 %v", w3)
		rep, err := Evaluate(res.Problem, res.Rota)
		require.NoError(t, err)
		assert.Empty(t, rep.Hard(), "w3 %v: %v", w3, rep.Hard())
		assert.Equal(t, care.WorkerID("w1"), workerOf(res.Rota)["a"], "a stays")
		if !w3 {
			assert.Equal(t, []schedule.VisitID{"b"}, res.Orphans)
			require.Len(t, res.Rota.Unassigned, 1)
			assert.Equal(t, schedule.VisitID("b"), res.Rota.Unassigned[0].Visit)
			assert.Equal(t, schedule.WorkingTimeLimit, res.Rota.Unassigned[0].Reason)
		} else {
			assert.Empty(t, res.Rota.Unassigned)
			assert.NotEqual(t, care.WorkerID("w1"), workerOf(res.Rota)["b"])
		}
	}
}

// TestRepairDailyRestSoft: with min_daily_rest soft, the same sickness
// puts b on w1's s2: the short rest is costed (Overtime, 80 minutes short
// at 1 a minute, less than leaving b out), not refused.
func TestRepairDailyRestSoft(t *testing.T) {
	p := restWeek(false)
	published, who := solveLaw(t, p)
	p.Rules.Soft = []string{"min_daily_rest"}
	p.Weights.Overtime = 1
	res, err := Repair(context.Background(), p, published,
		[]Change{{Kind: WorkerUnavailable, Worker: who["b"][0], At: on(1, 0, 0)}}, RepairOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Rota.Unassigned)
	assert.Equal(t, care.WorkerID("w1"), workerOf(res.Rota)["b"])
	assert.InDelta(t, 80, res.Report.Objective.Overtime, 1e-6, "the short rest costs")
	assert.Empty(t, res.Report.Hard())
}

// TestRepairCarriesOverDailyRest: a published rota made by hand already
// gives w1 both a and b (9 h 40 min of rest); a change elsewhere (k, an
// added visit on day 1 that w2 can serve) does not make Repair fail or
// move a or b to mend the carried-over breach.
func TestRepairCarriesOverDailyRest(t *testing.T) {
	p := restWeek(false)
	published := publishedRota(
		liveStop{"a", "w1", "s1", on(0, 21, 0)},
		liveStop{"b", "w1", "s2", on(1, 7, 30)},
	)
	pub, err := Evaluate(p, published)
	require.NoError(t, err)
	require.Len(t, pub.Hard(), 1)
	require.Equal(t, ShortDailyRest, pub.Hard()[0].Kind)
	k := schedule.Visit{ID: "k", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
		Windows: []schedule.Window{{Earliest: on(1, 10, 0), Latest: on(1, 10, 0)}}}
	res, err := Repair(context.Background(), p, published, []Change{{Kind: VisitAdded, NewVisit: &k}}, RepairOptions{})
	require.NoError(t, err)
	assert.Equal(t, map[schedule.VisitID]care.WorkerID{"a": "w1", "b": "w1", "k": "w2"}, workerOf(res.Rota))
	hard := res.Report.Hard()
	require.Len(t, hard, 1, "%v", hard)
	assert.Equal(t, ShortDailyRest, hard[0].Kind)
	assert.Equal(t, schedule.ShiftID("s2"), hard[0].Shift)
}

// TestRecommendKeepsWeeklyMax (WTR reg 4): w1 works 9 h 30 min on each of
// days 0-4 (47 h 30 min; out 08:00, back 17:30), MaxWeekly 48 h. A new
// 60-minute visit on day 5 would make w1's week 48 h 50 min: Recommend
// offers only w2; with a 49 h maximum it offers w1 too (and each place
// it offers passes Evaluate).
func TestRecommendKeepsWeeklyMax(t *testing.T) {
	for _, limit := range []int{48 * 60, 49 * 60} {
		p := lawWeek(schedule.WorkingTimeRules{MaxWeekly: schedule.Minutes(limit)}, "w1", "w2")
		r := &schedule.Rota{}
		for d := range 6 {
			sid := schedule.ShiftID(fmt.Sprintf("s%d", d))
			lawShift(p, "w1", sid, on(d, 8, 0), on(d, 18, 0))
			if d == 5 {
				break
			}
			vid := schedule.VisitID(fmt.Sprintf("v%d", d))
			lawVisit(p, vid, on(d, 8, 10), 550, 1)
			r.Assignments = append(r.Assignments, schedule.Assignment{Visit: vid, Workers: []care.WorkerID{"w1"}, Start: on(d, 8, 10)})
			r.Routes = append(r.Routes, schedule.Route{Worker: "w1", Shift: sid, Visits: []schedule.VisitID{vid}})
		}
		lawShift(p, "w2", "x5", on(5, 8, 0), on(5, 18, 0))
		rep := requireClean(t, p, r)
		require.Equal(t, 47*time.Hour+30*time.Minute, rep.Totals.WorkingTime)
		n := schedule.Visit{ID: "n", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(60),
			Windows: []schedule.Window{{Earliest: on(5, 9, 0), Latest: on(5, 9, 0)}}}
		recs, err := Recommend(context.Background(), p, r, "n", 5, RecommendOptions{NewVisit: &n})
		require.NoError(t, err)
		var workers []care.WorkerID
		q := shallowProblem(p)
		q.Visits = append(slices.Clone(p.Visits), n)
		for _, rc := range recs {
			workers = append(workers, rc.Worker)
			// The rota with n there passes Evaluate.
			with := &schedule.Rota{Assignments: slices.Clone(r.Assignments), Routes: slices.Clone(r.Routes)}
			with.Assignments = append(with.Assignments, schedule.Assignment{Visit: "n", Workers: []care.WorkerID{rc.Worker}, Start: rc.Start})
			with.Routes = append(with.Routes, schedule.Route{Worker: rc.Worker, Shift: rc.Shift, Visits: []schedule.VisitID{"n"}})
			rep, err := Evaluate(q, with)
			require.NoError(t, err)
			assert.Empty(t, rep.Hard(), "limit %d, %s: %v", limit, rc.Worker, rep.Hard())
		}
		if limit == 48*60 {
			assert.Equal(t, []care.WorkerID{"w2"}, workers, "w1 would work 48 h 50 min")
		} else {
			assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, workers)
		}
	}
}

// TestExplainConsecutiveDays (WTR reg 11): w1 serves v0-v2 and v4-v6 on
// days 0-2 and 4-6, at most 6 consecutive days; v3 (day 3) is out. Serving
// it would make w1 work 7 days in a row: Explain says so with
// BlockConsecutiveDays (max_consecutive_days), naming the days; w2, with a
// shift on day 3, can serve it (BlockNone). With 7 days allowed w1 can too.
func TestExplainConsecutiveDays(t *testing.T) {
	for _, days := range []int{6, 7} {
		p := lawWeek(schedule.WorkingTimeRules{MaxConsecutiveDays: days}, "w1", "w2")
		r := &schedule.Rota{Unassigned: []schedule.Unassigned{{Visit: "v3", Reason: schedule.WorkingTimeLimit}}}
		for d := range 7 {
			sid := schedule.ShiftID(fmt.Sprintf("s%d", d))
			vid := schedule.VisitID(fmt.Sprintf("v%d", d))
			lawShift(p, "w1", sid, on(d, 8, 0), on(d, 12, 0))
			lawVisit(p, vid, on(d, 9, 0), 60, 1)
			if d != 3 {
				r.Assignments = append(r.Assignments, schedule.Assignment{Visit: vid, Workers: []care.WorkerID{"w1"}, Start: on(d, 9, 0)})
				r.Routes = append(r.Routes, schedule.Route{Worker: "w1", Shift: sid, Visits: []schedule.VisitID{vid}})
			}
		}
		lawShift(p, "w2", "x3", on(3, 8, 0), on(3, 12, 0))
		requireClean(t, p, r)
		ex, err := Explain(context.Background(), p, r, ExplainOptions{})
		require.NoError(t, err)
		require.Len(t, ex.Visits, 1)
		got := map[care.WorkerID]WorkerExplanation{}
		for _, we := range ex.Visits[0].Workers {
			got[we.Worker] = we
		}
		assert.Equal(t, BlockNone, got["w2"].Block)
		if days == 7 {
			assert.Equal(t, BlockNone, got["w1"].Block)
			continue
		}
		w1 := got["w1"]
		assert.Equal(t, BlockConsecutiveDays, w1.Block, "%+v", w1)
		assert.Contains(t, w1.Detail, "7 consecutive days")
		require.NotNil(t, w1.Best)
		require.NotEmpty(t, w1.Best.Blockers)
		assert.Equal(t, BlockConsecutiveDays, w1.Best.Blockers[0].Block)
		assert.Nil(t, w1.Fix, "no single change of Explain's lifts the law")
	}
}

// TestRepairMoveKeepsDailyRest: w2 (b at 07:30 on day 1) goes sick. b
// cannot go on w1's s2 (9 h 40 min of rest after a, WTR reg 10) nor beside
// c on w3's s4 (both fixed at 07:30). With MaxMoves, moving c to w1's s2
// to make room would break w1's daily rest just the same: Repair does not
// make that move, leaves b out (working_time_limit) and the rota passes
// Evaluate. Before, the move was made and Repair failed with ErrInfeasible.
func TestRepairMoveKeepsDailyRest(t *testing.T) {
	p := restWeek(false)
	addWorker(p, "w3", "s4", on(1, 7, 0), on(1, 9, 0))
	lawVisit(p, "c", on(1, 7, 30), 30, 0)
	published := publishedRota(
		liveStop{"a", "w1", "s1", on(0, 21, 0)},
		liveStop{"b", "w2", "s3", on(1, 7, 30)},
		liveStop{"c", "w3", "s4", on(1, 7, 30)},
	)
	requireClean(t, p, published)
	res, err := Repair(context.Background(), p, published,
		[]Change{{Kind: WorkerUnavailable, Worker: "w2", At: on(1, 0, 0)}}, RepairOptions{MaxMoves: 1})
	require.NoError(t, err)
	assert.Empty(t, res.Moved)
	assert.Equal(t, map[schedule.VisitID]care.WorkerID{"a": "w1", "c": "w3"}, workerOf(res.Rota))
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Equal(t, schedule.VisitID("b"), res.Rota.Unassigned[0].Visit)
	assert.Equal(t, schedule.WorkingTimeLimit, res.Rota.Unassigned[0].Reason)
	rep, err := Evaluate(res.Problem, res.Rota)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())
}
