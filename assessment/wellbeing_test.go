package assessment

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var assessed = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// newAssessment returns an empty assessment for person id.
func newAssessment(id string) *Assessment {
	return &Assessment{ID: "a-" + id, PersonID: id, Date: assessed, Assessor: "w-1"}
}

// add scores and adds responses, failing the test on error.
func add(t *testing.T, a *Assessment, in *Instrument, r []Response) {
	t.Helper()
	_, err := a.Add(in, r)
	require.NoError(t, err)
}

// barthel100 builds Barthel 0–100 responses, starting fully independent,
// with the given overrides.
func barthel100(over ...any) []Response {
	v := map[string]int{"feeding": 10, "bathing": 5, "grooming": 5, "dressing": 10, "bowels": 10,
		"bladder": 10, "toilet": 10, "transfers": 15, "mobility": 15, "stairs": 10}
	for i := 0; i+1 < len(over); i += 2 {
		v[over[i].(string)] = over[i+1].(int)
	}
	var out []Response
	for _, it := range Barthel100().Items {
		out = append(out, Response{Item: it.ID, Value: v[it.ID]})
	}
	return out
}

// lawton builds Lawton responses, all at level 1 (independent) with overrides.
func lawton(over ...any) []Response {
	v := map[string]int{}
	for i := 0; i+1 < len(over); i += 2 {
		v[over[i].(string)] = over[i+1].(int)
	}
	var out []Response
	for _, it := range Lawton().Items {
		lvl := 1
		if x, ok := v[it.ID]; ok {
			lvl = x
		}
		out = append(out, Response{Item: it.ID, Value: lvl})
	}
	return out
}

// evaluate runs the model and checks the picture validates and survives JSON.
func evaluate(t *testing.T, a *Assessment) *Picture {
	t.Helper()
	p, err := Evaluate(a, Options{})
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	var back Picture
	require.NoError(t, json.Unmarshal(raw, &back))
	require.NoError(t, back.Validate())
	assert.Equal(t, p.Support.PersonalCareMinutesPerDay, back.Support.PersonalCareMinutesPerDay)
	return p
}

// unableSet lists the outcomes a picture marks unable.
func unableSet(p *Picture) []Outcome {
	var out []Outcome
	for _, n := range p.Needs {
		if n.Status == Unable {
			out = append(out, n.Outcome)
		}
	}
	return out
}

// hasEvidence reports whether evs has an item from instrument inst (or source when inst is "").
func hasEvidence(evs []Evidence, inst, item string) bool {
	for _, e := range evs {
		if e.Instrument == inst && e.Item == item {
			return true
		}
	}
	return false
}

func TestScenarioIndependentButLonely(t *testing.T) {
	// Widowed at 79, manages every ADL and IADL, feels left out and isolated.
	a := newAssessment("su-lonely")
	add(t, a, Barthel100(), barthel100())
	add(t, a, Lawton(), lawton())
	add(t, a, UCLA3(), answers("1", 3, "2", 2, "3", 3))
	add(t, a, ONSLoneliness(), answers("1", 1))
	add(t, a, SWEMWBS(), answers("1", 3, "2", 3, "3", 3, "6", 3, "7", 3, "9", 2, "11", 3))
	p := evaluate(t, a)

	assert.Equal(t, []Outcome{OutcomeRelationships}, unableSet(p))
	g, _ := p.Need(OutcomeRelationships)
	assert.Equal(t, []Meaning{UnablePainDistress}, g.Meanings)
	assert.True(t, hasEvidence(g.Evidence, IDUCLA3, ""), "UCLA-3 total is the evidence")
	assert.False(t, p.Eligibility.Eligible)
	assert.False(t, p.Eligibility.Outcomes.Met, "one outcome is not two")
	assert.False(t, p.Eligibility.Impairment.Met)
	assert.True(t, p.Support.Befriending.Needed)
	assert.True(t, hasEvidence(p.Support.Befriending.Evidence, IDONSLoneliness, ""))
	assert.Zero(t, p.Support.PersonalCareMinutesPerDay)
	assert.Empty(t, p.Support.Tasks)
	assert.False(t, p.Support.DoubleHandedTransfers.Needed)
	assert.Equal(t, MedicinesNone, p.Support.Medicines.Level)
	assert.Empty(t, p.Referrals)
	assert.Equal(t, HomeWithSupport, p.Home.Status, "befriending is support")
	rel, _ := p.Area(AreaRelationships)
	assert.True(t, rel.Concern)
	dig, _ := p.Area(AreaDignity)
	assert.False(t, dig.Concern)
	w, _ := p.Need(OutcomeWork)
	assert.Equal(t, NotApplicable, w.Status)
}

