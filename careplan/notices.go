package careplan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// RotaChange is a change to one planned visit on one day, as plain data
// from whatever planned the rota: the visit's new time, its new workers
// (IDs), or its cancellation.
type RotaChange struct {
	Date  string `json:"date"`  // local date of the visit, "2026-04-02"
	Visit string `json:"visit"` // the plan's visit ID (Visit.ID, = the pattern ID) or an occurrence ID "<visit>@<date>T<hh:mm>"
	// Provider is the practitioner making the visit; "" = the visit's provider in the plan.
	Provider    string          `json:"provider,omitempty"`
	FromTime    string          `json:"from_time"`              // planned start, "08:00"
	ToTime      string          `json:"to_time,omitempty"`      // new start; "" = unchanged
	FromWorkers []care.WorkerID `json:"from_workers,omitempty"` // workers planned before the change
	ToWorkers   []care.WorkerID `json:"to_workers,omitempty"`   // workers planned after it
	Cancelled   bool            `json:"cancelled,omitempty"`    // the visit will not happen
}

// RecipientKind is who a notice is for.
type RecipientKind string

// Kinds of recipient.
const (
	RecipientPerson       RecipientKind = "person"       // the person the plan is for
	RecipientFamily       RecipientKind = "family"       // a contact without legal authority
	RecipientAttorney     RecipientKind = "attorney"     // holds a registered lasting power of attorney
	RecipientDeputy       RecipientKind = "deputy"       // appointed by the Court of Protection
	RecipientProfessional RecipientKind = "professional" // a practitioner of the plan
)

// NoticePolicy sets how soon notices are owed. The zero value means the
// defaults.
type NoticePolicy struct {
	// PlanChange is the time allowed to tell of a change to the plan; 0 = 2 days.
	PlanChange schedule.Duration `json:"plan_change"`
	// RotaLead is how long before a changed visit its recipients must be told; 0 = 2 hours.
	RotaLead schedule.Duration `json:"rota_lead"`
}

func (np NoticePolicy) withDefaults() NoticePolicy {
	if np.PlanChange <= 0 {
		np.PlanChange = schedule.Duration(48 * time.Hour)
	}
	if np.RotaLead <= 0 {
		np.RotaLead = schedule.Duration(2 * time.Hour)
	}
	return np
}

// NoticeInput is what Notices needs: the plan as it now stands, the
// changes (from Diff and from the rota), the person's contacts, the
// decisions a current capacity assessment found the person lacks capacity
// for, and the instant of the change.
type NoticeInput struct {
	Plan          *Plan             `json:"plan"`                     // the plan as it now stands
	Changes       []Change          `json:"changes,omitempty"`        // from Diff(before, after)
	Rota          []RotaChange      `json:"rota,omitempty"`           // changes to planned visits
	Contacts      []care.Contact    `json:"contacts,omitempty"`       // the person's contacts (care.ServiceUser.Contacts)
	LacksCapacity []ConsentCategory `json:"lacks_capacity,omitempty"` // decisions a current capacity assessment found the person lacks capacity for
	At            time.Time         `json:"at"`                       // when the change was made
	Policy        NoticePolicy      `json:"policy,omitzero"`          // how soon notices are owed
}

// NoticeItem is one change told to a recipient, as data and in plain words.
type NoticeItem struct {
	Change Change    `json:"change"` // the change as data
	Text   string    `json:"text"`   // the change in plain words
	Due    time.Time `json:"due"`    // when the recipient must be told
	// Basis is why this recipient may be told it.
	Basis string `json:"basis"`
}

// Notice is what one recipient is owed: the items they may be told, by when.
type Notice struct {
	Plan      PlanID         `json:"plan"`              // the plan changed
	Recipient string         `json:"recipient"`         // "person", a contact ID or a practitioner ID
	Kind      RecipientKind  `json:"kind"`              // person, family, attorney, deputy or professional
	Contact   care.ContactID `json:"contact,omitempty"` // the contact, for contacts
	Due       time.Time      `json:"due"`               // the earliest item's due time
	Items     []NoticeItem   `json:"items"`             // what they may be told
}

