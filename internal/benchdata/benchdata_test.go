package benchdata

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layout makes <tmp>/mod/go.mod, <tmp>/mod/a/b and
// <tmp>/shared/bench/solomon/bks.csv, and returns <tmp>.
func layout(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "mod", "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(tmp, "mod", "go.mod"), []byte("module x\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "shared", "bench", "solomon"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(tmp, "shared", "bench", "solomon", "bks.csv"), nil, 0o644))
	return tmp
}

func TestLocate(t *testing.T) {
	tmp := layout(t)
	want := filepath.Join(tmp, "shared", "bench", "solomon")
	for _, start := range []string{filepath.Join(tmp, "mod"), filepath.Join(tmp, "mod", "a", "b")} {
		got, err := Locate(start, "solomon")
		require.NoError(t, err, start)
		assert.Equal(t, want, got, "from %s", start)
	}
	got, err := Locate(filepath.Join(tmp, "mod", "a"), "solomon", "bks.csv")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(want, "bks.csv"), got)
	got, err = Locate(filepath.Join(tmp, "mod"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(tmp, "shared", "bench"), got, "no sub: the bench folder itself")
}

func TestModuleRoot(t *testing.T) {
	tmp := layout(t)
	got, err := ModuleRoot(filepath.Join(tmp, "mod", "a", "b"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(tmp, "mod"), got)
}

func TestLocateAbsent(t *testing.T) {
	tmp := layout(t)
	_, err := Locate(filepath.Join(tmp, "mod", "a"), "hhcrsp-udine")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), filepath.Join(tmp, "shared", "bench", "hhcrsp-udine"), "names the path looked for")

	_, err = Locate(filepath.Join(tmp, "mod"), "solomon", "c101.txt")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), filepath.Join("solomon", "c101.txt"))

	// No go.mod above: the shared folder alone is not enough.
	if _, err := Locate(filepath.Dir(tmp)); err == nil {
		t.Skip("a go.mod lies above the temporary folder")
	}
	_, err = Locate(filepath.Join(tmp, "shared"), "solomon")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "no go.mod above "+filepath.Join(tmp, "shared"))
}

// skipRecorder is a testing.TB whose Skipf records the message and returns.
type skipRecorder struct {
	testing.TB
	skipped string
}

func (r *skipRecorder) Helper() {}

func (r *skipRecorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }

func TestDirSkipsNamingThePath(t *testing.T) {
	tmp := layout(t)
	t.Chdir(filepath.Join(tmp, "mod", "a", "b"))

	rec := &skipRecorder{TB: t}
	assert.Equal(t, filepath.Join(tmp, "shared", "bench", "solomon"), Dir(rec, "solomon"))
	assert.Empty(t, rec.skipped, "present: no skip")

	rec = &skipRecorder{TB: t}
	assert.Empty(t, Dir(rec, "no-such-set"))
	assert.Contains(t, rec.skipped, filepath.Join(tmp, "shared", "bench", "no-such-set"))
	assert.Contains(t, rec.skipped, "benchmark data not found")
}

func TestDirInThisModule(t *testing.T) {
	d := Dir(t, "solomon", "bks.csv") // skips when the shared data is absent
	assert.Equal(t, "bks.csv", filepath.Base(d))
	assert.Equal(t, "bench", filepath.Base(filepath.Dir(filepath.Dir(d))))
}
