// Package udine reads the home health care routing and scheduling (HHCRSP)
// instances of the Intelligent Optimization Lab, University of Udine
// (github.com/iolab-uniud/hhcrsp), reads and writes solutions in their
// format, computes their objective exactly as their validator does, checks a
// solution's feasibility strictly, and translates an instance to and from the
// library's schedule.Problem.
//
// The format covers the Mankowska et al. (2014), Kummer et al. (2021) and
// Italian families ("classic": one central office at matrix row 0, patient i
// at row i+1) and the "extended" formulation (several departing points,
// explicit matrix indices, caregivers' working shifts, incompatible
// caregivers, service types). All times and distances are minutes; a matrix
// entry is a travel time, used both for feasibility and as the distance
// travelled.
//
// Decoding is strict: a key the format does not define is an error, as is any
// inconsistent value; errors wrap ErrInvalid and name the field, e.g.
// `patients[3] "p4": time_window: latest 10 before earliest 20`.
package udine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// ErrInvalid is wrapped by every error about malformed or inconsistent input
// (instances and solutions).
var ErrInvalid = errors.New("udine: invalid input")

// SyncType is the kind of synchronisation between the two services of a
// double-service patient.
type SyncType string

// Synchronisation types.
const (
	// Simultaneous: both services start at the same minute.
	Simultaneous SyncType = "simultaneous"
	// Sequential: the second listed service starts at least Min and at most
	// Max minutes after the first listed one starts.
	Sequential SyncType = "sequential"
)

// Instance is one HHCRSP instance.
type Instance struct {
	// Name is the Italian and extended files' "name" (a city), else "".
	Name string
	// Area is the Italian and extended files' bounding box, else nil.
	Area []float64
	// Extended is true for the extended formulation (departing_points).
	Extended   bool
	Services   []Service   // the kinds of care, with their default durations
	Caregivers []Caregiver // the workers
	Patients   []Patient   // the people to visit
	// Offices holds the single central office (classic) or the departing
	// points (extended); Offices[i] is at matrix row i.
	Offices []Place
	// Distances[i][j] is the travel time in minutes from row i to row j.
	Distances [][]float64
}

// Service is a kind of care a caregiver may be able to give.
type Service struct {
	ID              string  // unique within the instance; abilities and requirements refer to it
	DefaultDuration float64 // minutes
	// Type is the service type of the extended format ("" in classic files).
	Type string
}

// Place is a central office or departing point.
type Place struct {
	ID       string    // unique among the offices
	Location []float64 // coordinates as given in the file; travel times come from Distances
}

// Caregiver is a worker with the services they can give.
type Caregiver struct {
	ID        string   // unique within the instance
	Abilities []string // the Service.IDs the caregiver can give
	// Start is the matrix row where the caregiver's route starts and ends:
	// 0 in classic files, the starting point's row in extended ones.
	Start int
	// StartingPoint is the extended format's starting_point_id ("" in classic files).
	StartingPoint string
	// Shift is the extended format's working_shift [start, end]; nil when absent
	// (classic files: no limit).
	Shift *[2]float64
}

// Can reports whether the caregiver has service among their abilities.
func (c *Caregiver) Can(service string) bool { return slices.Contains(c.Abilities, service) }

// Requirement is one caregiver a patient needs: the service and its duration.
type Requirement struct {
	Service  string  // the Service.ID needed
	Duration float64 // minutes of service
}

// Sync is the synchronisation of a double-service patient. Min and Max are
// the gap bounds of a Sequential pair (both 0 for Simultaneous).
type Sync struct {
	Type     SyncType // simultaneous or sequential
	Min, Max float64  // minutes; see the type's doc
}

// Patient is a person to visit.
type Patient struct {
	ID       string    // unique within the instance
	Location []float64 // coordinates as given in the file; travel times come from Distances
	// Window is [earliest, latest] start of service: the lower bound is hard,
	// the upper soft (exceeding it is tardiness). Bounds are rounded to the
	// nearest integer on reading (the Italian files store some with
	// floating-point noise such as 401.99999999999994).
	Window [2]float64
	// Required lists one or two services, each for a separate caregiver.
	Required []Requirement
	// Sync is set exactly when two services are required.
	Sync *Sync
	// Row is the patient's matrix row.
	Row int
	// Incompatible lists caregivers who must not serve this patient (extended format).
	Incompatible []string
}

