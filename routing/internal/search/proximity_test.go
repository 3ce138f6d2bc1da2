package search

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// fullProximity is the reference: every other visit, stably sorted by the
// proximity key, as prepare built the lists before they were bounded.
func fullProximity(p *prepared) [][]int32 {
	in := p.in
	pr := in.Profiles[0]
	out := make([][]int32, len(in.Visits))
	for i, vi := range in.Visits {
		var list []int32
		keys := map[int32]int64{}
		for j, vj := range in.Visits {
			if j == i {
				continue
			}
			t := pr.Duration[vi.Loc*p.n+vj.Loc]
			k := pr.Distance[vi.Loc*p.n+vj.Loc]
			if w := vj.Earliest - (vi.Latest + vi.Service + t); w > 0 {
				k += w / 5
			}
			if l := vi.Earliest + vi.Service + t - vj.Latest; l > 0 {
				k += l
			}
			list = append(list, int32(j))
			keys[int32(j)] = k
		}
		sort.SliceStable(list, func(a, b int) bool { return keys[list[a]] < keys[list[b]] })
		out[i] = list
	}
	return out
}

// TestProximityPrefix: each bounded list is exactly the first
// maxNeighbours entries of the full stably sorted list (and the whole list
// when it is no longer), over random instances and bounds, ties included
// (small coordinates make equal keys common).
func TestProximityPrefix(t *testing.T) {
	defer func(k int) { maxNeighbours = k }(maxNeighbours)
	rng := rand.New(rand.NewPCG(5, 6))
	cut := 0
	for it := range 300 {
		in := randomInstance(rng, 2+rng.IntN(60), 1+rng.IntN(3))
		maxNeighbours = 1 + rng.IntN(40)
		p := prepare(in)
		want := fullProximity(p)
		for i := range want {
			w := want[i]
			if len(w) > maxNeighbours {
				w = w[:maxNeighbours]
				cut++
			}
			require.Equal(t, w, p.adj[i], "instance %d visit %d bound %d", it, i, maxNeighbours)
		}
	}
	require.Greater(t, cut, 1000, "the bound should apply often")
}

// TestSelectSmallest: the first k entries are the k smallest, for random
// slices with many ties.
func TestSelectSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		n := 1 + rng.IntN(50)
		vals := make([]int32, n)
		for i := range vals {
			vals[i] = int32(rng.IntN(8))
		}
		k := 1 + rng.IntN(n)
		xs := make([]int32, n)
		for i := range xs {
			xs[i] = int32(i)
		}
		less := func(a, b int32) int {
			switch {
			case vals[a] != vals[b]:
				return int(vals[a] - vals[b])
			default:
				return int(a - b)
			}
		}
		selectSmallest(xs, k, less)
		sorted := make([]int32, n)
		for i := range sorted {
			sorted[i] = int32(i)
		}
		sort.Slice(sorted, func(a, b int) bool { return less(sorted[a], sorted[b]) < 0 })
		got := append([]int32(nil), xs[:k]...)
		sort.Slice(got, func(a, b int) bool { return less(got[a], got[b]) < 0 })
		require.Equal(t, sorted[:k], got)
	}
}
