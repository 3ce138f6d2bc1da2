package careplan

import (
	"errors"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func visitAt(t *testing.T, vs []Visit, provider, tm string) Visit {
	t.Helper()
	for _, v := range vs {
		if v.Provider == provider && v.Time == tm {
			return v
		}
	}
	t.Fatalf("no visit of %s at %s", provider, tm)
	return Visit{}
}

func TestVisitsFromTasks(t *testing.T) {
	p := hoistPlan()
	vs, err := p.Visits()
	require.NoError(t, err)
	require.Len(t, vs, 5) // agency 08:00, 13:00, 20:00; dn 11:00; vol 14:00

	am := visitAt(t, vs, "agency", "08:00")
	assert.Equal(t, 55, am.Minutes) // 30 wash + 15 hoist + 10 med
	assert.Equal(t, 2, am.Carers)
	assert.Equal(t, []care.Skill{care.SkillHoist, care.SkillMedication, care.SkillPersonalCare}, am.Skills)
	assert.True(t, am.TimeCritical)
	assert.Equal(t, 30, am.Before)
	assert.Equal(t, 30, am.After)
	assert.Equal(t, schedule.PersonalCare, am.Kind)
	assert.Equal(t, Week(), am.Days)
	assert.ElementsMatch(t, []string{"wash", "hoist", "med"}, am.Tasks)

	lunch := visitAt(t, vs, "agency", "13:00")
	assert.Equal(t, 30, lunch.Minutes, "10+10 lengthened to 30 by the NG21 rule")
	assert.Contains(t, lunch.Notes[len(lunch.Notes)-1], "lengthened from 20 to 30")
	assert.Equal(t, 1, lunch.Carers)
	assert.Equal(t, schedule.Medication, lunch.Kind)

	pm := visitAt(t, vs, "agency", "20:00")
	assert.Equal(t, 35, pm.Minutes)
	assert.Equal(t, 2, pm.Carers)
	assert.False(t, pm.TimeCritical)
	assert.Equal(t, []care.Skill{care.SkillHoist, care.SkillPersonalCare}, pm.Skills)

	dn := visitAt(t, vs, "dn", "11:00")
	assert.False(t, dn.Scheduled)
	assert.Equal(t, schedule.Nursing, dn.Kind)
	assert.Equal(t, []Day{Monday, Thursday}, dn.Days)
	assert.Equal(t, 20, dn.Minutes, "external appointments are not lengthened")

	vol := visitAt(t, vs, "vol", "14:00")
	assert.Equal(t, schedule.Befriending, vol.Kind)
	assert.InDelta(t, 1.0, vol.PerWeek(), 1e-9)
}

func TestShortVisitException(t *testing.T) {
	p := hoistPlan()
	// A lone medicines prompt at 17:00.
	p.Tasks = append(p.Tasks, Task{ID: "prompt", Kind: TaskMedicines, Provider: "agency", Times: []string{"17:00"}, Minutes: 15,
		Medicine: &Medicine{Medicine: "m2", Level: Prompting}})
	vs, err := p.Visits()
	require.NoError(t, err)
	assert.Equal(t, 30, visitAt(t, vs, "agency", "17:00").Minutes, "not agreed: lengthened")

	p.ShortVisitsAgreed = true
	vs, err = p.Visits()
	require.NoError(t, err)
	v := visitAt(t, vs, "agency", "17:00")
	assert.Equal(t, 15, v.Minutes)
	assert.True(t, v.Short)
	// Lunch (meals + administering) is not a time-limited task: still 30.
	assert.Equal(t, 30, visitAt(t, vs, "agency", "13:00").Minutes)

	// Administering is not a prompt: no exception.
	p.Tasks[len(p.Tasks)-1].Medicine.Level = Administering
	vs, err = p.Visits()
	require.NoError(t, err)
	assert.Equal(t, 30, visitAt(t, vs, "agency", "17:00").Minutes)
}

func TestRepositioningFillsGaps(t *testing.T) {
	p := hoistPlan()
	p.Tasks = append(p.Tasks, Task{ID: "turn", Kind: TaskRepositioning, Provider: "agency", Minutes: 30, Carers: 2, RepositionHours: 4})
	vs, err := p.Visits()
	require.NoError(t, err)
	var agency []Visit
	for _, v := range vs {
		if v.Provider == "agency" {
			agency = append(agency, v)
			assert.Contains(t, v.Tasks, "turn")
			assert.Equal(t, 2, v.Carers)
		}
	}
	require.Greater(t, len(agency), 3)
	// Worst-case gap (this visit early, next late) never exceeds 4 h.
	for i := range agency {
		cur, next := agency[i], agency[(i+1)%len(agency)]
		a, _ := parseClock(cur.Time)
		b, _ := parseClock(next.Time)
		if b <= a {
			b += 1440
		}
		gap := (b + next.After) - (a - cur.Before + cur.Minutes)
		assert.LessOrEqual(t, gap, 240, "gap after %s", cur.Time)
	}
	// Too short an interval for the windows is refused, naming the task.
	p.Tasks[len(p.Tasks)-1].RepositionHours = 1
	_, err = p.Visits()
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `task "turn"`)
}

func TestPatternsExpand(t *testing.T) {
	p := hoistPlan()
	pts, err := p.Patterns(day(2026, 3, 23))
	require.NoError(t, err)
	require.Len(t, pts, 4, "the district nurse is external")
	var total, double int
	for _, pt := range pts {
		vs, err := pt.Expand(day(2026, 3, 23).Add(-9*time.Hour), day(2026, 3, 30).Add(-9*time.Hour))
		require.NoError(t, err)
		total += len(vs)
		for _, v := range vs {
			if v.Carers == 2 {
				double++
			}
		}
	}
	assert.Equal(t, 7*3+1, total)
	assert.Equal(t, 14, double)
	assert.Equal(t, "FREQ=WEEKLY;BYDAY=WE", pts[3].RRule)
	assert.Equal(t, "2026-03-23T08:00", pts[0].Start)
	assert.True(t, pts[0].Visit.TimeCritical)
}

func TestValidateNamesFields(t *testing.T) {
	p := hoistPlan()
	p.Tasks[0].Provider = "nobody"
	p.Tasks[1].Times = []string{"8am"}
	p.Tasks[3].Medicine = nil
	err := p.Validate()
	require.Error(t, err)
	var fe *care.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Contains(t, err.Error(), `plan "p1": task "wash".provider: unknown practitioner "nobody"`)
	assert.Contains(t, err.Error(), `task "hoist".times[0]`)
	assert.Contains(t, err.Error(), `task "med".medicine: is required`)
}

func TestDecisionsForCompliance(t *testing.T) {
	p := hoistPlan()
	p.Tasks[3].Medicine.Covert = true
	ds := p.Decisions()
	require.Len(t, ds, len(p.Tasks)+1)
	assert.Equal(t, Decision{ID: "hoist", Category: ConsentMovingHandling}, ds[1])
	assert.Equal(t, Decision{ID: "med", Category: ConsentMedication, Covert: true}, ds[3])
	assert.Equal(t, ConsentMedicalTreatment, ds[6].Category)
	assert.Equal(t, ConsentSharing, ds[7].Category)
}
