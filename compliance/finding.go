package compliance

import (
	"fmt"
	"time"
)

// RuleID names a rule of the compliance catalogue (REFERENCE §8). The IDs of
// the catalogue are used exactly; rules this package adds for regulations the
// catalogue does not list (Schedule 3, safeguarding, MAR records, dignity)
// follow the same style.
type RuleID string

// Rule IDs of the catalogue (REFERENCE §8) and the additions of this package.
const (
	RuleVIS30       RuleID = "VIS-30"       // visit at least 30 minutes unless an agreed short visit (NG21, QS123 st.4; Wales reg 41)
	RuleVISTravel   RuleID = "VIS-TRAVEL"   // travel time between visits at least the estimate (NG21; Wales reg 41(3))
	RuleVISSched    RuleID = "VIS-SCHED"    // schedule delineates travel, visit, break; actuals recorded (Wales reg 41)
	RuleVISMissed   RuleID = "VIS-MISSED"   // every plan has a missed or late visit response (QS123 st.2)
	RuleCONTKPI     RuleID = "CONT-KPI"     // distinct workers per person over the horizon (NG21 1.1.4, QS182 st.3)
	RuleDBLSync     RuleID = "DBL-SYNC"     // double-handed visits fully assigned and synchronised (MHOR practice)
	RuleMEDTime     RuleID = "MED-TIME"     // time-critical doses within tolerance; minimum dose intervals (NG67)
	RuleMEDComp     RuleID = "MED-COMP"     // medicines competence assessed within 12 months (NG67)
	RuleSKILLExp    RuleID = "SKILL-EXP"    // task skill and training in date on the visit date, reserved roles kept (Reg 12(2)(c), Reg 18)
	RuleDBS         RuleID = "DBS"          // enhanced DBS with barred list before solo work (Reg 19, Sch 3)
	RuleSUP3M       RuleID = "SUP-3M"       // supervision within 3 months, appraisal within 12 (QS123 st.6; NG21 1.7.13)
	RuleWTR48       RuleID = "WTR-48"       // 17-week average at most 48 hours unless opted out (WTR reg 4)
	RuleWTR11       RuleID = "WTR-11"       // 11 hours' daily rest, 12 for young workers (WTR regs 10, 24)
	RuleWTRWeek     RuleID = "WTR-WEEK"     // weekly rest (WTR reg 11)
	RuleWTRBreak    RuleID = "WTR-BREAK"    // in-work rest break (WTR reg 12)
	RuleWTRNight    RuleID = "WTR-NIGHT"    // night workers average at most 8 hours in 24 (WTR reg 6)
	RuleYW840       RuleID = "YW-8-40"      // young workers 8 h a day, 40 h a week, no night work (WTR reg 5A)
	RuleNMW         RuleID = "NMW"          // pay over the pay reference period at least the minimum wage (NMW Regs 2015)
	RuleREPOS       RuleID = "REPOS"        // gap between visits within the repositioning interval (CG179, QS89)
	RuleCONSENT     RuleID = "CONSENT"      // plan or task active only with valid consent or MCA authority (Reg 11, MCA 2005)
	RuleREVIEW      RuleID = "REVIEW"       // plan review by 6 weeks, then at least every 12 months (QS123 st.5)
	RuleRISKPHQ9    RuleID = "RISK-PHQ9"    // PHQ-9 item 9 at least 1 needs a same-day escalation task
	RuleCANDOUR     RuleID = "CANDOUR"      // notifiable incident: in-person notice, apology, written follow-up (Reg 20)
	RuleRECORD      RuleID = "RECORD"       // visit notes completed contemporaneously (Reg 17(2)(c))
	RuleLOLER       RuleID = "LOLER"        // hoist and sling examined within 6 months (LOLER 1998)
	RuleSHIFTNotice RuleID = "SHIFT-NOTICE" // notice logged for shift changes (ERA 2025, from 2027)

	RuleSCHED3    RuleID = "SCHED3"    // Schedule 3 information held for each worker (Reg 19, Sch 3)
	RuleSAFEGUARD RuleID = "SAFEGUARD" // each safeguarding concern referred and investigated (Reg 13)
	RuleMEDMAR    RuleID = "MED-MAR"   // a MAR entry for each medicine at each medicines visit (Reg 12(2)(g), NG67)
	RuleDIGNITY   RuleID = "DIGNITY"   // carer gender preference and excluded workers honoured (Reg 10)
	RulePLAN      RuleID = "PLAN"      // person-centred plan: goals in the person's words, tasks traced, needs met, agreement (Reg 9)
	RuleMEDPlan   RuleID = "MED-PLAN"  // medicines support in the plan: one giver per dose, risks reviewed (Reg 12(2)(a),(b),(g); NG67)
	RuleNUTRITION RuleID = "NUTRITION" // nutrition and hydration tasks and screening where in scope (Reg 14)
)

