package otelkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// oneSpan records one span named name and returns the provider's error handler log.
func oneSpan(t *testing.T, p *otelkit.Provider, name string) {
	t.Helper()
	_, span := p.TracerProvider().Tracer("faults").Start(context.Background(), name)
	span.End()
}

func newTraceProvider(t *testing.T, e otelkit.Exporter, log *errorLog) *otelkit.Provider {
	t.Helper()
	e.Retry.InitialInterval = 10 * time.Millisecond
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: e}, otelkit.WithErrorHandler(log.handle))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}

func TestRetryOnUnavailableDeliversExactlyOnce(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.Script(otlptest.Status(503), otlptest.Status(502))
			var log errorLog
			p := newTraceProvider(t, proto.exp(srv), &log)
			oneSpan(t, p, "retried")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := len(srv.Spans()); got != 1 {
				t.Fatalf("delivered %d spans, want exactly 1", got)
			}
			reqs := srv.Requests()
			if len(reqs) != 3 || reqs[0].Accepted || reqs[1].Accepted || !reqs[2].Accepted {
				t.Fatalf("requests = %d (want 503, 502, accepted)", len(reqs))
			}
			if st := p.Stats().Spans; st.Delivered() != 1 || st.Lost() != 0 {
				t.Fatalf("stats = %+v", st)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.Script(otlptest.Status(429).WithRetryAfter(time.Second))
			var log errorLog
			p := newTraceProvider(t, proto.exp(srv), &log)
			oneSpan(t, p, "throttled")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 || !reqs[1].Accepted {
				t.Fatalf("requests = %+v", reqs)
			}
			gap := reqs[1].Time.Sub(reqs[0].Time)
			if gap < 900*time.Millisecond || gap > 3*time.Second {
				t.Fatalf("retried after %v, want about the 1s the server asked for", gap)
			}
		})
	}
}

func TestPermanentErrorIsNotRetried(t *testing.T) {
	srv := otlptest.NewServer(t)
	srv.Script(otlptest.Status(400))
	var log errorLog
	p := newTraceProvider(t, otelkit.OTLP(srv.HTTPURL()), &log)
	oneSpan(t, p, "bad")
	err := p.ForceFlush(t.Context())
	var ee *otelkit.ExportError
	if !errors.As(err, &ee) || ee.StatusCode != 400 || ee.Retryable() {
		t.Fatalf("ForceFlush = %v, want a non-retryable ExportError with status 400", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry on 400)", n)
	}
	if st := p.Stats().Spans; st.Failed != 1 {
		t.Fatalf("stats = %+v, want 1 failed", st)
	}
}

func TestPartialSuccessIsCountedAndReported(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.Script(otlptest.PartialSuccess(1, "span too large"))
			var log errorLog
			p := newTraceProvider(t, proto.exp(srv), &log)
			oneSpan(t, p, "a")
			oneSpan(t, p, "b")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			st := p.Stats().Spans
			if st.Sent != 2 || st.Rejected != 1 || st.Delivered() != 1 {
				t.Fatalf("stats = %+v, want 2 sent, 1 rejected", st)
			}
			var pe *otelkit.PartialSuccessError
			found := false
			for _, err := range log.all() {
				if errors.As(err, &pe) && pe.Rejected == 1 && pe.Message == "span too large" {
					found = true
				}
			}
			if !found {
				t.Fatalf("error handler did not get the partial success: %v", log.all())
			}
		})
	}
}

func TestStalledCollectorShutdownReturnsByDeadline(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.SetDefault(ptr(otlptest.Stall()))
			var log errorLog
			p := newTraceProvider(t, proto.exp(srv), &log)
			oneSpan(t, p, "stuck")
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := p.Shutdown(ctx)
			elapsed := time.Since(start)
			if elapsed > time.Second {
				t.Fatalf("Shutdown took %v with a 200ms deadline", elapsed)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Shutdown = %v, want it to wrap context.DeadlineExceeded", err)
			}
			// It used to name the deadline three times over.
			if n := strings.Count(err.Error(), context.DeadlineExceeded.Error()); n != 1 {
				t.Fatalf("Shutdown error names the deadline %d times, want once: %v", n, err)
			}
			var de *otelkit.DropError
			if !errors.As(err, &de) || de.Count != 1 {
				t.Fatalf("Shutdown = %v, want a DropError for the 1 undelivered span", err)
			}
			if st := p.Stats().Spans; st.Dropped != 1 {
				t.Fatalf("stats = %+v", st)
			}
			srv.SetDefault(nil)
			srv.Release()
		})
	}
}

