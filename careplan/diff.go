package careplan

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/carecoord/care"
)

// ChangeKind says whether an item was added, removed or changed.
type ChangeKind string

// Kinds of change.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Change is one difference between two versions of a plan, as data and in
// words. Category says what kind of information it is, for deciding who
// may be told (see Notices).
type Change struct {
	Section  string             `json:"section"`         // "plan", "need", "goal", "task", "visit", "practitioner", "funding", "risk", "referral", "review"
	ID       string             `json:"id,omitempty"`    // the item's ID
	Kind     ChangeKind         `json:"kind"`            // added, removed or changed
	Field    string             `json:"field,omitempty"` // the field changed (JSON name)
	From     string             `json:"from,omitempty"`  // old value in words
	To       string             `json:"to,omitempty"`    // new value in words
	Category care.ShareCategory `json:"category"`        // what kind of information it is
	// Sensitive marks details never sent to family channels (self-harm risk,
	// safeguarding; REFERENCE §6).
	Sensitive bool `json:"sensitive,omitempty"`
	// Providers lists the practitioners the change concerns (for professional notices).
	Providers []string `json:"providers,omitempty"`
	// TaskKinds are the kinds of the tasks a task or visit change concerns.
	TaskKinds []TaskKind `json:"task_kinds,omitempty"`
	// Decisions are the consent decisions the change concerns: the tasks'
	// consent categories, medical treatment for a referral, finance for
	// funding, daily living for the rest. Notices use them to decide what an
	// attorney or deputy is entitled to be told.
	Decisions []ConsentCategory `json:"decisions,omitempty"`
}

// Text renders the change in plain words, e.g.
// `task "t2": times changed from [08:00] to [08:00 20:00]`.
func (c Change) Text() string {
	subj := c.Section
	if c.ID != "" {
		subj += fmt.Sprintf(" %q", c.ID)
	}
	switch c.Kind {
	case Added:
		return subj + " added"
	case Removed:
		return subj + " removed"
	}
	return fmt.Sprintf("%s: %s changed from %s to %s", subj, strings.ReplaceAll(c.Field, "_", " "), c.From, c.To)
}

