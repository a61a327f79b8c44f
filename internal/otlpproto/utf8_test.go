package otlpproto

import (
	"bytes"
	"strings"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// invalidSamples are strings with invalid UTF-8 of every kind, with what
// each must become.
var invalidSamples = []struct{ in, want string }{
	{"\xff", "\uFFFD"},
	{"a\xffb", "a\uFFFDb"},
	{"\xff\xfe", "\uFFFD\uFFFD"},
	{"trunc\xc3", "trunc\uFFFD"},                                             // a two-byte sequence cut short
	{"\xe2\x82 euro", "\uFFFD\uFFFD euro"},                                   // a three-byte sequence cut short: two invalid bytes
	{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},                                   // an encoded surrogate
	{"\xf4\x90\x80\x80", strings.Repeat("\uFFFD", 4)},                        // beyond U+10FFFF
	{"\xc0\xaf", "\uFFFD\uFFFD"},                                             // overlong
	{"ok \uFFFD é \xff 😀", "ok \uFFFD é \uFFFD 😀"},                           // a real U+FFFD is kept
	{strings.Repeat("x", 126) + "\xff", strings.Repeat("x", 126) + "\uFFFD"}, // repair crosses a varint boundary
}

func TestRepair(t *testing.T) {
	for _, c := range invalidSamples {
		if got := string(appendRepaired(nil, c.in)); got != c.want {
			t.Errorf("appendRepaired(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := repairedLen(c.in); got != len(c.want) {
			t.Errorf("repairedLen(%q) = %d, want %d", c.in, got, len(c.want))
		}
		if validString(c.in) {
			t.Errorf("validString(%q) = true", c.in)
		}
		if c.want != string([]rune(c.in)) {
			t.Errorf("oracle disagrees on %q", c.in)
		}
	}
	for _, s := range []string{"", "a", "abcdefg", "abcdefgh", "abcdefghi", "héllo wörld, long enough", "😀", strings.Repeat("ascii", 9)} {
		if !validString(s) {
			t.Errorf("validString(%q) = false", s)
		}
	}
}

// corrupt appends an invalid sample to every string of m, recursively,
// repeated strings included.
func corrupt(m protoreflect.Message, next *int) {
	bad := func(s string) string {
		c := invalidSamples[*next%len(invalidSamples)]
		*next++
		return s + c.in + "é"
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				switch fd.Kind() {
				case protoreflect.StringKind:
					l.Set(i, protoreflect.ValueOfString(bad(l.Get(i).String())))
				case protoreflect.MessageKind:
					corrupt(l.Get(i).Message(), next)
				}
			}
		case fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString(bad(v.String())))
		case fd.Kind() == protoreflect.MessageKind:
			corrupt(v.Message(), next)
		}
		return true
	})
}

// TestInvalidUTF8EveryString puts invalid UTF-8 in every string field of the
// rich fixtures (names, keys, values nested in arrays and kvlists, log
// bodies, entity refs, schema URLs...) and checks that the output decodes,
// and is byte for byte proto.Marshal's encoding of the same request with
// each invalid byte replaced by U+FFFD.
func TestInvalidUTF8EveryString(t *testing.T) {
	builders := []func() proto.Message{
		func() proto.Message { return richTraces() },
		func() proto.Message { return richMetrics() },
		func() proto.Message { return richLogs() },
	}
	for _, build := range builders {
		m := build()
		next := 0
		corrupt(m.ProtoReflect(), &next)
		if next < 20 {
			t.Fatalf("%T: only %d strings corrupted", m, next)
		}
		if _, err := proto.Marshal(m); err == nil {
			t.Fatalf("%T: proto.Marshal accepted invalid UTF-8; the test proves nothing", m)
		}
		// A second copy, built rather than cloned: proto.Clone drops -0.0
		// from implicit-presence doubles, which proto.Marshal writes.
		fixed := build()
		next = 0
		corrupt(fixed.ProtoReflect(), &next)
		repaired(fixed.ProtoReflect())
		want, err := proto.Marshal(fixed)
		if err != nil {
			t.Fatalf("%T: repaired message: %v", m, err)
		}

		e := new(Encoder)
		got := encodeWith(t, e, nil, m)
		if !bytes.Equal(got, want) {
			t.Fatalf("%T: differs from the repaired message's encoding at byte %d", m, firstDiff(got, want))
		}
		if !bytes.Equal(encodePackage(t, nil, m), want) {
			t.Fatalf("%T: package-level output differs", m)
		}
		// The Encoder is reused for a valid request after an invalid one.
		assertIdentical(t, e, fixed)
	}
}

// TestInvalidUTF8Decoded checks the decoded values of a request with invalid
// UTF-8 in a span name, an attribute key, nested values and a log body.
func TestInvalidUTF8Decoded(t *testing.T) {
	for _, c := range invalidSamples {
		nested := &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: []*commonpb.KeyValue{
			kv(c.in, &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: []*commonpb.AnyValue{strVal(c.in)}}}}),
		}}}}
		req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{ScopeSpans: []*tracepb.ScopeSpans{{
			Spans: []*tracepb.Span{{Name: c.in, Attributes: []*commonpb.KeyValue{kv(c.in, strVal(c.in)), kv("nested", nested)}}},
		}}}}}
		var back coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(AppendTraces(nil, req), &back); err != nil {
			t.Fatalf("%q: proto.Unmarshal: %v", c.in, err)
		}
		span := back.ResourceSpans[0].ScopeSpans[0].Spans[0]
		inner := span.Attributes[1].Value.GetKvlistValue().Values[0]
		got := []string{
			span.Name, span.Attributes[0].Key, span.Attributes[0].Value.GetStringValue(),
			inner.Key, inner.Value.GetArrayValue().Values[0].GetStringValue(),
		}
		for i, s := range got {
			if s != c.want {
				t.Errorf("%q: string %d decoded as %q, want %q", c.in, i, s, c.want)
			}
		}

		logs := &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{ScopeLogs: []*logspb.ScopeLogs{{
			LogRecords: []*logspb.LogRecord{{Body: strVal(c.in), EventName: c.in}},
		}}}}}
		var lback collogspb.ExportLogsServiceRequest
		if err := proto.Unmarshal(AppendLogs(nil, logs), &lback); err != nil {
			t.Fatalf("%q: logs: %v", c.in, err)
		}
		if r := lback.ResourceLogs[0].ScopeLogs[0].LogRecords[0]; r.Body.GetStringValue() != c.want || r.EventName != c.want {
			t.Errorf("%q: log body %q, event name %q, want %q", c.in, r.Body.GetStringValue(), r.EventName, c.want)
		}
	}
}
