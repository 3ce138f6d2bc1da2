package compliance

import (
	"errors"
	"fmt"
	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"slices"
	"time"
)

// Jurisdiction selects the law a rule pack follows.
type Jurisdiction string

// Jurisdictions with a rule pack.
const (
	England Jurisdiction = "ENG"
	Wales   Jurisdiction = "WLS"
)

// Rule is one entry of the registry: a catalogue rule with its source, the
// key question it informs, whether it is checked and how serious a failure is.
// A provider builds its rule pack by switching rules off or changing their
// severity (hard = Breach, soft = Warning, Advisory for information only).
type Rule struct {
	ID          RuleID      `json:"id"`           // the catalogue ID, e.g. "WTR-48"
	Title       string      `json:"title"`        // short description of what the rule checks
	Source      string      `json:"source"`       // the regulation or guidance, e.g. "WTR 1998 reg 10"
	KeyQuestion KeyQuestion `json:"key_question"` // the CQC key question it informs
	Enabled     bool        `json:"enabled"`      // false = the rule is not checked and gives no findings
	Severity    Severity    `json:"severity"`     // severity of its findings (a check may report Advisory instead)
}

// Params are the numbers the rules use. Items marked ◐ in the reference are
// defaults here, never hard-coded: a provider may change every one.
type Params struct {
	// MinVisit is the shortest visit without a short-visit agreement: 30 minutes (NG21; Wales reg 41).
	MinVisit schedule.Duration `json:"min_visit"`
	// RepositionAtRisk and RepositionHighRisk are the longest gaps between visits for a person who
	// cannot move alone: 6 and 4 hours (CG179, QS89 st.5).
	RepositionAtRisk   schedule.Duration `json:"reposition_at_risk"`
	RepositionHighRisk schedule.Duration `json:"reposition_high_risk"` // see RepositionAtRisk
	// DoseTolerance is how far a time-critical dose may be from its due time: 30 minutes
	// (Parkinson's UK "on time"; NG67).
	DoseTolerance schedule.Duration `json:"dose_tolerance"`
	// MedCompetenceMonths is the longest age of a medicines competence assessment: 12 (NG67).
	MedCompetenceMonths int `json:"med_competence_months"`
	// SupervisionMonths and AppraisalMonths: 3 (QS123 st.6) and 12 (NG21 1.7.13).
	SupervisionMonths int `json:"supervision_months"`
	AppraisalMonths   int `json:"appraisal_months"` // see SupervisionMonths
	// DBSRecheckMonths is the longest age of a DBS certificate for solo work; 0 = no limit.
	// England sets no statutory interval (provider policy ◐); Wales requires under 3 years (36).
	DBSRecheckMonths int `json:"dbs_recheck_months"`
	// LOLERMonths is the longest age of a thorough examination of a hoist or sling: 6 (LOLER 1998).
	LOLERMonths int `json:"loler_months"`
	// ReferenceWeeks is the WTR averaging period: 17 weeks (reg 4(3)); 26 or 52 by agreement ◐.
	ReferenceWeeks int `json:"reference_weeks"`
	// NightStart and NightEnd bound night time as minutes after local midnight: 23:00 to 06:00 (WTR reg 2 ◐).
	NightStart int `json:"night_start"`
	NightEnd   int `json:"night_end"` // see NightStart
	// NightWorkerMin is the night time on a working day that makes a night worker: 3 hours (WTR reg 2).
	NightWorkerMin schedule.Duration `json:"night_worker_min"`
	// NightAverage is the most a night worker may average per 24 hours: 8 hours (WTR reg 6).
	NightAverage schedule.Duration `json:"night_average"`
	// YoungNightStart and YoungNightEnd bound the night time in which young workers may not work:
	// 22:00 to 06:00 (WTR reg 6A ◐), minutes after midnight.
	YoungNightStart int `json:"young_night_start"`
	YoungNightEnd   int `json:"young_night_end"` // see YoungNightStart
	// ContinuityMaxWorkers is the most distinct workers a person should see over the horizon
	// before CONT-KPI warns: 5 is a provider default ◐ (NICE sets no number).
	ContinuityMaxWorkers int `json:"continuity_max_workers"`
	// CandourNoticeDays is the longest delay from awareness to the in-person notice: 10 days ◐
	// ("as soon as reasonably practicable", CQC candour guidance).
	CandourNoticeDays int `json:"candour_notice_days"`
	// SafeguardReferralHours is the longest delay from a concern to its referral: 24 hours ◐.
	SafeguardReferralHours int `json:"safeguard_referral_hours"`
	// FreeGap, when positive, is the shortest gap between visits that counts as free time
	// (not paid for NMW); 0 counts every gap between visits as waiting time (NMW reg 32 ◐).
	FreeGap schedule.Duration `json:"free_gap"`
	// FirstReview and ReviewMonths: first plan review within 6 weeks, then at most every 12 months (QS123 st.5).
	FirstReview  schedule.Duration `json:"first_review"`
	ReviewMonths int               `json:"review_months"` // see FirstReview
	// TriggerReviewDays brings a review forward to this many days after a trigger event
	// (hospital admission, fall, new flag...): 7 ◐, as careplan.DefaultReviewPolicy.
	TriggerReviewDays int `json:"trigger_review_days"`
	// NutritionScreenMonths is the longest age of a nutrition screening (e.g. 'MUST') when
	// nutrition is in scope: 12 ◐ (screen on starting and at least yearly; sooner for risk).
	NutritionScreenMonths int `json:"nutrition_screen_months"`
	// ShiftNoticeHours is the notice of a shift change or cancellation below which
	// SHIFT-NOTICE reports it as short notice: 168 ◐ (7 days). The Employment Rights Act
	// 2025 leaves "reasonable notice" to regulations still to come (expected 2027).
	ShiftNoticeHours int `json:"shift_notice_hours"`
}

