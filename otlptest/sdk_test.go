package otlptest

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc/credentials"
)

var (
	sdkTraceID  = trace.TraceID{0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c}
	sdkSpanID   = trace.SpanID{0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74}
	sdkParentID = trace.SpanID{0, 0, 0, 0, 0, 0, 0, 1}
	sdkLinkID   = trace.SpanID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}
)

// testSpans returns one child server span with an event, a link, an error
// status and attributes of several types, as the SDK would export it.
func testSpans() []sdktrace.ReadOnlySpan {
	start := time.Unix(1700000000, 123)
	stub := tracetest.SpanStub{
		Name: "GET /orders/{id}",
		SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: sdkTraceID, SpanID: sdkSpanID, TraceFlags: trace.FlagsSampled,
		}),
		Parent:    trace.NewSpanContext(trace.SpanContextConfig{TraceID: sdkTraceID, SpanID: sdkParentID, Remote: true}),
		SpanKind:  trace.SpanKindServer,
		StartTime: start,
		EndTime:   start.Add(time.Millisecond),
		Attributes: []attribute.KeyValue{
			attribute.String("http.route", "/orders/{id}"), attribute.Int("http.response.status_code", 500),
			attribute.Float64("ratio", 0.25), attribute.Bool("retry", true), attribute.StringSlice("tags", []string{"a", "b"}),
		},
		Events: []sdktrace.Event{{Name: "exception", Time: start.Add(time.Microsecond), Attributes: []attribute.KeyValue{attribute.String("exception.message", "boom")}}},
		Links: []sdktrace.Link{{SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: sdkTraceID, SpanID: sdkLinkID}),
			Attributes: []attribute.KeyValue{attribute.String("link.kind", "follows")}}},
		Status:               sdktrace.Status{Code: codes.Error, Description: "internal error"},
		Resource:             resource.NewSchemaless(attribute.String("service.name", "checkout")),
		DroppedAttributes:    2,
		InstrumentationScope: instrumentation.Scope{Name: "otlptest.test", Version: "1.2.3"},
	}
	return tracetest.SpanStubs{stub}.Snapshots()
}

// checkSpan asserts the decoded form of testSpans.
func checkSpan(t *testing.T, sp Span) {
	t.Helper()
	p := sp.Span
	if sp.TraceID() != hexTraceID || sp.SpanID() != hexSpanID || sp.ParentSpanID() != "0000000000000001" {
		t.Fatalf("ids %s %s %s", sp.TraceID(), sp.SpanID(), sp.ParentSpanID())
	}
	if p.GetName() != "GET /orders/{id}" || p.GetKind() != tracepb.Span_SPAN_KIND_SERVER ||
		p.GetStartTimeUnixNano() != 1700000000000000123 || p.GetEndTimeUnixNano() != 1700000000001000123 {
		t.Fatalf("span %v", p)
	}
	attrs := sp.Attrs()
	if attrs["http.route"] != "/orders/{id}" || attrs["http.response.status_code"] != int64(500) || attrs["ratio"] != 0.25 ||
		attrs["retry"] != true || len(attrs["tags"].([]any)) != 2 || attrs["tags"].([]any)[1] != "b" {
		t.Fatalf("attributes %#v", attrs)
	}
	if p.GetDroppedAttributesCount() != 2 || p.GetFlags()&0xff != 1 {
		t.Fatalf("dropped %d flags %#x", p.GetDroppedAttributesCount(), p.GetFlags())
	}
	if len(p.GetEvents()) != 1 || p.GetEvents()[0].GetName() != "exception" || AttrMap(p.GetEvents()[0].GetAttributes())["exception.message"] != "boom" {
		t.Fatalf("events %v", p.GetEvents())
	}
	if len(p.GetLinks()) != 1 || hexID(p.GetLinks()[0].GetSpanId()) != "fffffffffffffffe" || hexID(p.GetLinks()[0].GetTraceId()) != hexTraceID {
		t.Fatalf("links %v", p.GetLinks())
	}
	if p.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_ERROR || p.GetStatus().GetMessage() != "internal error" {
		t.Fatalf("status %v", p.GetStatus())
	}
	if ServiceName(sp.Resource) != "checkout" || sp.Scope.GetName() != "otlptest.test" || sp.Scope.GetVersion() != "1.2.3" {
		t.Fatalf("resource %v scope %v", sp.Resource, sp.Scope)
	}
}

