package w3c

import (
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// merge returns the outgoing tracestate for a span whose state is ts, with the
// configured members merged in:
//
//  1. configured members come first, in key order;
//  2. a configured member that ts already has keeps its other fields: each
//     existing field whose key is configured is replaced in place by the
//     configured value (only the first occurrence is kept), other fields stay
//     where they are, and configured fields not yet present are appended in
//     key order; should the merged value not be a valid W3C value (longer than
//     256 characters, or ending in a space), the configured encoding alone is
//     used for that member;
//  3. the other members of ts follow in their order, as long as the result
//     stays within [MaxTraceStateMembers] members and [MaxTraceStateBytes]
//     bytes (a member that does not fit is left out).
//
// With nothing configured it is ts.String(). "" means no tracestate.
func (c *configured) merge(ts trace.TraceState) string {
	if len(c.members) == 0 {
		return ts.String()
	}
	if ts.Len() == 0 {
		return c.header
	}
	var (
		existing [MaxTraceStateMembers]string // value in ts of configured member i
		others   [MaxTraceStateMembers]tsMember
		nOthers  int
		overlap  bool
	)
	ts.Walk(func(k, v string) bool {
		if i := c.index(k); i >= 0 {
			existing[i] = v
			overlap = true
		} else if nOthers < len(others) {
			others[nOthers] = tsMember{key: k, value: v}
			nOthers++
		}
		return true
	})

	var scratch [MaxTraceStateBytes]byte
	buf := scratch[:0]
	if overlap {
		for i := range c.members {
			m := &c.members[i]
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, m.key...)
			buf = append(buf, '=')
			if existing[i] == "" {
				buf = append(buf, m.encoded...)
				continue
			}
			var ok bool
			if buf, ok = mergeFields(buf, existing[i], m.fields); !ok {
				buf = append(buf, m.encoded...)
			}
		}
		if len(buf) > MaxTraceStateBytes {
			// Merged values grew past the limit: fall back to the encoding.
			buf = append(scratch[:0], c.header...)
		}
	} else {
		buf = append(buf, c.header...)
	}

	members := len(c.members)
	for i := range nOthers {
		if members == MaxTraceStateMembers {
			break
		}
		o := others[i]
		if len(buf)+1+len(o.key)+1+len(o.value) > MaxTraceStateBytes {
			continue
		}
		buf = append(buf, ',')
		buf = append(buf, o.key...)
		buf = append(buf, '=')
		buf = append(buf, o.value...)
		members++
	}
	return string(buf)
}

// mergeFields appends to buf the existing member value with the configured
// fields merged in (see merge), and reports whether the appended value is a
// valid tracestate value. On false it returns buf as it was.
func mergeFields(buf []byte, existing string, fields []confField) ([]byte, bool) {
	start := len(buf)
	var seen [maxConfiguredFields]bool
	for rest := existing; rest != ""; {
		var part string
		if i := strings.IndexByte(rest, ';'); i >= 0 {
			part, rest = rest[:i], rest[i+1:]
		} else {
			part, rest = rest, ""
		}
		if part == "" {
			continue
		}
		fk := part
		if i := strings.IndexByte(part, ':'); i >= 0 {
			fk = part[:i]
		}
		j := fieldIndex(fields, fk)
		switch {
		case j < 0:
			buf = appendSep(buf, start)
			buf = append(buf, part...)
		case seen[j]:
			// A later occurrence of a configured field is dropped.
		default:
			seen[j] = true
			buf = appendField(buf, start, fields[j])
		}
	}
	for j := range fields {
		if !seen[j] {
			buf = appendField(buf, start, fields[j])
		}
	}
	v := buf[start:]
	if len(v) == 0 || len(v) > maxTraceStateValue || v[len(v)-1] == ' ' {
		return buf[:start], false
	}
	return buf, true
}

// appendSep appends the ';' field separator unless the value starting at
// start is still empty.
func appendSep(buf []byte, start int) []byte {
	if len(buf) > start {
		buf = append(buf, ';')
	}
	return buf
}

// appendField appends a separator and the configured field as key:value.
func appendField(buf []byte, start int, f confField) []byte {
	buf = appendSep(buf, start)
	buf = append(buf, f.key...)
	buf = append(buf, ':')
	return append(buf, f.value...)
}

// fieldIndex returns the index of the configured field key, or -1. Members
// have at most maxConfiguredFields fields (validateMember guarantees it).
func fieldIndex(fields []confField, key string) int {
	for i := range fields {
		if fields[i].key == key {
			return i
		}
	}
	return -1
}
