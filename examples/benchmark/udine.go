package main

// The Udine home health care benchmark (-format udine):
//
//	go run ./examples/benchmark -format udine -instances mankowska/InstanzCPLEX_HCSRP_10_1,kummer -time 10s
//
// -dir defaults to ../shared/bench/hhcrsp-udine. -instances takes paths
// relative to its instances/ folder without ".json"
// (mankowska/InstanzCPLEX_HCSRP_25_1), family names (mankowska, kummer,
// Italian: every file of the family, in natural order) or all (the three
// families). Each instance is read with udine.ReadFile, translated with
// udine.ToProblem, solved, brought back with udine.FromRota (which times the
// visit order as early as the rules allow) and checked with udine.Check, an
// independent and stricter check than the upstream validator. The objective
// is udine.Objective, the validator's (distance + total tardiness + max
// tardiness) / 3. One CSV row per instance:
//
//	instance,objective,distance,total_tardiness,max_tardiness,seconds,best,gap_pct
//
// best is the objective in results.csv; gap_pct is 100 × (objective − best) /
// best, left empty when the solution is infeasible (violations go to
// standard error) or the solver failed (objective empty too). The last line:
//
//	mean_gap_pct=… worst_gap_pct=… reached_best=k/n feasible=f/n failed=e
//
// where the gaps are over the feasible solutions and reached_best counts
// feasible solutions within 0.1 of the best. -solutions DIR also writes each
// solution, in the upstream format, to DIR/<family>/<instance>.json, for
// checking with the upstream validator.
//
// Three flags change the problem solved, never the objective or the check:
// -late-weight W sets the optimiser's cost per minute of tardiness (default
// 1/3, the Udine objective without its max-tardiness term, which the
// library has no way to state; 2/3 counts that term exactly when at most one
// visit is late and overestimates it otherwise; a list such as
// 0.3333,0.6667 solves once per weight, each with an equal share of -time,
// and keeps the best solution by the Udine objective); and, as diagnostics,
// -drop-dependencies removes the sequential pairs' dependencies (the
// solution is still retimed to meet them, or fails) and -late-cap D makes
// lateness beyond D hard (0: hard windows).

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/routing/udine"
	"github.com/carecoord/care/schedule"
)

// udineFamilies are the families -instances all stands for.
var udineFamilies = []string{"mankowska", "kummer", "Italian"}

// parseUdine fills c.instances and c.dir for -format udine.
func parseUdine(c *config, list string, dirSet bool) (*config, error) {
	if !dirSet {
		c.dir = filepath.Join("..", "shared", "bench", "hhcrsp-udine")
	}
	var names []string
	if list == "all" {
		list = strings.Join(udineFamilies, ",")
	}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(n), "instances/"), ".json")
		if n == "" {
			continue
		}
		if strings.Contains(n, "/") {
			names = append(names, n)
			continue
		}
		files, err := filepath.Glob(filepath.Join(c.dir, "instances", n, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("-instances %q: no family folder %s with instance files (*.json)", n, filepath.Join(c.dir, "instances", n))
		}
		var fam []string
		for _, f := range files {
			fam = append(fam, n+"/"+strings.TrimSuffix(filepath.Base(f), ".json"))
		}
		slices.SortFunc(fam, naturalCompare)
		names = append(names, fam...)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("-instances %q: no instances", list)
	}
	c.instances = names
	return c, nil
}

// naturalCompare orders strings with runs of digits compared as numbers
// (…_10_2 before …_10_10).
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := len(x) - len(y); c != 0 {
				return c
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// readUdineBest reads the objective column of results.csv, keyed by the
// instance path without ".json".
func readUdineBest(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	ic, oc := slices.Index(rows[0], "instance"), slices.Index(rows[0], "objective")
	if ic < 0 || oc < 0 {
		return nil, fmt.Errorf("%s: no instance or objective column", path)
	}
	best := map[string]float64{}
	for i, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[oc], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: objective: %w", path, i+2, err)
		}
		best[strings.TrimSuffix(r[ic], ".json")] = v
	}
	return best, nil
}

