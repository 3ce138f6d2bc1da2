// Package benchdata locates the shared benchmark data for tests: the folder
// ../shared/bench beside the module root (README.md there), which is never
// copied into the project. A test that needs it calls Dir, which skips the
// test with the path it looked for when the data is absent.
package benchdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// ErrNotFound is returned by Locate when there is no go.mod above the
// starting folder or the benchmark path below ../shared/bench is absent.
var ErrNotFound = errors.New("benchmark data not found")

// Dir returns ../shared/bench/<sub...> relative to the module root (the
// nearest folder holding go.mod above the working directory), and skips tb
// with a message naming the path it looked for when that path is absent.
// With several elements the last may be a file that must exist, e.g.
// Dir(t, "hhcrsp-udine", "results.csv").
func Dir(tb testing.TB, sub ...string) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Skipf("benchmark data: working directory unknown: %v", err)
		return ""
	}
	p, err := Locate(wd, sub...)
	if err != nil {
		tb.Skipf("%v", err)
		return ""
	}
	return p
}

// Locate walks up from start to the folder holding go.mod and returns
// ../shared/bench/<sub...> from there. The error wraps ErrNotFound and names
// the folder or path it looked for.
func Locate(start string, sub ...string) (string, error) {
	root, err := ModuleRoot(start)
	if err != nil {
		return "", err
	}
	p := filepath.Join(append([]string{root, "..", "shared", "bench"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w: %s is absent", ErrNotFound, p)
	}
	return p, nil
}

// ModuleRoot walks up from start to the nearest folder holding go.mod. The
// error wraps ErrNotFound when there is none.
func ModuleRoot(start string) (string, error) {
	root, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("%w: start %s: %w", ErrNotFound, start, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", fmt.Errorf("%w: no go.mod above %s", ErrNotFound, start)
		}
		root = parent
	}
}
