package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// validateLinks checks Links and Owner (see Validate).
func (in *Instance) validateLinks() error {
	if in.Owner != nil && len(in.Owner) != len(in.Vehicles) {
		return fmt.Errorf("%w: owner has %d entries for %d vehicles", ErrInvalid, len(in.Owner), len(in.Vehicles))
	}
	different := false
	for i, l := range in.Links {
		switch {
		case l.A < 0 || l.A >= len(in.Visits) || l.B < 0 || l.B >= len(in.Visits):
			return fmt.Errorf("%w: link %d: visits %d, %d out of range", ErrInvalid, i, l.A, l.B)
		case l.A == l.B:
			return fmt.Errorf("%w: link %d: visit %d linked to itself", ErrInvalid, i, l.A)
		case l.MinGap < -maxValue || l.MaxGap > maxValue || l.MinGap > l.MaxGap:
			return fmt.Errorf("%w: link %d: gap %d..%d: want -2^52 <= min <= max <= 2^52", ErrInvalid, i, l.MinGap, l.MaxGap)
		case l.Worker > SameWorker:
			return fmt.Errorf("%w: link %d: worker relation %d unknown", ErrInvalid, i, l.Worker)
		}
		different = different || in.timeApart(l)
	}
	if !different || in.Owner == nil {
		return nil
	}
	byOwner := map[int][]int{}
	for k, o := range in.Owner {
		byOwner[o] = append(byOwner[o], k)
	}
	for o, ks := range byOwner {
		slices.SortFunc(ks, func(a, b int) int { return cmp64(in.Vehicles[a].Start, in.Vehicles[b].Start) })
		for j := 1; j < len(ks); j++ {
			if a, b := in.Vehicles[ks[j-1]], in.Vehicles[ks[j]]; b.Start < a.End {
				return fmt.Errorf("%w: owner %d: vehicles %d and %d overlap in time", ErrInvalid, o, ks[j-1], ks[j])
			}
		}
	}
	return nil
}

// timeApart reports whether link l asks for different workers and its gap
// range alone keeps one worker from serving both visits.
func (in *Instance) timeApart(l Link) bool {
	return l.Worker == DifferentWorker && l.MaxGap < in.Visits[l.A].Service && l.MinGap > -in.Visits[l.B].Service
}

// prepareLinks builds the link groups (connected components of the links),
// each listed in breadth-first order from its smallest visit, so that every
// member after the first is linked to an earlier one.
func (p *prepared) prepareLinks() {
	in := p.in
	nv := len(in.Visits)
	p.group = make([]int32, nv)
	for i := range p.group {
		p.group[i] = -1
	}
	if len(in.Links) == 0 {
		return
	}
	p.linked = true
	p.vlinks = make([][]int, nv)
	for i, l := range in.Links {
		p.vlinks[l.A] = append(p.vlinks[l.A], i)
		p.vlinks[l.B] = append(p.vlinks[l.B], i)
		if l.Worker != AnyWorker && !in.timeApart(l) {
			if p.stay == nil {
				p.stay = make([]bool, nv)
				p.restricted = true // the string moves check every visit
			}
			p.stay[l.A], p.stay[l.B] = true, true
		}
	}
	for v := range nv {
		if p.group[v] >= 0 || len(p.vlinks[v]) == 0 {
			continue
		}
		g := int32(len(p.groups))
		members := []int{v}
		p.group[v] = g
		for q := 0; q < len(members); q++ {
			for _, li := range p.vlinks[members[q]] {
				u := p.other(li, members[q])
				if p.group[u] < 0 {
					p.group[u] = g
					members = append(members, u)
				}
			}
		}
		p.groups = append(p.groups, members)
	}
}

// other returns the visit of link li that is not v.
func (p *prepared) other(li, v int) int {
	if l := &p.in.Links[li]; l.A == v {
		return l.B
	}
	return p.in.Links[li].A
}

// owner returns the worker behind vehicle k.
func (p *prepared) owner(k int) int {
	if p.in.Owner == nil {
		return k
	}
	return p.in.Owner[k]
}

