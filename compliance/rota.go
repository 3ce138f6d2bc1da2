package compliance

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// OptOut is a worker's written agreement to work more than the 48-hour
// average (WTR reg 5).
type OptOut struct {
	Signed time.Time  `json:"signed"`          // in force from this instant
	Ended  *time.Time `json:"ended,omitempty"` // when the worker ended it; nil = still in force
}

func (o *OptOut) validAt(t time.Time) bool {
	return o != nil && !o.Signed.After(t) && (o.Ended == nil || o.Ended.After(t))
}

// WorkerRecord is what the provider knows about a worker beyond care.Worker:
// working-time history, opt-out, supervision, appraisal, medicines competence
// and the Schedule 3 file.
type WorkerRecord struct {
	Worker care.WorkerID `json:"worker"` // the worker the record is about
	// PriorWeeks is the working time in the weeks just before the problem starts, oldest
	// first; it forms the WTR reference period with the weeks of the rota.
	PriorWeeks []schedule.Duration `json:"prior_weeks,omitempty"`
	// LastWorkEnd is when the worker last stopped work before the horizon, for daily rest.
	LastWorkEnd *time.Time `json:"last_work_end,omitempty"`
	OptOut      *OptOut    `json:"opt_out,omitempty"` // nil = no opt-out of the 48-hour average
	// NightWorker marks a designated night worker; otherwise one is found from the rota.
	NightWorker bool `json:"night_worker,omitempty"`
	// CompensatoryRest lists the days (any instant in the local day) on which a shortened
	// daily rest is compensated under WTR regs 21-24.
	CompensatoryRest    []time.Time `json:"compensatory_rest,omitempty"`
	Supervisions        []time.Time `json:"supervisions,omitempty"`         // practice-based supervision sessions
	Appraisals          []time.Time `json:"appraisals,omitempty"`           // annual appraisals
	MedicinesCompetence []time.Time `json:"medicines_competence,omitempty"` // competence assessments incl. observation (NG67)
	// KnownTo lists the people the worker has visited before the horizon (for short visits).
	KnownTo   []care.ServiceUserID `json:"known_to,omitempty"`
	Schedule3 *Schedule3           `json:"schedule3,omitempty"` // nil = no Schedule 3 checklist recorded
}

// PayPeriod is a worker's pay for one pay reference period (at most a month),
// for the minimum wage check (NMW).
type PayPeriod struct {
	Worker care.WorkerID `json:"worker"` // the worker paid
	From   time.Time     `json:"from"`   // start of the pay reference period (inclusive)
	To     time.Time     `json:"to"`     // end of the period (exclusive)
	// Gross pay for the period and deductions that reduce NMW pay (e.g. uniforms), in pounds.
	Gross      float64 `json:"gross"`
	Deductions float64 `json:"deductions,omitempty"` // see Gross
	// MinimumRate is the hourly minimum that applies to the worker (e.g. 12.71 from April 2026 for 21+).
	MinimumRate float64 `json:"minimum_rate"`
	// OtherHours is paid time outside the rota: training, meetings, required availability.
	OtherHours schedule.Duration `json:"other_hours,omitempty"`
}

// RepositioningRisk is a person's pressure-ulcer risk level.
type RepositioningRisk string

// Risk levels with a repositioning interval (CG179).
const (
	AtRisk   RepositioningRisk = "at_risk"
	HighRisk RepositioningRisk = "high_risk"
)

// RepositioningNeed says a person at risk of pressure ulcers cannot change
// position alone, so the gap between visits is limited (REPOS).
type RepositioningNeed struct {
	ServiceUser care.ServiceUserID `json:"service_user"` // the person at risk
	Risk        RepositioningRisk  `json:"risk"`         // sets the longest gap between visits unless Interval is set
	// Interval overrides the risk level's interval when set (a clinician's instruction).
	Interval schedule.Duration `json:"interval,omitempty"`
}

// Dose is a time-critical dose due at a visit (MED-TIME). Medicine is an
// opaque ID, not a drug name.
type Dose struct {
	ID          string             `json:"id"`                     // unique among the doses
	ServiceUser care.ServiceUserID `json:"service_user"`           // the person the dose is for
	Medicine    string             `json:"medicine"`               // opaque medicine ID
	Visit       schedule.VisitID   `json:"visit"`                  // the visit at which it is given
	Due         time.Time          `json:"due"`                    // when the dose is due
	Tolerance   schedule.Duration  `json:"tolerance,omitempty"`    // 0 = Params.DoseTolerance.Std()
	MinInterval schedule.Duration  `json:"min_interval,omitempty"` // least time since the previous dose of the same medicine
}

// ShortPurpose is why a visit shorter than 30 minutes is acceptable.
type ShortPurpose string

