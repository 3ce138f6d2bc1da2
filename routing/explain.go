package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
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
	// BlockNoPartner: the visit needs two carers (planned from part 2 on).
	BlockNoPartner Block = "no_partner"
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
	// route out of its window.
	BlockPushesOther Block = "pushes_other_visit"
	// BlockShiftEnd: the route would return after the shift ends.
	BlockShiftEnd Block = "shift_end"
	// BlockMaxShift: the route would be longer than Rules.MaxShift.
	BlockMaxShift Block = "max_shift"
	// BlockCapacity: the route's load would exceed the shift's capacity.
	BlockCapacity Block = "capacity"
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
	Kind    FixKind          `json:"kind"`
	Visit   schedule.VisitID `json:"visit"`
	Worker  care.WorkerID    `json:"worker"`
	Shift   schedule.ShiftID `json:"shift"`
	Skill   care.Skill       `json:"skill,omitempty"`   // FixAddSkill
	Window  int              `json:"window,omitempty"`  // FixWidenWindow: index in Visit.Windows
	Minutes int              `json:"minutes,omitempty"` // FixExtendShift, FixWidenWindow, FixAllowOvertime
	Amount  int64            `json:"amount,omitempty"`  // FixRaiseCapacity
	// Position and Start say where the visit then goes (see Recommendation).
	Position int       `json:"position"`
	Start    time.Time `json:"start"`
	// Cost is the change of the rota's objective, term by term, when the
	// visit is served there once the fix is applied.
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
	Block  Block  `json:"block"`
	Detail string `json:"detail"` // times and amounts; IDs only
}

// Trial is the outcome of inserting the visit at one position of one of
// the worker's shifts.
type Trial struct {
	Shift    schedule.ShiftID `json:"shift"`
	Position int              `json:"position"`
	// Blockers are the hard constraints the insertion breaks (none = feasible).
	Blockers []Blocker `json:"blockers,omitempty"`
	// Cost is the objective change of the insertion (meaningful when feasible).
	Cost Objective `json:"cost"`
}

// WorkerExplanation says why one worker does not serve the visit.
type WorkerExplanation struct {
	Worker care.WorkerID `json:"worker"`
	// Block is the constraint that stands in the way at the worker's best
	// position (BlockNone when a feasible one exists); Detail gives times
	// and amounts.
	Block  Block  `json:"block"`
	Detail string `json:"detail,omitempty"`
	// Best is the worker's best trial: the cheapest feasible one, else the
	// one the Fix unblocks, else the one with the fewest blockers.
	Best *Trial `json:"best,omitempty"`
	// Trials are every trial insertion made (empty for blocks found
	// without trial: exclusion, pin, missing skill, no shift, two carers).
	Trials []Trial `json:"trials,omitempty"`
	// Fix is the cheapest single change that lets this worker serve the
	// visit, when one exists.
	Fix *Fix `json:"fix,omitempty"`
}

// VisitExplanation explains one visit the rota does not serve.
type VisitExplanation struct {
	Visit schedule.VisitID `json:"visit"`
	// Reason is the rota's own reason for the visit, when it lists one.
	Reason  schedule.Reason     `json:"reason,omitempty"`
	Workers []WorkerExplanation `json:"workers"`
	// Fix is the cheapest of the workers' fixes (by Cost.Total, then
	// minutes or amount), nil when no single change helps.
	Fix *Fix `json:"fix,omitempty"`
}

// Explanation is the outcome of Explain.
type Explanation struct {
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
// Each worker is checked first for what needs no trial: two carers needed
// (not planned in part 1), exclusion by the visit or the person, a pin to
// others, a required skill with no qualification at all, no shift meeting a
// window. Otherwise the visit is inserted by trial at every position of
// each of the worker's shifts that meet a window, and each trial route is
// recomputed by the evaluator's rules (see EvaluateWith; the routes' other
// visits start as early as possible): the hard violations it adds become
// blockers (on leave, skill expired, window unreachable, pushes another
// visit out of its window, shift end, maximum shift, capacity).
//
// A fix is proposed where one change removes every blocker of a trial:
// extend the shift, widen the visit's window, add (or renew) a skill,
// allow overtime, raise capacity, by the least whole minutes or units; the
// fix is applied to a copy of the problem and the trial re-run to confirm
// it and price it. When no shift of the worker meets a window, the least
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
			we := l.explainWorker(v, &p.Workers[wi])
			if we.Fix != nil && (ve.Fix == nil || lessFix(*we.Fix, *ve.Fix)) {
				f := *we.Fix
				ve.Fix = &f
			}
			ve.Workers = append(ve.Workers, we)
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
	case vis.CarersNeeded() > 1:
		return block(BlockNoPartner, "the visit needs %d carers; part 1 plans one", vis.CarersNeeded())
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
	for _, s := range vis.Skills {
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
		for _, ins := range l.insertions(v, si, 0) {
			tr := Trial{Shift: l.p.Shifts[si].ID, Position: ins.pos, Cost: ins.delta, Blockers: l.blockers(v, ins)}
			we.Trials = append(we.Trials, tr)
			switch {
			case len(tr.Blockers) == 0:
				if best == nil || len(best.Blockers) > 0 || tr.Cost.Total < best.Cost.Total {
					best = &tr
				}
			case best != nil && len(best.Blockers) == 0:
				// A feasible place is known: fixes are not needed.
			default:
				if f := l.fixFor(v, ins); f != nil && (bestFix == nil || lessFix(*f, *bestFix)) {
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
var blockPriority = map[Block]int{BlockOnLeave: 0, BlockSkillExpired: 1, BlockWindow: 2, BlockShiftEnd: 3, BlockMaxShift: 4, BlockCapacity: 5, BlockPushesOther: 6}

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
// feasible.
func (l *live) confirm(v, si, pos int, f Fix) *Fix {
	q := shallowProblem(l.p)
	if f.Apply(q) != nil {
		return nil
	}
	fl := l.withProblem(q)
	ins := fl.insertions(v, si, pos)
	if len(ins) == 0 || len(ins[0].added) > 0 {
		return nil
	}
	f.Position = pos
	f.Cost = ins[0].delta
	if st, ok := stopOf(ins[0].rr, l.p.Visits[v].ID); ok {
		f.Start = st.Start
	}
	return &f
}

// bestFixed applies f to a copy of the problem and returns f at the
// cheapest feasible place among shifts, or nil when the fix is not enough.
func (l *live) bestFixed(v int, shifts []int, f Fix) *Fix {
	q := shallowProblem(l.p)
	if f.Apply(q) != nil {
		return nil
	}
	fl := l.withProblem(q)
	var best *Fix
	for _, si := range shifts {
		for _, ins := range fl.insertions(v, si, 0) {
			if len(ins.added) > 0 {
				continue
			}
			if best == nil || ins.delta.Total < best.Cost.Total {
				g := f
				g.Shift, g.Position, g.Cost = l.p.Shifts[si].ID, ins.pos, ins.delta
				if st, ok := stopOf(ins.rr, l.p.Visits[v].ID); ok {
					g.Start = st.Start
				}
				best = &g
			}
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
