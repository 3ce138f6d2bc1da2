// Command agency loads the sample home care agency embedded in package synth
// (one week in Reading, about 60 people), validates it and prints a summary of
// the week: people, visits per day and per kind, the double-handed share,
// workers by role and travel mode, shift hours per worker and care minutes.
//
//	go run ./examples/agency
//	go run ./examples/agency -visits 1000 -seed 7   # a generated agency instead
//	go run ./examples/agency -visits 1000 -cover-peaks
//	go run ./examples/agency -people 200 -cover-peaks  # 200 people on synth.DefaultMix
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // the agency's time zone works without system zoneinfo

	"github.com/carecoord/care"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "agency:", err)
		os.Exit(1)
	}
}

// run loads (or, with -visits, generates) an agency and writes its summary to w.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("agency", flag.ContinueOnError)
	fs.SetOutput(w)
	visits := fs.Int("visits", 0, "generate an agency with this many visits a day instead of loading the sample")
	people := fs.Int("people", 0, "generate an agency of this many people on the default package mix instead of loading the sample")
	seed := fs.Uint64("seed", 1, "seed of the generated agency (with -visits or -people)")
	days := fs.Int("days", 7, "days of the generated agency (with -visits or -people)")
	peaks := fs.Bool("cover-peaks", false, "size the generated agency's staff for its busiest runs (with -visits or -people)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var p *schedule.Problem
	var err error
	if *visits > 0 || *people > 0 {
		p, err = synth.Generate(synth.Config{Seed: *seed, VisitsPerDay: *visits, People: *people, Days: *days, CoverPeaks: *peaks})
	} else {
		p, err = synth.Sample()
	}
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("agency %q is invalid: %w", p.Name, err)
	}
	return summarise(w, p)
}

func summarise(out io.Writer, p *schedule.Problem) error {
	loc, err := p.Loc()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	pr := func(format string, args ...any) { fmt.Fprintf(tw, format+"\n", args...) }

	pr("agency: %s", p.Name)
	pr("horizon: %s to %s (%s)", p.Start.In(loc).Format("Mon 2 Jan 2006"), p.End.In(loc).Add(-time.Minute).Format("Mon 2 Jan 2006"), p.TimeZone)
	pr("people: %d", len(p.ServiceUsers))
	double, careMin, carerMin := 0, 0.0, 0.0
	for _, v := range p.Visits {
		if v.CarersNeeded() == 2 {
			double++
		}
		careMin += v.Duration.Std().Minutes()
		carerMin += float64(v.CarersNeeded()) * v.Duration.Std().Minutes()
	}
	pr("visits: %d", len(p.Visits))
	share := 0.0
	if len(p.Visits) > 0 {
		share = 100 * float64(double) / float64(len(p.Visits))
	}
	pr("double-handed: %d (%.1f%%)", double, share)
	pr("care minutes: %.0f (%.0f carer-minutes counting both carers of double-handed visits)", careMin, carerMin)

	pr("\nvisits per day\tvisits\tdouble-handed\tcarer-minutes")
	for day := p.Start.In(loc); day.Before(p.End); day = day.AddDate(0, 0, 1) {
		next := day.AddDate(0, 0, 1)
		n, d, m := 0, 0, 0.0
		for _, v := range p.Visits {
			if e := v.Windows[0].Earliest; !e.Before(day) && e.Before(next) {
				n++
				if v.CarersNeeded() == 2 {
					d++
				}
				m += float64(v.CarersNeeded()) * v.Duration.Std().Minutes()
			}
		}
		pr("day %s\t%d\t%d\t%.0f", day.Format("Mon 02 Jan"), n, d, m)
	}

	pr("\nvisits per kind\tvisits\tminutes")
	for _, k := range schedule.VisitKinds() {
		n, m := 0, 0.0
		for _, v := range p.Visits {
			if v.Kind == k {
				n++
				m += v.Duration.Std().Minutes()
			}
		}
		if n > 0 {
			pr("kind %s\t%d\t%.0f", k, n, m)
		}
	}

	pr("\nworkers: %d", len(p.Workers))
	for _, r := range care.Roles() {
		if n := countWorkers(p, func(w *care.Worker) bool { return w.Role == r }); n > 0 {
			pr("role %s\t%d", r, n)
		}
	}
	for _, m := range []care.TravelMode{care.Car, care.Walk, care.Cycle, care.PublicTransport} {
		if n := countWorkers(p, func(w *care.Worker) bool { return w.TravelMode == m }); n > 0 {
			pr("travel %s\t%d", m, n)
		}
	}

	pr("\nshift hours per worker\trole\tshifts\thours")
	hours := map[care.WorkerID]float64{}
	shifts := map[care.WorkerID]int{}
	for _, s := range p.Shifts {
		hours[s.Worker] += s.End.Sub(s.Start).Hours()
		shifts[s.Worker]++
	}
	total := 0.0
	var all []float64
	for _, w := range p.Workers {
		pr("worker %s\t%s\t%d\t%.1f", w.ID, w.Role, shifts[w.ID], hours[w.ID])
		total += hours[w.ID]
		all = append(all, hours[w.ID])
	}
	if len(all) > 0 {
		slices.Sort(all)
		pr("shift hours: total %.1f, least %.1f, median %.1f, most %.1f", total, all[0], all[len(all)/2], all[len(all)-1])
	}
	if total > 0 {
		pr("care share of shift time: %.0f%% (carer-minutes / shift minutes, before travel)", 100*carerMin/(60*total))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

func countWorkers(p *schedule.Problem, f func(*care.Worker) bool) int {
	n := 0
	for i := range p.Workers {
		if f(&p.Workers[i]) {
			n++
		}
	}
	return n
}
