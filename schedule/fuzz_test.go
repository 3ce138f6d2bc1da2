package schedule_test

// Fuzz targets for the schedule decoders and the RRULE patterns (issue 10).
// Seed corpora: testdata/fuzz/<Target>/ (from the bad-input catalogue's base
// inputs and a small synthetic agency) plus the f.Add seeds below. CI runs
// the seeds with plain `go test`; fuzz with, e.g.,
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 2m -parallel 1 ./schedule

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carecoord/care/internal/badinput"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/require"
)

// smallAgency is a one-day synthetic problem, small enough to mutate quickly.
func smallAgency(f *testing.F) []byte {
	cfg := synth.SampleConfig()
	cfg.People, cfg.Days = 4, 1
	p, err := synth.Generate(cfg)
	require.NoError(f, err)
	b, err := synth.Encode(p)
	require.NoError(f, err)
	return b
}

// FuzzDecode decodes arbitrary bytes as a problem. Properties: no panic; an
// accepted problem encodes, decodes again without error, and encodes to the
// same bytes (the JSON form is a fixed point).
func FuzzDecode(f *testing.F) {
	for _, b := range badinput.Files(f, "problem-*.json") {
		f.Add(b)
	}
	f.Add(smallAgency(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := schedule.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		b1, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := schedule.Decode(bytes.NewReader(b1))
		require.NoError(t, err, "a valid problem re-encoded must decode: %s", b1)
		b2, err := json.Marshal(q)
		require.NoError(t, err)
		require.Equal(t, string(b1), string(b2), "decode -> encode -> decode changed the problem")
	})
}

// FuzzDecodeRota decodes arbitrary bytes as a rota of the catalogue's base
// problem. Properties: no panic; an accepted rota re-encodes to a rota that
// is accepted and encodes the same.
func FuzzDecodeRota(f *testing.F) {
	base, err := os.ReadFile(filepath.Join("..", "testdata", "bad", "base-problem.json"))
	require.NoError(f, err)
	p, err := schedule.Decode(bytes.NewReader(base))
	require.NoError(f, err)
	for _, b := range badinput.Files(f, "rota-*.json") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := schedule.DecodeRota(bytes.NewReader(data), p)
		if err != nil {
			return
		}
		b1, err := json.Marshal(r)
		require.NoError(t, err)
		r2, err := schedule.DecodeRota(bytes.NewReader(b1), p)
		require.NoError(t, err, "a valid rota re-encoded must decode: %s", b1)
		b2, err := json.Marshal(r2)
		require.NoError(t, err)
		require.Equal(t, string(b1), string(b2), "decode -> encode -> decode changed the rota")
	})
}

// FuzzPattern parses an RRULE body, a local start and a zone as a visit
// pattern and expands it over two weeks. Properties: no panic; Validate
// refuses or Expand returns at most MaxOccurrences visits, each with one
// window inside the span's day bounds and a template that validates; the
// pattern survives a JSON round trip.
func FuzzPattern(f *testing.F) {
	f.Add("FREQ=DAILY", "2026-03-23T08:00", "Europe/London", int64(900), int64(1800))
	f.Add("FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-03-23T08:00", "Europe/London", int64(0), int64(3600))
	f.Add("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4", "2026-03-29T01:30", "Europe/London", int64(600), int64(600))
	f.Add("FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20260601T000000", "2026-03-31T22:00", "America/New_York", int64(0), int64(0))
	f.Add("FREQ=HOURLY;INTERVAL=4", "2026-10-25T00:30", "Europe/London", int64(60), int64(60))
	f.Add("FREQ=SECONDLY", "2026-03-23T08:00", "UTC", int64(0), int64(0))
	from := time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 14)
	f.Fuzz(func(t *testing.T, rule, start, zone string, before, after int64) {
		pt := schedule.Pattern{
			ID:    "p1",
			Visit: schedule.Visit{ServiceUser: "su1", Duration: schedule.Minutes(30), Kind: schedule.PersonalCare},
			RRule: rule, Start: start, TimeZone: zone,
			Before: schedule.Duration(time.Duration(before) * time.Second), After: schedule.Duration(time.Duration(after) * time.Second),
		}
		if pt.Validate() != nil {
			return
		}
		b, err := json.Marshal(pt)
		require.NoError(t, err)
		var back schedule.Pattern
		require.NoError(t, json.Unmarshal(b, &back))
		require.NoError(t, back.Validate(), "a valid pattern re-encoded must validate: %s", b)
		vs, err := pt.Expand(from, to)
		if err != nil {
			return
		}
		require.LessOrEqual(t, len(vs), schedule.MaxOccurrences)
		for _, v := range vs {
			require.Len(t, v.Windows, 1, "visit %s", v.ID)
			w := v.Windows[0]
			require.False(t, w.Latest.Before(w.Earliest), "visit %s: window %v", v.ID, w)
			require.NotEmpty(t, v.ID)
			require.Equal(t, pt.Visit.ServiceUser, v.ServiceUser)
		}
	})
}
