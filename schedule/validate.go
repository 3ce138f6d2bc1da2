package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/carecoord/care"
)

// Record kinds named in validation errors (care.FieldError.Kind).
const (
	kindProblem     = "problem"
	kindVisit       = "visit"
	kindShift       = "shift"
	kindWorker      = "worker"
	kindServiceUser = "service user"
	kindPattern     = "pattern"
	kindRota        = "rota"
)

// checker carries what the checks of the parts need from the problem: the
// time zone used to format times in messages and, when known, the horizon.
type checker struct {
	loc        *time.Location
	start, end time.Time
	horizon    bool // start and end are set and usable
}

func newChecker(loc *time.Location) *checker {
	if loc == nil {
		loc = time.UTC
	}
	return &checker{loc: loc}
}

// fmtPair formats two instants for a message: as 15:04 in the checker's zone
// when both fall on the same local date, else as 2006-01-02 15:04.
func (c *checker) fmtPair(a, b time.Time) (string, string) {
	a, b = a.In(c.loc), b.In(c.loc)
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay == by && am == bm && ad == bd {
		return a.Format("15:04"), b.Format("15:04")
	}
	return a.Format("2006-01-02 15:04"), b.Format("2006-01-02 15:04")
}

// outside describes the problem when [a, b] does not lie inside the horizon.
// It returns "" when all is well or the horizon is unknown.
func (c *checker) outside(a, b time.Time) string {
	if !c.horizon {
		return ""
	}
	if a.Before(c.start) || b.After(c.end) {
		s, e := c.fmtPair(c.start, c.end)
		return fmt.Sprintf("outside the horizon [%s, %s]", s, e)
	}
	return ""
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Validate checks the window alone (latest not before earliest, target inside
// it, penalty finite and not negative). Errors name the record kind "window";
// Visit.Validate and Problem.Validate report the same checks with the visit's ID.
func (w Window) Validate() error {
	return errors.Join(newChecker(nil).window(w, "window", "", "")...)
}

func (c *checker) window(w Window, kind, id, field string) []error {
	var errs []error
	bad := func(f, format string, args ...any) {
		name := field
		if f != "" {
			if name != "" {
				name += "."
			}
			name += f
		}
		errs = append(errs, care.Invalid(kind, id, name, format, args...))
	}
	if w.Earliest.IsZero() {
		bad("earliest", "is required")
	}
	if w.Latest.IsZero() {
		bad("latest", "is required")
	}
	if w.Earliest.IsZero() || w.Latest.IsZero() {
		return errs
	}
	if w.Latest.Before(w.Earliest) {
		l, e := c.fmtPair(w.Latest, w.Earliest)
		bad("", "latest %s before earliest %s", l, e)
	}
	if w.Target != nil && (w.Target.Before(w.Earliest) || w.Target.After(w.Latest)) {
		t, _ := c.fmtPair(*w.Target, w.Earliest)
		e, l := c.fmtPair(w.Earliest, w.Latest)
		bad("target", "%s outside the window [%s, %s]", t, e, l)
	}
	if !finite(w.PenaltyPerMinute) || w.PenaltyPerMinute < 0 {
		bad("penalty_per_minute", "must be a finite number >= 0, got %v", w.PenaltyPerMinute)
	}
	if msg := c.outside(w.Earliest, w.Latest); msg != "" {
		bad("", "%s", msg)
	}
	return errs
}

// Validate checks the visit on its own: its ID, windows, duration, kind,
// skills, carers, seat skills, seat durations, worker lists and dependencies. References to
// other records (service user, workers, visits) and the horizon are checked
// by Problem.Validate. Every error is a *care.FieldError naming the visit.
func (v *Visit) Validate() error {
	return errors.Join(newChecker(nil).visit(v)...)
}

func (c *checker) visit(v *Visit) []error {
	id := string(v.ID)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindVisit, id, field, format, args...))
	}
	if err := care.ValidateID(id); err != nil {
		bad("id", "%v", err)
	}
	if err := care.ValidateID(string(v.ServiceUser)); err != nil {
		bad("service_user", "%v", err)
	}
	if v.Location != nil {
		if err := v.Location.Validate(); err != nil {
			bad("location", "%v", err)
		}
	}
	if len(v.Windows) == 0 {
		bad("windows", "at least one window is required")
	}
	for i, w := range v.Windows {
		errs = append(errs, c.window(w, kindVisit, id, fmt.Sprintf("window %d", i+1))...)
	}
	errs = append(errs, c.overlappingWindows(v)...)
	if v.Duration <= 0 {
		bad("duration", "must be positive, got %s", v.Duration)
	}
	if !slices.Contains(VisitKinds(), v.Kind) {
		bad("kind", "unknown visit kind %q", truncate(string(v.Kind), 40))
	}
	for i, s := range v.Skills {
		if err := s.Validate(); err != nil {
			bad(fmt.Sprintf("skills[%d]", i), "%v", err)
		}
	}
	if v.Carers < 0 || v.Carers > 2 {
		bad("carers", "must be 1 or 2 (0 is read as 1), got %d", v.Carers)
	}
	if len(v.SeatSkills) > 0 && len(v.SeatSkills) != v.CarersNeeded() {
		bad("seat_skills", "has %d seats but the visit needs %d carers", len(v.SeatSkills), v.CarersNeeded())
	}
	if len(v.SeatDurations) > 0 {
		longest := Duration(0)
		for i, d := range v.SeatDurations {
			if d <= 0 {
				bad(fmt.Sprintf("seat_durations[%d]", i), "must be positive, got %s", d)
			}
			longest = max(longest, d)
		}
		switch {
		case len(v.SeatDurations) != v.CarersNeeded() || v.CarersNeeded() < 2:
			bad("seat_durations", "has %d seats but the visit needs %d carers; give one duration per seat of a double-handed visit", len(v.SeatDurations), v.CarersNeeded())
		case longest > 0 && v.Duration > 0 && longest != v.Duration:
			bad("seat_durations", "longest seat lasts %s but duration is %s; duration must be the longest seat's", longest, v.Duration)
		}
	}
	for i, seat := range v.SeatSkills {
		for j, s := range seat {
			if err := s.Validate(); err != nil {
				bad(fmt.Sprintf("seat_skills[%d][%d]", i, j), "%v", err)
			}
		}
	}
	if v.Load < 0 {
		bad("load", "must not be negative, got %d", v.Load)
	}
	checkList := func(field string, ids []care.WorkerID) {
		seen := map[care.WorkerID]bool{}
		for i, w := range ids {
			if err := care.ValidateID(string(w)); err != nil {
				bad(fmt.Sprintf("%s[%d]", field, i), "%v", err)
			}
			if seen[w] {
				bad(fmt.Sprintf("%s[%d]", field, i), "worker %q listed twice", w)
			}
			seen[w] = true
		}
	}
	checkList("pinned", v.Pinned)
	checkList("preferred", v.Preferred)
	checkList("excluded", v.Excluded)
	if v.Carers >= 0 && v.Carers <= 2 && len(v.Pinned) > v.CarersNeeded() {
		bad("pinned", "%d workers pinned but the visit needs %d carers", len(v.Pinned), v.CarersNeeded())
	}
	for i, w := range v.Pinned {
		if slices.Contains(v.Excluded, w) {
			bad(fmt.Sprintf("pinned[%d]", i), "worker %q is both pinned and excluded", w)
		}
	}
	for i, d := range v.Dependencies {
		errs = append(errs, d.validate(id, fmt.Sprintf("dependencies[%d]", i))...)
	}
	return errs
}

