package care

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return v
}

func dayp(t testing.TB, s string) *time.Time { v := day(t, s); return &v }

// leaves flattens a joined error into its *FieldError leaves.
func leaves(t testing.TB, err error) []*FieldError {
	t.Helper()
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *FieldError
		require.True(t, errors.As(e, &fe), "leaf %T is not a *FieldError: %v", e, e)
		out = append(out, fe)
	}
	if err != nil {
		walk(err)
	}
	return out
}

// requireField asserts that err has a FieldError of kind, id and field whose
// message contains want.
func requireField(t testing.TB, err error, kind, id, field, want string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, ErrInvalid)
	for _, fe := range leaves(t, err) {
		if fe.Kind == kind && fe.ID == id && fe.Field == field && strings.Contains(fe.Error(), want) {
			return
		}
	}
	t.Fatalf("no %s %q field %q error containing %q in:\n%v", kind, id, field, want, err)
}

func goodWorker(t testing.TB) Worker {
	return Worker{
		ID: "w1", Name: "A Name", Role: RoleCareWorker, TravelMode: Car,
		Home: &Location{-0.1, 51.5},
		Qualifications: []Qualification{
			{Skill: SkillHoist, Level: 2, Obtained: day(t, "2025-01-01"), Expires: dayp(t, "2026-01-01")},
			{Skill: SkillMedication, Obtained: day(t, "2024-01-01")},
		},
		ContractedMinutesPerWeek: 1800,
		Checks:                   EmploymentChecks{DBSDate: dayp(t, "2024-01-01"), DBSLevel: DBSEnhancedBarredList},
		Gender:                   Male,
	}
}

func goodUser() ServiceUser {
	return ServiceUser{
		ID: "su1", DisplayName: "Somebody", Location: NewLocation(51.5, -0.1),
		Preferences: Preferences{PreferredWorkers: []WorkerID{"w1"}, ExcludedWorkers: []WorkerID{"w2"}, CarerGender: Female},
		Contacts: []Contact{{
			ID: "c1", Email: "x@example.org", Professional: GP, MayShare: []ShareCategory{ShareRota},
			Powers: []PowerOfAttorney{{Type: HealthAndWelfare}},
		}},
	}
}

func TestWorkerValidate(t *testing.T) {
	w := goodWorker(t)
	require.NoError(t, w.Validate())

	cases := []struct {
		name   string
		mutate func(w *Worker)
		field  string
		want   string
	}{
		{"missing id", func(w *Worker) { w.ID = "" }, "id", "required"},
		{"control char id", func(w *Worker) { w.ID = "w\x01" }, "id", "control character"},
		{"role", func(w *Worker) { w.Role = "pilot" }, "role", `"pilot"`},
		{"travel mode", func(w *Worker) { w.TravelMode = "horse" }, "travel_mode", `"horse"`},
		{"home NaN", func(w *Worker) { w.Home = &Location{0, nan()} }, "home", "finite"},
		{"contracted minutes", func(w *Worker) { w.ContractedMinutesPerWeek = -1 }, "contracted_minutes_per_week", "outside"},
		{"prior minutes negative", func(w *Worker) { w.PriorMinutes = -5 }, "prior_minutes", "-5 outside [0, 527040]"},
		{"prior minutes above a year", func(w *Worker) { w.PriorMinutes = MaxPriorMinutes + 1 }, "prior_minutes", "527041 outside"},
		{"gender", func(w *Worker) { w.Gender = "x" }, "gender", `"x"`},
		{"dbs level", func(w *Worker) { w.Checks.DBSLevel = "super" }, "checks.dbs_level", `"super"`},
		{"dbs date", func(w *Worker) { w.Checks.DBSDate = nil }, "checks.dbs_date", "required"},
		{"qualification skill", func(w *Worker) { w.Qualifications[1].Skill = "Bad Skill" }, "qualifications[1].skill", "a-z"},
		{"qualification level", func(w *Worker) { w.Qualifications[0].Level = -1 }, "qualifications[0].level", "negative"},
		{"qualification obtained", func(w *Worker) { w.Qualifications[0].Obtained = time.Time{} }, "qualifications[0].obtained", "required"},
		{"qualification expiry", func(w *Worker) { w.Qualifications[0].Expires = dayp(t, "2024-06-01") }, "qualifications[0].expires", "2024-06-01 is not after obtained 2025-01-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := goodWorker(t)
			tc.mutate(&w)
			requireField(t, w.Validate(), "worker", string(w.ID), tc.field, tc.want)
			assert.NotContains(t, w.Validate().Error(), "A Name", "no names in errors")
		})
	}
}

