package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Block is the constraint that keeps a worker from serving a visit.
type Block string

// Blocks found by Explain.
const (
	// BlockNone: a feasible place exists in the worker's route; the visit
	// is out because serving it costs more (or the rota simply omits it).
	BlockNone Block = "none"
	// BlockNoPartner: the visit needs two carers who start together; the
	// worker could take one seat but no other worker can take the other at
	// the same moment (as Solve reports schedule.NoPartner).
	BlockNoPartner Block = "no_partner"
	// BlockDependency: serving the visit there would break one of its
	// dependencies (or another visit's dependency on it): the visit it
	// depends on is not served, the gap is too short or too long, or the
	// same (or a different) worker is required (as Solve reports
	// schedule.DependencyUnmet).
	BlockDependency Block = "dependency_unmet"
	// BlockExcludedByVisit: the visit excludes the worker.
	BlockExcludedByVisit Block = "excluded_by_visit"
	// BlockExcludedByPerson: the service user's preferences exclude the worker.
	BlockExcludedByPerson Block = "excluded_by_person"
	// BlockPinnedElsewhere: the visit is pinned to other workers.
	BlockPinnedElsewhere Block = "pinned_elsewhere"
	// BlockSkillMissing: the worker holds no qualification for a required skill.
	BlockSkillMissing Block = "skill_missing"
	// BlockSkillExpired: the worker's qualification for a required skill is
	// not valid when service would start (expired, or not yet obtained).
	BlockSkillExpired Block = "skill_expired"
	// BlockNoShift: the worker has no shift that meets any of the visit's windows.
	BlockNoShift Block = "no_shift"
	// BlockOnLeave: the worker is on leave when service would take place.
	BlockOnLeave Block = "on_leave"
	// BlockWindow: the worker cannot start the visit within its window
	// (arrival too late), at any position.
	BlockWindow Block = "window_unreachable"
	// BlockPushesOther: serving the visit would push another visit of the
	// route out of its window, or, for a double-handed one, apart from its
	// other carer (no longer starting together).
	BlockPushesOther Block = "pushes_other_visit"
	// BlockShiftEnd: the route would return after the shift ends.
	BlockShiftEnd Block = "shift_end"
	// BlockMaxShift: the route would be longer than Rules.MaxShift.
	BlockMaxShift Block = "max_shift"
	// BlockCapacity: the route's load would exceed the shift's capacity.
	BlockCapacity Block = "capacity"
	// BlockBreak: the route would work longer than Rules.BreakAfter with no
	// wait long enough for the rest break it owes (REFERENCE.md WTR-BREAK,
	// WTR reg 12): the visit fills the wait that held the planned break,
	// and no later start of the visit or of the next one makes room again.
	BlockBreak Block = "no_break"
	// BlockDailyRest: the route would leave the worker less than
	// Rules.MinDailyRest between it and another of the worker's routes
	// departing on a different local day (REFERENCE.md §5, WTR reg 10), a
	// breach the worker's routes do not have now. As Evaluate's
	// ShortDailyRest (min_daily_rest); a soft rule costs, never blocks.
	BlockDailyRest Block = "min_daily_rest"
	// BlockMaxWeekly: the worker would work more than Rules.MaxWeekly in a
	// 7-day window from the horizon's start (REFERENCE.md §5, WTR reg 4),
	// as Evaluate's OverMaxWeekly (max_weekly) reads it.
	BlockMaxWeekly Block = "max_weekly"
	// BlockConsecutiveDays: the worker would work more than
	// Rules.MaxConsecutiveDays local days in a row (REFERENCE.md §5, WTR
	// reg 11), as Evaluate's TooManyDays (max_consecutive_days) reads it.
	BlockConsecutiveDays Block = "max_consecutive_days"
)

// FixKind names the single change a Fix makes to the problem.
type FixKind string

// Kinds of fix.
const (
	// FixExtendShift moves Shift's End later by Minutes.
	FixExtendShift FixKind = "extend_shift"
	// FixStartShiftEarlier moves Shift's Start earlier by Minutes.
	FixStartShiftEarlier FixKind = "start_shift_earlier"
	// FixWidenWindow moves the Latest start of Visit's window number Window later by Minutes.
	FixWidenWindow FixKind = "widen_window"
	// FixAddSkill gives Worker a qualification for Skill, valid from the
	// problem's Start with no expiry (a new or renewed qualification).
	FixAddSkill FixKind = "add_skill"
	// FixAllowOvertime raises Rules.MaxShift by Minutes. The rule is
	// problem-wide today; a per-shift allowance comes with part 2's
	// working-time model.
	FixAllowOvertime FixKind = "allow_overtime"
	// FixRaiseCapacity raises Shift's Capacity by Amount.
	FixRaiseCapacity FixKind = "raise_capacity"
)

// Fix is one change to the problem after which Visit can be served by
// Worker on Shift at Position of its route (Start being the start of
// service there), at the given objective Cost. Apply makes the change.
type Fix struct {
	Kind    FixKind          `json:"kind"`              // the change to make
	Visit   schedule.VisitID `json:"visit"`             // the visit it lets be served
	Worker  care.WorkerID    `json:"worker"`            // who then serves it
	Shift   schedule.ShiftID `json:"shift"`             // on which of the worker's shifts
	Skill   care.Skill       `json:"skill,omitempty"`   // FixAddSkill
	Window  int              `json:"window,omitempty"`  // FixWidenWindow: index in Visit.Windows
	Minutes int              `json:"minutes,omitempty"` // FixExtendShift, FixWidenWindow, FixAllowOvertime
	Amount  int64            `json:"amount,omitempty"`  // FixRaiseCapacity
	// Position is where the visit then goes in the shift's route (see Recommendation).
	Position int `json:"position"`
	// Start is when service then starts.
	Start time.Time `json:"start"`
	// Cost is the change of the rota's objective, term by term (every
	// term, as Recommendation.Cost), when the visit is served there once
	// the fix is applied.
	Cost Objective `json:"cost"`
}

// ErrCannotApply is matched when a Fix names a visit, shift or worker the
// problem does not have, or has an unknown kind.
var ErrCannotApply = errors.New("fix cannot be applied")

