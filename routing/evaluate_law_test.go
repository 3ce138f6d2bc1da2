package routing

import (
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lawProblem is planar() without b's target, over three days, with a second
// day for w1: shift s3 2026-03-03 08:00–12:00 and visit d at u1 (window
// 08:10–08:20, 30 min).
//
// Hand-worked timings (one unit = one minute):
//   - w1 on s1 with a, b: leaves 08:05, a 08:10–08:40, travels 5, b 08:45–09:05,
//     back 09:15: 70 minutes, no wait.
//   - the same with b planned to start at 09:00: arrives 08:45, waits 15 minutes
//     (08:45–09:00), b 09:00–09:20, back 09:30: 85 minutes.
//   - w1 on s3 with d: leaves 2026-03-03 08:05, d 08:10–08:40, back 08:45: 40 minutes.
//   - w2 on s2 with c: leaves 09:50, c 10:00–10:15, back 10:25: 35 minutes.
func lawProblem() *schedule.Problem {
	p := planar()
	p.End = day.Add(72 * time.Hour)
	p.Visits[1].Windows[0].Target = nil
	p.Visits = append(p.Visits, schedule.Visit{ID: "d", ServiceUser: "u1", Kind: schedule.PersonalCare, Duration: schedule.Minutes(30),
		Windows: []schedule.Window{{Earliest: at(8, 10).AddDate(0, 0, 1), Latest: at(8, 20).AddDate(0, 0, 1)}}})
	p.Shifts = append(p.Shifts, schedule.Shift{ID: "s3", Worker: "w1", Start: at(8, 0).AddDate(0, 0, 1), End: at(12, 0).AddDate(0, 0, 1)})
	return p
}

// withStart sets the planned start of a visit in r.
func withStart(r *schedule.Rota, v schedule.VisitID, t time.Time) *schedule.Rota {
	for i := range r.Assignments {
		if r.Assignments[i].Visit == v {
			r.Assignments[i].Start = t
		}
	}
	return r
}

func TestEvaluateWorkingTimeLaw(t *testing.T) {
	ab := func(p *schedule.Problem) *schedule.Rota { return rotaOf(p, route("w1", "s1", "a", "b")) }
	abWait := func(p *schedule.Problem) *schedule.Rota { return withStart(ab(p), "b", at(9, 0)) }
	twoDays := func(p *schedule.Problem) *schedule.Rota {
		return rotaOf(p, route("w1", "s1", "a", "b"), route("w1", "s3", "d"))
	}
	breaks := func(p *schedule.Problem) {
		p.Rules.BreakAfter = schedule.Minutes(60)
		p.Rules.BreakLength = schedule.Minutes(15)
	}
	cases := []struct {
		name   string
		setup  func(p *schedule.Problem)
		rota   func(p *schedule.Problem) *schedule.Rota
		kind   ViolationKind // "" = no violation at all
		hard   bool
		worker care.WorkerID
		shift  schedule.ShiftID
		detail string
	}{
		{"break: 70 min with no wait", breaks, ab, MissingBreak, true, "w1", "s1",
			"works 1h10m0s from 2026-03-02 08:05:00.000 with no break of 15m0s (longest 0s)"},
		{"break: 85 min with a 15 min wait", breaks, abWait, "", false, "", "", ""},
		{"break: 70 min under a 70 min threshold", func(p *schedule.Problem) {
			breaks(p)
			p.Rules.BreakAfter = schedule.Minutes(70)
		}, ab, "", false, "", "", ""},
		{"break: wait outside the shift's break window", func(p *schedule.Problem) {
			breaks(p)
			p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(10, 0), Latest: at(11, 0), Length: schedule.Minutes(15)}}
		}, abWait, MissingBreak, true, "w1", "s1",
			"works 1h25m0s from 2026-03-02 08:05:00.000 with no break of 15m0s within the shift's break windows (longest 0s)"},
		{"break: wait inside the shift's break window", func(p *schedule.Problem) {
			breaks(p)
			p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(8, 30), Latest: at(8, 50), Length: schedule.Minutes(15)}}
		}, abWait, "", false, "", "", ""},
		{"break: window opens too late in the wait", func(p *schedule.Problem) {
			breaks(p)
			// From 08:50 only 10 minutes of the wait remain.
			p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(8, 50), Latest: at(9, 30), Length: schedule.Minutes(15)}}
		}, abWait, MissingBreak, true, "w1", "s1",
			"works 1h25m0s from 2026-03-02 08:05:00.000 with no break of 15m0s within the shift's break windows (longest 10m0s)"},
		{"break: soft", func(p *schedule.Problem) { breaks(p); p.Rules.Soft = []string{"break_after"} }, ab, MissingBreak, false, "w1", "s1",
			"works 1h10m0s from 2026-03-02 08:05:00.000 with no break of 15m0s (longest 0s)"},
		{"break: a young worker owes 30 min, the wait is 15", func(p *schedule.Problem) { breaks(p); p.Workers[0].YoungWorker = true }, abWait,
			MissingBreak, true, "w1", "s1", "works 1h25m0s from 2026-03-02 08:05:00.000 with no break of 30m0s (longest 15m0s)"},
		{"max shift: soft, 70 min over 60", func(p *schedule.Problem) {
			p.Rules.MaxShift = schedule.Minutes(60)
			p.Rules.Soft = []string{"max_shift"}
		}, ab, OverMaxShift, false, "w1", "s1", "working time 1h10m0s exceeds the maximum shift 1h0m0s"},
		{"planned break inside the wait", nil, func(p *schedule.Problem) *schedule.Rota {
			r := abWait(p)
			r.Routes[0].Breaks = []schedule.PlannedBreak{{Start: at(8, 45), Length: schedule.Minutes(15)}}
			return r
		}, "", false, "", "", ""},
		{"planned break over travel", nil, func(p *schedule.Problem) *schedule.Rota {
			r := abWait(p)
			r.Routes[0].Breaks = []schedule.PlannedBreak{{Start: at(8, 40), Length: schedule.Minutes(15)}}
			return r
		}, BreakMisplaced, true, "w1", "s1", "break 1 (2026-03-02 08:40:00.000 for 15m0s) is not inside a wait before a visit"},
		{"daily rest: 22h50m under 23h", func(p *schedule.Problem) { p.Rules.MinDailyRest = schedule.Minutes(23 * 60) }, twoDays,
			ShortDailyRest, true, "w1", "s3",
			`rest of 22h50m0s between shift "s1" (ending 2026-03-02 09:15:00.000) and this shift (starting 2026-03-03 08:05:00.000); at least 23h0m0s`},
		{"daily rest: 22h50m", func(p *schedule.Problem) { p.Rules.MinDailyRest = schedule.Minutes(22*60 + 50) }, twoDays, "", false, "", "", ""},
		{"weekly: 110 min over 100", func(p *schedule.Problem) { p.Rules.MaxWeekly = schedule.Minutes(100) }, twoDays,
			OverMaxWeekly, true, "w1", "", "works 1h50m0s in the 7 days from 2026-03-02 00:00:00.000; at most 1h40m0s"},
		{"weekly: 110 min", func(p *schedule.Problem) { p.Rules.MaxWeekly = schedule.Minutes(110) }, twoDays, "", false, "", "", ""},
		{"weekly: agreed unpaid break not counted", func(p *schedule.Problem) {
			p.Rules.MaxWeekly = schedule.Minutes(100)
			p.Shifts[0].Breaks = []schedule.Break{{Earliest: at(10, 0), Latest: at(11, 0), Length: schedule.Minutes(10)}}
		}, twoDays, "", false, "", "", ""},
		{"weekly: soft", func(p *schedule.Problem) {
			p.Rules.MaxWeekly = schedule.Minutes(100)
			p.Rules.Soft = []string{"max_weekly"}
		}, twoDays,
			OverMaxWeekly, false, "w1", "", "works 1h50m0s in the 7 days from 2026-03-02 00:00:00.000; at most 1h40m0s"},
		{"consecutive days: 2 over 1", func(p *schedule.Problem) { p.Rules.MaxConsecutiveDays = 1 }, twoDays,
			TooManyDays, true, "w1", "", "works 2 consecutive days from 2026-03-02 to 2026-03-03; at most 1"},
		{"consecutive days: 2", func(p *schedule.Problem) { p.Rules.MaxConsecutiveDays = 2 }, twoDays, "", false, "", "", ""},
		{"consecutive days: a day off between", func(p *schedule.Problem) {
			p.Rules.MaxConsecutiveDays = 1
			p.Shifts[2].Start, p.Shifts[2].End = p.Shifts[2].Start.AddDate(0, 0, 1), p.Shifts[2].End.AddDate(0, 0, 1)
			w := &p.Visits[3].Windows[0]
			w.Earliest, w.Latest = w.Earliest.AddDate(0, 0, 1), w.Latest.AddDate(0, 0, 1)
		}, twoDays, "", false, "", "", ""},
		{"role: nursing visit by a care worker", func(p *schedule.Problem) { p.Visits[2].Kind = schedule.Nursing },
			func(p *schedule.Problem) *schedule.Rota { return rotaOf(p, route("w2", "s2", "c")) },
			WrongRole, true, "w2", "s2", "a nursing visit needs a worker of role nurse, not care_worker"},
		{"role: nursing visit by a nurse", func(p *schedule.Problem) { p.Visits[2].Kind = schedule.Nursing; p.Workers[1].Role = care.RoleNurse },
			func(p *schedule.Problem) *schedule.Rota { return rotaOf(p, route("w2", "s2", "c")) }, "", false, "", "", ""},
		{"role: chiropody skill on a meal visit, held by a care worker", func(p *schedule.Problem) {
			p.Visits[2].Skills = []care.Skill{care.SkillChiropody}
			p.Workers[1].Qualifications = []care.Qualification{{Skill: care.SkillChiropody, Obtained: day.AddDate(-1, 0, 0)}}
		},
			func(p *schedule.Problem) *schedule.Rota { return rotaOf(p, route("w2", "s2", "c")) },
			WrongRole, true, "w2", "s2", "a meal visit needs a worker of role chiropodist, not care_worker"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := lawProblem()
			if tc.setup != nil {
				tc.setup(p)
			}
			rep, err := Evaluate(p, tc.rota(p))
			require.NoError(t, err)
			if tc.kind == "" {
				assert.Empty(t, rep.Violations)
				return
			}
			got := kinds(rep, tc.kind)
			require.Len(t, got, 1, "%v", rep.Violations)
			v := got[0]
			assert.Equal(t, tc.hard, v.Hard)
			assert.Equal(t, tc.worker, v.Worker)
			assert.Equal(t, tc.shift, v.Shift)
			assert.Equal(t, tc.detail, v.Detail)
			if tc.kind == WrongRole {
				assert.Equal(t, schedule.VisitID("c"), v.Visit)
			}
			assert.Len(t, rep.Violations, 1, "nothing else: %v", rep.Violations)
		})
	}
}

