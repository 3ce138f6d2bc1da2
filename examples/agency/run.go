package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/carecoord/care"
	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/examples/agency/week"
	"github.com/carecoord/care/examples/internal/textout"
	"github.com/carecoord/care/routing"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/plot"
)

// run plans the week and writes the summary to stdout and the files to o.Out.
func run(ctx context.Context, o options, stdout io.Writer) error {
	p, err := load(o)
	if err != nil {
		return err
	}
	wk, err := week.Build(p, o.Seed)
	if err != nil {
		return err
	}
	loc, err := wk.Problem.Loc()
	if err != nil {
		return err
	}
	out := textout.New(stdout)
	out.Linef("agency %s: %d people, %d workers, %s to %s (%s)", p.Name, len(p.ServiceUsers), len(p.Workers),
		p.Start.In(loc).Format("Mon 2 Jan 2006"), p.End.In(loc).Add(-time.Minute).Format("Mon 2 Jan 2006"), p.TimeZone)

	out.Section("Assessments and plans")
	tasks, needs := 0, 0
	for _, per := range wk.People {
		tasks += len(per.Plan.Tasks)
		needs += len(per.Plan.Needs)
	}
	out.Linef("assessed: %d people (Barthel Index, Lawton IADL and UCLA loneliness, synthesised from seed %d)", len(wk.People), o.Seed)
	out.Linef("plans drafted: %d (%d needs, %d tasks), agreed and active", len(wk.People), needs, tasks)
	out.Linef("plans that may go live: %d of %d", len(wk.People)-len(wk.HeldBack), len(wk.People))
	for _, id := range wk.HeldBack {
		per, _ := wk.Person(id)
		out.Linef("held back: plan %s of %s (%d visits not planned): %v", per.Plan.ID, id, per.Visits, per.Auth.Err())
	}

	out.Section("Visits for the week")
	out.Linef("visits: %d (%d of them double-handed) for %d people", len(wk.Problem.Visits), countDouble(wk.Problem), len(wk.People)-len(wk.HeldBack))
	out.Linef("the live plans' own patterns expand to %d visits this week (counted only: the agency's commissioned visits are planned)", wk.PlanVisits)

	out.Section("Optimising")
	res, err := solve(ctx, wk.Problem, o)
	if err != nil && (res == nil || res.Rota == nil || res.Report == nil) {
		return err
	}
	out.Linef("solved in %s: %d iterations, %d threads", res.Stats.Elapsed.Round(time.Millisecond), res.Stats.Iterations, res.Stats.Threads)
	// Solve returns a rota that fails its own evaluation together with an
	// error, so that it can be inspected: show it, and say so.
	hard := res.Report.Hard()
	out.Linef("hard violations: %d", len(hard))
	if len(hard) > 0 {
		kinds := map[string]int{}
		for _, v := range hard {
			kinds[string(v.Kind)]++
		}
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			out.Linef("  violation %s: %d", k, kinds[k])
		}
		if err != nil {
			out.Linef("  (Solve returned the rota with an error: %v)", textout.FirstLine(err))
		} else {
			out.Linef("  (found by routing.Evaluate; Solve returned no error)")
		}
	}

	pack := compliance.DefaultPack(compliance.England)
	findings, err := compliance.CheckRota(&pack, compliance.RotaInput{Problem: wk.Problem, Rota: res.Rota, Workers: wk.Workers,
		Equipment: wk.Equipment})
	if err != nil {
		return fmt.Errorf("compliance: %w", err)
	}
	findings = append(findings, wk.PlanFindings...)
	if err := summarise(out, wk.Problem, res.Rota, res.Report, findings); err != nil {
		return err
	}
	files, err := writeOutputs(o.Out, wk, res.Rota, findings, plot.Options{Width: o.Width, Height: o.Height})
	if err != nil {
		return err
	}
	out.Section("Files")
	for _, f := range files {
		out.Linef("%s", f)
	}
	return out.Err()
}

