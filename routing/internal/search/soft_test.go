package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withSoft adds the soft terms to in: a Target and a LateCost on about two
// visits in three (some late costs below the duration weight, some above),
// people with several visits each (continuity), preferred owners and, for
// half the instances, reward groups of two visits; owners shared by pairs
// of vehicles when in has no links.
func withSoft(rng *rand.Rand, in *Instance) {
	in.Weights.Duration = rng.Int64N(6)
	for i := range in.Visits {
		v := &in.Visits[i]
		if rng.IntN(3) > 0 {
			v.Target = v.Earliest + rng.Int64N(v.Latest-v.Earliest+1)
			v.LateCost = 1 + rng.Int64N(8)
		}
	}
	if in.Owner == nil && len(in.Links) == 0 && rng.IntN(2) == 0 {
		in.Owner = make([]int, len(in.Vehicles))
		for k := range in.Owner {
			in.Owner[k] = k / 2
		}
	}
	owners := in.owners()
	people := 1 + rng.IntN(max(1, len(in.Visits)/3))
	in.Person = make([]int, len(in.Visits))
	for i := range in.Person {
		in.Person[i] = rng.IntN(people)
		if rng.IntN(8) == 0 {
			in.Person[i] = -1
		}
	}
	for i := range in.Visits {
		if rng.IntN(2) == 0 {
			continue
		}
		pref := []int{rng.IntN(owners)}
		if rng.IntN(3) == 0 {
			pref = append(pref, rng.IntN(owners))
		}
		slices.Sort(pref)
		in.Visits[i].Preferred = slices.Compact(pref)
	}
	if rng.IntN(2) == 0 {
		in.Reward = make([]int, len(in.Visits))
		for i := range in.Reward {
			in.Reward[i] = i / 2
			if rng.IntN(6) == 0 {
				in.Reward[i] = -1
			}
		}
	}
	in.Weights.Continuity = rng.Int64N(150)
	in.Weights.Preferred = rng.Int64N(150)
}

// TestSoftInsertDeltaMatchesReference compares insertDelta (lateness at
// the best departure, continuity and preferred owners of an unserved
// visit) with the reference Cost of the whole solution before and after.
func TestSoftInsertDeltaMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	checked, late := 0, 0
	for it := 0; it < 200; it++ {
		in := randomInstance(rng, 4+rng.IntN(12), 1+rng.IntN(4))
		withSoft(rng, in)
		require.NoError(t, in.Validate())
		p := prepare(in)
		s := ruined(p, rng)
		routes := s.export()
		require.NoError(t, Check(in, routes))
		base := Cost(in, routes)
		require.Equal(t, base, p.cost(s), "instance %d: bookkeeping", it)
		checked += checkInsertions(t, in, p, s, base, it, func(v int, _ int64) {
			if in.Visits[v].LateCost > 0 {
				late++
			}
		})
	}
	t.Logf("%d feasible insertions checked (%d of visits with a late cost)", checked, late)
	assert.Greater(t, checked, 1000)
}

// refRelocate lists the relocations of u to just after or just before v.
func refRelocate(routes [][]int, u, v int) [][][]int {
	var out [][][]int
	for _, after := range []bool{true, false} {
		c := cloneRoutes(routes)
		ru, iu := locate(c, u)
		c[ru] = slices.Delete(c[ru], iu, iu+1)
		rv, iv := locate(c, v)
		if after {
			iv++
		}
		c[rv] = slices.Insert(c[rv], iv, u)
		out = append(out, c)
	}
	return out
}

// refSwap exchanges u and v.
func refSwap(routes [][]int, u, v int) [][][]int {
	c := cloneRoutes(routes)
	ru, iu := locate(c, u)
	rv, iv := locate(c, v)
	c[ru][iu], c[rv][iv] = v, u
	return [][][]int{c}
}

// refTails lists the 2-opt* exchanges of twoOptStar: u then v's successors
// (and v then u's successors), and u's predecessors then v (and v's
// predecessors then u), except the exchange of two whole routes.
func refTails(routes [][]int, u, v int) [][][]int {
	ru, iu := locate(routes, u)
	rv, iv := locate(routes, v)
	if ru == rv {
		return nil
	}
	var out [][][]int
	for _, cut := range [][2]int{{iu + 1, iv + 1}, {iu, iv}} {
		if cut[0] == 0 && cut[1] == 0 {
			continue
		}
		c := cloneRoutes(routes)
		a, b := routes[ru], routes[rv]
		c[ru] = append(slices.Clone(a[:cut[0]]), b[cut[1]:]...)
		c[rv] = append(slices.Clone(b[:cut[1]]), a[cut[0]:]...)
		out = append(out, c)
	}
	return out
}

