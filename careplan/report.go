package careplan

import (
	"fmt"
	"slices"
	"strings"
)

// Report is the professional report for one practitioner of the plan (an
// OT, a district nurse, a GP...): only the needs, risks, referrals, tasks
// and visits that concern them (see Notices for what concerns a
// practitioner). It carries IDs and codes, never the person's name.
type Report struct {
	Plan         PlanID           `json:"plan"`         // the plan reported on
	ServiceUser  string           `json:"service_user"` // the person, by ID
	Practitioner string           `json:"practitioner"` // the practitioner the report is for
	Kind         PractitionerKind `json:"kind"`         // their kind
	// Tasks they deliver or whose kind concerns them.
	Tasks     []Task     `json:"tasks,omitempty"`
	Visits    []Visit    `json:"visits,omitempty"`    // visits with those tasks
	Needs     []Need     `json:"needs,omitempty"`     // needs those tasks meet or referred to them
	Risks     []Risk     `json:"risks,omitempty"`     // open risks naming them
	Referrals []Referral `json:"referrals,omitempty"` // referrals to them
}

// ProfessionalReport builds the report for practitioner id: the tasks they
// deliver and the tasks of kinds relevant to them, the visits with those
// tasks, the needs those tasks meet or that were referred to them, the
// open risks naming them and the referrals to them. Funding is never
// included.
func (p *Plan) ProfessionalReport(id string) (Report, error) {
	pr, ok := p.Practitioner(id)
	if !ok {
		return Report{}, fieldErr(string(p.ID), "practitioners", "unknown practitioner %q", trunc(id))
	}
	r := Report{Plan: p.ID, ServiceUser: string(p.ServiceUser), Practitioner: pr.ID, Kind: pr.Kind}
	needs := map[string]bool{}
	tasks := map[string]bool{}
	for _, t := range p.Tasks {
		if t.Provider == pr.ID || slices.Contains(relevantKinds(pr.Kind), t.Kind) {
			r.Tasks = append(r.Tasks, t)
			tasks[t.ID] = true
			for _, n := range t.Needs {
				needs[n] = true
			}
		}
	}
	for _, ref := range p.Referrals {
		if ref.Practitioner == pr.ID {
			r.Referrals = append(r.Referrals, ref)
			for _, e := range ref.Evidence {
				// A referral's evidence names assessment items; the needs citing the same items are referred.
				for _, n := range p.Needs {
					if slices.ContainsFunc(n.Evidence, func(x Evidence) bool { return x.Ref != "" && x.Ref == e.Ref }) {
						needs[n.ID] = true
					}
				}
			}
		}
	}
	for _, n := range p.Needs {
		if needs[n.ID] {
			r.Needs = append(r.Needs, n)
		}
	}
	for _, rk := range p.Risks {
		if rk.Closed == nil && slices.Contains(rk.Providers, pr.ID) {
			r.Risks = append(r.Risks, rk)
		}
	}
	if vs, err := p.Visits(); err == nil {
		for _, v := range vs {
			if slices.ContainsFunc(v.Tasks, func(id string) bool { return tasks[id] }) {
				r.Visits = append(r.Visits, v)
			}
		}
	}
	return r, nil
}

// Text renders the report in plain words.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Care plan %s for %s: report for %s (%s)\n", r.Plan, r.ServiceUser, r.Practitioner, strings.ReplaceAll(string(r.Kind), "_", " "))
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	section("Referrals to you", r.referralLines())
	section("Needs", r.needLines())
	section("Risks", r.riskLines())
	section("Tasks", r.taskLines())
	section("Visits", r.visitLines())
	return b.String()
}

// Markdown renders the report as Markdown.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Care plan %s: report for %s (%s)\n\nService user: `%s`\n", r.Plan, r.Practitioner, strings.ReplaceAll(string(r.Kind), "_", " "), r.ServiceUser)
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	section("Referrals to you", r.referralLines())
	section("Needs", r.needLines())
	section("Risks", r.riskLines())
	section("Tasks", r.taskLines())
	section("Visits", r.visitLines())
	return b.String()
}

func (r Report) referralLines() []string {
	var out []string
	for _, ref := range r.Referrals {
		out = append(out, fmt.Sprintf("%s (%s, due %s): %s; evidence %s", ref.To, ref.Urgency, ref.Due.Format("2006-01-02"), ref.Reason, evidenceRefs(ref.Evidence)))
	}
	return out
}

func (r Report) needLines() []string {
	var out []string
	for _, n := range r.Needs {
		out = append(out, fmt.Sprintf("%s (%s): %s; evidence %s", n.ID, n.Outcome, n.Description, evidenceRefs(n.Evidence)))
	}
	return out
}

func (r Report) riskLines() []string {
	var out []string
	for _, k := range r.Risks {
		l := fmt.Sprintf("%s (%s): %s; controls: %s; review by %s", k.ID, k.Level, k.Description, strings.Join(k.Controls, "; "), k.ReviewBy.Format("2006-01-02"))
		if k.Escalation != nil {
			l += fmt.Sprintf("; escalate to %s by %s", k.Escalation.To, k.Escalation.Due.Format("2006-01-02 15:04"))
		}
		out = append(out, l)
	}
	return out
}

func (r Report) taskLines() []string {
	var out []string
	for _, t := range r.Tasks {
		l := fmt.Sprintf("%s (%s, by %s): %s at %s, %d min", t.ID, t.Kind, t.Provider, t.Description, strings.Join(t.Times, " "), t.Minutes)
		if t.Carers == 2 {
			l += ", two carers"
		}
		if t.RepositionHours > 0 {
			l += fmt.Sprintf(", at most %d h between position changes", t.RepositionHours)
		}
		if t.Medicine != nil {
			l += fmt.Sprintf(", medicines support: %s", t.Medicine.Level)
		}
		out = append(out, l)
	}
	return out
}

func (r Report) visitLines() []string {
	var out []string
	for _, v := range r.Visits {
		out = append(out, fmt.Sprintf("%s %s (%s), %d min, %d carer(s), skills %v", v.Time, strings.Join(daysStrings(v.Days), ","), v.Provider, v.Minutes, v.Carers, v.Skills))
	}
	return out
}

func evidenceRefs(ev []Evidence) string {
	var s []string
	for _, e := range ev {
		if e.Ref != "" && !slices.Contains(s, e.Ref) {
			s = append(s, e.Ref)
		}
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
