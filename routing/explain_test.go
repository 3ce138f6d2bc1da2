package routing

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// explainProblem is liveProblem(1) (w1, shift s1 08:00–12:00, visit k1 for
// u1 five minutes away, window 08:00–11:00, 20 min) plus visit X for
// service user ux at (6,8), ten minutes from the depot and five from u1:
// window 08:00–11:00, 30 min; and worker w2, who has no shift.
func explainProblem() *schedule.Problem {
	p := liveProblem(1)
	depot := care.Location{0, 0}
	p.Workers = append(p.Workers, care.Worker{ID: "w2", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot})
	p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: "ux", Location: care.Location{6, 8}})
	p.Visits = append(p.Visits, schedule.Visit{ID: "X", ServiceUser: "ux", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
		Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}})
	return p
}

func solveFor(t *testing.T, p *schedule.Problem) *schedule.Rota {
	t.Helper()
	res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 100})
	require.NoError(t, err)
	checkSolved(t, p.Name, p, res)
	return res.Rota
}

func served(r *schedule.Rota, id schedule.VisitID) bool {
	return slices.ContainsFunc(r.Routes, func(rt schedule.Route) bool { return slices.Contains(rt.Visits, id) })
}

// TestExplainReasons: one case per blocking constraint, known by
// construction. Where a fix is proposed, applying it to the problem and
// solving again really serves the visit.
func TestExplainReasons(t *testing.T) {
	x := func(p *schedule.Problem) *schedule.Visit { return &p.Visits[1] }
	cases := []struct {
		name    string
		setup   func(p *schedule.Problem)
		block   Block
		fix     FixKind
		minutes int
		amount  int64
	}{
		{"skill missing", func(p *schedule.Problem) { x(p).Skills = []care.Skill{care.SkillHoist} }, BlockSkillMissing, FixAddSkill, 0, 0},
		{"skill expired", func(p *schedule.Problem) {
			x(p).Skills = []care.Skill{care.SkillHoist}
			p.Workers[0].Qualifications = []care.Qualification{{Skill: care.SkillHoist, Obtained: day.AddDate(-2, 0, 0), Expires: ptr(day.AddDate(0, 0, -1))}}
		}, BlockSkillExpired, FixAddSkill, 0, 0},
		{"excluded by visit", func(p *schedule.Problem) { x(p).Excluded = []care.WorkerID{"w1"} }, BlockExcludedByVisit, "", 0, 0},
		{"excluded by person", func(p *schedule.Problem) {
			p.ServiceUsers[1].Preferences.ExcludedWorkers = []care.WorkerID{"w1"}
		}, BlockExcludedByPerson, "", 0, 0},
		{"pinned elsewhere", func(p *schedule.Problem) { x(p).Pinned = []care.WorkerID{"w2"} }, BlockPinnedElsewhere, "", 0, 0},
		{"no shift", func(p *schedule.Problem) {
			x(p).Windows[0] = schedule.Window{Earliest: at(20, 0), Latest: at(21, 0)}
		}, BlockNoShift, "", 0, 0},
		{"no shift, end later", func(p *schedule.Problem) {
			// The shift ends 12:00; X can start 14:00 at the earliest: k1 first,
			// then X 14:00–14:30, back 14:40.
			x(p).Windows[0] = schedule.Window{Earliest: at(14, 0), Latest: at(15, 0)}
		}, BlockNoShift, FixExtendShift, 160, 0},
		{"no shift, start earlier", func(p *schedule.Problem) {
			// The shift starts 08:00; X must start by 07:00, ten minutes away:
			// leave 06:50, X 07:00–07:30, then k1 at 08:00 (window 08:00–11:00).
			x(p).Windows[0] = schedule.Window{Earliest: at(6, 0), Latest: at(7, 0)}
		}, BlockNoShift, FixStartShiftEarlier, 70, 0},
		{"on leave", func(p *schedule.Problem) {
			p.Leave = []schedule.Leave{{Worker: "w1", From: at(9, 0), To: at(12, 0)}}
			p.Visits[0].Windows[0].Latest = at(8, 30) // k1 is done before the leave
			x(p).Windows[0] = schedule.Window{Earliest: at(9, 0), Latest: at(11, 0)}
		}, BlockOnLeave, "", 0, 0},
		{"window unreachable", func(p *schedule.Problem) {
			// 40 minutes away, latest start 08:20: the earliest arrival is 08:40.
			x(p).Location = &care.Location{0, 40}
			x(p).Windows[0].Latest = at(8, 20)
		}, BlockWindow, FixWidenWindow, 20, 0},
		{"shift end", func(p *schedule.Problem) {
			// k1 08:05–08:25, X 08:30–09:00, back 09:10 (or X first, k1 after, back 09:10).
			p.Shifts[0].End = at(9, 0)
		}, BlockShiftEnd, FixExtendShift, 10, 0},
		{"max shift", func(p *schedule.Problem) {
			// The same route lasts 70 minutes.
			p.Rules.MaxShift = schedule.Minutes(60)
		}, BlockMaxShift, FixAllowOvertime, 10, 0},
		{"capacity", func(p *schedule.Problem) {
			p.Shifts[0].Capacity = 1
			x(p).Load = 2
		}, BlockCapacity, FixRaiseCapacity, 0, 1},
		{"two carers", func(p *schedule.Problem) { x(p).Carers = 2 }, BlockNoPartner, "", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := explainProblem()
			tc.setup(p)
			require.NoError(t, p.Validate())
			r := solveFor(t, p)
			require.True(t, served(r, "k1"))
			require.False(t, served(r, "X"), "X must be out before the fix")
			ex, err := Explain(context.Background(), p, r, ExplainOptions{})
			require.NoError(t, err)
			require.Len(t, ex.Visits, 1)
			ve := ex.Visits[0]
			assert.Equal(t, schedule.VisitID("X"), ve.Visit)
			assert.NotEmpty(t, ve.Reason)
			require.Len(t, ve.Workers, 2)
			w1 := ve.Workers[0]
			assert.Equal(t, care.WorkerID("w1"), w1.Worker)
			assert.Equal(t, tc.block, w1.Block, "%+v", w1)
			assert.NotEmpty(t, w1.Detail)
			if tc.block != BlockPinnedElsewhere && tc.block != BlockNoPartner {
				assert.Equal(t, BlockNoShift, ve.Workers[1].Block, "w2 has no shift")
			}
			if tc.fix == "" {
				assert.Nil(t, w1.Fix, "%+v", w1.Fix)
				assert.Nil(t, ve.Fix)
				return
			}
			require.NotNil(t, ve.Fix, "%+v", w1)
			f := *ve.Fix
			assert.Equal(t, tc.fix, f.Kind)
			assert.Equal(t, tc.minutes, f.Minutes)
			assert.Equal(t, tc.amount, f.Amount)
			assert.Equal(t, care.WorkerID("w1"), f.Worker)
			assert.Equal(t, schedule.VisitID("X"), f.Visit)
			assert.Negative(t, f.Cost.Unassigned, "serving X saves its penalty")
			// Applied to the problem, the fix makes X assignable: Solve serves it.
			q := shallowProblem(p)
			require.NoError(t, f.Apply(q))
			require.NoError(t, q.Validate())
			r2 := solveFor(t, q)
			assert.True(t, served(r2, "X"), "after %+v", f)
			assert.True(t, served(r2, "k1"))
			// And the original problem is untouched.
			require.False(t, served(solveFor(t, p), "X"))
			// One minute (or unit) less is not enough: the fix is the smallest.
			if f.Minutes > 1 || f.Amount > 1 {
				g := f
				g.Minutes, g.Amount = max(f.Minutes-1, 0), max(f.Amount-1, 0)
				q := shallowProblem(p)
				require.NoError(t, g.Apply(q))
				assert.False(t, served(solveFor(t, q), "X"), "a smaller fix %+v already works", g)
			}
		})
	}
}

