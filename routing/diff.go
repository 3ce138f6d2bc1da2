package routing

import (
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// ChangeType says how one visit differs between two rotas.
type ChangeType string

// Types of visit change.
const (
	// Reassigned: served in both rotas, by different workers.
	Reassigned ChangeType = "reassigned"
	// Retimed: served by the same workers, starting at another time.
	Retimed ChangeType = "retimed"
	// Dropped: served before, not served now (the visit still exists).
	Dropped ChangeType = "dropped"
	// Cancelled: served before, and no longer in the problem.
	Cancelled ChangeType = "cancelled"
	// Added: not served before (or new to the problem), served now.
	Added ChangeType = "added"
)

// VisitChange is one visit's change between two rotas: what a coordinator
// phones through. Workers are sorted; times are planned starts (zero when a
// rota gives none).
type VisitChange struct {
	Visit       schedule.VisitID   `json:"visit"`               // the visit's ID
	ServiceUser care.ServiceUserID `json:"service_user"`        // whose visit it is
	Type        ChangeType         `json:"type"`                // what changed
	From        []care.WorkerID    `json:"from,omitempty"`      // workers in the first rota (empty when it was not served)
	To          []care.WorkerID    `json:"to,omitempty"`        // workers in the second rota (empty when it is not served)
	FromStart   time.Time          `json:"from_start,omitzero"` // planned start in the first rota
	ToStart     time.Time          `json:"to_start,omitzero"`   // planned start in the second rota
}

// WorkerDiff lists a worker's changes: visits gained, visits lost and
// visits kept at another time.
type WorkerDiff struct {
	Worker  care.WorkerID `json:"worker"`            // the worker's ID
	Gained  []VisitChange `json:"gained,omitempty"`  // visits the worker serves only in the second rota
	Lost    []VisitChange `json:"lost,omitempty"`    // visits the worker serves only in the first rota
	Retimed []VisitChange `json:"retimed,omitempty"` // visits the worker keeps, at another planned start
}

// PersonDiff lists the changes to one service user's visits.
type PersonDiff struct {
	ServiceUser care.ServiceUserID `json:"service_user"` // the person's ID
	Changes     []VisitChange      `json:"changes"`      // the person's changed visits
}

// Diff is the difference between two rotas, per visit, per worker and per
// person. Only changed visits appear.
type Diff struct {
	Visits  []VisitChange `json:"visits"`  // every changed visit
	Workers []WorkerDiff  `json:"workers"` // the changes grouped by worker
	People  []PersonDiff  `json:"people"`  // the changes grouped by service user
}

// DiffOptions control DiffRotas.
type DiffOptions struct {
	// MinShift is the least change of start time that counts as Retimed; 0
	// means any change larger than Tolerance.
	MinShift time.Duration `json:"min_shift,omitempty"`
}

// DiffRotas compares rota before (planned for problem was) with rota after
// (planned for problem now, which may have gained or lost visits; pass the
// same problem twice when nothing changed). A visit is served in a rota
// when some route lists it; its workers are those routes' workers and its
// start the assignment's planned Start. Visits, workers and people are
// listed in sorted order of their IDs.
func DiffRotas(was *schedule.Problem, before *schedule.Rota, now *schedule.Problem, after *schedule.Rota, opt DiffOptions) Diff {
	users := map[schedule.VisitID]care.ServiceUserID{}
	inNow := map[schedule.VisitID]bool{}
	for _, p := range []*schedule.Problem{was, now} {
		if p == nil {
			continue
		}
		for _, v := range p.Visits {
			users[v.ID] = v.ServiceUser
			if p == now {
				inNow[v.ID] = true
			}
		}
	}
	bw, bs := servedBy(before)
	aw, as := servedBy(after)
	ids := make([]schedule.VisitID, 0, len(bw)+len(aw))
	for id := range bw {
		ids = append(ids, id)
	}
	for id := range aw {
		if _, ok := bw[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	minShift := max(opt.MinShift, Tolerance)
	var d Diff
	workers := map[care.WorkerID]*WorkerDiff{}
	people := map[care.ServiceUserID]*PersonDiff{}
	worker := func(w care.WorkerID) *WorkerDiff {
		if workers[w] == nil {
			workers[w] = &WorkerDiff{Worker: w}
		}
		return workers[w]
	}
	for _, id := range ids {
		from, to := bw[id], aw[id]
		c := VisitChange{Visit: id, ServiceUser: users[id], From: from, To: to, FromStart: bs[id], ToStart: as[id]}
		switch {
		case len(from) > 0 && len(to) == 0 && now != nil && !inNow[id]:
			c.Type = Cancelled
		case len(from) > 0 && len(to) == 0:
			c.Type = Dropped
		case len(from) == 0:
			c.Type = Added
		case !slices.Equal(from, to):
			c.Type = Reassigned
		default:
			shift := c.ToStart.Sub(c.FromStart)
			if shift < minShift && -shift < minShift {
				continue
			}
			c.Type = Retimed
		}
		d.Visits = append(d.Visits, c)
		for _, w := range from {
			if !slices.Contains(to, w) {
				wd := worker(w)
				wd.Lost = append(wd.Lost, c)
			} else if c.Type == Retimed || c.Type == Reassigned {
				if !c.ToStart.Equal(c.FromStart) {
					wd := worker(w)
					wd.Retimed = append(wd.Retimed, c)
				}
			}
		}
		for _, w := range to {
			if !slices.Contains(from, w) {
				wd := worker(w)
				wd.Gained = append(wd.Gained, c)
			}
		}
		if people[c.ServiceUser] == nil {
			people[c.ServiceUser] = &PersonDiff{ServiceUser: c.ServiceUser}
		}
		people[c.ServiceUser].Changes = append(people[c.ServiceUser].Changes, c)
	}
	for _, wd := range workers {
		d.Workers = append(d.Workers, *wd)
	}
	slices.SortFunc(d.Workers, func(a, b WorkerDiff) int { return compareString(string(a.Worker), string(b.Worker)) })
	for _, pd := range people {
		d.People = append(d.People, *pd)
	}
	slices.SortFunc(d.People, func(a, b PersonDiff) int { return compareString(string(a.ServiceUser), string(b.ServiceUser)) })
	return d
}

func compareString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// servedBy returns, per visit some route serves, its sorted workers and
// its assignment's planned start.
func servedBy(r *schedule.Rota) (map[schedule.VisitID][]care.WorkerID, map[schedule.VisitID]time.Time) {
	ws := map[schedule.VisitID][]care.WorkerID{}
	starts := map[schedule.VisitID]time.Time{}
	if r == nil {
		return ws, starts
	}
	for _, rt := range r.Routes {
		for _, id := range rt.Visits {
			if !slices.Contains(ws[id], rt.Worker) {
				ws[id] = append(ws[id], rt.Worker)
			}
		}
	}
	for id := range ws {
		slices.Sort(ws[id])
	}
	for _, a := range r.Assignments {
		if _, ok := ws[a.Visit]; ok {
			if _, seen := starts[a.Visit]; !seen {
				starts[a.Visit] = a.Start
			}
		}
	}
	return ws, starts
}
