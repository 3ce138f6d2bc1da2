package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomInstance builds a small instance exercising every feature: two
// profiles, different start/end locations, shifts, capacities, maximum
// durations, fixed costs, eligibility lists and all three weights.
func randomInstance(rng *rand.Rand, nVisits, nVeh int) *Instance {
	nLoc := nVisits + 3
	xs := make([]int64, nLoc)
	ys := make([]int64, nLoc)
	for i := range xs {
		xs[i], ys[i] = rng.Int64N(100), rng.Int64N(100)
	}
	in := &Instance{Weights: Weights{Distance: 1 + rng.Int64N(3), Duration: rng.Int64N(2), TravelTime: rng.Int64N(2)}}
	for p := 0; p < 2; p++ {
		pr := Profile{N: nLoc, Duration: make([]int64, nLoc*nLoc), Distance: make([]int64, nLoc*nLoc)}
		speed := int64(1 + p)
		for i := 0; i < nLoc; i++ {
			for j := 0; j < nLoc; j++ {
				d := abs64(xs[i]-xs[j]) + abs64(ys[i]-ys[j]) // Manhattan: triangle inequality holds
				pr.Distance[i*nLoc+j] = d
				pr.Duration[i*nLoc+j] = d / speed
			}
		}
		in.Profiles = append(in.Profiles, pr)
	}
	for k := 0; k < nVeh; k++ {
		start := rng.Int64N(100)
		v := Vehicle{
			Profile: rng.IntN(2), StartLoc: rng.IntN(3), EndLoc: rng.IntN(3),
			Start: start, End: start + 200 + rng.Int64N(400),
		}
		if rng.IntN(2) == 0 {
			v.Capacity = 5 + rng.Int64N(20)
		}
		if rng.IntN(3) == 0 {
			v.MaxDuration = 100 + rng.Int64N(200)
		}
		if rng.IntN(2) == 0 {
			v.FixedCost = rng.Int64N(500)
		}
		in.Vehicles = append(in.Vehicles, v)
	}
	for i := 0; i < nVisits; i++ {
		e := rng.Int64N(500)
		v := Visit{Loc: 3 + i, Service: rng.Int64N(30), Earliest: e, Latest: e + rng.Int64N(200), Demand: rng.Int64N(6), Penalty: 1 + rng.Int64N(2000)}
		if rng.IntN(4) == 0 {
			for k := 0; k < nVeh; k++ {
				if rng.IntN(2) == 0 {
					v.Allowed = append(v.Allowed, k)
				}
			}
			if v.Allowed == nil {
				v.Allowed = []int{}
			}
		}
		in.Visits = append(in.Visits, v)
	}
	return in
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestInsertDeltaMatchesReference compares the O(1) insertion evaluation with
// Check and Cost on the modified routes, on 300 random instances.
func TestInsertDeltaMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	checked, feasible := 0, 0
	for it := 0; it < 300; it++ {
		in := randomInstance(rng, 4+rng.IntN(10), 1+rng.IntN(3))
		require.NoError(t, in.Validate())
		p := prepare(in)
		s := p.newSolution()
		// Random (possibly infeasible) routes: the segment data must still
		// agree with the reference on every insertion.
		if it%2 == 1 {
			// Feasible routes from the engine's own construction, then
			// partly ruined (Check below verifies them independently).
			nc := 0
			for _, c := range p.class {
				nc = max(nc, c+1)
			}
			p.recreate(s, rng, 0, true, make([]bool, nc))
			var scratch []bool
			p.ruin(s, rng, defaultRuin, &scratch)
		}
		for v := range in.Visits {
			if it%2 == 1 || rng.IntN(3) == 0 {
				continue
			}
			k := rng.IntN(len(in.Vehicles))
			if !p.canServe(v, k) {
				continue
			}
			at := rng.IntN(len(s.routes[k].visits) + 1)
			s.removeUnassigned(v)
			p.insert(s, v, k, at)
		}
		routes := s.export()
		if Check(in, routes) == nil {
			require.Equal(t, Cost(in, routes), p.cost(s), "instance %d: bookkeeping cost", it)
		}
		for _, v := range s.unassigned {
			for k := range s.routes {
				for i := 0; i <= len(s.routes[k].visits); i++ {
					d, ok := p.insertDelta(&s.routes[k], v, i)
					mod := s.export()
					mod[k] = slices.Insert(mod[k], i, v)
					// Reference feasibility of route k alone (the others may be infeasible).
					only := make([][]int, len(mod))
					only[k] = mod[k]
					refErr := Check(in, only)
					refOK := refErr == nil
					if !p.canServe(v, k) {
						continue
					}
					checked++
					require.Equal(t, refOK, ok, "instance %d visit %d vehicle %d pos %d: %v %+v %v", it, v, k, i, refErr, in.Vehicles[k], mod[k])
					if ok {
						feasible++
						old := make([][]int, len(mod))
						old[k] = routes[k]
						require.Equal(t, Cost(in, only)-Cost(in, old)+in.Visits[v].Penalty, d, "instance %d visit %d vehicle %d pos %d", it, v, k, i)
					}
				}
			}
		}
	}
	t.Logf("%d insertions checked, %d feasible", checked, feasible)
	assert.Greater(t, feasible, 1000)
}