// overlappingWindows reports each window of v that overlaps an earlier-starting
// one. Windows may touch (one's latest equal to another's earliest): the visit
// may then start at any time in their union. Overlapping windows are rejected
// because a start in the shared span would belong to two windows, each with
// its own target and penalty, and a planner or evaluator could price it
// either way.
func (c *checker) overlappingWindows(v *Visit) []error {
	order := make([]int, 0, len(v.Windows))
	for i, w := range v.Windows {
		if !w.Earliest.IsZero() && !w.Latest.IsZero() && !w.Latest.Before(w.Earliest) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return v.Windows[order[a]].Earliest.Before(v.Windows[order[b]].Earliest) })
	var errs []error
	reach := -1 // the window, among those seen, that ends last
	for _, i := range order {
		w := v.Windows[i]
		if reach >= 0 && w.Earliest.Before(v.Windows[reach].Latest) {
			r := v.Windows[reach]
			e, l := c.fmtPair(w.Earliest, r.Latest)
			errs = append(errs, care.Invalid(kindVisit, string(v.ID), fmt.Sprintf("window %d", i+1),
				"starts %s, before window %d ends at %s: windows of a visit must not overlap", e, reach+1, l))
		}
		if reach < 0 || w.Latest.After(v.Windows[reach].Latest) {
			reach = i
		}
	}
	return errs
}

