package search

// maxString is the longest string of consecutive visits moved by or-opt or
// exchanged by cross-exchange.
const maxString = 3

// orOpt tries to move the string of 2 or 3 consecutive visits that starts at
// u (in visiting order), as is or reversed, to just after v or just before v,
// in v's route or within u's own route. It applies the first move that lowers
// the cost and reports whether it did. Single visits are relocate's job.
func (ls *localSearch) orOpt(s *solution, u, v int) bool {
	p := ls.p
	ru, rv := s.where[u], s.where[v]
	a := &s.routes[ru]
	i := s.pos[u] // node position of the string's first visit
	for l := 2; l <= maxString; l++ {
		if i+l-1 > len(a.visits) {
			return false
		}
		str := a.visits[i-1 : i-1+l]
		if ru == rv {
			if ls.orOptIntra(s, ru, i, l, s.pos[v]) {
				return true
			}
			continue
		}
		b := &s.routes[rv]
		if p.restricted && !p.allServe(s, str, b.veh) {
			continue
		}
		// Removal from a: node positions i-1 and i+l become adjacent.
		costA, ok := p.evalSplice(a, i-1, nil, i+l)
		if !ok {
			continue
		}
		gain := a.cost + b.cost - costA
		if s.tal != nil {
			gain -= p.tallyExchange(s.tal, str, p.owner(a.veh), nil, p.owner(b.veh))
		}
		j := s.pos[v]
		for _, rev := range [2]bool{false, true} {
			ls.str = appendString(ls.str[:0], str, rev)
			for _, at := range [2]int{j, j - 1} {
				costB, ok := p.evalSplice(b, at, ls.str, at+1)
				if ok && costB < gain {
					moved := append([]int(nil), ls.str...)
					p.cut(s, ru, i-1, l, 0, 0)
					for _, x := range moved {
						s.removeUnassigned(x)
					}
					nb := make([]int, 0, len(b.visits)+l)
					nb = append(append(append(nb, b.visits[:at]...), moved...), b.visits[at:]...)
					p.setVisits(s, rv, nb)
					return true
				}
			}
		}
	}
	return false
}

// orOptIntra moves the string of l visits at node positions i..i+l-1 of
// route ri, as is or reversed, to just after or just before the node at
// position j, evaluated in O(distance moved).
func (ls *localSearch) orOptIntra(s *solution, ri, i, l, j int) bool {
	p := ls.p
	r := &s.routes[ri]
	str := r.visits[i-1 : i-1+l]
	for _, k := range [2]int{j, j - 1} {
		// New place: between node positions k and k+1 of the current route.
		if k >= i-1 && k <= i+l-1 {
			continue // inside or next to the string: no move
		}
		for _, rev := range [2]bool{false, true} {
			ls.seq = ls.seq[:0]
			var lo, hi int
			if k > i {
				// ... i-1 | i+l..k, string | k+1 ...
				lo, hi = i-1, k+1
				ls.seq = append(ls.seq, r.visits[i-1+l:k]...)
				ls.seq = appendString(ls.seq, str, rev)
			} else {
				// ... k | string, k+1..i-1 | i+l ...
				lo, hi = k, i+l
				ls.seq = appendString(ls.seq, str, rev)
				ls.seq = append(ls.seq, r.visits[k:i-1]...)
			}
			c, ok := p.evalSplice(r, lo, ls.seq, hi)
			if ok && c < r.cost {
				nv := make([]int, 0, len(r.visits))
				nv = append(append(append(nv, r.visits[:lo]...), ls.seq...), r.visits[hi-1:]...)
				p.setVisits(s, ri, nv)
				return true
			}
		}
	}
	return false
}

// appendString appends str to dst, reversed when rev is true.
func appendString(dst, str []int, rev bool) []int {
	if !rev {
		return append(dst, str...)
	}
	for x := len(str) - 1; x >= 0; x-- {
		dst = append(dst, str[x])
	}
	return dst
}

// allServe reports whether a move may take every visit in vs to vehicle k.
func (p *prepared) allServe(s *solution, vs []int, k int) bool {
	for _, x := range vs {
		if !p.canMove(s, x, k) {
			return false
		}
	}
	return true
}
