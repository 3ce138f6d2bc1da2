package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(s, v) }

// ruined returns a solution of p's instance built by the randomised
// recreate and then one ruin, so that some visits are left unassigned: the
// starting point of the insertion-delta tests.
func ruined(p *prepared, rng *rand.Rand) *solution {
	s := recreated(p, rng, 0.2)
	var scratch []bool
	p.ruin(s, rng, defaultRuin, &scratch)
	return s
}

// checkInsertions tries every unassigned visit of s at every place of
// every vehicle that may serve it and requires insertDelta to agree with
// the reference Check (feasible or not) and, where feasible, with the
// reference Cost (base is Cost of s's routes; it the instance number for
// messages). It calls seen, when not nil, with each feasible insertion's
// visit and reference change, and returns how many it checked.
func checkInsertions(t *testing.T, in *Instance, p *prepared, s *solution, base int64, it int, seen func(v int, want int64)) int {
	checked := 0
	for _, v := range s.unassigned {
		for k := range s.routes {
			if !p.canServe(v, k) {
				continue
			}
			for i := 0; i <= len(s.routes[k].visits); i++ {
				d, ok := p.insertDelta(&s.routes[k], v, i)
				mod := s.export()
				mod[k] = slices.Insert(mod[k], i, v)
				require.Equal(t, Check(in, mod) == nil, ok, "instance %d visit %d vehicle %d pos %d", it, v, k, i)
				if !ok {
					continue
				}
				checked++
				want := Cost(in, mod) - base + in.Visits[v].Penalty
				if seen != nil {
					seen(v, want)
				}
				require.Equal(t, want, d, "instance %d visit %d vehicle %d pos %d: %v", it, v, k, i, mod[k])
			}
		}
	}
	return checked
}

// recreated returns a solution of p's instance built from empty by the
// randomised recreate with blink rate blink (no local search).
func recreated(p *prepared, rng *rand.Rand, blink float64) *solution {
	s := p.newSolution()
	nc := 0
	for _, c := range p.class {
		nc = max(nc, c+1)
	}
	p.recreate(s, rng, blink, true, make([]bool, nc))
	return s
}