// softMod adds the soft terms; sameVehicles also makes the vehicles
// interchangeable for 2-opt* (the same profile, shift and end).
func softMod(sameVehicles bool) func(*rand.Rand, *Instance) {
	return func(rng *rand.Rand, in *Instance) {
		if sameVehicles {
			for k := range in.Vehicles {
				in.Vehicles[k].Profile, in.Vehicles[k].EndLoc = 0, 0
				in.Vehicles[k].Start, in.Vehicles[k].End = 0, 900
			}
		}
		withSoft(rng, in)
	}
}

// TestSoftOperatorsAgainstReference checks every local search operator on
// instances with lateness, continuity and preferred owners: an operator
// moves exactly when its neighbourhood holds a cheaper feasible solution by
// the reference Cost, and its bookkeeping then equals Cost.
func TestSoftOperatorsAgainstReference(t *testing.T) {
	checkOperatorWith(t, "soft relocate", (*localSearch).relocate, refRelocate, softMod(false), 80, 40)
	checkOperatorWith(t, "soft swap", (*localSearch).swap, refSwap, softMod(false), 80, 20)
	checkOperatorWith(t, "soft 2-opt*", (*localSearch).twoOptStar, refTails, softMod(true), 100, 6)
	checkOperatorWith(t, "soft or-opt", (*localSearch).orOpt, refOrOpt, softMod(false), 80, 20)
	checkOperatorWith(t, "soft cross-exchange", (*localSearch).crossExchange, refCross, softMod(false), 100, 4)
}

// TestSoftSwapStar: every SWAP* move on instances with the soft terms is
// feasible, strictly cheaper by Cost and keeps the bookkeeping.
func TestSoftSwapStar(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	moves := 0
	for it := 0; it < 200; it++ {
		in := randomInstance(rng, 8+rng.IntN(25), 2+rng.IntN(3))
		withSoft(rng, in)
		p := prepare(in)
		s := recreated(p, rng, 0.4)
		ls := newLocalSearch(p, tuning{})
		for trial := 0; trial < 10; trial++ {
			ra, rb := rng.IntN(len(s.routes)), rng.IntN(len(s.routes))
			if ra == rb {
				continue
			}
			c0 := Cost(in, s.export())
			if !ls.swapStar(s, ra, rb) {
				continue
			}
			moves++
			got := s.export()
			require.NoError(t, Check(in, got))
			require.Less(t, Cost(in, got), c0, "instance %d", it)
			require.Equal(t, Cost(in, got), p.cost(s), "instance %d: bookkeeping", it)
		}
	}
	t.Logf("%d SWAP* moves", moves)
	assert.Greater(t, moves, 30)
}

// TestSoftSolveMatchesReference solves random instances with the soft
// terms, with and without links: the solution passes CheckSolution and its
// cost equals the reference SolutionCost; the local search never leaves the
// bookkeeping behind.
func TestSoftSolveMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for it := 0; it < 80; it++ {
		var in *Instance
		if it%2 == 0 {
			in = randomInstance(rng, 5+rng.IntN(20), 1+rng.IntN(4))
		} else {
			in = randomLinked(rng, 5+rng.IntN(15), 2+rng.IntN(3))
		}
		withSoft(rng, in)
		if in.Reward != nil && len(in.Links) > 0 {
			// The seats of a double-handed visit share their reward.
			for _, l := range in.Links {
				if in.timeApart(l) {
					in.Reward[l.B] = in.Reward[l.A]
				}
			}
		}
		require.NoError(t, in.Validate(), "instance %d", it)
		sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 60})
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, CheckSolution(in, sol), "instance %d", it)
		require.Equal(t, SolutionCost(in, sol), sol.Cost, "instance %d", it)
	}
}

