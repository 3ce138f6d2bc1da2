package careplan

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noticeCase is the hoist plan changed: the morning medicine moves, the
// wash takes longer, the nurse's wound care moves to Tuesdays and
// Fridays, a local-authority funder is added, and two risks are entered:
// a pressure-ulcer risk for the nurse and a self-harm risk for the GP.
func noticeCase(t *testing.T) (before, after *Plan, at time.Time) {
	t.Helper()
	before = hoistPlan()
	after = hoistPlan()
	at = time.Date(2026, 4, 1, 9, 0, 0, 0, london)
	med, _ := after.Task("med")
	med.Times = []string{"08:30", "13:00"}
	wash, _ := after.Task("wash")
	wash.Minutes = 40
	wound, _ := after.Task("wound")
	wound.Days = []Day{Tuesday, Friday}
	after.Practitioners = append(after.Practitioners, Practitioner{ID: "gp", Kind: GP, Contact: "c-gp"})
	after.Funding.Funders = []Funder{{ID: "la", Kind: LocalAuthority}}
	require.NoError(t, after.AddRisk(Risk{ID: "r-pu", Flag: "pressure-ulcer-risk", Description: "pressure-ulcer risk", Level: RiskHigh,
		Owner: "coordinator", ReviewBy: at.AddDate(0, 0, 7), Providers: []string{"dn"}}))
	require.NoError(t, after.AddRisk(Risk{ID: "r-sh", Flag: "self-harm-risk", Description: "self-harm risk", Level: RiskUrgent,
		Owner: "coordinator", ReviewBy: at.AddDate(0, 0, 1), Providers: []string{"gp"},
		Escalation: &Escalation{To: "GP", Due: at.Add(4 * time.Hour)}}))
	require.NoError(t, after.Validate())
	return before, after, at
}

func registered(at time.Time) *time.Time { r := at.AddDate(-2, 0, 0); return &r }

func contacts(at time.Time) []care.Contact {
	return []care.Contact{
		{ID: "c-daughter", Relationship: "daughter", MayShare: []care.ShareCategory{care.ShareRota, care.ShareCarePlan}},
		{ID: "c-son", Relationship: "son"},
		{ID: "c-hw", Relationship: "niece", Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: registered(at)}}},
		{ID: "c-pf", Relationship: "nephew", Powers: []care.PowerOfAttorney{{Type: care.PropertyAndFinancial, Registered: registered(at)}}},
		{ID: "c-unreg", Relationship: "friend", Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare}}},
		{ID: "c-dn", Professional: care.DistrictNurse},
		{ID: "c-ot", Professional: care.OccupationalTherapist}, // not a practitioner of this plan
		{ID: "c-gp", Professional: care.GP},
	}
}

func noticeInput(t *testing.T, lacks ...ConsentCategory) NoticeInput {
	before, after, at := noticeCase(t)
	return NoticeInput{
		Plan: after, Changes: Diff(before, after), Contacts: contacts(at), LacksCapacity: lacks, At: at,
		Rota: []RotaChange{{Date: "2026-04-02", Visit: "p1-agency-1300", FromTime: "13:00", ToTime: "13:45"}},
	}
}

// sections lists "section id" of a notice's items.
func sections(n Notice) []string {
	var out []string
	for _, it := range n.Items {
		out = append(out, it.Change.Section+" "+it.Change.ID)
	}
	return out
}

func TestNoticesPersonToldEverything(t *testing.T) {
	in := noticeInput(t)
	set, err := Notices(in)
	require.NoError(t, err)
	person, ok := set.For("person")
	require.True(t, ok)
	assert.Len(t, person.Items, len(in.Changes)+1, "every plan change and the rota change")
	assert.Contains(t, sections(person), "risk r-sh", "the person is told of their own risk register")
}

