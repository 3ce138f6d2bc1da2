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
// week from Monday 23 March 2026 in Reading, 170 visits a day (about 60
// people), seed 1, workers sized for the demand.
func SampleConfig() Config {
	return Config{Seed: 1, VisitsPerDay: 170, Days: 7, Start: DefaultStart(), Town: Reading()}
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
