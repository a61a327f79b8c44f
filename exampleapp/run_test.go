package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit/otlptest"
)

var freePorts = []string{"-http-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0", "-rpc-addr", "127.0.0.1:0"}

// TestRunAgainstCollector: with OTEL_EXPORTER_OTLP_ENDPOINT set, run sends everything there instead of to
// the embedded receiver, and prints the trace ids to look up.
func TestRunAgainstCollector(t *testing.T) {
	col := otlptest.NewServer(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", col.HTTPURL())
	t.Setenv("OTEL_SERVICE_NAME", "exampleapp-collector")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), func() {}, append([]string{"-demo"}, freePorts...), &stdout, &stderr); code != 0 {
		t.Fatalf("run = %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "  telemetry  traces: otlp http/protobuf "+col.HTTPURL()+"/v1/traces\n") {
		t.Errorf("the banner does not name the collector:\n%s", out)
	}
	ids := regexp.MustCompile(`(?m)^         trace ([0-9a-f]{32})$`).FindAllStringSubmatch(out, -1)
	if len(ids) != len(demoSteps) {
		t.Fatalf("%d trace ids printed, want %d:\n%s", len(ids), len(demoSteps), out)
	}
	if n := len(spansOf(col, ids[0][1])); n != 6 {
		t.Errorf("the collector got %d spans of the first turn, want 6", n)
	}
	if n := len(col.Spans()); n != 16 {
		t.Errorf("the collector got %d spans, want 16", n)
	}
	for _, s := range col.Spans() {
		if got := otlptest.ServiceName(s.Resource); got != "exampleapp-collector" {
			t.Fatalf("service.name %q, want OTEL_SERVICE_NAME's", got)
		}
	}
	if !strings.Contains(out, "exported in total    16 spans, ") || strings.Contains(out, "embedded receiver") {
		t.Errorf("report:\n%s", out)
	}
}

// TestRunLostTelemetryFailsDemo: when the collector is unreachable, -demo still stops within its
// deadline, reports the loss and exits 1.
func TestRunLostTelemetryFailsDemo(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "200")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), func() {}, append([]string{"-demo"}, freePorts...), &stdout, &stderr); code != 1 {
		t.Fatalf("run = %d, want 1\nstdout:\n%s", code, stdout.String())
	}
	if !regexp.MustCompile(`exported in total    0 spans, 0 metric points, 0 log records  \(\d+ lost\)`).MatchString(stdout.String()) ||
		!strings.Contains(stdout.String(), "telemetry NOT all delivered") {
		t.Errorf("report:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "were not delivered") || !strings.Contains(stderr.String(), "connection refused") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestRunCommandLine(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "usage: exampleapp"},
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"arguments", []string{"extra"}, 2, `unexpected arguments ["extra"]`},
		{"demo and no-demo", []string{"-demo", "-no-demo"}, 2, "exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), func() {}, tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("run = %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
}

// lockedBuffer is an io.Writer safe for the app's goroutines, which closes ready once the output contains
// marker.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	once   sync.Once
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if strings.Contains(b.buf.String(), b.marker) {
		b.once.Do(func() { close(b.ready) })
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunServesUntilCancelled is `make run -- -no-demo` followed by Ctrl-C: run prints how to try it, serves
// a request (whose trace the embedded receiver prints), and on cancellation drains, flushes, reports and
// exits 0, having turned the signal handling off first.
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdout := &lockedBuffer{marker: "Ctrl-C to stop and flush ==", ready: make(chan struct{})}
	var stderr lockedBuffer
	stopped := 0
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, func() { stopped++ }, append([]string{"-no-demo"}, freePorts...), stdout, &stderr)
	}()
	select {
	case <-stdout.ready:
	case code := <-done:
		t.Fatalf("run returned %d before serving\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("no try-it banner within 30s:\n%s", stdout.String())
	}
	m := regexp.MustCompile(`(?m)^  curl -s (http://127\.0\.0\.1:\d+)/v1/conversations/c1$`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no read command in the banner:\n%s", stdout.String())
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(m[1] + "/v1/conversations/c1")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET the conversation: %s", resp.Status)
	}

	cancel() // Ctrl-C
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return within 30s of the cancellation")
	}
	out := stdout.String()
	if code != 0 || stopped != 1 {
		t.Fatalf("run = %d, signal handling stopped %d times; want 0 and 1\nstdout:\n%s\nstderr:\n%s",
			code, stopped, out, stderr.String())
	}
	for _, re := range []string{
		`(?m)^stopping: draining the servers, then flushing telemetry\.\.\.$`,
		`(?m)^trace [0-9a-f]{32}  GET /v1/conversations/\{id\}  1 span`,
		`(?m)^  flushed at shutdown  \d+ spans?, \d+ metric points?, \d+ log records?$`,
		`(?m)^  exported in total    1 span, \d+ metric points?, \d+ log records?  \(0 lost\)$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output does not match %s", re)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", out, stderr.String())
	}
}
