// Package badinput gives fuzz tests the files of the bad-input catalogue,
// testdata/bad at the module root (documented in badinput_test.go there), as
// seeds.
package badinput

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/carecoord/care/internal/benchdata"
	"github.com/stretchr/testify/require"
)

// Files returns the contents of the catalogue files whose names match the
// glob pattern (e.g. "*assessment*.json"), in name order. It fails tb when
// the module root or a matching file cannot be read, or when none matches.
func Files(tb testing.TB, pattern string) [][]byte {
	tb.Helper()
	wd, err := os.Getwd()
	require.NoError(tb, err)
	root, err := benchdata.ModuleRoot(wd)
	require.NoError(tb, err)
	names, err := filepath.Glob(filepath.Join(root, "testdata", "bad", pattern))
	require.NoError(tb, err)
	require.NotEmpty(tb, names, "no file of testdata/bad matches %q", pattern)
	out := make([][]byte, 0, len(names))
	for _, n := range names {
		b, err := os.ReadFile(n)
		require.NoError(tb, err)
		out = append(out, b)
	}
	return out
}
