// Package search is the rota optimiser's engine: a ruin-and-recreate search
// with local search on flat integer arrays.
//
// # Contract
//
// The caller (the public routing package) translates its problem into an
// [Instance]: visits numbered 0..len(Visits)-1, vehicles (one route each, a
// worker's shift), travel profiles (dense matrices, one per travel mode) and
// objective weights. Every quantity is an int64 in units the caller chooses:
// times, durations and travel times share one unit, distances may use
// another. The engine never converts units.
//
// Hard constraints are never violated in a returned [Solution]: time windows
// (service starts within [Earliest, Latest], waiting allowed), the vehicle's
// shift (leave StartLoc at Start or later, reach EndLoc by End), capacity,
// maximum route duration, rest breaks (a route working longer than the
// vehicle's BreakAfter holds a break, reported in [Solution.Breaks]; see
// breaks.go), vehicle eligibility and links ([Link]: two
// visits served both or neither, start(B) - start(A) within a range, by
// different workers where asked; the seats of a double-handed visit and
// dependencies). A visit that cannot be inserted anywhere feasibly (or whose
// insertion costs more than its Penalty) is left unassigned; a linked visit
// with its whole link group. For linked visits the returned
// [Solution.Windows] are narrowed so that any start inside them keeps the
// links; times computed for the routes must use them.
//
// The objective (see [Weights]) is
//
//	sum over used vehicles of FixedCost
//	+ Weights.Distance   * total distance
//	+ Weights.TravelTime * total travel time
//	+ Weights.Duration   * total route duration (leave start .. reach end, minimal over departure times, the route's break included)
//	+ sum over used vehicles of the span cost of the route's duration (Vehicle.SpanCost)
//	+ sum over unassigned visits of Penalty.
//
// A hierarchical objective (fewest vehicles first) is expressed by a large
// FixedCost; when any vehicle has a FixedCost the engine spends part of its
// budget on explicit route elimination (see [Options.FleetFraction]).
//
// [Cost] and [Check] are slow reference implementations, independent of the
// search's incremental bookkeeping, used by tests.
//
// # Algorithm
//
// Slack induction by string removals (Christiaens and Vanden Berghe 2020):
// adjacent string and split-string removal, greedy insertion with blinks in
// random/demand/far/close order, simulated-annealing acceptance with a
// temperature that falls over the budget; interleaved with a local search
// over granular neighbourhoods. Besides the SISR ruin, an iteration may use
// random or worst removal (Ropke and Pisinger 2006) and regret-k insertion
// with noise (each with a tuned probability, see defaultTuning; off by
// default, as measured). The local search applies relocate, swap and 2-opt*
// to every candidate, and, on candidates that beat the best, also or-opt
// (strings of 2-3 visits, possibly reversed), cross-exchange (strings of up
// to 3 visits) and SWAP* (Vidal 2022) on pairs of routes with neighbouring
// visits. Feasibility and cost of every move are evaluated from forward and
// backward time-window segment data (Vidal et al. 2013): O(1) for inter-route
// insertions, O(length of the changed stretch) for string and intra-route
// moves. Several independent seeded searches run on separate goroutines and
// the best result is kept.
//
// Links are kept by construction: the recreate step inserts a link group
// as a whole (the first two members together: the cheapest pair of their
// candidate places, in two routes or one, at the earliest or latest common
// timing; the others one by one) and narrows the members' windows in the
// solution so that any start inside them keeps every link; the ordinary
// moves then keep the links through their time-window checks, and a worker
// relation "different" holds because one worker cannot serve both visits
// within the gap range (Validate requires it). Every ruin takes out whole
// groups and restores their windows.
package search

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Instance is the engine's input. See the package documentation for units.
type Instance struct {
	// Visits are numbered 0..len(Visits)-1.
	Visits []Visit
	// Vehicles each give one route. Unused vehicles cost nothing.
	Vehicles []Vehicle
	// Profiles are the travel matrices; each vehicle names one. All
	// profiles must have the same N (the number of locations).
	Profiles []Profile
	// Weights of the objective terms.
	Weights Weights
	// Links are timing constraints between pairs of visits (the two seats
	// of a double-handed visit, a dependency). See [Link].
	Links []Link
	// Owner optionally names the worker behind each vehicle (len(Vehicles)
	// entries; nil = every vehicle is a different worker). Vehicles of one
	// owner must not overlap in time when some link asks for different
	// workers.
	Owner []int
	// Person optionally names the person each visit is made to
	// (len(Visits) entries, -1 = none; nil = no visit has one), for
	// Weights.Continuity: every distinct owner beyond the first serving a
	// person's visits costs Weights.Continuity.
	Person []int
	// Reward optionally groups visits for Weights.Preferred (len(Visits)
	// entries, -1 = none; nil = each visit is its own group): a group whose
	// visits include at least one served by one of its Visit.Preferred
	// owners earns the reward once (the two seats of a double-handed visit
	// share a group).
	Reward []int
}

