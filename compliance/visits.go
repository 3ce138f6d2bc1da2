package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// visitChecks runs the checks made per assigned visit: SKILL-EXP, MED-COMP,
// DBS, DBL-SYNC, VIS-30, LOLER and DIGNITY, then MED-TIME over the doses.
func (c *rotaCtx) visitChecks() {
	for _, pl := range c.ordered {
		c.skills(pl)
		c.medComp(pl)
		c.dbs(pl)
		c.double(pl)
		c.shortVisit(pl)
		c.loler(pl)
		c.dignity(pl)
	}
	c.doses()
}

// skills (SKILL-EXP; Reg 12(2)(c), Reg 18): every carer holds each skill the
// visit needs (and their seat's extra skills), valid on the visit date, and,
// when a training matrix is given, the courses those skills need are in date.
// A visit whose kind or skill is reserved to one role (nursing, chiropody,
// befriending: schedule.VisitKind.Role, care.RoleFor) is made by a worker of
// that role.
func (c *rotaCtx) skills(pl *planned) {
	for i, wid := range pl.a.Workers {
		w := c.workers[wid]
		need := slices.Clone(pl.v.Skills)
		if i < len(pl.v.SeatSkills) {
			need = append(need, pl.v.SeatSkills[i]...)
		}
		var miss []string
		if r, ok := pl.v.Kind.Role(); ok && w.Role != r {
			miss = append(miss, fmt.Sprintf("a %s visit is for the %s role, not %s", pl.v.Kind, r, w.Role))
		}
		for _, s := range need {
			if r, ok := care.RoleFor(s); ok && !w.Role.MayServe(s) {
				miss = append(miss, fmt.Sprintf("%s is reserved to the %s role, not %s", s, r, w.Role))
			}
			if w.HasSkill(s, pl.start) {
				continue
			}
			miss = append(miss, describeSkill(w, s, pl.start))
		}
		if c.in.Training != nil {
			miss = append(miss, c.in.Training.missingFor(w, need, c.in.Completions, pl.start)...)
		}
		if len(miss) > 0 {
			c.e.add(RuleSKILLExp, Breach, vsub(pl.v.ID), ptime(pl.start),
				fmt.Sprintf("worker %s at %s: %s", wid, c.fmt(pl.start), strings.Join(miss, "; ")),
				"assign a worker whose training is in date, or renew the training before the visit", wsub(wid))
		}
	}
}

func describeSkill(w *care.Worker, s care.Skill, at time.Time) string {
	for _, q := range w.Qualifications {
		if q.Skill != s {
			continue
		}
		if q.Expires != nil && !at.Before(*q.Expires) {
			return fmt.Sprintf("%s expired on %s", s, q.Expires.Format(time.DateOnly))
		}
		if at.Before(q.Obtained) {
			return fmt.Sprintf("%s not obtained until %s", s, q.Obtained.Format(time.DateOnly))
		}
	}
	return fmt.Sprintf("%s not held", s)
}

func needsMedicines(v *schedule.Visit) bool {
	return v.Kind == schedule.Medication || slices.Contains(v.Skills, care.SkillMedication)
}

// medComp (MED-COMP; NICE NG67): a worker giving medicines support has a
// competence assessment no older than MedCompetenceMonths (12) on the visit date.
func (c *rotaCtx) medComp(pl *planned) {
	if !needsMedicines(pl.v) {
		return
	}
	months := c.pack.Params.MedCompetenceMonths
	for _, wid := range pl.a.Workers {
		var last *time.Time
		if r := c.records[wid]; r != nil {
			last = lastBefore(r.MedicinesCompetence, pl.start)
		}
		var ev string
		switch {
		case last == nil:
			ev = fmt.Sprintf("worker %s has no medicines competence assessment on file", wid)
		case !addMonths(*last, months).After(pl.start):
			ev = fmt.Sprintf("worker %s: last medicines competence assessment %s, more than %d months before the visit",
				wid, last.Format(time.DateOnly), months)
		default:
			continue
		}
		c.e.add(RuleMEDComp, Breach, vsub(pl.v.ID), ptime(pl.start), ev,
			"assess the worker's medicines competence (with direct observation) before the visit, or assign a competent worker", wsub(wid))
	}
}