// Purposes of short visits (NG21; RISCA 2016 s.8).
const (
	SafeAndWellCheck ShortPurpose = "safe_and_well_check"
	MedicinesPrompt  ShortPurpose = "medicines_prompt"
	TimeLimitedTask  ShortPurpose = "time_limited_task"
)

// ShortVisitAgreement records that short visits were agreed in advance for a
// person (all their visits, or one when Visit is set) as part of a wider
// package, for a purpose (VIS-30).
type ShortVisitAgreement struct {
	ServiceUser  care.ServiceUserID `json:"service_user"`    // the person who agreed
	Visit        schedule.VisitID   `json:"visit,omitempty"` // "" = all the person's visits
	Agreed       time.Time          `json:"agreed"`          // applies to visits starting at or after this instant
	WiderPackage bool               `json:"wider_package"`   // part of a wider package of care; without it short visits still breach VIS-30
	Purpose      ShortPurpose       `json:"purpose"`         // why a short visit is enough
}

// Equipment is lifting equipment at a person's home with its last LOLER
// thorough examination.
type Equipment struct {
	ID           string             `json:"id"`            // unique among the equipment
	ServiceUser  care.ServiceUserID `json:"service_user"`  // the person whose home it is in
	Kind         string             `json:"kind"`          // e.g. "hoist", "sling"
	LastExamined time.Time          `json:"last_examined"` // date of the last LOLER thorough examination
}

// VisitActual is what happened at a visit: times recorded and when the notes
// were written (RECORD, VIS-SCHED).
type VisitActual struct {
	Visit   schedule.VisitID `json:"visit"`   // the visit made
	Worker  care.WorkerID    `json:"worker"`  // the worker who made it
	Arrived time.Time        `json:"arrived"` // when the worker arrived (e.g. from electronic call monitoring)
	Left    time.Time        `json:"left"`    // when the worker left
	// NotesAt is when the visit notes were completed; nil = not written.
	NotesAt *time.Time `json:"notes_at,omitempty"`
}

// TravelEstimator gives the provider's estimate of travel time between two
// places for a travel mode. A routing matrix can be adapted to it.
type TravelEstimator interface {
	EstimateTravel(from, to care.Location, mode care.TravelMode) (time.Duration, error)
}

// RotaInput is a rota to check, its problem and the records the checks read.
// Only Problem and Rota are required; a check whose records are absent finds
// nothing, except where the absence itself is the breach (e.g. no DBS on file).
type RotaInput struct {
	Problem       *schedule.Problem     `json:"-"`                       // the problem the rota was planned for; required
	Rota          *schedule.Rota        `json:"-"`                       // the rota checked; required
	Workers       []WorkerRecord        `json:"workers,omitempty"`       // per-worker history and records (WTR, supervision, Schedule 3)
	Pay           []PayPeriod           `json:"pay,omitempty"`           // pay periods for the minimum wage check
	Repositioning []RepositioningNeed   `json:"repositioning,omitempty"` // people whose visits must not be too far apart (REPOS)
	Doses         []Dose                `json:"doses,omitempty"`         // time-critical doses (MED-TIME)
	ShortVisits   []ShortVisitAgreement `json:"short_visits,omitempty"`  // agreements that allow visits shorter than Params.MinVisit (VIS-30)
	Equipment     []Equipment           `json:"equipment,omitempty"`     // lifting equipment and its LOLER examinations
	Actuals       []VisitActual         `json:"actuals,omitempty"`       // what happened at visits already made
	Medicines     []MedicineSupport     `json:"medicines,omitempty"`     // medicines support per person (MED-*)
	MAR           []MAREntry            `json:"mar,omitempty"`           // medicines administration record entries
	// AsOf is the instant of the check for records of visits already made (VIS-SCHED,
	// RECORD, MED-MAR); zero = no visit is treated as made.
	AsOf        time.Time       `json:"as_of,omitzero"`
	Training    *TrainingMatrix `json:"training,omitempty"`    // training the agency requires per skill; nil = SKILL-EXP checks qualifications alone
	Completions []Completion    `json:"completions,omitempty"` // training completed by workers
	Travel      TravelEstimator `json:"-"`                     // nil = travel times of legs are not compared with an estimate
}

// ErrNoProblem is returned by CheckRota when the input has no problem or rota.
var ErrNoProblem = errors.New("rota input needs a problem and a rota")

// planned is one assigned visit with its times.
type planned struct {
	v     *schedule.Visit
	a     *schedule.Assignment
	start time.Time
	end   time.Time // start + Duration: the end of the longest seat
}

