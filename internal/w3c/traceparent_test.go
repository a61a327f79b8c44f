package w3c

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

const (
	specTraceID = "12345678901234567890123456789012"
	specSpanID  = "1234567890123456"
	specTP      = "00-" + specTraceID + "-" + specSpanID + "-01"
)

// TestParseTraceParent covers the traceparent cases of the W3C Trace Context
// test suite (test/test.py, TraceContextTest.test_traceparent_*) plus flags
// and case handling.
func TestParseTraceParent(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		ok    bool
		flags trace.TraceFlags
	}{
		{name: "version 00 sampled", in: specTP, ok: true, flags: trace.FlagsSampled},
		{name: "version 00 not sampled", in: "00-" + specTraceID + "-" + specSpanID + "-00", ok: true},
		{name: "version 00 random and sampled", in: "00-" + specTraceID + "-" + specSpanID + "-03", ok: true, flags: 3},
		{name: "version 00 reserved flag bits ignored", in: "00-" + specTraceID + "-" + specSpanID + "-ff", ok: true, flags: 3},
		{name: "version 00 trailing characters", in: specTP + "."},
		{name: "version 00 extra field", in: specTP + "-what-the-future-will-be-like"},
		{name: "future version cc", in: "cc-" + specTraceID + "-" + specSpanID + "-01", ok: true, flags: trace.FlagsSampled},
		{name: "future version cc extra fields", in: "cc-" + specTraceID + "-" + specSpanID + "-01-what-the-future-will-be-like", ok: true, flags: trace.FlagsSampled},
		{name: "future version cc extra without dash", in: "cc-" + specTraceID + "-" + specSpanID + "-01.what-the-future-will-be-like"},
		{name: "future version fe", in: "fe-" + specTraceID + "-" + specSpanID + "-00", ok: true},
		{name: "version ff", in: "ff-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version illegal first char", in: ".0-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version illegal second char", in: "0.-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version uppercase", in: "CC-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version too long 3", in: "000-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version too long 4", in: "0000-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "version too short", in: "0-" + specTraceID + "-" + specSpanID + "-01"},
		{name: "trace id all zero", in: "00-00000000000000000000000000000000-" + specSpanID + "-01"},
		{name: "trace id illegal first char", in: "00-.2345678901234567890123456789012-" + specSpanID + "-01"},
		{name: "trace id illegal last char", in: "00-1234567890123456789012345678901.-" + specSpanID + "-01"},
		{name: "trace id uppercase", in: "00-ABCDEF78901234567890123456789012-" + specSpanID + "-01"},
		{name: "trace id too long", in: "00-123456789012345678901234567890123-" + specSpanID + "-01"},
		{name: "trace id too short", in: "00-1234567890123456789012345678901-" + specSpanID + "-01"},
		{name: "parent id all zero", in: "00-" + specTraceID + "-0000000000000000-01"},
		{name: "parent id illegal first char", in: "00-" + specTraceID + "-.234567890123456-01"},
		{name: "parent id illegal last char", in: "00-" + specTraceID + "-123456789012345.-01"},
		{name: "parent id uppercase", in: "00-" + specTraceID + "-ABCDEF7890123456-01"},
		{name: "parent id too long", in: "00-" + specTraceID + "-12345678901234567-01"},
		{name: "parent id too short", in: "00-" + specTraceID + "-123456789012345-01"},
		{name: "flags illegal first char", in: "00-" + specTraceID + "-" + specSpanID + "-.0"},
		{name: "flags illegal second char", in: "00-" + specTraceID + "-" + specSpanID + "-0."},
		{name: "flags uppercase", in: "00-" + specTraceID + "-" + specSpanID + "-0A"},
		{name: "flags too long", in: "00-" + specTraceID + "-" + specSpanID + "-001"},
		{name: "flags too short", in: "00-" + specTraceID + "-" + specSpanID + "-1"},
		{name: "OWS leading space", in: " " + specTP, ok: true, flags: 1},
		{name: "OWS leading tab", in: "\t" + specTP, ok: true, flags: 1},
		{name: "OWS trailing space", in: specTP + " ", ok: true, flags: 1},
		{name: "OWS trailing tab", in: specTP + "\t", ok: true, flags: 1},
		{name: "OWS both", in: "\t " + specTP + " \t", ok: true, flags: 1},
		{name: "inner space", in: "00- " + specTraceID[1:] + "-" + specSpanID + "-01"},
		{name: "empty", in: ""},
		{name: "dashes only", in: strings.Repeat("-", 55)},
		{name: "two values joined", in: specTP + "," + specTP},
		{name: "newline", in: specTP + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tid, sid, flags, ok := ParseTraceParent(tt.in)
			if ok != tt.ok {
				t.Fatalf("ParseTraceParent(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := tid.String(); got != specTraceID {
				t.Errorf("trace id = %s, want %s", got, specTraceID)
			}
			if got := sid.String(); got != specSpanID {
				t.Errorf("span id = %s, want %s", got, specSpanID)
			}
			if flags != tt.flags {
				t.Errorf("flags = %02x, want %02x", flags, tt.flags)
			}
		})
	}
}

func TestFormatTraceParent(t *testing.T) {
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	tests := []struct {
		name  string
		sc    trace.SpanContext
		flags trace.TraceFlags
		want  string
	}{
		{name: "invalid", sc: trace.SpanContext{}, want: ""},
		{name: "sampled", flags: trace.FlagsSampled, want: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		{name: "not sampled", flags: 0, want: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"},
		{name: "random", flags: trace.FlagsRandom | trace.FlagsSampled, want: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03"},
		{name: "reserved bits cleared", flags: 0xfd, want: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.sc
			if tt.want != "" {
				sc = trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: tt.flags})
			}
			if got := FormatTraceParent(sc); got != tt.want {
				t.Errorf("FormatTraceParent = %q, want %q", got, tt.want)
			}
		})
	}
}
