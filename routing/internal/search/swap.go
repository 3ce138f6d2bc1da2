package search

// swap tries to exchange visits u and v (in different routes or the same
// route); it applies the move if it lowers the cost and reports whether it did.
func (ls *localSearch) swap(s *solution, u, v int) bool {
	p := ls.p
	ru, rv := s.where[u], s.where[v]
	a, b := &s.routes[ru], &s.routes[rv]
	i, j := s.pos[u], s.pos[v]
	if ru == rv {
		lo, hi := min(i, j), max(i, j)
		// ... lo-1 | x, lo+1..hi-1, y | hi+1 ... with x, y the swapped pair.
		ls.seq = append(ls.seq[:0], a.visits[hi-1])
		ls.seq = append(ls.seq, a.visits[lo:hi-1]...)
		ls.seq = append(ls.seq, a.visits[lo-1])
		c, ok := p.evalSplice(a, lo-1, ls.seq, hi+1)
		if ok && c < a.cost {
			a.visits[i-1], a.visits[j-1] = v, u
			p.update(a, ru, s.where, s.pos)
			return true
		}
		return false
	}
	if !p.canMove(s, u, b.veh) || !p.canMove(s, v, a.veh) {
		return false
	}
	costA, ok := p.replaceCost(a, i, v)
	if !ok {
		return false
	}
	costB, ok := p.replaceCost(b, j, u)
	if !ok || costA+costB+p.tallySwap1(s.tal, u, a.veh, v, b.veh) >= a.cost+b.cost {
		return false
	}
	a.visits[i-1] = v
	b.visits[j-1] = u
	p.update(a, ru, s.where, s.pos)
	p.update(b, rv, s.where, s.pos)
	return true
}

// replaceCost returns the cost of route r with the visit at node position i
// replaced by visit x, and whether that is feasible.
func (p *prepared) replaceCost(r *route, i, x int) (int64, bool) {
	n := p.n
	prev, old, next := r.loc[i-1], r.loc[i], r.loc[i+1]
	lx := p.in.Visits[x].Loc
	t1, t2 := r.tt[prev*n+lx], r.tt[lx*n+next]
	sg := concat(concat(r.fwd[i-1], t1, r.vseg[x]), t2, r.bwd[i+1])
	dist := r.dist[len(r.dist)-1] - r.dd[prev*n+old] - r.dd[old*n+next] + r.dd[prev*n+lx] + r.dd[lx*n+next]
	travel := r.travel[len(r.travel)-1] - r.tt[prev*n+old] - r.tt[old*n+next] + t1 + t2
	if p.slow {
		one := [1]int{x}
		return p.evalRouteSeq(r.veh, len(r.visits), sg, dist, travel, r.vseg, r.visits[:i-1], one[:], r.visits[i:])
	}
	return p.evalRoute(r.veh, len(r.visits), sg, dist, travel)
}
