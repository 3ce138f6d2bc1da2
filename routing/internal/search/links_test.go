package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomLinked is randomInstance with links: some visits get a second seat
// (same place, service and window; starts within a tolerance below the
// service; different workers) and some pairs a dependency (B starts g1..g2,
// or at least g1, after A ends; any, the same or a different worker). Every fourth instance has
// vehicles that share an owner (one after the other in time).
func randomLinked(rng *rand.Rand, nVisits, nVeh int) *Instance {
	in := randomInstance(rng, nVisits, nVeh)
	for i := range in.Visits {
		in.Visits[i].Service = 5 + rng.Int64N(30)
	}
	n := len(in.Visits)
	for i := 0; i < n; i++ {
		switch rng.IntN(5) {
		case 0: // double-handed
			seat := in.Visits[i]
			if rng.IntN(3) == 0 {
				seat.Allowed = nil // seats may differ in eligibility
			}
			in.Visits = append(in.Visits, seat)
			tol := rng.Int64N(in.Visits[i].Service)
			if rng.IntN(2) == 0 {
				tol = 0
			}
			in.Links = append(in.Links, Link{A: i, B: len(in.Visits) - 1, MinGap: -tol, MaxGap: tol, Worker: DifferentWorker})
		case 1: // dependency on an earlier visit (no cycles, as schedule.Problem.Validate demands)
			if i == 0 {
				continue
			}
			j := rng.IntN(i)
			g1 := rng.Int64N(60)
			l := Link{A: j, B: i, MinGap: in.Visits[j].Service + g1, MaxGap: maxValue}
			if rng.IntN(2) == 0 {
				l.MaxGap = l.MinGap + rng.Int64N(120)
			}
			switch rng.IntN(4) {
			case 0:
				l.Worker = SameWorker
			case 1:
				l.Worker = DifferentWorker
			}
			// A window for B that the gap can meet.
			e := in.Visits[j].Earliest + l.MinGap + rng.Int64N(60) - 30
			in.Visits[i].Earliest = max(e, 0)
			in.Visits[i].Latest = in.Visits[i].Earliest + rng.Int64N(200)
			in.Links = append(in.Links, l)
		}
	}
	if rng.IntN(4) == 0 && nVeh >= 2 {
		in.Owner = make([]int, nVeh)
		for k := range in.Owner {
			in.Owner[k] = k / 2
			if k%2 == 1 {
				prev := in.Vehicles[k-1]
				in.Vehicles[k].Start = prev.End
				in.Vehicles[k].End = prev.End + 300
			}
		}
	}
	return in
}

// starts simulates each route with the given windows (earliest start) and
// returns every served visit's start and vehicle (-1 when unserved).
func starts(in *Instance, routes [][]int, win []Span) (start []int64, veh []int) {
	start = make([]int64, len(in.Visits))
	veh = make([]int, len(in.Visits))
	for v := range veh {
		veh[v] = -1
	}
	for k, r := range routes {
		vk := in.Vehicles[k]
		pr := in.Profiles[vk.Profile]
		t, at := vk.Start, vk.StartLoc
		for _, v := range r {
			t = max(t+pr.Duration[at*pr.N+in.Visits[v].Loc], win[v].Earliest)
			start[v], veh[v] = t, k
			t += in.Visits[v].Service
			at = in.Visits[v].Loc
		}
	}
	return start, veh
}

// assertLinks checks every link of in on routes, recomputing the starts by
// simulation with the returned windows: both visits or neither served, the
// gap between the starts, and different owners where asked.
func assertLinks(t *testing.T, in *Instance, sol Solution, what string) (served int) {
	t.Helper()
	start, veh := starts(in, sol.Routes, sol.Windows)
	for i, l := range in.Links {
		ka, kb := veh[l.A], veh[l.B]
		require.Equal(t, ka < 0, kb < 0, "%s: link %d: one visit served without the other", what, i)
		if ka < 0 {
			continue
		}
		served++
		gap := start[l.B] - start[l.A]
		require.True(t, gap >= l.MinGap && gap <= l.MaxGap, "%s: link %d: gap %d outside %d..%d", what, i, gap, l.MinGap, l.MaxGap)
		oa, ob := ka, kb
		if in.Owner != nil {
			oa, ob = in.Owner[ka], in.Owner[kb]
		}
		switch l.Worker {
		case DifferentWorker:
			require.NotEqual(t, oa, ob, "%s: link %d: one worker serves both", what, i)
		case SameWorker:
			require.Equal(t, oa, ob, "%s: link %d: two workers serve them", what, i)
		}
	}
	return served
}