// DefaultParams returns the parameters for a jurisdiction, as REFERENCE §4–§5 give them.
func DefaultParams(j Jurisdiction) Params {
	p := Params{
		MinVisit:               schedule.Duration(30 * time.Minute),
		RepositionAtRisk:       schedule.Duration(6 * time.Hour),
		RepositionHighRisk:     schedule.Duration(4 * time.Hour),
		DoseTolerance:          schedule.Duration(30 * time.Minute),
		MedCompetenceMonths:    12,
		SupervisionMonths:      3,
		AppraisalMonths:        12,
		LOLERMonths:            6,
		ReferenceWeeks:         17,
		NightStart:             23 * 60,
		NightEnd:               6 * 60,
		NightWorkerMin:         schedule.Duration(3 * time.Hour),
		NightAverage:           schedule.Duration(8 * time.Hour),
		YoungNightStart:        22 * 60,
		YoungNightEnd:          6 * 60,
		ContinuityMaxWorkers:   5,
		CandourNoticeDays:      10,
		SafeguardReferralHours: 24,
		FirstReview:            schedule.Duration(6 * 7 * 24 * time.Hour),
		ReviewMonths:           12,
		TriggerReviewDays:      7,
		NutritionScreenMonths:  12,
		ShiftNoticeHours:       7 * 24,
	}
	if j == Wales {
		p.DBSRecheckMonths = 36
	}
	return p
}

// Pack is a provider's rule pack: the registry of rules with their settings,
// the jurisdiction and the parameters. Build one with DefaultPack and adjust.
type Pack struct {
	Jurisdiction Jurisdiction    `json:"jurisdiction"` // the nation whose rules apply
	Rules        map[RuleID]Rule `json:"rules"`        // every catalogue rule, keyed by its ID
	Params       Params          `json:"params"`       // the thresholds the rules use
}

// ErrUnknownRule is returned when a rule ID is not in a pack.
var ErrUnknownRule = errors.New("unknown rule")

