package udine

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// BaseDate is the instant Udine time 0 maps to in a converted problem; one
// time unit is one minute after it. It is fixed so conversions are reproducible.
var BaseDate = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// LateAllowance is how far past the latest window end a converted problem's
// hard cap on lateness (Window.Latest) and its shifts' ends lie. Udine
// tardiness is unbounded; this is large enough that no sensible plan reaches it.
const LateAllowance = 24 * time.Hour

// UnassignedWeight is the Weights.Unassigned of a converted problem: far more
// than any plan's objective, so every visit that fits is planned (the
// format requires every patient served).
const UnassignedWeight = 1e6

// Skill returns the skill a converted problem uses for service number i of
// the instance (its index in Instance.Services): "service-<i>". Service ids
// are not used because skill codes allow only a-z, 0-9, '_' and '-'.
func Skill(i int) care.Skill { return care.Skill("service-" + strconv.Itoa(i)) }

// VisitID returns the ID of the converted visit that serves patient p's
// requirement k (0 or 1): the patient id for a single-service or simultaneous
// patient (one visit, two carers when simultaneous), "<patient>/<service>"
// for each service of a sequential patient.
func VisitID(p *Patient, k int) schedule.VisitID {
	if p.Sync != nil && p.Sync.Type == Sequential && k < len(p.Required) {
		return schedule.VisitID(p.ID + "/" + p.Required[k].Service)
	}
	return schedule.VisitID(p.ID)
}

// place returns the synthetic location of matrix row r: (lon 0.001·r, lat 0).
// Real coordinates are not used: their order differs between families and
// some coincide, while every row needs its own place in the matrix.
func place(r int) care.Location { return care.Location{0.001 * float64(r), 0} }

func at(minutes float64) time.Time {
	return BaseDate.Add(time.Duration(math.Round(minutes * float64(time.Minute))))
}

func minutes(m float64) schedule.Duration {
	return schedule.Duration(time.Duration(math.Round(m * float64(time.Minute))))
}

