package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withSpanCosts gives about two vehicles in three a random convex span
// cost: a first slope from 0 that may be negative (a reward up to a
// target), then one or two hinges with non-negative slopes added.
func withSpanCosts(rng *rand.Rand, in *Instance) {
	for k := range in.Vehicles {
		if rng.IntN(3) == 0 {
			continue
		}
		var pcs []SpanPiece
		from := int64(0)
		if rng.IntN(2) == 0 {
			pcs = append(pcs, SpanPiece{From: 0, PerUnit: rng.Int64N(9) - 6})
		}
		for range 1 + rng.IntN(2) {
			from += 1 + rng.Int64N(150)
			pcs = append(pcs, SpanPiece{From: from, PerUnit: rng.Int64N(8)})
		}
		in.Vehicles[k].SpanCost = pcs
	}
}

// TestSpanCostHandWorked: pieces {0: −2, 100: +5, 150: +1} cost −2 per
// unit up to 100, then +3, then +4: at 50 −100, at 100 −200, at 120 −140,
// at 200 −200+150+200 = 150; the reference agrees.
func TestSpanCostHandWorked(t *testing.T) {
	v := Vehicle{SpanCost: []SpanPiece{{0, -2}, {100, 5}, {150, 1}}}
	for _, c := range []struct{ span, want int64 }{{0, 0}, {50, -100}, {100, -200}, {120, -140}, {150, -50}, {200, 150}} {
		assert.Equal(t, c.want, spanCostOf(v.SpanCost, c.span), "span %d", c.span)
		assert.Equal(t, c.want, refSpanCost(&v, c.span), "reference, span %d", c.span)
	}
	// A route of one visit: leave 0 at 0, 40 there, 10 service, 40 back:
	// span 90, cost distance 80 + span −180.
	in := line1([]int64{40}, 0, 1000)
	in.Vehicles[0].SpanCost = v.SpanCost
	in.Weights = Weights{Distance: 1}
	in.Visits[0].Service = 10
	require.NoError(t, in.Validate())
	assert.Equal(t, int64(80-180), Cost(in, [][]int{{0}}))
	sol, err := Solve(context.Background(), in, Options{Seed: 1, Threads: 1, MaxIterations: 10})
	require.NoError(t, err)
	assert.Equal(t, [][]int{{0}}, sol.Routes)
	assert.Equal(t, int64(-100), sol.Cost)
	assert.Equal(t, []int64{90}, sol.Spans)
	assert.Equal(t, int64(-180), sol.SpanCost)
}

// TestSpanCostValidate: pieces out of order, a negative slope after the
// first piece or from a later start, out-of-range values and an overflowing
// slope are rejected, naming the vehicle and the piece.
func TestSpanCostValidate(t *testing.T) {
	for name, c := range map[string]struct {
		pcs  []SpanPiece
		want string
	}{
		"order":     {[]SpanPiece{{10, 1}, {10, 2}}, "piece 1: from 10 not after"},
		"concave":   {[]SpanPiece{{0, 2}, {10, -1}}, "piece 1: per unit -1: the cost must be convex"},
		"late neg":  {[]SpanPiece{{5, -1}}, "piece 0: per unit -1: the cost must be convex"},
		"from":      {[]SpanPiece{{-1, 1}}, "piece 0: from -1 out of range"},
		"per unit":  {[]SpanPiece{{0, maxValue + 1}}, "piece 0: per unit"},
		"slope sum": {[]SpanPiece{{0, maxValue}, {1, maxValue}}, "piece 1: slope"},
		"overflow":  {[]SpanPiece{{0, maxValue / 2}}, "overflow"},
	} {
		in := line1([]int64{40}, 0, 1000)
		in.Vehicles[0].SpanCost = c.pcs
		err := in.Validate()
		require.Error(t, err, name)
		assert.True(t, errors.Is(err, ErrInvalid), name)
		assert.Contains(t, err.Error(), c.want, name)
	}
	in := line1([]int64{40}, 0, 1000)
	in.Vehicles[0].SpanCost = []SpanPiece{{0, -5}, {10, 5}, {20, 0}, {30, 7}}
	assert.NoError(t, in.Validate())
}

