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
		if err := refFeasible(in, k, nodes(in, k, r, win, noBreak)); err != nil {
			return err
		}
		if veh.BreakAfter > 0 {
			if _, _, _, ok := refPlan(in, k, r, win); !ok {
				return fmt.Errorf("%w: vehicle %d: works longer than %d with no feasible break", ErrInfeasible, k, veh.BreakAfter)
			}
		}
	}
	return nil
}

// refStop is one stop of a simulated route: a visit, or a break (pause)
// taken at the place of the next stop, so that no travel follows it.
type refStop struct {
	Visit
	pause bool
}

// nodes returns route r of vehicle k (windows win) as simulated stops,
// with the break b (Before < 0: none) as a stop at the place of visit
// r[b.Before], just before it: its length as service, its start window as
// window (the vehicle's shift when it has no break windows).
func nodes(in *Instance, k int, r []int, win []Span, b Break) []refStop {
	veh := in.Vehicles[k]
	out := make([]refStop, 0, len(r)+1)
	for j, v := range r {
		vis := window(in, win, v)
		if j == b.Before {
			br := Visit{Loc: vis.Loc, Service: veh.BreakLength, Earliest: veh.Start, Latest: veh.End}
			if b.Window >= 0 {
				bw := veh.BreakWindows[b.Window]
				br.Earliest, br.Latest = bw.Earliest, bw.Latest
				if bw.Length > br.Service {
					br.Service = bw.Length
				}
			}
			out = append(out, refStop{Visit: br, pause: true})
		}
		out = append(out, refStop{Visit: vis})
	}
	return out
}

// hop is the travel time from the stop before (at, a pause or not) to loc.
func hop(pr *Profile, at int, pause bool, loc int) int64 {
	if pause {
		return 0
	}
	return pr.Duration[at*pr.N+loc]
}

// refFeasible simulates the stops ns of vehicle k leaving at its start:
// every stop starts within its window, the end is reached by the shift
// end, and the minimal duration is within MaxDuration.
func refFeasible(in *Instance, k int, ns []refStop) error {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	t, at, pause := veh.Start, veh.StartLoc, false
	for j, s := range ns {
		t += hop(&pr, at, pause, s.Loc)
		if t < s.Earliest {
			t = s.Earliest
		}
		if t > s.Latest {
			what := "a visit"
			if s.pause {
				what = "the break"
			}
			return fmt.Errorf("%w: vehicle %d: stop %d (%s) starts at %d after latest %d", ErrInfeasible, k, j, what, t, s.Latest)
		}
		t += s.Service
		at, pause = s.Loc, s.pause
	}
	t += hop(&pr, at, pause, veh.EndLoc)
	if t > veh.End {
		return fmt.Errorf("%w: vehicle %d: reaches end at %d after shift end %d", ErrInfeasible, k, t, veh.End)
	}
	if veh.MaxDuration > 0 {
		if d := minDuration(in, k, ns); d > veh.MaxDuration {
			return fmt.Errorf("%w: vehicle %d: duration %d exceeds maximum %d", ErrInfeasible, k, d, veh.MaxDuration)
		}
	}
	return nil
}

// refBreak returns the break of least minimal duration (ties: the earliest
// position, then the first window) with which route r of vehicle k is
// feasible, by trying every position but the first and every window.
func refBreak(in *Instance, k int, r []int, win []Span) (Break, bool) {
	veh := in.Vehicles[k]
	best, bestDur, found := noBreak, int64(0), false
	for j := 1; j < len(r); j++ {
		for w := -1; w < len(veh.BreakWindows); w++ {
			if w < 0 && len(veh.BreakWindows) > 0 {
				continue
			}
			ns := nodes(in, k, r, win, Break{Before: j, Window: w})
			if refFeasible(in, k, ns) != nil {
				continue
			}
			if d := minDuration(in, k, ns); !found || d < bestDur {
				best, bestDur, found = Break{Before: j, Window: w}, d, true
			}
		}
	}
	return best, found
}

