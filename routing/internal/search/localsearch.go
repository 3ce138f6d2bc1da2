package search

import "math/rand/v2"

// localSearch improves a solution with the move operators until no
// improving move is found.
type localSearch struct {
	p *prepared
}

func newLocalSearch(p *prepared) *localSearch { return &localSearch{p: p} }

// run applies improving moves to s.
func (ls *localSearch) run(s *solution, rng *rand.Rand) {}
