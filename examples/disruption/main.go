// Command disruption replays the agency's week of examples/agency with one
// disruption: a carer phones in sick on Tuesday at 06:30. It plans the week
// (the published rota), repairs it with routing.Repair (nothing before 06:30
// moves; the carer's visits are re-inserted where they cost least, steered
// back towards their published times), and prints the diff (routing.DiffRotas
// through Repair), the calls to make (each person whose visit times or carers
// changed, each worker whose route changed) and the families and professionals
// to inform (careplan.Notices with each contact's sharing agreement; what is
// withheld from whom is listed for the coordinator).
//
//	go run ./examples/disruption
//	go run ./examples/disruption -worker w0006 -seed 3 -time 10s
//	go run ./examples/disruption -out /tmp/tuesday  # published.json, repaired.json, diff.json, notices.md
//
// The carer who goes sick is, unless -worker names one, the one with the most
// visits after 06:30 on Tuesday in the published rota. The people's contacts
// (a family member, who may or may not see rota changes, and a GP) are
// synthesised from -seed by package examples/agency/week.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the agency's time zone works without system zoneinfo

	"github.com/carecoord/care"
	"github.com/carecoord/care/careplan"
	"github.com/carecoord/care/examples/agency/week"
	"github.com/carecoord/care/examples/internal/textout"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
)

// DefaultTime is the optimiser's default time limit for the published rota.
const DefaultTime = 5 * time.Second

// options are the program's settings (its flags).
type options struct {
	Seed    uint64        // seed of the synthesised records and of the optimiser
	Time    time.Duration // optimiser time limit for the published rota
	Worker  care.WorkerID // the carer who goes sick; "" = the busiest on Tuesday
	Threads int           // optimiser threads; 0 = all cores
	Out     string        // folder for the files; "" = none
}

// errUsage marks bad command-line arguments.
var errUsage = errors.New("usage")

// errNoWorker is returned when no worker has visits to lose on Tuesday.
var errNoWorker = errors.New("no worker with visits after the disruption")

func parseFlags(args []string, w io.Writer) (options, error) {
	o := options{}
	var worker string
	fs := flag.NewFlagSet("disruption", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the synthesised records and of the optimiser")
	fs.DurationVar(&o.Time, "time", DefaultTime, "optimiser time limit for the published rota")
	fs.StringVar(&worker, "worker", "", "the carer who goes sick (default: the busiest on Tuesday)")
	fs.IntVar(&o.Threads, "threads", 0, "optimiser threads; 0 = all cores")
	fs.StringVar(&o.Out, "out", "", "write published.json, repaired.json, diff.json and notices.md to this folder")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if o.Time <= 0 {
		return o, fmt.Errorf("%w: -time must be positive, got %s", errUsage, o.Time)
	}
	o.Worker = care.WorkerID(worker)
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "disruption:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "disruption:", err)
		os.Exit(1)
	}
}

// Outcome is what run found, for tests.
type outcome struct {
	Week   *week.Week
	Before *schedule.Rota
	Sick   care.WorkerID
	At     time.Time
	Repair *routing.RepairResult
	// Notices are the notice sets per person whose visits changed.
	Notices map[care.ServiceUserID]careplan.NoticeSet
}

// run plans the week, makes a carer sick on Tuesday at 06:30, repairs the
// rota and writes what the coordinator must do to stdout.
func run(ctx context.Context, o options, stdout io.Writer) error {
	_, err := disrupt(ctx, o, stdout)
	return err
}

