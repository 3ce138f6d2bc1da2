package routing

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/benchdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readLines returns the fields of every line of the named file.
func readLines(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, strings.Fields(sc.Text()))
	}
	require.NoError(t, sc.Err())
	return out
}

// TestEuclideanReproducesSolomonBKS measures every best-known Solomon route
// with EuclideanProvider and compares the total with the distance recorded
// with the route (four decimals).
func TestEuclideanReproducesSolomonBKS(t *testing.T) {
	dir := benchdata.Dir(t, "solomon")
	routes, err := filepath.Glob(filepath.Join(dir, "bks_routes", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, routes)
	for _, rf := range routes {
		name := strings.TrimSuffix(filepath.Base(rf), ".txt")
		var locs []care.Location
		for _, f := range readLines(t, filepath.Join(dir, name+".txt")) {
			if len(f) != 7 {
				continue
			}
			var v [7]int
			ok := true
			for i, s := range f {
				n, err := strconv.Atoi(s)
				v[i], ok = n, ok && err == nil
			}
			if ok {
				require.Equal(t, len(locs), v[0], "%s: node ids in order", name)
				locs = append(locs, care.NewLocation(float64(v[2]), float64(v[1])))
			}
		}
		require.Len(t, locs, 101, name)
		m, err := EuclideanProvider{TimePerUnit: time.Second}.Matrix(context.Background(), locs, []care.TravelMode{care.Car})
		require.NoError(t, err)

		want := math.NaN()
		total, seconds := 0.0, 0.0
		for _, f := range readLines(t, rf) {
			if len(f) == 3 && f[0] == "Distance" {
				want, err = strconv.ParseFloat(f[2], 64)
				require.NoError(t, err)
			}
			if len(f) < 4 || f[0] != "Route" {
				continue
			}
			prev := 0
			for _, s := range append(f[3:], "0") {
				c, err := strconv.Atoi(s)
				require.NoError(t, err)
				total += m.Distance(care.Car, prev, c)
				seconds += m.Seconds(care.Car, prev, c)
				require.Equal(t, m.Distance(care.Car, prev, c), m.Seconds(care.Car, prev, c), "%s: one second per unit, exactly", name)
				prev = c
			}
		}
		assert.InDelta(t, want, total, 5.1e-5, name)
		assert.Equal(t, total, seconds, name)
	}
}
