package search

import (
	"errors"
	"fmt"
)

// ErrInfeasible is wrapped by every error Check returns for routes that break
// a hard constraint.
var ErrInfeasible = errors.New("search: infeasible routes")

// Check verifies routes (one list of visit indices per vehicle, in visiting
// order; len(routes) may be less than the number of vehicles) against every
// hard constraint of in by straightforward simulation. It shares no code with
// the search's incremental bookkeeping and is meant for tests and debugging.
func Check(in *Instance, routes [][]int) error {
	return checkRoutes(in, routes, nil)
}

// checkRoutes is Check with the visits' windows replaced by win (nil = the
// instance's).
func checkRoutes(in *Instance, routes [][]int, win []Span) error {
	if len(routes) > len(in.Vehicles) {
		return fmt.Errorf("%w: %d routes for %d vehicles", ErrInfeasible, len(routes), len(in.Vehicles))
	}
	seen := make([]bool, len(in.Visits))
	for k, r := range routes {
		for j, v := range r {
			if v < 0 || v >= len(in.Visits) {
				return fmt.Errorf("%w: vehicle %d: stop %d: visit %d out of range", ErrInfeasible, k, j, v)
			}
			if seen[v] {
				return fmt.Errorf("%w: vehicle %d: visit %d served twice", ErrInfeasible, k, v)
			}
			seen[v] = true
			if al := in.Visits[v].Allowed; al != nil {
				ok := false
				for _, a := range al {
					ok = ok || a == k
				}
				if !ok {
					return fmt.Errorf("%w: vehicle %d: visit %d: vehicle not allowed", ErrInfeasible, k, v)
				}
			}
		}
		if len(r) == 0 {
			continue
		}
		veh := in.Vehicles[k]
		var load int64
		for _, v := range r {
			load += in.Visits[v].Demand
		}
		if veh.Capacity > 0 && load > veh.Capacity {
			return fmt.Errorf("%w: vehicle %d: load %d exceeds capacity %d", ErrInfeasible, k, load, veh.Capacity)
		}
		// Forward simulation leaving at the earliest moment.
		pr := in.Profiles[veh.Profile]
		t := veh.Start
		at := veh.StartLoc
		for j, v := range r {
			vis := window(in, win, v)
			t += pr.Duration[at*pr.N+vis.Loc]
			if t < vis.Earliest {
				t = vis.Earliest
			}
			if t > vis.Latest {
				return fmt.Errorf("%w: vehicle %d: stop %d: visit %d starts at %d after latest %d", ErrInfeasible, k, j, v, t, vis.Latest)
			}
			t += vis.Service
			at = vis.Loc
		}
		t += pr.Duration[at*pr.N+veh.EndLoc]
		if t > veh.End {
			return fmt.Errorf("%w: vehicle %d: reaches end at %d after shift end %d", ErrInfeasible, k, t, veh.End)
		}
		if veh.MaxDuration > 0 {
			if d := minDuration(in, k, r, win); d > veh.MaxDuration {
				return fmt.Errorf("%w: vehicle %d: duration %d exceeds maximum %d", ErrInfeasible, k, d, veh.MaxDuration)
			}
		}
	}
	return nil
}

// minDuration returns the smallest duration (leave start .. reach end) of a
// time-feasible non-empty route r of vehicle k over all feasible departure
// times: the latest feasible departure minimises it, because arrival at the
// end is max(constant, departure + fixed), so duration never increases with a
// later departure.
func minDuration(in *Instance, k int, r []int, win []Span) int64 {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	dep := latestDeparture(in, k, r, win)
	t := dep
	at := veh.StartLoc
	for _, v := range r {
		vis := window(in, win, v)
		t += pr.Duration[at*pr.N+vis.Loc]
		if t < vis.Earliest {
			t = vis.Earliest
		}
		t += vis.Service
		at = vis.Loc
	}
	t += pr.Duration[at*pr.N+veh.EndLoc]
	return t - dep
}

// Cost recomputes the objective of routes from scratch (see the package
// documentation); visits absent from routes count as unassigned. It assumes
// routes passed Check.
func Cost(in *Instance, routes [][]int) int64 {
	return costRoutes(in, routes, nil)
}

// SolutionCost is Cost of sol.Routes with the windows sol.Windows.
func SolutionCost(in *Instance, sol Solution) int64 {
	return costRoutes(in, sol.Routes, sol.Windows)
}

