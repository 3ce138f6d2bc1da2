package routing

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineProblem: depot (0,0), one unit = one minute. Service user ua at
// (10,0) and ub at (0,10).
//
//	A: ua, 09:00–09:30, 30 min (on w1's route)
//	B: ub, 08:00–11:00, 20 min (on w2's route)
//	N: ua, 08:00–11:00, 10 min, new (unassigned), at (11,0)
//
// w1..w3 have shifts 08:00–12:00; w4 is excluded by N; w5's shift ends 08:30.
func lineProblem() (*schedule.Problem, *schedule.Rota) {
	depot := care.Location{0, 0}
	p := &schedule.Problem{
		Name: "line", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "ua", Location: care.Location{10, 0}}, {ID: "ub", Location: care.Location{0, 10}}},
		Visits: []schedule.Visit{
			{ID: "A", ServiceUser: "ua", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30), Windows: []schedule.Window{{Earliest: at(9, 0), Latest: at(9, 30)}}},
			{ID: "B", ServiceUser: "ub", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}},
			{ID: "N", ServiceUser: "ua", Kind: schedule.Meal, Duration: schedule.Minutes(10), Location: &care.Location{11, 0},
				Excluded: []care.WorkerID{"w4"}, Windows: []schedule.Window{{Earliest: at(8, 0), Latest: at(11, 0)}}},
		},
		Weights: schedule.Weights{Unassigned: 1000, Shift: 10, TravelTime: 1, WorkingTime: 0.1, Continuity: 5},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	for i, w := range []care.WorkerID{"w1", "w2", "w3", "w4", "w5"} {
		p.Workers = append(p.Workers, care.Worker{ID: w, Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot})
		end := at(12, 0)
		if i == 4 {
			end = at(8, 30)
		}
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID("s" + string(w[1:])), Worker: w, Start: at(8, 0), End: end})
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("A", "w1"), assign("B", "w2")},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"A"}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"B"}},
		},
		Unassigned: []schedule.Unassigned{{Visit: "N", Reason: schedule.NotWorthIt}},
	}
	return p, r
}

// stripStarts returns r without planned starts or legs.
func stripStarts(r *schedule.Rota) *schedule.Rota {
	out := &schedule.Rota{Unassigned: slices.Clone(r.Unassigned)}
	for _, a := range r.Assignments {
		out.Assignments = append(out.Assignments, schedule.Assignment{Visit: a.Visit, Workers: a.Workers})
	}
	for _, rt := range r.Routes {
		rt.Legs = nil
		out.Routes = append(out.Routes, rt)
	}
	return out
}

