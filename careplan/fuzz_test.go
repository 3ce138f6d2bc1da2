package careplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/carecoord/care"
	"github.com/carecoord/care/internal/badinput"
	"github.com/stretchr/testify/require"
)

// FuzzPlanJSON decodes arbitrary JSON as a plan and runs every derivation
// on it: none may panic, and a plan that validates derives visits.
func FuzzPlanJSON(f *testing.F) {
	for _, p := range []*Plan{hoistPlan(), examplePlanForFuzz()} {
		b, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"p","service_user":"u","status":"draft","tasks":[{"id":"r","kind":"repositioning","provider":"a","minutes":5,"reposition_hours":2}],"practitioners":[{"id":"a","kind":"care_workers","scheduled":true}]}`))
	f.Add([]byte(`{"id":"p","service_user":"u","status":"active","tasks":[{"id":"m","kind":"medicines","provider":"a","times":["23:59"],"minutes":1440,"carers":2}]}`))
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Plan
		if json.Unmarshal(data, &p) != nil {
			return
		}
		valid := p.Validate() == nil
		vs, err := p.Visits()
		if valid && err != nil {
			// Only the repositioning interval check may refuse a valid plan.
			if !errorsIsInvalid(err) {
				t.Fatalf("valid plan, visits refused: %v", err)
			}
		}
		_ = vs
		_, _ = p.Patterns(at)
		_, _ = p.WeeklyCost()
		_, _ = p.NextReview(ReviewPolicy{})
		_ = p.Decisions()
		_ = p.RiskActions(at, at.AddDate(0, 1, 0))
		q := hoistPlan()
		changes := Diff(q, &p)
		_, _ = Notices(NoticeInput{Plan: &p, Changes: changes, At: at,
			Contacts: []care.Contact{{ID: "c1", MayShare: []care.ShareCategory{care.ShareRota}}, {ID: "c-dn", Professional: care.DistrictNurse}},
			Rota:     []RotaChange{{Date: "2026-04-02", Visit: "v", FromTime: "08:00", ToTime: "09:00"}}})
		for _, pr := range p.Practitioners {
			if r, err := p.ProfessionalReport(pr.ID); err == nil {
				_ = r.Text()
				_ = r.Markdown()
			}
		}
		_, _ = p.FHIRCarePlan()
		_, _ = p.FHIRConsents()
		if _, err := p.Clone(); err != nil && valid {
			t.Fatalf("clone of a valid plan: %v", err)
		}
	})
}

func errorsIsInvalid(err error) bool { return errors.Is(err, care.ErrInvalid) }

func examplePlanForFuzz() *Plan {
	p := hoistPlan()
	p.Funding = Funding{Funders: []Funder{{ID: "la", Kind: LocalAuthority}}, RateCards: []RateCard{{Provider: "agency", PerHour: 2400, DayStart: "07:00", DayEnd: "20:00", UnsocialPercent: 10}}}
	return p
}

func TestMinutesBoundedToADay(t *testing.T) {
	p := examplePlanForFuzz()
	p.Funding.RateCards[0].MinimumMinutes = 1 << 40
	err := p.Validate()
	if !errors.Is(err, care.ErrInvalid) {
		t.Fatalf("a minimum of 2^40 minutes must be refused, got %v", err)
	}
	p = hoistPlan()
	for i := range 3 {
		p.Tasks = append(p.Tasks, Task{ID: "long" + string(rune('a'+i)), Kind: TaskSocial, Provider: "agency", Times: []string{"08:00"}, Minutes: 600})
	}
	if _, err := p.Visits(); !errors.Is(err, care.ErrInvalid) {
		t.Fatalf("a visit longer than a day must be refused, got %v", err)
	}
}

// FuzzDecode decodes arbitrary bytes with Decode. Properties: no panic; an
// accepted plan encodes, decodes again without error and encodes to the same
// bytes (decode -> encode -> decode is a fixed point).
func FuzzDecode(f *testing.F) {
	for _, p := range []*Plan{hoistPlan(), examplePlanForFuzz()} {
		b, err := json.Marshal(p)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, b := range badinput.Files(f, "*plan*.json") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		b1, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := Decode(bytes.NewReader(b1))
		require.NoError(t, err, "an accepted plan re-encoded must decode: %s", b1)
		b2, err := json.Marshal(q)
		require.NoError(t, err)
		require.Equal(t, string(b1), string(b2), "decode -> encode -> decode changed the plan")
	})
}
