package assessment

import (
	"fmt"
	"math"
	"strconv"

	"github.com/carecoord/care"
)

// Instrument IDs of the built-in instruments.
const (
	IDBarthel100    = "barthel100"
	IDBarthel20     = "barthel20"
	IDKatz          = "katz"
	IDLawton        = "lawton"
	IDWEMWBS        = "wemwbs"
	IDSWEMWBS       = "swemwbs"
	IDPHQ9          = "phq9"
	IDPHQ2          = "phq2"
	IDGAD7          = "gad7"
	IDGAD2          = "gad2"
	IDUCLA3         = "ucla3"
	IDONSLoneliness = "ons-loneliness"
	IDWaterlow      = "waterlow"
	IDBraden        = "braden"
	IDMUST          = "must"
)

// opt builds an option whose recorded value equals its score.
func opt(points int, label string) Option {
	return Option{Value: points, Score: float64(points), Label: label}
}

// barthelItem describes one Barthel item: its ID, name and level labels
// from lowest to highest (REFERENCE §1.1, labels paraphrased).
type barthelItem struct {
	id, name string
	levels   []string
}

// barthelItems is the ten-item table of REFERENCE §1.1.
func barthelItems() []barthelItem {
	return []barthelItem{
		{"feeding", "Feeding", []string{"unable", "needs help cutting or spreading", "independent with food in reach"}},
		{"bathing", "Bathing", []string{"dependent", "independent in bath or shower"}},
		{"grooming", "Grooming", []string{"needs help", "independent with face, hair, teeth, shaving"}},
		{"dressing", "Dressing", []string{"dependent", "needs help, does about half", "independent including fastenings"}},
		{"bowels", "Bowels", []string{"incontinent or needs enemas", "occasional accident (at most weekly)", "continent"}},
		{"bladder", "Bladder", []string{"incontinent or catheter not self-managed", "occasional accident (at most daily)", "continent"}},
		{"toilet", "Toilet use", []string{"dependent", "needs some help", "independent"}},
		{"transfers", "Transfers (bed to chair)", []string{"unable, no sitting balance", "major help (one or two people), can sit", "minor help (verbal or physical)", "independent"}},
		{"mobility", "Mobility (level surface)", []string{"immobile", "wheelchair independent including corners", "walks with one person's help", "independent, aid allowed"}},
		{"stairs", "Stairs", []string{"unable", "needs help", "independent up and down"}},
	}
}

// barthel builds either form; step is 5 for 0–100 and 1 for 0–20.
func barthel(step int) []Item {
	var items []Item
	for _, b := range barthelItems() {
		it := Item{ID: b.id, Name: b.name}
		for lvl, label := range b.levels {
			it.Options = append(it.Options, opt(lvl*step, label))
		}
		items = append(items, it)
	}
	return items
}

// Barthel100 returns the Barthel Index, 0–100 form (Mahoney & Barthel 1965;
// REFERENCE §1.1): ten items scored in steps of 5, the response value is
// the points on the form. Bands after Shah et al. 1989: 0–20 total,
// 21–60 severe, 61–90 moderate, 91–99 slight dependency, 100 independent.
// Reliable change: more than 10 points (2 points on the 0–20 form × 5).
// Licence: scoring logic with paraphrased item labels (REFERENCE §1.12).
func Barthel100() *Instrument {
	return &Instrument{
		ID: IDBarthel100, Name: "Barthel Index (0-100)", Version: "BI-100",
		Source:    "Mahoney & Barthel 1965; bands Shah et al. 1989 (REFERENCE 1.1)",
		Licence:   "scoring logic; item labels paraphrased",
		Direction: HigherBetter,
		Items:     barthel(5),
		Bands: BandTable{ID: "barthel100-shah1989", Source: "Shah et al. 1989", Bands: []Band{
			{0, "total", "total dependency"},
			{21, "severe", "severe dependency"},
			{61, "moderate", "moderate dependency"},
			{91, "slight", "slight dependency"},
			{100, "independent", "independent"},
		}},
		ReliableChange: 10,
	}
}

// Barthel20 returns the Barthel Index, 0–20 form (Collin, Wade et al.
// 1988; REFERENCE §1.1): the 0–100 form divided by 5, same levels. Common
// bands (◐): 0–4 very severe, 5–9 severe, 10–14 moderate, 15–19 mild,
// 20 independent. A change of more than 2 points is probably genuine ✔.
func Barthel20() *Instrument {
	return &Instrument{
		ID: IDBarthel20, Name: "Barthel Index (0-20)", Version: "BI-20",
		Source:    "Collin, Wade et al. 1988 (REFERENCE 1.1)",
		Licence:   "scoring logic; item labels paraphrased",
		Direction: HigherBetter,
		Items:     barthel(1),
		Bands: BandTable{ID: "barthel20-common", Source: "common bands (REFERENCE 1.1, unverified)", Bands: []Band{
			{0, "very-severe", "very severe"},
			{5, "severe", "severe"},
			{10, "moderate", "moderate"},
			{15, "mild", "mild"},
			{20, "independent", "independent"},
		}},
		ReliableChange: 2,
	}
}

