package routing

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sickFigures are the figures of one sick-at-07:00 repair (see sickAtSeven).
type sickFigures struct {
	seed                       uint64
	visits, theirs, others     int // visits in the day; the sick worker's visits from 07:00; other visits moved
	retimed                    int // other workers' visits that kept their workers but start at another time
	dropped, unassignedBefore  int
	solve, repair              time.Duration
	repairCPU                  time.Duration // the process's CPU time during the repair (see processCPU)
	objectiveBefore, objective float64
	// The same with MaxMoves (when asked for): others moved, dropped, repair time.
	othersM, droppedM   int
	repairM, repairMCPU time.Duration
}

// sickAtSeven plans the generator's day for seed (visits a day; Solve with
// solveIter iterations, one thread, is the published rota), then repairs it
// after its busiest worker from 07:00 goes sick at 07:00 (freeze 07:00),
// with MaxMoves 0 and, when maxMoves > 0, again with MaxMoves maxMoves.
// Each repair is checked independently of Repair's own code: Evaluate run
// again on the result breaks no hard rule the published rota did not
// (requireNoNewHard), visits started before 07:00 keep their workers and
// starts, none of the sick worker's visits from 07:00 stays with them, the
// Diff matches a comparison of the two rotas (checkDiff), and with MaxMoves
// 0 no visit of another worker changes worker (with MaxMoves n, at most n,
// each listed in Moved). It returns the figures.
func sickAtSeven(t testing.TB, seed uint64, visits int, solveIter int64, maxMoves int) sickFigures {
	p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: visits, Days: 1})
	require.NoError(t, err)
	t0 := time.Now()
	sol, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: solveIter})
	require.NoError(t, err)
	f := sickFigures{seed: seed, visits: len(p.Visits), solve: time.Since(t0), unassignedBefore: sol.Report.Totals.Unassigned, objectiveBefore: sol.Report.Objective.Total}
	seven, sick, theirs := busiestAtSeven(t, p, sol.Rota)
	f.theirs = len(theirs)
	require.NotZero(t, f.theirs)
	before, pubStart := workersOf(sol.Rota), startOf(sol.Rota)
	same := func(a, b []care.WorkerID) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	}
	// check verifies one repair and returns other visits moved, other
	// visits retimed and visits dropped.
	check := func(res *RepairResult) (others, retimed, dropped int) {
		rep, err := Evaluate(res.Problem, res.Rota)
		require.NoError(t, err)
		requireNoNewHard(t, sol.Report, rep)
		requireNoNewHard(t, sol.Report, res.Report)
		// The rota is well formed (planned breaks inside a leg's wait and
		// the shift), and every route that owes a rest break plans one.
		require.NoError(t, res.Rota.Validate(res.Problem))
		for i, rr := range rep.Routes {
			if after := res.Problem.Rules.BreakAfter.Std(); after > 0 && rr.WorkingTime > after {
				require.NotEmpty(t, res.Rota.Routes[i].Breaks, "route of shift %s works %s with no planned break", rr.Shift, rr.WorkingTime)
			}
		}
		after, afterStart := workersOf(res.Rota), startOf(res.Rota)
		for id, w := range before {
			if _, ok := after[id]; !ok {
				dropped++
			}
			if pubStart[id].Before(seven) {
				require.True(t, same(after[id], w), "visit %s started before the freeze: workers %v -> %v", id, w, after[id])
				require.True(t, afterStart[id].Equal(pubStart[id]), "visit %s started before the freeze: %v -> %v", id, pubStart[id], afterStart[id])
				continue
			}
			switch {
			case theirs[id]:
				require.NotContains(t, after[id], sick, id)
			case !same(after[id], w):
				others++
				require.Contains(t, res.Moved, id, "visit %s of another worker moved without being listed", id)
			case !afterStart[id].Equal(pubStart[id]):
				retimed++
			}
		}
		checkDiff(t, sol.Rota, res)
		return others, retimed, dropped
	}
	sickness := []Change{{Kind: WorkerUnavailable, Worker: sick, At: seven}}
	t1, c1 := time.Now(), processCPU()
	res, err := Repair(context.Background(), p, sol.Rota, sickness, RepairOptions{Freeze: seven})
	f.repair, f.repairCPU = time.Since(t1), processCPU()-c1
	require.NoError(t, err)
	f.others, f.retimed, f.dropped = check(res)
	require.Zero(t, f.others, "with MaxMoves 0 only the sick worker's visits change worker")
	f.objective = res.Report.Objective.Total
	if maxMoves > 0 {
		t2, c2 := time.Now(), processCPU()
		resM, err := Repair(context.Background(), p, sol.Rota, sickness, RepairOptions{Freeze: seven, MaxMoves: maxMoves})
		f.repairM, f.repairMCPU = time.Since(t2), processCPU()-c2
		require.NoError(t, err)
		f.othersM, _, f.droppedM = check(resM)
		require.LessOrEqual(t, f.othersM, maxMoves)
		require.Equal(t, len(resM.Moved), f.othersM)
	}
	return f
}

