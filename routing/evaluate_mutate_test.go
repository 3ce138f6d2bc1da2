package routing

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/require"
)

// mutate applies one random change to r, drawn from the ways a hand-made or
// corrupted rota can go wrong: reordered, moved, duplicated or dropped
// visits, unknown shifts and workers, odd planned starts, breaks and legs.
func mutate(rng *rand.Rand, p *schedule.Problem, r *schedule.Rota) {
	pickRoute := func() *schedule.Route {
		if len(r.Routes) == 0 {
			r.Routes = append(r.Routes, schedule.Route{Worker: p.Shifts[0].Worker, Shift: p.Shifts[0].ID})
		}
		return &r.Routes[rng.IntN(len(r.Routes))]
	}
	visit := func() schedule.VisitID {
		if rng.IntN(10) == 0 {
			return "nope"
		}
		return p.Visits[rng.IntN(len(p.Visits))].ID
	}
	when := func() time.Time {
		switch rng.IntN(4) {
		case 0:
			return time.Time{}
		case 1:
			return time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
		default:
			return p.Start.Add(time.Duration(rng.Int64N(int64(p.End.Sub(p.Start)) + 1)))
		}
	}
	switch rng.IntN(11) {
	case 0:
		rt := pickRoute()
		rng.Shuffle(len(rt.Visits), func(i, j int) { rt.Visits[i], rt.Visits[j] = rt.Visits[j], rt.Visits[i] })
	case 1: // move a visit to another route
		from, to := pickRoute(), pickRoute()
		if len(from.Visits) > 0 {
			k := rng.IntN(len(from.Visits))
			v := from.Visits[k]
			from.Visits = slices.Delete(from.Visits, k, k+1)
			to.Visits = slices.Insert(to.Visits, rng.IntN(len(to.Visits)+1), v)
		}
	case 2:
		rt := pickRoute()
		rt.Visits = slices.Insert(rt.Visits, rng.IntN(len(rt.Visits)+1), visit())
	case 3:
		if len(r.Routes) > 0 {
			k := rng.IntN(len(r.Routes))
			r.Routes = slices.Delete(r.Routes, k, k+1)
		}
	case 4:
		rt := pickRoute()
		if rng.IntN(3) == 0 {
			rt.Shift = "zz"
		} else {
			rt.Shift = p.Shifts[rng.IntN(len(p.Shifts))].ID
		}
	case 5:
		if len(r.Assignments) > 0 {
			r.Assignments[rng.IntN(len(r.Assignments))].Start = when()
		}
	case 6:
		rt := pickRoute()
		rt.Breaks = append(rt.Breaks, schedule.PlannedBreak{Start: when(), Length: schedule.Duration(rng.Int64N(int64(2*time.Hour)) - int64(30*time.Minute))})
	case 7:
		if len(r.Assignments) > 0 && rng.IntN(2) == 0 {
			k := rng.IntN(len(r.Assignments))
			r.Assignments = slices.Delete(r.Assignments, k, k+1)
		} else {
			r.Unassigned = append(r.Unassigned, schedule.Unassigned{Visit: visit(), Reason: schedule.NotWorthIt})
		}
	case 8:
		rt := pickRoute()
		n := rng.IntN(len(rt.Visits) + 3)
		rt.Legs = make([]schedule.Leg, n)
		for i := range rt.Legs {
			rt.Legs[i] = schedule.Leg{Depart: when(), Arrive: when(), Travel: schedule.Duration(rng.Int64N(int64(time.Hour)))}
		}
	case 9:
		pickRoute().Worker = p.Workers[rng.IntN(len(p.Workers))].ID
	case 10: // book a visit for random workers
		a := schedule.Assignment{Visit: visit(), Start: when()}
		for range 1 + rng.IntN(2) {
			a.Workers = append(a.Workers, p.Workers[rng.IntN(len(p.Workers))].ID)
		}
		r.Assignments = append(r.Assignments, a)
	}
}