// Katz returns the Katz Index of Independence in ADL (Katz 1963, 1970;
// REFERENCE §1.2): six items, 1 independent, 0 dependent, total 0–6. Band
// table (an explicit implementation choice, as the reference advises):
// 6 full function, 4–5 moderate, 0–3 severe impairment.
func Katz() *Instrument {
	names := [][2]string{
		{"bathing", "Bathing"}, {"dressing", "Dressing"}, {"toileting", "Toileting"},
		{"transferring", "Transferring"}, {"continence", "Continence"}, {"feeding", "Feeding"},
	}
	var items []Item
	for _, n := range names {
		items = append(items, Item{ID: n[0], Name: n[1], Options: []Option{opt(0, "dependent"), opt(1, "independent")}})
	}
	return &Instrument{
		ID: IDKatz, Name: "Katz Index of Independence in ADL", Version: "katz-1970",
		Source:    "Katz 1963, 1970 (REFERENCE 1.2)",
		Licence:   "scoring logic",
		Direction: HigherBetter,
		Items:     items,
		Bands: BandTable{ID: "katz-6-45-03", Source: "implementation choice after a widely used calculator (REFERENCE 1.2)", Bands: []Band{
			{0, "severe", "severe impairment"},
			{4, "moderate", "moderate impairment"},
			{6, "full", "full function"},
		}},
	}
}

// Lawton returns the Lawton–Brody IADL scale (Lawton & Brody 1969;
// REFERENCE §1.3), all eight domains scored for everyone (current
// practice). Each item's response value is the level achieved, 1 being the
// highest; levels map to 1 or 0 points as in the reference table. Total
// 0–8, no official bands (use the trend). © Gerontological Society of
// America: no wording is shipped; the organisation supplies it.
func Lawton() *Instrument {
	domains := []struct {
		id, name string
		points   []int // per level, level 1 first
	}{
		{"telephone", "A Telephone", []int{1, 1, 1, 0}},
		{"shopping", "B Shopping", []int{1, 0, 0, 0}},
		{"food", "C Food preparation", []int{1, 0, 0, 0}},
		{"housekeeping", "D Housekeeping", []int{1, 1, 1, 1, 0}},
		{"laundry", "E Laundry", []int{1, 1, 0}},
		{"transport", "F Transport", []int{1, 1, 1, 0, 0}},
		{"medicines", "G Own medicines", []int{1, 0, 0}},
		{"finances", "H Finances", []int{1, 1, 0}},
	}
	var items []Item
	for _, d := range domains {
		it := Item{ID: d.id, Name: d.name}
		for i, p := range d.points {
			it.Options = append(it.Options, Option{Value: i + 1, Score: float64(p)})
		}
		items = append(items, it)
	}
	return &Instrument{
		ID: IDLawton, Name: "Lawton-Brody IADL", Version: "all-eight",
		Source:    "Lawton & Brody 1969 (REFERENCE 1.3)",
		Licence:   "scoring logic; wording supplied by the organisation",
		Direction: HigherBetter,
		Items:     items,
	}
}

// wemwbsOptions are the five response levels shared by WEMWBS and SWEMWBS.
func wemwbsOptions() []Option {
	return []Option{opt(1, "none of the time"), opt(2, "rarely"), opt(3, "some of the time"), opt(4, "often"), opt(5, "all of the time")}
}

// WEMWBS returns the 14-item Warwick-Edinburgh Mental Wellbeing Scale
// (Tennant et al. 2007; REFERENCE §1.4): items 1–5, simple sum 14–70, any
// missing item means no score. Bands from the registered user guide (◐):
// 14–42 probable depression, 43–44 possible, 45–59 average, 60–70 high;
// the probable-depression band raises a low-wellbeing flag (not a diagnosis).
// Licence: registration with Warwick Medical School; no item wording is shipped.
func WEMWBS() *Instrument {
	var items []Item
	for i := 1; i <= 14; i++ {
		items = append(items, Item{ID: strconv.Itoa(i), Options: wemwbsOptions()})
	}
	return &Instrument{
		ID: IDWEMWBS, Name: "WEMWBS", Version: "14-item",
		Source:    "Tennant et al. 2007 (REFERENCE 1.4)",
		Licence:   "registration required; scoring only, wording supplied by the registered user",
		Direction: HigherBetter,
		Items:     items,
		Missing:   MissingRule{Policy: Refuse},
		Bands: BandTable{ID: "wemwbs-userguide", Source: "WEMWBS user guide (REFERENCE 1.4, unverified)", Bands: []Band{
			{14, "probable-depression", "probable depression"},
			{43, "possible-depression", "possible depression"},
			{45, "average", "average"},
			{60, "high", "high"},
		}},
		FlagRules: []FlagRule{{Flag: FlagLowWellbeing, Band: "probable-depression", Severity: SeverityWarning, Escalation: EscalateRoutine,
			Action: "discuss wellbeing; consider PHQ-9", Source: "REFERENCE 1.4"}},
	}
}

