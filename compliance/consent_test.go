package compliance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday

func at(d, h, m int) time.Time {
	return day0.Add(time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func tp(t time.Time) *time.Time { return &t }

func planWash() Plan {
	return Plan{ID: "p1", ServiceUser: "u1", Decisions: []Decision{{ID: "wash", Category: DecisionPersonalCare}}}
}

func ownConsent(id, dec string, t time.Time) ConsentRecord {
	return ConsentRecord{ID: id, Decision: dec, Given: true, Explained: "morning wash and dress", Format: FormatVerbal,
		Understood: true, ObtainedBy: "w1", At: t}
}

func lacking(id, dec string, t time.Time) CapacityAssessment {
	return CapacityAssessment{ID: id, Decision: dec, At: t, Assessor: "w9", Understand: Unable, Retain: Unable,
		UseOrWeigh: Unable, Communicate: Able, Impairment: Yes, Causal: Yes, SupportSteps: "easy-read leaflet, quiet room, two attempts"}
}

func TestCanActionCapacityPresentConsentGiven(t *testing.T) {
	f := ConsentFile{ServiceUser: "u1", Consents: []ConsentRecord{ownConsent("c1", "wash", at(-1, 10, 0))}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.True(t, a.Allowed, a.Decisions)
	assert.Equal(t, BasisOwnConsent, a.Decisions[0].Basis)
	assert.Equal(t, "c1", a.Decisions[0].Record)
	require.NoError(t, a.Err())
	assert.Empty(t, a.Findings(ptrPack(England)))

	// Before the consent was given the plan may not go live.
	a, err = f.CanAction(planWash(), at(-2, 9, 0))
	require.NoError(t, err)
	assert.False(t, a.Allowed)
	assert.Contains(t, a.Decisions[0].Missing, "no consent recorded from the person")

	// An assessed capacity (all four parts able) also needs own consent.
	f.Capacity = []CapacityAssessment{{ID: "ca1", Decision: "wash", At: at(-1, 9, 0), Understand: Able, Retain: Able, UseOrWeigh: Able, Communicate: Able}}
	a, err = f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	assert.True(t, a.Allowed)
}

func ptrPack(j Jurisdiction) *Pack { p := DefaultPack(j); return &p }

func TestCanActionConsentRecordIncomplete(t *testing.T) {
	c := ownConsent("c1", "wash", at(-1, 10, 0))
	c.Explained, c.Understood = "", false
	f := ConsentFile{Consents: []ConsentRecord{c}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	m := strings.Join(a.Decisions[0].Missing, "|")
	assert.Contains(t, m, `consent "c1": what was explained is not recorded`)
	assert.Contains(t, m, `consent "c1": not recorded as understood`)
}

func TestCanActionLacksCapacityWithHealthWelfareLPAInScope(t *testing.T) {
	f := ConsentFile{
		Capacity: []CapacityAssessment{lacking("ca1", "wash", at(-3, 10, 0))},
		Authorities: []Authority{{ID: "lpa1", Holder: "k1", Kind: LPAHealthWelfare, Registered: tp(at(-400, 0, 0)),
			Scope: []DecisionCategory{DecisionPersonalCare, DecisionMedication}}},
		Consents: []ConsentRecord{{ID: "c2", Decision: "wash", GivenBy: "k1", Given: true, Explained: "personal care plan",
			Format: FormatWritten, Understood: true, ObtainedBy: "w1", At: at(-2, 10, 0)}},
	}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.True(t, a.Allowed, a.Decisions)
	assert.Equal(t, BasisAttorney, a.Decisions[0].Basis)
	assert.Equal(t, care.ContactID("k1"), a.Decisions[0].By)

	// Out of scope: the same LPA does not cover a move of home.
	p := Plan{ID: "p2", Decisions: []Decision{{ID: "move", Category: DecisionAccommodation}}}
	f.Capacity = append(f.Capacity, lacking("ca2", "move", at(-3, 10, 0)))
	f.Consents = append(f.Consents, ConsentRecord{ID: "c3", Decision: "move", GivenBy: "k1", Given: true, Explained: "x", Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 0, 0)})
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	m := strings.Join(a.Decisions[0].Missing, "|")
	assert.Contains(t, m, `authority "lpa1" (lpa_health_welfare) scope does not include accommodation`)
	assert.Contains(t, m, `contact "k1" has no authority for this decision: recorded as consultee, not consent`)
	assert.Equal(t, []care.ContactID{"k1"}, a.Decisions[0].Consulted)
}

func TestCanActionPropertyOnlyLPARefused(t *testing.T) {
	f := ConsentFile{
		Capacity:    []CapacityAssessment{lacking("ca1", "wash", at(-3, 10, 0))},
		Authorities: []Authority{{ID: "lpa1", Holder: "k1", Kind: LPAPropertyFinancial, Registered: tp(at(-400, 0, 0))}},
		Consents: []ConsentRecord{{ID: "c2", Decision: "wash", GivenBy: "k1", Given: true, Explained: "x",
			Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 10, 0)}},
	}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	m := strings.Join(a.Decisions[0].Missing, "|")
	assert.Contains(t, m, `authority "lpa1" (lpa_property_financial) does not cover personal_care decisions`)
	assert.Contains(t, m, "no lawful authority and no best-interests decision recorded")
	err = a.Err()
	require.ErrorIs(t, err, ErrNotAuthorised)
	var ne *NotAuthorisedError
	require.ErrorAs(t, err, &ne)
	assert.Contains(t, ne.Missing, "wash")
	fs := a.Findings(ptrPack(England))
	require.Len(t, fs, 1)
	assert.Equal(t, RuleCONSENT, fs[0].Rule)
	assert.Equal(t, Subject{SubjectDecision, "p1/wash"}, fs[0].Subject)
	assert.Equal(t, Breach, fs[0].Severity)

	// The same LPA does cover a finance decision.
	p := Plan{ID: "p3", Decisions: []Decision{{ID: "bills", Category: DecisionFinance}}}
	f.Capacity = append(f.Capacity, lacking("ca3", "bills", at(-3, 0, 0)))
	f.Consents = append(f.Consents, ConsentRecord{ID: "c4", Decision: "bills", GivenBy: "k1", Given: true, Explained: "x", Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 0, 0)})
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	assert.True(t, a.Allowed, a.Decisions)
}

func TestCanActionUnregisteredLPA(t *testing.T) {
	f := ConsentFile{
		Capacity:    []CapacityAssessment{lacking("ca1", "wash", at(-3, 10, 0))},
		Authorities: []Authority{{ID: "lpa1", Holder: "k1", Kind: LPAHealthWelfare}},
		Consents:    []ConsentRecord{{ID: "c2", Decision: "wash", GivenBy: "k1", Given: true, Explained: "x", Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 10, 0)}},
	}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), `authority "lpa1" (lpa_health_welfare) not registered`)
}