func TestRecommendKnownBest(t *testing.T) {
	p, r := lineProblem()
	recs, err := Recommend(context.Background(), p, r, "N", 0, RecommendOptions{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(recs), 4)
	// Best: w1 after A (A 09:00–09:30, one minute on to N, 11 back):
	// travel +2 min, working time 50 → 62 min (+1.2), the unassigned penalty saved.
	best := recs[0]
	assert.Equal(t, care.WorkerID("w1"), best.Worker)
	assert.Equal(t, 1, best.Position)
	assert.Equal(t, at(9, 31), best.Start)
	assert.InDelta(t, -1000+2+1.2, best.Cost.Total, 1e-9)
	assert.InDelta(t, -1000, best.Cost.Unassigned, 1e-9)
	assert.Zero(t, best.Cost.Continuity)
	assert.Contains(t, best.Reason, "already visits the service user")
	// Second: w1 before A (leaves 08:00, N 08:11, waits for A until 09:00): travel +2, working time +50 min.
	assert.Equal(t, care.WorkerID("w1"), recs[1].Worker)
	assert.Equal(t, 0, recs[1].Position)
	assert.InDelta(t, -1000+2+5, recs[1].Cost.Total, 1e-9)
	// Never the excluded worker nor the short shift.
	for _, rec := range recs {
		assert.NotEqual(t, care.WorkerID("w4"), rec.Worker)
		assert.NotEqual(t, care.WorkerID("w5"), rec.Worker)
		// Another carer for ua costs continuity.
		if rec.Worker != "w1" {
			assert.InDelta(t, 5, rec.Cost.Continuity, 1e-9, rec.Worker)
		}
	}
	assert.True(t, slices.IsSortedFunc(recs, func(a, b Recommendation) int { return compareFloat(a.Cost.Total, b.Cost.Total) }))
	// Every cost equals the change of the evaluated objective, and the place is feasible.
	base, err := Evaluate(p, stripStarts(r))
	require.NoError(t, err)
	for _, rec := range recs {
		rep, err := Evaluate(p, withInsertion(p, r, "N", rec.Shift, rec.Position))
		require.NoError(t, err)
		require.Empty(t, rep.Hard(), "%+v", rec)
		assert.InDelta(t, rep.Objective.Total-base.Objective.Total, rec.Cost.Total, 1e-9, "%+v", rec)
	}
	// k limits the list.
	top, err := Recommend(context.Background(), p, r, "N", 2, RecommendOptions{})
	require.NoError(t, err)
	assert.Equal(t, recs[:2], top)
}

// TestRecommendMove: for a visit already planned, staying put costs
// nothing; moving it is priced against its current place (here joining w2's
// route is cheaper: one shift fewer and less travel).
func TestRecommendMove(t *testing.T) {
	p, r := lineProblem()
	recs, err := Recommend(context.Background(), p, r, "A", 0, RecommendOptions{})
	require.NoError(t, err)
	stay := slices.IndexFunc(recs, func(rec Recommendation) bool { return rec.Worker == "w1" })
	require.GreaterOrEqual(t, stay, 0)
	assert.InDelta(t, 0, recs[stay].Cost.Total, 1e-9)
	assert.Equal(t, care.WorkerID("w2"), recs[0].Worker)
	assert.InDelta(t, -10, recs[0].Cost.Shifts, 1e-9)
	assert.Negative(t, recs[0].Cost.Total)
	base, err := Evaluate(p, stripStarts(r))
	require.NoError(t, err)
	for _, rec := range recs {
		rep, err := Evaluate(p, withInsertion(p, r, "A", rec.Shift, rec.Position))
		require.NoError(t, err)
		require.Empty(t, rep.Hard(), "%+v", rec)
		assert.InDelta(t, rep.Objective.Total-base.Objective.Total, rec.Cost.Total, 1e-9, "%+v", rec)
	}
}

func TestRecommendErrors(t *testing.T) {
	p, r := lineProblem()
	_, err := Recommend(context.Background(), p, r, "nope", 1, RecommendOptions{})
	require.ErrorIs(t, err, ErrUnknownVisit)
	assert.Contains(t, err.Error(), `"nope"`)
	_, err = Recommend(context.Background(), nil, r, "A", 1, RecommendOptions{})
	require.ErrorIs(t, err, care.ErrInvalid)
}

// TestRecommendNewVisit: a visit not yet in the problem, passed as
// NewVisit, gets the same places as when it is part of the problem.
func TestRecommendNewVisit(t *testing.T) {
	p, r := lineProblem()
	want, err := Recommend(context.Background(), p, r, "N", 3, RecommendOptions{})
	require.NoError(t, err)
	n := p.Visits[2]
	p.Visits = p.Visits[:2]
	r.Unassigned = nil
	got, err := Recommend(context.Background(), p, r, "N", 3, RecommendOptions{NewVisit: &n})
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Len(t, p.Visits, 2, "the caller's problem is untouched")
	_, err = Recommend(context.Background(), p, r, "M", 3, RecommendOptions{NewVisit: &n})
	require.ErrorIs(t, err, care.ErrInvalid)
	_, err = Recommend(context.Background(), p, r, "A", 3, RecommendOptions{NewVisit: &p.Visits[0]})
	require.ErrorIs(t, err, care.ErrInvalid)
}

// pairProblem: depot (0,0), one unit = one minute; weights: 1000 per
// unserved visit, 10 per used shift, 1 per minute of travel (no working
// time). D needs two carers with a hoist, for ud at (0,10): 09:00–10:00,
// 30 min.
//
//	w1 (08:00–12:00) serves A at ud's place, 08:00–08:30: after A, D costs
//	   no travel (D at 09:00); before A, A misses its window.
//	w2 (08:00–12:00) serves B at (0,20), 10:10–10:15, 20 min: D first
//	   (09:00–09:30) costs no travel and B still starts 10:10; held until
//	   09:40, D ends 10:10 and B (10 min on) would start 10:20, too late.
//	w3 (08:00–12:00) is free: a new route, +10 shift, +20 travel.
//	w4 (09:30–12:00) is free: the same, D no earlier than 09:40.
//	w5 (08:00–12:00) is free but has no hoist.
//
// Pairs by construction: (w1,w2) at 09:00, -1000; (w1,w3) and (w2,w3) at
// 09:00 and (w1,w4) at 09:40, -970; (w3,w4) at 09:40, -940. (w2,w4) is
// infeasible (B), and so is every pair with w5.
func pairProblem() (*schedule.Problem, *schedule.Rota) {
	depot := care.Location{0, 0}
	win := func(h1, m1, h2, m2 int) []schedule.Window {
		return []schedule.Window{{Earliest: at(h1, m1), Latest: at(h2, m2)}}
	}
	p := &schedule.Problem{
		Name: "pair", Start: day, End: day.Add(24 * time.Hour), TimeZone: "UTC",
		ServiceUsers: []care.ServiceUser{{ID: "ud", Location: care.Location{0, 10}}, {ID: "ub", Location: care.Location{0, 20}}},
		Visits: []schedule.Visit{
			{ID: "A", ServiceUser: "ud", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30), Windows: win(8, 0, 8, 30)},
			{ID: "B", ServiceUser: "ub", Kind: schedule.PersonalCare, Duration: schedule.Minutes(20), Windows: win(10, 10, 10, 15)},
			{ID: "D", ServiceUser: "ud", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30), Carers: 2,
				Skills: []care.Skill{care.SkillHoist}, Windows: win(9, 0, 10, 0)},
		},
		Weights: schedule.Weights{Unassigned: 1000, Shift: 10, TravelTime: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
	}
	hoist := []care.Qualification{{Skill: care.SkillHoist, Obtained: day.AddDate(-1, 0, 0)}}
	for i, w := range []care.WorkerID{"w1", "w2", "w3", "w4", "w5"} {
		wk := care.Worker{ID: w, Role: care.RoleCareWorker, TravelMode: care.Car, Home: &depot}
		if i < 4 {
			wk.Qualifications = hoist
		}
		p.Workers = append(p.Workers, wk)
		start := at(8, 0)
		if w == "w4" {
			start = at(9, 30)
		}
		p.Shifts = append(p.Shifts, schedule.Shift{ID: schedule.ShiftID("s" + string(w[1:])), Worker: w, Start: start, End: at(12, 0)})
	}
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("A", "w1"), assign("B", "w2")},
		Routes: []schedule.Route{
			{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"A"}},
			{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"B"}},
		},
		Unassigned: []schedule.Unassigned{{Visit: "D", Reason: schedule.NoPartner}},
	}
	return p, r
}