// Relation is the worker relation a [Link] asks for.
type Relation uint8

// Worker relations of a link.
const (
	// AnyWorker: the two visits may be served by any vehicles.
	AnyWorker Relation = iota
	// DifferentWorker: the two visits are served by vehicles of different
	// owners. When -Service(B) < MinGap and MaxGap < Service(A) (the seats
	// of a double-handed visit) one worker cannot serve both in time, and
	// the engine keeps the relation through time alone (vehicles of one
	// owner must then not overlap in time); otherwise, as for SameWorker,
	// the two visits stay in the routes where recreate put them (local
	// search moves them only within their route).
	DifferentWorker
	// SameWorker: the two visits are served by vehicles of one owner.
	SameWorker
)

// Link ties visits A and B: both are served or neither, and when served,
// start(B) - start(A) lies in [MinGap, MaxGap] (times in the instance's
// unit). The two seats of a double-handed visit with tolerance tol are a
// link with MinGap -tol, MaxGap tol and Worker DifferentWorker; "B starts
// g1..g2 after A ends" is MinGap Service(A)+g1, MaxGap Service(A)+g2.
//
// The engine keeps links by construction: it inserts the visits of a
// connected group of links together, then narrows each one's time window
// (per solution) so that any start inside the narrowed windows satisfies
// every link; ordinary moves then keep the links through the time-window
// checks. Ruin takes out the whole group and restores the windows.
// [Solution.Windows] reports the narrowed windows.
type Link struct {
	A, B           int      // visit indices: both served or neither
	MinGap, MaxGap int64    // bounds of start(B) - start(A), in the instance's time unit
	Worker         Relation // whether A and B need the same or different workers
}

// Span is a time window [Earliest, Latest].
type Span struct {
	Earliest, Latest int64 // earliest and latest start, in the instance's time unit
}

// Visit is a stop to be served by at most one vehicle.
type Visit struct {
	Loc      int   // location index into the profile matrices
	Service  int64 // service duration
	Earliest int64 // service starts no earlier (the vehicle waits)
	Latest   int64 // service starts no later
	Demand   int64 // load taken against vehicle capacity; 0 if unused
	Penalty  int64 // cost when left unassigned; must be > 0
	// Allowed lists the eligible vehicle indices in increasing order; nil
	// means every vehicle may serve the visit.
	Allowed []int
	// Target is a soft latest start: with LateCost > 0 every unit of time
	// service starts after Target costs LateCost. Latest stays the hard cap.
	Target int64
	// LateCost is the cost per unit of time service starts after Target (0 = none).
	LateCost int64
	// Preferred lists owners (see Instance.Owner; vehicle indices when
	// Owner is nil) in increasing order whose service earns
	// Weights.Preferred (once per Instance.Reward group).
	Preferred []int
}

// Vehicle is one route: a worker's shift.
type Vehicle struct {
	Profile     int   // index into Instance.Profiles
	StartLoc    int   // where the route starts
	EndLoc      int   // where the route ends
	Start       int64 // the route may leave StartLoc at Start or later
	End         int64 // and must reach EndLoc by End
	Capacity    int64 // 0 = unlimited
	MaxDuration int64 // 0 = none; leave start .. reach end, counting travel, service and waiting
	FixedCost   int64 // added when the vehicle serves at least one visit
	// BreakAfter is the rest-break rule: a route whose working span (leave
	// start .. reach end, at the departure the route is costed with) exceeds
	// it must hold a break (see breaks.go). 0 = no rule.
	BreakAfter int64
	// BreakLength is the break's least length (> 0 when BreakAfter is set).
	BreakLength int64
	// BreakWindows, when not empty, are the windows in which the break may
	// start; the break then lasts max(BreakLength, the window's Length).
	// Empty: the break may start at any time of the shift.
	BreakWindows []BreakWindow
	// SpanCost, when not empty, adds a convex piecewise-linear cost of the
	// route's working span (leave start .. reach end, at the departure the
	// route is costed with, its break included) to a non-empty route:
	// Σ PerUnit·max(0, span − From) over the pieces (see [SpanPiece]). The
	// first piece may have a negative slope when it starts at 0 (a reward
	// per unit of span up to a target); every later piece's PerUnit is
	// >= 0 (convex). An empty route pays nothing. The departure is chosen
	// without it (see Weights.Duration and lateness), so it prices the span
	// the engine would plan anyway. Empty = no such cost, the engine's
	// path and speed unchanged.
	SpanCost []SpanPiece
}