// ToProblem translates an instance into the library's model:
//
//   - travel is schedule.Explicit with one matrix location per matrix row
//     (synthetic places, see below): Seconds = 60 × the entry and Metres =
//     1000 × the entry, so one Udine minute of distance is one kilometre;
//   - each caregiver is a worker (same ID, care worker, car) holding Skill(i)
//     for each service i among their abilities, with one shift from time 0
//     (or their working_shift start) to LateAllowance after the latest window
//     end, starting and ending at their start row;
//   - each patient is a service user at a synthetic place (lon 0.001 × row,
//     lat 0); a single-service patient is one visit (VisitID) needing the
//     service's skill; a simultaneous patient is one visit with Carers 2,
//     SeatSkills one service per seat (in the order of required_caregivers)
//     and Duration the longer of the two; when the two durations differ (some
//     Kummer and Italian files) SeatDurations gives each seat its own, so the
//     caregiver of the shorter service is free when it ends;
//     Problem.TogetherTolerance is 0;
//   - a sequential patient is two visits, the second depending on the first
//     with Worker DifferentWorker and From "start": it starts min to max
//     after the first starts, exactly as the instance says (a max of 0,
//     which no file has, becomes one nanosecond, as MaxGap 0 means none);
//   - windows: Earliest = window start (hard), Target = window end (soft),
//     Latest = Target + LateAllowance (hard cap), no per-window penalty;
//   - weights: Distance 1/3 per kilometre (= per Udine minute of distance)
//     and Lateness 1/3 per minute after Target, which is the Udine objective
//     without its max-tardiness term (the library has no such term);
//     Unassigned UnassignedWeight;
//   - incompatible caregivers become Visit.Excluded.
//
// The problem is validated before it is returned.
func ToProblem(inst *Instance) (*schedule.Problem, error) {
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	if len(inst.Patients) == 0 || len(inst.Caregivers) == 0 {
		return nil, fmt.Errorf("%w: instance without patients or caregivers", ErrInvalid)
	}
	svc := map[string]int{}
	for i, s := range inst.Services {
		svc[s.ID] = i
	}
	latest := 0.0
	for _, p := range inst.Patients {
		latest = max(latest, p.Window[1])
	}
	end := at(latest).Add(LateAllowance)
	hardCap := end.Add(-LateAllowance / 2)
	p := &schedule.Problem{
		Name:     inst.Name,
		Start:    BaseDate,
		End:      end.Add(time.Hour),
		TimeZone: "UTC",
		Weights:  schedule.Weights{Unassigned: UnassignedWeight, Distance: 1.0 / 3, Lateness: 1.0 / 3},
	}
	n := len(inst.Distances)
	m := &schedule.Matrix{Locations: make([]care.Location, n), Seconds: make([][]float64, n), Metres: make([][]float64, n)}
	for i := range n {
		m.Locations[i] = place(i)
		m.Seconds[i] = make([]float64, n)
		m.Metres[i] = make([]float64, n)
		for j, d := range inst.Distances[i] {
			m.Seconds[i][j] = 60 * d
			m.Metres[i][j] = 1000 * d
		}
	}
	p.Travel = schedule.Travel{Model: schedule.Explicit, Matrix: m}
	obtained := BaseDate.AddDate(-1, 0, 0)
	for _, c := range inst.Caregivers {
		home := place(c.Start)
		w := care.Worker{ID: care.WorkerID(c.ID), Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}
		for _, a := range c.Abilities {
			w.Qualifications = append(w.Qualifications, care.Qualification{Skill: Skill(svc[a]), Obtained: obtained})
		}
		p.Workers = append(p.Workers, w)
		sh := schedule.Shift{ID: schedule.ShiftID(c.ID), Worker: w.ID, Start: BaseDate, End: end}
		if c.Shift != nil {
			sh.Start = at(c.Shift[0])
		}
		p.Shifts = append(p.Shifts, sh)
	}
	for i := range inst.Patients {
		pt := &inst.Patients[i]
		loc := place(pt.Row)
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: care.ServiceUserID(pt.ID), Location: loc})
		target := at(pt.Window[1])
		win := []schedule.Window{{Earliest: at(pt.Window[0]), Latest: hardCap, Target: &target}}
		var excluded []care.WorkerID
		for _, c := range pt.Incompatible {
			excluded = append(excluded, care.WorkerID(c))
		}
		visit := func(k int) schedule.Visit {
			return schedule.Visit{
				ID: VisitID(pt, k), ServiceUser: care.ServiceUserID(pt.ID), Windows: win,
				Duration: minutes(pt.Required[k].Duration), Kind: schedule.PersonalCare,
				Skills: []care.Skill{Skill(svc[pt.Required[k].Service])}, Excluded: excluded,
			}
		}
		switch {
		case pt.Sync == nil:
			p.Visits = append(p.Visits, visit(0))
		case pt.Sync.Type == Simultaneous:
			v := visit(0)
			v.Carers = 2
			v.Skills = nil
			v.SeatSkills = [][]care.Skill{{Skill(svc[pt.Required[0].Service])}, {Skill(svc[pt.Required[1].Service])}}
			d0, d1 := minutes(pt.Required[0].Duration), minutes(pt.Required[1].Duration)
			v.Duration = max(d0, d1)
			if d0 != d1 {
				v.SeatDurations = []schedule.Duration{d0, d1}
			}
			p.Visits = append(p.Visits, v)
		default:
			a, b := visit(0), visit(1)
			dep := schedule.Dependency{Visit: a.ID, MinGap: minutes(pt.Sync.Min), MaxGap: minutes(pt.Sync.Max),
				Worker: schedule.DifferentWorker, From: schedule.FromStart}
			if dep.MaxGap == 0 {
				dep.MaxGap = 1 // [min, 0]: start together; MaxGap 0 would mean no maximum
			}
			b.Dependencies = []schedule.Dependency{dep}
			p.Visits = append(p.Visits, a, b)
		}
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("udine: converted problem: %w", err)
	}
	return p, nil
}

