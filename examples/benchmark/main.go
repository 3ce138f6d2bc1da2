// Command benchmark runs a routing.Solver on Solomon VRPTW instances (or,
// with -format udine, on the Udine home health care instances: see udine.go)
// and reports the gap to the best-known results.
//
//	go run ./examples/benchmark -instances c101,r101 -time 5s -objective hierarchical
//
// Each instance is converted with vrptw.Problem (Exact convention for the
// hierarchical objective, vehicles then distance, compared with bks.csv;
// Trunc1 for the distance objective, compared with the trunc1 rows of
// bks_distance_only.csv), solved, and its distance recomputed by
// routing.Evaluate. One CSV row per instance is written to standard output
// (and to -csv FILE):
//
//	instance,vehicles,distance,seconds,bks_vehicles,bks_distance,gap_pct
//
// followed by a summary line
//
//	mean_gap_pct=… vehicles_over_bks=… mean_gap_pct_same_vehicles=… same_vehicles=… unassigned=…
//
// where vehicles_over_bks is the total number of vehicles minus the
// best-known total. Progress goes to standard error.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/routing/vrptw"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

// config holds the parsed flags.
type config struct {
	dir       string
	instances []string
	limit     time.Duration
	seed      int64
	threads   int
	objective vrptw.Objective
	csvFile   string
	quiet     bool
	// format is "solomon" (the default) or "udine"; see udine.go.
	format string
	// dropDeps solves Udine instances without their sequential dependencies
	// (diagnostic; the solution is still retimed and checked).
	dropDeps bool
	// lateCap, when not negative, caps Udine lateness: each window's hard
	// Latest becomes its Target plus lateCap (diagnostic for an optimiser
	// that does not cost lateness).
	lateCap time.Duration
	// lateWeights, when set, are the Udine problem's Weights.Lateness (per
	// minute of tardiness) instead of udine.ToProblem's 1/3 (0 = that one):
	// one solve per weight, each given an equal share of the time limit, the
	// best solution by the Udine objective kept.
	lateWeights []float64
	// solutions, when set, is a folder where each Udine solution is
	// written as <instance>.json (in the upstream format, sub-folders per family).
	solutions string
}

func parse(args []string) (*config, error) {
	fs := flag.NewFlagSet("benchmark", flag.ContinueOnError)
	c := &config{}
	var list, obj string
	fs.StringVar(&c.dir, "dir", filepath.Join("..", "shared", "bench", "solomon"), "folder with the instances and bks tables")
	fs.StringVar(&list, "instances", "all", "comma-separated instance names, or all")
	fs.DurationVar(&c.limit, "time", 5*time.Second, "time limit per instance")
	fs.Int64Var(&c.seed, "seed", 1, "random seed")
	fs.IntVar(&c.threads, "threads", runtime.NumCPU(), "parallel searches")
	fs.StringVar(&obj, "objective", "hierarchical", "hierarchical (vehicles, then distance; exact) or distance (trunc1)")
	fs.StringVar(&c.csvFile, "csv", "", "also write the rows to this CSV file")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress on standard error")
	fs.StringVar(&c.format, "format", "solomon", "instance format: solomon or udine (home health care, see udine.go)")
	fs.BoolVar(&c.dropDeps, "drop-dependencies", false, "udine only: solve without the sequential dependencies (diagnostic; solutions are still retimed and checked)")
	fs.DurationVar(&c.lateCap, "late-cap", -1, "udine only: if not negative, make lateness beyond this hard (0 = hard windows); diagnostic, the objective still counts all tardiness")
	var lateWeights string
	fs.StringVar(&lateWeights, "late-weight", "", "udine only: the cost per minute of tardiness the optimiser uses instead of 1/3 (2/3 also stands in for the max-tardiness term: exact when at most one visit is late); a comma-separated list solves once per weight, splitting the time, and keeps the best; the objective reported is always the Udine one")
	fs.StringVar(&c.solutions, "solutions", "", "udine only: write each solution, in the upstream JSON format, to this folder as <family>/<instance>.json")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if c.objective, err = vrptw.ParseObjective(obj); err != nil {
		return nil, fmt.Errorf("-objective: %w", err)
	}
	if c.limit <= 0 {
		return nil, fmt.Errorf("-time %s: must be positive", c.limit)
	}
	for _, w := range strings.Split(lateWeights, ",") {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		x, err := strconv.ParseFloat(w, 64)
		if err != nil || x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("-late-weight %q: each weight must be a finite number >= 0", w)
		}
		c.lateWeights = append(c.lateWeights, x)
	}
	if c.threads <= 0 {
		return nil, fmt.Errorf("-threads %d: must be positive", c.threads)
	}
	switch c.format {
	case "solomon":
	case "udine":
		dirSet := false
		fs.Visit(func(f *flag.Flag) { dirSet = dirSet || f.Name == "dir" })
		return parseUdine(c, list, dirSet)
	default:
		return nil, fmt.Errorf("-format %q: want solomon or udine", c.format)
	}
	if list == "all" {
		files, err := filepath.Glob(filepath.Join(c.dir, "*.txt"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			c.instances = append(c.instances, strings.TrimSuffix(filepath.Base(f), ".txt"))
		}
		if len(c.instances) == 0 {
			return nil, fmt.Errorf("-dir %s: no instance files (*.txt)", c.dir)
		}
	} else {
		for _, n := range strings.Split(list, ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				c.instances = append(c.instances, n)
			}
		}
	}
	return c, nil
}

