package routing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/internal/search"
	"github.com/carecoord/care/schedule"
)

// Scales of the translation into the engine's integers (see Solve).
const (
	// engineTime is the engine's unit of time: one millisecond, counted from Problem.Start.
	engineTime = time.Millisecond
	// defaultCostScale is the number of engine cost units per unit of objective:
	// a weight of 1 per minute becomes 1000 per millisecond.
	defaultCostScale = 6e7
	// maxEngineItem bounds one penalty or fixed cost, and maxEngineSum their
	// total, well inside the engine's int64 arithmetic.
	maxEngineItem = float64(int64(1) << 50)
	maxEngineSum  = float64(int64(1) << 59)
)

// translation is a Problem turned into the engine's instance, with the maps
// back to the problem's records.
type translation struct {
	p  *schedule.Problem
	pl *Places
	m  *Matrix
	in search.Instance
	// visit[i] is the index in p.Visits of engine visit i; engineVisit is the reverse (-1 = not planned).
	visit       []int
	engineVisit []int
	// seat2[v] is the engine visit of the second seat of double-handed
	// p.Visits[v] (-1 for others); engineVisit[v] is then the first seat.
	seat2 []int
	// window[v] is the index of the window planned for p.Visits[v] (-1 when not planned).
	window []int
	// sol is the engine's solution being turned into a rota (its windows
	// time the routes).
	sol *search.Solution
	// fits caches search.GroupsFit for sol (nil until needed).
	fits []bool
	// narrowed caches the engine visits with sol's windows (nil until
	// needed); narrowedBase the same of the visits before the working-time
	// cuts (orig).
	narrowed, narrowedBase []search.Visit
	// shift[k] is the index in p.Shifts of engine vehicle k.
	shift []int
	// rules[k] are the working-time rules of vehicle k's worker:
	// Problem.Rules, made stricter for a young worker (ForYoungWorker), as
	// Evaluate reads them.
	rules []schedule.WorkingTimeRules
	// early holds the visits left out before the search, with their reasons.
	early     map[int]schedule.Unassigned
	distScale float64 // engine distance units per matrix distance unit
	costScale float64 // engine cost units per objective unit
	// The working-time cuts (solve_law.go); nil until lawInit. startAt and
	// endAt are each vehicle's real bounds (its shift's, or cut), closed
	// marks vehicles taken out, ownerVeh lists each owner's vehicles by
	// start, loc is the problem's time zone and orig the engine's vehicles
	// and visits before any cut (nil until the first).
	startAt, endAt []time.Time
	closed         []bool
	ownerVeh       map[int][]int
	loc            *time.Location
	orig           *search.Instance
	// workerRec indexes p.Workers by ID (built by translate; the span
	// terms read it, solve_fair.go).
	workerRec map[care.WorkerID]*care.Worker
}

// startOf and endOf return the real start and end of vehicle k: its
// shift's, or the working-time cuts' (solve_law.go).
func (t *translation) startOf(k int) time.Time {
	if t.startAt != nil {
		return t.startAt[k]
	}
	return t.p.Shifts[t.shift[k]].Start
}

func (t *translation) endOf(k int) time.Time {
	if t.endAt != nil {
		return t.endAt[k]
	}
	return t.p.Shifts[t.shift[k]].End
}

// ceilUnits and floorUnits convert a span from the origin to engine units.
func ceilUnits(d time.Duration) int64 {
	q := d / engineTime
	if d%engineTime > 0 {
		q++
	}
	return int64(q)
}

func floorUnits(d time.Duration) int64 {
	q := d / engineTime
	if d%engineTime < 0 {
		q--
	}
	return int64(q)
}

