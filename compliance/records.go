package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Schedule3 is the checklist of information a provider must hold for each
// worker (Reg 19, Schedule 3; REFERENCE §3.1). The DBS items (2 and 3) are
// read from care.Worker.Checks. Each field records that the item is on file.
type Schedule3 struct {
	Identity          bool `json:"identity"`           // 1: proof of identity with a recent photograph
	Conduct           bool `json:"conduct"`            // 4: evidence of conduct in previous care work (true if none applies)
	ReasonLeft        bool `json:"reason_left"`        // 5: verified reason previous care employment ended (true if none)
	Qualifications    bool `json:"qualifications"`     // 6: evidence of relevant qualifications
	EmploymentHistory bool `json:"employment_history"` // 7: full employment history
	GapsExplained     bool `json:"gaps_explained"`     // 7: written explanation of any gaps
	Health            bool `json:"health"`             // 8: health information relevant to the job
}

// missing lists the Schedule 3 items not on file.
func (s *Schedule3) missing(ch care.EmploymentChecks) []string {
	var m []string
	if s == nil {
		s = &Schedule3{}
	}
	for _, it := range []struct {
		ok   bool
		name string
	}{
		{s.Identity, "1 proof of identity with photograph"},
		{ch.DBSLevel == care.DBSEnhancedBarredList && ch.DBSDate != nil, "3 enhanced DBS certificate with barred list information"},
		{s.Conduct, "4 evidence of conduct in previous care work"},
		{s.ReasonLeft, "5 reason previous care employment ended"},
		{s.Qualifications, "6 evidence of relevant qualifications"},
		{s.EmploymentHistory, "7 full employment history"},
		{s.GapsExplained, "7 written explanation of gaps in employment"},
		{s.Health, "8 health information relevant to the role"},
	} {
		if !it.ok {
			m = append(m, it.name)
		}
	}
	return m
}

// Harm describes the harm from an incident, as a health professional judges
// it, for the duty of candour threshold.
type Harm struct {
	Death               bool `json:"death"`                           // not from the natural course of the illness
	ImpairmentDays      int  `json:"impairment_days,omitempty"`       // days of impairment of sensory, motor or intellectual functions; 28 or more meets the threshold
	BodyStructureChange bool `json:"body_structure_change,omitempty"` // changes to the structure of the body
	PainOrPsychDays     int  `json:"pain_or_psych_days,omitempty"`    // prolonged pain or psychological harm
	ShortenedLife       bool `json:"shortened_life,omitempty"`        // shortened life expectancy
	TreatmentToPrevent  bool `json:"treatment_to_prevent,omitempty"`  // treatment needed to prevent death or such injury
}

// Notifiable reports whether the harm meets the duty of candour threshold
// for a registered person who is not an NHS body (Reg 20; REFERENCE §3.2):
// death, impairment or prolonged pain or psychological harm for 28
// continuous days or more, changes to body structure, shortened life
// expectancy, or treatment needed to prevent these.
func (h Harm) Notifiable() bool {
	return h.Death || h.ImpairmentDays >= 28 || h.BodyStructureChange || h.PainOrPsychDays >= 28 || h.ShortenedLife || h.TreatmentToPrevent
}

// Incident is an unintended or unexpected incident in care, with the duty of
// candour steps taken (CANDOUR; Reg 20).
type Incident struct {
	ID          string             `json:"id"`           // unique among the incidents
	ServiceUser care.ServiceUserID `json:"service_user"` // the person affected
	Occurred    time.Time          `json:"occurred"`     // when the incident happened
	Aware       time.Time          `json:"aware"`        // when the provider became aware
	Harm        Harm               `json:"harm"`         // as judged by a health professional; decides whether the duty of candour applies
	// InPersonNotice is when the relevant person was told in person, with a true account.
	InPersonNotice *time.Time `json:"in_person_notice,omitempty"`
	Apology        bool       `json:"apology"` // an apology was given with the notice
	// WrittenFollowUp is when the written notice with the same content was given.
	WrittenFollowUp *time.Time `json:"written_follow_up,omitempty"`
	// FailedAttempts records attempts to contact the relevant person that failed.
	FailedAttempts []time.Time `json:"failed_attempts,omitempty"`
}

