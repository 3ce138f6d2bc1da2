package compliance

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Group is the findings under one CQC key question.
type Group struct {
	KeyQuestion KeyQuestion `json:"key_question"` // the CQC key question
	Findings    []Finding   `json:"findings"`     // breaches first, then by time, rule and subject; may be empty
}

// Report is findings grouped by the five key questions, in the CQC's order,
// each group sorted breaches first, then by time, rule and subject. Groups
// with no findings are kept, so a report always has five groups.
type Report struct {
	Groups    []Group   `json:"groups"`    // five, one per key question, in the CQC's order
	Dashboard Dashboard `json:"dashboard"` // counts over all the findings
}

// Dashboard counts findings by severity and by rule.
type Dashboard struct {
	Total      int                 `json:"total"`       // number of findings
	BySeverity map[Severity]int    `json:"by_severity"` // findings per severity
	ByRule     map[RuleID]int      `json:"by_rule"`     // findings per rule; rules with none are absent
	ByQuestion map[KeyQuestion]int `json:"by_question"` // findings per key question
}

// NewReport groups findings by key question and counts them.
func NewReport(fs []Finding) Report {
	r := Report{Dashboard: Summarise(fs)}
	for _, q := range KeyQuestions() {
		g := Group{KeyQuestion: q}
		for _, f := range fs {
			if f.KeyQuestion == q {
				g.Findings = append(g.Findings, f)
			}
		}
		slices.SortStableFunc(g.Findings, func(a, b Finding) int {
			var ta, tb time.Time
			if a.At != nil {
				ta = *a.At
			}
			if b.At != nil {
				tb = *b.At
			}
			return cmp.Or(cmp.Compare(a.Severity.rank(), b.Severity.rank()), ta.Compare(tb),
				cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject.ID, b.Subject.ID))
		})
		r.Groups = append(r.Groups, g)
	}
	return r
}

// Summarise counts findings by severity, rule and key question.
func Summarise(fs []Finding) Dashboard {
	d := Dashboard{Total: len(fs), BySeverity: map[Severity]int{}, ByRule: map[RuleID]int{}, ByQuestion: map[KeyQuestion]int{}}
	for _, f := range fs {
		d.BySeverity[f.Severity]++
		d.ByRule[f.Rule]++
		d.ByQuestion[f.KeyQuestion]++
	}
	return d
}

// WriteText writes the report as plain text: the dashboard, then each key
// question with its findings, evidence and remedy.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	d := r.Dashboard
	fmt.Fprintf(&b, "Findings: %d (breach %d, warning %d, advisory %d)\n", d.Total, d.BySeverity[Breach], d.BySeverity[Warning], d.BySeverity[Advisory])
	rules := make([]RuleID, 0, len(d.ByRule))
	for id := range d.ByRule {
		rules = append(rules, id)
	}
	slices.Sort(rules)
	for _, id := range rules {
		fmt.Fprintf(&b, "  %-12s %d\n", id, d.ByRule[id])
	}
	for _, g := range r.Groups {
		fmt.Fprintf(&b, "\n%s (%d)\n", strings.ToUpper(string(g.KeyQuestion)), len(g.Findings))
		for _, f := range g.Findings {
			at := ""
			if f.At != nil {
				at = " at " + f.At.Format(stamp)
			}
			fmt.Fprintf(&b, "- [%s] %s %s%s (%s)\n    evidence: %s\n    remedy: %s\n", f.Severity, f.Rule, f.Subject, at, f.Source, f.Evidence, f.Remedy)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// csvHeader is the header row of WriteCSV.
var csvHeader = []string{"key_question", "severity", "rule", "source", "subject_kind", "subject_id", "related", "at", "evidence", "remedy"}

// WriteCSV writes one row per finding, grouped as in the report, with a
// header row: key_question, severity, rule, source, subject_kind,
// subject_id, related (space-separated kind:id), at (RFC 3339), evidence, remedy.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, g := range r.Groups {
		for _, f := range g.Findings {
			var rel []string
			for _, s := range f.Related {
				rel = append(rel, string(s.Kind)+":"+s.ID)
			}
			at := ""
			if f.At != nil {
				at = f.At.Format(time.RFC3339)
			}
			if err := cw.Write([]string{string(f.KeyQuestion), string(f.Severity), string(f.Rule), f.Source, string(f.Subject.Kind),
				f.Subject.ID, strings.Join(rel, " "), at, f.Evidence, f.Remedy}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
