package compliance

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// optimised generates a synthetic agency and plans it with the optimiser
// under short limits, returning the problem, the rota and a travel estimator
// over the same matrix the optimiser used.
func optimised(t *testing.T, seed uint64, visits, days int) (*schedule.Problem, *schedule.Rota, TravelEstimator) {
	t.Helper()
	p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: visits, Days: days})
	require.NoError(t, err)
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: int64(seed), Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	_, m, err := routing.ProblemMatrix(context.Background(), p, nil)
	require.NoError(t, err)
	tr, err := NewMatrixTravel(m)
	require.NoError(t, err)
	return p, res.Rota, tr
}

// currentRecords gives every worker of p the records a well-run agency
// holds: a supervision a month, and an appraisal and a medicines competence
// assessment six months, before the horizon. The optimiser does not plan
// these records, so with them the property is about what it does plan.
func currentRecords(p *schedule.Problem) []WorkerRecord {
	var out []WorkerRecord
	for _, w := range p.Workers {
		out = append(out, WorkerRecord{Worker: w.ID, Supervisions: []time.Time{p.Start.AddDate(0, -1, 0)},
			Appraisals: []time.Time{p.Start.AddDate(0, -6, 0)}, MedicinesCompetence: []time.Time{p.Start.AddDate(0, -6, 0)}})
	}
	return out
}

// currentEquipment gives every person with a hoist visit a hoist examined
// three months before the horizon: the agency's LOLER records are input, not
// something the optimiser plans.
func currentEquipment(p *schedule.Problem) []Equipment {
	var out []Equipment
	seen := map[care.ServiceUserID]bool{}
	for _, v := range p.Visits {
		hoist := slices.Contains(v.Skills, care.SkillHoist) ||
			slices.ContainsFunc(v.SeatSkills, func(s []care.Skill) bool { return slices.Contains(s, care.SkillHoist) })
		if hoist && !seen[v.ServiceUser] {
			seen[v.ServiceUser] = true
			out = append(out, Equipment{ID: "hoist-" + string(v.ServiceUser), ServiceUser: v.ServiceUser, Kind: "hoist",
				LastExamined: p.Start.AddDate(0, -3, 0)})
		}
	}
	return out
}

// TestOptimisedRotasHaveNoBreach is the property of issue 8: every rota the
// optimiser produces on the generator's agencies has no breach finding,
// across seeds and sizes (1-day agencies of 60 to 150 visits, and 3- and
// 7-day agencies so that daily rest, weekly rest and the 48-hour average
// span several working days). Travel is checked against the optimiser's own
// matrix. Warnings (e.g. continuity, short visits the generator makes
// without a recorded agreement) are allowed: they are guidance.
func TestOptimisedRotasHaveNoBreach(t *testing.T) {
	pack := DefaultPack(England)
	cases := []struct {
		seed         uint64
		visits, days int
	}{{1, 60, 1}, {2, 90, 1}, {3, 120, 1}, {4, 150, 1}, {5, 60, 1}, {6, 100, 1}, {7, 40, 3}, {8, 25, 7}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("seed%d_%dvisits_%ddays", c.seed, c.visits, c.days), func(t *testing.T) {
			p, r, tr := optimised(t, c.seed, c.visits, c.days)
			require.NotEmpty(t, r.Assignments, "the optimiser planned nothing: the property would be vacuous")
			in := RotaInput{Problem: p, Rota: r, Workers: currentRecords(p), Travel: tr, Equipment: currentEquipment(p)}
			fs, err := CheckRota(&pack, in)
			require.NoError(t, err)
			for _, f := range fs {
				assert.NotEqual(t, Breach, f.Severity, "optimised rota breaks a hard rule: %s", f)
			}
		})
	}
}