// minDuration returns the smallest duration (leave start .. reach end) of
// the time-feasible stops ns of vehicle k over all feasible departure
// times: the latest feasible departure minimises it, because arrival at the
// end is max(constant, departure + fixed), so duration never increases with a
// later departure.
func minDuration(in *Instance, k int, ns []refStop) int64 {
	dep := latestDeparture(in, k, ns)
	end, _ := simulate(in, k, ns, dep)
	return end - dep
}

// simulate returns the return time of the stops ns of vehicle k leaving at
// dep, and the lateness cost.
func simulate(in *Instance, k int, ns []refStop, dep int64) (end, late int64) {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	t, at, pause := dep, veh.StartLoc, false
	for _, s := range ns {
		t = max(t+hop(&pr, at, pause, s.Loc), s.Earliest)
		if s.LateCost > 0 && t > s.Target {
			late += s.LateCost * (t - s.Target)
		}
		t += s.Service
		at, pause = s.Loc, s.pause
	}
	return t + hop(&pr, at, pause, veh.EndLoc), late
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
		c, span, _, _ := refPlan(in, k, r, win)
		total += c + refSpanCost(&veh, span)
	}
	for v, ok := range served {
		if !ok {
			total += in.Visits[v].Penalty
		}
	}
	return total + refTally(in, routes)
}

// refPlan returns the duration and lateness cost of the non-empty route r
// of vehicle k (which passed Check), the working span it is costed at,
// its break and whether it is feasible under the break rule: the working
// span at the costed departure (the best one with lateness costs, else the
// one of minimal duration) above BreakAfter asks for the break refBreak
// finds, and the cost and span are then those of the route with it.
func refPlan(in *Instance, k int, r []int, win []Span) (int64, int64, Break, bool) {
	veh := in.Vehicles[k]
	late := false
	for _, v := range r {
		late = late || in.Visits[v].LateCost > 0
	}
	sched := func(ns []refStop) (int64, int64) {
		if late {
			return refSched(in, k, ns)
		}
		d := minDuration(in, k, ns)
		return in.Weights.Duration * d, d
	}
	c, span := sched(nodes(in, k, r, win, noBreak))
	if veh.BreakAfter == 0 || span <= veh.BreakAfter {
		return c, span, noBreak, true
	}
	b, ok := refBreak(in, k, r, win)
	if !ok {
		return 0, 0, noBreak, false
	}
	c, span = sched(nodes(in, k, r, win, b))
	return c, span, b, true
}

// refSched returns the duration and lateness cost of the non-empty,
// feasible stops ns of vehicle k at its best departure, and the working
// span there (at the earliest best departure), by simulating every
// departure where the cost can change slope (the cost is piecewise linear
// and convex in the departure): the just-in-time departure for the first
// visit, the latest feasible one, the one that meets MaxDuration exactly,
// and for each stop i the departures at which it stops waiting, reaches
// its Target, and at which the route stops waiting at all.
func refSched(in *Instance, k int, ns []refStop) (int64, int64) {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	w := in.Weights
	// feasible reports whether leaving at dep keeps every window and the shift end.
	feasible := func(dep int64) bool {
		t, at, pause := dep, veh.StartLoc, false
		for _, s := range ns {
			t = max(t+hop(&pr, at, pause, s.Loc), s.Earliest)
			if t > s.Latest {
				return false
			}
			t += s.Service
			at, pause = s.Loc, s.pause
		}
		return t+hop(&pr, at, pause, veh.EndLoc) <= veh.End
	}
	// Earliest departure without waiting at the first visit, and the
	// offsets F (travel and service without waiting) of each stop.
	first := ns[0]
	t0 := pr.Duration[veh.StartLoc*pr.N+first.Loc]
	d0 := max(veh.Start+t0, first.Earliest) - t0
	end0, _ := simulate(in, k, ns, d0)
	cands := []int64{d0, latestDeparture(in, k, ns)}
	if veh.MaxDuration > 0 {
		cands = append(cands, end0-veh.MaxDuration)
	}
	var f int64
	at, pause := veh.StartLoc, false
	t := d0
	for _, s := range ns {
		h := hop(&pr, at, pause, s.Loc)
		f += h
		t = max(t+h, s.Earliest)
		cands = append(cands, t-f)
		if s.LateCost > 0 {
			cands = append(cands, s.Target-f)
		}
		f += s.Service
		t += s.Service
		at, pause = s.Loc, s.pause
	}
	f += hop(&pr, at, pause, veh.EndLoc)
	cands = append(cands, end0-f)
	best, bestDep, span := int64(-1), int64(0), int64(0)
	for _, dep := range cands {
		if dep < d0 || !feasible(dep) {
			continue
		}
		end, late := simulate(in, k, ns, dep)
		if veh.MaxDuration > 0 && end-dep > veh.MaxDuration {
			continue
		}
		if c := w.Duration*(end-dep) + late; best < 0 || c < best || c == best && dep < bestDep {
			best, bestDep, span = c, dep, end-dep
		}
	}
	return best, span
}

