package search

import "slices"

// solution is a complete assignment: one route per vehicle plus the
// unassigned visits.
type solution struct {
	routes     []route
	where      []int // per visit: route index, -1 when unassigned
	pos        []int // per visit: node position in its route
	unassigned []int
	// vseg is the single-visit segment data: the instance's, except that
	// the windows of served linked visits are narrowed (see Link).
	vseg  []seg
	links linkScratch
	tal   *tally // continuity and preferred workers (nil without those terms)
}

func (p *prepared) newSolution() *solution {
	s := &solution{
		routes: make([]route, len(p.in.Vehicles)),
		where:  make([]int, len(p.in.Visits)),
		pos:    make([]int, len(p.in.Visits)),
		vseg:   p.vseg,
	}
	if p.linked {
		s.vseg = slices.Clone(p.vseg)
		s.links.tried = make([]bool, len(p.groups))
	}
	s.tal = p.newTally()
	for k := range s.routes {
		s.routes[k].veh = k
		s.routes[k].vseg = s.vseg
		s.routes[k].tal = s.tal
		p.update(&s.routes[k], k, s.where, s.pos)
	}
	for v := range s.where {
		s.where[v] = -1
		s.unassigned = append(s.unassigned, v)
	}
	return s
}

// copyFrom makes s an exact copy of o, reusing s's memory.
func (s *solution) copyFrom(o *solution) {
	for i := range o.routes {
		r, q := &s.routes[i], &o.routes[i]
		r.veh = q.veh
		r.visits = append(r.visits[:0], q.visits...)
		r.loc = append(r.loc[:0], q.loc...)
		r.fwd = append(r.fwd[:0], q.fwd...)
		r.bwd = append(r.bwd[:0], q.bwd...)
		r.dist = append(r.dist[:0], q.dist...)
		r.travel = append(r.travel[:0], q.travel...)
		r.cost = q.cost
		r.sched, r.span = q.sched, q.span
		r.brk, r.nobrk = q.brk, q.nobrk
		r.tt, r.dd = q.tt, q.dd
	}
	if s.tal != nil {
		s.tal.copyFrom(o.tal)
	}
	if len(o.links.tried) > 0 {
		copy(s.vseg, o.vseg)
	}
	copy(s.where, o.where)
	copy(s.pos, o.pos)
	s.unassigned = append(s.unassigned[:0], o.unassigned...)
}

// cost returns the objective value of s.
func (p *prepared) cost(s *solution) int64 {
	var c int64
	for i := range s.routes {
		c += s.routes[i].cost
	}
	for _, v := range s.unassigned {
		c += p.in.Visits[v].Penalty
	}
	if s.tal != nil {
		c += s.tal.cost
	}
	return c
}

// used returns the number of non-empty routes.
func (s *solution) used() int {
	n := 0
	for i := range s.routes {
		if len(s.routes[i].visits) > 0 {
			n++
		}
	}
	return n
}

// removeUnassigned drops v from the unassigned list.
func (s *solution) removeUnassigned(v int) {
	for i, u := range s.unassigned {
		if u == v {
			last := len(s.unassigned) - 1
			s.unassigned[i] = s.unassigned[last]
			s.unassigned = s.unassigned[:last]
			return
		}
	}
}

// insert puts visit v into route ri between node positions at and at+1 and
// refreshes the route data.
func (p *prepared) insert(s *solution, v, ri, at int) {
	r := &s.routes[ri]
	r.visits = append(r.visits, 0)
	copy(r.visits[at+1:], r.visits[at:])
	r.visits[at] = v
	p.update(r, ri, s.where, s.pos)
}

// export returns the routes as visit index lists, one per vehicle.
func (s *solution) export() [][]int {
	out := make([][]int, len(s.routes))
	for i := range s.routes {
		out[i] = append([]int{}, s.routes[i].visits...)
	}
	return out
}

// fixedPart returns the fixed costs of the vehicles s uses plus the
// penalties of its unassigned visits and the continuity and preferred
// terms (the cost that is not per arc).
func (p *prepared) fixedPart(s *solution) int64 {
	var c int64
	for i := range s.routes {
		if len(s.routes[i].visits) > 0 {
			c += p.in.Vehicles[s.routes[i].veh].FixedCost
		}
	}
	for _, v := range s.unassigned {
		c += p.in.Visits[v].Penalty
	}
	if s.tal != nil {
		c += s.tal.cost
	}
	return c
}