// solve runs routing.Solve with a progress bar on o.Progress.
func solve(ctx context.Context, p *schedule.Problem, o options) (*routing.Result, error) {
	opt := routing.Options{Seed: int64(o.Seed), TimeLimit: o.Time, Threads: o.Threads}
	var bar *progressbar.ProgressBar
	if o.Progress != nil {
		bar = progressbar.NewOptions64(o.Time.Milliseconds(),
			progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionSetDescription("optimising"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionClearOnFinish())
		opt.Progress = func(pr routing.Progress) {
			bar.Describe(fmt.Sprintf("optimising: %d unassigned, %d routes, objective %.0f", pr.Unassigned, pr.Vehicles, pr.Objective))
			_ = bar.Set64(min(pr.Elapsed.Milliseconds(), o.Time.Milliseconds()))
		}
	}
	res, err := routing.Solve(ctx, p, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return res, fmt.Errorf("solve: %w", err)
	}
	return res, nil
}

func countDouble(p *schedule.Problem) int {
	n := 0
	for i := range p.Visits {
		if p.Visits[i].CarersNeeded() == 2 {
			n++
		}
	}
	return n
}

// Figures are the summary's numbers, computed from a rota and its evaluation.
// The test recomputes them from rota.json.
type figures struct {
	Planned, Unassigned     int
	Reasons                 map[schedule.Reason]int
	DoublePlanned, DoubleUn int
	Care, Travel, Wait      map[care.WorkerID]time.Duration
	Visits                  map[care.WorkerID]int
	Carers                  map[care.ServiceUserID]int // distinct carers per person served
}

// compute works the figures out of a rota and its evaluation report.
func compute(p *schedule.Problem, r *schedule.Rota, rep *routing.Report) figures {
	fg := figures{Reasons: map[schedule.Reason]int{}, Care: map[care.WorkerID]time.Duration{},
		Travel: map[care.WorkerID]time.Duration{}, Wait: map[care.WorkerID]time.Duration{},
		Visits: map[care.WorkerID]int{}, Carers: map[care.ServiceUserID]int{}}
	carers := map[care.ServiceUserID]map[care.WorkerID]bool{}
	for _, a := range r.Assignments {
		v, ok := p.Visit(a.Visit)
		if !ok {
			continue
		}
		fg.Planned++
		if v.CarersNeeded() == 2 {
			fg.DoublePlanned++
		}
		if carers[v.ServiceUser] == nil {
			carers[v.ServiceUser] = map[care.WorkerID]bool{}
		}
		for _, w := range a.Workers {
			carers[v.ServiceUser][w] = true
		}
	}
	for su, ws := range carers {
		fg.Carers[su] = len(ws)
	}
	for _, u := range r.Unassigned {
		fg.Unassigned++
		fg.Reasons[u.Reason]++
		if v, ok := p.Visit(u.Visit); ok && v.CarersNeeded() == 2 {
			fg.DoubleUn++
		}
	}
	for _, rr := range rep.Routes {
		if len(rr.Stops) == 0 {
			continue
		}
		fg.Care[rr.Worker] += rr.Service
		fg.Travel[rr.Worker] += rr.Travel
		fg.Wait[rr.Worker] += rr.Wait
		fg.Visits[rr.Worker] += len(rr.Stops)
	}
	return fg
}

// summarise prints the rota's figures and the compliance findings.
func summarise(out *textout.Printer, p *schedule.Problem, r *schedule.Rota, rep *routing.Report, fs []compliance.Finding) error {
	fg := compute(p, r, rep)
	out.Section("Rota")
	out.Linef("visits planned: %d of %d", fg.Planned, fg.Planned+fg.Unassigned)
	out.Linef("visits unassigned: %d", fg.Unassigned)
	example := map[schedule.Reason]schedule.Unassigned{}
	for _, u := range r.Unassigned {
		if _, ok := example[u.Reason]; !ok {
			example[u.Reason] = u
		}
	}
	for _, reason := range schedule.Reasons() {
		if n := fg.Reasons[reason]; n > 0 {
			out.Linef("  reason %s: %d", reason, n)
			if u := example[reason]; u.Detail != "" {
				out.Linef("    e.g. visit %s: %s", u.Visit, u.Detail)
			}
		}
	}
	out.Linef("double-handed visits: %d planned, %d unassigned", fg.DoublePlanned, fg.DoubleUn)

	var rows []string
	var totalCare, totalTravel time.Duration
	for _, w := range p.Workers {
		if fg.Visits[w.ID] == 0 {
			continue
		}
		c, t := fg.Care[w.ID], fg.Travel[w.ID]
		totalCare += c
		totalTravel += t
		share := 0.0
		if c+t > 0 {
			share = 100 * float64(t) / float64(c+t)
		}
		rows = append(rows, fmt.Sprintf("worker %s\t%d\t%.2f\t%.2f\t%.2f\t%.0f%%", w.ID, fg.Visits[w.ID], c.Hours(), t.Hours(), fg.Wait[w.ID].Hours(), share))
	}
	out.Linef("")
	out.Table("hours per worker\tvisits\tcare h\ttravel h\twait h\ttravel share", rows)
	out.Linef("total: care %.2f h, travel %.2f h", totalCare.Hours(), totalTravel.Hours())

	hist := map[int]int{}
	most := 0
	for _, n := range fg.Carers {
		hist[n]++
		most = max(most, n)
	}
	out.Linef("")
	out.Linef("distinct carers per person (people served: %d)", len(fg.Carers))
	for n := 1; n <= most; n++ {
		if hist[n] > 0 {
			out.Linef("  carers %d: %d people", n, hist[n])
		}
	}

	out.Section("Compliance findings")
	d := compliance.Summarise(fs)
	out.Linef("findings: %d", d.Total)
	for _, s := range []compliance.Severity{compliance.Breach, compliance.Warning, compliance.Advisory} {
		out.Linef("  severity %s: %d", s, d.BySeverity[s])
	}
	rules := make([]string, 0, len(d.ByRule))
	for r := range d.ByRule {
		rules = append(rules, string(r))
	}
	slices.Sort(rules)
	for _, r := range rules {
		out.Linef("  rule %s: %d", r, d.ByRule[compliance.RuleID(r)])
	}
	const shown = 8
	for i, f := range fs {
		if i == shown {
			out.Linef("  ... %d more in findings.csv", len(fs)-shown)
			break
		}
		out.Linef("  %s", strings.TrimSpace(f.String()))
	}
	return out.Err()
}
