package synth

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/carecoord/care/schedule"
)

//go:generate go run ./internal/gensample -o sample/week.json

//go:embed sample/week.json
var sampleJSON []byte

// SampleConfig returns the configuration of the embedded sample agency: one
// week from Monday 23 March 2026 in Reading, 60 people on DefaultMix, seed 1,
// care staff sized with CoverPeaks so that on every day each run's care and
// estimated travel fill at most PeakUtilisation of the minutes of the staff on
// duty in it. It gives 399 visits (about 57 a day, 19% double-handed) and 14
// workers: 11 care workers and senior carers, and one nurse, one chiropodist
// and one volunteer befriender, each available every weekday.
func SampleConfig() Config {
	return Config{Seed: 1, People: 60, Days: 7, Start: DefaultStart(), Town: Reading(), CoverPeaks: true}
}

// Sample decodes and returns the embedded sample agency (sample/week.json),
// a one-week problem made by Generate(SampleConfig()). Each call returns a
// fresh copy that the caller may change.
func Sample() (*schedule.Problem, error) {
	p, err := schedule.Decode(bytes.NewReader(sampleJSON))
	if err != nil {
		return nil, fmt.Errorf("synth: sample agency: %w", err)
	}
	return p, nil
}

// SampleJSON returns a copy of the embedded sample agency's JSON.
func SampleJSON() []byte { return bytes.Clone(sampleJSON) }

// Encode returns p as the compact JSON, ending in a newline, in which the
// sample agency is stored.
func Encode(p *schedule.Problem) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("synth: encode problem: %w", err)
	}
	return append(b, '\n'), nil
}