// TestExplainTrials: the blockers are found at each position by trial. X
// before k1 pushes k1 out of its window; X after k1 misses its own window
// (fixable by widening it 10 minutes).
func TestExplainTrials(t *testing.T) {
	p := explainProblem()
	p.Visits[0].Windows[0].Latest = at(8, 10) // k1 must start by 08:10
	p.Visits[1].Windows[0].Latest = at(8, 20) // X by 08:20
	r := solveFor(t, p)
	require.False(t, served(r, "X"))
	ex, err := Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
	require.NoError(t, err)
	w1 := ex.Visits[0].Workers[0]
	require.Len(t, w1.Trials, 2)
	before, after := w1.Trials[0], w1.Trials[1]
	require.Len(t, before.Blockers, 1)
	assert.Equal(t, BlockPushesOther, before.Blockers[0].Block)
	assert.True(t, strings.Contains(before.Blockers[0].Detail, `"k1"`), before.Blockers[0].Detail)
	require.Len(t, after.Blockers, 1)
	assert.Equal(t, BlockWindow, after.Blockers[0].Block)
	require.NotNil(t, w1.Fix)
	assert.Equal(t, FixWidenWindow, w1.Fix.Kind)
	assert.Equal(t, 1, w1.Fix.Position)
	assert.Equal(t, 10, w1.Fix.Minutes) // k1 08:05–08:25, X at 08:30
	assert.Equal(t, at(8, 30), w1.Fix.Start)
	assert.Equal(t, BlockWindow, w1.Block)
	q := shallowProblem(p)
	require.NoError(t, w1.Fix.Apply(q))
	assert.True(t, served(solveFor(t, q), "X"))
}

