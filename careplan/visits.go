package careplan

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// MinVisit is the shortest visit NICE NG21 allows unless a short visit was
// agreed in advance for a time-limited task or a safe-and-well check
// (QS123 st.4; REFERENCE §4.1, rule VIS-30).
const MinVisit = 30

// Visit is one recurring visit derived from the plan's tasks: the tasks of
// one practitioner that fall at the same time on the same days, with the
// length, carers, skills and window they need. Scheduled visits become
// schedule patterns; the others are external appointments.
type Visit struct {
	ID         string             `json:"id"`             // "<plan>-<provider>-<hhmm>[-<days>][-w<n>]"
	Provider   string             `json:"provider"`       // practitioner ID
	Scheduled  bool               `json:"scheduled"`      // planned in our schedule, else an external appointment
	Time       string             `json:"time"`           // local time of day, "08:00"
	Days       []Day              `json:"days"`           // the days it happens
	EveryWeeks int                `json:"every_weeks"`    // 1 = every week
	Minutes    int                `json:"minutes"`        // length of the visit
	Carers     int                `json:"carers"`         // 1, or 2 for a double-handed visit
	Skills     []care.Skill       `json:"skills"`         // every carer needs these
	Kind       schedule.VisitKind `json:"kind"`           // the main purpose
	Tasks      []string           `json:"tasks"`          // IDs of the tasks done
	Before     int                `json:"before_minutes"` // window: may start this early
	After      int                `json:"after_minutes"`  // window: may start this late
	// TimeCritical: a time-critical medicine is given at this visit (NICE NG67).
	TimeCritical bool `json:"time_critical,omitempty"`
	// Short: shorter than 30 minutes under the agreed exception (NICE NG21).
	Short bool `json:"short,omitempty"`
	// Notes say, in words, why the visit is as it is (traceability).
	Notes []string `json:"notes,omitempty"`
}

// PerWeek returns how many times a week the visit happens on average.
func (v *Visit) PerWeek() float64 { return float64(len(v.Days)) / float64(max(v.EveryWeeks, 1)) }

// Visits derives the plan's recurring visits from its tasks (REFERENCE §1.8,
// §4.1, §4.2, §5.7):
//   - tasks of one practitioner at the same time, days and recurrence share
//     a visit, whose length is the sum of the tasks' minutes;
//   - a visit is at least 30 minutes (NICE NG21) unless the plan records
//     agreed short visits, every task at it is a time-limited task (a
//     medicines prompt or assist) or a safe-and-well check, and the package
//     has other visits;
//   - a task needing two carers (a hoist transfer) makes the visit
//     double-handed, and every carer needs every task's skills (hoist,
//     medication, ...);
//   - a time-critical medicine makes the visit time-critical with a window
//     of its tolerance (30 minutes by default);
//   - a repositioning task with no times is done at every care-worker visit
//     and adds visits so that no gap from the end of one visit to the start
//     of the next exceeds its interval, even when both start at the edge of
//     their windows (NICE CG179).
//
// Visits are in order of provider, time and ID.
func (p *Plan) Visits() ([]Visit, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	type key struct {
		provider, time, days string
		every                int
	}
	groups := map[key][]*Task{}
	var keys []key
	var repos []*Task
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if t.Kind == TaskRepositioning && len(t.Times) == 0 {
			repos = append(repos, t)
			continue
		}
		for _, tm := range t.Times {
			k := key{t.Provider, tm, daysKey(t.Days), t.every()}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], t)
		}
	}
	var out []Visit
	for _, k := range keys {
		out = append(out, p.visit(k.provider, k.time, groups[k]))
	}
	if len(repos) > 0 {
		var err error
		if out, err = p.addRepositioning(out, repos); err != nil {
			return nil, err
		}
	}
	for i := range out {
		p.finish(&out[i], len(out))
		if out[i].Minutes > 24*60 {
			return nil, care.Invalid(kindPlan, string(p.ID), fmt.Sprintf("visit %q", out[i].ID),
				"its tasks take %d minutes, more than a day", out[i].Minutes)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Time != b.Time {
			return a.Time < b.Time
		}
		return a.ID < b.ID
	})
	return out, nil
}

// visit builds the visit of tasks at time tm; length and window are set by finish.
func (p *Plan) visit(provider, tm string, ts []*Task) Visit {
	v := Visit{Provider: provider, Time: tm, Days: ts[0].Days, EveryWeeks: ts[0].every(), Carers: 1}
	if len(v.Days) == 0 {
		v.Days = Week()
	}
	v.Days = slices.Clone(v.Days)
	if pr, ok := p.Practitioner(provider); ok {
		v.Scheduled = pr.Scheduled
	}
	for _, t := range ts {
		v.addTask(t)
	}
	v.ID = fmt.Sprintf("%s-%s-%s", p.ID, provider, strings.ReplaceAll(tm, ":", ""))
	if len(v.Days) < 7 {
		v.ID += "-" + daysKey(v.Days)
	}
	if v.EveryWeeks > 1 {
		v.ID += fmt.Sprintf("-w%d", v.EveryWeeks)
	}
	return v
}

