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

// withBreaks gives most vehicles of in a break rule (random BreakAfter
// and BreakLength, sometimes break windows inside the shift).
func withBreaks(rng *rand.Rand, in *Instance) {
	for k := range in.Vehicles {
		v := &in.Vehicles[k]
		if rng.IntN(4) == 0 {
			continue
		}
		v.BreakAfter = 40 + rng.Int64N(160)
		v.BreakLength = 5 + rng.Int64N(30)
		if rng.IntN(2) == 0 {
			for range 1 + rng.IntN(2) {
				e := v.Start + rng.Int64N(max(v.End-v.Start, 1))
				l := min(e+rng.Int64N(150), v.End)
				v.BreakWindows = append(v.BreakWindows, BreakWindow{Earliest: e, Latest: l, Length: rng.Int64N(40)})
			}
		}
	}
}

// line1 is one vehicle on a line: location 0 is the depot, visit i at
// location i+1, travel |a-b| (distance the same).
func line1(xs []int64, start, end int64) *Instance {
	n := len(xs) + 1
	pos := append([]int64{0}, xs...)
	pr := Profile{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}
	for i := range n {
		for j := range n {
			pr.Duration[i*n+j] = abs64(pos[i] - pos[j])
			pr.Distance[i*n+j] = abs64(pos[i] - pos[j])
		}
	}
	in := &Instance{Profiles: []Profile{pr}, Weights: Weights{Duration: 1}}
	in.Vehicles = []Vehicle{{Start: start, End: end}}
	for i := range xs {
		in.Visits = append(in.Visits, Visit{Loc: i + 1, Earliest: start, Latest: end, Penalty: 1 << 30})
	}
	return in
}

// TestPlaceBreakHandWorked: three visits 10 apart with fixed starts and
// services that leave a wait of 5 before visit 1 (whose start is fixed)
// and of 30 before visit 2. A break after 60 units of work fits only
// before visit 2: a 20-unit break costs nothing there (the wait absorbs
// it), a 40-unit break pushes visit 2 and the return 10 later; break
// windows move its start and may ask for a longer break.
func TestPlaceBreakHandWorked(t *testing.T) {
	in := line1([]int64{10, 20, 30}, 0, 1000)
	// Visit 0 at 10..40 (service 30), travel 10: arrive at visit 1 at 50, starts 55 (wait 5),
	// service 30 until 85, arrive at visit 2 at 95, starts 125 (wait 30), service 10, return at 165.
	in.Visits[0].Service, in.Visits[0].Earliest, in.Visits[0].Latest = 30, 10, 10
	in.Visits[1].Service, in.Visits[1].Earliest, in.Visits[1].Latest = 30, 55, 55
	in.Visits[2].Service, in.Visits[2].Earliest, in.Visits[2].Latest = 10, 125, 140
	in.Vehicles[0].BreakAfter, in.Vehicles[0].BreakLength = 60, 20
	require.NoError(t, in.Validate())
	route := []int{0, 1, 2}
	cases := []struct {
		name    string
		length  int64
		windows []BreakWindow
		want    Break
		dur     int64 // minimal duration with the break (165 when it is absorbed)
	}{
		{"fits in the wait before visit 2", 20, nil, Break{Before: 2, Window: -1}, 165},
		{"longer break pushes visit 2", 40, nil, Break{Before: 2, Window: -1}, 175},
		{"window starts after the arrival", 20, []BreakWindow{{Earliest: 96, Latest: 120}}, Break{Before: 2, Window: 0}, 165},
		{"window's own length", 20, []BreakWindow{{Earliest: 100, Latest: 110, Length: 35}}, Break{Before: 2, Window: 0}, 175},
		{"second window", 20, []BreakWindow{{Earliest: 0, Latest: 20}, {Earliest: 90, Latest: 100, Length: 25}}, Break{Before: 2, Window: 1}, 165},
	}
	for _, c := range cases {
		cin := *in
		cin.Vehicles = slices.Clone(in.Vehicles)
		cin.Vehicles[0].BreakLength, cin.Vehicles[0].BreakWindows = c.length, c.windows
		require.NoError(t, cin.Validate(), c.name)
		p := prepare(&cin)
		b, sg, ok := p.placeBreak(0, p.vseg, &seq3{x: route})
		require.True(t, ok, c.name)
		assert.Equal(t, c.want, b, c.name)
		assert.Equal(t, c.dur, sg.dur, c.name)
		// The reference agrees, and the whole route costs that duration.
		rb, ok := refBreak(&cin, 0, route, nil)
		require.True(t, ok, c.name)
		assert.Equal(t, c.want, rb, c.name)
		require.NoError(t, Check(&cin, [][]int{route}), c.name)
		s := p.newSolution()
		p.setVisits(s, 0, route)
		assert.Equal(t, c.want, s.routes[0].brk, c.name)
		s.unassigned = nil
		assert.Equal(t, c.dur, s.routes[0].cost, c.name) // Weights: duration only
		assert.Equal(t, Cost(&cin, [][]int{route}), p.cost(s), c.name)
	}
	// No break is owed when the route works no longer than BreakAfter.
	cin := *in
	cin.Vehicles = slices.Clone(in.Vehicles)
	cin.Vehicles[0].BreakAfter = 165
	p := prepare(&cin)
	s := p.newSolution()
	p.setVisits(s, 0, route)
	assert.Equal(t, noBreak, s.routes[0].brk)
	assert.False(t, s.routes[0].nobrk)
	// Infeasible: a 60-unit break cannot fit before visit 2 (latest 140,
	// arrival 95 + 60) nor before visit 1 (fixed at 55, arrival 50).
	cin.Vehicles[0].BreakAfter, cin.Vehicles[0].BreakLength = 60, 60
	p = prepare(&cin)
	_, _, ok := p.placeBreak(0, p.vseg, &seq3{x: route})
	assert.False(t, ok)
	assert.ErrorIs(t, Check(&cin, [][]int{route}), ErrInfeasible)
	s = p.newSolution()
	p.setVisits(s, 0, route)
	assert.True(t, s.routes[0].nobrk)
	// A route of one visit has no place for a break.
	cin.Visits = slices.Clone(in.Visits)
	cin.Visits[0].Service = 100
	assert.ErrorIs(t, Check(&cin, [][]int{{0}}), ErrInfeasible)
	sol, err := Solve(context.Background(), &cin, Options{Seed: 1, MaxIterations: 50})
	require.NoError(t, err)
	require.NoError(t, CheckSolution(&cin, sol))
	assert.NotContains(t, sol.Routes[0], 0, "visit 0 alone works 120 > 60 and no break fits")
}

