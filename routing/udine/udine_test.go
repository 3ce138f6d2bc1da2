package udine

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/carecoord/care/internal/benchdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const toyJSON = `{
 "patients": [
  {"id": "p1", "time_window": [0, 50], "required_caregivers": [{"service": "s1", "duration": 10}]},
  {"id": "p2", "time_window": [20, 30], "required_caregivers": [{"service": "s1", "duration": 10}, {"service": "s2"}],
   "synchronization": {"type": "sequential", "distance": [5, 15]}}
 ],
 "services": [{"id": "s1", "default_duration": 10}, {"id": "s2", "default_duration": 20}],
 "caregivers": [{"id": "c1", "abilities": ["s1"]}, {"id": "c2", "abilities": ["s1", "s2"]}],
 "central_offices": [{"id": "d", "location": [0, 0]}],
 "distances": [[0, 10, 20], [10, 0, 5], [20, 5, 0]]
}`

func TestReadSmall(t *testing.T) {
	inst, err := Read(strings.NewReader(toyJSON))
	require.NoError(t, err)
	require.Len(t, inst.Patients, 2)
	assert.Equal(t, 2, inst.Patients[1].Row)
	assert.Equal(t, 20.0, inst.Patients[1].Required[1].Duration, "default duration applies")
	assert.Equal(t, &Sync{Type: Sequential, Min: 5, Max: 15}, inst.Patients[1].Sync)
	assert.False(t, inst.Extended)
}

// A hand-worked solution: c1 goes 0 -> p1 (10) -> p2 (5) -> 0 (20), c2 goes
// 0 -> p2 (20) -> 0 (20). Distance 75. c1: p1 at 10..20, p2 s1 at 25..35;
// c2: p2 s2 at 38 (gap 13) .. 58. Tardiness of p2/s2: 8, p2/s1: 0.
func TestObjectiveAndCheckByHand(t *testing.T) {
	inst, err := Read(strings.NewReader(toyJSON))
	require.NoError(t, err)
	sol := &Solution{Routes: []Route{
		{Caregiver: "c1", Stops: []Stop{{"p1", "s1", 10, 20}, {"p2", "s1", 25, 35}}},
		{Caregiver: "c2", Stops: []Stop{{"p2", "s2", 38, 58}}},
	}}
	c, err := Objective(inst, sol)
	require.NoError(t, err)
	assert.InDelta(t, 75, c.Distance, 1e-9)
	assert.InDelta(t, 8, c.TotalTardiness, 1e-9)
	assert.InDelta(t, 8, c.MaxTardiness, 1e-9)
	assert.InDelta(t, 91.0/3, c.Objective, 1e-9)
	assert.Empty(t, Check(inst, sol))
	require.NoError(t, CheckError(inst, sol))

	// Break it in several ways at once: c1 reaches p1 at 10 but starts at 5;
	// c1 cannot give s2; c2 reaches p2 at 20 but starts s1 at 19, also before
	// the window opens at 20; s2 starts 21 after s1 (want 5..15).
	bad := &Solution{Routes: []Route{
		{Caregiver: "c1", Stops: []Stop{{"p1", "s1", 5, 15}, {"p2", "s2", 40, 60}}},
		{Caregiver: "c2", Stops: []Stop{{"p2", "s1", 19, 29}}},
	}}
	var got []string
	for _, v := range Check(inst, bad) {
		got = append(got, string(v.Kind)+" "+v.Caregiver+" "+v.Patient+" "+strconv.FormatFloat(v.Amount, 'g', -1, 64))
	}
	assert.ElementsMatch(t, []string{
		"too_soon c1 p1 5", "no_ability c1 p2 0", "too_soon c2 p2 1", "early c2 p2 1", "sync_gap  p2 6",
	}, got)
	err = CheckError(inst, bad)
	require.ErrorIs(t, err, ErrInfeasible)
}