// addTask adds task t to the visit: its minutes, carers, skills and timing.
func (v *Visit) addTask(t *Task) {
	v.Tasks = append(v.Tasks, t.ID)
	v.Minutes += t.Minutes
	if t.carers() > v.Carers {
		v.Carers = t.carers()
		v.Notes = append(v.Notes, fmt.Sprintf("double-handed: task %s needs %d carers (moving and handling risk assessment)", t.ID, t.carers()))
	}
	for _, s := range taskSkills(t) {
		if !slices.Contains(v.Skills, s) {
			v.Skills = append(v.Skills, s)
		}
	}
	slices.Sort(v.Skills)
	if t.Medicine != nil && t.Medicine.TimeCritical {
		v.TimeCritical = true
		tol := int(t.Medicine.Tolerance() / time.Minute)
		if v.Before == 0 || tol < v.Before {
			v.Before, v.After = tol, tol
		}
		v.Notes = append(v.Notes, fmt.Sprintf("time-critical: medicine %s within %d minutes of %s (NICE NG67)", t.Medicine.Medicine, tol, v.Time))
	}
}

// taskSkills returns the skills a task needs: its own plus those its kind implies.
func taskSkills(t *Task) []care.Skill {
	s := slices.Clone(t.Skills)
	add := func(k care.Skill) {
		if !slices.Contains(s, k) {
			s = append(s, k)
		}
	}
	switch t.Kind {
	case TaskPersonalCare:
		add(care.SkillPersonalCare)
	case TaskMedicines:
		add(care.SkillMedication) // NG67: assessed as competent before giving medicines support
	case TaskMeals:
		add(care.SkillMealPreparation)
	case TaskNursing:
		add(care.SkillNursing)
	case TaskChiropody:
		add(care.SkillChiropody)
	case TaskBefriending:
		add(care.SkillBefriending)
	case TaskTransfer:
		if t.carers() == 2 {
			add(care.SkillHoist) // REFERENCE §5.7: both carers trained for the hoist
		}
	}
	return s
}

// finish sets the visit's kind, window and length (the 30-minute rule).
func (p *Plan) finish(v *Visit, nVisits int) {
	var kinds []TaskKind
	allShort := true
	for _, id := range v.Tasks {
		t, _ := p.Task(id)
		kinds = append(kinds, t.Kind)
		if !(t.Kind == TaskSafeAndWell || t.Kind == TaskMedicines && t.Medicine != nil && t.Medicine.Level != Administering) {
			allShort = false
		}
	}
	v.Kind = visitKind(kinds)
	if pr, ok := p.Practitioner(v.Provider); ok {
		switch pr.Kind {
		case DistrictNurse:
			v.Kind = schedule.Nursing
		case Chiropodist:
			v.Kind = schedule.Chiropody
		case Befriender:
			v.Kind = schedule.Befriending
		}
	}
	if !v.TimeCritical {
		w := int(p.window() / time.Minute)
		v.Before, v.After = w, w
	}
	if v.Minutes < MinVisit && v.Scheduled {
		if p.ShortVisitsAgreed && allShort && nVisits > 1 {
			v.Short = true
			v.Notes = append(v.Notes, fmt.Sprintf("short visit of %d minutes agreed in advance for a time-limited task (NICE NG21, QS123 st.4)", v.Minutes))
		} else {
			v.Notes = append(v.Notes, fmt.Sprintf("lengthened from %d to %d minutes (NICE NG21: no visit under 30 minutes)", v.Minutes, MinVisit))
			v.Minutes = MinVisit
		}
	}
}

// visitKind picks the main purpose of a visit from its tasks' kinds.
func visitKind(kinds []TaskKind) schedule.VisitKind {
	order := []struct {
		t TaskKind
		v schedule.VisitKind
	}{
		{TaskNursing, schedule.Nursing}, {TaskPersonalCare, schedule.PersonalCare}, {TaskTransfer, schedule.PersonalCare},
		{TaskRepositioning, schedule.PersonalCare}, {TaskMedicines, schedule.Medication}, {TaskMeals, schedule.Meal},
		{TaskChiropody, schedule.Chiropody}, {TaskBefriending, schedule.Befriending}, {TaskSocial, schedule.Befriending},
		{TaskDomestic, schedule.Domestic}, {TaskSafeAndWell, schedule.Sitting},
	}
	for _, o := range order {
		if slices.Contains(kinds, o.t) {
			return o.v
		}
	}
	return schedule.Sitting
}

