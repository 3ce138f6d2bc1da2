package careplan

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asMap marshals v and decodes it as generic JSON, as a FHIR server would see it.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func list(t *testing.T, m map[string]any, key string) []any {
	t.Helper()
	v, ok := m[key].([]any)
	require.True(t, ok, "%s is a list", key)
	return v
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "object expected, got %T", v)
	return m
}

// coding returns the first coding's system and code of a CodeableConcept.
func coding(t *testing.T, cc any) (string, string) {
	t.Helper()
	c := obj(t, list(t, obj(t, cc), "coding")[0])
	return c["system"].(string), c["code"].(string)
}

var (
	fhirTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$`)
	fhirDay  = map[string]bool{"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true}
)

func TestFHIRCarePlanStructure(t *testing.T) {
	_, p := draft(t, "bedbound", DraftOptions{Words: map[string]string{"home-safety": "Stay in my own home"}})
	cp, err := p.FHIRCarePlan()
	require.NoError(t, err)
	m := asMap(t, cp)
	assert.Equal(t, "CarePlan", m["resourceType"])
	assert.Equal(t, "p-bedbound", m["id"])
	assert.Equal(t, "draft", m["status"])
	assert.Equal(t, "plan", m["intent"])
	assert.Equal(t, "Patient/su-bed", obj(t, m["subject"])["reference"])
	assert.NotEmpty(t, list(t, m, "category"))
	assert.NotEmpty(t, list(t, m, "identifier"))

	// Contained resources: a Condition per need and a Goal per goal; every
	// local reference resolves to one of them, of the right type.
	contained := map[string]map[string]any{}
	for _, c := range list(t, m, "contained") {
		r := obj(t, c)
		contained["#"+r["id"].(string)] = r
	}
	resolve := func(ref any, typ string) map[string]any {
		t.Helper()
		s := obj(t, ref)["reference"].(string)
		r, ok := contained[s]
		require.True(t, ok, "reference %s resolves", s)
		assert.Equal(t, typ, r["resourceType"], s)
		return r
	}
	addr := list(t, m, "addresses")
	require.Len(t, addr, len(p.Needs))
	for _, a := range addr {
		c := resolve(a, "Condition")
		sys, code := coding(t, c["code"])
		assert.Equal(t, OutcomeSystem, sys)
		assert.NotEmpty(t, code)
		_, cat := coding(t, list(t, c, "category")[0])
		assert.Equal(t, "problem-list-item", cat)
		_, ver := coding(t, c["verificationStatus"])
		assert.Equal(t, "provisional", ver, "a draft's needs await confirmation")
		assert.Equal(t, "Patient/su-bed", obj(t, c["subject"])["reference"])
		assert.NotEmpty(t, list(t, c, "evidence"))
	}
	goals := list(t, m, "goal")
	require.Len(t, goals, 1)
	g := resolve(goals[0], "Goal")
	assert.Equal(t, "proposed", g["lifecycleStatus"])
	assert.Equal(t, "Stay in my own home", obj(t, g["description"])["text"])
	assert.Equal(t, "Patient/su-bed", obj(t, g["subject"])["reference"])
	resolve(list(t, g, "addresses")[0], "Condition")

	// Activities: one per task (kind Task) and per referral (ServiceRequest).
	acts := list(t, m, "activity")
	require.Len(t, acts, len(p.Tasks)+len(p.Referrals))
	kinds := map[string]int{}
	for _, a := range acts {
		d := obj(t, obj(t, a)["detail"])
		kinds[d["kind"].(string)]++
		assert.Equal(t, "not-started", d["status"])
		assert.NotEmpty(t, list(t, d, "performer"))
		if d["kind"] != "Task" {
			continue
		}
		sys, code := coding(t, d["code"])
		assert.Equal(t, TaskKindSystem, sys)
		tk, ok := p.Task(obj(t, d["code"])["text"].(string))
		require.True(t, ok)
		assert.Equal(t, string(tk.Kind), code)
		rep := obj(t, obj(t, d["scheduledTiming"])["repeat"])
		assert.Equal(t, float64(tk.Minutes), rep["duration"])
		assert.Equal(t, "min", rep["durationUnit"])
		if tk.Kind == TaskRepositioning {
			assert.Equal(t, 4.0, rep["period"], "at most every 4 hours")
			assert.Equal(t, "h", rep["periodUnit"])
		} else {
			tod := list(t, rep, "timeOfDay")
			require.Len(t, tod, len(tk.Times))
			for _, x := range tod {
				assert.Regexp(t, fhirTime, x)
			}
			days := list(t, rep, "dayOfWeek")
			assert.Len(t, days, 7)
			for _, x := range days {
				assert.True(t, fhirDay[x.(string)], x)
			}
		}
		for _, r := range d["reasonReference"].([]any) {
			resolve(r, "Condition")
		}
	}
	assert.Equal(t, len(p.Tasks), kinds["Task"])
	assert.Equal(t, len(p.Referrals), kinds["ServiceRequest"])
}

func TestFHIRCarePlanStatusesAndTiming(t *testing.T) {
	p := hoistPlan()
	p.Agreement = &Agreement{By: "person", At: day(2026, 4, 1)}
	require.NoError(t, p.Transition(Agreed, day(2026, 4, 1), "c1"))
	cp, err := p.FHIRCarePlan()
	require.NoError(t, err)
	assert.Equal(t, "active", cp.Status, "an agreed plan is in force")
	require.NoError(t, p.Transition(Active, day(2026, 4, 6), "c1"))
	cp, err = p.FHIRCarePlan()
	require.NoError(t, err)
	m := asMap(t, cp)
	assert.Equal(t, "2026-04-06T09:00:00+01:00", obj(t, m["period"])["start"])
	for _, a := range cp.Activity {
		assert.Equal(t, "in-progress", a.Detail.Status)
		if a.Detail.Code.Text == "wound" {
			assert.Equal(t, []string{"mon", "thu"}, a.Detail.ScheduledTiming.Repeat.DayOfWeek)
			assert.Equal(t, []string{"11:00:00"}, a.Detail.ScheduledTiming.Repeat.TimeOfDay)
			assert.Equal(t, "dn (district_nurse)", a.Detail.Performer[0].Display)
		}
	}
	require.NoError(t, p.Transition(Ended, day(2026, 9, 1), "c1"))
	cp, err = p.FHIRCarePlan()
	require.NoError(t, err)
	assert.Equal(t, "completed", cp.Status)
	assert.NotEmpty(t, cp.Period.End)

	p = hoistPlan()
	p.Tasks = append(p.Tasks, Task{ID: "feet", Kind: TaskChiropody, Provider: "dn", Times: []string{"10:00"}, Days: []Day{Friday}, EveryWeeks: 6, Minutes: 30})
	cp, err = p.FHIRCarePlan()
	require.NoError(t, err)
	last := cp.Activity[len(cp.Activity)-1].Detail.ScheduledTiming.Repeat
	assert.Equal(t, 6.0, last.Period)
	assert.Equal(t, "wk", last.PeriodUnit)
	assert.Equal(t, []string{"fri"}, last.DayOfWeek)

	p.Tasks[0].Minutes = 0
	_, err = p.FHIRCarePlan()
	assert.Error(t, err, "an invalid plan is not exported")
}

func TestFHIRConsents(t *testing.T) {
	p := hoistPlan()
	p.Tasks[1].Restrictive = true
	p.Tasks[3].Medicine.Covert = true
	cs, err := p.FHIRConsents()
	require.NoError(t, err)
	ds := p.Decisions()
	require.Len(t, cs, len(ds), "one per decision")
	for i, c := range cs {
		m := asMap(t, c)
		assert.Equal(t, "Consent", m["resourceType"])
		assert.Equal(t, "proposed", m["status"], "a draft awaits consent")
		sys, scope := coding(t, m["scope"])
		assert.Equal(t, "http://terminology.hl7.org/CodeSystem/consentscope", sys)
		cats := list(t, m, "category")
		require.Len(t, cats, 2)
		lsys, loinc := coding(t, cats[0])
		assert.Equal(t, "http://loinc.org", lsys)
		assert.Equal(t, "59284-0", loinc)
		_, cat := coding(t, cats[1])
		assert.Equal(t, string(ds[i].Category), cat)
		if ds[i].Category == ConsentSharing {
			assert.Equal(t, "patient-privacy", scope)
		} else {
			assert.Equal(t, "treatment", scope)
		}
		assert.Equal(t, "Patient/u1", obj(t, m["patient"])["reference"])
		assert.NotEmpty(t, obj(t, m["policyRule"])["text"], "ppc-1: a policy rule")
		prov := obj(t, m["provision"])
		assert.Equal(t, "permit", prov["type"])
		assert.Nil(t, m["performer"], "nobody has consented to a draft")
		var codes []string
		for _, cd := range list(t, obj(t, list(t, prov, "code")[0]), "coding") {
			codes = append(codes, obj(t, cd)["code"].(string))
		}
		switch ds[i].ID {
		case "hoist":
			assert.Contains(t, codes, "restrictive")
		case "med":
			assert.Contains(t, codes, "covert")
		default:
			assert.NotContains(t, codes, "covert")
		}
	}
	// The share-with-professionals decision exists: the district nurse and befriender deliver tasks.
	assert.Equal(t, "p1-consent-share-with-professionals", cs[len(cs)-1].ID)

	// Agreed by a health-and-welfare attorney: active, performed by the RelatedPerson.
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, london)
	p.Agreement = &Agreement{By: "c-hw", At: at}
	require.NoError(t, p.Transition(Agreed, at, "c1"))
	cs, err = p.FHIRConsents()
	require.NoError(t, err)
	for _, c := range cs {
		assert.Equal(t, "active", c.Status)
		require.Len(t, c.Performer, 1)
		assert.Equal(t, "RelatedPerson/c-hw", c.Performer[0].Reference)
		assert.Equal(t, "2026-04-01T10:00:00+01:00", c.DateTime)
	}
	require.NoError(t, p.Transition(Ended, at.AddDate(0, 1, 0), "c1"))
	cs, err = p.FHIRConsents()
	require.NoError(t, err)
	assert.Equal(t, "inactive", cs[0].Status)
}
