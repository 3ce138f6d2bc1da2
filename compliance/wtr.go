package compliance

import (
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
)

const week = 7 * 24 * time.Hour

// workingTime runs the Working Time Regulations checks for every worker on
// the rota: WTR-11, WTR-48, WTR-WEEK, WTR-BREAK, WTR-NIGHT and YW-8-40.
// Working time runs from leaving for the first visit to getting back after
// the last (travel is working time; CJEU Tyco C-266/14), less the shift's
// agreed unpaid breaks.
func (c *rotaCtx) workingTime() {
	for _, w := range c.wids {
		ps := c.periods[w]
		r := c.rules[w]
		young := c.workers[w].YoungWorker
		rec := c.records[w]
		c.dailyRest(w, ps, r.MinDailyRest.Std(), rec)
		if !young {
			c.average48(w, ps, r.MaxWeekly.Std(), rec)
		}
		c.weeklyRest(w, ps, young, rec)
		c.breaks(w, ps, r.BreakAfter.Std(), r.BreakLength.Std(), young)
		if young {
			c.youngLimits(w, ps)
		} else {
			c.night(w, ps, rec)
		}
	}
}

// dailyRest (WTR-11; WTR reg 10): between the work of one day and the work
// of the next (shifts starting on different local days) the worker rests at
// least minRest (11 hours; 12 for young workers), as the problem's
// WorkingTimeRules.MinDailyRest defines it. Work before the horizon counts
// through WorkerRecord.LastWorkEnd. A compensatory rest logged for the day
// turns the breach into an advisory (WTR regs 21-24).
func (c *rotaCtx) dailyRest(w care.WorkerID, ps []*period, minRest time.Duration, rec *WorkerRecord) {
	if minRest <= 0 || len(ps) == 0 {
		return
	}
	type gap struct {
		from, to time.Time
		a, b     string
	}
	var gaps []gap
	if rec != nil && rec.LastWorkEnd != nil && rec.LastWorkEnd.Before(ps[0].start) && !c.day(*rec.LastWorkEnd).Equal(c.day(ps[0].start)) {
		gaps = append(gaps, gap{*rec.LastWorkEnd, ps[0].start, "work before the horizon", "shift " + string(ps[0].route.Shift)})
	}
	end, endShift, endDay := ps[0].end, ps[0].route.Shift, c.day(ps[0].start)
	for _, p := range ps[1:] {
		if !c.day(p.start).Equal(endDay) {
			gaps = append(gaps, gap{end, p.start, "shift " + string(endShift), "shift " + string(p.route.Shift)})
		}
		if p.end.After(end) {
			end, endShift = p.end, p.route.Shift
		}
		endDay = c.day(p.start)
	}
	for _, g := range gaps {
		rest := g.to.Sub(g.from)
		if rest >= minRest {
			continue
		}
		ev := fmt.Sprintf("rest of %s between %s (ending %s) and %s (starting %s); at least %s is owed",
			fmtDur(rest), g.a, c.fmt(g.from), g.b, c.fmt(g.to), fmtDur(minRest))
		sev := Breach
		if rec != nil && slices.ContainsFunc(rec.CompensatoryRest, func(t time.Time) bool { return c.day(t).Equal(c.day(g.to)) }) {
			sev = Advisory
			ev += "; compensatory rest logged"
		}
		c.e.add(RuleWTR11, sev, wsub(w), ptime(g.to), ev,
			"move the later shift so the rest reaches the minimum, or log equivalent compensatory rest (WTR reg 24)")
	}
}

// weekly splits the working time of periods into 7-day weeks from the start of the problem.
func (c *rotaCtx) weekly(ps []*period) []time.Duration {
	n := int((c.p.End.Sub(c.p.Start) + week - 1) / week)
	out := make([]time.Duration, max(n, 0))
	for _, p := range ps {
		for i := range out {
			ws := c.p.Start.Add(time.Duration(i) * week)
			out[i] += clip(p, ws, ws.Add(week))
		}
	}
	return out
}