// dbs (DBS; Reg 19, Schedule 3): a worker alone on a visit holds an enhanced
// DBS certificate with an adults' barred list check dated on or before the
// visit and, where the pack sets DBSRecheckMonths (Wales: 36), no older.
func (c *rotaCtx) dbs(pl *planned) {
	if len(pl.a.Workers) != 1 {
		return
	}
	wid := pl.a.Workers[0]
	ch := c.workers[wid].Checks
	months := c.pack.Params.DBSRecheckMonths
	var ev string
	switch {
	case ch.DBSLevel != care.DBSEnhancedBarredList || ch.DBSDate == nil:
		lvl := string(ch.DBSLevel)
		if lvl == "" {
			lvl = "none"
		}
		ev = fmt.Sprintf("worker %s works alone with DBS level %s; enhanced with adults' barred list needed", wid, lvl)
	case ch.DBSDate.After(pl.start):
		ev = fmt.Sprintf("worker %s works alone before the DBS certificate dated %s", wid, ch.DBSDate.Format(time.DateOnly))
	case months > 0 && !addMonths(*ch.DBSDate, months).After(pl.start):
		ev = fmt.Sprintf("worker %s: DBS certificate dated %s is older than %d months", wid, ch.DBSDate.Format(time.DateOnly), months)
	default:
		return
	}
	c.e.add(RuleDBS, Breach, vsub(pl.v.ID), ptime(pl.start), ev,
		"do not send the worker alone until an enhanced DBS with barred list check is on file", wsub(wid))
}

// double (DBL-SYNC; MHOR 1992, LOLER practice): a double-handed visit has two
// distinct workers, both with the visit on a route, both arriving by the
// planned start so neither starts alone.
func (c *rotaCtx) double(pl *planned) {
	if pl.v.CarersNeeded() < 2 {
		return
	}
	ws := slices.Clone(pl.a.Workers)
	slices.Sort(ws)
	ws = slices.Compact(ws)
	if len(ws) < pl.v.CarersNeeded() {
		c.e.add(RuleDBLSync, Breach, vsub(pl.v.ID), ptime(pl.start),
			fmt.Sprintf("double-handed visit has %d distinct worker(s) of %d", len(ws), pl.v.CarersNeeded()),
			"assign a second trained worker or re-cover the visit; never downgrade it to one carer")
		return
	}
	if len(c.in.Rota.Routes) == 0 {
		return
	}
	for _, wid := range ws {
		arrive, onRoute := c.arrival(wid, pl.v.ID)
		switch {
		case !onRoute:
			c.e.add(RuleDBLSync, Breach, vsub(pl.v.ID), ptime(pl.start),
				fmt.Sprintf("worker %s is assigned but the visit is on none of their routes", wid),
				"put the visit on both workers' routes", wsub(wid))
		case arrive != nil && arrive.After(pl.start):
			c.e.add(RuleDBLSync, Breach, vsub(pl.v.ID), ptime(pl.start),
				fmt.Sprintf("worker %s arrives %s, %s after the synchronised start %s", wid, c.fmt(*arrive), fmtDur(arrive.Sub(pl.start)), c.fmt(pl.start)),
				"re-time the partner's route so both arrive before the start", wsub(wid))
		}
	}
}

// arrival returns when worker w's leg to visit v arrives (nil without legs) and whether the visit is on one of w's routes.
func (c *rotaCtx) arrival(w care.WorkerID, v schedule.VisitID) (*time.Time, bool) {
	for _, p := range c.periods[w] {
		if p.synthetic || !slices.Contains(p.route.Visits, v) {
			continue
		}
		for _, l := range p.route.Legs {
			if l.To == v {
				t := l.Arrive
				return &t, true
			}
		}
		return nil, true
	}
	return nil, false
}

