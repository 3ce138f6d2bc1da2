package routing

import (
	"context"

	"github.com/carecoord/care/schedule"
)

// Solver plans a rota for a problem. It is the seam for researchers: another
// algorithm implements Solver and is driven, compared and checked exactly as
// the default one (see examples/benchmark). An implementation must honour
// ctx (returning its best rota so far when cancelled), validate the problem,
// and return only rotas that Evaluate finds free of hard violations, with a
// Reason for every unassigned visit.
type Solver interface {
	Solve(ctx context.Context, p *schedule.Problem, opt Options) (*Result, error)
}

// DefaultSolver is the library's own Solver: the ruin-and-recreate search
// described in Solve. Its zero value is ready to use.
type DefaultSolver struct{}

// Solve implements Solver; see the package function Solve.
func (DefaultSolver) Solve(ctx context.Context, p *schedule.Problem, opt Options) (*Result, error) {
	return Solve(ctx, p, opt)
}

var _ Solver = DefaultSolver{}
