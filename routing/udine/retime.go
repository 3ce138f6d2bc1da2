package udine

import (
	"fmt"
)

// Retime gives every stop of routes the earliest start that the rules allow
// for the order given, and returns the timed solution; the Start and End
// already in routes are ignored. Starts are the least solution of the
// difference constraints of the format: a caregiver leaves their start place
// at time 0 (or their shift start) and travels; a stop starts no earlier
// than the previous stop's end plus travel, nor before the patient's window
// opens; the second service of a sequential pair starts between Min and Max
// after the first; simultaneous services start together. Because every start
// is as early as possible, total and maximum tardiness are the least any
// timing of this order can give, and the travel is fixed by the order, so
// the objective is the best this order allows.
//
// An error wrapping ErrInfeasible is returned when no timing exists (the
// order makes a synchronised pair wait on each other in a cycle); one wrapping
// ErrInvalid when a stop names an unknown caregiver, patient or service.
func Retime(inst *Instance, routes []Route) (*Solution, error) {
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	cgIdx, ptIdx := inst.index()
	type ref struct{ route, stop int }
	type key struct {
		patient int
		service string
	}
	at := map[key]ref{}
	out := &Solution{Routes: make([]Route, len(routes))}
	dur := make([][]float64, len(routes))
	row := make([][]int, len(routes))
	start := make([]float64, len(routes))
	startRow := make([]int, len(routes))
	total := 0
	for i, r := range routes {
		k, ok := cgIdx[r.Caregiver]
		if !ok {
			return nil, fmt.Errorf("%w: routes[%d]: unknown caregiver %q", ErrInvalid, i, r.Caregiver)
		}
		cg := &inst.Caregivers[k]
		startRow[i] = cg.Start
		if cg.Shift != nil {
			start[i] = cg.Shift[0]
		}
		out.Routes[i] = Route{Caregiver: r.Caregiver, Stops: make([]Stop, len(r.Stops))}
		for j, st := range r.Stops {
			p, ok := ptIdx[st.Patient]
			if !ok {
				return nil, fmt.Errorf("%w: routes[%d] %q: locations[%d]: unknown patient %q", ErrInvalid, i, r.Caregiver, j, st.Patient)
			}
			pat := &inst.Patients[p]
			d := -1.0
			for _, rq := range pat.Required {
				if rq.Service == st.Service {
					d = rq.Duration
				}
			}
			if d < 0 {
				return nil, fmt.Errorf("%w: routes[%d] %q: locations[%d]: patient %q does not require service %q", ErrInvalid, i, r.Caregiver, j, pat.ID, st.Service)
			}
			if _, dup := at[key{p, st.Service}]; dup {
				return nil, fmt.Errorf("%w: routes[%d] %q: locations[%d]: patient %q service %q planned twice", ErrInvalid, i, r.Caregiver, j, pat.ID, st.Service)
			}
			at[key{p, st.Service}] = ref{i, j}
			dur[i] = append(dur[i], d)
			row[i] = append(row[i], pat.Row)
			out.Routes[i].Stops[j] = Stop{Patient: pat.ID, Service: st.Service, Start: pat.Window[0]}
			total++
		}
	}
	type pair struct {
		a, b     ref
		min, max float64
	}
	var pairs []pair
	for p := range inst.Patients {
		pat := &inst.Patients[p]
		if pat.Sync == nil || len(pat.Required) != 2 {
			continue
		}
		a, okA := at[key{p, pat.Required[0].Service}]
		b, okB := at[key{p, pat.Required[1].Service}]
		if !okA || !okB {
			continue
		}
		pr := pair{a: a, b: b}
		if pat.Sync.Type == Sequential {
			pr.min, pr.max = pat.Sync.Min, pat.Sync.Max
		}
		pairs = append(pairs, pr)
	}
	s := func(r ref) *float64 { return &out.Routes[r.route].Stops[r.stop].Start }
	// Bellman-Ford on the difference constraints: with no positive cycle the
	// starts settle within total+1 rounds.
	for round := 0; ; round++ {
		changed := false
		raise := func(x *float64, v float64) {
			if v > *x+1e-9 {
				*x = v
				changed = true
			}
		}
		for i := range out.Routes {
			prevEnd, prevRow := start[i], startRow[i]
			for j := range out.Routes[i].Stops {
				st := &out.Routes[i].Stops[j]
				raise(&st.Start, prevEnd+inst.Distances[prevRow][row[i][j]])
				prevEnd, prevRow = st.Start+dur[i][j], row[i][j]
			}
		}
		for _, pr := range pairs {
			raise(s(pr.b), *s(pr.a)+pr.min)
			raise(s(pr.a), *s(pr.b)-pr.max)
		}
		if !changed {
			break
		}
		if round > total+1 {
			return nil, fmt.Errorf("%w: no timing of this visit order meets the synchronisation of its double-service patients", ErrInfeasible)
		}
	}
	for i := range out.Routes {
		for j := range out.Routes[i].Stops {
			st := &out.Routes[i].Stops[j]
			st.End = st.Start + dur[i][j]
		}
	}
	return out, nil
}