// shortVisit (VIS-30; NG21, QS123 st.4; Wales reg 41, RISCA s.8): a visit
// shorter than MinVisit needs an agreement made in advance, as part of a
// wider package, for a safe-and-well check or a time-limited task, and every
// worker on it known to the person (on record, or from an earlier visit in
// the rota).
func (c *rotaCtx) shortVisit(pl *planned) {
	if pl.v.Duration.Std() >= c.pack.Params.MinVisit.Std() {
		return
	}
	var miss []string
	var ag *ShortVisitAgreement
	for i := range c.in.ShortVisits {
		s := &c.in.ShortVisits[i]
		if s.ServiceUser == pl.v.ServiceUser && (s.Visit == "" || s.Visit == pl.v.ID) && !s.Agreed.After(pl.start) {
			ag = s
		}
	}
	if ag == nil {
		miss = append(miss, "no short-visit agreement made in advance")
	} else {
		if !ag.WiderPackage {
			miss = append(miss, "agreement is not part of a wider package")
		}
		if !slices.Contains([]ShortPurpose{SafeAndWellCheck, MedicinesPrompt, TimeLimitedTask}, ag.Purpose) {
			miss = append(miss, fmt.Sprintf("purpose %q is not a safe-and-well check or time-limited task", ag.Purpose))
		}
	}
	for _, wid := range pl.a.Workers {
		if !c.known(wid, pl) {
			miss = append(miss, fmt.Sprintf("worker %s is not known to the person", wid))
		}
	}
	if len(miss) == 0 {
		return
	}
	c.e.add(RuleVIS30, Breach, vsub(pl.v.ID), ptime(pl.start),
		fmt.Sprintf("visit of %s, under %s: %s", fmtDur(pl.v.Duration.Std()), fmtDur(c.pack.Params.MinVisit.Std()), strings.Join(miss, "; ")),
		"lengthen the visit to the minimum, or agree the short visit in advance and send a worker the person knows",
		usub(pl.v.ServiceUser))
}

func (c *rotaCtx) known(w care.WorkerID, pl *planned) bool {
	if r := c.records[w]; r != nil && slices.Contains(r.KnownTo, pl.v.ServiceUser) {
		return true
	}
	for _, o := range c.ordered {
		if !o.start.Before(pl.start) {
			return false
		}
		if o.v.ServiceUser == pl.v.ServiceUser && slices.Contains(o.a.Workers, w) {
			return true
		}
	}
	return false
}

// loler (LOLER; LOLER 1998 reg 9): a visit needing the hoist skill uses
// lifting equipment at the person's home whose thorough examination is no
// older than LOLERMonths (6) on the visit date; no record at all is a breach.
func (c *rotaCtx) loler(pl *planned) {
	if !slices.Contains(pl.v.Skills, care.SkillHoist) && !slices.ContainsFunc(pl.v.SeatSkills, func(s []care.Skill) bool { return slices.Contains(s, care.SkillHoist) }) {
		return
	}
	months := c.pack.Params.LOLERMonths
	found := false
	for _, eq := range c.in.Equipment {
		if eq.ServiceUser != pl.v.ServiceUser {
			continue
		}
		found = true
		if addMonths(eq.LastExamined, months).After(pl.start) {
			continue
		}
		c.e.add(RuleLOLER, Breach, Subject{SubjectItem, eq.ID}, ptime(pl.start),
			fmt.Sprintf("%s last examined %s, more than %d months before visit %s", eq.Kind, eq.LastExamined.Format(time.DateOnly), months, pl.v.ID),
			"arrange a thorough examination before use; take the equipment out of use until then", vsub(pl.v.ID), usub(pl.v.ServiceUser))
	}
	if !found {
		c.e.add(RuleLOLER, Breach, vsub(pl.v.ID), ptime(pl.start),
			"hoist visit with no lifting equipment examination on record for the person",
			"record the hoist and sling and their latest thorough examination", usub(pl.v.ServiceUser))
	}
}

// dignity (DIGNITY; Reg 10): personal care by a worker of the person's
// preferred carer gender, and never by a worker the person or the visit excludes.
func (c *rotaCtx) dignity(pl *planned) {
	u := c.userByID[pl.v.ServiceUser]
	for _, wid := range pl.a.Workers {
		w := c.workers[wid]
		if (u != nil && slices.Contains(u.Preferences.ExcludedWorkers, wid)) || slices.Contains(pl.v.Excluded, wid) {
			c.e.add(RuleDIGNITY, Breach, vsub(pl.v.ID), ptime(pl.start),
				fmt.Sprintf("worker %s is excluded by the person", wid), "assign another worker", wsub(wid), usub(pl.v.ServiceUser))
		}
		if u != nil && pl.v.Kind == schedule.PersonalCare && u.Preferences.CarerGender != "" && w.Gender != u.Preferences.CarerGender {
			c.e.add(RuleDIGNITY, Breach, vsub(pl.v.ID), ptime(pl.start),
				fmt.Sprintf("personal care by worker %s whose gender (%s) is not the person's stated preference (%s)", wid, genderOr(w.Gender), u.Preferences.CarerGender),
				"assign a worker of the preferred gender, or record the person's agreement to the change", wsub(wid), usub(pl.v.ServiceUser))
		}
	}
}

