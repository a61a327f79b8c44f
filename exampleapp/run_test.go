package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

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
