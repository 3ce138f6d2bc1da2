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
	"github.com/stretchr/testify/require"
)

// sickAtSeven repairs the generator's day for seed after its busiest worker
// goes sick at 07:00 (freeze 07:00). It returns the repair's figures.
type sickFigures struct {
	seed                       uint64
	visits, theirs, others     int // visits in the day; the sick worker's visits from 07:00; other visits moved
	dropped, unassignedBefore  int
	solve, repair              time.Duration
	objectiveBefore, objective float64
	// The same with MaxMoves 5: others moved, dropped, repair time.
	others5, dropped5 int
	repair5           time.Duration
}

func sickAtSeven(t testing.TB, seed uint64, visits int, solveIter int64) sickFigures {
	p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: visits, Days: 1})
	require.NoError(t, err)
	t0 := time.Now()
	sol, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: solveIter})
	require.NoError(t, err)
	f := sickFigures{seed: seed, visits: len(p.Visits), solve: time.Since(t0), unassignedBefore: sol.Report.Totals.Unassigned, objectiveBefore: sol.Report.Objective.Total}
	loc, err := p.Loc()
	require.NoError(t, err)
	y, m, d := p.Start.In(loc).Date()
	seven := time.Date(y, m, d, 7, 0, 0, 0, loc)
	// The busiest worker from 07:00.
	count := map[care.WorkerID]int{}
	for _, a := range sol.Rota.Assignments {
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
	for _, a := range sol.Rota.Assignments {
		if slices.Contains(a.Workers, sick) && !a.Start.Before(seven) { // either seat of a double-handed visit
			theirs[a.Visit] = true
		}
	}
	f.theirs = len(theirs)
	t1 := time.Now()
	res, err := Repair(context.Background(), p, sol.Rota, []Change{{Kind: WorkerUnavailable, Worker: sick, At: seven}}, RepairOptions{Freeze: seven})
	f.repair = time.Since(t1)
	require.NoError(t, err)
	require.Empty(t, res.Report.Hard())
	before, after := workersOf(sol.Rota), workersOf(res.Rota)
	same := func(a, b []care.WorkerID) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	}
	for id, w := range before {
		if !same(after[id], w) && !theirs[id] {
			f.others++
		}
		if _, ok := after[id]; !ok {
			f.dropped++
		}
	}
	for id := range theirs {
		require.NotContains(t, after[id], sick, id)
	}
	f.objective = res.Report.Objective.Total
	// Again, allowing up to five other visits to move for stranded orphans.
	t2 := time.Now()
	res5, err := Repair(context.Background(), p, sol.Rota, []Change{{Kind: WorkerUnavailable, Worker: sick, At: seven}}, RepairOptions{Freeze: seven, MaxMoves: 5})
	f.repair5 = time.Since(t2)
	require.NoError(t, err)
	require.Empty(t, res5.Report.Hard())
	after5 := workersOf(res5.Rota)
	for id, w := range before {
		if !same(after5[id], w) && !theirs[id] {
			f.others5++
		}
		if _, ok := after5[id]; !ok {
			f.dropped5++
		}
	}
	require.LessOrEqual(t, f.others5, 5)
	require.Equal(t, len(res5.Moved), f.others5)
	return f
}

// TestRepairSickDay1000 is the must-show: the generator's
// 1,000-visit day (published rota: Solve, 1,000 iterations, one thread), its
// busiest worker sick at 07:00 (freeze 07:00), repaired in under 2 s with
// no visit of another worker moved, every hard rule holding. Planning the
// published day takes about 10 s a seed, too long for the package's tests:
// it runs only with CARE_REPAIR_SEEDS=n (n seeds; with n > 1 it prints the
// distribution reported in BENCHMARKS.md), e.g.
//
//	CARE_REPAIR_SEEDS=50 go test -run TestRepairSickDay1000 -v -timeout 30m ./routing/
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
		f := sickAtSeven(t, uint64(s+1), 1000, 1000)
		all = append(all, f)
		t.Logf("seed %d: %d visits, sick worker's %d visits orphaned, %d dropped, %d others moved; solve %v, repair %v; published unassigned %d, objective %.1f -> %.1f; MaxMoves 5: %d dropped, %d others moved, repair %v",
			f.seed, f.visits, f.theirs, f.dropped, f.others, f.solve.Round(time.Millisecond), f.repair.Round(time.Millisecond), f.unassignedBefore, f.objectiveBefore, f.objective,
			f.dropped5, f.others5, f.repair5.Round(time.Millisecond))
		require.Less(t, f.repair, 2*time.Second)
		require.Less(t, f.repair5, 2*time.Second)
		require.Zero(t, f.others, "minimal change moves only the sick worker's visits")
	}
	if seeds > 1 {
		pct := func(xs []float64, q float64) float64 {
			slices.Sort(xs)
			return xs[int(q*float64(len(xs)-1))]
		}
		var rep, orph, drop, rep5, drop5, oth5 []float64
		for _, f := range all {
			rep = append(rep, float64(f.repair.Milliseconds()))
			orph = append(orph, float64(f.theirs))
			drop = append(drop, float64(f.dropped))
			rep5 = append(rep5, float64(f.repair5.Milliseconds()))
			drop5 = append(drop5, float64(f.dropped5))
			oth5 = append(oth5, float64(f.others5))
		}
		dist := func(xs []float64) string {
			return fmt.Sprintf("%.0f/%.0f/%.0f/%.0f", pct(xs, 0), pct(xs, .5), pct(xs, .9), pct(xs, 1))
		}
		t.Logf("over %d seeds (min/median/p90/max): orphans %s; MaxMoves 0: repair ms %s, dropped %s, others moved 0; MaxMoves 5: repair ms %s, dropped %s, others moved %s",
			seeds, dist(orph), dist(rep), dist(drop), dist(rep5), dist(drop5), dist(oth5))
	}
}
