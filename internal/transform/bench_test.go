package transform

import (
	"context"
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// benchMetrics returns a typical server payload of 200 data points: request
// counters, in-flight gauges and latency histograms over route, method and
// status attributes, in three scopes, with a few exemplars.
func benchMetrics() *metricdata.ResourceMetrics {
	res := resource.NewSchemaless(attribute.String("service.name", "bench"), attribute.String("service.version", "1.0.0"),
		attribute.String("host.name", "h1"), attribute.Int("process.pid", 4242), attribute.String("deployment.environment", "prod"))
	bounds := []float64{0, 5, 10, 25, 50, 75, 100, 250, 500, 1000}
	attrs := func(i int) attribute.Set {
		return attribute.NewSet(attribute.String("http.route", "/api/v1/item/"+strconv.Itoa(i)),
			attribute.String("http.request.method", "GET"), attribute.Int("http.response.status_code", 200+i%3))
	}
	ex := []metricdata.Exemplar[float64]{{
		FilteredAttributes: []attribute.KeyValue{attribute.String("user", "u")}, Time: t1, Value: 12, TraceID: traceID, SpanID: spanID,
	}}
	// 10 groups of 4 metrics of 5 points: 200 points, in three scopes.
	const n = 5
	scopes := make([]metricdata.ScopeMetrics, 3)
	for s := range scopes {
		scopes[s].Scope = instrumentation.Scope{Name: "github.com/otelkit/otelkit/scope" + strconv.Itoa(s), Version: "v1"}
	}
	for g := range 10 {
		counter := make([]metricdata.DataPoint[int64], n)
		updown := make([]metricdata.DataPoint[int64], n)
		gauge := make([]metricdata.DataPoint[float64], n)
		hist := make([]metricdata.HistogramDataPoint[float64], n)
		for i := range n {
			counter[i] = metricdata.DataPoint[int64]{Attributes: attrs(i), StartTime: t0, Time: t1, Value: int64(i * 10)}
			updown[i] = metricdata.DataPoint[int64]{Attributes: attrs(i), StartTime: t0, Time: t1, Value: int64(-i)}
			gauge[i] = metricdata.DataPoint[float64]{Attributes: attrs(i), Time: t1, Value: float64(i) / 2}
			hist[i] = metricdata.HistogramDataPoint[float64]{
				Attributes: attrs(i), StartTime: t0, Time: t1, Count: 42, Sum: 1234.5, Bounds: bounds,
				BucketCounts: []uint64{1, 2, 3, 4, 5, 6, 7, 8, 3, 2, 1},
				Min:          metricdata.NewExtrema(0.5), Max: metricdata.NewExtrema(900.0),
			}
		}
		hist[0].Exemplars = ex
		name := "group" + strconv.Itoa(g)
		sm := &scopes[g*len(scopes)/10]
		sm.Metrics = append(sm.Metrics,
			metricdata.Metrics{Name: name + ".requests", Unit: "{request}", Data: metricdata.Sum[int64]{
				DataPoints: counter, Temporality: metricdata.CumulativeTemporality, IsMonotonic: true}},
			metricdata.Metrics{Name: name + ".active", Data: metricdata.Sum[int64]{
				DataPoints: updown, Temporality: metricdata.CumulativeTemporality}},
			metricdata.Metrics{Name: name + ".load", Data: metricdata.Gauge[float64]{DataPoints: gauge}},
			metricdata.Metrics{Name: name + ".duration", Unit: "ms", Data: metricdata.Histogram[float64]{
				DataPoints: hist, Temporality: metricdata.CumulativeTemporality}},
		)
	}
	return &metricdata.ResourceMetrics{Resource: res, ScopeMetrics: scopes}
}

// benchRecords emits 512 records through a LoggerProvider: one resource,
// four scopes, a string body, five attributes and a trace context each.
func benchRecords(b *testing.B) []sdklog.Record {
	c := new(capture)
	lp := newLoggerProvider(b, c, sdklog.WithResource(resource.NewSchemaless(
		attribute.String("service.name", "bench"), attribute.String("host.name", "h1"))))
	ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), SpanID: trace.SpanID(spanID), TraceFlags: trace.FlagsSampled,
	}))
	loggers := make([]log.Logger, 4)
	for i := range loggers {
		loggers[i] = lp.Logger("github.com/otelkit/otelkit/scope" + strconv.Itoa(i))
	}
	for i := range 512 {
		var r log.Record
		r.SetTimestamp(t0)
		r.SetSeverity(log.SeverityInfo)
		r.SetSeverityText("INFO")
		r.SetEventName("codex.api_request")
		r.SetBody(attribute.StringValue("request served in 12ms"))
		r.AddAttributes(
			attribute.String("session.id", "0af7651916cd43dd8448eb211c80319c"),
			attribute.String("http.route", "/v1/items"),
			attribute.String("model", "gpt"),
			attribute.Int("duration_ms", 12+i%7),
			attribute.Bool("success", i%5 != 0),
		)
		loggers[(i/8)%len(loggers)].Emit(ctx, r)
	}
	return c.records
}