// withPair returns r (starts floating) with double-handed visit id taken
// out of wherever it is and served by rec's two workers at rec's positions,
// its assignment starting at rec.Start: built here, not by Recommend.
func withPair(p *schedule.Problem, r *schedule.Rota, rec Recommendation) *schedule.Rota {
	out := withInsertion(p, r, rec.Visit, rec.Shift, rec.Position)
	found := false
	for i, rt := range out.Routes {
		if rt.Shift == rec.PartnerShift {
			out.Routes[i].Visits = slices.Insert(slices.Clone(rt.Visits), rec.PartnerPosition, rec.Visit)
			found = true
		}
	}
	if !found {
		out.Routes = append(out.Routes, schedule.Route{Worker: rec.Partner, Shift: rec.PartnerShift, Visits: []schedule.VisitID{rec.Visit}})
	}
	i := slices.IndexFunc(out.Assignments, func(a schedule.Assignment) bool { return a.Visit == rec.Visit })
	out.Assignments[i] = schedule.Assignment{Visit: rec.Visit, Workers: []care.WorkerID{rec.Worker, rec.Partner}, Start: rec.Start}
	return out
}

// TestRecommendDoubleHanded: the pairs of pairProblem, known by
// construction, come back cheapest first with their common start, and each
// one's cost is the evaluator's objective change of the rota built here
// with the pair in place (which breaks no hard rule).
func TestRecommendDoubleHanded(t *testing.T) {
	p, r := pairProblem()
	require.NoError(t, p.Validate())
	recs, err := Recommend(context.Background(), p, r, "D", 0, RecommendOptions{})
	require.NoError(t, err)
	type got struct {
		pair  [2]care.WorkerID
		start time.Time
		cost  float64
	}
	var all []got
	for _, rec := range recs {
		pair := [2]care.WorkerID{rec.Worker, rec.Partner}
		slices.Sort(pair[:])
		all = append(all, got{pair: pair, start: rec.Start, cost: rec.Cost.Total})
	}
	assert.Equal(t, []got{
		{[2]care.WorkerID{"w1", "w2"}, at(9, 0), -1000},
		{[2]care.WorkerID{"w1", "w3"}, at(9, 0), -970},
		{[2]care.WorkerID{"w2", "w3"}, at(9, 0), -970},
		{[2]care.WorkerID{"w1", "w4"}, at(9, 40), -970},
		{[2]care.WorkerID{"w3", "w4"}, at(9, 40), -940},
	}, sortedTies(all, func(g got) string { return string(g.pair[0] + g.pair[1]) }, func(g got) float64 { return g.cost }, func(g got) time.Time { return g.start }))
	best := recs[0]
	assert.Equal(t, 1, map[care.WorkerID]int{"w1": best.Position, "w2": best.PartnerPosition}[best.Worker], "w1 after A")
	assert.Equal(t, at(8, 40), map[care.WorkerID]time.Time{"w1": best.Arrival, "w2": best.PartnerArrival}["w1"], "w1 arrives from A, which ends 08:40")
	assert.Contains(t, best.Reason, "both starting")
	assert.Contains(t, best.Reason, "unassigned -1000.0")
	assert.Contains(t, best.Reason, "already visits the service user")
	base, err := Evaluate(p, stripStarts(r))
	require.NoError(t, err)
	for _, rec := range recs {
		rep, err := Evaluate(p, withPair(p, r, rec))
		require.NoError(t, err)
		require.Empty(t, rep.Hard(), "%+v", rec)
		assert.InDelta(t, rep.Objective.Total-base.Objective.Total, rec.Cost.Total, 1e-9, "%+v", rec)
		// Both carers start at the recommended start.
		for _, rr := range rep.Routes {
			if st, ok := stopOf(rr, "D"); ok {
				assert.Equal(t, rec.Start, st.Start, "%s", rr.Worker)
			}
		}
	}
	// (w2, w4) held at 09:40 pushes B out of its window: not offered.
	rec := Recommendation{Visit: "D", Worker: "w2", Shift: "s2", Position: 0, Partner: "w4", PartnerShift: "s4", Start: at(9, 40)}
	rep, err := Evaluate(p, withPair(p, r, rec))
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(rep.Hard(), func(v Violation) bool { return v.Kind == WindowMissed && v.Visit == "B" }), "%v", rep.Hard())
	// k limits the list to the cheapest.
	top, err := Recommend(context.Background(), p, r, "D", 1, RecommendOptions{})
	require.NoError(t, err)
	require.Len(t, top, 1)
	assert.Equal(t, recs[0], top[0])

	// Moving D from (w3, w4): staying costs nothing; (w1, w2) saves both new routes (-60).
	moved := withPair(p, r, Recommendation{Visit: "D", Worker: "w3", Shift: "s3", Partner: "w4", PartnerShift: "s4", Start: at(9, 40)})
	recs, err = Recommend(context.Background(), p, moved, "D", 0, RecommendOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, []care.WorkerID{recs[0].Worker, recs[0].Partner})
	assert.InDelta(t, -60, recs[0].Cost.Total, 1e-9)
	i := slices.IndexFunc(recs, func(rec Recommendation) bool { return rec.Worker == "w3" && rec.Partner == "w4" })
	require.GreaterOrEqual(t, i, 0)
	assert.InDelta(t, 0, recs[i].Cost.Total, 1e-9)

	// Seat skills: the second seat needs catheter care, which only w3
	// holds: every pair has w3.
	p.Visits[2].SeatSkills = [][]care.Skill{{care.SkillHoist}, {care.SkillCatheterStoma}}
	p.Workers[2].Qualifications = append(slices.Clone(p.Workers[2].Qualifications), care.Qualification{Skill: care.SkillCatheterStoma, Obtained: day.AddDate(-1, 0, 0)})
	require.NoError(t, p.Validate())
	recs, err = Recommend(context.Background(), p, r, "D", 0, RecommendOptions{})
	require.NoError(t, err)
	var pairs [][2]care.WorkerID
	for _, rec := range recs {
		pairs = append(pairs, [2]care.WorkerID{rec.Worker, rec.Partner})
	}
	assert.Equal(t, [][2]care.WorkerID{{"w1", "w3"}, {"w2", "w3"}, {"w3", "w4"}}, pairs)
}

