package assessment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care"
)

// FHIR R4 (4.0.1) exchange of instruments and results (REFERENCE §7):
// Questionnaire for an instrument's form, QuestionnaireResponse for a
// completed administration, Observation for its score. Only the fields the
// mapping needs are modelled.

// FHIRBase is the canonical base URL of this library's FHIR artefacts:
// Questionnaires are FHIRBase + "/Questionnaire/" + instrument ID and local
// code systems FHIRBase + "/CodeSystem/" + name.
const FHIRBase = "https://carecoord.github.io/care/fhir"

// LOINCSystem is the LOINC code system URI.
const LOINCSystem = "http://loinc.org"

// ordinalValueURL is the R4 extension carrying an answer option's score.
const ordinalValueURL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

// Linkids of the score items appended to every exported QuestionnaireResponse.
const (
	ScoreLinkID = "score" // the instrument's (converted) score, valueDecimal
	BandLinkID  = "band"  // the band, valueCoding in the band table's code system
)

// ErrFHIR is matched by errors in FHIR imports (malformed or unsupported resources).
var ErrFHIR = errors.New("invalid FHIR resource")

// FHIRExtension is a FHIR extension with a decimal value.
type FHIRExtension struct {
	URL          string   `json:"url"`                    // the extension's definition, e.g. the ordinalValue URL
	ValueDecimal *float64 `json:"valueDecimal,omitempty"` // the extension's value
}

// FHIRCoding is a FHIR Coding.
type FHIRCoding struct {
	Extension []FHIRExtension `json:"extension,omitempty"` // e.g. ordinalValue carrying an answer's score
	System    string          `json:"system,omitempty"`    // code system URI
	Code      string          `json:"code,omitempty"`      // code within the system
	Display   string          `json:"display,omitempty"`   // human-readable label, empty where the licence forbids it
}

// FHIRCodeableConcept is a FHIR CodeableConcept.
type FHIRCodeableConcept struct {
	Coding []FHIRCoding `json:"coding,omitempty"` // codes for the concept
	Text   string       `json:"text,omitempty"`   // plain-text representation
}

// FHIRReference is a FHIR Reference.
type FHIRReference struct {
	Reference string `json:"reference"` // relative reference, e.g. "Patient/su-1"
}

// FHIRAnswer is a QuestionnaireResponse.item.answer; exactly one value is set.
type FHIRAnswer struct {
	ValueCoding  *FHIRCoding `json:"valueCoding,omitempty"`  // a choice answer or the band
	ValueDecimal *float64    `json:"valueDecimal,omitempty"` // the score item
	ValueInteger *int        `json:"valueInteger,omitempty"` // a recorded value sent as an integer (accepted on import)
}

// FHIRResponseItem is a QuestionnaireResponse.item.
type FHIRResponseItem struct {
	LinkID string       `json:"linkId"`           // the Questionnaire item's linkId (the instrument item ID)
	Text   string       `json:"text,omitempty"`   // the item's text, only where the licence allows
	Answer []FHIRAnswer `json:"answer,omitempty"` // the answer; the importer wants exactly one
}

// QuestionnaireResponse is a FHIR R4 QuestionnaireResponse.
type QuestionnaireResponse struct {
	ResourceType  string             `json:"resourceType"`       // always "QuestionnaireResponse"
	ID            string             `json:"id,omitempty"`       // resource ID; the importer uses it as the assessment ID
	Questionnaire string             `json:"questionnaire"`      // canonical URL "|" version of the Questionnaire
	Status        string             `json:"status"`             // "completed" on export; "completed" or "amended" on import
	Subject       *FHIRReference     `json:"subject,omitempty"`  // Patient/<person ID>
	Authored      string             `json:"authored,omitempty"` // dateTime of the assessment (RFC 3339)
	Author        *FHIRReference     `json:"author,omitempty"`   // Practitioner/<assessor ID>
	Item          []FHIRResponseItem `json:"item"`               // answers, then the score and band items
}

