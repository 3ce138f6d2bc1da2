package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/paulmach/orb/geojson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/export"
	"github.com/carecoord/care/schedule/synth"
)

// line returns the first output line that starts with prefix, after the prefix.
func line(t *testing.T, out, prefix string) string {
	t.Helper()
	for l := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("no line starting %q in output:\n%s", prefix, out)
	return ""
}

// hasLine reports whether some output line starts with prefix.
func hasLine(out, prefix string) bool {
	for l := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func readProblem(t *testing.T, dir string) *schedule.Problem {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "problem.json"))
	require.NoError(t, err)
	defer f.Close()
	p, err := schedule.Decode(f)
	require.NoError(t, err)
	return p
}

func readRota(t *testing.T, dir string, p *schedule.Problem) *schedule.Rota {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "rota.json"))
	require.NoError(t, err)
	defer f.Close()
	r, err := schedule.DecodeRota(f, p)
	require.NoError(t, err)
	return r
}

func TestRunSample(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	// Small pictures keep the test fast (PNG encoding is most of a run under
	// the race detector); the plot package tests its default size.
	require.NoError(t, run(context.Background(), options{Seed: 1, Time: time.Second, Out: dir, Width: 480, Height: 360}, &buf))
	out := buf.String()

	sample, err := synth.Sample()
	require.NoError(t, err)
	p := readProblem(t, dir)
	r := readRota(t, dir, p)

	// Consent: exactly one plan held back, with the missing consent named, and
	// that person's visits left out of the planned problem.
	held := line(t, out, "held back: plan ")
	assert.Contains(t, held, "no consent recorded from the person")
	var planID, person string
	var n int
	_, err = fmt.Sscanf(held, "%s of %s (%d visits", &planID, &person, &n)
	require.NoError(t, err)
	assert.Equal(t, "cp-"+person, planID)
	assert.Equal(t, len(sample.Visits)-n, len(p.Visits))
	for _, v := range p.Visits {
		assert.NotEqual(t, care.ServiceUserID(person), v.ServiceUser)
	}
	assert.Equal(t, fmt.Sprintf("%d of %d", len(sample.ServiceUsers)-1, len(sample.ServiceUsers)), line(t, out, "plans that may go live:"))

	// The summary's figures, recomputed from rota.json by the evaluator.
	rep, err := routing.Evaluate(p, r)
	require.NoError(t, err)
	// Whatever Solve returned is shown: the hard violations the evaluator
	// finds in rota.json are the ones the summary counts.
	assert.Equal(t, fmt.Sprint(len(rep.Hard())), line(t, out, "hard violations:"))
	assert.Equal(t, fmt.Sprintf("%d of %d", len(r.Assignments), len(p.Visits)), line(t, out, "visits planned:"))
	assert.Equal(t, fmt.Sprint(len(r.Unassigned)), line(t, out, "visits unassigned:"))
	assert.Equal(t, rep.Totals.Unassigned, len(r.Unassigned))
	reasons := map[schedule.Reason]int{}
	doubleUn := 0
	for _, u := range r.Unassigned {
		reasons[u.Reason]++
		v, ok := p.Visit(u.Visit)
		require.True(t, ok)
		if v.Carers == 2 {
			doubleUn++
		}
	}
	for reason, n := range reasons {
		assert.Equal(t, fmt.Sprint(n), line(t, out, "  reason "+string(reason)+":"), "reason %s", reason)
	}
	doublePlanned := 0
	carers := map[care.ServiceUserID]map[care.WorkerID]bool{}
	for _, a := range r.Assignments {
		v, ok := p.Visit(a.Visit)
		require.True(t, ok)
		if len(a.Workers) == 2 {
			doublePlanned++
		}
		if carers[v.ServiceUser] == nil {
			carers[v.ServiceUser] = map[care.WorkerID]bool{}
		}
		for _, w := range a.Workers {
			carers[v.ServiceUser][w] = true
		}
	}
	assert.Equal(t, fmt.Sprintf("%d planned, %d unassigned", doublePlanned, doubleUn), line(t, out, "double-handed visits:"))
	hist := map[int]int{}
	for _, ws := range carers {
		hist[len(ws)]++
	}
	assert.Equal(t, fmt.Sprintf("(people served: %d)", len(carers)), line(t, out, "distinct carers per person"))
	for k, n := range hist {
		assert.Equal(t, fmt.Sprintf("%d people", n), line(t, out, fmt.Sprintf("  carers %d:", k)))
	}
	care, travel, visits := map[care.WorkerID]time.Duration{}, map[care.WorkerID]time.Duration{}, map[care.WorkerID]int{}
	for _, rr := range rep.Routes {
		care[rr.Worker] += rr.Service
		travel[rr.Worker] += rr.Travel
		visits[rr.Worker] += len(rr.Stops)
	}
	var totalCare, totalTravel time.Duration
	for w, nv := range visits {
		if nv == 0 {
			assert.False(t, hasLine(out, "worker "+string(w)+" "), "worker %s has no visits", w)
			continue
		}
		f := strings.Fields(line(t, out, "worker "+string(w)+" "))
		require.GreaterOrEqual(t, len(f), 3, "worker %s", w)
		assert.Equal(t, fmt.Sprint(nv), f[0], "worker %s visits", w)
		assert.Equal(t, fmt.Sprintf("%.2f", care[w].Hours()), f[1], "worker %s care hours", w)
		assert.Equal(t, fmt.Sprintf("%.2f", travel[w].Hours()), f[2], "worker %s travel hours", w)
		totalCare += care[w]
		totalTravel += travel[w]
	}
	assert.Equal(t, fmt.Sprintf("care %.2f h, travel %.2f h", totalCare.Hours(), totalTravel.Hours()), line(t, out, "total:"))
	assert.InDelta(t, rep.Totals.TravelTime.Hours(), totalTravel.Hours(), 1e-9)

	// Findings by severity add up to the total, which matches findings.csv.
	total := 0
	_, err = fmt.Sscan(line(t, out, "findings:"), &total)
	require.NoError(t, err)
	bySeverity := 0
	for _, s := range []string{"breach", "warning", "advisory"} {
		var k int
		_, err := fmt.Sscan(line(t, out, "  severity "+s+":"), &k)
		require.NoError(t, err)
		bySeverity += k
	}
	assert.Equal(t, total, bySeverity)
	rows := readCSV(t, filepath.Join(dir, "findings.csv"))
	assert.Len(t, rows, total+1, "findings.csv: a header and one row per finding")

	checkGeoJSON(t, dir, p, r)
	checkCSV(t, dir, p, r)
	checkCalendars(t, dir, p, r)
	checkPictures(t, dir, 480, 360)
	checkFHIR(t, dir, len(sample.ServiceUsers))
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func checkGeoJSON(t *testing.T, dir string, p *schedule.Problem, r *schedule.Rota) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "rota.geojson"))
	require.NoError(t, err)
	fc, err := geojson.UnmarshalFeatureCollection(b)
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, f := range fc.Features {
		kinds[f.Properties.MustString("kind")]++
	}
	routes := 0
	for _, rt := range r.Routes {
		if len(rt.Visits) > 0 {
			routes++
		}
	}
	assert.Equal(t, routes, kinds[export.KindRoute])
	assert.Equal(t, len(r.Assignments), kinds[export.KindVisit])
	assert.Equal(t, len(r.Unassigned), kinds[export.KindUnassigned])
	assert.Equal(t, len(p.Visits), kinds[export.KindVisit]+kinds[export.KindUnassigned])
}

