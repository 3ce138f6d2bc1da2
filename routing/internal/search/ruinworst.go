package search

import (
	"math"
	"math/rand/v2"
	"slices"
)

// worstPower is the randomisation exponent of worst removal: the visit taken
// is at rank floor(y^worstPower · n) of the remaining ones by decreasing
// saving, y uniform in [0, 1) (Ropke and Pisinger 2006 use 3).
const worstPower = 3

// ruinWorst removes q visits whose removal saves the most cost (Ropke and
// Pisinger 2006, worst removal, randomised), recomputing the savings of the
// route changed after each removal, and appends them to s.unassigned. It
// returns the number of visits removed. scratch holds the candidate list
// between calls.
func (p *prepared) ruinWorst(s *solution, rng *rand.Rand, avg float64, scratch *[]cand) int {
	assigned := len(p.in.Visits) - len(s.unassigned)
	if assigned == 0 {
		return 0
	}
	q := removalCount(rng, avg, assigned)
	list := (*scratch)[:0]
	for ri := range s.routes {
		list = p.appendSavings(list, s, ri)
	}
	removed := 0
	for removed < q && len(list) > 0 {
		slices.SortFunc(list, func(a, b cand) int {
			if c := cmp64(b.gain, a.gain); c != 0 {
				return c
			}
			return a.v - b.v
		})
		k := int(math.Pow(rng.Float64(), worstPower) * float64(len(list)))
		v := list[k].v
		ri := s.where[v]
		removed += p.cut(s, ri, s.pos[v]-1, 1, 0, 0)
		// Drop route ri's entries and recompute them on the shorter route.
		list = slices.DeleteFunc(list, func(c cand) bool { return c.r == ri })
		list = p.appendSavings(list, s, ri)
	}
	*scratch = list
	return removed
}

// cand is a visit with its route and the cost its removal saves.
type cand struct {
	v, r int
	gain int64
}

// appendSavings appends the removal saving of every visit of route ri to list.
// A removal that would leave the route infeasible (possible without the
// triangle inequality) saves nothing.
func (p *prepared) appendSavings(list []cand, s *solution, ri int) []cand {
	r := &s.routes[ri]
	for i, v := range r.visits {
		c, ok := p.evalSplice(r, i, nil, i+2)
		g := int64(0)
		if ok {
			g = r.cost - c
		}
		list = append(list, cand{v: v, r: ri, gain: g})
	}
	return list
}