// Apply makes the fix's change to p. It replaces (never mutates in place)
// the slices it changes inside a visit or worker, so a shallow copy of a
// problem can be fixed without touching the original's windows or
// qualifications; p's own Visits, Shifts and Workers elements are changed.
func (f Fix) Apply(p *schedule.Problem) error {
	if p == nil {
		return care.Invalid("", "", "problem", "nil")
	}
	minutes := time.Duration(f.Minutes) * time.Minute
	switch f.Kind {
	case FixExtendShift, FixStartShiftEarlier, FixRaiseCapacity:
		i := slices.IndexFunc(p.Shifts, func(s schedule.Shift) bool { return s.ID == f.Shift })
		if i < 0 {
			return fmt.Errorf("fix %s: shift %q: %w", f.Kind, f.Shift, ErrCannotApply)
		}
		switch f.Kind {
		case FixExtendShift:
			p.Shifts[i].End = p.Shifts[i].End.Add(minutes)
		case FixStartShiftEarlier:
			p.Shifts[i].Start = p.Shifts[i].Start.Add(-minutes)
		default:
			p.Shifts[i].Capacity += f.Amount
		}
	case FixWidenWindow:
		i := slices.IndexFunc(p.Visits, func(v schedule.Visit) bool { return v.ID == f.Visit })
		if i < 0 || f.Window < 0 || f.Window >= len(p.Visits[i].Windows) {
			return fmt.Errorf("fix %s: visit %q: window %d: %w", f.Kind, f.Visit, f.Window+1, ErrCannotApply)
		}
		ws := slices.Clone(p.Visits[i].Windows)
		ws[f.Window].Latest = ws[f.Window].Latest.Add(minutes)
		p.Visits[i].Windows = ws
	case FixAddSkill:
		i := slices.IndexFunc(p.Workers, func(w care.Worker) bool { return w.ID == f.Worker })
		if i < 0 {
			return fmt.Errorf("fix %s: worker %q: %w", f.Kind, f.Worker, ErrCannotApply)
		}
		qs := slices.Clone(p.Workers[i].Qualifications)
		p.Workers[i].Qualifications = append(qs, care.Qualification{Skill: f.Skill, Obtained: p.Start})
	case FixAllowOvertime:
		p.Rules.MaxShift += schedule.Duration(minutes)
	default:
		return fmt.Errorf("fix kind %q: %w", f.Kind, ErrCannotApply)
	}
	return nil
}

// Blocker is one constraint found at one trial position.
type Blocker struct {
	Block  Block  `json:"block"`  // the constraint broken
	Detail string `json:"detail"` // times and amounts; IDs only
}

// Trial is the outcome of inserting the visit at one position of one of
// the worker's shifts.
type Trial struct {
	Shift    schedule.ShiftID `json:"shift"`    // the worker's shift tried
	Position int              `json:"position"` // index in the shift's route where the visit was inserted (0 = first)
	// Start is when service would start there: the earliest the route
	// allows (its other visits no earlier than their planned starts),
	// waiting, when a dependency needs it, until its gap allows, and, when
	// the visit fills the wait that held the route's rest break, for the
	// break before it.
	Start time.Time `json:"start"`
	// Blockers are the hard constraints the insertion breaks (none = feasible).
	Blockers []Blocker `json:"blockers,omitempty"`
	// Cost is the objective change of the insertion, term by term (every
	// term, as Recommendation.Cost; meaningful when feasible).
	Cost Objective `json:"cost"`
}

// WorkerExplanation says why one worker does not serve the visit.
type WorkerExplanation struct {
	// Worker is the worker's ID.
	Worker care.WorkerID `json:"worker"`
	// Block is the constraint that stands in the way at the worker's best
	// position (BlockNone when a feasible one exists).
	Block Block `json:"block"`
	// Detail gives the block's times and amounts (IDs only).
	Detail string `json:"detail,omitempty"`
	// Best is the worker's best trial: the cheapest feasible one, else the
	// one the Fix unblocks, else the one with the fewest blockers.
	Best *Trial `json:"best,omitempty"`
	// Trials are every trial insertion made (empty for blocks found
	// without trial: exclusion, pin, missing skill, no shift).
	Trials []Trial `json:"trials,omitempty"`
	// Partner, for a double-handed visit the worker can take a seat of
	// (Block BlockNone), is a worker who can take the other seat at the
	// same start, Start; both found by trial.
	Partner care.WorkerID `json:"partner,omitempty"`
	// Fix is the cheapest single change that lets this worker serve the
	// visit, when one exists.
	Fix *Fix `json:"fix,omitempty"`
}

// VisitExplanation explains one visit the rota does not serve.
type VisitExplanation struct {
	// Visit is the visit's ID.
	Visit schedule.VisitID `json:"visit"`
	// Reason is the rota's own reason for the visit, when it lists one.
	Reason schedule.Reason `json:"reason,omitempty"`
	// Workers explains, worker by worker, why each does not serve the visit.
	Workers []WorkerExplanation `json:"workers"`
	// Fix is the cheapest of the workers' fixes (by Cost.Total, then
	// minutes or amount), nil when no single change helps.
	Fix *Fix `json:"fix,omitempty"`
}

// Explanation is the outcome of Explain.
type Explanation struct {
	// Visits has one entry per visit explained.
	Visits []VisitExplanation `json:"visits"`
}

// ExplainOptions control Explain.
type ExplainOptions struct {
	// Travel measures travel; nil = FromProblem(p), the problem's own model.
	Travel MatrixProvider `json:"-"`
	// Visits to explain; nil = every visit no route of the rota serves.
	Visits []schedule.VisitID `json:"visits,omitempty"`
}

