package schedule

import (
	"time"

	"github.com/carecoord/care"
)

// Problem is everything a planner needs to build a rota: the people, the
// workers and their shifts, the visits to make, the working-time rules, how
// travel is measured and what the rota should optimise.
type Problem struct {
	Name string `json:"name,omitempty"` // free label for reports; not used in planning
	// Start and End bound the planning horizon: every window and shift lies inside it.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"` // end of the horizon; after Start
	// TimeZone is the IANA name of the agency's local time, e.g. "Europe/London".
	TimeZone     string             `json:"time_zone"`
	ServiceUsers []care.ServiceUser `json:"service_users"`   // the people visited; each Visit.ServiceUser must be one of them
	Workers      []care.Worker      `json:"workers"`         // each Shift.Worker and Leave.Worker must be one of them
	Visits       []Visit            `json:"visits"`          // the visits to plan
	Shifts       []Shift            `json:"shifts"`          // when workers are available; a visit can only be planned inside a shift
	Leave        []Leave            `json:"leave,omitempty"` // spans in which a worker takes no visits, even inside a shift
	Rules        WorkingTimeRules   `json:"rules"`           // working-time limits the planner enforces
	Weights      Weights            `json:"weights"`         // what the planner optimises: the cost of each objective term
	Travel       Travel             `json:"travel"`          // how travel times and distances are measured (model, speeds or an explicit matrix)
	// TogetherTolerance is how far apart the two workers of a double-handed
	// visit may start it: 0 (the default) means at the same minute; at most
	// MaxTogetherTolerance.
	TogetherTolerance Duration `json:"together_tolerance,omitempty"`
}

// MaxTogetherTolerance bounds Problem.TogetherTolerance: two carers who
// start a double-handed visit further apart than this are not serving it
// together.
const MaxTogetherTolerance = Duration(30 * time.Minute)

// Weights set the objective a planner minimises: a weighted sum of terms.
// Hard rules are never traded against it. All weights must be zero or positive.
type Weights struct {
	// Unassigned is the cost of leaving a visit of priority 0 unplanned; a visit of
	// priority p costs Unassigned*(1+p). It should dominate the other terms.
	Unassigned float64 `json:"unassigned"`
	// Shift is the cost of using a shift at all (a worker or vehicle called in), added to Shift.Cost.
	// Large values make the planner use as few shifts as it can first (the VRPTW "hierarchical" objective).
	Shift float64 `json:"shift,omitempty"`
	// TravelTime is the cost per minute of travel.
	TravelTime float64 `json:"travel_time,omitempty"`
	// Distance is the cost per kilometre travelled (per distance unit on planar problems, see Travel).
	Distance float64 `json:"distance,omitempty"`
	// WorkingTime is the cost per minute of a shift's span from leaving to returning (care, travel and waiting).
	WorkingTime float64 `json:"working_time,omitempty"`
	// Lateness is the cost per minute a visit starts after a window's Target, on top of the window's own penalty.
	Lateness float64 `json:"lateness,omitempty"`
	// Continuity is the cost per distinct worker a person sees over the horizon beyond the first.
	Continuity float64 `json:"continuity,omitempty"`
	// Preferred is the reward (cost reduction) per visit served by one of its preferred workers.
	Preferred float64 `json:"preferred,omitempty"`
	// Overtime is the cost per minute beyond a soft working-time limit or contracted hours.
	Overtime float64 `json:"overtime,omitempty"`
	// Undertime is the cost per minute below a worker's contracted minutes
	// (care.Worker.ContractedMinutesPerWeek) in each 7-day window from Start,
	// the target prorated for a window cut short by End; with Overtime it
	// makes the contract a two-sided soft target. 0 = not costed.
	Undertime float64 `json:"undertime,omitempty"`
	// Fairness is the cost per unit of the population standard deviation of
	// working minutes across the workers who have a shift in the problem,
	// each counting its care.Worker.PriorMinutes too.
	Fairness float64 `json:"fairness,omitempty"`
}

// TravelModel says how travel between two places is measured.
type TravelModel string

// Travel models.
const (
	// GreatCircle is the default: great-circle distance times Travel.RoadFactor, at
	// Travel.Speeds for the worker's travel mode. It needs no network.
	GreatCircle TravelModel = "great_circle"
	// Euclidean treats locations as points on a plane (Lon = x, Lat = y): distance is the
	// straight line in plane units and travel time is distance times Travel.TimePerUnit.
	// This is the convention of the Solomon VRPTW benchmarks.
	Euclidean TravelModel = "euclidean"
	// Explicit reads durations and distances from Travel.Matrix.
	Explicit TravelModel = "matrix"
)

// Rounding is how planar distances are rounded before use.
type Rounding string

// Roundings of Euclidean distances.
const (
	// Exact keeps full double precision (the convention of the Solomon best-known results).
	Exact Rounding = ""
	// Trunc1 truncates each arc's distance to one decimal, floor(10·d)/10: the convention of
	// exact methods, CVRPLIB and the 12th DIMACS challenge.
	Trunc1 Rounding = "trunc1"
)

// Travel describes how travel times and distances are measured.
type Travel struct {
	Model TravelModel `json:"model,omitempty"` // empty = GreatCircle
	// RoadFactor multiplies great-circle distance to estimate road distance; 0 = the default 1.3.
	RoadFactor float64 `json:"road_factor,omitempty"`
	// Speeds in metres per second per travel mode; missing modes use DefaultSpeeds.
	Speeds map[care.TravelMode]float64 `json:"speeds,omitempty"`
	// TimePerUnit is, for Euclidean problems, the travel time per unit of distance (e.g. one minute).
	TimePerUnit Duration `json:"time_per_unit,omitempty"`
	// Rounding applies to Euclidean distances.
	Rounding Rounding `json:"rounding,omitempty"`
	// Matrix holds the durations and distances for the Explicit model.
	Matrix *Matrix `json:"matrix,omitempty"`
}

// Matrix is a dense travel matrix between an explicit list of locations. Each
// place in the problem (a person's home, a visit's location, a shift's start
// or end) must equal one of Locations exactly.
type Matrix struct {
	Locations []care.Location `json:"locations"` // index i labels row i of Seconds and Metres and column i of each row
	// Seconds[i][j] is the travel time from Locations[i] to Locations[j], in seconds (fractions allowed).
	Seconds [][]float64 `json:"seconds"`
	// Metres[i][j] is the travel distance, in metres (or plane units).
	Metres [][]float64 `json:"metres"`
}

// DefaultSpeeds returns the travel speeds, in metres per second, used when a
// problem does not set its own: car 8.3 m/s (about 30 km/h in town), walking
// 1.3 m/s, cycling 4.2 m/s, public transport 4.0 m/s door to door.
func DefaultSpeeds() map[care.TravelMode]float64 {
	return map[care.TravelMode]float64{care.Car: 8.3, care.Walk: 1.3, care.Cycle: 4.2, care.PublicTransport: 4.0}
}

// DefaultRoadFactor is the ratio of road to great-circle distance used when
// Travel.RoadFactor is 0.
const DefaultRoadFactor = 1.3
