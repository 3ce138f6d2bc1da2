package routing

import (
	"slices"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
)

// initial maps rota r onto the engine's vehicles for a warm start: one
// visit list per vehicle, in the rota's order. The seats of a double-handed
// visit go in route order, or, when it has SeatDurations, as the
// assignment lists its workers. A visit is kept only when the
// engine plans it (not left out before the search), it is not already
// placed, its allowed vehicles include the route's shift, and the route
// stays feasible with it appended (search.Check); anything else is dropped
// and left for the search to insert. Routes naming unknown or repeated
// shifts are ignored. The result always passes search.Check.
func (t *translation) initial(r *schedule.Rota) [][]int {
	vehicle := make(map[schedule.ShiftID]int, len(t.shift))
	for k, s := range t.shift {
		vehicle[t.p.Shifts[s].ID] = k
	}
	visit := make(map[schedule.VisitID]int, len(t.p.Visits))
	for v := range t.p.Visits {
		visit[t.p.Visits[v].ID] = v
	}
	routes := make([][]int, len(t.shift))
	used := make([]bool, len(t.shift))
	placed := make([]bool, len(t.in.Visits))
	// secondSeat names the worker the rota puts in the second seat of a
	// double-handed visit with SeatDurations (its seat decides how long they
	// stay); others take the seats in route order.
	secondSeat := map[schedule.VisitID]care.WorkerID{}
	for _, a := range r.Assignments {
		if v, ok := visit[a.Visit]; ok && len(t.p.Visits[v].SeatDurations) > 0 && len(a.Workers) == 2 {
			secondSeat[a.Visit] = a.Workers[1]
		}
	}
	for _, rt := range r.Routes {
		k, ok := vehicle[rt.Shift]
		if !ok || used[k] {
			continue
		}
		used[k] = true
		trial := make([][]int, k+1)
		for _, id := range rt.Visits {
			v, ok := visit[id]
			if !ok {
				continue
			}
			ev := t.engineVisit[v]
			if ev >= 0 && t.seat2[v] >= 0 && (placed[ev] || secondSeat[id] == rt.Worker) {
				ev = t.seat2[v] // the second worker of a double-handed visit
			}
			if ev < 0 || placed[ev] {
				continue
			}
			if al := t.in.Visits[ev].Allowed; al != nil && !slices.Contains(al, k) {
				continue
			}
			trial[k] = append(routes[k][:len(routes[k]):len(routes[k])], ev)
			if search.Check(&t.in, trial) != nil {
				continue
			}
			routes[k] = trial[k]
			placed[ev] = true
		}
	}
	return routes
}

// initialWindows gives the engine, for a warm start from rota r, each
// visit's window: the engine's own, except that a visit with an
// assignment starts at its planned start (rounded up to the engine's unit,
// kept inside the window). The engine uses them for linked visits only, so
// that double-handed visits and dependencies keep their planned times.
func (t *translation) initialWindows(r *schedule.Rota) []search.Span {
	out := make([]search.Span, len(t.in.Visits))
	for ev, vis := range t.in.Visits {
		out[ev] = search.Span{Earliest: vis.Earliest, Latest: vis.Latest}
	}
	start := make(map[schedule.VisitID]int64, len(r.Assignments))
	for _, a := range r.Assignments {
		start[a.Visit] = ceilUnits(a.Start.Sub(t.p.Start))
	}
	for ev, v := range t.visit {
		if st, ok := start[t.p.Visits[v].ID]; ok {
			w := &out[ev]
			st = min(max(st, w.Earliest), w.Latest)
			w.Earliest, w.Latest = st, st
		}
	}
	return out
}