// Withholding records an item not told to a recipient and why: for the
// coordinator's audit of disclosures, never for the recipient.
type Withholding struct {
	Recipient string `json:"recipient"`       // "person" or a contact ID
	Section   string `json:"section"`         // section of the change withheld
	ID        string `json:"id,omitempty"`    // ID of the item changed
	Field     string `json:"field,omitempty"` // field changed
	Reason    string `json:"reason"`          // why it was withheld
}

// NoticeSet is the result of Notices.
type NoticeSet struct {
	Plan     PlanID        `json:"plan"`               // the plan changed
	At       time.Time     `json:"at"`                 // when the change was made
	Notices  []Notice      `json:"notices"`            // one per recipient owed a notice
	Withheld []Withholding `json:"withheld,omitempty"` // for the coordinator only
}

// ErrNoPlan matches Notices or a report called without a plan.
var ErrNoPlan = errors.New("no plan")

// Notices works out who must be told of a change to a plan or its rota,
// what each may be told and by when (REFERENCE §2.4, §6; NICE NG21 on
// keeping people informed):
//
//   - the person is told every change: it is their plan;
//   - a contact (family, friend) is told a change only when the person
//     agreed to share that category of information with them
//     (care.Contact.MayShare);
//   - a registered health-and-welfare attorney (or health-and-welfare
//     deputy) is also told a change of care, health or visits that
//     concerns a decision the person lacks capacity for (MCA s.11(7)(a));
//     a property-and-financial-affairs attorney or deputy is told changes
//     to funding and charges when the person lacks capacity for finance
//     decisions (or agreed to share finance with them), never health
//     details without the person's agreement;
//   - a professional contact linked to a practitioner of the plan is told
//     only changes that concern that practitioner: their tasks and visits,
//     tasks of kinds relevant to them (an OT: transfers, repositioning,
//     personal care; a district nurse: nursing, repositioning, medicines),
//     risks and referrals naming them, and needs their tasks meet; never
//     funding;
//   - sensitive items (self-harm risk, safeguarding) never go to family,
//     attorneys or deputies (REFERENCE §6), only to professionals concerned.
//
// Everything not told is listed in Withheld with the reason. A plan change
// is due within policy.PlanChange of At; a rota change policy.RotaLead
// before the visit (or at once when that has passed); a change to an
// urgent risk at once.
func Notices(in NoticeInput) (NoticeSet, error) {
	if in.Plan == nil {
		return NoticeSet{}, ErrNoPlan
	}
	p := in.Plan
	id := string(p.ID)
	loc, err := p.location()
	if err != nil {
		return NoticeSet{}, fieldErr(id, "time_zone", "unknown time zone %q", trunc(p.TimeZone))
	}
	pol := in.Policy.withDefaults()
	for i, c := range in.Contacts {
		if err := care.ValidateID(string(c.ID)); err != nil {
			return NoticeSet{}, fieldErr(id, fmt.Sprintf("contacts[%d].id", i), "%v", err)
		}
	}
	items := slices.Clone(in.Changes)
	due := make([]time.Time, 0, len(items))
	for _, c := range items {
		d := in.At.Add(pol.PlanChange.Std())
		if c.Section == "risk" {
			if r := findRisk(p, c.ID); r != nil && r.Level == RiskUrgent {
				d = in.At
			}
		}
		due = append(due, d)
	}
	visits, _ := p.Visits()
	for i, rc := range in.Rota {
		c, d, err := p.rotaChange(rc, visits, loc, in.At, pol)
		if err != nil {
			return NoticeSet{}, fmt.Errorf("rota[%d]: %w", i, err)
		}
		items = append(items, c)
		due = append(due, d)
	}
	out := NoticeSet{Plan: p.ID, At: in.At}
	add := func(n Notice) {
		if len(n.Items) == 0 {
			return
		}
		n.Due = n.Items[0].Due
		for _, it := range n.Items {
			if it.Due.Before(n.Due) {
				n.Due = it.Due
			}
		}
		out.Notices = append(out.Notices, n)
	}
	// The person.
	person := Notice{Plan: p.ID, Recipient: "person", Kind: RecipientPerson}
	for i, c := range items {
		person.Items = append(person.Items, NoticeItem{Change: c, Text: p.plain(c), Due: due[i], Basis: "the person's own plan"})
	}
	add(person)
	// Contacts.
	for _, ct := range in.Contacts {
		if ct.Professional != "" {
			add(p.professionalNotice(ct, items, due, &out.Withheld))
			continue
		}
		n := Notice{Plan: p.ID, Recipient: string(ct.ID), Contact: ct.ID, Kind: contactKind(ct, in.At)}
		for i, c := range items {
			basis, reason := entitled(ct, c, in.LacksCapacity, in.At)
			if reason != "" {
				out.Withheld = append(out.Withheld, Withholding{Recipient: string(ct.ID), Section: c.Section, ID: c.ID, Field: c.Field, Reason: reason})
				continue
			}
			n.Items = append(n.Items, NoticeItem{Change: c, Text: p.plain(c), Due: due[i], Basis: basis})
		}
		add(n)
	}
	return out, nil
}