// TestSolveLinkedRandomFeasible solves 250 random instances with
// double-handed visits and dependencies; every result passes CheckSolution,
// its cost equals SolutionCost, and the links hold on starts recomputed
// from the routes.
func TestSolveLinkedRandomFeasible(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	links, served := 0, 0
	for it := 0; it < 250; it++ {
		in := randomLinked(rng, 5+rng.IntN(20), 1+rng.IntN(4))
		require.NoError(t, in.Validate(), "instance %d", it)
		sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 60})
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, CheckSolution(in, sol), "instance %d", it)
		require.Equal(t, SolutionCost(in, sol), sol.Cost, "instance %d", it)
		n := 0
		for _, r := range sol.Routes {
			n += len(r)
		}
		require.Equal(t, len(in.Visits), n+len(sol.Unassigned), "instance %d", it)
		links += len(in.Links)
		served += assertLinks(t, in, sol, fmt.Sprintf("instance %d", it))
	}
	t.Logf("%d links, %d served", links, served)
	assert.Greater(t, served, links/6, "too few links served for the test to mean much")
}

// TestLocalSearchKeepsLinks runs ruin, recreate and the full local search
// on random linked instances: the links and windows stay valid after each.
func TestLocalSearchKeepsLinks(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for it := 0; it < 200; it++ {
		in := randomLinked(rng, 10+rng.IntN(25), 2+rng.IntN(3))
		p := prepare(in)
		s := p.newSolution()
		nc := 0
		for _, c := range p.class {
			nc = max(nc, c+1)
		}
		seen := make([]bool, nc)
		p.recreate(s, rng, 0.2, true, seen)
		res := p.result(s, 0)
		require.NoError(t, CheckSolution(in, res), "instance %d after recreate", it)
		ls := newLocalSearch(p, tuning{})
		ls.heavy = true
		ls.run(s, rng, nil)
		res = p.result(s, 0)
		require.NoError(t, CheckSolution(in, res), "instance %d after local search", it)
		require.Equal(t, SolutionCost(in, res), p.cost(s), "instance %d", it)
		var scratch []bool
		p.ruin(s, rng, defaultRuin, &scratch)
		p.release(s)
		res = p.result(s, 0)
		require.NoError(t, CheckSolution(in, res), "instance %d after ruin", it)
		for _, v := range s.unassigned {
			assert.Equal(t, Span{in.Visits[v].Earliest, in.Visits[v].Latest}, res.Windows[v], "instance %d: window of unserved visit %d restored", it, v)
		}
		p.recreateRegret(s, rng, 3, 0.1, true, &regret{}, seen)
		require.NoError(t, CheckSolution(in, p.result(s, 0)), "instance %d after regret", it)
	}
}

// lineInstance has locations on a line at the given x (travel time and
// distance = |dx|), vehicles from location 0 with shift 0..1000, and
// weight 1 per unit of route duration.
func lineInstance(xs []int64, nVeh int) *Instance {
	n := len(xs)
	pr := Profile{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}
	for i := range xs {
		for j := range xs {
			pr.Distance[i*n+j] = abs64(xs[i] - xs[j])
			pr.Duration[i*n+j] = abs64(xs[i] - xs[j])
		}
	}
	in := &Instance{Profiles: []Profile{pr}, Weights: Weights{Duration: 1}}
	for range nVeh {
		in.Vehicles = append(in.Vehicles, Vehicle{End: 1000})
	}
	return in
}