// remove takes served visit v out of its route (the caller files it).
func (p *prepared) remove(s *solution, v int) {
	ri := s.where[v]
	r := &s.routes[ri]
	r.visits = slices.Delete(r.visits, s.pos[v]-1, s.pos[v])
	s.where[v] = -1
	s.untally(v)
	p.update(r, ri, s.where, s.pos)
}

// release completes a ruin: every linked visit in s.unassigned takes the
// rest of its group out of the routes with it, and the group's windows are
// restored; a route left needing a break it cannot hold loses its last
// visits (fixBreaks), which are released in turn.
func (p *prepared) release(s *solution) {
	for {
		p.releaseGroups(s)
		if !p.brk || !p.fixBreaks(s) {
			return
		}
	}
}

// releaseGroups is release without the break repair.
func (p *prepared) releaseGroups(s *solution) {
	if !p.linked {
		return
	}
	for i := 0; i < len(s.unassigned); i++ {
		v := s.unassigned[i]
		g := p.group[v]
		if g < 0 {
			continue
		}
		s.vseg[v] = p.vseg[v]
		for _, u := range p.groups[g] {
			if s.where[u] >= 0 {
				p.remove(s, u)
				s.unassigned = append(s.unassigned, u)
			}
			s.vseg[u] = p.vseg[u]
		}
	}
}

// adoptInitial narrows the windows of the linked visits of warm-start
// routes in s to win (nil: each at its earliest start in its route), then
// takes out every link group that is incomplete, breaks a link or a worker
// relation, or sits in a route that the narrowing made infeasible.
func (p *prepared) adoptInitial(s *solution, win []Span) {
	if !p.linked {
		return
	}
	for ri := range s.routes {
		r := &s.routes[ri]
		veh := &p.in.Vehicles[r.veh]
		pr := &p.in.Profiles[veh.Profile]
		t, at := veh.Start, veh.StartLoc
		for _, v := range r.visits {
			vis := &p.in.Visits[v]
			t = max(t+pr.Duration[at*p.n+vis.Loc], vis.Earliest)
			if p.group[v] >= 0 {
				if win != nil {
					s.vseg[v].early, s.vseg[v].late = win[v].Earliest, win[v].Latest
				} else {
					s.vseg[v].early, s.vseg[v].late = t, t
				}
			}
			t += vis.Service
			at = vis.Loc
		}
		p.update(r, ri, s.where, s.pos)
	}
	for {
		bad := -1
		for g, members := range p.groups {
			for _, m := range members {
				if ri := s.where[m]; ri < 0 || !p.feasible(s.routes[ri].veh, s.routes[ri].total()) || s.routes[ri].nobrk {
					bad = g
				}
			}
			if bad < 0 && !p.linksHold(s, g) {
				bad = g
			}
			partial := false
			for _, m := range members {
				partial = partial || s.where[m] >= 0
			}
			if bad == g && partial {
				break
			}
			bad = -1
		}
		if bad < 0 {
			return
		}
		for _, m := range p.groups[bad] {
			if s.where[m] >= 0 {
				p.remove(s, m)
				s.unassigned = append(s.unassigned, m)
			}
			s.vseg[m] = p.vseg[m]
		}
	}
}

// linksHold reports whether the links of group g hold for any starts in
// the members' current windows, with different owners where asked.
func (p *prepared) linksHold(s *solution, g int) bool {
	for _, m := range p.groups[g] {
		for _, li := range p.vlinks[m] {
			l := &p.in.Links[li]
			if l.A != m {
				continue
			}
			a, b := s.vseg[l.A], s.vseg[l.B]
			if b.early-a.late < l.MinGap || b.late-a.early > l.MaxGap {
				return false
			}
			if same := p.owner(s.routes[s.where[l.A]].veh) == p.owner(s.routes[s.where[l.B]].veh); l.Worker != AnyWorker && same != (l.Worker == SameWorker) {
				return false
			}
		}
	}
	return true
}

