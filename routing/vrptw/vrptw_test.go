package vrptw

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carecoord/care/internal/benchdata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const small = "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  3         50\r\n\r\nCUSTOMER\r\n" +
	"CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n" +
	"    0      0          0          0          0       100          0   \r\n" +
	"    1      3          4         10         5        50         10   \r\n" +
	"    2      1          1         20         0        60          5   \r\n"

func TestReadInline(t *testing.T) {
	in, err := Read(strings.NewReader(small))
	require.NoError(t, err)
	assert.Equal(t, "TINY", in.Name)
	assert.Equal(t, 3, in.Vehicles)
	assert.Equal(t, 50, in.Capacity)
	require.Len(t, in.Nodes, 3)
	assert.Equal(t, Node{ID: 1, X: 3, Y: 4, Demand: 10, Ready: 5, Due: 50, Service: 10}, in.Nodes[1])
	assert.InDelta(t, 5.0, Distance(in.Nodes[0], in.Nodes[1], Exact), 1e-12)
	assert.InDelta(t, math.Sqrt2, Distance(in.Nodes[0], in.Nodes[2], Exact), 1e-12)
	assert.InDelta(t, 1.4, Distance(in.Nodes[0], in.Nodes[2], Trunc1), 1e-12)
	assert.Equal(t, int64(14), Tenths(in.Nodes[0], in.Nodes[2]))
	assert.Equal(t, int64(50), Tenths(in.Nodes[0], in.Nodes[1]))
}

func TestReadBad(t *testing.T) {
	cases := map[string]struct {
		text string
		want string
	}{
		"no fleet":     {"X\n    0 0 0 0 0 10 0\n", "no vehicle number"},
		"no nodes":     {"X\nVEHICLE\n2 10\n", "no node lines"},
		"id order":     {"X\nVEHICLE\n2 10\n0 0 0 0 0 10 0\n2 1 1 1 0 10 0\n", "line 5: node id 2"},
		"due<ready":    {"X\nVEHICLE\n2 10\n0 0 0 0 0 10 0\n1 1 1 1 20 10 0\n", "line 5: node 1: due date 10 before ready time 20"},
		"neg demand":   {"X\nVEHICLE\n2 10\n0 0 0 0 0 10 0\n1 1 1 -1 0 10 0\n", "demand -1"},
		"neg vehicles": {"X\nVEHICLE\n-2 10\n", "line 3: vehicle number -2"},
		"huge":         {"X\nVEHICLE\n2 10\n0 0 99999999999 0 0 10 0\n", "y 99999999999 out of range"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.text))
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrFormat))
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestReadRoutesInline(t *testing.T) {
	routes, err := ReadRoutes(strings.NewReader("Instance name : X\nSolution\nRoute 1 : 2 1\r\nRoute 2 : 3\n"))
	require.NoError(t, err)
	assert.Equal(t, [][]int{{2, 1}, {3}}, routes)
	_, err = ReadRoutes(strings.NewReader("Route 1 : 2 x\n"))
	require.ErrorIs(t, err, ErrFormat)
	assert.Contains(t, err.Error(), "line 1: customer 2")
	_, err = ReadRoutes(strings.NewReader("Solution\n"))
	require.ErrorIs(t, err, ErrFormat)
}

func TestReadBKSInline(t *testing.T) {
	b, err := ReadBKS(strings.NewReader("instance,convention,vehicles,distance,source\nC101,trunc1,10,827.3,\"a, b\"\nc101,double,10,828.94,x\n"))
	require.NoError(t, err)
	bk, err := b.Get("C101", Trunc1)
	require.NoError(t, err)
	assert.Equal(t, BestKnown{Instance: "c101", Convention: Trunc1, Vehicles: 10, Distance: 827.3}, bk)
	_, err = b.Get("r101", Trunc1)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = ReadBKS(strings.NewReader("instance,vehicles,distance\nc101,ten,1\n"))
	require.ErrorIs(t, err, ErrFormat)
	assert.Contains(t, err.Error(), "line 2: vehicles")
	_, err = ReadBKS(strings.NewReader("instance,convention,vehicles,distance\nc101,metric,1,1\n"))
	require.ErrorIs(t, err, ErrFormat)
}

// routeLength checks a route against the instance rules and returns its exact length.
func routeLength(t *testing.T, in *Instance, route []int) float64 {
	t.Helper()
	depot := in.Nodes[0]
	prev := depot
	clock, length := 0.0, 0.0
	load := 0
	for _, c := range route {
		require.True(t, c > 0 && c < len(in.Nodes), "customer %d", c)
		n := in.Nodes[c]
		d := Distance(prev, n, Exact)
		length += d
		clock = math.Max(clock+d, float64(n.Ready))
		require.LessOrEqual(t, clock, float64(n.Due)+1e-9, "customer %d late", c)
		clock += float64(n.Service)
		load += n.Demand
		prev = n
	}
	d := Distance(prev, depot, Exact)
	length += d
	require.LessOrEqual(t, clock+d, float64(depot.Due)+1e-9)
	require.LessOrEqual(t, load, in.Capacity)
	return length
}

func TestSolomonFiles(t *testing.T) {
	dir := benchdata.Dir(t, "solomon")
	bks, err := ReadBKSFile(filepath.Join(dir, "bks.csv"))
	require.NoError(t, err)
	dist, err := ReadBKSFile(filepath.Join(dir, "bks_distance_only.csv"))
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 56)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		in, err := ReadFile(f)
		require.NoError(t, err)
		assert.Equal(t, strings.ToUpper(name), in.Name)
		assert.Equal(t, 25, in.Vehicles)
		require.Len(t, in.Nodes, 101)
		bk, err := bks.Get(name, Exact)
		require.NoError(t, err)
		_, err = dist.Get(name, Trunc1)
		require.NoError(t, err)
		routes, err := ReadRoutesFile(filepath.Join(dir, "bks_routes", name+".txt"))
		require.NoError(t, err)
		assert.Len(t, routes, bk.Vehicles, name)
		seen := map[int]bool{}
		total := 0.0
		for _, r := range routes {
			for _, c := range r {
				assert.False(t, seen[c], "%s: customer %d twice", name, c)
				seen[c] = true
			}
			total += routeLength(t, in, r)
		}
		assert.Len(t, seen, 100, name)
		assert.InDelta(t, bk.Distance, total, 0.006, name)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(small)
	f.Add("X\nVEHICLE\n2 10\n0 0 0 0 0 10 0\n")
	f.Fuzz(func(t *testing.T, s string) {
		in, err := Read(strings.NewReader(s))
		if err == nil {
			for i, n := range in.Nodes {
				if n.ID != i {
					t.Fatalf("node %d has id %d", i, n.ID)
				}
			}
		}
		_, _ = ReadRoutes(strings.NewReader(s))
		_, _ = ReadBKS(strings.NewReader(s))
	})
}
