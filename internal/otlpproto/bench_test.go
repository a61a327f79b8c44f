package otlpproto

import (
	"encoding/binary"
	"strconv"
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

func benchResource() *resourcepb.Resource {
	return &resourcepb.Resource{Attributes: []*commonpb.KeyValue{kv("service.name", strVal("checkout"))}}
}

func boolVal(v bool) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: v}}
}

func id8(i int) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(i+1))
}

// benchTraces builds a request of n typical server spans: ids, times, eight
// attributes of mixed types, one event and a status (the shape of
// internal/otlpjson's benchmark).
func benchTraces(n int) *coltracepb.ExportTraceServiceRequest {
	spans := make([]*tracepb.Span, n)
	for i := range spans {
		spans[i] = &tracepb.Span{
			TraceId: traceID, SpanId: id8(i), ParentSpanId: parentID, Name: "GET /orders/{id}",
			Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: 1700000000000000000 + uint64(i), EndTimeUnixNano: 1700000000001000000 + uint64(i),
			Flags: 0x301,
			Attributes: []*commonpb.KeyValue{
				kv("http.request.method", strVal("GET")), kv("http.route", strVal("/orders/{id}")),
				kv("http.response.status_code", intVal(200)), kv("url.path", strVal("/orders/"+strconv.Itoa(i))),
				kv("server.address", strVal("api.example.com")), kv("server.port", intVal(443)),
				kv("user_agent.original", strVal("Mozilla/5.0 (X11; Linux x86_64)")),
				kv("sampled", boolVal(true)),
			},
			Events: []*tracepb.Span_Event{{TimeUnixNano: 1700000000000500000, Name: "cache.miss", Attributes: []*commonpb.KeyValue{kv("key", strVal("order:1"))}}},
			Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_OK},
		}
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource:   benchResource(),
		ScopeSpans: []*tracepb.ScopeSpans{{Scope: &commonpb.InstrumentationScope{Name: "otelhttp", Version: "0.72.0"}, Spans: spans}},
	}}}
}

// benchMetrics builds a request of n data points, as the SDK exports HTTP
// server metrics: per ten points, one metric; a quarter of the metrics are
// 15-bucket histograms, the others counters and gauges, each point with
// three attributes.
func benchMetrics(n int) *colmetricspb.ExportMetricsServiceRequest {
	bounds := []float64{0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
	var metrics []*metricspb.Metric
	for m := 0; m*10 < n; m++ {
		points := min(10, n-m*10)
		name := "http.server.metric." + strconv.Itoa(m)
		attrs := func(p int) []*commonpb.KeyValue {
			return []*commonpb.KeyValue{
				kv("http.request.method", strVal("GET")), kv("http.route", strVal("/orders/{id}")),
				kv("http.response.status_code", intVal(int64(200+p))),
			}
		}
		switch m % 4 {
		case 0:
			dps := make([]*metricspb.HistogramDataPoint, points)
			for p := range dps {
				counts := make([]uint64, len(bounds)+1)
				for i := range counts {
					counts[i] = uint64(i * p)
				}
				dps[p] = &metricspb.HistogramDataPoint{
					Attributes: attrs(p), StartTimeUnixNano: 1700000000000000000, TimeUnixNano: 1700000060000000000,
					Count: 120, Sum: proto.Float64(3.5), BucketCounts: counts, ExplicitBounds: bounds,
					Min: proto.Float64(0.001), Max: proto.Float64(2.2),
				}
			}
			metrics = append(metrics, &metricspb.Metric{Name: name, Unit: "s", Data: &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{
				DataPoints: dps, AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE,
			}}})
		case 1, 2:
			dps := make([]*metricspb.NumberDataPoint, points)
			for p := range dps {
				dps[p] = &metricspb.NumberDataPoint{
					Attributes: attrs(p), StartTimeUnixNano: 1700000000000000000, TimeUnixNano: 1700000060000000000,
					Value: &metricspb.NumberDataPoint_AsInt{AsInt: int64(1000 * p)},
				}
			}
			metrics = append(metrics, &metricspb.Metric{Name: name, Description: "requests", Unit: "{request}", Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{
				DataPoints: dps, AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, IsMonotonic: true,
			}}})
		default:
			dps := make([]*metricspb.NumberDataPoint, points)
			for p := range dps {
				dps[p] = &metricspb.NumberDataPoint{
					Attributes: attrs(p), TimeUnixNano: 1700000060000000000,
					Value: &metricspb.NumberDataPoint_AsDouble{AsDouble: float64(p) / 3},
				}
			}
			metrics = append(metrics, &metricspb.Metric{Name: name, Unit: "By", Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{DataPoints: dps}}})
		}
	}
	return &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{{
		Resource:     benchResource(),
		ScopeMetrics: []*metricspb.ScopeMetrics{{Scope: &commonpb.InstrumentationScope{Name: "otelhttp", Version: "0.72.0"}, Metrics: metrics}},
	}}}
}

