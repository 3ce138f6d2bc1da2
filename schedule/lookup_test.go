package schedule

import (
	"testing"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookups(t *testing.T) {
	p := fullProblem(t)
	v, ok := p.Visit("v2")
	require.True(t, ok)
	assert.Same(t, &p.Visits[1], v, "pointer into the problem, not a copy")
	_, ok = p.Visit("nope")
	assert.False(t, ok)

	w, ok := p.Worker("w2")
	require.True(t, ok)
	assert.Same(t, &p.Workers[1], w)
	_, ok = p.Worker("nope")
	assert.False(t, ok)

	u, ok := p.ServiceUser("su1")
	require.True(t, ok)
	assert.Same(t, &p.ServiceUsers[0], u)
	_, ok = p.ServiceUser("nope")
	assert.False(t, ok)

	s, ok := p.Shift("s1")
	require.True(t, ok)
	assert.Same(t, &p.Shifts[0], s)
	_, ok = p.Shift("nope")
	assert.False(t, ok)
}

func TestVisitLocation(t *testing.T) {
	p := fullProblem(t)
	l, err := p.VisitLocation(&p.Visits[0])
	require.NoError(t, err)
	assert.Equal(t, care.NewLocation(51.502, -0.142), l, "override")
	l, err = p.VisitLocation(&p.Visits[1])
	require.NoError(t, err)
	assert.Equal(t, p.ServiceUsers[1].Location, l, "service user's home")

	v := Visit{ID: "vx", ServiceUser: "ghost"}
	_, err = p.VisitLocation(&v)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), `visit "vx"`)
	assert.Contains(t, err.Error(), `"ghost"`)
}

func TestShiftPlaces(t *testing.T) {
	p := fullProblem(t)
	a, b, err := p.ShiftPlaces(&p.Shifts[0])
	require.NoError(t, err)
	assert.Equal(t, *p.Shifts[0].StartAt, a)
	assert.Equal(t, *p.Shifts[0].EndAt, b)

	s := p.Shifts[0]
	s.EndAt = nil
	a, b, err = p.ShiftPlaces(&s)
	require.NoError(t, err)
	assert.Equal(t, *p.Shifts[0].StartAt, a)
	assert.Equal(t, *p.Workers[0].Home, b, "worker's home when the shift sets no end place")

	s = p.Shifts[1] // worker w2 has no home
	s.StartAt = nil
	_, _, err = p.ShiftPlaces(&s)
	require.ErrorIs(t, err, ErrNoPlace)
	assert.Contains(t, err.Error(), `shift "s2"`)

	s.Worker = "ghost"
	_, _, err = p.ShiftPlaces(&s)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestLoc(t *testing.T) {
	p := fullProblem(t)
	loc, err := p.Loc()
	require.NoError(t, err)
	assert.Equal(t, "Europe/London", loc.String())

	p.TimeZone = "Nowhere/Special"
	_, err = p.Loc()
	var fe *care.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "time_zone", fe.Field)
	assert.Equal(t, "full", fe.ID)
	assert.ErrorIs(t, err, care.ErrInvalid)
}
