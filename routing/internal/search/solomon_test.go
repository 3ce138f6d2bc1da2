package search

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care/routing/vrptw"
	"github.com/stretchr/testify/require"
)

// Conversion of a vrptw.Instance to the engine (the public routing layer
// mirrors it):
//
//   - one location per node (depot = location 0, customer i = location i,
//     visit i-1); every vehicle starts and ends at the depot with
//     Start = depot ready time, End = depot due date, Capacity from the file;
//   - Trunc1: times and distances in tenths; arc = floor(10*d) computed
//     exactly (vrptw.Tenths); windows and service times multiplied by 10;
//     Weights.Distance = 1, no fixed cost (fleet free);
//   - Exact (hierarchical): times and distances scaled by exactScale; an arc's
//     distance is round(d*exactScale) and its travel time ceil(d*exactScale),
//     so a route feasible in the engine is feasible in exact arithmetic;
//     FixedCost = hierFixed per vehicle (more than any total distance), so the
//     fleet is minimised first.
//
// Penalties are large enough (more than any fixed cost plus route length) that
// every visit that fits anywhere is served.
const (
	exactScale = 1e6
	hierFixed  = int64(1e13)
)

func toSearch(in *vrptw.Instance, conv vrptw.Convention) *Instance {
	n := len(in.Nodes)
	pr := Profile{N: n, Duration: make([]int64, n*n), Distance: make([]int64, n*n)}
	scale := int64(10)
	for i, a := range in.Nodes {
		for j, b := range in.Nodes {
			if conv == vrptw.Trunc1 {
				d := vrptw.Tenths(a, b)
				pr.Duration[i*n+j], pr.Distance[i*n+j] = d, d
			} else {
				d := vrptw.Distance(a, b, vrptw.Exact) * exactScale
				pr.Duration[i*n+j], pr.Distance[i*n+j] = int64(math.Ceil(d)), int64(math.Round(d))
			}
		}
	}
	if conv == vrptw.Exact {
		scale = int64(exactScale)
	}
	out := &Instance{Profiles: []Profile{pr}, Weights: Weights{Distance: 1}}
	depot := in.Nodes[0]
	for k := 0; k < in.Vehicles; k++ {
		v := Vehicle{StartLoc: 0, EndLoc: 0, Start: int64(depot.Ready) * scale, End: int64(depot.Due) * scale, Capacity: int64(in.Capacity)}
		if conv == vrptw.Exact {
			v.FixedCost = hierFixed
		}
		out.Vehicles = append(out.Vehicles, v)
	}
	for _, c := range in.Nodes[1:] {
		out.Visits = append(out.Visits, Visit{
			Loc: c.ID, Service: int64(c.Service) * scale, Earliest: int64(c.Ready) * scale, Latest: int64(c.Due) * scale,
			Demand: int64(c.Demand), Penalty: 100 * hierFixed,
		})
	}
	return out
}

// benchDir finds ../shared/bench/solomon from the module root, or skips.
func benchDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found")
		}
		dir = parent
	}
	s := filepath.Join(dir, "..", "shared", "bench", "solomon")
	if _, err := os.Stat(s); err != nil {
		t.Skipf("Solomon data not present at %s", s)
	}
	return s
}

func loadSolomon(t testing.TB, name string) *vrptw.Instance {
	in, err := vrptw.ReadFile(filepath.Join(benchDir(t), name+".txt"))
	require.NoError(t, err)
	return in
}

// exactLength recomputes a solution's length in double precision and checks
// exact feasibility.
func exactLength(t testing.TB, in *vrptw.Instance, routes [][]int) float64 {
	total := 0.0
	for _, r := range routes {
		if len(r) == 0 {
			continue
		}
		prev := in.Nodes[0]
		clock := float64(prev.Ready)
		for _, v := range r {
			c := in.Nodes[v+1]
			d := vrptw.Distance(prev, c, vrptw.Exact)
			total += d
			clock = math.Max(clock+d, float64(c.Ready))
			require.LessOrEqual(t, clock, float64(c.Due)+1e-9)
			clock += float64(c.Service)
			prev = c
		}
		d := vrptw.Distance(prev, in.Nodes[0], vrptw.Exact)
		total += d
		require.LessOrEqual(t, clock+d, float64(in.Nodes[0].Due)+1e-9)
	}
	return total
}

