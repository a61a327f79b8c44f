package otelkit_test

// Regression tests for defects found in review (all fixed): redirects, secrets in collector echoes,
// re-entrant error handlers, gRPC metadata rules, long Retry-After, cardinality, env URLs, ports.

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// A 302 to a login page used to turn the POST into a GET whose 200 counted as delivered; an https endpoint
// redirecting to http used to carry the API key in plaintext. Redirects are not followed at all.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var followed atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer plain.Close()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, plain.URL+"/login", code)
		}))
		var log errorLog
		e := otelkit.OTLP(redirector.URL).WithHeader("X-Api-Key", secret)
		p := newTraceProvider(t, e, &log)
		oneSpan(t, p, "redirected")
		err := p.ForceFlush(t.Context())
		var ee *otelkit.ExportError
		if !errors.As(err, &ee) || ee.StatusCode != code || ee.Retryable() {
			t.Errorf("%d: ForceFlush = %v, want a permanent ExportError with the redirect status", code, err)
		}
		if st := p.Stats().Spans; st.Sent != 0 || st.Failed != 1 {
			t.Errorf("%d: stats = %+v, want the span failed, not delivered", code, st)
		}
		redirector.Close()
	}
	if n := followed.Load(); n != 0 {
		t.Fatalf("the redirect target was contacted %d times", n)
	}
}

// A collector (or proxy) that echoes the request in its error must not put the endpoint's credentials or
// query into errors.
func TestEndpointSecretsAreRedactedFromCollectorMessages(t *testing.T) {
	const query, user, pass = "QUERYSECRET123", "svc-user", "S3cretPassw0rd"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "bad credentials: query="+r.URL.RawQuery+" auth="+r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://"+user+":"+pass+"@", 1) + "/v1/traces?api_key=" + query
	var log errorLog
	p := newTraceProvider(t, otelkit.OTLP(u), &log)
	oneSpan(t, p, "echoed")
	err := p.ForceFlush(t.Context())
	if err == nil {
		t.Fatal("export to a 401 succeeded")
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	for _, s := range []string{query, pass, basic} {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error leaks %q: %v", s, err)
		}
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("error %v does not show where the collector's text was redacted", err)
	}
}

// The error handler logs through the provider's own slog bridge, with a blocking log queue and a failing
// collector: it used to run on the log worker, which then blocked on its own full queue for good.
func TestErrorHandlerMayLogThroughTheProvider(t *testing.T) {
	srv := otlptest.NewServer(t)
	srv.SetDefault(ptr(otlptest.Status(503)))
	e := otelkit.OTLP(srv.HTTPURL())
	e.Timeout = 200 * time.Millisecond
	var logger atomic.Pointer[slog.Logger]
	p, err := otelkit.NewProvider(otelkit.Settings{Logs: e,
		LogBatch: otelkit.Batch{MaxQueueSize: 4, MaxExportBatchSize: 4, ScheduleDelay: 20 * time.Millisecond, Blocking: true}},
		otelkit.WithErrorHandler(func(err error) {
			if l := logger.Load(); l != nil {
				l.Warn("opentelemetry export problem", "error", err)
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	logger.Store(slog.New(p.SlogHandler("app")))
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			logger.Load().Info("request")
		}
	})
	srv.WaitRequests(t, 3, 10*time.Second) // failing exports, so the handler is being called
	srv.SetDefault(nil)                    // the collector recovers
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("producers still blocked 10s after the collector recovered: the log worker is stuck")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_ = p.Shutdown(ctx)
	got := 0
	for _, r := range srv.Logs() {
		if r.Body() == "request" {
			got++
		}
	}
	if got != 20 {
		t.Fatalf("delivered %d of the 20 application log records", got)
	}
}

// Metadata gRPC refuses used to pass validation and then fail every export as non-retryable.
func TestGRPCMetadataRulesAtConstruction(t *testing.T) {
	for name, h := range map[string][2]string{
		"token char not allowed in gRPC": {"x-api!key", "v"},
		"tab in value":                   {"x-api-key", "a\tb"},
		"non-ASCII value":                {"x-tenant", "café"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLPGRPC("http://127.0.0.1:4317").WithHeader(h[0], h[1])})
			if !errors.Is(err, otelkit.ErrInvalidSettings) || !strings.Contains(err.Error(), "Traces.Headers") {
				t.Fatalf("err = %v, want a settings error on Traces.Headers", err)
			}
		})
	}
	// The same values are fine over HTTP.
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP("http://127.0.0.1:4318").WithHeader("x-api!key", "café")})
	if err != nil {
		t.Fatalf("HTTP: %v", err)
	}
	_ = p.Shutdown(t.Context())
}

