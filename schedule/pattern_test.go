package schedule

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	return loc
}

func dailyPattern() Pattern {
	return Pattern{
		ID: "p1",
		Visit: Visit{ServiceUser: "su1", Duration: Minutes(30), Kind: PersonalCare,
			Skills: []care.Skill{care.SkillPersonalCare}, Preferred: []care.WorkerID{"w1"}},
		RRule:    "FREQ=DAILY",
		Start:    "2026-03-23T08:00",
		TimeZone: "Europe/London",
		Before:   Minutes(15),
		After:    Minutes(30),
	}
}

func starts(t testing.TB, vs []Visit, before Duration) []time.Time {
	t.Helper()
	out := make([]time.Time, len(vs))
	for i, v := range vs {
		require.Len(t, v.Windows, 1)
		out[i] = v.Windows[0].Earliest.Add(before.Std())
	}
	return out
}

func TestPatternKeepsLocalTimeAcrossDST(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	for _, day := range []struct {
		name     string
		from     time.Time
		utcHours []int // UTC hour of the 08:00 local start on the days before, of, and after the change
	}{
		{"spring forward 29 March", time.Date(2026, 3, 28, 0, 0, 0, 0, loc), []int{8, 7, 7}},
		{"fall back 25 October", time.Date(2026, 10, 24, 0, 0, 0, 0, loc), []int{7, 8, 8}},
	} {
		t.Run(day.name, func(t *testing.T) {
			vs, err := p.Expand(day.from, day.from.AddDate(0, 0, 3))
			require.NoError(t, err)
			require.Len(t, vs, 3)
			for i, s := range starts(t, vs, p.Before) {
				local := s.In(loc)
				assert.Equal(t, 8, local.Hour(), "local start on %s", local.Format(time.DateOnly))
				assert.Equal(t, 0, local.Minute())
				assert.Equal(t, day.utcHours[i], s.UTC().Hour(), "UTC hour on %s", local.Format(time.DateOnly))
				assert.Equal(t, VisitID("p1@"+local.Format("2006-01-02")+"T08:00"), vs[i].ID)
				assert.Equal(t, s.Add(-15*time.Minute), vs[i].Windows[0].Earliest)
				assert.Equal(t, s.Add(30*time.Minute), vs[i].Windows[0].Latest)
			}
		})
	}
}