// FHIRAnswerOption is a Questionnaire.item.answerOption.
type FHIRAnswerOption struct {
	ValueCoding FHIRCoding `json:"valueCoding"` // the option's code, with its score as ordinalValue
}

// FHIRQuestionnaireItem is a Questionnaire.item.
type FHIRQuestionnaireItem struct {
	LinkID       string             `json:"linkId"`                 // the instrument item ID
	Code         []FHIRCoding       `json:"code,omitempty"`         // item codes (none are shipped)
	Text         string             `json:"text,omitempty"`         // wording where the licence allows, else the paraphrased name
	Type         string             `json:"type"`                   // "choice" for items, "decimal" for the score
	Required     bool               `json:"required"`               // false for items the manual lets be left out
	ReadOnly     bool               `json:"readOnly,omitempty"`     // true for the computed score and band
	AnswerOption []FHIRAnswerOption `json:"answerOption,omitempty"` // the allowed answers
}

// Questionnaire is a FHIR R4 Questionnaire.
type Questionnaire struct {
	ResourceType string                  `json:"resourceType"`        // always "Questionnaire"
	ID           string                  `json:"id"`                  // the instrument ID
	URL          string                  `json:"url"`                 // canonical URL, see [QuestionnaireURL]
	Version      string                  `json:"version"`             // the instrument's version or variant
	Name         string                  `json:"name"`                // machine-friendly name (R4 invariant que-0)
	Title        string                  `json:"title"`               // the instrument's display name
	Status       string                  `json:"status"`              // publication status, "active"
	Copyright    string                  `json:"copyright,omitempty"` // what the licence lets the library ship
	Code         []FHIRCoding            `json:"code,omitempty"`      // LOINC panel code where the reference gives one
	Item         []FHIRQuestionnaireItem `json:"item"`                // the instrument's items, then score and band
}

// FHIRQuantity is a FHIR Quantity.
type FHIRQuantity struct {
	Value  float64 `json:"value"`            // numeric value
	System string  `json:"system,omitempty"` // unit system, UCUM
	Code   string  `json:"code,omitempty"`   // unit code, "{score}"
}

// Observation is a FHIR R4 Observation carrying an instrument's score.
type Observation struct {
	ResourceType      string                `json:"resourceType"`                // always "Observation"
	ID                string                `json:"id,omitempty"`                // <assessment ID>-<instrument ID>-score
	Status            string                `json:"status"`                      // "final"
	Category          []FHIRCodeableConcept `json:"category,omitempty"`          // observation-category "survey"
	Code              FHIRCodeableConcept   `json:"code"`                        // LOINC total-score code or a local code
	Subject           *FHIRReference        `json:"subject,omitempty"`           // Patient/<person ID>
	EffectiveDateTime string                `json:"effectiveDateTime,omitempty"` // the assessment date
	ValueQuantity     *FHIRQuantity         `json:"valueQuantity,omitempty"`     // the (converted) score
	Interpretation    []FHIRCodeableConcept `json:"interpretation,omitempty"`    // the band
	DerivedFrom       []FHIRReference       `json:"derivedFrom,omitempty"`       // the QuestionnaireResponse
}

// QuestionnaireURL returns the canonical URL of an instrument's
// Questionnaire ("" for a nil instrument).
func QuestionnaireURL(in *Instrument) string {
	if in == nil {
		return ""
	}
	return FHIRBase + "/Questionnaire/" + in.ID
}

// answerSystem is the local code system of an instrument's answer values.
func answerSystem(in *Instrument) string { return FHIRBase + "/CodeSystem/" + in.ID + "-answers" }

// bandSystem is the local code system of a band table.
func bandSystem(table string) string { return FHIRBase + "/CodeSystem/bands-" + table }

