package routing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing/vrptw"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomVRPTW returns a small random Solomon-style instance.
func randomVRPTW(rng *rand.Rand) *vrptw.Instance {
	horizon := 150 + rng.IntN(300)
	in := &vrptw.Instance{Name: "rand", Vehicles: 1 + rng.IntN(4), Capacity: 10 + rng.IntN(30)}
	in.Nodes = append(in.Nodes, vrptw.Node{ID: 0, X: 25, Y: 25, Due: horizon})
	for c := 1; c <= 3+rng.IntN(10); c++ {
		ready := rng.IntN(horizon - 20)
		in.Nodes = append(in.Nodes, vrptw.Node{
			ID: c, X: rng.IntN(51), Y: rng.IntN(51), Demand: 1 + rng.IntN(10),
			Ready: ready, Due: min(ready+5+rng.IntN(80), horizon-1), Service: 1 + rng.IntN(15),
		})
	}
	return in
}

// randomHomeCare returns a small random home-care problem around Reading with
// skills (some expiring during the day), pins, exclusions, leave, several
// windows with targets, double-handed visits, priorities, capacities and a
// maximum shift length.
func randomHomeCare(rng *rand.Rand, i int) *schedule.Problem {
	day := time.Date(2026, time.May, 4, 0, 0, 0, 0, time.UTC)
	hm := func(min int) time.Time { return day.Add(time.Duration(min) * time.Minute) }
	loc := func() care.Location {
		return care.NewLocation(51.43+0.06*rng.Float64(), -1.0+0.08*rng.Float64())
	}
	skills := []care.Skill{care.SkillMedication, care.SkillHoist, care.SkillDementia}
	p := &schedule.Problem{
		Name: fmt.Sprintf("home-%d", i), Start: day, End: day.Add(24 * time.Hour), TimeZone: "Europe/London",
		Weights: schedule.Weights{Unassigned: 500 + 1000*rng.Float64(), Shift: 20 * rng.Float64(), Distance: rng.Float64(),
			TravelTime: rng.Float64(), WorkingTime: 0.2 * rng.Float64(), Lateness: rng.Float64()},
	}
	if rng.IntN(3) == 0 {
		p.Rules.MaxShift = schedule.Minutes(120 + rng.IntN(240))
	}
	nw := 1 + rng.IntN(4)
	for w := range nw {
		home := loc()
		wk := care.Worker{ID: care.WorkerID(fmt.Sprintf("w%d", w)), Role: care.RoleCareWorker, TravelMode: []care.TravelMode{care.Car, care.Walk, care.Cycle}[rng.IntN(3)], Home: &home}
		for _, s := range skills {
			if rng.IntN(2) == 0 {
				q := care.Qualification{Skill: s, Obtained: day.AddDate(-1, 0, 0)}
				if rng.IntN(3) == 0 {
					q.Expires = ptr(hm(420 + rng.IntN(600)))
				}
				wk.Qualifications = append(wk.Qualifications, q)
			}
		}
		p.Workers = append(p.Workers, wk)
		start := 360 + rng.IntN(180)
		for s := 0; s < 1+rng.IntN(2); s++ {
			end := start + 120 + rng.IntN(360)
			if end > 23*60 {
				break
			}
			sh := schedule.Shift{ID: schedule.ShiftID(fmt.Sprintf("w%d-s%d", w, s)), Worker: wk.ID, Start: hm(start), End: hm(end)}
			if rng.IntN(3) == 0 {
				sh.Capacity = int64(2 + rng.IntN(6))
			}
			if rng.IntN(3) == 0 {
				sh.StartAt = ptr(loc())
			}
			sh.Cost = 10 * rng.Float64()
			p.Shifts = append(p.Shifts, sh)
			start = end + 30 + rng.IntN(120)
		}
		if rng.IntN(6) == 0 {
			f := 420 + rng.IntN(600)
			p.Leave = append(p.Leave, schedule.Leave{Worker: wk.ID, From: hm(f), To: hm(f + 60 + rng.IntN(180))})
		}
	}
	nu := 2 + rng.IntN(6)
	for u := range nu {
		su := care.ServiceUser{ID: care.ServiceUserID(fmt.Sprintf("u%d", u)), Location: loc()}
		if rng.IntN(8) == 0 {
			su.Preferences.ExcludedWorkers = []care.WorkerID{p.Workers[rng.IntN(nw)].ID}
		}
		p.ServiceUsers = append(p.ServiceUsers, su)
	}
	// Start-to-start dependencies and per-seat durations draw from their own
	// stream, so that the other draws (and instances) stay as they were.
	xrng := rand.New(rand.NewPCG(uint64(i), 0x5ea7))
	for v := 0; v < 3+rng.IntN(12); v++ {
		vis := schedule.Visit{ID: schedule.VisitID(fmt.Sprintf("v%d", v)), ServiceUser: p.ServiceUsers[rng.IntN(nu)].ID,
			Kind: schedule.PersonalCare, Duration: schedule.Minutes(15 + 15*rng.IntN(4)), Priority: rng.IntN(3), Load: int64(rng.IntN(3))}
		e := 420 + rng.IntN(720)
		for k := 0; k < 1+rng.IntN(2); k++ {
			w := schedule.Window{Earliest: hm(e), Latest: hm(e + 15 + rng.IntN(90))}
			if rng.IntN(2) == 0 {
				w.Target = ptr(w.Earliest.Add(w.Latest.Sub(w.Earliest) / 2))
				w.PenaltyPerMinute = rng.Float64()
			}
			vis.Windows = append(vis.Windows, w)
			e += 200 + rng.IntN(120)
			if e > 22*60 {
				break
			}
		}
		if rng.IntN(3) == 0 {
			vis.Skills = []care.Skill{skills[rng.IntN(len(skills))]}
		}
		switch rng.IntN(10) {
		case 0:
			vis.Carers = 2
		case 1:
			vis.Pinned = []care.WorkerID{p.Workers[rng.IntN(nw)].ID}
		case 2:
			vis.Excluded = []care.WorkerID{p.Workers[rng.IntN(nw)].ID}
		}
		if rng.IntN(5) == 0 {
			vis.Location = ptr(loc())
		}
		if vis.Carers == 2 && rng.IntN(2) == 0 {
			vis.SeatSkills = [][]care.Skill{{skills[rng.IntN(len(skills))]}, nil}
		}
		if vis.Carers == 2 && xrng.IntN(2) == 0 {
			// One seat stays the whole visit, the other leaves earlier.
			short := schedule.Minutes(5 + 5*xrng.IntN(int(vis.Duration.Std()/(5*time.Minute))-1))
			vis.SeatDurations = []schedule.Duration{vis.Duration, short}
			if xrng.IntN(2) == 0 {
				vis.SeatDurations[0], vis.SeatDurations[1] = short, vis.Duration
			}
		}
		// Dependencies on earlier visits (acyclic), mostly with any worker.
		if v > 0 && rng.IntN(4) == 0 {
			a := &p.Visits[rng.IntN(v)]
			d := schedule.Dependency{Visit: a.ID, MinGap: schedule.Minutes(15 * rng.IntN(9))}
			if rng.IntN(2) == 0 {
				d.MaxGap = d.MinGap + schedule.Minutes(30+rng.IntN(240))
			}
			end := a.Duration.Std()
			if xrng.IntN(2) == 0 {
				// From a's start: often B begins while A is still going on.
				d.From, end = schedule.FromStart, 0
				d.MinGap = schedule.Minutes(5 * xrng.IntN(7))
				if d.MaxGap > 0 {
					d.MaxGap = d.MinGap + schedule.Minutes(10+xrng.IntN(60))
				}
			}
			// A window that the gap can meet, most of the time.
			e := a.Windows[0].Earliest.Add(end + d.MinGap.Std() + time.Duration(rng.IntN(90)-30)*time.Minute)
			if e.Before(day.Add(22 * time.Hour)) {
				vis.Windows = []schedule.Window{{Earliest: e, Latest: e.Add(time.Duration(15+rng.IntN(90)) * time.Minute)}}
			}
			if rng.IntN(6) == 0 {
				d.Worker = []schedule.WorkerRelation{schedule.SameWorker, schedule.DifferentWorker}[rng.IntN(2)]
			}
			vis.Dependencies = append(vis.Dependencies, d)
		}
		p.Visits = append(p.Visits, vis)
	}
	if rng.IntN(3) == 0 {
		p.TogetherTolerance = schedule.Minutes(rng.IntN(31))
	}
	return p
}

