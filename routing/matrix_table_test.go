package routing

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTravel is a deterministic, asymmetric travel function of the two points.
func fakeTravel(mode care.TravelMode, a, b care.Location) (float64, float64) {
	if a == b {
		return 0, 0
	}
	d := 1000*math.Abs(a.Lat()-b.Lat()) + 2000*math.Abs(a.Lon()-b.Lon())
	k := 1.0
	if mode == care.Walk {
		k = 5
	}
	return k * (d + 3*a.Lat()), d + b.Lon()
}

type fetchLog struct {
	mu     sync.Mutex
	calls  atomic.Int64
	blocks [][2]int // sizes of the blocks asked for
}

func (f *fetchLog) fetch(ctx context.Context, mode care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.blocks = append(f.blocks, [2]int{len(src), len(dst)})
	f.mu.Unlock()
	s := make([]float64, 0, len(src)*len(dst))
	d := make([]float64, 0, len(src)*len(dst))
	for _, a := range src {
		for _, b := range dst {
			sv, dv := fakeTravel(mode, a, b)
			s, d = append(s, sv), append(d, dv)
		}
	}
	return s, d, nil
}

func gridLocations(n int) []care.Location {
	locs := make([]care.Location, n)
	for i := range locs {
		locs[i] = care.NewLocation(51+0.01*float64(i), -1+0.003*float64(i*i%7))
	}
	return locs
}

func TestCachedTableSplitsAndCaches(t *testing.T) {
	ctx := context.Background()
	locs := gridLocations(5)
	modes := []care.TravelMode{care.Car, care.Walk}
	var log fetchLog
	ct := NewCachedTable(log.fetch, func(int) int { return 2 })
	m, err := ct.Matrix(ctx, locs, modes)
	require.NoError(t, err)
	// 5 locations in blocks of 2: 3×3 blocks per mode, less the last
	// diagonal block (location 4 to itself), which needs no request.
	assert.Equal(t, int64(16), log.calls.Load())
	for _, b := range log.blocks {
		assert.LessOrEqual(t, b[0], 2)
		assert.LessOrEqual(t, b[1], 2)
	}
	for _, mode := range modes {
		for i, a := range locs {
			for j, b := range locs {
				ws, wd := fakeTravel(mode, a, b)
				assert.Equal(t, ws, m.Seconds(mode, i, j), "%s %d->%d", mode, i, j)
				assert.Equal(t, wd, m.Distance(mode, i, j), "%s %d->%d", mode, i, j)
			}
		}
	}
	assert.Equal(t, 2*5*4, ct.Len())

	// The same pairs again, in another order and with a repeat: no fetch.
	again := []care.Location{locs[3], locs[0], locs[3]}
	m2, err := ct.Matrix(ctx, again, []care.TravelMode{care.Walk})
	require.NoError(t, err)
	assert.Equal(t, int64(16), log.calls.Load())
	ws, _ := fakeTravel(care.Walk, locs[3], locs[0])
	assert.Equal(t, ws, m2.Seconds(care.Walk, 2, 1))
	assert.Zero(t, m2.Seconds(care.Walk, 0, 2))

	// One new location: only blocks holding a new pair are fetched.
	more := append(append([]care.Location{}, locs...), care.NewLocation(52, -2))
	_, err = ct.Matrix(ctx, more, []care.TravelMode{care.Car})
	require.NoError(t, err)
	// 6 locations in blocks of 2: the new one is in the last block row and column: 3+3-1 blocks.
	assert.Equal(t, int64(16+5), log.calls.Load())
}

func TestCachedTableConcurrent(t *testing.T) {
	var log fetchLog
	ct := NewCachedTable(log.fetch, func(n int) int { return 3 })
	locs := gridLocations(7)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			m, err := ct.Matrix(context.Background(), locs[g:], []care.TravelMode{care.Car})
			if assert.NoError(t, err) {
				ws, _ := fakeTravel(care.Car, locs[g], locs[6])
				assert.Equal(t, ws, m.Seconds(care.Car, 0, 6-g))
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 7*6, ct.Len())
}