// BreakWindow is a window in which a vehicle's rest break may start.
type BreakWindow struct {
	Earliest int64 // the break starts no earlier
	Latest   int64 // and no later
	Length   int64 // its least length in this window (the rule's BreakLength when that is longer)
}

// Profile is a travel mode: dense N×N matrices in row-major order, entry
// [i*N+j] for travel from location i to location j.
type Profile struct {
	N        int     // number of locations: each matrix has N×N entries
	Duration []int64 // travel times
	Distance []int64 // distances
}

// Weights are the coefficients of the objective terms. All must be >= 0.
type Weights struct {
	Distance   int64 // per unit of distance travelled
	Duration   int64 // per unit of route duration (start to end, incl. waiting)
	TravelTime int64 // per unit of travel time
	// Continuity is the cost per distinct owner beyond the first serving
	// one person's visits (see Instance.Person).
	Continuity int64
	// Preferred is the reward (a negative cost) per Instance.Reward group
	// served by a preferred owner (see Visit.Preferred).
	Preferred int64
}

// ErrInvalid is wrapped by every validation error of an Instance or Options.
var ErrInvalid = errors.New("search: invalid input")

// maxValue bounds every time, duration, distance, demand and cost in the
// input so that sums along routes cannot overflow int64.
const maxValue = int64(1) << 52

