package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
)

// Calendar returns worker's visits in the rota as an iCalendar (RFC 5545)
// calendar: one VEVENT per visit the worker makes, in order of planned
// start, with
//
//   - UID "<visit>.<worker>@<UIDDomain>", stable across exports of the same
//     visit, so that a calendar application updates rather than duplicates;
//   - DTSTART and DTEND (the planned service) and DTSTAMP (Options.Stamp),
//     all in UTC, so no time-zone definitions are needed; X-WR-TIMEZONE
//     names Options.Location for applications that show local times;
//   - SUMMARY "Visit <visit>" (with the person's display name when
//     Options.ServiceUserNames), LOCATION the person's address when
//     Options.Addresses, else the visit ID and coordinates, and GEO;
//   - DESCRIPTION: the service user ID, the local window, the other worker
//     of a double-handed visit, the travel and waiting before the visit, and
//     the visit kind when Options.VisitKinds. Never health details.
//
// The output is deterministic: the same inputs and Options give the same
// bytes. A worker with no visits gets an empty calendar. The error matches
// ErrUnknownWorker when the problem has no such worker.
func Calendar(p *schedule.Problem, r *schedule.Rota, worker care.WorkerID, opt Options) (*ics.Calendar, error) {
	ix, err := newIndex(p, r, opt)
	if err != nil {
		return nil, err
	}
	return ix.calendar(worker, opt)
}

// Calendars returns one calendar per worker of the problem who makes at
// least one visit in the rota, keyed by worker ID (see Calendar).
func Calendars(p *schedule.Problem, r *schedule.Rota, opt Options) (map[care.WorkerID]*ics.Calendar, error) {
	ix, err := newIndex(p, r, opt)
	if err != nil {
		return nil, err
	}
	out := map[care.WorkerID]*ics.Calendar{}
	for _, a := range r.Assignments {
		for _, w := range a.Workers {
			if out[w] != nil {
				continue
			}
			c, err := ix.calendar(w, opt)
			if err != nil {
				return nil, err
			}
			out[w] = c
		}
	}
	return out, nil
}

// Workers returns the IDs of the workers who make at least one visit in the
// rota, sorted: the calendars worth writing, in a stable order.
func Workers(r *schedule.Rota) []care.WorkerID {
	if r == nil {
		return nil
	}
	var out []care.WorkerID
	for _, a := range r.Assignments {
		for _, w := range a.Workers {
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return out
}

// WriteCalendar writes Calendar(p, r, worker, opt) to w (CRLF line ends, as
// RFC 5545 requires).
func WriteCalendar(w io.Writer, p *schedule.Problem, r *schedule.Rota, worker care.WorkerID, opt Options) error {
	c, err := Calendar(p, r, worker, opt)
	if err != nil {
		return err
	}
	if err := c.SerializeTo(w, ics.WithNewLine("\r\n")); err != nil {
		return fmt.Errorf("export: worker %q: write calendar: %w", worker, err)
	}
	return nil
}

func (ix *index) calendar(worker care.WorkerID, opt Options) (*ics.Calendar, error) {
	wk, ok := ix.workers[worker]
	if !ok {
		return nil, fmt.Errorf("export: worker %q: %w", worker, ErrUnknownWorker)
	}
	cal := ics.NewCalendar()
	cal.SetProductId(cmp.Or(opt.ProductID, "-//carecoord//care export//EN"))
	cal.SetMethod(ics.MethodPublish)
	name := "Visits of worker " + string(worker)
	if opt.WorkerNames && wk.Name != "" {
		name = "Visits of " + wk.Name
	}
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(ix.loc.String())
	stamp := opt.Stamp
	if stamp.IsZero() {
		stamp = ix.p.Start
	}
	domain := cmp.Or(opt.UIDDomain, "care.invalid")
	for _, a := range ix.sortedAssignments() {
		if !slices.Contains(a.Workers, worker) {
			continue
		}
		v := ix.visits[a.Visit]
		at, err := ix.place(v)
		if err != nil {
			return nil, err
		}
		u := ix.users[v.ServiceUser]
		e := cal.AddEvent(fmt.Sprintf("%s.%s@%s", v.ID, worker, domain))
		e.SetDtStampTime(stamp)
		e.SetStartAt(a.Start)
		e.SetEndAt(ix.end(a))
		summary := "Visit " + string(v.ID)
		if opt.ServiceUserNames && u != nil && u.DisplayName != "" {
			summary += ": " + u.DisplayName
		}
		e.SetSummary(summary)
		lat, lon := strconv.FormatFloat(at.Lat(), 'f', 6, 64), strconv.FormatFloat(at.Lon(), 'f', 6, 64)
		if opt.Addresses && u != nil && v.Location == nil && u.Address != "" {
			e.SetLocation(u.Address)
		} else {
			e.SetLocation(fmt.Sprintf("visit %s at %s,%s", v.ID, lat, lon))
		}
		e.SetGeo(lat, lon)
		e.SetStatus(ics.ObjectStatusConfirmed)
		e.SetClass(ics.ClassificationConfidential)
		e.SetDescription(ix.describe(a, v, worker, opt))
	}
	return cal, nil
}

// describe writes an event's description: IDs, local times and minutes only.
func (ix *index) describe(a *schedule.Assignment, v *schedule.Visit, worker care.WorkerID, opt Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Service user %s.", v.ServiceUser)
	if w, ok := window(v, a.Start); ok {
		fmt.Fprintf(&b, " Window %s-%s.", w.Earliest.In(ix.loc).Format("15:04"), w.Latest.In(ix.loc).Format("15:04"))
	}
	for _, o := range a.Workers {
		if o != worker {
			fmt.Fprintf(&b, " Double-handed with %s.", o)
		}
	}
	if s, ok := ix.stops[v.ID][worker]; ok && s.leg != nil {
		fmt.Fprintf(&b, " Travel before %.0f min", minutes(s.leg.Travel))
		if s.leg.From != "" {
			fmt.Fprintf(&b, " from visit %s", s.leg.From)
		}
		fmt.Fprintf(&b, ", waiting %.0f min.", minutes(s.leg.Wait))
	}
	if opt.VisitKinds && v.Kind != "" {
		fmt.Fprintf(&b, " Kind %s.", v.Kind)
	}
	return b.String()
}
