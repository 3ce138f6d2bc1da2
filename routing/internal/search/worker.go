package search

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// worker is one thread's search state.
type worker struct {
	p        *prepared
	opt      Options
	rng      *rand.Rand
	maxIters int64 // this thread's iteration budget (0 = none)
	start    time.Time
	board    *board

	cur, cand, best *solution
	curCost         int64
	bestCost        int64
	bestVar         int64 // bestCost without fixed costs and penalties
	iters           int64

	ruinScratch []bool
	worstList   []cand
	reg         regret
	classSeen   []bool
	ls          *localSearch
	focus       []int
}

// splitmix64 derives well-mixed seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func newWorker(p *prepared, opt Options, thread int, maxIters int64, start time.Time, b *board) *worker {
	if !opt.tune.set {
		opt.tune = defaultTuning()
	}
	s1 := splitmix64(uint64(opt.Seed) ^ splitmix64(uint64(thread)+1))
	s2 := splitmix64(s1)
	nc := 0
	for _, c := range p.class {
		nc = max(nc, c+1)
	}
	return &worker{
		p: p, opt: opt, rng: rand.New(rand.NewPCG(s1, s2)), maxIters: maxIters, start: start, board: b,
		classSeen: make([]bool, nc),
		ls:        newLocalSearch(p, opt.tune),
	}
}

// fraction returns how much of the budget has been used, in [0, 1+].
func (w *worker) fraction() float64 {
	if w.maxIters > 0 {
		return float64(w.iters) / float64(w.maxIters)
	}
	if w.opt.TimeLimit > 0 {
		return float64(time.Since(w.start)) / float64(w.opt.TimeLimit)
	}
	return 0
}

// stop reports whether the search must end now.
func (w *worker) stop(ctx context.Context) bool {
	if w.maxIters > 0 && w.iters >= w.maxIters {
		return true
	}
	return w.iters&7 == 0 && ctx.Err() != nil
}

func (w *worker) setBest(s *solution, c int64) {
	if w.best == nil {
		w.best = w.p.newSolution()
	}
	w.best.copyFrom(s)
	w.bestCost = c
	w.bestVar = c - w.p.fixedPart(s)
	w.board.offer(c, w.p.spanCostTotal(s), s.used(), len(s.unassigned))
}

func (w *worker) run(ctx context.Context) {
	w.construct()
	ff := w.opt.FleetFraction
	if ff == 0 {
		ff = 0.3
	}
	if w.p.fleet && ff > 0 {
		w.fleetPhase(ctx, ff)
		w.cur.copyFrom(w.best)
		w.curCost = w.bestCost
	}
	w.annealPhase(ctx)
}

// construct builds the first solution (warm start, then insertion and local
// search) and makes it the current and best one.
func (w *worker) construct() {
	p := w.p
	w.cur = p.newSolution()
	w.cand = p.newSolution()
	if w.opt.Initial != nil {
		p.warmStart(w.cur, w.opt.Initial, w.opt.InitialWindows)
	}
	if k := w.opt.tune.initRegret; k > 1 {
		p.recreateRegret(w.cur, w.rng, k, 0, true, &w.reg, w.classSeen)
	} else {
		p.recreate(w.cur, w.rng, 0, true, w.classSeen)
	}
	w.ls.run(w.cur, w.rng, nil)
	w.curCost = p.cost(w.cur)
	w.setBest(w.cur, w.curCost)
}

// warmStart loads the warm-start routes initial into the empty solution
// s and adopts them (adoptInitial, with the windows win).
func (p *prepared) warmStart(s *solution, initial [][]int, win []Span) {
	for k, r := range initial {
		s.routes[k].visits = append(s.routes[k].visits[:0], r...)
		for _, v := range r {
			s.removeUnassigned(v)
		}
		p.update(&s.routes[k], k, s.where, s.pos)
	}
	p.adoptInitial(s, win)
}

// fleetPhase eliminates routes (SISR fleet minimisation): it removes a route,
// then repeatedly ruins and recreates without opening routes, accepting a
// candidate with fewer unassigned visits or a smaller sum of their absence
// counters, until every visit is placed again; then it removes another route.
func (w *worker) fleetPhase(ctx context.Context, until float64) {
	p := w.p
	abs := make([]int64, len(p.in.Visits))
	target := len(w.best.unassigned)
	cur := w.cur
	cur.copyFrom(w.best)
	if !w.dropRoute(cur) {
		return
	}
	sumAbs := func(s *solution) int64 {
		var t int64
		for _, v := range s.unassigned {
			t += abs[v]
		}
		return t
	}
	stall := w.opt.tune.fleetStall
	last := w.fraction() // when the phase last removed a route
	for !w.stop(ctx) && w.fraction() < until {
		if stall > 0 && w.fraction()-last > stall {
			break // no route removed for a while: spend the rest on cost
		}
		w.iters++
		w.board.iters.Add(1)
		w.cand.copyFrom(cur)
		p.ruin(w.cand, w.rng, defaultRuin, &w.ruinScratch)
		p.release(w.cand)
		p.recreate(w.cand, w.rng, 0.01, false, w.classSeen)
		for _, v := range w.cand.unassigned {
			abs[v]++
		}
		if len(w.cand.unassigned) < len(cur.unassigned) || sumAbs(w.cand) < sumAbs(cur) {
			cur, w.cand = w.cand, cur
		}
		if len(cur.unassigned) <= target {
			if c := p.cost(cur); c < w.bestCost {
				w.setBest(cur, c)
			}
			if !w.dropRoute(cur) {
				break
			}
			last = w.fraction()
		}
	}
	w.cur = cur
}