func disrupt(ctx context.Context, o options, stdout io.Writer) (*outcome, error) {
	sample, err := synth.Sample()
	if err != nil {
		return nil, err
	}
	wk, err := week.Build(sample, o.Seed)
	if err != nil {
		return nil, err
	}
	p := wk.Problem
	loc, err := p.Loc()
	if err != nil {
		return nil, err
	}
	out := textout.New(stdout)
	res, err := routing.Solve(ctx, p, routing.Options{Seed: int64(o.Seed), TimeLimit: o.Time, Threads: o.Threads})
	if err != nil && (res == nil || res.Rota == nil) {
		return nil, fmt.Errorf("solve: %w", err)
	}
	before := res.Rota
	out.Linef("published rota for %s: %d visits planned, %d unassigned, %d hard violations",
		p.Name, len(before.Assignments), len(before.Unassigned), len(res.Report.Hard()))

	start := p.Start.In(loc)
	tuesday := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	for tuesday.Weekday() != time.Tuesday {
		tuesday = tuesday.AddDate(0, 0, 1)
	}
	at := time.Date(tuesday.Year(), tuesday.Month(), tuesday.Day(), 6, 30, 0, 0, loc)
	sick := o.Worker
	if sick == "" {
		sick, err = busiest(p, before, at)
		if err != nil {
			return nil, err
		}
	} else if _, ok := p.Worker(sick); !ok {
		return nil, fmt.Errorf("worker %q: not in the agency", sick)
	}
	out.Linef("\n%s phones in sick on %s: every visit of theirs from then to the end of the week must be re-planned", sick, at.Format("Mon 2 Jan 15:04"))

	rep, err := routing.Repair(ctx, p, before, []routing.Change{{Kind: routing.WorkerUnavailable, Worker: sick, At: at}},
		routing.RepairOptions{Freeze: at, MoveCost: 30, RetimeCost: 1, MaxMoves: 10, MinShift: 5 * time.Minute})
	if err != nil && (rep == nil || rep.Rota == nil) {
		return nil, fmt.Errorf("repair: %w", err)
	}
	if err != nil {
		out.Linef("warning: the repaired rota still breaks hard rules: %v", textout.FirstLine(err))
	}
	oc := &outcome{Week: wk, Before: before, Sick: sick, At: at, Repair: rep, Notices: map[care.ServiceUserID]careplan.NoticeSet{}}
	orphansServed := 0
	unassigned := map[schedule.VisitID]schedule.Reason{}
	for _, u := range rep.Rota.Unassigned {
		unassigned[u.Visit] = u.Reason
	}
	for _, v := range rep.Orphans {
		if _, ok := unassigned[v]; !ok {
			orphansServed++
		}
	}
	out.Linef("repaired: %d visits lost their carer, %d re-planned, %d could not be (%d visits moved to make room)",
		len(rep.Orphans), orphansServed, len(rep.Orphans)-orphansServed, len(rep.Moved))
	for _, v := range rep.Orphans {
		if r, ok := unassigned[v]; ok {
			out.Linef("  not covered: visit %s (%s)", v, r)
		}
	}

	counts := map[routing.ChangeType]int{}
	for _, c := range rep.Diff.Visits {
		counts[c.Type]++
	}
	out.Linef("\n== Diff ==")
	out.Linef("visits changed: %d", len(rep.Diff.Visits))
	for _, t := range []routing.ChangeType{routing.Reassigned, routing.Retimed, routing.Dropped, routing.Cancelled, routing.Added} {
		if counts[t] > 0 {
			out.Linef("  %s: %d", t, counts[t])
		}
	}
	// A visit made before the disruption cannot change; Repair may still
	// re-time one when it re-times its route. Such changes are listed, not
	// phoned through.
	past := func(c routing.VisitChange) bool {
		return c.Type == routing.Retimed && c.FromStart.Before(at)
	}
	var gone []string
	for _, c := range rep.Diff.Visits {
		if past(c) {
			gone = append(gone, describe(c, loc))
		}
	}
	if len(gone) > 0 {
		out.Linef("  of which already made before %s (re-timed on paper by Repair; not phoned): %d", at.Format("15:04"), len(gone))
		for _, g := range gone {
			out.Linef("    %s", g)
		}
	}
	var people []routing.PersonDiff
	for _, pd := range rep.Diff.People {
		pd.Changes = slices.DeleteFunc(slices.Clone(pd.Changes), past)
		if len(pd.Changes) > 0 {
			people = append(people, pd)
		}
	}
	var workers []routing.WorkerDiff
	for _, wd := range rep.Diff.Workers {
		wd.Retimed = slices.DeleteFunc(slices.Clone(wd.Retimed), past)
		if len(wd.Gained)+len(wd.Lost)+len(wd.Retimed) > 0 {
			workers = append(workers, wd)
		}
	}

	out.Linef("\n== Calls to make: people ==")
	for _, pd := range people {
		out.Linef("person %s: %d visit(s) changed", pd.ServiceUser, len(pd.Changes))
		for _, c := range pd.Changes {
			out.Linef("  %s", describe(c, loc))
		}
	}
	out.Linef("\n== Calls to make: workers ==")
	for _, wd := range workers {
		out.Linef("worker %s: %d gained, %d lost, %d retimed", wd.Worker, len(wd.Gained), len(wd.Lost), len(wd.Retimed))
		for _, c := range slices.Concat(wd.Gained, wd.Retimed) {
			out.Linef("  %s", describe(c, loc))
		}
	}

	out.Linef("\n== Families and professionals to inform ==")
	notices, withheld := 0, 0
	for _, pd := range people {
		per, ok := wk.Person(pd.ServiceUser)
		if !ok {
			continue
		}
		var rc []careplan.RotaChange
		for _, c := range pd.Changes {
			rc = append(rc, rotaChange(c, loc))
		}
		set, err := careplan.Notices(careplan.NoticeInput{Plan: per.Plan, Rota: rc, Contacts: per.Contacts, At: at})
		if err != nil {
			return nil, fmt.Errorf("notices for plan %q: %w", per.Plan.ID, err)
		}
		oc.Notices[pd.ServiceUser] = set
		for _, n := range set.Notices {
			notices++
			out.Linef("notice to %s (%s, person %s): %d item(s), by %s", n.Recipient, n.Kind, pd.ServiceUser, len(n.Items), n.Due.In(loc).Format("Mon 15:04"))
		}
		type key struct{ recipient, reason string }
		var keys []key
		count := map[key]int{}
		for _, wh := range set.Withheld {
			withheld++
			k := key{wh.Recipient, wh.Reason}
			if count[k] == 0 {
				keys = append(keys, k)
			}
			count[k]++
		}
		for _, k := range keys {
			out.Linef("  withheld from %s (person %s): %d item(s): %s", k.recipient, pd.ServiceUser, count[k], k.reason)
		}
	}
	out.Linef("notices: %d, items withheld: %d", notices, withheld)
	if out.Err() != nil {
		return oc, out.Err()
	}
	if o.Out != "" {
		if err := writeFiles(o.Out, oc, people); err != nil {
			return oc, err
		}
		out.Linef("files written to %s", o.Out)
	}
	return oc, out.Err()
}