func TestNoticesFamilyGetOnlyWhatWasAgreed(t *testing.T) {
	for _, lacks := range [][]ConsentCategory{nil, {ConsentMedication, ConsentPersonalCare, ConsentFinance, ConsentMedicalTreatment}} {
		set, err := Notices(noticeInput(t, lacks...))
		require.NoError(t, err)
		d, ok := set.For("c-daughter")
		require.True(t, ok)
		assert.Equal(t, RecipientFamily, d.Kind)
		for _, it := range d.Items {
			assert.Contains(t, []care.ShareCategory{care.ShareRota, care.ShareCarePlan}, it.Change.Category, it.Text)
			assert.False(t, it.Change.Sensitive)
		}
		got := sections(d)
		assert.Contains(t, got, "task wash", "care plan detail she may see")
		assert.Contains(t, got, "rota p1-agency-1300@2026-04-02")
		assert.NotContains(t, got, "task med", "medicines are health details")
		assert.NotContains(t, got, "task wound")
		assert.NotContains(t, got, "funder la")
		assert.NotContains(t, got, "risk r-sh")
		assert.NotContains(t, got, "practitioner gp", "that the GP is involved is a health detail")
		for _, r := range []string{d.Text(), d.Markdown()} {
			assert.NotContains(t, r, "r-sh")
			assert.NotContains(t, r, "self-harm")
			assert.NotContains(t, r, "m1")
		}
		// A relative with no agreement and no authority is told nothing, whatever the capacity.
		_, ok = set.For("c-son")
		assert.False(t, ok)
		_, ok = set.For("c-unreg")
		assert.False(t, ok, "an unregistered LPA gives no authority")
		var sonWithheld int
		for _, w := range set.Withheld {
			if w.Recipient == "c-son" {
				sonWithheld++
			}
		}
		assert.Equal(t, len(noticeInput(t).Changes)+1, sonWithheld)
		assert.NotContains(t, set.Text(), "self-harm risk")
	}
}

func TestNoticesHealthAndWelfareAttorney(t *testing.T) {
	// With capacity for every decision, the attorney has no authority to act and is told nothing.
	set, err := Notices(noticeInput(t))
	require.NoError(t, err)
	_, ok := set.For("c-hw")
	assert.False(t, ok)

	// Lacking capacity for medicines decisions: told medicines changes, and
	// the rota change of a visit where medicines are given; not the wash or funding.
	set, err = Notices(noticeInput(t, ConsentMedication))
	require.NoError(t, err)
	hw, ok := set.For("c-hw")
	require.True(t, ok)
	assert.Equal(t, RecipientAttorney, hw.Kind)
	got := sections(hw)
	assert.Contains(t, got, "task med")
	assert.Contains(t, got, "rota p1-agency-1300@2026-04-02", "the 13:00 visit gives the medicine")
	assert.NotContains(t, got, "task wash", "has capacity for personal care")
	assert.NotContains(t, got, "funder la", "not a financial attorney")
	assert.NotContains(t, got, "risk r-sh", "sensitive")
	for _, it := range hw.Items {
		assert.Contains(t, it.Basis, "health-and-welfare")
		assert.Contains(t, it.Change.Decisions, ConsentMedication)
	}
	assert.Contains(t, hw.Markdown(), "lacks capacity for the medication decision")
}

func TestNoticesPropertyAndFinancialAttorneyNotToldHealth(t *testing.T) {
	// With capacity for money decisions, the attorney is not told without the person's agreement.
	set, err := Notices(noticeInput(t, ConsentMedication))
	require.NoError(t, err)
	_, ok := set.For("c-pf")
	assert.False(t, ok)
	set, err = Notices(noticeInput(t, ConsentMedication, ConsentMedicalTreatment, ConsentPersonalCare, ConsentFinance))
	require.NoError(t, err)
	pf, ok := set.For("c-pf")
	require.True(t, ok)
	assert.Equal(t, []string{"funder la"}, sections(pf), "only funding and charges")
	for _, w := range set.Withheld {
		if w.Recipient == "c-pf" && w.ID == "med" {
			assert.Contains(t, w.Reason, "not agreed")
		}
	}
}