// TestSolveRandomFeasible solves 200 random instances (a third with span
// costs) and checks every result with the reference Check and Cost.
func TestSolveRandomFeasible(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for it := 0; it < 200; it++ {
		in := randomInstance(rng, 5+rng.IntN(20), 1+rng.IntN(4))
		if it%3 == 0 {
			withSpanCosts(rand.New(rand.NewPCG(uint64(it), 5)), in)
		}
		sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 150})
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, Check(in, sol.Routes), "instance %d", it)
		require.Equal(t, Cost(in, sol.Routes), sol.Cost, "instance %d", it)
		served := 0
		for _, r := range sol.Routes {
			served += len(r)
		}
		require.Equal(t, len(in.Visits), served+len(sol.Unassigned), "instance %d", it)
		for _, v := range sol.Unassigned {
			// An unassigned visit must not fit profitably anywhere alone.
			for k := range in.Vehicles {
				if len(sol.Routes[k]) != 0 {
					continue
				}
				one := make([][]int, len(in.Vehicles))
				one[k] = []int{v}
				if Check(in, one) == nil {
					assert.GreaterOrEqual(t, Cost(in, one)-Cost(in, nil)+in.Visits[v].Penalty, in.Visits[v].Penalty,
						"instance %d: visit %d fits alone on empty vehicle %d", it, v, k)
				}
			}
		}
	}
}

func TestDeterministicWithIterationLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	in := randomInstance(rng, 40, 5)
	opt := Options{Seed: 42, Threads: 2, MaxIterations: 3000}
	a, err := Solve(context.Background(), in, opt)
	require.NoError(t, err)
	b, err := Solve(context.Background(), in, opt)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	opt.Seed = 43
	c, err := Solve(context.Background(), in, opt)
	require.NoError(t, err)
	require.NoError(t, Check(in, c.Routes))
}

func TestCancelReturnsQuickly(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	in := randomInstance(rng, 60, 6)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(150 * time.Millisecond); cancel() }()
	start := time.Now()
	sol, err := Solve(ctx, in, Options{Seed: 1, Threads: 2, TimeLimit: time.Hour})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 400*time.Millisecond)
	require.NoError(t, Check(in, sol.Routes))
	assert.Equal(t, Cost(in, sol.Routes), sol.Cost)
}

func TestProgressReported(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	in := randomInstance(rng, 30, 4)
	var got []Progress
	sol, err := Solve(context.Background(), in, Options{Seed: 1, TimeLimit: 300 * time.Millisecond, Progress: func(p Progress) { got = append(got, p) }})
	require.NoError(t, err)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.Equal(t, sol.Cost, last.BestCost)
	for i := 1; i < len(got); i++ {
		assert.LessOrEqual(t, got[i].BestCost, got[i-1].BestCost)
	}
}