// catalogue lists every rule with its default severity (H = Breach, S = Warning, REFERENCE §8).
func catalogue() []Rule {
	r := func(id RuleID, sev Severity, q KeyQuestion, title, src string) Rule {
		return Rule{ID: id, Title: title, Source: src, KeyQuestion: q, Enabled: true, Severity: sev}
	}
	return []Rule{
		r(RuleVIS30, Warning, Caring, "visit of at least 30 minutes unless an agreed short visit", "NICE NG21; QS123 st.4"),
		r(RuleVISTravel, Breach, Safe, "enough travel time between consecutive visits", "NICE NG21; Wales reg 41(3)"),
		r(RuleVISSched, Breach, WellLed, "schedule separates travel, visit and break; actuals recorded", "Wales reg 41"),
		r(RuleVISMissed, Breach, Responsive, "plan says how missed or late visits are handled", "NICE QS123 st.2"),
		r(RuleCONTKPI, Warning, Responsive, "continuity of care: few distinct workers per person", "NICE NG21 1.1.4; QS182 st.3"),
		r(RuleDBLSync, Breach, Safe, "double-handed visit fully assigned with a synchronised start", "MHOR 1992; LOLER 1998 practice"),
		r(RuleMEDTime, Breach, Safe, "time-critical doses within tolerance and minimum intervals", "NICE NG67; Parkinson's UK"),
		r(RuleMEDComp, Breach, Safe, "medicines competence assessed within 12 months", "NICE NG67; Reg 12(2)(g)"),
		r(RuleSKILLExp, Breach, Safe, "task skills and training in date on the visit date", "Reg 12(2)(c); Reg 18"),
		r(RuleDBS, Breach, Safe, "enhanced DBS with adults' barred list before solo work", "Reg 19; Schedule 3"),
		r(RuleSUP3M, Warning, WellLed, "supervision within 3 months, appraisal within 12", "NICE QS123 st.6; NG21 1.7.13; Reg 18"),
		r(RuleWTR48, Breach, WellLed, "17-week average of at most 48 hours a week unless opted out", "WTR 1998 reg 4"),
		r(RuleWTR11, Breach, WellLed, "11 consecutive hours' daily rest (12 for young workers)", "WTR 1998 regs 10, 24"),
		r(RuleWTRWeek, Breach, WellLed, "weekly rest: 24 h in 7 days or 48 h in 14 (48 h in 7 young)", "WTR 1998 reg 11"),
		r(RuleWTRBreak, Breach, WellLed, "20-minute break when working over 6 hours (30 over 4.5 young)", "WTR 1998 reg 12"),
		r(RuleWTRNight, Breach, WellLed, "night workers average at most 8 hours in 24", "WTR 1998 reg 6"),
		r(RuleYW840, Breach, WellLed, "young workers: 8 hours a day, 40 a week, no night work", "WTR 1998 regs 5A, 6A"),
		r(RuleNMW, Breach, WellLed, "pay for hours incl. travel and waiting between visits at least the minimum wage", "NMW Regulations 2015 regs 30-35"),
		r(RuleREPOS, Breach, Safe, "gap between visits within the repositioning interval", "NICE CG179; QS89 st.5"),
		r(RuleCONSENT, Breach, Effective, "care only with valid consent or lawful authority", "Reg 11; Mental Capacity Act 2005"),
		r(RuleREVIEW, Warning, Responsive, "plan reviewed by 6 weeks, then at least every 12 months", "NICE QS123 st.5; Care Act 2014 s.27"),
		r(RuleRISKPHQ9, Breach, Safe, "PHQ-9 item 9 answered 1 or more has a same-day escalation", "PHQ-9 guidance"),
		r(RuleCANDOUR, Breach, WellLed, "notifiable incident: notice in person, apology, written follow-up", "Reg 20"),
		r(RuleRECORD, Warning, WellLed, "visit notes completed contemporaneously", "Reg 17(2)(c)"),
		r(RuleLOLER, Breach, Safe, "hoist and sling thoroughly examined within 6 months", "LOLER 1998 reg 9"),
		r(RuleSHIFTNotice, Advisory, WellLed, "notice logged for shift changes", "Employment Rights Act 2025"),
		r(RuleSCHED3, Breach, Safe, "Schedule 3 information held for each worker", "Reg 19; Schedule 3"),
		r(RuleSAFEGUARD, Breach, Safe, "safeguarding concern referred and investigated", "Reg 13"),
		r(RuleMEDMAR, Breach, Safe, "MAR entry for each supported medicine at each medicines visit", "Reg 12(2)(g); NICE NG67"),
		r(RuleDIGNITY, Warning, Caring, "carer preferences and exclusions honoured", "Reg 10"),
		r(RulePLAN, Breach, Responsive, "person-centred plan: goals in the person's words, every task traced to a need or goal, every eligible need met, agreement recorded", "Reg 9; Care Act 2014 s.25"),
		r(RuleMEDPlan, Breach, Safe, "medicines support planned per medicine with one giver per dose; plan risks assessed and reviewed", "Reg 12(2)(a),(b),(g); NICE NG67"),
		r(RuleNUTRITION, Breach, Effective, "nutrition and hydration support and screening where the assessment or plan puts nutrition in scope", "Reg 14; BAPEN 'MUST' step 5"),
	}
}

// DefaultPack returns the rule pack for a jurisdiction with every rule on.
// England: VIS-30 is soft (NICE guidance, often contractual) and VIS-SCHED is
// off (a Welsh statutory rule). Wales: VIS-30 is hard (reg 41 and RISCA s.8),
// VIS-SCHED is on and DBS certificates must be under 3 years old.
func DefaultPack(j Jurisdiction) Pack {
	p := Pack{Jurisdiction: j, Rules: map[RuleID]Rule{}, Params: DefaultParams(j)}
	for _, r := range catalogue() {
		p.Rules[r.ID] = r
	}
	if j == Wales {
		p.Rules[RuleVIS30] = withSeverity(p.Rules[RuleVIS30], Breach, "Wales reg 41; RISCA 2016 s.8")
	} else {
		r := p.Rules[RuleVISSched]
		r.Enabled = false
		p.Rules[RuleVISSched] = r
	}
	return p
}

func withSeverity(r Rule, s Severity, src string) Rule {
	r.Severity, r.Source = s, src
	return r
}