// ExportQuestionnaire returns the FHIR Questionnaire of an instrument: one
// choice item per instrument item with answerOption codings carrying the
// score in the ordinalValue extension, item text only where shipped
// (REFERENCE §1.12), the LOINC panel code where the reference gives it,
// then the read-only "score" item (decimal) and, for a banded instrument,
// the read-only "band" item whose options are the band table's codes, so
// that every item of an exported QuestionnaireResponse is defined here.
func ExportQuestionnaire(in *Instrument) Questionnaire {
	if in == nil {
		return Questionnaire{ResourceType: "Questionnaire", Status: "unknown"}
	}
	q := Questionnaire{ResourceType: "Questionnaire", ID: in.ID, URL: QuestionnaireURL(in), Version: in.Version,
		Name: fhirName(in.ID), Title: in.Name, Status: "active", Copyright: in.Licence}
	if in.PanelLOINC != "" {
		q.Code = []FHIRCoding{{System: LOINCSystem, Code: in.PanelLOINC, Display: in.Name}}
	}
	for _, it := range in.Items {
		qi := FHIRQuestionnaireItem{LinkID: it.ID, Text: it.Text, Type: "choice", Required: !it.Omittable && !it.Unscored}
		if qi.Text == "" {
			qi.Text = it.Name
		}
		for _, o := range it.Options {
			qi.AnswerOption = append(qi.AnswerOption, FHIRAnswerOption{ValueCoding: optionCoding(in, &it, o)})
		}
		q.Item = append(q.Item, qi)
	}
	q.Item = append(q.Item, FHIRQuestionnaireItem{LinkID: ScoreLinkID, Text: "Score", Type: "decimal", ReadOnly: true})
	if len(in.Bands.Bands) > 0 {
		bi := FHIRQuestionnaireItem{LinkID: BandLinkID, Text: "Band", Type: "choice", ReadOnly: true}
		for _, b := range in.Bands.Bands {
			bi.AnswerOption = append(bi.AnswerOption, FHIRAnswerOption{ValueCoding: FHIRCoding{System: bandSystem(in.Bands.ID), Code: b.Code, Display: b.Label}})
		}
		q.Item = append(q.Item, bi)
	}
	return q
}

// fhirName turns an instrument ID into a Questionnaire.name that meets the
// R4 invariant que-0 ([A-Z]([A-Za-z0-9_]){0,254}), e.g. "ons-loneliness"
// → "OnsLoneliness".
func fhirName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	name := b.String()
	if name == "" || name[0] < 'A' || name[0] > 'Z' {
		name = "Q" + name
	}
	return name
}

// optionCoding is the coding of one answer option of item it, with its
// score in the ordinalValue extension unless the item is unscored.
func optionCoding(in *Instrument, it *Item, o Option) FHIRCoding {
	c := FHIRCoding{System: answerSystem(in), Code: strconv.Itoa(o.Value), Display: o.Label}
	if !it.Unscored {
		s := o.Score
		c.Extension = []FHIRExtension{{URL: ordinalValueURL, ValueDecimal: &s}}
	}
	return c
}

