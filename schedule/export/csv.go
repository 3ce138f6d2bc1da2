package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/carecoord/care/schedule"
)

// Status values of the CSV column "status".
const (
	StatusAssigned   = "assigned"
	StatusUnassigned = "unassigned"
)

// CSVHeader returns the CSV columns WriteCSV writes for opt, in order:
//
//	visit, service_user, [service_user_name], [address], [visit_kind],
//	workers, [worker_names], planned_start, planned_end, duration_min,
//	window_earliest, window_latest, travel_before_min, waiting_min,
//	status, reason
//
// Bracketed columns appear only when Options asks for them.
func CSVHeader(opt Options) []string {
	h := []string{"visit", "service_user"}
	if opt.ServiceUserNames {
		h = append(h, "service_user_name")
	}
	if opt.Addresses {
		h = append(h, "address")
	}
	if opt.VisitKinds {
		h = append(h, "visit_kind")
	}
	h = append(h, "workers")
	if opt.WorkerNames {
		h = append(h, "worker_names")
	}
	return append(h, "planned_start", "planned_end", "duration_min", "window_earliest", "window_latest",
		"travel_before_min", "waiting_min", "status", "reason")
}

// WriteCSV writes one row per visit in the rota after a header row
// (CSVHeader): planned visits by planned start, then unassigned visits by
// earliest window. Times are RFC 3339 in Options.Location. The window is the
// one the planned start falls in (an unassigned visit's first). For a
// double-handed visit, workers, worker_names, travel_before_min and
// waiting_min list one value per worker, in the assignment's order,
// separated by ";". Names and addresses that start like a spreadsheet
// formula (=, +, -, @) get a leading apostrophe. travel_before_min and waiting_min are empty when the
// routes carry no legs. status is "assigned" or "unassigned"; reason is the
// schedule.Reason code of an unassigned visit.
func WriteCSV(w io.Writer, p *schedule.Problem, r *schedule.Rota, opt Options) error {
	ix, err := newIndex(p, r, opt)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader(opt)); err != nil {
		return fmt.Errorf("export: write CSV: %w", err)
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, a := range ix.sortedAssignments() {
		v := ix.visits[a.Visit]
		var ws, names, travel, wait []string
		haveLegs := true
		for _, wid := range a.Workers {
			ws = append(ws, string(wid))
			names = append(names, cell(ix.workers[wid].Name))
			s, ok := ix.stops[v.ID][wid]
			if !ok || s.leg == nil {
				haveLegs = false
				continue
			}
			travel = append(travel, num(minutes(s.leg.Travel)))
			wait = append(wait, num(minutes(s.leg.Wait)))
		}
		if !haveLegs {
			travel, wait = nil, nil
		}
		win, _ := window(v, a.Start)
		row := ix.visitCols(v, opt)
		row = append(row, strings.Join(ws, ";"))
		if opt.WorkerNames {
			row = append(row, strings.Join(names, ";"))
		}
		row = append(row, ix.stamp(a.Start), ix.stamp(ix.end(a)), num(minutes(v.Duration)),
			ix.stamp(win.Earliest), ix.stamp(win.Latest), strings.Join(travel, ";"), strings.Join(wait, ";"),
			StatusAssigned, "")
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("export: visit %q: write CSV: %w", v.ID, err)
		}
	}
	for _, u := range ix.sortedUnassigned() {
		v := ix.visits[u.Visit]
		win, _ := window(v, time.Time{})
		row := ix.visitCols(v, opt)
		row = append(row, "")
		if opt.WorkerNames {
			row = append(row, "")
		}
		row = append(row, "", "", num(minutes(v.Duration)), ix.stamp(win.Earliest), ix.stamp(win.Latest), "", "",
			StatusUnassigned, string(u.Reason))
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("export: visit %q: write CSV: %w", v.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: write CSV: %w", err)
	}
	return nil
}

// visitCols returns the leading columns of a visit's row.
func (ix *index) visitCols(v *schedule.Visit, opt Options) []string {
	row := []string{string(v.ID), string(v.ServiceUser)}
	u := ix.users[v.ServiceUser]
	if opt.ServiceUserNames {
		name := ""
		if u != nil {
			name = cell(u.DisplayName)
		}
		row = append(row, name)
	}
	if opt.Addresses {
		addr := ""
		if u != nil && v.Location == nil {
			addr = cell(u.Address)
		}
		row = append(row, addr)
	}
	if opt.VisitKinds {
		row = append(row, string(v.Kind))
	}
	return row
}

// cell guards a free-text cell (a name, an address) against spreadsheet
// formula injection: text starting with =, +, -, @, tab or CR gets a leading
// apostrophe, as OWASP advises.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
