package search

// twoOptStar tries the 2-opt* exchange of route tails between the routes of
// u and v, in two variants: u then v's successors (and v then u's
// successors), or u's predecessor then v (and v's predecessor then u). It
// applies the first improving variant and reports whether it did.
func (ls *localSearch) twoOptStar(s *solution, u, v int) bool {
	ru, rv := s.where[u], s.where[v]
	if ru == rv {
		return false
	}
	p := ls.p
	a, b := &s.routes[ru], &s.routes[rv]
	if !p.tailsCompatible(a.veh, b.veh) {
		return false
	}
	// Variant 1: u followed by v's successor; v followed by u's successor.
	if ls.tryTails(s, ru, rv, s.pos[u], s.pos[v]) {
		return true
	}
	// Variant 2: u's predecessor followed by v; v's predecessor followed by u.
	return ls.tryTails(s, ru, rv, s.pos[u]-1, s.pos[v]-1)
}

// tailsCompatible reports whether route tails (which include the end depot)
// may be exchanged between vehicles k and l in O(1): same travel profile and
// the same end location and shift end.
func (p *prepared) tailsCompatible(k, l int) bool {
	a, b := &p.in.Vehicles[k], &p.in.Vehicles[l]
	return a.Profile == b.Profile && a.EndLoc == b.EndLoc && a.End == b.End && a.Start == b.Start
}

// tryTails evaluates routes a = a[0..i] + b[j+1..] and b = b[0..j] + a[i+1..]
// (node positions) and applies them if cheaper.
func (ls *localSearch) tryTails(s *solution, ru, rv, i, j int) bool {
	p := ls.p
	a, b := &s.routes[ru], &s.routes[rv]
	na, nb := len(a.loc), len(b.loc)
	if i+1 >= na || j+1 >= nb {
		return false
	}
	if i == 0 && j == 0 {
		return false // swapping whole routes changes nothing
	}
	if p.restricted {
		for _, x := range a.visits[i:] {
			if !p.canMove(s, x, b.veh) {
				return false
			}
		}
		for _, x := range b.visits[j:] {
			if !p.canMove(s, x, a.veh) {
				return false
			}
		}
	}
	n := p.n
	la, lb := a.loc[i], b.loc[j]
	la2, lb2 := a.loc[i+1], b.loc[j+1]
	ta, tb := a.tt[la*n+lb2], b.tt[lb*n+la2]
	sa := concat(a.fwd[i], ta, b.bwd[j+1])
	ma := i + (nb - 2 - j)
	mb := j + (na - 2 - i)
	distA := a.dist[i] + a.dd[la*n+lb2] + b.dist[nb-1] - b.dist[j+1]
	travA := a.travel[i] + ta + b.travel[nb-1] - b.travel[j+1]
	costA, ok := p.evalRouteSeq(a.veh, ma, sa, distA, travA, a.vseg, a.visits[:i], b.visits[j:], nil)
	if !ok {
		return false
	}
	sb := concat(b.fwd[j], tb, a.bwd[i+1])
	distB := b.dist[j] + b.dd[lb*n+la2] + a.dist[na-1] - a.dist[i+1]
	travB := b.travel[j] + tb + a.travel[na-1] - a.travel[i+1]
	costB, ok := p.evalRouteSeq(b.veh, mb, sb, distB, travB, b.vseg, b.visits[:j], a.visits[i:], nil)
	if !ok {
		return false
	}
	if s.tal != nil {
		costB += p.tallyExchange(s.tal, a.visits[i:], p.owner(a.veh), b.visits[j:], p.owner(b.veh))
	}
	if costA+costB >= a.cost+b.cost {
		return false
	}
	ls.seq = append(ls.seq[:0], a.visits[:i]...)
	ls.seq = append(ls.seq, b.visits[j:]...)
	tailA := append([]int(nil), a.visits[i:]...)
	b.visits = append(b.visits[:j], tailA...)
	p.update(b, rv, s.where, s.pos)
	p.setVisits(s, ru, ls.seq)
	return true
}
