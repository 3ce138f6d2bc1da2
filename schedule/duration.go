package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Duration is a length of time that encodes in JSON as a whole number of
// seconds, e.g. 1800 for half an hour. ISO 8601 strings such as "PT30M" are
// rejected with an error that says so: one encoding, no ambiguity.
type Duration time.Duration

// Minutes returns d as a Duration of n minutes.
func Minutes(n int) Duration { return Duration(time.Duration(n) * time.Minute) }

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d as time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON encodes d as whole seconds. A duration with a fraction of a
// second is an error rather than a silent rounding.
func (d Duration) MarshalJSON() ([]byte, error) {
	if time.Duration(d)%time.Second != 0 {
		return nil, fmt.Errorf("duration %s is not a whole number of seconds", time.Duration(d))
	}
	return []byte(strconv.FormatInt(int64(time.Duration(d)/time.Second), 10)), nil
}

// UnmarshalJSON decodes a whole number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		_ = json.Unmarshal(b, &s)
		return fmt.Errorf("duration must be a whole number of seconds (e.g. 1800), not the string %q", truncate(s, 40))
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("duration must be a whole number of seconds: %w", err)
	}
	if f != math.Trunc(f) {
		return fmt.Errorf("duration must be a whole number of seconds, got %v", f)
	}
	const maxSeconds = float64(math.MaxInt64 / int64(time.Second))
	if math.Abs(f) > maxSeconds {
		return fmt.Errorf("duration %v seconds is out of range", f)
	}
	*d = Duration(time.Duration(f) * time.Second)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
