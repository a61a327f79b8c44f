// Package otlpfixture holds OTLP request fixtures shared by the encoder tests (internal/otlpjson and
// internal/otlpproto): every field of every message is set at least once, with values chosen to exercise an
// encoder (zero oneof members, extreme integers, non-finite doubles, escapes, non-ASCII text, nesting).
package otlpfixture

import (
	"math"

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

// Ids used by the fixtures (and by tests that build spans of their own).
var (
	TraceID  = []byte{0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c}
	SpanID   = []byte{0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74}
	ParentID = []byte{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}
	LinkID   = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}
)

// StrVal is a string AnyValue.
func StrVal(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

// IntVal is an int AnyValue.
func IntVal(v int64) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}
}

// KV is a KeyValue.
func KV(k string, v *commonpb.AnyValue) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: v}
}

// EveryAnyValue holds each AnyValue kind, zero values, and nesting.
func EveryAnyValue() []*commonpb.KeyValue {
	return []*commonpb.KeyValue{
		KV("string", StrVal("héllo \"wörld\"\n\t\\ \u2028 \x01 😀")),
		KV("empty.string", StrVal("")),
		KV("bool", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}),
		KV("bool.false", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{}}),
		KV("int", IntVal(math.MinInt64)),
		KV("int.max", IntVal(math.MaxInt64)),
		KV("int.zero", IntVal(0)),
		KV("double", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 3.25}}),
		KV("double.zero", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{}}),
		KV("double.tiny", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 1e-7}}),
		KV("double.huge", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: -1.5e300}}),
		KV("double.nan", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: math.NaN()}}),
		KV("double.inf", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: math.Inf(1)}}),
		KV("double.-inf", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: math.Inf(-1)}}),
		KV("bytes", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{0, 1, 0xfe, 0xff, '?', '>'}}}),
		KV("bytes.empty", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{}}),
		KV("array", &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{
			Values: []*commonpb.AnyValue{StrVal("a"), IntVal(-1), {}, {Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{}}}},
		}}}),
		KV("kvlist", &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{
			Values: []*commonpb.KeyValue{
				KV("nested", &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{
					Values: []*commonpb.KeyValue{KV("deep", StrVal("x")), KV("no.value", nil)},
				}}}),
				KV("empty.kvlist", &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{}}}),
			},
		}}}),
		KV("unset", &commonpb.AnyValue{}),
		{KeyStrindex: 7, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValueStrindex{StringValueStrindex: 0}}},
		{Key: "", Value: StrVal("empty key")},
	}
}

// Resource is a resource with every kind of attribute value.
func Resource() *resourcepb.Resource {
	return &resourcepb.Resource{
		Attributes:             []*commonpb.KeyValue{KV("service.name", StrVal("checkout")), KV("host.name", StrVal("h1"))},
		DroppedAttributesCount: 2,
		EntityRefs: []*commonpb.EntityRef{
			{SchemaUrl: "https://opentelemetry.io/schemas/1.26.0", Type: "service", IdKeys: []string{"service.name"}, DescriptionKeys: []string{"host.name", ""}},
			{Type: "host"},
		},
	}
}

// Scope is an instrumentation scope with every field set.
func Scope() *commonpb.InstrumentationScope {
	return &commonpb.InstrumentationScope{
		Name: "github.com/otelkit/otelkit", Version: "v1.2.3",
		Attributes: []*commonpb.KeyValue{KV("scope.attr", IntVal(1))}, DroppedAttributesCount: 1,
	}
}

// Traces is an export request whose spans, events, links and statuses set every field.
func Traces() *coltracepb.ExportTraceServiceRequest {
	span := &tracepb.Span{
		TraceId: TraceID, SpanId: SpanID, TraceState: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
		ParentSpanId: ParentID, Flags: 0x301, Name: "GET /orders/{id}", Kind: tracepb.Span_SPAN_KIND_SERVER,
		StartTimeUnixNano: 1700000000123456789, EndTimeUnixNano: math.MaxUint64,
		Attributes: EveryAnyValue(), DroppedAttributesCount: 3,
		Events: []*tracepb.Span_Event{
			{TimeUnixNano: 1700000000200000000, Name: "exception", Attributes: []*commonpb.KeyValue{KV("exception.message", StrVal("boom"))}, DroppedAttributesCount: 4},
			{},
		},
		DroppedEventsCount: 5,
		Links: []*tracepb.Span_Link{
			{TraceId: TraceID, SpanId: LinkID, TraceState: "k=v", Attributes: []*commonpb.KeyValue{KV("link", IntVal(2))}, DroppedAttributesCount: 6, Flags: 0x101},
			{},
		},
		DroppedLinksCount: 7,
		Status:            &tracepb.Status{Message: "deadline exceeded", Code: tracepb.Status_STATUS_CODE_ERROR},
	}
	root := &tracepb.Span{TraceId: TraceID, SpanId: ParentID, Name: "root", Kind: tracepb.Span_SPAN_KIND_INTERNAL, Status: &tracepb.Status{}}
	unknownKind := &tracepb.Span{TraceId: TraceID, SpanId: LinkID, Kind: tracepb.Span_SpanKind(99), Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_OK}}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		{
			Resource: Resource(),
			ScopeSpans: []*tracepb.ScopeSpans{
				{Scope: Scope(), Spans: []*tracepb.Span{span, root, unknownKind}, SchemaUrl: "https://opentelemetry.io/schemas/1.26.0"},
				{Scope: &commonpb.InstrumentationScope{}},
			},
			SchemaUrl: "https://opentelemetry.io/schemas/1.25.0",
		},
		{},
	}}
}

