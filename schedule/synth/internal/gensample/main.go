// Command gensample regenerates the sample agency embedded in package synth:
//
//	go generate ./schedule/synth
//
// It writes Generate(SampleConfig()) as compact JSON to the file named by -o.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/carecoord/care/schedule/synth"
)

func main() {
	out := flag.String("o", "sample/week.json", "file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gensample:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	p, err := synth.Generate(synth.SampleConfig())
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("generated sample is invalid: %w", err)
	}
	b, err := synth.Encode(p)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}