// addRepositioning adds each repositioning task to every daily care-worker
// visit of its provider and inserts visits until no gap exceeds its interval.
func (p *Plan) addRepositioning(vs []Visit, repos []*Task) ([]Visit, error) {
	for _, t := range repos {
		limit := t.RepositionHours * 60
		slack := 2 * int(p.window()/time.Minute)
		if limit <= slack+t.Minutes {
			return nil, care.Invalid(kindPlan, string(p.ID), fmt.Sprintf("task %q.reposition_hours", t.ID),
				"interval of %d h is too short for %d-minute visits with %d-minute windows", t.RepositionHours, t.Minutes, slack/2)
		}
		var daily []int // indexes of daily visits of the provider
		for i := range vs {
			if vs[i].Provider == t.Provider && len(vs[i].Days) == 7 && vs[i].EveryWeeks == 1 {
				daily = append(daily, i)
			}
		}
		for _, i := range daily {
			vs[i].addTask(t)
		}
		type slot struct{ start, minutes, slack int }
		var slots []slot
		for _, i := range daily {
			m, _ := parseClock(vs[i].Time)
			sl := slack
			if vs[i].TimeCritical {
				sl = vs[i].Before + vs[i].After
			}
			// The finished length is at least 30 minutes unless short; use the raw sum, which
			// is never longer, so gaps are judged conservatively.
			slots = append(slots, slot{m, vs[i].Minutes, sl})
		}
		if len(slots) == 0 {
			vs = append(vs, p.visit(t.Provider, "08:00", []*Task{t}))
			slots = append(slots, slot{8 * 60, t.Minutes, slack})
		}
		sort.Slice(slots, func(i, j int) bool { return slots[i].start < slots[j].start })
		for i := range slots {
			cur, next := slots[i], slots[(i+1)%len(slots)]
			span := next.start - cur.start
			if span <= 0 {
				span += 1440
			}
			// Worst case: this one starts early and the next late.
			worst := func(span, curMin, sl int) int { return span - curMin + sl }
			if worst(span, cur.minutes, (cur.slack+next.slack)/2) <= limit {
				continue
			}
			for k := 1; k < 48; k++ {
				step := span / (k + 1)
				step -= step % 5
				ok := worst(step, cur.minutes, slack) <= limit && worst(span-k*step, t.Minutes, slack) <= limit
				for j := 1; j < k && ok; j++ {
					ok = worst(step, t.Minutes, slack) <= limit
				}
				if !ok {
					continue
				}
				for j := 1; j <= k; j++ {
					tm := clock(cur.start + j*step)
					nv := p.visit(t.Provider, tm, []*Task{t})
					nv.Notes = append(nv.Notes, fmt.Sprintf("added so that no gap between visits exceeds %d h (task %s; NICE CG179 repositioning)", t.RepositionHours, t.ID))
					vs = append(vs, nv)
				}
				break
			}
		}
	}
	return vs, nil
}

// daysKey returns a stable key for a set of days, e.g. "MO,WE,FR"; "" for every day.
func daysKey(ds []Day) string {
	if len(ds) == 0 || len(ds) == 7 {
		return ""
	}
	var s []string
	for _, d := range Week() {
		if slices.Contains(ds, d) {
			s = append(s, string(d))
		}
	}
	return strings.Join(s, ",")
}

// Patterns returns the scheduled visits as schedule patterns starting on the
// local date of from: each a weekly RRULE on the visit's days (every n weeks)
// at its time, with its window, length, carers, skills and kind; visits of
// time-critical medicines are marked TimeCritical and given priority 1.
// Patterns of practitioners not in our schedule (external appointments)
// are left out; see Visits.
func (p *Plan) Patterns(from time.Time) ([]schedule.Pattern, error) {
	vs, err := p.Visits()
	if err != nil {
		return nil, err
	}
	loc, _ := p.location()
	day := from.In(loc).Format(time.DateOnly)
	var out []schedule.Pattern
	for _, v := range vs {
		if !v.Scheduled {
			continue
		}
		rule := "FREQ=WEEKLY;BYDAY=" + strings.Join(daysStrings(v.Days), ",")
		if v.EveryWeeks > 1 {
			rule += fmt.Sprintf(";INTERVAL=%d", v.EveryWeeks)
		}
		pt := schedule.Pattern{
			ID: schedule.PatternID(v.ID),
			Visit: schedule.Visit{
				ServiceUser:  p.ServiceUser,
				Duration:     schedule.Minutes(v.Minutes),
				Kind:         v.Kind,
				Skills:       slices.Clone(v.Skills),
				Carers:       v.Carers,
				TimeCritical: v.TimeCritical,
			},
			RRule:    rule,
			Start:    day + "T" + v.Time,
			TimeZone: loc.String(),
			Before:   schedule.Minutes(v.Before),
			After:    schedule.Minutes(v.After),
		}
		if v.TimeCritical {
			pt.Visit.Priority = 1
		}
		if err := pt.Validate(); err != nil {
			return nil, fmt.Errorf("plan %q: visit %q: %w", p.ID, v.ID, err)
		}
		out = append(out, pt)
	}
	return out, nil
}

func daysStrings(ds []Day) []string {
	var s []string
	for _, d := range Week() {
		if slices.Contains(ds, d) {
			s = append(s, string(d))
		}
	}
	return s
}
