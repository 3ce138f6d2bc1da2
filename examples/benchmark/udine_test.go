package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care/internal/benchdata"
	"github.com/carecoord/care/routing/udine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunUdine(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	csvFile := filepath.Join(t.TempDir(), "out.csv")
	var out bytes.Buffer
	names := []string{"mankowska/InstanzCPLEX_HCSRP_10_1", "kummer/HHCRSP_10_3_11_0.4_R_C"}
	err := run(context.Background(), &out, []string{"-format", "udine", "-dir", dir, "-instances", strings.Join(names, ",") + ".json",
		"-time", "300ms", "-threads", "1", "-seed", "3", "-csv", csvFile, "-quiet"})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4, out.String())
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines[:3], "\n"))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"instance", "objective", "distance", "total_tardiness", "max_tardiness", "seconds", "best", "gap_pct"}, rows[0])
	assert.Equal(t, names, []string{rows[1][0], rows[2][0]})
	// The best values are results.csv's.
	assert.Equal(t, "218.199", rows[1][6])
	assert.Equal(t, "106.667", rows[2][6])
	failed, feasible := 0, 0
	var gaps []float64
	for _, r := range rows[1:] {
		if r[1] == "" {
			failed++
			assert.Empty(t, r[7], "no gap without a solution")
			continue
		}
		obj, _ := strconv.ParseFloat(r[1], 64)
		dist, _ := strconv.ParseFloat(r[2], 64)
		tot, _ := strconv.ParseFloat(r[3], 64)
		mx, _ := strconv.ParseFloat(r[4], 64)
		assert.InDelta(t, (dist+tot+mx)/3, obj, 0.002, r)
		if r[7] != "" {
			feasible++
			best, _ := strconv.ParseFloat(r[6], 64)
			gap, _ := strconv.ParseFloat(r[7], 64)
			assert.InDelta(t, 100*(obj-best)/best, gap, 0.011, r)
			assert.GreaterOrEqual(t, gap, -0.1, "nobody beats a proven optimum: %v", r)
			gaps = append(gaps, gap)
		}
	}
	summary := lines[3]
	assert.Contains(t, summary, "failed="+strconv.Itoa(failed))
	assert.Contains(t, summary, "feasible="+strconv.Itoa(feasible)+"/2")
	if len(gaps) > 0 {
		assert.Contains(t, summary, "worst_gap_pct="+strconv.FormatFloat(slices.Max(gaps), 'f', 2, 64)[:3])
	}
	t.Log(out.String())
	file, err := os.ReadFile(csvFile)
	require.NoError(t, err)
	assert.Equal(t, strings.Join(lines[:3], "\n")+"\n", string(file))
}

// The diagnostic flags change the problem solved (here with two solves, one
// per -late-weight, keeping the better): with hard windows
// (-late-cap 0) no visit the solution serves is late (A1 has no sequential
// pair whose second service must start before the first ends, so every
// start FromRota gives is no later than the rota's), and the objective is
// still computed and checked on the instance.
func TestRunUdineHardWindows(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	var out bytes.Buffer
	sols := t.TempDir()
	err := run(context.Background(), &out, []string{"-format", "udine", "-dir", dir, "-instances", "mankowska/InstanzCPLEX_HCSRP_10_1",
		"-time", "300ms", "-threads", "1", "-late-cap", "0", "-quiet", "-solutions", sols, "-late-weight", "0,0.6667"})
	require.NoError(t, err)
	// The solution written reads back with the objective of the row (with
	// hard windows and 300 ms it may leave a visit out: Check then says so).
	inst, err := udine.ReadFile(filepath.Join(dir, "instances", "mankowska", "InstanzCPLEX_HCSRP_10_1.json"))
	require.NoError(t, err)
	sol, err := udine.ReadSolutionFile(filepath.Join(sols, "mankowska", "InstanzCPLEX_HCSRP_10_1.json"))
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(strings.SplitN(out.String(), "mean_gap", 2)[0])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	cost, err := udine.Objective(inst, sol)
	require.NoError(t, err)
	assert.Equal(t, rows[1][1], strconv.FormatFloat(cost.Objective, 'f', 3, 64))
	if vs := udine.Check(inst, sol); len(vs) == 0 {
		assert.NotEmpty(t, rows[1][7], "a feasible solution has a gap")
	} else {
		assert.Empty(t, rows[1][7], "an infeasible one has none: %v", vs)
	}
	if rows[1][1] != "" {
		assert.Equal(t, "0.000", rows[1][3], "total tardiness with hard windows")
		assert.Equal(t, "0.000", rows[1][4], "max tardiness with hard windows")
	}
	c, err := parse([]string{"-format", "udine", "-dir", dir, "-instances", "kummer", "-late-cap", "30m"})
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute, c.lateCap)
	assert.Len(t, c.instances, 58)
}

func TestParseUdine(t *testing.T) {
	dir := benchdata.Dir(t, "hhcrsp-udine")
	c, err := parse([]string{"-format", "udine", "-dir", dir, "-instances", "mankowska"})
	require.NoError(t, err)
	require.Len(t, c.instances, 70)
	assert.Equal(t, "mankowska/InstanzCPLEX_HCSRP_10_1", c.instances[0])
	assert.Equal(t, "mankowska/InstanzCPLEX_HCSRP_10_2", c.instances[1], "natural order")
	assert.Equal(t, "mankowska/InstanzCPLEX_HCSRP_10_10", c.instances[9])
	assert.Equal(t, "mankowska/InstanzVNS_HCSRP_300_10", c.instances[69])
	c, err = parse([]string{"-format", "udine", "-instances", "Italian,instances/kummer/HHCRSP_10_3_11_0.4_R_C"})
	if err == nil {
		assert.Equal(t, filepath.Join("..", "shared", "bench", "hhcrsp-udine"), c.dir, "default -dir for the format")
	}
	_, err = parse([]string{"-format", "udine", "-dir", dir, "-instances", "nosuch"})
	assert.ErrorContains(t, err, "nosuch")
	_, err = parse([]string{"-format", "xml"})
	assert.ErrorContains(t, err, `-format "xml"`)
	c, err = parse([]string{"-format", "udine", "-dir", dir, "-instances", "kummer", "-late-weight", "0.6667"})
	require.NoError(t, err)
	assert.Equal(t, []float64{0.6667}, c.lateWeights)
	c, err = parse([]string{"-format", "udine", "-dir", dir, "-instances", "kummer", "-late-weight", "0.3333, 0.6667"})
	require.NoError(t, err)
	assert.Equal(t, []float64{0.3333, 0.6667}, c.lateWeights)
	_, err = parse([]string{"-format", "udine", "-dir", dir, "-instances", "kummer", "-late-weight", "0.3,-1"})
	assert.ErrorContains(t, err, `-late-weight "-1": each weight must be a finite number >= 0`)
	_, err = parse([]string{"-format", "udine", "-dir", dir, "-instances", "kummer", "-late-weight", "NaN"})
	assert.ErrorContains(t, err, "-late-weight")
	assert.Negative(t, naturalCompare("a_10_2", "a_10_10"))
	assert.Positive(t, naturalCompare("b", "a_10"))
	assert.Zero(t, naturalCompare("x_01", "x_1")+naturalCompare("x_1", "x_01"))
}
