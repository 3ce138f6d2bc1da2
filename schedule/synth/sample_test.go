package synth_test

import (
	"bytes"
	"testing"

	"github.com/carecoord/care/schedule/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleIsReproducible(t *testing.T) {
	p, err := synth.Generate(synth.SampleConfig())
	require.NoError(t, err)
	b, err := synth.Encode(p)
	require.NoError(t, err)
	stored := synth.SampleJSON()
	assert.True(t, bytes.Equal(b, stored),
		"sample/week.json differs from Generate(SampleConfig()): run go generate ./schedule/synth")
	assert.Less(t, len(stored), 1<<20, "the sample must stay under 1 MB")
}

func TestSample(t *testing.T) {
	p, err := synth.Sample()
	require.NoError(t, err)
	require.NoError(t, p.Validate())
	assert.InDelta(t, 60, len(p.ServiceUsers), 10, "about 60 people")
	assert.Equal(t, 7, int(p.End.Sub(p.Start).Hours()+1)/24, "one week (23 hours shorter by a day when clocks go forward)")
	// Decoding and encoding again gives the stored bytes.
	b, err := synth.Encode(p)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(b, synth.SampleJSON()))
	// Each call gives a fresh copy.
	p.Visits = nil
	q, err := synth.Sample()
	require.NoError(t, err)
	assert.NotEmpty(t, q.Visits)
}
