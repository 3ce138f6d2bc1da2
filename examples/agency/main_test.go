package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// field returns the whitespace-separated fields of the first output line that
// starts with prefix, after the prefix.
func field(t *testing.T, out, prefix string) []string {
	t.Helper()
	for line := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatalf("no line starting %q in output:\n%s", prefix, out)
	return nil
}

func TestRunSample(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, nil))
	out := buf.String()

	p, err := synth.Sample()
	require.NoError(t, err)
	loc, err := p.Loc()
	require.NoError(t, err)

	assert.Equal(t, []string{fmt.Sprint(len(p.ServiceUsers))}, field(t, out, "people:"))
	assert.Equal(t, []string{fmt.Sprint(len(p.Visits))}, field(t, out, "visits:"))
	assert.Equal(t, []string{fmt.Sprint(len(p.Workers))}, field(t, out, "workers:"))

	// Recompute the figures from the problem, independently of the summary code.
	double := 0
	perDay := map[string]int{}
	perKind := map[schedule.VisitKind]int{}
	carerMinutes := 0
	for _, v := range p.Visits {
		n := 1
		if v.Carers == 2 {
			double++
			n = 2
		}
		carerMinutes += n * int(v.Duration.Std().Minutes())
		perDay[v.Windows[0].Earliest.In(loc).Format("Mon 02 Jan")]++
		perKind[v.Kind]++
	}
	assert.Equal(t, []string{fmt.Sprint(double), fmt.Sprintf("(%.1f%%)", 100*float64(double)/float64(len(p.Visits)))},
		field(t, out, "double-handed:"))
	assert.Equal(t, fmt.Sprint(carerMinutes), strings.Trim(field(t, out, "care minutes:")[1], "("))
	require.Len(t, perDay, 7)
	for day, n := range perDay {
		assert.Equal(t, fmt.Sprint(n), field(t, out, "day "+day)[0], "day %s", day)
	}
	sum := 0
	for k, n := range perKind {
		assert.Equal(t, fmt.Sprint(n), field(t, out, "kind "+string(k)+" ")[0], "kind %s", k)
		sum += n
	}
	assert.Equal(t, len(p.Visits), sum)

	roles := map[care.Role]int{}
	modes := map[care.TravelMode]int{}
	for _, w := range p.Workers {
		roles[w.Role]++
		modes[w.TravelMode]++
	}
	for r, n := range roles {
		assert.Equal(t, []string{fmt.Sprint(n)}, field(t, out, "role "+string(r)+" "), "role %s", r)
	}
	for m, n := range modes {
		assert.Equal(t, []string{fmt.Sprint(n)}, field(t, out, "travel "+string(m)+" "), "travel %s", m)
	}
	minutes := map[care.WorkerID]int{}
	for _, s := range p.Shifts {
		minutes[s.Worker] += int(s.End.Sub(s.Start).Minutes())
	}
	for _, w := range p.Workers {
		got := field(t, out, "worker "+string(w.ID)+" ")
		require.Len(t, got, 3, "worker %s", w.ID)
		assert.Equal(t, string(w.Role), got[0])
		assert.Equal(t, fmt.Sprintf("%.1f", float64(minutes[w.ID])/60), got[2], "worker %s hours", w.ID)
	}
}

func TestRunGenerated(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf, []string{"-visits", "40", "-seed", "3", "-days", "2"}))
	p, err := synth.Generate(synth.Config{Seed: 3, VisitsPerDay: 40, Days: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{fmt.Sprint(len(p.Visits))}, field(t, buf.String(), "visits:"))
	assert.Equal(t, []string{p.Name}, field(t, buf.String(), "agency:"))

	buf.Reset()
	require.NoError(t, run(&buf, []string{"-visits", "40", "-seed", "3", "-days", "2", "-cover-peaks"}))
	q, err := synth.Generate(synth.Config{Seed: 3, VisitsPerDay: 40, Days: 2, CoverPeaks: true})
	require.NoError(t, err)
	assert.Equal(t, []string{fmt.Sprint(len(q.Workers))}, field(t, buf.String(), "workers:"))

	buf.Reset()
	require.NoError(t, run(&buf, []string{"-people", "25", "-seed", "4", "-cover-peaks"}))
	r, err := synth.Generate(synth.Config{Seed: 4, People: 25, Days: 7, CoverPeaks: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"25"}, field(t, buf.String(), "people:"))
	assert.Equal(t, []string{fmt.Sprint(len(r.Visits))}, field(t, buf.String(), "visits:"))
	assert.Equal(t, []string{fmt.Sprint(len(r.Workers))}, field(t, buf.String(), "workers:"))
}

func TestRunBadArguments(t *testing.T) {
	var buf bytes.Buffer
	assert.Error(t, run(&buf, []string{"-nonsense"}))
	assert.Error(t, run(&buf, []string{"extra"}))
	err := run(&buf, []string{"-visits", "10", "-days", "99"})
	assert.ErrorIs(t, err, care.ErrInvalid)
	err = run(&buf, []string{"-visits", "10", "-people", "5"})
	assert.ErrorIs(t, err, care.ErrInvalid, "visits and people together")
}