// contactKind classifies a contact by the authority they hold at the instant at.
func contactKind(c care.Contact, at time.Time) RecipientKind {
	if len(c.Powers) > 0 && (c.HoldsPower(care.HealthAndWelfare, at) || c.HoldsPower(care.PropertyAndFinancial, at)) {
		return RecipientAttorney
	}
	if deputyFor(c, care.HealthAndWelfare, at) || deputyFor(c, care.PropertyAndFinancial, at) {
		return RecipientDeputy
	}
	return RecipientFamily
}

// deputyFor reports whether the contact is a deputy of type t in force at the instant at.
func deputyFor(c care.Contact, t care.PowerType, at time.Time) bool {
	d := c.Deputy
	return d != nil && d.Type == t && !d.Appointed.After(at) && (d.Until == nil || d.Until.After(at))
}

// entitled says on what basis a non-professional contact may be told a
// change, or why not (basis "" and a reason).
func entitled(ct care.Contact, c Change, lacks []ConsentCategory, at time.Time) (basis, reason string) {
	if c.Sensitive {
		return "", "sensitive (self-harm risk or safeguarding): never sent to family channels (REFERENCE §6)"
	}
	if slices.Contains(ct.MayShare, c.Category) {
		return fmt.Sprintf("the person agreed to share %s with this contact", c.Category), ""
	}
	hw := ct.HoldsPower(care.HealthAndWelfare, at) || deputyFor(ct, care.HealthAndWelfare, at)
	pf := ct.HoldsPower(care.PropertyAndFinancial, at) || deputyFor(ct, care.PropertyAndFinancial, at)
	lacking := func() (ConsentCategory, bool) {
		for _, d := range c.Decisions {
			if slices.Contains(lacks, d) {
				return d, true
			}
		}
		return "", false
	}
	switch c.Category {
	case care.ShareFinance:
		if pf {
			if _, ok := lacking(); ok {
				return "property-and-financial-affairs authority: the person lacks capacity for decisions on funding and charges", ""
			}
			return "", "a property-and-financial-affairs attorney acts for a person with capacity only with their agreement, and none is recorded (MCA; REFERENCE §2.4)"
		}
	default:
		if hw {
			if d, ok := lacking(); ok {
				return fmt.Sprintf("health-and-welfare authority: the person lacks capacity for the %s decision (MCA s.11(7)(a))", d), ""
			}
			return "", "health-and-welfare authority applies only to decisions the person lacks capacity for, and none is recorded for this change"
		}
	}
	return "", fmt.Sprintf("the person has not agreed to share %s with this contact and the contact holds no authority for it", c.Category)
}

// relevantKinds are the task kinds a practitioner of each kind is told of
// even when another practitioner delivers them.
func relevantKinds(k PractitionerKind) []TaskKind {
	switch k {
	case OccupationalTherapist:
		return []TaskKind{TaskTransfer, TaskRepositioning, TaskPersonalCare}
	case DistrictNurse:
		return []TaskKind{TaskNursing, TaskRepositioning, TaskMedicines}
	case GP:
		return []TaskKind{TaskNursing, TaskMedicines}
	case Pharmacy:
		return []TaskKind{TaskMedicines}
	case Chiropodist:
		return []TaskKind{TaskChiropody}
	case Befriender:
		return []TaskKind{TaskBefriending, TaskSocial}
	}
	return nil
}