// TestSpanCostInsertDeltaMatchesReference: with span costs (some with
// break rules, lateness costs and the other soft terms) every insertion's
// cost change equals the reference Cost's, the bookkeeping equals Cost
// after a recreate and a ruin, and Solve's solutions pass CheckSolution
// with Cost = SolutionCost and SpanCost = the reference span cost of
// Spans.
func TestSpanCostInsertDeltaMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(91, 92))
	checked, negative := 0, 0
	for it := range 200 {
		in := randomInstance(rng, 4+rng.IntN(12), 1+rng.IntN(4))
		if it%3 == 1 {
			withBreaks(rng, in)
		}
		if it%2 == 1 {
			withSoft(rng, in)
		}
		withSpanCosts(rng, in)
		require.NoError(t, in.Validate())
		p := prepare(in)
		s := ruined(p, rng)
		p.release(s)
		routes := s.export()
		require.NoError(t, Check(in, routes), "instance %d", it)
		base := Cost(in, routes)
		require.Equal(t, base, p.cost(s), "instance %d: bookkeeping", it)
		checked += checkInsertions(t, in, p, s, base, it, func(v int, want int64) {
			if want-in.Visits[v].Penalty < 0 {
				negative++
			}
		})
		if it%4 == 0 {
			sol, err := Solve(context.Background(), in, Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 60})
			require.NoError(t, err, "instance %d", it)
			require.NoError(t, CheckSolution(in, sol), "instance %d", it)
			require.Equal(t, SolutionCost(in, sol), sol.Cost, "instance %d", it)
			var sc int64
			for k, r := range sol.Routes {
				if len(r) > 0 {
					sc += refSpanCost(&in.Vehicles[k], sol.Spans[k])
				}
			}
			require.Equal(t, sc, sol.SpanCost, "instance %d", it)
		}
	}
	t.Logf("%d feasible insertions checked, %d cheaper than nothing", checked, negative)
	assert.Greater(t, checked, 500)
}

// spanMod is a checkOperatorWith modifier adding span costs (and, with
// soft, the soft terms and break rules).
func spanMod(sameVehicles, soft bool) func(*rand.Rand, *Instance) {
	return func(rng *rand.Rand, in *Instance) {
		if soft {
			breakMod(sameVehicles, true)(rng, in)
		} else if sameVehicles {
			for k := range in.Vehicles {
				in.Vehicles[k].Profile, in.Vehicles[k].EndLoc = 0, 0
				in.Vehicles[k].Start, in.Vehicles[k].End = 0, 900
			}
		}
		withSpanCosts(rng, in)
	}
}

// TestSpanCostOperatorsAgainstReference checks every local search operator
// on instances with span costs: an operator moves exactly when its
// neighbourhood holds a cheaper feasible solution by the reference Cost,
// and its bookkeeping then equals Cost.
func TestSpanCostOperatorsAgainstReference(t *testing.T) {
	for _, soft := range []bool{false, true} {
		checkOperatorWith(t, "span relocate", (*localSearch).relocate, refRelocate, spanMod(false, soft), 80, 20)
		checkOperatorWith(t, "span swap", (*localSearch).swap, refSwap, spanMod(false, soft), 80, 10)
		checkOperatorWith(t, "span 2-opt*", (*localSearch).twoOptStar, refTails, spanMod(true, soft), 100, 2)
		checkOperatorWith(t, "span or-opt", (*localSearch).orOpt, refOrOpt, spanMod(false, soft), 80, 10)
		checkOperatorWith(t, "span cross-exchange", (*localSearch).crossExchange, refCross, spanMod(false, soft), 100, 2)
	}
}

// TestSpanCostSwapStar: on instances with span costs (half of them with
// break rules and the soft terms too), every SWAP* move is feasible,
// strictly cheaper by the reference Cost, keeps the bookkeeping equal to
// Cost and exchanges exactly one visit of each route, each at any
// position; a pair it does not move is left as it was.
func TestSpanCostSwapStar(t *testing.T) {
	rng := rand.New(rand.NewPCG(95, 96))
	moves := 0
	for it := range 200 {
		in := randomInstance(rng, 8+rng.IntN(25), 2+rng.IntN(3))
		spanMod(it%3 == 0, it%2 == 1)(rng, in)
		require.NoError(t, in.Validate())
		p := prepare(in)
		s := recreated(p, rng, 0.4)
		ls := newLocalSearch(p, tuning{})
		for range 10 {
			ra, rb := rng.IntN(len(s.routes)), rng.IntN(len(s.routes))
			if ra == rb {
				continue
			}
			before := s.export()
			c0 := Cost(in, before)
			if !ls.swapStar(s, ra, rb) {
				require.Equal(t, before, s.export(), "instance %d", it)
				continue
			}
			moves++
			got := s.export()
			require.NoError(t, Check(in, got), "instance %d", it)
			require.Less(t, Cost(in, got), c0, "instance %d", it)
			require.Equal(t, Cost(in, got), p.cost(s), "instance %d: bookkeeping", it)
			for k := range got {
				if k != ra && k != rb {
					require.Equal(t, before[k], got[k], "instance %d", it)
				}
			}
			outA, inA := diff(before[ra], got[ra]), diff(got[ra], before[ra])
			outB, inB := diff(before[rb], got[rb]), diff(got[rb], before[rb])
			require.Len(t, outA, 1, "instance %d: %v -> %v", it, before[ra], got[ra])
			require.Equal(t, outA, inB, "instance %d", it)
			require.Equal(t, outB, inA, "instance %d", it)
		}
	}
	t.Logf("%d SWAP* moves", moves)
	assert.Greater(t, moves, 30)
}