// translate builds the engine instance. p must be valid; pl and m come from
// ProblemMatrix.
func translate(p *schedule.Problem, pl *Places, m *Matrix) (*translation, error) {
	t := &translation{p: p, pl: pl, m: m, early: map[int]schedule.Unassigned{},
		window: make([]int, len(p.Visits)), engineVisit: make([]int, len(p.Visits)), seat2: make([]int, len(p.Visits))}
	switch {
	case p.Travel.Model == schedule.Euclidean && p.Travel.Rounding == schedule.Trunc1:
		t.distScale = 10
	case p.Travel.Model == schedule.Euclidean:
		t.distScale = 1e6
	default:
		t.distScale = 1000 // millimetres
	}
	// Profiles: one per travel mode, in Places.Modes order.
	n := m.N()
	for _, mode := range pl.Modes {
		secs, dist, ok := m.Table(mode)
		if !ok {
			return nil, fmt.Errorf("travel mode %q: %w", mode, ErrNoTable)
		}
		pr := search.Profile{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}
		for x := range secs {
			pr.Duration[x] = ceilUnits(TravelDuration(secs[x]))
			pr.Distance[x] = int64(math.Round(dist[x] * t.distScale))
		}
		t.in.Profiles = append(t.in.Profiles, pr)
	}
	if len(t.in.Profiles) == 0 {
		t.in.Profiles = []search.Profile{{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}}
	}
	leave := map[care.WorkerID][]schedule.Leave{}
	for _, l := range p.Leave {
		leave[l.Worker] = append(leave[l.Worker], l)
	}
	workers := map[care.WorkerID]*care.Worker{}
	for i := range p.Workers {
		workers[p.Workers[i].ID] = &p.Workers[i]
	}
	t.workerRec = workers
	users := map[care.ServiceUserID]*care.ServiceUser{}
	for i := range p.ServiceUsers {
		users[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	// The longest shift, hard unless Rules lists it as soft; a young worker
	// gets the stricter young-worker limit (REFERENCE §5.1), as Evaluate reads it.
	maxShiftOf := func(rules schedule.WorkingTimeRules) int64 {
		if mx := rules.MaxShift.Std(); mx > 0 && !slices.Contains(rules.Soft, "max_shift") {
			return max(floorUnits(mx), 1)
		}
		return 0
	}
	// Vehicles: every shift.
	for s := range p.Shifts {
		sh := &p.Shifts[s]
		startLoc, endLoc := pl.ShiftStart[s], pl.ShiftEnd[s]
		if startLoc < 0 || endLoc < 0 {
			return nil, fmt.Errorf("shift %q: %w", sh.ID, schedule.ErrNoPlace)
		}
		rules := p.Rules
		if w := workers[sh.Worker]; w != nil && w.YoungWorker {
			rules = rules.ForYoungWorker()
		}
		t.shift = append(t.shift, s)
		t.rules = append(t.rules, rules)
		veh := search.Vehicle{
			Profile: pl.ShiftMode[s], StartLoc: startLoc, EndLoc: endLoc,
			Start: ceilUnits(sh.Start.Sub(p.Start)), End: floorUnits(sh.End.Sub(p.Start)),
			Capacity: sh.Capacity, MaxDuration: maxShiftOf(rules),
		}
		t.breakRule(&veh, sh, rules)
		t.in.Vehicles = append(t.in.Vehicles, veh)
	}
	// Owners: vehicles of one worker (their shifts never overlap, as
	// Problem.Validate checks), so that the two seats of a double-handed
	// visit go to two workers.
	owner := map[care.WorkerID]int{}
	for _, s := range t.shift {
		w := p.Shifts[s].Worker
		if _, ok := owner[w]; !ok {
			owner[w] = len(owner)
		}
		t.in.Owner = append(t.in.Owner, owner[w])
	}
	// userIndex numbers the people with planned visits, densely.
	userIndex := map[care.ServiceUserID]int{}
	if p.Weights.Continuity > 0 {
		t.in.Person = []int{}
	}
	if p.Weights.Preferred > 0 {
		t.in.Reward = []int{}
	}
	// Visits: eligibility decides the allowed vehicles and the window.
	for v := range p.Visits {
		vis := &p.Visits[v]
		t.engineVisit[v], t.window[v], t.seat2[v] = -1, -1, -1
		seats := vis.CarersNeeded()
		if seats > 2 {
			t.early[v] = schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoPartner,
				Detail: fmt.Sprintf("needs %d carers; at most two are planned", seats)}
			continue
		}
		// seatVisit(j) is vis as seat j sees it: the visit's skills plus the seat's.
		seatVisit := func(j int) *schedule.Visit {
			if seats < 2 || j >= len(vis.SeatSkills) || len(vis.SeatSkills[j]) == 0 {
				return vis
			}
			c := *vis
			c.Skills = append(slices.Clone(vis.Skills), vis.SeatSkills[j]...)
			return &c
		}
		var allowed [2][]int
		someWorker, partner := false, false
		win := -1
		for wi, w := range vis.Windows {
			latestEnd := w.Latest.Add(vis.Duration.Std())
			var here [2][]int
			who := map[care.WorkerID]bool{}
			for j := range seats {
				sv := seatVisit(j)
				for k, s := range t.shift {
					sh := &p.Shifts[s]
					wk := workers[sh.Worker]
					if !eligible(sv, wk, users[vis.ServiceUser], w, latestEnd) {
						continue
					}
					someWorker = true
					if sh.Start.After(w.Latest) || sh.End.Before(w.Earliest.Add(vis.SeatDuration(j).Std())) || onLeave(leave[sh.Worker], w.Earliest, latestEnd) {
						continue
					}
					here[j] = append(here[j], k)
					who[sh.Worker] = true
				}
			}
			if len(here[0]) > 0 && (seats == 1 || len(here[1]) > 0 && len(who) >= 2) {
				allowed, win = here, wi
				break
			}
			partner = partner || len(here[0]) > 0 && (seats == 1 || len(here[1]) > 0)
		}
		if win < 0 && partner {
			t.early[v] = schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoPartner,
				Detail: "only one eligible worker has a shift that covers a window"}
			continue
		}
		if win < 0 {
			// Eligibility is judged over workers, not shifts: a worker who
			// may serve the visit but has no shift makes it no_shift.
			for i := 0; !someWorker && i < len(p.Workers); i++ {
				for _, w := range vis.Windows {
					someWorker = someWorker || eligible(vis, &p.Workers[i], users[vis.ServiceUser], w, w.Latest.Add(vis.Duration.Std()))
				}
			}
			u := schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoShift, Detail: "no eligible worker has a shift that covers a window"}
			if !someWorker {
				u = schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoEligibleWorker, Detail: "no worker holds the skills and is neither excluded nor pinned elsewhere"}
			}
			t.early[v] = u
			continue
		}
		w := vis.Windows[win]
		t.window[v] = win
		// Continuity counts the person; the preferred reward is earned once
		// per visit (its seats share a group) when a preferred worker
		// (the visit's or the person's) serves it, as Evaluate counts them.
		person, ok := userIndex[vis.ServiceUser]
		if !ok {
			person = len(userIndex)
			userIndex[vis.ServiceUser] = person
		}
		var preferred []int
		if p.Weights.Preferred > 0 {
			names := slices.Clone(vis.Preferred)
			if u := users[vis.ServiceUser]; u != nil {
				names = append(names, u.Preferences.PreferredWorkers...)
			}
			for _, id := range names {
				if o, ok := owner[id]; ok {
					preferred = append(preferred, o)
				}
			}
			slices.Sort(preferred)
			preferred = slices.Compact(preferred)
		}
		group := len(t.visit)
		for j := range seats {
			ev := search.Visit{
				Loc: pl.Visit[v], Service: ceilUnits(vis.SeatDuration(j).Std()), // seat j's own duration (SeatDurations)
				Earliest: ceilUnits(w.Earliest.Sub(p.Start)), Latest: floorUnits(w.Latest.Sub(p.Start)),
				Demand: vis.Load,
			}
			if ev.Latest < ev.Earliest {
				ev.Latest = ev.Earliest // a window narrower than a millisecond
			}
			if len(allowed[j]) < len(t.shift) {
				ev.Allowed = allowed[j]
			}
			ev.Preferred = preferred
			if t.in.Person != nil {
				t.in.Person = append(t.in.Person, person)
			}
			if t.in.Reward != nil {
				t.in.Reward = append(t.in.Reward, group)
			}
			if j == 0 {
				t.engineVisit[v] = len(t.visit)
			} else {
				t.seat2[v] = len(t.visit)
			}
			t.visit = append(t.visit, v)
			t.in.Visits = append(t.in.Visits, ev)
		}
	}
	t.link()
	return t, t.weigh()
}