// Explain says, for every visit rota r leaves unserved (or opt.Visits), for
// every worker, what keeps that worker from serving it, and the smallest
// single change that would let the visit be served.
//
// Each worker is checked first for what needs no trial: exclusion by the
// visit or the person, a pin to others, a required skill with no
// qualification at all, no shift meeting a window. Otherwise the visit is
// inserted by trial at every position of each of the worker's shifts that
// meet a window, and each trial route is recomputed by the evaluator's
// rules (see EvaluateWith), as Evaluate times the rota: the routes' other
// visits start no earlier than their planned starts (Assignment.Start), so
// the waits the planner left for dependencies, partners and rest breaks
// stay, and a visit the trial pushes later is judged where it then starts.
// The visit starts as early as it can, or, when its
// dependencies (or other served visits' dependencies on it, with MaxGap)
// need it later, when they first allow: the trial is then re-run with the
// visit's windows opening at that moment; and where it fills the wait that
// held the route's rest break, late enough for the break before it. The
// hard violations the trial adds become blockers (on leave, skill
// expired, window unreachable, pushes another visit out of its window,
// shift end, maximum shift, capacity, no room left for the break), and so
// do the dependencies that the trial's start and worker
// would break, the other visits timed as their routes are
// (dependency_unmet), and what the trial does to the route's other visits
// it delays, when the route without the visit kept it: a double-handed one
// whose carers no longer start together (pushes_other_visit), a dependency
// of or on one (dependency_unmet). A dependency is thus a blocker only when no start in
// the visit's windows keeps the gap: the wait it needs runs past the
// window's close (reported as dependency_unmet, not window_unreachable),
// or the gap or the worker relation breaks at the start the trial takes.
//
// A double-handed visit is planned as Solve plans it: two distinct
// workers starting at the same moment, between them holding the seat
// skills. A worker who can take a seat (a feasible trial) is paired by
// trial: for each feasible trial of another worker, the one whose start is
// earlier is tried again with the visit's start held at the later one. The
// worker is BlockNone with Partner and Best.Start set when some pair works
// (the worker in either seat), else BlockNoPartner. Each seat is timed with
// the visit's Duration, the longest seat when it has SeatDurations (unlike
// Recommend and Repair, which time each seat with its own). A fix for a double-handed visit is kept only when,
// applied, the worker then pairs with someone.
//
// A fix is proposed where one change removes every blocker of a trial:
// extend the shift, widen the visit's window, add (or renew) a skill,
// allow overtime, raise capacity, by the least whole minutes or units; the
// fix is applied to a copy of the problem and the trial re-run to confirm
// it and price it (waiting for the visit's dependencies as trials do; they
// must then hold). When no shift of the worker meets a window, the least
// extension of a shift (start earlier or end later, up to four hours) that
// lets the visit in is found by bisection over such trials. Exclusions, pins, leave and pushing another visit get no
// fix: they are the person's or another visit's rules.
//
// Caveat: the engine plans a visit only in a shift whose worker is off
// leave for the whole window and whose skills are valid throughout it, and
// only in the first of its windows that an eligible shift covers, so a
// trial the evaluator accepts (and a fix widening a later window) may still
// be refused by Solve in those cases.
func Explain(ctx context.Context, p *schedule.Problem, r *schedule.Rota, opt ExplainOptions) (*Explanation, error) {
	l, err := newLive(ctx, p, r, opt.Travel)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	ids := opt.Visits
	if ids == nil {
		for v := range p.Visits {
			if l.server[v] < 0 {
				ids = append(ids, p.Visits[v].ID)
			}
		}
	}
	reasons := map[schedule.VisitID]schedule.Reason{}
	for _, u := range r.Unassigned {
		reasons[u.Visit] = u.Reason
	}
	out := &Explanation{}
	for _, id := range ids {
		v, err := l.visitIndex(id)
		if err != nil {
			return nil, fmt.Errorf("explain: %w", err)
		}
		ve := VisitExplanation{Visit: id, Reason: reasons[id]}
		for wi := range p.Workers {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("explain: %w", context.Cause(ctx))
			}
			ve.Workers = append(ve.Workers, l.explainWorker(v, &p.Workers[wi]))
		}
		if p.Visits[v].CarersNeeded() > 1 {
			l.pairUp(v, ve.Workers)
		}
		for _, we := range ve.Workers {
			if we.Fix != nil && (ve.Fix == nil || lessFix(*we.Fix, *ve.Fix)) {
				f := *we.Fix
				ve.Fix = &f
			}
		}
		out.Visits = append(out.Visits, ve)
	}
	return out, nil
}

// lessFix orders fixes by cost, then by size.
func lessFix(a, b Fix) bool {
	if c := compareFloat(a.Cost.Total, b.Cost.Total); c != 0 {
		return c < 0
	}
	return int64(a.Minutes)+a.Amount < int64(b.Minutes)+b.Amount
}

