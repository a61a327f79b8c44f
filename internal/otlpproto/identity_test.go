package otlpproto

import (
	"math"
	"strings"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

type fixture struct {
	name string
	msg  proto.Message
}

// fixtures returns requests that proto.Marshal accepts, from rich ones that
// set every field to degenerate ones made of nils and zero values.
func fixtures() []fixture {
	return []fixture{
		{"rich traces", richTraces()},
		{"rich metrics", richMetrics()},
		{"rich logs", richLogs()},
		{"long values", longValues()},
		{"512 spans", benchTraces(512)},
		{"200 points", benchMetrics(200)},
		{"512 records", benchLogs(512)},
		{"nil traces", (*coltracepb.ExportTraceServiceRequest)(nil)},
		{"nil metrics", (*colmetricspb.ExportMetricsServiceRequest)(nil)},
		{"nil logs", (*collogspb.ExportLogsServiceRequest)(nil)},
		{"empty traces", &coltracepb.ExportTraceServiceRequest{}},
		{"empty metrics", &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{}}},
		{"empty logs", &collogspb.ExportLogsServiceRequest{}},
		{"nil trace elements", nilTraceElements()},
		{"nil metric elements", nilMetricElements()},
		{"nil log elements", nilLogElements()},
	}
}

// longValues has strings, bytes, spans and statuses whose lengths need
// varints of two and three bytes.
func longValues() *coltracepb.ExportTraceServiceRequest {
	long := strings.Repeat("é", 10000) // 20000 bytes
	spans := []*tracepb.Span{
		{Name: long, Status: &tracepb.Status{Message: strings.Repeat("x", 200), Code: tracepb.Status_STATUS_CODE_ERROR}},
		{Attributes: []*commonpb.KeyValue{
			kv(strings.Repeat("k", 130), strVal(strings.Repeat("v", 127))),
			kv("bytes", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: make([]byte, 300)}}),
		}, Flags: math.MaxUint32, Kind: tracepb.Span_SpanKind(math.MinInt32)},
		{Status: &tracepb.Status{Code: tracepb.Status_StatusCode(-1)}},
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans, SchemaUrl: long}},
	}}}
}

func nilTraceElements() *coltracepb.ExportTraceServiceRequest {
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		nil,
		{ScopeSpans: []*tracepb.ScopeSpans{nil, {Spans: []*tracepb.Span{
			nil,
			{
				Attributes: []*commonpb.KeyValue{
					nil, {Key: "no.value"}, {Key: "nil.oneof", Value: &commonpb.AnyValue{}},
					{Key: "typed.nil", Value: &commonpb.AnyValue{Value: (*commonpb.AnyValue_StringValue)(nil)}},
					{Key: "typed.nil.array", Value: &commonpb.AnyValue{Value: (*commonpb.AnyValue_ArrayValue)(nil)}},
					{Key: "nil.array", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{}}},
					{Key: "nil.kvlist", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{}}},
					{Key: "nil.elements", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: []*commonpb.AnyValue{nil, {}}}}}},
					{Key: "nil.kv", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: []*commonpb.KeyValue{nil}}}}},
				},
				Events: []*tracepb.Span_Event{nil}, Links: []*tracepb.Span_Link{nil},
				TraceId: []byte{}, Status: &tracepb.Status{},
			},
		}}}},
		{Resource: nil, ScopeSpans: []*tracepb.ScopeSpans{{Scope: nil}}},
		{Resource: &resourcepb.Resource{}, ScopeSpans: []*tracepb.ScopeSpans{{Scope: &commonpb.InstrumentationScope{Attributes: []*commonpb.KeyValue{nil}}}}},
	}}
}

func nilMetricElements() *colmetricspb.ExportMetricsServiceRequest {
	metrics := []*metricspb.Metric{
		nil,
		{Name: "typed nil data", Data: (*metricspb.Metric_Gauge)(nil)},
		{Name: "nil gauge", Data: &metricspb.Metric_Gauge{}},
		{Name: "nil sum", Data: &metricspb.Metric_Sum{}},
		{Name: "nil histogram", Data: &metricspb.Metric_Histogram{}},
		{Name: "nil exp", Data: &metricspb.Metric_ExponentialHistogram{}},
		{Name: "nil summary", Data: &metricspb.Metric_Summary{}},
		{Name: "nil points", Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{DataPoints: []*metricspb.NumberDataPoint{
			nil, {Value: (*metricspb.NumberDataPoint_AsInt)(nil), Exemplars: []*metricspb.Exemplar{nil, {Value: (*metricspb.Exemplar_AsDouble)(nil)}}},
		}}}},
		{Name: "nil sum points", Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{DataPoints: []*metricspb.NumberDataPoint{nil}}}},
		{Name: "nil histogram points", Data: &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{DataPoints: []*metricspb.HistogramDataPoint{
			nil, {BucketCounts: []uint64{}, ExplicitBounds: []float64{}},
		}}}},
		{Name: "nil exp points", Data: &metricspb.Metric_ExponentialHistogram{ExponentialHistogram: &metricspb.ExponentialHistogram{
			DataPoints: []*metricspb.ExponentialHistogramDataPoint{
				nil,
				{Positive: &metricspb.ExponentialHistogramDataPoint_Buckets{BucketCounts: []uint64{}}, Negative: &metricspb.ExponentialHistogramDataPoint_Buckets{Offset: math.MinInt32}},
				{Scale: math.MaxInt32, Positive: &metricspb.ExponentialHistogramDataPoint_Buckets{BucketCounts: []uint64{0, 1 << 63, 127, 128}}},
			},
		}}},
		{Name: "nil summary points", Data: &metricspb.Metric_Summary{Summary: &metricspb.Summary{DataPoints: []*metricspb.SummaryDataPoint{
			nil, {QuantileValues: []*metricspb.SummaryDataPoint_ValueAtQuantile{nil, {Quantile: math.Copysign(0, -1), Value: math.NaN()}}},
		}}}},
		{Metadata: []*commonpb.KeyValue{nil}},
	}
	return &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{
		nil, {}, {ScopeMetrics: []*metricspb.ScopeMetrics{nil, {Metrics: metrics}}},
	}}
}