func checkCSV(t *testing.T, dir string, p *schedule.Problem, r *schedule.Rota) {
	t.Helper()
	rows := readCSV(t, filepath.Join(dir, "visits.csv"))
	require.NotEmpty(t, rows)
	assert.Equal(t, export.CSVHeader(export.Options{}), rows[0])
	require.Len(t, rows, len(p.Visits)+1)
	status := -1
	for i, h := range rows[0] {
		if h == "status" {
			status = i
		}
	}
	require.GreaterOrEqual(t, status, 0)
	counts := map[string]int{}
	for _, row := range rows[1:] {
		counts[row[status]]++
	}
	assert.Equal(t, len(r.Assignments), counts[export.StatusAssigned])
	assert.Equal(t, len(r.Unassigned), counts[export.StatusUnassigned])
}

func checkCalendars(t *testing.T, dir string, p *schedule.Problem, r *schedule.Rota) {
	t.Helper()
	perWorker := map[care.WorkerID]int{}
	for _, a := range r.Assignments {
		for _, w := range a.Workers {
			perWorker[w]++
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "calendars", "*.ics"))
	require.NoError(t, err)
	assert.Len(t, files, len(perWorker), "one calendar per worker with visits")
	for w, n := range perWorker {
		b, err := os.ReadFile(filepath.Join(dir, "calendars", string(w)+".ics"))
		require.NoError(t, err, "worker %s", w)
		cal, err := ics.ParseCalendar(bytes.NewReader(b))
		require.NoError(t, err, "worker %s", w)
		assert.Len(t, cal.Events(), n, "worker %s events", w)
		// No health details: once the visit IDs (which the synthetic agency
		// builds from its runs) are taken out, no visit kind or skill is left.
		text := string(b)
		for _, v := range p.Visits {
			text = strings.ReplaceAll(text, string(v.ID), "")
		}
		for _, kind := range schedule.VisitKinds() {
			assert.NotContains(t, text, string(kind), "worker %s: calendars carry no visit kinds", w)
		}
		for _, v := range p.Visits {
			for _, s := range v.Skills {
				assert.NotContains(t, text, string(s), "worker %s: calendars carry no skills", w)
			}
		}
	}
}

