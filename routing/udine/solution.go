package udine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Solution is a plan in the Udine solution format: one route per caregiver.
type Solution struct {
	Routes []Route `json:"routes"` // one per caregiver
	// GlobalOrdering is the optional global_ordering list of patient ids; the
	// validator ignores it and so does Objective.
	GlobalOrdering []string `json:"global_ordering,omitempty"`
}

// Route is one caregiver's ordered visits.
type Route struct {
	Caregiver string `json:"caregiver_id"` // the Caregiver.ID
	Stops     []Stop `json:"locations"`    // in visiting order
}

// Stop is one service given to one patient. Start and End are the format's
// arrival_time and departure_time, which are the start and end of service
// (any waiting comes before Start).
type Stop struct {
	Patient string  `json:"patient"`        // the Patient.ID
	Service string  `json:"service"`        // the Service.ID given
	Start   float64 `json:"arrival_time"`   // start of service, in minutes
	End     float64 `json:"departure_time"` // end of service, in minutes
}

type jsonStop struct {
	Patient   *string  `json:"patient"`
	PatientID *string  `json:"patient_id"`
	Service   *string  `json:"service"`
	ServiceID *string  `json:"service_id"`
	Start     *float64 `json:"arrival_time"`
	End       *float64 `json:"departure_time"`
}

type jsonRoute struct {
	Caregiver *string    `json:"caregiver_id"`
	Stops     []jsonStop `json:"locations"`
}

type jsonSolution struct {
	Routes         *[]jsonRoute `json:"routes"`
	GlobalOrdering []string     `json:"global_ordering"`
}

