package loadtest_test

import (
	"bytes"
	"context"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// headerSecret is the configured header value (an API key) that must never be shown.
const headerSecret = "sk-live-5ecr3t-7d1e90a4c2b8"

// logCapture receives everything logged through slog's default logger, the log package and the
// OpenTelemetry global error handler while a test runs.
type logCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *logCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *logCapture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// captureLogs routes slog's default logger, the log package and otel.Handle into a logCapture until the
// test ends. The test must not run in parallel with others.
func captureLogs(t *testing.T) *logCapture {
	c := &logCapture{}
	prevSlog, prevOut, prevFlags, prevOtel := slog.Default(), log.Writer(), log.Flags(), otel.GetErrorHandler()
	slog.SetDefault(slog.New(slog.NewTextHandler(c, &slog.HandlerOptions{Level: slog.LevelDebug})))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { slog.Error("otel error", "err", err) }))
	t.Cleanup(func() {
		slog.SetDefault(prevSlog)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
		otel.SetErrorHandler(prevOtel)
	})
	return c
}

// keyMaterial returns the secrets of a PEM private key: every line of its base64 body, and the PEM label.
func keyMaterial(pemBytes []byte) []string {
	out := []string{"PRIVATE KEY"}
	for _, line := range strings.Split(string(pemBytes), "\n") {
		if line = strings.TrimSpace(line); len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	return out
}

// noSecrets fails t if any of texts contains any of secrets.
func noSecrets(t testing.TB, where string, texts []string, secrets []string) {
	t.Helper()
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Fatalf("%s shows a secret (%.12q…): %s", where, s, text)
			}
		}
	}
}

