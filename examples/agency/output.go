package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/carecoord/care/compliance"
	"github.com/carecoord/care/examples/agency/week"
	"github.com/carecoord/care/schedule"
	"github.com/carecoord/care/schedule/export"
	"github.com/carecoord/care/schedule/plot"
)

// bundle is a FHIR R4 Bundle of type collection.
type bundle struct {
	ResourceType string  `json:"resourceType"`
	Type         string  `json:"type"`
	Entry        []entry `json:"entry"`
}

type entry struct {
	Resource any `json:"resource"`
}

// writeOutputs writes the week's files into dir and returns their paths.
func writeOutputs(dir string, wk *week.Week, r *schedule.Rota, fs []compliance.Finding, po plot.Options) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "calendars"), 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	p := wk.Problem
	var files []string
	write := func(name string, fill func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := fill(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, path)
		return nil
	}
	jsonOf := func(v any) func(io.Writer) error {
		return func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(v)
		}
	}
	xo := export.Options{}
	steps := []struct {
		name string
		fill func(io.Writer) error
	}{
		{"problem.json", jsonOf(p)},
		{"rota.json", jsonOf(r)},
		{"rota.geojson", func(w io.Writer) error { return export.WriteGeoJSON(w, p, r, xo) }},
		{"visits.csv", func(w io.Writer) error { return export.WriteCSV(w, p, r, xo) }},
		{"findings.csv", func(w io.Writer) error { rep := compliance.NewReport(fs); return rep.WriteCSV(w) }},
	}
	for _, s := range steps {
		if err := write(s.name, s.fill); err != nil {
			return files, err
		}
	}

	days, err := plot.Days(p, r, plot.Options{})
	if err != nil {
		return files, fmt.Errorf("pictures: %w", err)
	}
	if len(days) > 0 {
		day := days[0]
		if err := write("routes.png", func(w io.Writer) error { return plot.RouteMap(w, p, r, day, po) }); err != nil {
			return files, err
		}
		if err := write("gantt.png", func(w io.Writer) error { return plot.Gantt(w, p, r, day, po) }); err != nil {
			return files, err
		}
	}

	for _, id := range export.Workers(r) {
		if err := write(filepath.Join("calendars", string(id)+".ics"), func(w io.Writer) error {
			return export.WriteCalendar(w, p, r, id, xo)
		}); err != nil {
			return files, err
		}
	}

	plans := bundle{ResourceType: "Bundle", Type: "collection"}
	consents := bundle{ResourceType: "Bundle", Type: "collection"}
	for _, per := range wk.People {
		cp, err := per.Plan.FHIRCarePlan()
		if err != nil {
			return files, fmt.Errorf("plan %q: FHIR: %w", per.Plan.ID, err)
		}
		plans.Entry = append(plans.Entry, entry{cp})
		cs, err := per.Plan.FHIRConsents()
		if err != nil {
			return files, fmt.Errorf("plan %q: FHIR consents: %w", per.Plan.ID, err)
		}
		for _, c := range cs {
			consents.Entry = append(consents.Entry, entry{c})
		}
	}
	if err := write("fhir-careplans.json", jsonOf(plans)); err != nil {
		return files, err
	}
	if err := write("fhir-consents.json", jsonOf(consents)); err != nil {
		return files, err
	}
	return files, nil
}
