package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// constructed returns a random instance and a feasible solution of it built
// by greedy insertion.
func constructed(t *testing.T, rng *rand.Rand, nVisits, nVeh int) (*prepared, *solution, []bool) {
	t.Helper()
	in := randomInstance(rng, nVisits, nVeh)
	for k := range in.Vehicles {
		in.Vehicles[k].Start, in.Vehicles[k].End = 0, 900
	}
	for x := range in.Visits {
		in.Visits[x].Latest += 300
	}
	require.NoError(t, in.Validate())
	p := prepare(in)
	s := p.newSolution()
	nc := 0
	for _, c := range p.class {
		nc = max(nc, c+1)
	}
	seen := make([]bool, nc)
	p.recreate(s, rng, 0, true, seen)
	require.NoError(t, Check(in, s.export()))
	return p, s, seen
}

// requireConsistent checks routes with Check, the bookkeeping cost with
// Cost, the where/pos index and the unassigned list.
func requireConsistent(t *testing.T, p *prepared, s *solution) {
	t.Helper()
	routes := s.export()
	require.NoError(t, Check(p.in, routes))
	require.Equal(t, Cost(p.in, routes), p.cost(s))
	n := len(s.unassigned)
	for v, r := range s.where {
		if r >= 0 {
			require.Equal(t, v, s.routes[r].visits[s.pos[v]-1])
		} else {
			require.Contains(t, s.unassigned, v)
		}
	}
	for _, r := range routes {
		n += len(r)
	}
	require.Equal(t, len(p.in.Visits), n)
}

func TestRuinRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	p, s, _ := constructed(t, rng, 40, 4)
	assigned := len(p.in.Visits) - len(s.unassigned)
	hits := make([]int, len(p.in.Visits))
	c := p.newSolution()
	for trial := 0; trial < 400; trial++ {
		c.copyFrom(s)
		n := p.ruinRandom(c, rng, 5)
		require.GreaterOrEqual(t, n, 1)
		require.LessOrEqual(t, n, min(10, assigned))
		require.Equal(t, len(s.unassigned)+n, len(c.unassigned))
		requireConsistent(t, p, c)
		for v := range hits {
			if s.where[v] >= 0 && c.where[v] < 0 {
				hits[v]++
			}
		}
	}
	for v, h := range hits {
		if s.where[v] >= 0 {
			assert.Positive(t, h, "visit %d never removed", v)
		}
	}
}

// TestRemovalSavings compares the O(1) removal savings with Cost.
func TestRemovalSavings(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	for it := 0; it < 100; it++ {
		p, s, _ := constructed(t, rng, 5+rng.IntN(30), 1+rng.IntN(4))
		routes := s.export()
		base := Cost(p.in, routes)
		for ri := range s.routes {
			for _, c := range p.appendSavings(nil, s, ri) {
				without := cloneRoutes(routes)
				without[ri] = slices.DeleteFunc(without[ri], func(x int) bool { return x == c.v })
				want := int64(0)
				if Check(p.in, without) == nil {
					want = base - (Cost(p.in, without) - p.in.Visits[c.v].Penalty)
				}
				require.Equal(t, want, c.gain, "instance %d visit %d", it, c.v)
				require.Equal(t, ri, c.r)
			}
		}
	}
}

func TestRuinWorstPrefersLargeSavings(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	p, s, _ := constructed(t, rng, 40, 4)
	var list []cand
	for ri := range s.routes {
		list = p.appendSavings(list, s, ri)
	}
	slices.SortFunc(list, func(a, b cand) int { return cmp64(b.gain, a.gain) })
	top, bottom := list[0].v, list[len(list)-1].v
	require.Greater(t, list[0].gain, list[len(list)-1].gain)
	var scratch []cand
	hitTop, hitBottom := 0, 0
	c := p.newSolution()
	for trial := 0; trial < 300; trial++ {
		c.copyFrom(s)
		n := p.ruinWorst(c, rng, 3, &scratch)
		require.Equal(t, len(s.unassigned)+n, len(c.unassigned))
		requireConsistent(t, p, c)
		if c.where[top] < 0 {
			hitTop++
		}
		if c.where[bottom] < 0 {
			hitBottom++
		}
	}
	assert.Greater(t, hitTop, 3*hitBottom+20, "largest saving removed %d times, smallest %d", hitTop, hitBottom)
}