// Exemplars are exemplars of both value kinds, with and without trace context.
func Exemplars() []*metricspb.Exemplar {
	return []*metricspb.Exemplar{
		{
			FilteredAttributes: []*commonpb.KeyValue{KV("user", StrVal("u1"))}, TimeUnixNano: 1700000000000000001,
			Value: &metricspb.Exemplar_AsDouble{AsDouble: 0}, SpanId: SpanID, TraceId: TraceID,
		},
		{Value: &metricspb.Exemplar_AsInt{AsInt: -42}},
		{},
	}
}

// Metrics is an export request with every metric data kind, temporality and point flag.
func Metrics() *colmetricspb.ExportMetricsServiceRequest {
	attrs := []*commonpb.KeyValue{KV("http.route", StrVal("/orders/{id}"))}
	metrics := []*metricspb.Metric{
		{Name: "queue.depth", Description: "items waiting", Unit: "{item}", Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{
			DataPoints: []*metricspb.NumberDataPoint{
				{Attributes: attrs, StartTimeUnixNano: 1, TimeUnixNano: 2, Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: math.Inf(-1)}, Exemplars: Exemplars(), Flags: 1},
				{Value: &metricspb.NumberDataPoint_AsInt{AsInt: 0}},
				{},
			},
		}}, Metadata: []*commonpb.KeyValue{KV("meta", StrVal("data"))}},
		{Name: "requests", Unit: "1", Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{
			DataPoints:             []*metricspb.NumberDataPoint{{TimeUnixNano: math.MaxUint64, Value: &metricspb.NumberDataPoint_AsInt{AsInt: math.MaxInt64}}},
			AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, IsMonotonic: true,
		}}},
		{Name: "updown", Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{
			DataPoints: []*metricspb.NumberDataPoint{{Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: math.NaN()}}},
		}}},
		{Name: "http.server.request.duration", Unit: "s", Data: &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{
			DataPoints: []*metricspb.HistogramDataPoint{
				{
					Attributes: attrs, StartTimeUnixNano: 10, TimeUnixNano: 20, Count: 6, Sum: proto.Float64(12.5),
					BucketCounts: []uint64{1, 0, math.MaxUint64, 3}, ExplicitBounds: []float64{0, 0.005, 1e21, 2.5e-7},
					Exemplars: Exemplars(), Flags: 1, Min: proto.Float64(-0.5), Max: proto.Float64(9),
				},
				{Sum: proto.Float64(0), Min: proto.Float64(0), Max: proto.Float64(math.Copysign(0, -1))},
			},
			AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA,
		}}},
		{Name: "latency.exp", Data: &metricspb.Metric_ExponentialHistogram{ExponentialHistogram: &metricspb.ExponentialHistogram{
			DataPoints: []*metricspb.ExponentialHistogramDataPoint{
				{
					Attributes: attrs, StartTimeUnixNano: 1, TimeUnixNano: 2, Count: 10, Sum: proto.Float64(1.75), Scale: -3, ZeroCount: 2,
					Positive: &metricspb.ExponentialHistogramDataPoint_Buckets{Offset: -2, BucketCounts: []uint64{1, 2, 0, 5}},
					Negative: &metricspb.ExponentialHistogramDataPoint_Buckets{},
					Flags:    1, Exemplars: Exemplars(), Min: proto.Float64(0.001), Max: proto.Float64(4), ZeroThreshold: 1e-9,
				},
				{ZeroThreshold: math.Copysign(0, -1)},
			},
			AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE,
		}}},
		{Name: "rpc.latency.summary", Data: &metricspb.Metric_Summary{Summary: &metricspb.Summary{
			DataPoints: []*metricspb.SummaryDataPoint{
				{
					Attributes: attrs, StartTimeUnixNano: 1, TimeUnixNano: 2, Count: 3, Sum: 4.5, Flags: 1,
					QuantileValues: []*metricspb.SummaryDataPoint_ValueAtQuantile{{Quantile: 0, Value: 0.1}, {Quantile: 0.99, Value: 2}, {Quantile: 1}},
				},
			},
		}}},
		{Name: "empty.gauge", Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{}}},
		{Name: "no.data"},
	}
	return &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{{
		Resource:     Resource(),
		ScopeMetrics: []*metricspb.ScopeMetrics{{Scope: Scope(), Metrics: metrics, SchemaUrl: "s1"}, {}},
		SchemaUrl:    "s2",
	}}}
}

// Logs is an export request with every body kind and severity edge case.
func Logs() *collogspb.ExportLogsServiceRequest {
	records := []*logspb.LogRecord{
		{
			TimeUnixNano: 1700000000000000000, ObservedTimeUnixNano: 1700000000000000001,
			SeverityNumber: logspb.SeverityNumber_SEVERITY_NUMBER_ERROR, SeverityText: "ERROR",
			Body:       &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: EveryAnyValue()}}},
			Attributes: EveryAnyValue(), DroppedAttributesCount: 8, Flags: 1, TraceId: TraceID, SpanId: SpanID,
			EventName: "session.prompt",
		},
		{Body: StrVal("")},
		{Body: &commonpb.AnyValue{}},
		{SeverityNumber: logspb.SeverityNumber(-1)},
	}
	return &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		Resource:  Resource(),
		ScopeLogs: []*logspb.ScopeLogs{{Scope: Scope(), LogRecords: records, SchemaUrl: "s1"}},
		SchemaUrl: "s2",
	}}}
}
