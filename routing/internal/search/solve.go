package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Options control a search.
type Options struct {
	// Seed makes the search reproducible: thread i uses a seed derived from
	// Seed and i.
	Seed int64
	// Threads is the number of independent searches run in parallel
	// (0 means 1). The best result is returned.
	Threads int
	// TimeLimit stops the search after this wall-clock time (0 = none).
	TimeLimit time.Duration
	// MaxIterations stops the search after this many ruin-and-recreate
	// iterations in total, shared evenly between the threads (0 = none).
	// With MaxIterations set, the result depends only on the instance,
	// Seed, Threads and MaxIterations (unless TimeLimit or the context
	// stops the search first): the temperature schedule and the route
	// elimination phase are driven by the iteration count, not the clock.
	// With only a TimeLimit they are driven by the clock and results vary
	// with machine speed.
	MaxIterations int64
	// FleetFraction is the share of the budget spent on route elimination
	// when some vehicle has a FixedCost (0 = default 0.3; negative = none).
	FleetFraction float64
	// Initial optionally warm-starts the search: one visit list per
	// vehicle (fewer lists than vehicles is allowed). It must pass Check.
	Initial [][]int
	// InitialWindows optionally gives, per visit, the window a linked
	// visit of Initial keeps (e.g. its planned start), inside the visit's
	// own window; nil = each linked visit is fixed at its earliest start in
	// its initial route. A link group that is not complete in Initial, or
	// whose windows do not keep its links or its routes feasible, is taken
	// out and inserted by the search.
	InitialWindows []Span
	// Progress, if set, is called from the goroutine that called Solve
	// about every 100 ms and soon after each improvement.
	Progress func(Progress)

	tune tuning // variants for the tuning harness; zero = default
}

// tuning switches parts of the search on or off so that the tuning harness
// (TestSolomonQuick) can compare variants with the same seeds in one run.
// The zero value (set false) stands for defaultTuning, the configuration the
// package ships.
type tuning struct {
	set     bool // the fields below are meant; false = use defaultTuning
	noLS    bool // no local search after recreate
	noOrOpt bool // no or-opt moves
	noCross bool // no cross-exchange moves
	// noSwapStar: no SWAP* moves
	noSwapStar bool
	// heavyGap: the string moves run only on candidates whose cost after
	// the other moves is below best + heavyGap·(variable part of best)
	// (0: candidates that beat the best); negative = always.
	heavyGap float64
	// fleetStall ends route elimination early when no route has been
	// removed for this share of the budget (0 = run for FleetFraction).
	fleetStall float64
	// initRegret is k for a regret-k construction of the first solution;
	// 0 = cheapest insertion in a random order.
	initRegret int
	// pRegret is the probability that an iteration repairs by regret-k
	// insertion (k = regretK, noise factor regretNoise) instead of greedy
	// insertion with blinks.
	pRegret     float64
	regretK     int
	regretNoise float64
	// pRandom and pWorst are the probabilities of random and worst removal
	// in an iteration; the rest uses SISR string removal.
	pRandom, pWorst float64
}

// defaultTuning is the shipped configuration. Measured on the Solomon subset r101,r105,r201,rc101,rc201,c101,r109,
// rc105,r202,r104 (trunc1, 2 s, 2 threads, seeds 1-3, same run, loaded
// machine): string moves on every candidate (heavyGap < 0) or near the best
// (0.002) cost more time than they gain (mean gap 0.57% against 0.46% without
// them); on new best candidates only (0) they gain a little (0.34% against
// 0.40%). Regret repair, regret construction, random and worst removal
// improved the gap at a fixed iteration count but not at a fixed time, so
// they are off.
func defaultTuning() tuning {
	return tuning{set: true, regretK: 3, regretNoise: 0.1}
}

// Progress reports the state of a running search.
type Progress struct {
	Elapsed    time.Duration // wall-clock time since the search started
	Iterations int64         // ruin-and-recreate iterations so far, all threads
	BestCost   int64         // objective of the best solution so far
	// SpanCost is the part of BestCost from the vehicles' span costs
	// (Vehicle.SpanCost), as Solution.SpanCost.
	SpanCost   int64
	Vehicles   int // vehicles used by the best solution
	Unassigned int // visits unassigned in the best solution
}