// sortedTies orders xs by cost, then start, then name: a canonical order
// for recommendations whose cost and start tie.
func sortedTies[T any](xs []T, name func(T) string, cost func(T) float64, start func(T) time.Time) []T {
	out := slices.Clone(xs)
	slices.SortStableFunc(out, func(a, b T) int {
		if c := compareFloat(cost(a), cost(b)); c != 0 {
			return c
		}
		if c := start(a).Compare(start(b)); c != 0 {
			return c
		}
		return strings.Compare(name(a), name(b))
	})
	return out
}

// TestRecommendSeatDurations: seatOrderProblem's k1 (window closing 08:30)
// is unassigned; w2 serves k2 (08:25–08:30 window) and can take k1 only in
// its short first seat (08:05–08:25, then k2 at 08:25), w1 and w3 in
// either. The cheapest pair is w2 (first seat) with w1, whose shift is not
// used yet either, listed in that order; every pair's rota, built here in
// the recommended seat order, is one Evaluate accepts. Before, each seat
// was timed with the longest seat (w2 had no place) and the seats went by
// worker ID.
func TestRecommendSeatDurations(t *testing.T) {
	p := seatOrderPair(t)
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{{Visit: "k2", Workers: []care.WorkerID{"w2"}}},
		Routes:      []schedule.Route{{Worker: "w2", Shift: "s2", Visits: []schedule.VisitID{"k2"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "k1", Reason: schedule.NoPartner}},
	}
	recs, err := Recommend(context.Background(), p, r, "k1", 0, RecommendOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.Equal(t, care.WorkerID("w2"), recs[0].Worker, "%+v", recs[0])
	assert.Equal(t, care.WorkerID("w1"), recs[0].Partner)
	assert.Equal(t, at(8, 5), recs[0].Start)
	for _, rec := range recs {
		got := withPair(p, r, rec)
		got.Unassigned = nil
		rep, err := Evaluate(p, got)
		require.NoError(t, err)
		assert.Empty(t, rep.Hard(), "%+v", rec)
	}
}

// TestRecommendWaitsForDependency: X must start at least 50 minutes after
// k1 (w1, 08:05–08:25) ends. Every recommended place waits until 09:15 (w1
// after k1, or w2, whose shift is empty); none puts X before k1 on w1's
// route, where the dependency breaks whatever X waits. Evaluate accepts
// the rota built here from each recommendation, X planned at its Start.
// Before, places were timed as early as possible (08:10, 08:30) with the
// dependency unchecked.
func TestRecommendWaitsForDependency(t *testing.T) {
	p := explainProblem()
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "k1", MinGap: schedule.Minutes(50)}}
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s2", Worker: "w2", Start: at(8, 0), End: at(12, 0)})
	require.NoError(t, p.Validate())
	r := &schedule.Rota{
		Assignments: []schedule.Assignment{assign("k1", "w1")},
		Routes:      []schedule.Route{{Worker: "w1", Shift: "s1", Visits: []schedule.VisitID{"k1"}}},
		Unassigned:  []schedule.Unassigned{{Visit: "X", Reason: schedule.DependencyUnmet}},
	}
	recs, err := Recommend(context.Background(), p, r, "X", 0, RecommendOptions{})
	require.NoError(t, err)
	type place struct {
		shift schedule.ShiftID
		pos   int
	}
	var got []place
	for _, rec := range recs {
		got = append(got, place{rec.Shift, rec.Position})
		assert.Equal(t, at(9, 15), rec.Start, "%+v", rec)
		rota := withInsertion(p, r, "X", rec.Shift, rec.Position)
		i := slices.IndexFunc(rota.Assignments, func(a schedule.Assignment) bool { return a.Visit == "X" })
		rota.Assignments[i].Start = rec.Start
		rep, err := Evaluate(p, rota)
		require.NoError(t, err)
		assert.Empty(t, rep.Hard(), "%+v", rec)
	}
	assert.ElementsMatch(t, []place{{"s1", 1}, {"s2", 0}}, got)
}