func genderOr(g care.Gender) string {
	if g == "" {
		return "not stated"
	}
	return string(g)
}

// doses (MED-TIME; NICE NG67, Parkinson's UK): a time-critical dose is given
// within its tolerance of the due time (30 minutes by default), its visit is
// planned, and consecutive doses of one medicine keep their minimum interval.
// Visits marked TimeCritical of kind medication with a window Target count as
// doses due at the Target when no Dose names them.
func (c *rotaCtx) doses() {
	ds := slices.Clone(c.in.Doses)
	named := map[schedule.VisitID]bool{}
	for _, d := range ds {
		named[d.Visit] = true
	}
	for i := range c.p.Visits {
		v := &c.p.Visits[i]
		if v.TimeCritical && v.Kind == schedule.Medication && !named[v.ID] {
			for _, w := range v.Windows {
				if w.Target != nil {
					ds = append(ds, Dose{ID: string(v.ID), ServiceUser: v.ServiceUser, Medicine: string(v.ID), Visit: v.ID, Due: *w.Target})
					break
				}
			}
		}
	}
	type given struct {
		d  Dose
		at time.Time
	}
	byMed := map[string][]given{}
	for _, d := range ds {
		tol := d.Tolerance.Std()
		if tol == 0 {
			tol = c.pack.Params.DoseTolerance.Std()
		}
		pl, ok := c.plans[d.Visit]
		if !ok {
			c.e.add(RuleMEDTime, Breach, vsub(d.Visit), ptime(d.Due),
				fmt.Sprintf("time-critical dose %s due %s: its visit is not planned", d.ID, c.fmt(d.Due)),
				"plan the visit or arrange another way to give the dose on time", usub(d.ServiceUser))
			continue
		}
		off := pl.start.Sub(d.Due)
		if off > tol || -off > tol {
			c.e.add(RuleMEDTime, Breach, vsub(d.Visit), ptime(pl.start),
				fmt.Sprintf("time-critical dose %s due %s planned at %s, %s off; tolerance %s", d.ID, c.fmt(d.Due), c.fmt(pl.start), fmtDur(off), fmtDur(tol)),
				"move the visit so the dose falls within the tolerance", usub(d.ServiceUser))
		}
		k := string(d.ServiceUser) + "\x00" + d.Medicine
		byMed[k] = append(byMed[k], given{d, pl.start})
	}
	keys := make([]string, 0, len(byMed))
	for k := range byMed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		gs := byMed[k]
		slices.SortFunc(gs, func(a, b given) int { return a.at.Compare(b.at) })
		for i := 1; i < len(gs); i++ {
			gap := gs[i].at.Sub(gs[i-1].at)
			if gs[i].d.MinInterval.Std() > 0 && gap < gs[i].d.MinInterval.Std() {
				c.e.add(RuleMEDTime, Breach, vsub(gs[i].d.Visit), ptime(gs[i].at),
					fmt.Sprintf("dose %s planned %s after dose %s; minimum interval %s", gs[i].d.ID, fmtDur(gap), gs[i-1].d.ID, fmtDur(gs[i].d.MinInterval.Std())),
					"space the visits to keep the minimum interval between doses", usub(gs[i].d.ServiceUser), vsub(gs[i-1].d.Visit))
			}
		}
	}
}

