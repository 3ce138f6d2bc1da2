package routing

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// LocationIndex numbers distinct locations in the order they were added.
// The zero value is empty and ready to use.
type LocationIndex struct {
	// Locations are the distinct locations; a location's index is its position here.
	Locations []care.Location
	index     map[care.Location]int
}

// Add returns the index of l, adding it when it is new.
func (x *LocationIndex) Add(l care.Location) int {
	if i, ok := x.index[l]; ok {
		return i
	}
	if x.index == nil {
		x.index = make(map[care.Location]int)
	}
	i := len(x.Locations)
	x.index[l] = i
	x.Locations = append(x.Locations, l)
	return i
}

// Index returns the index of l and whether it has been added.
func (x *LocationIndex) Index(l care.Location) (int, bool) {
	i, ok := x.index[l]
	return i, ok
}

// Len returns the number of distinct locations.
func (x *LocationIndex) Len() int { return len(x.Locations) }

// Places are the distinct locations a problem uses, with the index of each
// visit's and each shift's places, and the distinct travel modes of the
// workers with shifts: what a solver needs to ask a MatrixProvider once.
type Places struct {
	LocationIndex
	// Visit[v] is the location index of p.Visits[v]: its own Location or its service user's home.
	Visit []int
	// ShiftStart[s] and ShiftEnd[s] are the location indices where p.Shifts[s] starts and
	// ends (its StartAt/EndAt, else the worker's home), or -1 when neither is given: the
	// route then starts at its first visit or ends at its last.
	ShiftStart, ShiftEnd []int
	// Modes are the distinct travel modes of the workers who have shifts, in order of first use.
	Modes []care.TravelMode
	// ShiftMode[s] is the index in Modes of the travel mode of p.Shifts[s]'s worker.
	ShiftMode []int
}

// ProblemPlaces collects the distinct places of p: visit locations first (in
// visit order), then shift start and end places. Errors name the visit or
// shift whose service user or worker is unknown, or whose place is not a
// finite point.
func ProblemPlaces(p *schedule.Problem) (*Places, error) {
	if p == nil {
		return nil, care.Invalid("", "", "problem", "nil")
	}
	users := make(map[care.ServiceUserID]int, len(p.ServiceUsers))
	for i, u := range p.ServiceUsers {
		users[u.ID] = i
	}
	workers := make(map[care.WorkerID]int, len(p.Workers))
	for i, w := range p.Workers {
		workers[w.ID] = i
	}
	pl := &Places{
		Visit:      make([]int, len(p.Visits)),
		ShiftStart: make([]int, len(p.Shifts)),
		ShiftEnd:   make([]int, len(p.Shifts)),
		ShiftMode:  make([]int, len(p.Shifts)),
	}
	for v := range p.Visits {
		vis := &p.Visits[v]
		var loc care.Location
		field := "location"
		if vis.Location != nil {
			loc = *vis.Location
		} else {
			u, ok := users[vis.ServiceUser]
			if !ok {
				return nil, care.Invalid("visit", string(vis.ID), "service_user", "unknown service user %q", vis.ServiceUser)
			}
			loc = p.ServiceUsers[u].Location
			field = "service user's location"
		}
		if err := loc.Validate(); err != nil {
			return nil, care.Invalid("visit", string(vis.ID), field, "%v", err)
		}
		pl.Visit[v] = pl.Add(loc)
	}
	for s := range p.Shifts {
		sh := &p.Shifts[s]
		w, ok := workers[sh.Worker]
		if !ok {
			return nil, care.Invalid("shift", string(sh.ID), "worker", "unknown worker %q", sh.Worker)
		}
		worker := &p.Workers[w]
		mode := worker.TravelMode
		if err := mode.Validate(); err != nil {
			return nil, care.Invalid("shift", string(sh.ID), "worker's travel_mode", "%v", err)
		}
		k := -1
		for i, m := range pl.Modes {
			if m == mode {
				k = i
			}
		}
		if k < 0 {
			k = len(pl.Modes)
			pl.Modes = append(pl.Modes, mode)
		}
		pl.ShiftMode[s] = k
		var err error
		if pl.ShiftStart[s], err = pl.place(sh, "start_at", sh.StartAt, worker.Home); err != nil {
			return nil, err
		}
		if pl.ShiftEnd[s], err = pl.place(sh, "end_at", sh.EndAt, worker.Home); err != nil {
			return nil, err
		}
	}
	return pl, nil
}

// place returns the index of at, else home, else -1.
func (pl *Places) place(sh *schedule.Shift, field string, at, home *care.Location) (int, error) {
	if at == nil {
		at, field = home, "worker's home"
	}
	if at == nil {
		return -1, nil
	}
	if err := at.Validate(); err != nil {
		return 0, care.Invalid("shift", string(sh.ID), field, "%v", err)
	}
	return pl.Add(*at), nil
}

// ProblemMatrix collects p's places (see ProblemPlaces) and asks prov for the
// matrix between them for the travel modes of its workers; a nil prov means
// the provider FromProblem picks. When no shift has a worker, the matrix is
// built for care.Car alone. An error about a location names the first visit
// or shift at that place, e.g. `visit "v3": location "4": not among the
// explicit matrix's locations`.
func ProblemMatrix(ctx context.Context, p *schedule.Problem, prov MatrixProvider) (*Places, *Matrix, error) {
	pl, err := ProblemPlaces(p)
	if err != nil {
		return nil, nil, err
	}
	if prov == nil {
		if prov, err = FromProblem(p); err != nil {
			return nil, nil, err
		}
	}
	modes := pl.Modes
	if len(modes) == 0 {
		modes = []care.TravelMode{care.Car}
	}
	m, err := prov.Matrix(ctx, pl.Locations, modes)
	if err != nil {
		var fe *care.FieldError
		if errors.As(err, &fe) && fe.Kind == "location" {
			if i, convErr := strconv.Atoi(fe.ID); convErr == nil {
				return nil, nil, fmt.Errorf("%s: %w", pl.user(p, i), err)
			}
		}
		var ue *UnreachableError
		if errors.As(err, &ue) {
			return nil, nil, fmt.Errorf("from %s to %s: %w", pl.user(p, ue.From), pl.user(p, ue.To), err)
		}
		return nil, nil, err
	}
	return pl, m, nil
}

// user names the first visit or shift at location index i.
func (pl *Places) user(p *schedule.Problem, i int) string {
	for v, x := range pl.Visit {
		if x == i {
			return fmt.Sprintf("visit %q", p.Visits[v].ID)
		}
	}
	for s := range pl.ShiftStart {
		if pl.ShiftStart[s] == i {
			return fmt.Sprintf("shift %q start", p.Shifts[s].ID)
		}
		if pl.ShiftEnd[s] == i {
			return fmt.Sprintf("shift %q end", p.Shifts[s].ID)
		}
	}
	return fmt.Sprintf("location %d", i)
}