// SWEMWBSMetric is the SWEMWBS raw-to-metric conversion table (Warwick
// scoring guidance; REFERENCE §1.4), raw 7–35. A fresh map each call.
func SWEMWBSMetric() map[int]float64 {
	return map[int]float64{
		7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84, 16: 16.36,
		17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21,
		27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
	}
}

// SWEMWBS returns the 7-item short WEMWBS (Stewart-Brown et al. 2009;
// REFERENCE §1.4): WEMWBS items 1, 2, 3, 6, 7, 9, 11 (item IDs keep the
// WEMWBS numbers). The raw sum 7–35 is converted to the Rasch metric score
// with [SWEMWBSMetric]; Result.Raw keeps the raw sum and Result.Score the
// metric. Missing items: no score (no pro-rating). Bands on the metric
// score (◐): 7–17 probable depression, 18–20 possible, 21–27 average,
// 28–35 high; as metric scores are not integers, a band runs from its
// lower bound up to (not including) the next band's, so 17.98 is
// "probable depression" and 18.59 "possible depression".
func SWEMWBS() *Instrument {
	var items []Item
	for _, n := range []int{1, 2, 3, 6, 7, 9, 11} {
		items = append(items, Item{ID: strconv.Itoa(n), Options: wemwbsOptions()})
	}
	return &Instrument{
		ID: IDSWEMWBS, Name: "SWEMWBS", Version: "7-item-metric",
		Source:     "Stewart-Brown et al. 2009; Warwick conversion table (REFERENCE 1.4)",
		Licence:    "registration required; conversion table and scoring only",
		Direction:  HigherBetter,
		Items:      items,
		Missing:    MissingRule{Policy: Refuse},
		Conversion: &Conversion{ID: "swemwbs-rasch-metric", Table: SWEMWBSMetric()},
		Bands: BandTable{ID: "swemwbs-userguide", Source: "SWEMWBS user guide (REFERENCE 1.4, unverified)", Bands: []Band{
			{7, "probable-depression", "probable depression"},
			{18, "possible-depression", "possible depression"},
			{21, "average", "average"},
			{28, "high", "high"},
		}},
		FlagRules: []FlagRule{{Flag: FlagLowWellbeing, Band: "probable-depression", Severity: SeverityWarning, Escalation: EscalateRoutine,
			Action: "discuss wellbeing; consider PHQ-9", Source: "REFERENCE 1.4"}},
	}
}

// phqOptions are the four PHQ/GAD response levels (official wording).
func phqOptions() []Option {
	return []Option{opt(0, "Not at all"), opt(1, "Several days"), opt(2, "More than half the days"), opt(3, "Nearly every day")}
}

// phq9Text is the official PHQ-9 item wording (free to reproduce; REFERENCE §1.5, §1.12).
var phq9Text = [9]string{
	"Little interest or pleasure in doing things",
	"Feeling down, depressed, or hopeless",
	"Trouble falling or staying asleep, or sleeping too much",
	"Feeling tired or having little energy",
	"Poor appetite or overeating",
	"Feeling bad about yourself - or that you are a failure or have let yourself or your family down",
	"Trouble concentrating on things, such as reading the newspaper or watching television",
	"Moving or speaking so slowly that other people could have noticed? Or the opposite - being so fidgety or restless that you have been moving around a lot more than usual",
	"Thoughts that you would be better off dead or of hurting yourself in some way",
}

// gad7Text is the official GAD-7 item wording (REFERENCE §1.5, §1.12).
var gad7Text = [7]string{
	"Feeling nervous, anxious or on edge",
	"Not being able to stop or control worrying",
	"Worrying too much about different things",
	"Trouble relaxing",
	"Being so restless that it is hard to sit still",
	"Becoming easily annoyed or irritable",
	"Feeling afraid as if something awful might happen",
}

// phqItems builds n items "1".."n" with the given wording.
func phqItems(text []string) []Item {
	items := make([]Item, len(text))
	for i, t := range text {
		items[i] = Item{ID: strconv.Itoa(i + 1), Text: t, Options: phqOptions()}
	}
	return items
}

// selfHarmRule is RISK-PHQ9: item 9 ≥1 raises a same-day escalation,
// whatever the total (REFERENCE §1.5, §8).
func selfHarmRule() FlagRule {
	return FlagRule{Flag: FlagSelfHarm, Item: "9", Cmp: AtLeast, Threshold: 1, Severity: SeverityUrgent,
		Escalation: EscalateSameDay, Rule: "RISK-PHQ9",
		Action: "structured risk conversation and escalation (GP, crisis line or safeguarding lead) the same day",
		Source: "PHQ-9 guidance (REFERENCE 1.5)"}
}

// phq9DifficultyText is the wording of the PHQ-9's unscored 10th question.
const phq9DifficultyText = "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?"

