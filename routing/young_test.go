package routing

import (
	"context"
	"testing"

	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSolveYoungWorkerShiftLimit: one worker, a 10-hour shift, visit a at
// 08:10 and visit c moved to 16:30 (u3 is 10 minutes from the depot).
// Serving both means working from 08:05 to 16:55 (8 h 50 min): within the
// adult maximum of 12 hours, over the young worker's 8 hours (WTR reg 5A,
// REFERENCE §5.1), so a young worker is given only one of them.
func TestSolveYoungWorkerShiftLimit(t *testing.T) {
	build := func(young bool) *schedule.Problem {
		p := planar()
		p.Rules = schedule.UKDefaults()
		p.Workers = p.Workers[:1]
		p.Workers[0].YoungWorker = young
		p.Workers[0].Qualifications = nil
		p.Shifts = []schedule.Shift{{ID: "s1", Worker: "w1", Start: at(8, 0), End: at(18, 0), Capacity: 10}}
		p.Visits = []schedule.Visit{p.Visits[0], p.Visits[2]}
		p.Visits[1].Windows = []schedule.Window{{Earliest: at(16, 30), Latest: at(17, 0)}}
		return p
	}
	for _, c := range []struct {
		young  bool
		served int
	}{{false, 2}, {true, 1}} {
		p := build(c.young)
		res, err := Solve(context.Background(), p, Options{Seed: 1, Threads: 1, MaxIterations: 200})
		require.NoError(t, err)
		assert.Len(t, res.Rota.Assignments, c.served, "young worker %v", c.young)
		rep, err := Evaluate(p, res.Rota)
		require.NoError(t, err)
		assert.NoError(t, rep.HardErrorExcept(NotPlannedYet()...), "young worker %v", c.young)
		for _, v := range rep.Violations {
			assert.NotEqual(t, OverMaxShift, v.Kind, "young worker %v: %s", c.young, v)
		}
	}
}
