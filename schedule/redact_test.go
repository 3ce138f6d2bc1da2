package schedule_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// personal are the names, addresses, contacts and notes that withPeople puts
// into a problem; none may survive Redact.
var personal = []string{
	"Margaret Thornbury", "14 Elm Road, Reading RG1 2AB", "key safe 4821", "Susan Thornbury",
	"07700 900123", "susan@example.org", "Priya Natarajan", "sickness: chest infection",
}

// withPeople returns the synthetic sample agency with personal details
// added, as a care provider's export would have them.
func withPeople(t *testing.T) *schedule.Problem {
	t.Helper()
	p, err := synth.Sample()
	require.NoError(t, err)
	u := &p.ServiceUsers[0]
	u.DisplayName, u.Address, u.AccessNotes = personal[0], personal[1], personal[2]
	u.Contacts = []care.Contact{{ID: "c1", Name: personal[3], Relationship: "daughter", Phone: personal[4], Email: personal[5]}}
	p.ServiceUsers[1].Location = u.Location // two people at one address
	p.Workers[0].Name = personal[6]
	p.Leave = append(p.Leave, schedule.Leave{Worker: p.Workers[1].ID, From: p.Start, To: p.Start.Add(4 * 3600e9), Reason: personal[7]})
	require.NoError(t, p.Validate())
	return p
}

func TestRedact(t *testing.T) {
	p := withPeople(t)
	before, err := json.Marshal(p)
	require.NoError(t, err)
	q, err := schedule.Redact(p, 42)
	require.NoError(t, err)
	require.NoError(t, q.Validate(), "a redacted valid problem must validate")

	out, err := json.Marshal(q)
	require.NoError(t, err)
	for _, s := range personal {
		assert.NotContains(t, string(out), s)
	}
	after, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, string(before), string(after), "Redact must not change its input")

	// IDs, visits and shifts are kept; every place moved, by at most RedactRadius.
	require.Len(t, q.ServiceUsers, len(p.ServiceUsers))
	require.Len(t, q.Visits, len(p.Visits))
	require.Len(t, q.Shifts, len(p.Shifts))
	for i := range p.ServiceUsers {
		assert.Equal(t, p.ServiceUsers[i].ID, q.ServiceUsers[i].ID)
		d := metres(p.ServiceUsers[i].Location, q.ServiceUsers[i].Location)
		assert.Greater(t, d, schedule.RedactRadius/20, "service user %s not moved", p.ServiceUsers[i].ID)
		assert.LessOrEqual(t, d, schedule.RedactRadius*1.01, "service user %s moved too far", p.ServiceUsers[i].ID)
	}
	for i := range p.Workers {
		assert.Equal(t, p.Workers[i].ID, q.Workers[i].ID)
		assert.Equal(t, p.Workers[i].Qualifications, q.Workers[i].Qualifications)
		if p.Workers[i].Home != nil {
			assert.Greater(t, metres(*p.Workers[i].Home, *q.Workers[i].Home), schedule.RedactRadius/20)
		}
	}
	for i := range p.Visits {
		assert.Equal(t, p.Visits[i].ID, q.Visits[i].ID)
		assert.Equal(t, p.Visits[i].Windows, q.Visits[i].Windows)
	}
	assert.Equal(t, q.ServiceUsers[0].Location, q.ServiceUsers[1].Location, "people at one address still share it")

	// The same seed gives the same copy, another seed other places.
	q2, err := schedule.Redact(p, 42)
	require.NoError(t, err)
	assert.Equal(t, q, q2)
	q3, err := schedule.Redact(p, 43)
	require.NoError(t, err)
	assert.NotEqual(t, q.ServiceUsers[0].Location, q3.ServiceUsers[0].Location)

	_, err = schedule.Redact(nil, 1)
	assert.ErrorIs(t, err, care.ErrInvalid)
}

// metres is the great-circle distance between a and b.
func metres(a, b care.Location) float64 {
	const r = 6_371_000.0
	rad := math.Pi / 180
	dlat, dlon := (b.Lat()-a.Lat())*rad, (b.Lon()-a.Lon())*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a.Lat()*rad)*math.Cos(b.Lat()*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}