func TestCanActionConsentWithdrawn(t *testing.T) {
	c := ownConsent("c1", "wash", at(-5, 10, 0))
	c.Withdrawn = tp(at(0, 8, 0))
	f := ConsentFile{Consents: []ConsentRecord{c}}
	a, err := f.CanAction(planWash(), at(0, 7, 59))
	require.NoError(t, err)
	assert.True(t, a.Allowed, "before the withdrawal")
	a, err = f.CanAction(planWash(), at(0, 8, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed, "withdrawal suspends at once")
	assert.Equal(t, []string{`consent "c1" from the person withdrawn on 2026-11-02 08:00`}, a.Decisions[0].Missing)
}

func TestCanActionRefusal(t *testing.T) {
	c := ownConsent("c1", "wash", at(-1, 10, 0))
	c.Given = false
	f := ConsentFile{Consents: []ConsentRecord{c}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, a.Decisions[0].Missing[0], "refused")
}

func TestCanActionBestInterests(t *testing.T) {
	bi := BestInterestsDecision{ID: "bi1", Decision: "wash", At: at(-2, 10, 0), DecisionMaker: "w9", Proceed: true,
		WishesConsidered: true, PersonParticipated: true, LessRestrictiveConsidered: true}
	f := ConsentFile{Capacity: []CapacityAssessment{lacking("ca1", "wash", at(-3, 10, 0))}, BestInterests: []BestInterestsDecision{bi}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed, "best-interests decision without consultation is refused")
	assert.Contains(t, a.Decisions[0].Missing[0], `best-interests decision "bi1": nobody consulted`)

	f.BestInterests[0].Consultees = []Consultee{{Contact: "k2", Role: ConsulteeFamily, At: at(-2, 9, 0)}}
	a, err = f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.True(t, a.Allowed, a.Decisions)
	assert.Equal(t, BasisBestInterests, a.Decisions[0].Basis)

	// A family member's "consent" does not make them a consenter; they are listed as consulted.
	f.Consents = []ConsentRecord{{ID: "c9", Decision: "wash", GivenBy: "k2", Given: true, At: at(-2, 0, 0)}}
	a, err = f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	assert.True(t, a.Allowed)
	assert.Equal(t, BasisBestInterests, a.Decisions[0].Basis)
	assert.Equal(t, []care.ContactID{"k2"}, a.Decisions[0].Consulted)

	// Covert medicines need the prescriber or pharmacist consulted.
	p := Plan{ID: "p1", Decisions: []Decision{{ID: "wash", Category: DecisionMedication, Covert: true}}}
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), "covert medicines without the prescriber or pharmacist consulted")
}