// ExportQuestionnaireResponse returns a completed FHIR QuestionnaireResponse
// for result r of assessment a: questionnaire canonical with version,
// subject Patient/<PersonID>, authored date, author Practitioner/<Assessor>,
// one item per answer (valueCoding with ordinalValue), then the "score"
// item (valueDecimal) and, if banded, the "band" item.
func ExportQuestionnaireResponse(a *Assessment, r Result, cat *Catalogue) (*QuestionnaireResponse, error) {
	if a == nil {
		return nil, care.Invalid("assessment", "", "", "nil")
	}
	in, err := cat.Lookup(r.Instrument)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" || a.Date.IsZero() {
		return nil, care.Invalid("assessment", a.ID, "personId/date", "needed for a QuestionnaireResponse")
	}
	qr := &QuestionnaireResponse{
		ResourceType:  "QuestionnaireResponse",
		ID:            a.ID + "-" + r.Instrument,
		Questionnaire: QuestionnaireURL(in) + "|" + in.Version,
		Status:        "completed",
		Subject:       &FHIRReference{Reference: "Patient/" + a.PersonID},
		Authored:      a.Date.Format(time.RFC3339),
	}
	if a.Assessor != "" {
		qr.Author = &FHIRReference{Reference: "Practitioner/" + a.Assessor}
	}
	for _, resp := range r.Responses {
		it, ok := in.item(resp.Item)
		if !ok {
			return nil, &ResponseError{Instrument: in.ID, Item: resp.Item, Value: resp.Value, Err: ErrUnknownItem}
		}
		o, ok := it.option(resp.Value)
		if !ok {
			return nil, &ResponseError{Instrument: in.ID, Item: resp.Item, Value: resp.Value, Err: ErrOutOfRange}
		}
		c := optionCoding(in, it, o)
		qr.Item = append(qr.Item, FHIRResponseItem{LinkID: it.ID, Text: it.Text, Answer: []FHIRAnswer{{ValueCoding: &c}}})
	}
	score := r.Score
	qr.Item = append(qr.Item, FHIRResponseItem{LinkID: ScoreLinkID, Text: "Score", Answer: []FHIRAnswer{{ValueDecimal: &score}}})
	if r.Band.Code != "" {
		qr.Item = append(qr.Item, FHIRResponseItem{LinkID: BandLinkID, Text: "Band", Answer: []FHIRAnswer{{ValueCoding: &FHIRCoding{
			System: bandSystem(r.BandTable), Code: r.Band.Code, Display: r.Band.Label}}}})
	}
	return qr, nil
}

// ImportQuestionnaireResponse reads a QuestionnaireResponse made by
// [ExportQuestionnaireResponse] (or any system using the same canonical
// and answer codes), re-scores the answers with the catalogue's instrument
// and returns a one-result Assessment. Scores and bands carried in the
// "score" and "band" items must match the recomputed ones
// ([ErrScoreMismatch]); malformed resources match [ErrFHIR].
func ImportQuestionnaireResponse(qr *QuestionnaireResponse, cat *Catalogue) (*Assessment, error) {
	if qr == nil {
		return nil, fmt.Errorf("nil QuestionnaireResponse: %w", ErrFHIR)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("QuestionnaireResponse %q: %s: %w", qr.ID, fmt.Sprintf(format, args...), ErrFHIR)
	}
	if qr.ResourceType != "QuestionnaireResponse" {
		return nil, bad("resourceType %q", qr.ResourceType)
	}
	if qr.Status != "completed" && qr.Status != "amended" {
		return nil, bad("status %q is not completed or amended", qr.Status)
	}
	canon, version, _ := strings.Cut(qr.Questionnaire, "|")
	id, ok := strings.CutPrefix(canon, FHIRBase+"/Questionnaire/")
	if !ok {
		return nil, bad("questionnaire %q is not a %s canonical", qr.Questionnaire, FHIRBase)
	}
	in, err := cat.Lookup(id)
	if err != nil {
		return nil, err
	}
	if version != "" && version != in.Version {
		return nil, bad("questionnaire version %q, catalogue has %q", version, in.Version)
	}
	if qr.ID == "" {
		return nil, bad("no id (it becomes the assessment ID)")
	}
	a := &Assessment{ID: qr.ID}
	if qr.Subject == nil {
		return nil, bad("no subject")
	}
	if a.PersonID, ok = strings.CutPrefix(qr.Subject.Reference, "Patient/"); !ok || a.PersonID == "" {
		return nil, bad("subject %q is not a Patient reference", qr.Subject.Reference)
	}
	if a.Date, err = time.Parse(time.RFC3339, qr.Authored); err != nil {
		if a.Date, err = time.Parse(time.DateOnly, qr.Authored); err != nil {
			return nil, bad("authored %q is not a dateTime", qr.Authored)
		}
	}
	if qr.Author != nil {
		a.Assessor, _ = strings.CutPrefix(qr.Author.Reference, "Practitioner/")
	}
	var responses []Response
	var carriedScore *float64
	var carriedBand string
	for i, item := range qr.Item {
		if len(item.Answer) != 1 {
			return nil, bad("item[%d] %q: want one answer, got %d", i, item.LinkID, len(item.Answer))
		}
		ans := item.Answer[0]
		switch item.LinkID {
		case ScoreLinkID:
			if ans.ValueDecimal == nil {
				return nil, bad("item %q: no valueDecimal", item.LinkID)
			}
			carriedScore = ans.ValueDecimal
			continue
		case BandLinkID:
			if ans.ValueCoding == nil {
				return nil, bad("item %q: no valueCoding", item.LinkID)
			}
			carriedBand = ans.ValueCoding.Code
			continue
		}
		var v int
		switch {
		case ans.ValueCoding != nil:
			if ans.ValueCoding.System != answerSystem(in) {
				return nil, bad("item %q: answer system %q", item.LinkID, ans.ValueCoding.System)
			}
			if v, err = strconv.Atoi(ans.ValueCoding.Code); err != nil {
				return nil, bad("item %q: answer code %q is not an integer", item.LinkID, ans.ValueCoding.Code)
			}
		case ans.ValueInteger != nil:
			v = *ans.ValueInteger
		default:
			return nil, bad("item %q: answer has no valueCoding or valueInteger", item.LinkID)
		}
		responses = append(responses, Response{Item: item.LinkID, Value: v})
	}
	r, err := a.Add(in, responses)
	if err != nil {
		return nil, err
	}
	if carriedScore != nil && math.Abs(*carriedScore-r.Score) > 1e-9 {
		return nil, fmt.Errorf("QuestionnaireResponse %q: carried score %g, recomputed %g: %w", qr.ID, *carriedScore, r.Score, ErrScoreMismatch)
	}
	if carriedBand != "" && carriedBand != r.Band.Code {
		return nil, fmt.Errorf("QuestionnaireResponse %q: carried band %q, recomputed %q: %w", qr.ID, carriedBand, r.Band.Code, ErrScoreMismatch)
	}
	return a, nil
}

