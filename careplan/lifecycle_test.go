package careplan

import (
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLifecycle(t *testing.T) {
	p := hoistPlan()
	t0 := day(2026, 4, 1)

	err := p.Transition(Active, t0, "coord")
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrTransition)
	assert.Equal(t, Draft, te.From)
	assert.Equal(t, `plan "p1": draft -> active: allowed from draft: [agreed ended]`, err.Error())

	err = p.Transition(Agreed, t0, "coord")
	require.ErrorIs(t, err, ErrTransition)
	assert.Contains(t, err.Error(), "Care Act s.25(3)")

	p.Agreement = &Agreement{By: "person", At: t0}
	p.Tasks[0].Provider = "ghost"
	err = p.Transition(Agreed, t0, "coord")
	require.ErrorIs(t, err, ErrTransition)
	require.ErrorIs(t, err, care.ErrInvalid)
	p.Tasks[0].Provider = "agency"

	require.NoError(t, p.Transition(Agreed, t0, "coord"))
	require.NoError(t, p.Transition(Active, t0.AddDate(0, 0, 2), "coord"))
	require.NotNil(t, p.Start)
	assert.Equal(t, t0.AddDate(0, 0, 2), *p.Start)

	require.NoError(t, p.Transition(UnderReview, t0.AddDate(0, 1, 0), "coord"))
	require.NoError(t, p.Transition(Active, t0.AddDate(0, 1, 1), "rev1"))
	require.Len(t, p.Reviews, 1)
	assert.Equal(t, "rev1", p.Reviews[0].By)
	assert.Nil(t, p.ReviewOpened)

	require.NoError(t, p.Transition(Ended, t0.AddDate(1, 0, 0), "coord"))
	err = p.Transition(Active, t0.AddDate(1, 0, 1), "coord")
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "final")
	assert.Empty(t, Ended.Next())
}

func TestNextReview(t *testing.T) {
	p := hoistPlan()
	_, err := p.NextReview(ReviewPolicy{})
	require.ErrorIs(t, err, ErrNotStarted)

	start := day(2026, 4, 6)
	p.Start = &start
	due, err := p.NextReview(ReviewPolicy{})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 5, 18), due.Due, "6 weeks after 6 April")
	assert.Contains(t, due.Reason, "6 weeks")

	p.Reviews = []Review{{Date: day(2026, 5, 11)}}
	due, err = p.NextReview(ReviewPolicy{})
	require.NoError(t, err)
	assert.Equal(t, day(2027, 5, 11), due.Due, "12 months after the last review")

	// A fall before the last review does not count; a hospital admission after it does.
	p.Triggers = []Trigger{{Kind: TriggerFall, At: day(2026, 5, 1)}, {Kind: TriggerHospital, At: day(2026, 9, 10)}}
	due, err = p.NextReview(ReviewPolicy{})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 9, 17), due.Due)
	require.NotNil(t, due.Trigger)
	assert.Equal(t, TriggerHospital, due.Trigger.Kind)

	due, err = p.NextReview(ReviewPolicy{OnEvent: schedule.Duration(48 * time.Hour), Months: 6})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 9, 12), due.Due)
	p.Triggers = nil
	due, err = p.NextReview(ReviewPolicy{Months: 6})
	require.NoError(t, err)
	assert.Equal(t, day(2026, 11, 11), due.Due)
}

func TestHistoryAndDiff(t *testing.T) {
	var h History
	p := hoistPlan()
	t0 := day(2026, 4, 1)
	v1, err := h.Save(p, "coord1", "first draft from assessment a1", t0)
	require.NoError(t, err)
	assert.Equal(t, 1, v1.Number)

	// Edit: evening medicine added, lunch shortened, wound care moved, befriender dropped.
	p.Tasks[3].Times = []string{"08:00", "13:00", "20:00"}
	p.Tasks[6].Days = []Day{Tuesday, Friday}
	p.Tasks = append(p.Tasks[:5], p.Tasks[6:]...)
	p.Risks = []Risk{{ID: "r1", Flag: "falls", Description: "falls risk", Level: RiskHigh, Owner: "coord1", ReviewBy: t0.AddDate(0, 1, 0)}}
	_, err = h.Save(p, "", "x", t0)
	require.ErrorIs(t, err, ErrVersion)
	_, err = h.Save(p, "coord1", "x", t0.Add(-time.Hour))
	require.ErrorIs(t, err, ErrVersion)
	v2, err := h.Save(p, "coord2", "medicines review", t0.AddDate(0, 0, 3))
	require.NoError(t, err)
	assert.Equal(t, 2, p.Version)

	// The saved version is a copy.
	p.Tasks[0].Minutes = 99
	got, ok := h.Get(1)
	require.True(t, ok)
	assert.Equal(t, 30, got.Plan.Tasks[0].Minutes)

	ch := Diff(&v1.Plan, &v2.Plan)
	var texts []string
	for _, c := range ch {
		texts = append(texts, c.Text())
	}
	assert.Contains(t, texts, `task "med": times changed from [08:00 13:00] to [08:00 13:00 20:00]`)
	assert.Contains(t, texts, `task "wound": days changed from [MO TH] to [TU FR]`)
	assert.Contains(t, texts, `task "friend" removed`)
	assert.Contains(t, texts, `risk "r1" added`)
	assert.Contains(t, texts, `visit "p1-vol-1400-WE" removed`)
	assert.Contains(t, texts, `visit "p1-agency-2000": minutes changed from 35 to 45`)
	for _, c := range ch {
		switch c.Section + "/" + c.ID {
		case "task/med":
			assert.Equal(t, care.ShareHealth, c.Category)
			assert.Equal(t, []string{"agency"}, c.Providers)
		case "risk/r1":
			assert.Equal(t, care.ShareIncidents, c.Category)
			assert.False(t, c.Sensitive)
		case "visit/p1-agency-2000":
			// When and how long is rota information; that a medicine is now given
			// there (tasks, skills, notes) is a health detail.
			if c.Field == "minutes" {
				assert.Equal(t, care.ShareRota, c.Category)
			} else {
				assert.Equal(t, care.ShareHealth, c.Category, c.Field)
			}
			assert.Contains(t, c.TaskKinds, TaskMedicines)
			assert.Contains(t, c.Decisions, ConsentMedication)
		}
	}
	assert.Empty(t, Diff(&v2.Plan, &v2.Plan))
	_, ok = h.Get(3)
	assert.False(t, ok)
}
