package search

import "math/rand/v2"

// removalCount draws how many visits a random or worst removal takes out:
// uniform in [1, 2·avg], at most the number of assigned visits.
func removalCount(rng *rand.Rand, avg float64, assigned int) int {
	q := 1 + rng.IntN(max(1, int(2*avg)))
	return min(q, assigned)
}

// ruinRandom removes q visits chosen uniformly among the assigned ones
// (Ropke and Pisinger 2006, random removal) and appends them to
// s.unassigned. It returns the number of visits removed.
func (p *prepared) ruinRandom(s *solution, rng *rand.Rand, avg float64) int {
	assigned := len(p.in.Visits) - len(s.unassigned)
	if assigned == 0 {
		return 0
	}
	q := removalCount(rng, avg, assigned)
	removed := 0
	for removed < q {
		v := rng.IntN(len(p.in.Visits))
		ri := s.where[v]
		if ri < 0 {
			continue
		}
		removed += p.cut(s, ri, s.pos[v]-1, 1, 0, 0)
	}
	return removed
}
