package care_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carecoord/care"
	"github.com/stretchr/testify/assert"
)

func TestClip(t *testing.T) {
	assert.Equal(t, "short", care.Clip("short"))
	s := strings.Repeat("x", care.MaxQuoted)
	assert.Equal(t, s, care.Clip(s), "exactly MaxQuoted bytes is kept whole")
	assert.Equal(t, s+"…", care.Clip(s+"y"))
	// Never cut inside a rune: "é" is 2 bytes, so 3 bytes keep one é.
	got := care.ClipN("ééé", 3)
	assert.Equal(t, "é…", got)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, "…", care.ClipN("abc", 0))
	assert.Equal(t, "…", care.ClipN("abc", -1))
}

func TestFieldErrorClipsHugeParts(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	err := care.Invalid("visit", huge, "skills."+huge, "unknown skill %q", huge)
	msg := err.Error()
	assert.Less(t, len(msg), 1000)
	assert.True(t, strings.HasPrefix(msg, `visit "xxx`), msg[:40])
	assert.Contains(t, msg, `…": skills.xxx`)
	assert.True(t, errors.Is(err, care.ErrInvalid))
	var fe *care.FieldError
	assert.True(t, errors.As(err, &fe))
	assert.Len(t, fe.ID, 1<<20, "the error keeps the whole ID for callers; only the message is clipped")
	short := care.Invalid("visit", "v1", "duration", "must be positive")
	assert.Equal(t, `visit "v1": duration: must be positive`, short.Error())
}
