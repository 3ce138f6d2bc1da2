package week

import (
	"testing"

	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildSample(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	w, err := Build(p, 1)
	require.NoError(t, err)
	require.Len(t, w.People, len(p.ServiceUsers))
	require.Len(t, w.HeldBack, 1, "exactly one plan lacks consent")
	held := w.HeldBack[0]
	per, ok := w.Person(held)
	require.True(t, ok)
	assert.False(t, per.Auth.Allowed)
	require.Error(t, per.Auth.Err())
	assert.Equal(t, len(p.Visits)-per.Visits, len(w.Problem.Visits))
	for _, v := range w.Problem.Visits {
		assert.NotEqual(t, held, v.ServiceUser)
	}
	assert.Len(t, w.Full.Visits, len(p.Visits), "the loaded problem is kept whole")
	assert.Positive(t, w.PlanVisits)
	for _, per := range w.People {
		require.NotNil(t, per.Plan, per.ID)
		assert.Equal(t, per.ID != held, per.Auth.Allowed, per.ID)
	}
	again, err := Build(p, 1)
	require.NoError(t, err)
	assert.Equal(t, w.HeldBack, again.HeldBack, "deterministic from the seed")
	assert.Equal(t, w.PlanVisits, again.PlanVisits)
	other, err := Build(p, 2)
	require.NoError(t, err)
	require.Len(t, other.HeldBack, 1)
}

func TestBuildNoPeople(t *testing.T) {
	_, err := Build(nil, 1)
	assert.ErrorIs(t, err, ErrNoPeople)
}