// concerns reports whether a change concerns practitioner pr.
func (p *Plan) concerns(pr *Practitioner, c Change) bool {
	if c.Category == care.ShareFinance {
		return false
	}
	if slices.Contains(c.Providers, pr.ID) {
		return true
	}
	for _, k := range c.TaskKinds {
		if slices.Contains(relevantKinds(pr.Kind), k) {
			return true
		}
	}
	if c.Section == "need" {
		for _, t := range p.Tasks {
			if slices.Contains(t.Needs, c.ID) && (t.Provider == pr.ID || slices.Contains(relevantKinds(pr.Kind), t.Kind)) {
				return true
			}
		}
		for _, r := range p.Referrals {
			if r.Practitioner == pr.ID {
				return true
			}
		}
	}
	return false
}

// professionalNotice builds the notice of a professional contact.
func (p *Plan) professionalNotice(ct care.Contact, items []Change, due []time.Time, withheld *[]Withholding) Notice {
	n := Notice{Plan: p.ID, Recipient: string(ct.ID), Contact: ct.ID, Kind: RecipientProfessional}
	var pr *Practitioner
	for i := range p.Practitioners {
		if p.Practitioners[i].Contact == ct.ID {
			pr = &p.Practitioners[i]
		}
	}
	for i, c := range items {
		switch {
		case pr == nil:
			*withheld = append(*withheld, Withholding{Recipient: string(ct.ID), Section: c.Section, ID: c.ID, Field: c.Field,
				Reason: "not a practitioner of this plan"})
		case !p.concerns(pr, c):
			*withheld = append(*withheld, Withholding{Recipient: string(ct.ID), Section: c.Section, ID: c.ID, Field: c.Field,
				Reason: fmt.Sprintf("does not concern the tasks of practitioner %s", pr.ID)})
		default:
			n.Items = append(n.Items, NoticeItem{Change: c, Text: p.plain(c), Due: due[i],
				Basis: fmt.Sprintf("direct care: concerns practitioner %s (%s)", pr.ID, pr.Kind)})
		}
	}
	return n
}

// rotaChange turns a rota change into a Change and its due time.
func (p *Plan) rotaChange(rc RotaChange, visits []Visit, loc *time.Location, at time.Time, pol NoticePolicy) (Change, time.Time, error) {
	day, err := time.ParseInLocation(time.DateOnly, rc.Date, loc)
	if err != nil {
		return Change{}, time.Time{}, fieldErr(string(p.ID), "rota.date", "want a date like \"2026-04-02\", got %q", trunc(rc.Date))
	}
	from, err := parseClock(rc.FromTime)
	if err != nil {
		return Change{}, time.Time{}, fieldErr(string(p.ID), "rota.from_time", "%v", err)
	}
	start := from
	if rc.ToTime != "" {
		to, err := parseClock(rc.ToTime)
		if err != nil {
			return Change{}, time.Time{}, fieldErr(string(p.ID), "rota.to_time", "%v", err)
		}
		start = min(start, to)
	}
	c := Change{Section: "rota", ID: rc.Visit + "@" + rc.Date, Kind: Changed, Category: care.ShareRota}
	switch {
	case rc.Cancelled:
		c.Kind, c.Field, c.From, c.To = Removed, "visit", rc.FromTime, "cancelled"
	case rc.ToTime != "" && rc.ToTime != rc.FromTime:
		c.Field, c.From, c.To = "time", rc.FromTime, rc.ToTime
	default:
		c.Field, c.From, c.To = "workers", render(rc.FromWorkers), render(rc.ToWorkers)
	}
	prov := rc.Provider
	for _, v := range visits {
		if v.ID == rc.Visit || strings.HasPrefix(rc.Visit, v.ID+"@") {
			if prov == "" {
				prov = v.Provider
			}
			for _, id := range v.Tasks {
				if t, ok := p.Task(id); ok && !slices.Contains(c.TaskKinds, t.Kind) {
					c.TaskKinds = append(c.TaskKinds, t.Kind)
				}
			}
		}
	}
	if prov != "" {
		c.Providers = []string{prov}
	}
	c.Decisions = decisionsOf("rota", c.TaskKinds)
	visitAt := time.Date(day.Year(), day.Month(), day.Day(), start/60, start%60, 0, 0, loc)
	d := visitAt.Add(-pol.RotaLead.Std())
	if d.Before(at) {
		d = at
	}
	return c, d, nil
}