func TestWorkerValidateCollectsAll(t *testing.T) {
	w := goodWorker(t)
	w.Role = "x"
	w.TravelMode = "y"
	w.Gender = "z"
	assert.Len(t, leaves(t, w.Validate()), 3)
}

func TestServiceUserValidate(t *testing.T) {
	u := goodUser()
	require.NoError(t, u.Validate())
	cases := []struct {
		name   string
		mutate func(u *ServiceUser)
		field  string
		want   string
	}{
		{"id", func(u *ServiceUser) { u.ID = " su1" }, "id", "leading or trailing space"},
		{"location", func(u *ServiceUser) { u.Location = Location{inf(), 0} }, "location", "finite"},
		{"carer gender", func(u *ServiceUser) { u.Preferences.CarerGender = "any" }, "preferences.carer_gender", `"any"`},
		{"preferred and excluded", func(u *ServiceUser) { u.Preferences.ExcludedWorkers = []WorkerID{"w1"} }, "preferences.excluded_workers[0]", "both preferred and excluded"},
		{"duplicate contact", func(u *ServiceUser) { u.Contacts = append(u.Contacts, u.Contacts[0]) }, "contacts[1].id", "duplicate contact"},
		{"contact id", func(u *ServiceUser) { u.Contacts[0].ID = "" }, "contacts[0].id", "required"},
		{"contact email", func(u *ServiceUser) { u.Contacts[0].Email = "not an email" }, "contacts[0].email", "not an email"},
		{"power type", func(u *ServiceUser) { u.Contacts[0].Powers[0].Type = "everything" }, "contacts[0].powers[0].type", `"everything"`},
		{"deputy type", func(u *ServiceUser) { u.Contacts[0].Deputy = &Deputyship{Type: "x", Appointed: day(t, "2020-01-01")} }, "contacts[0].deputy.type", `"x"`},
		{"deputy until", func(u *ServiceUser) {
			u.Contacts[0].Deputy = &Deputyship{Type: HealthAndWelfare, Appointed: day(t, "2020-01-01"), Until: dayp(t, "2019-01-01")}
		}, "contacts[0].deputy.until", "not after appointed"},
		{"professional", func(u *ServiceUser) { u.Contacts[0].Professional = "wizard" }, "contacts[0].professional", `"wizard"`},
		{"share category", func(u *ServiceUser) { u.Contacts[0].MayShare = []ShareCategory{"gossip"} }, "contacts[0].may_share[0]", `"gossip"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := goodUser()
			tc.mutate(&u)
			requireField(t, u.Validate(), "service user", string(u.ID), tc.field, tc.want)
			assert.NotContains(t, u.Validate().Error(), "Somebody", "no names in errors")
		})
	}
}

func TestHasSkillWithExpiry(t *testing.T) {
	w := goodWorker(t)
	// Hoist: obtained 2025-01-01, expires 2026-01-01 (the first instant no longer valid).
	assert.False(t, w.HasSkill(SkillHoist, day(t, "2024-12-31")), "before obtained")
	assert.True(t, w.HasSkill(SkillHoist, day(t, "2025-01-01")), "on the day obtained")
	assert.True(t, w.HasSkill(SkillHoist, day(t, "2026-01-01").Add(-time.Nanosecond)), "just before expiry")
	assert.False(t, w.HasSkill(SkillHoist, day(t, "2026-01-01")), "at expiry")
	assert.True(t, w.HasSkill(SkillMedication, day(t, "2040-01-01")), "no expiry")
	assert.False(t, w.HasSkill(SkillNursing, day(t, "2025-06-01")), "not held")

	// A renewed qualification counts even while the old one is expired.
	w.Qualifications = append(w.Qualifications, Qualification{Skill: SkillHoist, Obtained: day(t, "2025-12-15"), Expires: dayp(t, "2026-12-15")})
	assert.True(t, w.HasSkill(SkillHoist, day(t, "2026-06-01")))
}

func TestQualificationValid(t *testing.T) {
	q := Qualification{Skill: SkillDementia, Obtained: day(t, "2025-03-01"), Expires: dayp(t, "2025-09-01")}
	assert.False(t, q.Valid(day(t, "2025-02-28")))
	assert.True(t, q.Valid(day(t, "2025-03-01")))
	assert.True(t, q.Valid(day(t, "2025-08-31")))
	assert.False(t, q.Valid(day(t, "2025-09-01")))
}

func TestHoldsPower(t *testing.T) {
	c := Contact{ID: "c1", Powers: []PowerOfAttorney{
		{Type: HealthAndWelfare, Registered: dayp(t, "2024-05-01")},
		{Type: PropertyAndFinancial}, // not registered: cannot be used
	}}
	assert.False(t, c.HoldsPower(HealthAndWelfare, day(t, "2024-04-30")))
	assert.True(t, c.HoldsPower(HealthAndWelfare, day(t, "2024-05-01")))
	assert.False(t, c.HoldsPower(PropertyAndFinancial, day(t, "2030-01-01")))
}

func TestEnumsValidate(t *testing.T) {
	for _, r := range Roles() {
		require.NoError(t, r.Validate())
	}
	for _, m := range []TravelMode{Car, Walk, Cycle, PublicTransport} {
		require.NoError(t, m.Validate())
	}
	for _, g := range []Gender{GenderUnstated, Female, Male, NonBinary} {
		require.NoError(t, g.Validate())
	}
	for _, s := range CommonSkills() {
		require.NoError(t, s.Validate())
	}
	require.Error(t, Skill("").Validate())
	require.Error(t, Skill(strings.Repeat("a", 65)).Validate())
	require.NoError(t, Skill("agency-code_7").Validate())
	err := Skill(strings.Repeat("X", 200)).Validate()
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 150, "long codes are truncated in messages")
}

func TestValidateID(t *testing.T) {
	require.NoError(t, ValidateID("v-1@2026-03-29T08:00"))
	for _, bad := range []string{"", " a", "a ", "a\nb", "a\x7f", strings.Repeat("x", 129)} {
		assert.Error(t, ValidateID(bad), "%q", bad)
	}
}

func TestFieldErrorMessages(t *testing.T) {
	err := Invalid("visit", "v17", "window 2", "latest %s before earliest %s", "09:00", "10:00")
	assert.Equal(t, `visit "v17": window 2: latest 09:00 before earliest 10:00`, err.Error())
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "worker (no id): role: bad", Invalid("worker", "", "role", "bad").Error())
	assert.Equal(t, "bad", Invalid("", "", "", "bad").Error())
	assert.Equal(t, `shift "s": bad`, Invalid("shift", "s", "", "bad").Error())
}

func TestRoleFor(t *testing.T) {
	reserved := map[Skill]Role{SkillNursing: RoleNurse, SkillChiropody: RoleChiropodist, SkillBefriending: RoleBefriender}
	for _, s := range append(CommonSkills(), "agency_own_code") {
		r, ok := RoleFor(s)
		want, reservedSkill := reserved[s]
		assert.Equal(t, reservedSkill, ok, "skill %s", s)
		assert.Equal(t, want, r, "skill %s", s)
		for _, role := range Roles() {
			assert.Equal(t, !reservedSkill || role == want, role.MayServe(s), "role %s, skill %s", role, s)
		}
	}
	assert.False(t, RoleCareWorker.MayServe(SkillNursing), "a care worker may not do registered nursing")
	assert.False(t, RoleNurse.MayServe(SkillBefriending), "befriending is for volunteer befrienders")
	assert.True(t, RoleNurse.MayServe(SkillNursing))
	assert.True(t, RoleCareWorker.MayServe(SkillHoist))
	assert.True(t, RoleChiropodist.MayServe(SkillPersonalCare), "an unreserved skill: any role holding it")
}