// Validate checks the dependency alone: a visit named, gaps not negative,
// MinGap not above MaxGap when MaxGap is set, a known worker relation and a
// known reference point (From).
func (d Dependency) Validate() error { return errors.Join(d.validate("", "dependency")...) }

func (d Dependency) validate(id, field string) []error {
	var errs []error
	bad := func(f, format string, args ...any) {
		errs = append(errs, care.Invalid(kindVisit, id, field+f, format, args...))
	}
	if err := care.ValidateID(string(d.Visit)); err != nil {
		bad(".visit", "%v", err)
	} else if id != "" && d.Visit == VisitID(id) {
		bad(".visit", "a visit cannot depend on itself")
	}
	if d.MinGap < 0 {
		bad(".min_gap", "must not be negative, got %s", d.MinGap)
	}
	if d.MaxGap < 0 {
		bad(".max_gap", "must not be negative, got %s", d.MaxGap)
	}
	if d.MaxGap > 0 && d.MinGap > d.MaxGap {
		bad("", "min_gap %s above max_gap %s", d.MinGap, d.MaxGap)
	}
	switch d.From {
	case "", FromEnd, FromStart:
	default:
		bad(".from", "unknown reference point %q (want \"end\", \"start\" or \"\" for end)", truncate(string(d.From), 40))
	}
	switch d.Worker {
	case AnyWorker, SameWorker, DifferentWorker:
	default:
		bad(".worker", "unknown worker relation %q (want \"\", \"same\" or \"different\")", truncate(string(d.Worker), 40))
	}
	return errs
}

// Validate checks the shift on its own: ID, worker ID, end after start,
// places, breaks inside the shift, capacity and cost. The horizon and the
// worker's existence are checked by Problem.Validate.
func (s *Shift) Validate() error { return errors.Join(newChecker(nil).shift(s)...) }