// busiestAtSeven returns 07:00 on p's first day (local time), the worker
// of r with the most visits from then (the first by ID among equals), and
// that worker's visits from then (either seat of a double-handed one).
func busiestAtSeven(t testing.TB, p *schedule.Problem, r *schedule.Rota) (time.Time, care.WorkerID, map[schedule.VisitID]bool) {
	loc, err := p.Loc()
	require.NoError(t, err)
	y, m, d := p.Start.In(loc).Date()
	seven := time.Date(y, m, d, 7, 0, 0, 0, loc)
	count := map[care.WorkerID]int{}
	for _, a := range r.Assignments {
		if !a.Start.Before(seven) {
			count[a.Workers[0]]++
		}
	}
	var sick care.WorkerID
	for w, n := range count {
		if n > count[sick] || (n == count[sick] && w < sick) {
			sick = w
		}
	}
	theirs := map[schedule.VisitID]bool{}
	for _, a := range r.Assignments {
		if slices.Contains(a.Workers, sick) && !a.Start.Before(seven) {
			theirs[a.Visit] = true
		}
	}
	return seven, sick, theirs
}

// TestRepairSickDay1000Bound is the must-show on one seed, in the
// package's tests: the generator's 1,000-visit day (published rota: Solve,
// 100 iterations, one thread), its busiest worker sick at 07:00, freeze
// 07:00. Repair (MaxMoves 0) moves no visit of another worker, breaks no
// hard rule the published rota did not, keeps every visit started before
// 07:00, and its Diff is exact (see sickAtSeven); it takes under 2 s of
// CPU (10 s under the race detector; CPU time, not wall time, so that a
// busy machine does not fail the test: the wall time is logged, and
// TestRepairSickDay1000 asserts it). About 2 s in all without the race
// detector, 20 s with it, most of it planning the published day.
func TestRepairSickDay1000Bound(t *testing.T) {
	f := sickAtSeven(t, 1, 1000, 100, 0)
	t.Logf("%d visits; sick worker's %d visits orphaned, %d dropped; other workers' visits: %d moved, %d retimed; solve %v, repair %v (CPU %v)",
		f.visits, f.theirs, f.dropped, f.others, f.retimed, f.solve.Round(time.Millisecond), f.repair.Round(time.Millisecond), f.repairCPU.Round(time.Millisecond))
	bound := 2 * time.Second
	if raceDetector {
		bound = 10 * time.Second
	}
	require.Less(t, f.repairCPU, bound)
}