// SafeguardingConcern is a concern of abuse or neglect and what was done (SAFEGUARD; Reg 13).
type SafeguardingConcern struct {
	ID          string             `json:"id"`                 // unique among the concerns
	ServiceUser care.ServiceUserID `json:"service_user"`       // the person at risk
	Raised      time.Time          `json:"raised"`             // when the concern was raised
	Referred    *time.Time         `json:"referred,omitempty"` // to the local authority safeguarding team
	Closed      *time.Time         `json:"closed,omitempty"`   // nil = still open; a closed concern needs an Outcome
	Outcome     string             `json:"outcome,omitempty"`  // IDs and categories only
}

// RiskScreen is a PHQ-9 item 9 answer and its escalation (RISK-PHQ9). The
// assessment package scores the instrument; this is the record the rule reads.
type RiskScreen struct {
	ID          string             `json:"id"`                  // unique among the screens
	ServiceUser care.ServiceUserID `json:"service_user"`        // the person screened
	At          time.Time          `json:"at"`                  // when the question was answered
	Item9       int                `json:"item9"`               // PHQ-9 item 9 score, 0 to 3; 1 or more needs a same-day escalation
	Escalated   *time.Time         `json:"escalated,omitempty"` // when it was escalated; nil = not escalated
}

// PlanRecord is what the plan-level rules need from a care plan: when it
// started, its reviews, the events that call for a review and its
// missed-visit response. PlanRecordFromCarePlan builds one from a
// careplan.Plan.
type PlanRecord struct {
	ID          string             `json:"id"`           // the care plan's ID
	ServiceUser care.ServiceUserID `json:"service_user"` // the person the plan is for
	// Started is when the service started; zero = not started, so no review is due.
	Started time.Time   `json:"started,omitzero"`
	Reviews []time.Time `json:"reviews,omitempty"` // when the plan was reviewed
	// Triggers are events that call for a review (hospital admission, a fall, a new
	// assessment flag...): a review falls due TriggerReviewDays after each one not
	// followed by a review.
	Triggers []time.Time `json:"triggers,omitempty"`
	// MissedVisitResponse says how missed or late visits are handled (QS123 st.2); empty = none.
	MissedVisitResponse string `json:"missed_visit_response,omitempty"`
}

// ShiftChangeKind is what happened to a worker's shift.
type ShiftChangeKind string

// Kinds of shift change (Employment Rights Act 2025: shifts cancelled, moved or curtailed).
const (
	ShiftCancelled ShiftChangeKind = "cancelled"
	ShiftMoved     ShiftChangeKind = "moved"
	ShiftCurtailed ShiftChangeKind = "curtailed"
)

// ShiftChange is a change to a worker's shift and the notice given of it
// (SHIFT-NOTICE; ERA 2025, REFERENCE §5.3). Repairing a rota after a
// disruption produces these.
type ShiftChange struct {
	ID     string           `json:"id"`     // unique among the changes
	Worker care.WorkerID    `json:"worker"` // the worker whose shift changed
	Shift  schedule.ShiftID `json:"shift"`  // the shift changed
	Kind   ShiftChangeKind  `json:"kind"`   // cancelled, moved or curtailed
	// ShiftStart is when the shift was due to start before the change.
	ShiftStart time.Time `json:"shift_start"`
	// Notified is when the worker was told; nil = no notice logged.
	Notified *time.Time `json:"notified,omitempty"`
	// Compensation paid for a short-notice change, in pounds.
	Compensation float64 `json:"compensation,omitempty"`
}

