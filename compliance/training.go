package compliance

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Course is a training course in the matrix: which roles must hold it, which
// task skills it underpins, how often it must be refreshed, and whether
// lapsing blocks visits.
type Course struct {
	ID    string `json:"id"`    // unique within the matrix; completions refer to it
	Title string `json:"title"` // the course's name
	// RefreshMonths is the refresher interval; 0 = done once (e.g. the Care Certificate).
	RefreshMonths int `json:"refresh_months"`
	// Roles that must hold the course whatever their tasks.
	Roles []care.Role `json:"roles,omitempty"`
	// Skills whose tasks need the course in date.
	Skills []care.Skill `json:"skills,omitempty"`
	// Blocking: a lapsed role course blocks every visit of the worker (e.g. safeguarding);
	// courses linked to skills always block the visits needing those skills.
	Blocking bool `json:"blocking,omitempty"`
}

// TrainingMatrix lists the courses a provider requires.
type TrainingMatrix struct {
	Courses []Course `json:"courses"` // the courses required, in the order reported
}

// Completion records that a worker completed a course.
type Completion struct {
	Worker    care.WorkerID `json:"worker"`    // the worker who completed the course
	Course    string        `json:"course"`    // the Course.ID
	Completed time.Time     `json:"completed"` // when the course was completed
	// Expires overrides the course's refresher interval (e.g. a certificate's own date).
	Expires *time.Time `json:"expires,omitempty"`
}

// careRoles are the roles that give personal care.
var careRoles = []care.Role{care.RoleCareWorker, care.RoleSeniorCarer, care.RoleNurse}

// DefaultTrainingMatrix returns the Skills for Care core and mandatory
// refreshers (REFERENCE §5.4, ◐: a default to adjust): annually moving and
// assisting, basic life support, medicines, safeguarding adults and children,
// fire safety; every 3 years the Mental Capacity Act, infection prevention
// and control, health and safety, food hygiene, dementia awareness; the Care
// Certificate once.
func DefaultTrainingMatrix() TrainingMatrix {
	return TrainingMatrix{Courses: []Course{
		{ID: "moving_assisting", Title: "Moving and assisting people", RefreshMonths: 12, Roles: careRoles, Skills: []care.Skill{care.SkillHoist}},
		{ID: "basic_life_support", Title: "Basic life support", RefreshMonths: 12, Roles: careRoles, Blocking: true},
		{ID: "medicines", Title: "Medicines support", RefreshMonths: 12, Skills: []care.Skill{care.SkillMedication}},
		{ID: "safeguarding_adults", Title: "Safeguarding adults", RefreshMonths: 12, Roles: append(slices.Clone(careRoles), care.RoleBefriender), Blocking: true},
		{ID: "safeguarding_children", Title: "Safeguarding children", RefreshMonths: 12, Roles: careRoles},
		{ID: "fire_safety", Title: "Fire safety", RefreshMonths: 12, Roles: careRoles},
		{ID: "mca", Title: "Mental Capacity Act and DoLS", RefreshMonths: 36, Roles: careRoles},
		{ID: "ipc", Title: "Infection prevention and control", RefreshMonths: 36, Roles: careRoles, Skills: []care.Skill{care.SkillPersonalCare, care.SkillCatheterStoma}},
		{ID: "health_safety", Title: "Health and safety", RefreshMonths: 36, Roles: careRoles},
		{ID: "food_hygiene", Title: "Food hygiene", RefreshMonths: 36, Skills: []care.Skill{care.SkillMealPreparation}},
		{ID: "dementia_awareness", Title: "Dementia awareness", RefreshMonths: 36, Skills: []care.Skill{care.SkillDementia}},
		{ID: "care_certificate", Title: "Care Certificate", Roles: []care.Role{care.RoleCareWorker}},
	}}
}

// CourseState is the state of one required course for one worker.
type CourseState string

// States of a required course.
const (
	CourseCurrent  CourseState = "current"
	CourseExpiring CourseState = "expiring" // in date now, lapses within the window asked about
	CourseExpired  CourseState = "expired"
	CourseMissing  CourseState = "missing"
)

// CourseStatus is one row of a worker's training record.
type CourseStatus struct {
	Worker    care.WorkerID `json:"worker"`              // the worker
	Course    string        `json:"course"`              // the Course.ID
	State     CourseState   `json:"state"`               // current, expiring, expired or missing
	Completed *time.Time    `json:"completed,omitempty"` // latest completion at or before the instant asked about; nil = none
	Expires   *time.Time    `json:"expires,omitempty"`   // when it lapses; nil = never completed or does not expire
}