func TestNoticesProfessionalsOnlyWhatConcernsThem(t *testing.T) {
	set, err := Notices(noticeInput(t))
	require.NoError(t, err)
	dn, ok := set.For("c-dn")
	require.True(t, ok)
	assert.Equal(t, RecipientProfessional, dn.Kind)
	got := sections(dn)
	assert.Contains(t, got, "task wound", "their own task")
	assert.Contains(t, got, "task med", "medicines concern the district nurse")
	assert.Contains(t, got, "risk r-pu", "a risk naming them")
	assert.NotContains(t, got, "task wash")
	assert.NotContains(t, got, "funder la")
	assert.NotContains(t, got, "risk r-sh", "a risk for the GP")
	for _, it := range dn.Items {
		assert.NotEqual(t, care.ShareFinance, it.Change.Category)
	}
	gp, ok := set.For("c-gp")
	require.True(t, ok)
	assert.Contains(t, sections(gp), "risk r-sh", "the GP is told of the self-harm risk naming them")
	assert.NotContains(t, sections(gp), "task wash")
	_, ok = set.For("c-ot")
	assert.False(t, ok, "a professional who is not a practitioner of this plan")
}

func TestNoticesDueTimes(t *testing.T) {
	in := noticeInput(t)
	set, err := Notices(in)
	require.NoError(t, err)
	person, _ := set.For("person")
	for _, it := range person.Items {
		switch {
		case it.Change.Section == "rota":
			// 13:00 on 2 April (BST) less 2 hours.
			assert.Equal(t, time.Date(2026, 4, 2, 11, 0, 0, 0, london), it.Due)
		case it.Change.Section == "risk" && it.Change.ID == "r-sh":
			assert.Equal(t, in.At, it.Due, "urgent risk: at once")
		default:
			assert.Equal(t, in.At.Add(48*time.Hour), it.Due, it.Text)
		}
	}
	assert.Equal(t, in.At, person.Due)
	daughter, _ := set.For("c-daughter")
	assert.Equal(t, time.Date(2026, 4, 2, 11, 0, 0, 0, london), daughter.Due, "her earliest item is the rota change")
	// A rota change whose lead time has passed is due at once.
	in.Rota = []RotaChange{{Date: "2026-04-01", Visit: "p1-agency-0800", FromTime: "08:00", Cancelled: true}}
	set, err = Notices(in)
	require.NoError(t, err)
	d, _ := set.For("c-daughter")
	i := slices.IndexFunc(d.Items, func(it NoticeItem) bool { return it.Change.Section == "rota" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, in.At, d.Items[i].Due)
	assert.Equal(t, "The visit at 08:00 on 2026-04-01 is cancelled.", d.Items[i].Text)
}

func TestNoticesRenderingsAndErrors(t *testing.T) {
	set, err := Notices(noticeInput(t, ConsentMedication))
	require.NoError(t, err)
	md := set.Markdown()
	assert.True(t, strings.HasPrefix(md, "# Notices for care plan p1"))
	assert.Contains(t, md, "## Withheld (coordinator only)")
	assert.Contains(t, md, "| c-son |")
	txt := set.Text()
	assert.Contains(t, txt, "The visit on 2026-04-02 moves from 13:00 to 13:45.")
	assert.NotContains(t, txt, "Withheld", "the text renderings are for recipients")

	_, err = Notices(NoticeInput{})
	assert.ErrorIs(t, err, ErrNoPlan)
	in := noticeInput(t)
	in.Rota[0].Date = "2/4/2026"
	_, err = Notices(in)
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "rota[0]")
	in = noticeInput(t)
	in.Contacts = append(in.Contacts, care.Contact{})
	_, err = Notices(in)
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestProfessionalReportForOT(t *testing.T) {
	_, p := draft(t, "hip", DraftOptions{})
	p.Funding = Funding{Funders: []Funder{{ID: "la", Kind: LocalAuthority}}, RateCards: []RateCard{{Provider: "agency", PerHour: 2500}}}
	r, err := p.ProfessionalReport("ot")
	require.NoError(t, err)
	assert.Equal(t, OccupationalTherapist, r.Kind)
	require.Len(t, r.Referrals, 1)
	assert.Equal(t, "occupational-therapy", r.Referrals[0].To)
	var needs []string
	for _, n := range r.Needs {
		needs = append(needs, n.ID)
	}
	assert.Contains(t, needs, "n-home-safety", "transfers")
	assert.Contains(t, needs, "n-hygiene", "bathing")
	var risks []string
	for _, k := range r.Risks {
		risks = append(risks, k.ID)
	}
	assert.Equal(t, []string{"r-falls"}, risks, "the falls risk names the OT; the pressure risk does not")
	var tasks []string
	for _, tk := range r.Tasks {
		tasks = append(tasks, tk.ID)
	}
	assert.Contains(t, tasks, "t-transfers")
	for _, v := range r.Visits {
		assert.True(t, slices.ContainsFunc(v.Tasks, func(id string) bool { return slices.Contains(tasks, id) }))
	}
	for _, s := range []string{r.Text(), r.Markdown()} {
		assert.Contains(t, s, "two carers")
		assert.Contains(t, s, "a-su-hip/barthel100/transfers")
		assert.NotContains(t, s, "£")
		assert.NotContains(t, s, "2500")
	}
	_, err = p.ProfessionalReport("nobody")
	assert.ErrorIs(t, err, care.ErrInvalid)
}

func TestProfessionalReportForDistrictNurse(t *testing.T) {
	_, p := draft(t, "bedbound", DraftOptions{})
	r, err := p.ProfessionalReport("district-nurse")
	require.NoError(t, err)
	var tasks []string
	for _, tk := range r.Tasks {
		tasks = append(tasks, tk.ID)
		assert.Contains(t, []TaskKind{TaskNursing, TaskRepositioning, TaskMedicines}, tk.Kind)
	}
	assert.Equal(t, []string{"t-repositioning"}, tasks)
	require.Len(t, r.Risks, 1)
	assert.Equal(t, "r-pressure-ulcer-risk", r.Risks[0].ID)
	assert.Len(t, r.Visits, 8, "repositioning is done at every visit")
	assert.Contains(t, r.Text(), "at most 4 h between position changes")
}

func TestNoticesSensitiveNeverToFamilyEvenWhenAgreed(t *testing.T) {
	in := noticeInput(t, ConsentDailyLiving, ConsentMedication)
	all := []care.ShareCategory{care.ShareRota, care.ShareCarePlan, care.ShareHealth, care.ShareFinance, care.ShareIncidents}
	in.Contacts = []care.Contact{
		{ID: "c-close", MayShare: all},
		{ID: "c-hw-all", MayShare: all, Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: registered(in.At)}}},
	}
	set, err := Notices(in)
	require.NoError(t, err)
	for _, id := range []string{"c-close", "c-hw-all"} {
		n, ok := set.For(id)
		require.True(t, ok)
		got := sections(n)
		assert.Contains(t, got, "risk r-pu", "an incident category item she may see")
		assert.Contains(t, got, "task med")
		assert.Contains(t, got, "funder la")
		assert.NotContains(t, got, "risk r-sh", "self-harm risk: never to family channels, whatever was agreed")
		assert.NotContains(t, n.Text(), "r-sh")
	}
	var reasons []string
	for _, w := range set.Withheld {
		if w.ID == "r-sh" {
			reasons = append(reasons, w.Reason)
		}
	}
	require.Len(t, reasons, 2)
	assert.Contains(t, reasons[0], "sensitive")
}