// TestRepairSickDay1000 is the must-show over many seeds: the
// generator's 1,000-visit day (published rota: Solve, 1,000 iterations, one
// thread), its busiest worker sick at 07:00 (freeze 07:00), repaired in
// under 2 s (wall time, asserted) with no visit of another worker moved
// (MaxMoves 0), every hard rule holding that the published rota held, the
// Diff exact; then again with MaxMoves 5 (at most five others moved, each
// listed; its time is reported, not bounded: trying ejections costs up to
// a few seconds on this day). Planning the
// published day takes several seconds a seed, too long for the package's
// tests (TestRepairSickDay1000Bound runs one seed): it runs only with
// CARE_REPAIR_SEEDS=n (seeds 1..n; with n > 1 it prints the distribution
// for BENCHMARKS.md), e.g.
//
//	CARE_REPAIR_SEEDS=50 go test -run 'TestRepairSickDay1000$' -v -timeout 60m ./routing/
func TestRepairSickDay1000(t *testing.T) {
	env := os.Getenv("CARE_REPAIR_SEEDS")
	if env == "" {
		t.Skip("set CARE_REPAIR_SEEDS=n to run the 1,000-visit repair on n seeds")
	}
	var seeds int
	_, err := fmt.Sscan(env, &seeds)
	require.NoError(t, err)
	var all []sickFigures
	for s := range seeds {
		f := sickAtSeven(t, uint64(s+1), 1000, 1000, 5)
		all = append(all, f)
		t.Logf("seed %d: %d visits, sick worker's %d visits orphaned, %d dropped; others moved %d, retimed %d; solve %v, repair %v (CPU %v); published unassigned %d, objective %.1f -> %.1f; MaxMoves 5: %d dropped, %d others moved, repair %v (CPU %v)",
			f.seed, f.visits, f.theirs, f.dropped, f.others, f.retimed, f.solve.Round(time.Millisecond), f.repair.Round(time.Millisecond), f.repairCPU.Round(time.Millisecond), f.unassignedBefore, f.objectiveBefore, f.objective,
			f.droppedM, f.othersM, f.repairM.Round(time.Millisecond), f.repairMCPU.Round(time.Millisecond))
		assert.Less(t, f.repair, 2*time.Second, "seed %d", f.seed)
	}
	if seeds > 1 {
		pct := func(xs []float64, q float64) float64 {
			slices.Sort(xs)
			return xs[int(q*float64(len(xs)-1))]
		}
		var rep, cpu, orph, drop, ret, rep5, cpu5, drop5, oth5 []float64
		for _, f := range all {
			rep = append(rep, float64(f.repair.Milliseconds()))
			cpu = append(cpu, float64(f.repairCPU.Milliseconds()))
			cpu5 = append(cpu5, float64(f.repairMCPU.Milliseconds()))
			orph = append(orph, float64(f.theirs))
			drop = append(drop, float64(f.dropped))
			ret = append(ret, float64(f.retimed))
			rep5 = append(rep5, float64(f.repairM.Milliseconds()))
			drop5 = append(drop5, float64(f.droppedM))
			oth5 = append(oth5, float64(f.othersM))
		}
		dist := func(xs []float64) string {
			return fmt.Sprintf("%.0f/%.0f/%.0f/%.0f", pct(xs, 0), pct(xs, .5), pct(xs, .9), pct(xs, 1))
		}
		t.Logf("over %d seeds (min/median/p90/max): sick worker's visits %s; MaxMoves 0: repair ms %s (CPU ms %s), dropped %s, others moved 0, others retimed %s; MaxMoves 5: repair ms %s (CPU ms %s), dropped %s, others moved %s",
			seeds, dist(orph), dist(rep), dist(cpu), dist(drop), dist(ret), dist(rep5), dist(cpu5), dist(drop5), dist(oth5))
	}
}

// requireNoNewHard fails unless every hard violation of after (a repaired
// rota's report) is already in before (the published rota's report) with
// the same kind, visit, worker and shift: Repair carries such breaches
// over.
func requireNoNewHard(t testing.TB, before, after *Report) {
	t.Helper()
	type key struct {
		kind   ViolationKind
		visit  schedule.VisitID
		worker care.WorkerID
		shift  schedule.ShiftID
	}
	had := map[key]bool{}
	for _, v := range before.Violations {
		if v.Hard {
			had[key{v.Kind, v.Visit, v.Worker, v.Shift}] = true
		}
	}
	for _, v := range after.Violations {
		if v.Hard {
			require.True(t, had[key{v.Kind, v.Visit, v.Worker, v.Shift}], "new hard violation %v", v)
		}
	}
}

