package careplan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocJSONExample decodes the JSON example of the package documentation
// and checks it is a valid plan whose visit and cost are as the rate card says.
func TestDocJSONExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	text := string(src)
	i := strings.Index(text, "A small plan:")
	require.GreaterOrEqual(t, i, 0)
	var js []string
	for _, l := range strings.Split(text[i:], "\n")[1:] {
		if !strings.HasPrefix(l, "//\t") && l != "//" {
			break
		}
		js = append(js, strings.TrimPrefix(strings.TrimPrefix(l, "//"), "\t"))
	}
	var p Plan
	require.NoError(t, json.Unmarshal([]byte(strings.Join(js, "\n")), &p))
	require.NoError(t, p.Validate())
	assert.Equal(t, "a1/barthel100/bathing", p.Needs[0].Evidence[0].Ref)
	vs, err := p.Visits()
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, 30, vs[0].Minutes)
	est, err := p.WeeklyCost()
	require.NoError(t, err)
	assert.Equal(t, Pence(7*1200), est.Total, "30 minutes at £24/h, 7 days")
	assert.Equal(t, Pence(7*1200), est.ByFunder["la"])
}

func TestDiffReferrals(t *testing.T) {
	_, a := draft(t, "hip", DraftOptions{})
	b, err := a.Clone()
	require.NoError(t, err)
	made := assessed.AddDate(0, 0, 1)
	for i := range b.Referrals {
		if b.Referrals[i].Practitioner == "ot" {
			b.Referrals[i].Made = &made
		}
	}
	ch := Diff(a, b)
	require.Len(t, ch, 1)
	c := ch[0]
	assert.Equal(t, "referral", c.Section)
	assert.Equal(t, "made", c.Field)
	assert.Equal(t, care.ShareHealth, c.Category)
	assert.Equal(t, []string{"ot"}, c.Providers)
	assert.Equal(t, []ConsentCategory{ConsentMedicalTreatment}, c.Decisions)
	// Validate names a referral to an unknown practitioner.
	b.Referrals[0].Practitioner = "nobody"
	err = b.Validate()
	assert.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), `referral "ref-falls-service".practitioner`)
}
