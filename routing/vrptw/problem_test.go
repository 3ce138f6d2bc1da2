package vrptw

import (
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProblemConversion(t *testing.T) {
	in, err := Read(strings.NewReader(small))
	require.NoError(t, err)
	p, err := Problem(in, Trunc1, DistanceOnly)
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.Equal(t, "TINY", p.Name)
	assert.Equal(t, schedule.Travel{Model: schedule.Euclidean, TimePerUnit: schedule.Minutes(1), Rounding: schedule.Trunc1}, p.Travel)
	// Three vehicles: one worker and one shift each, 0..100 minutes at the depot, capacity 50.
	require.Len(t, p.Shifts, 3)
	require.Len(t, p.Workers, 3)
	for k, s := range p.Shifts {
		assert.Equal(t, ShiftID(k), s.ID)
		assert.Equal(t, WorkerID(k), s.Worker)
		assert.Equal(t, BaseDate, s.Start)
		assert.Equal(t, BaseDate.Add(100*time.Minute), s.End)
		assert.Equal(t, int64(50), s.Capacity)
		assert.Equal(t, care.Location{0, 0}, *p.Workers[k].Home)
	}
	// Customer 1 at (3,4): ready 5, due 50, service 10, demand 10.
	require.Len(t, p.Visits, 2)
	v := p.Visits[0]
	assert.Equal(t, schedule.VisitID("c1"), v.ID)
	assert.Equal(t, []schedule.Window{{Earliest: BaseDate.Add(5 * time.Minute), Latest: BaseDate.Add(50 * time.Minute)}}, v.Windows)
	assert.Equal(t, schedule.Minutes(10), v.Duration)
	assert.Equal(t, int64(10), v.Load)
	assert.Equal(t, care.Location{3, 4}, p.ServiceUsers[0].Location)
	// Distance objective: 1 per unit, no shift weight; unassigned = 100 × (2 × 5 + 1).
	assert.Equal(t, schedule.Weights{Distance: 1, Unassigned: 1100}, p.Weights)

	h, err := Problem(in, Exact, Hierarchical)
	require.NoError(t, err)
	assert.Equal(t, schedule.Exact, h.Travel.Rounding)
	assert.Equal(t, HierarchicalShiftWeight, h.Weights.Shift)
	assert.InDelta(t, 100*(HierarchicalShiftWeight+11), h.Weights.Unassigned, 1e-6)
}

func TestProblemErrors(t *testing.T) {
	in, err := Read(strings.NewReader(small))
	require.NoError(t, err)
	_, err = Problem(nil, Exact, Hierarchical)
	require.ErrorIs(t, err, ErrFormat)
	_, err = Problem(in, Convention(7), Hierarchical)
	require.ErrorIs(t, err, ErrFormat)
	_, err = Problem(in, Exact, Objective(9))
	require.ErrorIs(t, err, ErrFormat)
	zero := *in
	zero.Nodes = append([]Node{}, in.Nodes...)
	zero.Nodes[2].Service = 0
	_, err = Problem(&zero, Exact, Hierarchical)
	require.ErrorIs(t, err, ErrFormat)
	assert.Contains(t, err.Error(), "customer 2")
	none := *in
	none.Vehicles = 0
	_, err = Problem(&none, Exact, Hierarchical)
	require.ErrorIs(t, err, ErrFormat)
	_, err = ParseObjective("fast")
	require.ErrorIs(t, err, ErrFormat)
	o, err := ParseObjective(DistanceOnly.String())
	require.NoError(t, err)
	assert.Equal(t, DistanceOnly, o)
}

func TestRotaFromRoutes(t *testing.T) {
	in, err := Read(strings.NewReader(small))
	require.NoError(t, err)
	p, err := Problem(in, Exact, Hierarchical)
	require.NoError(t, err)
	r, err := Rota(p, [][]int{{2}})
	require.NoError(t, err)
	require.Len(t, r.Routes, 1)
	assert.Equal(t, schedule.Route{Worker: "v1", Shift: "v1", Visits: []schedule.VisitID{"c2"}}, r.Routes[0])
	assert.Equal(t, []schedule.Assignment{{Visit: "c2", Workers: []care.WorkerID{"v1"}}}, r.Assignments)
	assert.Equal(t, []schedule.Unassigned{{Visit: "c1", Reason: schedule.NotWorthIt}}, r.Unassigned)
	_, err = Rota(p, [][]int{{9}})
	require.ErrorIs(t, err, ErrFormat)
	_, err = Rota(p, [][]int{{1}, {2}, {}, {}})
	require.ErrorIs(t, err, ErrFormat)
}