func TestSDKTraceExporters(t *testing.T) {
	tests := []struct {
		name      string
		transport string
		exporter  func(t *testing.T, s *Server) sdktrace.SpanExporter
	}{
		{"http protobuf", TransportHTTP, func(t *testing.T, s *Server) sdktrace.SpanExporter {
			return newHTTPTraceExporter(t, otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"))
		}},
		{"http protobuf gzip", TransportHTTP, func(t *testing.T, s *Server) sdktrace.SpanExporter {
			return newHTTPTraceExporter(t, otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"), otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
		}},
		{"http json", TransportHTTP, func(t *testing.T, s *Server) sdktrace.SpanExporter {
			// The SDK's own OTLP/JSON encoder must pass the strict decoder.
			return newHTTPTraceExporter(t, otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"), otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON))
		}},
		{"grpc", TransportGRPC, func(t *testing.T, s *Server) sdktrace.SpanExporter {
			return newGRPCTraceExporter(t, otlptracegrpc.WithEndpointURL(s.GRPCURL()))
		}},
		{"grpc gzip", TransportGRPC, func(t *testing.T, s *Server) sdktrace.SpanExporter {
			return newGRPCTraceExporter(t, otlptracegrpc.WithEndpointURL(s.GRPCURL()), otlptracegrpc.WithCompressor("gzip"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			exp := tt.exporter(t, s)
			if err := exp.ExportSpans(t.Context(), testSpans()); err != nil {
				t.Fatalf("ExportSpans: %v", err)
			}
			spans := s.WaitSpans(t, 1, waitTime)
			checkSpan(t, spans[0])
			r := s.Requests()[0]
			if r.Transport != tt.transport || !r.Accepted || r.Signal != SignalTraces || len(r.Body) == 0 {
				t.Fatalf("request %+v", r)
			}
			if tt.name == "http json" && r.ContentType != "application/json" {
				t.Fatalf("JSON exporter sent Content-Type %q", r.ContentType)
			}
			if tt.transport == TransportGRPC {
				wantEnc := ""
				if tt.name == "grpc gzip" {
					wantEnc = "gzip"
				}
				if r.Path != "/opentelemetry.proto.collector.trace.v1.TraceService/Export" || r.ContentType != "application/grpc" ||
					r.ContentEncoding != wantEnc || r.Header.Get("User-Agent") == "" || r.Status != 0 {
					t.Fatalf("gRPC request %+v", r)
				}
			}
		})
	}
}

func newHTTPTraceExporter(t *testing.T, opts ...otlptracehttp.Option) *otlptrace.Exporter {
	t.Helper()
	opts = append(opts, otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	exp, err := otlptracehttp.New(t.Context(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp
}

func newGRPCTraceExporter(t *testing.T, opts ...otlptracegrpc.Option) *otlptrace.Exporter {
	t.Helper()
	opts = append(opts, otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	exp, err := otlptracegrpc.New(t.Context(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp
}

func TestSDKMetricExporter(t *testing.T) {
	s := NewServer(t)
	exp, err := otlpmetrichttp.New(t.Context(), otlpmetrichttp.WithEndpointURL(s.HTTPURL()+"/v1/metrics"),
		otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader),
		sdkmetric.WithResource(resource.NewSchemaless(attribute.String("service.name", "checkout"))))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	meter := mp.Meter("otlptest.test")
	counter, _ := meter.Int64Counter("orders.placed")
	hist, _ := meter.Float64Histogram("order.value")
	gauge, _ := meter.Float64Gauge("queue.depth")
	ctx := t.Context()
	counter.Add(ctx, 2, metric.WithAttributes(attribute.String("region", "eu")))
	counter.Add(ctx, 3, metric.WithAttributes(attribute.String("region", "eu")))
	hist.Record(ctx, 10.5)
	hist.Record(ctx, 4.5)
	gauge.Record(ctx, 7)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	if err := exp.Export(ctx, &rm); err != nil {
		t.Fatalf("Export: %v", err)
	}
	c := s.WaitMetrics(t, "orders.placed", waitTime)
	if len(c) != 1 || c[0].Kind() != "sum" || c[0].SumInt() != 5 || c[0].PointAttrs()[0]["region"] != "eu" ||
		!c[0].Metric.GetSum().GetIsMonotonic() || ServiceName(c[0].Resource) != "checkout" || c[0].Scope.GetName() != "otlptest.test" {
		t.Fatalf("counter %v", c)
	}
	h := s.WaitMetrics(t, "order.value", waitTime)
	if len(h) != 1 || h[0].Kind() != "histogram" || h[0].HistogramCount() != 2 || h[0].HistogramSum() != 15 {
		t.Fatalf("histogram %v", h)
	}
	g := s.WaitMetrics(t, "queue.depth", waitTime)
	if len(g) != 1 || g[0].Kind() != "gauge" || g[0].SumDouble() != 7 {
		t.Fatalf("gauge %v", g)
	}
}

func TestSDKLogExporter(t *testing.T) {
	s := NewServer(t)
	exp, err := otlploghttp.New(t.Context(), otlploghttp.WithEndpointURL(s.HTTPURL()+"/v1/logs"),
		otlploghttp.WithRetry(otlploghttp.RetryConfig{Enabled: false}))
	if err != nil {
		t.Fatal(err)
	}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(exp)),
		sdklog.WithResource(resource.NewSchemaless(attribute.String("service.name", "checkout"))))
	t.Cleanup(func() { _ = lp.Shutdown(context.Background()) })
	var rec otellog.Record
	rec.SetTimestamp(time.Unix(1700000000, 0))
	rec.SetSeverity(otellog.SeverityWarn)
	rec.SetSeverityText("WARN")
	rec.SetBody(attribute.StringValue("disk almost full"))
	rec.SetEventName("disk.warning")
	rec.AddAttributes(attribute.Int("disk.free_mb", 12))
	ctx := trace.ContextWithSpanContext(t.Context(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: sdkTraceID, SpanID: sdkSpanID, TraceFlags: trace.FlagsSampled}))
	lp.Logger("otlptest.test").Emit(ctx, rec)
	logs := s.WaitLogs(t, 1, waitTime)
	l := logs[0]
	if l.Body() != "disk almost full" || l.Record.GetSeverityText() != "WARN" || l.Record.GetEventName() != "disk.warning" ||
		l.Attrs()["disk.free_mb"] != int64(12) || l.TraceID() != hexTraceID || l.SpanID() != hexSpanID ||
		l.Record.GetTimeUnixNano() != 1700000000000000000 || ServiceName(l.Resource) != "checkout" {
		t.Fatalf("log record %v", l.Record)
	}
}

// TestSDKTLS exports over HTTPS and gRPC with TLS and with mutual TLS.
func TestSDKTLS(t *testing.T) {
	certs := NewCertificates(t)
	for _, mtls := range []bool{false, true} {
		serverCfg := certs.ServerTLS()
		if mtls {
			serverCfg = certs.ServerMTLS()
		}
		s := NewServer(t, WithTLS(serverCfg))
		clientCfg := certs.ClientTLS()
		httpExp := newHTTPTraceExporter(t, otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"), otlptracehttp.WithTLSClientConfig(clientCfg))
		grpcExp := newGRPCTraceExporter(t, otlptracegrpc.WithEndpointURL(s.GRPCURL()), otlptracegrpc.WithTLSCredentials(credentials.NewTLS(clientCfg)))
		for _, exp := range []sdktrace.SpanExporter{httpExp, grpcExp} {
			if err := exp.ExportSpans(t.Context(), testSpans()); err != nil {
				t.Fatalf("mtls=%v: ExportSpans: %v", mtls, err)
			}
		}
		if spans := s.WaitSpans(t, 2, waitTime); spans[1].SpanID() != hexSpanID {
			t.Fatalf("spans %v", spans)
		}
	}
}