func TestScenarioPostHipFractureDoubleHanded(t *testing.T) {
	// 84, home from hospital after a hip fracture from a fall; second fall this year.
	a := newAssessment("su-hip")
	add(t, a, Barthel100(), barthel100("bathing", 0, "grooming", 0, "dressing", 5, "toilet", 5,
		"transfers", 5, "mobility", 10, "stairs", 0))
	add(t, a, Waterlow(), answers("build", 0, "sex", 2, "age", 5, "weight-loss", 0, "eating-poorly", 0,
		"continence", 0, "mobility", 3, "surgery-orthopaedic", 5))
	a.Falls = &FallsProfile{Age: 84, FallsLast12Months: 2, InjuriousFall: true, RiskFactors: []FallsRiskFactor{FallsOsteoporosis, FallsHomeHazards}}
	a.Observations = Observations{Impairment: Impairment{Physical: true}, LivesAlone: true}
	p := evaluate(t, a)

	assert.ElementsMatch(t, []Outcome{OutcomeHygiene, OutcomeToilet, OutcomeClothed, OutcomeHomeSafety}, unableSet(p))
	hs, _ := p.Need(OutcomeHomeSafety)
	assert.Contains(t, hs.Meanings, UnableWithoutAssistance)
	assert.Contains(t, hs.Meanings, UnableEndangers, "NG249 case-finding: injurious and repeated falls")
	assert.True(t, p.Eligibility.Eligible)
	assert.Equal(t, BasisObservation, p.Eligibility.Impairment.Basis)
	assert.Len(t, p.Eligibility.Outcomes.Evidence, 4)
	assert.True(t, p.Eligibility.NeedsConfirmation)

	require.True(t, p.Support.DoubleHandedTransfers.Needed)
	assert.True(t, hasEvidence(p.Support.DoubleHandedTransfers.Evidence, IDBarthel100, "transfers"))
	ot, ok := p.Referral(ReferOT)
	require.True(t, ok)
	assert.True(t, hasEvidence(ot.Evidence, IDBarthel100, "transfers"))
	assert.True(t, hasEvidence(ot.Evidence, IDBarthel100, "bathing"))
	falls, ok := p.Referral(ReferFalls)
	require.True(t, ok)
	assert.Equal(t, EscalateRoutine, falls.Urgency)
	assert.True(t, p.HasFlag(FlagFalls))
	// washing 30 + grooming 10 + dressing 20 + toileting 30 + transfers 15
	assert.Equal(t, 105, p.Support.PersonalCareMinutesPerDay)
	// Waterlow 2+5+3+5 = 15 → high → 4-hourly repositioning.
	assert.Equal(t, 4, p.Support.Repositioning.IntervalHours)
	assert.False(t, p.Support.Repositioning.MaxGapBetweenVisits, "can reposition alone")
	acc, _ := p.Area(AreaAccommodation)
	assert.True(t, acc.Concern)
	assert.Equal(t, HomeWithSupport, p.Home.Status)

	// Once the moving-and-handling assessment says single-handed, the decision follows it.
	a.Observations.TransferCarers = 1
	p = evaluate(t, a)
	assert.False(t, p.Support.DoubleHandedTransfers.Needed)
	_, ok = p.Referral(ReferOT)
	assert.True(t, ok, "bathing still needs OT")
}