// TestAdopt: Adopt of a solution's own routes and windows gives that
// solution back (same routes, cost, windows, spans and span cost; on
// linked instances with span costs), and a search warm-started from routes
// with a link group broken begins from Adopt's solution, which took the
// whole group out: it passes CheckSolution, its Cost is the reference
// SolutionCost, and one iteration from it costs no more.
func TestAdopt(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(97, 98))
	broken := 0
	for it := range 30 {
		in := randomLinked(rng, 8+rng.IntN(15), 2+rng.IntN(3))
		withSpanCosts(rng, in)
		require.NoError(t, in.Validate())
		sol, err := Solve(ctx, in, Options{Seed: int64(it), Threads: 1, MaxIterations: 60})
		require.NoError(t, err)
		same, err := Adopt(in, sol.Routes, sol.Windows)
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, CheckSolution(in, same), "instance %d", it)
		assert.Equal(t, sol.Routes, same.Routes, "instance %d", it)
		assert.Equal(t, sol.Cost, same.Cost, "instance %d", it)
		assert.Equal(t, sol.Windows, same.Windows, "instance %d", it)
		assert.Equal(t, sol.Spans, same.Spans, "instance %d", it)
		assert.Equal(t, sol.SpanCost, same.SpanCost, "instance %d", it)
		assert.Zero(t, same.Iterations)
		// Take the first served member of a link out of its route.
		routes := make([][]int, len(sol.Routes))
		cut := -1
		for k, r := range sol.Routes {
			for _, v := range r {
				if cut < 0 && len(in.Links) > 0 && (in.Links[0].A == v || in.Links[0].B == v) {
					cut = v
					continue
				}
				routes[k] = append(routes[k], v)
			}
		}
		if cut < 0 || Check(in, routes) != nil {
			continue
		}
		a, err := Adopt(in, routes, nil)
		require.NoError(t, err, "instance %d", it)
		require.NoError(t, CheckSolution(in, a), "instance %d", it)
		require.Equal(t, SolutionCost(in, a), a.Cost, "instance %d", it)
		for _, v := range []int{in.Links[0].A, in.Links[0].B} {
			assert.Contains(t, a.Unassigned, v, "instance %d: the broken group is taken out", it)
		}
		next, err := Solve(ctx, in, Options{Seed: 1, Threads: 1, MaxIterations: 1, Initial: routes})
		require.NoError(t, err)
		assert.LessOrEqual(t, next.Cost, a.Cost, "instance %d", it)
		broken++
	}
	assert.Greater(t, broken, 5)
	_, err := Adopt(randomLinked(rng, 5, 2), nil, []Span{{0, 1}})
	require.ErrorIs(t, err, ErrInvalid)
}

// TestProgressSpanCost: the progress reports' SpanCost is the span cost
// part of BestCost: at the end it equals the solution's SpanCost (one
// thread: the last report is the returned solution's), and without span
// costs it is 0.
func TestProgressSpanCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 100))
	for it := range 6 {
		in := randomInstance(rng, 20, 3)
		if it%2 == 0 {
			withSpanCosts(rng, in)
		}
		var last Progress
		sol, err := Solve(context.Background(), in, Options{Seed: 1, Threads: 1, MaxIterations: 200, Progress: func(p Progress) { last = p }})
		require.NoError(t, err)
		require.Equal(t, sol.Cost, last.BestCost, "instance %d", it)
		assert.Equal(t, sol.SpanCost, last.SpanCost, "instance %d", it)
		if it%2 == 1 {
			assert.Zero(t, last.SpanCost)
		}
	}
}