// linkWindow returns the window in which visit v may start, given the
// narrowed windows of the members of its group already served in s: any
// start inside it satisfies every link to them.
func (p *prepared) linkWindow(s *solution, v int) (lo, hi int64) {
	lo, hi = p.vseg[v].early, p.vseg[v].late
	for _, li := range p.vlinks[v] {
		l := &p.in.Links[li]
		if l.A == v {
			if b := l.B; s.where[b] >= 0 {
				lo, hi = max(lo, s.vseg[b].late-l.MaxGap), min(hi, s.vseg[b].early-l.MinGap)
			}
		} else if a := l.A; s.where[a] >= 0 {
			lo, hi = max(lo, s.vseg[a].late+l.MinGap), min(hi, s.vseg[a].early+l.MaxGap)
		}
	}
	return lo, hi
}

// startRange returns the feasible start interval of visit v (window lo..hi)
// inserted between node positions i and i+1 of r, ignoring the duration
// limit; lo > hi when there is none.
func (p *prepared) startRange(r *route, v, i int, lo, hi int64) (int64, int64) {
	n := p.n
	c := p.in.Visits[v].Loc
	left, right := r.fwd[i], r.bwd[i+1]
	lo = max(lo, left.early+left.dur-left.tw+r.tt[r.loc[i]*n+c])
	hi = min(hi, right.late-r.tt[c*n+r.loc[i+1]]-p.in.Visits[v].Service)
	return lo, hi
}

// insertDeltaSeg is insertDelta with visit v's segment data vs.
func (p *prepared) insertDeltaSeg(r *route, v, i int, vs seg) (int64, bool) {
	save := r.vseg[v]
	r.vseg[v] = vs
	d, ok := p.insertDelta(r, v, i)
	r.vseg[v] = save
	return d, ok
}

// place is a candidate insertion of a linked visit.
type place struct {
	ri, at int
	lo, hi int64 // feasible start interval there
	d      int64 // cost with the unnarrowed window
}

// placeCands is how many candidate places per visit a pair insertion
// combines, and perRoute how many of them one route may provide.
const (
	placeCands = 12
	perRoute   = 3
)

// places lists the cheapest feasible places of v with window lo..hi (at
// most placeCands, at most perRoute per route). One empty route per vehicle
// class is tried: the first when lastEmpty is false, else the last, so
// that two visits of a pair may open two routes of one class.
func (p *prepared) places(s *solution, v int, lo, hi int64, rng *rand.Rand, blink float64, openNew, lastEmpty bool, seen []bool, out []place) []place {
	out = out[:0]
	clear(seen)
	vs := p.vseg[v]
	vs.early, vs.late = lo, hi
	nr := len(s.routes)
	for x := range nr {
		ri := x
		if lastEmpty {
			ri = nr - 1 - x
		}
		r := &s.routes[ri]
		if !p.canServe(v, r.veh) {
			continue
		}
		if len(r.visits) == 0 {
			c := p.class[r.veh]
			if !openNew || seen[c] {
				continue
			}
			seen[c] = true
		}
		start := len(out)
		for i := 0; i <= len(r.visits); i++ {
			if blink > 0 && rng.Float64() < blink {
				continue
			}
			a, b := p.startRange(r, v, i, lo, hi)
			if a > b {
				continue
			}
			d, ok := p.insertDeltaSeg(r, v, i, vs)
			if !ok {
				continue
			}
			out = append(out, place{ri: ri, at: i, lo: a, hi: b, d: d})
		}
		// Keep this route's perRoute cheapest.
		mine := out[start:]
		slices.SortFunc(mine, func(x, y place) int { return cmp64(x.d, y.d) })
		out = out[:start+min(len(mine), perRoute)]
	}
	slices.SortFunc(out, func(x, y place) int { return cmp64(x.d, y.d) })
	return out[:min(len(out), placeCands)]
}

// pairGap returns the range [lo, hi] of start(u) - start(v) that the links
// between v and u allow, and the worker relations they ask for (a bit per
// Relation).
func (p *prepared) pairGap(v, u int) (lo, hi int64, rel uint8) {
	lo, hi = -2*maxValue, 2*maxValue
	for _, li := range p.vlinks[v] {
		l := &p.in.Links[li]
		switch {
		case l.A == v && l.B == u:
			lo, hi = max(lo, l.MinGap), min(hi, l.MaxGap)
		case l.A == u && l.B == v:
			lo, hi = max(lo, -l.MaxGap), min(hi, -l.MinGap)
		default:
			continue
		}
		rel |= 1 << l.Worker
	}
	return lo, hi, rel
}