// TestEvaluateSoftTerms checks the overtime and fairness terms by hand, and
// the continuity and preferred terms.
func TestEvaluateSoftTerms(t *testing.T) {
	base := func() *schedule.Problem {
		p := lawProblem()
		p.Weights = schedule.Weights{Unassigned: 1000, Overtime: 2, Fairness: 3, Continuity: 7, Preferred: 4}
		return p
	}
	objective := func(t *testing.T, p *schedule.Problem, r *schedule.Rota) Objective {
		rep, err := Evaluate(p, r)
		require.NoError(t, err)
		o := rep.Objective
		assert.InDelta(t, o.Unassigned+o.Shifts+o.TravelTime+o.Distance+o.WorkingTime+o.Lateness+o.Continuity+o.Preferred+o.Overtime+o.Undertime+o.Fairness,
			o.Total, 1e-9)
		return o
	}
	t.Run("fairness", func(t *testing.T) {
		p := base()
		// w1 works 70 minutes (a, b), w2 35 (c): mean 52.5, deviations ±17.5.
		o := objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w2", "s2", "c")))
		assert.InDelta(t, 3*17.5, o.Fairness, 1e-9)
		// w2 has a shift and no route: an idle available worker counts
		// (70 against 0: deviations ±35).
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b")))
		assert.InDelta(t, 3*35, o.Fairness, 1e-9)
		// A worker with no shift is left out: w2 without one, w1 alone.
		q := base()
		q.Shifts = slices.DeleteFunc(q.Shifts, func(s schedule.Shift) bool { return s.Worker == "w2" })
		o = objective(t, q, rotaOf(q, route("w1", "s1", "a", "b")))
		assert.Zero(t, o.Fairness)
		// History: w2 worked 35 minutes before the horizon, so 70 against
		// 35 again (±17.5); with c as well w2 reaches 70: balanced.
		p.Workers[1].PriorMinutes = 35
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b")))
		assert.InDelta(t, 3*17.5, o.Fairness, 1e-9)
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w2", "s2", "c")))
		assert.Zero(t, o.Fairness)
		p.Workers[1].PriorMinutes = 0
		// w1 over two days (70 + 40 = 110) against w2's 35: deviations ±37.5.
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w1", "s3", "d"), route("w2", "s2", "c")))
		assert.InDelta(t, 3*37.5, o.Fairness, 1e-9)
	})
	t.Run("overtime beyond contracted minutes", func(t *testing.T) {
		p := base()
		p.Workers[0].ContractedMinutesPerWeek = 60
		o := objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"))) // 70 minutes: 10 over
		assert.InDelta(t, 2*10, o.Overtime, 1e-9)
		p.Workers[0].ContractedMinutesPerWeek = 70
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b")))
		assert.Zero(t, o.Overtime)
		p.Workers[0].ContractedMinutesPerWeek = 0 // zero-hours: no contract to exceed
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b")))
		assert.Zero(t, o.Overtime)
	})
	t.Run("undertime below contracted minutes", func(t *testing.T) {
		p := base()
		p.Weights.Undertime = 5
		// w1 contracted 420 minutes a week; the horizon is 3 days, so the
		// target is 420·3/7 = 180. Working 110 (two days): 70 under.
		p.Workers[0].ContractedMinutesPerWeek = 420
		o := objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w1", "s3", "d")))
		assert.InDelta(t, 5*70, o.Undertime, 1e-9)
		assert.Zero(t, o.Overtime)
		// Idle: the whole target, 180 minutes.
		o = objective(t, p, rotaOf(p, route("w2", "s2", "c")))
		assert.InDelta(t, 5*180, o.Undertime, 1e-9)
		// A contract below the work: overtime only (60 target 60·3/7 < 110).
		p.Workers[0].ContractedMinutesPerWeek = 60
		o = objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w1", "s3", "d")))
		assert.Zero(t, o.Undertime)
		assert.InDelta(t, 2*50, o.Overtime, 1e-9)
		// Weight 0: not costed.
		p.Weights.Undertime = 0
		p.Workers[0].ContractedMinutesPerWeek = 420
		assert.Zero(t, objective(t, p, rotaOf(p, route("w2", "s2", "c"))).Undertime)
	})
	t.Run("overtime on soft limits", func(t *testing.T) {
		p := base()
		p.Rules.MaxWeekly = schedule.Minutes(100)
		p.Rules.Soft = []string{"max_weekly"}
		two := func() *schedule.Rota { return rotaOf(p, route("w1", "s1", "a", "b"), route("w1", "s3", "d")) }
		assert.InDelta(t, 2*10, objective(t, p, two()).Overtime, 1e-9, "110 minutes, 10 over the weekly limit")
		p.Rules = schedule.WorkingTimeRules{MaxShift: schedule.Minutes(60), Soft: []string{"max_shift"}}
		assert.InDelta(t, 2*10, objective(t, p, two()).Overtime, 1e-9, "s1 works 70 minutes, 10 over the maximum shift")
		p.Rules = schedule.WorkingTimeRules{MinDailyRest: schedule.Minutes(23 * 60), Soft: []string{"min_daily_rest"}}
		assert.InDelta(t, 2*10, objective(t, p, two()).Overtime, 1e-9, "rest 22h50m, 10 minutes short")
		p.Rules = schedule.WorkingTimeRules{MaxConsecutiveDays: 1, Soft: []string{"max_consecutive_days"}}
		assert.InDelta(t, 2*40, objective(t, p, two()).Overtime, 1e-9, "the 40 minutes worked on the second day")
		p.Rules = schedule.WorkingTimeRules{BreakAfter: schedule.Minutes(60), BreakLength: schedule.Minutes(15), Soft: []string{"break_length"}}
		assert.InDelta(t, 2*15, objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"))).Overtime, 1e-9, "no wait: the whole break missing")
		// A 15-minute wait is the whole break; no overtime.
		assert.Zero(t, objective(t, p, withStart(rotaOf(p, route("w1", "s1", "a", "b")), "b", at(9, 0))).Overtime)
		// Hard limits cost nothing in the objective: they are violations.
		p.Rules.Soft = nil
		assert.Zero(t, objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"))).Overtime)
	})
	t.Run("continuity and preferred", func(t *testing.T) {
		p := base()
		// u1 sees w1 (a) and w2 (d): one worker beyond the first. u2 (b) and u3 (c) see one each.
		p.Shifts[2].Worker = "w2"
		p.Visits[0].Preferred = []care.WorkerID{"w1"}
		p.ServiceUsers[2].Preferences.PreferredWorkers = []care.WorkerID{"w2"}
		o := objective(t, p, rotaOf(p, route("w1", "s1", "a", "b"), route("w2", "s3", "d"), route("w2", "s2", "c")))
		assert.InDelta(t, 7, o.Continuity, 1e-9)
		assert.InDelta(t, -2*4, o.Preferred, 1e-9, "a by its preferred w1, c by u3's preferred w2")
	})
}

// TestEvaluateSeatRole: double-handed c with a nursing seat. Both workers
// hold the nursing skill; only a nurse may take that seat.
func TestEvaluateSeatRole(t *testing.T) {
	for _, nurse := range []bool{false, true} {
		p := lawProblem()
		p.Visits[2].Carers = 2
		p.Visits[2].SeatSkills = [][]care.Skill{{care.SkillNursing}, nil}
		for i := range p.Workers {
			p.Workers[i].Qualifications = append(p.Workers[i].Qualifications, care.Qualification{Skill: care.SkillNursing, Obtained: day.AddDate(-1, 0, 0)})
		}
		if nurse {
			p.Workers[1].Role = care.RoleNurse
		}
		rep, err := Evaluate(p, rotaOf(p, route("w1", "s1", "c"), route("w2", "s2", "c")))
		require.NoError(t, err)
		if nurse {
			assert.Empty(t, rep.Violations)
			continue
		}
		got := kinds(rep, MissingSkill)
		require.Len(t, got, 1, "%v", rep.Violations)
		assert.Equal(t, schedule.VisitID("c"), got[0].Visit)
		assert.Equal(t, "workers [w1 w2] cannot fill the seats' skills", got[0].Detail)
	}
}

func TestReportHardErrorExcept(t *testing.T) {
	p := lawProblem()
	p.Rules = schedule.WorkingTimeRules{BreakAfter: schedule.Minutes(60), BreakLength: schedule.Minutes(15), MaxWeekly: schedule.Minutes(60)}
	rep, err := Evaluate(p, rotaOf(p, route("w1", "s1", "a", "b")))
	require.NoError(t, err)
	require.Len(t, rep.Hard(), 2, "%v", rep.Violations)
	err = rep.HardError()
	require.ErrorIs(t, err, ErrInfeasible)
	assert.Contains(t, err.Error(), "2 hard violations")
	err = rep.HardErrorExcept(MissingBreak)
	require.ErrorIs(t, err, ErrInfeasible)
	assert.Contains(t, err.Error(), "1 hard violations")
	assert.Contains(t, err.Error(), "max_weekly")
	assert.NotContains(t, err.Error(), "missing_break")
	assert.NoError(t, rep.HardErrorExcept(MissingBreak, OverMaxWeekly))
	assert.Len(t, rep.Hard(), 2, "the report keeps every violation")
}

// TestEvaluateLocalDays: days are the problem's local days. In London in
// July (UTC+1), w1 serves x 2026-07-01 08:00–08:30 UTC and y at 23:20 UTC,
// which is 00:20 on 2 July locally: two working days, with a rest of
// 14h50m between them. Read in UTC both would fall on 1 July.
func TestEvaluateLocalDays(t *testing.T) {
	utc := func(d, hh, mm int) time.Time { return time.Date(2026, time.July, d, hh, mm, 0, 0, time.UTC) }
	home := care.Location{0, 0}
	problem := func(zone string) *schedule.Problem {
		return &schedule.Problem{
			Start: utc(1, 0, 0), End: utc(3, 0, 0), TimeZone: zone,
			ServiceUsers: []care.ServiceUser{{ID: "u1", Location: care.Location{0, 0}}},
			Workers:      []care.Worker{{ID: "w1", Role: care.RoleCareWorker, TravelMode: care.Car, Home: &home}},
			Visits: []schedule.Visit{
				{ID: "x", ServiceUser: "u1", Kind: schedule.Meal, Duration: schedule.Minutes(30), Windows: []schedule.Window{{Earliest: utc(1, 8, 0), Latest: utc(1, 8, 0)}}},
				{ID: "y", ServiceUser: "u1", Kind: schedule.Meal, Duration: schedule.Minutes(30), Windows: []schedule.Window{{Earliest: utc(1, 23, 20), Latest: utc(1, 23, 20)}}},
			},
			Shifts: []schedule.Shift{
				{ID: "s1", Worker: "w1", Start: utc(1, 7, 0), End: utc(1, 12, 0)},
				{ID: "s2", Worker: "w1", Start: utc(1, 23, 0), End: utc(2, 2, 0)},
			},
			Rules:   schedule.WorkingTimeRules{MinDailyRest: schedule.Minutes(15 * 60), MaxConsecutiveDays: 1},
			Weights: schedule.Weights{Unassigned: 1000},
			Travel:  schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1)},
		}
	}
	eval := func(zone string) *Report {
		p := problem(zone)
		rep, err := Evaluate(p, rotaOf(p, route("w1", "s1", "x"), route("w1", "s2", "y")))
		require.NoError(t, err)
		return rep
	}
	assert.Empty(t, eval("UTC").Violations, "one day in UTC")
	rep := eval("Europe/London")
	rest := kinds(rep, ShortDailyRest)
	require.Len(t, rest, 1, "%v", rep.Violations)
	assert.Equal(t, `rest of 14h50m0s between shift "s1" (ending 2026-07-01 09:30:00.000) and this shift (starting 2026-07-02 00:20:00.000); at least 15h0m0s`, rest[0].Detail)
	days := kinds(rep, TooManyDays)
	require.Len(t, days, 1, "%v", rep.Violations)
	assert.Equal(t, "works 2 consecutive days from 2026-07-01 to 2026-07-02; at most 1", days[0].Detail)
	assert.Len(t, rep.Violations, 2)
}