func TestScenarioModerateDementiaMedicines(t *testing.T) {
	// 80, moderate Alzheimer's, lives alone, forgets meals and tablets.
	a := newAssessment("su-dementia")
	add(t, a, Barthel100(), barthel100("bathing", 0, "grooming", 0))
	add(t, a, Lawton(), lawton("food", 3, "medicines", 3, "shopping", 3, "transport", 4, "finances", 3))
	a.Observations = Observations{Impairment: Impairment{Mental: true}, Cognition: CognitionModerate, LivesAlone: true}
	p := evaluate(t, a)

	assert.ElementsMatch(t, []Outcome{OutcomeNutrition, OutcomeHygiene, OutcomeHomeSafety, OutcomeCommunity}, unableSet(p))
	assert.True(t, p.Eligibility.Eligible)
	assert.Equal(t, MedicinesAdminister, p.Support.Medicines.Level)
	assert.True(t, hasEvidence(p.Support.Medicines.Evidence, IDLawton, "medicines"))
	assert.True(t, hasEvidence(p.Support.Medicines.Evidence, "", "cognition"))
	// washing 30, grooming 10, medicines 10, each × 1.25 rounded up to 5:
	// 40 + 15 + 15 = 70; meal preparation is practical, not personal care.
	assert.Equal(t, 70, p.Support.PersonalCareMinutesPerDay)
	var meal bool
	for _, tk := range p.Support.Tasks {
		if tk.Kind == TaskMealPrep {
			meal = true
			assert.False(t, tk.PersonalCare)
			assert.Equal(t, 30, tk.MinutesPerDay, "cognition factor applies to personal care only")
		}
	}
	assert.True(t, meal)
	ctl, _ := p.Area(AreaControl)
	assert.True(t, ctl.Concern)
	assert.True(t, hasEvidence(ctl.Evidence, IDLawton, "finances"))
	hs, _ := p.Need(OutcomeHomeSafety)
	assert.Equal(t, []Meaning{UnableEndangers}, hs.Meanings)
	assert.False(t, p.Support.DoubleHandedTransfers.Needed)

	// An observed medicines assessment overrides the derived level.
	a.Observations.Medicines = MedicinesPrompt
	p = evaluate(t, a)
	assert.Equal(t, MedicinesPrompt, p.Support.Medicines.Level)
}

func TestScenarioDepressionItem9(t *testing.T) {
	// 71, low mood since diagnosis, not eating properly, house neglected; PHQ-9 item 9 "several days".
	a := newAssessment("su-depr")
	add(t, a, PHQ9(), answers("1", 2, "2", 3, "3", 2, "4", 3, "5", 2, "6", 2, "7", 1, "8", 0, "9", 1))
	add(t, a, GAD7(), answers("1", 1, "2", 2, "3", 2, "4", 1, "5", 0, "6", 1, "7", 1))
	add(t, a, Barthel100(), barthel100())
	a.Observations = Observations{
		Impairment: Impairment{Mental: true},
		Outcomes: map[Outcome]OutcomeObservation{
			OutcomeNutrition:     {Unable: []Meaning{UnablePainDistress}},
			OutcomeHabitableHome: {Unable: []Meaning{UnableTakesLonger}},
		},
	}
	p := evaluate(t, a)

	require.True(t, p.HasFlag(FlagSelfHarm))
	crisis, ok := p.Referral(ReferCrisis)
	require.True(t, ok)
	assert.Equal(t, EscalateSameDay, crisis.Urgency)
	assert.True(t, hasEvidence(crisis.Evidence, IDPHQ9, "9"))
	mh, ok := p.Referral(ReferMentalHealth)
	require.True(t, ok, "PHQ-9 16 ≥10")
	assert.Equal(t, EscalateRoutine, mh.Urgency)
	assert.False(t, p.HasFlag(FlagAnxiety), "GAD-7 8 is mild")

	assert.ElementsMatch(t, []Outcome{OutcomeNutrition, OutcomeHabitableHome}, unableSet(p))
	n, _ := p.Need(OutcomeNutrition)
	assert.Equal(t, []Meaning{UnablePainDistress}, n.Meanings)
	assert.Equal(t, SourceObservation, n.Evidence[0].Source)
	assert.True(t, p.Eligibility.Eligible)
	prot, _ := p.Area(AreaProtection)
	assert.True(t, prot.Concern)
	assert.Zero(t, p.Support.PersonalCareMinutesPerDay)
	for _, f := range p.Flags {
		assert.Equal(t, assessed, f.Evidence[0].Date, "flags are dated by the assessment")
	}
}