// checkLinks recomputes, from the evaluator's starts of the returned rota,
// that every served double-handed visit has two different workers starting
// within Problem.TogetherTolerance, and that every dependency of a served
// visit holds: the other visit is served and every start of this one is
// MinGap..MaxGap after every end (From "start": every start) of the other.
// An end is the start plus the duration of the worker's seat: with
// SeatDurations, the worker's index in the rota's assignment. It returns the
// number of double-handed visits and dependencies served.
func checkLinks(t *testing.T, name string, p *schedule.Problem, res *Result) (doubles, deps int) {
	t.Helper()
	type stop struct {
		w          care.WorkerID
		start, end time.Time
	}
	seat := map[schedule.VisitID][]care.WorkerID{}
	for _, a := range res.Rota.Assignments {
		seat[a.Visit] = a.Workers
	}
	visits := map[schedule.VisitID]*schedule.Visit{}
	for i := range p.Visits {
		visits[p.Visits[i].ID] = &p.Visits[i]
	}
	at := map[schedule.VisitID][]stop{}
	for _, r := range res.Report.Routes {
		for _, st := range r.Stops {
			vis := visits[st.Visit]
			dur := vis.Duration.Std()
			if len(vis.SeatDurations) > 0 {
				k := slices.Index(seat[st.Visit], r.Worker)
				require.GreaterOrEqual(t, k, 0, "%s: visit %s: worker %s not in the assignment", name, st.Visit, r.Worker)
				dur = vis.SeatDurations[k].Std()
			}
			at[st.Visit] = append(at[st.Visit], stop{r.Worker, st.Start, st.Start.Add(dur)})
		}
	}
	for _, vis := range p.Visits {
		got := at[vis.ID]
		if len(got) == 0 {
			continue
		}
		require.Len(t, got, vis.CarersNeeded(), "%s: visit %s", name, vis.ID)
		if len(got) == 2 {
			doubles++
			require.NotEqual(t, got[0].w, got[1].w, "%s: visit %s", name, vis.ID)
			gap := got[0].start.Sub(got[1].start).Abs()
			require.LessOrEqual(t, gap, p.TogetherTolerance.Std()+Tolerance, "%s: visit %s: seats start %s apart", name, vis.ID, gap)
		}
		for _, d := range vis.Dependencies {
			before := at[d.Visit]
			require.NotEmpty(t, before, "%s: visit %s served without %s", name, vis.ID, d.Visit)
			deps++
			for _, b := range got {
				for _, a := range before {
					ref := a.end
					if d.From == schedule.FromStart {
						ref = a.start
					}
					gap := b.start.Sub(ref)
					require.GreaterOrEqual(t, gap, d.MinGap.Std()-Tolerance, "%s: visit %s starts %s after %s ends (from %q)", name, vis.ID, gap, d.Visit, d.From)
					if d.MaxGap > 0 {
						require.LessOrEqual(t, gap, d.MaxGap.Std()+Tolerance, "%s: visit %s starts %s after %s ends (from %q)", name, vis.ID, gap, d.Visit, d.From)
					}
				}
			}
		}
	}
	return doubles, deps
}