// TestExplainNotWorthIt: a feasible place exists but costs more than the
// visit's penalty; the cost is that of the trial.
func TestExplainNotWorthIt(t *testing.T) {
	p := explainProblem()
	p.Weights = schedule.Weights{Unassigned: 1, TravelTime: 100}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "X", Reason: schedule.NotWorthIt}},
	}
	ex, err := Explain(context.Background(), p, r, ExplainOptions{})
	require.NoError(t, err)
	w1 := ex.Visits[0].Workers[0]
	assert.Equal(t, BlockNone, w1.Block)
	require.NotNil(t, w1.Best)
	assert.Empty(t, w1.Best.Blockers)
	// Either order adds 10 minutes of travel (+1000) and saves the penalty (-1).
	assert.InDelta(t, 1000-1, w1.Best.Cost.Total, 1e-9)
	assert.Nil(t, w1.Fix)
	assert.Equal(t, schedule.NotWorthIt, ex.Visits[0].Reason)
}

func TestExplainErrors(t *testing.T) {
	p := explainProblem()
	_, err := Explain(context.Background(), p, &schedule.Rota{}, ExplainOptions{Visits: []schedule.VisitID{"nope"}})
	require.ErrorIs(t, err, ErrUnknownVisit)
	err = Fix{Kind: FixExtendShift, Shift: "nope"}.Apply(p)
	require.ErrorIs(t, err, ErrCannotApply)
	err = Fix{Kind: "paint_it_blue"}.Apply(p)
	require.ErrorIs(t, err, ErrCannotApply)
}

// carersOf returns the workers whose routes serve id.
func carersOf(r *schedule.Rota, id schedule.VisitID) []care.WorkerID {
	var out []care.WorkerID
	for _, rt := range r.Routes {
		if slices.Contains(rt.Visits, id) {
			out = append(out, rt.Worker)
		}
	}
	return out
}

