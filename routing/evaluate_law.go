package routing

import (
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"gonum.org/v1/gonum/stat"
)

// week is the length of a weekly window of the working-time rules.
const week = 7 * 24 * time.Hour

// span is one route's working span, kept for the rules over several routes.
type span struct {
	shift           schedule.ShiftID
	depart, return_ time.Time
	// work is the working time counted for the weekly rules: the span less the
	// shift's agreed unpaid Breaks (as package compliance counts it).
	work time.Duration
}

// soft reports whether any of the named rules is listed in Rules.Soft.
func (e *evaluation) soft(names ...string) bool {
	for _, n := range names {
		if slices.Contains(e.p.Rules.Soft, n) {
			return true
		}
	}
	return false
}

// rulesFor returns the working-time rules for worker w: Problem.Rules, made
// stricter for a young worker by schedule.WorkingTimeRules.ForYoungWorker, as
// package compliance applies them.
func (e *evaluation) rulesFor(w care.WorkerID) schedule.WorkingTimeRules {
	if wk := e.workers[w]; wk != nil && wk.YoungWorker {
		return e.p.Rules.ForYoungWorker()
	}
	return e.p.Rules
}

// overtime adds a soft rule's excess (or shortfall) to the Overtime term.
func (e *evaluation) overtime(d time.Duration) {
	e.rep.Objective.Overtime += e.p.Weights.Overtime * d.Minutes()
}

// idle returns a route's idle intervals: the waits at its stops (the first
// stop has none: the worker leaves just in time for it).
func idle(rr *RouteReport) [][2]time.Time {
	var out [][2]time.Time
	for _, st := range rr.Stops {
		if st.Wait > 0 {
			out = append(out, [2]time.Time{st.Arrival, st.Start})
		}
	}
	return out
}

// breaks checks a route's planned breaks (each inside a recomputed wait) and,
// when the working span exceeds Rules.BreakAfter, that it has a break: an
// idle interval (a wait, planned break or not) of at least Rules.BreakLength,
// starting, when the shift declares Breaks, within one of their windows
// (then at least the longer of BreakLength and that break's Length).
func (e *evaluation) breaks(rt *schedule.Route, sh *schedule.Shift, rr *RouteReport) {
	gaps := idle(rr)
	for i, b := range rt.Breaks {
		inside := b.Length > 0 && slices.ContainsFunc(gaps, func(g [2]time.Time) bool {
			return !b.Start.Before(g[0].Add(-Tolerance)) && !b.End().After(g[1].Add(Tolerance))
		})
		if !inside {
			e.add(BreakMisplaced, true, "", rt.Worker, rt.Shift, "break %d (%s for %s) is not inside a wait before a visit",
				i+1, e.fmtTime(b.Start), b.Length)
		}
	}
	rules := e.rulesFor(sh.Worker)
	after, length := rules.BreakAfter.Std(), rules.BreakLength.Std()
	if after <= 0 || length <= 0 || rr.WorkingTime <= after+Tolerance {
		return
	}
	// best is the shortfall of the best candidate break: 0 when one fits.
	best := length
	fit := func(from, to time.Time, need time.Duration) {
		if short := need - to.Sub(from); short < best {
			best = max(short, 0)
		}
	}
	for _, g := range gaps {
		if len(sh.Breaks) == 0 {
			fit(g[0], g[1], length)
			continue
		}
		for _, w := range sh.Breaks {
			from := g[0]
			if w.Earliest.After(from) {
				from = w.Earliest
			}
			if from.After(w.Latest.Add(Tolerance)) || !g[1].After(from) {
				continue
			}
			fit(from, g[1], max(length, w.Length.Std()))
		}
	}
	if best <= Tolerance {
		return
	}
	soft := e.soft("break_after", "break_length")
	where := ""
	if len(sh.Breaks) > 0 {
		where = " within the shift's break windows"
	}
	e.add(MissingBreak, !soft, "", rt.Worker, rt.Shift, "works %s from %s with no break of %s%s (longest %s)",
		rr.WorkingTime, e.fmtTime(rr.Depart), length, where, length-best)
	if soft {
		e.overtime(best)
	}
}

// day returns local midnight of t's day in the problem's time zone.
func (e *evaluation) day(t time.Time) time.Time {
	l := t.In(e.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, e.loc)
}

