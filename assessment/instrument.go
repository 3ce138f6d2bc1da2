package assessment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/carecoord/care"
)

// Direction says which end of an instrument's scale is the better state.
// Trends use it to tell deterioration from improvement.
type Direction string

// Directions of a scale.
const (
	// HigherBetter: a higher score means more independence or better
	// wellbeing (Barthel, Katz, Lawton, WEMWBS, SWEMWBS; Braden, where a
	// lower score means higher risk).
	HigherBetter Direction = "higher-better"
	// HigherWorse: a higher score means more symptoms or risk (PHQ, GAD,
	// UCLA-3, Waterlow, MUST).
	HigherWorse Direction = "higher-worse"
)

// Option is one allowed response to an item. Value is what is recorded on
// the form (and exchanged as the FHIR answer code); Score is the points it
// carries before reversal and weighting.
type Option struct {
	Value int     `json:"value"`           // the value recorded on the form and exchanged as the FHIR answer code
	Score float64 `json:"score"`           // the points it carries
	Label string  `json:"label,omitempty"` // empty when the licence forbids shipping the wording
}

// Item is one question of an instrument.
type Item struct {
	// ID is the item's identifier and FHIR linkId, e.g. "9" or "transfers".
	ID string `json:"id"`
	// Name is a short paraphrased domain name ("Feeding"), never licensed wording.
	Name string `json:"name,omitempty"`
	// Text is the question wording. It is filled in only where the licence
	// allows (REFERENCE §1.12); otherwise the licensee supplies it with
	// [Instrument.WithText].
	Text string `json:"text,omitempty"`
	// Options are the allowed responses.
	Options []Option `json:"options"`
	// Weight multiplies the item score; zero means 1.
	Weight float64 `json:"weight,omitempty"`
	// Reversed items score (lowest option score + highest option score − score).
	Reversed bool `json:"reversed,omitempty"`
	// Omittable items may be left unanswered where the manual says so; an
	// omitted item scores 0 and is listed in Result.Missing.
	Omittable bool `json:"omittable,omitempty"`
	// Unscored items are recorded on the form but not scored, such as the
	// PHQ-9 difficulty question (REFERENCE §1.5). They may be left
	// unanswered, count in no total, subscale, range or flag, appear in
	// Result.Responses when answered, and never in ItemScores or Missing.
	Unscored bool `json:"unscored,omitempty"`
}

// option returns the option with value v.
func (it *Item) option(v int) (Option, bool) {
	for _, o := range it.Options {
		if o.Value == v {
			return o, true
		}
	}
	return Option{}, false
}

// scoreRange returns the lowest and highest option score.
func (it *Item) scoreRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, o := range it.Options {
		lo, hi = math.Min(lo, o.Score), math.Max(hi, o.Score)
	}
	return lo, hi
}

// weight returns the effective weight.
func (it *Item) weight() float64 {
	if it.Weight == 0 {
		return 1
	}
	return it.Weight
}

// itemScore is the weighted, possibly reversed, score for option o.
func (it *Item) itemScore(o Option) float64 {
	s := o.Score
	if it.Reversed {
		lo, hi := it.scoreRange()
		s = lo + hi - s
	}
	return s * it.weight()
}

// Subscale is a named group of items whose scores are summed separately.
type Subscale struct {
	ID    string   `json:"id"`             // subscale identifier
	Name  string   `json:"name,omitempty"` // display name
	Items []string `json:"items"`          // item IDs summed
}

// MissingPolicy says what scoring does when required items are unanswered.
type MissingPolicy string

// Missing-data policies.
const (
	// Refuse: any unanswered required item is an error (ErrMissing). This
	// is the default and the rule for SWEMWBS/WEMWBS (REFERENCE §1.4).
	Refuse MissingPolicy = "refuse"
	// Prorate: up to MaxMissing items may be unanswered; the raw total is
	// the answered sum × items / answered, rounded half away from zero.
	Prorate MissingPolicy = "prorate"
)

// MissingRule is an instrument's missing-data rule.
type MissingRule struct {
	Policy     MissingPolicy `json:"policy,omitempty"`     // empty means Refuse
	MaxMissing int           `json:"maxMissing,omitempty"` // with Prorate, how many required items may be unanswered
}

// Conversion maps an integer raw total to a derived score, e.g. the SWEMWBS
// raw-to-metric table (REFERENCE §1.4).
type Conversion struct {
	ID    string          `json:"id"`    // identifies the table
	Table map[int]float64 `json:"table"` // raw total → converted score
}