func TestPatternWeeklyByDay(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	p.RRule = "FREQ=WEEKLY;BYDAY=MO,WE,FR"
	vs, err := p.Expand(time.Date(2026, 3, 23, 0, 0, 0, 0, loc), time.Date(2026, 4, 6, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	var ids []VisitID
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []VisitID{"p1@2026-03-23T08:00", "p1@2026-03-25T08:00", "p1@2026-03-27T08:00",
		"p1@2026-03-30T08:00", "p1@2026-04-01T08:00", "p1@2026-04-03T08:00"}, ids)
	// Good Friday 3 April 2026 is kept by default.
	assert.Equal(t, 8, vs[5].Windows[0].Earliest.Add(15*time.Minute).In(loc).Hour())
}

func TestPatternExpandIsHalfOpenAndCopiesTemplate(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	from := time.Date(2026, 3, 24, 8, 0, 0, 0, loc) // exactly an occurrence: included
	to := time.Date(2026, 3, 26, 8, 0, 0, 0, loc)   // exactly an occurrence: excluded
	vs, err := p.Expand(from, to)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, VisitID("p1@2026-03-24T08:00"), vs[0].ID)
	vs[0].Skills[0] = "changed"
	vs[0].Preferred[0] = "w9"
	assert.Equal(t, care.SkillPersonalCare, p.Visit.Skills[0], "template not aliased")
	assert.Equal(t, care.SkillPersonalCare, vs[1].Skills[0], "occurrences not aliased")
	assert.Equal(t, care.WorkerID("w1"), p.Visit.Preferred[0])

	// Before the first occurrence nothing exists.
	vs, err = p.Expand(time.Date(2026, 3, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 23, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Empty(t, vs)
	vs, err = p.Expand(to, from)
	require.NoError(t, err)
	assert.Empty(t, vs)
}

func TestPatternBankHolidays(t *testing.T) {
	loc := london(t)
	from := time.Date(2026, 12, 21, 0, 0, 0, 0, loc)
	to := time.Date(2027, 1, 5, 0, 0, 0, 0, loc)
	ids := func(p Pattern) map[VisitID]bool {
		vs, err := p.Expand(from, to)
		require.NoError(t, err)
		m := map[VisitID]bool{}
		for _, v := range vs {
			m[v.ID] = true
		}
		return m
	}
	p := dailyPattern()
	p.Start = "2026-12-01T08:00"

	kept := ids(p)
	assert.Len(t, kept, 15)
	assert.True(t, kept["p1@2026-12-25T08:00"])
	assert.True(t, kept["p1@2026-12-28T08:00"])

	p.BankHolidays = KeepOnBankHolidays
	assert.Equal(t, kept, ids(p))

	p.BankHolidays = SkipBankHolidays
	skipped := ids(p)
	assert.False(t, skipped["p1@2026-12-25T08:00"], "Christmas Day, Friday")
	assert.False(t, skipped["p1@2026-12-28T08:00"], "Boxing Day substitute, Monday 28 December")
	assert.True(t, skipped["p1@2026-12-26T08:00"], "Saturday 26 December is not itself a bank holiday in 2026")
	assert.False(t, skipped["p1@2027-01-01T08:00"], "New Year's Day")
	assert.True(t, skipped["p1@2027-01-04T08:00"])
	assert.Len(t, skipped, 12)

	// Scotland also keeps 2 January; in 2027 it is a Saturday, so its substitute is Monday 4 January.
	p.Region = Scotland
	scot := ids(p)
	assert.False(t, scot["p1@2027-01-04T08:00"], "2nd January substitute in Scotland")
	assert.True(t, scot["p1@2027-01-02T08:00"])
}

func TestPatternRegionsDiffer(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	p.Start = "2026-01-01T08:00"
	p.BankHolidays = SkipBankHolidays
	has := func(r Region, date string) bool {
		p.Region = r
		d, err := time.ParseInLocation(time.DateOnly, date, loc)
		require.NoError(t, err)
		vs, err := p.Expand(d, d.AddDate(0, 0, 1))
		require.NoError(t, err)
		return len(vs) == 1
	}
	// 17 March 2026 (Tuesday): St Patrick's Day, Northern Ireland only.
	assert.True(t, has(EnglandWales, "2026-03-17"))
	assert.False(t, has(NorthernIreland, "2026-03-17"))
	// 13 July 2026 (Monday): Battle of the Boyne substitute for Sunday 12 July, Northern Ireland only.
	assert.False(t, has(NorthernIreland, "2026-07-13"))
	assert.True(t, has(EnglandWales, "2026-07-13"))
	// Easter Monday 6 April 2026: not a bank holiday in Scotland.
	assert.False(t, has(EnglandWales, "2026-04-06"))
	assert.True(t, has(Scotland, "2026-04-06"))
	// 3 August 2026: Scottish summer bank holiday; 31 August 2026 the English one.
	assert.False(t, has(Scotland, "2026-08-03"))
	assert.True(t, has(EnglandWales, "2026-08-03"))
	assert.False(t, has(EnglandWales, "2026-08-31"))
	assert.True(t, has(Scotland, "2026-08-31"))
	// St Andrew's Day, Monday 30 November 2026: Scotland only.
	assert.False(t, has(Scotland, "2026-11-30"))
	assert.True(t, has(EnglandWales, "2026-11-30"))
}

func TestPatternNonexistentAndAmbiguousLocalTimes(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	p.Start = "2026-03-27T01:30"
	p.Before, p.After = 0, 0
	vs, err := p.Expand(time.Date(2026, 3, 27, 0, 0, 0, 0, loc), time.Date(2026, 3, 31, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	require.Len(t, vs, 4)
	gap := vs[2]
	assert.Equal(t, VisitID("p1@2026-03-29T01:30"), gap.ID, "the ID keeps the rule's wall-clock time")
	s := gap.Windows[0].Earliest
	assert.Equal(t, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), s.UTC(), "01:30 read with the GMT offset in force before the gap")
	assert.Equal(t, "02:30", s.In(loc).Format("15:04"))
	assert.Equal(t, "01:30", vs[3].Windows[0].Earliest.In(loc).Format("15:04"), "the next day is back to 01:30 BST")

	// 01:30 on 25 October happens twice: the first (BST, 00:30 UTC) is used.
	p.Start = "2026-10-25T01:30"
	vs, err = p.Expand(time.Date(2026, 10, 25, 0, 0, 0, 0, loc), time.Date(2026, 10, 26, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), vs[0].Windows[0].Earliest.UTC())
}

func TestPatternTargetPenalty(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	p.PenaltyPerMinute = 2
	vs, err := p.Expand(time.Date(2026, 3, 23, 0, 0, 0, 0, loc), time.Date(2026, 3, 24, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	require.Len(t, vs, 1)
	w := vs[0].Windows[0]
	require.NotNil(t, w.Target)
	assert.Equal(t, "08:00", w.Target.In(loc).Format("15:04"))
	assert.Equal(t, 2.0, w.PenaltyPerMinute)
	require.NoError(t, w.Validate())
}

func TestPatternCountAndUntil(t *testing.T) {
	loc := london(t)
	p := dailyPattern()
	p.RRule = "FREQ=DAILY;COUNT=3"
	vs, err := p.Expand(time.Date(2026, 3, 1, 0, 0, 0, 0, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Len(t, vs, 3)
	p.RRule = "FREQ=DAILY;UNTIL=20260330T080000"
	vs, err = p.Expand(time.Date(2026, 3, 1, 0, 0, 0, 0, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Len(t, vs, 8, "23 to 30 March inclusive; UNTIL is local wall-clock")
}

func TestPatternValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Pattern)
		field  string
		want   string
	}{
		{"bad rrule", func(p *Pattern) { p.RRule = "FREQ=FORTNIGHTLY" }, "rrule", "invalid RRULE"},
		{"rrule garbage", func(p *Pattern) { p.RRule = "every monday" }, "rrule", "invalid RRULE"},
		{"empty rrule", func(p *Pattern) { p.RRule = "" }, "rrule", "required"},
		{"dtstart in rrule", func(p *Pattern) { p.RRule = "DTSTART=20260101T080000;FREQ=DAILY" }, "rrule", "DTSTART"},
		{"minutely", func(p *Pattern) { p.RRule = "FREQ=MINUTELY" }, "rrule", "finer"},
		{"bysecond", func(p *Pattern) { p.RRule = "FREQ=DAILY;BYSECOND=5" }, "rrule", "BYSECOND"},
		{"bad start", func(p *Pattern) { p.Start = "2026-03-23 08:00:00" }, "start", "wall-clock"},
		{"start with offset", func(p *Pattern) { p.Start = "2026-03-23T08:00+01:00" }, "start", "wall-clock"},
		{"unknown zone", func(p *Pattern) { p.TimeZone = "Mars/Olympus" }, "time_zone", `"Mars/Olympus"`},
		{"missing zone", func(p *Pattern) { p.TimeZone = "" }, "time_zone", "required"},
		{"negative before", func(p *Pattern) { p.Before = -Minutes(1) }, "before", "negative"},
		{"bank holiday rule", func(p *Pattern) { p.BankHolidays = "sometimes" }, "bank_holidays", `"sometimes"`},
		{"region", func(p *Pattern) { p.Region = "wessex" }, "region", `"wessex"`},
		{"template duration", func(p *Pattern) { p.Visit.Duration = 0 }, "visit.duration", "positive"},
		{"template carers", func(p *Pattern) { p.Visit.Carers = 4 }, "visit.carers", "1 or 2"},
		{"bad id", func(p *Pattern) { p.ID = "" }, "id", "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := dailyPattern()
			tc.mutate(&p)
			err := p.Validate()
			requireFieldError(t, err, kindPattern, string(p.ID), tc.field, tc.want)
			_, err2 := p.Expand(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
			require.Error(t, err2, "Expand validates first")
		})
	}
	good := dailyPattern()
	require.NoError(t, good.Validate())
}

func TestPatternJSON(t *testing.T) {
	p := dailyPattern()
	p.BankHolidays = SkipBankHolidays
	p.Region = Scotland
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"rrule":"FREQ=DAILY"`)
	assert.Contains(t, string(b), `"before":900`)
	var got Pattern
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, p, got)
}

func TestPatternTooManyOccurrences(t *testing.T) {
	p := dailyPattern()
	p.RRule = "FREQ=HOURLY"
	p.Start = "2000-01-01T00:00"
	_, err := p.Expand(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	requireFieldError(t, err, kindPattern, "p1", "rrule", "more than")
}

// depsOf returns each visit's dependency targets, by visit ID.
func depsOf(vs []Visit) map[VisitID][]VisitID {
	out := map[VisitID][]VisitID{}
	for _, v := range vs {
		for _, d := range v.Dependencies {
			out[v.ID] = append(out[v.ID], d.Visit)
		}
	}
	return out
}

func TestExpandAllLinksDependenciesBetweenPatterns(t *testing.T) {
	loc := london(t)
	am := dailyPattern()
	am.ID = "am"
	// Not on Good Friday, 3 April 2026.
	am.BankHolidays = SkipBankHolidays
	meds := dailyPattern()
	meds.ID = "meds"
	meds.Start = "2026-03-23T12:00"
	meds.Visit.Kind = Medication
	meds.Visit.Dependencies = []Dependency{
		{Visit: "am", MinGap: Minutes(240), MaxGap: Minutes(300), Worker: DifferentWorker},
		{Visit: "gp-review"}, // a concrete visit, kept as it is
	}
	from := time.Date(2026, 3, 28, 0, 0, 0, 0, loc) // across the clocks going forward on 29 March
	to := time.Date(2026, 4, 4, 0, 0, 0, 0, loc)
	vs, err := ExpandAll([]Pattern{am, meds}, from, to)
	require.NoError(t, err)
	require.Len(t, vs, 6+7, "am skips Good Friday")

	deps := depsOf(vs)
	for _, v := range vs[6:] {
		date := v.Windows[0].Earliest.In(loc).Format(time.DateOnly)
		if date == "2026-04-03" {
			assert.Equal(t, []VisitID{"gp-review"}, deps[v.ID], "no morning visit on Good Friday: the link is left out")
			continue
		}
		assert.Equal(t, []VisitID{VisitID("am@" + date + "T08:00"), "gp-review"}, deps[v.ID], "visit %s", v.ID)
		assert.Equal(t, Minutes(240), v.Dependencies[0].MinGap, "gaps and worker relation kept")
		assert.Equal(t, DifferentWorker, v.Dependencies[0].Worker)
	}
	for _, v := range vs[:6] {
		assert.Empty(t, v.Dependencies, "visit %s", v.ID)
	}
	// The template is untouched.
	assert.Equal(t, VisitID("am"), meds.Visit.Dependencies[0].Visit)

	// The linked visits make a valid problem (every dependency names a visit in it).
	p := &Problem{Name: "linked", Start: from, End: to, TimeZone: "Europe/London",
		ServiceUsers: []care.ServiceUser{{ID: "su1", Location: care.NewLocation(51.45, -0.97)}}}
	for _, v := range vs {
		v.Dependencies = slices.DeleteFunc(v.Dependencies, func(d Dependency) bool { return d.Visit == "gp-review" })
		p.Visits = append(p.Visits, v)
	}
	p.Workers = []care.Worker{{ID: "w1", Role: care.RoleCareWorker, Home: &p.ServiceUsers[0].Location, TravelMode: care.Car}}
	require.NoError(t, p.Validate())
}

func TestExpandLinksASelfDependencyToThePreviousOccurrenceThatDay(t *testing.T) {
	loc := london(t)
	pt := dailyPattern()
	pt.ID = "qds"
	pt.RRule = "FREQ=DAILY;BYHOUR=8,12,16"
	pt.Visit.Dependencies = []Dependency{{Visit: "qds", MinGap: Minutes(210)}}
	vs, err := pt.Expand(time.Date(2026, 3, 29, 0, 0, 0, 0, loc), time.Date(2026, 3, 31, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	require.Len(t, vs, 6)
	deps := depsOf(vs)
	for _, day := range []string{"2026-03-29", "2026-03-30"} {
		assert.Empty(t, deps[VisitID("qds@"+day+"T08:00")], "the first dose of the day follows none")
		assert.Equal(t, []VisitID{VisitID("qds@" + day + "T08:00")}, deps[VisitID("qds@"+day+"T12:00")])
		assert.Equal(t, []VisitID{VisitID("qds@" + day + "T12:00")}, deps[VisitID("qds@"+day+"T16:00")])
	}
	// Same start from a different pattern counts ("at or before").
	other := dailyPattern()
	other.ID = "other"
	other.Visit.Dependencies = []Dependency{{Visit: "qds"}}
	vs, err = ExpandAll([]Pattern{pt, other}, time.Date(2026, 3, 30, 0, 0, 0, 0, loc), time.Date(2026, 3, 31, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Equal(t, []VisitID{"qds@2026-03-30T08:00"}, depsOf(vs)["other@2026-03-30T08:00"])
}

func TestExpandAllErrors(t *testing.T) {
	a, b := dailyPattern(), dailyPattern()
	b.RRule = "FREQ=SOMETIMES"
	at := time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC)
	_, err := ExpandAll([]Pattern{a, b}, at, at.Add(time.Hour))
	requireFieldError(t, err, kindPattern, "p1", "id", "duplicate pattern id")
	requireFieldError(t, err, kindPattern, "p1", "rrule")
}