// TestDoubleHandedHandWorked: two workers from x=0 (duration costs 1 per
// unit); S1 at x=10 (only worker 0, start 0..40, 10 long), S2 at x=40 (only
// worker 1, start exactly 100, 10 long), and a double-handed visit D at x=20
// (20 long, tolerance 0). Worker 0 must do S1 before D (S1 by 40), so his
// route lasts 70 whenever D starts by 60 (depart S1-10, S1, D, home by D+40).
// Worker 1 does D then S2 (S2 first would push D past 130): D at t, reach x=40
// by t+40 <= 100, so t <= 60, and he is out from t-20 to 150: 170-t. The
// optimum is D at 60 for both: routes {S1, D} and {D, S2}, cost 70+110 = 180.
func TestDoubleHandedHandWorked(t *testing.T) {
	in := lineInstance([]int64{0, 10, 40, 20}, 2)
	in.Visits = []Visit{
		{Loc: 1, Service: 10, Earliest: 0, Latest: 40, Penalty: 1 << 20, Allowed: []int{0}},    // S1
		{Loc: 2, Service: 10, Earliest: 100, Latest: 100, Penalty: 1 << 20, Allowed: []int{1}}, // S2
		{Loc: 3, Service: 20, Earliest: 0, Latest: 1000, Penalty: 1 << 20},                     // D seat 1
		{Loc: 3, Service: 20, Earliest: 0, Latest: 1000, Penalty: 1 << 20},                     // D seat 2
	}
	in.Links = []Link{{A: 2, B: 3, Worker: DifferentWorker}}
	sol, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 200})
	require.NoError(t, err)
	require.NoError(t, CheckSolution(in, sol))
	assert.Empty(t, sol.Unassigned)
	assert.Equal(t, int64(180), sol.Cost)
	r0, r1 := sol.Routes[0], sol.Routes[1]
	require.Len(t, r0, 2)
	require.Len(t, r1, 2)
	assert.Equal(t, 0, r0[0])
	assert.Equal(t, 1, r1[1])
	assert.ElementsMatch(t, []int{2, 3}, []int{r0[1], r1[0]})
	start, _ := starts(in, sol.Routes, sol.Windows)
	assert.Equal(t, int64(60), start[2])
	assert.Equal(t, int64(60), start[3])
}

// TestDoubleHandedNoPartner: a double-handed visit with one worker, or two
// shifts of one worker, is left out (both seats); with two workers it is
// served.
func TestDoubleHandedNoPartner(t *testing.T) {
	mk := func(nVeh int) *Instance {
		in := lineInstance([]int64{0, 10}, nVeh)
		in.Visits = []Visit{
			{Loc: 1, Service: 30, Earliest: 0, Latest: 600, Penalty: 1 << 20},
			{Loc: 1, Service: 30, Earliest: 0, Latest: 600, Penalty: 1 << 20},
		}
		in.Links = []Link{{A: 0, B: 1, MinGap: -5, MaxGap: 5, Worker: DifferentWorker}}
		return in
	}
	one := mk(1)
	sol, err := Solve(context.Background(), one, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, sol.Unassigned)

	same := mk(2)
	same.Owner = []int{7, 7}
	same.Vehicles[0].End, same.Vehicles[1].Start = 400, 400
	sol, err = Solve(context.Background(), same, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, sol.Unassigned)

	two := mk(2)
	sol, err = Solve(context.Background(), two, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	assert.Empty(t, sol.Unassigned)
	require.NoError(t, CheckSolution(two, sol))
	// Both leave at 0 and start at 10: cost 2 × (10+30+10).
	assert.Equal(t, int64(100), sol.Cost)
}

// TestDependencyForcesWait: one worker; A at x=10 starts exactly at 10 (10
// long); B at the same place must start at least 30 after A ends, so the
// worker waits 30 and starts B at 50: route {A, B}, out 0..70, cost 70.
func TestDependencyForcesWait(t *testing.T) {
	in := lineInstance([]int64{0, 10}, 1)
	in.Visits = []Visit{
		{Loc: 1, Service: 10, Earliest: 10, Latest: 10, Penalty: 1 << 20},
		{Loc: 1, Service: 10, Earliest: 0, Latest: 100, Penalty: 1 << 20},
	}
	in.Links = []Link{{A: 0, B: 1, MinGap: 10 + 30, MaxGap: maxValue}}
	sol, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	require.NoError(t, CheckSolution(in, sol))
	assert.Equal(t, [][]int{{0, 1}}, sol.Routes)
	assert.Equal(t, int64(70), sol.Cost)
	start, _ := starts(in, sol.Routes, sol.Windows)
	assert.Equal(t, []int64{10, 50}, start)
	// With B closing at 45, nothing fits: both are left out.
	in.Visits[1].Latest = 45
	sol, err = Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, sol.Unassigned)
}