func (c *checker) shift(s *Shift) []error {
	id := string(s.ID)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindShift, id, field, format, args...))
	}
	if err := care.ValidateID(id); err != nil {
		bad("id", "%v", err)
	}
	if err := care.ValidateID(string(s.Worker)); err != nil {
		bad("worker", "%v", err)
	}
	timesOK := true
	if s.Start.IsZero() {
		bad("start", "is required")
		timesOK = false
	}
	if s.End.IsZero() {
		bad("end", "is required")
		timesOK = false
	}
	if timesOK && !s.End.After(s.Start) {
		e, st := c.fmtPair(s.End, s.Start)
		bad("end", "%s not after start %s", e, st)
		timesOK = false
	}
	if timesOK {
		if msg := c.outside(s.Start, s.End); msg != "" {
			bad("", "%s", msg)
		}
	}
	if s.StartAt != nil {
		if err := s.StartAt.Validate(); err != nil {
			bad("start_at", "%v", err)
		}
	}
	if s.EndAt != nil {
		if err := s.EndAt.Validate(); err != nil {
			bad("end_at", "%v", err)
		}
	}
	if s.Capacity < 0 {
		bad("capacity", "must not be negative, got %d", s.Capacity)
	}
	if !finite(s.Cost) || s.Cost < 0 {
		bad("cost", "must be a finite number >= 0, got %v", s.Cost)
	}
	for i, b := range s.Breaks {
		field := fmt.Sprintf("break %d", i+1)
		if b.Earliest.IsZero() || b.Latest.IsZero() {
			bad(field, "earliest and latest are required")
			continue
		}
		if b.Latest.Before(b.Earliest) {
			l, e := c.fmtPair(b.Latest, b.Earliest)
			bad(field, "latest %s before earliest %s", l, e)
		}
		if b.Length <= 0 {
			bad(field+".length", "must be positive, got %s", b.Length)
		}
		if timesOK && (b.Earliest.Before(s.Start) || b.Latest.Add(b.Length.Std()).After(s.End)) {
			st, en := c.fmtPair(s.Start, s.End)
			bad(field, "not inside the shift [%s, %s]", st, en)
		}
	}
	return errs
}

// Validate checks the leave alone: a worker named and To after From.
// Problem.Validate also rejects leave that does not overlap the horizon.
func (l Leave) Validate() error { return errors.Join(newChecker(nil).leave(l, 0)...) }

func (c *checker) leave(l Leave, i int) []error {
	var errs []error
	field := fmt.Sprintf("leave[%d]", i)
	bad := func(f, format string, args ...any) {
		errs = append(errs, care.Invalid(kindWorker, string(l.Worker), field+f, format, args...))
	}
	if err := care.ValidateID(string(l.Worker)); err != nil {
		bad(".worker", "%v", err)
	}
	if l.From.IsZero() || l.To.IsZero() {
		bad("", "from and to are required")
	} else if !l.To.After(l.From) {
		t, f := c.fmtPair(l.To, l.From)
		bad(".to", "%s not after from %s", t, f)
	}
	return errs
}

// softNames are the WorkingTimeRules fields that may be made soft.
var softNames = []string{"max_shift", "min_daily_rest", "max_weekly", "break_after", "break_length", "max_consecutive_days"}

// Validate checks that no limit is negative, that a break length comes with
// a break threshold, and that Soft names only known limits.
func (r WorkingTimeRules) Validate() error { return errors.Join(r.validate("")...) }

func (r WorkingTimeRules) validate(id string) []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindProblem, id, "rules."+field, format, args...))
	}
	for _, f := range []struct {
		name string
		d    Duration
	}{{"max_shift", r.MaxShift}, {"min_daily_rest", r.MinDailyRest}, {"max_weekly", r.MaxWeekly},
		{"break_after", r.BreakAfter}, {"break_length", r.BreakLength}} {
		if f.d < 0 {
			bad(f.name, "must not be negative, got %s", f.d)
		}
	}
	if r.MinDailyRest > Duration(24*time.Hour) {
		bad("min_daily_rest", "%s is longer than a day", r.MinDailyRest)
	}
	if r.MaxConsecutiveDays < 0 {
		bad("max_consecutive_days", "must not be negative, got %d", r.MaxConsecutiveDays)
	}
	if r.BreakLength > 0 && r.BreakAfter == 0 {
		bad("break_after", "is required when break_length is set")
	}
	for i, s := range r.Soft {
		if !slices.Contains(softNames, s) {
			bad(fmt.Sprintf("soft[%d]", i), "unknown limit %q (want one of %v)", truncate(s, 40), softNames)
		}
	}
	return errs
}

// Validate checks that every weight is a finite number >= 0.
func (w Weights) Validate() error { return errors.Join(w.validate("")...) }