// explainWorker explains why worker w does not serve visit v.
func (l *live) explainWorker(v int, w *care.Worker) WorkerExplanation {
	vis := &l.p.Visits[v]
	we := WorkerExplanation{Worker: w.ID}
	block := func(b Block, format string, args ...any) WorkerExplanation {
		we.Block, we.Detail = b, fmt.Sprintf(format, args...)
		return we
	}
	switch {
	case slices.Contains(vis.Excluded, w.ID):
		return block(BlockExcludedByVisit, "the visit excludes the worker")
	case l.users[vis.ServiceUser] != nil && slices.Contains(l.users[vis.ServiceUser].Preferences.ExcludedWorkers, w.ID):
		return block(BlockExcludedByPerson, "service user %q excludes the worker", vis.ServiceUser)
	case len(vis.Pinned) > 0 && !slices.Contains(vis.Pinned, w.ID):
		return block(BlockPinnedElsewhere, "the visit is pinned to %v", vis.Pinned)
	}
	var shifts []int
	for si := range l.p.Shifts {
		if l.p.Shifts[si].Worker == w.ID && l.mayServe(v, si) {
			shifts = append(shifts, si)
		}
	}
	if len(shifts) == 0 {
		we = block(BlockNoShift, "no shift of the worker meets a window of the visit")
		we.Fix = l.stretchShift(v, w)
		return we
	}
	var missing []care.Skill
	for _, s := range l.seatSkills(v, w) {
		if !slices.ContainsFunc(w.Qualifications, func(q care.Qualification) bool { return q.Skill == s }) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		we = block(BlockSkillMissing, "no qualification %v", missing)
		if len(missing) == 1 {
			fix := Fix{Kind: FixAddSkill, Visit: vis.ID, Worker: w.ID, Skill: missing[0]}
			we.Fix = l.bestFixed(v, shifts, fix)
		}
		return we
	}
	// Trial insertion at every position of every shift that meets a window.
	var best *Trial
	var bestFix *Fix
	fewest := -1
	for _, si := range shifts {
		for _, early := range l.insertions(v, si, 0) {
			w := l.waitForDependencies(v, early)
			ins := w.ins
			tr := Trial{Shift: l.p.Shifts[si].ID, Position: ins.pos, Cost: ins.delta, Blockers: w.l.blockers(v, ins)}
			if w.why != "" {
				// The wait pushes the visit out of its window (as early as
				// possible it was in): the dependency is the blocker.
				for i, b := range tr.Blockers {
					if b.Block == BlockWindow && !slices.ContainsFunc(early.added, func(x Violation) bool { return x.Kind == WindowMissed && x.Visit == vis.ID }) {
						tr.Blockers[i] = Blocker{Block: BlockDependency, Detail: w.why + "; then " + b.Detail}
					}
				}
				slices.SortStableFunc(tr.Blockers, func(a, b Blocker) int { return blockPriority[a.Block] - blockPriority[b.Block] })
			}
			if st, ok := stopOf(ins.rr, vis.ID); ok {
				tr.Start = st.Start
				tr.Blockers = append(tr.Blockers, l.depBlockers(v, si, ins.rr, st.Start)...)
			}
			tr.Blockers = append(tr.Blockers, l.mateBlockers(v, si, ins.rr)...)
			we.Trials = append(we.Trials, tr)
			switch {
			case len(tr.Blockers) == 0:
				if best == nil || len(best.Blockers) > 0 || tr.Cost.Total < best.Cost.Total {
					best = &tr
				}
			case best != nil && len(best.Blockers) == 0:
				// A feasible place is known: fixes are not needed.
			case slices.ContainsFunc(tr.Blockers, func(b Blocker) bool { return b.Block == BlockDependency }):
				// Another visit's timing: no single change here is proposed.
				if bestFix == nil && (fewest < 0 || len(tr.Blockers) < fewest) {
					fewest, best = len(tr.Blockers), &tr
				}
			default:
				f := w.l.fixFor(v, ins)
				if f != nil && f.Kind == FixWidenWindow && w.kept != nil {
					f.Window = w.kept[f.Window] // the index among the visit's own windows
				}
				if f != nil && (bestFix == nil || lessFix(*f, *bestFix)) {
					bestFix, best = f, &tr
				} else if bestFix == nil && (fewest < 0 || len(tr.Blockers) < fewest) {
					fewest, best = len(tr.Blockers), &tr
				}
			}
		}
	}
	we.Best = best
	if best == nil {
		return block(BlockNoShift, "no position to try in the worker's shifts")
	}
	if len(best.Blockers) == 0 {
		we.Block, we.Detail = BlockNone, "a feasible place exists: "+describeCost(best.Cost, false)
		return we
	}
	we.Block, we.Detail = best.Blockers[0].Block, best.Blockers[0].Detail
	we.Fix = bestFix
	return we
}

// maxStretch bounds the shift extensions Explain tries, in minutes.
const maxStretch = 4 * 60

