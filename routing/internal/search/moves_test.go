package search

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refOrOpt lists, by plain slice manipulation, every route set the or-opt
// neighbourhood of (u, v) defines: the string of 2 or 3 visits starting at u
// moved, as is or reversed, just after or just before v.
func refOrOpt(routes [][]int, u, v int) [][][]int {
	var out [][][]int
	ru, iu := locate(routes, u)
	rv, _ := locate(routes, v)
	for l := 2; l <= 3; l++ {
		if iu+l > len(routes[ru]) {
			break
		}
		str := slices.Clone(routes[ru][iu : iu+l])
		if slices.Contains(str, v) {
			continue
		}
		for _, rev := range []bool{false, true} {
			moved := slices.Clone(str)
			if rev {
				slices.Reverse(moved)
			}
			for _, after := range []bool{true, false} {
				if ru == rv {
					r := routes[ru]
					if after && iu > 0 && r[iu-1] == v || !after && iu+l < len(r) && r[iu+l] == v {
						continue // same place
					}
				}
				next := cloneRoutes(routes)
				next[ru] = slices.Delete(next[ru], iu, iu+l)
				_, jv := locate(next, v)
				at := jv
				if after {
					at++
				}
				next[rv] = slices.Insert(next[rv], at, moved...)
				out = append(out, next)
			}
		}
	}
	return out
}

// refCross lists every route set the cross-exchange neighbourhood of (u, v)
// defines: strings of 1 to 3 visits starting at u and at v's successor
// exchanged between their (different) routes.
func refCross(routes [][]int, u, v int) [][][]int {
	var out [][][]int
	ru, iu := locate(routes, u)
	rv, iv := locate(routes, v)
	if ru == rv {
		return nil
	}
	j := iv + 1
	for la := 1; la <= 3 && iu+la <= len(routes[ru]); la++ {
		for lb := 1; lb <= 3 && j+lb <= len(routes[rv]); lb++ {
			next := cloneRoutes(routes)
			sa := slices.Clone(routes[ru][iu : iu+la])
			sb := slices.Clone(routes[rv][j : j+lb])
			next[ru] = slices.Insert(slices.Delete(next[ru], iu, iu+la), iu, sb...)
			next[rv] = slices.Insert(slices.Delete(next[rv], j, j+lb), j, sa...)
			out = append(out, next)
		}
	}
	return out
}

func locate(routes [][]int, v int) (int, int) {
	for k, r := range routes {
		if i := slices.Index(r, v); i >= 0 {
			return k, i
		}
	}
	return -1, -1
}

func cloneRoutes(routes [][]int) [][]int {
	out := make([][]int, len(routes))
	for k, r := range routes {
		out[k] = slices.Clone(r)
	}
	return out
}

// checkOperator runs op on many (u, v) pairs of random constructed
// solutions and compares it with the reference neighbourhood: op must make a
// move exactly when the neighbourhood holds a feasible cheaper route set by
// Check and Cost, the move must be one of those, and the bookkeeping must
// agree with Cost afterwards.
func checkOperator(t *testing.T, name string, op func(*localSearch, *solution, int, int) bool, ref func([][]int, int, int) [][][]int) {
	checkOperatorWith(t, name, op, ref, nil, 1000, 200)
}

// checkOperatorWith is checkOperator on n instances, each changed by mod
// (when not nil) before it is solved, expecting more than wantMoves moves.
func checkOperatorWith(t *testing.T, name string, op func(*localSearch, *solution, int, int) bool, ref func([][]int, int, int) [][][]int,
	mod func(*rand.Rand, *Instance), n, wantMoves int) {
	rng := rand.New(rand.NewPCG(21, 22))
	moves, pairs := 0, 0
	for it := 0; it < n; it++ {
		in := randomInstance(rng, 8+rng.IntN(25), 1+rng.IntN(4))
		if it%2 == 0 {
			for k := range in.Vehicles {
				in.Vehicles[k].Start, in.Vehicles[k].End = 0, 900
			}
			for x := range in.Visits {
				in.Visits[x].Latest += 300 // loose windows: more feasible moves
			}
		}
		if mod != nil {
			mod(rng, in)
		}
		p := prepare(in)
		s := recreated(p, rng, 0.4)
		ls := newLocalSearch(p, tuning{})
		for trial := 0; trial < 40; trial++ {
			u, v := rng.IntN(len(in.Visits)), rng.IntN(len(in.Visits))
			if trial%2 == 0 {
				v = int(p.adj[u][rng.IntN(min(4, len(p.adj[u])))]) // a near neighbour, as the search pairs them
			}
			if u == v || s.where[u] < 0 || s.where[v] < 0 {
				continue
			}
			pairs++
			routes := s.export()
			before := Cost(in, routes)
			var better [][][]int
			for _, cand := range ref(routes, u, v) {
				if Check(in, cand) == nil && Cost(in, cand) < before {
					better = append(better, cand)
				}
			}
			moved := op(ls, s, u, v)
			require.Equal(t, len(better) > 0, moved, "%s: instance %d: u %d v %d routes %v", name, it, u, v, routes)
			got := s.export()
			require.NoError(t, Check(in, got))
			require.Equal(t, Cost(in, got), p.cost(s), "%s: instance %d: bookkeeping", name, it)
			for x, r := range s.where {
				if r >= 0 {
					require.Equal(t, x, s.routes[r].visits[s.pos[x]-1])
				}
			}
			if moved {
				moves++
				assert.Contains(t, better, got, "%s: instance %d: move outside the neighbourhood", name, it)
			}
		}
	}
	t.Logf("%s: %d pairs, %d improving moves", name, pairs, moves)
	assert.Greater(t, moves, wantMoves)
}

func TestOrOptAgainstReference(t *testing.T) {
	checkOperator(t, "or-opt", (*localSearch).orOpt, refOrOpt)
}

func TestCrossExchangeAgainstReference(t *testing.T) {
	checkOperator(t, "cross-exchange", (*localSearch).crossExchange, refCross)
}

// TestSwapStar runs SWAP* on random route pairs: every applied move must be
// feasible by Check, strictly cheaper by Cost, keep the bookkeeping right and
// be an exchange of one visit of each route (each at any position).
func TestSwapStar(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	moves, tries := 0, 0
	for it := 0; it < 400; it++ {
		p, s, _ := constructed(t, rng, 8+rng.IntN(30), 2+rng.IntN(3))
		ls := newLocalSearch(p, tuning{})
		for trial := 0; trial < 10; trial++ {
			ra, rb := rng.IntN(len(s.routes)), rng.IntN(len(s.routes))
			if ra == rb {
				continue
			}
			tries++
			before := s.export()
			c0 := Cost(p.in, before)
			if !ls.swapStar(s, ra, rb) {
				require.Equal(t, before, s.export())
				continue
			}
			moves++
			requireConsistent(t, p, s)
			after := s.export()
			require.Less(t, Cost(p.in, after), c0, "instance %d", it)
			for k := range after {
				if k != ra && k != rb {
					require.Equal(t, before[k], after[k])
				}
			}
			outA, inA := diff(before[ra], after[ra]), diff(after[ra], before[ra])
			outB, inB := diff(before[rb], after[rb]), diff(after[rb], before[rb])
			require.Len(t, outA, 1, "instance %d: %v -> %v", it, before[ra], after[ra])
			require.Equal(t, outA, inB)
			require.Equal(t, outB, inA)
		}
	}
	t.Logf("%d route pairs, %d SWAP* moves", tries, moves)
	assert.Greater(t, moves, 100)
}

// diff returns the elements of a missing from b.
func diff(a, b []int) []int {
	var out []int
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