// ReadFile reads an instance from a file.
func ReadFile(path string) (*Instance, error) {
	return readFile(path, Read)
}

// readFile opens path and decodes it with read; a decoding error is prefixed
// with the path (an error of os.Open names it already).
func readFile[T any](path string, read func(io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

type jsonRequirement struct {
	Service  string   `json:"service"`
	Duration *float64 `json:"duration"`
}

type jsonSync struct {
	Type     SyncType   `json:"type"`
	Distance *[]float64 `json:"distance"`
}

type jsonPatient struct {
	ID           string            `json:"id"`
	Location     []float64         `json:"location"`
	TimeWindow   *[]float64        `json:"time_window"`
	Required     []jsonRequirement `json:"required_caregivers"`
	Sync         *jsonSync         `json:"synchronization"`
	Row          *int              `json:"distance_matrix_index"`
	Incompatible []string          `json:"incompatible_caregivers"`
}

type jsonService struct {
	ID              string   `json:"id"`
	DefaultDuration *float64 `json:"default_duration"`
	Type            string   `json:"type"`
}

type jsonCaregiver struct {
	ID            string     `json:"id"`
	Abilities     []string   `json:"abilities"`
	StartingPoint *string    `json:"starting_point_id"`
	Row           *int       `json:"distance_matrix_index"`
	Shift         *[]float64 `json:"working_shift"`
}

type jsonPlace struct {
	ID       string    `json:"id"`
	Location []float64 `json:"location"`
}

type jsonInstance struct {
	Name            string          `json:"name"`
	Area            []float64       `json:"area"`
	Patients        []jsonPatient   `json:"patients"`
	Services        []jsonService   `json:"services"`
	Caregivers      []jsonCaregiver `json:"caregivers"`
	CentralOffices  []jsonPlace     `json:"central_offices"`
	DepartingPoints []jsonPlace     `json:"departing_points"`
	Distances       [][]float64     `json:"distances"`
}

// Read decodes and validates an instance. Unknown keys are errors; so are
// missing or inconsistent values. Every error wraps ErrInvalid (or is the
// reader's own error) and names the field.
func Read(r io.Reader) (*Instance, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var j jsonInstance
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the instance object", ErrInvalid)
	}
	return convert(&j)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func convert(j *jsonInstance) (*Instance, error) {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...))
	}
	// checkID reports a missing or repeated id of field[i], records it in
	// seen and returns how errors name the entry.
	checkID := func(field string, i int, id string, seen map[string]bool) string {
		at := fmt.Sprintf("%s[%d] %q", field, i, id)
		if id == "" {
			bad("%s[%d]: id: missing", field, i)
		} else if seen[id] {
			bad("%s: id: duplicate", at)
		}
		seen[id] = true
		return at
	}
	inst := &Instance{Name: j.Name, Area: j.Area}
	switch {
	case len(j.CentralOffices) > 0 && len(j.DepartingPoints) > 0:
		bad("both central_offices and departing_points")
	case len(j.CentralOffices) == 1:
	case len(j.CentralOffices) > 1:
		bad("central_offices: %d offices, the classic format has exactly one", len(j.CentralOffices))
	case len(j.DepartingPoints) > 0:
		inst.Extended = true
	default:
		bad("central_offices: missing (or departing_points)")
	}
	places, field := j.CentralOffices, "central_offices"
	if inst.Extended {
		places, field = j.DepartingPoints, "departing_points"
	}
	placeRow := map[string]int{}
	for i, p := range places {
		if p.ID == "" {
			bad("%s[%d]: id: missing", field, i)
		} else if _, dup := placeRow[p.ID]; dup {
			bad("%s[%d] %q: id: duplicate", field, i, p.ID)
		}
		placeRow[p.ID] = i
		inst.Offices = append(inst.Offices, Place(p))
	}

	// Matrix.
	n := len(j.Distances)
	if n == 0 {
		bad("distances: missing")
	}
	for i, row := range j.Distances {
		if len(row) != n {
			bad("distances[%d]: %d columns in a %d-row matrix", i, len(row), n)
			continue
		}
		for k, d := range row {
			if !finite(d) || d < 0 {
				bad("distances[%d][%d]: %v must be finite and not negative", i, k, d)
			}
		}
	}
	if len(errs) == 0 {
		inst.Distances = j.Distances
	}

	// Services.
	services := map[string]*Service{}
	if len(j.Services) == 0 {
		bad("services: missing")
	}
	for i, s := range j.Services {
		at := fmt.Sprintf("services[%d] %q", i, s.ID)
		if s.ID == "" {
			bad("services[%d]: id: missing", i)
			continue
		}
		if services[s.ID] != nil {
			bad("%s: id: duplicate", at)
		}
		sv := Service{ID: s.ID, Type: s.Type}
		if s.DefaultDuration == nil {
			bad("%s: default_duration: missing", at)
		} else if d := *s.DefaultDuration; !finite(d) || d <= 0 {
			bad("%s: default_duration: %v must be positive", at, d)
		} else {
			sv.DefaultDuration = d
		}
		if inst.Extended && s.Type == "" {
			bad("%s: type: missing (extended format)", at)
		}
		inst.Services = append(inst.Services, sv)
		services[s.ID] = &inst.Services[len(inst.Services)-1]
	}

	// Caregivers.
	caregivers := map[string]bool{}
	if len(j.Caregivers) == 0 {
		bad("caregivers: missing")
	}
	for i, c := range j.Caregivers {
		at := checkID("caregivers", i, c.ID, caregivers)
		cg := Caregiver{ID: c.ID}
		if len(c.Abilities) == 0 {
			bad("%s: abilities: empty", at)
		}
		for k, a := range c.Abilities {
			if services[a] == nil {
				bad("%s: abilities[%d]: unknown service %q", at, k, a)
			} else if slices.Contains(c.Abilities[:k], a) {
				bad("%s: abilities[%d]: duplicate service %q", at, k, a)
			}
		}
		cg.Abilities = c.Abilities
		if inst.Extended {
			switch {
			case c.StartingPoint == nil:
				bad("%s: starting_point_id: missing (extended format)", at)
			default:
				row, ok := placeRow[*c.StartingPoint]
				if !ok {
					bad("%s: starting_point_id: unknown departing point %q", at, *c.StartingPoint)
				} else if c.Row != nil && *c.Row != row {
					bad("%s: distance_matrix_index: %d, but departing point %q is row %d", at, *c.Row, *c.StartingPoint, row)
				}
				cg.Start, cg.StartingPoint = row, *c.StartingPoint
			}
			if c.Shift == nil {
				bad("%s: working_shift: missing (extended format)", at)
			} else if s := *c.Shift; len(s) != 2 || !finite(s[0]) || !finite(s[1]) || s[0] < 0 || s[1] < s[0] {
				bad("%s: working_shift: %v must be [start, end] with 0 <= start <= end", at, s)
			} else {
				cg.Shift = &[2]float64{s[0], s[1]}
			}
		} else if c.StartingPoint != nil || c.Row != nil || c.Shift != nil {
			bad("%s: starting_point_id, distance_matrix_index and working_shift belong to the extended format (departing_points)", at)
		}
		inst.Caregivers = append(inst.Caregivers, cg)
	}

	// Patients.
	if len(j.Patients) == 0 {
		bad("patients: missing")
	}
	seen := map[string]bool{}
	for i, p := range j.Patients {
		at := checkID("patients", i, p.ID, seen)
		pt := Patient{ID: p.ID, Location: p.Location, Row: i + 1, Incompatible: p.Incompatible}
		if inst.Extended {
			if p.Row == nil {
				bad("%s: distance_matrix_index: missing (extended format)", at)
			} else {
				pt.Row = *p.Row
			}
		} else if p.Row != nil && *p.Row != i+1 {
			bad("%s: distance_matrix_index: %d, the classic format puts patient %d at row %d", at, *p.Row, i, i+1)
		}
		if pt.Row < len(inst.Offices) || pt.Row >= n {
			bad("%s: matrix row %d outside the patients' rows %d..%d", at, pt.Row, len(inst.Offices), n-1)
		}
		if p.TimeWindow == nil {
			bad("%s: time_window: missing", at)
		} else if w := *p.TimeWindow; len(w) != 2 || !finite(w[0]) || !finite(w[1]) {
			bad("%s: time_window: %v must be two finite numbers [earliest, latest]", at, w)
		} else {
			pt.Window = [2]float64{math.Round(w[0]), math.Round(w[1])}
			if pt.Window[0] < 0 {
				bad("%s: time_window: earliest %v is negative", at, w[0])
			}
			if pt.Window[1] < pt.Window[0] {
				bad("%s: time_window: latest %v before earliest %v", at, w[1], w[0])
			}
		}
		switch len(p.Required) {
		case 1, 2:
		default:
			bad("%s: required_caregivers: %d entries, want 1 or 2", at, len(p.Required))
		}
		for k, rq := range p.Required {
			s := services[rq.Service]
			if s == nil {
				bad("%s: required_caregivers[%d]: unknown service %q", at, k, rq.Service)
				continue
			}
			d := s.DefaultDuration
			if rq.Duration != nil {
				d = *rq.Duration
			}
			if !finite(d) || d <= 0 {
				bad("%s: required_caregivers[%d]: duration %v must be positive", at, k, d)
			}
			pt.Required = append(pt.Required, Requirement{Service: rq.Service, Duration: d})
		}
		if len(pt.Required) == 2 {
			a, b := services[pt.Required[0].Service], services[pt.Required[1].Service]
			if a == b {
				bad("%s: required_caregivers: service %q twice", at, a.ID)
			} else if inst.Extended && a.Type == b.Type {
				bad("%s: required_caregivers: services %q and %q are both of type %q", at, a.ID, b.ID, a.Type)
			}
		}
		switch {
		case p.Sync == nil && len(p.Required) == 2:
			bad("%s: synchronization: missing for a patient needing two caregivers", at)
		case p.Sync != nil && len(p.Required) != 2:
			bad("%s: synchronization: given for a patient needing %d caregiver(s)", at, len(p.Required))
		case p.Sync != nil:
			switch p.Sync.Type {
			case Simultaneous:
				if p.Sync.Distance != nil {
					bad("%s: synchronization.distance: not allowed for simultaneous services", at)
				}
				pt.Sync = &Sync{Type: Simultaneous}
			case Sequential:
				if p.Sync.Distance == nil {
					bad("%s: synchronization.distance: missing for sequential services", at)
				} else if d := *p.Sync.Distance; len(d) != 2 || !finite(d[0]) || !finite(d[1]) || d[0] < 0 || d[1] < d[0] {
					bad("%s: synchronization.distance: %v must be [min, max] with 0 <= min <= max", at, d)
				} else {
					pt.Sync = &Sync{Type: Sequential, Min: d[0], Max: d[1]}
				}
			default:
				bad("%s: synchronization.type: %q, want simultaneous or sequential", at, p.Sync.Type)
			}
		}
		for k, c := range p.Incompatible {
			if !caregivers[c] {
				bad("%s: incompatible_caregivers[%d]: unknown caregiver %q", at, k, c)
			}
		}
		inst.Patients = append(inst.Patients, pt)
	}
	if !inst.Extended && n > 0 && n != len(j.Patients)+1 {
		bad("distances: %d rows, want 1 + %d patients", n, len(j.Patients))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return inst, nil
}