// Set changes one rule's switch and severity. It returns ErrUnknownRule for an
// ID not in the pack and an error for a severity that is not defined.
func (p *Pack) Set(id RuleID, enabled bool, sev Severity) error {
	r, ok := p.Rules[id]
	if !ok {
		return fmt.Errorf("rule %q: %w", id, ErrUnknownRule)
	}
	if !slices.Contains([]Severity{Breach, Warning, Advisory}, sev) {
		return fmt.Errorf("rule %q: severity %q: want breach, warning or advisory", id, sev)
	}
	r.Enabled, r.Severity = enabled, sev
	p.Rules[id] = r
	return nil
}

// RuleList returns the pack's rules sorted by ID.
func (p *Pack) RuleList() []Rule {
	out := make([]Rule, 0, len(p.Rules))
	for _, r := range p.Rules {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Rule) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// emitter collects findings for enabled rules of a pack.
type emitter struct {
	pack *Pack
	out  []Finding
}

// add records a finding for rule id unless the rule is off. The severity is
// the rule's, unless sev is Advisory (information even for a hard rule).
func (e *emitter) add(id RuleID, sev Severity, subj Subject, at *time.Time, evidence, remedy string, related ...Subject) {
	r, ok := e.pack.Rules[id]
	if !ok || !r.Enabled {
		return
	}
	if sev != Advisory {
		sev = r.Severity
	}
	e.out = append(e.out, Finding{Rule: id, Severity: sev, Source: r.Source, KeyQuestion: r.KeyQuestion,
		Subject: subj, Related: related, At: at, Evidence: evidence, Remedy: remedy})
}

// Validate reports a pack whose jurisdiction is unknown, whose rules are
// keyed under another ID or have an undefined severity or key question, or
// whose parameters are negative or out of range.
func (p *Pack) Validate() error {
	const kind = "rule pack"
	id := string(p.Jurisdiction)
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, care.Invalid(kind, id, field, format, args...))
	}
	if p.Jurisdiction != England && p.Jurisdiction != Wales {
		bad("jurisdiction", "unknown jurisdiction %q (want ENG or WLS)", p.Jurisdiction)
	}
	for _, r := range p.RuleList() {
		f := "rules." + string(r.ID)
		if k := p.Rules[r.ID]; k.ID == "" {
			bad(f+".id", "is required")
		}
		if !slices.Contains([]Severity{Breach, Warning, Advisory}, r.Severity) {
			bad(f+".severity", "unknown severity %q", r.Severity)
		}
		if !slices.Contains(KeyQuestions(), r.KeyQuestion) {
			bad(f+".key_question", "unknown key question %q", r.KeyQuestion)
		}
	}
	for k, r := range p.Rules {
		if k != r.ID {
			bad("rules."+string(k), "holds rule %q", r.ID)
		}
	}
	pr := p.Params
	for _, d := range []struct {
		n string
		v schedule.Duration
	}{{"min_visit", pr.MinVisit}, {"reposition_at_risk", pr.RepositionAtRisk}, {"reposition_high_risk", pr.RepositionHighRisk},
		{"dose_tolerance", pr.DoseTolerance}, {"night_worker_min", pr.NightWorkerMin}, {"night_average", pr.NightAverage},
		{"free_gap", pr.FreeGap}, {"first_review", pr.FirstReview}} {
		if d.v < 0 {
			bad("params."+d.n, "must not be negative, got %s", d.v)
		}
	}
	for _, n := range []struct {
		n string
		v int
	}{{"med_competence_months", pr.MedCompetenceMonths}, {"supervision_months", pr.SupervisionMonths}, {"appraisal_months", pr.AppraisalMonths},
		{"dbs_recheck_months", pr.DBSRecheckMonths}, {"loler_months", pr.LOLERMonths}, {"reference_weeks", pr.ReferenceWeeks},
		{"continuity_max_workers", pr.ContinuityMaxWorkers}, {"candour_notice_days", pr.CandourNoticeDays},
		{"safeguard_referral_hours", pr.SafeguardReferralHours}, {"review_months", pr.ReviewMonths},
		{"trigger_review_days", pr.TriggerReviewDays}, {"nutrition_screen_months", pr.NutritionScreenMonths}, {"shift_notice_hours", pr.ShiftNoticeHours}} {
		if n.v < 0 {
			bad("params."+n.n, "must not be negative, got %d", n.v)
		}
	}
	for _, m := range []struct {
		n string
		v int
	}{{"night_start", pr.NightStart}, {"night_end", pr.NightEnd}, {"young_night_start", pr.YoungNightStart}, {"young_night_end", pr.YoungNightEnd}} {
		if m.v < 0 || m.v >= 24*60 {
			bad("params."+m.n, "%d minutes after midnight outside [0, 1440)", m.v)
		}
	}
	return errors.Join(errs...)
}