// endFor returns when worker w's part of the visit ends: start plus the
// duration of w's seat (schedule.Visit.SeatDurations: the worker's index in
// the assignment), or end for a visit without seat durations.
func (pl *planned) endFor(w care.WorkerID) time.Time {
	if i := slices.Index(pl.a.Workers, w); i >= 0 && len(pl.v.SeatDurations) > 0 {
		return pl.start.Add(pl.v.SeatDuration(i).Std())
	}
	return pl.end
}

// period is one route's working span.
type period struct {
	worker      care.WorkerID
	route       *schedule.Route
	shift       *schedule.Shift
	start, end  time.Time
	work        time.Duration // span minus agreed unpaid breaks
	visits      []*planned
	gaps        [][2]time.Time // idle gaps between busy intervals
	legsPresent bool
	synthetic   bool // built from assignments on no route (unrouted)
}

type rotaCtx struct {
	in       RotaInput
	p        *schedule.Problem
	loc      *time.Location
	pack     *Pack
	e        *emitter
	visits   map[schedule.VisitID]*schedule.Visit
	workers  map[care.WorkerID]*care.Worker
	records  map[care.WorkerID]*WorkerRecord
	plans    map[schedule.VisitID]*planned
	ordered  []*planned                  // by start
	periods  map[care.WorkerID][]*period // by start
	wids     []care.WorkerID             // workers with periods, sorted
	rules    map[care.WorkerID]schedule.WorkingTimeRules
	userByID map[care.ServiceUserID]*care.ServiceUser
}

// CheckRota checks a rota against its problem and the records in the input
// under the rules of pack, and returns the findings sorted by time, rule and
// subject. It returns an error only when the input cannot be read: no problem
// or rota, an unknown time zone, or an assignment or route naming a visit,
// worker or shift the problem lacks.
func CheckRota(pack *Pack, in RotaInput) ([]Finding, error) {
	if in.Problem == nil || in.Rota == nil {
		return nil, ErrNoProblem
	}
	c, err := newRotaCtx(pack, in)
	if err != nil {
		return nil, err
	}
	c.workingTime()
	c.nmw()
	c.visitChecks()
	c.personChecks()
	c.workerChecks()
	c.routeChecks()
	c.mar()
	sortFindings(c.e.out)
	return c.e.out, nil
}

func newRotaCtx(pack *Pack, in RotaInput) (*rotaCtx, error) {
	p := in.Problem
	loc, err := p.Loc()
	if err != nil {
		return nil, err
	}
	c := &rotaCtx{in: in, p: p, loc: loc, pack: pack, e: &emitter{pack: pack},
		visits: map[schedule.VisitID]*schedule.Visit{}, workers: map[care.WorkerID]*care.Worker{},
		records: map[care.WorkerID]*WorkerRecord{}, plans: map[schedule.VisitID]*planned{},
		periods: map[care.WorkerID][]*period{}, rules: map[care.WorkerID]schedule.WorkingTimeRules{},
		userByID: map[care.ServiceUserID]*care.ServiceUser{}}
	for i := range p.Visits {
		c.visits[p.Visits[i].ID] = &p.Visits[i]
	}
	for i := range p.Workers {
		w := &p.Workers[i]
		c.workers[w.ID] = w
		c.rules[w.ID] = p.Rules
		if w.YoungWorker {
			c.rules[w.ID] = p.Rules.ForYoungWorker()
		}
	}
	for i := range p.ServiceUsers {
		c.userByID[p.ServiceUsers[i].ID] = &p.ServiceUsers[i]
	}
	for i := range in.Workers {
		c.records[in.Workers[i].Worker] = &in.Workers[i]
	}
	var errs []error
	for i := range in.Rota.Assignments {
		a := &in.Rota.Assignments[i]
		v, ok := c.visits[a.Visit]
		if !ok {
			errs = append(errs, care.Invalid("visit", string(a.Visit), fmt.Sprintf("assignments[%d].visit", i), "unknown visit"))
			continue
		}
		for _, w := range a.Workers {
			if _, ok := c.workers[w]; !ok {
				errs = append(errs, care.Invalid("visit", string(a.Visit), fmt.Sprintf("assignments[%d].workers", i), "unknown worker %q", w))
			}
		}
		pl := &planned{v: v, a: a, start: a.Start, end: a.Start.Add(v.Duration.Std())}
		c.plans[a.Visit] = pl
		c.ordered = append(c.ordered, pl)
	}
	slices.SortStableFunc(c.ordered, func(x, y *planned) int { return x.start.Compare(y.start) })
	for i := range in.Rota.Routes {
		rt := &in.Rota.Routes[i]
		if _, ok := c.workers[rt.Worker]; !ok {
			errs = append(errs, care.Invalid("route", string(rt.Shift), fmt.Sprintf("routes[%d].worker", i), "unknown worker %q", rt.Worker))
			continue
		}
		sh, _ := p.Shift(rt.Shift)
		pd := &period{worker: rt.Worker, route: rt, shift: sh, legsPresent: len(rt.Legs) > 0}
		for _, vid := range rt.Visits {
			pl, ok := c.plans[vid]
			if !ok {
				errs = append(errs, care.Invalid("route", string(rt.Shift), fmt.Sprintf("routes[%d].visits", i), "visit %q is not assigned", vid))
				continue
			}
			pd.visits = append(pd.visits, pl)
		}
		if len(pd.visits) == 0 {
			continue
		}
		c.addPeriod(pd)
	}
	c.unrouted()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for w, ps := range c.periods {
		slices.SortFunc(ps, func(x, y *period) int { return x.start.Compare(y.start) })
		c.wids = append(c.wids, w)
	}
	slices.Sort(c.wids)
	return c, nil
}