func TestScenarioBedboundPressureRisk(t *testing.T) {
	// 88, bedbound after a stroke, cannot turn herself, lives alone, sacral wound.
	a := newAssessment("su-bed")
	add(t, a, Barthel100(), barthel100("feeding", 5, "bathing", 0, "grooming", 0, "dressing", 0, "bowels", 5,
		"bladder", 0, "toilet", 0, "transfers", 0, "mobility", 0, "stairs", 0))
	add(t, a, Braden(), answers("sensory", 2, "moisture", 2, "activity", 1, "mobility", 2, "nutrition", 2, "friction", 1))
	a.Observations = Observations{Impairment: Impairment{Physical: true}, TransferCarers: 2,
		CannotRepositionAlone: true, LivesAlone: true, Nursing: []NursingNeed{NursingWoundCare}}
	p := evaluate(t, a)

	assert.Equal(t, 4, p.Support.Repositioning.IntervalHours, "Braden 10 is high risk")
	assert.True(t, p.Support.Repositioning.MaxGapBetweenVisits)
	assert.True(t, hasEvidence(p.Support.Repositioning.Evidence, IDBraden, ""))
	assert.True(t, p.Support.DoubleHandedTransfers.Needed)
	assert.Contains(t, p.Support.DoubleHandedTransfers.Reason, "risk assessment")
	_, ot := p.Referral(ReferOT)
	assert.True(t, ot, "bathing dependent")
	dn, ok := p.Referral(ReferDistrictNurse)
	require.True(t, ok)
	assert.True(t, hasEvidence(dn.Evidence, "", "nursing"))
	assert.True(t, p.Support.Nursing.Needed)
	// eating 30 + washing 30 + grooming 10 + dressing 20 + toileting 30 + continence 20
	// + transfers 15 + repositioning 20 = 175
	assert.Equal(t, 175, p.Support.PersonalCareMinutesPerDay)
	assert.ElementsMatch(t, []Outcome{OutcomeNutrition, OutcomeHygiene, OutcomeToilet, OutcomeClothed, OutcomeHomeSafety, OutcomeCommunity}, unableSet(p))
	assert.True(t, p.Eligibility.Eligible)
	assert.Equal(t, HomeWithSupport, p.Home.Status)

	// A tighter tariff puts the same needs over the home threshold.
	tight := DefaultTariff()
	tight.ID, tight.MaxHomeMinutesPerDay = "tight", 120
	p, err := Evaluate(a, Options{Tariff: &tight})
	require.NoError(t, err)
	assert.Equal(t, HomeReview, p.Home.Status)
	assert.Equal(t, "tight", p.Tariff)
}

func TestScenarioMalnutrition(t *testing.T) {
	// 76 with COPD, lost 8% of weight in 3 months, BMI 18; cannot shop or cook.
	a := newAssessment("su-must")
	bmi, err := MUSTBMIScore(18)
	require.NoError(t, err)
	wl, err := MUSTWeightLossScore(60, 55.2)
	require.NoError(t, err)
	add(t, a, MUST(), answers("bmi", bmi, "weight-loss", wl))
	add(t, a, Lawton(), lawton("food", 4, "shopping", 4))
	a.Observations = Observations{Impairment: Impairment{Physical: true}}
	p := evaluate(t, a)

	r, _ := a.Result(IDMUST)
	assert.Equal(t, 3.0, r.Score)
	assert.Equal(t, "high", r.Band.Code)
	n, _ := p.Need(OutcomeNutrition)
	assert.ElementsMatch(t, []Meaning{UnableWithoutAssistance, UnableEndangers}, n.Meanings)
	d, ok := p.Referral(ReferDietitian)
	require.True(t, ok)
	assert.Equal(t, "high", d.Evidence[0].Band)
	assert.True(t, p.HasFlag(FlagMalnutrition))
	assert.ElementsMatch(t, []Outcome{OutcomeNutrition, OutcomeCommunity}, unableSet(p))
	assert.True(t, p.Eligibility.Eligible)
	assert.Zero(t, p.Support.PersonalCareMinutesPerDay, "meal preparation is not personal care")
	require.Len(t, p.Support.Tasks, 1)
	assert.Equal(t, TaskMealPrep, p.Support.Tasks[0].Kind)
}