// law checks the working-time rules over each worker's routes: daily rest,
// the weekly maximum and consecutive days. Overtime and undertime against
// contracted minutes are added to the objective.
func (e *evaluation) law() {
	ids := make([]care.WorkerID, 0, len(e.spans))
	for w := range e.spans {
		ids = append(ids, w)
	}
	slices.Sort(ids)
	for _, w := range ids {
		ss := e.spans[w]
		slices.SortFunc(ss, func(a, b span) int { return a.depart.Compare(b.depart) })
		e.dailyRest(w, ss)
		e.weekly(w, ss)
		e.consecutiveDays(w, ss)
	}
	e.undertime()
}

// dailyRest: between spans starting on different local days, the rest from
// the latest end so far to the next departure is at least MinDailyRest.
func (e *evaluation) dailyRest(w care.WorkerID, ss []span) {
	need := e.rulesFor(w).MinDailyRest.Std()
	if need <= 0 {
		return
	}
	soft := e.soft("min_daily_rest")
	end, endShift := ss[0].return_, ss[0].shift
	for i := 1; i < len(ss); i++ {
		s := ss[i]
		if !e.day(s.depart).Equal(e.day(ss[i-1].depart)) {
			if rest := s.depart.Sub(end); rest < need-Tolerance {
				e.add(ShortDailyRest, !soft, "", w, s.shift, "rest of %s between shift %q (ending %s) and this shift (starting %s); at least %s",
					rest, endShift, e.fmtTime(end), e.fmtTime(s.depart), need)
				if soft {
					e.overtime(need - rest)
				}
			}
		}
		if s.return_.After(end) {
			end, endShift = s.return_, s.shift
		}
	}
}

// weekWork splits the working time of spans into 7-day windows from the
// problem's Start (the last one cut at End), sharing a span that crosses a
// window's edge in proportion to its time on each side.
func (e *evaluation) weekWork(ss []span) []time.Duration {
	n := int((e.p.End.Sub(e.p.Start) + week - 1) / week)
	out := make([]time.Duration, max(n, 0))
	for _, s := range ss {
		total := s.return_.Sub(s.depart)
		for i := range out {
			ws := e.p.Start.Add(time.Duration(i) * week)
			a, b := s.depart, s.return_
			if ws.After(a) {
				a = ws
			}
			if we := ws.Add(week); we.Before(b) {
				b = we
			}
			if !b.After(a) {
				continue
			}
			if total <= 0 || b.Sub(a) == total {
				out[i] += s.work
				continue
			}
			out[i] += time.Duration(float64(s.work) * float64(b.Sub(a)) / float64(total))
		}
	}
	return out
}

// weekly: in each 7-day window from the horizon start the working time is at
// most MaxWeekly; beyond contracted minutes it costs Weights.Overtime.
func (e *evaluation) weekly(w care.WorkerID, ss []span) {
	weeks := e.weekWork(ss)
	limit := e.rulesFor(w).MaxWeekly.Std()
	soft := e.soft("max_weekly")
	var contracted time.Duration
	if wk := e.workers[w]; wk != nil {
		contracted = time.Duration(wk.ContractedMinutesPerWeek) * time.Minute
	}
	for i, got := range weeks {
		ws := e.p.Start.Add(time.Duration(i) * week)
		if limit > 0 && got > limit+Tolerance {
			e.add(OverMaxWeekly, !soft, "", w, "", "works %s in the 7 days from %s; at most %s", got, e.fmtTime(ws), limit)
			if soft {
				e.overtime(got - limit)
			}
		}
		if contracted > 0 && got > contracted {
			e.overtime(got - contracted)
		}
	}
}

// consecutiveDays: the local days on which the worker's spans start form
// runs of consecutive days of at most MaxConsecutiveDays. Soft: the working
// time of spans starting on the days beyond the limit costs Weights.Overtime.
func (e *evaluation) consecutiveDays(w care.WorkerID, ss []span) {
	limit := e.rulesFor(w).MaxConsecutiveDays
	if limit <= 0 {
		return
	}
	soft := e.soft("max_consecutive_days")
	var days []time.Time
	work := map[time.Time]time.Duration{}
	for _, s := range ss {
		d := e.day(s.depart)
		if len(days) == 0 || !days[len(days)-1].Equal(d) {
			days = append(days, d)
		}
		work[d] += s.work
	}
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j].Equal(e.day(days[j-1].AddDate(0, 0, 1).Add(time.Hour))) {
			j++
		}
		if n := j - i; n > limit {
			e.add(TooManyDays, !soft, "", w, "", "works %d consecutive days from %s to %s; at most %d",
				n, days[i].Format(time.DateOnly), days[j-1].Format(time.DateOnly), limit)
			if soft {
				for _, d := range days[i+limit : j] {
					e.overtime(work[d])
				}
			}
		}
		i = j
	}
}