// phq9Difficulty is the PHQ-9's 10th question: recorded, never scored
// (REFERENCE §1.5). Values 0–3 as on the form.
func phq9Difficulty() Item {
	return Item{ID: "10", Text: phq9DifficultyText, Unscored: true, Options: []Option{
		opt(0, "Not difficult at all"), opt(1, "Somewhat difficult"), opt(2, "Very difficult"), opt(3, "Extremely difficult")}}
}

// PHQ9 returns the Patient Health Questionnaire-9 (Kroenke, Spitzer,
// Williams; REFERENCE §1.5) with the official wording (free to use).
// Items 1–9 score 0–3, total 0–27; item "10", how difficult the problems
// have made life, is recorded when given but not scored ([Item.Unscored]).
// Bands: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe,
// 20–27 severe. Flags: item 9 ≥1 → [FlagSelfHarm] same-day escalation
// (rule RISK-PHQ9) independent of the total; total ≥10 → [FlagDepression].
// LOINC panel 44249-1, total 44261-6 (REFERENCE §7).
func PHQ9() *Instrument {
	return &Instrument{
		ID: IDPHQ9, Name: "PHQ-9", Version: "phq9",
		Source:    "Kroenke, Spitzer & Williams 2001 (REFERENCE 1.5)",
		Licence:   "free to reproduce; full wording shipped",
		Direction: HigherWorse,
		Items:     append(phqItems(phq9Text[:]), phq9Difficulty()),
		Bands: BandTable{ID: "phq9-kroenke2001", Source: "REFERENCE 1.5", Bands: []Band{
			{0, "minimal", "minimal"},
			{5, "mild", "mild"},
			{10, "moderate", "moderate"},
			{15, "moderately-severe", "moderately severe"},
			{20, "severe", "severe"},
		}},
		FlagRules: []FlagRule{
			selfHarmRule(),
			{Flag: FlagDepression, Cmp: AtLeast, Threshold: 10, Severity: SeverityHigh, Escalation: EscalateRoutine,
				Action: "further assessment or referral to mental health services", Source: "REFERENCE 1.5"},
		},
		PanelLOINC: "44249-1", TotalLOINC: "44261-6",
		ReliableChange: 5,
	}
}

// PHQ2 returns the PHQ-2 (PHQ-9 items 1–2; REFERENCE §1.5), total 0–6;
// ≥3 raises [FlagAdministerFull] (administer the full PHQ-9).
func PHQ2() *Instrument {
	return &Instrument{
		ID: IDPHQ2, Name: "PHQ-2", Version: "phq2",
		Source: "Kroenke, Spitzer & Williams 2003 (REFERENCE 1.5)", Licence: "free to reproduce; full wording shipped",
		Direction: HigherWorse,
		Items:     phqItems(phq9Text[:2]),
		Bands: BandTable{ID: "phq2-3", Source: "REFERENCE 1.5", Bands: []Band{
			{0, "negative", "negative screen"}, {3, "positive", "positive screen: administer PHQ-9"},
		}},
		FlagRules: []FlagRule{{Flag: FlagAdministerFull, Cmp: AtLeast, Threshold: 3, Severity: SeverityWarning,
			Escalation: EscalateRoutine, Action: "administer the full PHQ-9", Source: "REFERENCE 1.5"}},
	}
}

// GAD7 returns the Generalised Anxiety Disorder-7 (Spitzer et al. 2006;
// REFERENCE §1.5) with the official wording. Items 0–3, total 0–21. Bands:
// 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe; ≥10 raises
// [FlagAnxiety]. LOINC panel 69737-5, total 70274-6 (REFERENCE §7, ◐).
func GAD7() *Instrument {
	return &Instrument{
		ID: IDGAD7, Name: "GAD-7", Version: "gad7",
		Source: "Spitzer et al. 2006 (REFERENCE 1.5)", Licence: "free to reproduce; full wording shipped",
		Direction: HigherWorse,
		Items:     phqItems(gad7Text[:]),
		Bands: BandTable{ID: "gad7-spitzer2006", Source: "REFERENCE 1.5", Bands: []Band{
			{0, "minimal", "minimal"}, {5, "mild", "mild"}, {10, "moderate", "moderate"}, {15, "severe", "severe"},
		}},
		FlagRules: []FlagRule{{Flag: FlagAnxiety, Cmp: AtLeast, Threshold: 10, Severity: SeverityHigh, Escalation: EscalateRoutine,
			Action: "further assessment or referral to mental health services", Source: "REFERENCE 1.5"}},
		PanelLOINC: "69737-5", TotalLOINC: "70274-6",
		ReliableChange: 4,
	}
}

