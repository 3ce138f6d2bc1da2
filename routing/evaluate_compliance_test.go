package routing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluateReadsBreaksAndRestAsCompliance solves synthetic agencies over
// several days, then tightens the break and daily-rest rules so that some
// routes breach them, and checks that Evaluate (missing_break,
// min_daily_rest) and package compliance (WTR-BREAK, WTR-11) find exactly
// the same breaches. The shifts' break windows are removed first: with them,
// Evaluate is stricter (the break must fall in a window), compliance is not.
func TestEvaluateReadsBreaksAndRestAsCompliance(t *testing.T) {
	pack := compliance.DefaultPack(compliance.England)
	var breaks, rests int
	for seed := range uint64(6) {
		p, err := synth.Generate(synth.Config{Seed: seed + 11, VisitsPerDay: 20, Days: 3})
		require.NoError(t, err)
		res, err := routing.Solve(t.Context(), p, routing.Options{Seed: int64(seed), Threads: 1, MaxIterations: 20})
		// Solve returns its rota even when it breaks rules the optimiser does not plan yet.
		if err != nil {
			require.ErrorIs(t, err, routing.ErrInfeasible)
		}
		require.NotNil(t, res)
		for i := range p.Shifts {
			p.Shifts[i].Breaks = nil
		}
		p.Rules.BreakAfter = schedule.Minutes(90 + 30*int(seed%3))
		p.Rules.BreakLength = schedule.Minutes(20)
		p.Rules.MinDailyRest = schedule.Minutes(14*60 + 60*int(seed%4))
		p.Rules.MaxShift, p.Rules.MaxWeekly, p.Rules.MaxConsecutiveDays = 0, 0, 0
		rep, err := routing.Evaluate(p, res.Rota)
		require.NoError(t, err)
		findings, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: p, Rota: res.Rota})
		require.NoError(t, err)

		evalBreak, compBreak := map[string]bool{}, map[string]bool{}
		evalRest, compRest := map[string]bool{}, map[string]bool{}
		departs := map[schedule.ShiftID]time.Time{}
		for _, rr := range rep.Routes {
			departs[rr.Shift] = rr.Depart
		}
		for _, v := range rep.Violations {
			switch v.Kind {
			case routing.MissingBreak:
				evalBreak[string(v.Shift)] = true
			case routing.ShortDailyRest:
				evalRest[fmt.Sprintf("%s@%s", v.Worker, departs[v.Shift].UTC().Format(time.RFC3339))] = true
			}
		}
		for _, f := range findings {
			switch f.Rule {
			case compliance.RuleWTRBreak:
				for _, s := range f.Related {
					if s.Kind == compliance.SubjectRoute {
						compBreak[s.ID] = true
					}
				}
			case compliance.RuleWTR11:
				require.NotNil(t, f.At)
				compRest[fmt.Sprintf("%s@%s", f.Subject.ID, f.At.UTC().Format(time.RFC3339))] = true
			}
		}
		assert.Equal(t, compBreak, evalBreak, "seed %d: routes without a break", seed)
		assert.Equal(t, compRest, evalRest, "seed %d: short daily rests", seed)
		breaks += len(evalBreak)
		rests += len(evalRest)
	}
	t.Logf("%d routes without a break, %d short rests found by both", breaks, rests)
	assert.Positive(t, breaks, "the tightened rules must catch some routes")
	assert.Positive(t, rests, "the tightened rules must catch some rests")
}

// TestEvaluateReadsWeeklyLimitAsCompliance: over a one-week horizon with no
// earlier weeks on record, compliance's 17-week average (WTR-48) is the
// week's own working time, so Evaluate's max_weekly and compliance must name
// the same adult workers once the limit is tightened below some of them.
func TestEvaluateReadsWeeklyLimitAsCompliance(t *testing.T) {
	pack := compliance.DefaultPack(compliance.England)
	var found int
	for seed := range uint64(3) {
		p, err := synth.Generate(synth.Config{Seed: seed + 21, VisitsPerDay: 20, Days: 7})
		require.NoError(t, err)
		res, err := routing.Solve(t.Context(), p, routing.Options{Seed: int64(seed), Threads: 1, MaxIterations: 20})
		// Solve returns its rota even when it breaks rules the optimiser does not plan yet.
		if err != nil {
			require.ErrorIs(t, err, routing.ErrInfeasible)
		}
		require.NotNil(t, res)
		p.Rules = schedule.WorkingTimeRules{MaxWeekly: schedule.Minutes(8*60 + 60*int(seed))}
		rep, err := routing.Evaluate(p, res.Rota)
		require.NoError(t, err)
		findings, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: p, Rota: res.Rota})
		require.NoError(t, err)
		young := map[string]bool{}
		for _, w := range p.Workers {
			young[string(w.ID)] = w.YoungWorker
		}
		evalWeek, compWeek := map[string]bool{}, map[string]bool{}
		for _, v := range rep.Violations {
			if v.Kind == routing.OverMaxWeekly && !young[string(v.Worker)] {
				evalWeek[string(v.Worker)] = true
			}
		}
		for _, f := range findings {
			if f.Rule == compliance.RuleWTR48 {
				compWeek[f.Subject.ID] = true
			}
		}
		assert.Equal(t, compWeek, evalWeek, "seed %d: workers over the weekly limit", seed)
		found += len(evalWeek)
	}
	t.Logf("%d workers over the tightened weekly limit, found by both", found)
	assert.Positive(t, found)
}
