package routing

import (
	"context"
	"testing"
	"time"

	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine (a search thread, a
// progress reporter, a matrix fetch) outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestCancelLeavesNoGoroutines cancels a multi-threaded Solve and a Repair
// mid-search and checks that every goroutine they started has ended when
// they return.
func TestCancelLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	p, err := synth.Generate(synth.Config{Seed: 3, VisitsPerDay: 80, Days: 1})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	res, err := Solve(ctx, p, Options{Seed: 1, Threads: 2, TimeLimit: time.Minute, Progress: func(Progress) {}})
	require.NoError(t, err)
	require.NotEmpty(t, res.Rota.Routes)

	worker := res.Rota.Routes[0].Worker
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	changes := []Change{{Kind: WorkerUnavailable, Worker: worker, At: p.Start.Add(10 * time.Hour)}}
	_, err = Repair(ctx2, p, res.Rota, changes, RepairOptions{})
	if err != nil {
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}

	// An already cancelled context returns at once, also without leaks.
	ctx3, cancel3 := context.WithCancel(context.Background())
	cancel3()
	_, _ = Solve(ctx3, p, Options{Seed: 1, Threads: 2, TimeLimit: time.Minute})
}