func TestCanActionFamilyConsentWithoutAuthorityRefused(t *testing.T) {
	// Person lacks capacity; only a daughter's agreement is on file: she is a consultee.
	f := ConsentFile{Capacity: []CapacityAssessment{lacking("ca1", "wash", at(-3, 10, 0))},
		Consents: []ConsentRecord{{ID: "c9", Decision: "wash", GivenBy: "k2", Given: true, Explained: "x", Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 0, 0)}}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), `contact "k2" has no authority for this decision: recorded as consultee, not consent`)

	// With capacity, a contact's agreement does not replace the person's own consent.
	f.Capacity = nil
	a, err = f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), "agreement from contacts does not count")
}

func TestCanActionIncompleteCapacityAssessment(t *testing.T) {
	ca := lacking("ca1", "wash", at(-3, 10, 0))
	ca.Retain, ca.Causal = NotAssessed, Unrecorded
	f := ConsentFile{Capacity: []CapacityAssessment{ca}}
	a, err := f.CanAction(planWash(), at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	m := strings.Join(a.Decisions[0].Missing, "|")
	assert.Contains(t, m, `capacity assessment "ca1": functional test 'retain' not recorded`)
	assert.Contains(t, m, `capacity assessment "ca1": causal link not recorded`)
}

func TestCanActionAdvanceDecisionAndLifeSustaining(t *testing.T) {
	p := Plan{ID: "p1", Decisions: []Decision{{ID: "feed", Category: DecisionMedicalTreatment, LifeSustaining: true}}}
	lpa := Authority{ID: "lpa1", Holder: "k1", Kind: LPAHealthWelfare, Registered: tp(at(-400, 0, 0))}
	f := ConsentFile{Capacity: []CapacityAssessment{lacking("ca1", "feed", at(-3, 0, 0))}, Authorities: []Authority{lpa},
		Consents: []ConsentRecord{{ID: "c1", Decision: "feed", GivenBy: "k1", Given: true, Explained: "x", Format: FormatVerbal, Understood: true, ObtainedBy: "w1", At: at(-2, 0, 0)}}}
	a, err := f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), "does not expressly cover life-sustaining treatment")

	f.Authorities[0].LifeSustaining = true
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.True(t, a.Allowed, a.Decisions)

	// A valid advance decision made after the LPA blocks the treatment.
	f.Advance = []AdvanceDecision{{ID: "ad1", Refuses: []DecisionCategory{DecisionMedicalTreatment}, Made: at(-100, 0, 0), Written: true, Signed: true, Witnessed: true, LifeAtRisk: true}}
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Equal(t, []string{`advance decision "ad1" refuses medical_treatment`}, a.Decisions[0].Missing)

	// Without the life-at-risk statement it does not apply to life-sustaining treatment.
	f.Advance[0].LifeAtRisk = false
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	assert.True(t, a.Allowed)
}