// TestExplainDoubleHandedPaired: X needs two carers; w1 (k1 first or X
// first) and w2 (shift s2 08:00–12:00, nothing else) can both start it at
// 08:10: each is BlockNone with the other as partner, and Solve indeed
// serves X with both.
func TestExplainDoubleHandedPaired(t *testing.T) {
	p := explainProblem()
	p.Visits[1].Carers = 2
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)})
	require.NoError(t, p.Validate())
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	ex, err := Explain(context.Background(), p, r, ExplainOptions{})
	require.NoError(t, err)
	require.Len(t, ex.Visits, 1)
	ws := ex.Visits[0].Workers
	require.Len(t, ws, 2)
	assert.Equal(t, BlockNone, ws[0].Block, "%+v", ws[0])
	assert.Equal(t, care.WorkerID("w2"), ws[0].Partner)
	assert.Equal(t, BlockNone, ws[1].Block, "%+v", ws[1])
	assert.Equal(t, care.WorkerID("w1"), ws[1].Partner)
	require.NotNil(t, ws[0].Best)
	require.NotNil(t, ws[1].Best)
	assert.Equal(t, ws[0].Best.Start, ws[1].Best.Start, "both carers start together")
	assert.Equal(t, at(8, 10), ws[0].Best.Start, "ten minutes from the depot")
	assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, carersOf(solveFor(t, p), "X"))
}

// TestExplainDoubleHandedSeatOrder: X needs two carers, its first seat
// (30 min) a hoist-trained one, its second (20 min) anyone. w2 holds the
// hoist skill, w1 does not: the pair is w2 first, w1 second, and each is
// BlockNone with the other as partner, whichever is explained (before, w1
// was tried only in the first seat and was reported no_partner). Evaluate
// accepts the rota with that pair in that order at the common start.
func TestExplainDoubleHandedSeatOrder(t *testing.T) {
	p := explainProblem()
	x := &p.Visits[1]
	x.Carers = 2
	x.SeatSkills = [][]care.Skill{{care.SkillHoist}, {}}
	x.SeatDurations = []schedule.Duration{schedule.Minutes(30), schedule.Minutes(20)}
	p.Workers[1].Qualifications = []care.Qualification{{Skill: care.SkillHoist, Obtained: day.AddDate(-1, 0, 0)}}
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)})
	require.NoError(t, p.Validate())
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	ex, err := Explain(context.Background(), p, r, ExplainOptions{})
	require.NoError(t, err)
	require.Len(t, ex.Visits, 1)
	ws := ex.Visits[0].Workers
	require.Len(t, ws, 2)
	assert.Equal(t, BlockNone, ws[0].Block, "%+v", ws[0])
	assert.Equal(t, care.WorkerID("w2"), ws[0].Partner)
	assert.Equal(t, BlockNone, ws[1].Block, "%+v", ws[1])
	assert.Equal(t, care.WorkerID("w1"), ws[1].Partner)
	require.NotNil(t, ws[0].Best)
	require.NotNil(t, ws[1].Best)
	require.Equal(t, ws[0].Best.Start, ws[1].Best.Start)
	w1 := []schedule.VisitID{"k1"}
	w1 = slices.Insert(w1, ws[0].Best.Position, "X")
	got := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1"), {Visit: "X", Workers: []care.WorkerID{"w2", "w1"}, Start: ws[0].Best.Start}},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: w1},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"X"}},
		},
	}
	rep, err := Evaluate(p, got)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())
}

