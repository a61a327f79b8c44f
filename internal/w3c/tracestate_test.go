package w3c

import (
	"fmt"
	"strings"
	"testing"
)

// allKeyChars and allValueChars are the W3C test suite's "all allowed
// characters" key and value (test_tracestate_all_allowed_characters).
var (
	allKeyChars   = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
	allValueChars = func() string {
		var b strings.Builder
		for c := 0x20; c <= 0x7e; c++ {
			if c != ',' && c != '=' {
				b.WriteByte(byte(c))
			}
		}
		return b.String()
	}()
)

// bytes512 is a tracestate of exactly MaxTraceStateBytes bytes.
var bytes512 = "a=" + strings.Repeat("v", 254) + ",b=" + strings.Repeat("v", 253)

// members returns n members barNN=NN starting at from, joined by commas.
func members(from, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("bar%02d=%02d", from+i, from+i)
	}
	return strings.Join(parts, ",")
}

// TestParseTraceState covers the tracestate cases of the W3C Trace Context
// test suite (TraceContextTest.test_tracestate_*) and the size limits. want is
// the canonical result; invalid marks a dropped tracestate.
func TestParseTraceState(t *testing.T) {
	if len(bytes512) != MaxTraceStateBytes {
		t.Fatalf("len(bytes512) = %d", len(bytes512))
	}
	tests := []struct {
		name    string
		in      []string
		want    string
		invalid bool
	}{
		{name: "no header", in: nil, want: ""},
		{name: "empty header", in: []string{""}, want: ""},
		{name: "single", in: []string{"foo=1"}, want: "foo=1"},
		{name: "two members", in: []string{"foo=1,bar=2"}, want: "foo=1,bar=2"},
		{name: "empty then foo", in: []string{"", "foo=1"}, want: "foo=1"},
		{name: "foo then empty", in: []string{"foo=1", ""}, want: "foo=1"},
		{name: "multiple headers combined in order", in: []string{"foo=1,bar=2", "rojo=1,congo=2", "baz=3"}, want: "foo=1,bar=2,rojo=1,congo=2,baz=3"},
		{name: "duplicated key in one header", in: []string{"foo=1,foo=1"}, invalid: true},
		{name: "duplicated key different values", in: []string{"foo=1,foo=2"}, invalid: true},
		{name: "duplicated key across headers", in: []string{"foo=1", "foo=1"}, invalid: true},
		{name: "duplicated key across headers different values", in: []string{"foo=1", "foo=2"}, invalid: true},
		{name: "all allowed characters", in: []string{allKeyChars + "=" + allValueChars}, want: allKeyChars + "=" + allValueChars},
		{name: "all allowed characters with vendor", in: []string{allKeyChars + "@a-z0-9_-*/=" + allValueChars}, want: allKeyChars + "@a-z0-9_-*/=" + allValueChars},
		{name: "OWS around commas", in: []string{"foo=1 \t , \t bar=2, \t baz=3"}, want: "foo=1,bar=2,baz=3"},
		{name: "OWS tabs and spaces", in: []string{"foo=1\t \t,\t \tbar=2,\t \tbaz=3"}, want: "foo=1,bar=2,baz=3"},
		{name: "OWS leading space", in: []string{" foo=1"}, want: "foo=1"},
		{name: "OWS leading tab", in: []string{"\tfoo=1"}, want: "foo=1"},
		{name: "OWS trailing space", in: []string{"foo=1 "}, want: "foo=1"},
		{name: "OWS trailing tab", in: []string{"foo=1\t"}, want: "foo=1"},
		{name: "OWS both", in: []string{"\t foo=1 \t"}, want: "foo=1"},
		{name: "empty members", in: []string{"foo=1,,  ,\t,bar=2,"}, want: "foo=1,bar=2"},
		{name: "value with leading space", in: []string{"foo= 1"}, want: "foo= 1"},
		{name: "key with trailing space", in: []string{"foo =1"}, invalid: true},
		{name: "key uppercase", in: []string{"FOO=1"}, invalid: true},
		{name: "key with dot", in: []string{"foo.bar=1"}, invalid: true},
		{name: "key starting with digit", in: []string{"1foo=1"}, invalid: true},
		{name: "vendor empty system", in: []string{"foo@=1,bar=2"}, invalid: true},
		{name: "vendor empty tenant", in: []string{"@foo=1,bar=2"}, invalid: true},
		{name: "vendor double at", in: []string{"foo@@bar=1,bar=2"}, invalid: true},
		{name: "vendor two ats", in: []string{"foo@bar@baz=1,bar=2"}, invalid: true},
		{name: "tenant starting with digit", in: []string{"1tenant@sys=1"}, want: "1tenant@sys=1"},
		{name: "system starting with digit", in: []string{"tenant@1sys=1"}, invalid: true},
		{name: "key 256 chars", in: []string{"foo=1", strings.Repeat("z", 256) + "=1"}, want: "foo=1," + strings.Repeat("z", 256) + "=1"},
		{name: "key 257 chars", in: []string{"foo=1", strings.Repeat("z", 257) + "=1"}, invalid: true},
		{name: "tenant 241 system 14", in: []string{"foo=1", strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1"}, want: "foo=1," + strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1"},
		{name: "tenant 242", in: []string{"foo=1", strings.Repeat("t", 242) + "@v=1"}, invalid: true},
		{name: "system 15", in: []string{"foo=1", "t@" + strings.Repeat("v", 15) + "=1"}, invalid: true},
		{name: "value with equals", in: []string{"foo=bar=baz"}, invalid: true},
		{name: "empty value", in: []string{"foo=,bar=3"}, invalid: true},
		{name: "no equals", in: []string{"foo"}, invalid: true},
		{name: "value 256 chars", in: []string{"foo=" + strings.Repeat("v", 256)}, want: "foo=" + strings.Repeat("v", 256)},
		{name: "value 257 chars", in: []string{"foo=" + strings.Repeat("v", 257)}, invalid: true},
		{name: "value with tab inside", in: []string{"foo=a\tb"}, invalid: true},
		{name: "value with newline", in: []string{"foo=a\nb"}, invalid: true},
		{name: "value non-ASCII", in: []string{"foo=caf\xc3\xa9"}, invalid: true},
		{name: "32 members across headers", in: []string{members(1, 10), members(11, 10), members(21, 10), members(31, 2)}, want: members(1, 32)},
		{name: "33 members across headers", in: []string{members(1, 10), members(11, 10), members(21, 10), members(31, 3)}, invalid: true},
		{name: "512 bytes", in: []string{bytes512}, want: bytes512},
		{name: "513 bytes", in: []string{bytes512 + "v"}, invalid: true},
		{name: "512 bytes with OWS", in: []string{"a=" + strings.Repeat("v", 254) + " , ", " b=" + strings.Repeat("v", 253) + " "}, want: bytes512},
		{name: "raw size bound", in: []string{"foo=1" + strings.Repeat(",", maxTraceStateRaw)}, invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, ok := ParseTraceState(tt.in)
			if ok == tt.invalid {
				t.Fatalf("ParseTraceState(%q) ok = %v, want %v", tt.in, ok, !tt.invalid)
			}
			if got := ts.String(); got != tt.want {
				t.Errorf("ParseTraceState(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidTraceStateKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"a", true},
		{"a1_-*/", true},
		{"0a", false},
		{"", false},
		{"a@b", true},
		{"0@b", true},
		{"a@0", false},
		{"a@", false},
		{"@a", false},
		{"A", false},
		{"a b", false},
		{"a\x00", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.key), func(t *testing.T) {
			if got := ValidTraceStateKey(tt.key); got != tt.want {
				t.Errorf("ValidTraceStateKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}