// ShiftChanges lists the changes from the shifts before a change of rota
// (e.g. before routing.Repair) to the shifts after it, as told to the
// workers at notified: a shift gone is cancelled, one whose start moved or
// whose worker changed is moved (for the first worker), and one that ends
// earlier is curtailed. IDs are "<shift>/<kind>". Shifts are matched by ID;
// new shifts are not changes. The result is in the order of before.
func ShiftChanges(before, after []schedule.Shift, notified time.Time) []ShiftChange {
	now := map[schedule.ShiftID]*schedule.Shift{}
	for i := range after {
		now[after[i].ID] = &after[i]
	}
	var out []ShiftChange
	for _, b := range before {
		k := ShiftChangeKind("")
		switch a := now[b.ID]; {
		case a == nil:
			k = ShiftCancelled
		case !a.Start.Equal(b.Start) || a.Worker != b.Worker:
			k = ShiftMoved
		case a.End.Before(b.End):
			k = ShiftCurtailed
		default:
			continue
		}
		n := notified
		out = append(out, ShiftChange{ID: string(b.ID) + "/" + string(k), Worker: b.Worker, Shift: b.ID, Kind: k, ShiftStart: b.Start, Notified: &n})
	}
	return out
}

// RecordsInput holds the records CheckRecords reads, and the instant of the check.
type RecordsInput struct {
	AsOf time.Time `json:"as_of"` // the instant of the check; records due after it are not yet late
	// Loc is the agency's time zone for "same day" rules; nil = UTC.
	Loc           *time.Location        `json:"-"`
	Workers       []care.Worker         `json:"workers,omitempty"`        // the workers checked against Schedule 3 (SCHED3; DBS items from their Checks)
	WorkerRecords []WorkerRecord        `json:"worker_records,omitempty"` // their Schedule 3 checklists, by worker
	Incidents     []Incident            `json:"incidents,omitempty"`      // incidents for the duty of candour (CANDOUR)
	Concerns      []SafeguardingConcern `json:"concerns,omitempty"`       // safeguarding concerns (SAFEGUARD)
	Screens       []RiskScreen          `json:"screens,omitempty"`        // PHQ-9 item 9 answers (RISK-PHQ9)
	Plans         []PlanRecord          `json:"plans,omitempty"`          // care plans, for review dates
	ShiftChanges  []ShiftChange         `json:"shift_changes,omitempty"`  // changes to workers' shifts, for notice and compensation
}

