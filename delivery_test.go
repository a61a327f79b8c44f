package otelkit_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// errorLog collects what the provider reports to its error handler.
type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) handle(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errorLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// protocols lists the three OTLP protocols with the exporter that targets srv.
var protocols = []struct {
	name string
	exp  func(srv *otlptest.Server) otelkit.Exporter
}{
	{"http-protobuf", func(srv *otlptest.Server) otelkit.Exporter { return otelkit.OTLP(srv.HTTPURL()) }},
	{"http-json", func(srv *otlptest.Server) otelkit.Exporter { return otelkit.OTLPJSON(srv.HTTPURL()) }},
	{"grpc", func(srv *otlptest.Server) otelkit.Exporter { return otelkit.OTLPGRPC(srv.GRPCURL()) }},
}

func allSignals(name string, e otelkit.Exporter) otelkit.Settings {
	return otelkit.Settings{ServiceName: name, ServiceVersion: "9.9.9", Environment: "loopback",
		Traces: e, Metrics: e, Logs: e}
}

func TestDeliveryAllSignalsAllProtocols(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			s := allSignals("loopback-"+proto.name, proto.exp(srv))
			s.SpanAttributes = map[string]string{"test.configured_attribute": "configured-value"}
			p, err := otelkit.NewProvider(s)
			if err != nil {
				t.Fatal(err)
			}
			tracer := p.TracerProvider().Tracer("delivery")
			ctx, parent := tracer.Start(t.Context(), "parent", trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("rpc.system", "jsonrpc")))
			cctx, child := tracer.Start(ctx, "child")
			slog.New(p.SlogHandler("delivery")).InfoContext(cctx, "log in child", "answer", 42)
			child.End()
			parent.End()
			meter := p.MeterProvider().Meter("delivery")
			counter, _ := meter.Int64Counter("test.requests")
			counter.Add(ctx, 7, metric.WithAttributes(attribute.String("route", "/a")))
			hist, _ := meter.Float64Histogram("test.latency", metric.WithUnit("ms"))
			hist.Record(ctx, 25)
			hist.Record(ctx, 75)

			if err := p.Shutdown(t.Context()); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}

			spans := srv.Spans()
			if len(spans) != 2 {
				t.Fatalf("received %d spans, want 2", len(spans))
			}
			byName := map[string]otlptest.Span{}
			for _, sp := range spans {
				byName[sp.Span.GetName()] = sp
			}
			ps, cs := byName["parent"], byName["child"]
			if ps.Span == nil || cs.Span == nil {
				t.Fatalf("span names = %v", byName)
			}
			if cs.TraceID() != ps.TraceID() || cs.ParentSpanID() != ps.SpanID() || ps.ParentSpanID() != "" {
				t.Errorf("links: child trace %s parent %s; parent trace %s span %s", cs.TraceID(), cs.ParentSpanID(), ps.TraceID(), ps.SpanID())
			}
			if ps.TraceID() != parent.SpanContext().TraceID().String() {
				t.Errorf("trace id on the wire %s, recorded %s", ps.TraceID(), parent.SpanContext().TraceID())
			}
			if got := ps.Attrs(); got["rpc.system"] != "jsonrpc" || got["test.configured_attribute"] != "configured-value" {
				t.Errorf("parent attributes = %v", got)
			}
			if ps.Span.GetKind() != 2 { // SPAN_KIND_SERVER
				t.Errorf("kind = %v", ps.Span.GetKind())
			}
			if got := otlptest.ServiceName(ps.Resource); got != "loopback-"+proto.name {
				t.Errorf("service.name = %q", got)
			}
			if got := otlptest.AttrMap(ps.Resource.GetAttributes())["deployment.environment.name"]; got != "loopback" {
				t.Errorf("deployment.environment.name = %v", got)
			}

			logs := srv.Logs()
			if len(logs) != 1 || logs[0].Body() != "log in child" {
				t.Fatalf("logs = %v", logs)
			}
			if logs[0].TraceID() != cs.TraceID() || logs[0].SpanID() != cs.SpanID() {
				t.Errorf("log trace/span = %s/%s, want %s/%s", logs[0].TraceID(), logs[0].SpanID(), cs.TraceID(), cs.SpanID())
			}
			if logs[0].Attrs()["answer"] != int64(42) {
				t.Errorf("log attributes = %v", logs[0].Attrs())
			}

			var requests, latency *otlptest.Metric
			for _, m := range srv.Metrics() {
				switch m.Metric.GetName() {
				case "test.requests":
					requests = &m
				case "test.latency":
					latency = &m
				}
			}
			if requests == nil || requests.SumInt() != 7 || requests.PointAttrs()[0]["route"] != "/a" {
				t.Fatalf("test.requests = %+v", requests)
			}
			if latency == nil || latency.HistogramCount() != 2 || latency.HistogramSum() != 100 {
				t.Fatalf("test.latency = %+v", latency)
			}

			for _, r := range srv.Requests() {
				if !r.Accepted {
					t.Errorf("request %s %s rejected: %s", r.Transport, r.Path, r.Err)
				}
				switch proto.name {
				case "http-json":
					if !strings.HasPrefix(r.ContentType, "application/json") || !strings.HasPrefix(r.Path, "/v1/") {
						t.Errorf("json request %s %s", r.Path, r.ContentType)
					}
				case "http-protobuf":
					if r.ContentType != "application/x-protobuf" || r.Path != "/v1/"+string(r.Signal) {
						t.Errorf("protobuf request %s %s", r.Path, r.ContentType)
					}
				case "grpc":
					if r.Transport != otlptest.TransportGRPC {
						t.Errorf("grpc request over %s", r.Transport)
					}
				}
			}
			st := p.Stats()
			if st.Spans.Delivered() != 2 || st.LogRecords.Delivered() != 1 || st.MetricPoints.Delivered() != 2 ||
				st.Spans.Lost()+st.LogRecords.Lost()+st.MetricPoints.Lost() != 0 {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestShutdownTheInstantTheLastSpanEnds(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: proto.exp(srv)}) // 5 s schedule delay: only Shutdown can deliver in time
			if err != nil {
				t.Fatal(err)
			}
			tracer := p.TracerProvider().Tracer("instant")
			for i := range 100 {
				_, span := tracer.Start(t.Context(), "span", trace.WithAttributes(attribute.Int("i", i)))
				span.End()
			}
			start := time.Now()
			if err := p.Shutdown(t.Context()); err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("Shutdown took %v", el)
			}
			if got := len(srv.Spans()); got != 100 {
				t.Fatalf("delivered %d spans, want 100", got)
			}
		})
	}
}

func TestManyGoroutinesAllDelivered(t *testing.T) {
	srv := otlptest.NewServer(t)
	s := otelkit.Settings{Traces: otelkit.OTLP(srv.HTTPURL()), SpanBatch: otelkit.Batch{Blocking: true}}
	p, err := otelkit.NewProvider(s)
	if err != nil {
		t.Fatal(err)
	}
	tracer := p.TracerProvider().Tracer("load")
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				_, span := tracer.Start(context.Background(), "work", trace.WithAttributes(
					attribute.Int("g", g), attribute.Int("i", i)))
				span.End()
			}
		}()
	}
	wg.Wait()
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	spans := srv.Spans()
	seen := make(map[string]bool, len(spans))
	for _, sp := range spans {
		seen[sp.SpanID()] = true
	}
	if len(spans) != 10000 || len(seen) != 10000 {
		t.Fatalf("delivered %d spans (%d distinct), want 10000", len(spans), len(seen))
	}
	if st := p.Stats().Spans; st.Delivered() != 10000 || st.Lost() != 0 {
		t.Fatalf("stats = %+v", st)
	}
}