// costRoutes is Cost with the visits' windows replaced by win (nil = the
// instance's).
func costRoutes(in *Instance, routes [][]int, win []Span) int64 {
	served := make([]bool, len(in.Visits))
	var total int64
	w := in.Weights
	for k, r := range routes {
		if len(r) == 0 {
			continue
		}
		veh := in.Vehicles[k]
		pr := in.Profiles[veh.Profile]
		var dist, travel int64
		at := veh.StartLoc
		for _, v := range r {
			served[v] = true
			loc := in.Visits[v].Loc
			dist += pr.Distance[at*pr.N+loc]
			travel += pr.Duration[at*pr.N+loc]
			at = loc
		}
		dist += pr.Distance[at*pr.N+veh.EndLoc]
		travel += pr.Duration[at*pr.N+veh.EndLoc]
		total += veh.FixedCost + w.Distance*dist + w.TravelTime*travel
		late := false
		for _, v := range r {
			late = late || in.Visits[v].LateCost > 0
		}
		switch {
		case late:
			total += refSched(in, k, r, win)
		case w.Duration != 0:
			total += w.Duration * minDuration(in, k, r, win)
		}
	}
	for v, ok := range served {
		if !ok {
			total += in.Visits[v].Penalty
		}
	}
	return total + refTally(in, routes)
}

// refSched returns the duration and lateness cost of the non-empty,
// feasible route r of vehicle k at its best departure by simulating every
// departure where the cost can change slope (the cost is piecewise linear
// and convex in the departure): the just-in-time departure for the first
// visit, the latest feasible one, the one that meets MaxDuration exactly,
// and for each visit i the departures at which it stops waiting, reaches
// its Target, and at which the route stops waiting at all.
func refSched(in *Instance, k int, r []int, win []Span) int64 {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	w := in.Weights
	// simulate returns the return time and the lateness cost leaving at dep.
	simulate := func(dep int64) (end, late int64, ok bool) {
		t, at := dep, veh.StartLoc
		for _, v := range r {
			vis := window(in, win, v)
			t += pr.Duration[at*pr.N+vis.Loc]
			t = max(t, vis.Earliest)
			if t > vis.Latest {
				return 0, 0, false
			}
			if vis.LateCost > 0 && t > vis.Target {
				late += vis.LateCost * (t - vis.Target)
			}
			t += vis.Service
			at = vis.Loc
		}
		t += pr.Duration[at*pr.N+veh.EndLoc]
		return t, late, t <= veh.End
	}
	// Earliest departure without waiting at the first visit, and the
	// offsets F (travel and service without waiting) of each visit.
	first := window(in, win, r[0])
	d0 := max(veh.Start+pr.Duration[veh.StartLoc*pr.N+first.Loc], first.Earliest) - pr.Duration[veh.StartLoc*pr.N+first.Loc]
	end0, _, _ := simulate(d0)
	cands := []int64{d0, latestDeparture(in, k, r, win)}
	if veh.MaxDuration > 0 {
		cands = append(cands, end0-veh.MaxDuration)
	}
	var f int64
	at := veh.StartLoc
	t := d0
	for _, v := range r {
		vis := window(in, win, v)
		f += pr.Duration[at*pr.N+vis.Loc]
		t = max(t+pr.Duration[at*pr.N+vis.Loc], vis.Earliest)
		cands = append(cands, t-f)
		if vis.LateCost > 0 {
			cands = append(cands, vis.Target-f)
		}
		f += vis.Service
		t += vis.Service
		at = vis.Loc
	}
	f += pr.Duration[at*pr.N+veh.EndLoc]
	cands = append(cands, end0-f)
	best := int64(-1)
	for _, dep := range cands {
		if dep < d0 {
			continue
		}
		end, late, ok := simulate(dep)
		if !ok || veh.MaxDuration > 0 && end-dep > veh.MaxDuration {
			continue
		}
		if c := w.Duration*(end-dep) + late; best < 0 || c < best {
			best = c
		}
	}
	return best
}

// latestDeparture returns the latest departure of a time-feasible
// non-empty route r of vehicle k that keeps every window and the shift end
// (no earlier than the vehicle's start).
func latestDeparture(in *Instance, k int, r []int, win []Span) int64 {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	latest := veh.End
	next := veh.EndLoc
	for j := len(r) - 1; j >= 0; j-- {
		vis := window(in, win, r[j])
		l := latest - pr.Duration[vis.Loc*pr.N+next] - vis.Service
		if vis.Latest < l {
			l = vis.Latest
		}
		latest, next = l, vis.Loc
	}
	dep := latest - pr.Duration[veh.StartLoc*pr.N+next]
	if dep < veh.Start {
		dep = veh.Start
	}
	return dep
}