// CheckRecords checks the records as of in.AsOf under the rules of pack:
// SCHED3, CANDOUR, SAFEGUARD, RISK-PHQ9, REVIEW, VIS-MISSED and
// SHIFT-NOTICE. Findings are sorted by time, rule and subject.
func CheckRecords(pack *Pack, in RecordsInput) []Finding {
	e := &emitter{pack: pack}
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	pr := pack.Params
	recs := map[care.WorkerID]*WorkerRecord{}
	for i := range in.WorkerRecords {
		recs[in.WorkerRecords[i].Worker] = &in.WorkerRecords[i]
	}
	// SCHED3 (Reg 19, Schedule 3).
	for i := range in.Workers {
		w := &in.Workers[i]
		var s *Schedule3
		if r := recs[w.ID]; r != nil {
			s = r.Schedule3
		}
		if m := s.missing(w.Checks); len(m) > 0 {
			e.add(RuleSCHED3, Breach, wsub(w.ID), ptime(in.AsOf), "Schedule 3 items not on file: "+strings.Join(m, "; "),
				"obtain and file the missing pre-employment information before the worker starts")
		}
	}
	// CANDOUR (Reg 20).
	days := time.Duration(pr.CandourNoticeDays) * 24 * time.Hour
	for _, inc := range in.Incidents {
		if !inc.Harm.Notifiable() {
			continue
		}
		sub := Subject{SubjectIncident, inc.ID}
		due := inc.Aware.Add(days)
		switch {
		case inc.InPersonNotice == nil && in.AsOf.After(due):
			sev := Breach
			ev := fmt.Sprintf("notifiable incident known since %s: no in-person notice after %d days", inc.Aware.In(loc).Format(stamp), pr.CandourNoticeDays)
			if len(inc.FailedAttempts) > 0 {
				sev = Advisory
				ev += fmt.Sprintf("; %d failed contact attempts recorded", len(inc.FailedAttempts))
			}
			e.add(RuleCANDOUR, sev, sub, ptime(due), ev, "tell the relevant person in person, give a true account and apologise", usub(inc.ServiceUser))
		case inc.InPersonNotice != nil && inc.InPersonNotice.After(due):
			e.add(RuleCANDOUR, Breach, sub, ptime(*inc.InPersonNotice),
				fmt.Sprintf("in-person notice given %s, more than %d days after awareness", inc.InPersonNotice.In(loc).Format(stamp), pr.CandourNoticeDays),
				"give notice as soon as reasonably practicable; review why it was late", usub(inc.ServiceUser))
		}
		if inc.InPersonNotice != nil && !inc.Apology {
			e.add(RuleCANDOUR, Breach, sub, ptime(*inc.InPersonNotice), "notice given without a recorded apology",
				"apologise and record it (an apology is not an admission of liability)", usub(inc.ServiceUser))
		}
		if inc.InPersonNotice != nil && inc.WrittenFollowUp == nil && in.AsOf.After(inc.InPersonNotice.Add(days)) {
			e.add(RuleCANDOUR, Breach, sub, ptime(inc.InPersonNotice.Add(days)),
				fmt.Sprintf("no written follow-up %d days after the in-person notice", pr.CandourNoticeDays),
				"send the written notice with the account, apology and enquiries", usub(inc.ServiceUser))
		}
	}
	// SAFEGUARD (Reg 13): referred within SafeguardReferralHours; closed concerns have an outcome.
	lim := time.Duration(pr.SafeguardReferralHours) * time.Hour
	for _, sc := range in.Concerns {
		sub := Subject{SubjectIncident, sc.ID}
		switch {
		case sc.Referred == nil && in.AsOf.Sub(sc.Raised) > lim:
			e.add(RuleSAFEGUARD, Breach, sub, ptime(sc.Raised.Add(lim)),
				fmt.Sprintf("concern raised %s not referred after %s", sc.Raised.In(loc).Format(stamp), fmtDur(lim)),
				"refer the concern to the local authority safeguarding team now", usub(sc.ServiceUser))
		case sc.Referred != nil && sc.Referred.Sub(sc.Raised) > lim:
			e.add(RuleSAFEGUARD, Breach, sub, ptime(*sc.Referred),
				fmt.Sprintf("concern referred %s after it was raised; limit %s", fmtDur(sc.Referred.Sub(sc.Raised)), fmtDur(lim)),
				"refer concerns without delay", usub(sc.ServiceUser))
		}
		if sc.Closed != nil && strings.TrimSpace(sc.Outcome) == "" {
			e.add(RuleSAFEGUARD, Breach, sub, ptime(*sc.Closed), "concern closed without a recorded outcome",
				"record the investigation outcome", usub(sc.ServiceUser))
		}
	}
	// RISK-PHQ9: item 9 of 1 or more escalated the same local day.
	for _, s := range in.Screens {
		if s.Item9 < 1 {
			continue
		}
		d := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
		sameDay := s.Escalated != nil && !s.Escalated.Before(s.At) && d(*s.Escalated) == d(s.At)
		if sameDay {
			continue
		}
		endOfDay := time.Date(s.At.In(loc).Year(), s.At.In(loc).Month(), s.At.In(loc).Day()+1, 0, 0, 0, 0, loc)
		if s.Escalated == nil && in.AsOf.Before(endOfDay) {
			continue // still the same day: not yet late
		}
		e.add(RuleRISKPHQ9, Breach, usub(s.ServiceUser), ptime(s.At),
			fmt.Sprintf("screen %s: PHQ-9 item 9 answered %d on %s without a same-day escalation", s.ID, s.Item9, d(s.At)),
			"escalate now (GP, crisis line or safeguarding lead) and record it")
	}
	// REVIEW (QS123 st.5) and VIS-MISSED (QS123 st.2).
	for _, p := range in.Plans {
		checkPlanRecord(e, &p, in.AsOf, loc)
	}
	// SHIFT-NOTICE (ERA 2025): every change has its notice logged; notice shorter than
	// ShiftNoticeHours is reported with the compensation recorded.
	notice := time.Duration(pr.ShiftNoticeHours) * time.Hour
	for _, sc := range in.ShiftChanges {
		sub := Subject{SubjectWorker, string(sc.Worker)}
		rel := Subject{SubjectItem, "shift/" + string(sc.Shift)}
		switch {
		case sc.Notified == nil:
			e.add(RuleSHIFTNotice, Warning, sub, ptime(sc.ShiftStart),
				fmt.Sprintf("change %s: shift %s due %s %s with no notice logged", sc.ID, sc.Shift, sc.ShiftStart.In(loc).Format(stamp), sc.Kind),
				"log when and how the worker was told of the change", rel)
		case sc.ShiftStart.Sub(*sc.Notified) < notice:
			e.add(RuleSHIFTNotice, Warning, sub, ptime(*sc.Notified),
				fmt.Sprintf("change %s: shift %s due %s %s with %s notice (less than %s); compensation recorded £%.2f",
					sc.ID, sc.Shift, sc.ShiftStart.In(loc).Format(stamp), sc.Kind, fmtDur(sc.ShiftStart.Sub(*sc.Notified)), fmtDur(notice), sc.Compensation),
				"give reasonable notice of shift changes, and pay for short-notice changes once the 2027 regulations apply", rel)
		}
	}
	sortFindings(e.out)
	return e.out
}