// Band is one interpretation band. A score belongs to the band with the
// greatest Min not above it, so for integer scores a band runs from its Min
// to the next band's Min − 1 (e.g. PHQ-9 Min 5 "mild" covers 5–9).
type Band struct {
	Min   float64 `json:"min"`   // lowest score in the band
	Code  string  `json:"code"`  // stable band code, e.g. "moderate"
	Label string  `json:"label"` // display label
}

// BandTable is a named, versioned list of bands in ascending Min order.
// Bands are data: organisations override them with [Instrument.WithBands],
// and every [Result] records the table ID used (REFERENCE encoding advice 2).
type BandTable struct {
	ID     string `json:"id"`               // recorded in every result scored with the table
	Source string `json:"source,omitempty"` // where the cut-offs come from
	Bands  []Band `json:"bands"`            // bands in ascending Min order
}

// Lookup returns the band that holds score, and false when the table is
// empty or score lies below its first band.
func (t BandTable) Lookup(score float64) (Band, bool) {
	i := sort.Search(len(t.Bands), func(i int) bool { return t.Bands[i].Min > score })
	if i == 0 {
		return Band{}, false
	}
	return t.Bands[i-1], true
}

// Comparison is how a flag rule compares a value with its threshold.
type Comparison string

// Comparisons for flag rules.
const (
	AtLeast Comparison = "at-least" // value ≥ threshold
	AtMost  Comparison = "at-most"  // value ≤ threshold
)

// holds reports whether v satisfies the comparison with t.
func (c Comparison) holds(v, t float64) bool {
	if c == AtMost {
		return v <= t
	}
	return v >= t
}

// FlagRule raises a [Flag] when the result falls in band Band (when Band is
// set) or when a value crosses a threshold. The value is the item score when
// Item is set, the subscale score when Subscale is set, and the
// instrument's (converted) score otherwise.
type FlagRule struct {
	Flag       FlagCode   `json:"flag"`                 // the flag raised
	Band       string     `json:"band,omitempty"`       // raise when the result is in this band
	Item       string     `json:"item,omitempty"`       // compare this item's score
	Subscale   string     `json:"subscale,omitempty"`   // compare this subscale's score
	Cmp        Comparison `json:"cmp,omitempty"`        // how to compare with Threshold
	Threshold  float64    `json:"threshold,omitempty"`  // the threshold value
	Severity   Severity   `json:"severity"`             // severity of the raised flag
	Escalation Escalation `json:"escalation,omitempty"` // escalation of the raised flag
	// RepositionHours is the repositioning interval the flag demands
	// (NICE CG179/QS89: 6 h at risk, 4 h high risk); 0 if none.
	RepositionHours int    `json:"repositionHours,omitempty"`
	Rule            string `json:"rule,omitempty"`   // catalogue rule ID, e.g. "RISK-PHQ9"
	Action          string `json:"action,omitempty"` // what must happen, in plain words
	Source          string `json:"source,omitempty"` // the guidance the rule comes from
}

// Instrument is a scored questionnaire or screening tool: its items and
// allowed responses, scoring rules, optional conversion table, bands and
// flag rules. Built-in instruments come from constructor functions (e.g.
// [PHQ9]) that return a fresh value each call; callers may also define
// their own and check them with [Instrument.Validate].
type Instrument struct {
	ID        string      `json:"id"`                  // stable identifier, e.g. "phq9"
	Name      string      `json:"name"`                // display name
	Version   string      `json:"version"`             // version or variant, e.g. "BI-100"
	Source    string      `json:"source"`              // citation for the scoring
	Licence   string      `json:"licence,omitempty"`   // what may be shipped (REFERENCE §1.12)
	Direction Direction   `json:"direction"`           // which end of the scale is better
	Items     []Item      `json:"items"`               // the questions, in form order
	Subscales []Subscale  `json:"subscales,omitempty"` // optional item groups scored separately
	Missing   MissingRule `json:"missing"`             // what happens when items are unanswered
	// Conversion, when set, turns the integer raw total into the score.
	Conversion *Conversion `json:"conversion,omitempty"`
	Bands      BandTable   `json:"bands"`               // the default band table
	FlagRules  []FlagRule  `json:"flagRules,omitempty"` // flags raised by items, subscales, totals or bands
	// LOINC codes, only where REFERENCE §7 gives them.
	PanelLOINC string `json:"panelLoinc,omitempty"`
	TotalLOINC string `json:"totalLoinc,omitempty"` // LOINC code of the total score
	// ReliableChange is the change in score beyond which a difference
	// between two administrations is treated as genuine (0 if unknown);
	// trends raise deterioration alerts beyond it.
	ReliableChange float64 `json:"reliableChange,omitempty"`
}