// personChecks runs the checks made per person: REPOS and CONT-KPI.
func (c *rotaCtx) personChecks() {
	byUser := map[care.ServiceUserID][]*planned{}
	for _, pl := range c.ordered {
		byUser[pl.v.ServiceUser] = append(byUser[pl.v.ServiceUser], pl)
	}
	// REPOS (NICE CG179, QS89 st.5): for a person who cannot reposition alone, the gap
	// from the end of one visit to the start of the next is at most the interval.
	for _, n := range c.in.Repositioning {
		iv := n.Interval.Std()
		if iv == 0 {
			iv = c.pack.Params.RepositionAtRisk.Std()
			if n.Risk == HighRisk {
				iv = c.pack.Params.RepositionHighRisk.Std()
			}
		}
		pls := byUser[n.ServiceUser]
		for i := 1; i < len(pls); i++ {
			gap := pls[i].start.Sub(pls[i-1].end)
			if gap > iv {
				c.e.add(RuleREPOS, Breach, usub(n.ServiceUser), ptime(pls[i-1].end),
					fmt.Sprintf("%s between visit %s ending %s and visit %s; repositioning interval %s (%s)",
						fmtDur(gap), pls[i-1].v.ID, c.fmt(pls[i-1].end), pls[i].v.ID, fmtDur(iv), n.Risk),
					"add a visit or move visits so that no gap exceeds the repositioning interval",
					vsub(pls[i-1].v.ID), vsub(pls[i].v.ID))
			}
		}
	}
	// CONT-KPI (NG21 1.1.4, QS182 st.3): distinct workers per person over the horizon.
	users := make([]care.ServiceUserID, 0, len(byUser))
	for u := range byUser {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		seen := map[care.WorkerID]bool{}
		for _, pl := range byUser[u] {
			for _, w := range pl.a.Workers {
				seen[w] = true
			}
		}
		if max := c.pack.Params.ContinuityMaxWorkers; max > 0 && len(seen) > max {
			c.e.add(RuleCONTKPI, Warning, usub(u), ptime(byUser[u][0].start),
				fmt.Sprintf("%d distinct workers over %d visits in the horizon; provider limit %d", len(seen), len(byUser[u]), max),
				"give the person's visits to fewer regular workers and tell them in advance of any change")
		}
	}
}

// workerChecks runs SUP-3M for every worker on the rota: at their first
// visit, the last practice-based supervision is within SupervisionMonths (3)
// and the last appraisal within AppraisalMonths (12).
func (c *rotaCtx) workerChecks() {
	for _, w := range c.wids {
		first := c.periods[w][0].start
		rec := c.records[w]
		for _, k := range []struct {
			what   string
			months int
			log    func(*WorkerRecord) []time.Time
		}{
			{"supervision", c.pack.Params.SupervisionMonths, func(r *WorkerRecord) []time.Time { return r.Supervisions }},
			{"appraisal", c.pack.Params.AppraisalMonths, func(r *WorkerRecord) []time.Time { return r.Appraisals }},
		} {
			var last *time.Time
			if rec != nil {
				last = lastBefore(k.log(rec), first)
			}
			var ev string
			switch {
			case last == nil:
				ev = fmt.Sprintf("no %s on record before the first visit %s", k.what, c.fmt(first))
			case !addMonths(*last, k.months).After(first):
				ev = fmt.Sprintf("last %s %s, more than %d months before the first visit %s", k.what, last.Format(time.DateOnly), k.months, c.fmt(first))
			default:
				continue
			}
			c.e.add(RuleSUP3M, Warning, wsub(w), ptime(first), ev, "book the "+k.what+" and record it")
		}
	}
}

// routeChecks runs VIS-TRAVEL, VIS-SCHED and RECORD over the routes.
func (c *rotaCtx) routeChecks() {
	for _, w := range c.wids {
		for _, p := range c.periods[w] {
			c.travel(p)
			if !p.legsPresent {
				c.e.add(RuleVISSched, Breach, Subject{SubjectRoute, string(p.route.Shift)}, ptime(p.start),
					fmt.Sprintf("worker %s's schedule for shift %s has no travel legs: travel, visit and break time are not separated", w, p.route.Shift),
					"give the worker a schedule with travel time between visits", wsub(w))
			}
		}
	}
	c.actuals()
}