// roleFor returns the role a visit needs, or "" when any role may serve it:
// by kind (schedule.VisitKind.Role) or by required skill (roleForSkills).
func roleFor(v *schedule.Visit) care.Role {
	if r, ok := v.Kind.Role(); ok {
		return r
	}
	return roleForSkills(v.Skills)
}

// roleForSkills returns the role that one of skills is reserved to
// (care.RoleFor: nursing to nurses, chiropody to chiropodists, befriending to
// befrienders), or "".
func roleForSkills(skills []care.Skill) care.Role {
	for _, s := range skills {
		if r, ok := care.RoleFor(s); ok {
			return r
		}
	}
	return ""
}

// fairness returns the population standard deviation, over the workers
// who have at least one shift in the problem, of each one's prior minutes
// (care.Worker.PriorMinutes) plus the working minutes (Return - Depart,
// summed over routes) of their routes in the rota. A worker with a shift
// and no route counts with their prior minutes alone: leaving an available
// worker idle is unbalanced, not "fair"; a worker with no shift could not
// have been given work and is left out.
func (e *evaluation) fairness() float64 {
	mins := map[care.WorkerID]float64{}
	for i := range e.p.Shifts {
		w := e.p.Shifts[i].Worker
		if _, ok := mins[w]; !ok {
			mins[w] = 0
			if wk := e.workers[w]; wk != nil {
				mins[w] = float64(wk.PriorMinutes)
			}
		}
	}
	for i := range e.rep.Routes {
		rr := &e.rep.Routes[i]
		if _, ok := mins[rr.Worker]; ok && len(rr.Stops) > 0 {
			mins[rr.Worker] += rr.WorkingTime.Minutes()
		}
	}
	xs := make([]float64, 0, len(mins))
	for _, m := range mins {
		xs = append(xs, m)
	}
	return spread(xs)
}

// spread returns the population standard deviation of xs, summed in
// ascending order (xs is sorted in place: a fixed order, so the sum does
// not depend on map order), and 0 for fewer than two values. The fairness
// term, for Evaluate and for the live operations' trials.
func spread(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	slices.Sort(xs)
	return stat.PopStdDev(xs, nil)
}

// undertime adds Weights.Undertime per minute of working time (as for
// max_weekly) below ContractedMinutesPerWeek in each 7-day window from
// Start, the target prorated for the last window when End cuts it short
// (a one-day problem targets a seventh of the week), for every worker with
// a contract and at least one shift in the problem.
func (e *evaluation) undertime() {
	if e.p.Weights.Undertime == 0 {
		return
	}
	var ids []care.WorkerID
	for i := range e.p.Shifts {
		w := e.p.Shifts[i].Worker
		if wk := e.workers[w]; wk != nil && wk.ContractedMinutesPerWeek > 0 && !slices.Contains(ids, w) {
			ids = append(ids, w)
		}
	}
	slices.Sort(ids)
	for _, w := range ids {
		e.addUndertime(w, e.spans[w], &e.rep.Objective.Undertime)
	}
}

// addUndertime adds to *acc the undertime of worker w (see undertime)
// whose working spans are ss, window by window; nothing when the weight
// is 0 or w has no contract. Evaluate adds to its objective; the live
// operations (live.lawCheck) to one worker's total.
func (e *evaluation) addUndertime(w care.WorkerID, ss []span, acc *float64) {
	wk := e.workers[w]
	if e.p.Weights.Undertime == 0 || wk == nil || wk.ContractedMinutesPerWeek <= 0 {
		return
	}
	contracted := time.Duration(wk.ContractedMinutesPerWeek) * time.Minute
	for i, got := range e.weekWork(ss) {
		ws := e.p.Start.Add(time.Duration(i) * week)
		target := contracted
		if left := e.p.End.Sub(ws); left < week {
			target = time.Duration(float64(contracted) * float64(left) / float64(week))
		}
		if got < target {
			*acc += e.p.Weights.Undertime * (target - got).Minutes()
		}
	}
}