// item returns the item with the given ID.
func (in *Instrument) item(id string) (*Item, bool) {
	for i := range in.Items {
		if in.Items[i].ID == id {
			return &in.Items[i], true
		}
	}
	return nil, false
}

// RawRange returns the lowest and highest possible raw total.
func (in *Instrument) RawRange() (lo, hi float64) {
	if in == nil {
		return 0, 0
	}
	for i := range in.Items {
		if in.Items[i].Unscored {
			continue
		}
		l, h := in.Items[i].scoreRange()
		w := in.Items[i].weight()
		l, h = l*w, h*w
		if w < 0 {
			l, h = h, l
		}
		lo, hi = lo+l, hi+h
	}
	return lo, hi
}

// ScoreRange returns the lowest and highest possible score after conversion.
func (in *Instrument) ScoreRange() (lo, hi float64) {
	lo, hi = in.RawRange()
	if in != nil && in.Conversion != nil {
		lo, hi = in.Conversion.Table[int(lo)], in.Conversion.Table[int(hi)]
	}
	return lo, hi
}

// Response is one answer: the item ID and the recorded option value.
type Response struct {
	Item  string `json:"item"`  // item ID
	Value int    `json:"value"` // the recorded option value
}

// Result is a scored administration of an instrument.
type Result struct {
	Instrument string     `json:"instrument"` // instrument ID
	Version    string     `json:"version"`    // instrument version or variant used
	Responses  []Response `json:"responses"`  // accepted answers in item order
	// ItemScores are the weighted, reversed item scores by item ID.
	ItemScores map[string]float64 `json:"itemScores"`
	// Raw is the (possibly prorated) sum of item scores.
	Raw float64 `json:"raw"`
	// Score is Raw after any conversion (e.g. SWEMWBS metric score).
	Score     float64            `json:"score"`
	Subscales map[string]float64 `json:"subscales,omitempty"` // subscale scores by subscale ID
	BandTable string             `json:"bandTable,omitempty"` // ID of the band table used
	Band      Band               `json:"band"`                // zero when the instrument has no bands
	Flags     []Flag             `json:"flags,omitempty"`     // flags raised
	Missing   []string           `json:"missing,omitempty"`   // items left unanswered (omittable or prorated)
	Prorated  bool               `json:"prorated,omitempty"`  // the total was prorated for missing items
}

// Item returns the score of item id and whether it was answered.
func (r Result) Item(id string) (float64, bool) {
	v, ok := r.ItemScores[id]
	return v, ok
}

// Value returns the recorded option value of item id and whether it was answered.
func (r Result) Value(id string) (int, bool) {
	for _, x := range r.Responses {
		if x.Item == id {
			return x.Value, true
		}
	}
	return 0, false
}

// HasFlag reports whether the result carries a flag with the given code.
func (r Result) HasFlag(code FlagCode) bool {
	return slices.ContainsFunc(r.Flags, func(f Flag) bool { return f.Code == code })
}

