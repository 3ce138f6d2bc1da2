package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Duration is a length of time that encodes in JSON as a number of seconds,
// e.g. 1800 for half an hour, with a decimal fraction when it has one (a
// travel leg of 754.318 seconds on a planar benchmark). The encoding is exact
// to the nanosecond both ways; ISO 8601 strings such as "PT30M" are rejected
// with an error that says so: one encoding, no ambiguity.
type Duration time.Duration

// Minutes returns d as a Duration of n minutes.
func Minutes(n int) Duration { return Duration(time.Duration(n) * time.Minute) }

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d as time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON encodes d as seconds: a whole number when d is whole seconds,
// otherwise a decimal with as many digits (at most nine) as the nanoseconds
// need, so that decoding gives d back exactly.
func (d Duration) MarshalJSON() ([]byte, error) {
	v := time.Duration(d)
	sign := ""
	if v < 0 {
		sign = "-"
	}
	sec, ns := v/time.Second, v%time.Second
	if sec < 0 {
		sec = -sec
	}
	if ns < 0 {
		ns = -ns
	}
	if ns == 0 {
		return []byte(sign + strconv.FormatInt(int64(sec), 10)), nil
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", int64(ns)), "0")
	return []byte(sign + strconv.FormatInt(int64(sec), 10) + "." + frac), nil
}

// UnmarshalJSON decodes a number of seconds, whole or with a decimal
// fraction down to the nanosecond.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		_ = json.Unmarshal(b, &s)
		return fmt.Errorf("duration must be a whole number of seconds (e.g. 1800) or seconds with a decimal fraction (e.g. 12.5), not the string %q", truncate(s, 40))
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("duration must be a whole number of seconds: %w", err)
	}
	if len(num) > 64 {
		return fmt.Errorf("duration %s seconds is out of range", truncate(string(num), 40))
	}
	if i := strings.IndexAny(string(num), "eE"); i >= 0 {
		// Bound the exponent before big.Rat expands it.
		if e, err := strconv.Atoi(string(num[i+1:])); err != nil || e > 40 || e < -40 {
			return fmt.Errorf("duration %s seconds is out of range", truncate(string(num), 40))
		}
	}
	r, ok := new(big.Rat).SetString(string(num))
	if !ok {
		return fmt.Errorf("duration must be a whole number of seconds, got %s", truncate(string(num), 40))
	}
	r.Mul(r, big.NewRat(int64(time.Second), 1))
	if !r.IsInt() {
		return fmt.Errorf("duration %s seconds is finer than a nanosecond", truncate(string(num), 40))
	}
	n := r.Num()
	if !n.IsInt64() {
		return fmt.Errorf("duration %s seconds is out of range", truncate(string(num), 40))
	}
	*d = Duration(n.Int64())
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
