package export

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// ErrNoInput is matched (errors.Is) when the problem or the rota is nil.
var ErrNoInput = errors.New("export: no problem or rota")

// ErrUnknownWorker is matched (errors.Is) when a calendar is asked for a
// worker the problem does not list.
var ErrUnknownWorker = errors.New("export: unknown worker")

// Options choose what an export holds beyond IDs, times and places. Every
// personal detail is off by default: an export carries only what the caller
// asked for. Health details (skills, medicines, access notes, care plans)
// are never exported by this package, whatever the options.
type Options struct {
	// ServiceUserNames adds each person's DisplayName (a CSV column, the
	// calendar event's summary, a GeoJSON property "service_user_name").
	ServiceUserNames bool
	// WorkerNames adds workers' names (a CSV column, a GeoJSON property
	// "worker_name", the calendar's name).
	WorkerNames bool
	// Addresses adds each person's postal address (a CSV column, the
	// calendar event's LOCATION, a GeoJSON property "address").
	Addresses bool
	// VisitKinds adds the kind of each visit (personal_care, medication...).
	// A kind says something about a person's care, so it is off by default.
	VisitKinds bool
	// Location is the time zone of the local times written (CSV times,
	// GeoJSON times and dates, calendar descriptions). Nil means the
	// problem's TimeZone, or UTC when the problem sets none.
	Location *time.Location
	// Stamp is the DTSTAMP of every calendar event: when the calendar was
	// made (e.g. the rota's publication time). The library never reads the
	// clock; the zero value means the problem's Start, so that the same
	// inputs always give the same bytes.
	Stamp time.Time
	// UIDDomain ends every event UID ("<visit>.<worker>@<UIDDomain>"), so that
	// a calendar application replaces an event when the rota is exported
	// again. Empty means "care.invalid".
	UIDDomain string
	// ProductID is the calendar's PRODID; empty means
	// "-//carecoord//care export//EN".
	ProductID string
}

// stop is one worker's call at a visit: the leg that brings them there.
type stop struct {
	route *schedule.Route
	leg   *schedule.Leg // nil when the route has no legs
}

// index holds the lookups every export needs, built once per call.
type index struct {
	p        *schedule.Problem
	r        *schedule.Rota
	loc      *time.Location
	visits   map[schedule.VisitID]*schedule.Visit
	users    map[care.ServiceUserID]*care.ServiceUser
	workers  map[care.WorkerID]*care.Worker
	shifts   map[schedule.ShiftID]*schedule.Shift
	assigned map[schedule.VisitID]*schedule.Assignment
	stops    map[schedule.VisitID]map[care.WorkerID]stop
}