// Score checks and scores a set of responses. Every unknown, duplicate or
// out-of-range answer and every missing required answer is reported, each
// as a [*ResponseError], joined into one error; on error the Result is zero.
// Missing answers are handled by the instrument's [MissingRule] and
// [Item.Omittable]. The returned Result holds the total, subscale scores,
// band and flags; its Responses are in item order.
func (in *Instrument) Score(responses []Response) (Result, error) {
	if in == nil {
		return Result{}, care.Invalid("instrument", "", "", "nil")
	}
	var errs []error
	got := make(map[string]Option, len(responses))
	seen := make(map[string]bool, len(responses))
	for _, r := range responses {
		it, ok := in.item(r.Item)
		if !ok {
			errs = append(errs, &ResponseError{Instrument: in.ID, Item: r.Item, Value: r.Value, Err: ErrUnknownItem})
			continue
		}
		if seen[r.Item] {
			errs = append(errs, &ResponseError{Instrument: in.ID, Item: r.Item, Value: r.Value, Err: ErrDuplicate})
			continue
		}
		seen[r.Item] = true
		o, ok := it.option(r.Value)
		if !ok {
			errs = append(errs, &ResponseError{Instrument: in.ID, Item: r.Item, Value: r.Value, Err: ErrOutOfRange})
			continue
		}
		got[r.Item] = o
	}
	res := Result{
		Instrument: in.ID,
		Version:    in.Version,
		ItemScores: make(map[string]float64, len(in.Items)),
		BandTable:  in.Bands.ID,
	}
	var missingRequired []string
	var sum float64
	scored, answeredScored := 0, 0
	for i := range in.Items {
		it := &in.Items[i]
		if !it.Unscored {
			scored++
		}
		o, ok := got[it.ID]
		if !ok {
			if answered(responses, it.ID) || it.Unscored {
				continue // already reported as out of range, or not scored
			}
			res.Missing = append(res.Missing, it.ID)
			if !it.Omittable {
				missingRequired = append(missingRequired, it.ID)
			}
			continue
		}
		if it.Unscored {
			res.Responses = append(res.Responses, Response{Item: it.ID, Value: o.Value})
			continue
		}
		answeredScored++
		s := it.itemScore(o)
		res.ItemScores[it.ID] = s
		res.Responses = append(res.Responses, Response{Item: it.ID, Value: o.Value})
		sum += s
	}
	if len(missingRequired) > 0 {
		prorate := in.Missing.Policy == Prorate && len(missingRequired) <= in.Missing.MaxMissing
		for _, id := range missingRequired {
			// An item that raises a flag on its own (PHQ-9 item 9) is never
			// prorated: a missing answer would hide the risk.
			if !prorate || in.flagItem(id) {
				errs = append(errs, &ResponseError{Instrument: in.ID, Item: id, Err: ErrMissing})
			}
		}
	}
	if len(errs) > 0 {
		return Result{}, errors.Join(errs...)
	}
	if len(missingRequired) > 0 {
		if answeredScored == 0 {
			return Result{}, &ResponseError{Instrument: in.ID, Item: in.Items[0].ID, Err: ErrMissing}
		}
		sum = math.Round(sum * float64(scored) / float64(answeredScored))
		res.Prorated = true
	}
	res.Raw = sum
	res.Score = sum
	if in.Conversion != nil {
		v, ok := in.Conversion.Table[int(math.Round(sum))]
		if !ok || sum != math.Round(sum) {
			return Result{}, fmt.Errorf("instrument %q: conversion %q: no entry for raw %g: %w", in.ID, in.Conversion.ID, sum, care.ErrInvalid)
		}
		res.Score = v
	}
	if len(in.Subscales) > 0 {
		res.Subscales = make(map[string]float64, len(in.Subscales))
		for _, sc := range in.Subscales {
			var s float64
			for _, id := range sc.Items {
				s += res.ItemScores[id]
			}
			res.Subscales[sc.ID] = s
		}
	}
	if b, ok := in.Bands.Lookup(res.Score); ok {
		res.Band = b
	}
	res.Flags = in.flags(res)
	return res, nil
}

// flagItem reports whether a flag rule reads item id directly.
func (in *Instrument) flagItem(id string) bool {
	return slices.ContainsFunc(in.FlagRules, func(fr FlagRule) bool { return fr.Item == id })
}

// answered reports whether item id appears in responses (so its absence
// from the accepted answers was already reported as an error).
func answered(responses []Response, id string) bool {
	return slices.ContainsFunc(responses, func(r Response) bool { return r.Item == id })
}

// flags evaluates the flag rules on a scored result.
func (in *Instrument) flags(res Result) []Flag {
	var out []Flag
	for _, fr := range in.FlagRules {
		var v float64
		ev := Evidence{Source: SourceInstrument, Instrument: in.ID}
		switch {
		case fr.Band != "":
			if res.Band.Code != fr.Band {
				continue
			}
			v = res.Score
			ev.Band = res.Band.Code
			ev.Note = fmt.Sprintf("score %g in band %s", v, res.Band.Code)
		case fr.Item != "":
			s, ok := res.ItemScores[fr.Item]
			if !ok {
				continue
			}
			v = s
			ev.Item = fr.Item
			ev.Note = fmt.Sprintf("item %s scored %g (%s %g)", fr.Item, s, fr.Cmp, fr.Threshold)
		case fr.Subscale != "":
			v = res.Subscales[fr.Subscale]
			ev.Item = fr.Subscale
			ev.Note = fmt.Sprintf("subscale %s scored %g (%s %g)", fr.Subscale, v, fr.Cmp, fr.Threshold)
		default:
			v = res.Score
			ev.Band = res.Band.Code
			ev.Note = fmt.Sprintf("score %g (%s %g)", v, fr.Cmp, fr.Threshold)
		}
		ev.Value = v
		if fr.Band == "" && !fr.Cmp.holds(v, fr.Threshold) {
			continue
		}
		out = append(out, Flag{
			Code:            fr.Flag,
			Severity:        fr.Severity,
			Escalation:      fr.Escalation,
			RepositionHours: fr.RepositionHours,
			Rule:            fr.Rule,
			Action:          fr.Action,
			Source:          fr.Source,
			Evidence:        []Evidence{ev},
		})
	}
	return out
}