// TestExplainDoubleHandedNoPartner: w2's only shift is 12:00–16:00 and X
// (two carers) must start by 11:00: w1 could take a seat alone but has no
// partner (no_partner); w2 has no shift, and starting it 70 minutes earlier
// (leave 10:50, X at 11:00 with w1) is the fix, which Solve confirms; 69
// minutes are not enough.
func TestExplainDoubleHandedNoPartner(t *testing.T) {
	p := explainProblem()
	p.Visits[1].Carers = 2
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(12, 0), End: at(16, 0)})
	require.NoError(t, p.Validate())
	r := solveFor(t, p)
	require.False(t, served(r, "X"))
	ex, err := Explain(context.Background(), p, r, ExplainOptions{})
	require.NoError(t, err)
	require.Len(t, ex.Visits, 1)
	ws := ex.Visits[0].Workers
	assert.Equal(t, BlockNoPartner, ws[0].Block, "%+v", ws[0])
	assert.Empty(t, ws[0].Partner)
	assert.Equal(t, BlockNoShift, ws[1].Block, "%+v", ws[1])
	require.NotNil(t, ex.Visits[0].Fix)
	f := *ex.Visits[0].Fix
	assert.Equal(t, FixStartShiftEarlier, f.Kind)
	assert.Equal(t, care.WorkerID("w2"), f.Worker)
	assert.Equal(t, 70, f.Minutes)
	q := shallowProblem(p)
	require.NoError(t, f.Apply(q))
	assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, carersOf(solveFor(t, q), "X"))
	g := f
	g.Minutes--
	q = shallowProblem(p)
	require.NoError(t, g.Apply(q))
	assert.False(t, served(solveFor(t, q), "X"), "69 minutes already work")
}

// TestExplainDependency: X depends on k1. Served by a different worker
// only, w1 (k1's) is blocked by the dependency (no fix proposed); with k1
// unserved, the dependency names it as not served.
func TestExplainDependency(t *testing.T) {
	p := explainProblem()
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", Worker: schedule.DifferentWorker}}
	require.NoError(t, p.Validate())
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	ex, err := Explain(context.Background(), p, r, ExplainOptions{})
	require.NoError(t, err)
	require.Len(t, ex.Visits, 1)
	w1 := ex.Visits[0].Workers[0]
	assert.Equal(t, BlockDependency, w1.Block, "%+v", w1)
	assert.Nil(t, ex.Visits[0].Fix)
	// X before k1 starts before k1 ends; X after k1 shares k1's worker.
	require.Len(t, w1.Trials, 2)
	want := []string{"at least 0s needed", "a different worker is required"}
	for i, tr := range w1.Trials {
		require.Len(t, tr.Blockers, 1, "%+v", tr)
		assert.Equal(t, BlockDependency, tr.Blockers[0].Block)
		assert.Contains(t, tr.Blockers[0].Detail, want[i])
	}

	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(60)}}
	ex, err = Explain(context.Background(), p, &schedule.Rota{}, ExplainOptions{Visits: []schedule.VisitID{"X"}})
	require.NoError(t, err)
	w1 = ex.Visits[0].Workers[0]
	assert.Equal(t, BlockDependency, w1.Block, "%+v", w1)
	assert.Contains(t, w1.Detail, `"k1" is not served`)

	// k1 served 08:05–08:25 by w1: X must start 09:25 or later, but its
	// window ends 09:00: every trial is blocked by the gap.
	p.Visits[1].Windows[0].Latest = at(9, 0)
	ex, err = Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
	require.NoError(t, err)
	w1 = ex.Visits[0].Workers[0]
	assert.Equal(t, BlockDependency, w1.Block, "%+v", w1)
	assert.Contains(t, w1.Detail, "at least 1h0m0s")
}

// TestExplainDependencyFromStart: as in TestExplainDependency, k1 is served
// 08:05–08:25 by w1. X (50 minutes after k1) tried after k1 on w1's route
// would start 08:30 at the earliest; the trial waits for the gap, measured as
// Evaluate does: from k1's end (09:15) or, with From "start", from its start
// (08:55). Both are feasible, and Evaluate accepts the rota with X there.
// Tried before k1, X pushes k1 later and breaks the dependency whatever it
// waits.
func TestExplainDependencyFromStart(t *testing.T) {
	p := explainProblem()
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	for _, c := range []struct {
		from schedule.DependencyFrom
		want time.Time
	}{{schedule.FromEnd, at(9, 15)}, {schedule.FromStart, at(8, 55)}} {
		p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(50), From: c.from}}
		require.NoError(t, p.Validate())
		ex, err := Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
		require.NoError(t, err)
		require.Len(t, ex.Visits, 1)
		w1 := ex.Visits[0].Workers[0]
		assert.Equal(t, BlockNone, w1.Block, "from %q: %+v", c.from, w1)
		require.Len(t, w1.Trials, 2)
		before, after := w1.Trials[0], w1.Trials[1]
		require.Equal(t, 1, after.Position)
		assert.Equal(t, c.want, after.Start, "from %q", c.from)
		assert.Empty(t, after.Blockers, "from %q", c.from)
		require.NotEmpty(t, before.Blockers, "from %q", c.from)
		assert.Equal(t, BlockDependency, before.Blockers[0].Block)
		// The judge: the rota with X where the trial put it breaks nothing.
		got := &schedule.Rota{
			Assignments: []schedule.Assignment{assign("k1", "w1"), {Visit: "X", Workers: []care.WorkerID{"w1"}, Start: after.Start}},
			Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1", "X"}}},
		}
		rep, err := Evaluate(p, got)
		require.NoError(t, err)
		assert.Empty(t, rep.Hard(), "from %q", c.from)
	}
}