// Diff lists the differences from plan a to plan b: the plan's status and
// dates, and its needs, goals, tasks, derived visits, practitioners,
// funders, rate cards, risks and reviews by ID, field by field. Changes are
// in a stable order. The plans need not be valid; visits are compared only
// when both derive.
func Diff(a, b *Plan) []Change {
	var out []Change
	for _, f := range []struct {
		name string
		x, y any
		cat  care.ShareCategory
	}{
		{"status", a.Status, b.Status, care.ShareCarePlan},
		{"start", a.Start, b.Start, care.ShareCarePlan},
		{"end", a.End, b.End, care.ShareCarePlan},
		{"short_visits_agreed", a.ShortVisitsAgreed, b.ShortVisitsAgreed, care.ShareCarePlan},
		{"missed_visit_response", a.MissedVisitResponse, b.MissedVisitResponse, care.ShareCarePlan},
		{"window_minutes", a.WindowMinutes, b.WindowMinutes, care.ShareRota},
	} {
		if x, y := render(f.x), render(f.y); x != y {
			out = append(out, Change{Section: "plan", Kind: Changed, Field: f.name, From: x, To: y, Category: f.cat})
		}
	}
	out = append(out, diffByID("need", a.Needs, b.Needs, func(Need) string { return "" }, func(n Need) care.ShareCategory { return care.ShareHealth }, nil)...)
	out = append(out, diffByID("goal", a.Goals, b.Goals, func(Goal) string { return "" }, func(Goal) care.ShareCategory { return care.ShareCarePlan }, nil)...)
	out = append(out, diffByID("task", a.Tasks, b.Tasks, func(Task) string { return "" }, func(t Task) care.ShareCategory { return t.Kind.Share() },
		func(t Task) []string { return []string{t.Provider} })...)
	if va, err := a.Visits(); err == nil {
		if vb, err := b.Visits(); err == nil {
			out = append(out, diffByID("visit", va, vb, func(Visit) string { return "" }, func(Visit) care.ShareCategory { return care.ShareRota },
				func(v Visit) []string { return []string{v.Provider} })...)
		}
	}
	out = append(out, diffByID("practitioner", a.Practitioners, b.Practitioners, func(Practitioner) string { return "" },
		func(p Practitioner) care.ShareCategory { return p.Kind.Share() }, func(p Practitioner) []string { return []string{p.ID} })...)
	out = append(out, diffByID("funder", a.Funding.Funders, b.Funding.Funders, func(Funder) string { return "" },
		func(Funder) care.ShareCategory { return care.ShareFinance }, nil)...)
	out = append(out, diffByID("rate_card", a.Funding.RateCards, b.Funding.RateCards, func(r RateCard) string { return r.Provider },
		func(RateCard) care.ShareCategory { return care.ShareFinance }, nil)...)
	riskChanges := diffByID("risk", a.Risks, b.Risks, func(Risk) string { return "" }, func(r Risk) care.ShareCategory { return care.ShareIncidents },
		func(r Risk) []string { return r.Providers })
	for i := range riskChanges {
		r := findRisk(b, riskChanges[i].ID)
		if r == nil {
			r = findRisk(a, riskChanges[i].ID)
		}
		riskChanges[i].Sensitive = r != nil && r.Sensitive()
	}
	out = append(out, riskChanges...)
	out = append(out, diffByID("referral", a.Referrals, b.Referrals, func(Referral) string { return "" },
		func(Referral) care.ShareCategory { return care.ShareHealth }, func(r Referral) []string {
			if r.Practitioner == "" {
				return nil
			}
			return []string{r.Practitioner}
		})...)
	if len(a.Reviews) != len(b.Reviews) {
		out = append(out, Change{Section: "review", Kind: Changed, Field: "reviews", From: fmt.Sprint(len(a.Reviews)), To: fmt.Sprint(len(b.Reviews)), Category: care.ShareCarePlan})
	}
	annotate(out, a, b)
	return out
}

// annotate fills the task kinds and consent decisions of each change.
func annotate(cs []Change, a, b *Plan) {
	kinds := map[string]TaskKind{}
	for _, p := range []*Plan{a, b} {
		for _, t := range p.Tasks {
			kinds[t.ID] = t.Kind
		}
	}
	visitTasks := map[string][]string{}
	for _, p := range []*Plan{a, b} {
		if vs, err := p.Visits(); err == nil {
			for _, v := range vs {
				for _, id := range v.Tasks {
					if !slices.Contains(visitTasks[v.ID], id) {
						visitTasks[v.ID] = append(visitTasks[v.ID], id)
					}
				}
			}
		}
	}
	for i := range cs {
		c := &cs[i]
		var ids []string
		switch c.Section {
		case "task":
			ids = []string{c.ID}
		case "visit":
			ids = visitTasks[c.ID]
		}
		for _, id := range ids {
			if k, ok := kinds[id]; ok && !slices.Contains(c.TaskKinds, k) {
				c.TaskKinds = append(c.TaskKinds, k)
			}
		}
		c.Decisions = decisionsOf(c.Section, c.TaskKinds)
		if c.Section == "visit" {
			c.Category = visitCategory(c.Field, c.TaskKinds)
		}
	}
}

// visitCategory is the share category of a change to a visit: when and how
// long a visit is, and who makes it, is rota information, unless every
// task at it is a health task (a nurse's visit tells of nursing); what is
// done at it (tasks, skills, notes, time-critical medicines) is the most
// restrictive category of its tasks.
func visitCategory(field string, kinds []TaskKind) care.ShareCategory {
	health, all := false, len(kinds) > 0
	for _, k := range kinds {
		if k.Share() == care.ShareHealth {
			health = true
		} else {
			all = false
		}
	}
	switch {
	case health && all:
		return care.ShareHealth
	case field == "tasks" || field == "skills" || field == "notes" || field == "time_critical" || field == "kind" || field == "short":
		if health {
			return care.ShareHealth
		}
		return care.ShareCarePlan
	}
	return care.ShareRota
}