func TestScenarioSevereDementiaContinuousSupervision(t *testing.T) {
	// 86, advanced vascular dementia, wanders at night; family visit daily.
	a := newAssessment("su-severe")
	add(t, a, Katz(), answers("bathing", 0, "dressing", 0, "toileting", 0, "transferring", 1, "continence", 0, "feeding", 1))
	a.Observations = Observations{Impairment: Impairment{Mental: true}, Cognition: CognitionSevere, ContinuousSupervision: true, LivesAlone: true}
	p := evaluate(t, a)

	assert.Equal(t, MedicinesAdminister, p.Support.Medicines.Level)
	assert.Equal(t, HomeReview, p.Home.Status)
	assert.Equal(t, "continuousSupervision", p.Home.Evidence[0].Item)
	assert.ElementsMatch(t, []Outcome{OutcomeHygiene, OutcomeClothed, OutcomeToilet, OutcomeHomeSafety}, unableSet(p))
	// washing 30, dressing 20, toileting 30, continence 20, medicines 10 × 1.25:
	// 40 + 25 + 40 + 25 + 15 = 145
	assert.Equal(t, 145, p.Support.PersonalCareMinutesPerDay)
	assert.True(t, p.Eligibility.Eligible)
	assert.True(t, hasEvidence(p.Needs[1].Evidence, IDKatz, "bathing"))
}

func TestScenarioNeedsWithoutImpairmentNotEligible(t *testing.T) {
	// 67, recovering from a planned operation; needs help bathing and dressing
	// but no impairment or illness is recorded.
	a := newAssessment("su-noimp")
	add(t, a, Katz(), answers("bathing", 0, "dressing", 0, "toileting", 1, "transferring", 1, "continence", 1, "feeding", 1))
	p := evaluate(t, a)
	assert.True(t, p.Eligibility.Outcomes.Met)
	assert.True(t, hasEvidence(p.Eligibility.Outcomes.Evidence, "", string(OutcomeHygiene)))
	assert.True(t, hasEvidence(p.Eligibility.Outcomes.Evidence, "", string(OutcomeClothed)))
	assert.True(t, p.Eligibility.Impact.Met, "dignity is affected")
	assert.True(t, hasEvidence(p.Eligibility.Impact.Evidence, "", string(AreaDignity)))
	assert.Empty(t, p.Eligibility.Impairment.Evidence)
	assert.False(t, p.Eligibility.Impairment.Met)
	assert.False(t, p.Eligibility.Eligible)
	assert.Equal(t, 50, p.Support.PersonalCareMinutesPerDay, "needs are still met by support if chosen")

	// The practitioner records the illness but judges the impact not significant.
	no := false
	a.Observations = Observations{Impairment: Impairment{Physical: true}, SignificantImpact: &no}
	p = evaluate(t, a)
	assert.True(t, p.Eligibility.Impairment.Met)
	assert.False(t, p.Eligibility.Impact.Met)
	assert.Equal(t, BasisObservation, p.Eligibility.Impact.Basis)
	assert.False(t, p.Eligibility.Eligible)
	assert.True(t, p.Eligibility.NeedsConfirmation, "the outcome count is derived from scores")
}

func TestScenarioSafeguardingAndFallsAlreadyReferred(t *testing.T) {
	// 58 with Parkinson's, frail, already referred to the falls service;
	// a neighbour reported financial abuse.
	a := newAssessment("su-safe")
	add(t, a, Barthel20(), []Response{{"feeding", 2}, {"bathing", 1}, {"grooming", 1}, {"dressing", 1}, {"bowels", 2},
		{"bladder", 2}, {"toilet", 2}, {"transfers", 2}, {"mobility", 2}, {"stairs", 1}})
	a.Falls = &FallsProfile{Age: 58, FallsLast12Months: 1, Frailty: true, RiskFactors: []FallsRiskFactor{FallsCognition}, Referral: FallsReferred}
	a.Observations = Observations{Impairment: Impairment{Physical: true}, SafeguardingConcern: true}
	p := evaluate(t, a)
	_, falls := p.Referral(ReferFalls)
	assert.False(t, falls, "already referred")
	require.True(t, p.HasFlag(FlagFalls))
	assert.Equal(t, SeverityInfo, p.Flags[0].Severity)
	sg, ok := p.Referral(ReferSafeguarding)
	require.True(t, ok)
	assert.Equal(t, EscalateSameDay, sg.Urgency)
	// Barthel 0–20 form: dressing level 1 of 2 → clothed; transfers 2 of 3 → home safety.
	assert.ElementsMatch(t, []Outcome{OutcomeClothed, OutcomeHomeSafety}, unableSet(p))
	assert.False(t, p.Support.DoubleHandedTransfers.Needed, "minor help only")
	prot, _ := p.Area(AreaProtection)
	assert.True(t, prot.Concern)
	assert.True(t, hasEvidence(prot.Evidence, "", "safeguardingConcern"))
	hs, _ := p.Need(OutcomeHomeSafety)
	assert.ElementsMatch(t, []Meaning{UnableWithoutAssistance, UnableEndangers}, hs.Meanings)
	assert.True(t, hasEvidence(hs.Evidence, IDBarthel20, "transfers"))
	assert.True(t, hasEvidence(hs.Evidence, "", "frailty"), "NG249 case-finding on frailty at 58 with a risk factor")
	assert.True(t, p.Eligibility.Eligible, "physical impairment, two outcomes, impact on dignity and accommodation")
	assert.True(t, p.Eligibility.NeedsConfirmation)
	// Dressing 20 + transfers 15 (no double-up) = 35.
	assert.Equal(t, 35, p.Support.PersonalCareMinutesPerDay)
	assert.Equal(t, HomeWithSupport, p.Home.Status)
}