func TestValidateLinks(t *testing.T) {
	in := lineInstance([]int64{0, 10}, 2)
	in.Visits = []Visit{{Loc: 1, Service: 10, Latest: 100, Penalty: 1}, {Loc: 1, Service: 10, Latest: 100, Penalty: 1}}
	for name, c := range map[string]struct {
		links []Link
		owner []int
	}{
		"out of range":  {links: []Link{{A: 0, B: 2}}},
		"self":          {links: []Link{{A: 1, B: 1}}},
		"min above max": {links: []Link{{A: 0, B: 1, MinGap: 5, MaxGap: 4}}},
		"relation":      {links: []Link{{A: 0, B: 1, Worker: 9}}},
		"owner length":  {owner: []int{1}},
		"owner overlap": {links: []Link{{A: 0, B: 1, Worker: DifferentWorker}}, owner: []int{1, 1}},
	} {
		bad := *in
		bad.Links, bad.Owner = c.links, c.owner
		require.ErrorIs(t, bad.Validate(), ErrInvalid, name)
	}
	good := *in
	good.Links = []Link{{A: 0, B: 1, MinGap: -9, MaxGap: 9, Worker: DifferentWorker}}
	require.NoError(t, good.Validate())
	sol := Solution{Routes: [][]int{{0, 1}}, Windows: []Span{{0, 0}, {0, 100}}}
	require.ErrorIs(t, CheckSolution(&good, sol), ErrInfeasible, "one vehicle serves both")
	sol = Solution{Routes: [][]int{{0}, {1}}, Windows: []Span{{10, 10}, {10, 100}}}
	require.ErrorIs(t, CheckSolution(&good, sol), ErrInfeasible, "window wider than the gap")
	sol.Windows[1] = Span{15, 19}
	require.NoError(t, CheckSolution(&good, sol))
	sol.Routes = [][]int{{0}, {}}
	require.ErrorIs(t, CheckSolution(&good, sol), ErrInfeasible, "one seat served")
}

// TestPairInsertionComplete: on empty routes, a double-handed pair goes in
// exactly when two vehicles of different owners can each serve a seat alone
// with starts within the tolerance (worked out from each lone route's start
// interval, independently of the engine).
func TestPairInsertionComplete(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	in0, yes := 0, 0
	for it := 0; it < 300; it++ {
		in := randomInstance(rng, 1, 1+rng.IntN(4))
		seat := in.Visits[0]
		seat.Service = 5 + rng.Int64N(30)
		seat.Penalty = 1 << 40
		in.Visits[0] = seat
		if rng.IntN(2) == 0 {
			seat.Allowed = nil
		}
		in.Visits = append(in.Visits, seat)
		tol := rng.Int64N(seat.Service)
		in.Links = []Link{{A: 0, B: 1, MinGap: -tol, MaxGap: tol, Worker: DifferentWorker}}
		require.NoError(t, in.Validate())
		// Independent: each seat's start interval on each lone vehicle.
		interval := func(v, k int) (int64, int64, bool) {
			vis, veh := in.Visits[v], in.Vehicles[k]
			if vis.Allowed != nil && !slices.Contains(vis.Allowed, k) {
				return 0, 0, false
			}
			pr := in.Profiles[veh.Profile]
			t1, t2 := pr.Duration[veh.StartLoc*pr.N+vis.Loc], pr.Duration[vis.Loc*pr.N+veh.EndLoc]
			if veh.Capacity > 0 && vis.Demand > veh.Capacity || veh.MaxDuration > 0 && t1+vis.Service+t2 > veh.MaxDuration {
				return 0, 0, false
			}
			lo, hi := max(vis.Earliest, veh.Start+t1), min(vis.Latest, veh.End-t2-vis.Service)
			return lo, hi, lo <= hi
		}
		want := false
		for k1 := range in.Vehicles {
			for k2 := range in.Vehicles {
				a1, b1, ok1 := interval(0, k1)
				a2, b2, ok2 := interval(1, k2)
				if k1 != k2 && ok1 && ok2 && a2-b1 <= tol && a1-b2 <= tol {
					want = true
				}
			}
		}
		p := prepare(in)
		s := p.newSolution()
		seen := make([]bool, len(in.Vehicles))
		got := p.insertGroup(s, 0, rng, 0, true, seen, &s.links)
		require.Equal(t, want, got, "instance %d: %+v", it, in)
		if got {
			s.unassigned = s.unassigned[:0]
			require.NoError(t, CheckSolution(in, p.result(s, 0)), "instance %d", it)
			yes++
		}
		in0++
	}
	t.Logf("%d of %d pairs fit", yes, in0)
	assert.Greater(t, yes, 50)
	assert.Less(t, yes, in0-50)
}

