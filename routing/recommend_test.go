package routing

import (
	"context"
	"slices"
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

// withInsertion returns a copy of r with visit id taken out of wherever it
// is and inserted into shift's route at pos, all planned starts cleared.
func withInsertion(p *schedule.Problem, r *schedule.Rota, id schedule.VisitID, shift schedule.ShiftID, pos int) *schedule.Rota {
	out := &schedule.Rota{}
	var worker care.WorkerID
	for _, sh := range p.Shifts {
		if sh.ID == shift {
			worker = sh.Worker
		}
	}
	found := false
	for _, rt := range r.Routes {
		rt.Visits = slices.DeleteFunc(slices.Clone(rt.Visits), func(v schedule.VisitID) bool { return v == id })
		rt.Legs = nil
		if rt.Shift == shift {
			rt.Visits = slices.Insert(rt.Visits, pos, id)
			found = true
		}
		out.Routes = append(out.Routes, rt)
	}
	if !found {
		out.Routes = append(out.Routes, schedule.Route{Worker: worker, Shift: shift, Visits: []schedule.VisitID{id}})
	}
	for _, a := range r.Assignments {
		if a.Visit != id {
			out.Assignments = append(out.Assignments, schedule.Assignment{Visit: a.Visit, Workers: a.Workers})
		}
	}
	out.Assignments = append(out.Assignments, assign(id, worker))
	for _, u := range r.Unassigned {
		if u.Visit != id {
			out.Unassigned = append(out.Unassigned, u)
		}
	}
	return out
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