// writeFiles writes the published and repaired rotas (with their legs:
// schedule's JSON keeps fractions of a second), the diff and the notices owed.
func writeFiles(dir string, oc *outcome, people []routing.PersonDiff) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	var md strings.Builder
	for _, pd := range people {
		if set, ok := oc.Notices[pd.ServiceUser]; ok {
			md.WriteString(set.Markdown())
			md.WriteString("\n")
		}
	}
	files := []struct {
		name string
		v    any
	}{{"published.json", oc.Before}, {"repaired.json", oc.Repair.Rota}, {"diff.json", oc.Repair.Diff}}
	for _, f := range files {
		b, err := json.MarshalIndent(f.v, "", "  ")
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notices.md"), []byte(md.String()), 0o644); err != nil {
		return fmt.Errorf("notices.md: %w", err)
	}
	return nil
}

// busiest returns the worker with the most visits starting at or after at on
// at's local day, ties broken by ID.
func busiest(p *schedule.Problem, r *schedule.Rota, at time.Time) (care.WorkerID, error) {
	end := time.Date(at.Year(), at.Month(), at.Day()+1, 0, 0, 0, 0, at.Location())
	n := map[care.WorkerID]int{}
	for _, a := range r.Assignments {
		if a.Start.Before(at) || !a.Start.Before(end) {
			continue
		}
		for _, w := range a.Workers {
			n[w]++
		}
	}
	best := care.WorkerID("")
	for _, w := range p.Workers {
		if n[w.ID] > n[best] {
			best = w.ID
		}
	}
	if best == "" {
		return "", errNoWorker
	}
	return best, nil
}

// describe puts a visit change in the words of a phone call.
func describe(c routing.VisitChange, loc *time.Location) string {
	t := func(x time.Time) string {
		if x.IsZero() {
			return "-"
		}
		return x.In(loc).Format("Mon 15:04")
	}
	ws := func(w []care.WorkerID) string {
		if len(w) == 0 {
			return "nobody"
		}
		s := make([]string, len(w))
		for i, x := range w {
			s[i] = string(x)
		}
		return strings.Join(s, "+")
	}
	return fmt.Sprintf("visit %s %s: %s %s -> %s %s", c.Visit, c.Type, t(c.FromStart), ws(c.From), t(c.ToStart), ws(c.To))
}

// rotaChange turns a visit change into the plain data careplan.Notices reads.
func rotaChange(c routing.VisitChange, loc *time.Location) careplan.RotaChange {
	from := c.FromStart
	if from.IsZero() {
		from = c.ToStart
	}
	rc := careplan.RotaChange{Date: from.In(loc).Format(time.DateOnly), Visit: string(c.Visit), Provider: "agency",
		FromTime: from.In(loc).Format("15:04"), FromWorkers: c.From, ToWorkers: c.To}
	switch {
	case c.Type == routing.Dropped || c.Type == routing.Cancelled:
		rc.Cancelled = true
	case !c.ToStart.IsZero() && !c.ToStart.Equal(c.FromStart):
		rc.ToTime = c.ToStart.In(loc).Format("15:04")
	}
	return rc
}