// clip returns the working time of p inside [a, b), scaled from its span.
func clip(p *period, a, b time.Time) time.Duration {
	s, e := later(p.start, a), earlier(p.end, b)
	if !e.After(s) {
		return 0
	}
	span := p.end.Sub(p.start)
	if span <= 0 {
		return 0
	}
	return time.Duration(float64(p.work) * float64(e.Sub(s)) / float64(span))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// average48 (WTR-48; WTR reg 4): the average weekly working time over the
// reference period (Params.ReferenceWeeks, 17), formed from the prior weeks
// of the worker's record and the weeks of the rota, must not exceed the
// problem's MaxWeekly (48 hours) unless a valid opt-out is on file. A worker
// with a shorter history is averaged over the weeks there are. Weeks run
// from the problem's Start; a short last week counts as a whole week.
func (c *rotaCtx) average48(w care.WorkerID, ps []*period, limit time.Duration, rec *WorkerRecord) {
	if limit <= 0 {
		return
	}
	var hist []time.Duration
	if rec != nil {
		for _, w := range rec.PriorWeeks {
			hist = append(hist, w.Std())
		}
	}
	weeks := c.weekly(ps)
	ref := max(c.pack.Params.ReferenceWeeks, 1)
	all := append(hist, weeks...)
	for i := range weeks {
		j := len(hist) + i
		win := all[max(0, j-ref+1) : j+1]
		var sum time.Duration
		for _, h := range win {
			sum += h
		}
		avg := sum / time.Duration(len(win))
		if avg <= limit {
			continue
		}
		weekEnd := earlier(c.p.Start.Add(time.Duration(i+1)*week), c.p.End)
		if rec != nil && rec.OptOut.validAt(weekEnd) {
			continue
		}
		c.e.add(RuleWTR48, Breach, wsub(w), ptime(c.p.Start.Add(time.Duration(i)*week)),
			fmt.Sprintf("average %s a week over %d weeks ending week %d of the rota (this week %s); limit %s and no opt-out on file",
				fmtDur(avg), len(win), i+1, fmtDur(weeks[i]), fmtDur(limit)),
			"reduce this worker's hours or obtain a signed individual opt-out (WTR reg 5)")
		return
	}
}

// rests returns the rest intervals of a worker within the horizon.
func (c *rotaCtx) rests(ps []*period, rec *WorkerRecord) [][2]time.Time {
	var out [][2]time.Time
	prev := c.p.Start
	if rec != nil && rec.LastWorkEnd != nil && rec.LastWorkEnd.Before(prev) {
		prev = *rec.LastWorkEnd
	}
	for _, p := range ps {
		if p.start.After(prev) {
			out = append(out, [2]time.Time{prev, p.start})
		}
		prev = later(prev, p.end)
	}
	if c.p.End.After(prev) {
		out = append(out, [2]time.Time{prev, c.p.End})
	}
	return out
}

// restIn returns the rests clipped to [a, b), longest first.
func restIn(rs [][2]time.Time, a, b time.Time) []time.Duration {
	var out []time.Duration
	for _, r := range rs {
		s, e := later(r[0], a), earlier(r[1], b)
		if e.After(s) {
			out = append(out, e.Sub(s))
		}
	}
	slices.SortFunc(out, func(x, y time.Duration) int { return int(y - x) })
	return out
}

// weeklyRest (WTR-WEEK; WTR reg 11): in each 7 days of the horizon an adult
// needs 24 hours' uninterrupted rest, or instead 48 hours (or two 24-hour
// rests) in a 14-day period containing them; a young worker needs 48 hours in
// each 7 days. Only 7-day windows inside the horizon are judged.
func (c *rotaCtx) weeklyRest(w care.WorkerID, ps []*period, young bool, rec *WorkerRecord) {
	rs := c.rests(ps, rec)
	need := 24 * time.Hour
	if young {
		need = 48 * time.Hour
	}
	for ws := c.p.Start; !ws.Add(week).After(c.p.End); ws = ws.Add(week) {
		r := restIn(rs, ws, ws.Add(week))
		if len(r) > 0 && r[0] >= need {
			continue
		}
		if !young && c.fortnightOK(rs, ws) {
			continue
		}
		longest := time.Duration(0)
		if len(r) > 0 {
			longest = r[0]
		}
		c.e.add(RuleWTRWeek, Breach, wsub(w), ptime(ws),
			fmt.Sprintf("longest rest in the 7 days from %s is %s; at least %s uninterrupted is owed", c.fmt(ws), fmtDur(longest), fmtDur(need)),
			"give the worker a full day off in the week (or two in the fortnight)")
	}
}

// fortnightOK reports whether a 14-day window inside the horizon containing
// the week from ws has 48 hours' rest or two rests of 24 hours.
func (c *rotaCtx) fortnightOK(rs [][2]time.Time, ws time.Time) bool {
	for _, fs := range []time.Time{ws.Add(-week), ws} {
		fe := fs.Add(2 * week)
		if fs.Before(c.p.Start) || fe.After(c.p.End) {
			continue
		}
		r := restIn(rs, fs, fe)
		if len(r) > 0 && r[0] >= 48*time.Hour || len(r) > 1 && r[1] >= 24*time.Hour {
			return true
		}
	}
	return false
}

// breaks (WTR-BREAK; WTR reg 12): a shift whose working time exceeds
// BreakAfter (6 hours; 4.5 for young workers) needs an uninterrupted idle
// gap of at least BreakLength (20 minutes; 30 young) between its first and
// last activity.
func (c *rotaCtx) breaks(w care.WorkerID, ps []*period, after, length time.Duration, young bool) {
	if after <= 0 || length <= 0 {
		return
	}
	for _, p := range ps {
		if p.end.Sub(p.start) <= after {
			continue
		}
		var longest time.Duration
		for _, g := range p.gaps {
			longest = max(longest, g[1].Sub(g[0]))
		}
		if longest >= length {
			continue
		}
		who := ""
		if young {
			who = " (young worker)"
		}
		c.e.add(RuleWTRBreak, Breach, wsub(w), ptime(p.start),
			fmt.Sprintf("shift %s works %s from %s with no break of %s%s (longest gap %s)",
				p.route.Shift, fmtDur(p.end.Sub(p.start)), c.fmt(p.start), fmtDur(length), who, fmtDur(longest)),
			"plan an uninterrupted break of at least the minimum within the shift",
			Subject{SubjectRoute, string(p.route.Shift)})
	}
}

// nightOverlap returns the time of [s, e) that falls between the local
// minutes-after-midnight from and to (wrapping past midnight).
func (c *rotaCtx) nightOverlap(s, e time.Time, from, to int) time.Duration {
	var total time.Duration
	for d := c.day(s).AddDate(0, 0, -1); d.Before(e); d = d.AddDate(0, 0, 1) {
		ns := d.Add(time.Duration(from) * time.Minute)
		ne := d.Add(time.Duration(to) * time.Minute)
		if to <= from {
			ne = d.AddDate(0, 0, 1).Add(time.Duration(to) * time.Minute)
		}
		a, b := later(s, ns), earlier(e, ne)
		if b.After(a) {
			total += b.Sub(a)
		}
	}
	return total
}

// night (WTR-NIGHT; WTR reg 6): a night worker (designated, or working at
// least NightWorkerMin of night time on most of their working days in the
// rota) must average no more than NightAverage (8 hours) per 24 hours over
// the horizon, counting one rest day in seven as not available for work.
func (c *rotaCtx) night(w care.WorkerID, ps []*period, rec *WorkerRecord) {
	pr := c.pack.Params
	nightDays := 0
	var total time.Duration
	for _, p := range ps {
		total += p.work
		if c.nightOverlap(p.start, p.end, pr.NightStart, pr.NightEnd) >= pr.NightWorkerMin.Std() {
			nightDays++
		}
	}
	designated := rec != nil && rec.NightWorker
	if !designated && (nightDays == 0 || 2*nightDays < len(ps)) {
		return
	}
	days := int(c.p.End.Sub(c.p.Start) / (24 * time.Hour))
	days -= days / 7
	if days <= 0 {
		return
	}
	avg := total / time.Duration(days)
	if avg <= pr.NightAverage.Std() {
		return
	}
	c.e.add(RuleWTRNight, Breach, wsub(w), ptime(ps[0].start),
		fmt.Sprintf("night worker (%d of %d shifts with %s or more at night) averages %s per 24 hours over %d days; limit %s",
			nightDays, len(ps), fmtDur(pr.NightWorkerMin.Std()), fmtDur(avg), days, fmtDur(pr.NightAverage.Std())),
		"reduce the night worker's hours over the reference period")
}

// youngLimits (YW-8-40; WTR regs 5A, 6A): a young worker works at most 8
// hours a day and 40 a week, with no averaging, and not in the restricted
// night period (22:00 to 06:00 by default).
func (c *rotaCtx) youngLimits(w care.WorkerID, ps []*period) {
	pr := c.pack.Params
	perDay := map[time.Time]time.Duration{}
	var days []time.Time
	for _, p := range ps {
		for d := c.day(p.start); d.Before(p.end); d = d.AddDate(0, 0, 1) {
			if _, ok := perDay[d]; !ok {
				days = append(days, d)
			}
			perDay[d] += clip(p, d, d.AddDate(0, 0, 1))
		}
		if n := c.nightOverlap(p.start, p.end, pr.YoungNightStart, pr.YoungNightEnd); n > 0 {
			c.e.add(RuleYW840, Breach, wsub(w), ptime(p.start),
				fmt.Sprintf("young worker works %s in the restricted night period in shift %s", fmtDur(n), p.route.Shift),
				"give night-time visits to an adult worker", Subject{SubjectRoute, string(p.route.Shift)})
		}
	}
	for _, d := range days {
		if perDay[d] > 8*time.Hour {
			c.e.add(RuleYW840, Breach, wsub(w), ptime(d),
				fmt.Sprintf("young worker works %s on %s; limit 8h00m a day", fmtDur(perDay[d]), d.Format(time.DateOnly)),
				"shorten the young worker's day to 8 hours")
		}
	}
	for i, h := range c.weekly(ps) {
		if h > 40*time.Hour {
			c.e.add(RuleYW840, Breach, wsub(w), ptime(c.p.Start.Add(time.Duration(i)*week)),
				fmt.Sprintf("young worker works %s in week %d; limit 40h00m, no averaging", fmtDur(h), i+1),
				"reduce the young worker's weekly hours to 40")
		}
	}
}

// nmw (NMW; NMW Regulations 2015 regs 30-35): for each pay period, pay less
// deductions divided by the hours that must be paid must reach the minimum
// rate. Hours that must be paid are the visits, the travel and waiting
// between visits (reg 34; HMRC NMWM08490) and other paid hours, less agreed
// unpaid breaks; travel from home to the first visit and from the last visit
// home does not count (reg 34(2); HMRC v Taylors Services 2025), although it
// is working time for the WTR: the evidence gives both totals.
func (c *rotaCtx) nmw() {
	for _, pp := range c.in.Pay {
		var visits, travel, waiting, free, breaks, wtr time.Duration
		for _, p := range c.periods[pp.Worker] {
			if p.start.Before(pp.From) || !p.start.Before(pp.To) {
				continue
			}
			wtr += p.work
			for i, pl := range p.visits {
				visits += pl.end.Sub(pl.start)
				if i == 0 {
					continue
				}
				gap := pl.start.Sub(p.visits[i-1].end)
				if gap <= 0 {
					continue
				}
				if c.pack.Params.FreeGap.Std() > 0 && gap >= c.pack.Params.FreeGap.Std() {
					free += gap
					continue
				}
				tr := legTravel(p, p.visits[i-1], pl)
				tr = min(tr, gap)
				travel += tr
				waiting += gap - tr
			}
			if p.shift != nil {
				for _, b := range p.shift.Breaks {
					breaks += b.Length.Std()
				}
			}
		}
		breaks = min(breaks, waiting)
		paid := visits + travel + waiting - breaks + pp.OtherHours.Std()
		if paid <= 0 {
			continue
		}
		rate := (pp.Gross - pp.Deductions) / paid.Hours()
		if rate+1e-9 >= pp.MinimumRate {
			continue
		}
		c.e.add(RuleNMW, Breach, wsub(pp.Worker), ptime(pp.From),
			fmt.Sprintf("pay period %s to %s: £%.2f net of deductions for %s of NMW time (visits %s, travel between visits %s, waiting %s, unpaid breaks -%s, other %s) = £%.2f an hour, below £%.2f; working time for the WTR incl. journeys from and to home %s",
				pp.From.Format(time.DateOnly), pp.To.Format(time.DateOnly), pp.Gross-pp.Deductions, fmtDur(paid),
				fmtDur(visits), fmtDur(travel), fmtDur(waiting), fmtDur(breaks), fmtDur(pp.OtherHours.Std()), rate, pp.MinimumRate, fmtDur(wtr)),
			fmt.Sprintf("pay at least £%.2f more for the period, or pay travel and waiting time between visits",
				pp.MinimumRate*paid.Hours()-(pp.Gross-pp.Deductions)))
	}
}

// legTravel returns the travel time of the leg from a to b on route p, or 0 when the route has no such leg.
func legTravel(p *period, a, b *planned) time.Duration {
	for _, l := range p.route.Legs {
		if l.From == a.v.ID && l.To == b.v.ID {
			return l.Travel.Std()
		}
	}
	return 0
}