// TestExplainWaitsForDependency: a trial waits for the gaps of the visit's
// dependencies, in both directions, and reports the dependency only when no
// start in the window keeps the gap.
func TestExplainWaitsForDependency(t *testing.T) {
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	explainX := func(p *schedule.Problem) WorkerExplanation {
		t.Helper()
		require.NoError(t, p.Validate())
		ex, err := Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
		require.NoError(t, err)
		require.Len(t, ex.Visits, 1)
		return ex.Visits[0].Workers[0]
	}
	// X at most 30 minutes before k1 (k1 at 10:00, served by w1 from 10:00
	// as its window opens; X depends on nothing): k1 depends on X with
	// MaxGap 30 minutes, so X (30 min) must start at 09:00 or later. As
	// early as possible (08:10) the gap would be 1h20m.
	p := explainProblem()
	p.Visits[0].Windows[0].Earliest = at(10, 0)
	p.Visits[0].Dependencies = []schedule.Dependency{{Visit: "X", MaxGap: schedule.Minutes(30)}}
	w1 := explainX(p)
	assert.Equal(t, BlockNone, w1.Block, "%+v", w1)
	require.NotNil(t, w1.Best)
	assert.Equal(t, 0, w1.Best.Position)
	assert.Equal(t, at(9, 0), w1.Best.Start)
	got := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "X", Workers: []care.WorkerID{"w1"}, Start: w1.Best.Start}, assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"X", "k1"}}},
	}
	rep, err := Evaluate(p, got)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())

	// X at least 50 minutes after k1 ends (08:25): 09:15 at the earliest.
	// A window closing 09:20 holds it; one closing 09:10 does not, and the
	// dependency (not the window, which 08:30 meets) is the blocker.
	p = explainProblem()
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(50)}}
	p.Visits[1].Windows[0].Latest = at(9, 20)
	w1 = explainX(p)
	assert.Equal(t, BlockNone, w1.Block, "%+v", w1)
	assert.Equal(t, at(9, 15), w1.Best.Start)
	p.Visits[1].Windows[0].Latest = at(9, 10)
	w1 = explainX(p)
	assert.Equal(t, BlockDependency, w1.Block, "%+v", w1)
	assert.Contains(t, w1.Detail, "at least 50m0s")

	// Two windows: the first closes before the gap allows (08:00–09:00),
	// the second (10:00–11:00) holds the visit at 10:00.
	p.Visits[1].Windows = []schedule.Window{{Earliest: at(8, 0), Latest: at(9, 0)}, {Earliest: at(10, 0), Latest: at(11, 0)}}
	w1 = explainX(p)
	assert.Equal(t, BlockNone, w1.Block, "%+v", w1)
	assert.Equal(t, at(10, 0), w1.Best.Start)
}

