package careplan

import (
	"testing"
	"time"

	"github.com/carecoord/care/assessment"
	"github.com/stretchr/testify/require"
)

// The scenario people of the assessment package's wellbeing tests, rebuilt
// here through its public API.

var assessed = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

func newAssessment(id string) *assessment.Assessment {
	return &assessment.Assessment{ID: "a-" + id, PersonID: id, Date: assessed, Assessor: "w-1"}
}

func add(t *testing.T, a *assessment.Assessment, in *assessment.Instrument, r []assessment.Response) {
	t.Helper()
	_, err := a.Add(in, r)
	require.NoError(t, err)
}

func answers(kv ...any) []assessment.Response {
	var out []assessment.Response
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, assessment.Response{Item: kv[i].(string), Value: kv[i+1].(int)})
	}
	return out
}

// barthel100 answers the Barthel 0-100 form fully independent, with overrides.
func barthel100(over ...any) []assessment.Response {
	v := map[string]int{"feeding": 10, "bathing": 5, "grooming": 5, "dressing": 10, "bowels": 10,
		"bladder": 10, "toilet": 10, "transfers": 15, "mobility": 15, "stairs": 10}
	for i := 0; i+1 < len(over); i += 2 {
		v[over[i].(string)] = over[i+1].(int)
	}
	var out []assessment.Response
	for _, it := range assessment.Barthel100().Items {
		out = append(out, assessment.Response{Item: it.ID, Value: v[it.ID]})
	}
	return out
}

// lawton answers every Lawton domain at level 1 (independent), with overrides.
func lawton(over ...any) []assessment.Response {
	v := map[string]int{}
	for i := 0; i+1 < len(over); i += 2 {
		v[over[i].(string)] = over[i+1].(int)
	}
	var out []assessment.Response
	for _, it := range assessment.Lawton().Items {
		lvl := 1
		if x, ok := v[it.ID]; ok {
			lvl = x
		}
		out = append(out, assessment.Response{Item: it.ID, Value: lvl})
	}
	return out
}

// scenario is one person of the wellbeing tests.
type scenario struct {
	name  string
	build func(t *testing.T) *assessment.Assessment
}

