package badinput

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFiles(t *testing.T) {
	got := Files(t, "assessment-*.json")
	names, err := filepath.Glob(filepath.Join("..", "..", "testdata", "bad", "assessment-*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	require.Len(t, got, len(names))
	for i, n := range names {
		want, err := os.ReadFile(n)
		require.NoError(t, err)
		assert.Equal(t, want, got[i], n)
	}
	assert.Less(t, len(Files(t, "assessment-missing-id.json")), len(got), "a narrower pattern reads fewer files")
}