func TestReadErrorsNameTheField(t *testing.T) {
	cases := map[string]struct{ from, to, want string }{
		"window":      {`"time_window": [20, 30]`, `"time_window": [30, 20]`, `patients[1] "p2": time_window: latest 20 before earliest 30`},
		"unknown key": {`"id": "p1",`, `"id": "p1", "colour": 1,`, `unknown field "colour"`},
		"service":     {`{"service": "s2"}`, `{"service": "s9"}`, `patients[1] "p2": required_caregivers[1]: unknown service "s9"`},
		"sync":        {`"type": "sequential"`, `"type": "together"`, `synchronization.type: "together"`},
		"gap":         {`[5, 15]`, `[15, 5]`, `synchronization.distance: [15 5]`},
		"matrix":      {`[20, 5, 0]]`, `[20, 5]]`, `distances[2]: 2 columns`},
		"negative":    {`[10, 0, 5]`, `[10, 0, -5]`, `distances[1][2]: -5`},
		"ability":     {`["s1", "s2"]`, `["s1", "s1"]`, `caregivers[1] "c2": abilities[1]: duplicate service "s1"`},
		"dup":         {`"id": "c2"`, `"id": "c1"`, `caregivers[1] "c1": id: duplicate`},
		"duration":    {`"duration": 10}]}`, `"duration": 0}]}`, `patients[0] "p1": required_caregivers[0]: duration 0 must be positive`},
		"trailing":    {`"distances"`, `"distances"`, ``},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := strings.Replace(toyJSON, c.from, c.to, 1)
			if name == "trailing" {
				in += "{}"
				c.want = "data after"
			}
			require.NotEqual(t, toyJSON, in+"x")
			_, err := Read(strings.NewReader(in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestReadNeverPanics(t *testing.T) {
	for _, in := range []string{"", "null", "[]", "{}", `{"patients": null}`, `{"distances": [[]]}`, toyJSON[:len(toyJSON)/2],
		strings.Replace(toyJSON, `"distances": [[0, 10, 20], [10, 0, 5], [20, 5, 0]]`, `"distances": [[0]]`, 1),
		strings.Replace(toyJSON, `"central_offices"`, `"departing_points"`, 1),
	} {
		_, err := Read(strings.NewReader(in))
		assert.Error(t, err, in)
	}
	for _, in := range []string{"", "{}", `{"routes": [{}]}`, `{"routes": [{"caregiver_id": "c1", "locations": [{}]}]}`} {
		_, err := ReadSolution(strings.NewReader(in))
		assert.Error(t, err, in)
	}
}

type published struct {
	instance, solution          string
	objective, dist, total, max float64
}

func readResults(t *testing.T, dir string) []published {
	f, err := os.Open(filepath.Join(dir, "results.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []published
	for _, r := range rows[1:] {
		if r[col["instance_in_subset"]] != "yes" || r[col["solution_in_subset"]] == "" {
			continue
		}
		num := func(c string) float64 {
			x, err := strconv.ParseFloat(r[col[c]], 64)
			require.NoError(t, err, c)
			return x
		}
		out = append(out, published{r[col["instance"]], r[col["solution_in_subset"]],
			num("objective"), num("distance_traveled"), num("total_tardiness"), num("max_tardiness")})
	}
	return out
}

// Every published solution kept here reproduces its published objective and
// components (to the 3 decimals results.csv carries), and is feasible under
// the strict check, except for the single-service visits of Italian
// solutions that start exactly 1 minute before their window opens (the
// float-truncation artefact the README describes; 5 of them in the 4 such
// files kept here).
func TestPublishedSolutions(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	rows := readResults(t, dir)
	require.Len(t, rows, 140)
	early, earlyFiles := 0, 0
	for _, r := range rows {
		inst, err := ReadFile(filepath.Join(dir, "instances", r.instance))
		require.NoError(t, err)
		sol, err := ReadSolutionFile(filepath.Join(dir, r.solution))
		require.NoError(t, err)
		c, err := Objective(inst, sol)
		require.NoError(t, err)
		assert.InDelta(t, r.objective, c.Objective, 0.0006, r.instance)
		assert.InDelta(t, r.dist, c.Distance, 0.0006, r.instance)
		assert.InDelta(t, r.total, c.TotalTardiness, 0.0006, r.instance)
		assert.InDelta(t, r.max, c.MaxTardiness, 0.0006, r.instance)
		vs := Check(inst, sol)
		if strings.HasPrefix(r.instance, "Italian/") && len(vs) > 0 {
			earlyFiles++
		}
		for _, v := range vs {
			if strings.HasPrefix(r.instance, "Italian/") && v.Kind == Early && assert.InDelta(t, 1, v.Amount, 1e-9) {
				p := inst.Patients[slicesIndex(inst, v.Patient)]
				assert.Len(t, p.Required, 1, "only single-service visits start early: %s", v)
				early++
				continue
			}
			t.Errorf("%s: %s", r.instance, v)
		}
		// Retiming the visit order gives a feasible solution with the same
		// distance and no more tardiness (Retime's starts are the earliest).
		re, err := Retime(inst, sol.Routes)
		require.NoError(t, err, r.instance)
		assert.Empty(t, Check(inst, re), r.instance)
		cr, err := Objective(inst, re)
		require.NoError(t, err)
		assert.InDelta(t, c.Distance, cr.Distance, 1e-9, r.instance)
		assert.LessOrEqual(t, cr.TotalTardiness, c.TotalTardiness+1e-9, r.instance)
		assert.LessOrEqual(t, cr.MaxTardiness, c.MaxTardiness+1e-9, r.instance)
		// Round trip through Write.
		var buf bytes.Buffer
		require.NoError(t, sol.Write(&buf))
		back, err := ReadSolution(&buf)
		require.NoError(t, err)
		c2, err := Objective(inst, back)
		require.NoError(t, err)
		assert.Equal(t, c, c2)
	}
	// The README counts 16 such visits in 11 of all 30 published Italian
	// solutions; of the 12 kept here, 4 hold 5 of them.
	assert.Equal(t, 5, early)
	assert.Equal(t, 4, earlyFiles)
}

func slicesIndex(inst *Instance, id string) int {
	for i, p := range inst.Patients {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func TestToyOptimal(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	inst, err := ReadFile(filepath.Join(dir, "instances", "toy.json"))
	require.NoError(t, err)
	sol, err := ReadSolutionFile(filepath.Join(dir, "solutions", "sol_toy_optimal.json"))
	require.NoError(t, err)
	c, err := Objective(inst, sol)
	require.NoError(t, err)
	assert.Equal(t, 334.0, c.Distance)
	assert.InDelta(t, 111.333333, c.Objective, 1e-6)
	assert.Empty(t, Check(inst, sol))
}

func TestExtendedInstancesRead(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	files, err := filepath.Glob(filepath.Join(dir, "instances", "extended", "small", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 20)
	for _, f := range files {
		inst, err := ReadFile(f)
		require.NoError(t, err)
		assert.True(t, inst.Extended)
		for _, c := range inst.Caregivers {
			require.NotNil(t, c.Shift, c.ID)
			assert.Equal(t, c.StartingPoint, inst.Offices[c.Start].ID)
		}
		p, err := ToProblem(inst)
		require.NoError(t, err, f)
		for _, v := range p.Visits {
			assert.Len(t, v.Excluded, len(inst.Patients[slicesIndex(inst, string(v.ServiceUser))].Incompatible))
		}
	}
}

// Hand-built instances that would index outside the matrix are refused, not
// a panic.
func TestValidateHandBuilt(t *testing.T) {
	inst, err := Read(strings.NewReader(toyJSON))
	require.NoError(t, err)
	inst.Patients[1].Row = 7
	sol := &Solution{Routes: []Route{{Caregiver: "c1", Stops: []Stop{{"p2", "s1", 0, 10}}}}}
	_, err = Objective(inst, sol)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = Retime(inst, sol.Routes)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = ToProblem(inst)
	require.ErrorIs(t, err, ErrInvalid)
	require.Len(t, Check(inst, sol), 1)
	var nilInst *Instance
	_, err = Objective(nilInst, sol)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestErrorsAreTyped(t *testing.T) {
	_, err := Read(strings.NewReader(`{"patients": []}`))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalid))
}

// FuzzRead: any input is read or refused, never a panic, and an instance
// that is read can be converted, timed and checked without a panic.
func FuzzRead(f *testing.F) {
	f.Add(toyJSON)
	f.Add(strings.Replace(toyJSON, `"sequential", "distance": [5, 15]`, `"simultaneous"`, 1))
	f.Add(`{"patients": [], "distances": [[0]]}`)
	f.Fuzz(func(t *testing.T, in string) {
		inst, err := Read(strings.NewReader(in))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		var routes []Route
		for _, c := range inst.Caregivers {
			routes = append(routes, Route{Caregiver: c.ID})
		}
		for i, p := range inst.Patients {
			for k, rq := range p.Required {
				r := &routes[(i+k)%len(routes)]
				r.Stops = append(r.Stops, Stop{Patient: p.ID, Service: rq.Service})
			}
		}
		if sol, err := Retime(inst, routes); err == nil {
			_, err := Objective(inst, sol)
			require.NoError(t, err)
			Check(inst, sol)
		}
		_, _ = ToProblem(inst)
	})
}

// FuzzReadSolution: any input is read or refused, never a panic.
func FuzzReadSolution(f *testing.F) {
	f.Add(`{"routes": [{"caregiver_id": "c1", "locations": [{"patient": "p1", "service": "s1", "arrival_time": 1, "departure_time": 2}]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		inst, err := Read(strings.NewReader(toyJSON))
		require.NoError(t, err)
		sol, err := ReadSolution(strings.NewReader(in))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		_, _ = Objective(inst, sol)
		Check(inst, sol)
		_, _ = Retime(inst, sol.Routes)
	})
}