// TestBestDepartureHandWorked: one vehicle from location 0 at time 0,
// visit a at distance 10 (window 0..30, target 10, service 10) and visit b
// at distance 20 (window 60..70, service 10), back to 0: leaving at 0 the
// route waits 30 before b and lasts 90; leaving 20 later it lasts 70 but a
// starts 20 after its target. The departure follows the weights: later
// when lateness is cheaper than working time, else at once.
func TestBestDepartureHandWorked(t *testing.T) {
	in := lineInstance([]int64{0, 10, 20}, 1)
	in.Vehicles[0].End = 1000
	in.Visits = []Visit{
		{Loc: 1, Service: 10, Earliest: 0, Latest: 30, Target: 10, Penalty: 1 << 40},
		{Loc: 2, Service: 10, Earliest: 60, Latest: 70, Penalty: 1 << 40},
	}
	for _, c := range []struct {
		name            string
		duration, late  int64
		maxDur          int64
		wantDep, wantSc int64
	}{
		{"lateness dearer", 1, 2, 0, 0, 90},             // leave at 0: 90 of duration, never late
		{"lateness cheaper", 2, 1, 0, 20, 2*70 + 20},    // leave at 20: a is 20 late
		{"no duration cost", 0, 1, 0, 0, 0},             // as early as possible
		{"max duration", 0, 1, 80, 10, 10},              // must leave by 10 to last 80
		{"equal weights", 1, 1, 0, 0, 90},               // the first departure where the slope is 0
		{"late already", 1, 5, 0, 0, 90 + 5*0},          // target met at once
		{"late at once", 3, 1, 0, 20, 3*70 + 1*20},      // cheaper to be late
		{"bounded by window", 10, 1, 0, 20, 10*70 + 20}, // a's Latest 30 bounds the departure at 20
	} {
		cin := *in
		cin.Visits = slices.Clone(in.Visits)
		cin.Vehicles = slices.Clone(in.Vehicles)
		cin.Weights = Weights{Duration: c.duration}
		cin.Visits[0].LateCost = c.late
		cin.Vehicles[0].MaxDuration = c.maxDur
		require.NoError(t, cin.Validate(), c.name)
		p := prepare(&cin)
		route := []int{0, 1}
		dep, sc, _ := p.bestDeparture(0, p.vseg, 0, &seq3{x: route}, noBreak)
		assert.Equal(t, c.wantDep, dep, c.name)
		assert.Equal(t, c.wantSc, sc, c.name)
		ref, _ := refSched(&cin, 0, nodes(&cin, 0, route, nil, noBreak))
		assert.Equal(t, sc, ref, c.name)
	}
}

// TestContinuityAndPreferredHandWorked: visit 0 of a person can only be
// served by vehicle 0 (owner 0); visit 1 of the same person is on vehicle
// 1's way (owner 1, no extra travel) or 20 units of travel out of vehicle
// 2's way (owner 0 again). Continuity, or a preferred-owner reward, above
// the extra travel sends visit 1 to owner 0; below it, to owner 1.
func TestContinuityAndPreferredHandWorked(t *testing.T) {
	// Locations: 0 and 1 at x = 0, visit 1's place at x = 10.
	build := func(cont, pref int64) *Instance {
		in := lineInstance([]int64{0, 10}, 3)
		in.Vehicles[1].StartLoc, in.Vehicles[1].EndLoc = 1, 1 // lives next door
		in.Vehicles[0].End = 100
		in.Vehicles[1].Start, in.Vehicles[1].End = 200, 400
		in.Vehicles[2].Start, in.Vehicles[2].End = 200, 400
		in.Owner = []int{0, 1, 0}
		in.Visits = []Visit{
			{Loc: 1, Service: 10, Earliest: 20, Latest: 30, Penalty: 1 << 40, Allowed: []int{0}},
			{Loc: 1, Service: 10, Earliest: 250, Latest: 260, Penalty: 1 << 40, Allowed: []int{1, 2}},
		}
		in.Weights = Weights{Distance: 1, Continuity: cont, Preferred: pref}
		in.Person = []int{0, 0}
		if pref > 0 {
			in.Visits[1].Preferred = []int{0}
		}
		return in
	}
	for _, c := range []struct {
		name       string
		cont, pref int64
		want       int // vehicle serving visit 1
	}{
		{"no soft terms", 0, 0, 1},
		{"continuity below travel", 15, 0, 1},
		{"continuity above travel", 25, 0, 2},
		{"preferred below travel", 0, 15, 1},
		{"preferred above travel", 0, 25, 2},
	} {
		in := build(c.cont, c.pref)
		require.NoError(t, in.Validate(), c.name)
		sol, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 50})
		require.NoError(t, err, c.name)
		require.Equal(t, []int{1}, sol.Routes[c.want], c.name)
		require.Equal(t, SolutionCost(in, sol), sol.Cost, c.name)
		wantCost := int64(20) + 0 // vehicle 0 to visit 0 and back
		if c.want == 2 {
			wantCost += 20 - c.pref
		} else {
			wantCost += c.cont
		}
		require.Equal(t, wantCost, sol.Cost, c.name)
	}
}