// A Retry-After longer than the export's budget is remembered: later cycles do not send before it.
func TestLongRetryAfterHoldsLaterExports(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.Script(otlptest.Status(429).WithRetryAfter(time.Minute))
			e := proto.exp(srv)
			e.Timeout = 200 * time.Millisecond
			// Each background cycle that keeps to the collector's minute fails at once, without sending, with an
			// ExportError of 0 attempts.
			const cycles = 5
			var held atomic.Int32
			heldEnough := make(chan struct{})
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: e, SpanBatch: otelkit.Batch{ScheduleDelay: 20 * time.Millisecond}},
				otelkit.WithErrorHandler(func(err error) {
					var ee *otelkit.ExportError
					if errors.As(err, &ee) && ee.Attempts == 0 && ee.Retryable() && held.Add(1) == cycles {
						close(heldEnough)
					}
				}))
			if err != nil {
				t.Fatal(err)
			}
			oneSpan(t, p, "throttled")
			select {
			case <-heldEnough:
			case <-time.After(10 * time.Second):
				t.Fatalf("only %d export cycles were held back by the Retry-After within 10s", held.Load())
			}
			if n := len(srv.Requests()); n != 1 {
				t.Fatalf("%d requests after %d cycles within the minute the collector asked to wait, want 1", n, cycles)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			var de *otelkit.DropError
			if err := p.Shutdown(ctx); !errors.As(err, &de) || de.Count != 1 {
				t.Fatalf("Shutdown = %v, want the throttled span reported as dropped", err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Fatalf("Shutdown sent to a collector that asked to wait a minute (%d requests)", n)
			}
		})
	}
}

// A negative MetricCardinalityLimit means no limit (it used to leave the SDK's 2000).
func TestNegativeCardinalityLimitMeansNone(t *testing.T) {
	mem := otelkit.NewMemory()
	p := memoryProvider(t, mem, func(s *otelkit.Settings) { s.MetricCardinalityLimit = -1 })
	c, _ := p.MeterProvider().Meter("m").Int64Counter("series")
	for i := range 2500 {
		c.Add(t.Context(), 1, metric.WithAttributes(attribute.Int("i", i)))
	}
	if err := p.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	sum := mem.Metrics()[0].ScopeMetrics[0].Metrics[0].Data.(metricdata.Sum[int64])
	if n := len(sum.DataPoints); n != 2500 {
		t.Fatalf("%d series exported, want all 2500 (no limit, no overflow series)", n)
	}
}

// The general endpoint variable keeps its query after the signal path.
func TestEnvEndpointWithQuery(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/base?tenant=abc")
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Traces.Endpoint; got != "https://collector:4318/base/v1/traces?tenant=abc" {
		t.Fatalf("traces endpoint = %q", got)
	}
}

func TestInvalidPortsRejected(t *testing.T) {
	for _, e := range []otelkit.Exporter{
		otelkit.OTLP("http://collector:99999"), otelkit.OTLP("http://collector:0"), otelkit.OTLP("http://collector:"),
		otelkit.OTLPGRPC("collector:99999"), otelkit.OTLPGRPC("collector:abc"), otelkit.OTLPGRPC("http://collector:0"),
	} {
		_, err := otelkit.NewProvider(otelkit.Settings{Traces: e})
		var se *otelkit.SettingsError
		if !errors.As(err, &se) || se.Field != "Traces.Endpoint" {
			t.Errorf("%s: err = %v, want a Traces.Endpoint error", e.Endpoint, err)
		}
	}
}
