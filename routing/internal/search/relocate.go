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
	if !p.canMove(s, u, s.routes[rv].veh) {
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
	costA, ok := p.evalRouteSeq(a.veh, ma, sa, distA, travA, a.vseg, a.visits[:i-1], a.visits[i:], nil)
	if !ok {
		return false
	}
	gainA := a.cost - costA - p.tallyMove1(s.tal, u, a.veh, b.veh)
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

// relocateIntra moves u just after or just before v within their common
// route, evaluated in O(distance between them).
func (ls *localSearch) relocateIntra(s *solution, u, v int) bool {
	p := ls.p
	ri := s.where[u]
	r := &s.routes[ri]
	i, j := s.pos[u], s.pos[v] // node positions
	for _, after := range [2]bool{true, false} {
		// New place: between node positions k and k+1 of the current route.
		k := j
		if !after {
			k = j - 1
		}
		if k == i || k == i-1 {
			continue // no change
		}
		ls.seq = ls.seq[:0]
		var a, b int
		if k > i {
			// ... i-1 | i+1..k, u | k+1 ...
			a, b = i-1, k+1
			ls.seq = append(ls.seq, r.visits[i:k]...)
			ls.seq = append(ls.seq, u)
		} else {
			// ... k | u, k+1..i-1 | i+1 ...
			a, b = k, i+1
			ls.seq = append(ls.seq, u)
			ls.seq = append(ls.seq, r.visits[k:i-1]...)
		}
		c, ok := p.evalSplice(r, a, ls.seq, b)
		if ok && c < r.cost {
			nv := append(append(append([]int(nil), r.visits[:a]...), ls.seq...), r.visits[b-1:]...)
			p.setVisits(s, ri, nv)
			return true
		}
	}
	return false
}
