package otlpjson

import (
	"errors"
	"strings"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// span wraps a span JSON object in an ExportTraceServiceRequest.
func span(s string) string {
	return `{"resourceSpans":[{"scopeSpans":[{"spans":[` + s + `]}]}]}`
}

const (
	hexTrace    = "5b8efff798038103d269b633813fc60c"
	hexSpan     = "eee19b7ec3c1b174"
	base64Trace = "W47/95gDgQPSabYzgT/GDA=="
	base64Span  = "7uGbfsPBsXQ="
)

func TestUnmarshalRejects(t *testing.T) {
	tests := []struct {
		name    string
		msg     proto.Message
		in      string
		lenient bool   // also rejected in non-strict mode
		want    error  // the sentinel in strict mode, and in non-strict mode unless wantLen is set
		wantLen error  // the sentinel in non-strict mode, when it differs
		wantMsg string // the exact strict-mode message
	}{
		{
			name: "base64 trace id", lenient: true, want: ErrInvalidID,
			in:      span(`{"traceId":"` + base64Trace + `","spanId":"` + hexSpan + `"}`),
			wantMsg: `otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].traceId: got 24 characters "W47/95gDgQPSabYzgT/GDA==", want 32 hex digits (this looks like base64; OTLP/JSON ids are hex)`,
		},
		{
			name: "base64 span id", lenient: true, want: ErrInvalidID,
			in:      span(`{"traceId":"` + hexTrace + `","spanId":"` + base64Span + `"}`),
			wantMsg: `otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].spanId: got 12 characters "7uGbfsPBsXQ=", want 16 hex digits (this looks like base64; OTLP/JSON ids are hex)`,
		},
		{
			name: "short parent span id", lenient: true, want: ErrInvalidID,
			in:      span(`{"parentSpanId":"abcd"}`),
			wantMsg: `otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].parentSpanId: got 4 characters "abcd", want 16 hex digits`,
		},
		{
			name: "non-hex link trace id", lenient: true, want: ErrInvalidID,
			in:      span(`{"links":[{},{"traceId":"zz8efff798038103d269b633813fc60c"}]}`),
			wantMsg: `otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].links[1].traceId: "zz8efff798038103d269b633813fc60c" is not hex`,
		},
		{
			name: "numeric span id", lenient: true, want: ErrInvalidID,
			in:      span(`{"spanId":1234}`),
			wantMsg: `otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].spanId: got number, want a hex string`,
		},
		{
			name: "base64 log record trace id", msg: &collogspb.ExportLogsServiceRequest{}, lenient: true, want: ErrInvalidID,
			in:      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"` + base64Trace + `"}]}]}]}`,
			wantMsg: `otlpjson: invalid id at resourceLogs[0].scopeLogs[0].logRecords[0].traceId: got 24 characters "W47/95gDgQPSabYzgT/GDA==", want 32 hex digits (this looks like base64; OTLP/JSON ids are hex)`,
		},
		{
			name: "base64 exemplar span id", msg: &colmetricspb.ExportMetricsServiceRequest{}, lenient: true, want: ErrInvalidID,
			in:      `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[{"exemplars":[{"spanId":"` + base64Span + `"}]}]}}]}]}]}`,
			wantMsg: `otlpjson: invalid id at resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].exemplars[0].spanId: got 12 characters "7uGbfsPBsXQ=", want 16 hex digits (this looks like base64; OTLP/JSON ids are hex)`,
		},
		{
			name: "enum name", want: ErrEnumName,
			in:      span(`{"kind":"SPAN_KIND_SERVER"}`),
			wantMsg: `otlpjson: enum value must be an integer at resourceSpans[0].scopeSpans[0].spans[0].kind: got string "SPAN_KIND_SERVER"`,
		},
		{
			name: "status code name", want: ErrEnumName,
			in:      span(`{"status":{"code":"STATUS_CODE_ERROR"}}`),
			wantMsg: `otlpjson: enum value must be an integer at resourceSpans[0].scopeSpans[0].spans[0].status.code: got string "STATUS_CODE_ERROR"`,
		},
		{
			name: "snake case key", want: ErrKeyName,
			in:      span(`{"trace_id":"` + hexTrace + `"}`),
			wantMsg: `otlpjson: key is not the lowerCamelCase JSON name at resourceSpans[0].scopeSpans[0].spans[0].trace_id: use "traceId"`,
		},
		{
			name: "snake case top-level key", want: ErrKeyName,
			in:      `{"resource_spans":[]}`,
			wantMsg: `otlpjson: key is not the lowerCamelCase JSON name at resource_spans: use "resourceSpans"`,
		},
		{
			name: "unknown field", want: ErrUnknownField,
			in:      span(`{"name":"x","colour":"blue"}`),
			wantMsg: `otlpjson: unknown field at resourceSpans[0].scopeSpans[0].spans[0].colour: opentelemetry.proto.trace.v1.Span has no such field`,
		},
		{
			name: "duplicate key", lenient: true, want: ErrDuplicateKey,
			in:      span(`{"name":"a","name":"b"}`),
			wantMsg: `otlpjson: duplicate key at resourceSpans[0].scopeSpans[0].spans[0].name: field name given twice`,
		},
		{
			name: "both key spellings", lenient: true, want: ErrKeyName, wantLen: ErrDuplicateKey,
			in:      span(`{"traceState":"a","trace_state":"b"}`),
			wantMsg: `otlpjson: key is not the lowerCamelCase JSON name at resourceSpans[0].scopeSpans[0].spans[0].trace_state: use "traceState"`,
		},
		{
			name: "two oneof members", lenient: true, want: ErrDuplicateKey,
			in:      span(`{"attributes":[{"key":"k","value":{"stringValue":"a","intValue":"1"}}]}`),
			wantMsg: `otlpjson: duplicate key at resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: another member of oneof value is already set`,
		},
		{
			name: "syntax error", lenient: true, want: ErrSyntax,
			in:      `{"resourceSpans":[}`,
			wantMsg: `otlpjson: invalid JSON: unexpected '}' at offset 18, want a value`,
		},
		{
			name: "truncated", lenient: true, want: ErrSyntax,
			in:      `{"resourceSpans":[`,
			wantMsg: `otlpjson: invalid JSON: unexpected end of input, want a value`,
		},
		{
			name: "empty input", lenient: true, want: ErrSyntax,
			in:      ``,
			wantMsg: `otlpjson: invalid JSON: unexpected end of input, want a value`,
		},
		{
			name: "trailing data", lenient: true, want: ErrSyntax,
			in:      `{} {}`,
			wantMsg: `otlpjson: invalid JSON: unexpected data after the top-level value at offset 3`,
		},
		{
			name: "top-level array", lenient: true, want: ErrSyntax,
			in:      `[]`,
			wantMsg: `otlpjson: invalid JSON: top-level value is array, want object`,
		},
		{
			name: "object where array expected", lenient: true, want: ErrSyntax,
			in:      `{"resourceSpans":{}}`,
			wantMsg: `otlpjson: invalid JSON at resourceSpans: got object, want array`,
		},
		{
			name: "string where object expected", lenient: true, want: ErrSyntax,
			in:      span(`"span"`),
			wantMsg: `otlpjson: invalid JSON at resourceSpans[0].scopeSpans[0].spans[0]: got string, want object`,
		},
		{
			name: "bad 64-bit integer", lenient: true, want: ErrSyntax,
			in:      span(`{"startTimeUnixNano":"soon"}`),
			wantMsg: `otlpjson: invalid JSON: invalid value for fixed64 field startTimeUnixNano: "soon"`,
		},
		{
			name: "unknown enum name", want: ErrEnumName,
			in:      span(`{"kind":"SPAN_KIND_NOPE"}`),
			wantMsg: `otlpjson: enum value must be an integer at resourceSpans[0].scopeSpans[0].spans[0].kind: got string "SPAN_KIND_NOPE"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			modes := []bool{true}
			if tt.lenient {
				modes = append(modes, false)
			}
			for _, strict := range modes {
				msg := tt.msg
				if msg == nil {
					msg = &coltracepb.ExportTraceServiceRequest{}
				}
				err := Unmarshal([]byte(tt.in), msg, strict)
				want := tt.want
				if !strict && tt.wantLen != nil {
					want = tt.wantLen
				}
				if !errors.Is(err, want) {
					t.Fatalf("strict=%v: got error %v, want %v", strict, err, want)
				}
				if strict && err.Error() != tt.wantMsg {
					t.Fatalf("error message\ngot  %s\nwant %s", err, tt.wantMsg)
				}
			}
		})
	}
}