// checkSolved asserts what every Solve result must satisfy.
func checkSolved(t *testing.T, name string, p *schedule.Problem, res *Result) {
	t.Helper()
	rep, err := Evaluate(p, res.Rota)
	require.NoError(t, err, name)
	require.Empty(t, rep.Hard(), "%s: %v", name, rep.Hard())
	require.True(t, res.Report.Feasible(), name)
	assert.InDelta(t, rep.Objective.Total, res.Stats.Objective, 1e-6*max(1, rep.Objective.Total), name)
	for _, v := range rep.Violations {
		assert.NotEqual(t, UnlistedUnassigned, v.Kind, "%s: %v", name, v)
	}
	for _, u := range res.Rota.Unassigned {
		assert.NotEmpty(t, u.Reason, "%s: visit %s", name, u.Visit)
		assert.NotEmpty(t, u.Detail, "%s: visit %s", name, u.Visit)
	}
	assert.Equal(t, len(p.Visits), rep.Totals.Served+len(res.Rota.Unassigned), name)
}

// withSpanTerms turns on the span terms Solve plans in rounds
// (solve_fair.go): fairness, overtime and undertime weights, contracts and
// prior minutes for some workers, and a soft max_shift or max_weekly.
func withSpanTerms(rng *rand.Rand, p *schedule.Problem) {
	p.Weights.Fairness = 5 * rng.Float64()
	p.Weights.Overtime = 2 * rng.Float64()
	p.Weights.Undertime = rng.Float64()
	for i := range p.Workers {
		p.Workers[i].ContractedMinutesPerWeek = []int{0, 300, 1000, 2250}[rng.IntN(4)]
		p.Workers[i].PriorMinutes = rng.IntN(600)
	}
	switch rng.IntN(3) {
	case 0:
		if p.Rules.MaxShift == 0 {
			p.Rules.MaxShift = schedule.Minutes(120 + rng.IntN(240))
		}
		p.Rules.Soft = append(p.Rules.Soft, "max_shift")
	case 1:
		p.Rules.MaxWeekly = schedule.Minutes(300 + rng.IntN(1000))
		p.Rules.Soft = append(p.Rules.Soft, "max_weekly")
	}
}