// TestOptimisedRotaChecksAreSensitive makes sure the property above is not
// vacuous: the same checks over an optimised rota do report breaches planted
// in it (a leg shorter than the optimiser's own travel time, a lapsed skill
// on a skilled visit, a worker without a DBS check).
func TestOptimisedRotaChecksAreSensitive(t *testing.T) {
	pack := DefaultPack(England)
	p, r, tr := optimised(t, 1, 60, 1)
	in := RotaInput{Problem: p, Rota: r, Workers: currentRecords(p), Travel: tr}

	// A leg between two visits given one minute less than the matrix's travel time.
	var shortened schedule.VisitID
	for i := range r.Routes {
		for j := range r.Routes[i].Legs {
			l := &r.Routes[i].Legs[j]
			if l.From != "" && l.To != "" && l.Travel.Std() > time.Minute {
				l.Travel -= schedule.Duration(time.Minute)
				shortened = l.To
				break
			}
		}
		if shortened != "" {
			break
		}
	}
	require.NotEmpty(t, shortened, "no leg between visits to shorten")
	fs, err := CheckRota(&pack, in)
	require.NoError(t, err)
	travel := only(fs, RuleVISTravel)
	require.Len(t, travel, 1)
	assert.Equal(t, Subject{SubjectVisit, string(shortened)}, travel[0].Subject)
	assert.Contains(t, travel[0].Evidence, "estimated travel")

	// The first assigned worker loses their DBS check: each of their solo visits is a breach.
	w := r.Assignments[0].Workers[0]
	wk, ok := p.Worker(w)
	require.True(t, ok)
	wk.Checks.DBSLevel = ""
	fs, err = CheckRota(&pack, in)
	require.NoError(t, err)
	dbs := only(fs, RuleDBS)
	require.NotEmpty(t, dbs)
	assert.Contains(t, dbs[0].Evidence, "worker "+string(w)+" works alone with DBS level none")

	// Equipment records: with them no LOLER breach; with one hoist examined
	// seven months before, every planned hoist visit of that person is one.
	in.Equipment = currentEquipment(p)
	require.NotEmpty(t, in.Equipment, "the generator made no hoist visit: the LOLER check would be vacuous")
	fs, err = CheckRota(&pack, in)
	require.NoError(t, err)
	assert.Empty(t, only(fs, RuleLOLER))
	isHoist := func(v *schedule.Visit) bool {
		return slices.Contains(v.Skills, care.SkillHoist) ||
			slices.ContainsFunc(v.SeatSkills, func(s []care.Skill) bool { return slices.Contains(s, care.SkillHoist) })
	}
	var stale care.ServiceUserID
	planned := 0
	for _, a := range r.Assignments {
		if v, ok := p.Visit(a.Visit); ok && isHoist(v) && (stale == "" || v.ServiceUser == stale) {
			stale = v.ServiceUser
			planned++
		}
	}
	require.Positive(t, planned, "no hoist visit planned: the LOLER check would be vacuous")
	for i := range in.Equipment {
		if in.Equipment[i].ServiceUser == stale {
			in.Equipment[i].LastExamined = p.Start.AddDate(0, -7, 0)
		}
	}
	fs, err = CheckRota(&pack, in)
	require.NoError(t, err)
	assert.Len(t, only(fs, RuleLOLER), planned, "one LOLER breach per planned hoist visit of %s", stale)
}

// longDay is a hand-made problem the generator never makes: one worker with
// a 12-hour day shift and sixteen 30-minute visits that fit anywhere in it
// (so the cheapest plan is one unbroken run), a night visit at 23:00 and an
// early visit at 06:30 the next morning on separate shifts.
func longDay() *schedule.Problem {
	day := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	at := func(d, h, m int) time.Time {
		return day.Add(time.Duration(d*24+h)*time.Hour + time.Duration(m)*time.Minute)
	}
	dbs := day.AddDate(-1, 0, 0)
	home := care.Location{0, 0}
	p := &schedule.Problem{Name: "long-day", Start: day, End: day.Add(48 * time.Hour), TimeZone: "UTC", Rules: schedule.UKDefaults(),
		Workers: []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home,
			Checks: care.EmploymentChecks{DBSLevel: care.DBSEnhancedBarredList, DBSDate: &dbs}}},
		Shifts: []schedule.Shift{{ID: "day", Worker: "w1", Start: at(0, 8, 0), End: at(0, 20, 0)},
			{ID: "night", Worker: "w1", Start: at(0, 22, 30), End: at(1, 0, 30)},
			{ID: "early", Worker: "w1", Start: at(1, 6, 0), End: at(1, 8, 0)}},
		Weights: schedule.Weights{Unassigned: 1000, Distance: 1},
		Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)}}
	visit := func(id string, u care.ServiceUserID, from, to time.Time) schedule.Visit {
		return schedule.Visit{ID: schedule.VisitID(id), ServiceUser: u, Kind: schedule.Domestic, Duration: schedule.Minutes(30),
			Windows: []schedule.Window{{Earliest: from, Latest: to}}}
	}
	for i := range 16 {
		u := care.ServiceUserID(fmt.Sprintf("u%02d", i))
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: u, Location: care.Location{float64(i % 4), float64(i / 4)}})
		p.Visits = append(p.Visits, visit(fmt.Sprintf("v%02d", i), u, at(0, 8, 0), at(0, 19, 0)))
	}
	p.Visits = append(p.Visits, visit("late", "u00", at(0, 23, 0), at(0, 23, 0)), visit("dawn", "u01", at(1, 6, 30), at(1, 6, 30)))
	return p
}

