package export_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/export"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	return loc
}

func parseGeoJSON(t *testing.T, p *schedule.Problem, r *schedule.Rota, opt export.Options) (*geojson.FeatureCollection, string) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, export.WriteGeoJSON(&buf, p, r, opt))
	fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
	require.NoError(t, err)
	return fc, buf.String()
}

func byKind(fc *geojson.FeatureCollection) map[string][]*geojson.Feature {
	out := map[string][]*geojson.Feature{}
	for _, f := range fc.Features {
		k := f.Properties.MustString("kind", "")
		out[k] = append(out[k], f)
	}
	return out
}

func TestGeoJSONParsesBackToTheRota(t *testing.T) {
	p, r := fixture(t)
	fc, raw := parseGeoJSON(t, p, r, export.Options{})
	kinds := byKind(fc)
	require.Len(t, fc.Features, 6)
	require.Len(t, kinds[export.KindRoute], 2)
	require.Len(t, kinds[export.KindVisit], 3)
	require.Len(t, kinds[export.KindUnassigned], 1)

	// Route of w1: home -> su1's home (v1) -> su2's home (v2) -> home.
	w1 := kinds[export.KindRoute][0]
	assert.Equal(t, "w1", w1.Properties["worker"])
	assert.Equal(t, "s1", w1.Properties["shift"])
	assert.Equal(t, "2026-06-01", w1.Properties["date"])
	assert.Equal(t, orb.LineString{{-0.12, 51.51}, {-0.14, 51.50}, {-0.10, 51.52}, {-0.12, 51.51}}, w1.Geometry)
	assert.InDelta(t, 12+15+10, w1.Properties["travel_minutes"], 1e-9)
	assert.InDelta(t, 2500+3300+2100, w1.Properties["distance_m"], 1e-9)
	assert.InDelta(t, 2, w1.Properties["visits"], 0)
	assert.Equal(t, []any{"v1", "v2"}, w1.Properties["visit_ids"])
	assert.Equal(t, "2026-06-01T08:50:00+01:00", w1.Properties["start"], "local time with offset")
	assert.Equal(t, "2026-06-01T11:35:00+01:00", w1.Properties["end"])
	// Route of w2 starts at the shift's own place and ends at home; v3 is at the day centre.
	w2 := kinds[export.KindRoute][1]
	assert.Equal(t, orb.LineString{{-0.15, 51.48}, {-0.14, 51.50}, {-0.13, 51.505}, {-0.11, 51.49}}, w2.Geometry)
	assert.InDelta(t, 35, w2.Properties["travel_minutes"], 1e-9)

	// Visits by planned start: v1 08:10, v2 09:40, v3 12:00 (UTC).
	vs := kinds[export.KindVisit]
	assert.Equal(t, []string{"v1", "v2", "v3"}, []string{vs[0].Properties.MustString("visit"), vs[1].Properties.MustString("visit"), vs[2].Properties.MustString("visit")})
	assert.Equal(t, orb.Point{-0.14, 51.50}, vs[0].Geometry)
	assert.Equal(t, orb.Point{-0.10, 51.52}, vs[1].Geometry)
	assert.Equal(t, orb.Point{-0.13, 51.505}, vs[2].Geometry)
	assert.Equal(t, []any{"w1", "w2"}, vs[0].Properties["workers"])
	assert.Equal(t, "su1", vs[0].Properties["service_user"])
	start, err := time.Parse(time.RFC3339, vs[0].Properties.MustString("start"))
	require.NoError(t, err)
	assert.True(t, start.Equal(r.Assignments[1].Start))
	end, err := time.Parse(time.RFC3339, vs[0].Properties.MustString("end"))
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute, end.Sub(start))

	u := kinds[export.KindUnassigned][0]
	assert.Equal(t, "v4", u.Properties["visit"])
	assert.Equal(t, string(schedule.NoShift), u.Properties["reason"])
	assert.Equal(t, orb.Point{-0.10, 51.52}, u.Geometry)
	assert.Equal(t, "2026-06-01T19:00:00+01:00", u.Properties["earliest"])

	for _, secret := range []string{nameAnn, nameWendy, addressAnn, accessNotes, "medication", "Bob"} {
		assert.NotContains(t, raw, secret, "default export must carry IDs and times only")
	}
}

func TestGeoJSONPersonalDetailsOnlyWhenAsked(t *testing.T) {
	p, r := fixture(t)
	fc, raw := parseGeoJSON(t, p, r, export.Options{ServiceUserNames: true, WorkerNames: true, Addresses: true, VisitKinds: true, Location: time.UTC})
	kinds := byKind(fc)
	assert.Equal(t, nameWendy, kinds[export.KindRoute][0].Properties["worker_name"])
	v1 := kinds[export.KindVisit][0]
	assert.Equal(t, nameAnn, v1.Properties["service_user_name"])
	assert.Equal(t, addressAnn, v1.Properties["address"])
	assert.Equal(t, "medication", v1.Properties["visit_kind"])
	assert.Equal(t, "2026-06-01T08:10:00Z", v1.Properties["start"], "Options.Location is used")
	_, hasAddr := kinds[export.KindVisit][2].Properties["address"]
	assert.False(t, hasAddr, "v3 is not at the person's home: their address is not its place")
	assert.NotContains(t, raw, accessNotes, "access notes are never exported")
}

