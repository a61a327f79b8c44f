package httpmw_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/httpmw"
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

// BenchmarkServer compares, on the same chi route and request (with a traceparent and a session id
// header), chi alone, chi with otelhttp's middleware, and chi with ours (traces, metrics and sessions).
// otelchi (github.com/riandyrn/otelchi) is not measured: it is not a dependency of this module.
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
	b.Run("ours_traces_metrics_session", func(b *testing.B) {
		tp, mp := benchProviders(b)
		run(b, benchRouter(httpmw.New(httpmw.WithTracerProvider(tp), httpmw.WithMeterProvider(mp),
			httpmw.WithSessionResolver(session.NewResolver(session.NewFactory())))))
	})
}