// link adds the engine links: the seats of each double-handed visit start
// at the same moment (the rota books one start for both workers, so the
// optimiser does not use Problem.TogetherTolerance yet; starting together
// meets any tolerance), and each dependency "B starts MinGap..MaxGap after
// A ends" (each seat of A ending after its own duration) or, with From
// "start", "after A starts" links every seat of A to every seat of B, with
// the worker relation (same: the first seats; different: every pair). A visit that
// depends on one not planned is left out as dependency_unmet, and so in
// turn are the visits that depend on it.
func (t *translation) link() {
	p := t.p
	index := make(map[schedule.VisitID]int, len(p.Visits))
	for v := range p.Visits {
		index[p.Visits[v].ID] = v
	}
	// Leave out, until nothing changes, visits whose dependencies cannot be kept.
	for changed := true; changed; {
		changed = false
		for v := range p.Visits {
			if t.engineVisit[v] < 0 {
				continue
			}
			for _, d := range p.Visits[v].Dependencies {
				a, ok := index[d.Visit]
				why := ""
				if !ok || t.engineVisit[a] < 0 {
					why = fmt.Sprintf("depends on visit %q, which cannot be planned", d.Visit)
				}
				if why != "" {
					t.drop(v, schedule.Unassigned{Visit: p.Visits[v].ID, Reason: schedule.DependencyUnmet, Detail: why})
					changed = true
					break
				}
			}
		}
	}
	seatsOf := func(v int) []int {
		if t.seat2[v] >= 0 {
			return []int{t.engineVisit[v], t.seat2[v]}
		}
		return []int{t.engineVisit[v]}
	}
	for v := range p.Visits {
		vis := &p.Visits[v]
		if t.engineVisit[v] < 0 {
			continue
		}
		if t.seat2[v] >= 0 {
			t.in.Links = append(t.in.Links, search.Link{A: t.engineVisit[v], B: t.seat2[v], Worker: search.DifferentWorker})
		}
		for _, d := range vis.Dependencies {
			a := index[d.Visit]
			// Same worker: one worker serves both (the first seats); different:
			// no worker serves both (every pair of seats).
			for i, ea := range seatsOf(a) {
				// Gaps from A's start, or from the end of A's seat i (its own duration).
				var end time.Duration
				if !d.StartToStart() {
					end = p.Visits[a].SeatDuration(i).Std()
				}
				lo := ceilUnits(end + d.MinGap.Std())
				hi := int64(1) << 52
				if d.MaxGap > 0 {
					hi = floorUnits(end + d.MaxGap.Std())
				}
				for j, eb := range seatsOf(v) {
					l := search.Link{A: ea, B: eb, MinGap: lo, MaxGap: hi}
					switch {
					case d.Worker == schedule.DifferentWorker:
						l.Worker = search.DifferentWorker
					case d.Worker == schedule.SameWorker && i == 0 && j == 0:
						l.Worker = search.SameWorker
					}
					t.in.Links = append(t.in.Links, l)
				}
			}
		}
	}
}