// stretchShift finds the least extension of one of w's shifts (start
// earlier or end later, in whole minutes up to maxStretch) after which
// visit v fits in that shift's route, by bisection over trial insertions on
// a fixed copy of the problem. It returns nil when none does.
func (l *live) stretchShift(v int, w *care.Worker) *Fix {
	vis := &l.p.Visits[v]
	for _, s := range vis.Skills {
		if !w.HasSkill(s, vis.Windows[0].Earliest) && !w.HasSkill(s, vis.Windows[len(vis.Windows)-1].Latest) {
			return nil
		}
	}
	stretch := time.Duration(maxStretch) * time.Minute
	var best *Fix
	for si := range l.p.Shifts {
		sh := &l.p.Shifts[si]
		if sh.Worker != w.ID {
			continue
		}
		near := false
		for _, win := range vis.Windows {
			near = near || (!sh.Start.Add(-stretch).After(win.Latest) && !sh.End.Add(stretch).Before(win.Earliest.Add(vis.Duration.Std())))
		}
		if !near {
			continue
		}
		for _, kind := range []FixKind{FixStartShiftEarlier, FixExtendShift} {
			try := func(n int) *Fix {
				return l.bestFixed(v, []int{si}, Fix{Kind: kind, Visit: vis.ID, Worker: w.ID, Shift: sh.ID, Minutes: n})
			}
			if try(maxStretch) == nil {
				continue
			}
			lo, hi := 1, maxStretch
			for lo < hi {
				if mid := (lo + hi) / 2; try(mid) != nil {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			if f := try(lo); f != nil && (best == nil || lessFix(*f, *best)) {
				best = f
			}
		}
	}
	return best
}

// blockPriority orders blockers so that the first one is the most basic.
var blockPriority = map[Block]int{BlockOnLeave: 0, BlockSkillExpired: 1, BlockWindow: 2, BlockShiftEnd: 3, BlockMaxShift: 4, BlockCapacity: 5, BlockBreak: 6, BlockPushesOther: 7,
	BlockDailyRest: 8, BlockMaxWeekly: 9, BlockConsecutiveDays: 10}

// blockers classifies the hard violations an insertion adds.
func (l *live) blockers(v int, ins insertion) []Blocker {
	id := l.p.Visits[v].ID
	var out []Blocker
	for _, vi := range ins.added {
		var b Block
		switch vi.Kind {
		case OnLeave:
			b = BlockOnLeave
		case MissingSkill:
			b = BlockSkillExpired
		case WindowMissed:
			b = BlockWindow
			if vi.Visit != id {
				b = BlockPushesOther
			}
		case ShiftEndLate:
			b = BlockShiftEnd
		case OverMaxShift:
			b = BlockMaxShift
		case OverCapacity:
			b = BlockCapacity
		case MissingBreak:
			b = BlockBreak
		case ShortDailyRest:
			b = BlockDailyRest
		case OverMaxWeekly:
			b = BlockMaxWeekly
		case TooManyDays:
			b = BlockConsecutiveDays
		default:
			continue
		}
		detail := vi.Detail
		if b == BlockPushesOther {
			detail = fmt.Sprintf("visit %q: %s", vi.Visit, vi.Detail)
		}
		out = append(out, Blocker{Block: b, Detail: detail})
	}
	slices.SortStableFunc(out, func(a, b Blocker) int { return blockPriority[a.Block] - blockPriority[b.Block] })
	return out
}

// ceilMinutes rounds a positive span up to whole minutes (at least one).
func ceilMinutes(d time.Duration) int {
	return max(int(math.Ceil(d.Minutes()-1e-9)), 1)
}

// fixFor proposes the single change that removes every blocker of ins, and
// confirms and prices it by re-running the trial on a fixed copy of the
// problem. It returns nil when no single change does.
func (l *live) fixFor(v int, ins insertion) *Fix {
	vis := &l.p.Visits[v]
	sh := &l.p.Shifts[ins.si]
	kinds := map[ViolationKind]bool{}
	for _, vi := range ins.added {
		kinds[vi.Kind] = true
	}
	if len(kinds) != 1 {
		return nil
	}
	f := Fix{Visit: vis.ID, Worker: sh.Worker, Shift: sh.ID}
	rr := ins.rr
	switch {
	case kinds[WindowMissed]:
		st, ok := stopOf(rr, vis.ID)
		if !ok || len(ins.added) != 1 || ins.added[0].Visit != vis.ID {
			return nil // another visit is pushed out
		}
		f.Kind, f.Window, f.Minutes = FixWidenWindow, st.Window, ceilMinutes(st.Start.Sub(vis.Windows[st.Window].Latest))
	case kinds[ShiftEndLate]:
		f.Kind, f.Minutes = FixExtendShift, ceilMinutes(rr.Return.Sub(sh.End))
	case kinds[OverMaxShift]:
		f.Kind, f.Minutes = FixAllowOvertime, ceilMinutes(rr.WorkingTime-l.p.Rules.MaxShift.Std())
	case kinds[OverCapacity]:
		f.Kind, f.Amount = FixRaiseCapacity, rr.Load-sh.Capacity
	case kinds[MissingSkill]:
		w := l.workers[sh.Worker]
		st, _ := stopOf(rr, vis.ID)
		var expired []care.Skill
		for _, s := range vis.Skills {
			if w != nil && !w.HasSkill(s, st.Start) {
				expired = append(expired, s)
			}
		}
		if len(expired) != 1 {
			return nil
		}
		f.Kind, f.Skill = FixAddSkill, expired[0]
	default:
		return nil
	}
	return l.confirm(v, ins.si, ins.pos, f)
}

// confirm applies f to a copy of the problem, re-runs the trial of visit v
// at (si, pos), and returns f with its place and cost when the trial is then
// feasible (waiting for the visit's dependencies, which must hold; see
// settle).
func (l *live) confirm(v, si, pos int, f Fix) *Fix {
	q := shallowProblem(l.p)
	if f.Apply(q) != nil {
		return nil
	}
	fl := l.fixedLive(q, f)
	all := fl.insertions(v, si, pos)
	if len(all) == 0 {
		return nil
	}
	ins, ok := fl.settle(v, all[0])
	if !ok {
		return nil
	}
	f.Position = pos
	f.Cost = ins.delta
	if st, ok := stopOf(ins.rr, l.p.Visits[v].ID); ok {
		f.Start = st.Start
	}
	return &f
}

// fixedLive returns l over q, a copy of l.p with fix f applied. A skill or
// capacity does not change when the routes' visits start, so for those
// fixes the served visits' times (baseTimes) and the fairness term's
// minutes (fairBase, when computed) are l's.
func (l *live) fixedLive(q *schedule.Problem, f Fix) *live {
	fl := l.withProblem(q)
	if f.Kind == FixAddSkill || f.Kind == FixRaiseCapacity {
		fl.times = l.baseTimes()
		fl.fair = l.fair
	}
	return fl
}

// settle waits for visit v's dependencies in trial insertion ins (see
// waitForDependencies) and reports whether the trial is then feasible: no
// hard violation added, no dependency broken.
func (l *live) settle(v int, ins insertion) (insertion, bool) {
	w := l.waitForDependencies(v, ins)
	ins = w.ins
	if len(ins.added) > 0 {
		return ins, false
	}
	st, ok := stopOf(ins.rr, l.p.Visits[v].ID)
	return ins, ok && len(l.depBlockers(v, ins.si, ins.rr, st.Start)) == 0 && len(l.mateBlockers(v, ins.si, ins.rr)) == 0
}

// bestFixed applies f to a copy of the problem and returns f at the
// cheapest feasible place among shifts (trials waiting for the visit's
// dependencies, which must hold; see settle), or nil when the fix is not
// enough.
func (l *live) bestFixed(v int, shifts []int, f Fix) *Fix {
	q := shallowProblem(l.p)
	if f.Apply(q) != nil {
		return nil
	}
	fl := l.fixedLive(q, f)
	// The places timed as early as possible, cheapest first: waiting for a
	// dependency only adds working time or lateness and adds no place, so
	// a place's early cost bounds its cost once settled; not with
	// undertime or fairness, which more working time can lower: then
	// every place is settled.
	bound := l.p.Weights.Undertime == 0 && l.p.Weights.Fairness == 0
	var early []insertion
	for _, si := range shifts {
		for _, ins := range fl.insertions(v, si, 0) {
			if len(ins.added) == 0 {
				early = append(early, ins)
			}
		}
	}
	slices.SortStableFunc(early, func(a, b insertion) int { return compareFloat(a.delta.Total, b.delta.Total) })
	var best *Fix
	for _, e := range early {
		if bound && best != nil && e.delta.Total >= best.Cost.Total {
			break
		}
		ins, ok := fl.settle(v, e)
		if !ok {
			continue
		}
		if best == nil || ins.delta.Total < best.Cost.Total {
			g := f
			g.Shift, g.Position, g.Cost = l.p.Shifts[ins.si].ID, ins.pos, ins.delta
			if st, ok := stopOf(ins.rr, l.p.Visits[v].ID); ok {
				g.Start = st.Start
			}
			best = &g
		}
	}
	return best
}

// shallowProblem copies p with its own Visits, Shifts and Workers slices
// (elements copied; their inner slices shared, which Fix.Apply replaces
// rather than mutates).
func shallowProblem(p *schedule.Problem) *schedule.Problem {
	q := *p
	q.Visits = slices.Clone(p.Visits)
	q.Shifts = slices.Clone(p.Shifts)
	q.Workers = slices.Clone(p.Workers)
	return &q
}

// seatSkills returns the skills worker w needs to take a seat of visit v:
// the visit's Skills plus, for a double-handed visit with SeatSkills, those
// of the seat the worker comes closest to holding.
func (l *live) seatSkills(v int, w *care.Worker) []care.Skill {
	vis := &l.p.Visits[v]
	if len(vis.SeatSkills) == 0 {
		return vis.Skills
	}
	holds := func(s care.Skill) bool {
		return slices.ContainsFunc(w.Qualifications, func(q care.Qualification) bool { return q.Skill == s })
	}
	var best []care.Skill
	bestMissing := -1
	for _, seat := range vis.SeatSkills {
		missing := 0
		for _, s := range seat {
			if !holds(s) {
				missing++
			}
		}
		if bestMissing < 0 || missing < bestMissing {
			best, bestMissing = seat, missing
		}
	}
	return append(slices.Clone(vis.Skills), best...)
}

// seatDuration is worker's time of service at visit v, as Evaluate reads
// it from the published assignment (see seatDuration).
func (l *live) seatDuration(v int, worker care.WorkerID) time.Duration {
	vis := &l.p.Visits[v]
	i := slices.IndexFunc(l.r.Assignments, func(a schedule.Assignment) bool { return a.Visit == vis.ID })
	if i < 0 {
		return seatDuration(vis, nil, worker)
	}
	return seatDuration(vis, &l.r.Assignments[i], worker)
}

// depBlockers returns the dependencies that visit v, started at start by
// the worker of shift si, would break: its own on other visits, and other
// served visits' on it. Visits of si's route are timed as rr (the trial
// route) has them, the others as their routes are (baseTimes; see
// depTimes).
func (l *live) depBlockers(v, si int, rr RouteReport, start time.Time) []Blocker {
	vis := &l.p.Visits[v]
	worker := l.p.Shifts[si].Worker
	times := l.depTimes(si, rr)
	// check tests dependency d of visit b on visit a, with the starts of each.
	check := func(d schedule.Dependency, b, a int, sb, sa []workerStart) *Blocker {
		bid, aid := l.p.Visits[b].ID, l.p.Visits[a].ID
		bad := func(format string, args ...any) *Blocker {
			return &Blocker{Block: BlockDependency, Detail: fmt.Sprintf("visit %q after visit %q: ", bid, aid) + fmt.Sprintf(format, args...)}
		}
		if len(sa) == 0 {
			return bad("visit %q is not served", aid)
		}
		// As Evaluate measures it: each worker's end of A (their seat's
		// duration), or A's starts when the dependency runs from A's start.
		var firstEndA, lastEndA time.Time
		for i, ws := range sa {
			end := ws.start
			if !d.StartToStart() {
				end = end.Add(l.seatDuration(a, ws.worker))
			}
			if i == 0 || end.Before(firstEndA) {
				firstEndA = end
			}
			if i == 0 || end.After(lastEndA) {
				lastEndA = end
			}
		}
		firstB, lastB := slices.MinFunc(sb, cmpStart).start, slices.MaxFunc(sb, cmpStart).start
		if gap := firstB.Sub(lastEndA); gap < d.MinGap.Std()-Tolerance {
			return bad("gap %s, at least %s needed", gap, d.MinGap)
		}
		if gap := lastB.Sub(firstEndA); d.MaxGap > 0 && gap > d.MaxGap.Std()+Tolerance {
			return bad("gap %s, at most %s allowed", gap, d.MaxGap)
		}
		shared := slices.ContainsFunc(sb, func(x workerStart) bool {
			return slices.ContainsFunc(sa, func(y workerStart) bool { return x.worker == y.worker })
		})
		switch {
		case d.Worker == schedule.SameWorker && !shared:
			return bad("the same worker is required")
		case d.Worker == schedule.DifferentWorker && shared:
			return bad("a different worker is required")
		}
		return nil
	}
	self := []workerStart{{worker: worker, start: start}}
	var out []Blocker
	for _, d := range vis.Dependencies {
		if a, ok := l.visitIdx[d.Visit]; ok {
			if b := check(d, v, a, self, times(a)); b != nil {
				out = append(out, *b)
			}
		}
	}
	for b := range l.p.Visits {
		for _, d := range l.p.Visits[b].Dependencies {
			if d.Visit != vis.ID || b == v {
				continue
			}
			if sb := times(b); len(sb) > 0 {
				if bl := check(d, b, v, sb, self); bl != nil {
					out = append(out, *bl)
				}
			}
		}
	}
	return out
}

func cmpStart(a, b workerStart) int { return a.start.Compare(b.start) }

// mateBlockers returns what the trial route rr of shift si (visit v
// inserted) breaks through the other visits it delays, that they kept as
// their routes are timed without v (baseTimes): a double-handed visit
// whose carers no longer start within Problem.TogetherTolerance of each
// other (pushes_other_visit), and a dependency of or on a delayed visit
// (dependency_unmet, measured as depBlockers does). Dependencies that
// involve v itself are depBlockers' (v's own check).
func (l *live) mateBlockers(v, si int, rr RouteReport) []Blocker {
	worker := l.p.Shifts[si].Worker
	base := l.baseTimes()
	vid := strconv.Quote(string(l.p.Visits[v].ID))
	tol := l.p.TogetherTolerance.Std() + Tolerance
	var beforeRR *RouteReport
	var out []Blocker
	for _, st := range rr.Stops {
		x, ok := l.visitIdx[st.Visit]
		if !ok || x == v {
			continue
		}
		i := slices.IndexFunc(base[x], func(ws workerStart) bool { return ws.worker == worker })
		if i < 0 || !st.Start.After(base[x][i].start) {
			continue // not delayed
		}
		old := base[x][i].start
		for _, ws := range base[x] {
			if ws.worker != worker && st.Start.Sub(ws.start).Abs() > tol && old.Sub(ws.start).Abs() <= tol {
				out = append(out, Blocker{Block: BlockPushesOther, Detail: fmt.Sprintf("visit %q: worker %q would start it at %s, worker %q at %s: not together",
					st.Visit, worker, st.Start.Format(time.RFC3339), ws.worker, ws.start.Format(time.RFC3339))})
			}
		}
		if len(l.p.Visits[x].Dependencies) == 0 && !l.dependedOn(x) {
			continue
		}
		if beforeRR == nil {
			rr0, _ := l.trial(si, l.routes[si])
			beforeRR = &rr0
		}
		had := map[string]bool{}
		for _, b := range l.depBlockers(x, si, *beforeRR, old) {
			had[depKey(b)] = true
		}
		for _, b := range l.depBlockers(x, si, rr, st.Start) {
			if k := depKey(b); !had[k] && !strings.Contains(k, vid) {
				out = append(out, b)
			}
		}
	}
	return out
}

// depKey is the part of a dependency blocker's detail naming the two
// visits ("visit "B" after visit "A"").
func depKey(b Blocker) string {
	k, _, _ := strings.Cut(b.Detail, ": ")
	return k
}

// dependedOn reports whether some visit depends on visit x.
func (l *live) dependedOn(x int) bool {
	if l.depOn == nil {
		l.depOn = map[schedule.VisitID]bool{}
		for _, vis := range l.p.Visits {
			for _, d := range vis.Dependencies {
				l.depOn[d.Visit] = true
			}
		}
	}
	return l.depOn[l.p.Visits[x].ID]
}

// depTimes returns the starts of each served visit (p.Visits index) for a
// trial of shift si timed as rr: si's worker's start as rr times it (none
// when rr does not serve the visit), and the other workers' as their routes
// are (baseTimes; a double-handed visit has both).
func (l *live) depTimes(si int, rr RouteReport) func(a int) []workerStart {
	worker := l.p.Shifts[si].Worker
	base := l.baseTimes()
	return func(a int) []workerStart {
		var out []workerStart
		if st, ok := stopOf(rr, l.p.Visits[a].ID); ok {
			out = append(out, workerStart{worker: worker, start: st.Start})
		}
		for _, ws := range base[a] {
			if ws.worker != worker {
				out = append(out, ws)
			}
		}
		return out
	}
}

// depEarliest returns the earliest start of visit v by the worker of shift
// si that the dependencies allow, the other visits timed as for depBlockers
// (si's route as rr has it), and why (zero time and "" when nothing bounds
// it): MinGap after the last end (or, From "start", start) of each visit v
// depends on, as Evaluate measures it; and, for a served visit B depending
// on v with MaxGap, the start at which v's end (or start) comes MaxGap
// before B's last start (REFERENCE.md §3 Reg 12(2)(i)).
func (l *live) depEarliest(v, si int, rr RouteReport) (time.Time, string) {
	vis := &l.p.Visits[v]
	worker := l.p.Shifts[si].Worker
	times := l.depTimes(si, rr)
	var earliest time.Time
	var why string
	bound := func(t time.Time, format string, args ...any) {
		if earliest.IsZero() || t.After(earliest) {
			earliest, why = t, fmt.Sprintf(format, args...)
		}
	}
	what := func(d schedule.Dependency) string {
		if d.StartToStart() {
			return "starts"
		}
		return "ends"
	}
	for _, d := range vis.Dependencies {
		a, ok := l.visitIdx[d.Visit]
		if !ok || a == v {
			continue
		}
		for _, ws := range times(a) {
			ref := ws.start
			if !d.StartToStart() {
				ref = ref.Add(l.seatDuration(a, ws.worker))
			}
			bound(ref.Add(d.MinGap.Std()), "visit %q after visit %q: at least %s needed after it %s %s, so a start at %s or later",
				vis.ID, d.Visit, d.MinGap, what(d), ref.Format(time.RFC3339), ref.Add(d.MinGap.Std()).Format(time.RFC3339))
		}
	}
	own := l.seatDuration(v, worker)
	for b := range l.p.Visits {
		if b == v {
			continue
		}
		for _, d := range l.p.Visits[b].Dependencies {
			if d.Visit != vis.ID || d.MaxGap <= 0 {
				continue
			}
			sb := times(b)
			if len(sb) == 0 {
				continue
			}
			last := slices.MaxFunc(sb, cmpStart).start
			t := last.Add(-d.MaxGap.Std())
			if !d.StartToStart() {
				t = t.Add(-own)
			}
			bound(t, "visit %q after visit %q: at most %s allowed before it starts %s, so a start at %s or later",
				l.p.Visits[b].ID, vis.ID, d.MaxGap, last.Format(time.RFC3339), t.Format(time.RFC3339))
		}
	}
	return earliest, why
}

// waited is a trial insertion after waiting for the dependencies (see
// waitForDependencies).
type waited struct {
	ins insertion
	// l is the live the trial was timed by: l itself, or one over a copy of
	// the problem whose visit's windows open no earlier than the wait.
	l *live
	// kept maps the index of a window in l's copy to the visit's own
	// windows (nil: the windows are the visit's own).
	kept []int
	// why says which dependency makes the visit wait ("" when none does).
	why string
}

// waitForDependencies re-times trial insertion ins of visit v so that the
// visit starts no earlier than its dependencies allow (depEarliest): the
// trial is run again with the visit's windows opening at that moment at the
// earliest (a window closing before it is dropped). When the trial already
// starts late enough, or every window closes before that moment (the trial
// as it is then shows the gap broken), ins is returned as it is.
func (l *live) waitForDependencies(v int, ins insertion) waited {
	out := waited{ins: ins, l: l}
	vis := &l.p.Visits[v]
	st, ok := stopOf(ins.rr, vis.ID)
	if !ok {
		return out
	}
	earliest, why := l.depEarliest(v, ins.si, ins.rr)
	if earliest.IsZero() || !st.Start.Before(earliest.Add(-Tolerance)) {
		return out
	}
	key := waitKey{v: v, earliest: earliest.UnixNano()}
	wl, ok := l.waits[key]
	if !ok {
		wl = &waitLive{}
		var ws []schedule.Window
		for i, w := range vis.Windows {
			if w.Latest.Before(earliest) {
				continue
			}
			w.Earliest = later(w.Earliest, earliest)
			ws, wl.kept = append(ws, w), append(wl.kept, i)
		}
		if len(ws) > 0 {
			q := shallowProblem(l.p)
			q.Visits[v].Windows = ws
			wl.l = l.withProblem(q)
		}
		if l.waits == nil {
			l.waits = map[waitKey]*waitLive{}
		}
		l.waits[key] = wl
	}
	if wl.l == nil {
		return out
	}
	held, ok := wl.l.insertionAt(v, ins.si, ins.pos)
	if !ok {
		return out
	}
	return waited{ins: held, l: wl.l, kept: wl.kept, why: why}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pairUp settles, for double-handed visit v, which workers that can take a
// seat alone (BlockNone) also find a partner starting at the same moment
// (see Explain), turning the others into BlockNoPartner, and keeps a
// worker's fix only when, applied, the worker then pairs with someone.
func (l *live) pairUp(v int, ws []WorkerExplanation) {
	for i := range ws {
		we := &ws[i]
		switch {
		case we.Block == BlockNone:
			if p, tr, ok := l.partner(v, ws, i); ok {
				we.Partner, we.Best = p, &tr
				we.Detail = fmt.Sprintf("with worker %q, both starting %s: %s", p, tr.Start.Format(time.RFC3339), describeCost(tr.Cost, false))
			} else {
				we.Block = BlockNoPartner
				we.Detail = fmt.Sprintf("the worker can take one seat, but no other worker can take the other at the same moment (the visit needs %d carers)", l.p.Visits[v].CarersNeeded())
			}
		case we.Fix != nil:
			q := shallowProblem(l.p)
			if we.Fix.Apply(q) != nil {
				we.Fix = nil
				continue
			}
			// A fix changes the worker's own shift or skills, or widens the
			// visit's window: the others' trials stay valid (a partner's
			// start is re-tried on the fixed problem when it has to move).
			fl := l.withProblem(q)
			fixed := slices.Clone(ws)
			k := slices.IndexFunc(q.Workers, func(w care.Worker) bool { return w.ID == we.Worker })
			if k < 0 {
				we.Fix = nil
				continue
			}
			fixed[i] = fl.explainWorker(v, &q.Workers[k])
			if fixed[i].Block != BlockNone {
				we.Fix = nil
				continue
			}
			if _, _, ok := fl.partner(v, fixed, i); !ok {
				we.Fix = nil
			}
		}
	}
}

// partner finds the cheapest pair (by the sum of the two trials' costs) of
// a feasible trial of ws[i] and one of another worker whose seats between
// them hold the visit's seat skills (in either seat order), both starting
// at the later of their two starts (the earlier one tried again with the
// visit's window held at that start). It returns the partner and ws[i]'s
// trial at the common start.
func (l *live) partner(v int, ws []WorkerExplanation, i int) (care.WorkerID, Trial, bool) {
	type pair struct {
		j      int
		a, b   Trial
		amount float64
	}
	var pairs []pair
	feasible := func(we *WorkerExplanation) []Trial {
		var out []Trial
		for _, tr := range we.Trials {
			if len(tr.Blockers) == 0 {
				out = append(out, tr)
			}
		}
		return out
	}
	mine := feasible(&ws[i])
	for j := range ws {
		if j == i || ws[j].Worker == ws[i].Worker || (ws[j].Block != BlockNone && ws[j].Block != BlockNoPartner) {
			continue
		}
		for _, a := range mine {
			for _, b := range feasible(&ws[j]) {
				pairs = append(pairs, pair{j: j, a: a, b: b, amount: a.Cost.Total + b.Cost.Total})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return compareFloat(x.amount, y.amount) })
	for _, pr := range pairs {
		at := pr.a.Start
		if pr.b.Start.After(at) {
			at = pr.b.Start
		}
		// Either worker may take the first seat (with SeatDurations the
		// order is the assignment's, so both are tried).
		if !l.seatsHeld(v, ws[i].Worker, ws[pr.j].Worker, at) && !l.seatsHeld(v, ws[pr.j].Worker, ws[i].Worker, at) {
			continue
		}
		a, ok := l.heldAt(v, pr.a, at)
		if !ok {
			continue
		}
		if _, ok := l.heldAt(v, pr.b, at); !ok {
			continue
		}
		return ws[pr.j].Worker, a, true
	}
	return "", Trial{}, false
}

// seatsHeld reports whether workers a and b between them hold the seat
// skills of visit v at t (one seat each), with the role a seat's skill is
// reserved to (see holdsSeat). With SeatDurations the seats are taken in
// the order a, b (the assignment's order, as Evaluate reads it).
func (l *live) seatsHeld(v int, a, b care.WorkerID, t time.Time) bool {
	vis := &l.p.Visits[v]
	if len(vis.SeatSkills) < 2 {
		return true
	}
	wa, wb := l.workers[a], l.workers[b]
	if wa == nil || wb == nil {
		return false
	}
	if holdsSeat(wa, vis.SeatSkills[0], t) && holdsSeat(wb, vis.SeatSkills[1], t) {
		return true
	}
	return len(vis.SeatDurations) == 0 && holdsSeat(wa, vis.SeatSkills[1], t) && holdsSeat(wb, vis.SeatSkills[0], t)
}

// heldAt re-runs trial tr of visit v with the visit's start held at t
// (its window narrowed to that instant) and returns the trial there when
// it adds no hard violation, breaks no dependency and delays no other
// visit of the route into breaking one or its togetherness (mateBlockers).
func (l *live) heldAt(v int, tr Trial, t time.Time) (Trial, bool) {
	if tr.Start.Equal(t) {
		return tr, true
	}
	si, ok := l.shiftIdx[tr.Shift]
	if !ok {
		return Trial{}, false
	}
	q := shallowProblem(l.p)
	q.Visits[v].Windows = []schedule.Window{{Earliest: t, Latest: t}}
	fl := l.withProblem(q)
	ins := fl.insertions(v, si, tr.Position)
	if len(ins) == 0 || len(ins[0].added) > 0 {
		return Trial{}, false
	}
	st, ok := stopOf(ins[0].rr, q.Visits[v].ID)
	if !ok || !st.Start.Equal(t) || len(fl.depBlockers(v, si, ins[0].rr, t)) > 0 || len(fl.mateBlockers(v, si, ins[0].rr)) > 0 {
		return Trial{}, false
	}
	return Trial{Shift: tr.Shift, Position: tr.Position, Start: t, Cost: ins[0].delta}, true
}