// TestSolveBreakOptimal: two visits at one place, each alone a route of
// 60 units, together 100 > BreakAfter 60, so the only vehicle must take a
// 30-unit break: the only place is before visit 1, and the optimal cost
// is known: the duration 130 (the only weight).
func TestSolveBreakOptimal(t *testing.T) {
	in := line1([]int64{10, 10}, 0, 1000)
	in.Visits[0].Service, in.Visits[0].Earliest, in.Visits[0].Latest = 40, 10, 10
	in.Visits[1].Service, in.Visits[1].Earliest, in.Visits[1].Latest = 40, 50, 80
	in.Vehicles[0].BreakAfter, in.Vehicles[0].BreakLength = 60, 30
	sol, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 100})
	require.NoError(t, err)
	require.NoError(t, CheckSolution(in, sol))
	assert.Equal(t, [][]int{{0, 1}}, sol.Routes)
	assert.Equal(t, []Break{{Before: 1, Window: -1}}, sol.Breaks)
	// Leave at 0, visit 0 10..50, break 50..80, visit 1 80..120, back at 130.
	assert.Equal(t, int64(130), sol.Cost) // Weights: duration only
	assert.Equal(t, SolutionCost(in, sol), sol.Cost)
}

// TestBreakValidate names the field of a bad break rule.
func TestBreakValidate(t *testing.T) {
	for name, v := range map[string]Vehicle{
		"needs a break length": {End: 10, BreakAfter: 5},
		"without break after":  {End: 10, BreakLength: 5},
		"latest 1 before":      {End: 10, BreakAfter: 5, BreakLength: 1, BreakWindows: []BreakWindow{{Earliest: 3, Latest: 1}}},
		"out of range":         {End: 10, BreakAfter: -1},
	} {
		in := line1([]int64{1}, 0, 10)
		in.Vehicles[0] = v
		err := in.Validate()
		require.ErrorIs(t, err, ErrInvalid, name)
		assert.Contains(t, err.Error(), "vehicle 0", name)
	}
}