func TestScenarioFullyIndependent(t *testing.T) {
	// 70, active volunteer, screened after a bereavement: everything scores well.
	a := newAssessment("su-indep")
	add(t, a, Barthel100(), barthel100())
	add(t, a, Lawton(), lawton())
	add(t, a, PHQ2(), answers("1", 1, "2", 1))
	add(t, a, UCLA3(), answers("1", 1, "2", 1, "3", 2))
	a.Falls = &FallsProfile{Age: 70}
	p := evaluate(t, a)
	assert.Empty(t, unableSet(p))
	assert.False(t, p.Eligibility.Eligible)
	assert.False(t, p.Eligibility.Outcomes.Met)
	assert.False(t, p.Eligibility.Impact.Met)
	assert.Empty(t, p.Flags)
	assert.Empty(t, p.Referrals)
	assert.Empty(t, p.Support.Tasks)
	assert.False(t, p.Support.Befriending.Needed)
	assert.Equal(t, HomeIndependent, p.Home.Status)
	require.Len(t, p.Home.Evidence, 4, "one piece of evidence per instrument scored")
	assert.Equal(t, IDBarthel100, p.Home.Evidence[0].Instrument)
	assert.Equal(t, 100.0, p.Home.Evidence[0].Value)
	for _, area := range p.Wellbeing {
		assert.False(t, area.Concern, area.Area)
	}
}

func TestFallsCaseFinding(t *testing.T) {
	cases := []struct {
		p    FallsProfile
		want bool
		str  FallsStratum
	}{
		{FallsProfile{Age: 70}, false, FallsLow},
		{FallsProfile{Age: 70, FallsLast12Months: 1}, false, FallsLow},
		{FallsProfile{Age: 70, FallsLast12Months: 1, GaitBalanceProblems: true}, true, FallsIntermediate},
		{FallsProfile{Age: 70, FallsLast12Months: 2}, true, FallsHigh},
		{FallsProfile{Age: 65, InjuriousFall: true}, true, FallsHigh},
		{FallsProfile{Age: 60, InjuriousFall: true}, false, FallsHigh},
		{FallsProfile{Age: 60, InjuriousFall: true, RiskFactors: []FallsRiskFactor{FallsVision}}, true, FallsHigh},
		{FallsProfile{Age: 45, Frailty: true}, false, FallsHigh},
		{FallsProfile{Age: 80, UnableToGetUp: true}, false, FallsHigh},
	}
	for i, c := range cases {
		got, ev := c.p.CaseFinding()
		assert.Equal(t, c.want, got, "case %d", i)
		if got {
			assert.NotEmpty(t, ev)
			assert.Len(t, c.p.Flags(), 1)
		} else {
			assert.Empty(t, c.p.Flags())
		}
		assert.Equal(t, c.str, c.p.Stratum(), "case %d", i)
	}
	assert.ErrorIs(t, FallsProfile{Age: -1}.Validate(), care.ErrInvalid)
	assert.ErrorIs(t, FallsProfile{Age: 70, RiskFactors: []FallsRiskFactor{"luck"}}.Validate(), care.ErrInvalid)
}