// delayProblem: liveProblem(3) without k3: w1 serves k1 and w2 k2, both
// planned at 08:05 (five minutes from the depot, 20 minutes each); w3's
// shift is empty. newVisit is a visit for u1 (at k1's place) of 10
// minutes, window 08:00–latest, carers carers, not yet in the problem.
func delayProblem(t *testing.T, latest time.Time, carers int) (*schedule.Problem, *schedule.Rota, schedule.Visit) {
	p := liveProblem(3)
	p.Visits = p.Visits[:2]
	r := publishedRota(
		liveStop{"k1", "w1", "s1", at(8, 5)},
		liveStop{"k2", "w2", "s2", at(8, 5)},
	)
	requireClean(t, p, r)
	n := schedule.Visit{ID: "N", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(10), Carers: carers,
		Windows: []schedule.Window{{Earliest: at(8, 0), Latest: latest}}}
	return p, r, n
}

// TestRecommendDelays: N (10 minutes) before k1 on w1's route starts at
// 08:05 and delays k1 from 08:05 to 08:15; after k1 it starts at 08:25 and
// delays nothing, at the same cost (same travel, both routes back at
// 08:40). Likewise on w2's route with k2. Recommend lists the delays
// exactly (Evaluate times the delayed visit there too), says so in Reason,
// and, between the equal costs, ranks the places that delay nobody first
// (before, the earlier start came first); w3's empty shift delays nobody
// but costs more (a shift, and the travel there and back).
func TestRecommendDelays(t *testing.T) {
	p, r, n := delayProblem(t, at(11, 0), 1)
	recs, err := Recommend(context.Background(), p, r, "N", 0, RecommendOptions{NewVisit: &n})
	require.NoError(t, err)
	require.Len(t, recs, 5)
	for i, rec := range recs[:4] {
		assert.InDelta(t, recs[0].Cost.Total, rec.Cost.Total, 1e-9, "place %d: the four places cost the same", i)
	}
	for _, rec := range recs[:2] {
		assert.Equal(t, 1, rec.Position)
		assert.Equal(t, at(8, 25), rec.Start)
		assert.Empty(t, rec.Delays)
		assert.NotContains(t, rec.Reason, "delays")
	}
	assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, []care.WorkerID{recs[0].Worker, recs[1].Worker})
	assert.ElementsMatch(t, []care.WorkerID{"w1", "w2"}, []care.WorkerID{recs[2].Worker, recs[3].Worker})
	q := shallowProblem(p)
	q.Visits = append(slices.Clone(p.Visits), n)
	for _, rec := range recs[2:4] {
		assert.Equal(t, 0, rec.Position)
		assert.Equal(t, at(8, 5), rec.Start)
		k := schedule.VisitID("k" + string(rec.Worker[1:]))
		assert.Equal(t, []Delay{{Visit: k, Worker: rec.Worker, Shift: rec.Shift, From: at(8, 5), To: at(8, 15), By: 10 * time.Minute}}, rec.Delays)
		assert.Contains(t, rec.Reason, "; delays 1 other visit, by up to 10m0s")
		// Evaluate, on the rota with N there (k's planned start a lower
		// bound), starts k at the delay's To.
		rep, err := Evaluate(q, placedAt(r, "N", rec.Worker, rec.Shift, rec.Position, rec.Start))
		require.NoError(t, err)
		for _, rr := range rep.Routes {
			if st, ok := stopOf(rr, k); ok {
				assert.Equal(t, rec.Delays[0].To, st.Start)
			}
		}
	}
	assert.Equal(t, care.WorkerID("w3"), recs[4].Worker)
	assert.Empty(t, recs[4].Delays)
	assert.InDelta(t, recs[0].Cost.Total+10+10+1, recs[4].Cost.Total, 1e-9, "w3's place costs a shift, 10 minutes of travel and 10 of work more")
}

