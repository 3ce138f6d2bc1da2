package vrptw

import (
	"fmt"
	"strconv"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Objective selects the weights Problem puts on a converted instance.
type Objective int

// Objectives of the VRPTW literature.
const (
	// Hierarchical minimises the number of vehicles first, then the total
	// distance (the objective of bks.csv): Weights.Shift = HierarchicalShiftWeight,
	// Weights.Distance = 1 per unit.
	Hierarchical Objective = iota
	// DistanceOnly minimises the total distance with a free fleet (the objective
	// of bks_distance_only.csv): Weights.Distance = 1 per unit.
	DistanceOnly
)

// String returns "hierarchical" or "distance".
func (o Objective) String() string {
	switch o {
	case Hierarchical:
		return "hierarchical"
	case DistanceOnly:
		return "distance"
	}
	return "Objective(" + strconv.Itoa(int(o)) + ")"
}

// ParseObjective reads "hierarchical" or "distance".
func ParseObjective(s string) (Objective, error) {
	switch s {
	case "hierarchical":
		return Hierarchical, nil
	case "distance":
		return DistanceOnly, nil
	}
	return 0, fmt.Errorf("%w: objective %q: want hierarchical or distance", ErrFormat, s)
}

// HierarchicalShiftWeight is the Shift weight of the Hierarchical objective:
// more than the total distance of any solution of a Solomon (100 customers)
// or Gehring-Homberger instance up to 1000 customers, so one vehicle fewer
// always outweighs any saving in distance.
const HierarchicalShiftWeight = 1e5

// BaseDate is the instant that Solomon time 0 maps to: one time unit is one
// minute after it. It is fixed so that conversions are reproducible.
var BaseDate = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// ServiceUserID, VisitID, WorkerID and ShiftID return the identifiers Problem
// gives to customer id c and vehicle k (0-based).
func ServiceUserID(c int) care.ServiceUserID { return care.ServiceUserID("c" + strconv.Itoa(c)) }

// VisitID returns the visit ID of customer c.
func VisitID(c int) schedule.VisitID { return schedule.VisitID("c" + strconv.Itoa(c)) }

// WorkerID returns the worker ID of vehicle k (0-based).
func WorkerID(k int) care.WorkerID { return care.WorkerID("v" + strconv.Itoa(k+1)) }

// ShiftID returns the shift ID of vehicle k (0-based).
func ShiftID(k int) schedule.ShiftID { return schedule.ShiftID("v" + strconv.Itoa(k+1)) }

// Problem converts a VRPTW instance into a schedule.Problem:
//
//   - time unit = one minute from BaseDate; the horizon runs from the depot's
//     ready time to its due date (extended to the latest customer due date
//     plus service when that is later);
//   - the depot is every shift's start and end place; one worker with one
//     shift per vehicle, Start = depot ready, End = depot due,
//     Capacity = the vehicle capacity;
//   - each customer c becomes service user "c<c>" at (Lon = x, Lat = y) and
//     visit "c<c>" with one window [ready, due] on the start of service,
//     Duration = service time, Load = demand, Kind personal care;
//   - travel is schedule.Euclidean with TimePerUnit one minute and Rounding
//     schedule.Exact or schedule.Trunc1 following conv;
//   - weights: Distance 1 per unit, plus Shift HierarchicalShiftWeight for the
//     Hierarchical objective; Unassigned is 100 × (Shift + twice the largest
//     depot–customer distance + 1), more than serving any one customer can
//     cost, so every customer that fits is served.
//
// A customer with a zero service time is an error (a schedule.Visit needs a
// positive duration), as is an instance without customers or vehicles.
func Problem(inst *Instance, conv Convention, obj Objective) (*schedule.Problem, error) {
	if inst == nil || len(inst.Nodes) < 2 {
		return nil, fmt.Errorf("%w: instance has no customers", ErrFormat)
	}
	if inst.Vehicles <= 0 {
		return nil, fmt.Errorf("%w: instance %q: %d vehicles", ErrFormat, inst.Name, inst.Vehicles)
	}
	var rounding schedule.Rounding
	switch conv {
	case Exact:
		rounding = schedule.Exact
	case Trunc1:
		rounding = schedule.Trunc1
	default:
		return nil, fmt.Errorf("%w: convention %v", ErrFormat, conv)
	}
	w := schedule.Weights{Distance: 1}
	switch obj {
	case Hierarchical:
		w.Shift = HierarchicalShiftWeight
	case DistanceOnly:
	default:
		return nil, fmt.Errorf("%w: objective %v", ErrFormat, obj)
	}
	far := 0.0
	for _, c := range inst.Nodes[1:] {
		far = max(far, Distance(inst.Nodes[0], c, Exact))
	}
	w.Unassigned = 100 * (w.Shift + 2*far + 1)
	at := func(minutes int) time.Time { return BaseDate.Add(time.Duration(minutes) * time.Minute) }
	depot := inst.Nodes[0]
	end := depot.Due
	for _, c := range inst.Nodes[1:] {
		end = max(end, c.Due+c.Service)
	}
	p := &schedule.Problem{
		Name:     inst.Name,
		Start:    at(min(depot.Ready, 0)),
		End:      at(end + 1),
		TimeZone: "UTC",
		Weights:  w,
		Travel:   schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1), Rounding: rounding},
	}
	depotLoc := care.Location{float64(depot.X), float64(depot.Y)}
	for k := range inst.Vehicles {
		loc := depotLoc
		p.Workers = append(p.Workers, care.Worker{ID: WorkerID(k), Role: care.RoleCareWorker, TravelMode: care.Car, Home: &loc})
		p.Shifts = append(p.Shifts, schedule.Shift{
			ID: ShiftID(k), Worker: WorkerID(k), Start: at(depot.Ready), End: at(depot.Due),
			Capacity: int64(inst.Capacity),
		})
	}
	for i, c := range inst.Nodes[1:] {
		if c.Service <= 0 {
			return nil, fmt.Errorf("%w: instance %q: customer %d (node %d): service time %d must be positive", ErrFormat, inst.Name, c.ID, i+1, c.Service)
		}
		if c.Due < c.Ready {
			return nil, fmt.Errorf("%w: instance %q: customer %d: due %d before ready %d", ErrFormat, inst.Name, c.ID, c.Due, c.Ready)
		}
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: ServiceUserID(c.ID), Location: care.Location{float64(c.X), float64(c.Y)}})
		p.Visits = append(p.Visits, schedule.Visit{
			ID:          VisitID(c.ID),
			ServiceUser: ServiceUserID(c.ID),
			Windows:     []schedule.Window{{Earliest: at(c.Ready), Latest: at(c.Due)}},
			Duration:    schedule.Minutes(c.Service),
			Kind:        schedule.PersonalCare,
			Load:        int64(c.Demand),
		})
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("instance %q: converted problem: %w", inst.Name, err)
	}
	return p, nil
}