// addPeriod completes a period from its visits and legs: its span from the
// first activity to the last, the idle gaps between, and its working time.
func (c *rotaCtx) addPeriod(pd *period) {
	slices.SortStableFunc(pd.visits, func(x, y *planned) int { return x.start.Compare(y.start) })
	var busy [][2]time.Time
	for _, pl := range pd.visits {
		busy = append(busy, [2]time.Time{pl.start, pl.endFor(pd.worker)})
	}
	for _, l := range pd.route.Legs {
		if l.Arrive.After(l.Depart) {
			busy = append(busy, [2]time.Time{l.Depart, l.Arrive})
		}
	}
	slices.SortFunc(busy, func(x, y [2]time.Time) int { return x[0].Compare(y[0]) })
	pd.start, pd.end = busy[0][0], busy[0][1]
	for _, b := range busy[1:] {
		if b[0].After(pd.end) {
			pd.gaps = append(pd.gaps, [2]time.Time{pd.end, b[0]})
		}
		if b[1].After(pd.end) {
			pd.end = b[1]
		}
	}
	pd.work = pd.end.Sub(pd.start)
	if pd.shift != nil {
		for _, b := range pd.shift.Breaks {
			pd.work -= b.Length.Std()
		}
		pd.work = max(pd.work, 0)
	}
	c.periods[pd.worker] = append(c.periods[pd.worker], pd)
}

// unrouted gives working time to assigned visits that are on none of their
// worker's routes (a hand-made rota of assignments only): one period per
// worker and local day, from the first visit's start to the last one's end,
// named "unrouted-<date>" in place of a shift ID.
func (c *rotaCtx) unrouted() {
	onRoute := map[string]bool{}
	for _, ps := range c.periods {
		for _, pd := range ps {
			for _, pl := range pd.visits {
				onRoute[string(pd.worker)+"\x00"+string(pl.v.ID)] = true
			}
		}
	}
	type key struct {
		w   care.WorkerID
		day string
	}
	groups := map[key][]*planned{}
	var keys []key
	for _, pl := range c.ordered {
		for _, w := range pl.a.Workers {
			if _, ok := c.workers[w]; !ok || onRoute[string(w)+"\x00"+string(pl.v.ID)] {
				continue
			}
			k := key{w, c.day(pl.start).Format(time.DateOnly)}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], pl)
		}
	}
	for _, k := range keys {
		rt := &schedule.Route{Worker: k.w, Shift: schedule.ShiftID("unrouted-" + k.day)}
		for _, pl := range groups[k] {
			rt.Visits = append(rt.Visits, pl.v.ID)
		}
		c.addPeriod(&period{worker: k.w, route: rt, visits: groups[k], synthetic: true})
	}
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		var ta, tb time.Time
		if a.At != nil {
			ta = *a.At
		}
		if b.At != nil {
			tb = *b.At
		}
		return cmp.Or(ta.Compare(tb), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject.ID, b.Subject.ID))
	})
}

func (c *rotaCtx) fmt(t time.Time) string { return t.In(c.loc).Format(stamp) }

func (c *rotaCtx) day(t time.Time) time.Time {
	t = t.In(c.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
}

func wsub(id care.WorkerID) Subject    { return Subject{SubjectWorker, string(id)} }
func vsub(id schedule.VisitID) Subject { return Subject{SubjectVisit, string(id)} }
func usub(id care.ServiceUserID) Subject {
	return Subject{SubjectPerson, string(id)}
}

// addMonths returns t plus n calendar months.
func addMonths(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) }

// lastBefore returns the latest time in ts at or before t, or nil.
func lastBefore(ts []time.Time, t time.Time) *time.Time {
	var best *time.Time
	for i := range ts {
		if !ts[i].After(t) && (best == nil || ts[i].After(*best)) {
			best = &ts[i]
		}
	}
	return best
}