func scenarios() []scenario {
	return []scenario{
		{"lonely", func(t *testing.T) *assessment.Assessment {
			// Widowed at 79, manages every ADL and IADL, feels left out and isolated.
			a := newAssessment("su-lonely")
			add(t, a, assessment.Barthel100(), barthel100())
			add(t, a, assessment.Lawton(), lawton())
			add(t, a, assessment.UCLA3(), answers("1", 3, "2", 2, "3", 3))
			add(t, a, assessment.ONSLoneliness(), answers("1", 1))
			add(t, a, assessment.SWEMWBS(), answers("1", 3, "2", 3, "3", 3, "6", 3, "7", 3, "9", 2, "11", 3))
			return a
		}},
		{"hip", func(t *testing.T) *assessment.Assessment {
			// 84, home after a hip fracture from a fall; second fall this year.
			a := newAssessment("su-hip")
			add(t, a, assessment.Barthel100(), barthel100("bathing", 0, "grooming", 0, "dressing", 5, "toilet", 5,
				"transfers", 5, "mobility", 10, "stairs", 0))
			add(t, a, assessment.Waterlow(), answers("build", 0, "sex", 2, "age", 5, "weight-loss", 0, "eating-poorly", 0,
				"continence", 0, "mobility", 3, "surgery-orthopaedic", 5))
			a.Falls = &assessment.FallsProfile{Age: 84, FallsLast12Months: 2, InjuriousFall: true,
				RiskFactors: []assessment.FallsRiskFactor{assessment.FallsOsteoporosis, assessment.FallsHomeHazards}}
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Physical: true}, LivesAlone: true}
			return a
		}},
		{"dementia", func(t *testing.T) *assessment.Assessment {
			// 80, moderate Alzheimer's, lives alone, forgets meals and tablets.
			a := newAssessment("su-dementia")
			add(t, a, assessment.Barthel100(), barthel100("bathing", 0, "grooming", 0))
			add(t, a, assessment.Lawton(), lawton("food", 3, "medicines", 3, "shopping", 3, "transport", 4, "finances", 3))
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Mental: true},
				Cognition: assessment.CognitionModerate, LivesAlone: true}
			return a
		}},
		{"depression", func(t *testing.T) *assessment.Assessment {
			// 71, low mood, not eating properly, house neglected; PHQ-9 item 9 "several days".
			a := newAssessment("su-depr")
			add(t, a, assessment.PHQ9(), answers("1", 2, "2", 3, "3", 2, "4", 3, "5", 2, "6", 2, "7", 1, "8", 0, "9", 1))
			add(t, a, assessment.GAD7(), answers("1", 1, "2", 2, "3", 2, "4", 1, "5", 0, "6", 1, "7", 1))
			add(t, a, assessment.Barthel100(), barthel100())
			a.Observations = assessment.Observations{
				Impairment: assessment.Impairment{Mental: true},
				Outcomes: map[assessment.Outcome]assessment.OutcomeObservation{
					assessment.OutcomeNutrition:     {Unable: []assessment.Meaning{assessment.UnablePainDistress}},
					assessment.OutcomeHabitableHome: {Unable: []assessment.Meaning{assessment.UnableTakesLonger}},
				},
			}
			return a
		}},
		{"bedbound", func(t *testing.T) *assessment.Assessment {
			// 88, bedbound after a stroke, cannot turn herself, lives alone, sacral wound.
			a := newAssessment("su-bed")
			add(t, a, assessment.Barthel100(), barthel100("feeding", 5, "bathing", 0, "grooming", 0, "dressing", 0, "bowels", 5,
				"bladder", 0, "toilet", 0, "transfers", 0, "mobility", 0, "stairs", 0))
			add(t, a, assessment.Braden(), answers("sensory", 2, "moisture", 2, "activity", 1, "mobility", 2, "nutrition", 2, "friction", 1))
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Physical: true}, TransferCarers: 2,
				CannotRepositionAlone: true, LivesAlone: true, Nursing: []assessment.NursingNeed{assessment.NursingWoundCare}}
			return a
		}},
		{"malnutrition", func(t *testing.T) *assessment.Assessment {
			// 76 with COPD, lost 8% of weight in 3 months, BMI 18; cannot shop or cook.
			a := newAssessment("su-must")
			bmi, err := assessment.MUSTBMIScore(18)
			require.NoError(t, err)
			wl, err := assessment.MUSTWeightLossScore(60, 55.2)
			require.NoError(t, err)
			add(t, a, assessment.MUST(), answers("bmi", bmi, "weight-loss", wl))
			add(t, a, assessment.Lawton(), lawton("food", 4, "shopping", 4))
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Physical: true}}
			return a
		}},
		{"severe-dementia", func(t *testing.T) *assessment.Assessment {
			// 86, advanced vascular dementia, wanders at night; family visit daily.
			a := newAssessment("su-severe")
			add(t, a, assessment.Katz(), answers("bathing", 0, "dressing", 0, "toileting", 0, "transferring", 1, "continence", 0, "feeding", 1))
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Mental: true},
				Cognition: assessment.CognitionSevere, ContinuousSupervision: true, LivesAlone: true}
			return a
		}},
		{"no-impairment", func(t *testing.T) *assessment.Assessment {
			// 67, recovering from a planned operation; help bathing and dressing.
			a := newAssessment("su-noimp")
			add(t, a, assessment.Katz(), answers("bathing", 0, "dressing", 0, "toileting", 1, "transferring", 1, "continence", 1, "feeding", 1))
			return a
		}},
		{"safeguarding", func(t *testing.T) *assessment.Assessment {
			// 58 with Parkinson's, frail, already referred to the falls service; financial abuse reported.
			a := newAssessment("su-safe")
			add(t, a, assessment.Barthel20(), []assessment.Response{{Item: "feeding", Value: 2}, {Item: "bathing", Value: 1},
				{Item: "grooming", Value: 1}, {Item: "dressing", Value: 1}, {Item: "bowels", Value: 2}, {Item: "bladder", Value: 2},
				{Item: "toilet", Value: 2}, {Item: "transfers", Value: 2}, {Item: "mobility", Value: 2}, {Item: "stairs", Value: 1}})
			a.Falls = &assessment.FallsProfile{Age: 58, FallsLast12Months: 1, Frailty: true,
				RiskFactors: []assessment.FallsRiskFactor{assessment.FallsCognition}, Referral: assessment.FallsReferred}
			a.Observations = assessment.Observations{Impairment: assessment.Impairment{Physical: true}, SafeguardingConcern: true}
			return a
		}},
	}
}

// draft evaluates the scenario's assessment and drafts a plan from it.
func draft(t *testing.T, name string, opts DraftOptions) (*assessment.Picture, *Plan) {
	t.Helper()
	for _, s := range scenarios() {
		if s.name != name {
			continue
		}
		pic, err := assessment.Evaluate(s.build(t), assessment.Options{})
		require.NoError(t, err)
		if opts.PlanID == "" {
			opts.PlanID = PlanID("p-" + name)
		}
		p, err := FromAssessment(pic, opts)
		require.NoError(t, err)
		return pic, p
	}
	t.Fatalf("no scenario %q", name)
	return nil, nil
}