func TestCachedTableErrors(t *testing.T) {
	ctx := context.Background()
	locs := gridLocations(4)
	car := []care.TravelMode{care.Car}
	// The pair (locs[2], locs[1]) has no route.
	unreach := func(ctx context.Context, mode care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
		s, d, err := (&fetchLog{}).fetch(ctx, mode, src, dst)
		for i, a := range src {
			for j, b := range dst {
				if a == locs[2] && b == locs[1] {
					s[i*len(dst)+j] = math.NaN()
				}
			}
		}
		return s, d, err
	}
	ct := NewCachedTable(unreach, func(int) int { return 2 })
	// Asked with a repeat first, so indices in the error are the caller's.
	_, err := ct.Matrix(ctx, []care.Location{locs[0], locs[0], locs[1], locs[2], locs[3]}, car)
	var ue *UnreachableError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, UnreachableError{Mode: care.Car, From: 3, To: 2}, *ue)
	assert.ErrorIs(t, err, ErrUnreachable)
	assert.Equal(t, "travel mode car: no route from location 3 to location 2", ue.Error())

	boom := errors.New("server down")
	ct = NewCachedTable(func(context.Context, care.TravelMode, []care.Location, []care.Location) ([]float64, []float64, error) {
		return nil, nil, boom
	}, func(n int) int { return n })
	_, err = ct.Matrix(ctx, locs, car)
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "travel mode car")

	ct = NewCachedTable(func(context.Context, care.TravelMode, []care.Location, []care.Location) ([]float64, []float64, error) {
		return []float64{1}, []float64{1}, nil
	}, func(n int) int { return n })
	_, err = ct.Matrix(ctx, locs, car)
	assert.ErrorContains(t, err, "1 durations and 1 distances for a 4×4 block")

	ct = NewCachedTable(func(_ context.Context, _ care.TravelMode, s, d []care.Location) ([]float64, []float64, error) {
		v := make([]float64, len(s)*len(d))
		v[1] = -3
		return v, make([]float64, len(v)), nil
	}, func(n int) int { return n })
	_, err = ct.Matrix(ctx, locs, car)
	assert.ErrorContains(t, err, "from location 0 to location 1")

	_, err = ct.Matrix(ctx, []care.Location{care.NewLocation(100, 0)}, car)
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestCachedTableConcurrentFetches(t *testing.T) {
	locs := gridLocations(9)
	var inFlight, most atomic.Int64
	var log fetchLog
	slow := func(ctx context.Context, mode care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		return log.fetch(ctx, mode, src, dst)
	}
	ct := NewCachedTable(slow, func(int) int { return 3 })
	ct.Concurrency = 3
	m, err := ct.Matrix(context.Background(), locs, []care.TravelMode{care.Car})
	require.NoError(t, err)
	assert.Equal(t, int64(9), log.calls.Load())
	assert.Greater(t, most.Load(), int64(1), "blocks fetched in parallel")
	assert.LessOrEqual(t, most.Load(), int64(3))
	for i, a := range locs {
		for j, b := range locs {
			ws, wd := fakeTravel(care.Car, a, b)
			require.Equal(t, ws, m.Seconds(care.Car, i, j))
			require.Equal(t, wd, m.Distance(care.Car, i, j))
		}
	}

	// The first real error wins over the cancellations it causes.
	boom := errors.New("server down")
	var calls atomic.Int64
	failing := func(ctx context.Context, mode care.TravelMode, src, dst []care.Location) ([]float64, []float64, error) {
		if calls.Add(1) == 2 {
			return nil, nil, boom
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(time.Second):
			return nil, nil, errors.New("not cancelled")
		}
	}
	ct = NewCachedTable(failing, func(int) int { return 3 })
	ct.Concurrency = 4
	_, err = ct.Matrix(context.Background(), locs, []care.TravelMode{care.Car})
	assert.ErrorIs(t, err, boom)
}