// linkScratch is the scratch space of group insertion.
type linkScratch struct {
	pv, pu []place
	tried  []bool // per group: already tried in this recreate
}

// insertGroup inserts the group of visit v (all unassigned) or nothing:
// the first two members together (the cheapest pair of their candidate
// places in different routes that admits a common timing), the others one
// by one at their cheapest place within the window left by the members
// already in. It narrows each member's window so that every link holds for
// any start inside. It reports whether the group went in; when it did not,
// s is unchanged and the caller files the members as unassigned.
func (p *prepared) insertGroup(s *solution, v int, rng *rand.Rand, blink float64, openNew bool, seen []bool, sc *linkScratch) bool {
	members := p.groups[p.group[v]]
	var pen, total int64
	for _, m := range members {
		pen += p.in.Visits[m].Penalty
	}
	undo := func(n int) bool {
		for _, m := range members[:n] {
			if s.where[m] >= 0 {
				p.remove(s, m)
			}
		}
		for _, m := range members {
			s.vseg[m] = p.vseg[m]
		}
		return false
	}
	// The first pair.
	a, b := members[0], members[1]
	lo, hi, rel := p.pairGap(a, b)
	sc.pv = p.places(s, a, p.vseg[a].early, p.vseg[a].late, rng, blink, openNew, false, seen, sc.pv)
	sc.pu = p.places(s, b, p.vseg[b].early, p.vseg[b].late, rng, blink, openNew, true, seen, sc.pu)
	bPoint := p.hasUnplaced(s, b, members[2:])
	best := int64(noRoute) // none yet (costs may be negative: preferred-worker rewards)
	var bx, by place
	var sa, sb seg
	for _, x := range sc.pv {
		for _, y := range sc.pu {
			if x.ri == y.ri || x.d+y.d >= pen || x.d+y.d >= best {
				continue
			}
			if same := p.owner(s.routes[x.ri].veh) == p.owner(s.routes[y.ri].veh); same && rel&(1<<DifferentWorker) != 0 || !same && rel&(1<<SameWorker) != 0 {
				continue
			}
			// a is fixed at ta (the earliest, then the latest common
			// timing); b may start anywhere the links then allow.
			for late := range 2 {
				ta := max(x.lo, y.lo-hi)
				if late == 1 {
					ta = min(x.hi, y.hi-lo)
				}
				if ta < x.lo || ta > x.hi || max(y.lo, ta+lo) > min(y.hi, ta+hi) {
					continue
				}
				ga, gb := p.vseg[a], p.vseg[b]
				ga.early, ga.late = ta, ta
				gb.early, gb.late = max(gb.early, ta+lo), min(gb.late, ta+hi)
				if bPoint {
					// b anchors later members: fix it too.
					tb := max(gb.early, y.lo)
					gb.early, gb.late = tb, tb
				}
				da, ok := p.insertDeltaSeg(&s.routes[x.ri], a, x.at, ga)
				if !ok {
					continue
				}
				db, ok := p.insertDeltaSeg(&s.routes[y.ri], b, y.at, gb)
				if !ok || da+db >= best {
					continue
				}
				best, bx, by, sa, sb = da+db, x, y, ga, gb
			}
		}
	}
	// Both in one route (a first at its earliest or latest start there,
	// then b where it fits best), unless the link asks for two workers.
	sameAt := -1
	for _, x := range sc.pv {
		r := &s.routes[x.ri]
		if rel&(1<<DifferentWorker) != 0 || !p.canServe(b, r.veh) || x.d >= pen || x.d >= best {
			continue
		}
		for late := range 2 {
			ta := x.lo
			if late == 1 {
				ta = x.hi
			}
			ga, gb := p.vseg[a], p.vseg[b]
			ga.early, ga.late = ta, ta
			gb.early, gb.late = max(gb.early, ta+lo), min(gb.late, ta+hi)
			if gb.early > gb.late {
				continue
			}
			da, ok := p.insertDeltaSeg(r, a, x.at, ga)
			if !ok || da >= best {
				continue
			}
			s.vseg[a] = ga
			p.insert(s, a, x.ri, x.at)
			for i := 0; i <= len(r.visits); i++ {
				gi := gb
				if bPoint {
					tb, th := p.startRange(r, b, i, gb.early, gb.late)
					if tb > th {
						continue
					}
					gi.early, gi.late = tb, tb
				}
				if db, ok := p.insertDeltaSeg(r, b, i, gi); ok && da+db < best {
					best, bx, sameAt, sa, sb = da+db, x, i, ga, gi
				}
			}
			p.remove(s, a)
			s.vseg[a] = p.vseg[a]
		}
	}
	if best == noRoute || best >= pen {
		return false
	}
	s.vseg[a], s.vseg[b] = sa, sb
	p.insert(s, a, bx.ri, bx.at)
	if sameAt >= 0 {
		p.insert(s, b, bx.ri, sameAt)
	} else {
		p.insert(s, b, by.ri, by.at)
	}
	total = best
	// The others, one by one.
	for n := 2; n < len(members); n++ {
		m := members[n]
		wlo, whi := p.linkWindow(s, m)
		if wlo > whi {
			return undo(n)
		}
		sc.pv = p.places(s, m, wlo, whi, rng, blink, openNew, false, seen, sc.pv)
		done := false
		for _, x := range sc.pv {
			if !p.relationOK(s, m, s.routes[x.ri].veh) {
				continue
			}
			g := p.vseg[m]
			g.early, g.late = wlo, whi
			if p.hasUnplaced(s, m, members[n+1:]) {
				g.early, g.late = x.lo, x.lo
			}
			d, ok := p.insertDeltaSeg(&s.routes[x.ri], m, x.at, g)
			if !ok {
				continue
			}
			s.vseg[m] = g
			p.insert(s, m, x.ri, x.at)
			total += d
			done = true
			break
		}
		if !done {
			return undo(n)
		}
	}
	if total >= pen {
		return undo(len(members))
	}
	return true
}