// TestRepairSickDay1000Why asks why Repair leaves some of the sick
// worker's visits unassigned on the 1,000-visit day (see sickAtSeven and
// BENCHMARKS.md, "Repair"): for each seed it repairs as TestRepairSickDay1000
// does (MaxMoves 0 and 5), then, for the sick worker's visits left out,
// logs the reasons Repair gives, what Explain says of every worker (how
// many could serve the visit at some place: BlockNone; the blocks of the
// others), and whether a further Solve of the repaired problem, warm
// started from the repaired rota (CARE_REPAIR_WHY_ITER iterations, default
// 5,000, one thread), serves them, and how many visits it serves in all.
// It asserts what must hold whatever the figures: each repair breaks no
// hard rule the published rota did not (requireNoNewHard, on Repair's
// report and on Evaluate's), every visit of the sick worker from 07:00 is
// either served by another worker or listed unassigned with a reason, and
// Explain explains every one left out, worker by worker.
// Opt-in: CARE_REPAIR_WHY=n runs seeds 1..n, e.g.
//
//	CARE_REPAIR_WHY=5 go test -count=1 -run 'TestRepairSickDay1000Why$' -v -timeout 30m ./routing/
func TestRepairSickDay1000Why(t *testing.T) {
	env := os.Getenv("CARE_REPAIR_WHY")
	if env == "" {
		t.Skip("set CARE_REPAIR_WHY=n to diagnose the 1,000-visit repair on n seeds")
	}
	var seeds int
	_, err := fmt.Sscan(env, &seeds)
	require.NoError(t, err)
	iter := int64(5000)
	if s := os.Getenv("CARE_REPAIR_WHY_ITER"); s != "" {
		_, err := fmt.Sscan(s, &iter)
		require.NoError(t, err)
	}
	ctx := context.Background()
	for s := range seeds {
		seed := uint64(s + 1)
		p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: 1000, Days: 1})
		require.NoError(t, err)
		sol, err := Solve(ctx, p, Options{Seed: 1, Threads: 1, MaxIterations: 1000})
		require.NoError(t, err)
		seven, sick, theirs := busiestAtSeven(t, p, sol.Rota)
		loc, err := p.Loc()
		require.NoError(t, err)
		sickness := []Change{{Kind: WorkerUnavailable, Worker: sick, At: seven}}
		published := startOf(sol.Rota)
		for _, moves := range []int{0, 5} {
			res, err := Repair(ctx, p, sol.Rota, sickness, RepairOptions{Freeze: seven, MaxMoves: moves})
			require.NoError(t, err)
			rep, err := Evaluate(res.Problem, res.Rota)
			require.NoError(t, err)
			requireNoNewHard(t, sol.Report, rep)
			requireNoNewHard(t, sol.Report, res.Report)
			var left []schedule.VisitID
			reasons := map[schedule.Reason]int{}
			for _, u := range res.Rota.Unassigned {
				if theirs[u.Visit] {
					require.NotEmpty(t, u.Reason, "visit %s left out with no reason", u.Visit)
					left = append(left, u.Visit)
					reasons[u.Reason]++
				}
			}
			servedBy := workersOf(res.Rota)
			for id := range theirs {
				if ws, ok := servedBy[id]; ok {
					require.NotContains(t, ws, sick, "visit %s stays with the sick worker", id)
				} else {
					require.Contains(t, left, id, "visit %s of the sick worker is neither served nor listed unassigned", id)
				}
			}
			t.Logf("seed %d MaxMoves %d: sick worker %s had %d visits from 07:00; %d left out %v; published served %d unassigned %d, repaired served %d unassigned %d",
				seed, moves, sick, len(theirs), len(left), reasons, sol.Report.Totals.Served, sol.Report.Totals.Unassigned, res.Report.Totals.Served, res.Report.Totals.Unassigned)
			if moves > 0 || len(left) == 0 {
				continue
			}
			ex, err := Explain(ctx, res.Problem, res.Rota, ExplainOptions{Visits: left})
			require.NoError(t, err)
			require.Len(t, ex.Visits, len(left))
			for _, ve := range ex.Visits {
				require.NotEmpty(t, ve.Workers, "visit %s: no worker explained", ve.Visit)
				blocks := map[Block]int{}
				for _, we := range ve.Workers {
					blocks[we.Block]++
				}
				vis, _ := res.Problem.Visit(ve.Visit)
				t.Logf("  %s (priority %d, %d carers, %s, windows %s-%s, %v): workers by block %v; fix %v",
					ve.Visit, vis.Priority, vis.CarersNeeded(), vis.Duration.Std(), vis.Windows[0].Earliest.In(loc).Format("15:04"), vis.Windows[len(vis.Windows)-1].Latest.In(loc).Format("15:04"),
					vis.Skills, blocks, ve.Fix != nil)
				// Where Explain finds a place Repair did not: is it at or
				// before the route's last frozen visit (published start
				// before 07:00), where Repair inserts nothing? (Since
				// 69c9d2e a double-handed visit no longer bars the
				// places before it: Repair refuses only those that delay
				// it.) -1: the route has no frozen visit.
				for _, we := range ve.Workers {
					if we.Block != BlockNone || we.Best == nil {
						continue
					}
					pinned := -1
					for _, rt := range res.Rota.Routes {
						if rt.Shift != we.Best.Shift {
							continue
						}
						for i, id := range rt.Visits {
							if st, ok := published[id]; ok && st.Before(seven) {
								pinned = i
							}
						}
					}
					t.Logf("    %s can: shift %s position %d (start %s, cost %.1f); the route's last frozen visit is at position %d",
						we.Worker, we.Best.Shift, we.Best.Position, we.Best.Start.In(loc).Format("15:04"), we.Best.Cost.Total, pinned)
				}
			}
			warm, err := Solve(ctx, res.Problem, Options{Seed: 1, Threads: 1, MaxIterations: iter, Initial: res.Rota})
			require.NoError(t, err)
			served := workersOf(warm.Rota)
			got := 0
			for _, id := range left {
				if len(served[id]) > 0 {
					got++
				}
			}
			repaired := workersOf(res.Rota)
			reassigned := 0
			for id, ws := range repaired {
				if !theirs[id] && !slices.Equal(slices.Sorted(slices.Values(ws)), slices.Sorted(slices.Values(served[id]))) {
					reassigned++
				}
			}
			t.Logf("  warm Solve of the repaired problem, %d iterations: %d of the %d left out served; served %d unassigned %d (repaired: %d / %d); %d other visits change workers; objective %.1f -> %.1f; hard %d",
				iter, got, len(left), warm.Report.Totals.Served, warm.Report.Totals.Unassigned, res.Report.Totals.Served, res.Report.Totals.Unassigned,
				reassigned, res.Report.Objective.Total, warm.Report.Objective.Total, len(warm.Report.Hard()))
			// The same further Solve of the day with no one sick, warm
			// started from the published rota: what the extra iterations
			// gain by themselves.
			base, err := Solve(ctx, p, Options{Seed: 1, Threads: 1, MaxIterations: iter, Initial: sol.Rota})
			require.NoError(t, err)
			t.Logf("  warm Solve of the day with no one sick, %d iterations: served %d unassigned %d (published %d / %d): the sickness costs %d served visits after re-planning, %d after Repair",
				iter, base.Report.Totals.Served, base.Report.Totals.Unassigned, sol.Report.Totals.Served, sol.Report.Totals.Unassigned,
				base.Report.Totals.Served-warm.Report.Totals.Served, sol.Report.Totals.Served-res.Report.Totals.Served)
		}
	}
}