func parseCalendar(t *testing.T, p *schedule.Problem, r *schedule.Rota, w care.WorkerID, opt export.Options) (*ics.Calendar, string) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, export.WriteCalendar(&buf, p, r, w, opt))
	cal, err := ics.ParseCalendar(strings.NewReader(buf.String()))
	require.NoError(t, err)
	return cal, buf.String()
}

func TestCalendarParsesBackToTheRota(t *testing.T) {
	p, r := fixture(t)
	stamp := at(t, "2026-05-28T16:00:00Z")
	opt := export.Options{Stamp: stamp, UIDDomain: "agency.example"}
	starts := map[schedule.VisitID]time.Time{}
	for _, a := range r.Assignments {
		starts[a.Visit] = a.Start
	}
	durations := map[schedule.VisitID]time.Duration{"v1": 30 * time.Minute, "v2": 45 * time.Minute, "v3": 20 * time.Minute}
	want := map[care.WorkerID][]schedule.VisitID{"w1": {"v1", "v2"}, "w2": {"v1", "v3"}}
	for w, visits := range want {
		cal, raw := parseCalendar(t, p, r, w, opt)
		events := cal.Events()
		require.Len(t, events, len(visits), "worker %s", w)
		for i, e := range events {
			v := visits[i]
			assert.Equal(t, string(v)+"."+string(w)+"@agency.example", e.Id())
			s, err := e.GetStartAt()
			require.NoError(t, err)
			assert.True(t, s.Equal(starts[v]), "worker %s visit %s start %v", w, v, s)
			en, err := e.GetEndAt()
			require.NoError(t, err)
			assert.Equal(t, durations[v], en.Sub(s))
			ds, err := e.GetDtStampTime()
			require.NoError(t, err)
			assert.True(t, ds.Equal(stamp))
			assert.Equal(t, "Visit "+string(v), e.GetProperty(ics.ComponentPropertySummary).Value)
		}
		for _, secret := range []string{nameAnn, nameWendy, addressAnn, accessNotes, "medication"} {
			assert.NotContains(t, raw, secret)
		}
		assert.Contains(t, raw, "\r\n", "RFC 5545 line ends")
	}
	// Double-handed partner, window in local time and travel in the description.
	cal, _ := parseCalendar(t, p, r, "w1", opt)
	desc := cal.Events()[0].GetProperty(ics.ComponentPropertyDescription).Value
	assert.Contains(t, desc, "w2")
	assert.Contains(t, desc, "09:00-10:00", "window in Europe/London summer time")
	assert.Contains(t, desc, "Travel before 12 min")
	geo := cal.Events()[0].GetProperty(ics.ComponentPropertyGeo).Value
	assert.Equal(t, "51.500000;-0.140000", geo)
}

func TestCalendarIsDeterministicAndOptional(t *testing.T) {
	p, r := fixture(t)
	var a, b bytes.Buffer
	require.NoError(t, export.WriteCalendar(&a, p, r, "w1", export.Options{}))
	require.NoError(t, export.WriteCalendar(&b, p, r, "w1", export.Options{}))
	assert.Equal(t, a.String(), b.String())
	assert.Contains(t, a.String(), "DTSTAMP:20260601T000000Z", "zero Stamp means the problem's Start")

	cal, raw := parseCalendar(t, p, r, "w1", export.Options{ServiceUserNames: true, Addresses: true, WorkerNames: true, VisitKinds: true})
	assert.Equal(t, "Visit v1: "+nameAnn, cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value)
	assert.Equal(t, addressAnn, cal.Events()[0].GetProperty(ics.ComponentPropertyLocation).Value)
	assert.Contains(t, raw, nameWendy)
	assert.Contains(t, raw, "medication")
	assert.NotContains(t, raw, accessNotes)

	cals, err := export.Calendars(p, r, export.Options{})
	require.NoError(t, err)
	require.Len(t, cals, 2)
	assert.Equal(t, []care.WorkerID{"w1", "w2"}, export.Workers(r))
	assert.Nil(t, export.Workers(nil))
	assert.Len(t, cals["w2"].Events(), 2)

	_, err = export.Calendar(p, r, "w9", export.Options{})
	require.ErrorIs(t, err, export.ErrUnknownWorker)
	assert.Contains(t, err.Error(), `"w9"`)
}