// Solution is the result of a search.
type Solution struct {
	Routes     [][]int // one per vehicle: visit indices in visiting order
	Unassigned []int   // visits not served, in increasing order
	Cost       int64   // objective value; equals SolutionCost(in, solution)
	Vehicles   int     // number of non-empty routes
	Iterations int64   // ruin-and-recreate iterations performed, all threads
	// Windows gives, per visit, the window its start must lie in: the
	// instance's, narrowed for served linked visits so that any start
	// inside keeps every link (see Link). Times computed for a route
	// must use these windows.
	Windows []Span
	// Breaks gives, per vehicle (as Routes), the route's rest break
	// (Before -1 when it needs none; see Vehicle.BreakAfter). Times
	// computed for a route must take the break at that place, in that
	// window (lasting max(BreakLength, the window's Length)), as the
	// engine costed it.
	Breaks []Break
	// Spans gives, per vehicle (as Routes), the working span (leave start
	// .. reach end) the route is costed at: 0 for an empty route.
	Spans []int64
	// SpanCost is the part of Cost from the vehicles' span costs
	// (Vehicle.SpanCost) at Spans.
	SpanCost int64
}

// ErrNoLimit is returned when neither a time limit, an iteration limit nor
// a context deadline bounds the search.
var ErrNoLimit = errors.New("search: no time limit, iteration limit or context deadline")

