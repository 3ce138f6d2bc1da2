package search

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carecoord/care/routing/vrptw"
)

// r101Worker returns a worker on the r101 instance (trunc1 convention)
// whose current solution is a locally optimal construction.
func r101Worker(b *testing.B) *worker {
	b.Helper()
	in := toSearch(loadSolomon(b, "r101"), vrptw.Trunc1)
	if err := in.Validate(); err != nil {
		b.Fatal(err)
	}
	p := prepare(in)
	w := newWorker(p, Options{Seed: 1}, 0, 0, time.Now(), &board{improved: make(chan struct{}, 1)})
	w.construct()
	return w
}

// BenchmarkMoveEvaluation measures one O(1) move evaluation (feasibility and
// cost from the segment data) on r101 routes: the insertion of a visit
// between two nodes, and the replacement of a string of two visits of a
// route by two visits of another route (a cross-exchange half).
func BenchmarkMoveEvaluation(b *testing.B) {
	w := r101Worker(b)
	p, s := w.p, w.cur
	rng := rand.New(rand.NewPCG(1, 2))
	// As the local search pairs them: visit v next to one of its granular
	// neighbours u, in u's route (at most 2 nodes before its end).
	type ins struct{ v, r, at int }
	moves := make([]ins, 0, 4096)
	for len(moves) < cap(moves) {
		v := rng.IntN(len(p.in.Visits))
		u := int(p.adj[v][rng.IntN(granularity)])
		ri := s.where[u]
		if ri == s.where[v] || len(s.routes[ri].visits) < 3 {
			continue
		}
		moves = append(moves, ins{v: v, r: ri, at: min(s.pos[u], len(s.routes[ri].visits)-2)})
	}
	b.Run("insertion", func(b *testing.B) {
		feasible := 0
		i := 0
		for b.Loop() {
			m := moves[i&4095]
			if _, ok := p.insertDelta(&s.routes[m.r], m.v, m.at); ok {
				feasible++
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
		b.ReportMetric(float64(feasible)/float64(b.N), "feasible/op")
	})
	b.Run("string-splice", func(b *testing.B) {
		i := 0
		var mid [2]int
		for b.Loop() {
			m := moves[i&4095]
			o := &s.routes[moves[(i+1)&4095].r]
			mid[0], mid[1] = o.visits[0], o.visits[1]
			p.evalSplice(&s.routes[m.r], m.at, mid[:], m.at+3)
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
	})
}

// BenchmarkIteration measures one search iteration on r101: ruin, recreate,
// local search and the acceptance test, from a locally optimal solution.
func BenchmarkIteration(b *testing.B) {
	w := r101Worker(b)
	start := w.cur.export()
	startCost := w.curCost
	n := 0
	for b.Loop() {
		w.step(0)
		if n++; n%256 == 0 {
			// Stay near the starting solution so that every run measures the same work.
			b.StopTimer()
			for k, r := range start {
				w.p.setVisits(w.cur, k, r)
			}
			w.cur.unassigned = w.cur.unassigned[:0]
			w.curCost = startCost
			b.StartTimer()
		}
	}
}