func (w Weights) validate(id string) []error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"unassigned", w.Unassigned}, {"shift", w.Shift}, {"travel_time", w.TravelTime}, {"distance", w.Distance},
		{"working_time", w.WorkingTime}, {"lateness", w.Lateness}, {"continuity", w.Continuity},
		{"preferred", w.Preferred}, {"overtime", w.Overtime}, {"undertime", w.Undertime}, {"fairness", w.Fairness}} {
		if !finite(f.v) || f.v < 0 {
			errs = append(errs, care.Invalid(kindProblem, id, "weights."+f.name, "must be a finite number >= 0, got %v", f.v))
		}
	}
	return errs
}

// Validate checks the travel settings: a known model, speeds for known modes
// that are finite and positive, a road factor of at least 1 when set, a
// positive TimePerUnit for Euclidean problems, a known rounding, and a
// well-formed matrix (required for the Explicit model).
func (t *Travel) Validate() error { return errors.Join(t.validate("")...) }

func (t *Travel) validate(id string) []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindProblem, id, "travel."+field, format, args...))
	}
	switch t.Model {
	case "", GreatCircle, Euclidean, Explicit:
	default:
		bad("model", "unknown travel model %q (want great_circle, euclidean or matrix)", truncate(string(t.Model), 40))
	}
	modes := make([]care.TravelMode, 0, len(t.Speeds))
	for m := range t.Speeds {
		modes = append(modes, m)
	}
	slices.Sort(modes)
	for _, m := range modes {
		if err := m.Validate(); err != nil {
			bad("speeds", "%v", err)
		}
		if v := t.Speeds[m]; !finite(v) || v <= 0 {
			bad("speeds."+string(m), "must be a finite number > 0, got %v", v)
		}
	}
	if !finite(t.RoadFactor) || t.RoadFactor < 0 || (t.RoadFactor > 0 && t.RoadFactor < 1) {
		bad("road_factor", "must be 0 (default %v) or a finite number >= 1, got %v", DefaultRoadFactor, t.RoadFactor)
	}
	if t.TimePerUnit < 0 || (t.Model == Euclidean && t.TimePerUnit == 0) {
		bad("time_per_unit", "must be positive for the euclidean model, got %s", t.TimePerUnit)
	}
	switch t.Rounding {
	case Exact, Trunc1:
	default:
		bad("rounding", "unknown rounding %q (want \"\" or \"trunc1\")", truncate(string(t.Rounding), 40))
	}
	if t.Model == Explicit && t.Matrix == nil {
		bad("matrix", "is required for the matrix model")
	}
	if t.Matrix != nil {
		for _, err := range t.Matrix.validate() {
			errs = append(errs, care.Invalid(kindProblem, id, "travel.matrix", "%v", err))
		}
	}
	return errs
}

// Validate checks that the matrix is square, the size of Locations, with
// finite non-negative entries and distinct finite locations.
func (m *Matrix) Validate() error {
	var errs []error
	for _, err := range m.validate() {
		errs = append(errs, care.Invalid("matrix", "", "", "%v", err))
	}
	return errors.Join(errs...)
}

// validate returns plain errors; callers wrap them with the record's ID.
func (m *Matrix) validate() []error {
	var errs []error
	n := len(m.Locations)
	if n == 0 {
		errs = append(errs, errors.New("locations: at least one location is required"))
	}
	seen := map[care.Location]int{}
	for i, l := range m.Locations {
		if err := l.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("locations[%d]: %w", i, err))
		}
		if j, ok := seen[l]; ok {
			errs = append(errs, fmt.Errorf("locations[%d]: same place as locations[%d]", i, j))
		}
		seen[l] = i
	}
	for _, tab := range []struct {
		name string
		v    [][]float64
	}{{"seconds", m.Seconds}, {"metres", m.Metres}} {
		if len(tab.v) != n {
			errs = append(errs, fmt.Errorf("%s: has %d rows, want %d (one per location)", tab.name, len(tab.v), n))
			continue
		}
		for i, row := range tab.v {
			if len(row) != n {
				errs = append(errs, fmt.Errorf("%s[%d]: has %d entries, want %d", tab.name, i, len(row), n))
				continue
			}
			for j, x := range row {
				if !finite(x) || x < 0 {
					errs = append(errs, fmt.Errorf("%s[%d][%d]: must be a finite number >= 0, got %v", tab.name, i, j, x))
				}
			}
		}
	}
	return errs
}