// TestRecommendDelaysDoubleHanded: N needs two carers and must start by
// 08:20, so it goes before k1 and k2. The cheapest pair, w1 and w2 (no new
// shift), delays both, each by 10 minutes, one entry per worker; a pair
// with w3 (empty shift) delays only its other worker's visit.
func TestRecommendDelaysDoubleHanded(t *testing.T) {
	p, r, n := delayProblem(t, at(8, 20), 2)
	recs, err := Recommend(context.Background(), p, r, "N", 0, RecommendOptions{NewVisit: &n})
	require.NoError(t, err)
	require.Len(t, recs, 3)
	best := recs[0]
	assert.Equal(t, [2]care.WorkerID{"w1", "w2"}, [2]care.WorkerID{best.Worker, best.Partner})
	assert.Equal(t, at(8, 5), best.Start)
	assert.Equal(t, []Delay{
		{Visit: "k1", Worker: "w1", Shift: "s1", From: at(8, 5), To: at(8, 15), By: 10 * time.Minute},
		{Visit: "k2", Worker: "w2", Shift: "s2", From: at(8, 5), To: at(8, 15), By: 10 * time.Minute},
	}, best.Delays)
	assert.Contains(t, best.Reason, "; delays 2 other visits, by up to 10m0s")
	for _, rec := range recs[1:] {
		other := rec.Worker
		if other == "w3" {
			other = rec.Partner
		}
		require.Contains(t, []care.WorkerID{rec.Worker, rec.Partner}, care.WorkerID("w3"))
		k := schedule.VisitID("k" + string(other[1:]))
		s := schedule.ShiftID("s" + string(other[1:]))
		assert.Equal(t, []Delay{{Visit: k, Worker: other, Shift: s, From: at(8, 5), To: at(8, 15), By: 10 * time.Minute}}, rec.Delays)
	}
}