// GAD2 returns the GAD-2 (GAD-7 items 1–2; REFERENCE §1.5), total 0–6;
// ≥3 raises [FlagAdministerFull] (administer the full GAD-7).
func GAD2() *Instrument {
	return &Instrument{
		ID: IDGAD2, Name: "GAD-2", Version: "gad2",
		Source: "Kroenke et al. 2007 (REFERENCE 1.5)", Licence: "free to reproduce; full wording shipped",
		Direction: HigherWorse,
		Items:     phqItems(gad7Text[:2]),
		Bands: BandTable{ID: "gad2-3", Source: "REFERENCE 1.5", Bands: []Band{
			{0, "negative", "negative screen"}, {3, "positive", "positive screen: administer GAD-7"},
		}},
		FlagRules: []FlagRule{{Flag: FlagAdministerFull, Cmp: AtLeast, Threshold: 3, Severity: SeverityWarning,
			Escalation: EscalateRoutine, Action: "administer the full GAD-7", Source: "REFERENCE 1.5"}},
	}
}

// UCLA3 returns the UCLA 3-item loneliness scale (Hughes et al. 2004, ONS
// harmonised; REFERENCE §1.9): hardly ever 1, some of the time 2, often 3;
// total 3–9, higher is lonelier; ≥6 is commonly classed lonely (◐) and
// raises [FlagLoneliness]. Published for public use: wording shipped.
func UCLA3() *Instrument {
	o := []Option{opt(1, "Hardly ever"), opt(2, "Some of the time"), opt(3, "Often")}
	return &Instrument{
		ID: IDUCLA3, Name: "UCLA 3-item loneliness scale", Version: "ons-harmonised",
		Source: "Hughes et al. 2004 (REFERENCE 1.9)", Licence: "published for public use; full wording shipped",
		Direction: HigherWorse,
		Items: []Item{
			{ID: "1", Text: "How often do you feel that you lack companionship?", Options: o},
			{ID: "2", Text: "How often do you feel left out?", Options: o},
			{ID: "3", Text: "How often do you feel isolated from others?", Options: o},
		},
		Bands: BandTable{ID: "ucla3-6", Source: "REFERENCE 1.9 (threshold unverified)", Bands: []Band{
			{3, "not-lonely", "not lonely"}, {6, "lonely", "lonely"},
		}},
		FlagRules: []FlagRule{{Flag: FlagLoneliness, Cmp: AtLeast, Threshold: 6, Severity: SeverityWarning, Escalation: EscalateRoutine,
			Action: "offer befriending or social activities", Source: "REFERENCE 1.9"}},
	}
}

// ONSLoneliness returns the ONS direct loneliness question (REFERENCE
// §1.9). The recorded value is the ONS response code, 1 often/always …
// 5 never; the item is reversed so that the score runs 1 (never) to 5
// (often/always), higher being lonelier. Bands (implementation choice):
// 1–2 rarely or never, 3–4 sometimes, 5 chronic loneliness, which raises
// [FlagLoneliness].
func ONSLoneliness() *Instrument {
	return &Instrument{
		ID: IDONSLoneliness, Name: "ONS direct loneliness question", Version: "ons-2018",
		Source: "ONS national measures of loneliness (REFERENCE 1.9)", Licence: "public; wording shipped",
		Direction: HigherWorse,
		Items: []Item{{ID: "1", Text: "How often do you feel lonely?", Reversed: true, Options: []Option{
			opt(1, "Often/always"), opt(2, "Some of the time"), opt(3, "Occasionally"), opt(4, "Hardly ever"), opt(5, "Never"),
		}}},
		Bands: BandTable{ID: "ons-loneliness-3", Source: "implementation choice; often/always = chronic (REFERENCE 1.9)", Bands: []Band{
			{1, "rarely", "hardly ever or never"}, {3, "sometimes", "occasionally or some of the time"}, {5, "chronic", "often or always (chronic loneliness)"},
		}},
		FlagRules: []FlagRule{{Flag: FlagLoneliness, Band: "chronic", Severity: SeverityWarning, Escalation: EscalateRoutine,
			Action: "offer befriending or social activities", Source: "REFERENCE 1.9"}},
	}
}

// yesNo builds an omittable present/absent item worth points when present.
func yesNo(id, name string, points int) Item {
	return Item{ID: id, Name: name, Omittable: true, Options: []Option{opt(0, "absent"), opt(points, "present")}}
}

// pressureRules are the NICE CG179/QS89 repositioning rules keyed on band
// codes: at risk → at least every 6 h, high risk → at least every 4 h.
func pressureRules(atRisk, high []string, source string) []FlagRule {
	var out []FlagRule
	for _, b := range atRisk {
		out = append(out, FlagRule{Flag: FlagPressureUlcer, Band: b, Severity: SeverityWarning, Escalation: EscalateRoutine,
			RepositionHours: 6, Rule: "REPOS", Action: "reposition at least every 6 hours; skin inspection", Source: source})
	}
	for _, b := range high {
		out = append(out, FlagRule{Flag: FlagPressureUlcer, Band: b, Severity: SeverityHigh, Escalation: EscalateRoutine,
			RepositionHours: 4, Rule: "REPOS", Action: "reposition at least every 4 hours; pressure-relieving equipment; skin inspection", Source: source})
	}
	return out
}