// TestEvaluateNeverPanicsOnMutatedRotas evaluates thousands of randomly
// corrupted rotas of problems with every rule switched on (dependencies,
// double-handed visits, roles, breaks, rest, weekly and consecutive-day
// limits, soft and hard) and of solved synthetic agencies. Evaluate must
// return a report, never panic nor fail, and count every visit once.
func TestEvaluateNeverPanicsOnMutatedRotas(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	type start struct {
		p *schedule.Problem
		r *schedule.Rota
	}
	var starts []start
	p := lawProblem()
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "a", MinGap: schedule.Minutes(5), MaxGap: schedule.Minutes(60), Worker: schedule.SameWorker}}
	p.Visits[3].Dependencies = []schedule.Dependency{{Visit: "c", MinGap: schedule.Minutes(600), Worker: schedule.DifferentWorker}}
	p.Visits[2].Carers = 2
	p.Visits[2].Kind = schedule.Nursing
	p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(8, 30), Latest: at(9, 0), Length: schedule.Minutes(15)}}
	p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(80), MinDailyRest: schedule.Minutes(23 * 60), MaxWeekly: schedule.Minutes(100),
		BreakAfter: schedule.Minutes(60), BreakLength: schedule.Minutes(15), MaxConsecutiveDays: 1, Soft: []string{"max_weekly"}}
	p.Weights.Overtime, p.Weights.Fairness, p.Weights.Continuity, p.Weights.Preferred = 2, 3, 4, 5
	p.Workers[0].ContractedMinutesPerWeek = 30
	starts = append(starts, start{p, rotaOf(p, route("w1", "s1", "a", "b", "c"), route("w2", "s2", "c"), route("w1", "s3", "d"))})
	for seed := range uint64(3) {
		q, err := synth.Generate(synth.Config{Seed: seed + 1, VisitsPerDay: 15, Days: 2})
		require.NoError(t, err)
		res, err := Solve(t.Context(), q, Options{Seed: int64(seed), Threads: 1, MaxIterations: 5})
		// Solve returns its rota even when it breaks rules the optimiser does not plan yet.
		if err != nil {
			require.ErrorIs(t, err, ErrInfeasible)
		}
		require.NotNil(t, res)
		starts = append(starts, start{q, res.Rota})
	}
	for si, s := range starts {
		for i := range 400 {
			r := clone(t, s.r)
			for range 1 + rng.IntN(4) {
				mutate(rng, s.p, r)
			}
			name := fmt.Sprintf("start %d, mutation %d", si, i)
			var rep *Report
			require.NotPanics(t, func() {
				var err error
				rep, err = Evaluate(s.p, r)
				require.NoError(t, err, name)
			}, name)
			require.Equal(t, len(s.p.Visits), rep.Totals.Served+rep.Totals.Unassigned, name)
			for _, v := range rep.Violations {
				require.NotEmpty(t, v.Detail, name)
			}
		}
	}
}

// clone deep-copies a rota through its own fields.
func clone(t *testing.T, r *schedule.Rota) *schedule.Rota {
	t.Helper()
	out := &schedule.Rota{Unassigned: slices.Clone(r.Unassigned)}
	for _, a := range r.Assignments {
		a.Workers = slices.Clone(a.Workers)
		out.Assignments = append(out.Assignments, a)
	}
	for _, rt := range r.Routes {
		rt.Visits, rt.Legs, rt.Breaks = slices.Clone(rt.Visits), slices.Clone(rt.Legs), slices.Clone(rt.Breaks)
		out.Routes = append(out.Routes, rt)
	}
	return out
}

// FuzzEvaluateRota decodes arbitrary bytes as a rota of a problem with
// every rule switched on and evaluates it: Evaluate must never panic nor
// fail on a valid problem. Run with go test -fuzz FuzzEvaluateRota ./routing.
func FuzzEvaluateRota(f *testing.F) {
	p := lawProblem()
	p.Visits[1].Dependencies = []schedule.Dependency{{Visit: "a", MinGap: schedule.Minutes(5), MaxGap: schedule.Minutes(60), Worker: schedule.SameWorker}}
	p.Visits[2].Carers = 2
	p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(8, 30), Latest: at(9, 0), Length: schedule.Minutes(15)}}
	p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(80), MinDailyRest: schedule.Minutes(23 * 60), MaxWeekly: schedule.Minutes(100),
		BreakAfter: schedule.Minutes(60), BreakLength: schedule.Minutes(15), MaxConsecutiveDays: 1, Soft: []string{"max_weekly"}}
	p.Weights.Overtime, p.Weights.Fairness = 2, 3
	for _, r := range []*schedule.Rota{
		rotaOf(p, route("w1", "s1", "a", "b", "c"), route("w2", "s2", "c"), route("w1", "s3", "d")),
		withStart(rotaOf(p, route("w1", "s1", "a", "b")), "b", at(9, 0)),
		{},
	} {
		data, err := json.Marshal(r)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"routes":[{"worker":"w1","shift":"s1","visits":["a","a","zz"],"breaks":[{"start":"2026-03-02T08:00:00Z","length":-60}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r schedule.Rota
		if json.Unmarshal(data, &r) != nil {
			return
		}
		rep, err := Evaluate(p, &r)
		require.NoError(t, err)
		require.Equal(t, len(p.Visits), rep.Totals.Served+rep.Totals.Unassigned)
	})
}
