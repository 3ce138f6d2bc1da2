package search

// crossExchange tries to exchange a string of 1 to 3 consecutive visits
// starting at u with a string of 1 to 3 consecutive visits starting at v's
// successor, between two routes, so that u's string follows v (the pair
// lengths 1-1 included: that is a swap of u with v's successor). It applies
// the first move that lowers the cost and reports whether it did.
func (ls *localSearch) crossExchange(s *solution, u, v int) bool {
	p := ls.p
	ru, rv := s.where[u], s.where[v]
	if ru == rv {
		return false
	}
	a, b := &s.routes[ru], &s.routes[rv]
	i := s.pos[u]
	j := s.pos[v] + 1 // node position of the first visit of b's string
	if j > len(b.visits) {
		return false
	}
	base := a.cost + b.cost
	for la := 1; la <= maxString && i+la-1 <= len(a.visits); la++ {
		strA := a.visits[i-1 : i-1+la]
		if p.restricted && !p.allServe(s, strA, b.veh) {
			break
		}
		for lb := 1; lb <= maxString && j+lb-1 <= len(b.visits); lb++ {
			strB := b.visits[j-1 : j-1+lb]
			if p.restricted && !p.allServe(s, strB, a.veh) {
				break
			}
			costA, ok := p.evalSplice(a, i-1, strB, i+la)
			if ok && s.tal != nil {
				costA += p.tallyExchange(s.tal, strA, p.owner(a.veh), strB, p.owner(b.veh))
			}
			if !ok || costA >= base {
				continue
			}
			costB, ok := p.evalSplice(b, j-1, strA, j+lb)
			if !ok || costA+costB >= base {
				continue
			}
			na := make([]int, 0, len(a.visits)-la+lb)
			na = append(append(append(na, a.visits[:i-1]...), strB...), a.visits[i-1+la:]...)
			nb := make([]int, 0, len(b.visits)-lb+la)
			nb = append(append(append(nb, b.visits[:j-1]...), strA...), b.visits[j-1+lb:]...)
			p.setVisits(s, ru, na)
			p.setVisits(s, rv, nb)
			return true
		}
	}
	return false
}
