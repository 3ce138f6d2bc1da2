package schedule

import (
	"errors"
	"fmt"
	"time"

	"github.com/carecoord/care"
)

// ErrNotFound is matched (errors.Is) by the errors of the Problem helpers
// when an ID names no record.
var ErrNotFound = errors.New("not found")

// ErrNoPlace is matched (errors.Is) when a shift has no start or end place:
// neither the shift sets one nor does its worker have a home.
var ErrNoPlace = errors.New("no place")

// Loc returns the problem's time zone. An empty TimeZone is an error: the
// library never guesses the local zone. The error is a *care.FieldError for
// field "time_zone".
func (p *Problem) Loc() (*time.Location, error) {
	if p.TimeZone == "" {
		return nil, care.Invalid(kindProblem, p.Name, "time_zone", "is required (an IANA name such as \"Europe/London\")")
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, care.Invalid(kindProblem, p.Name, "time_zone", "unknown time zone %q", truncate(p.TimeZone, 60))
	}
	return loc, nil
}

// Visit returns the visit with the given ID and true, or nil and false. It
// scans the list (O(n)); callers that look up many IDs should build their own
// map once.
func (p *Problem) Visit(id VisitID) (*Visit, bool) {
	for i := range p.Visits {
		if p.Visits[i].ID == id {
			return &p.Visits[i], true
		}
	}
	return nil, false
}

// Worker returns the worker with the given ID and true, or nil and false (O(n)).
func (p *Problem) Worker(id care.WorkerID) (*care.Worker, bool) {
	for i := range p.Workers {
		if p.Workers[i].ID == id {
			return &p.Workers[i], true
		}
	}
	return nil, false
}

// ServiceUser returns the service user with the given ID and true, or nil and false (O(n)).
func (p *Problem) ServiceUser(id care.ServiceUserID) (*care.ServiceUser, bool) {
	for i := range p.ServiceUsers {
		if p.ServiceUsers[i].ID == id {
			return &p.ServiceUsers[i], true
		}
	}
	return nil, false
}

// Shift returns the shift with the given ID and true, or nil and false (O(n)).
func (p *Problem) Shift(id ShiftID) (*Shift, bool) {
	for i := range p.Shifts {
		if p.Shifts[i].ID == id {
			return &p.Shifts[i], true
		}
	}
	return nil, false
}

// VisitLocation returns where visit v takes place: its own Location when set,
// else the home of its service user. The error matches ErrNotFound when the
// service user is unknown.
func (p *Problem) VisitLocation(v *Visit) (care.Location, error) {
	if v.Location != nil {
		return *v.Location, nil
	}
	u, ok := p.ServiceUser(v.ServiceUser)
	if !ok {
		return care.Location{}, fmt.Errorf("visit %q: service user %q: %w", v.ID, v.ServiceUser, ErrNotFound)
	}
	return u.Location, nil
}

// ShiftPlaces returns where shift s starts and ends: StartAt and EndAt when
// set, else the worker's home. The error matches ErrNotFound when the worker
// is unknown and ErrNoPlace when a place is missing and the worker has no home.
func (p *Problem) ShiftPlaces(s *Shift) (start, end care.Location, err error) {
	var home *care.Location
	if s.StartAt == nil || s.EndAt == nil {
		w, ok := p.Worker(s.Worker)
		if !ok {
			return start, end, fmt.Errorf("shift %q: worker %q: %w", s.ID, s.Worker, ErrNotFound)
		}
		home = w.Home
		if home == nil {
			return start, end, fmt.Errorf("shift %q: worker %q has no home and the shift sets no start_at/end_at: %w", s.ID, s.Worker, ErrNoPlace)
		}
	}
	start, end = pick(s.StartAt, home), pick(s.EndAt, home)
	return start, end, nil
}

func pick(l, fallback *care.Location) care.Location {
	if l != nil {
		return *l
	}
	return *fallback
}