// TestSolveProperty solves 240 small random problems: 100 random VRPTW
// instances (both conventions and objectives), 100 random home-care
// problems and 40 synthetic agencies from schedule/synth, the span terms on
// for a third of the home-care and synthetic ones (withSpanTerms).
func TestSolveProperty(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	reasons := map[schedule.Reason]int{}
	doubles, deps := 0, 0
	seated, fromStart := 0, 0 // served visits with SeatDurations, served start-to-start dependencies
	count := func(p *schedule.Problem, res *Result) {
		served := map[schedule.VisitID]bool{}
		for _, a := range res.Rota.Assignments {
			served[a.Visit] = true
		}
		for _, v := range p.Visits {
			if !served[v.ID] {
				continue
			}
			if len(v.SeatDurations) > 0 {
				seated++
			}
			for _, d := range v.Dependencies {
				if d.From == schedule.FromStart {
					fromStart++
				}
			}
		}
	}
	for i := range 100 {
		inst := randomVRPTW(rng)
		conv := vrptw.Convention(rng.IntN(2))
		obj := vrptw.Objective(rng.IntN(2))
		p, err := vrptw.Problem(inst, conv, obj)
		require.NoError(t, err)
		res, err := Solve(ctx, p, Options{Seed: int64(i), Threads: 1 + rng.IntN(2), MaxIterations: 40})
		require.NoError(t, err, "vrptw %d", i)
		checkSolved(t, fmt.Sprintf("vrptw %d", i), p, res)
		for _, u := range res.Rota.Unassigned {
			reasons[u.Reason]++
		}
	}
	for i := range 100 {
		p := randomHomeCare(rng, i)
		if i%3 == 0 {
			withSpanTerms(rand.New(rand.NewPCG(uint64(i), 99)), p)
		}
		require.NoError(t, p.Validate(), "home %d", i)
		res, err := Solve(ctx, p, Options{Seed: int64(i), Threads: 1 + rng.IntN(2), MaxIterations: 40})
		require.NoError(t, err, "home %d", i)
		checkSolved(t, p.Name, p, res)
		d, n := checkLinks(t, p.Name, p, res)
		doubles, deps = doubles+d, deps+n
		for _, u := range res.Rota.Unassigned {
			reasons[u.Reason]++
		}
		count(p, res)
	}
	for i := range 40 {
		p, err := synth.Generate(synth.Config{Seed: uint64(i + 1), VisitsPerDay: 3 + rng.IntN(25), Days: 1 + rng.IntN(2)})
		require.NoError(t, err)
		// In every other agency, the second seat of each double-handed
		// visit leaves after a third of the visit (at least a minute).
		for k := range p.Visits {
			if v := &p.Visits[k]; i%2 == 1 && v.CarersNeeded() == 2 {
				v.SeatDurations = []schedule.Duration{v.Duration, max(v.Duration/3, schedule.Minutes(1))}
			}
		}
		if i%3 == 1 {
			withSpanTerms(rand.New(rand.NewPCG(uint64(i), 98)), p)
		}
		require.NoError(t, p.Validate())
		res, err := Solve(ctx, p, Options{Seed: int64(i), Threads: 2, MaxIterations: 40})
		require.NoError(t, err, p.Name)
		checkSolved(t, p.Name, p, res)
		d, n := checkLinks(t, p.Name, p, res)
		doubles, deps = doubles+d, deps+n
		for _, u := range res.Rota.Unassigned {
			reasons[u.Reason]++
		}
		count(p, res)
	}
	t.Logf("reasons of unassigned visits: %v; served: %d double-handed visits, %d dependencies", reasons, doubles, deps)
	assert.Greater(t, doubles, 20, "double-handed visits planned")
	assert.Greater(t, deps, 10, "dependencies planned")
	t.Logf("served: %d double-handed visits with a duration per seat, %d start-to-start dependencies", seated, fromStart)
	assert.Greater(t, seated, 20, "visits with per-seat durations planned")
	assert.Greater(t, fromStart, 5, "start-to-start dependencies planned")
	// The generators are varied enough to produce most reasons.
	for _, r := range []schedule.Reason{schedule.NoPartner, schedule.WindowUnreachable, schedule.NoShift, schedule.DependencyUnmet} {
		assert.Positive(t, reasons[r], r)
	}
}