// dropRoute empties the non-empty route with the fewest visits (ties at
// random). It returns false when no route is left to remove.
func (w *worker) dropRoute(s *solution) bool {
	best, n := -1, 0
	for ri := range s.routes {
		m := len(s.routes[ri].visits)
		if m == 0 {
			continue
		}
		if best < 0 || m < len(s.routes[best].visits) {
			best, n = ri, 1
		} else if m == len(s.routes[best].visits) {
			n++
			if w.rng.IntN(n) == 0 {
				best = ri
			}
		}
	}
	if best < 0 || s.used() <= 1 {
		return false
	}
	w.p.cut(s, best, 0, len(s.routes[best].visits), 0, 0)
	w.p.release(s)
	return true
}

// Annealing temperatures, as multiples of the average arc cost of the
// starting solution.
const (
	tempStart = 3.0
	tempEnd   = 0.03
)

// annealPhase runs ruin-and-recreate with local search under simulated
// annealing until the budget is spent.
func (w *worker) annealPhase(ctx context.Context) {
	p := w.p
	// Average variable cost per arc of the current solution.
	fixed := p.fixedPart(w.cur)
	arcs := 0
	for ri := range w.cur.routes {
		if m := len(w.cur.routes[ri].visits); m > 0 {
			arcs += m + 1
		}
	}
	avg := 1.0
	if arcs > 0 {
		avg = math.Max(float64(w.curCost-fixed)/float64(arcs), 1e-9)
	}
	t0, t1 := tempStart*avg, tempEnd*avg
	f0 := w.fraction()
	for !w.stop(ctx) {
		f := w.fraction()
		if f >= 1 {
			break
		}
		g := 0.0
		if f0 < 1 {
			g = (f - f0) / (1 - f0)
		}
		temp := t0 * math.Pow(t1/t0, g)
		w.iters++
		w.board.iters.Add(1)
		w.step(temp)
	}
}

// step is one iteration: ruin a copy of the current solution, recreate it,
// improve it by local search and accept it by the annealing criterion at
// temperature temp.
func (w *worker) step(temp float64) {
	w.cand.copyFrom(w.cur)
	w.ruinAny(w.cand)
	w.focus = append(w.focus[:0], w.cand.unassigned...)
	w.recreateAny(w.cand)
	c := w.improve(w.cand, w.focus)
	if float64(c) < float64(w.curCost)-temp*math.Log(1-w.rng.Float64()) {
		w.cur, w.cand = w.cand, w.cur
		w.curCost = c
		if c < w.bestCost {
			w.setBest(w.cur, c)
		}
	}
}

// ruinAny removes visits from s with one of the ruin operators, drawn with
// the tuned probabilities: random removal, worst removal, else SISR.
func (w *worker) ruinAny(s *solution) {
	t := &w.opt.tune
	switch x := w.rng.Float64(); {
	case x < t.pRandom:
		w.p.ruinRandom(s, w.rng, defaultRuin.avgRemoved)
	case x < t.pRandom+t.pWorst:
		w.p.ruinWorst(s, w.rng, defaultRuin.avgRemoved, &w.worstList)
	default:
		w.p.ruin(s, w.rng, defaultRuin, &w.ruinScratch)
	}
	w.p.release(s)
}

// recreateAny reinserts the unassigned visits of s by regret-k insertion
// with noise (with the tuned probability) or by greedy insertion with blinks.
func (w *worker) recreateAny(s *solution) {
	t := &w.opt.tune
	if t.pRegret > 0 && w.rng.Float64() < t.pRegret {
		w.p.recreateRegret(s, w.rng, t.regretK, t.regretNoise, true, &w.reg, w.classSeen)
		return
	}
	w.p.recreate(s, w.rng, 0.01, true, w.classSeen)
}

// improve runs the local search on s from the visits in focus and returns
// the cost of s. The costlier moves (or-opt, cross-exchange, SWAP*) join only
// when the result of the cheaper ones is within the tuned gap of the best
// cost (by default: when it beats the best), so that their cost is paid
// where it can pay off.
func (w *worker) improve(s *solution, focus []int) int64 {
	t := &w.opt.tune
	if t.noLS {
		return w.p.cost(s)
	}
	w.ls.heavy = t.heavyGap < 0
	w.ls.run(s, w.rng, focus)
	c := w.p.cost(s)
	if t.heavyGap >= 0 && float64(c-w.bestCost) < float64(w.bestVar)*t.heavyGap {
		w.ls.heavy = true
		w.ls.run(s, w.rng, focus)
		c = w.p.cost(s)
	}
	return c
}