func nilLogElements() *collogspb.ExportLogsServiceRequest {
	return &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{
		nil, {}, {ScopeLogs: []*logspb.ScopeLogs{nil, {LogRecords: []*logspb.LogRecord{
			nil, {}, {Body: &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{}}}},
			{Attributes: []*commonpb.KeyValue{nil}, TraceId: []byte{}, SeverityNumber: logspb.SeverityNumber(math.MaxInt32)},
		}}}},
	}}
}

func TestIdenticalToProtoMarshal(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			got := assertIdentical(t, new(Encoder), fx.msg)
			back := fx.msg.ProtoReflect().Type().New().Interface()
			if err := proto.Unmarshal(got, back); err != nil {
				t.Fatalf("proto.Unmarshal: %v", err)
			}
			// Re-encoding what was decoded gives the same bytes, which also
			// covers messages that proto.Equal cannot compare (NaN).
			again := assertIdentical(t, new(Encoder), back)
			if string(again) != string(got) {
				t.Fatal("re-encoding the decoded message differs")
			}
		})
	}
}

func TestDecodesEqual(t *testing.T) {
	// Fixtures without NaN, which proto.Equal never finds equal to itself.
	for _, m := range []proto.Message{richTraces(), longValues(), benchTraces(8), benchMetrics(20), benchLogs(8)} {
		back := m.ProtoReflect().Type().New().Interface()
		if err := proto.Unmarshal(appendMessage(m), back); err != nil {
			t.Fatalf("%T: proto.Unmarshal: %v", m, err)
		}
		if !proto.Equal(m, back) {
			t.Fatalf("%T: decoded message differs\nwant %v\ngot  %v", m, m, back)
		}
	}
}

// appendMessage encodes one of the three requests with the package-level
// functions (a test helper without testing.TB, for use in loops).
func appendMessage(m proto.Message) []byte {
	switch x := m.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		return AppendTraces(nil, x)
	case *colmetricspb.ExportMetricsServiceRequest:
		return AppendMetrics(nil, x)
	case *collogspb.ExportLogsServiceRequest:
		return AppendLogs(nil, x)
	}
	return nil
}

// TestEncoderReuse encodes every fixture in turn with one Encoder and one
// buffer, so that scratch left by a bigger request cannot leak into a
// smaller one.
func TestEncoderReuse(t *testing.T) {
	var e Encoder
	var buf []byte
	for range 2 {
		for _, fx := range fixtures() {
			want, err := proto.Marshal(fx.msg)
			if err != nil {
				t.Fatal(err)
			}
			buf = encodeWith(t, &e, buf[:0], fx.msg)
			if string(buf) != string(want) {
				t.Fatalf("%s: reused Encoder output differs", fx.name)
			}
		}
	}
}

func TestEmptyRequestsAreEmpty(t *testing.T) {
	if b := AppendTraces(nil, nil); len(b) != 0 {
		t.Fatalf("nil traces: %x", b)
	}
	if b := AppendMetrics([]byte{1}, &colmetricspb.ExportMetricsServiceRequest{}); string(b) != "\x01" {
		t.Fatalf("empty metrics: %x", b)
	}
	if b := AppendLogs(nil, &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{nil}}); string(b) != "\x0a\x00" {
		t.Fatalf("one nil resource: %x", b)
	}
}

// TestUnknownFieldsDropped pins the documented limit: unknown fields kept by
// proto.Unmarshal are not written.
func TestUnknownFieldsDropped(t *testing.T) {
	known, err := proto.Marshal(benchLogs(1))
	if err != nil {
		t.Fatal(err)
	}
	withUnknown := append(append([]byte{}, known...), 0x78, 0x01) // field 15, varint 1
	var m collogspb.ExportLogsServiceRequest
	if err := proto.Unmarshal(withUnknown, &m); err != nil {
		t.Fatal(err)
	}
	if got := AppendLogs(nil, &m); string(got) != string(known) {
		t.Fatalf("got %x, want %x", got, known)
	}
}