// Validate checks the whole problem and returns every problem found, joined
// with errors.Join; each is a *care.FieldError naming the record kind, its ID
// and the field, and matches errors.Is(err, care.ErrInvalid). Times in the
// messages are shown in the problem's time zone, as 15:04 or, when a pair of
// times spans days, as 2006-01-02 15:04. Windows and breaks are numbered from 1.
//
// Beyond the checks of each part it checks: the time zone and horizon,
// duplicate IDs, references (visit to service user, pinned, preferred and
// excluded workers, dependencies to visits, shifts and leave to workers),
// windows and shifts inside the horizon, leave overlapping it, overlapping
// windows of one visit, breaks inside their shift, overlapping shifts of one worker,
// cyclic dependencies, geographic ranges for the great-circle model, and that
// every place is in the matrix for the matrix model.
func (p *Problem) Validate() error {
	id := p.Name
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kindProblem, id, field, format, args...))
	}
	loc, err := p.Loc()
	if err != nil {
		var fe *care.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		} else {
			bad("time_zone", "%v", err)
		}
		loc = time.UTC
	}
	c := newChecker(loc)
	switch {
	case p.Start.IsZero():
		bad("start", "is required")
	case p.End.IsZero():
		bad("end", "is required")
	case !p.End.After(p.Start):
		e, s := c.fmtPair(p.End, p.Start)
		bad("end", "%s not after start %s", e, s)
	default:
		c.start, c.end, c.horizon = p.Start, p.End, true
	}
	if p.TogetherTolerance < 0 || p.TogetherTolerance > MaxTogetherTolerance {
		bad("together_tolerance", "must be between 0 and %s, got %s", MaxTogetherTolerance, p.TogetherTolerance)
	}
	geographic := p.Travel.Model == "" || p.Travel.Model == GreatCircle

	known := make(map[care.WorkerID]bool, len(p.Workers))
	for i := range p.Workers {
		known[p.Workers[i].ID] = true
	}
	users := map[care.ServiceUserID]int{}
	for i := range p.ServiceUsers {
		u := &p.ServiceUsers[i]
		if err := u.Validate(); err != nil {
			errs = append(errs, err)
		}
		if _, dup := users[u.ID]; dup {
			errs = append(errs, care.Invalid(kindServiceUser, string(u.ID), "id", "duplicate service user id (service_users[%d] and [%d])", users[u.ID], i))
		} else {
			users[u.ID] = i
		}
		if geographic {
			if err := u.Location.ValidateGeographic(); err != nil && u.Location.Validate() == nil {
				errs = append(errs, care.Invalid(kindServiceUser, string(u.ID), "location", "%v", err))
			}
		}
		for j, w := range u.Preferences.PreferredWorkers {
			if !known[w] {
				errs = append(errs, care.Invalid(kindServiceUser, string(u.ID), fmt.Sprintf("preferences.preferred_workers[%d]", j), "unknown worker %q", w))
			}
		}
		for j, w := range u.Preferences.ExcludedWorkers {
			if !known[w] {
				errs = append(errs, care.Invalid(kindServiceUser, string(u.ID), fmt.Sprintf("preferences.excluded_workers[%d]", j), "unknown worker %q", w))
			}
		}
	}
	workers := map[care.WorkerID]int{}
	for i := range p.Workers {
		w := &p.Workers[i]
		if err := w.Validate(); err != nil {
			errs = append(errs, err)
		}
		if _, dup := workers[w.ID]; dup {
			errs = append(errs, care.Invalid(kindWorker, string(w.ID), "id", "duplicate worker id (workers[%d] and [%d])", workers[w.ID], i))
		} else {
			workers[w.ID] = i
		}
		if geographic && w.Home != nil && w.Home.Validate() == nil {
			if err := w.Home.ValidateGeographic(); err != nil {
				errs = append(errs, care.Invalid(kindWorker, string(w.ID), "home", "%v", err))
			}
		}
	}
	visits := map[VisitID]int{}
	for i := range p.Visits {
		v := &p.Visits[i]
		vid := string(v.ID)
		errs = append(errs, c.visit(v)...)
		if _, dup := visits[v.ID]; dup {
			errs = append(errs, care.Invalid(kindVisit, vid, "id", "duplicate visit id (visits[%d] and [%d])", visits[v.ID], i))
		} else {
			visits[v.ID] = i
		}
		if _, ok := users[v.ServiceUser]; !ok && v.ServiceUser != "" {
			errs = append(errs, care.Invalid(kindVisit, vid, "service_user", "unknown service user %q", v.ServiceUser))
		}
		if geographic && v.Location != nil && v.Location.Validate() == nil {
			if err := v.Location.ValidateGeographic(); err != nil {
				errs = append(errs, care.Invalid(kindVisit, vid, "location", "%v", err))
			}
		}
		for _, list := range []struct {
			name string
			ids  []care.WorkerID
		}{{"pinned", v.Pinned}, {"preferred", v.Preferred}, {"excluded", v.Excluded}} {
			for j, w := range list.ids {
				if _, ok := workers[w]; !ok && w != "" {
					errs = append(errs, care.Invalid(kindVisit, vid, fmt.Sprintf("%s[%d]", list.name, j), "unknown worker %q", w))
				}
			}
		}
	}
	for i := range p.Visits {
		v := &p.Visits[i]
		for j, d := range v.Dependencies {
			if _, ok := visits[d.Visit]; !ok && d.Visit != "" {
				errs = append(errs, care.Invalid(kindVisit, string(v.ID), fmt.Sprintf("dependencies[%d].visit", j), "unknown visit %q", d.Visit))
			}
		}
	}
	errs = append(errs, p.dependencyCycles()...)

	shifts := map[ShiftID]int{}
	byWorker := map[care.WorkerID][]*Shift{}
	for i := range p.Shifts {
		s := &p.Shifts[i]
		errs = append(errs, c.shift(s)...)
		if _, dup := shifts[s.ID]; dup {
			errs = append(errs, care.Invalid(kindShift, string(s.ID), "id", "duplicate shift id (shifts[%d] and [%d])", shifts[s.ID], i))
		} else {
			shifts[s.ID] = i
		}
		wi, ok := workers[s.Worker]
		if !ok && s.Worker != "" {
			errs = append(errs, care.Invalid(kindShift, string(s.ID), "worker", "unknown worker %q", s.Worker))
		}
		if ok && p.Workers[wi].Home == nil && (s.StartAt == nil || s.EndAt == nil) {
			errs = append(errs, care.Invalid(kindShift, string(s.ID), "start_at", "worker %q has no home, so the shift needs start_at and end_at", s.Worker))
		}
		for _, l := range []*care.Location{s.StartAt, s.EndAt} {
			if geographic && l != nil && l.Validate() == nil {
				if err := l.ValidateGeographic(); err != nil {
					errs = append(errs, care.Invalid(kindShift, string(s.ID), "start_at/end_at", "%v", err))
				}
			}
		}
		if s.End.After(s.Start) {
			byWorker[s.Worker] = append(byWorker[s.Worker], s)
		}
	}
	wids := make([]care.WorkerID, 0, len(byWorker))
	for w := range byWorker {
		wids = append(wids, w)
	}
	slices.Sort(wids)
	for _, w := range wids {
		list := byWorker[w]
		sort.SliceStable(list, func(i, j int) bool { return list[i].Start.Before(list[j].Start) })
		for k := 1; k < len(list); k++ {
			if list[k].Start.Before(list[k-1].End) {
				a, b := c.fmtPair(list[k].Start, list[k-1].End)
				errs = append(errs, care.Invalid(kindShift, string(list[k].ID), "start",
					"%s overlaps shift %q of worker %q, which ends %s", a, list[k-1].ID, w, b))
			}
		}
	}
	for i, l := range p.Leave {
		errs = append(errs, c.leave(l, i)...)
		// Leave may straddle the horizon (a fortnight's holiday that began last week);
		// leave wholly outside it is a mistake, most often a wrong date.
		if c.horizon && !l.From.IsZero() && l.To.After(l.From) && (!l.To.After(c.start) || !l.From.Before(c.end)) {
			const layout = "2006-01-02 15:04"
			errs = append(errs, care.Invalid(kindWorker, string(l.Worker), fmt.Sprintf("leave[%d]", i),
				"[%s, %s) outside the horizon [%s, %s)", l.From.In(c.loc).Format(layout), l.To.In(c.loc).Format(layout),
				c.start.In(c.loc).Format(layout), c.end.In(c.loc).Format(layout)))
		}
		if _, ok := workers[l.Worker]; !ok && l.Worker != "" {
			errs = append(errs, care.Invalid(kindWorker, string(l.Worker), fmt.Sprintf("leave[%d].worker", i), "unknown worker"))
		}
	}
	errs = append(errs, p.Rules.validate(id)...)
	errs = append(errs, p.Weights.validate(id)...)
	errs = append(errs, p.Travel.validate(id)...)
	if p.Travel.Model == Explicit && p.Travel.Matrix != nil {
		errs = append(errs, p.matrixCoverage()...)
	}
	return errors.Join(errs...)
}