// Waterlow returns the Waterlow pressure-ulcer risk score (revised 2005
// card; REFERENCE §1.8; section scores ◐, verify against the card). The
// response value is the points on the card, except weight loss "unsure",
// recorded as 5 and scored 2. Multi-choice sections (skin, special risks)
// are one present/absent item per factor; special-risk and skin items are
// omittable (absent when not recorded). Bands: <10 not at risk, ≥10 at
// risk, ≥15 high, ≥20 very high. Flags: at risk → [FlagPressureUlcer]
// with 6 h repositioning, high/very high → 4 h (NICE CG179/QS89); the
// nutrition subscale (weight loss + eating poorly) >2 → [FlagMalnutrition].
// Licence: © J. Waterlow; scoring logic only.
func Waterlow() *Instrument {
	items := []Item{
		{ID: "build", Name: "Build/BMI", Options: []Option{opt(0, "BMI 20-24.9"), opt(1, "BMI 25-29.9"), opt(2, "BMI >30"), opt(3, "BMI <20")}},
		yesNo("skin-tissue-paper", "Skin: tissue paper", 1),
		yesNo("skin-dry", "Skin: dry", 1),
		yesNo("skin-oedematous", "Skin: oedematous", 1),
		yesNo("skin-clammy", "Skin: clammy, pyrexial", 1),
		yesNo("skin-discoloured", "Skin: discoloured (category 1)", 2),
		yesNo("skin-broken", "Skin: broken/spots (category 2-4)", 3),
		{ID: "sex", Name: "Sex", Options: []Option{opt(1, "male"), opt(2, "female")}},
		{ID: "age", Name: "Age", Options: []Option{opt(1, "14-49"), opt(2, "50-64"), opt(3, "65-74"), opt(4, "75-80"), opt(5, "81+")}},
		{ID: "weight-loss", Name: "Recent weight loss", Options: []Option{
			opt(0, "none"), opt(1, "0.5-5 kg"), opt(2, "5-10 kg"), opt(3, "10-15 kg"), opt(4, ">15 kg"), {Value: 5, Score: 2, Label: "unsure"}}},
		{ID: "eating-poorly", Name: "Eating poorly or lack of appetite", Options: []Option{opt(0, "no"), opt(1, "yes")}},
		{ID: "continence", Name: "Continence", Options: []Option{opt(0, "complete or catheterised"), opt(1, "urinary incontinence"), opt(2, "faecal incontinence"), opt(3, "urinary and faecal")}},
		{ID: "mobility", Name: "Mobility", Options: []Option{opt(0, "fully mobile"), opt(1, "restless/fidgety"), opt(2, "apathetic"), opt(3, "restricted"), opt(4, "bedbound"), opt(5, "chairbound")}},
		yesNo("cachexia", "Tissue malnutrition: terminal cachexia", 8),
		yesNo("organ-failure-multiple", "Tissue malnutrition: multiple organ failure", 8),
		yesNo("organ-failure-single", "Tissue malnutrition: single organ failure", 5),
		yesNo("pvd", "Tissue malnutrition: peripheral vascular disease", 5),
		yesNo("anaemia", "Tissue malnutrition: anaemia (Hb<8)", 2),
		yesNo("smoking", "Tissue malnutrition: smoking", 1),
		{ID: "neuro", Name: "Neurological deficit", Omittable: true, Options: []Option{opt(0, "none"), opt(4, "4"), opt(5, "5"), opt(6, "6")}},
		yesNo("surgery-orthopaedic", "Major surgery: orthopaedic/spinal", 5),
		{ID: "theatre-time", Name: "Time on table", Omittable: true, Options: []Option{opt(0, "none"), opt(5, ">2 h"), opt(8, ">6 h")}},
		{ID: "medication", Name: "Medication (cytotoxics, steroids, anti-inflammatories)", Omittable: true, Options: []Option{opt(0, "none"), opt(1, "1"), opt(2, "2"), opt(3, "3"), opt(4, "4")}},
	}
	return &Instrument{
		ID: IDWaterlow, Name: "Waterlow score", Version: "2005",
		Source: "Waterlow revised 2005 card (REFERENCE 1.8; section scores unverified)", Licence: "scoring logic only",
		Direction: HigherWorse,
		Items:     items,
		Subscales: []Subscale{{ID: "nutrition", Name: "Malnutrition screen", Items: []string{"weight-loss", "eating-poorly"}}},
		Bands: BandTable{ID: "waterlow-2005", Source: "REFERENCE 1.8", Bands: []Band{
			{0, "not-at-risk", "not at risk"}, {10, "at-risk", "at risk"}, {15, "high", "high risk"}, {20, "very-high", "very high risk"},
		}},
		FlagRules: append(pressureRules([]string{"at-risk"}, []string{"high", "very-high"}, "NICE CG179/QS89 (REFERENCE 1.8)"),
			FlagRule{Flag: FlagMalnutrition, Subscale: "nutrition", Cmp: AtLeast, Threshold: 3, Severity: SeverityWarning,
				Escalation: EscalateRoutine, Action: "nutrition referral (Waterlow malnutrition screen >2)", Source: "REFERENCE 1.8"}),
	}
}