// checkPlanRecord runs VIS-MISSED (QS123 st.2) and REVIEW (QS123 st.5;
// Care Act s.27) for one plan as of asOf: the first review within
// FirstReview of the start, then at most ReviewMonths apart, each brought
// forward to TriggerReviewDays after a trigger event not already followed by
// a review. A review held late is reported once, against the date it was due.
func checkPlanRecord(e *emitter, p *PlanRecord, asOf time.Time, loc *time.Location) {
	pr := e.pack.Params
	sub := Subject{SubjectPlan, p.ID}
	if strings.TrimSpace(p.MissedVisitResponse) == "" {
		var at *time.Time
		if !p.Started.IsZero() {
			at = ptime(p.Started)
		}
		e.add(RuleVISMissed, Breach, sub, at, "plan has no missed or late visit response",
			"agree and record how missed or late visits will be handled", usub(p.ServiceUser))
	}
	if p.Started.IsZero() {
		return
	}
	reviews := slices.Clone(p.Reviews)
	slices.SortFunc(reviews, func(a, b time.Time) int { return a.Compare(b) })
	triggers := slices.Clone(p.Triggers)
	slices.SortFunc(triggers, func(a, b time.Time) int { return a.Compare(b) })
	onEvent := time.Duration(pr.TriggerReviewDays) * 24 * time.Hour
	// dueAfter is the review due after a review (or the start) at since, by the
	// regular interval first, brought forward by any trigger at or after since.
	dueAfter := func(since, regular time.Time) (time.Time, string) {
		due, why := regular, ""
		for _, tr := range triggers {
			if tr.Before(since) {
				continue
			}
			if d := tr.Add(onEvent); d.Before(due) {
				due, why = d, fmt.Sprintf(" (trigger event %s)", tr.In(loc).Format(time.DateOnly))
			}
		}
		return due, why
	}
	day := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	due, why := dueAfter(p.Started, p.Started.Add(pr.FirstReview.Std()))
	for _, r := range reviews {
		if r.Before(p.Started) {
			continue
		}
		if r.After(due) {
			e.add(RuleREVIEW, Warning, sub, ptime(due), fmt.Sprintf("review due %s%s held %s", day(due), why, day(r)),
				"review on time and after any change", usub(p.ServiceUser))
		}
		due, why = dueAfter(r, addMonths(r, pr.ReviewMonths))
	}
	if asOf.After(due) {
		e.add(RuleREVIEW, Warning, sub, ptime(due), fmt.Sprintf("review due %s%s not held", day(due), why),
			"book the plan review", usub(p.ServiceUser))
	}
}