func TestWarmStart(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	in := randomInstance(rng, 20, 3)
	first, err := Solve(context.Background(), in, Options{Seed: 1, MaxIterations: 200})
	require.NoError(t, err)
	again, err := Solve(context.Background(), in, Options{Seed: 2, MaxIterations: 10, Initial: first.Routes})
	require.NoError(t, err)
	assert.LessOrEqual(t, again.Cost, first.Cost)
	bad := [][]int{{0, 0}}
	_, err = Solve(context.Background(), in, Options{MaxIterations: 10, Initial: bad})
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorIs(t, err, ErrInfeasible)
}

func TestValidateErrors(t *testing.T) {
	good := func() *Instance {
		return &Instance{
			Profiles: []Profile{{N: 2, Duration: []int64{0, 1, 1, 0}, Distance: []int64{0, 1, 1, 0}}},
			Vehicles: []Vehicle{{End: 100}},
			Visits:   []Visit{{Loc: 1, Latest: 10, Penalty: 5}},
			Weights:  Weights{Distance: 1},
		}
	}
	require.NoError(t, good().Validate())
	cases := map[string]struct {
		mod  func(*Instance)
		want string
	}{
		"no profiles":  {func(in *Instance) { in.Profiles = nil }, "no profiles"},
		"matrix size":  {func(in *Instance) { in.Profiles[0].Distance = []int64{0} }, "profile 0: matrices"},
		"neg duration": {func(in *Instance) { in.Profiles[0].Duration[1] = -1 }, "profile 0: duration [0][1]"},
		"veh profile":  {func(in *Instance) { in.Vehicles[0].Profile = 3 }, "vehicle 0: profile 3"},
		"shift":        {func(in *Instance) { in.Vehicles[0].Start = 200 }, "vehicle 0: shift end 100 before start 200"},
		"visit loc":    {func(in *Instance) { in.Visits[0].Loc = 9 }, "visit 0: location 9"},
		"window":       {func(in *Instance) { in.Visits[0].Earliest = 20 }, "visit 0: latest 10 before earliest 20"},
		"penalty":      {func(in *Instance) { in.Visits[0].Penalty = 0 }, "visit 0: penalty 0"},
		"allowed":      {func(in *Instance) { in.Visits[0].Allowed = []int{1} }, "visit 0: allowed[0] = vehicle 1"},
		"weights":      {func(in *Instance) { in.Weights.Duration = -1 }, "weights"},
		"overflow": {func(in *Instance) {
			in.Weights.Distance = maxValue
			in.Profiles[0].Distance[1] = maxValue
		}, "overflow"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := good()
			c.mod(in)
			err := in.Validate()
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
			_, err = Solve(context.Background(), in, Options{MaxIterations: 1})
			require.ErrorIs(t, err, ErrInvalid)
		})
	}
	var nilIn *Instance
	require.ErrorIs(t, nilIn.Validate(), ErrInvalid)
	_, err := Solve(context.Background(), good(), Options{})
	require.True(t, errors.Is(err, ErrNoLimit))
}

func TestCheckDetectsViolations(t *testing.T) {
	in := &Instance{
		Profiles: []Profile{{N: 3, Duration: []int64{0, 10, 10, 10, 0, 10, 10, 10, 0}, Distance: []int64{0, 10, 10, 10, 0, 10, 10, 10, 0}}},
		Vehicles: []Vehicle{{End: 100, Capacity: 5, MaxDuration: 50}, {End: 100}},
		Visits: []Visit{
			{Loc: 1, Earliest: 0, Latest: 15, Demand: 3, Penalty: 7, Service: 5},
			{Loc: 2, Earliest: 0, Latest: 100, Demand: 3, Penalty: 9, Allowed: []int{1}},
		},
		Weights: Weights{Distance: 1},
	}
	require.NoError(t, Check(in, [][]int{{0}, {1}}))
	assert.Equal(t, int64(40), Cost(in, [][]int{{0}, {1}}))
	assert.Equal(t, int64(16), Cost(in, nil))
	for name, routes := range map[string][][]int{
		"twice":     {{0}, {0}},
		"allowed":   {{1}, {}},
		"late":      {{}, {1, 0}},
		"range":     {{5}},
		"too many":  {{}, {}, {}},
		"shift end": {{}, {1, 0, 1}},
	} {
		assert.ErrorIs(t, Check(in, routes), ErrInfeasible, name)
	}
	// Waiting makes the duration exceed the maximum: visit 0 at 40..45 alone.
	in.Visits[0].Earliest, in.Visits[0].Latest = 60, 60
	in.Vehicles[0].MaxDuration = 20
	assert.NoError(t, Check(in, [][]int{{}, {0}}))
	in.Vehicles[0].MaxDuration = 24
	assert.ErrorIs(t, Check(in, [][]int{{0}}), ErrInfeasible)
	in.Vehicles[0].MaxDuration = 25
	assert.NoError(t, Check(in, [][]int{{0}}))
}