// TestSolomonQuick is the tuning harness, off unless CARE_SOLOMON is set:
//
//	CARE_SOLOMON=trunc1|exact CARE_SOLOMON_TIME=5s CARE_SOLOMON_THREADS=2 \
//	CARE_SOLOMON_SET=c101,r101 (or "all", the default) \
//	CARE_SOLOMON_ITERS=20000 (optional: an iteration budget instead of the time limit) \
//	CARE_SOLOMON_SEEDS=1 (number of seeds, 1..n) \
//	CARE_TUNE="default;nocross" (optional: variants compared on each instance and seed in turn) \
//	go test ./routing/internal/search -run TestSolomonQuick -v -timeout 0
//
// A variant is a comma-separated list of the switches in parseTune, optionally
// preceded by fleet=x to set Options.FleetFraction.
func TestSolomonQuick(t *testing.T) {
	mode := os.Getenv("CARE_SOLOMON")
	if mode == "" {
		t.Skip("set CARE_SOLOMON=trunc1 or exact to run the Solomon harness")
	}
	conv, err := vrptw.ParseConvention(mode)
	require.NoError(t, err)
	dir := benchDir(t)
	limit := 5 * time.Second
	if s := os.Getenv("CARE_SOLOMON_TIME"); s != "" {
		limit, err = time.ParseDuration(s)
		require.NoError(t, err)
	}
	envInt := func(name string, def int) int {
		if s := os.Getenv(name); s != "" {
			_, err := fmtSscan(s, &def)
			require.NoError(t, err, name)
		}
		return def
	}
	threads := envInt("CARE_SOLOMON_THREADS", 2)
	seeds := envInt("CARE_SOLOMON_SEEDS", 1)
	iters := int64(envInt("CARE_SOLOMON_ITERS", 0))
	var names []string
	if set := os.Getenv("CARE_SOLOMON_SET"); set != "" && set != "all" {
		names = strings.Split(set, ",")
	} else {
		files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		require.NoError(t, err)
		for _, f := range files {
			names = append(names, strings.TrimSuffix(filepath.Base(f), ".txt"))
		}
	}
	variants := []string{"default"}
	if s := os.Getenv("CARE_TUNE"); s != "" {
		variants = strings.Split(s, ";")
	}
	tunes := make([]tuning, len(variants))
	fleet := make([]float64, len(variants))
	for i, v := range variants {
		// fleet=x (first switch) sets Options.FleetFraction.
		if rest, ok := strings.CutPrefix(v, "fleet="); ok {
			num, more, _ := strings.Cut(rest, ",")
			_, err := fmt.Sscan(num, &fleet[i])
			require.NoError(t, err)
			v = more
		}
		tunes[i], err = parseTune(v)
		require.NoError(t, err)
	}
	table := "bks_distance_only.csv"
	if conv == vrptw.Exact {
		table = "bks.csv"
	}
	bks, err := vrptw.ReadBKSFile(filepath.Join(dir, table))
	require.NoError(t, err)
	type tally struct {
		sumGap, sumGapEq, secs float64
		veh, bkVeh, eq, runs   int
		iters                  int64
	}
	tal := make([]tally, len(variants))
	for _, name := range names {
		vin := loadSolomon(t, name)
		in := toSearch(vin, conv)
		bk, err := bks.Get(name, conv)
		require.NoError(t, err)
		for seed := 1; seed <= seeds; seed++ {
			for vi, tune := range tunes {
				opt := Options{Seed: int64(seed), Threads: threads, TimeLimit: limit, tune: tune, FleetFraction: fleet[vi]}
				if iters > 0 {
					opt.TimeLimit, opt.MaxIterations = 0, iters
				}
				start := time.Now()
				sol, err := Solve(context.Background(), in, opt)
				secs := time.Since(start).Seconds()
				require.NoError(t, err)
				require.NoError(t, Check(in, sol.Routes), name)
				require.Equal(t, Cost(in, sol.Routes), sol.Cost, name)
				require.Empty(t, sol.Unassigned, name)
				var dist float64
				if conv == vrptw.Trunc1 {
					dist = float64(sol.Cost) / 10
				} else {
					dist = exactLength(t, vin, sol.Routes)
				}
				gap := 100 * (dist - bk.Distance) / bk.Distance
				a := &tal[vi]
				a.sumGap += gap
				a.secs += secs
				a.runs++
				a.veh += sol.Vehicles
				a.bkVeh += bk.Vehicles
				if sol.Vehicles == bk.Vehicles {
					a.eq++
					a.sumGapEq += gap
				}
				a.iters += sol.Iterations
				t.Logf("%-6s seed %d %-12s veh %2d (bk %2d) dist %9.2f bk %9.2f gap %6.2f%% iters %d", name, seed, variants[vi], sol.Vehicles, bk.Vehicles, dist, bk.Distance, gap, sol.Iterations)
			}
		}
	}
	for vi, a := range tal {
		n := float64(a.runs)
		t.Logf("SUMMARY %-12s %s limit %v threads %d: %d runs, mean gap %.3f%%, vehicles %d (bk %d), mean gap where vehicles = bk %.3f%% (%d), iterations/s/thread %.0f (max iterations %d)",
			variants[vi], conv, limit, threads, a.runs, a.sumGap/n, a.veh, a.bkVeh, a.sumGapEq/math.Max(1, float64(a.eq)), a.eq, float64(a.iters)/(a.secs*float64(threads)), iters)
	}
}

// parseTune reads a comma-separated list of tuning switches ("default" or
// empty for none): nols, nooropt, nocross, noswapstar, and name=value for
// heavy, init, regret, k, noise, random, worst, stall.
func parseTune(s string) (tuning, error) {
	tu := defaultTuning()
	flags := map[string]*bool{"nols": &tu.noLS, "nooropt": &tu.noOrOpt, "nocross": &tu.noCross, "noswapstar": &tu.noSwapStar}
	values := map[string]any{
		"heavy": &tu.heavyGap, "init": &tu.initRegret, "regret": &tu.pRegret, "k": &tu.regretK,
		"noise": &tu.regretNoise, "stall": &tu.fleetStall, "random": &tu.pRandom, "worst": &tu.pWorst,
	}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" || f == "default" {
			continue
		}
		if b, ok := flags[f]; ok {
			*b = true
			continue
		}
		name, val, ok := strings.Cut(f, "=")
		ptr, known := values[name]
		if !ok || !known {
			return tu, fmt.Errorf("unknown tuning switch %q", f)
		}
		if _, err := fmt.Sscan(val, ptr); err != nil {
			return tu, fmt.Errorf("tuning switch %q: %w", f, err)
		}
	}
	return tu, nil
}
