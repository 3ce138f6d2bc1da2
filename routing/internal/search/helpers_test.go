package search

import (
	"fmt"
	"math/rand/v2"
)

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(s, v) }

// ruined returns a solution of p's instance built by the randomised
// recreate and then one ruin, so that some visits are left unassigned: the
// starting point of the insertion-delta tests.
func ruined(p *prepared, rng *rand.Rand) *solution {
	s := p.newSolution()
	nc := 0
	for _, c := range p.class {
		nc = max(nc, c+1)
	}
	p.recreate(s, rng, 0.2, true, make([]bool, nc))
	var scratch []bool
	p.ruin(s, rng, defaultRuin, &scratch)
	return s
}
