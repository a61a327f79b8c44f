package otlptest

import (
	"encoding/hex"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
)

// AttrMap converts attributes to a map for assertions. Values become
// string, bool, int64, float64, []byte, []any (arrays) or map[string]any
// (key-value lists), recursively; an unset value becomes nil. A repeated key
// keeps its last value.
func AttrMap(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = Value(kv.GetValue())
	}
	return m
}

// Value converts one AnyValue the way [AttrMap] converts attribute values.
func Value(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	case *commonpb.AnyValue_ArrayValue:
		vals := x.ArrayValue.GetValues()
		out := make([]any, len(vals))
		for i, e := range vals {
			out[i] = Value(e)
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		return AttrMap(x.KvlistValue.GetValues())
	}
	return nil
}

// Attr returns the value of the attribute key, and whether it is present.
// With a repeated key the last one wins, as in [AttrMap].
func Attr(kvs []*commonpb.KeyValue, key string) (*commonpb.AnyValue, bool) {
	for i := len(kvs) - 1; i >= 0; i-- {
		if kvs[i].GetKey() == key {
			return kvs[i].GetValue(), true
		}
	}
	return nil, false
}

// ServiceName returns the string value of the service.name resource
// attribute, or "" when it is missing.
func ServiceName(r *resourcepb.Resource) string {
	v, _ := Attr(r.GetAttributes(), "service.name")
	return v.GetStringValue()
}

func hexID(id []byte) string {
	if len(id) == 0 {
		return ""
	}
	return hex.EncodeToString(id)
}

// TraceID returns the span's trace id in lowercase hex, or "" when empty.
func (sp Span) TraceID() string { return hexID(sp.Span.GetTraceId()) }

// SpanID returns the span's id in lowercase hex, or "" when empty.
func (sp Span) SpanID() string { return hexID(sp.Span.GetSpanId()) }

// ParentSpanID returns the parent span id in lowercase hex, or "" for a root span.
func (sp Span) ParentSpanID() string { return hexID(sp.Span.GetParentSpanId()) }

// Attrs returns the span's attributes as a map, see [AttrMap].
func (sp Span) Attrs() map[string]any { return AttrMap(sp.Span.GetAttributes()) }

// TraceID returns the log record's trace id in lowercase hex, or "" when empty.
func (r LogRecord) TraceID() string { return hexID(r.Record.GetTraceId()) }

// SpanID returns the log record's span id in lowercase hex, or "" when empty.
func (r LogRecord) SpanID() string { return hexID(r.Record.GetSpanId()) }

// Attrs returns the log record's attributes as a map, see [AttrMap].
func (r LogRecord) Attrs() map[string]any { return AttrMap(r.Record.GetAttributes()) }

// Body returns the log record's body converted like [AttrMap] values.
func (r LogRecord) Body() any { return Value(r.Record.GetBody()) }

// Kind returns the metric's data type: "gauge", "sum", "histogram",
// "exponential_histogram", "summary", or "" when it has no data.
func (m Metric) Kind() string {
	switch m.Metric.GetData().(type) {
	case *metricspb.Metric_Gauge:
		return "gauge"
	case *metricspb.Metric_Sum:
		return "sum"
	case *metricspb.Metric_Histogram:
		return "histogram"
	case *metricspb.Metric_ExponentialHistogram:
		return "exponential_histogram"
	case *metricspb.Metric_Summary:
		return "summary"
	}
	return ""
}

// numberPoints returns the data points of a gauge or sum.
func (m Metric) numberPoints() []*metricspb.NumberDataPoint {
	if g := m.Metric.GetGauge(); g != nil {
		return g.GetDataPoints()
	}
	return m.Metric.GetSum().GetDataPoints()
}

// DataPoints returns the number of data points of the metric, of any type.
func (m Metric) DataPoints() int {
	mm := m.Metric
	return len(mm.GetGauge().GetDataPoints()) + len(mm.GetSum().GetDataPoints()) +
		len(mm.GetHistogram().GetDataPoints()) + len(mm.GetExponentialHistogram().GetDataPoints()) +
		len(mm.GetSummary().GetDataPoints())
}

// SumInt returns the total of the integer values of a gauge's or sum's data points.
func (m Metric) SumInt() int64 {
	var total int64
	for _, p := range m.numberPoints() {
		total += p.GetAsInt()
	}
	return total
}

// SumDouble returns the total of the double values of a gauge's or sum's data points.
func (m Metric) SumDouble() float64 {
	var total float64
	for _, p := range m.numberPoints() {
		total += p.GetAsDouble()
	}
	return total
}

// HistogramCount returns the total count over the data points of a
// histogram or exponential histogram.
func (m Metric) HistogramCount() uint64 {
	var total uint64
	for _, p := range m.Metric.GetHistogram().GetDataPoints() {
		total += p.GetCount()
	}
	for _, p := range m.Metric.GetExponentialHistogram().GetDataPoints() {
		total += p.GetCount()
	}
	return total
}

// HistogramSum returns the total sum over the data points of a histogram or
// exponential histogram (data points without a sum count as 0).
func (m Metric) HistogramSum() float64 {
	var total float64
	for _, p := range m.Metric.GetHistogram().GetDataPoints() {
		total += p.GetSum()
	}
	for _, p := range m.Metric.GetExponentialHistogram().GetDataPoints() {
		total += p.GetSum()
	}
	return total
}

// PointAttrs returns the attributes of each data point, in order, as maps
// (see [AttrMap]).
func (m Metric) PointAttrs() []map[string]any {
	var out []map[string]any
	mm := m.Metric
	for _, p := range m.numberPoints() {
		out = append(out, AttrMap(p.GetAttributes()))
	}
	for _, p := range mm.GetHistogram().GetDataPoints() {
		out = append(out, AttrMap(p.GetAttributes()))
	}
	for _, p := range mm.GetExponentialHistogram().GetDataPoints() {
		out = append(out, AttrMap(p.GetAttributes()))
	}
	for _, p := range mm.GetSummary().GetDataPoints() {
		out = append(out, AttrMap(p.GetAttributes()))
	}
	return out
}