// SupportLevel is the level of medicines support agreed in the plan (NG67).
type SupportLevel string

// Levels of medicines support.
const (
	Prompting     SupportLevel = "prompting"
	Assisting     SupportLevel = "assisting"
	Administering SupportLevel = "administering"
)

// MedicineSupport is one medicine a person is supported with, at which
// visits. Medicine is an opaque ID, not a drug name.
type MedicineSupport struct {
	ServiceUser care.ServiceUserID `json:"service_user"` // the person supported
	Medicine    string             `json:"medicine"`     // opaque medicine ID
	Level       SupportLevel       `json:"level"`        // prompting, assisting or administering (NG67)
	Visits      []schedule.VisitID `json:"visits"`       // the visits at which it is given; each that ended by RotaInput.AsOf needs a MAR entry (MED-MAR)
}

// MAROutcome is what happened to a dose.
type MAROutcome string

// Outcomes recorded on a MAR.
const (
	MARGiven    MAROutcome = "given"
	MARPrompted MAROutcome = "prompted"
	MARDeclined MAROutcome = "declined"
	MARNotGiven MAROutcome = "not_given"
)

// MAREntry is one entry on a medicines administration record.
type MAREntry struct {
	Visit    schedule.VisitID `json:"visit"`    // the visit at which the dose was due
	Medicine string           `json:"medicine"` // opaque medicine ID, as in MedicineSupport
	Worker   care.WorkerID    `json:"worker"`   // the worker who made the entry
	Outcome  MAROutcome       `json:"outcome"`  // given, prompted, declined or not given
	At       time.Time        `json:"at"`       // time of the dose as recorded
	Signed   bool             `json:"signed"`   // the entry is signed
}

// mar (MED-MAR; Reg 12(2)(g), NICE NG67): for each supported medicine, every
// visit of its list that ended by AsOf has a MAR entry with an outcome
// (including a refusal), the time, and a signature.
func (c *rotaCtx) mar() {
	if c.in.AsOf.IsZero() {
		return
	}
	idx := map[string]*MAREntry{}
	for i := range c.in.MAR {
		m := &c.in.MAR[i]
		idx[string(m.Visit)+"\x00"+m.Medicine] = m
	}
	for _, s := range c.in.Medicines {
		for _, vid := range s.Visits {
			pl, ok := c.plans[vid]
			if !ok || pl.end.After(c.in.AsOf) {
				continue
			}
			m := idx[string(vid)+"\x00"+s.Medicine]
			var miss []string
			switch {
			case m == nil:
				miss = append(miss, "no MAR entry")
			default:
				if m.Outcome == "" {
					miss = append(miss, "no outcome recorded")
				}
				if m.At.IsZero() {
					miss = append(miss, "no time recorded")
				}
				if !m.Signed {
					miss = append(miss, "not signed")
				}
			}
			if len(miss) > 0 {
				c.e.add(RuleMEDMAR, Breach, vsub(vid), ptime(pl.end),
					fmt.Sprintf("medicine %s (%s): %s", s.Medicine, s.Level, strings.Join(miss, "; ")),
					"complete the MAR for every medicine at every visit, including refusals", usub(s.ServiceUser))
			}
		}
	}
}
