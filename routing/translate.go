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
	// window[v] is the index of the window planned for p.Visits[v] (-1 when not planned).
	window []int
	// shift[k] is the index in p.Shifts of engine vehicle k.
	shift []int
	// early holds the visits left out before the search, with their reasons.
	early     map[int]schedule.Unassigned
	distScale float64 // engine distance units per matrix distance unit
	costScale float64 // engine cost units per objective unit
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
		window: make([]int, len(p.Visits)), engineVisit: make([]int, len(p.Visits))}
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
	users := map[care.ServiceUserID]*care.ServiceUser{}
	for i := range p.ServiceUsers {
		users[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	maxShift := int64(0)
	if mx := p.Rules.MaxShift.Std(); mx > 0 && !slices.Contains(p.Rules.Soft, "max_shift") {
		maxShift = max(floorUnits(mx), 1)
	}
	// Vehicles: every shift.
	for s := range p.Shifts {
		sh := &p.Shifts[s]
		startLoc, endLoc := pl.ShiftStart[s], pl.ShiftEnd[s]
		if startLoc < 0 || endLoc < 0 {
			return nil, fmt.Errorf("shift %q: %w", sh.ID, schedule.ErrNoPlace)
		}
		t.shift = append(t.shift, s)
		t.in.Vehicles = append(t.in.Vehicles, search.Vehicle{
			Profile: pl.ShiftMode[s], StartLoc: startLoc, EndLoc: endLoc,
			Start: ceilUnits(sh.Start.Sub(p.Start)), End: floorUnits(sh.End.Sub(p.Start)),
			Capacity: sh.Capacity, MaxDuration: maxShift,
		})
	}
	// Visits: eligibility decides the allowed vehicles and the window.
	for v := range p.Visits {
		vis := &p.Visits[v]
		t.engineVisit[v], t.window[v] = -1, -1
		if vis.CarersNeeded() > 1 {
			t.early[v] = schedule.Unassigned{Visit: vis.ID, Reason: schedule.NoPartner,
				Detail: "double-handed visits are not planned yet (part 1 plans one carer per visit)"}
			continue
		}
		var allowed []int
		someWorker := false
		win := -1
		for wi, w := range vis.Windows {
			latestEnd := w.Latest.Add(vis.Duration.Std())
			var here []int
			for k, s := range t.shift {
				sh := &p.Shifts[s]
				wk := workers[sh.Worker]
				if !eligible(vis, wk, users[vis.ServiceUser], w, latestEnd) {
					continue
				}
				someWorker = true
				if sh.Start.After(w.Latest) || sh.End.Before(w.Earliest.Add(vis.Duration.Std())) || onLeave(leave[sh.Worker], w.Earliest, latestEnd) {
					continue
				}
				here = append(here, k)
			}
			if len(here) > 0 {
				allowed, win = here, wi
				break
			}
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
		ev := search.Visit{
			Loc: pl.Visit[v], Service: ceilUnits(vis.Duration.Std()),
			Earliest: ceilUnits(w.Earliest.Sub(p.Start)), Latest: floorUnits(w.Latest.Sub(p.Start)),
			Demand: vis.Load,
		}
		if ev.Latest < ev.Earliest {
			ev.Latest = ev.Earliest // a window narrower than a millisecond
		}
		if len(allowed) < len(t.shift) {
			ev.Allowed = allowed
		}
		t.window[v] = win
		t.engineVisit[v] = len(t.visit)
		t.visit = append(t.visit, v)
		t.in.Visits = append(t.in.Visits, ev)
	}
	return t, t.weigh()
}

// eligible reports whether worker w may serve vis in window win: skills valid
// from the window's earliest start to its latest end, not excluded by the
// visit or the person, and pinned to the visit when it has pins.
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
	}
	for i, v := range t.visit {
		// The engine needs a positive penalty: a visit whose unassigned cost is
		// zero or less (priority -1 or lower) costs one unit to leave out.
		t.in.Visits[i].Penalty = max(scaled(w.Unassigned*float64(1+t.p.Visits[v].Priority)*t.costScale), 1)
	}
	for k, s := range t.shift {
		t.in.Vehicles[k].FixedCost = scaled((w.Shift + t.p.Shifts[s].Cost) * t.costScale)
	}
	if err := t.in.Validate(); err != nil {
		return fmt.Errorf("problem %q: too large for the search's integer arithmetic: %w", t.p.Name, err)
	}
	return nil
}

// stop is one visit of a route in real time.
type stop struct {
	v        int // index in p.Visits
	arrival  time.Time
	start    time.Time
	travel   time.Duration
	distance float64
}

// timeRoute computes the real times of engine route k (visit indices into
// p.Visits): the worker leaves as late as possible without returning later
// (waits absorbed, windows respected), so the working time is the least the
// order allows. It returns the departure, the stops, the return and the last leg.
func (t *translation) timeRoute(k int, route []int) (depart time.Time, stops []stop, ret time.Time, lastTravel time.Duration, lastDist float64) {
	s := t.shift[k]
	sh := &t.p.Shifts[s]
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
			if e := t.p.Visits[v].Windows[t.window[v]].Earliest; e.After(st.start) {
				st.start = e
			}
			if i == 0 && firstStart.After(st.start) {
				st.start = firstStart
			}
			stops = append(stops, st)
			clock, at = st.start.Add(t.p.Visits[v].Duration.Std()), loc
		}
		lastTravel = TravelDuration(secs[at*n+t.pl.ShiftEnd[s]])
		lastDist = dist[at*n+t.pl.ShiftEnd[s]]
		ret = clock.Add(lastTravel)
	}
	depart = sh.Start
	pass(depart, time.Time{})
	if len(stops) == 0 {
		return depart, nil, depart, 0, 0
	}
	// Absorb the first wait, then push later by the forward slack (bounded by the later waits).
	depart = stops[0].start.Add(-stops[0].travel)
	var cum time.Duration
	delta := time.Duration(math.MaxInt64)
	for i, st := range stops {
		if i > 0 {
			cum += st.start.Sub(st.arrival)
		}
		latest := t.p.Visits[st.v].Windows[t.window[st.v]].Latest
		delta = min(delta, cum+latest.Sub(st.start))
	}
	delta = min(delta, cum)
	if delta > 0 {
		first := stops[0].start.Add(delta)
		depart = depart.Add(delta)
		pass(depart, first)
	} else {
		stops[0].arrival = stops[0].start
	}
	return depart, stops, ret, lastTravel, lastDist
}
