package careplan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fundedPlan adds rate cards and mixed funding to hoistPlan.
func fundedPlan() *Plan {
	p := hoistPlan()
	p.Funding = Funding{
		RateCards: []RateCard{{Provider: "agency", PerHour: 2400, SecondCarerPerHour: 2000,
			DayStart: "07:00", DayEnd: "20:00", UnsocialPercent: 25, WeekendPercent: 10}},
		Funders: []Funder{
			{ID: "la", Kind: LocalAuthority, Covers: []TaskKind{TaskPersonalCare, TaskTransfer, TaskMedicines}, WeeklyCap: 50000},
			{ID: "self", Kind: SelfFunded},
		},
	}
	return p
}

func TestWeeklyCostWorkedByHand(t *testing.T) {
	p := fundedPlan()
	est, err := p.WeeklyCost()
	require.NoError(t, err)
	byVisit := map[string]VisitCost{}
	for _, v := range est.Visits {
		byVisit[v.Visit] = v
	}
	// 08:00, 55 min, two carers at £24 and £20 an hour:
	//   weekday 2200 + 1833.33 = 4033.33p; weekend +10% = 4436.67p;
	//   week 5*4033.33 + 2*4436.67 = 29040p.
	assert.Equal(t, Pence(29040), byVisit["p1-agency-0800"].Weekly)
	assert.Equal(t, Pence(4033), byVisit["p1-agency-0800"].PerOccurrence)
	// 13:00, 30 min, one carer: 1200p weekdays, 1320p at weekends: 6000 + 2640 = 8640p.
	assert.Equal(t, Pence(8640), byVisit["p1-agency-1300"].Weekly)
	// 20:00, 35 min, two carers, all minutes unsocial (+25%, the larger uplift at weekends too):
	//   (1400 + 1166.67) * 1.25 = 3208.33p a day; 7 days = 22458.33 -> 22458p.
	assert.Equal(t, Pence(22458), byVisit["p1-agency-2000"].Weekly)
	assert.Equal(t, Pence(60138), est.Total)
	assert.Equal(t, "£601.38", est.Total.String())
	assert.ElementsMatch(t, []string{"p1-dn-1100-MO,TH", "p1-vol-1400-WE"}, est.Uncosted)
	// Split: the council pays personal care, transfers and medicines: 29040 + half of
	// lunch's 8640 (10 of 20 minutes) + 22458 = 55818, capped at 50000; the person pays
	// lunch's other half 4320 plus the excess 5818 = 10138.
	assert.Equal(t, Pence(50000), est.ByFunder["la"])
	assert.Equal(t, Pence(10138), est.ByFunder["self"])
	assert.Equal(t, est.Total, est.ByFunder["la"]+est.ByFunder["self"])
	assert.True(t, p.Funding.Mixed())
}

func TestWeeklyCostPerVisitFeeMinimumAndEveryWeeks(t *testing.T) {
	p := fundedPlan()
	p.Funding.RateCards = append(p.Funding.RateCards, RateCard{Provider: "vol", PerHour: 600, PerVisit: 300, MinimumMinutes: 90})
	// The befriender every 2 weeks: one occurrence = 300 + 90/60*600 = 1200p; per week 600p.
	p.Tasks[5].EveryWeeks = 2
	est, err := p.WeeklyCost()
	require.NoError(t, err)
	for _, v := range est.Visits {
		if v.Visit == "p1-vol-1400-WE-w2" {
			assert.Equal(t, Pence(1200), v.PerOccurrence)
			assert.Equal(t, Pence(600), v.Weekly)
		}
	}
	assert.Equal(t, Pence(60138+600), est.Total)
}

func TestWeeklyCostNoFunder(t *testing.T) {
	p := fundedPlan()
	p.Funding.Funders = p.Funding.Funders[:1] // no residual funder for meals
	_, err := p.WeeklyCost()
	require.ErrorIs(t, err, ErrNoFunder)
	assert.Contains(t, err.Error(), `task "lunch"`)
}

func TestFundingValidation(t *testing.T) {
	p := fundedPlan()
	p.Funding.Funders = append(p.Funding.Funders, Funder{ID: "chc", Kind: NHSCHC})
	p.Funding.RateCards[0].Provider = "nobody"
	err := p.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "2 funders have no covers")
	assert.Contains(t, err.Error(), `unknown practitioner "nobody"`)
}

func TestApportion(t *testing.T) {
	assert.Equal(t, []Pence{34, 33, 33}, apportion(100, []int{1, 1, 1}))
	assert.Equal(t, []Pence{25, 75}, apportion(100, []int{10, 30}))
	assert.Equal(t, []Pence{7, 0}, apportion(7, []int{0, 0}))
	var sum Pence
	for _, x := range apportion(1001, []int{3, 7, 11, 13}) {
		sum += x
	}
	assert.Equal(t, Pence(1001), sum)
}
