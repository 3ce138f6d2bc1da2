package careplan

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Pence is an amount of money in pence (GBP minor units). Integer money
// keeps weekly totals exact and splits summing to the total.
type Pence int64

// String formats the amount as pounds, e.g. "£123.45".
func (p Pence) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s£%d.%02d", sign, p/100, p%100)
}

// FunderKind is who pays for care.
type FunderKind string

// Kinds of funder (REFERENCE §1.10: personal budget and direct payments, Care Act s.25).
const (
	LocalAuthority FunderKind = "local_authority"
	SelfFunded     FunderKind = "self_funded"
	NHSCHC         FunderKind = "nhs_chc" // NHS Continuing Healthcare
	DirectPayment  FunderKind = "direct_payment"
)

// Funder is one payer of the plan. It pays for the task kinds in Covers; a
// funder with no Covers pays for everything no other funder covers (there
// must be exactly one such residual funder when any cost is uncovered).
// WeeklyCap, when above 0, limits what it pays a week (e.g. a personal
// budget); the excess falls to the residual funder. Funding is mixed when
// it has several funders.
type Funder struct {
	ID        string     `json:"id"`                   // unique within the plan
	Kind      FunderKind `json:"kind"`                 // who pays
	Covers    []TaskKind `json:"covers,omitempty"`     // task kinds it pays for; empty = the remainder
	WeeklyCap Pence      `json:"weekly_cap,omitempty"` // most it pays a week; 0 = no cap
}

// RateCard is a practitioner's charges: an hourly rate per carer, a fee per
// visit per carer, a rate for the second carer of a double-handed visit,
// a minimum billed length, and an uplift for unsocial hours (early, late and
// at weekends).
type RateCard struct {
	Provider string `json:"provider"`            // practitioner ID
	PerHour  Pence  `json:"per_hour"`            // hourly rate per carer
	PerVisit Pence  `json:"per_visit,omitempty"` // fee per visit per carer
	// SecondCarerPerHour is the hourly rate of the second carer; 0 = PerHour.
	SecondCarerPerHour Pence `json:"second_carer_per_hour,omitempty"`
	// MinimumMinutes is the least time billed per visit; 0 = none.
	MinimumMinutes int `json:"minimum_minutes,omitempty"`
	// Unsocial hours: minutes before DayStart or from DayEnd ("07:00", "20:00")
	// carry UnsocialPercent extra; every minute at a weekend carries
	// WeekendPercent extra. The larger uplift applies, never both.
	DayStart        string `json:"day_start,omitempty"`
	DayEnd          string `json:"day_end,omitempty"`          // "HH:MM"; "" = 24:00 (no evening unsocial hours)
	UnsocialPercent int    `json:"unsocial_percent,omitempty"` // uplift in percent for unsocial minutes; 0 = none
	WeekendPercent  int    `json:"weekend_percent,omitempty"`  // uplift in percent for weekend minutes; 0 = none
}

// Funding holds the funders and the rate cards of a plan.
type Funding struct {
	Funders   []Funder   `json:"funders,omitempty"`    // who pays
	RateCards []RateCard `json:"rate_cards,omitempty"` // one per practitioner that charges
}

// Mixed reports whether more than one funder pays.
func (f *Funding) Mixed() bool { return len(f.Funders) > 1 }