func errorTexts(errs ...error) []string {
	var out []string
	for _, err := range errs {
		if err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

// Failed exports (collector down, refusing, throttling past the timeout, untrusted server certificate,
// client certificate refused) with an API key header, credentials in the endpoint URL and a client private
// key configured: neither the errors returned by ForceFlush and Shutdown, nor what the default error
// handler (otel.Handle) and the app's slog logging print, show the key or the key material.
func TestSecretsNotInExportErrorsOrLogs(t *testing.T) {
	logs := captureLogs(t)
	certs, other := otlptest.NewCertificates(t), otlptest.NewCertificates(t)
	secrets := append([]string{headerSecret}, keyMaterial(certs.ClientKeyPEM)...)
	clientPair := otelkit.TLS{CertPEM: certs.ClientCertPEM, KeyPEM: certs.ClientKeyPEM}
	scenarios := []struct {
		name  string
		setup func(t *testing.T) (*otlptest.Server, otelkit.TLS)
	}{
		{"collector down", func(t *testing.T) (*otlptest.Server, otelkit.TLS) {
			col := otlptest.NewServer(t)
			if err := col.Pause(); err != nil {
				t.Fatal(err)
			}
			return col, otelkit.TLS{}
		}},
		{"collector refuses 401", func(t *testing.T) (*otlptest.Server, otelkit.TLS) {
			col := otlptest.NewServer(t)
			col.SetDefault(ptr(otlptest.Status(401)))
			return col, otelkit.TLS{}
		}},
		{"collector throttles past the timeout", func(t *testing.T) (*otlptest.Server, otelkit.TLS) {
			col := otlptest.NewServer(t)
			col.SetDefault(ptr(otlptest.Status(503)))
			return col, otelkit.TLS{}
		}},
		{"server certificate not trusted", func(t *testing.T) (*otlptest.Server, otelkit.TLS) {
			tls := clientPair
			tls.CAPEM = certs.CAPEM
			return otlptest.NewServer(t, otlptest.WithTLS(other.ServerTLS())), tls
		}},
		{"client certificate refused", func(t *testing.T) (*otlptest.Server, otelkit.TLS) {
			tls := clientPair
			tls.CAPEM = other.CAPEM
			return otlptest.NewServer(t, otlptest.WithTLS(other.ServerMTLS())), tls
		}},
	}
	for _, proto := range protocols {
		for _, sc := range scenarios {
			t.Run(proto.name+"/"+sc.name, func(t *testing.T) {
				col, tls := sc.setup(t)
				e := proto.exp(col).WithHeader("Authorization", "Bearer "+headerSecret)
				if proto.name != grpcProto.name {
					e.Endpoint = strings.Replace(e.Endpoint, "://", "://svc:"+headerSecret+"@", 1) + "?api_key=" + headerSecret
				}
				e.TLS = tls
				e.Timeout = 300 * time.Millisecond
				e.Retry.InitialInterval = 20 * time.Millisecond
				p, err := otelkit.NewProvider(otelkit.Settings{Traces: e, Metrics: e, Logs: e}) // errors go to otel.Handle
				if err != nil {
					t.Fatal(err)
				}
				_, span := p.TracerProvider().Tracer("secrets").Start(t.Context(), "op")
				slog.New(p.SlogHandler("secrets")).InfoContext(t.Context(), "hello")
				span.End()
				flushErr := p.ForceFlush(t.Context())
				if flushErr == nil {
					t.Fatal("ForceFlush succeeded; the scenario must make exports fail")
				}
				slog.Error("telemetry flush failed", "err", flushErr) // what an app does with it
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
				defer cancel()
				shutdownErr := p.Shutdown(ctx)
				slog.Error("telemetry shutdown failed", "err", shutdownErr)
				noSecrets(t, "error", errorTexts(flushErr, shutdownErr), secrets)
				noSecrets(t, "log output", []string{logs.String()}, secrets)
				host := strings.TrimPrefix(strings.TrimPrefix(col.HTTPURL(), "https://"), "http://")
				if proto.name != grpcProto.name && !strings.Contains(flushErr.Error(), host+"/v1/") {
					t.Fatalf("the error does not name the endpoint (without credentials): %v", flushErr)
				}
			})
		}
	}
	if !strings.Contains(logs.String(), "telemetry flush failed") {
		t.Fatalf("log capture saw nothing: %q", logs.String())
	}
}

// A collector that redirects the export to another host does not get the API key sent there: the
// exporter refuses to follow, and the error does not show the key.
func TestSecretNotSentAcrossRedirect(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another host, same machine
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherURL+"/v1/traces", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	e := otelkit.OTLP(redirect.URL).WithHeader("Authorization", "Bearer "+headerSecret)
	e.Retry.Disabled = true
	var errs errorLog
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: e}, otelkit.WithErrorHandler(errs.handle))
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.TracerProvider().Tracer("secrets").Start(t.Context(), "op")
	span.End()
	flushErr := p.ForceFlush(t.Context())
	_ = p.Shutdown(t.Context())
	if flushErr == nil || !strings.Contains(flushErr.Error(), "redirect") {
		t.Fatalf("ForceFlush = %v, want the cross-host redirect refused", flushErr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Fatalf("the other host received %d exports (Authorization %q)", len(leaked), leaked)
	}
	noSecrets(t, "error", append(errorTexts(flushErr), errorTexts(errs.all()...)...), []string{headerSecret})
}

// The instrumented app under load exports over mutual TLS with an API key header: every export carries
// the header (so the secret is in use), and no decoded payload of any signal, nor any error or log line,
// contains the header value or the private key.
func TestSecretsNotInPayloads(t *testing.T) {
	logs := captureLogs(t)
	certs := otlptest.NewCertificates(t)
	secrets := append([]string{headerSecret}, keyMaterial(certs.ClientKeyPEM)...)
	for _, proto := range protocols {
		t.Run(proto.name, func(t *testing.T) {
			s := newSystem(t, sysConfig{proto: proto, mtls: certs, slog: true,
				headers: map[string]string{"Authorization": "Bearer " + headerSecret, "X-Api-Key": headerSecret}})
			s.load(t, 50)
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
			reqs := s.col.Requests()
			signals := map[otlptest.Signal]bool{}
			for _, r := range reqs {
				if r.Header.Get("Authorization") != "Bearer "+headerSecret || r.Header.Get("X-Api-Key") != headerSecret {
					t.Fatalf("%s export without the configured headers", r.Signal)
				}
				signals[r.Signal] = true
				noSecrets(t, string(r.Signal)+" payload", []string{string(r.Body)}, secrets)
			}
			if len(signals) != 3 {
				t.Fatalf("exports of %v, want all three signals", signals)
			}
			delivered(t, s.col, 50, 50, true)
			noSecrets(t, "error handler", errorTexts(s.errs.all()...), secrets)
		})
	}
	noSecrets(t, "log output", []string{logs.String()}, secrets)
}