// FromRota turns a rota planned for ToProblem(inst) into a Udine solution:
// each worker's visits in route order become that caregiver's stops; a
// simultaneous visit's two workers get the two services in seat order (the
// rota's assignment lists the first service's worker first) when the visit
// has SeatDurations, else in the way their abilities allow (the first listed
// service to the first worker in route order when both ways do); and the
// stops are timed by Retime (the rota's own times are not used: Retime's
// are the earliest the order allows, so the tardiness is the least the
// order gives). Every caregiver gets a route, empty if unused. Visits the
// rota leaves unassigned are simply missing: Check reports them as Unserved.
func FromRota(inst *Instance, problem *schedule.Problem, rota *schedule.Rota) (*Solution, error) {
	if problem == nil || rota == nil {
		return nil, fmt.Errorf("%w: nil problem or rota", ErrInvalid)
	}
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	type ref struct {
		patient int
		k       int // requirement index, or -1 for a simultaneous visit
	}
	byID := map[schedule.VisitID]ref{}
	for i := range inst.Patients {
		pt := &inst.Patients[i]
		switch {
		case pt.Sync != nil && pt.Sync.Type == Sequential:
			byID[VisitID(pt, 0)] = ref{i, 0}
			byID[VisitID(pt, 1)] = ref{i, 1}
		case pt.Sync != nil:
			byID[VisitID(pt, 0)] = ref{i, -1}
		default:
			byID[VisitID(pt, 0)] = ref{i, 0}
		}
	}
	cgIdx, _ := inst.index()
	routes := make([]Route, len(inst.Caregivers))
	for i, c := range inst.Caregivers {
		routes[i] = Route{Caregiver: c.ID}
	}
	used := map[string]bool{}
	simWorkers := map[int][]int{} // patient -> route indices in order of appearance
	type pos struct{ route, stop int }
	simStops := map[int][]pos{}
	for i, r := range rota.Routes {
		k, ok := cgIdx[string(r.Worker)]
		if !ok {
			return nil, fmt.Errorf("%w: rota: routes[%d]: worker %q is not a caregiver", ErrInvalid, i, r.Worker)
		}
		if len(r.Visits) > 0 && used[string(r.Worker)] {
			return nil, fmt.Errorf("%w: rota: worker %q has more than one non-empty route", ErrInvalid, r.Worker)
		}
		if len(r.Visits) > 0 {
			used[string(r.Worker)] = true
		}
		for _, v := range r.Visits {
			rf, ok := byID[v]
			if !ok {
				return nil, fmt.Errorf("%w: rota: route of %q: visit %q is not in the instance", ErrInvalid, r.Worker, v)
			}
			pt := &inst.Patients[rf.patient]
			st := Stop{Patient: pt.ID}
			if rf.k >= 0 {
				st.Service = pt.Required[rf.k].Service
			} else {
				simWorkers[rf.patient] = append(simWorkers[rf.patient], k)
				simStops[rf.patient] = append(simStops[rf.patient], pos{k, len(routes[k].Stops)})
			}
			routes[k].Stops = append(routes[k].Stops, st)
		}
	}
	seated := map[schedule.VisitID][]care.WorkerID{} // visits with SeatDurations: their workers in seat order
	for i := range problem.Visits {
		if v := &problem.Visits[i]; len(v.SeatDurations) > 0 {
			seated[v.ID] = nil
		}
	}
	for _, a := range rota.Assignments {
		if _, ok := seated[a.Visit]; ok {
			seated[a.Visit] = a.Workers
		}
	}
	for p, ws := range simWorkers {
		pt := &inst.Patients[p]
		if len(ws) != 2 {
			return nil, fmt.Errorf("%w: rota: simultaneous visit %q is in %d routes, want 2", ErrInvalid, pt.ID, len(ws))
		}
		a, b := pt.Required[0].Service, pt.Required[1].Service
		w0, w1 := &inst.Caregivers[ws[0]], &inst.Caregivers[ws[1]]
		if order, ok := seated[VisitID(pt, 0)]; ok && len(order) == 2 {
			if string(order[0]) != w0.ID {
				a, b = b, a
			}
		} else if !(w0.Can(a) && w1.Can(b)) {
			a, b = b, a
		}
		s := simStops[p]
		routes[s[0].route].Stops[s[0].stop].Service = a
		routes[s[1].route].Stops[s[1].stop].Service = b
	}
	return Retime(inst, routes)
}