// drop takes p.Visits[v] out of the engine instance before the search (its
// engine visits stay, unlinked and eligible for no vehicle, and are ignored
// when the rota is built) and records why.
func (t *translation) drop(v int, u schedule.Unassigned) {
	for _, ev := range []int{t.engineVisit[v], t.seat2[v]} {
		if ev >= 0 {
			t.in.Visits[ev].Allowed = []int{}
		}
	}
	t.engineVisit[v], t.seat2[v] = -1, -1
	t.early[v] = u
}

// eligible reports whether worker w may serve vis in window win: skills valid
// from the window's earliest start to its latest end, not excluded by the
// visit or the person, pinned to the visit when it has pins, and of the
// role the visit needs (roleFor).
func eligible(vis *schedule.Visit, w *care.Worker, u *care.ServiceUser, win schedule.Window, latestEnd time.Time) bool {
	if w == nil || slices.Contains(vis.Excluded, w.ID) {
		return false
	}
	if u != nil && slices.Contains(u.Preferences.ExcludedWorkers, w.ID) {
		return false
	}
	if len(vis.Pinned) > 0 && !slices.Contains(vis.Pinned, w.ID) {
		return false
	}
	if need := roleFor(vis); need != "" && w.Role != need {
		return false // nursing, chiropody, befriending: only by that role (as Evaluate reads it)
	}
	for _, s := range vis.Skills {
		if !w.HasSkill(s, win.Earliest) || !w.HasSkill(s, latestEnd) {
			return false
		}
	}
	return true
}

