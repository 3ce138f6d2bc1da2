package export

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/carecoord/care/schedule"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Values of the GeoJSON property "kind", which says what a feature is.
const (
	KindRoute      = "route"      // a LineString: one worker's route in one shift
	KindVisit      = "visit"      // a Point: a planned visit
	KindUnassigned = "unassigned" // a Point: a visit the rota does not make
)

// GeoJSON returns the rota as a GeoJSON feature collection, coordinates in
// longitude, latitude order (x, y on planar problems):
//
//   - one LineString per route that makes at least one visit, from the
//     shift's start place through each visit's place to its end place, with
//     properties kind "route", worker, shift, date (the local date the shift
//     starts), start and end (leaving and coming back, when the route has
//     legs), visits (the count), visit_ids, travel_minutes and distance_m.
//     A worker on a split shift has one line per shift, since they go home
//     in between; group by worker and date for a day's total;
//   - one Point per planned visit with properties kind "visit", visit,
//     service_user, start, end, date and workers (IDs);
//   - one Point per unassigned visit with properties kind "unassigned",
//     visit, service_user, reason (a schedule.Reason code), date (of its
//     earliest window) and earliest.
//
// Features come in that order: routes as in the rota, visits by planned
// start, unassigned visits by earliest window. Times are RFC 3339 in
// Options.Location. Properties hold IDs and times only unless Options asks
// for names ("worker_name", "service_user_name"), addresses ("address") or
// visit kinds ("visit_kind").
func GeoJSON(p *schedule.Problem, r *schedule.Rota, opt Options) (*geojson.FeatureCollection, error) {
	ix, err := newIndex(p, r, opt)
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	for i := range r.Routes {
		rt := &r.Routes[i]
		if len(rt.Visits) == 0 {
			continue
		}
		sh := ix.shifts[rt.Shift]
		from, to, err := p.ShiftPlaces(sh)
		if err != nil {
			return nil, fmt.Errorf("export: route %d: %w", i, err)
		}
		line := orb.LineString{from.Point()}
		ids := make([]string, len(rt.Visits))
		for j, id := range rt.Visits {
			at, err := ix.place(ix.visits[id])
			if err != nil {
				return nil, err
			}
			line = append(line, at.Point())
			ids[j] = string(id)
		}
		line = append(line, to.Point())
		mins, metres := travelMinutes(rt)
		f := geojson.NewFeature(line)
		f.Properties["kind"] = KindRoute
		f.Properties["worker"] = string(rt.Worker)
		f.Properties["shift"] = string(rt.Shift)
		f.Properties["date"] = ix.date(sh.Start)
		f.Properties["visits"] = len(rt.Visits)
		f.Properties["visit_ids"] = ids
		f.Properties["travel_minutes"] = mins
		f.Properties["distance_m"] = metres
		if len(rt.Legs) > 0 {
			f.Properties["start"] = ix.stamp(rt.Legs[0].Depart)
			f.Properties["end"] = ix.stamp(rt.Legs[len(rt.Legs)-1].Arrive)
		}
		if opt.WorkerNames {
			f.Properties["worker_name"] = ix.workers[rt.Worker].Name
		}
		fc.Append(f)
	}
	for _, a := range ix.sortedAssignments() {
		v := ix.visits[a.Visit]
		at, err := ix.place(v)
		if err != nil {
			return nil, err
		}
		ws := make([]string, len(a.Workers))
		for j, w := range a.Workers {
			ws[j] = string(w)
		}
		f := geojson.NewFeature(at.Point())
		f.Properties["kind"] = KindVisit
		f.Properties["visit"] = string(v.ID)
		f.Properties["service_user"] = string(v.ServiceUser)
		f.Properties["start"] = ix.stamp(a.Start)
		f.Properties["end"] = ix.stamp(ix.end(a))
		f.Properties["date"] = ix.date(a.Start)
		f.Properties["workers"] = ws
		ix.personal(f.Properties, v, opt)
		fc.Append(f)
	}
	for _, u := range ix.sortedUnassigned() {
		v := ix.visits[u.Visit]
		at, err := ix.place(v)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(at.Point())
		f.Properties["kind"] = KindUnassigned
		f.Properties["visit"] = string(v.ID)
		f.Properties["service_user"] = string(v.ServiceUser)
		f.Properties["reason"] = string(u.Reason)
		if e := firstEarliest(v); !e.IsZero() {
			f.Properties["date"] = ix.date(e)
			f.Properties["earliest"] = ix.stamp(e)
		}
		ix.personal(f.Properties, v, opt)
		fc.Append(f)
	}
	return fc, nil
}

// personal adds the personal details Options asks for to a visit's properties.
func (ix *index) personal(props geojson.Properties, v *schedule.Visit, opt Options) {
	u := ix.users[v.ServiceUser]
	if opt.ServiceUserNames && u != nil {
		props["service_user_name"] = u.DisplayName
	}
	if opt.Addresses && u != nil && v.Location == nil {
		props["address"] = u.Address
	}
	if opt.VisitKinds {
		props["visit_kind"] = string(v.Kind)
	}
}

// WriteGeoJSON writes GeoJSON(p, r, opt) to w as indented JSON.
func WriteGeoJSON(w io.Writer, p *schedule.Problem, r *schedule.Rota, opt Options) error {
	fc, err := GeoJSON(p, r, opt)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(fc, "", "  ")
	if err != nil {
		return fmt.Errorf("export: encode GeoJSON: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("export: write GeoJSON: %w", err)
	}
	return nil
}
