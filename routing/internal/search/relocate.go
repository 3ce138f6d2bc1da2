package search

// relocate tries to move visit u to just after visit v, and to just before
// v; it applies the first of these that lowers the cost and reports whether
// it did.
func (ls *localSearch) relocate(s *solution, u, v int) bool {
	p := ls.p
	ru, rv := s.where[u], s.where[v]
	if ru == rv {
		return ls.relocateIntra(s, u, v)
	}
	if !p.canServe(u, s.routes[rv].veh) {
		return false
	}
	a := &s.routes[ru]
	b := &s.routes[rv]
	i := s.pos[u]
	// Removal from a: nodes i-1 and i+1 become adjacent.
	n := p.n
	la, lu, lb := a.loc[i-1], a.loc[i], a.loc[i+1]
	sa := concat(a.fwd[i-1], a.tt[la*n+lb], a.bwd[i+1])
	ma := len(a.visits) - 1
	distA := a.dist[len(a.dist)-1] - a.dd[la*n+lu] - a.dd[lu*n+lb] + a.dd[la*n+lb]
	travA := a.travel[len(a.travel)-1] - a.tt[la*n+lu] - a.tt[lu*n+lb] + a.tt[la*n+lb]
	costA, ok := p.evalRoute(a.veh, ma, sa, distA, travA)
	if !ok {
		return false
	}
	gainA := a.cost - costA
	j := s.pos[v]
	// Insert after v (between j and j+1) or before v (between j-1 and j).
	for _, at := range [2]int{j, j - 1} {
		d, ok := p.insertDelta(b, u, at)
		if ok && d < gainA {
			p.cut(s, ru, i-1, 1, 0, 0)
			s.removeUnassigned(u)
			p.insert(s, u, rv, at)
			return true
		}
	}
	return false
}

// relocateIntra moves u next to v within their common route.
func (ls *localSearch) relocateIntra(s *solution, u, v int) bool {
	p := ls.p
	ri := s.where[u]
	r := &s.routes[ri]
	i, j := s.pos[u]-1, s.pos[v]-1 // indices in r.visits
	for _, after := range [2]bool{true, false} {
		target := j
		if after {
			target = j + 1
		}
		// Moving u from i to position target (before the element now at target).
		if target == i || target == i+1 {
			continue
		}
		ls.seq = ls.seq[:0]
		for k, x := range r.visits {
			if k == target {
				ls.seq = append(ls.seq, u)
			}
			if k != i {
				ls.seq = append(ls.seq, x)
			}
		}
		if target == len(r.visits) {
			ls.seq = append(ls.seq, u)
		}
		c, ok := p.evalSeq(r.veh, ls.seq)
		if ok && c < r.cost {
			p.setVisits(s, ri, ls.seq)
			return true
		}
	}
	return false
}