func TestCanActionDeprivationOfLiberty(t *testing.T) {
	p := Plan{ID: "p1", Decisions: []Decision{{ID: "lock", Category: DecisionDailyLiving, DeprivationOfLiberty: true}}}
	bi := BestInterestsDecision{ID: "bi1", Decision: "lock", At: at(-2, 0, 0), Proceed: true, WishesConsidered: true, LessRestrictiveConsidered: true,
		Consultees: []Consultee{{Contact: "k1", Role: ConsulteeFamily}}}
	f := ConsentFile{Capacity: []CapacityAssessment{lacking("ca1", "lock", at(-3, 0, 0))}, BestInterests: []BestInterestsDecision{bi}}
	a, err := f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	require.False(t, a.Allowed)
	assert.Contains(t, strings.Join(a.Decisions[0].Missing, "|"), "Court of Protection order")

	f.Authorities = []Authority{{ID: "cop1", Holder: "court", Kind: CourtOrder, Registered: tp(at(-10, 0, 0))}}
	f.Consents = []ConsentRecord{{ID: "c1", Decision: "lock", GivenBy: "court", Given: true, Explained: "order terms", Format: FormatWritten, Understood: true, ObtainedBy: "w9", At: at(-9, 0, 0)}}
	a, err = f.CanAction(p, at(0, 9, 0))
	require.NoError(t, err)
	assert.True(t, a.Allowed, a.Decisions)
	assert.Equal(t, BasisCourtOrder, a.Decisions[0].Basis)
}

func TestCanActionInvalidPlan(t *testing.T) {
	f := ConsentFile{ServiceUser: "u1"}
	_, err := f.CanAction(Plan{ID: "p1", Decisions: []Decision{{ID: "a", Category: "x"}, {ID: "a", Category: DecisionMedication}}}, at(0, 0, 0))
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `unknown category "x"`)
	assert.Contains(t, err.Error(), `duplicate decision id "a"`)
	_, err = f.CanAction(Plan{ID: "p1", ServiceUser: "u2"}, at(0, 0, 0))
	require.Error(t, err)
	assert.True(t, errors.Is(err, care.ErrInvalid))
}

func TestAuthoritiesFromContacts(t *testing.T) {
	reg := at(-100, 0, 0)
	cs := []care.Contact{{ID: "k1", Powers: []care.PowerOfAttorney{{Type: care.HealthAndWelfare, Registered: &reg}, {Type: care.PropertyAndFinancial}}},
		{ID: "k2", Deputy: &care.Deputyship{Type: care.PropertyAndFinancial, Appointed: reg}}}
	as := AuthoritiesFromContacts(cs)
	require.Len(t, as, 3)
	assert.Equal(t, LPAHealthWelfare, as[0].Kind)
	assert.Equal(t, LPAPropertyFinancial, as[1].Kind)
	assert.Nil(t, as[1].Registered)
	assert.Equal(t, DeputyProperty, as[2].Kind)
	assert.Equal(t, care.ContactID("k2"), as[2].Holder)
}

func TestConsentFileValidate(t *testing.T) {
	f := ConsentFile{ServiceUser: "u1", Consents: []ConsentRecord{ownConsent("c1", "wash", at(0, 0, 0))},
		Capacity: []CapacityAssessment{lacking("ca1", "wash", at(0, 0, 0))}}
	require.NoError(t, f.Validate())
	f.Consents = append(f.Consents, ConsentRecord{ID: "c1", Format: "smoke", At: at(0, 0, 0), Withdrawn: tp(at(-1, 0, 0))})
	f.Capacity[0].Retain = "maybe"
	f.Authorities = []Authority{{ID: "a1", Kind: "lpa", Scope: []DecisionCategory{"x"}}}
	err := f.Validate()
	require.ErrorIs(t, err, care.ErrInvalid)
	for _, s := range []string{`consent file "u1": consents[1].id: duplicate record id "c1"`, "consents[1].decision: is required",
		`consents[1].format: unknown format "smoke"`, "consents[1].withdrawn: is before", `capacity[0].retain: unknown answer "maybe"`,
		`authorities[0].kind: unknown kind "lpa"`, "authorities[0].holder: is required", `authorities[0].scope[0]: unknown category "x"`} {
		assert.Contains(t, err.Error(), s)
	}
}