// detourTravel is Euclidean travel (one unit = one minute) except from
// (3,4) to (9,12), which takes 40 minutes instead of 10: a matrix that
// breaks the triangle inequality, as road matrices may.
type detourTravel struct{}

func (detourTravel) Matrix(_ context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error) {
	n := len(locs)
	secs, metres := make([]float64, n*n), make([]float64, n*n)
	for i, a := range locs {
		for j, b := range locs {
			d := math.Hypot(a[0]-b[0], a[1]-b[1])
			if a == (care.Location{3, 4}) && b == (care.Location{9, 12}) {
				d = 40
			}
			secs[i*n+j], metres[i*n+j] = 60*d, d
		}
	}
	tables, dists := make([][]float64, len(modes)), make([][]float64, len(modes))
	for k := range modes {
		tables[k], dists[k] = secs, metres
	}
	return NewMatrix(locs, modes, tables, dists)
}

// TestRecommendDelaysLeftRoute: w1 serves k1 (u1 at (3,4)), k2 (u2 at
// (6,8)) and k3 (u3 at (9,12)), planned 08:05, 08:30 and 08:55; going
// straight from u1 to u3 takes 40 minutes (detourTravel), not 10. Moving
// k2 to w2 leaves w1 to drive u1 to u3 directly, so k3 starts at 09:05:
// the route k2 leaves delays k3 by 10 minutes, and the recommendation says
// so.
func TestRecommendDelaysLeftRoute(t *testing.T) {
	p := liveProblem(3)
	p.ServiceUsers[1].Location = care.Location{6, 8}
	p.ServiceUsers[2].Location = care.Location{9, 12}
	require.NoError(t, p.Validate())
	r := publishedRota(
		liveStop{"k1", "w1", "s1", at(8, 5)},
		liveStop{"k2", "w1", "s1", at(8, 30)},
		liveStop{"k3", "w1", "s1", at(8, 55)},
	)
	recs, err := Recommend(context.Background(), p, r, "k2", 0, RecommendOptions{Travel: detourTravel{}})
	require.NoError(t, err)
	i := slices.IndexFunc(recs, func(rec Recommendation) bool { return rec.Worker == "w2" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, at(8, 10), recs[i].Start)
	assert.Equal(t, []Delay{{Visit: "k3", Worker: "w1", Shift: "s1", From: at(8, 55), To: at(9, 5), By: 10 * time.Minute}}, recs[i].Delays)
	stay := slices.IndexFunc(recs, func(rec Recommendation) bool { return rec.Worker == "w1" && rec.Position == 1 })
	require.GreaterOrEqual(t, stay, 0)
	assert.Empty(t, recs[stay].Delays, "k2 where it is delays nobody")
}
