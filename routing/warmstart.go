package routing

import (
	"slices"

	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
)

// initial maps rota r onto the engine's vehicles for a warm start: one
// visit list per vehicle, in the rota's order. A visit is kept only when the
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
