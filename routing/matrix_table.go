package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/carecoord/care"
)

// TableFunc fetches one block of travel from a routing service: the travel
// time in seconds and the distance in metres from each of sources to each
// of destinations by mode, row-major (index s*len(destinations)+d). A NaN
// marks a pair with no route. It must honour ctx.
type TableFunc func(ctx context.Context, mode care.TravelMode, sources, destinations []care.Location) (seconds, metres []float64, err error)

// CachedTable is a MatrixProvider that assembles matrices from blocks
// fetched by a TableFunc, as the clients of routing services do. It splits
// an N×N matrix into blocks that a server accepts, fetches only the blocks
// holding a pair it has not seen, and caches every pair by travel mode and
// the two locations. It is safe for concurrent use; the cache is kept in
// memory for the CachedTable's lifetime.
type CachedTable struct {
	// Concurrency is the most blocks fetched at once; 0 or 1 fetches one at a
	// time. Set it before the first call to Matrix.
	Concurrency int
	fetch       TableFunc
	blockSize   func(n int) int
	mu          sync.Mutex
	cells       map[uint64]cell            // by key(mode, from, to)
	placeIDs    map[care.Location]uint64   // interned locations
	modeIDs     map[care.TravelMode]uint64 // interned modes
}

// Cache keys pack a mode and two interned locations into one uint64: 8
// bits of mode, 28 bits per location, far beyond any matrix a server
// answers. placeID and modeID are called with c.mu held.
func (c *CachedTable) placeID(l care.Location) uint64 {
	id, ok := c.placeIDs[l]
	if !ok {
		id = uint64(len(c.placeIDs))
		c.placeIDs[l] = id
	}
	return id
}

func (c *CachedTable) modeID(m care.TravelMode) uint64 {
	id, ok := c.modeIDs[m]
	if !ok {
		id = uint64(len(c.modeIDs))
		c.modeIDs[m] = id
	}
	return id
}

type cell struct{ seconds, metres float64 }

// NewCachedTable returns a CachedTable fetching with fetch. blockSize(n)
// gives the number of locations per side of a block when the matrix has n
// distinct locations: a block has that many sources and that many
// destinations (fewer at the edges). Values below 1 are read as 1.
func NewCachedTable(fetch TableFunc, blockSize func(n int) int) *CachedTable {
	return &CachedTable{fetch: fetch, blockSize: blockSize, cells: make(map[uint64]cell),
		placeIDs: make(map[care.Location]uint64), modeIDs: make(map[care.TravelMode]uint64)}
}

// Len returns the number of cached pairs.
func (c *CachedTable) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cells)
}

// Matrix implements MatrixProvider. Locations must be valid latitudes and
// longitudes; a location given twice is fetched once. An unreachable pair is
// an *UnreachableError naming indices into locs.
func (c *CachedTable) Matrix(ctx context.Context, locs []care.Location, modes []care.TravelMode) (*Matrix, error) {
	if err := checkModes(modes); err != nil {
		return nil, err
	}
	if err := checkLocations(locs, true); err != nil {
		return nil, err
	}
	var uniq LocationIndex
	ids := make([]int, len(locs)) // ids[i] = index of locs[i] in uniq
	first := make([]int, 0, len(locs))
	for i, l := range locs {
		ids[i] = uniq.Add(l)
		if ids[i] == len(first) {
			first = append(first, i)
		}
	}
	u := uniq.Locations
	m := len(u)
	n := len(locs)
	seconds := make([][]float64, len(modes))
	metres := make([][]float64, len(modes))
	for k, mode := range modes {
		us, ud, err := c.modeTable(ctx, mode, u, first)
		if err != nil {
			return nil, err
		}
		s, d := make([]float64, n*n), make([]float64, n*n)
		for i := range n {
			for j := range n {
				s[i*n+j] = us[ids[i]*m+ids[j]]
				d[i*n+j] = ud[ids[i]*m+ids[j]]
			}
		}
		seconds[k], metres[k] = s, d
	}
	return &Matrix{Locations: locs, Modes: modes, seconds: seconds, metres: metres}, nil
}

