package httpmw_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/riandyrn/otelchi"
	otelchimetric "github.com/riandyrn/otelchi/metric"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/internal/httpconv"
	"github.com/otelkit/otelkit/session"
)

// discardProcessor is a span processor that drops every span: the cost of exporting is left out, equally
// for every middleware measured.
type discardProcessor struct{}

func (discardProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discardProcessor) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discardProcessor) Shutdown(context.Context) error                  { return nil }
func (discardProcessor) ForceFlush(context.Context) error                { return nil }

// benchProviders returns real SDK providers: every span sampled and processed (then dropped), every
// measurement aggregated by a manual reader.
func benchProviders(b *testing.B) (*sdktrace.TracerProvider, *sdkmetric.MeterProvider) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithSpanProcessor(discardProcessor{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return tp, mp
}

func benchRouter(mw func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	if mw != nil {
		r.Use(mw)
	}
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		_ = session.FromContext(r.Context())
		_, _ = io.WriteString(w, chi.URLParam(r, "id"))
	})
	return r
}

// floorMiddleware does only what the SDK needs to record the same telemetry as httpmw for the benchmark's
// request, with everything precomputed: start a span with the start attributes, serve, set the response
// attributes, record the three histograms with a prebuilt attribute set, end the span. No trace context
// extraction, no session, no status or size tracking: it is the lower bound for any middleware that
// records what httpmw and otelhttp record, the SDK's own cost.
func floorMiddleware(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider) func(http.Handler) http.Handler {
	tracer := tp.Tracer("floor")
	inst, _ := httpconv.NewServerInstruments(mp.Meter("floor"))
	start := trace.WithAttributes(semconv.ServerAddress("example.com"), semconv.HTTPRequestMethodGet,
		semconv.URLScheme("http"), semconv.UserAgentOriginal("bench/1.0"), semconv.ClientAddress("192.0.2.1"),
		semconv.URLPath("/users/42"))
	kind := trace.WithSpanKind(trace.SpanKindServer)
	end := []attribute.KeyValue{semconv.NetworkPeerAddress("192.0.2.1"), semconv.NetworkPeerPort(1234),
		semconv.NetworkProtocolVersion("1.1"), semconv.SessionID("sess-1"), semconv.HTTPRoute("/users/{id}"),
		semconv.HTTPResponseBodySize(2), semconv.HTTPResponseStatusCode(200)}
	ma := httpconv.NewMetricAttrs("", semconv.HTTPRequestMethodGet, semconv.URLScheme("http"),
		semconv.ServerAddress("example.com"), semconv.NetworkProtocolName("http"),
		semconv.NetworkProtocolVersion("1.1"), semconv.HTTPResponseStatusCode(200), semconv.HTTPRoute("/users/{id}"))
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t0 := time.Now()
			ctx, span := tracer.Start(r.Context(), "GET", kind, start)
			next.ServeHTTP(w, r.WithContext(ctx))
			span.SetName("GET /users/{id}")
			span.SetAttributes(end...)
			inst.RequestSize.Record(ctx, 0, ma.Opts...)
			inst.ResponseSize.Record(ctx, 2, ma.Opts...)
			inst.Duration.Record(ctx, time.Since(t0).Seconds(), ma.Opts...)
			span.End()
		})
	}
}

// BenchmarkServer compares, on the same chi route and request (with a traceparent and a session id
// header), chi alone, chi with otelhttp's middleware, the SDK floor for the same telemetry (see
// floorMiddleware), chi with riandyrn/otelchi (a test-only dependency), and chi with ours (traces, metrics
// and sessions). Every provider samples every span and processes it (then drops it), and aggregates every
// measurement. Besides ns/op the benchmark reports cpu-ns/op, the process CPU time per request (GC
// included), which is steadier than wall time on a busy machine.
func BenchmarkServer(b *testing.B) {
	req := httptest.NewRequest(http.MethodGet, "http://example.com/users/42", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req.Header.Set("X-Session-Id", "sess-1")
	req.Header.Set("User-Agent", "bench/1.0")

	run := func(b *testing.B, h http.Handler) {
		b.ReportAllocs()
		cpu0 := processCPU()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
		if cpu := processCPU() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
	b.Run("bare_chi", func(b *testing.B) { run(b, benchRouter(nil)) })
	b.Run("otelhttp_NewMiddleware", func(b *testing.B) {
		tp, mp := benchProviders(b)
		run(b, benchRouter(otelhttp.NewMiddleware("server", otelhttp.WithTracerProvider(tp),
			otelhttp.WithMeterProvider(mp), otelhttp.WithPropagators(
				propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})))))
	})
	b.Run("otelchi", func(b *testing.B) {
		tp, mp := benchProviders(b)
		// otelchi's tracing middleware plus its two request metrics (duration and response size), the closest
		// it offers to the telemetry the others record.
		r := chi.NewRouter()
		mcfg := otelchimetric.NewBaseConfig("server", otelchimetric.WithMeterProvider(mp))
		r.Use(otelchi.Middleware("server", otelchi.WithChiRoutes(r), otelchi.WithTracerProvider(tp),
			otelchi.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))),
			otelchimetric.NewRequestDurationMillis(mcfg), otelchimetric.NewResponseSizeBytes(mcfg))
		r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) {
			_ = session.FromContext(r.Context())
			_, _ = io.WriteString(w, chi.URLParam(r, "id"))
		})
		run(b, r)
	})
	b.Run("sdk_floor_same_telemetry", func(b *testing.B) {
		tp, mp := benchProviders(b)
		run(b, benchRouter(floorMiddleware(tp, mp)))
	})
	b.Run("ours_traces_metrics_session", func(b *testing.B) {
		tp, mp := benchProviders(b)
		run(b, benchRouter(httpmw.New(httpmw.WithTracerProvider(tp), httpmw.WithMeterProvider(mp),
			httpmw.WithSessionResolver(session.NewResolver(session.NewFactory())))))
	})
}
