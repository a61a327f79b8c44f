package metrics

import (
	"fmt"
	"strings"
)

// Limits of names and tags.
const (
	// MaxNameLength is the longest metric name accepted (the OpenTelemetry instrument-name rule).
	MaxNameLength = 255
	// MaxTagKeyLength is the longest tag key accepted.
	MaxTagKeyLength = 255
	// MaxTagValueLength is the longest tag value accepted.
	MaxTagValueLength = 1024
	// SanitizedMaxLength is the longest value [Sanitize] returns, in bytes.
	SanitizedMaxLength = 256
	// Unspecified is what [Sanitize] returns for a value with no ASCII letter or digit.
	Unspecified = "unspecified"
)

// allowed reports whether b may appear in a metric name or a tag: ASCII letters, digits and "._-/".
func allowed(b byte) bool {
	return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || ('0' <= b && b <= '9') ||
		b == '.' || b == '_' || b == '-' || b == '/'
}

func isLetter(b byte) bool { return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }

func isAlnum(b byte) bool { return isLetter(b) || ('0' <= b && b <= '9') }

// badChar returns the index of the first byte of s that is not allowed, or -1.
func badChar(s string) int {
	for i := 0; i < len(s); i++ {
		if !allowed(s[i]) {
			return i
		}
	}
	return -1
}

// ValidateName checks a metric name: non-empty, starting with an ASCII letter, made of ASCII letters,
// digits and "._-/", and at most [MaxNameLength] characters. The error wraps [ErrInvalidName] and quotes
// the name.
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: name is empty", ErrInvalidName)
	case len(name) > MaxNameLength:
		return fmt.Errorf("%w %s: longer than %d characters", ErrInvalidName, quote(name), MaxNameLength)
	case !isLetter(name[0]):
		return fmt.Errorf("%w %s: must start with an ASCII letter", ErrInvalidName, quote(name))
	}
	if i := badChar(name); i >= 0 {
		return fmt.Errorf("%w %s: character %q at byte %d is not an ASCII letter, digit or one of ._-/",
			ErrInvalidName, quote(name), name[i], i)
	}
	return nil
}

// ValidateTag checks a tag: key and value non-empty, made of ASCII letters, digits and "._-/", the key
// at most [MaxTagKeyLength] and the value at most [MaxTagValueLength] characters. The error wraps
// [ErrInvalidTag] and quotes the key (and the value, when the value is at fault).
func ValidateTag(t Tag) error {
	switch {
	case t.Key == "":
		return fmt.Errorf("%w: tag key is empty (value %s)", ErrInvalidTag, quote(t.Value))
	case len(t.Key) > MaxTagKeyLength:
		return fmt.Errorf("%w: tag key %s is longer than %d characters", ErrInvalidTag, quote(t.Key), MaxTagKeyLength)
	}
	if i := badChar(t.Key); i >= 0 {
		return fmt.Errorf("%w: tag key %s: character %q at byte %d is not an ASCII letter, digit or one of ._-/",
			ErrInvalidTag, quote(t.Key), t.Key[i], i)
	}
	switch {
	case t.Value == "":
		return fmt.Errorf("%w: tag value for key %s is empty", ErrInvalidTag, quote(t.Key))
	case len(t.Value) > MaxTagValueLength:
		return fmt.Errorf("%w: tag value for key %s is longer than %d characters", ErrInvalidTag, quote(t.Key), MaxTagValueLength)
	}
	if i := badChar(t.Value); i >= 0 {
		return fmt.Errorf("%w: tag value %s for key %s: character %q at byte %d is not an ASCII letter, digit or one of ._-/",
			ErrInvalidTag, quote(t.Value), quote(t.Key), t.Value[i], i)
	}
	return nil
}

// validateTags checks every tag, naming the metric in the error.
func validateTags(name string, tags []Tag) error {
	for _, t := range tags {
		if err := ValidateTag(t); err != nil {
			if name == "" {
				return err
			}
			return fmt.Errorf("%w (metric %s)", err, quote(name))
		}
	}
	return nil
}

// Sanitize maps a free-form string (an originator, a service name, an OS version) to a valid tag value:
//
//  1. every character that is not an ASCII letter, digit or one of "._-/" becomes "_" (one "_" per
//     character, whatever its UTF-8 length; each invalid UTF-8 byte counts as one character);
//  2. leading and trailing "_" are trimmed;
//  3. the result is truncated to [SanitizedMaxLength] bytes, and "_" left at its end trimmed again;
//  4. a result that is empty or has no ASCII letter or digit becomes [Unspecified].
//
// So the result is never empty, never longer than SanitizedMaxLength, never starts or ends with "_", and
// always has an ASCII letter or digit.
func Sanitize(value string) string {
	var b strings.Builder
	b.Grow(len(value))
	for _, r := range value {
		if r < 0x80 && allowed(byte(r)) {
			b.WriteByte(byte(r))
		} else {
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if len(s) > SanitizedMaxLength {
		s = strings.TrimRight(s[:SanitizedMaxLength], "_")
	}
	for i := 0; i < len(s); i++ {
		if isAlnum(s[i]) {
			return s
		}
	}
	return Unspecified
}
