package week

import (
	"testing"

	"github.com/carecoord/care"
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

func TestWorkerRecords(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	w, err := Build(p, 1)
	require.NoError(t, err)
	require.Len(t, w.Workers, len(p.Workers))
	oldSupervision, lapsedMeds := 0, 0
	for i, r := range w.Workers {
		assert.Equal(t, p.Workers[i].ID, r.Worker)
		require.Len(t, r.Supervisions, 1)
		if r.Supervisions[0].Before(p.Start.AddDate(0, -3, 0)) {
			oldSupervision++
		}
		hasMeds := false
		for _, q := range p.Workers[i].Qualifications {
			hasMeds = hasMeds || q.Skill == care.SkillMedication
		}
		assert.Equal(t, hasMeds, len(r.MedicinesCompetence) == 1, "worker %s", r.Worker)
		if hasMeds && r.MedicinesCompetence[0].Before(p.Start.AddDate(-1, 0, 0)) {
			lapsedMeds++
		}
		for _, su := range r.KnownTo {
			u, ok := p.ServiceUser(su)
			require.True(t, ok)
			assert.Contains(t, u.Preferences.PreferredWorkers, r.Worker)
		}
	}
	assert.Equal(t, 1, oldSupervision, "one worker overdue for supervision")
	assert.Equal(t, 1, lapsedMeds, "one lapsed medicines competence")

	hoist := map[care.ServiceUserID]bool{}
	for _, v := range p.Visits {
		if v.Carers == 2 {
			hoist[v.ServiceUser] = true
		}
	}
	require.Len(t, w.Equipment, len(hoist))
	for _, e := range w.Equipment {
		assert.True(t, hoist[e.ServiceUser], e.ID)
		assert.True(t, e.LastExamined.After(p.Start.AddDate(0, -6, 0)), "examined within six months: %s", e.ID)
	}
}