// TestOptimiserWorkingTimeOnLongDay plans longDay and checks the rota.
// Every rule must hold: WTR-BREAK with a planned break, and WTR-11 (daily
// rest between shifts, planned by the optimiser since issue 4 item 4): the
// night visit at 23:00 and the early one at 06:30 are on different days
// with 7 hours between them, so the optimiser serves one of the two and
// leaves the other out (working_time_limit), and the sixteen day visits.
func TestOptimiserWorkingTimeOnLongDay(t *testing.T) {
	p := longDay()
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 200})
	require.NoError(t, err)
	require.Len(t, res.Rota.Assignments, len(p.Visits)-1, "every visit but one of late and dawn")
	require.Len(t, res.Rota.Unassigned, 1)
	assert.Contains(t, []schedule.VisitID{"late", "dawn"}, res.Rota.Unassigned[0].Visit)
	assert.Equal(t, schedule.WorkingTimeLimit, res.Rota.Unassigned[0].Reason)
	pack := DefaultPack(England)
	_, m, err := routing.ProblemMatrix(context.Background(), p, nil)
	require.NoError(t, err)
	tr, err := NewMatrixTravel(m)
	require.NoError(t, err)
	fs, err := CheckRota(&pack, RotaInput{Problem: p, Rota: res.Rota, Workers: currentRecords(p), Travel: tr})
	require.NoError(t, err)

	t.Run("rules the optimiser holds", func(t *testing.T) {
		for _, f := range fs {
			if f.Severity == Breach {
				t.Errorf("optimised rota breaks %s", f)
			}
		}
	})
	t.Run("WTR-BREAK: breaks placed by rule (issue 4 item 4)", func(t *testing.T) {
		// The cheapest plan runs the sixteen visits in one go (8 hours of
		// care alone), so the day shift owes a 20-minute break: the rota
		// plans one and no WTR-BREAK breach is found.
		for _, f := range fs {
			assert.NotEqual(t, RuleWTRBreak, f.Rule, "%s", f)
		}
		found := false
		for _, rt := range res.Rota.Routes {
			if rt.Shift == "day" {
				found = true
				require.Len(t, rt.Breaks, 1, "the day route owes a break")
				assert.GreaterOrEqual(t, rt.Breaks[0].Length.Std(), 20*time.Minute)
			}
		}
		assert.True(t, found, "the day shift is used")
	})
	t.Run("WTR-11: daily rest planned (issue 4 item 4)", func(t *testing.T) {
		for _, f := range fs {
			assert.NotEqual(t, RuleWTR11, f.Rule, "%s", f)
		}
		// Planned without the rest rule, both late and dawn are served
		// and package compliance finds the short rest (under p's rules), so
		// the assertion above is about the rule, not about a rota that
		// never meets it.
		q := longDay()
		q.Rules.MinDailyRest = 0
		res, err := routing.Solve(context.Background(), q, routing.Options{Seed: 1, Threads: 1, MaxIterations: 200})
		require.NoError(t, err)
		assert.Len(t, res.Rota.Assignments, len(q.Visits))
		fs, err := CheckRota(&pack, RotaInput{Problem: p, Rota: res.Rota, Workers: currentRecords(p), Travel: tr})
		require.NoError(t, err)
		found := false
		for _, f := range fs {
			found = found || f.Rule == RuleWTR11
		}
		assert.True(t, found, "package compliance finds the short rest when the optimiser is not told of it")
	})
}
