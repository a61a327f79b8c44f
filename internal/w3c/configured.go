package w3c

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalidTraceState is wrapped by every error [ValidateConfigured] returns.
var ErrInvalidTraceState = errors.New("invalid configured tracestate")

// maxConfiguredFields bounds the fields of one configured member: a valid
// member value is at most 256 characters and each field takes at least two
// ("k:"), plus a separator.
const maxConfiguredFields = maxTraceStateValue/2 + 1

// confField is one configured `key:value` field.
type confField struct {
	key, value string
}

// confMember is one configured tracestate member with its cached encoding.
type confMember struct {
	key     string
	fields  []confField // sorted by key
	encoded string      // fields joined as k:v;k2:v2
}

// configured is the validated, pre-encoded configured tracestate.
type configured struct {
	members []confMember // sorted by key
	header  string       // every member, encoded and joined by ','
}

// isFieldKeyChar reports whether c may appear in a configured field key:
// printable ASCII without space (0x21–0x7E) except ':' ';' ',' '='.
func isFieldKeyChar(c byte) bool {
	return c >= 0x21 && c <= 0x7e && c != ':' && c != ';' && c != ',' && c != '='
}

// isFieldValueChar reports whether c may appear in a configured field value:
// printable ASCII (0x20–0x7E) except ',' '=' ';'.
func isFieldValueChar(c byte) bool {
	return c >= 0x20 && c <= 0x7e && c != ',' && c != '=' && c != ';'
}

// describeByte names a byte for an error message without echoing the value.
func describeByte(c byte) string {
	if c >= 0x21 && c <= 0x7e {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("0x%02x", c)
}

// validateMember checks one configured member and returns its encoding.
func validateMember(key string, fields map[string]string) (confMember, error) {
	if !ValidTraceStateKey(key) {
		return confMember{}, fmt.Errorf("%w member key %q: want a W3C tracestate key "+
			"(lowercase letter, then up to 255 of a-z 0-9 _ - * /, or tenant@system)", ErrInvalidTraceState, key)
	}
	if len(fields) == 0 {
		return confMember{}, fmt.Errorf("%w value for member %q: no fields (a tracestate value cannot be empty)",
			ErrInvalidTraceState, key)
	}
	m := confMember{key: key, fields: make([]confField, 0, len(fields))}
	for fk, fv := range fields {
		m.fields = append(m.fields, confField{key: fk, value: fv})
	}
	slices.SortFunc(m.fields, func(a, b confField) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	for i, f := range m.fields {
		if f.key == "" {
			return confMember{}, fmt.Errorf("%w field key for member %q: empty", ErrInvalidTraceState, key)
		}
		for j := 0; j < len(f.key); j++ {
			if !isFieldKeyChar(f.key[j]) {
				return confMember{}, fmt.Errorf("%w field key for member %q field %q: byte %s is not allowed "+
					"(printable ASCII except space ':' ';' ',' '=')", ErrInvalidTraceState, key, f.key, describeByte(f.key[j]))
			}
		}
		for j := 0; j < len(f.value); j++ {
			if !isFieldValueChar(f.value[j]) {
				return confMember{}, fmt.Errorf("%w value for member %q field %q: byte %s at offset %d is not allowed "+
					"(printable ASCII except ',' ';' '=')", ErrInvalidTraceState, key, f.key, describeByte(f.value[j]), j)
			}
		}
		if strings.HasSuffix(f.value, " ") {
			return confMember{}, fmt.Errorf("%w value for member %q field %q: trailing space", ErrInvalidTraceState, key, f.key)
		}
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(f.key)
		b.WriteByte(':')
		b.WriteString(f.value)
	}
	m.encoded = b.String()
	if !ValidTraceStateValue(m.encoded) {
		return confMember{}, fmt.Errorf("%w value for member %q: encoded length %d exceeds %d",
			ErrInvalidTraceState, key, len(m.encoded), maxTraceStateValue)
	}
	return m, nil
}

// ValidateConfigured checks configured tracestate members (member key → field
// key → value): the W3C member key grammar, field keys (non-empty, printable
// ASCII 0x21–0x7E except ':' ';' ',' '='), field values (0x20–0x7E except
// ',' '=' ';', no trailing space), each encoded member value `k:v;k2:v2` being
// a valid W3C value (1 to 256 characters), at most [MaxTraceStateMembers]
// members, and the whole encoded tracestate fitting in [MaxTraceStateBytes] so
// that receivers keep it. Members are checked in key order and the first
// problem is returned, wrapping [ErrInvalidTraceState] and naming the member
// and field, for example:
//
//	invalid configured tracestate value for member "example" field "alpha": byte 0x0a at offset 3 is not allowed (...)
//
// Values are never echoed. A nil or empty map is valid.
func ValidateConfigured(members map[string]map[string]string) error {
	_, err := buildConfigured(members)
	return err
}

// buildConfigured validates and encodes the configured members.
func buildConfigured(members map[string]map[string]string) (configured, error) {
	if len(members) == 0 {
		return configured{}, nil
	}
	if len(members) > MaxTraceStateMembers {
		return configured{}, fmt.Errorf("%w: %d members, at most %d", ErrInvalidTraceState, len(members), MaxTraceStateMembers)
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	c := configured{members: make([]confMember, 0, len(keys))}
	var b strings.Builder
	for i, k := range keys {
		m, err := validateMember(k, members[k])
		if err != nil {
			return configured{}, err
		}
		c.members = append(c.members, m)
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m.key)
		b.WriteByte('=')
		b.WriteString(m.encoded)
	}
	c.header = b.String()
	if len(c.header) > MaxTraceStateBytes {
		return configured{}, fmt.Errorf("%w: encoded tracestate is %d bytes, at most %d",
			ErrInvalidTraceState, len(c.header), MaxTraceStateBytes)
	}
	return c, nil
}

// lenientConfigured builds what it can from members that were not validated:
// invalid members are skipped, and members are dropped from the end (in key
// order) until the limits hold. It never fails.
func lenientConfigured(members map[string]map[string]string) configured {
	if c, err := buildConfigured(members); err == nil {
		return c
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var c configured
	for _, k := range keys {
		m, err := validateMember(k, members[k])
		if err != nil {
			continue
		}
		extra := len(m.key) + 1 + len(m.encoded)
		if len(c.members) > 0 {
			extra++
		}
		if len(c.members) == MaxTraceStateMembers || len(c.header)+extra > MaxTraceStateBytes {
			break
		}
		if len(c.members) > 0 {
			c.header += ","
		}
		c.header += m.key + "=" + m.encoded
		c.members = append(c.members, m)
	}
	return c
}

// index returns the position of the configured member key, or -1.
func (c *configured) index(key string) int {
	for i := range c.members {
		if c.members[i].key == key {
			return i
		}
	}
	return -1
}
