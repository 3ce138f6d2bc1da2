package schedule

import (
	"time"

	"github.com/carecoord/care"
)

// Rota is a plan: which worker or workers make each visit and when, each
// shift's route with its legs, and the visits that could not be planned with
// the reason for each.
type Rota struct {
	Assignments []Assignment `json:"assignments"`          // one per planned visit
	Routes      []Route      `json:"routes"`               // at most one per shift; a route may have no visits
	Unassigned  []Unassigned `json:"unassigned,omitempty"` // the visits not planned, each with its reason
}

// Assignment books a visit: its worker (two for a double-handed visit, both
// starting at Start) and the planned start of service.
type Assignment struct {
	Visit   VisitID         `json:"visit"`   // the visit booked
	Workers []care.WorkerID `json:"workers"` // one worker, or two for a double-handed visit
	Start   time.Time       `json:"start"`   // planned start of service, inside one of the visit's windows
}

// Route is the sequence of visits one worker makes in one shift.
type Route struct {
	Worker care.WorkerID `json:"worker"` // the shift's worker
	Shift  ShiftID       `json:"shift"`  // the shift the route is made in
	Visits []VisitID     `json:"visits"` // in the order made
	// Legs has len(Visits)+1 entries when the route is not empty: shift start to the first
	// visit, between visits, and the last visit back to the shift's end place.
	Legs []Leg `json:"legs,omitempty"`
	// Breaks are the breaks planned in the route, in time order. The worker stops at a
	// visit's place: a break lies inside the route's span (from leaving the start place to
	// reaching the end place) and within a wait (between arriving at a visit and starting
	// it), never over travel or a visit.
	Breaks []PlannedBreak `json:"breaks,omitempty"`
}

// PlannedBreak is a rest break placed in a route: from Start for Length.
type PlannedBreak struct {
	Start  time.Time `json:"start"`  // when the break starts
	Length Duration  `json:"length"` // how long the break lasts
}

// End returns Start + Length.
func (b PlannedBreak) End() time.Time { return b.Start.Add(b.Length.Std()) }

// Leg is the journey between two stops of a route. From and To are visit IDs,
// or "" for the shift's start (From) or end (To) place.
type Leg struct {
	From   VisitID   `json:"from,omitempty"` // "" = the shift's start place
	To     VisitID   `json:"to,omitempty"`   // "" = the shift's end place
	Depart time.Time `json:"depart"`         // when the worker leaves From
	Arrive time.Time `json:"arrive"`         // when the worker reaches To; not before Depart
	Travel Duration  `json:"travel"`         // travel time of the leg
	// Distance in metres (plane units on Euclidean problems).
	Distance float64 `json:"distance"`
	// Wait is the time between arriving and starting service (or the shift end for the last leg).
	Wait Duration `json:"wait,omitempty"`
}

// Reason is a machine-readable code for why a visit was not planned.
type Reason string

// Reasons a visit is left unassigned.
const (
	// NoEligibleWorker: no worker has the required skills (valid on the day), role and permission.
	NoEligibleWorker Reason = "no_eligible_worker"
	// NoShift: no eligible worker has a shift that overlaps a window.
	NoShift Reason = "no_shift"
	// WindowUnreachable: no eligible shift can reach the person within a window.
	WindowUnreachable Reason = "window_unreachable"
	// NoPartner: a double-handed visit found no second eligible worker free at the same time.
	NoPartner Reason = "no_partner"
	// CapacityExceeded: no route has room for the visit's load.
	CapacityExceeded Reason = "capacity_exceeded"
	// WorkingTimeLimit: serving it would break a working-time rule.
	WorkingTimeLimit Reason = "working_time_limit"
	// DependencyUnmet: a visit it depends on is unplanned or too far away in time.
	DependencyUnmet Reason = "dependency_unmet"
	// Cancelled: the visit was cancelled by a change (see routing.Repair).
	Cancelled Reason = "cancelled"
	// NotWorthIt: a feasible place existed but its cost exceeded the visit's unassigned cost
	// (or the search ran out of time before finding a place for it).
	NotWorthIt Reason = "cost"
)

// Unassigned is a visit the rota does not make, with the reason.
type Unassigned struct {
	Visit  VisitID `json:"visit"`            // the visit not planned
	Reason Reason  `json:"reason"`           // machine-readable code
	Detail string  `json:"detail,omitempty"` // plain words, IDs only, no personal details
}