// TestWarmStartLinks: warm-started from a solution with its windows, the
// search keeps every link group (cost no worse after one iteration); with
// no windows, each linked visit is fixed at its earliest start and groups
// that then break are re-inserted; either way the result passes
// CheckSolution.
func TestWarmStartLinks(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for it := 0; it < 20; it++ {
		in := randomLinked(rng, 10+rng.IntN(15), 2+rng.IntN(3))
		first, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 100})
		require.NoError(t, err)
		again, err := Solve(context.Background(), in, Options{Seed: 2, MaxIterations: 1, Initial: first.Routes, InitialWindows: first.Windows})
		require.NoError(t, err)
		require.NoError(t, CheckSolution(in, again), "instance %d", it)
		assert.LessOrEqual(t, again.Cost, first.Cost, "instance %d", it)
		plain, err := Solve(context.Background(), in, Options{Seed: 2, MaxIterations: 1, Initial: first.Routes})
		require.NoError(t, err)
		require.NoError(t, CheckSolution(in, plain), "instance %d", it)
	}
	in := randomLinked(rng, 5, 2)
	_, err := Solve(context.Background(), in, Options{MaxIterations: 1, InitialWindows: []Span{{0, 1}}})
	require.ErrorIs(t, err, ErrInvalid)
}

// TestDependencyWorkerRelation: on a line, worker 0 lives at x=0 and worker
// 1 at x=95; A is at x=10, B at x=90 and starts after A ends (distance
// costs 1). Any worker: A by worker 0 (20) and B by worker 1 (10), cost 30.
// Same worker: worker 1 does both (85+80+5 = 170, against 180 for worker
// 0). Different workers with both at x=10: each worker serves one (20 +
// 170), never worker 0 alone (20).
func TestDependencyWorkerRelation(t *testing.T) {
	mk := func(rel Relation, bx int) *Instance {
		in := lineInstance([]int64{0, 10, 90, 95}, 2)
		in.Weights = Weights{Distance: 1}
		in.Vehicles[1].StartLoc, in.Vehicles[1].EndLoc = 3, 3
		in.Visits = []Visit{
			{Loc: 1, Service: 10, Latest: 500, Penalty: 1 << 20},
			{Loc: bx, Service: 10, Latest: 500, Penalty: 1 << 20},
		}
		in.Links = []Link{{A: 0, B: 1, MinGap: 10, MaxGap: maxValue, Worker: rel}}
		return in
	}
	for _, c := range []struct {
		rel    Relation
		bx     int
		routes [][]int
		cost   int64
	}{
		{AnyWorker, 2, [][]int{{0}, {1}}, 30},
		{SameWorker, 2, [][]int{{}, {0, 1}}, 170},
		{DifferentWorker, 1, [][]int{{0}, {1}}, 190},
	} {
		in := mk(c.rel, c.bx)
		sol, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 100})
		require.NoError(t, err)
		require.NoError(t, CheckSolution(in, sol))
		assert.Equal(t, c.routes, sol.Routes, "relation %d", c.rel)
		assert.Equal(t, c.cost, sol.Cost, "relation %d", c.rel)
	}
}