// Travel returns the travel time (and distance) from matrix row i to row j.
func (inst *Instance) Travel(i, j int) float64 { return inst.Distances[i][j] }

// Validate reports an error wrapping ErrInvalid when the instance cannot be
// evaluated safely: a matrix that is not square, or a caregiver's or
// patient's row outside it. Read returns only instances that pass; Validate
// is for instances built or changed by hand.
func (inst *Instance) Validate() error {
	if inst == nil {
		return fmt.Errorf("%w: nil instance", ErrInvalid)
	}
	n := len(inst.Distances)
	for i, row := range inst.Distances {
		if len(row) != n {
			return fmt.Errorf("%w: distances[%d]: %d columns in a %d-row matrix", ErrInvalid, i, len(row), n)
		}
	}
	for i, c := range inst.Caregivers {
		if c.Start < 0 || c.Start >= n {
			return fmt.Errorf("%w: caregivers[%d] %q: start row %d outside the %d-row matrix", ErrInvalid, i, c.ID, c.Start, n)
		}
	}
	for i, p := range inst.Patients {
		if p.Row < 0 || p.Row >= n {
			return fmt.Errorf("%w: patients[%d] %q: row %d outside the %d-row matrix", ErrInvalid, i, p.ID, p.Row, n)
		}
		if len(p.Required) == 0 || len(p.Required) > 2 || (p.Sync != nil) != (len(p.Required) == 2) {
			return fmt.Errorf("%w: patients[%d] %q: %d required services, synchronisation given: %t", ErrInvalid, i, p.ID, len(p.Required), p.Sync != nil)
		}
	}
	return nil
}