// Required returns the courses the worker must hold: those of their role and
// those underpinning the skills they hold (their tasks), in matrix order.
func (m *TrainingMatrix) Required(w *care.Worker) []Course {
	var out []Course
	for _, c := range m.Courses {
		if slices.Contains(c.Roles, w.Role) || slices.ContainsFunc(w.Qualifications, func(q care.Qualification) bool { return slices.Contains(c.Skills, q.Skill) }) {
			out = append(out, c)
		}
	}
	return out
}

// expiry returns a completion's expiry under the course's interval, or nil.
func (c *Course) expiry(comp *Completion) *time.Time {
	if comp.Expires != nil {
		return comp.Expires
	}
	if c.RefreshMonths <= 0 {
		return nil
	}
	t := addMonths(comp.Completed, c.RefreshMonths)
	return &t
}

// status returns the state of course c for worker w at instant at, treating
// expiry within window as expiring.
func (c *Course) status(w care.WorkerID, comps []Completion, at time.Time, window time.Duration) CourseStatus {
	st := CourseStatus{Worker: w, Course: c.ID, State: CourseMissing}
	var best *Completion
	for i := range comps {
		x := &comps[i]
		if x.Worker == w && x.Course == c.ID && !x.Completed.After(at) && (best == nil || x.Completed.After(best.Completed)) {
			best = x
		}
	}
	if best == nil {
		return st
	}
	st.Completed, st.Expires = &best.Completed, c.expiry(best)
	switch {
	case st.Expires != nil && !at.Before(*st.Expires):
		st.State = CourseExpired
	case st.Expires != nil && window > 0 && st.Expires.Before(at.Add(window)):
		st.State = CourseExpiring
	default:
		st.State = CourseCurrent
	}
	return st
}

// Status returns the worker's record for every required course at instant
// at; courses lapsing within window are marked expiring.
func (m *TrainingMatrix) Status(w *care.Worker, comps []Completion, at time.Time, window time.Duration) []CourseStatus {
	var out []CourseStatus
	for _, c := range m.Required(w) {
		out = append(out, c.status(w.ID, comps, at, window))
	}
	return out
}

// missingFor lists the blocking courses not in date at at for a visit needing skills.
func (m *TrainingMatrix) missingFor(w *care.Worker, skills []care.Skill, comps []Completion, at time.Time) []string {
	var out []string
	for _, c := range m.Courses {
		linked := slices.ContainsFunc(c.Skills, func(s care.Skill) bool { return slices.Contains(skills, s) })
		if !linked && !(c.Blocking && slices.Contains(c.Roles, w.Role)) {
			continue
		}
		st := c.status(w.ID, comps, at, 0)
		switch st.State {
		case CourseMissing:
			out = append(out, fmt.Sprintf("course %s not completed", c.ID))
		case CourseExpired:
			out = append(out, fmt.Sprintf("course %s expired on %s", c.ID, st.Expires.Format(time.DateOnly)))
		}
	}
	return out
}

// Expiry is something a worker holds that lapses within the window asked
// about, with the visits of a rota it would block: those at or after the
// lapse that need it.
type Expiry struct {
	Worker care.WorkerID `json:"worker"` // the worker
	// What lapses: "course <id>" or "skill <code>" (a care.Qualification).
	What    string             `json:"what"`
	Expires time.Time          `json:"expires"`          // the first instant at which it is no longer valid
	Blocks  []schedule.VisitID `json:"blocks,omitempty"` // visits of the rota at or after the lapse that need it; empty = none
}