// TestLocalSearchKeepsFeasibility runs the local search on 200 random
// constructed solutions: the result must pass Check, its bookkeeping cost
// must equal Cost, and the cost must not increase.
func TestLocalSearchKeepsFeasibility(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	improved := 0
	for it := 0; it < 200; it++ {
		in := randomInstance(rng, 10+rng.IntN(30), 1+rng.IntN(4))
		if it%3 == 0 {
			// Identical vehicles so that 2-opt* applies.
			for k := range in.Vehicles {
				in.Vehicles[k].Profile, in.Vehicles[k].EndLoc = 0, 0
				in.Vehicles[k].Start, in.Vehicles[k].End = 0, 600
			}
		}
		p := prepare(in)
		s := recreated(p, rng, 0.3) // blinks make it worse than greedy
		require.NoError(t, Check(in, s.export()))
		before := p.cost(s)
		ls := newLocalSearch(p, tuning{})
		ls.run(s, rng, nil)
		routes := s.export()
		require.NoError(t, Check(in, routes), "instance %d", it)
		after := p.cost(s)
		require.Equal(t, Cost(in, routes), after, "instance %d", it)
		require.LessOrEqual(t, after, before, "instance %d", it)
		if after < before {
			improved++
		}
		for v, r := range s.where {
			if r >= 0 {
				require.Equal(t, v, s.routes[r].visits[s.pos[v]-1])
			}
		}
	}
	assert.Greater(t, improved, 50)
}

// TestOperatorsAlone checks each operator in isolation on a line instance
// where the improving move is known.
func TestOperatorsAlone(t *testing.T) {
	// Locations on a line: 0 depot at x=0, then x = 10, 20, 30, 40.
	xs := []int64{0, 10, 20, 30, 40}
	n := len(xs)
	pr := Profile{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}
	for i := range xs {
		for j := range xs {
			pr.Distance[i*n+j] = abs64(xs[i] - xs[j])
			pr.Duration[i*n+j] = abs64(xs[i] - xs[j])
		}
	}
	mk := func() (*prepared, *solution) {
		in := &Instance{Profiles: []Profile{pr}, Weights: Weights{Distance: 1}}
		for k := 0; k < 2; k++ {
			in.Vehicles = append(in.Vehicles, Vehicle{End: 1000, FixedCost: 100})
		}
		for l := 1; l < n; l++ {
			in.Visits = append(in.Visits, Visit{Loc: l, Latest: 1000, Penalty: 1 << 30})
		}
		p := prepare(in)
		return p, p.newSolution()
	}
	place := func(p *prepared, s *solution, routes [][]int) {
		for k, r := range routes {
			for _, v := range r {
				s.removeUnassigned(v)
			}
			p.setVisits(s, k, r)
		}
	}
	ls := &localSearch{}
	t.Run("relocate empties a route", func(t *testing.T) {
		p, s := mk()
		ls.p = p
		place(p, s, [][]int{{0, 1, 3}, {2}})
		require.True(t, ls.relocate(s, 2, 1))
		assert.Equal(t, [][]int{{0, 1, 2, 3}, {}}, s.export())
		assert.Equal(t, Cost(p.in, s.export()), p.cost(s))
	})
	t.Run("relocate intra", func(t *testing.T) {
		p, s := mk()
		ls.p = p
		place(p, s, [][]int{{0, 2, 1, 3}, {}})
		require.True(t, ls.relocate(s, 1, 0))
		assert.Equal(t, []int{0, 1, 2, 3}, s.export()[0])
	})
	t.Run("swap intra", func(t *testing.T) {
		p, s := mk()
		ls.p = p
		place(p, s, [][]int{{1, 0, 2, 3}, {}})
		require.True(t, ls.swap(s, 1, 0))
		assert.Equal(t, []int{0, 1, 2, 3}, s.export()[0])
		assert.False(t, ls.swap(s, 1, 0))
	})
	t.Run("swap inter", func(t *testing.T) {
		p, s := mk()
		ls.p = p
		place(p, s, [][]int{{0, 3}, {2, 1}})
		require.True(t, ls.swap(s, 1, 3)) // {0,1} and {2,3}: 20+80 < 80+80
		assert.Equal(t, [][]int{{0, 1}, {2, 3}}, s.export())
		assert.Equal(t, Cost(p.in, s.export()), p.cost(s))
	})
	t.Run("2-opt*", func(t *testing.T) {
		p, s := mk()
		ls.p = p
		place(p, s, [][]int{{0, 3}, {2, 1}})
		// u=0 then v's successor (1); v=2 then u's successor (3).
		require.True(t, ls.twoOptStar(s, 0, 2))
		got := s.export()
		assert.Equal(t, Cost(p.in, got), p.cost(s))
		assert.Less(t, p.cost(s), int64(360))
		require.NoError(t, Check(p.in, got))
	})
}