// Validate checks an instrument definition: non-empty unique IDs, options
// with unique values, subscales and flag rules naming real items, bands in
// ascending order starting at or below the lowest score, and a conversion
// table covering every integer raw total.
func (in *Instrument) Validate() error {
	if in == nil {
		return care.Invalid("instrument", "", "", "nil")
	}
	inv := func(field, format string, args ...any) error {
		return care.Invalid("instrument", in.ID, field, format, args...)
	}
	if in.ID == "" {
		return inv("id", "empty")
	}
	if len(in.Items) == 0 {
		return inv("items", "none")
	}
	if in.Direction != HigherBetter && in.Direction != HigherWorse {
		return inv("direction", "must be %q or %q, got %q", HigherBetter, HigherWorse, in.Direction)
	}
	seen := map[string]bool{}
	for i, it := range in.Items {
		if it.ID == "" {
			return inv(fmt.Sprintf("items[%d].id", i), "empty")
		}
		if seen[it.ID] {
			return inv(fmt.Sprintf("items[%d].id", i), "duplicate item %q", it.ID)
		}
		seen[it.ID] = true
		if len(it.Options) == 0 {
			return inv(fmt.Sprintf("item %q", it.ID), "no options")
		}
		vals := map[int]bool{}
		for _, o := range it.Options {
			if vals[o.Value] {
				return inv(fmt.Sprintf("item %q", it.ID), "duplicate option value %d", o.Value)
			}
			vals[o.Value] = true
		}
	}
	unscored := map[string]bool{}
	for _, it := range in.Items {
		unscored[it.ID] = it.Unscored
	}
	if !slices.ContainsFunc(in.Items, func(it Item) bool { return !it.Unscored }) {
		return inv("items", "every item is unscored")
	}
	for _, sc := range in.Subscales {
		for _, id := range sc.Items {
			if !seen[id] {
				return inv(fmt.Sprintf("subscale %q", sc.ID), "unknown item %q", id)
			}
			if unscored[id] {
				return inv(fmt.Sprintf("subscale %q", sc.ID), "unscored item %q", id)
			}
		}
	}
	subs := map[string]bool{}
	for _, sc := range in.Subscales {
		subs[sc.ID] = true
	}
	for i, fr := range in.FlagRules {
		if fr.Item != "" && !seen[fr.Item] {
			return inv(fmt.Sprintf("flagRules[%d]", i), "unknown item %q", fr.Item)
		}
		if fr.Item != "" && unscored[fr.Item] {
			return inv(fmt.Sprintf("flagRules[%d]", i), "unscored item %q", fr.Item)
		}
		if fr.Subscale != "" && !subs[fr.Subscale] {
			return inv(fmt.Sprintf("flagRules[%d]", i), "unknown subscale %q", fr.Subscale)
		}
		if fr.Band != "" && !slices.ContainsFunc(in.Bands.Bands, func(b Band) bool { return b.Code == fr.Band }) {
			return inv(fmt.Sprintf("flagRules[%d]", i), "unknown band %q", fr.Band)
		}
		if fr.Band == "" && fr.Cmp != AtLeast && fr.Cmp != AtMost {
			return inv(fmt.Sprintf("flagRules[%d].cmp", i), "unknown comparison %q", fr.Cmp)
		}
	}
	if err := in.validateMissing(in.Missing); err != nil {
		return err
	}
	rlo, rhi := in.RawRange()
	if in.Conversion != nil {
		for raw := int(math.Ceil(rlo)); raw <= int(math.Floor(rhi)); raw++ {
			if _, ok := in.Conversion.Table[raw]; !ok {
				return inv("conversion", "no entry for raw %d", raw)
			}
		}
	}
	if err := in.validateBands(in.Bands); err != nil {
		return err
	}
	return nil
}