func TestFirstK(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	for it := 0; it < 2000; it++ {
		k := 2 + rng.IntN(maxRegret-1)
		row := make([]int64, rng.IntN(8))
		var ok []float64
		for i := range row {
			if rng.IntN(4) == 0 {
				row[i] = noRoute
				continue
			}
			row[i] = rng.Int64N(50) - 10
			ok = append(ok, float64(row[i]))
		}
		pen := 1000.0
		got, c := firstK(row, k, pen)
		if len(ok) == 0 {
			require.Equal(t, -1, c)
			continue
		}
		slices.Sort(ok)
		require.Equal(t, ok[0], float64(row[c]))
		require.Equal(t, ok[0], got[0])
		reg := 0.0
		for h := 1; h < k; h++ {
			d := pen
			if h < len(ok) {
				d = ok[h]
			}
			reg += d - ok[0]
		}
		require.Equal(t, reg, got[1], "row %v k %d", row, k)
	}
}

// TestRecreateRegret ruins and repairs by regret insertion many times: the
// result must be consistent, and a visit left out must fit nowhere for less
// than its penalty (checked by Check and Cost).
func TestRecreateRegret(t *testing.T) {
	rng := rand.New(rand.NewPCG(39, 40))
	var g regret
	for it := 0; it < 200; it++ {
		p, s, seen := constructed(t, rng, 5+rng.IntN(30), 1+rng.IntN(4))
		var scratch []bool
		p.ruin(s, rng, defaultRuin, &scratch)
		k := 2 + rng.IntN(maxRegret-1)
		noise := []float64{0, 0.2}[it%2]
		p.recreateRegret(s, rng, k, noise, it%3 != 0, &g, seen)
		requireConsistent(t, p, s)
		routes := s.export()
		base := Cost(p.in, routes)
		for _, v := range s.unassigned {
			for ri, r := range routes {
				if len(r) == 0 && it%3 == 0 {
					continue // openNew false
				}
				for at := 0; at <= len(r); at++ {
					next := cloneRoutes(routes)
					next[ri] = slices.Insert(next[ri], at, v)
					if Check(p.in, next) == nil {
						assert.GreaterOrEqual(t, Cost(p.in, next), base, "instance %d: visit %d fits in route %d at %d", it, v, ri, at)
					}
				}
			}
		}
	}
	// From scratch (the construction), every visit of a roomy instance is placed.
	rng = rand.New(rand.NewPCG(41, 42))
	for it := 0; it < 50; it++ {
		in := randomInstance(rng, 20, 6)
		for k := range in.Vehicles {
			in.Vehicles[k] = Vehicle{Profile: 0, End: 5000}
		}
		for x := range in.Visits {
			in.Visits[x].Allowed, in.Visits[x].Earliest, in.Visits[x].Latest, in.Visits[x].Penalty = nil, 0, 4000, 1<<40
		}
		p := prepare(in)
		s := p.newSolution()
		p.recreateRegret(s, rng, 3, 0, true, &g, make([]bool, 1))
		requireConsistent(t, p, s)
		require.Empty(t, s.unassigned)
	}
}

// TestTuningVariantsFeasible solves random instances with every optional
// part of the search switched on or off: results must pass Check, match
// Cost, account for every visit and be reproducible.
func TestTuningVariantsFeasible(t *testing.T) {
	variants := []string{
		"nols", "heavy=-1", "heavy=0,noswapstar", "nooropt,nocross",
		"regret=1,k=2,noise=0", "regret=0.5,k=4,noise=0.3,init=2", "init=3",
		"random=0.5,worst=0.5", "regret=0.3,worst=0.2,random=0.1,stall=0.05",
	}
	rng := rand.New(rand.NewPCG(43, 44))
	for it := 0; it < 60; it++ {
		in := randomInstance(rng, 10+rng.IntN(25), 1+rng.IntN(4))
		name := variants[it%len(variants)]
		tu, err := parseTune(name)
		require.NoError(t, err)
		opt := Options{Seed: int64(it), Threads: 1 + it%2, MaxIterations: 200, tune: tu}
		sol, err := Solve(context.Background(), in, opt)
		require.NoError(t, err, "instance %d %s", it, name)
		require.NoError(t, Check(in, sol.Routes), "instance %d %s", it, name)
		require.Equal(t, Cost(in, sol.Routes), sol.Cost, "instance %d %s", it, name)
		served := 0
		for _, r := range sol.Routes {
			served += len(r)
		}
		require.Equal(t, len(in.Visits), served+len(sol.Unassigned))
		again, err := Solve(context.Background(), in, opt)
		require.NoError(t, err)
		require.Equal(t, sol, again, "instance %d %s: not reproducible", it, name)
	}
	_, err := parseTune("bogus")
	require.Error(t, err)
}