// latestDeparture returns the latest departure of the time-feasible
// non-empty stops ns of vehicle k that keeps every window and the shift
// end (no earlier than the vehicle's start).
func latestDeparture(in *Instance, k int, ns []refStop) int64 {
	veh := in.Vehicles[k]
	pr := in.Profiles[veh.Profile]
	latest := veh.End
	next := veh.EndLoc
	for j := len(ns) - 1; j >= 0; j-- {
		s := ns[j]
		l := latest - hop(&pr, s.Loc, s.pause, next) - s.Service
		if s.Latest < l {
			l = s.Latest
		}
		latest, next = l, s.Loc
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
	if err := checkBreaks(in, sol); err != nil {
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

// checkBreaks verifies sol.Breaks: one per route (or none at all when no
// vehicle has a break rule), each the break refPlan chooses, and the route
// feasible with it.
func checkBreaks(in *Instance, sol Solution) error {
	rule := false
	for _, v := range in.Vehicles {
		rule = rule || v.BreakAfter > 0
	}
	if sol.Breaks == nil && !rule {
		return nil
	}
	if len(sol.Breaks) < len(sol.Routes) {
		return fmt.Errorf("%w: %d breaks for %d routes", ErrInfeasible, len(sol.Breaks), len(sol.Routes))
	}
	for k, r := range sol.Routes {
		got := sol.Breaks[k]
		want := noBreak
		if len(r) > 0 {
			var ok bool
			if _, _, want, ok = refPlan(in, k, r, sol.Windows); !ok {
				return fmt.Errorf("%w: vehicle %d: needs a break and none fits", ErrInfeasible, k)
			}
		}
		if got != want {
			return fmt.Errorf("%w: vehicle %d: break %+v, want %+v", ErrInfeasible, k, got, want)
		}
		if got.Before >= 0 {
			if err := refFeasible(in, k, nodes(in, k, r, sol.Windows, got)); err != nil {
				return fmt.Errorf("with the break %+v: %w", got, err)
			}
		}
	}
	return nil
}

// RouteDuration returns the minimal duration (leave start .. reach end, in
// the instance's unit) of route r of vehicle k with the visits' windows win
// (nil = the instance's), with the rest break the engine plans for it, as
// Vehicle.MaxDuration bounds it; ok is false when r breaks a hard
// constraint of its vehicle (Check). Like Check, it is a straightforward
// simulation for use outside the search (routing's working-time cuts).
func RouteDuration(in *Instance, k int, r []int, win []Span) (d int64, ok bool) {
	if len(r) == 0 {
		return 0, true
	}
	routes := make([][]int, k+1)
	routes[k] = r
	if checkRoutes(in, routes, win) != nil {
		return 0, false
	}
	_, _, b, ok := refPlan(in, k, r, win)
	if !ok {
		return 0, false
	}
	return minDuration(in, k, nodes(in, k, r, win, b)), true
}