// Validate checks the instance and returns the first problem found, naming
// the field and index. It wraps ErrInvalid.
func (in *Instance) Validate() error {
	if in == nil {
		return fmt.Errorf("%w: nil instance", ErrInvalid)
	}
	if len(in.Profiles) == 0 {
		return fmt.Errorf("%w: no profiles", ErrInvalid)
	}
	n := in.Profiles[0].N
	var maxDist, maxDur float64
	for p, pr := range in.Profiles {
		if pr.N <= 0 || pr.N != n {
			return fmt.Errorf("%w: profile %d: N %d: want %d (> 0, same for all profiles)", ErrInvalid, p, pr.N, n)
		}
		if n > 1<<15 {
			return fmt.Errorf("%w: profile %d: N %d too large", ErrInvalid, p, pr.N)
		}
		if len(pr.Duration) != n*n || len(pr.Distance) != n*n {
			return fmt.Errorf("%w: profile %d: matrices have %d and %d entries: want %d", ErrInvalid, p, len(pr.Duration), len(pr.Distance), n*n)
		}
		for i := range pr.Duration {
			if pr.Duration[i] < 0 || pr.Duration[i] > maxValue {
				return fmt.Errorf("%w: profile %d: duration [%d][%d] = %d out of range", ErrInvalid, p, i/n, i%n, pr.Duration[i])
			}
			if pr.Distance[i] < 0 || pr.Distance[i] > maxValue {
				return fmt.Errorf("%w: profile %d: distance [%d][%d] = %d out of range", ErrInvalid, p, i/n, i%n, pr.Distance[i])
			}
			maxDist = math.Max(maxDist, float64(pr.Distance[i]))
			maxDur = math.Max(maxDur, float64(pr.Duration[i]))
		}
	}
	w := in.Weights
	for _, x := range [...]int64{w.Distance, w.Duration, w.TravelTime, w.Continuity, w.Preferred} {
		if x < 0 || x > maxValue {
			return fmt.Errorf("%w: weights %+v: each must be in [0, 2^52]", ErrInvalid, w)
		}
	}
	if len(in.Vehicles) > 1<<20 || len(in.Visits) > 1<<22 {
		return fmt.Errorf("%w: %d vehicles, %d visits: too many", ErrInvalid, len(in.Vehicles), len(in.Visits))
	}
	inRange := func(v int64) bool { return v >= 0 && v <= maxValue }
	bound := 0.0
	owners := in.owners()
	var maxEnd, spanSlope float64
	for k, v := range in.Vehicles {
		switch {
		case v.Profile < 0 || v.Profile >= len(in.Profiles):
			return fmt.Errorf("%w: vehicle %d: profile %d out of range", ErrInvalid, k, v.Profile)
		case v.StartLoc < 0 || v.StartLoc >= n:
			return fmt.Errorf("%w: vehicle %d: start location %d out of range", ErrInvalid, k, v.StartLoc)
		case v.EndLoc < 0 || v.EndLoc >= n:
			return fmt.Errorf("%w: vehicle %d: end location %d out of range", ErrInvalid, k, v.EndLoc)
		case !inRange(v.Start) || !inRange(v.End):
			return fmt.Errorf("%w: vehicle %d: shift %d..%d out of range", ErrInvalid, k, v.Start, v.End)
		case v.End < v.Start:
			return fmt.Errorf("%w: vehicle %d: shift end %d before start %d", ErrInvalid, k, v.End, v.Start)
		case !inRange(v.Capacity):
			return fmt.Errorf("%w: vehicle %d: capacity %d out of range", ErrInvalid, k, v.Capacity)
		case !inRange(v.MaxDuration):
			return fmt.Errorf("%w: vehicle %d: max duration %d out of range", ErrInvalid, k, v.MaxDuration)
		case !inRange(v.FixedCost):
			return fmt.Errorf("%w: vehicle %d: fixed cost %d out of range", ErrInvalid, k, v.FixedCost)
		}
		if err := validateBreak(k, &v); err != nil {
			return err
		}
		sl, err := validateSpanCost(k, &v)
		if err != nil {
			return err
		}
		spanSlope += sl
		bound += float64(v.FixedCost)
		maxEnd = math.Max(maxEnd, float64(v.End))
	}
	for i, v := range in.Visits {
		switch {
		case v.Loc < 0 || v.Loc >= n:
			return fmt.Errorf("%w: visit %d: location %d out of range", ErrInvalid, i, v.Loc)
		case !inRange(v.Service):
			return fmt.Errorf("%w: visit %d: service %d out of range", ErrInvalid, i, v.Service)
		case !inRange(v.Earliest) || !inRange(v.Latest):
			return fmt.Errorf("%w: visit %d: window %d..%d out of range", ErrInvalid, i, v.Earliest, v.Latest)
		case v.Latest < v.Earliest:
			return fmt.Errorf("%w: visit %d: latest %d before earliest %d", ErrInvalid, i, v.Latest, v.Earliest)
		case !inRange(v.Demand):
			return fmt.Errorf("%w: visit %d: demand %d out of range", ErrInvalid, i, v.Demand)
		case v.Penalty <= 0 || v.Penalty > maxValue:
			return fmt.Errorf("%w: visit %d: penalty %d must be in [1, 2^52]", ErrInvalid, i, v.Penalty)
		}
		for j, k := range v.Allowed {
			if k < 0 || k >= len(in.Vehicles) {
				return fmt.Errorf("%w: visit %d: allowed[%d] = vehicle %d out of range", ErrInvalid, i, j, k)
			}
			if j > 0 && k <= v.Allowed[j-1] {
				return fmt.Errorf("%w: visit %d: allowed[%d] = %d: list must be strictly increasing", ErrInvalid, i, j, k)
			}
		}
		bound += float64(v.Penalty)
		if err := in.validateSoft(i, owners); err != nil {
			return err
		}
		if v.LateCost > 0 {
			bound += float64(v.LateCost) * float64(max(v.Latest-v.Target, 0))
		}
		bound += float64(w.Continuity + w.Preferred)
	}
	if err := in.validateTally(); err != nil {
		return err
	}
	if err := in.validateLinks(); err != nil {
		return err
	}
	arcs := float64(len(in.Visits) + 2*len(in.Vehicles))
	bound += float64(w.Distance)*maxDist*arcs + float64(w.TravelTime)*maxDur*arcs +
		float64(w.Duration)*(maxEnd+maxDur*arcs)*float64(len(in.Vehicles)) + spanBound(spanSlope, maxEnd+maxDur*arcs)
	if bound > float64(int64(1)<<61) {
		return fmt.Errorf("%w: the objective could overflow int64 (bound %.3g): scale down weights, costs or penalties", ErrInvalid, bound)
	}
	return nil
}