// WaterlowAgeScore returns the Waterlow age section score (REFERENCE
// §1.8, ◐): 14–49 → 1, 50–64 → 2, 65–74 → 3, 75–80 → 4, 81 and over → 5.
// The card does not cover ages under 14.
func WaterlowAgeScore(age int) (int, error) {
	switch {
	case age < 14 || age > 130:
		return 0, care.Invalid("waterlow", "", "age", "out of the card's range: %d", age)
	case age <= 49:
		return 1, nil
	case age <= 64:
		return 2, nil
	case age <= 74:
		return 3, nil
	case age <= 80:
		return 4, nil
	default:
		return 5, nil
	}
}

// WaterlowBuildScore returns the Waterlow build/BMI section score for a BMI
// in kg/m² (REFERENCE §1.8, ◐): 20–24.9 → 0, 25–29.9 → 1, over 30 → 2,
// under 20 → 3. The card leaves the gaps between its bands open; here each
// band runs up to the next one's lower bound (24.95 → 0, 30 → 2).
func WaterlowBuildScore(bmi float64) (int, error) {
	if !(bmi > 0) || math.IsInf(bmi, 0) {
		return 0, care.Invalid("waterlow", "", "bmi", "must be a positive number, got %g", bmi)
	}
	switch {
	case bmi < 20:
		return 3, nil
	case bmi < 25:
		return 0, nil
	case bmi < 30:
		return 1, nil
	default:
		return 2, nil
	}
}

// Braden returns the Braden Scale (Bergstrom & Braden 1987; REFERENCE
// §1.8): sensory perception, moisture, activity, mobility, nutrition 1–4
// and friction & shear 1–3; total 6–23, lower is higher risk. Bands:
// ≤9 very high, 10–12 high, 13–14 moderate, 15–18 mild/at risk, ≥19 not
// at risk. Flags: mild and moderate → [FlagPressureUlcer] 6 h
// repositioning; high and very high → 4 h (NICE CG179/QS89). Licensed
// (© Braden & Bergstrom): no wording is shipped; supply it with WithText.
func Braden() *Instrument {
	four := func(id, name string) Item {
		return Item{ID: id, Name: name, Options: []Option{opt(1, ""), opt(2, ""), opt(3, ""), opt(4, "")}}
	}
	return &Instrument{
		ID: IDBraden, Name: "Braden Scale", Version: "braden-1987",
		Source: "Bergstrom & Braden 1987 (REFERENCE 1.8)", Licence: "licence required; scoring only, no wording",
		Direction: HigherBetter,
		Items: []Item{
			four("sensory", "Sensory perception"), four("moisture", "Moisture"), four("activity", "Activity"),
			four("mobility", "Mobility"), four("nutrition", "Nutrition"),
			{ID: "friction", Name: "Friction and shear", Options: []Option{opt(1, ""), opt(2, ""), opt(3, "")}},
		},
		Bands: BandTable{ID: "braden-5band", Source: "REFERENCE 1.8", Bands: []Band{
			{6, "very-high", "very high risk"}, {10, "high", "high risk"}, {13, "moderate", "moderate risk"},
			{15, "mild", "mild risk"}, {19, "not-at-risk", "not at risk"},
		}},
		FlagRules: pressureRules([]string{"mild", "moderate"}, []string{"high", "very-high"}, "NICE CG179/QS89 (REFERENCE 1.8)"),
	}
}

// MUST returns the Malnutrition Universal Screening Tool (BAPEN; REFERENCE
// §1.7) as scoring logic only (© BAPEN; cut-offs unchanged): step 1 BMI
// score 0–2, step 2 weight-loss score 0–2, step 3 acute disease effect
// 0 or 2 (omittable: it may be left out outside acute hospitals). Use
// [MUSTBMIScore] and [MUSTWeightLossScore] to derive steps 1 and 2. Overall
// risk: 0 low, 1 medium, ≥2 high. Flags: medium → [FlagMalnutrition]
// (record intake for 3 days, rescreen every 2–3 months in the community);
// high → [FlagMalnutrition] high (refer to dietitian, review monthly).
func MUST() *Instrument {
	return &Instrument{
		ID: IDMUST, Name: "'MUST'", Version: "bapen-2003",
		Source: "BAPEN 'MUST' (REFERENCE 1.7)", Licence: "scoring logic only; cut-offs unchanged",
		Direction: HigherWorse,
		Items: []Item{
			{ID: "bmi", Name: "Step 1 BMI score", Options: []Option{opt(0, "BMI >20"), opt(1, "BMI 18.5-20"), opt(2, "BMI <18.5")}},
			{ID: "weight-loss", Name: "Step 2 weight loss score", Options: []Option{opt(0, "<5%"), opt(1, "5-10%"), opt(2, ">10%")}},
			{ID: "acute", Name: "Step 3 acute disease effect", Omittable: true, Options: []Option{opt(0, "no"), opt(2, "acutely ill, no intake >5 days")}},
		},
		Bands: BandTable{ID: "must-bapen", Source: "REFERENCE 1.7", Bands: []Band{
			{0, "low", "low risk"}, {1, "medium", "medium risk"}, {2, "high", "high risk"},
		}},
		FlagRules: []FlagRule{
			{Flag: FlagMalnutrition, Band: "medium", Severity: SeverityWarning, Escalation: EscalateRoutine,
				Action: "observe; record dietary intake for 3 days; repeat screening at least every 2-3 months", Source: "BAPEN step 5 (REFERENCE 1.7)"},
			{Flag: FlagMalnutrition, Band: "high", Severity: SeverityHigh, Escalation: EscalateRoutine,
				Action: "refer to dietitian or nutrition team; set goals; review the plan monthly", Source: "BAPEN step 5 (REFERENCE 1.7)"},
		},
	}
}