// ReadSolution decodes a solution. Each stop names its patient with
// "patient" or "patient_id" and its service with "service" or "service_id"
// (both spellings occur in the published files). Unknown keys are errors.
// It does not check the solution against an instance: see Check.
func ReadSolution(r io.Reader) (*Solution, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var j jsonSolution
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: solution: %w", ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: solution: data after the solution object", ErrInvalid)
	}
	if j.Routes == nil {
		return nil, fmt.Errorf("%w: solution: routes: missing", ErrInvalid)
	}
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: solution: "+format, append([]any{ErrInvalid}, a...)...))
	}
	one := func(at, name string, a, b *string) string {
		switch {
		case a != nil && b != nil && *a != *b:
			bad("%s: %s %q and %s_id %q disagree", at, name, *a, name, *b)
		case a != nil:
			return *a
		case b != nil:
			return *b
		default:
			bad("%s: %s: missing", at, name)
		}
		return ""
	}
	s := &Solution{GlobalOrdering: j.GlobalOrdering}
	for i, r := range *j.Routes {
		if r.Caregiver == nil {
			bad("routes[%d]: caregiver_id: missing", i)
			continue
		}
		rt := Route{Caregiver: *r.Caregiver, Stops: []Stop{}}
		for k, st := range r.Stops {
			at := fmt.Sprintf("routes[%d] %q: locations[%d]", i, *r.Caregiver, k)
			x := Stop{Patient: one(at, "patient", st.Patient, st.PatientID), Service: one(at, "service", st.Service, st.ServiceID)}
			if st.Start == nil || st.End == nil {
				bad("%s: arrival_time and departure_time are required", at)
			} else if !finite(*st.Start) || !finite(*st.End) {
				bad("%s: arrival_time and departure_time must be finite", at)
			} else {
				x.Start, x.End = *st.Start, *st.End
			}
			rt.Stops = append(rt.Stops, x)
		}
		s.Routes = append(s.Routes, rt)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// ReadSolutionFile reads a solution from a file.
func ReadSolutionFile(path string) (*Solution, error) {
	return readFile(path, ReadSolution)
}

// Write encodes the solution in the published format (keys "patient" and
// "service", indented), readable by ReadSolution and by the upstream validator.
func (s *Solution) Write(w io.Writer) error {
	if s == nil {
		return fmt.Errorf("%w: solution: nil", ErrInvalid)
	}
	out := *s
	for i := range out.Routes {
		if out.Routes[i].Stops == nil {
			out.Routes[i].Stops = []Stop{}
		}
	}
	if out.Routes == nil {
		out.Routes = []Route{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Cost holds the objective of a solution as the Udine validator computes it.
type Cost struct {
	// Distance is the total travel, office to first visit, between visits and
	// last visit back to the office, over all routes (minutes).
	Distance float64 `json:"distance_traveled"`
	// TotalTardiness sums, over every visit (both services of a double-service
	// patient count), max(0, start − window latest).
	TotalTardiness float64 `json:"total_tardiness"`
	// MaxTardiness is the largest single visit's tardiness.
	MaxTardiness float64 `json:"max_tardiness"`
	// Objective is (Distance + TotalTardiness + MaxTardiness) / 3, the
	// Mankowska et al. (2014) objective with equal weights.
	Objective float64 `json:"total_cost"`
}

// Objective computes the cost of sol for inst exactly as the Udine validator
// does (see the package documentation and the benchmark README): travel from
// the caregiver's start row (the office, row 0, in classic files), tardiness
// of every visit against the patient's window end, and the equally weighted
// sum divided by 3. It needs only that every caregiver and patient named
// exists; feasibility is Check's business.
func Objective(inst *Instance, sol *Solution) (Cost, error) {
	if sol == nil {
		return Cost{}, fmt.Errorf("%w: nil solution", ErrInvalid)
	}
	if err := inst.Validate(); err != nil {
		return Cost{}, err
	}
	cg, pt := inst.index()
	var c Cost
	for i, r := range sol.Routes {
		k, ok := cg[r.Caregiver]
		if !ok {
			return Cost{}, fmt.Errorf("%w: solution: routes[%d]: unknown caregiver %q", ErrInvalid, i, r.Caregiver)
		}
		prev := inst.Caregivers[k].Start
		for j, st := range r.Stops {
			p, ok := pt[st.Patient]
			if !ok {
				return Cost{}, fmt.Errorf("%w: solution: routes[%d] %q: locations[%d]: unknown patient %q", ErrInvalid, i, r.Caregiver, j, st.Patient)
			}
			pat := &inst.Patients[p]
			c.Distance += inst.Distances[prev][pat.Row]
			prev = pat.Row
			t := max(0, st.Start-pat.Window[1])
			c.TotalTardiness += t
			c.MaxTardiness = max(c.MaxTardiness, t)
		}
		if len(r.Stops) > 0 {
			c.Distance += inst.Distances[prev][inst.Caregivers[k].Start]
		}
	}
	c.Objective = (c.Distance + c.TotalTardiness + c.MaxTardiness) / 3
	return c, nil
}

func (inst *Instance) index() (caregivers, patients map[string]int) {
	caregivers = make(map[string]int, len(inst.Caregivers))
	for i, c := range inst.Caregivers {
		caregivers[c.ID] = i
	}
	patients = make(map[string]int, len(inst.Patients))
	for i, p := range inst.Patients {
		patients[p.ID] = i
	}
	return caregivers, patients
}

// ViolationKind classifies a feasibility violation found by Check.
type ViolationKind string

// Kinds of violation.
const (
	// RouteCount: the solution does not list exactly one route per caregiver.
	RouteCount ViolationKind = "route_count"
	// UnknownCaregiver, UnknownPatient: a name the instance does not define.
	UnknownCaregiver ViolationKind = "unknown_caregiver"
	// UnknownPatient: a stop names a patient the instance does not define.
	UnknownPatient ViolationKind = "unknown_patient"
	// NotRequired: a stop gives a service the patient does not need, or gives it twice.
	NotRequired ViolationKind = "not_required"
	// Unserved: a service a patient needs is in no route.
	Unserved ViolationKind = "unserved"
	// NoAbility: the caregiver lacks the service among their abilities.
	NoAbility ViolationKind = "no_ability"
	// Incompatible: the caregiver is among the patient's incompatible caregivers.
	Incompatible ViolationKind = "incompatible"
	// SameCaregiver: both services of a patient go to one caregiver.
	SameCaregiver ViolationKind = "same_caregiver"
	// WrongDuration: End − Start differs from the required duration by more than 1e-3.
	WrongDuration ViolationKind = "wrong_duration"
	// TooSoon: a service starts before the previous one ended plus the
	// travel time (or, first in the route, before leaving the start place at
	// time 0 or at the shift start, plus travel), beyond 1e-3.
	TooSoon ViolationKind = "too_soon"
	// Early: service starts before the patient's window opens. The upstream
	// validator checks this only for double-service patients; Check checks
	// every visit.
	Early ViolationKind = "early"
	// SyncGap: the two services' start gap is outside [min, max] ([0, 0] for
	// simultaneous services), beyond a relative tolerance of 1e-3.
	SyncGap ViolationKind = "sync_gap"
)

// Violation is one broken rule. Amount is by how much (minutes) for timing
// violations, else 0.
type Violation struct {
	Kind      ViolationKind `json:"kind"`                // the rule broken
	Caregiver string        `json:"caregiver,omitempty"` // the caregiver concerned; "" = none
	Patient   string        `json:"patient,omitempty"`   // the patient concerned; "" = none
	Service   string        `json:"service,omitempty"`   // the service concerned; "" = none
	Amount    float64       `json:"amount,omitempty"`    // minutes for timing violations, else 0
	Detail    string        `json:"detail"`              // plain words with IDs and figures
}

// String returns "kind: detail".
func (v Violation) String() string { return string(v.Kind) + ": " + v.Detail }

// Tolerance is the absolute tolerance (minutes) Check allows on durations,
// travel and window opening, and the relative tolerance on synchronisation
// gaps, as in the upstream validator.
const Tolerance = 1e-3

// Check lists every way sol breaks the rules of inst, checked more strictly
// than the upstream validator: the window's opening is checked for every
// visit, and the two services of a patient must go to two different
// caregivers; working shifts and incompatible caregivers of the extended
// format are checked too (a shift start is hard: nobody leaves before it;
// coming back after the shift end is allowed, as extra time). An empty result
// means the solution is feasible. An instance that fails Validate gives a
// single violation saying so.
func Check(inst *Instance, sol *Solution) []Violation {
	var out []Violation
	add := func(k ViolationKind, cg, p, s string, amount float64, format string, a ...any) {
		out = append(out, Violation{Kind: k, Caregiver: cg, Patient: p, Service: s, Amount: amount, Detail: fmt.Sprintf(format, a...)})
	}
	if sol == nil {
		add(RouteCount, "", "", "", 0, "nil solution")
		return out
	}
	if err := inst.Validate(); err != nil {
		add(RouteCount, "", "", "", 0, "%v", err)
		return out
	}
	if len(sol.Routes) != len(inst.Caregivers) {
		add(RouteCount, "", "", "", 0, "%d routes for %d caregivers", len(sol.Routes), len(inst.Caregivers))
	}
	cgIdx, ptIdx := inst.index()
	type key struct {
		patient int
		service string
	}
	type served struct {
		caregiver string
		start     float64
	}
	done := map[key]served{}
	seenRoute := map[string]bool{}
	for i, r := range sol.Routes {
		k, ok := cgIdx[r.Caregiver]
		if !ok {
			add(UnknownCaregiver, r.Caregiver, "", "", 0, "routes[%d]: caregiver %q is not in the instance", i, r.Caregiver)
			continue
		}
		if seenRoute[r.Caregiver] {
			add(RouteCount, r.Caregiver, "", "", 0, "caregiver %q has more than one route", r.Caregiver)
		}
		seenRoute[r.Caregiver] = true
		cg := &inst.Caregivers[k]
		prevRow, prevEnd := cg.Start, 0.0
		if cg.Shift != nil {
			prevEnd = cg.Shift[0]
		}
		for j, st := range r.Stops {
			p, ok := ptIdx[st.Patient]
			if !ok {
				add(UnknownPatient, cg.ID, st.Patient, st.Service, 0, "caregiver %q stop %d: patient %q is not in the instance", cg.ID, j, st.Patient)
				continue
			}
			pat := &inst.Patients[p]
			req := -1
			for x, rq := range pat.Required {
				if rq.Service == st.Service {
					req = x
				}
			}
			if req < 0 {
				add(NotRequired, cg.ID, pat.ID, st.Service, 0, "caregiver %q gives service %q, which patient %q does not require", cg.ID, st.Service, pat.ID)
				continue
			}
			if prev, dup := done[key{p, st.Service}]; dup {
				add(NotRequired, cg.ID, pat.ID, st.Service, 0, "patient %q service %q given twice (caregivers %q and %q)", pat.ID, st.Service, prev.caregiver, cg.ID)
			}
			done[key{p, st.Service}] = served{cg.ID, st.Start}
			if !cg.Can(st.Service) {
				add(NoAbility, cg.ID, pat.ID, st.Service, 0, "caregiver %q lacks service %q (patient %q)", cg.ID, st.Service, pat.ID)
			}
			for _, x := range pat.Incompatible {
				if x == cg.ID {
					add(Incompatible, cg.ID, pat.ID, st.Service, 0, "caregiver %q is incompatible with patient %q", cg.ID, pat.ID)
				}
			}
			if d := pat.Required[req].Duration; math.Abs(st.End-st.Start-d) > Tolerance {
				add(WrongDuration, cg.ID, pat.ID, st.Service, math.Abs(st.End-st.Start-d), "patient %q service %q lasts %g, want %g", pat.ID, st.Service, st.End-st.Start, d)
			}
			if arrive := prevEnd + inst.Distances[prevRow][pat.Row]; st.Start < arrive-Tolerance {
				add(TooSoon, cg.ID, pat.ID, st.Service, arrive-st.Start, "caregiver %q starts patient %q at %g, cannot arrive before %g", cg.ID, pat.ID, st.Start, arrive)
			}
			if st.Start < pat.Window[0]-Tolerance {
				add(Early, cg.ID, pat.ID, st.Service, pat.Window[0]-st.Start, "patient %q service %q starts at %g, window opens at %g", pat.ID, st.Service, st.Start, pat.Window[0])
			}
			prevRow, prevEnd = pat.Row, st.End
		}
	}
	for p := range inst.Patients {
		pat := &inst.Patients[p]
		for _, rq := range pat.Required {
			if _, ok := done[key{p, rq.Service}]; !ok {
				add(Unserved, "", pat.ID, rq.Service, 0, "patient %q service %q is in no route", pat.ID, rq.Service)
			}
		}
		if pat.Sync == nil || len(pat.Required) != 2 {
			continue
		}
		a, okA := done[key{p, pat.Required[0].Service}]
		b, okB := done[key{p, pat.Required[1].Service}]
		if !okA || !okB {
			continue
		}
		if a.caregiver == b.caregiver {
			add(SameCaregiver, a.caregiver, pat.ID, "", 0, "both services of patient %q go to caregiver %q", pat.ID, a.caregiver)
		}
		gap := b.start - a.start
		lo, hi := pat.Sync.Min, pat.Sync.Max
		if pat.Sync.Type == Simultaneous {
			lo, hi = 0, 0
		}
		if gap < lo-Tolerance*max(1, math.Abs(lo)) || gap > hi+Tolerance*max(1, math.Abs(hi)) {
			amount := max(lo-gap, gap-hi)
			add(SyncGap, "", pat.ID, "", amount, "patient %q: second service starts %g after the first, want %s", pat.ID, gap, gapText(pat.Sync))
		}
	}
	return out
}

func gapText(s *Sync) string {
	if s.Type == Simultaneous {
		return "0 (simultaneous)"
	}
	return fmt.Sprintf("between %g and %g", s.Min, s.Max)
}

// CheckError joins Check's violations into one error wrapping ErrInfeasible,
// or returns nil when there are none.
func CheckError(inst *Instance, sol *Solution) error {
	v := Check(inst, sol)
	if len(v) == 0 {
		return nil
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = x.String()
	}
	return fmt.Errorf("%w: %d violations: %s", ErrInfeasible, len(v), strings.Join(parts, "; "))
}

// ErrInfeasible is wrapped by errors reporting an infeasible solution.
var ErrInfeasible = errors.New("udine: infeasible solution")