// Rota builds a schedule.Rota from routes of customer ids (as ReadRoutes
// returns them) for a problem made by Problem: route k is served by vehicle
// k's shift. Legs and planned starts are left empty (the evaluator computes
// them); customers in no route are listed as unassigned with reason "cost".
func Rota(p *schedule.Problem, routes [][]int) (*schedule.Rota, error) {
	if len(routes) > len(p.Shifts) {
		return nil, fmt.Errorf("%w: %d routes for %d vehicles", ErrFormat, len(routes), len(p.Shifts))
	}
	known := make(map[schedule.VisitID]bool, len(p.Visits))
	for _, v := range p.Visits {
		known[v.ID] = true
	}
	r := &schedule.Rota{}
	seen := map[schedule.VisitID]bool{}
	for k, route := range routes {
		rt := schedule.Route{Worker: WorkerID(k), Shift: ShiftID(k)}
		for _, c := range route {
			id := VisitID(c)
			if !known[id] {
				return nil, fmt.Errorf("%w: route %d: unknown customer %d", ErrFormat, k+1, c)
			}
			rt.Visits = append(rt.Visits, id)
			if !seen[id] {
				r.Assignments = append(r.Assignments, schedule.Assignment{Visit: id, Workers: []care.WorkerID{WorkerID(k)}})
			}
			seen[id] = true
		}
		r.Routes = append(r.Routes, rt)
	}
	for _, v := range p.Visits {
		if !seen[v.ID] {
			r.Unassigned = append(r.Unassigned, schedule.Unassigned{Visit: v.ID, Reason: schedule.NotWorthIt})
		}
	}
	return r, nil
}
