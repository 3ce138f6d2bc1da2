package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
)

func lines(out, prefix string) []string {
	var got []string
	for l := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			got = append(got, rest)
		}
	}
	return got
}

func TestDisruption(t *testing.T) {
	var buf bytes.Buffer
	oc, err := disrupt(context.Background(), options{Seed: 1, Time: time.Second}, &buf)
	require.NoError(t, err)
	out := buf.String()
	p, rep := oc.Week.Problem, oc.Repair

	loc, err := p.Loc()
	require.NoError(t, err)
	at := oc.At.In(loc)
	assert.Equal(t, time.Tuesday, at.Weekday())
	assert.Equal(t, 6, at.Hour())
	assert.Equal(t, 30, at.Minute())
	assert.Contains(t, out, string(oc.Sick)+" phones in sick on Tue ")

	// The sick carer makes no visit from 06:30 on; nothing before it moved.
	after := map[schedule.VisitID]schedule.Assignment{}
	for _, a := range rep.Rota.Assignments {
		after[a.Visit] = a
		if !a.Start.Before(oc.At) {
			assert.NotContains(t, a.Workers, oc.Sick, "visit %s", a.Visit)
		}
	}
	before := map[schedule.VisitID]schedule.Assignment{}
	lost := 0
	for _, a := range oc.Before.Assignments {
		before[a.Visit] = a
		if a.Start.Before(oc.At) {
			got, ok := after[a.Visit]
			require.True(t, ok, "frozen visit %s kept", a.Visit)
			assert.Equal(t, a.Workers, got.Workers, "frozen visit %s", a.Visit)
		} else if slices.Contains(a.Workers, oc.Sick) {
			assert.Contains(t, rep.Orphans, a.Visit, "the sick carer's visit %s is re-planned", a.Visit)
			lost++
		}
	}
	assert.Positive(t, lost)

	// The diff, recomputed from the two rotas: a visit changed when it is
	// served by other workers, dropped, or moved by 5 minutes or more.
	// Visits made before 06:30 that Repair re-timed on paper are counted in
	// the diff but nobody is phoned about them.
	changed := map[care.ServiceUserID]int{}
	total, past := 0, 0
	for _, v := range p.Visits {
		b, wasServed := before[v.ID]
		a, isServed := after[v.ID]
		switch {
		case !wasServed && !isServed:
			continue
		case wasServed != isServed, !slices.Equal(b.Workers, a.Workers):
		case a.Start.Sub(b.Start).Abs() >= 5*time.Minute:
			if b.Start.Before(oc.At) {
				total++
				past++
				continue
			}
		default:
			continue
		}
		changed[v.ServiceUser]++
		total++
	}
	assert.Equal(t, []string{fmt.Sprint(total)}, lines(out, "visits changed: "))
	if past > 0 {
		assert.Equal(t, []string{fmt.Sprintf("06:30 (re-timed on paper by Repair; not phoned): %d", past)}, lines(out, "  of which already made before "))
	}
	people := lines(out, "person ")
	assert.Len(t, people, len(changed))
	for su, n := range changed {
		assert.Contains(t, people, fmt.Sprintf("%s: %d visit(s) changed", su, n))
		// The person is always told.
		assert.NotEmpty(t, lines(out, fmt.Sprintf("notice to person (person, person %s)", su)), "person %s", su)
	}

	// Families hear of rota changes only when the person agreed to share the
	// rota with them; the rest is withheld and listed.
	for su, set := range oc.Notices {
		per, ok := oc.Week.Person(su)
		require.True(t, ok)
		for _, c := range per.Contacts {
			if c.Professional != "" {
				continue
			}
			_, told := set.For(string(c.ID))
			assert.Equal(t, slices.Contains(c.MayShare, care.ShareRota), told, "contact %s", c.ID)
			if !told {
				assert.NotEmpty(t, lines(out, fmt.Sprintf("  withheld from %s (person %s)", c.ID, su)), "contact %s", c.ID)
			}
		}
	}
}

func TestDisruptionNamedWorker(t *testing.T) {
	var buf bytes.Buffer
	dir := t.TempDir()
	oc, err := disrupt(context.Background(), options{Seed: 1, Time: 300 * time.Millisecond, Worker: "w0001", Out: dir}, &buf)
	require.NoError(t, err)
	assert.Equal(t, care.WorkerID("w0001"), oc.Sick)

	// The files: both rotas read back against their problems and evaluate to
	// the same figures as the rotas in memory; the diff decodes; every person
	// whose visits changed has a notice in notices.md.
	for _, f := range []struct {
		name string
		p    *schedule.Problem
		r    *schedule.Rota
	}{{"published.json", oc.Week.Problem, oc.Before}, {"repaired.json", oc.Repair.Problem, oc.Repair.Rota}} {
		file, err := os.Open(filepath.Join(dir, f.name))
		require.NoError(t, err)
		got, err := schedule.DecodeRota(file, f.p)
		require.NoError(t, file.Close())
		require.NoError(t, err, f.name)
		assert.Len(t, got.Assignments, len(f.r.Assignments), f.name)
		assert.Len(t, got.Unassigned, len(f.r.Unassigned), f.name)
		want, err := routing.Evaluate(f.p, f.r)
		require.NoError(t, err)
		rep, err := routing.Evaluate(f.p, got)
		require.NoError(t, err)
		assert.InDelta(t, want.Totals.TravelTime.Seconds(), rep.Totals.TravelTime.Seconds(), 1e-3, f.name)
		assert.Equal(t, want.Totals.Served, rep.Totals.Served, f.name)
	}
	b, err := os.ReadFile(filepath.Join(dir, "diff.json"))
	require.NoError(t, err)
	var d routing.Diff
	require.NoError(t, json.Unmarshal(b, &d))
	assert.Len(t, d.Visits, len(oc.Repair.Diff.Visits))
	md, err := os.ReadFile(filepath.Join(dir, "notices.md"))
	require.NoError(t, err)
	for su := range oc.Notices {
		assert.Contains(t, string(md), string(oc.Notices[su].Plan), "person %s", su)
	}
	err = run(context.Background(), options{Seed: 1, Time: 300 * time.Millisecond, Worker: "nobody"}, &buf)
	assert.ErrorContains(t, err, `worker "nobody"`)
}

func TestParseFlags(t *testing.T) {
	var buf bytes.Buffer
	o, err := parseFlags(nil, &buf)
	require.NoError(t, err)
	assert.Equal(t, options{Seed: 1, Time: DefaultTime}, o)
	o, err = parseFlags([]string{"-worker", "w0003", "-seed", "4", "-time", "1s", "-out", "x"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, options{Seed: 4, Time: time.Second, Worker: "w0003", Out: "x"}, o)
	for _, args := range [][]string{{"-nonsense"}, {"extra"}, {"-time", "-1s"}} {
		_, err := parseFlags(args, &buf)
		assert.ErrorIs(t, err, errUsage, "%v", args)
	}
}
