package compliance

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/require"
)

// fx builds a small problem and a rota by hand: visits with planned starts,
// routes with legs of a fixed travel time, and the records the checks read.
// Its base state (newFx) has no findings at all.
type fx struct {
	p      *schedule.Problem
	r      *schedule.Rota
	in     RotaInput
	pack   Pack
	starts map[schedule.VisitID]time.Time
	travel time.Duration
}

func qual(s care.Skill) care.Qualification {
	exp := day0.AddDate(1, 0, 0)
	return care.Qualification{Skill: s, Obtained: day0.AddDate(-1, 0, 0), Expires: &exp}
}

func worker(id care.WorkerID) care.Worker {
	dbs := day0.AddDate(-1, 0, 0)
	return care.Worker{ID: id, Role: care.RoleSeniorCarer, TravelMode: care.Car, Gender: care.Female,
		Qualifications: []care.Qualification{qual(care.SkillPersonalCare), qual(care.SkillMedication), qual(care.SkillHoist)},
		Checks:         care.EmploymentChecks{DBSLevel: care.DBSEnhancedBarredList, DBSDate: &dbs}}
}

func record(id care.WorkerID) WorkerRecord {
	return WorkerRecord{Worker: id, Supervisions: []time.Time{day0.AddDate(0, -1, 0)}, Appraisals: []time.Time{day0.AddDate(0, -6, 0)},
		MedicinesCompetence: []time.Time{day0.AddDate(0, -6, 0)}, KnownTo: []care.ServiceUserID{"u1", "u2", "u3"}}
}

func newFx() *fx {
	p := &schedule.Problem{Name: "fx", Start: day0, End: day0.Add(14 * 24 * time.Hour), TimeZone: "Europe/London",
		Rules: schedule.UKDefaults()}
	for i, u := range []care.ServiceUserID{"u1", "u2", "u3"} {
		p.ServiceUsers = append(p.ServiceUsers, care.ServiceUser{ID: u, Location: care.NewLocation(51.5+float64(i)/100, -0.1)})
	}
	for _, w := range []care.WorkerID{"w1", "w2", "w3"} {
		p.Workers = append(p.Workers, worker(w))
	}
	f := &fx{p: p, r: &schedule.Rota{}, pack: DefaultPack(England), starts: map[schedule.VisitID]time.Time{}, travel: 10 * time.Minute}
	for _, w := range []care.WorkerID{"w1", "w2", "w3"} {
		f.in.Workers = append(f.in.Workers, record(w))
	}
	return f
}

// visit adds a visit for user starting at start (its window is start ± 1 h).
func (f *fx) visit(id schedule.VisitID, user care.ServiceUserID, start time.Time, dur time.Duration, opts ...func(*schedule.Visit)) *fx {
	v := schedule.Visit{ID: id, ServiceUser: user, Duration: schedule.Duration(dur), Kind: schedule.PersonalCare,
		Windows: []schedule.Window{{Earliest: start.Add(-time.Hour), Latest: start.Add(time.Hour)}}}
	for _, o := range opts {
		o(&v)
	}
	f.p.Visits = append(f.p.Visits, v)
	f.starts[id] = start
	return f
}

// route gives the visits, in order, to worker w in a new shift named shift,
// with legs of f.travel each way and back-to-back timing.
func (f *fx) route(w care.WorkerID, shift schedule.ShiftID, vids ...schedule.VisitID) *fx {
	rt := schedule.Route{Worker: w, Shift: shift, Visits: vids}
	var prevEnd time.Time
	var prev schedule.VisitID
	for i, id := range vids {
		start := f.starts[id]
		v, _ := f.p.Visit(id)
		dep := start.Add(-f.travel)
		if i > 0 {
			dep = prevEnd
		}
		rt.Legs = append(rt.Legs, schedule.Leg{From: prev, To: id, Depart: dep, Arrive: dep.Add(f.travel), Travel: schedule.Duration(f.travel),
			Wait: schedule.Duration(start.Sub(dep.Add(f.travel)))})
		prevEnd, prev = start.Add(v.Duration.Std()), id
		f.assign(id, w)
	}
	rt.Legs = append(rt.Legs, schedule.Leg{From: prev, Depart: prevEnd, Arrive: prevEnd.Add(f.travel), Travel: schedule.Duration(f.travel)})
	first := f.starts[vids[0]].Add(-f.travel)
	f.p.Shifts = append(f.p.Shifts, schedule.Shift{ID: shift, Worker: w, Start: first.Add(-time.Hour), End: prevEnd.Add(2 * time.Hour)})
	f.r.Routes = append(f.r.Routes, rt)
	return f
}

func (f *fx) assign(id schedule.VisitID, w care.WorkerID) {
	for i := range f.r.Assignments {
		if f.r.Assignments[i].Visit == id {
			f.r.Assignments[i].Workers = append(f.r.Assignments[i].Workers, w)
			return
		}
	}
	f.r.Assignments = append(f.r.Assignments, schedule.Assignment{Visit: id, Workers: []care.WorkerID{w}, Start: f.starts[id]})
}

func (f *fx) rec(w care.WorkerID) *WorkerRecord {
	for i := range f.in.Workers {
		if f.in.Workers[i].Worker == w {
			return &f.in.Workers[i]
		}
	}
	panic("no record " + w)
}

func (f *fx) worker(w care.WorkerID) *care.Worker {
	x, _ := f.p.Worker(w)
	return x
}

func (f *fx) check(t *testing.T) []Finding {
	t.Helper()
	in := f.in
	in.Problem, in.Rota = f.p, f.r
	fs, err := CheckRota(&f.pack, in)
	require.NoError(t, err)
	return fs
}

func only(fs []Finding, id RuleID) []Finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f Finding) bool { return f.Rule != id })
}

// base returns the standard clean fixture: w1 visits u1 at 09:00 and u2 at 10:00 on day 0.
func base() *fx {
	return newFx().visit("a", "u1", at(0, 9, 0), 30*time.Minute).visit("b", "u2", at(0, 10, 0), 45*time.Minute).
		route("w1", "s1", "a", "b")
}

// day adds a one-visit shift for w on day d at h:00 lasting dur, with visit and shift IDs derived.
func (f *fx) day(w care.WorkerID, d, h int, dur time.Duration) *fx {
	id := schedule.VisitID(fmt.Sprintf("%s-d%d-%d", w, d, h))
	return f.visit(id, "u3", at(d, h, 0), dur).route(w, schedule.ShiftID("s-"+string(id)), id)
}
