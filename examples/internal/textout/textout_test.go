package textout

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrinter(t *testing.T) {
	var b bytes.Buffer
	p := New(&b)
	p.Linef("a %d", 1)
	p.Section("Rota")
	p.Table("worker\tvisits", []string{"w1\t12", "w10\t3"})
	require.NoError(t, p.Err())
	assert.Equal(t, "a 1\n\n== Rota ==\nworker  visits\nw1      12\nw10     3\n", b.String())
}

// failAfter accepts n writes, then fails every one.
type failAfter struct {
	n      int
	writes int
}

func (f *failAfter) Write(b []byte) (int, error) {
	f.writes++
	if f.writes > f.n {
		return 0, fmt.Errorf("write %d: disk full", f.writes)
	}
	return len(b), nil
}

func TestPrinterKeepsFirstError(t *testing.T) {
	w := &failAfter{n: 1}
	p := New(w)
	p.Linef("ok")
	p.Linef("fails")
	p.Section("not written")
	p.Table("h", []string{"r"})
	require.EqualError(t, p.Err(), "write 2: disk full")
	assert.Equal(t, 2, w.writes, "nothing written after the first error")
}

func TestFirstLine(t *testing.T) {
	assert.Empty(t, FirstLine(nil))
	assert.Equal(t, "one", FirstLine(errors.New("one")))
	assert.Equal(t, "rota breaks hard rules: 2 hard violations", FirstLine(errors.Join(errors.New("rota breaks hard rules: 2 hard violations\nlate: visit \"v1\""))))
}