// modeTable returns the m×m tables of mode over the distinct locations u;
// first[i] is the index in the caller's locations of u[i], for errors.
func (c *CachedTable) modeTable(ctx context.Context, mode care.TravelMode, u []care.Location, first []int) (secs, dist []float64, err error) {
	m := len(u)
	secs, dist = make([]float64, m*m), make([]float64, m*m)
	known := make([]bool, m*m)
	c.mu.Lock()
	mk := c.modeID(mode) << 56
	ids := make([]uint64, m)
	for i, l := range u {
		ids[i] = c.placeID(l)
	}
	for i := range m {
		for j := range m {
			if i == j {
				known[i*m+j] = true
				continue
			}
			if v, ok := c.cells[mk|ids[i]<<28|ids[j]]; ok {
				secs[i*m+j], dist[i*m+j], known[i*m+j] = v.seconds, v.metres, true
			}
		}
	}
	c.mu.Unlock()

	type block struct{ r0, r1, c0, c1 int }
	var todo []block
	b := max(c.blockSize(m), 1)
	for r0 := 0; r0 < m; r0 += b {
		for c0 := 0; c0 < m; c0 += b {
			bl := block{r0, min(r0+b, m), c0, min(c0+b, m)}
			if missing(known, m, bl.r0, bl.r1, bl.c0, bl.c1) {
				todo = append(todo, bl)
			}
		}
	}
	workers := min(max(c.Concurrency, 1), len(todo))
	if workers <= 1 {
		for _, bl := range todo {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			if err := c.fetchBlock(ctx, mode, u, first, mk, ids, bl.r0, bl.r1, bl.c0, bl.c1, secs, dist); err != nil {
				return nil, nil, err
			}
		}
		return secs, dist, nil
	}
	// Blocks write disjoint parts of secs and dist; the cache has its lock.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan block)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for bl := range next {
				if errs[w] != nil {
					continue
				}
				if err := c.fetchBlock(ctx, mode, u, first, mk, ids, bl.r0, bl.r1, bl.c0, bl.c1, secs, dist); err != nil {
					errs[w] = err
					cancel()
				}
			}
		})
	}
	for _, bl := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- bl
	}
	close(next)
	wg.Wait()
	// Prefer the error that caused the cancellation over the cancellations it caused.
	var ctxErr error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if errors.Is(err, context.Canceled) && ctxErr == nil {
			ctxErr = err
			continue
		}
		if !errors.Is(err, context.Canceled) {
			return nil, nil, err
		}
	}
	if ctxErr != nil {
		return nil, nil, ctxErr
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return secs, dist, nil
}

func missing(known []bool, m, r0, r1, c0, c1 int) bool {
	for i := r0; i < r1; i++ {
		for j := c0; j < c1; j++ {
			if !known[i*m+j] {
				return true
			}
		}
	}
	return false
}

// fetchBlock fetches rows [r0,r1) by columns [c0,c1), stores them in secs,
// dist and the cache, and reports the first unreachable or invalid pair.
func (c *CachedTable) fetchBlock(ctx context.Context, mode care.TravelMode, u []care.Location, first []int, mk uint64, ids []uint64,
	r0, r1, c0, c1 int, secs, dist []float64) error {
	m := len(u)
	rows, cols := r1-r0, c1-c0
	s, d, err := c.fetch(ctx, mode, u[r0:r1], u[c0:c1])
	if err != nil {
		return fmt.Errorf("travel mode %s: locations %d-%d to %d-%d: %w", mode, r0, r1-1, c0, c1-1, err)
	}
	if len(s) != rows*cols || len(d) != rows*cols {
		return fmt.Errorf("travel mode %s: %d durations and %d distances for a %d×%d block", mode, len(s), len(d), rows, cols)
	}
	var bad error
	c.mu.Lock()
	defer c.mu.Unlock()
	for bi := range rows {
		for bj := range cols {
			i, j := r0+bi, c0+bj
			sv, dv := s[bi*cols+bj], d[bi*cols+bj]
			if i == j {
				continue
			}
			if math.IsNaN(sv) || math.IsNaN(dv) {
				if bad == nil {
					bad = &UnreachableError{Mode: mode, From: first[i], To: first[j]}
				}
				continue
			}
			if math.IsInf(sv, 0) || math.IsInf(dv, 0) || sv < 0 || dv < 0 {
				if bad == nil {
					bad = fmt.Errorf("travel mode %s: from location %d to location %d: duration %v s, distance %v m: want finite non-negative numbers",
						mode, first[i], first[j], sv, dv)
				}
				continue
			}
			secs[i*m+j], dist[i*m+j] = sv, dv
			c.cells[mk|ids[i]<<28|ids[j]] = cell{sv, dv}
		}
	}
	return bad
}
