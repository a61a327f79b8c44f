package otlptest

import (
	"reflect"
	"testing"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func sv(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

func TestAttrMap(t *testing.T) {
	kvs := []*commonpb.KeyValue{
		{Key: "s", Value: sv("x")},
		{Key: "b", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}},
		{Key: "i", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: -3}}},
		{Key: "d", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 1.5}}},
		{Key: "bytes", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{1, 2}}}},
		{Key: "arr", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{
			Values: []*commonpb.AnyValue{sv("a"), {Value: &commonpb.AnyValue_IntValue{IntValue: 1}}},
		}}}},
		{Key: "kv", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{
			Values: []*commonpb.KeyValue{{Key: "nested", Value: sv("y")}},
		}}}},
		{Key: "unset", Value: &commonpb.AnyValue{}},
		{Key: "nil"},
		{Key: "dup", Value: sv("first")},
		{Key: "dup", Value: sv("last")},
	}
	want := map[string]any{
		"s": "x", "b": true, "i": int64(-3), "d": 1.5, "bytes": []byte{1, 2},
		"arr": []any{"a", int64(1)}, "kv": map[string]any{"nested": "y"},
		"unset": nil, "nil": nil, "dup": "last",
	}
	if got := AttrMap(kvs); !reflect.DeepEqual(got, want) {
		t.Fatalf("AttrMap = %#v\nwant %#v", got, want)
	}
	if v, ok := Attr(kvs, "dup"); !ok || v.GetStringValue() != "last" {
		t.Fatalf("Attr(dup) = %v, %v", v, ok)
	}
	if _, ok := Attr(kvs, "missing"); ok {
		t.Fatal("Attr found a missing key")
	}
	if ServiceName(&resourcepb.Resource{Attributes: []*commonpb.KeyValue{{Key: "service.name", Value: sv("svc")}}}) != "svc" || ServiceName(nil) != "" {
		t.Fatal("ServiceName")
	}
}

func TestIDHelpers(t *testing.T) {
	sp := Span{Span: &tracepb.Span{TraceId: []byte{0xab, 0xcd}, SpanId: []byte{0x01}}}
	if sp.TraceID() != "abcd" || sp.SpanID() != "01" || sp.ParentSpanID() != "" {
		t.Fatalf("%q %q %q", sp.TraceID(), sp.SpanID(), sp.ParentSpanID())
	}
	if (Span{}).TraceID() != "" || (LogRecord{}).SpanID() != "" {
		t.Fatal("empty ids")
	}
}

func TestMetricHelpers(t *testing.T) {
	hist := Metric{Metric: &metricspb.Metric{Data: &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{
		DataPoints: []*metricspb.HistogramDataPoint{{Count: 2, Sum: proto.Float64(3.5)}, {Count: 1}},
	}}}}
	if hist.Kind() != "histogram" || hist.HistogramCount() != 3 || hist.HistogramSum() != 3.5 || hist.DataPoints() != 2 {
		t.Fatalf("histogram helpers: %s %d %v %d", hist.Kind(), hist.HistogramCount(), hist.HistogramSum(), hist.DataPoints())
	}
	exp := Metric{Metric: &metricspb.Metric{Data: &metricspb.Metric_ExponentialHistogram{ExponentialHistogram: &metricspb.ExponentialHistogram{
		DataPoints: []*metricspb.ExponentialHistogramDataPoint{{Count: 4, Sum: proto.Float64(1)}},
	}}}}
	if exp.Kind() != "exponential_histogram" || exp.HistogramCount() != 4 || exp.HistogramSum() != 1 {
		t.Fatal("exponential histogram helpers")
	}
	gauge := Metric{Metric: &metricspb.Metric{Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{DataPoints: []*metricspb.NumberDataPoint{
		{Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: 1.25}, Attributes: []*commonpb.KeyValue{{Key: "k", Value: sv("v")}}},
		{Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: 2}},
	}}}}}
	if gauge.Kind() != "gauge" || gauge.SumDouble() != 3.25 || gauge.SumInt() != 0 || gauge.PointAttrs()[0]["k"] != "v" {
		t.Fatal("gauge helpers")
	}
	summary := Metric{Metric: &metricspb.Metric{Data: &metricspb.Metric_Summary{Summary: &metricspb.Summary{DataPoints: []*metricspb.SummaryDataPoint{{}}}}}}
	if summary.Kind() != "summary" || summary.DataPoints() != 1 || len(summary.PointAttrs()) != 1 {
		t.Fatal("summary helpers")
	}
	if (Metric{Metric: &metricspb.Metric{}}).Kind() != "" || (Metric{}).DataPoints() != 0 {
		t.Fatal("empty metric helpers")
	}
}
