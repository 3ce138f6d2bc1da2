package search

import (
	"cmp"
	"slices"
)

// maxNeighbours bounds each visit's proximity list (prepared.adj). The
// local search reads the first granularity entries and the ruin walks the
// list only until it has ruined a few routes, so a longer list buys
// nothing; a full list costs n² memory and an n² log n sort on every
// prepare (196 MB and seconds on the 7,000-visit week). Instances of at
// most maxNeighbours+1 visits keep full lists, exactly as before. A
// variable so that tests can lower it.
var maxNeighbours = 512

// proximity fills p.adj: for each visit, the other visits in increasing
// order of a key (the distance plus a time-window incompatibility term:
// a fifth of the least wait and the least lateness of going from i to j,
// on profile 0), ties in index order, at most maxNeighbours of them. The list
// is the prefix of the full sorted order.
func (p *prepared) proximity() {
	in := p.in
	nv := len(in.Visits)
	pr := in.Profiles[0]
	p.adj = make([][]int32, nv)
	keys := make([]int64, nv)
	cand := make([]int32, 0, nv)
	less := func(a, b int32) int {
		if c := cmp.Compare(keys[a], keys[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	for i, vi := range in.Visits {
		cand = cand[:0]
		for j, vj := range in.Visits {
			if j == i {
				continue
			}
			cand = append(cand, int32(j))
			t := pr.Duration[vi.Loc*p.n+vj.Loc]
			k := pr.Distance[vi.Loc*p.n+vj.Loc]
			// Time-window term (Vidal 2013 style): wait + late when going i -> j.
			arr := vi.Earliest + vi.Service + t
			if w := vj.Earliest - (vi.Latest + vi.Service + t); w > 0 {
				k += w / 5
			}
			if l := arr - vj.Latest; l > 0 {
				k += l
			}
			keys[j] = k
		}
		if len(cand) > maxNeighbours {
			selectSmallest(cand, maxNeighbours, less)
			cand = cand[:maxNeighbours]
		}
		list := slices.Clone(cand)
		slices.SortFunc(list, less)
		p.adj[i] = list
	}
}

// selectSmallest reorders xs so that its first k entries are the k
// smallest under cmp (in no particular order): quickselect with the
// median of three as pivot, O(len(xs)) on average.
func selectSmallest(xs []int32, k int, cmp func(a, b int32) int) {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		m := lo + (hi-lo)/2
		if cmp(xs[m], xs[lo]) < 0 {
			xs[m], xs[lo] = xs[lo], xs[m]
		}
		if cmp(xs[hi], xs[lo]) < 0 {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if cmp(xs[hi], xs[m]) < 0 {
			xs[hi], xs[m] = xs[m], xs[hi]
		}
		pivot := xs[m]
		i, j := lo, hi
		for i <= j {
			for cmp(xs[i], pivot) < 0 {
				i++
			}
			for cmp(pivot, xs[j]) < 0 {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		// Now xs[lo..j] <= pivot <= xs[i..hi].
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}