// relationOK reports whether vehicle k may serve m given the worker
// relations of m's links to served visits.
func (p *prepared) relationOK(s *solution, m, k int) bool {
	for _, li := range p.vlinks[m] {
		rel := p.in.Links[li].Worker
		if rel == AnyWorker {
			continue
		}
		if o := p.other(li, m); s.where[o] >= 0 && (p.owner(s.routes[s.where[o]].veh) == p.owner(k)) != (rel == SameWorker) {
			return false
		}
	}
	return true
}

// hasUnplaced reports whether m is linked to one of rest.
func (p *prepared) hasUnplaced(s *solution, m int, rest []int) bool {
	for _, li := range p.vlinks[m] {
		if slices.Contains(rest, p.other(li, m)) {
			return true
		}
	}
	return false
}

// GroupsFit reports, for every linked visit that sol leaves unassigned,
// whether its link group could be inserted into sol's routes (kept with
// their windows) at some cost, ignoring penalties. Visits without links or
// served are false. It is meant for explaining why a visit was left out.
func GroupsFit(in *Instance, sol Solution) []bool {
	out := make([]bool, len(in.Visits))
	if len(in.Links) == 0 || len(sol.Windows) != len(in.Visits) {
		return out
	}
	big := *in
	big.Visits = slices.Clone(in.Visits)
	for i := range big.Visits {
		big.Visits[i].Penalty = maxValue
	}
	p := prepareLite(&big)
	s := p.newSolution()
	for v, w := range sol.Windows {
		s.vseg[v].early, s.vseg[v].late = w.Earliest, w.Latest
	}
	for k, r := range sol.Routes {
		if k >= len(s.routes) {
			break
		}
		s.routes[k].visits = append(s.routes[k].visits[:0], r...)
		p.update(&s.routes[k], k, s.where, s.pos)
	}
	nc := 0
	for _, c := range p.class {
		nc = max(nc, c+1)
	}
	seen := make([]bool, nc)
	done := make([]bool, len(p.groups))
	for v := range in.Visits {
		g := p.group[v]
		if g < 0 || s.where[v] >= 0 || done[g] {
			continue
		}
		done[g] = true
		if p.insertGroup(s, v, nil, 0, true, seen, &s.links) {
			for _, m := range p.groups[g] {
				out[m] = true
				p.remove(s, m)
				s.vseg[m] = p.vseg[m]
			}
		}
	}
	return out
}