// prepared holds read-only data derived from an Instance, shared by all threads.
type prepared struct {
	in      *Instance
	n       int       // number of locations
	vseg    []seg     // single-visit segments
	allowed [][]bool  // per visit: nil = all vehicles, else indexed by vehicle
	class   []int     // per vehicle: equivalence class (interchangeable vehicles)
	adj     [][]int32 // per visit: other visits by increasing proximity
	depot   int       // a representative depot location (vehicle 0's start)
	fleet   bool      // some vehicle has a fixed cost: run route elimination
	// restricted: some visit has an eligibility list.
	restricted bool
	// linked: the instance has links. group[v] is v's link group (-1 =
	// none); groups lists each group's members in insertion order;
	// vlinks[v] the indices of the links that name v.
	linked bool
	group  []int32
	groups [][]int
	vlinks [][]int
	// stay[v]: v has a worker relation that time alone does not keep, so
	// moves never take it to another route (nil when no visit has).
	stay []bool
	// late: some visit has a LateCost (routes are costed by sched).
	late bool
	// brk: some vehicle has a break rule; slow: late or brk (routes are
	// costed by plan, O(route length) where a rule or lateness needs it).
	brk, slow bool
	// spans: some vehicle has a span cost (Vehicle.SpanCost).
	spans bool
	// tally: the objective has a continuity or preferred-worker term
	// (solutions keep a tally). person[v] is Instance.Person (nil without
	// a continuity term), slotOff[x] the first of person x's count slots,
	// reward[v] v's reward group or -1 (nil without a preferred term).
	tally   bool
	person  []int32
	slotOff []int32
	reward  []int32
}

func prepare(in *Instance) *prepared {
	p := prepareLite(in)
	p.proximity()
	return p
}

// prepareLite is prepare without the proximity lists (enough for insertion).
func prepareLite(in *Instance) *prepared { return prepareBase(in, true) }

// prepareBase is prepareLite, with the vehicle classes only when classes
// is set (without, p.class is nil: enough to cost and adopt routes).
func prepareBase(in *Instance, classes bool) *prepared {
	p := &prepared{in: in, n: in.Profiles[0].N}
	nv := len(in.Visits)
	p.vseg = make([]seg, nv)
	p.allowed = make([][]bool, nv)
	for i, v := range in.Visits {
		p.vseg[i] = seg{dur: v.Service, early: v.Earliest, late: v.Latest, load: v.Demand}
		if v.Allowed != nil {
			p.restricted = true
			a := make([]bool, len(in.Vehicles))
			for _, k := range v.Allowed {
				a[k] = true
			}
			p.allowed[i] = a
		}
	}
	// Vehicle classes: same attributes and same eligibility for every visit.
	// The key holds the vehicle's scalar fields; its break windows (a
	// slice is not comparable) are spelled into sig.
	type scalars struct {
		profile, startLoc, endLoc                                    int
		start, end, capacity, maxDur, fixed, breakAfter, breakLength int64
	}
	type key struct {
		v   scalars
		sig string
	}
	byKey := map[key]int{}
	if classes {
		p.class = make([]int, len(in.Vehicles))
	}
	for k, veh := range in.Vehicles {
		p.spans = p.spans || len(veh.SpanCost) > 0
		p.fleet = p.fleet || veh.FixedCost > 0
		if !classes {
			continue
		}
		sig := make([]byte, 0, 8)
		for i := range in.Visits {
			if p.allowed[i] != nil && !p.allowed[i][k] {
				sig = append(strconv.AppendInt(sig, int64(i), 10), ',') // as fmt's "%d,", without its cost (n² calls)
			}
		}
		for _, w := range veh.BreakWindows {
			sig = fmt.Appendf(sig, "b%d:%d:%d,", w.Earliest, w.Latest, w.Length)
		}
		for _, sp := range veh.SpanCost {
			sig = fmt.Appendf(sig, "s%d:%d,", sp.From, sp.PerUnit)
		}
		kk := key{scalars{veh.Profile, veh.StartLoc, veh.EndLoc, veh.Start, veh.End, veh.Capacity,
			veh.MaxDuration, veh.FixedCost, veh.BreakAfter, veh.BreakLength}, string(sig)}
		c, ok := byKey[kk]
		if !ok {
			c = len(byKey)
			byKey[kk] = c
		}
		p.class[k] = c
	}
	if len(in.Vehicles) > 0 {
		p.depot = in.Vehicles[0].StartLoc
	}
	p.prepareLinks()
	p.prepareSoft()
	p.prepareBreaks()
	return p
}

// canMove reports whether a move may take served visit v to vehicle k:
// k may serve it and, when v must stay in its route, k is its vehicle.
func (p *prepared) canMove(s *solution, v, k int) bool {
	return p.canServe(v, k) && (p.stay == nil || !p.stay[v] || s.routes[s.where[v]].veh == k)
}

// canServe reports whether vehicle k may serve visit v.
func (p *prepared) canServe(v, k int) bool {
	a := p.allowed[v]
	return a == nil || a[k]
}