// TestRouteDurationCapsExactly: for every route of solutions of random
// instances (half with break rules), RouteDuration is the least maximum
// duration that keeps the route feasible: with the vehicle's MaxDuration
// set to it the route passes the reference check (with the solution's
// windows), one unit less and it fails; and it is at least the time the
// route spends travelling and serving. Package routing caps a worker's
// shifts with these durations to keep the weekly working-time limit
// (routing/solve_law.go), so a route keeps its place under its own cap.
func TestRouteDurationCapsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	routes := 0
	for it := range 150 {
		in := randomInstance(rng, 5+rng.IntN(15), 1+rng.IntN(4))
		if it%2 == 0 {
			withBreaks(rng, in)
		}
		sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1, MaxIterations: 60})
		require.NoError(t, err)
		for k, r := range sol.Routes {
			if len(r) == 0 {
				continue
			}
			routes++
			d, ok := RouteDuration(in, k, r, sol.Windows)
			require.True(t, ok, "instance %d vehicle %d", it, k)
			pr := in.Profiles[in.Vehicles[k].Profile]
			work, at := int64(0), in.Vehicles[k].StartLoc
			for _, v := range r {
				work += pr.Duration[at*pr.N+in.Visits[v].Loc] + in.Visits[v].Service
				at = in.Visits[v].Loc
			}
			work += pr.Duration[at*pr.N+in.Vehicles[k].EndLoc]
			assert.GreaterOrEqual(t, d, work, "instance %d vehicle %d", it, k)
			capped := *in
			capped.Vehicles = slices.Clone(in.Vehicles)
			one := make([][]int, k+1)
			one[k] = r
			capped.Vehicles[k].MaxDuration = d
			assert.NoError(t, checkRoutes(&capped, one, sol.Windows), "instance %d vehicle %d: cap %d", it, k, d)
			if d > 1 {
				capped.Vehicles[k].MaxDuration = d - 1
				assert.Error(t, checkRoutes(&capped, one, sol.Windows), "instance %d vehicle %d: cap %d", it, k, d-1)
			}
		}
		// An infeasible route is reported so.
		if len(in.Visits) > 0 {
			bad := slices.Repeat([]int{0}, 2) // a visit twice
			_, ok := RouteDuration(in, 0, bad, nil)
			assert.False(t, ok)
		}
	}
	assert.Greater(t, routes, 150)
}

// TestFewerIterationsThanThreads: MaxIterations below Threads stops (each
// thread used gets at least one iteration; before, a thread with no share
// ran without limit).
func TestFewerIterationsThanThreads(t *testing.T) {
	in := randomInstance(rand.New(rand.NewPCG(43, 44)), 10, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sol, err := Solve(ctx, in, Options{Seed: 1, Threads: 4, MaxIterations: 1})
	require.NoError(t, err)
	require.NoError(t, ctx.Err(), "stopped by the iteration limit, not the deadline")
	assert.LessOrEqual(t, sol.Iterations, int64(1))
}