// onLeave reports whether any leave overlaps [from, to).
func onLeave(ls []schedule.Leave, from, to time.Time) bool {
	for _, l := range ls {
		if from.Before(l.To) && l.From.Before(to) {
			return true
		}
	}
	return false
}

// weigh sets the engine's weights, penalties and fixed costs from
// Problem.Weights, choosing the cost scale so that every quantity fits.
func (t *translation) weigh() error {
	w := t.p.Weights
	var biggest, sum float64
	for _, v := range t.visit {
		c := w.Unassigned * float64(1+t.p.Visits[v].Priority)
		biggest, sum = max(biggest, c), sum+c
	}
	for _, s := range t.shift {
		c := w.Shift + t.p.Shifts[s].Cost
		biggest, sum = max(biggest, c), sum+c
	}
	// The soft terms: the most lateness each visit can cost, and
	// continuity and preferred workers per visit.
	for i := range t.visit {
		if c, late := t.lateness(i); c > 0 {
			sum += c * late.Minutes()
		}
		sum += w.Continuity + w.Preferred
	}
	t.costScale = defaultCostScale
	if biggest > 0 {
		t.costScale = min(t.costScale, maxEngineItem/biggest)
	}
	if sum > 0 {
		t.costScale = min(t.costScale, maxEngineSum/sum)
	}
	perMinute := t.costScale / float64(time.Minute/engineTime)
	distUnit := 1.0
	if t.p.Travel.Model != schedule.Euclidean {
		distUnit = 1000 // weights are per km, distances in metres
	}
	scaled := func(x float64) int64 {
		if x <= 0 {
			return 0
		}
		return max(int64(math.Round(x)), 1)
	}
	t.in.Weights = search.Weights{
		Distance:   scaled(w.Distance * t.costScale / (distUnit * t.distScale)),
		TravelTime: scaled(w.TravelTime * perMinute),
		Duration:   scaled(w.WorkingTime * perMinute),
		Continuity: scaled(w.Continuity * t.costScale),
		Preferred:  scaled(w.Preferred * t.costScale),
	}
	for i := range t.in.Visits {
		c, _ := t.lateness(i)
		if c <= 0 {
			continue
		}
		v := t.visit[i]
		win := t.p.Visits[v].Windows[t.window[v]]
		ev := &t.in.Visits[i]
		ev.Target = min(max(floorUnits(win.Target.Sub(t.p.Start)), ev.Earliest), ev.Latest)
		ev.LateCost = scaled(c * perMinute)
	}
	for i, v := range t.visit {
		// The engine needs a positive penalty: a visit whose unassigned cost is
		// zero or less (priority -1 or lower) costs one unit to leave out.
		// The seats of a double-handed visit share its penalty.
		seats := float64(t.p.Visits[v].CarersNeeded())
		t.in.Visits[i].Penalty = max(scaled(w.Unassigned*float64(1+t.p.Visits[v].Priority)*t.costScale/seats), 1)
	}
	for k, s := range t.shift {
		t.in.Vehicles[k].FixedCost = scaled((w.Shift + t.p.Shifts[s].Cost) * t.costScale)
	}
	if err := t.in.Validate(); err != nil {
		return fmt.Errorf("problem %q: too large for the search's integer arithmetic: %w", t.p.Name, err)
	}
	return nil
}