// ExportObservation returns a final FHIR Observation of result r's score:
// code is the LOINC total-score code where REFERENCE §7 gives one (PHQ-9
// 44261-6, GAD-7 70274-6), otherwise a local code; interpretation is the
// band; derivedFrom points at the exported QuestionnaireResponse.
func ExportObservation(a *Assessment, r Result, cat *Catalogue) (*Observation, error) {
	if a == nil {
		return nil, care.Invalid("assessment", "", "", "nil")
	}
	in, err := cat.Lookup(r.Instrument)
	if err != nil {
		return nil, err
	}
	if a.PersonID == "" || a.Date.IsZero() {
		return nil, care.Invalid("assessment", a.ID, "personId/date", "needed for an Observation")
	}
	code := FHIRCoding{System: FHIRBase + "/CodeSystem/scores", Code: in.ID, Display: in.Name + " score"}
	if in.TotalLOINC != "" {
		code = FHIRCoding{System: LOINCSystem, Code: in.TotalLOINC, Display: in.Name + " total score"}
	}
	o := &Observation{
		ResourceType: "Observation", ID: a.ID + "-" + r.Instrument + "-score", Status: "final",
		Category: []FHIRCodeableConcept{{Coding: []FHIRCoding{{
			System: "http://terminology.hl7.org/CodeSystem/observation-category", Code: "survey"}}}},
		Code:              FHIRCodeableConcept{Coding: []FHIRCoding{code}},
		Subject:           &FHIRReference{Reference: "Patient/" + a.PersonID},
		EffectiveDateTime: a.Date.Format(time.RFC3339),
		ValueQuantity:     &FHIRQuantity{Value: r.Score, System: "http://unitsofmeasure.org", Code: "{score}"},
		DerivedFrom:       []FHIRReference{{Reference: "QuestionnaireResponse/" + a.ID + "-" + r.Instrument}},
	}
	if r.Band.Code != "" {
		o.Interpretation = []FHIRCodeableConcept{{Coding: []FHIRCoding{{System: bandSystem(r.BandTable), Code: r.Band.Code, Display: r.Band.Label}}, Text: r.Band.Label}}
	}
	return o, nil
}