// benchLogs builds a request of n session event records: times, severity,
// a string body, five attributes, trace and span ids and an event name.
func benchLogs(n int) *collogspb.ExportLogsServiceRequest {
	records := make([]*logspb.LogRecord, n)
	for i := range records {
		records[i] = &logspb.LogRecord{
			TimeUnixNano: 1700000000000000000 + uint64(i), ObservedTimeUnixNano: 1700000000000000100 + uint64(i),
			SeverityNumber: logspb.SeverityNumber_SEVERITY_NUMBER_INFO, SeverityText: "INFO",
			Body: strVal("api request completed in " + strconv.Itoa(i) + " ms"),
			Attributes: []*commonpb.KeyValue{
				kv("session.id", strVal("5f0c3a9e-1b7d-4e2a-9c4f-"+strconv.Itoa(100000+i))),
				kv("event.kind", strVal("api_request")), kv("http.response.status_code", intVal(200)),
				kv("duration_ms", intVal(int64(i))), kv("success", boolVal(true)),
			},
			Flags: 1, TraceId: traceID, SpanId: id8(i), EventName: "codex.api_request",
		}
	}
	return &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		Resource:  benchResource(),
		ScopeLogs: []*logspb.ScopeLogs{{Scope: &commonpb.InstrumentationScope{Name: "otelkit/session"}, LogRecords: records}},
	}}}
}

// benchEncode runs the four variants: a reused Encoder and buffer, the
// package-level function with a reused buffer, then with a fresh buffer,
// and proto.Marshal.
func benchEncode(b *testing.B, m proto.Message, enc func(*Encoder, []byte) []byte, pkg func([]byte) []byte) {
	b.Run("Encoder", func(b *testing.B) {
		b.ReportAllocs()
		var e Encoder
		var buf []byte
		for b.Loop() {
			buf = enc(&e, buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("package/reused buffer", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = pkg(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("package/fresh buffer", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = len(pkg(nil))
		}
		b.SetBytes(int64(n))
	})
	b.Run("proto.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			out, err := proto.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			n = len(out)
		}
		b.SetBytes(int64(n))
	})
}

func BenchmarkTraces512Spans(b *testing.B) {
	req := benchTraces(512)
	benchEncode(b, req,
		func(e *Encoder, buf []byte) []byte { return e.AppendTraces(buf, req) },
		func(buf []byte) []byte { return AppendTraces(buf, req) })
}

func BenchmarkMetrics200Points(b *testing.B) {
	req := benchMetrics(200)
	benchEncode(b, req,
		func(e *Encoder, buf []byte) []byte { return e.AppendMetrics(buf, req) },
		func(buf []byte) []byte { return AppendMetrics(buf, req) })
}

func BenchmarkLogs512Records(b *testing.B) {
	req := benchLogs(512)
	benchEncode(b, req,
		func(e *Encoder, buf []byte) []byte { return e.AppendLogs(buf, req) },
		func(buf []byte) []byte { return AppendLogs(buf, req) })
}