// lateness returns, for engine visit i, the cost per minute of starting
// after its planned window's Target (Weights.Lateness plus the window's
// PenaltyPerMinute, as Evaluate costs it) and the most it can be late (to
// the window's Latest, the hard cap), or 0 when it cannot be late at a
// cost: no Target, a Target at Latest (a time-critical visit), or no cost.
func (t *translation) lateness(i int) (float64, time.Duration) {
	v := t.visit[i]
	if t.window[v] < 0 {
		return 0, 0
	}
	win := t.p.Visits[v].Windows[t.window[v]]
	c := t.p.Weights.Lateness + win.PenaltyPerMinute
	if win.Target == nil || c <= 0 || !win.Target.Before(win.Latest) {
		return 0, 0
	}
	return c, win.Latest.Sub(*win.Target)
}

// lateDelta returns how much later than the just-in-time departure depart
// route k (engine visits eroute, timed earliest in stops with the break
// br, returning at ret) should leave when some of its visits cost lateness after a Target:
// the departure that minimises working time plus lateness cost, as the
// engine costs the route (search's sched, with the engine's integer
// weights as relative weights), within the windows, the shift end and the
// maximum shift. ok is false when no visit of the route costs lateness.
//
// With departure D every visit starts at max(its earliest start, D + F),
// F being the travel and service before it without waiting, so the cost
// is convex in D; it is least at the first D from which the lateness costs
// of the visits that have become late outweigh the working time saved.
func (t *translation) lateDelta(k int, eroute []int, stops []stop, br *plannedBreak, depart, ret time.Time) (time.Duration, bool) {
	// Breakpoints in nanoseconds after depart (search.BestDeparture).
	var items []search.LateItem
	var f time.Duration // travel and service before the current stop, without waiting
	dmax := time.Time{}
	for i, st := range stops {
		f += st.travel
		if br.before == i {
			// The break, at the visit's place before it (never the first stop).
			if d := br.latest.Add(-f); d.Before(dmax) {
				dmax = d
			}
			f += br.length
		}
		_, latest := t.span(eroute[i])
		if d := latest.Add(-f); i == 0 || d.Before(dmax) {
			dmax = d
		}
		if ev := t.in.Visits[eroute[i]]; ev.LateCost > 0 {
			win := t.p.Visits[st.v].Windows[t.window[st.v]]
			l0 := max(st.start.Sub(*win.Target), 0)
			items = append(items, search.LateItem{B: int64(win.Target.Add(l0 - f).Sub(depart)), C: ev.LateCost})
		}
		f += t.duration(eroute[i]) // the seat's own time (SeatDurations)
	}
	if len(items) == 0 {
		return 0, false
	}
	s := t.shift[k]
	mode := t.pl.Modes[t.pl.ShiftMode[s]]
	secs, _, _ := t.m.Table(mode)
	f += TravelDuration(secs[t.pl.Visit[stops[len(stops)-1].v]*t.m.N()+t.pl.ShiftEnd[s]])
	if d := t.endOf(k).Add(-f); d.Before(dmax) {
		dmax = d
	}
	hi := ret.Add(-f) // no wait left to absorb beyond it
	if dmax.Before(hi) {
		hi = dmax
	}
	lo := depart
	if mx := t.in.Vehicles[k].MaxDuration; mx > 0 {
		if l := ret.Add(-time.Duration(mx) * engineTime); l.After(lo) {
			lo = l
		}
	}
	if hi.Before(lo) {
		hi = lo
	}
	return time.Duration(search.BestDeparture(int64(lo.Sub(depart)), int64(hi.Sub(depart)), t.in.Weights.Duration, items)), true
}

