// Command agency runs a home care agency's week end to end on the embedded
// sample agency (schedule/synth): every person is assessed, care plans are
// drafted from the assessments and agreed, consent is checked (one person's
// plan is held back for a missing consent, and the program says why), the
// week's visits are planned into a rota by routing.Solve with a progress bar,
// the rota is checked by package compliance, and a summary is printed:
// visits planned and unassigned with reasons, care and travel hours per
// worker, distinct carers per person, double-handed visits and findings by
// severity.
//
//	go run ./examples/agency
//	go run ./examples/agency -time 30s -seed 7 -out /tmp/week
//	go run ./examples/agency -input problem.json   # your own agency (schedule JSON)
//	go run ./examples/agency -people 200 -cover-peaks  # a generated agency
//
// The sample agency carries no assessments, contacts or consent records, so
// they are synthesised deterministically from -seed (see package
// examples/agency/week, which also explains what is planned).
//
// Files written to -out (default ./out):
//
//	problem.json        the week's problem as planned (schedule JSON; -input reads it)
//	rota.json           the rota (schedule JSON)
//	rota.geojson        each route as a line, visits and unassigned visits as points
//	routes.png          map of the first planned day's routes, one colour per worker
//	gantt.png           workers × time on that day: visits, travel and waiting
//	calendars/<w>.ics   one iCalendar file per worker with visits (no health details)
//	visits.csv          one row per visit
//	findings.csv        the compliance findings
//	fhir-careplans.json a FHIR R4 Bundle of the care plans
//	fhir-consents.json  a FHIR R4 Bundle of the plans' Consent resources
//
// The progress bar is drawn on standard error only when standard output is a
// terminal.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
	_ "time/tzdata" // the agency's time zone works without system zoneinfo

	"golang.org/x/term"

	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/synth"
)

// DefaultTime is the optimiser's default time limit. The run then takes
// about 7 s on two cores once built; building from a cold cache takes most of
// the first `go run` (about a minute of CPU, mostly gonum/plot and its fonts).
const DefaultTime = 5 * time.Second

// options are the program's settings (its flags).
type options struct {
	Seed    uint64        // seed of the synthesised records and of the optimiser
	Time    time.Duration // optimiser time limit
	Out     string        // output folder
	Input   string        // problem JSON to plan instead of the sample
	Visits  int           // generate an agency with this many visits a day
	People  int           // generate an agency of this many people
	Days    int           // days of a generated agency
	Peaks   bool          // size a generated agency's staff for its busiest runs
	Threads int           // optimiser threads; 0 = all cores
	// Width and Height of the pictures in pixels; 0 = the plot package's defaults.
	Width, Height int
	// Progress receives the progress bar; nil = none.
	Progress io.Writer
}

// errUsage marks bad command-line arguments.
var errUsage = errors.New("usage")

func parseFlags(args []string, w io.Writer) (options, error) {
	o := options{}
	fs := flag.NewFlagSet("agency", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the synthesised assessments and consents and of the optimiser")
	fs.DurationVar(&o.Time, "time", DefaultTime, "optimiser time limit")
	fs.StringVar(&o.Out, "out", "out", "output folder")
	fs.StringVar(&o.Input, "input", "", "plan this problem (schedule JSON) instead of the sample agency")
	fs.IntVar(&o.Visits, "visits", 0, "generate an agency with this many visits a day instead of loading the sample")
	fs.IntVar(&o.People, "people", 0, "generate an agency of this many people on the default package mix")
	fs.IntVar(&o.Days, "days", 7, "days of the generated agency (with -visits or -people)")
	fs.BoolVar(&o.Peaks, "cover-peaks", false, "size the generated agency's staff for its busiest runs")
	fs.IntVar(&o.Threads, "threads", 0, "optimiser threads; 0 = all cores")
	fs.IntVar(&o.Width, "width", 0, "width of the pictures in pixels; 0 = 1200")
	fs.IntVar(&o.Height, "height", 0, "height of the pictures in pixels; 0 = 800")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if o.Time <= 0 {
		return o, fmt.Errorf("%w: -time must be positive, got %s", errUsage, o.Time)
	}
	if o.Width < 0 || o.Height < 0 {
		return o, fmt.Errorf("%w: -width and -height must not be negative", errUsage)
	}
	if o.Input != "" && (o.Visits > 0 || o.People > 0) {
		return o, fmt.Errorf("%w: -input cannot be combined with -visits or -people", errUsage)
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "agency:", err)
		os.Exit(2)
	}
	if isTerminal(os.Stdout) {
		o.Progress = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "agency:", err)
		os.Exit(1)
	}
}

// isTerminal reports whether f is a terminal (not a file, a pipe or /dev/null).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// load returns the problem to plan: -input, a generated agency or the sample.
func load(o options) (*schedule.Problem, error) {
	var p *schedule.Problem
	var err error
	switch {
	case o.Input != "":
		f, err := os.Open(o.Input)
		if err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
		defer f.Close()
		p, err = schedule.Decode(f)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", o.Input, err)
		}
	case o.Visits > 0 || o.People > 0:
		p, err = synth.Generate(synth.Config{Seed: o.Seed, VisitsPerDay: o.Visits, People: o.People, Days: o.Days, CoverPeaks: o.Peaks})
	default:
		p, err = synth.Sample()
	}
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("agency %q is invalid: %w", p.Name, err)
	}
	return p, nil
}