// validateMissing checks a missing-data rule against the instrument.
func (in *Instrument) validateMissing(m MissingRule) error {
	switch m.Policy {
	case "", Refuse:
		if m.MaxMissing != 0 {
			return care.Invalid("instrument", in.ID, "missing.maxMissing", "%d with policy %q; only %q allows missing items", m.MaxMissing, m.Policy, Prorate)
		}
	case Prorate:
		n := 0
		for _, it := range in.Items {
			if !it.Unscored {
				n++
			}
		}
		if m.MaxMissing < 1 || m.MaxMissing >= n {
			return care.Invalid("instrument", in.ID, "missing.maxMissing", "must be 1..%d to prorate, got %d", n-1, m.MaxMissing)
		}
	default:
		return care.Invalid("instrument", in.ID, "missing.policy", "unknown policy %q", m.Policy)
	}
	return nil
}

// WithMissing returns a copy of the instrument that handles unanswered
// items by rule m, for an organisation whose manual prorates where this
// library refuses (REFERENCE §1 gives no prorating rule for the built-ins;
// SWEMWBS/WEMWBS explicitly refuse). Items that raise a flag on their own,
// such as PHQ-9 item 9, are never prorated. The original is unchanged.
func (in *Instrument) WithMissing(m MissingRule) (*Instrument, error) {
	if in == nil {
		return nil, care.Invalid("instrument", "", "", "nil")
	}
	if err := in.validateMissing(m); err != nil {
		return nil, err
	}
	c := in.Clone()
	c.Missing = m
	return c, nil
}

// validateBands checks a band table against the instrument's score range.
func (in *Instrument) validateBands(t BandTable) error {
	if len(t.Bands) == 0 {
		return nil
	}
	lo, _ := in.ScoreRange()
	if t.Bands[0].Min > lo {
		return care.Invalid("instrument", in.ID, "bands "+t.ID, "first band starts at %g, above the lowest score %g", t.Bands[0].Min, lo)
	}
	for i := 1; i < len(t.Bands); i++ {
		if t.Bands[i].Min <= t.Bands[i-1].Min {
			return care.Invalid("instrument", in.ID, fmt.Sprintf("bands %s[%d]", t.ID, i), "min %g not above previous %g", t.Bands[i].Min, t.Bands[i-1].Min)
		}
	}
	for i, b := range t.Bands {
		if b.Code == "" {
			return care.Invalid("instrument", in.ID, fmt.Sprintf("bands %s[%d].code", t.ID, i), "empty")
		}
	}
	return nil
}

// Clone returns a deep copy of the instrument.
func (in *Instrument) Clone() *Instrument {
	if in == nil {
		return nil
	}
	c := *in
	c.Items = make([]Item, len(in.Items))
	for i, it := range in.Items {
		it.Options = slices.Clone(it.Options)
		c.Items[i] = it
	}
	c.Subscales = make([]Subscale, len(in.Subscales))
	for i, s := range in.Subscales {
		s.Items = slices.Clone(s.Items)
		c.Subscales[i] = s
	}
	if in.Subscales == nil {
		c.Subscales = nil
	}
	c.Bands.Bands = slices.Clone(in.Bands.Bands)
	c.FlagRules = slices.Clone(in.FlagRules)
	if in.Conversion != nil {
		conv := Conversion{ID: in.Conversion.ID, Table: make(map[int]float64, len(in.Conversion.Table))}
		for k, v := range in.Conversion.Table {
			conv.Table[k] = v
		}
		c.Conversion = &conv
	}
	return &c
}

// WithBands returns a copy of the instrument that uses band table t, after
// checking t against the instrument's score range. The original is unchanged.
func (in *Instrument) WithBands(t BandTable) (*Instrument, error) {
	if in == nil {
		return nil, care.Invalid("instrument", "", "", "nil")
	}
	if t.ID == "" {
		return nil, care.Invalid("instrument", in.ID, "bands.id", "empty")
	}
	if err := in.validateBands(t); err != nil {
		return nil, err
	}
	c := in.Clone()
	c.Bands = BandTable{ID: t.ID, Source: t.Source, Bands: slices.Clone(t.Bands)}
	return c, nil
}

// WithText returns a copy of the instrument whose item wording is taken
// from texts (item ID → wording), for instruments whose licence requires
// the licensee to supply the wording. Unknown item IDs are an error.
func (in *Instrument) WithText(texts map[string]string) (*Instrument, error) {
	if in == nil {
		return nil, care.Invalid("instrument", "", "", "nil")
	}
	c := in.Clone()
	for id, t := range texts {
		it, ok := c.item(id)
		if !ok {
			return nil, &ResponseError{Instrument: in.ID, Item: id, Err: ErrUnknownItem}
		}
		it.Text = t
	}
	return c, nil
}