// matrixCoverage reports every place of the problem missing from the matrix.
func (p *Problem) matrixCoverage() []error {
	in := map[care.Location]bool{}
	for _, l := range p.Travel.Matrix.Locations {
		in[l] = true
	}
	var errs []error
	for i := range p.Visits {
		v := &p.Visits[i]
		if l, err := p.VisitLocation(v); err == nil && !in[l] {
			errs = append(errs, care.Invalid(kindVisit, string(v.ID), "location", "place %s is not in travel.matrix.locations", l))
		}
	}
	for i := range p.Shifts {
		s := &p.Shifts[i]
		a, b, err := p.ShiftPlaces(s)
		if err != nil {
			continue
		}
		if !in[a] {
			errs = append(errs, care.Invalid(kindShift, string(s.ID), "start_at", "place %s is not in travel.matrix.locations", a))
		}
		if !in[b] && b != a {
			errs = append(errs, care.Invalid(kindShift, string(s.ID), "end_at", "place %s is not in travel.matrix.locations", b))
		}
	}
	return errs
}

// dependencyCycles reports each cycle among visit dependencies once, naming
// the visit where the search found it and the path.
func (p *Problem) dependencyCycles() []error {
	idx := make(map[VisitID]int, len(p.Visits))
	for i := range p.Visits {
		if _, dup := idx[p.Visits[i].ID]; !dup {
			idx[p.Visits[i].ID] = i
		}
	}
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(p.Visits))
	var errs []error
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		colour[i] = grey
		stack = append(stack, i)
		for _, d := range p.Visits[i].Dependencies {
			j, ok := idx[d.Visit]
			if !ok || j == i { // unknown or self: reported elsewhere
				continue
			}
			switch colour[j] {
			case grey:
				k := slices.Index(stack, j)
				path := ""
				for _, s := range stack[k:] {
					path += string(p.Visits[s].ID) + " -> "
				}
				path += string(p.Visits[j].ID)
				errs = append(errs, care.Invalid(kindVisit, string(p.Visits[j].ID), "dependencies", "cyclic dependencies: %s", path))
			case white:
				visit(j)
			}
		}
		stack = stack[:len(stack)-1]
		colour[i] = black
	}
	for i := range p.Visits {
		if colour[i] == white {
			visit(i)
		}
	}
	return errs
}