// stop is one visit of a route in real time.
type stop struct {
	v        int // index in p.Visits
	arrival  time.Time
	start    time.Time
	travel   time.Duration
	distance float64
}

// span returns the window in which engine visit ev may start: the planned
// window of its visit, or the narrower one the search set to keep a link
// (t.sol.Windows).
func (t *translation) span(ev int) (earliest, latest time.Time) {
	v := t.visit[ev]
	w := t.p.Visits[v].Windows[t.window[v]]
	if t.sol != nil && ev < len(t.sol.Windows) {
		if sw, iv := t.sol.Windows[ev], t.in.Visits[ev]; sw.Earliest != iv.Earliest || sw.Latest != iv.Latest {
			return t.p.Start.Add(time.Duration(sw.Earliest) * engineTime), t.p.Start.Add(time.Duration(sw.Latest) * engineTime)
		}
	}
	return w.Earliest, w.Latest
}

// duration returns the time of service of engine visit ev: its visit's
// Duration, or its seat's (schedule.Visit.SeatDurations).
func (t *translation) duration(ev int) time.Duration {
	v := t.visit[ev]
	seat := 0
	if ev == t.seat2[v] {
		seat = 1
	}
	return t.p.Visits[v].SeatDuration(seat).Std()
}

// plannedBreak is a route's rest break in real time: taken at the place
// of stop before (-1: none), before that visit starts, starting at start
// (within earliest..latest) for length.
type plannedBreak struct {
	before           int
	earliest, latest time.Time
	length           time.Duration
	start            time.Time
}

// breakRule sets vehicle veh's rest-break rule for shift sh from its
// worker's rules (t.rules: REFERENCE §5 "In-work break": 20 minutes past 6
// hours, 30 past 4.5 for a young worker) and the shift's break windows. A rule Rules.Soft lists
// ("break_after", "break_length") is enforced all the same: the engine
// does not trade a break for objective, so a rota Solve returns takes
// every break the rule asks for.
func (t *translation) breakRule(veh *search.Vehicle, sh *schedule.Shift, rules schedule.WorkingTimeRules) {
	after, length := rules.BreakAfter.Std(), rules.BreakLength.Std()
	if after <= 0 || length <= 0 {
		return
	}
	veh.BreakAfter = max(floorUnits(after), 1) // a break is owed past after: never later than Evaluate asks
	veh.BreakLength = ceilUnits(length)
	for _, b := range sh.Breaks {
		e := max(ceilUnits(b.Earliest.Sub(t.p.Start)), 0)
		l := floorUnits(b.Latest.Sub(t.p.Start))
		if l < e {
			e, l = veh.End+1, veh.End+1 // no whole millisecond inside: a window no route can use
		}
		veh.BreakWindows = append(veh.BreakWindows, search.BreakWindow{Earliest: e, Latest: l, Length: ceilUnits(b.Length.Std())})
	}
}