// TestBreakInsertDeltaMatchesReference compares insertDelta with break
// rules (with and without lateness costs) against the reference Check and
// Cost of the modified solution, and the bookkeeping after a ruin.
func TestBreakInsertDeltaMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	checked, broke := 0, 0
	for it := 0; it < 200; it++ {
		in := randomInstance(rng, 4+rng.IntN(12), 1+rng.IntN(4))
		withBreaks(rng, in)
		if it%2 == 1 {
			withSoft(rng, in)
		}
		require.NoError(t, in.Validate())
		p := prepare(in)
		s := ruined(p, rng)
		p.release(s)
		routes := s.export()
		require.NoError(t, Check(in, routes), "instance %d", it)
		base := Cost(in, routes)
		require.Equal(t, base, p.cost(s), "instance %d: bookkeeping", it)
		for k := range s.routes {
			if s.routes[k].brk.Before >= 0 {
				broke++
			}
		}
		checked += checkInsertions(t, in, p, s, base, it, nil)
	}
	t.Logf("%d feasible insertions checked; %d routes with a break", checked, broke)
	assert.Greater(t, checked, 500)
	assert.Greater(t, broke, 20)
}

// TestSolveRandomBreaks solves random instances with break rules (some
// with lateness costs and links) and checks every result with the
// reference CheckSolution (the reported breaks included) and SolutionCost.
func TestSolveRandomBreaks(t *testing.T) {
	rng := rand.New(rand.NewPCG(73, 74))
	broke := 0
	for it := 0; it < 120; it++ {
		var in *Instance
		if it%3 == 2 {
			in = randomLinked(rng, 6+rng.IntN(14), 2+rng.IntN(3))
		} else {
			in = randomInstance(rng, 5+rng.IntN(20), 1+rng.IntN(4))
		}
		withBreaks(rng, in)
		if it%2 == 1 {
			withSoft(rng, in)
		}
		require.NoError(t, in.Validate(), "instance %d", it)
		sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 120})
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, CheckSolution(in, sol), "instance %d", it)
		require.Equal(t, SolutionCost(in, sol), sol.Cost, "instance %d", it)
		require.Len(t, sol.Breaks, len(in.Vehicles))
		for _, b := range sol.Breaks {
			if b.Before >= 0 {
				broke++
			}
		}
	}
	t.Logf("%d routes with a break", broke)
	assert.Greater(t, broke, 30)
}

// TestSolveBreaksDeterministic: with an iteration limit, instances with
// break rules give the same solution (breaks included) on every run.
func TestSolveBreaksDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(75, 76))
	in := randomInstance(rng, 40, 5)
	withBreaks(rng, in)
	withSoft(rng, in)
	opt := Options{Seed: 42, Threads: 2, MaxIterations: 2000}
	a, err := Solve(context.Background(), in, opt)
	require.NoError(t, err)
	b, err := Solve(context.Background(), in, opt)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	require.NoError(t, CheckSolution(in, a))
}

// breakMod adds break rules (withBreaks) and, with soft, the soft terms;
// sameVehicles makes the vehicles interchangeable for 2-opt*.
func breakMod(sameVehicles, soft bool) func(*rand.Rand, *Instance) {
	return func(rng *rand.Rand, in *Instance) {
		if sameVehicles {
			for k := range in.Vehicles {
				in.Vehicles[k].Profile, in.Vehicles[k].EndLoc = 0, 0
				in.Vehicles[k].Start, in.Vehicles[k].End = 0, 900
			}
		}
		withBreaks(rng, in) // 2-opt* may swap tails between vehicles of different break rules
		if soft {
			withSoft(rng, in)
		}
	}
}

// TestBreakOperatorsAgainstReference checks every local search operator on
// instances with break rules (half of them with the soft terms too): an
// operator moves exactly when its neighbourhood holds a cheaper feasible
// solution by the reference Check and Cost (breaks included), and its
// bookkeeping then equals Cost.
func TestBreakOperatorsAgainstReference(t *testing.T) {
	for _, soft := range []bool{false, true} {
		name := fmt.Sprintf("breaks (soft %v) ", soft)
		checkOperatorWith(t, name+"relocate", (*localSearch).relocate, refRelocate, breakMod(false, soft), 80, 30)
		checkOperatorWith(t, name+"swap", (*localSearch).swap, refSwap, breakMod(false, soft), 80, 15)
		checkOperatorWith(t, name+"2-opt*", (*localSearch).twoOptStar, refTails, breakMod(true, soft), 150, 2)
		checkOperatorWith(t, name+"or-opt", (*localSearch).orOpt, refOrOpt, breakMod(false, soft), 80, 15)
		checkOperatorWith(t, name+"cross-exchange", (*localSearch).crossExchange, refCross, breakMod(false, soft), 100, 3)
	}
}
