package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/carecoord/care"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/export"
	"github.com/carecoord/care/schedule/synth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSampleAgency exports a rota that routing.Solve plans for the embedded
// sample agency (a short, seeded search) and checks each file against it.
func TestSampleAgency(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	res, err := routing.Solve(context.Background(), p, routing.Options{Seed: 1, Threads: 1, MaxIterations: 50})
	require.NoError(t, err)
	r := res.Rota
	require.NotEmpty(t, r.Assignments)

	// GeoJSON: a line per non-empty route, a point per visit, coordinates equal to the places.
	var buf bytes.Buffer
	require.NoError(t, export.WriteGeoJSON(&buf, p, r, export.Options{}))
	fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
	require.NoError(t, err)
	kinds := byKind(fc)
	routes := 0
	for _, rt := range r.Routes {
		if len(rt.Visits) > 0 {
			routes++
		}
	}
	assert.Len(t, kinds[export.KindRoute], routes)
	assert.Len(t, kinds[export.KindVisit], len(r.Assignments))
	assert.Len(t, kinds[export.KindUnassigned], len(r.Unassigned))
	for _, f := range kinds[export.KindVisit] {
		v, ok := p.Visit(schedule.VisitID(f.Properties.MustString("visit")))
		require.True(t, ok)
		loc, err := p.VisitLocation(v)
		require.NoError(t, err)
		assert.Equal(t, loc.Point(), f.Geometry.(orb.Point))
	}
	for _, name := range []string{p.ServiceUsers[0].DisplayName, p.Workers[0].Name} {
		if name != "" {
			assert.NotContains(t, buf.String(), name)
		}
	}

	// iCalendar: each worker's event count equals the visits they make.
	assignments := map[schedule.VisitID]*schedule.Assignment{}
	for i := range r.Assignments {
		assignments[r.Assignments[i].Visit] = &r.Assignments[i]
	}
	perWorker := map[care.WorkerID]int{}
	for _, a := range r.Assignments {
		for _, w := range a.Workers {
			perWorker[w]++
		}
	}
	cals, err := export.Calendars(p, r, export.Options{Stamp: p.Start})
	require.NoError(t, err)
	require.Len(t, cals, len(perWorker))
	for w, n := range perWorker {
		var b strings.Builder
		require.NoError(t, export.WriteCalendar(&b, p, r, w, export.Options{Stamp: p.Start}))
		cal, err := ics.ParseCalendar(strings.NewReader(b.String()))
		require.NoError(t, err)
		assert.Len(t, cal.Events(), n, "worker %s", w)
		for _, e := range cal.Events() {
			v := schedule.VisitID(strings.SplitN(e.Id(), ".", 2)[0])
			a := assignments[v]
			require.NotNil(t, a, e.Id())
			assert.Contains(t, a.Workers, w)
			s, err := e.GetStartAt()
			require.NoError(t, err)
			assert.True(t, s.Equal(a.Start.Truncate(time.Second)), "visit %s: %v vs %v", v, s, a.Start.UTC())
			en, err := e.GetEndAt()
			require.NoError(t, err)
			vis, _ := p.Visit(v)
			assert.True(t, en.Equal(a.Start.Add(vis.Duration.Std()).Truncate(time.Second)), "visit %s: end %v", v, en)
		}
	}

	// CSV: one row per visit in the rota.
	buf.Reset()
	require.NoError(t, export.WriteCSV(&buf, p, r, export.Options{}))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 1+len(r.Assignments)+len(r.Unassigned))
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	reasons := map[schedule.VisitID]schedule.Reason{}
	for _, u := range r.Unassigned {
		reasons[u.Visit] = u.Reason
	}
	for _, rec := range recs[1:] {
		v := schedule.VisitID(rec[col["visit"]])
		if a, ok := assignments[v]; ok {
			start, err := time.Parse(time.RFC3339, rec[col["planned_start"]])
			require.NoError(t, err)
			assert.True(t, start.Equal(a.Start.Truncate(time.Second)), "visit %s: times to the second", v)
			var ws []string
			for _, w := range a.Workers {
				ws = append(ws, string(w))
			}
			assert.Equal(t, strings.Join(ws, ";"), rec[col["workers"]])
			assert.Equal(t, export.StatusAssigned, rec[col["status"]])
			assert.Len(t, strings.Split(rec[col["travel_before_min"]], ";"), len(a.Workers), "visit %s: Solve returns legs", v)
			continue
		}
		reason, ok := reasons[v]
		require.True(t, ok, "visit %s is neither assigned nor unassigned", v)
		assert.Equal(t, string(reason), rec[col["reason"]])
	}
}
