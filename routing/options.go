package routing

import (
	"time"

	"github.com/carecoord/care/schedule"
)

// DefaultTimeLimit bounds a Solve whose Options set neither TimeLimit nor
// MaxIterations and whose context has no deadline.
const DefaultTimeLimit = 5 * time.Second

// Options control a Solve.
type Options struct {
	// Seed makes the search reproducible: with MaxIterations set (and no time
	// limit or cancellation stopping it first), the same problem, Seed and
	// Threads give the same rota. With only a time limit the result depends
	// on the machine's speed.
	Seed int64 `json:"seed"`
	// TimeLimit stops the search after this wall-clock time; 0 = none (but see
	// DefaultTimeLimit).
	TimeLimit time.Duration `json:"time_limit,omitempty"`
	// MaxIterations stops the search after this many ruin-and-recreate
	// iterations over all threads; 0 = none.
	MaxIterations int64 `json:"max_iterations,omitempty"`
	// Threads is the number of independent seeded searches run in parallel;
	// 0 = runtime.NumCPU().
	Threads int `json:"threads,omitempty"`
	// Progress, when set, is called from the goroutine that called Solve about
	// every 100 ms and after each improvement.
	Progress func(Progress) `json:"-"`
	// Travel measures travel; nil = FromProblem(p), the problem's own model.
	// Evaluate the result with EvaluateWith and the same provider.
	Travel MatrixProvider `json:"-"`
	// Initial, when set, warm-starts the search from an existing rota (last
	// week's, a published one, one planned by hand): its routes are mapped
	// onto the problem's shifts and kept as the first solution, then the
	// search improves on them. Routes on unknown shifts, unknown or
	// ineligible visits, repeats and visits that would make a route
	// infeasible are dropped (see Solve); dropped visits are planned as
	// usual. Only the routes' shifts and visit order are read.
	Initial *schedule.Rota `json:"-"`
}

// Progress reports a running search.
type Progress struct {
	Elapsed    time.Duration // wall-clock time since Solve started
	Iterations int64         // ruin-and-recreate iterations so far, all threads and rounds
	// Objective is the best objective so far, as the search measures it
	// (times rounded up to milliseconds; see Solve), without fairness,
	// overtime and undertime, which depend on whole routes' spans and are
	// costed exactly only between rounds; Result.Stats.Objective gives the
	// exact value of the final rota, those terms included. When Solve
	// searches in rounds (the working-time law, the span terms; see Solve),
	// each round reports the best of its own search, which starts from
	// routes cut back or rebalanced, so Objective may rise from one round
	// to the next.
	Objective float64
	Vehicles  int // shifts used by the best rota so far
	// Unassigned counts the visits the best rota so far leaves unassigned,
	// a double-handed visit once per seat (so it may exceed the final
	// len(Rota.Unassigned), which counts each visit once).
	Unassigned int
}

// Stats describe a finished search.
type Stats struct {
	Iterations int64         `json:"iterations"` // ruin-and-recreate iterations performed, all threads
	Elapsed    time.Duration `json:"elapsed"`    // wall-clock time of the search
	Threads    int           `json:"threads"`    // number of searches run in parallel
	// Objective is Report.Objective.Total of the returned rota (computed by Evaluate).
	Objective float64 `json:"objective"`
}

// Result is what a Solver returns: the rota, its evaluation and statistics.
type Result struct {
	Rota   *schedule.Rota `json:"rota"`   // the best rota found
	Report *Report        `json:"report"` // the evaluation of Rota, with the same travel provider
	Stats  Stats          `json:"stats"`  // how the search went
}
