package assessment

// Outcome is one of the ten specified outcomes of the Care and Support
// (Eligibility Criteria) Regulations 2015 (SI 2015/313) reg 2(2)(a)–(j)
// (REFERENCE §1.10). There is no hierarchy among them.
type Outcome string

// The specified outcomes, reg 2(2)(a)–(j).
const (
	OutcomeNutrition     Outcome = "nutrition"      // (a) managing and maintaining nutrition
	OutcomeHygiene       Outcome = "hygiene"        // (b) maintaining personal hygiene
	OutcomeToilet        Outcome = "toilet"         // (c) managing toilet needs
	OutcomeClothed       Outcome = "clothed"        // (d) being appropriately clothed
	OutcomeHomeSafety    Outcome = "home-safety"    // (e) being able to make use of the home safely
	OutcomeHabitableHome Outcome = "habitable-home" // (f) maintaining a habitable home environment
	OutcomeRelationships Outcome = "relationships"  // (g) developing and maintaining family or other personal relationships
	OutcomeWork          Outcome = "work"           // (h) accessing and engaging in work, training, education or volunteering
	OutcomeCommunity     Outcome = "community"      // (i) making use of necessary facilities or services in the local community
	OutcomeChildCare     Outcome = "child-care"     // (j) carrying out any caring responsibilities for a child
)

// Outcomes returns the ten specified outcomes in regulation order.
func Outcomes() []Outcome {
	return []Outcome{OutcomeNutrition, OutcomeHygiene, OutcomeToilet, OutcomeClothed, OutcomeHomeSafety,
		OutcomeHabitableHome, OutcomeRelationships, OutcomeWork, OutcomeCommunity, OutcomeChildCare}
}

// Regulation returns the paragraph of SI 2015/313 that specifies the
// outcome, e.g. "2(2)(a)", or "" for an unknown outcome.
func (o Outcome) Regulation() string {
	for i, x := range Outcomes() {
		if x == o {
			return "2(2)(" + string(rune('a'+i)) + ")"
		}
	}
	return ""
}

// Description returns the outcome's wording in the regulation.
func (o Outcome) Description() string {
	switch o {
	case OutcomeNutrition:
		return "managing and maintaining nutrition"
	case OutcomeHygiene:
		return "maintaining personal hygiene"
	case OutcomeToilet:
		return "managing toilet needs"
	case OutcomeClothed:
		return "being appropriately clothed"
	case OutcomeHomeSafety:
		return "being able to make use of the adult's home safely"
	case OutcomeHabitableHome:
		return "maintaining a habitable home environment"
	case OutcomeRelationships:
		return "developing and maintaining family or other personal relationships"
	case OutcomeWork:
		return "accessing and engaging in work, training, education or volunteering"
	case OutcomeCommunity:
		return "making use of necessary facilities or services in the local community including public transport, and recreational facilities or services"
	case OutcomeChildCare:
		return "carrying out any caring responsibilities the adult has for a child"
	}
	return ""
}

// Meaning is one of the four meanings of "unable to achieve" in reg 2(3)
// (REFERENCE §1.10).
type Meaning string

// The meanings of "unable to achieve", reg 2(3)(a)–(d).
const (
	// UnableWithoutAssistance: cannot achieve the outcome without
	// assistance, including prompting (reg 2(3)(a)).
	UnableWithoutAssistance Meaning = "without-assistance"
	// UnablePainDistress: can, but doing so causes significant pain,
	// distress or anxiety (reg 2(3)(b)).
	UnablePainDistress Meaning = "pain-distress-anxiety"
	// UnableEndangers: can, but doing so endangers or is likely to endanger
	// the health or safety of the adult or others (reg 2(3)(c)).
	UnableEndangers Meaning = "endangers"
	// UnableTakesLonger: can, but it takes significantly longer than would
	// normally be expected (reg 2(3)(d)).
	UnableTakesLonger Meaning = "takes-longer"
)

// Meanings returns the four meanings in regulation order.
func Meanings() []Meaning {
	return []Meaning{UnableWithoutAssistance, UnablePainDistress, UnableEndangers, UnableTakesLonger}
}

// WellbeingArea is one of the nine wellbeing areas of the Care Act 2014
// s.1(2), the axes of the wellbeing model (REFERENCE §1.10).
type WellbeingArea string

// The wellbeing areas of Care Act 2014 s.1(2).
const (
	AreaDignity        WellbeingArea = "personal-dignity"
	AreaHealth         WellbeingArea = "health-and-emotional-wellbeing"
	AreaProtection     WellbeingArea = "protection-from-abuse-and-neglect"
	AreaControl        WellbeingArea = "control-over-day-to-day-life"
	AreaParticipation  WellbeingArea = "participation-in-work-education-recreation"
	AreaSocialEconomic WellbeingArea = "social-and-economic-wellbeing"
	AreaRelationships  WellbeingArea = "domestic-family-personal-relationships"
	AreaAccommodation  WellbeingArea = "suitability-of-living-accommodation"
	AreaContribution   WellbeingArea = "contribution-to-society"
)

// WellbeingAreas returns the nine areas in the order of s.1(2).
func WellbeingAreas() []WellbeingArea {
	return []WellbeingArea{AreaDignity, AreaHealth, AreaProtection, AreaControl, AreaParticipation,
		AreaSocialEconomic, AreaRelationships, AreaAccommodation, AreaContribution}
}