// newIndex checks the rota against the problem (schedule.Rota.Validate) and
// indexes both.
func newIndex(p *schedule.Problem, r *schedule.Rota, opt Options) (*index, error) {
	if p == nil || r == nil {
		return nil, ErrNoInput
	}
	if err := r.Validate(p); err != nil {
		return nil, fmt.Errorf("export: rota does not fit the problem: %w", err)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
		if p.TimeZone != "" {
			l, err := p.Loc()
			if err != nil {
				return nil, fmt.Errorf("export: %w", err)
			}
			loc = l
		}
	}
	ix := &index{
		p: p, r: r, loc: loc,
		visits:   make(map[schedule.VisitID]*schedule.Visit, len(p.Visits)),
		users:    make(map[care.ServiceUserID]*care.ServiceUser, len(p.ServiceUsers)),
		workers:  make(map[care.WorkerID]*care.Worker, len(p.Workers)),
		shifts:   make(map[schedule.ShiftID]*schedule.Shift, len(p.Shifts)),
		assigned: make(map[schedule.VisitID]*schedule.Assignment, len(r.Assignments)),
		stops:    map[schedule.VisitID]map[care.WorkerID]stop{},
	}
	for i := range p.Visits {
		ix.visits[p.Visits[i].ID] = &p.Visits[i]
	}
	for i := range p.ServiceUsers {
		ix.users[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	for i := range p.Workers {
		ix.workers[p.Workers[i].ID] = &p.Workers[i]
	}
	for i := range p.Shifts {
		ix.shifts[p.Shifts[i].ID] = &p.Shifts[i]
	}
	for i := range r.Assignments {
		ix.assigned[r.Assignments[i].Visit] = &r.Assignments[i]
	}
	for i := range r.Routes {
		rt := &r.Routes[i]
		for j, v := range rt.Visits {
			s := stop{route: rt}
			if len(rt.Legs) == len(rt.Visits)+1 {
				s.leg = &rt.Legs[j]
			}
			if ix.stops[v] == nil {
				ix.stops[v] = map[care.WorkerID]stop{}
			}
			ix.stops[v][rt.Worker] = s
		}
	}
	return ix, nil
}

// place returns where visit v takes place.
func (ix *index) place(v *schedule.Visit) (care.Location, error) {
	if v.Location != nil {
		return *v.Location, nil
	}
	u, ok := ix.users[v.ServiceUser]
	if !ok {
		return care.Location{}, fmt.Errorf("export: visit %q: service user %q: %w", v.ID, v.ServiceUser, schedule.ErrNotFound)
	}
	return u.Location, nil
}

// end returns the planned end of service of an assignment.
func (ix *index) end(a *schedule.Assignment) time.Time {
	return a.Start.Add(ix.visits[a.Visit].Duration.Std())
}

// window returns the window the planned start lies in, or the first window
// when start is zero or lies in none; ok is false when the visit has none.
func window(v *schedule.Visit, start time.Time) (schedule.Window, bool) {
	if len(v.Windows) == 0 {
		return schedule.Window{}, false
	}
	for _, w := range v.Windows {
		if !start.IsZero() && !start.Before(w.Earliest) && !start.After(w.Latest) {
			return w, true
		}
	}
	return v.Windows[0], true
}

// stamp formats t in the export's zone as RFC 3339 with an offset.
func (ix *index) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ix.loc).Format(time.RFC3339)
}

// date returns the local calendar date of t, as YYYY-MM-DD.
func (ix *index) date(t time.Time) string { return t.In(ix.loc).Format(time.DateOnly) }

// sortedAssignments returns the assignments ordered by planned start, then visit ID.
func (ix *index) sortedAssignments() []*schedule.Assignment {
	out := make([]*schedule.Assignment, 0, len(ix.r.Assignments))
	for i := range ix.r.Assignments {
		out = append(out, &ix.r.Assignments[i])
	}
	slices.SortStableFunc(out, func(a, b *schedule.Assignment) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Visit, b.Visit))
	})
	return out
}

// firstEarliest is the earliest start of any of v's windows (zero if none).
func firstEarliest(v *schedule.Visit) time.Time {
	var t time.Time
	for _, w := range v.Windows {
		if t.IsZero() || w.Earliest.Before(t) {
			t = w.Earliest
		}
	}
	return t
}

// sortedUnassigned returns the unassigned visits ordered by their earliest
// possible start, then visit ID.
func (ix *index) sortedUnassigned() []*schedule.Unassigned {
	out := make([]*schedule.Unassigned, 0, len(ix.r.Unassigned))
	for i := range ix.r.Unassigned {
		out = append(out, &ix.r.Unassigned[i])
	}
	slices.SortStableFunc(out, func(a, b *schedule.Unassigned) int {
		return cmp.Or(firstEarliest(ix.visits[a.Visit]).Compare(firstEarliest(ix.visits[b.Visit])), cmp.Compare(a.Visit, b.Visit))
	})
	return out
}

// minutes converts a duration to minutes.
func minutes(d schedule.Duration) float64 { return d.Std().Minutes() }

// travelMinutes sums the travel of a route's legs, in minutes.
func travelMinutes(rt *schedule.Route) (mins, metres float64) {
	for _, l := range rt.Legs {
		mins += minutes(l.Travel)
		metres += l.Distance
	}
	return mins, metres
}
