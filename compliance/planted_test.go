package compliance

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// planted builds a hand-made rota with one or more breaches of each rota rule
// and returns it with the rule and subject of every planted breach.
func planted() (*fx, map[RuleID]Subject) {
	med := func(v *schedule.Visit) { v.Kind = schedule.Medication }
	f := newFx().
		// w1: a late evening then an early morning (WTR-11); underpaid (NMW); 52-hour history (WTR-48).
		visit("eve", "u3", at(0, 21, 0), 30*mins).visit("early", "u3", at(1, 6, 0), 30*mins).
		route("w1", "s1", "eve").route("w1", "s2", "early").
		// w2: a 7-hour stretch with no break (WTR-BREAK), medicines without competence (MED-COMP).
		visit("long", "u2", at(2, 9, 0), 7*h, med).route("w2", "s3", "long").
		// w3: a double-handed visit alone (DBL-SYNC), a hoist visit with lapsed training and no
		// LOLER record (SKILL-EXP, LOLER), a DBS without barred list (DBS), a 15-minute visit (VIS-30).
		visit("dbl", "u1", at(3, 9, 0), time.Hour, func(v *schedule.Visit) { v.Carers = 2 }).
		visit("lift", "u2", at(3, 11, 0), 30*mins, func(v *schedule.Visit) { v.Skills = []care.Skill{care.SkillHoist} }).
		visit("quick", "u1", at(3, 13, 0), 15*mins).
		route("w3", "s4", "dbl", "lift", "quick").
		// u1: high pressure-ulcer risk with a long gap (REPOS); a late time-critical dose (MED-TIME).
		visit("pm", "u1", at(3, 19, 0), 30*mins, med).route("w2", "s5", "pm")
	f.rec("w1").PriorWeeks = slices.Repeat([]schedule.Duration{schedule.Duration(52 * h)}, 16)
	f.in.Pay = []PayPeriod{{Worker: "w1", From: day0, To: day0.AddDate(0, 1, 0), Gross: 10, MinimumRate: 12.71}}
	f.rec("w2").MedicinesCompetence = nil
	f.rec("w2").Supervisions = []time.Time{day0.AddDate(0, -5, 0)} // SUP-3M
	exp := at(-1, 0, 0)
	f.worker("w3").Qualifications[2].Expires = &exp
	f.worker("w3").Checks.DBSLevel = care.DBSEnhanced
	f.in.Repositioning = []RepositioningNeed{{ServiceUser: "u1", Risk: HighRisk}}
	f.in.Doses = []Dose{{ID: "d1", ServiceUser: "u1", Medicine: "m1", Visit: "pm", Due: at(3, 18, 0)}}
	// A leg that arrives after its visit starts (VIS-TRAVEL).
	f.r.Routes[3].Legs[1].Arrive = at(3, 11, 5)
	// u2 excludes w2 (DIGNITY).
	f.p.ServiceUsers[1].Preferences.ExcludedWorkers = []care.WorkerID{"w2"}
	// Notes written a day late for "eve" (RECORD) and no MAR for "pm" (MED-MAR).
	f.in.AsOf = at(5, 0, 0)
	f.in.Medicines = []MedicineSupport{{ServiceUser: "u1", Medicine: "m1", Level: Administering, Visits: []schedule.VisitID{"pm"}}}
	for _, pl := range []struct {
		v schedule.VisitID
		w care.WorkerID
	}{{"eve", "w1"}, {"early", "w1"}, {"long", "w2"}, {"dbl", "w3"}, {"lift", "w3"}, {"quick", "w3"}, {"pm", "w2"}} {
		notes := f.starts[pl.v].Add(2 * h)
		if pl.v == "eve" {
			notes = at(1, 21, 0)
		}
		f.in.Actuals = append(f.in.Actuals, VisitActual{Visit: pl.v, Worker: pl.w, NotesAt: &notes})
	}
	want := map[RuleID]Subject{
		RuleWTR11:     {SubjectWorker, "w1"},
		RuleWTR48:     {SubjectWorker, "w1"},
		RuleNMW:       {SubjectWorker, "w1"},
		RuleWTRBreak:  {SubjectWorker, "w2"},
		RuleMEDComp:   {SubjectVisit, "long"},
		RuleSUP3M:     {SubjectWorker, "w2"},
		RuleDBLSync:   {SubjectVisit, "dbl"},
		RuleSKILLExp:  {SubjectVisit, "lift"},
		RuleLOLER:     {SubjectVisit, "lift"},
		RuleDBS:       {SubjectVisit, "quick"},
		RuleVIS30:     {SubjectVisit, "quick"},
		RuleREPOS:     {SubjectPerson, "u1"},
		RuleMEDTime:   {SubjectVisit, "pm"},
		RuleVISTravel: {SubjectVisit, "lift"},
		RuleDIGNITY:   {SubjectVisit, "long"},
		RuleRECORD:    {SubjectVisit, "eve"},
		RuleMEDMAR:    {SubjectVisit, "pm"},
	}
	return f, want
}

func TestPlantedBreachesAllReported(t *testing.T) {
	f, want := planted()
	fs := f.check(t)
	got := map[RuleID][]Subject{}
	for _, x := range fs {
		got[x.Rule] = append(got[x.Rule], x.Subject)
		assert.NotEmpty(t, x.Evidence, "%s", x)
		assert.NotEmpty(t, x.Remedy, "%s", x)
		assert.NotEmpty(t, x.Source, "%s", x)
	}
	for id, s := range want {
		assert.Contains(t, got[id], s, "planted %s on %s not reported", id, s)
	}
	// Nothing reported that was not planted.
	extra := slices.DeleteFunc(slices.Collect(maps.Keys(got)), func(id RuleID) bool { _, ok := want[id]; return ok })
	assert.Empty(t, extra, "unplanted findings: %v", fs)
}