func TestNoticesWorkersChange(t *testing.T) {
	in := noticeInput(t)
	in.Rota = []RotaChange{{Date: "2026-04-03", Visit: "p1-agency-0800", FromTime: "08:00",
		FromWorkers: []care.WorkerID{"w1", "w2"}, ToWorkers: []care.WorkerID{"w1", "w3"}}}
	set, err := Notices(in)
	require.NoError(t, err)
	d, ok := set.For("c-daughter")
	require.True(t, ok)
	i := slices.IndexFunc(d.Items, func(it NoticeItem) bool { return it.Change.Section == "rota" })
	require.GreaterOrEqual(t, i, 0)
	it := d.Items[i]
	assert.Equal(t, "workers", it.Change.Field)
	assert.Equal(t, "Different carers will make the visit on 2026-04-03 (was [w1 w2], now [w1 w3]).", it.Text)
	assert.Equal(t, []string{"agency"}, it.Change.Providers)
	assert.ElementsMatch(t, []TaskKind{TaskPersonalCare, TaskTransfer}, it.Change.TaskKinds, "the 08:00 visit's tasks after the change")
	assert.Equal(t, time.Date(2026, 4, 3, 6, 0, 0, 0, london), it.Due)

	// An occurrence ID of the schedule ("<pattern>@<date>T<time>") finds its visit;
	// another visit whose ID merely starts the same does not.
	in.Rota = []RotaChange{{Date: "2026-04-07", Visit: "p1-dn-1100-TU,FR@2026-04-07T11:00", FromTime: "11:00", ToTime: "14:00"},
		{Date: "2026-04-06", Visit: "p1-agency-08001", FromTime: "08:00", ToTime: "09:00"}}
	in.Changes = nil
	set, err = Notices(in)
	require.NoError(t, err)
	person, _ := set.For("person")
	require.Len(t, person.Items, 2)
	assert.Equal(t, []string{"dn"}, person.Items[0].Change.Providers)
	assert.Equal(t, []TaskKind{TaskNursing}, person.Items[0].Change.TaskKinds)
	assert.Empty(t, person.Items[1].Change.Providers)
	assert.Empty(t, person.Items[1].Change.TaskKinds)
}

