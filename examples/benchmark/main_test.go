package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/carecoord/care/internal/benchdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	dir := benchdata.Dir(t, "solomon")
	for _, obj := range []string{"hierarchical", "distance"} {
		t.Run(obj, func(t *testing.T) {
			csvFile := filepath.Join(t.TempDir(), "out.csv")
			var out bytes.Buffer
			err := run(context.Background(), &out, []string{"-dir", dir, "-instances", "c101,R201", "-time", "300ms",
				"-threads", "2", "-seed", "3", "-objective", obj, "-csv", csvFile, "-quiet"})
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			require.Len(t, lines, 4, out.String())
			assert.True(t, strings.HasPrefix(lines[3], "mean_gap_pct="), lines[3])
			assert.Contains(t, lines[3], "vehicles_over_bks=")
			rows, err := csv.NewReader(strings.NewReader(strings.Join(lines[:3], "\n"))).ReadAll()
			require.NoError(t, err)
			assert.Equal(t, []string{"instance", "vehicles", "distance", "seconds", "bks_vehicles", "bks_distance", "gap_pct"}, rows[0])
			assert.Equal(t, "c101", rows[1][0])
			assert.Equal(t, "r201", rows[2][0])
			var sum float64
			for _, r := range rows[1:] {
				veh, _ := strconv.Atoi(r[1])
				dist, _ := strconv.ParseFloat(r[2], 64)
				bkVeh, _ := strconv.Atoi(r[4])
				bk, _ := strconv.ParseFloat(r[5], 64)
				gap, _ := strconv.ParseFloat(r[6], 64)
				assert.Positive(t, dist)
				assert.InDelta(t, 100*(dist-bk)/bk, gap, 0.011, r)
				// Nobody beats the proven optima by more than rounding; in the
				// hierarchical objective the best-known distance is the least
				// with the best-known vehicle count, so a rota using more
				// vehicles (a short run may) can travel less.
				if obj == "distance" || veh == bkVeh {
					assert.GreaterOrEqual(t, gap, -0.01, r)
				}
				if obj == "hierarchical" {
					assert.GreaterOrEqual(t, veh, bkVeh, r)
				}
				sum += gap
			}
			mean, err := strconv.ParseFloat(strings.TrimPrefix(strings.Fields(lines[3])[0], "mean_gap_pct="), 64)
			require.NoError(t, err, lines[3])
			assert.InDelta(t, sum/2, mean, 0.011)
			file, err := os.ReadFile(csvFile)
			require.NoError(t, err)
			assert.Equal(t, strings.Join(lines[:3], "\n")+"\n", string(file))
		})
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-objective", "speed"},
		{"-time", "0s"},
		{"-threads", "0"},
		{"-dir", t.TempDir()},
		{"extra"},
	} {
		err := run(context.Background(), &bytes.Buffer{}, args)
		assert.Error(t, err, args)
	}
}