func checkPictures(t *testing.T, dir string, width, height int) {
	t.Helper()
	for _, name := range []string{"routes.png", "gantt.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		cfg, format, err := image.DecodeConfig(f)
		require.NoError(t, f.Close())
		require.NoError(t, err, name)
		assert.Equal(t, "png", format, name)
		assert.Equal(t, width, cfg.Width, name)
		assert.Equal(t, height, cfg.Height, name)
	}
}

func checkFHIR(t *testing.T, dir string, people int) {
	t.Helper()
	type bundle struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	read := func(name string) bundle {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		var bd bundle
		require.NoError(t, json.Unmarshal(b, &bd), name)
		assert.Equal(t, "Bundle", bd.ResourceType, name)
		return bd
	}
	plans := read("fhir-careplans.json")
	assert.Len(t, plans.Entry, people)
	for _, e := range plans.Entry {
		assert.Equal(t, "CarePlan", e.Resource["resourceType"])
	}
	consents := read("fhir-consents.json")
	assert.GreaterOrEqual(t, len(consents.Entry), people, "at least one decision per plan")
	for _, e := range consents.Entry {
		assert.Equal(t, "Consent", e.Resource["resourceType"])
	}
}

func TestRunInput(t *testing.T) {
	// A user's own agency, as schedule JSON, is planned with -input.
	dir := t.TempDir()
	own, err := synth.Generate(synth.Config{Seed: 5, People: 10, Days: 2})
	require.NoError(t, err)
	b, err := json.Marshal(own)
	require.NoError(t, err)
	input := filepath.Join(dir, "mine.json")
	require.NoError(t, os.WriteFile(input, b, 0o644))
	var buf bytes.Buffer
	out := filepath.Join(dir, "out")
	require.NoError(t, run(context.Background(), options{Seed: 2, Time: 300 * time.Millisecond, Out: out, Input: input,
		Width: 400, Height: 300}, &buf))
	checkPictures(t, out, 400, 300)
	assert.Contains(t, buf.String(), "agency "+own.Name+": 10 people")
	p := readProblem(t, out)
	held := line(t, buf.String(), "held back: plan ")
	var planID, person string
	var n int
	_, err = fmt.Sscanf(held, "%s of %s (%d visits", &planID, &person, &n)
	require.NoError(t, err)
	assert.Len(t, p.Visits, len(own.Visits)-n, "the held-back person's visits are left out")
	r := readRota(t, out, p)
	assert.Equal(t, len(p.Visits), len(r.Assignments)+len(r.Unassigned))
}

func TestParseFlags(t *testing.T) {
	var buf bytes.Buffer
	o, err := parseFlags(nil, &buf)
	require.NoError(t, err)
	assert.Equal(t, DefaultTime, o.Time)
	assert.Equal(t, "out", o.Out)
	assert.Nil(t, o.Progress, "no progress bar unless main finds a terminal")
	o, err = parseFlags([]string{"-seed", "7", "-time", "2s", "-out", "x", "-input", "p.json"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, options{Seed: 7, Time: 2 * time.Second, Out: "x", Input: "p.json", Days: 7}, o)
	for _, args := range [][]string{{"-nonsense"}, {"extra"}, {"-time", "0s"}, {"-input", "p.json", "-people", "5"}, {"-width", "-1"}} {
		_, err := parseFlags(args, &buf)
		assert.ErrorIs(t, err, errUsage, "%v", args)
	}
}

func TestRunBadInput(t *testing.T) {
	var buf bytes.Buffer
	dir := t.TempDir()
	err := run(context.Background(), options{Seed: 1, Time: time.Second, Out: dir, Input: filepath.Join(dir, "missing.json")}, &buf)
	assert.ErrorIs(t, err, os.ErrNotExist)
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"name": "x", "start": "nonsense"}`), 0o644))
	assert.Error(t, run(context.Background(), options{Seed: 1, Time: time.Second, Out: dir, Input: bad}, &buf))
	err = run(context.Background(), options{Seed: 1, Time: time.Second, Out: dir, Visits: 10, Days: 99}, &buf)
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestRunProgressBar(t *testing.T) {
	var out, bar bytes.Buffer
	require.NoError(t, run(context.Background(), options{Seed: 1, Time: 400 * time.Millisecond, Out: t.TempDir(), Progress: &bar,
		People: 8, Days: 2}, &out))
	assert.Contains(t, bar.String(), "optimising")
	assert.NotContains(t, out.String(), "optimising:", "the bar goes to its own writer")
}