// TestNoticesAuthorityProperty checks, over random contacts, agreements and
// capacity findings, that every item told to a contact who is not a
// professional is either a category the person agreed to share with them
// or within an authority they hold, and never sensitive; and that every
// item is either told or withheld.
func TestNoticesAuthorityProperty(t *testing.T) {
	base := noticeInput(t)
	rng := rand.New(rand.NewPCG(7, 11))
	cats := []care.ShareCategory{care.ShareRota, care.ShareCarePlan, care.ShareHealth, care.ShareFinance, care.ShareIncidents}
	decisions := []ConsentCategory{ConsentPersonalCare, ConsentMedication, ConsentMovingHandling, ConsentNutrition,
		ConsentMedicalTreatment, ConsentDailyLiving, ConsentFinance}
	for trial := 0; trial < 200; trial++ {
		in := base
		in.Contacts = nil
		for i := 0; i < 4; i++ {
			c := care.Contact{ID: care.ContactID("c" + string(rune('a'+i)))}
			for _, s := range cats {
				if rng.IntN(3) == 0 {
					c.MayShare = append(c.MayShare, s)
				}
			}
			switch rng.IntN(5) {
			case 0:
				c.Powers = []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: registered(in.At)}}
			case 1:
				c.Powers = []care.PowerOfAttorney{{Type: care.PropertyAndFinancial, Registered: registered(in.At)}}
			case 2:
				c.Deputy = &care.Deputyship{Type: care.HealthAndWelfare, Appointed: in.At.AddDate(-1, 0, 0)}
			case 3:
				c.Powers = []care.PowerOfAttorney{{Type: care.HealthAndWelfare}} // not registered
			}
			in.Contacts = append(in.Contacts, c)
		}
		in.LacksCapacity = nil
		for _, d := range decisions {
			if rng.IntN(3) == 0 {
				in.LacksCapacity = append(in.LacksCapacity, d)
			}
		}
		set, err := Notices(in)
		require.NoError(t, err)
		for _, c := range in.Contacts {
			hw := c.HoldsPower(care.HealthAndWelfare, in.At) || c.Deputy != nil
			pf := c.HoldsPower(care.PropertyAndFinancial, in.At)
			told := 0
			if n, ok := set.For(string(c.ID)); ok {
				told = len(n.Items)
				for _, it := range n.Items {
					ch := it.Change
					require.False(t, ch.Sensitive, "trial %d: %s told a sensitive item", trial, c.ID)
					agreed := slices.Contains(c.MayShare, ch.Category)
					lacks := slices.ContainsFunc(ch.Decisions, func(d ConsentCategory) bool { return slices.Contains(in.LacksCapacity, d) })
					authority := (hw && lacks && ch.Category != care.ShareFinance) || (pf && lacks && ch.Category == care.ShareFinance)
					require.True(t, agreed || authority, "trial %d: %s told %s %s (%s) without agreement or authority", trial, c.ID, ch.Section, ch.ID, ch.Category)
				}
			}
			withheld := 0
			for _, w := range set.Withheld {
				if w.Recipient == string(c.ID) {
					withheld++
				}
			}
			require.Equal(t, len(in.Changes)+len(in.Rota), told+withheld, "trial %d: %s: every item told or withheld", trial, c.ID)
		}
	}
}