// TestExplainFixWaitsForDependency: X needs a hoist skill w1 lacks and must
// start at least 50 minutes after k1 ends (08:25). The proposed fix (add
// the skill) is placed and timed as the trials are: after k1, at 09:15,
// not at 08:10 before k1, where the dependency breaks. Evaluate accepts
// the rota with X there once the fix is applied.
func TestExplainFixWaitsForDependency(t *testing.T) {
	p := explainProblem()
	p.Visits[1].Skills = []care.Skill{care.SkillHoist}
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(50)}}
	require.NoError(t, p.Validate())
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
	}
	ex, err := Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
	require.NoError(t, err)
	w1 := ex.Visits[0].Workers[0]
	assert.Equal(t, BlockSkillMissing, w1.Block, "%+v", w1)
	require.NotNil(t, w1.Fix)
	assert.Equal(t, FixAddSkill, w1.Fix.Kind)
	assert.Equal(t, 1, w1.Fix.Position)
	assert.Equal(t, at(9, 15), w1.Fix.Start)
	q := shallowProblem(p)
	require.NoError(t, w1.Fix.Apply(q))
	got := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1"), {Visit: "X", Workers: []care.WorkerID{"w1"}, Start: w1.Fix.Start}},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1", "X"}}},
	}
	rep, err := Evaluate(q, got)
	require.NoError(t, err)
	assert.Empty(t, rep.Hard())
}

// TestExplainPushesRouteMates: a trial that delays another visit of the
// route is blocked when that visit then breaks a rule it kept: k1, done by
// w1 and w2 together at 08:05, would start at 08:45 on w1's route with X
// first (not together, pushes_other_visit); k1 started within 20 minutes of
// k2's start (w2, 08:05) would start 40 minutes after it
// (dependency_unmet). X after k1 is feasible in both, and Evaluate agrees
// with each verdict. Before, only X's own rules and dependencies were
// checked, and X first was a feasible place.
func TestExplainPushesRouteMates(t *testing.T) {
	base := func() *schedule.Problem {
		p := explainProblem()
		p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)})
		return p
	}
	check := func(p *schedule.Problem, r *schedule.Rota, want Block) {
		t.Helper()
		require.NoError(t, p.Validate())
		ex, err := Explain(context.Background(), p, r, ExplainOptions{Visits: []schedule.VisitID{"X"}})
		require.NoError(t, err)
		w1 := ex.Visits[0].Workers[0]
		require.Len(t, w1.Trials, 2)
		first, after := w1.Trials[0], w1.Trials[1]
		require.NotEmpty(t, first.Blockers, "%+v", first)
		assert.Equal(t, want, first.Blockers[0].Block)
		assert.Contains(t, first.Blockers[0].Detail, `"k1"`)
		assert.Empty(t, after.Blockers)
		assert.Equal(t, BlockNone, w1.Block)
		assert.Equal(t, 1, w1.Best.Position)
		// The judge: X first adds a hard violation, X after k1 none.
		for _, tr := range []Trial{first, after} {
			got := &schedule.Rota{Routes: slices.Clone(r.Routes), Assignments: slices.Clone(r.Assignments)}
			got.Routes[0].Visits = slices.Insert(slices.Clone(got.Routes[0].Visits), tr.Position, "X")
			got.Assignments = append(got.Assignments, assign("X", "w1"))
			before, err := Evaluate(p, r)
			require.NoError(t, err)
			rep, err := Evaluate(p, got)
			require.NoError(t, err)
			assert.Equal(t, len(tr.Blockers) > 0, len(rep.Hard()) > len(before.Hard()), "position %d: %v", tr.Position, rep.Hard())
		}
	}
	p := base()
	p.Visits[0].Carers = 2
	check(p, &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1", "w2")},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"k1"}},
		},
	}, BlockPushesOther)

	p = base()
	p.Visits = append(p.Visits, schedule.Visit{ID: "k2", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20),
		Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}})
	p.Visits[0].Dependencies = []schedule.Dependency{{Visit: "k2", MaxGap: schedule.Minutes(20), From: schedule.FromStart}}
	check(p, &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1"), assign("k2", "w2")},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"k2"}},
		},
	}, BlockDependency)
}