func (f *Funding) validate(plan string, prac map[string]bool) error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fieldErr(plan, field, format, args...))
	}
	seen := map[string]bool{}
	residual := 0
	for i, fu := range f.Funders {
		fl := fmt.Sprintf("funding.funders[%d]", i)
		if fu.ID == "" || seen[fu.ID] {
			bad(fl+".id", "missing or duplicate funder id %q", trunc(fu.ID))
		}
		seen[fu.ID] = true
		if !slices.Contains([]FunderKind{LocalAuthority, SelfFunded, NHSCHC, DirectPayment}, fu.Kind) {
			bad(fl+".kind", "unknown funder kind %q", trunc(string(fu.Kind)))
		}
		if fu.WeeklyCap < 0 {
			bad(fl+".weekly_cap", "must not be negative")
		}
		if len(fu.Covers) == 0 {
			residual++
			if fu.WeeklyCap > 0 {
				bad(fl+".weekly_cap", "the residual funder (no covers) cannot be capped")
			}
		}
		for _, k := range fu.Covers {
			if !slices.Contains(TaskKinds(), k) {
				bad(fl+".covers", "unknown task kind %q", trunc(string(k)))
			}
		}
	}
	if residual > 1 {
		bad("funding.funders", "%d funders have no covers; at most one may pay the remainder", residual)
	}
	cards := map[string]bool{}
	for i, rc := range f.RateCards {
		fl := fmt.Sprintf("funding.rate_cards[%d]", i)
		if !prac[rc.Provider] {
			bad(fl+".provider", "unknown practitioner %q", trunc(rc.Provider))
		}
		if cards[rc.Provider] {
			bad(fl+".provider", "second rate card for %q", trunc(rc.Provider))
		}
		cards[rc.Provider] = true
		if rc.MinimumMinutes > 24*60 {
			bad(fl+".minimum_minutes", "%d over a day (1440)", rc.MinimumMinutes)
		}
		if rc.PerHour < 0 || rc.PerVisit < 0 || rc.SecondCarerPerHour < 0 || rc.MinimumMinutes < 0 ||
			rc.UnsocialPercent < 0 || rc.WeekendPercent < 0 {
			bad(fl, "rates, minimum and uplifts must not be negative")
		}
		for _, s := range []string{rc.DayStart, rc.DayEnd} {
			if s != "" {
				if _, err := parseClock(s); err != nil {
					bad(fl+".day_start/day_end", "%v", err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// ErrNoFunder matches an estimate in which some cost has no funder to pay it.
var ErrNoFunder = errors.New("no funder pays")

// VisitCost is the weekly cost of one visit.
type VisitCost struct {
	Visit         string `json:"visit"`          // the visit ID
	PerOccurrence Pence  `json:"per_occurrence"` // the first of its days in the week
	Weekly        Pence  `json:"weekly"`         // cost a week (1/n for every n weeks)
}

// Estimate is a weekly cost estimate split between funders.
type Estimate struct {
	Visits   []VisitCost      `json:"visits"`    // cost of each costed visit
	Total    Pence            `json:"total"`     // cost a week
	ByFunder map[string]Pence `json:"by_funder"` // what each funder pays a week
	// Uncosted lists visits whose provider has no rate card (e.g. a GP appointment).
	Uncosted []string `json:"uncosted,omitempty"`
}

// WeeklyCost estimates the plan's weekly cost from its visits and rate cards
// and splits it between its funders. Each occurrence costs, per carer,
// PerVisit plus the billed minutes (at least MinimumMinutes) at the hourly
// rate (the second carer's rate for the second carer), with the unsocial or
// weekend uplift on the minutes it applies to; amounts are rounded to the
// penny per visit and week. A visit repeating every n weeks costs 1/n per
// week. Each visit's weekly cost is split between its tasks by their
// minutes (largest remainder, so parts sum to the whole), each task's part
// goes to the funder covering its kind or else the residual funder, and a
// capped funder's excess goes to the residual funder.
func (p *Plan) WeeklyCost() (Estimate, error) {
	vs, err := p.Visits()
	if err != nil {
		return Estimate{}, err
	}
	est := Estimate{ByFunder: map[string]Pence{}}
	for _, fu := range p.Funding.Funders {
		est.ByFunder[fu.ID] = 0
	}
	residual := ""
	for _, fu := range p.Funding.Funders {
		if len(fu.Covers) == 0 {
			residual = fu.ID
		}
	}
	for _, v := range vs {
		rc, ok := p.rateCard(v.Provider)
		if !ok {
			est.Uncosted = append(est.Uncosted, v.ID)
			continue
		}
		var weekly float64 // pence per week, exact until rounded
		per := Pence(0)
		for _, d := range v.Days {
			c := rc.occurrence(&v, d)
			weekly += c
			if per == 0 {
				per = Pence(c + 0.5)
			}
		}
		weekly /= float64(max(v.EveryWeeks, 1))
		w := Pence(weekly + 0.5)
		est.Visits = append(est.Visits, VisitCost{Visit: v.ID, PerOccurrence: per, Weekly: w})
		est.Total += w
		// Split by task minutes.
		var weights []int
		var payers []string
		for _, id := range v.Tasks {
			t, _ := p.Task(id)
			payer := residual
			for _, fu := range p.Funding.Funders {
				if slices.Contains(fu.Covers, t.Kind) {
					payer = fu.ID
					break
				}
			}
			if payer == "" {
				return Estimate{}, fmt.Errorf("plan %q: visit %q: task %q (%s): %w", p.ID, v.ID, t.ID, t.Kind, ErrNoFunder)
			}
			weights = append(weights, t.Minutes)
			payers = append(payers, payer)
		}
		for i, part := range apportion(w, weights) {
			est.ByFunder[payers[i]] += part
		}
	}
	for _, fu := range p.Funding.Funders {
		if fu.WeeklyCap > 0 && est.ByFunder[fu.ID] > fu.WeeklyCap {
			if residual == "" {
				return Estimate{}, fmt.Errorf("plan %q: funder %q: %s over its weekly cap and no residual funder: %w",
					p.ID, fu.ID, est.ByFunder[fu.ID]-fu.WeeklyCap, ErrNoFunder)
			}
			est.ByFunder[residual] += est.ByFunder[fu.ID] - fu.WeeklyCap
			est.ByFunder[fu.ID] = fu.WeeklyCap
		}
	}
	return est, nil
}

func (p *Plan) rateCard(provider string) (RateCard, bool) {
	for _, rc := range p.Funding.RateCards {
		if rc.Provider == provider {
			return rc, true
		}
	}
	return RateCard{}, false
}

// occurrence returns the cost in pence of one occurrence of v on day d.
func (rc RateCard) occurrence(v *Visit, d Day) float64 {
	mins := max(v.Minutes, rc.MinimumMinutes)
	start, _ := parseClock(v.Time)
	dayStart, dayEnd := 0, 1440
	if rc.DayStart != "" {
		dayStart, _ = parseClock(rc.DayStart)
	}
	if rc.DayEnd != "" {
		dayEnd, _ = parseClock(rc.DayEnd)
	}
	// Uplifted minute-percent: sum over minutes of the uplift percentage.
	var upl int
	for m := start; m < start+mins; m++ {
		u := 0
		if tod := m % 1440; tod < dayStart || tod >= dayEnd {
			u = rc.UnsocialPercent
		}
		if d.Weekend() {
			u = max(u, rc.WeekendPercent)
		}
		upl += u
	}
	minuteCost := func(rate Pence) float64 {
		return float64(rate)*float64(mins)/60 + float64(rate)*float64(upl)/6000
	}
	c := float64(rc.PerVisit) + minuteCost(rc.PerHour)
	if v.Carers == 2 {
		second := rc.SecondCarerPerHour
		if second == 0 {
			second = rc.PerHour
		}
		c += float64(rc.PerVisit) + minuteCost(second)
	}
	return c
}

// apportion splits total in proportion to weights by the largest remainder
// method, so the parts sum to total.
func apportion(total Pence, weights []int) []Pence {
	out := make([]Pence, len(weights))
	sum := 0
	for _, w := range weights {
		sum += w
	}
	if sum == 0 {
		if len(out) > 0 {
			out[0] = total
		}
		return out
	}
	type rem struct {
		i int
		r int64
	}
	var rems []rem
	var given Pence
	for i, w := range weights {
		q := int64(total) * int64(w)
		out[i] = Pence(q / int64(sum))
		given += out[i]
		rems = append(rems, rem{i, q % int64(sum)})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}