// Expiring lists every required course and every qualification of the
// problem's workers that is in date at instant at but lapses within the next
// days days, sorted by date, with the visits of rota (may be nil) it would
// block. A course blocks the visits needing a skill it underpins, and for a
// blocking role course, every visit of the worker.
func (m *TrainingMatrix) Expiring(p *schedule.Problem, rota *schedule.Rota, comps []Completion, at time.Time, days int) []Expiry {
	end := at.AddDate(0, 0, days)
	visits := map[schedule.VisitID]*schedule.Visit{}
	for i := range p.Visits {
		visits[p.Visits[i].ID] = &p.Visits[i]
	}
	blocked := func(w care.WorkerID, from time.Time, needs func(*schedule.Visit) bool) []schedule.VisitID {
		var out []schedule.VisitID
		if rota == nil {
			return nil
		}
		for _, a := range rota.Assignments {
			v := visits[a.Visit]
			if v != nil && slices.Contains(a.Workers, w) && !a.Start.Before(from) && needs(v) {
				out = append(out, a.Visit)
			}
		}
		slices.Sort(out)
		return out
	}
	var out []Expiry
	for i := range p.Workers {
		w := &p.Workers[i]
		if m != nil {
			for _, c := range m.Required(w) {
				st := c.status(w.ID, comps, at, 0)
				if st.State != CourseCurrent || st.Expires == nil || !st.Expires.Before(end) {
					continue
				}
				c := c
				out = append(out, Expiry{Worker: w.ID, What: "course " + c.ID, Expires: *st.Expires,
					Blocks: blocked(w.ID, *st.Expires, func(v *schedule.Visit) bool {
						return c.Blocking && slices.Contains(c.Roles, w.Role) || slices.ContainsFunc(v.Skills, func(s care.Skill) bool { return slices.Contains(c.Skills, s) })
					})})
			}
		}
		for _, q := range w.Qualifications {
			if !q.Valid(at) || q.Expires == nil || !q.Expires.Before(end) {
				continue
			}
			s := q.Skill
			out = append(out, Expiry{Worker: w.ID, What: "skill " + string(s), Expires: *q.Expires,
				Blocks: blocked(w.ID, *q.Expires, func(v *schedule.Visit) bool { return slices.Contains(v.Skills, s) })})
		}
	}
	slices.SortFunc(out, func(a, b Expiry) int {
		return cmp.Or(a.Expires.Compare(b.Expires), cmp.Compare(a.Worker, b.Worker), cmp.Compare(a.What, b.What))
	})
	return out
}

// Lapsing is TrainingMatrix.Expiring (m may be nil) extended with the worker
// records and the pack's intervals: supervision and appraisal falling due
// (SUP-3M, blocking nothing since the rule is soft), medicines competence
// (MED-COMP, blocking medicines visits) and, where the pack sets
// DBSRecheckMonths, DBS certificates (blocking solo visits). Items already
// lapsed at instant at are not listed: CheckRota reports them.
func Lapsing(pack *Pack, m *TrainingMatrix, p *schedule.Problem, rota *schedule.Rota, comps []Completion, recs []WorkerRecord, at time.Time, days int) []Expiry {
	out := m.Expiring(p, rota, comps, at, days)
	end := at.AddDate(0, 0, days)
	pr := pack.Params
	visits := map[schedule.VisitID]*schedule.Visit{}
	for i := range p.Visits {
		visits[p.Visits[i].ID] = &p.Visits[i]
	}
	blocks := func(w care.WorkerID, from time.Time, needs func(*schedule.Visit, *schedule.Assignment) bool) []schedule.VisitID {
		var ids []schedule.VisitID
		if rota == nil {
			return nil
		}
		for i := range rota.Assignments {
			a := &rota.Assignments[i]
			if v := visits[a.Visit]; v != nil && slices.Contains(a.Workers, w) && !a.Start.Before(from) && needs(v, a) {
				ids = append(ids, a.Visit)
			}
		}
		slices.Sort(ids)
		return ids
	}
	add := func(w care.WorkerID, what string, last *time.Time, months int, needs func(*schedule.Visit, *schedule.Assignment) bool) {
		if last == nil || months <= 0 {
			return
		}
		due := addMonths(*last, months)
		if !due.After(at) || !due.Before(end) {
			return
		}
		e := Expiry{Worker: w, What: what, Expires: due}
		if needs != nil {
			e.Blocks = blocks(w, due, needs)
		}
		out = append(out, e)
	}
	for _, r := range recs {
		add(r.Worker, "supervision", lastBefore(r.Supervisions, at), pr.SupervisionMonths, nil)
		add(r.Worker, "appraisal", lastBefore(r.Appraisals, at), pr.AppraisalMonths, nil)
		add(r.Worker, "medicines competence", lastBefore(r.MedicinesCompetence, at), pr.MedCompetenceMonths,
			func(v *schedule.Visit, _ *schedule.Assignment) bool { return needsMedicines(v) })
	}
	for _, w := range p.Workers {
		if w.Checks.DBSDate != nil && !w.Checks.DBSDate.After(at) {
			add(w.ID, "DBS certificate", w.Checks.DBSDate, pr.DBSRecheckMonths,
				func(_ *schedule.Visit, a *schedule.Assignment) bool { return len(a.Workers) == 1 })
		}
	}
	slices.SortFunc(out, func(a, b Expiry) int {
		return cmp.Or(a.Expires.Compare(b.Expires), cmp.Compare(a.Worker, b.Worker), cmp.Compare(a.What, b.What))
	})
	return out
}