// MUSTBMIScore returns the 'MUST' step 1 score for a BMI in kg/m²
// (REFERENCE §1.7): >20 → 0, 18.5–20 → 1, <18.5 → 2.
func MUSTBMIScore(bmi float64) (int, error) {
	if !(bmi > 0) || math.IsInf(bmi, 0) {
		return 0, care.Invalid("must", "", "bmi", "must be a positive number, got %g", bmi)
	}
	switch {
	case bmi > 20:
		return 0, nil
	case bmi >= 18.5:
		return 1, nil
	default:
		return 2, nil
	}
}

// MUSTWeightLossScore returns the 'MUST' step 2 score from the previous and
// current weight in kg (REFERENCE §1.7): loss % = (previous − current) /
// previous × 100; <5 → 0, 5–10 → 1, >10 → 2. A gain scores 0.
func MUSTWeightLossScore(previousKg, currentKg float64) (int, error) {
	if !(previousKg > 0) || !(currentKg > 0) || math.IsInf(previousKg, 0) || math.IsInf(currentKg, 0) {
		return 0, care.Invalid("must", "", "weight", "weights must be positive, got %g and %g", previousKg, currentKg)
	}
	loss := (previousKg - currentKg) / previousKg * 100
	switch {
	case loss > 10:
		return 2, nil
	case loss >= 5:
		return 1, nil
	default:
		return 0, nil
	}
}

// BMI returns weight / height² in kg/m².
func BMI(weightKg, heightM float64) (float64, error) {
	if !(weightKg > 0) || !(heightM > 0) || math.IsInf(weightKg, 0) || math.IsInf(heightM, 0) {
		return 0, care.Invalid("bmi", "", "weight/height", "must be positive, got %g kg and %g m", weightKg, heightM)
	}
	return weightKg / (heightM * heightM), nil
}

// Builtins returns fresh copies of every built-in instrument, in a fixed order.
func Builtins() []*Instrument {
	return []*Instrument{
		Barthel100(), Barthel20(), Katz(), Lawton(), WEMWBS(), SWEMWBS(),
		PHQ9(), PHQ2(), GAD7(), GAD2(), UCLA3(), ONSLoneliness(), Waterlow(), Braden(), MUST(),
	}
}

// Catalogue is a set of instruments by ID, used to re-score imported
// assessments. Build one with [NewCatalogue] or [DefaultCatalogue].
type Catalogue struct {
	byID  map[string]*Instrument
	order []string
}

// NewCatalogue validates the instruments and indexes them by ID; a
// duplicate ID is an error.
func NewCatalogue(instruments ...*Instrument) (*Catalogue, error) {
	c := &Catalogue{byID: make(map[string]*Instrument, len(instruments))}
	for _, in := range instruments {
		if in == nil {
			return nil, care.Invalid("catalogue", "", "instruments", "nil instrument")
		}
		if err := in.Validate(); err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		if _, dup := c.byID[in.ID]; dup {
			return nil, care.Invalid("catalogue", "", "instruments", "duplicate instrument %q", in.ID)
		}
		c.byID[in.ID] = in
		c.order = append(c.order, in.ID)
	}
	return c, nil
}

// DefaultCatalogue returns a catalogue of fresh [Builtins].
func DefaultCatalogue() *Catalogue {
	c, err := NewCatalogue(Builtins()...)
	if err != nil {
		// The built-ins are checked by the package tests; reaching here is a
		// programming error in this package, reported rather than hidden.
		return &Catalogue{byID: map[string]*Instrument{}}
	}
	return c
}

// Lookup returns the instrument with the given ID, or an error matching
// [ErrUnknownInstrument].
func (c *Catalogue) Lookup(id string) (*Instrument, error) {
	if c != nil {
		if in, ok := c.byID[id]; ok {
			return in, nil
		}
	}
	return nil, fmt.Errorf("instrument %q: %w", id, ErrUnknownInstrument)
}

// IDs returns the instrument IDs in insertion order.
func (c *Catalogue) IDs() []string {
	if c == nil {
		return nil
	}
	return append([]string(nil), c.order...)
}