// run parses args, solves every instance with the default solver and writes
// the rows and the summary to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	if c.format == "udine" {
		return benchUdine(ctx, w, c, routing.DefaultSolver{})
	}
	return bench(ctx, w, c, routing.DefaultSolver{})
}

func bench(ctx context.Context, w io.Writer, c *config, solver routing.Solver) error {
	conv, table := vrptw.Exact, "bks.csv"
	if c.objective == vrptw.DistanceOnly {
		conv, table = vrptw.Trunc1, "bks_distance_only.csv"
	}
	bks, err := vrptw.ReadBKSFile(filepath.Join(c.dir, table))
	if err != nil {
		return err
	}
	cw, closeCSV, err := newTable(w, c.csvFile, []string{"instance", "vehicles", "distance", "seconds", "bks_vehicles", "bks_distance", "gap_pct"})
	if err != nil {
		return err
	}
	defer closeCSV()
	var sumGap, sumGapSame float64
	var over, same, unassigned int
	for _, name := range c.instances {
		if err := ctx.Err(); err != nil {
			return err
		}
		inst, err := vrptw.ReadFile(filepath.Join(c.dir, name+".txt"))
		if err != nil {
			return err
		}
		bk, err := bks.Get(name, conv)
		if err != nil {
			return err
		}
		p, err := vrptw.Problem(inst, conv, c.objective)
		if err != nil {
			return err
		}
		opt := routing.Options{Seed: c.seed, Threads: c.threads, TimeLimit: c.limit}
		if !c.quiet {
			opt.Progress = func(pr routing.Progress) {
				fmt.Fprintf(os.Stderr, "\r%-8s %6.1fs %8d iterations  vehicles %3d  unassigned %3d  objective %.2f   ",
					name, pr.Elapsed.Seconds(), pr.Iterations, pr.Vehicles, pr.Unassigned, pr.Objective)
			}
		}
		res, err := solver.Solve(ctx, p, opt)
		if !c.quiet {
			fmt.Fprintln(os.Stderr)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		// The figures come from the independent evaluator, not from the solver.
		rep, err := routing.Evaluate(p, res.Rota)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := rep.HardError(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if rep.Totals.Unassigned > 0 {
			fmt.Fprintf(os.Stderr, "%s: %d customers unassigned\n", name, rep.Totals.Unassigned)
		}
		unassigned += rep.Totals.Unassigned
		dist := rep.Totals.Distance
		veh := rep.Totals.ShiftsUsed
		gap := 100 * (dist - bk.Distance) / bk.Distance
		sumGap += gap
		over += veh - bk.Vehicles
		if veh == bk.Vehicles {
			same++
			sumGapSame += gap
		}
		err = cw.Write([]string{name, strconv.Itoa(veh), fmt.Sprintf("%.2f", dist), fmt.Sprintf("%.1f", res.Stats.Elapsed.Seconds()),
			strconv.Itoa(bk.Vehicles), fmt.Sprintf("%.2f", bk.Distance), pct(gap)})
		if err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	n := float64(len(c.instances))
	sameMean := 0.0
	if same > 0 {
		sameMean = sumGapSame / float64(same)
	}
	_, err = fmt.Fprintf(w, "mean_gap_pct=%.3f vehicles_over_bks=%d mean_gap_pct_same_vehicles=%.3f same_vehicles=%d unassigned=%d\n",
		sumGap/n, over, sameMean, same, unassigned)
	if err != nil {
		return err
	}
	return nil
}

// pct formats a percentage with two decimals, without a negative zero.
func pct(x float64) string {
	r := math.Round(x*100) / 100
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', 2, 64)
}

// newTable returns a CSV writer to w and, when file is not "", to that file
// too, with header written; the function returned closes the file.
func newTable(w io.Writer, file string, header []string) (*csv.Writer, func() error, error) {
	closeFile := func() error { return nil }
	if file != "" {
		f, err := os.Create(file)
		if err != nil {
			return nil, nil, err
		}
		w, closeFile = io.MultiWriter(w, f), f.Close
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		closeFile()
		return nil, nil, err
	}
	return cw, closeFile, nil
}