// breakOf returns the break the engine planned for route k, with its real
// start window and length (search.Solution.Breaks; before is -1 when the
// route takes none).
func (t *translation) breakOf(k int) plannedBreak {
	if t.sol == nil || k >= len(t.sol.Breaks) || t.sol.Breaks[k].Before < 0 {
		return plannedBreak{before: -1}
	}
	b := t.sol.Breaks[k]
	sh := &t.p.Shifts[t.shift[k]]
	pb := plannedBreak{before: b.Before, earliest: sh.Start, latest: sh.End, length: t.rules[k].BreakLength.Std()}
	if b.Window >= 0 {
		win := sh.Breaks[b.Window]
		pb.earliest, pb.latest, pb.length = win.Earliest, win.Latest, max(pb.length, win.Length.Std())
	}
	return pb
}

// timeRoute computes the real times of engine route k (engine visits
// eroute) with the rest break the engine planned for it (breakOf): the
// worker leaves as late as possible without returning later (waits
// absorbed, windows respected, the break's window too), so the working
// time is the least the order allows, or, when some visit costs lateness,
// at the engine's best departure (lateDelta). It returns the departure,
// the stops (v: index in p.Visits), the return, the last leg and the
// break (before -1: none).
func (t *translation) timeRoute(k int, eroute []int) (depart time.Time, stops []stop, ret time.Time, lastTravel time.Duration, lastDist float64, br plannedBreak) {
	route := make([]int, len(eroute))
	for i, ev := range eroute {
		route[i] = t.visit[ev]
	}
	br = t.breakOf(k)
	s := t.shift[k]
	mode := t.pl.Modes[t.pl.ShiftMode[s]]
	secs, dist, _ := t.m.Table(mode)
	n := t.m.N()
	pass := func(d time.Time, firstStart time.Time) {
		stops = stops[:0]
		clock, at := d, t.pl.ShiftStart[s]
		for i, v := range route {
			loc := t.pl.Visit[v]
			tt := TravelDuration(secs[at*n+loc])
			st := stop{v: v, travel: tt, distance: dist[at*n+loc], arrival: clock.Add(tt)}
			st.start = st.arrival
			if i == br.before {
				// The break at the visit's place, from arrival (or its window's opening).
				br.start = st.arrival
				if br.earliest.After(br.start) {
					br.start = br.earliest
				}
				st.start = br.start.Add(br.length)
			}
			if e, _ := t.span(eroute[i]); e.After(st.start) {
				st.start = e
			}
			if i == 0 && firstStart.After(st.start) {
				st.start = firstStart
			}
			stops = append(stops, st)
			clock, at = st.start.Add(t.duration(eroute[i])), loc
		}
		lastTravel = TravelDuration(secs[at*n+t.pl.ShiftEnd[s]])
		lastDist = dist[at*n+t.pl.ShiftEnd[s]]
		ret = clock.Add(lastTravel)
	}
	depart = t.startOf(k) // the shift's start, or the working-time cut's
	pass(depart, time.Time{})
	if len(stops) == 0 {
		return depart, nil, depart, 0, 0, br
	}
	// Absorb the first wait, then push later by the forward slack (bounded
	// by the later waits, the break's included, and by the latest starts,
	// the break's included).
	depart = stops[0].start.Add(-stops[0].travel)
	var cum time.Duration
	delta := time.Duration(math.MaxInt64)
	for i, st := range stops {
		ready := st.arrival
		if i == br.before {
			cum += br.start.Sub(st.arrival)
			delta = min(delta, cum+br.latest.Sub(br.start))
			ready = br.start.Add(br.length)
		}
		if i > 0 {
			cum += st.start.Sub(ready)
		}
		_, latest := t.span(eroute[i])
		delta = min(delta, cum+latest.Sub(st.start))
	}
	delta = min(delta, cum)
	if d, ok := t.lateDelta(k, eroute, stops, &br, depart, ret); ok {
		delta = d // lateness after a Target: the engine's best departure
	}
	if delta > 0 {
		first := stops[0].start.Add(delta)
		depart = depart.Add(delta)
		pass(depart, first)
	} else {
		stops[0].arrival = stops[0].start
	}
	return depart, stops, ret, lastTravel, lastDist, br
}
