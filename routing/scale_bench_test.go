package routing_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule/synth"
)

// curvePoint is the best rota's state at one moment of a solve.
type curvePoint struct {
	at         time.Duration // wall-clock time since Solve was called
	objective  float64
	unassigned int
}

// BenchmarkSolveDay1000 plans the generator's 1,000-visit day
// (synth.Generate Seed CARE_DAY_SEED (default 1), VisitsPerDay 1000, Days 1:
// about 1,000 visits and the worker count the generator deems realistic)
// and records the improvement curve through Options.Progress (issue 4 item
// 10: a first feasible rota within 2 s, then improvement for 60 s). Times
// are wall-clock from the call to Solve, so they include the travel matrix
// and the translation. Every rota the search holds is feasible (unplanned
// visits are left out with a reason, never planned in breach of a hard
// rule), so the first progress report is the first feasible rota; the
// returned one is checked by Evaluate inside Solve. It reports
// first-rota-s, the objective and unassigned visits at 2 s and at the end,
// and logs the curve at checkpoints (1, 2, 5, 10, 20, 30 and 45 s). The
// time limit is CARE_DAY_TIME (a Go duration; default 60s), the threads
// CARE_DAY_THREADS (default 2):
//
//	go test -run '^$' -bench '^BenchmarkSolveDay1000$' -benchtime 1x -timeout 10m ./routing/
func BenchmarkSolveDay1000(b *testing.B) {
	limit := 60 * time.Second
	if v := os.Getenv("CARE_DAY_TIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("CARE_DAY_TIME: want a positive Go duration, got %q", v)
		}
		limit = d
	}
	threads, seed := 2, uint64(1)
	if v := os.Getenv("CARE_DAY_THREADS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			b.Fatalf("CARE_DAY_THREADS: want 1 to 1024, got %q", v)
		}
		threads = n
	}
	if v := os.Getenv("CARE_DAY_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			b.Fatalf("CARE_DAY_SEED: want an unsigned integer, got %q", v)
		}
		seed = n
	}
	p, err := synth.Generate(synth.Config{Seed: seed, VisitsPerDay: 1000, Days: 1})
	if err != nil {
		b.Fatal(err)
	}
	var curve []curvePoint
	var res *routing.Result
	for b.Loop() {
		curve = curve[:0]
		start := time.Now()
		res, err = routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: threads, TimeLimit: limit,
			Progress: func(pr routing.Progress) {
				at := time.Since(start)
				if n := len(curve); n == 0 || curve[n-1].objective != pr.Objective || curve[n-1].unassigned != pr.Unassigned {
					curve = append(curve, curvePoint{at: at, objective: pr.Objective, unassigned: pr.Unassigned})
				}
			}})
		if err != nil {
			b.Fatal(err)
		}
		curve = append(curve, curvePoint{at: time.Since(start), objective: res.Stats.Objective, unassigned: len(res.Rota.Unassigned)})
	}
	if len(curve) < 2 {
		b.Fatalf("no progress reported before the end (%d points)", len(curve))
	}
	// at returns the best rota's state at time d: the last point reported
	// by then (the first one when none was).
	at := func(d time.Duration) curvePoint {
		c := curve[0]
		for _, x := range curve {
			if x.at <= d {
				c = x
			}
		}
		return c
	}
	// The log keeps the first point, the state at each checkpoint and the
	// end (go test keeps only the first lines of a benchmark's log).
	var sb strings.Builder
	last := curve[len(curve)-1]
	line := func(label string, c curvePoint) {
		fmt.Fprintf(&sb, "\n  %-6s reached at %6.2f s  objective %12.1f  unassigned %4d", label, c.at.Seconds(), c.objective, c.unassigned)
	}
	line("first", curve[0])
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second, 45 * time.Second} {
		if d < last.at {
			line(d.String(), at(d))
		}
	}
	line("end", last)
	b.Logf("%d visits, %d workers, %d shifts, %d threads, limit %s; %d iterations; %d improvements; best rota at each time from the call to Solve (end: Evaluate's objective of the returned rota):%s",
		len(p.Visits), len(p.Workers), len(p.Shifts), threads, limit, res.Stats.Iterations, len(curve)-1, sb.String())
	at2 := at(2 * time.Second)
	b.ReportMetric(curve[0].at.Seconds(), "first-rota-s")
	b.ReportMetric(float64(curve[0].unassigned), "first-unassigned")
	b.ReportMetric(at2.objective, "objective-2s")
	b.ReportMetric(float64(at2.unassigned), "unassigned-2s")
	b.ReportMetric(last.objective, "objective-end")
	b.ReportMetric(float64(last.unassigned), "unassigned-end")
	b.ReportMetric(float64(len(p.Visits)), "visits")
}