// refTally returns the continuity and preferred-worker terms of routes,
// counted from scratch.
func refTally(in *Instance, routes [][]int) int64 {
	w := in.Weights
	if w.Continuity == 0 && w.Preferred == 0 {
		return 0
	}
	seen := map[int]map[int]bool{} // person -> owners
	rewarded := map[int]bool{}
	for k, r := range routes {
		o := k
		if in.Owner != nil {
			o = in.Owner[k]
		}
		for _, v := range r {
			if in.Person != nil && in.Person[v] >= 0 {
				if seen[in.Person[v]] == nil {
					seen[in.Person[v]] = map[int]bool{}
				}
				seen[in.Person[v]][o] = true
			}
			for _, x := range in.Visits[v].Preferred {
				if x != o {
					continue
				}
				g := v
				if in.Reward != nil {
					g = in.Reward[v]
				}
				if g >= 0 {
					rewarded[g] = true
				}
			}
		}
	}
	var c int64
	for _, owners := range seen {
		c += w.Continuity * int64(len(owners)-1)
	}
	return c - w.Preferred*int64(len(rewarded))
}

// window returns visit v of in with its window replaced by win[v] when win
// is not nil.
func window(in *Instance, win []Span, v int) Visit {
	vis := in.Visits[v]
	if win != nil {
		vis.Earliest, vis.Latest = win[v].Earliest, win[v].Latest
	}
	return vis
}

// CheckSolution verifies sol against every hard constraint of in, links
// included, by straightforward simulation (see Check): each window in
// sol.Windows lies inside the visit's own window, the routes are feasible
// with those windows, and for every link both visits are served or
// neither; when served, every pair of starts inside their windows keeps the
// gap (start(B) - start(A) in [MinGap, MaxGap]) and the vehicles' owners
// differ or agree when the link asks for different or the same worker.
func CheckSolution(in *Instance, sol Solution) error {
	if len(sol.Windows) != len(in.Visits) {
		return fmt.Errorf("%w: %d windows for %d visits", ErrInfeasible, len(sol.Windows), len(in.Visits))
	}
	for v, w := range sol.Windows {
		if o := in.Visits[v]; w.Earliest < o.Earliest || w.Latest > o.Latest || w.Latest < w.Earliest {
			return fmt.Errorf("%w: visit %d: window %d..%d not inside %d..%d", ErrInfeasible, v, w.Earliest, w.Latest, o.Earliest, o.Latest)
		}
	}
	if err := checkRoutes(in, sol.Routes, sol.Windows); err != nil {
		return err
	}
	veh := make([]int, len(in.Visits))
	for v := range veh {
		veh[v] = -1
	}
	for k, r := range sol.Routes {
		for _, v := range r {
			veh[v] = k
		}
	}
	owner := func(k int) int {
		if in.Owner == nil {
			return k
		}
		return in.Owner[k]
	}
	for i, l := range in.Links {
		ka, kb := veh[l.A], veh[l.B]
		switch {
		case ka < 0 && kb < 0:
			continue
		case ka < 0:
			return fmt.Errorf("%w: link %d: visit %d served, visit %d not", ErrInfeasible, i, l.B, l.A)
		case kb < 0:
			return fmt.Errorf("%w: link %d: visit %d served, visit %d not", ErrInfeasible, i, l.A, l.B)
		}
		a, b := sol.Windows[l.A], sol.Windows[l.B]
		if b.Earliest-a.Latest < l.MinGap || b.Latest-a.Earliest > l.MaxGap {
			return fmt.Errorf("%w: link %d: visit %d in %d..%d, visit %d in %d..%d: gap not always in %d..%d",
				ErrInfeasible, i, l.A, a.Earliest, a.Latest, l.B, b.Earliest, b.Latest, l.MinGap, l.MaxGap)
		}
		if l.Worker == DifferentWorker && owner(ka) == owner(kb) {
			return fmt.Errorf("%w: link %d: visits %d and %d served by one worker", ErrInfeasible, i, l.A, l.B)
		}
		if l.Worker == SameWorker && owner(ka) != owner(kb) {
			return fmt.Errorf("%w: link %d: visits %d and %d served by two workers", ErrInfeasible, i, l.A, l.B)
		}
	}
	return nil
}
