package careplan

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care/schedule"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullPlan is a plan with every part filled: drafted from the hip-fracture
// assessment, then funded, agreed, started, reviewed and given triggers.
func fullPlan(t *testing.T) *Plan {
	t.Helper()
	_, p := draft(t, "hip", DraftOptions{Words: map[string]string{"home-safety": "Walk to the shop again"}})
	due := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	p.Goals[0].Target, p.Goals[0].Due = "walks to the corner shop with a frame", &due
	p.WindowMinutes, p.ShortVisitsAgreed, p.MissedVisitResponse = 45, true, "call the person and the on-call coordinator within 30 minutes"
	p.Practitioners = append(p.Practitioners, Practitioner{ID: "nurse", Kind: DistrictNurse, Contact: "c-dn", Scheduled: true, Role: "nurse"})
	p.Tasks = append(p.Tasks, Task{ID: "t-levo", Kind: TaskMedicines, Provider: "agency", Times: []string{"07:00", "13:00", "19:00"},
		Minutes: 10, Medicine: &Medicine{Medicine: "med-7", Level: Administering, TimeCritical: true, ToleranceMinutes: 15, MinIntervalHours: 4},
		Evidence: []Evidence{{Source: "coordinator", Note: "prescription record"}}},
		Task{ID: "t-feet", Kind: TaskChiropody, Provider: "nurse", Times: []string{"10:00"}, Days: []Day{Friday}, EveryWeeks: 6, Minutes: 30})
	p.Funding = Funding{
		Funders:   []Funder{{ID: "la", Kind: LocalAuthority, Covers: []TaskKind{TaskPersonalCare, TaskTransfer}, WeeklyCap: 30000}, {ID: "self", Kind: SelfFunded}, {ID: "chc", Kind: NHSCHC, Covers: []TaskKind{TaskNursing}}},
		RateCards: []RateCard{{Provider: "agency", PerHour: 2600, SecondCarerPerHour: 2400, MinimumMinutes: 30, DayStart: "07:00", DayEnd: "20:00", UnsocialPercent: 20, WeekendPercent: 25}},
	}
	at := time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC)
	p.Agreement = &Agreement{By: "person", At: at}
	require.NoError(t, p.Transition(Agreed, at, "coord"))
	require.NoError(t, p.Transition(Active, at.AddDate(0, 0, 1), "coord"))
	p.Triggers = []Trigger{{Kind: TriggerFall, At: at.AddDate(0, 0, 20), Ref: "inc-3"}}
	require.NoError(t, p.Transition(UnderReview, at.AddDate(0, 0, 21), "coord"))
	p.Reviews = append(p.Reviews, Review{Date: at.AddDate(0, 0, 22), By: "coord", Outcome: "second carer kept for transfers"})
	done := at.AddDate(0, 0, 2)
	p.Risks[0].Escalation = &Escalation{To: "GP", Due: at.AddDate(0, 0, 1), Done: &done}
	p.Referrals[0].Made = &done
	require.NoError(t, p.Validate())
	return p
}

func TestPlanJSONRoundTrip(t *testing.T) {
	p := fullPlan(t)
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	var back Plan
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, *p, back)
	require.NoError(t, back.Validate())
	// What derives from it derives the same.
	v1, err := p.Visits()
	require.NoError(t, err)
	v2, err := back.Visits()
	require.NoError(t, err)
	assert.Equal(t, v1, v2)
	assert.Empty(t, Diff(p, &back))
	// Field names are the documented snake_case ones.
	for _, k := range []string{`"service_user":"su-hip"`, `"short_visits_agreed":true`, `"time_critical":true`,
		`"weekly_cap":30000`, `"review_opened":`, `"every_weeks":6`, `"referrals":`} {
		assert.Contains(t, string(raw), k)
	}
	// A history of versions survives too.
	var h History
	_, err = h.Save(p, "coord", "agreed", p.Agreement.At)
	require.NoError(t, err)
	hr, err := json.Marshal(h)
	require.NoError(t, err)
	var hb History
	require.NoError(t, json.Unmarshal(hr, &hb))
	assert.Equal(t, h, hb)
}

func TestReviewPolicyJSONInSeconds(t *testing.T) {
	raw, err := json.Marshal(DefaultReviewPolicy())
	require.NoError(t, err)
	assert.JSONEq(t, `{"first": 3628800, "months": 12, "on_event": 604800}`, string(raw), "6 weeks and 7 days in whole seconds")
	var rp ReviewPolicy
	require.NoError(t, json.Unmarshal([]byte(`{"first": 4233600, "months": 6, "on_event": 172800}`), &rp))
	assert.Equal(t, ReviewPolicy{First: schedule.Duration(7 * 7 * 24 * time.Hour), Months: 6, OnEvent: schedule.Duration(48 * time.Hour)}, rp)
	err = json.Unmarshal([]byte(`{"first": "6w"}`), &rp)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "whole number of seconds"), err.Error())
	// The decoded policy drives NextReview: first review 7 weeks after the start.
	p := hoistPlan()
	start := day(2026, 4, 1)
	p.Start = &start
	due, err := p.NextReview(rp)
	require.NoError(t, err)
	assert.Equal(t, start.Add(7*7*24*time.Hour), due.Due)
}