// decisionsOf returns the consent decisions a change of a section concerns.
func decisionsOf(section string, kinds []TaskKind) []ConsentCategory {
	switch section {
	case "referral":
		return []ConsentCategory{ConsentMedicalTreatment}
	case "funder", "rate_card":
		return []ConsentCategory{ConsentFinance}
	}
	var out []ConsentCategory
	for _, k := range kinds {
		if c := k.Consent(); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = []ConsentCategory{ConsentDailyLiving}
	}
	return out
}

func findRisk(p *Plan, id string) *Risk {
	for i := range p.Risks {
		if p.Risks[i].ID == id {
			return &p.Risks[i]
		}
	}
	return nil
}

// diffByID compares two lists of items by ID (the "id" JSON field, or key
// when it returns non-empty) field by field through their JSON forms.
func diffByID[T any](section string, a, b []T, key func(T) string, cat func(T) care.ShareCategory, prov func(T) []string) []Change {
	idOf := func(x T) string {
		if k := key(x); k != "" {
			return k
		}
		m := fields(x)
		var s string
		_ = json.Unmarshal(m["id"], &s)
		return s
	}
	ia, ib := map[string]T{}, map[string]T{}
	var ids []string
	for _, x := range a {
		ia[idOf(x)] = x
		ids = append(ids, idOf(x))
	}
	for _, x := range b {
		if _, ok := ia[idOf(x)]; !ok {
			ids = append(ids, idOf(x))
		}
		ib[idOf(x)] = x
	}
	var out []Change
	for _, id := range ids {
		x, inA := ia[id]
		y, inB := ib[id]
		item := y
		if !inB {
			item = x
		}
		ch := Change{Section: section, ID: id, Category: cat(item)}
		if prov != nil {
			ch.Providers = prov(item)
			if inA && inB {
				for _, p := range prov(x) {
					if !slices.Contains(ch.Providers, p) {
						ch.Providers = append(ch.Providers, p)
					}
				}
			}
		}
		switch {
		case !inA:
			ch.Kind = Added
			out = append(out, ch)
		case !inB:
			ch.Kind = Removed
			out = append(out, ch)
		default:
			fx, fy := fields(x), fields(y)
			var names []string
			for k := range fx {
				names = append(names, k)
			}
			for k := range fy {
				if _, ok := fx[k]; !ok {
					names = append(names, k)
				}
			}
			sort.Strings(names)
			for _, k := range names {
				if !reflect.DeepEqual(decode(fx[k]), decode(fy[k])) {
					c := ch
					c.Kind, c.Field, c.From, c.To = Changed, k, rawText(fx[k]), rawText(fy[k])
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func fields(x any) map[string]json.RawMessage {
	b, _ := json.Marshal(x)
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(b, &m)
	return m
}

func decode(r json.RawMessage) any {
	if r == nil {
		return nil
	}
	var v any
	_ = json.Unmarshal(r, &v)
	return v
}

// rawText renders a JSON value compactly in words: strings bare, lists in
// brackets, absent as "none".
func rawText(r json.RawMessage) string {
	return render(decode(r))
}

func render(x any) string {
	switch v := x.(type) {
	case nil:
		return "none"
	case string:
		if v == "" {
			return "none"
		}
		return v
	case []any:
		var parts []string
		for _, e := range v {
			parts = append(parts, render(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any, bool, float64:
		b, _ := json.Marshal(v)
		return string(b)
	}
	rv := reflect.ValueOf(x)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "none"
		}
		return render(rv.Elem().Interface())
	}
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	return render(decode(b))
}