func TestEvaluateRejectsBadInput(t *testing.T) {
	_, err := Evaluate(nil, Options{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	a := newAssessment("x")
	a.Date = time.Time{}
	_, err = Evaluate(a, Options{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	a = newAssessment("x")
	a.Observations.Outcomes = map[Outcome]OutcomeObservation{OutcomeHygiene: {NotApplicable: true}}
	_, err = Evaluate(a, Options{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	a.Observations.Outcomes = map[Outcome]OutcomeObservation{OutcomeHygiene: {Unable: []Meaning{"tired"}}}
	_, err = Evaluate(a, Options{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	a.Observations = Observations{TransferCarers: 3}
	_, err = Evaluate(a, Options{})
	assert.ErrorIs(t, err, care.ErrInvalid)
	bad := DefaultTariff()
	bad.CognitionFactor = 0.5
	_, err = Evaluate(newAssessment("y"), Options{Tariff: &bad})
	assert.ErrorIs(t, err, care.ErrInvalid)

	b := newAssessment("z")
	add(t, b, PHQ9(), uniform(PHQ9(), 0))
	_, err = b.Add(PHQ9(), uniform(PHQ9(), 0))
	assert.ErrorIs(t, err, care.ErrInvalid, "instrument twice")
	_, err = b.Add(GAD7(), answers("1", 9))
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorIs(t, err, ErrMissing)
}

func TestPictureValidateCatchesInconsistency(t *testing.T) {
	a := newAssessment("v")
	add(t, a, Katz(), answers("bathing", 0, "dressing", 0, "toileting", 1, "transferring", 1, "continence", 1, "feeding", 1))
	a.Observations.Impairment.Physical = true
	p := evaluate(t, a)
	q := *p
	q.Support.PersonalCareMinutesPerDay++
	assert.ErrorIs(t, q.Validate(), care.ErrInvalid)
	q = *p
	q.Eligibility.Eligible = !q.Eligibility.Eligible
	assert.ErrorIs(t, q.Validate(), care.ErrInvalid)
	q = *p
	q.Needs = q.Needs[1:]
	assert.ErrorIs(t, q.Validate(), care.ErrInvalid)
}

func TestAssessmentJSONRoundTrip(t *testing.T) {
	a := newAssessment("json")
	add(t, a, PHQ9(), answers("1", 1, "2", 1, "3", 0, "4", 0, "5", 0, "6", 0, "7", 0, "8", 0, "9", 1))
	add(t, a, SWEMWBS(), answers("1", 4, "2", 4, "3", 4, "6", 4, "7", 4, "9", 4, "11", 4))
	a.Falls = &FallsProfile{Age: 75, FallsLast12Months: 2, RiskFactors: []FallsRiskFactor{FallsVision}, Referral: FallsReferred}
	yes := true
	a.Observations = Observations{Impairment: Impairment{Mental: true}, Cognition: CognitionMild, TransferCarers: 1,
		Outcomes:          map[Outcome]OutcomeObservation{OutcomeCommunity: {Unable: []Meaning{UnablePainDistress}, Note: "n1"}, OutcomeWork: {NotApplicable: true}},
		SignificantImpact: &yes, Nursing: []NursingNeed{NursingInjections}, Medicines: MedicinesAssist}
	raw, err := json.Marshal(a)
	require.NoError(t, err)
	back, err := DecodeAssessment(bytesReader(raw), DefaultCatalogue())
	require.NoError(t, err)
	assert.Equal(t, a, back, "every field survives the round trip")
	assert.Equal(t, a.Results, back.Results)
	assert.Equal(t, *a.Falls, *back.Falls)
	p1, err := Evaluate(a, Options{})
	require.NoError(t, err)
	p2, err := Evaluate(back, Options{})
	require.NoError(t, err)
	assert.Equal(t, p1, p2, "the decoded assessment evaluates the same")

	// A tampered score is caught on re-scoring.
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	m["results"].([]any)[1].(map[string]any)["score"] = 30.0
	raw2, err := json.Marshal(m)
	require.NoError(t, err)
	_, err = DecodeAssessment(bytesReader(raw2), DefaultCatalogue())
	assert.ErrorIs(t, err, ErrScoreMismatch)
	_, err = DecodeAssessment(bytesReader([]byte(`{"id":"a","bogus":1}`)), DefaultCatalogue())
	assert.ErrorIs(t, err, care.ErrInvalid)
}