func TestUnmarshalLenientAccepts(t *testing.T) {
	in := span(`{"trace_id":"` + strings.ToUpper(hexTrace) + `","span_id":"` + hexSpan + `","kind":"SPAN_KIND_CLIENT",` +
		`"status":{"code":"STATUS_CODE_ERROR","futureField":1},"futureField":{"nested":[1,2]},"parent_span_id":"",` +
		`"start_time_unix_nano":1700000000000000000,"name":null}`)
	var got coltracepb.ExportTraceServiceRequest
	if err := Unmarshal([]byte(in), &got, false); err != nil {
		t.Fatalf("lenient Unmarshal: %v", err)
	}
	want := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{
		TraceId: traceID, SpanId: spanID, Kind: tracepb.Span_SPAN_KIND_CLIENT,
		Status:            &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR},
		StartTimeUnixNano: 1700000000000000000,
	}}}}}}}
	if !proto.Equal(&got, want) {
		t.Fatalf("got %v\nwant %v", &got, want)
	}
}

func TestUnmarshalStrictAccepts(t *testing.T) {
	// Uppercase hex, empty ids, numbers for 64-bit integers, strings for
	// 32-bit integers and null are all valid OTLP/JSON.
	in := span(`{"traceId":"` + strings.ToUpper(hexTrace) + `","spanId":"` + hexSpan + `","parentSpanId":"",` +
		`"startTimeUnixNano":1700000000000000000,"droppedAttributesCount":"3","kind":2,"name":null,"status":null}`)
	var got coltracepb.ExportTraceServiceRequest
	if err := Unmarshal([]byte(in), &got, true); err != nil {
		t.Fatalf("strict Unmarshal: %v", err)
	}
	sp := got.ResourceSpans[0].ScopeSpans[0].Spans[0]
	want := &tracepb.Span{TraceId: traceID, SpanId: spanID, StartTimeUnixNano: 1700000000000000000, DroppedAttributesCount: 3, Kind: tracepb.Span_SPAN_KIND_SERVER}
	if !proto.Equal(sp, want) {
		t.Fatalf("got %v\nwant %v", sp, want)
	}
}

func TestUnmarshalResets(t *testing.T) {
	m := richTraces()
	if err := Unmarshal([]byte(`{}`), m, true); err != nil {
		t.Fatal(err)
	}
	if len(m.ResourceSpans) != 0 {
		t.Fatalf("Unmarshal kept old data: %v", m)
	}
	m = richTraces()
	if err := Unmarshal([]byte(`[`), m, true); err == nil || len(m.ResourceSpans) != 0 {
		t.Fatalf("failed Unmarshal kept old data (err %v)", err)
	}
}

func TestUnmarshalUnsupported(t *testing.T) {
	for _, tt := range []struct {
		msg  proto.Message
		want string
	}{
		{&tracepb.Span{}, "otlpjson: unsupported message type: *v1.Span"},
		{(*coltracepb.ExportTraceServiceRequest)(nil), "otlpjson: unsupported message type: nil *v1.ExportTraceServiceRequest"},
		{nil, "otlpjson: unsupported message type: <nil>"},
	} {
		err := Unmarshal([]byte(`{}`), tt.msg, true)
		if !errors.Is(err, ErrUnsupportedMessage) || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
}