// travel (VIS-TRAVEL; NG21, Wales reg 41(3)): between consecutive visits the
// leg departs after the first visit ends, takes its travel time, and arrives
// before the next starts; with a TravelEstimator the leg's travel is at least
// the estimate. Without legs, the gap between visits is checked against the
// estimate.
func (c *rotaCtx) travel(p *period) {
	bad := func(at time.Time, v schedule.VisitID, ev string) {
		c.e.add(RuleVISTravel, Breach, vsub(v), ptime(at), ev, "allow enough travel time between the visits", wsub(p.worker))
	}
	w := c.workers[p.worker]
	for i := 1; i < len(p.visits); i++ {
		a, b := p.visits[i-1], p.visits[i]
		var est time.Duration
		if c.in.Travel != nil {
			from, err1 := c.p.VisitLocation(a.v)
			to, err2 := c.p.VisitLocation(b.v)
			if err1 == nil && err2 == nil {
				if d, err := c.in.Travel.EstimateTravel(from, to, w.TravelMode); err == nil {
					est = d
				}
			}
		}
		var leg *schedule.Leg
		for j := range p.route.Legs {
			if p.route.Legs[j].From == a.v.ID && p.route.Legs[j].To == b.v.ID {
				leg = &p.route.Legs[j]
			}
		}
		aEnd := a.endFor(p.worker) // this worker's part (a seat may end early)
		if leg == nil {
			if gap := b.start.Sub(aEnd); gap < est {
				bad(b.start, b.v.ID, fmt.Sprintf("worker %s has %s from visit %s to visit %s; estimated travel %s", p.worker, fmtDur(gap), a.v.ID, b.v.ID, fmtDur(est)))
			}
			continue
		}
		switch {
		case leg.Depart.Before(aEnd):
			bad(leg.Depart, b.v.ID, fmt.Sprintf("worker %s leaves visit %s at %s, before it ends at %s", p.worker, a.v.ID, c.fmt(leg.Depart), c.fmt(aEnd)))
		case leg.Arrive.Sub(leg.Depart) < leg.Travel.Std():
			bad(leg.Arrive, b.v.ID, fmt.Sprintf("worker %s: leg from %s to %s takes %s but is given %s", p.worker, a.v.ID, b.v.ID, fmtDur(leg.Travel.Std()), fmtDur(leg.Arrive.Sub(leg.Depart))))
		case leg.Arrive.After(b.start):
			bad(b.start, b.v.ID, fmt.Sprintf("worker %s arrives at %s, after visit %s starts at %s", p.worker, c.fmt(leg.Arrive), b.v.ID, c.fmt(b.start)))
		case leg.Travel.Std() < est:
			bad(leg.Depart, b.v.ID, fmt.Sprintf("worker %s: leg from %s to %s allows %s; estimated travel %s", p.worker, a.v.ID, b.v.ID, fmtDur(leg.Travel.Std()), fmtDur(est)))
		}
	}
}

// actuals runs VIS-SCHED (actual times recorded, Wales reg 41) and RECORD
// (notes contemporaneous, Reg 17(2)(c)) for visits that ended by AsOf: each
// worker on such a visit has an actual record, with notes written before the
// end of that worker's next visit (or by AsOf when there is none).
func (c *rotaCtx) actuals() {
	if c.in.AsOf.IsZero() {
		return
	}
	idx := map[string]*VisitActual{}
	for i := range c.in.Actuals {
		a := &c.in.Actuals[i]
		idx[string(a.Visit)+"\x00"+string(a.Worker)] = a
	}
	next := map[string]time.Time{} // visit and worker to the end of the worker's next visit
	last := map[care.WorkerID]*planned{}
	for _, pl := range c.ordered {
		for _, w := range pl.a.Workers {
			if prev := last[w]; prev != nil {
				next[string(prev.v.ID)+"\x00"+string(w)] = pl.endFor(w)
			}
			last[w] = pl
		}
	}
	for _, pl := range c.ordered {
		if pl.end.After(c.in.AsOf) {
			continue
		}
		for _, w := range pl.a.Workers {
			act := idx[string(pl.v.ID)+"\x00"+string(w)]
			if act == nil {
				c.e.add(RuleVISSched, Breach, vsub(pl.v.ID), ptime(pl.end),
					fmt.Sprintf("no actual visit and travel times recorded by worker %s", w), "record the actual times of the visit", wsub(w))
				c.e.add(RuleRECORD, Warning, vsub(pl.v.ID), ptime(pl.end),
					fmt.Sprintf("no visit record from worker %s", w), "complete the visit notes", wsub(w))
				continue
			}
			deadline := c.in.AsOf
			if n, ok := next[string(pl.v.ID)+"\x00"+string(w)]; ok {
				deadline = earlier(deadline, n)
			}
			switch {
			case act.NotesAt == nil:
				c.e.add(RuleRECORD, Warning, vsub(pl.v.ID), ptime(pl.end),
					fmt.Sprintf("worker %s has not written the visit notes", w), "complete the visit notes", wsub(w))
			case act.NotesAt.After(deadline):
				c.e.add(RuleRECORD, Warning, vsub(pl.v.ID), ptime(pl.end),
					fmt.Sprintf("worker %s wrote the notes at %s, after the end of their next visit (%s)", w, c.fmt(*act.NotesAt), c.fmt(deadline)),
					"write notes at or straight after each visit", wsub(w))
			}
		}
	}
}