func BenchmarkResourceMetrics(b *testing.B) {
	rm := benchMetrics()
	if n := DataPointCount(rm); n != 200 {
		b.Fatalf("payload has %d points, want 200", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ResourceMetrics(rm); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResourceLogs(b *testing.B) {
	records := benchRecords(b)
	if len(records) != 512 {
		b.Fatalf("%d records, want 512", len(records))
	}
	b.ReportAllocs()
	for b.Loop() {
		if out := ResourceLogs(records); len(out) != 1 {
			b.Fatal("want one resource")
		}
	}
}

func BenchmarkDataPointCount(b *testing.B) {
	rm := benchMetrics()
	b.ReportAllocs()
	for b.Loop() {
		if DataPointCount(rm) != 200 {
			b.Fatal("wrong count")
		}
	}
}

// benchSpans ends 512 server spans through a TracerProvider: one resource,
// two scopes, a remote parent, eight attributes and one event with five
// attributes each (a session event), every eighth span an error.
func benchSpans(b *testing.B) []sdktrace.ReadOnlySpan {
	rec := tracetest.NewSpanRecorder()
	tp := newTracerProvider(b, rec, sdktrace.WithResource(resource.NewSchemaless(
		attribute.String("service.name", "bench"), attribute.String("host.name", "h1"))))
	tracers := []trace.Tracer{tp.Tracer("github.com/otelkit/otelkit/httpmw"), tp.Tracer("github.com/otelkit/otelkit/session")}
	parent := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), SpanID: trace.SpanID(spanID), TraceFlags: trace.FlagsSampled, Remote: true,
	}))
	for i := range 512 {
		_, span := tracers[(i/16)%len(tracers)].Start(parent, "GET /users/{id}", trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				attribute.String("http.request.method", "GET"), attribute.String("http.route", "/users/{id}"),
				attribute.String("url.scheme", "http"), attribute.String("server.address", "127.0.0.1"),
				attribute.Int("server.port", 8080), attribute.String("network.protocol.version", "1.1"),
				attribute.String("user_agent.original", "bench/1.0"),
			))
		span.AddEvent("codex.api_request", trace.WithAttributes(
			attribute.String("session.id", "0af7651916cd43dd8448eb211c80319c"), attribute.String("model", "gpt"),
			attribute.Int("duration_ms", 12+i%7), attribute.Bool("success", i%8 != 0), attribute.Int("attempt", 1),
		))
		span.SetAttributes(attribute.Int("http.response.status_code", 200))
		if i%8 == 0 {
			span.SetStatus(codes.Error, "upstream failed")
		}
		span.End()
	}
	return rec.Ended()
}

// BenchmarkResourceSpans converts 512 spans, ours and the SDK's own
// conversion (the otlptrace exporter's, handed to a client that keeps it).
func BenchmarkResourceSpans(b *testing.B) {
	spans := benchSpans(b)
	if len(spans) != 512 {
		b.Fatalf("%d spans, want 512", len(spans))
	}
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if out := ResourceSpans(spans); len(out) != 1 {
				b.Fatal("want one resource")
			}
		}
	})
	b.Run("sdk_otlptrace", func(b *testing.B) {
		c := new(captureClient)
		exp, err := otlptrace.New(context.Background(), c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := exp.ExportSpans(context.Background(), spans); err != nil || len(c.got) != 1 {
				b.Fatal("want one resource", err)
			}
		}
	})
}