func benchUdine(ctx context.Context, w io.Writer, c *config, solver routing.Solver) error {
	best, err := readUdineBest(filepath.Join(c.dir, "results.csv"))
	if err != nil {
		return err
	}
	cw, closeCSV, err := newTable(w, c.csvFile, []string{"instance", "objective", "distance", "total_tardiness", "max_tardiness", "seconds", "best", "gap_pct"})
	if err != nil {
		return err
	}
	defer closeCSV()
	var sumGap, worst float64
	var feasible, reached, failed int
	for _, name := range c.instances {
		if err := ctx.Err(); err != nil {
			return err
		}
		inst, err := udine.ReadFile(filepath.Join(c.dir, "instances", name+".json"))
		if err != nil {
			return err
		}
		bk, hasBest := best[name]
		p, err := udine.ToProblem(inst)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if c.lateCap >= 0 {
			for i := range p.Visits {
				for k := range p.Visits[i].Windows {
					win := &p.Visits[i].Windows[k]
					if win.Target != nil {
						win.Latest = win.Target.Add(c.lateCap)
					}
				}
			}
		}
		if c.dropDeps {
			for i := range p.Visits {
				p.Visits[i].Dependencies = nil
			}
		}
		row := []string{name, "", "", "", "", "", "", ""}
		if hasBest {
			row[6] = strconv.FormatFloat(bk, 'f', 3, 64)
		}
		began := time.Now()
		sol, cost, err := solveUdine(ctx, c, solver, name, inst, p)
		row[5] = fmt.Sprintf("%.1f", time.Since(began).Seconds())
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed++
			fmt.Fprintf(os.Stderr, "%s: failed: %v\n", name, err)
		} else {
			row[1], row[2], row[3], row[4] = f3(cost.Objective), f3(cost.Distance), f3(cost.TotalTardiness), f3(cost.MaxTardiness)
			if c.solutions != "" {
				if err := writeSolution(filepath.Join(c.solutions, name+".json"), sol); err != nil {
					return fmt.Errorf("%s: -solutions: %w", name, err)
				}
			}
			if vs := udine.Check(inst, sol); len(vs) > 0 {
				fmt.Fprintf(os.Stderr, "%s: infeasible, %d violations:\n", name, len(vs))
				for i, v := range vs {
					if i == 5 {
						fmt.Fprintf(os.Stderr, "\t…\n")
						break
					}
					fmt.Fprintf(os.Stderr, "\t%s\n", v)
				}
			} else {
				feasible++
				if hasBest {
					gap := 100 * (cost.Objective - bk) / bk
					row[7] = pct(gap)
					sumGap += gap
					worst = max(worst, gap)
					if cost.Objective <= bk+0.1 {
						reached++
					}
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	mean := 0.0
	if feasible > 0 {
		mean = sumGap / float64(feasible)
	}
	n := len(c.instances)
	_, err = fmt.Fprintf(w, "mean_gap_pct=%.3f worst_gap_pct=%.3f reached_best=%d/%d feasible=%d/%d failed=%d\n",
		mean, worst, reached, n, feasible, n, failed)
	return err
}

// solveUdine solves p, converted from inst, once per -late-weight (once
// with p's own weights when none is given), each solve with an equal share
// of the time limit, and returns the best solution: feasible under
// udine.Check before infeasible, then the lowest Udine objective. The error
// is the last solve's or conversion's when none gave a solution.
func solveUdine(ctx context.Context, c *config, solver routing.Solver, name string, inst *udine.Instance, p *schedule.Problem) (*udine.Solution, udine.Cost, error) {
	weights := c.lateWeights
	if len(weights) == 0 {
		weights = []float64{0}
	}
	own := p.Weights.Lateness
	var best *udine.Solution
	var bestCost udine.Cost
	bestOK := false
	var lastErr error
	for _, lw := range weights {
		p.Weights.Lateness = own
		if lw > 0 {
			p.Weights.Lateness = lw
		}
		opt := routing.Options{Seed: c.seed, Threads: c.threads, TimeLimit: c.limit / time.Duration(len(weights))}
		if !c.quiet {
			opt.Progress = func(pr routing.Progress) {
				fmt.Fprintf(os.Stderr, "\r%-40s %6.1fs %8d iterations  unassigned %3d  objective %.2f   ",
					name, pr.Elapsed.Seconds(), pr.Iterations, pr.Unassigned, pr.Objective)
			}
		}
		res, err := solver.Solve(ctx, p, opt)
		if !c.quiet {
			fmt.Fprintln(os.Stderr)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, udine.Cost{}, err
			}
			lastErr = err
			continue
		}
		sol, err := udine.FromRota(inst, p, res.Rota)
		if err != nil {
			lastErr = err
			continue
		}
		cost, err := udine.Objective(inst, sol)
		if err != nil {
			lastErr = err
			continue
		}
		ok := len(udine.Check(inst, sol)) == 0
		if best == nil || ok && !bestOK || ok == bestOK && cost.Objective < bestCost.Objective {
			best, bestCost, bestOK = sol, cost, ok
		}
	}
	p.Weights.Lateness = own
	if best == nil {
		return nil, udine.Cost{}, lastErr
	}
	return best, bestCost, nil
}

// writeSolution writes sol to path in the upstream format, making the folder.
func writeSolution(path string, sol *udine.Solution) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := sol.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// f3 formats with three decimals.
func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