// plain renders a change in plain words for the person, their family or a
// professional.
func (p *Plan) plain(c Change) string {
	what := func() string {
		if t, ok := p.Task(c.ID); ok {
			if t.Description != "" {
				return t.Description
			}
			return strings.ReplaceAll(string(t.Kind), "_", " ")
		}
		return strings.ReplaceAll(c.Section, "_", " ") + " " + c.ID
	}
	field := strings.ReplaceAll(c.Field, "_", " ")
	switch c.Section {
	case "rota":
		_, date, _ := strings.Cut(c.ID, "@")
		switch c.Field {
		case "visit":
			return fmt.Sprintf("The visit at %s on %s is cancelled.", c.From, date)
		case "time":
			return fmt.Sprintf("The visit on %s moves from %s to %s.", date, c.From, c.To)
		}
		return fmt.Sprintf("Different carers will make the visit on %s (was %s, now %s).", date, c.From, c.To)
	case "task":
		switch c.Kind {
		case Added:
			return fmt.Sprintf("New support: %s.", what())
		case Removed:
			return fmt.Sprintf("Support stopped: task %s.", c.ID)
		}
		return fmt.Sprintf("Support %q: %s changes from %s to %s.", what(), field, c.From, c.To)
	case "visit":
		switch c.Kind {
		case Added:
			return fmt.Sprintf("A regular visit is added (%s).", c.ID)
		case Removed:
			return fmt.Sprintf("A regular visit is no longer needed (%s).", c.ID)
		}
		return fmt.Sprintf("The regular visit %s: %s changes from %s to %s.", c.ID, field, c.From, c.To)
	case "plan":
		return fmt.Sprintf("The plan's %s changes from %s to %s.", field, c.From, c.To)
	}
	switch c.Kind {
	case Added:
		return fmt.Sprintf("Added to the plan: %s %s.", strings.ReplaceAll(c.Section, "_", " "), c.ID)
	case Removed:
		return fmt.Sprintf("Removed from the plan: %s %s.", strings.ReplaceAll(c.Section, "_", " "), c.ID)
	}
	return fmt.Sprintf("The plan's %s %s: %s changes from %s to %s.", strings.ReplaceAll(c.Section, "_", " "), c.ID, field, c.From, c.To)
}

// Text renders the notice in plain words.
func (n Notice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Care plan %s: changes for %s (%s), to be told by %s\n", n.Plan, n.Recipient, n.Kind, n.Due.Format("2006-01-02 15:04 MST"))
	for _, it := range n.Items {
		fmt.Fprintf(&b, "- %s\n", it.Text)
	}
	return b.String()
}

// Markdown renders the notice as Markdown: a heading, the due time and a
// table of the items with the basis for telling each.
func (n Notice) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Care plan %s: notice to %s (%s)\n\nTo be told by **%s**.\n\n", n.Plan, n.Recipient, n.Kind, n.Due.Format("2006-01-02 15:04 MST"))
	b.WriteString("| Change | By | Basis |\n|---|---|---|\n")
	for _, it := range n.Items {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(it.Text), it.Due.Format("2006-01-02 15:04"), mdCell(it.Basis))
	}
	return b.String()
}

// Text renders every notice, one after another.
func (s NoticeSet) Text() string {
	var parts []string
	for _, n := range s.Notices {
		parts = append(parts, n.Text())
	}
	return strings.Join(parts, "\n")
}

// Markdown renders every notice and, for the coordinator, what was
// withheld from whom and why.
func (s NoticeSet) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Notices for care plan %s\n\n", s.Plan)
	for _, n := range s.Notices {
		b.WriteString(n.Markdown())
		b.WriteString("\n")
	}
	if len(s.Withheld) > 0 {
		b.WriteString("## Withheld (coordinator only)\n\n| Recipient | Item | Reason |\n|---|---|---|\n")
		for _, w := range s.Withheld {
			item := w.Section
			if w.ID != "" {
				item += " " + w.ID
			}
			if w.Field != "" {
				item += " (" + w.Field + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(w.Recipient), mdCell(item), mdCell(w.Reason))
		}
	}
	return b.String()
}

// For returns the notice for a recipient.
func (s NoticeSet) For(recipient string) (Notice, bool) {
	for _, n := range s.Notices {
		if n.Recipient == recipient {
			return n, true
		}
	}
	return Notice{}, false
}

// mdCell escapes a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