func readCSV(t *testing.T, p *schedule.Problem, r *schedule.Rota, opt export.Options) []map[string]string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, export.WriteCSV(&buf, p, r, opt))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.Equal(t, export.CSVHeader(opt), recs[0])
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func TestCSVReadsBackToTheRota(t *testing.T) {
	p, r := fixture(t)
	rows := readCSV(t, p, r, export.Options{Location: london(t)})
	require.Len(t, rows, 4, "one row per visit in the rota")
	assert.Equal(t, []string{"v1", "v2", "v3", "v4"}, []string{rows[0]["visit"], rows[1]["visit"], rows[2]["visit"], rows[3]["visit"]})
	v1 := rows[0]
	assert.Equal(t, "su1", v1["service_user"])
	assert.Equal(t, "w1;w2", v1["workers"])
	assert.Equal(t, "2026-06-01T09:10:00+01:00", v1["planned_start"])
	assert.Equal(t, "2026-06-01T09:40:00+01:00", v1["planned_end"])
	assert.Equal(t, "30", v1["duration_min"])
	assert.Equal(t, "2026-06-01T09:00:00+01:00", v1["window_earliest"])
	assert.Equal(t, "2026-06-01T10:00:00+01:00", v1["window_latest"])
	assert.Equal(t, "12;15", v1["travel_before_min"], "w1 then w2")
	assert.Equal(t, "8;0", v1["waiting_min"])
	assert.Equal(t, export.StatusAssigned, v1["status"])
	assert.Empty(t, v1["reason"])
	// v3 has two windows; the planned start lies in the second.
	assert.Equal(t, "2026-06-01T13:00:00+01:00", rows[2]["window_earliest"])
	assert.Equal(t, "10", rows[2]["travel_before_min"])
	assert.Equal(t, "190", rows[2]["waiting_min"])
	v4 := rows[3]
	assert.Equal(t, export.StatusUnassigned, v4["status"])
	assert.Equal(t, string(schedule.NoShift), v4["reason"])
	assert.Empty(t, v4["workers"])
	assert.Empty(t, v4["planned_start"])
	assert.Equal(t, "2026-06-01T19:00:00+01:00", v4["window_earliest"])
	for _, row := range rows {
		for _, cell := range row {
			assert.NotContains(t, cell, "Ann")
		}
	}
}

func TestCSVOptionalColumns(t *testing.T) {
	p, r := fixture(t)
	rows := readCSV(t, p, r, export.Options{ServiceUserNames: true, WorkerNames: true, Addresses: true, VisitKinds: true})
	assert.Equal(t, nameAnn, rows[0]["service_user_name"])
	assert.Equal(t, addressAnn, rows[0]["address"])
	assert.Equal(t, "medication", rows[0]["visit_kind"])
	assert.Equal(t, nameWendy+";Bob Two", rows[0]["worker_names"])
	assert.Equal(t, "'=HYPERLINK(1)", rows[1]["service_user_name"], "formula injection guarded")
	assert.Empty(t, rows[2]["address"], "v3 is not at the person's home")
	p.TimeZone = ""
	rows = readCSV(t, p, r, export.Options{})
	assert.Equal(t, "2026-06-01T08:10:00Z", mustFind(t, rows, "v1")["planned_start"], "UTC when the problem's zone is not set")
}

func mustFind(t *testing.T, rows []map[string]string, v string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if r["visit"] == v {
			return r
		}
	}
	t.Fatalf("no row for %s", v)
	return nil
}

func TestCSVWithoutLegs(t *testing.T) {
	p, r := fixture(t)
	for i := range r.Routes {
		r.Routes[i].Legs = nil
	}
	rows := readCSV(t, p, r, export.Options{})
	assert.Empty(t, rows[0]["travel_before_min"])
	assert.Empty(t, rows[0]["waiting_min"])
	fc, _ := parseGeoJSON(t, p, r, export.Options{})
	route := byKind(fc)[export.KindRoute][0]
	assert.InDelta(t, 0, route.Properties["travel_minutes"], 0)
	_, hasStart := route.Properties["start"]
	assert.False(t, hasStart)
}

func TestBadInput(t *testing.T) {
	p, r := fixture(t)
	var buf bytes.Buffer
	require.ErrorIs(t, export.WriteCSV(&buf, nil, r, export.Options{}), export.ErrNoInput)
	require.ErrorIs(t, export.WriteGeoJSON(&buf, p, nil, export.Options{}), export.ErrNoInput)
	_, err := export.Calendars(nil, nil, export.Options{})
	require.ErrorIs(t, err, export.ErrNoInput)

	r.Assignments[0].Visit = "v99"
	_, err = export.GeoJSON(p, r, export.Options{})
	require.ErrorIs(t, err, care.ErrInvalid)
	var fe *care.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Contains(t, err.Error(), `"v99"`)

	p2, r2 := fixture(t)
	p2.TimeZone = "Mars/Olympus"
	err = export.WriteCSV(&buf, p2, r2, export.Options{})
	require.ErrorIs(t, err, care.ErrInvalid)
	assert.Contains(t, err.Error(), "time_zone")
}
