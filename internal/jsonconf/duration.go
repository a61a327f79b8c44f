// Package jsonconf decodes configuration durations from JSON as Go duration strings ("10s") or integer
// nanoseconds (what encoding/json writes for a time.Duration), for the kit's Config and Settings types.
package jsonconf

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// Error is a bad duration: Key is its JSON key, Reason what is wrong with it. Callers turn it into their
// own configuration error.
type Error struct {
	Key    string
	Reason string
}

// Error implements error.
func (e *Error) Error() string { return e.Key + ": " + e.Reason }

// Duration decodes a JSON duration into the time.Duration it points to.
type Duration struct {
	d   *time.Duration
	key string
}

// Field returns the Duration that decodes the value of JSON key key into d. Use it as a field of the
// shadowing struct that an UnmarshalJSON method decodes into.
func Field(key string, d *time.Duration) *Duration { return &Duration{d: d, key: key} }

// UnmarshalJSON implements json.Unmarshaler. It returns an *Error for a bad value.
func (j *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return &Error{Key: j.key, Reason: `want a duration such as "10s"`}
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return &Error{Key: j.key, Reason: strconv.Quote(cut(s)) + ` is not a duration (want a number and a unit, such as "10s" or "250ms")`}
		}
		*j.d = d
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return &Error{Key: j.key, Reason: `want a duration string such as "10s" or integer nanoseconds`}
	}
	*j.d = time.Duration(n)
	return nil
}

// cut shortens s for an error message.
func cut(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	return string([]rune(s[:max])) + "…"
}