func TestReport(t *testing.T) {
	f, _ := planted()
	fs := f.check(t)
	r := NewReport(fs)
	require.Len(t, r.Groups, 5)
	n := 0
	for i, g := range r.Groups {
		assert.Equal(t, KeyQuestions()[i], g.KeyQuestion)
		for j, x := range g.Findings {
			assert.Equal(t, g.KeyQuestion, x.KeyQuestion)
			if j > 0 {
				assert.LessOrEqual(t, g.Findings[j-1].Severity.rank(), x.Severity.rank(), "breaches first")
			}
		}
		n += len(g.Findings)
	}
	assert.Equal(t, len(fs), n)
	d := r.Dashboard
	assert.Equal(t, len(fs), d.Total)
	assert.Equal(t, len(fs), d.BySeverity[Breach]+d.BySeverity[Warning]+d.BySeverity[Advisory])
	assert.Equal(t, len(only(fs, RuleDBS)), d.ByRule[RuleDBS])
	assert.Equal(t, 3, d.ByRule[RuleDBS], "w3 is alone on dbl (partly assigned), lift and quick")

	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(fs)+1)
	assert.Equal(t, csvHeader, rows[0])
	for _, row := range rows[1:] {
		require.Len(t, row, len(csvHeader))
		assert.Contains(t, []string{"safe", "effective", "caring", "responsive", "well-led"}, row[0])
	}

	buf.Reset()
	require.NoError(t, r.WriteText(&buf))
	txt := buf.String()
	assert.Contains(t, txt, "Findings: "+strconv.Itoa(len(fs)))
	assert.Contains(t, txt, "\nSAFE (")
	assert.Contains(t, txt, "\nWELL-LED (")
	assert.Contains(t, txt, "DBL-SYNC visit dbl")
	assert.Equal(t, len(fs), strings.Count(txt, "    remedy: "))
}

// plantedWales builds a second hand-made rota, under the Welsh pack, with
// breaches of the rota rules planted() does not cover: night work, weekly
// rest, young workers, continuity and the Welsh schedule rule.
func plantedWales() (*fx, map[RuleID]Subject) {
	f := newFx()
	f.pack = DefaultPack(Wales)
	f.pack.Params.ContinuityMaxWorkers = 2
	// w1: twelve nights in a row from 23:00 to after 08:00, with a 40-minute break
	// (WTR-NIGHT, WTR-WEEK).
	for d := range 12 {
		a, b := schedule.VisitID(fmt.Sprintf("n%d-a", d)), schedule.VisitID(fmt.Sprintf("n%d-b", d))
		f.visit(a, "u3", at(d, 23, 0), 4*h).visit(b, "u2", at(d+1, 3, 40), 4*h+30*mins).route("w1", schedule.ShiftID(fmt.Sprintf("s-n%d", d)), a, b)
	}
	f.rec("w1").OptOut = &OptOut{Signed: at(-100, 0, 0)}
	// w2, a young worker: a visit to u1 at 22:00 (YW-8-40).
	f.visit("yw", "u1", at(13, 22, 0), 30*mins).route("w2", "s-yw", "yw")
	f.worker("w2").YoungWorker = true
	// u1 also sees w3, on a route with no legs (VIS-SCHED), and w1 (CONT-KPI: 3 workers, limit 2).
	f.visit("nolegs", "u1", at(14, 10, 0), 30*mins).route("w3", "s-nolegs", "nolegs")
	f.r.Routes[len(f.r.Routes)-1].Legs = nil
	f.visit("u1-w1", "u1", at(13, 10, 0), 30*mins).route("w1", "s-u1", "u1-w1")
	want := map[RuleID]Subject{
		RuleWTRNight: {SubjectWorker, "w1"},
		RuleWTRWeek:  {SubjectWorker, "w1"},
		RuleYW840:    {SubjectWorker, "w2"},
		RuleCONTKPI:  {SubjectPerson, "u1"},
		RuleVISSched: {SubjectRoute, "s-nolegs"},
	}
	return f, want
}

func TestPlantedWalesBreachesAllReported(t *testing.T) {
	f, want := plantedWales()
	fs := f.check(t)
	got := map[RuleID][]Subject{}
	for _, x := range fs {
		got[x.Rule] = append(got[x.Rule], x.Subject)
	}
	for id, s := range want {
		assert.Contains(t, got[id], s, "planted %s on %s not reported", id, s)
	}
	extra := slices.DeleteFunc(slices.Collect(maps.Keys(got)), func(id RuleID) bool { _, ok := want[id]; return ok })
	assert.Empty(t, extra, "unplanted findings: %v", fs)

	// Between them the two planted rotas cover every rule CheckRota reports.
	_, first := planted()
	covered := maps.Clone(first)
	maps.Copy(covered, want)
	for _, id := range []RuleID{RuleVIS30, RuleVISTravel, RuleVISSched, RuleCONTKPI, RuleDBLSync, RuleMEDTime, RuleMEDComp, RuleSKILLExp,
		RuleDBS, RuleSUP3M, RuleWTR48, RuleWTR11, RuleWTRWeek, RuleWTRBreak, RuleWTRNight, RuleYW840, RuleNMW, RuleREPOS, RuleRECORD,
		RuleLOLER, RuleMEDMAR, RuleDIGNITY} {
		assert.Contains(t, covered, id, "no planted breach of rota rule %s", id)
	}
}
