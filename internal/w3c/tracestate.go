package w3c

import (
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// Trace Context limits enforced on inbound tracestate. An inbound tracestate
// over either limit is dropped entirely (the traceparent is still used).
const (
	// MaxTraceStateMembers is the most list members a tracestate may have.
	MaxTraceStateMembers = 32
	// MaxTraceStateBytes is the most bytes a combined tracestate may have,
	// counting members and separating commas but not optional white space.
	MaxTraceStateBytes = 512
	// maxTraceStateRaw bounds the work spent on one request's tracestate
	// headers, white space and empty members included.
	maxTraceStateRaw = 8 * MaxTraceStateBytes
	// insertThreshold is the member count up to which a TraceState is built
	// with Insert rather than by the SDK parser (Insert copies the list each
	// time, so it only wins for short lists).
	insertThreshold = 3
	// maxTraceStateValue is the most characters in one member value.
	maxTraceStateValue = 256
)

// tsMember is one tracestate list member; key and value point into the header.
type tsMember struct {
	key, value string
}

// isKeyChar reports whether c may follow the first character of a key:
// lcalpha / DIGIT / "_" / "-" / "*" / "/".
func isKeyChar(c byte) bool {
	return ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '_' || c == '-' || c == '*' || c == '/'
}

// validKeyPart reports whether s is a first character accepted by first and
// then at most maxRest key characters.
func validKeyPart(s string, maxRest int, digitFirst bool) bool {
	if s == "" || len(s)-1 > maxRest {
		return false
	}
	c := s[0]
	if !('a' <= c && c <= 'z') && !(digitFirst && '0' <= c && c <= '9') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isKeyChar(s[i]) {
			return false
		}
	}
	return true
}

// ValidTraceStateKey reports whether key matches the W3C tracestate key
// grammar:
//
//	simple-key       = lcalpha 0*255( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
//	multi-tenant-key = tenant-id "@" system-id
//	tenant-id        = ( lcalpha / DIGIT ) 0*240( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
//	system-id        = lcalpha 0*13( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
func ValidTraceStateKey(key string) bool {
	at := strings.IndexByte(key, '@')
	if at < 0 {
		return validKeyPart(key, 255, false)
	}
	return validKeyPart(key[:at], 240, true) && validKeyPart(key[at+1:], 13, false)
}

// isValueChar reports whether c may appear in a tracestate value:
// printable ASCII (0x20–0x7E) except ',' and '='.
func isValueChar(c byte) bool {
	return c >= 0x20 && c <= 0x7e && c != ',' && c != '='
}

// ValidTraceStateValue reports whether v is a W3C tracestate value: 1 to 256
// printable ASCII characters except ',' and '=', not ending in a space.
func ValidTraceStateValue(v string) bool {
	n := len(v)
	if n == 0 || n > maxTraceStateValue || v[n-1] == ' ' {
		return false
	}
	for i := 0; i < n; i++ {
		if !isValueChar(v[i]) {
			return false
		}
	}
	return true
}

// scanTraceState validates the combined tracestate header values into
// members. It returns the member count and the canonical length (members
// joined by single commas), or ok=false when any member is invalid, a key is
// duplicated, or a limit is exceeded.
func scanTraceState(values []string, members *[MaxTraceStateMembers]tsMember) (n, canonical int, ok bool) {
	raw := 0
	for _, v := range values {
		raw += len(v)
	}
	if raw > maxTraceStateRaw {
		return 0, 0, false
	}
	for _, v := range values {
		for v != "" {
			var m string
			if i := strings.IndexByte(v, ','); i >= 0 {
				m, v = v[:i], v[i+1:]
			} else {
				m, v = v, ""
			}
			// OWS around the comma is not part of the member; empty and
			// white-space-only members are allowed and skipped.
			if m = trimOWS(m); m == "" {
				continue
			}
			eq := strings.IndexByte(m, '=')
			if eq < 0 {
				return 0, 0, false
			}
			key, val := m[:eq], m[eq+1:]
			if !ValidTraceStateKey(key) || !ValidTraceStateValue(val) || n == MaxTraceStateMembers {
				return 0, 0, false
			}
			for i := range n {
				if members[i].key == key {
					return 0, 0, false
				}
			}
			members[n] = tsMember{key: key, value: val}
			if n > 0 {
				canonical++
			}
			canonical += len(m)
			n++
			if canonical > MaxTraceStateBytes {
				return 0, 0, false
			}
		}
	}
	return n, canonical, true
}

// ParseTraceState parses the values of one or more tracestate headers, which
// are combined in order as if joined by commas. It applies the W3C grammar
// (key grammar, value characters, OWS around commas, empty members allowed),
// rejects duplicate keys, and enforces [MaxTraceStateMembers] and
// [MaxTraceStateBytes]. ok is false, and the state empty, when anything is
// invalid or over a limit: the whole tracestate is then to be dropped. No
// values, or only empty members, give an empty state and ok=true.
func ParseTraceState(values []string) (ts trace.TraceState, ok bool) {
	var members [MaxTraceStateMembers]tsMember
	n, canonical, ok := scanTraceState(values, &members)
	if !ok || n == 0 {
		return trace.TraceState{}, ok
	}
	if n <= insertThreshold {
		// Few members: Insert (in reverse, as it prepends) skips the SDK
		// parser's second pass, its map and the canonical string.
		var err error
		for i := n - 1; i >= 0; i-- {
			if ts, err = ts.Insert(members[i].key, members[i].value); err != nil {
				return trace.TraceState{}, false
			}
		}
		return ts, true
	}
	var s string
	if len(values) == 1 && len(values[0]) == canonical {
		s = values[0] // already canonical: no OWS, no empty members
	} else {
		var b strings.Builder
		b.Grow(canonical)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(members[i].key)
			b.WriteByte('=')
			b.WriteString(members[i].value)
		}
		s = b.String()
	}
	// The canonical string satisfies the SDK's (looser) grammar, so this only
	// builds the immutable TraceState; an error would be a bug, handled as drop.
	ts, err := trace.ParseTraceState(s)
	if err != nil {
		return trace.TraceState{}, false
	}
	return ts, true
}