// Severity says how serious a finding is.
type Severity string

// Severities, from the most serious.
const (
	// Breach is a failure of a hard rule: law, a regulation, or a rule the provider made hard.
	Breach Severity = "breach"
	// Warning is a failure of a soft rule: guidance or good practice.
	Warning Severity = "warning"
	// Advisory is information a manager should see, such as a rule relaxed by a logged exception.
	Advisory Severity = "advisory"
)

// rank orders severities for sorting: breaches first.
func (s Severity) rank() int {
	switch s {
	case Breach:
		return 0
	case Warning:
		return 1
	default:
		return 2
	}
}

// KeyQuestion is one of the CQC's five key questions (REFERENCE §3.3).
type KeyQuestion string

// The five key questions of the CQC single assessment framework.
const (
	Safe       KeyQuestion = "safe"
	Effective  KeyQuestion = "effective"
	Caring     KeyQuestion = "caring"
	Responsive KeyQuestion = "responsive"
	WellLed    KeyQuestion = "well-led"
)

// KeyQuestions lists the five key questions in the CQC's order.
func KeyQuestions() []KeyQuestion { return []KeyQuestion{Safe, Effective, Caring, Responsive, WellLed} }

// SubjectKind says what kind of record a finding is about.
type SubjectKind string

// Kinds of subject.
const (
	SubjectPerson   SubjectKind = "person"   // a service user
	SubjectWorker   SubjectKind = "worker"   // a member of staff
	SubjectVisit    SubjectKind = "visit"    // one visit
	SubjectPlan     SubjectKind = "plan"     // a care plan
	SubjectDecision SubjectKind = "decision" // a task or decision within a plan that needs consent
	SubjectIncident SubjectKind = "incident" // an incident or a safeguarding concern
	SubjectRoute    SubjectKind = "route"    // one worker's route in one shift
	SubjectItem     SubjectKind = "item"     // equipment or another record
)

// Subject is the record a finding is about, by kind and ID (never by name).
type Subject struct {
	Kind SubjectKind `json:"kind"` // what kind of record
	ID   string      `json:"id"`   // the record's ID
}

// String returns "kind id".
func (s Subject) String() string { return fmt.Sprintf("%s %s", s.Kind, s.ID) }

// Finding is one rule failed by one record: the rule, how serious, where the
// rule comes from, what it is about, the evidence and what to do about it.
// Evidence and remedies name IDs and figures only, never personal details.
type Finding struct {
	Rule        RuleID      `json:"rule"`         // the rule failed
	Severity    Severity    `json:"severity"`     // the rule's severity in the pack, or Advisory
	Source      string      `json:"source"`       // the regulation or guidance, e.g. "WTR 1998 reg 10"
	KeyQuestion KeyQuestion `json:"key_question"` // the CQC key question the rule informs
	Subject     Subject     `json:"subject"`      // the record the finding is about
	// Related lists other records involved, e.g. the visits of a rest breach.
	Related []Subject `json:"related,omitempty"`
	// At is when the failure happens or was found (e.g. the visit start), when known.
	At       *time.Time `json:"at,omitempty"`
	Evidence string     `json:"evidence"` // what was found, with IDs and figures only
	Remedy   string     `json:"remedy"`   // what to do about it
}

// String returns a one-line summary: severity, rule, subject and evidence.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s: %s", f.Severity, f.Rule, f.Subject, f.Evidence)
}

func ptime(t time.Time) *time.Time { return &t }

// fmtDur formats a duration as hours and minutes, e.g. "8h05m".
func fmtDur(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Minute)
	s := fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	if neg {
		return "-" + s
	}
	return s
}

const stamp = "2006-01-02 15:04"