func TestCollectorDownShutdownIsBoundedAndReportsDrops(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			// Registered first, so it runs last: once the provider and the receiver are gone, nothing this
			// test started (workers, retries, connections, the reporter) may still be running.
			before := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, before) })
			srv := otlptest.NewServer(t)
			exp := proto.exp(srv)
			if err := srv.Pause(); err != nil { // connection refused from now on
				t.Fatal(err)
			}
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			for range 5 {
				oneSpan(t, p, "lost")
			}
			ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := p.Shutdown(ctx)
			if el := time.Since(start); el > 1500*time.Millisecond {
				t.Fatalf("Shutdown took %v with a 500ms deadline", el)
			}
			if err == nil {
				t.Fatal("Shutdown reported success with the collector down")
			}
			if st := p.Stats().Spans; st.Dropped != 5 || st.Sent != 0 {
				t.Fatalf("stats = %+v, want 5 dropped", st)
			}
			var de *otelkit.DropError
			if !errors.As(err, &de) || de.Count != 5 {
				t.Fatalf("Shutdown = %v, want a DropError for 5 spans", err)
			}
		})
	}
}

func TestOutageThenRecoveryDeliversQueuedSpans(t *testing.T) {
	srv := otlptest.NewServer(t)
	exp := otelkit.OTLP(srv.HTTPURL())
	exp.Timeout = 300 * time.Millisecond
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	var log errorLog
	p := newTraceProvider(t, exp, &log)
	for range 20 {
		oneSpan(t, p, "during-outage")
	}
	if err := p.ForceFlush(t.Context()); err == nil {
		t.Fatal("ForceFlush succeeded with the collector down")
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatalf("Shutdown after recovery: %v", err)
	}
	if got := len(srv.Spans()); got != 20 {
		t.Fatalf("delivered %d spans after the outage, want all 20", got)
	}
	if st := p.Stats().Spans; st.Delivered() != 20 || st.Lost() != 0 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestConfiguredHeadersArrive(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			exp := proto.exp(srv).WithHeader("X-Api-Key", secret).WithHeader("X-Tenant", "acme")
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			oneSpan(t, p, "with-headers")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			r := srv.Requests()[0]
			if r.Header.Get("X-Api-Key") != secret || r.Header.Get("X-Tenant") != "acme" {
				t.Fatalf("headers received: %v", r.Header)
			}
		})
	}
}

func TestGzipCompression(t *testing.T) {
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			exp := proto.exp(srv)
			exp.Compression = otelkit.CompressionGzip
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			oneSpan(t, p, "zipped")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			r := srv.Requests()[0]
			if r.ContentEncoding != "gzip" || !r.Accepted || srv.Spans()[0].Span.GetName() != "zipped" {
				t.Fatalf("request encoding %q accepted %v", r.ContentEncoding, r.Accepted)
			}
		})
	}
}

func TestEndpointPaths(t *testing.T) {
	tests := []struct{ name, suffix, wantPath string }{
		{"base URL", "", "/v1/traces"},
		{"base URL with slash", "/", "/v1/traces"},
		{"full URL", "/custom/v1/traces", "/custom/v1/traces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := otlptest.NewServer(t)
			var log errorLog
			p := newTraceProvider(t, otelkit.OTLP(srv.HTTPURL()+tt.suffix), &log)
			oneSpan(t, p, "path")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if r := srv.Requests()[0]; r.Path != tt.wantPath || !r.Accepted {
				t.Fatalf("posted to %q (accepted %v), want %q", r.Path, r.Accepted, tt.wantPath)
			}
		})
	}
}

func TestTLSAndMutualTLS(t *testing.T) {
	certs := otlptest.NewCertificates(t)
	for _, proto := range protocols {
		t.Run(proto.name+"/tls", func(t *testing.T) {
			srv := otlptest.NewServer(t, otlptest.WithTLS(certs.ServerTLS()))
			exp := proto.exp(srv)
			exp.TLS.CAFile = certs.CAFile
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			oneSpan(t, p, "over-tls")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := srv.Spans(); len(got) != 1 || got[0].Span.GetName() != "over-tls" {
				t.Fatalf("spans = %v", got)
			}
		})
		t.Run(proto.name+"/mtls", func(t *testing.T) {
			srv := otlptest.NewServer(t, otlptest.WithTLS(certs.ServerMTLS()))
			exp := proto.exp(srv)
			exp.TLS = otelkit.TLS{CAFile: certs.CAFile, CertFile: certs.ClientCertFile, KeyFile: certs.ClientKeyFile}
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			oneSpan(t, p, "over-mtls")
			if err := p.ForceFlush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := len(srv.Spans()); got != 1 {
				t.Fatalf("delivered %d spans over mTLS", got)
			}
		})
		t.Run(proto.name+"/mtls-without-client-cert", func(t *testing.T) {
			srv := otlptest.NewServer(t, otlptest.WithTLS(certs.ServerMTLS()))
			exp := proto.exp(srv)
			exp.TLS = otelkit.TLS{CAFile: certs.CAFile}
			exp.Timeout = 500 * time.Millisecond
			var log errorLog
			p := newTraceProvider(t, exp, &log)
			oneSpan(t, p, "refused")
			err := p.ForceFlush(t.Context())
			if err == nil || len(srv.Spans()) != 0 {
				t.Fatalf("ForceFlush = %v with %d spans accepted; the receiver must refuse a client without a certificate",
					err, len(srv.Spans()))
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Fatalf("error leaks key material: %v", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