// Solve searches for a low-cost solution of in. It validates in and opt
// first. When ctx is cancelled it returns the best solution found so far
// (within about 100 ms) together with ctx's error only if no solution was
// built at all.
func Solve(ctx context.Context, in *Instance, opt Options) (Solution, error) {
	if err := in.Validate(); err != nil {
		return Solution{}, err
	}
	if opt.Threads < 0 || opt.Threads > 1024 {
		return Solution{}, fmt.Errorf("%w: options: threads %d out of range", ErrInvalid, opt.Threads)
	}
	if opt.TimeLimit < 0 || opt.MaxIterations < 0 {
		return Solution{}, fmt.Errorf("%w: options: negative limit", ErrInvalid)
	}
	if math.IsNaN(opt.FleetFraction) || opt.FleetFraction >= 1 {
		return Solution{}, fmt.Errorf("%w: options: fleet fraction %v must be < 1", ErrInvalid, opt.FleetFraction)
	}
	if _, ok := ctx.Deadline(); !ok && opt.TimeLimit == 0 && opt.MaxIterations == 0 {
		return Solution{}, ErrNoLimit
	}
	if err := validateInitial(in, opt.Initial, opt.InitialWindows); err != nil {
		return Solution{}, err
	}
	threads := max(opt.Threads, 1)
	if opt.MaxIterations > 0 && opt.MaxIterations < int64(threads) {
		// Fewer iterations than threads: a thread with no share would
		// run without limit.
		threads = int(opt.MaxIterations)
	}
	start := time.Now()
	p := prepare(in)
	if len(in.Visits) == 0 || len(in.Vehicles) == 0 {
		s := p.newSolution()
		return p.result(s, 0), nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if opt.TimeLimit > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithDeadline(ctx, start.Add(opt.TimeLimit))
		defer c2()
	}
	b := &board{improved: make(chan struct{}, 1)}
	workers := make([]*worker, threads)
	var wg sync.WaitGroup
	for i := range workers {
		iters := int64(0)
		if opt.MaxIterations > 0 {
			iters = opt.MaxIterations / int64(threads)
			if int64(i) < opt.MaxIterations%int64(threads) {
				iters++
			}
		}
		w := newWorker(p, opt, i, iters, start, b)
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(ctx)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	report := func() {
		if opt.Progress != nil {
			if pr, ok := b.snapshot(start); ok {
				opt.Progress(pr)
			}
		}
	}
loop:
	for {
		select {
		case <-done:
			break loop
		case <-tick.C:
			report()
		case <-b.improved:
			report()
		}
	}
	var best *worker
	var total int64
	for _, w := range workers {
		total += w.iters
		if w.best == nil {
			continue
		}
		if best == nil || w.bestCost < best.bestCost {
			best = w
		}
	}
	if best == nil {
		return Solution{}, fmt.Errorf("search: stopped before a first solution: %w", context.Cause(ctx))
	}
	res := p.result(best.best, total)
	report()
	return res, nil
}

// validateInitial checks warm-start routes (they must pass Check) and
// windows (one per visit, each inside the visit's own).
func validateInitial(in *Instance, initial [][]int, win []Span) error {
	if initial != nil {
		if err := Check(in, initial); err != nil {
			return fmt.Errorf("%w: options: initial routes: %w", ErrInvalid, err)
		}
	}
	if win != nil {
		if len(win) != len(in.Visits) {
			return fmt.Errorf("%w: options: %d initial windows for %d visits", ErrInvalid, len(win), len(in.Visits))
		}
		for v, w := range win {
			if o := in.Visits[v]; w.Earliest > w.Latest || w.Earliest < o.Earliest || w.Latest > o.Latest {
				return fmt.Errorf("%w: options: initial window %d..%d of visit %d not inside %d..%d", ErrInvalid, w.Earliest, w.Latest, v, o.Earliest, o.Latest)
			}
		}
	}
	return nil
}

// Adopt returns the solution a search warm-started from initial and win
// (Options.Initial and InitialWindows) begins with, before it inserts
// anything or moves a visit: initial's routes, the windows of their linked
// visits narrowed to win (nil: each at its earliest start in its route),
// and every link group that is incomplete, breaks a link or a worker
// relation, or makes its route infeasible taken out (unassigned, as are
// the visits initial leaves out). It validates in, initial and win as
// Solve does. Solve's first solution from the same warm start costs at
// most Adopt's (the search only inserts and improves from there), so a
// caller can keep the warm start itself as a candidate.
func Adopt(in *Instance, initial [][]int, win []Span) (Solution, error) {
	if err := in.Validate(); err != nil {
		return Solution{}, err
	}
	if err := validateInitial(in, initial, win); err != nil {
		return Solution{}, err
	}
	p := prepareBase(in, false)
	s := p.newSolution()
	p.warmStart(s, initial, win)
	return p.result(s, 0), nil
}

// result converts an internal solution to a Solution.
func (p *prepared) result(s *solution, iters int64) Solution {
	res := Solution{Routes: s.export(), Cost: p.cost(s), Vehicles: s.used(), Iterations: iters}
	res.Windows = make([]Span, len(s.vseg))
	for v, g := range s.vseg {
		res.Windows[v] = Span{Earliest: g.early, Latest: g.late}
	}
	res.Breaks = make([]Break, len(s.routes))
	res.Spans = make([]int64, len(s.routes))
	for k := range s.routes {
		res.Breaks[k] = s.routes[k].brk
		res.Spans[k] = s.routes[k].span
	}
	res.SpanCost = p.spanCostTotal(s)
	res.Unassigned = make([]int, 0, len(s.unassigned))
	for v, r := range s.where {
		if r < 0 {
			res.Unassigned = append(res.Unassigned, v)
		}
	}
	return res
}

// board collects the best result across threads for progress reports.
type board struct {
	mu         sync.Mutex
	have       bool
	cost       int64
	spanCost   int64
	vehicles   int
	unassigned int
	iters      atomic.Int64
	improved   chan struct{}
}

func (b *board) offer(cost, spanCost int64, vehicles, unassigned int) {
	b.mu.Lock()
	better := !b.have || cost < b.cost
	if better {
		b.have, b.cost, b.spanCost, b.vehicles, b.unassigned = true, cost, spanCost, vehicles, unassigned
	}
	b.mu.Unlock()
	if better {
		select {
		case b.improved <- struct{}{}:
		default:
		}
	}
}

func (b *board) snapshot(start time.Time) (Progress, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Progress{Elapsed: time.Since(start), Iterations: b.iters.Load(), BestCost: b.cost, SpanCost: b.spanCost, Vehicles: b.vehicles, Unassigned: b.unassigned}, b.have
}
