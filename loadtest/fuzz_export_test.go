package loadtest_test

// Fuzz targets for the parsers of the root package that had none: the OTEL_* environment
// (SettingsFromEnv, then NewProvider) and the collector's answers to an OTLP/HTTP export (status, Retry-After,
// Content-Type and body: google.rpc.Status, JSON or text messages, partial success). Seed corpora are in
// testdata/fuzz/<Name>/.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
)

// controlFree reports whether s has no control characters other than the line feeds that join errors.
func controlFree(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			return false
		}
	}
	return true
}

// FuzzSettingsFromEnv: reading the OTEL_* variables and building a provider from them never panics;
// every error wraps ErrInvalidSettings, carries no control characters from the input (log injection), and
// never contains a header value; a provider that is built describes its exporters without header values.
func FuzzSettingsFromEnv(f *testing.F) {
	f.Add("api-key=secret123,tenant=acme", "service.name=checkout,deployment.environment.name=prod", "2500",
		"parentbased_traceidratio", "0.25", "http/protobuf")
	f.Fuzz(func(t *testing.T, headers, resource, timeout, sampler, samplerArg, protocol string) {
		vars := map[string]string{
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318", "OTEL_METRICS_EXPORTER": "none",
			"OTEL_LOGS_EXPORTER": "none", "OTEL_EXPORTER_OTLP_HEADERS": headers, "OTEL_RESOURCE_ATTRIBUTES": resource,
			"OTEL_EXPORTER_OTLP_TIMEOUT": timeout, "OTEL_TRACES_SAMPLER": sampler,
			"OTEL_TRACES_SAMPLER_ARG": samplerArg, "OTEL_EXPORTER_OTLP_PROTOCOL": protocol,
		}
		for k, v := range vars {
			if strings.ContainsRune(v, 0) {
				return // not representable in the environment
			}
			t.Setenv(k, v)
		}
		var values []string // header values worth looking for in messages
		for _, part := range strings.Split(headers, ",") {
			if _, v, ok := strings.Cut(part, "="); ok && len(strings.TrimSpace(v)) >= 8 {
				values = append(values, strings.TrimSpace(v))
			}
		}
		check := func(what string, err error) {
			if err == nil {
				return
			}
			if !errors.Is(err, otelkit.ErrInvalidSettings) {
				t.Fatalf("%s error %v does not wrap ErrInvalidSettings", what, err)
			}
			msg := err.Error()
			if !controlFree(msg) {
				t.Fatalf("%s error carries control characters: %q", what, msg)
			}
			for _, v := range values {
				if strings.Contains(msg, v) && !strings.Contains(headersNames(headers), v) {
					t.Fatalf("%s error shows the header value %q: %s", what, v, msg)
				}
			}
		}
		s, err := otelkit.SettingsFromEnv()
		check("SettingsFromEnv", err)
		if err != nil {
			return
		}
		p, err := otelkit.NewProvider(s)
		check("NewProvider", err)
		if err != nil {
			return
		}
		for _, e := range p.Exporters() {
			for _, v := range values {
				if strings.Contains(e.String(), v) {
					t.Fatalf("exporter description %q shows the header value %q", e, v)
				}
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := p.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown of an unused provider: %v", err)
		}
	})
}

// headersNames returns the names of a header list, where a value may legitimately also appear.
func headersNames(headers string) string {
	var names []string
	for _, part := range strings.Split(headers, ",") {
		k, _, _ := strings.Cut(part, "=")
		names = append(names, k)
	}
	return strings.Join(names, ",")
}

// response is what the fuzzed collector answers.
type response struct {
	status      int
	contentType string
	retryAfter  string
	body        []byte
}

// FuzzCollectorResponse: whatever the collector answers to an OTLP/HTTP trace export (any status from 200
// to 599, Content-Type, Retry-After and body), the export never panics or hangs past its timeout; a 2xx
// counts the span as sent and returns no error; anything else returns an ExportError with that status,
// a short message free of control characters, and counts nothing as sent. Whatever partial success a 2xx
// body claims, Stats.Rejected never exceeds Stats.Sent (see TestRegressionRejectedExceedsSent).
func FuzzCollectorResponse(f *testing.F) {
	f.Add(503, "text/plain", "1", []byte("busy"))
	// 200 with partial_success{rejected_spans: 5} for an export of one span.
	f.Add(200, "application/x-protobuf", "", []byte{0x0a, 0x02, 0x08, 0x05})
	f.Add(429, "application/json", "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"code":8,"message":"slow down"}`))
	var current atomic.Pointer[response]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := current.Load()
		w.Header().Set("Content-Type", resp.contentType)
		if resp.retryAfter != "" {
			w.Header().Set("Retry-After", resp.retryAfter)
		}
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.body)
	}))
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, status int, contentType, retryAfter string, body []byte) {
		status = 200 + (status%400+400)%400 // 200..599
		current.Store(&response{status: status, contentType: headerSafe(contentType), retryAfter: headerSafe(retryAfter), body: body})
		e := otelkit.OTLP(srv.URL)
		e.Timeout = 500 * time.Millisecond
		e.Retry.Disabled = true
		p, err := otelkit.NewProvider(otelkit.Settings{Traces: e}, otelkit.WithErrorHandler(func(error) {}))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = p.Shutdown(context.Background()) }()
		_, span := p.TracerProvider().Tracer("fuzz").Start(context.Background(), "op")
		span.End()
		start := time.Now()
		err = p.ForceFlush(context.Background())
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("export took %v with a 500ms timeout", took)
		}
		st := p.Stats().Spans
		if status < 300 {
			if err != nil || st.Sent != 1 || st.Failed+st.Dropped != 0 || st.Rejected > st.Sent {
				t.Fatalf("status %d: err %v, stats %+v; want the span sent, at most it rejected", status, err, st)
			}
			return
		}
		var ee *otelkit.ExportError
		if !errors.As(err, &ee) || ee.StatusCode != status || st.Sent != 0 {
			t.Fatalf("status %d: err %v, stats %+v; want an ExportError with the status", status, err, st)
		}
		if len(ee.Message) > 256+len("…") || !controlFree(ee.Message) || strings.Contains(ee.Message, "\n") {
			t.Fatalf("message not sanitised: %q", ee.Message)
		}
	})
}

// headerSafe keeps the bytes a header value may carry.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 {
			return -1
		}
		return r
	}, s)
}
