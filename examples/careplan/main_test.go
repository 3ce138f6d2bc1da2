package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf))
	out := buf.String()
	// Hand-worked: 08:00 70 min x 2 carers at £26/h = £60.67, +25% at weekends;
	// 12:30 30 min = £13; 20:00 30 min x 2 carers, +20% after 20:00 (+25% at weekends).
	// 455.00 + 97.50 + 221.00 = £773.50; the council's cap is £400.
	assert.Contains(t, out, "Weekly cost £773.50: local authority £400.00, self-funded £373.50")
	assert.Contains(t, out, "visit 08:00 every day: 70 min, 2 carer(s), skills [hoist personal_care]")
	assert.Contains(t, out, `task "t-transfers": carers changed from 2 to 1`)
	assert.Contains(t, out, "Notice to c-ot (professional)")
	assert.Contains(t, out, "Notice to c-niece (attorney)")
	assert.Contains(t, out, "# Care plan cp-9: report for ot (occupational therapist)")
	i := strings.Index(out, FHIRMarker)
	require.GreaterOrEqual(t, i, 0)
	var cp map[string]any
	require.NoError(t, json.Unmarshal([]byte(out[i+len(FHIRMarker):]), &cp))
	assert.Equal(t, "CarePlan", cp["resourceType"])
	assert.Equal(t, "active", cp["status"])
	assert.Equal(t, "plan", cp["intent"])
	assert.Equal(t, "Patient/su-9", cp["subject"].(map[string]any)["reference"])
}