// FHIRPeriod is a FHIR Period.
type FHIRPeriod struct {
	Start string `json:"start,omitempty"` // dateTime the period starts
	End   string `json:"end,omitempty"`   // dateTime the period ends, empty while open
}

// FHIRMeta is a FHIR resource's meta element, used here for security labels.
type FHIRMeta struct {
	Security []FHIRCoding `json:"security,omitempty"` // e.g. v3-Confidentiality "R" (restricted)
}

// FHIRFlag is a FHIR R4 Flag carrying one risk [Flag] (REFERENCE §7: Flag
// for PHQ-9 item 9, falls, safeguarding).
type FHIRFlag struct {
	ResourceType string                `json:"resourceType"`       // always "Flag"
	ID           string                `json:"id,omitempty"`       // <assessment ID>-flag-<n>-<code>
	Meta         *FHIRMeta             `json:"meta,omitempty"`     // restricted label for sensitive flags
	Status       string                `json:"status"`             // "active"
	Category     []FHIRCodeableConcept `json:"category,omitempty"` // flag-category: safety, diet or clinical
	Code         FHIRCodeableConcept   `json:"code"`               // the flag code in the library's code system; text is the action
	Subject      FHIRReference         `json:"subject"`            // Patient/<person ID>
	Period       *FHIRPeriod           `json:"period,omitempty"`   // starts on the assessment date
}

// Code systems used by flag export.
const (
	flagCategorySystem    = "http://terminology.hl7.org/CodeSystem/flag-category"
	confidentialitySystem = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
)

// flagCategory maps a flag code to an R4 flag-category code.
func flagCategory(c FlagCode) string {
	switch c {
	case FlagSelfHarm, FlagFalls, FlagSafeguarding:
		return "safety"
	case FlagMalnutrition:
		return "diet"
	default:
		return "clinical"
	}
}

// ExportFlags returns one active FHIR R4 Flag per flag of the picture
// (instrument flags, the falls flag and the safeguarding flag), for person
// Patient/<PersonID>, starting on the assessment date. Sensitive flags
// ([Flag.Sensitive]: PHQ-9 item 9, safeguarding) carry the v3
// confidentiality label "R" (restricted) so that exchange can keep them
// out of family channels (REFERENCE §6).
func ExportFlags(p *Picture) ([]FHIRFlag, error) {
	if p == nil {
		return nil, care.Invalid("wellbeing picture", "", "", "nil")
	}
	if p.PersonID == "" || p.Date.IsZero() {
		return nil, care.Invalid("wellbeing picture", p.AssessmentID, "personId/date", "needed for a Flag")
	}
	out := make([]FHIRFlag, 0, len(p.Flags))
	for i, f := range p.Flags {
		if f.Code == "" {
			return nil, care.Invalid("wellbeing picture", p.AssessmentID, fmt.Sprintf("flags[%d].code", i), "empty")
		}
		ff := FHIRFlag{
			ResourceType: "Flag",
			ID:           fmt.Sprintf("%s-flag-%d-%s", p.AssessmentID, i+1, f.Code),
			Status:       "active",
			Category:     []FHIRCodeableConcept{{Coding: []FHIRCoding{{System: flagCategorySystem, Code: flagCategory(f.Code)}}}},
			Code:         FHIRCodeableConcept{Coding: []FHIRCoding{{System: FHIRBase + "/CodeSystem/flags", Code: string(f.Code)}}, Text: f.Action},
			Subject:      FHIRReference{Reference: "Patient/" + p.PersonID},
			Period:       &FHIRPeriod{Start: p.Date.Format(time.RFC3339)},
		}
		if f.Sensitive() {
			ff.Meta = &FHIRMeta{Security: []FHIRCoding{{System: confidentialitySystem, Code: "R", Display: "restricted"}}}
		}
		out = append(out, ff)
	}
	return out, nil
}
