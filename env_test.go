package otelkit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
)

func TestSettingsFromEnv(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "checkout")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,service.version=2.4.1,team=pay%20ments")
	t.Setenv("OTEL_PROPAGATORS", "tracecontext, baggage")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc,x-tenant=a")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "2500")
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc")
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4317")
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "X-Tenant=b")
	t.Setenv("OTEL_EXPORTER_OTLP_LOGS_COMPRESSION", "gzip")
	t.Setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
	t.Setenv("OTEL_TRACES_SAMPLER_ARG", "0.25")
	t.Setenv("OTEL_METRIC_EXPORT_INTERVAL", "1500")
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "4096")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "200")
	t.Setenv("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "64")

	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if s.ServiceName != "checkout" || s.ServiceVersion != "2.4.1" || s.Environment != "prod" || s.ResourceAttributes["team"] != "pay ments" {
		t.Errorf("service/version/env/resource = %q %q %q %v", s.ServiceName, s.ServiceVersion, s.Environment, s.ResourceAttributes)
	}
	if strings.Join(s.Propagators, ",") != "tracecontext,baggage" {
		t.Errorf("propagators = %v", s.Propagators)
	}
	tr := s.Traces
	if tr.Kind != otelkit.ExporterOTLP || tr.Protocol != otelkit.ProtocolHTTPJSON ||
		tr.Endpoint != "http://collector:4318/base/v1/traces" || tr.Timeout != 2500*time.Millisecond {
		t.Errorf("traces exporter = %+v", tr)
	}
	if tr.Headers["Authorization"] != "Bearer abc" || tr.Headers["x-tenant"] != "a" {
		t.Errorf("traces headers not decoded: %d headers", len(tr.Headers))
	}
	m := s.Metrics
	if m.Protocol != otelkit.ProtocolGRPC || m.Endpoint != "http://collector:4317" {
		t.Errorf("metrics exporter = %+v", m)
	}
	if len(m.Headers) != 2 || m.Headers["X-Tenant"] != "b" || m.Headers["Authorization"] != "Bearer abc" {
		t.Errorf("metrics headers: the signal's X-Tenant must replace x-tenant and keep Authorization; got keys %d", len(m.Headers))
	}
	if s.Logs.Compression != otelkit.CompressionGzip {
		t.Errorf("logs compression = %q", s.Logs.Compression)
	}
	if s.Sampler.Name != "parentbased_traceidratio" || s.Sampler.Ratio == nil || *s.Sampler.Ratio != 0.25 {
		t.Errorf("sampler = %+v", s.Sampler)
	}
	if s.MetricExportInterval != 1500*time.Millisecond || s.SpanBatch.MaxQueueSize != 4096 ||
		s.SpanBatch.ScheduleDelay != 200*time.Millisecond || s.LogBatch.MaxExportBatchSize != 64 {
		t.Errorf("intervals/batches = %v %+v %+v", s.MetricExportInterval, s.SpanBatch, s.LogBatch)
	}
	// The settings build a provider, and code overrides the environment.
	s.Traces = otelkit.Exporter{}
	p, err := otelkit.NewProvider(s)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(t.Context())
	if got := p.Exporters()[1].String(); got != "metrics: otlp grpc http://collector:4317" {
		t.Errorf("metrics exporter = %q", got)
	}
	if got := p.Exporters()[0].String(); got != "traces: none" {
		t.Errorf("code did not override the environment: %q", got)
	}
}

func TestSettingsFromEnvNothingConfigured(t *testing.T) {
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if s.Traces.Enabled() || s.Metrics.Enabled() || s.Logs.Enabled() {
		t.Fatalf("an empty environment enabled an exporter: %+v", s)
	}
}

func TestSettingsFromEnvExplicitExporters(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_METRICS_EXPORTER", "console")
	t.Setenv("OTEL_LOGS_EXPORTER", "none")
	t.Setenv("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://ignored:4318")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318")
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if s.Traces.Kind != otelkit.ExporterOTLP || s.Traces.Endpoint != "http://collector:4318" {
		t.Errorf("traces = %+v", s.Traces)
	}
	if s.Metrics.Kind != otelkit.ExporterConsole || s.Logs.Enabled() {
		t.Errorf("metrics = %v, logs = %v", s.Metrics.Kind, s.Logs.Kind)
	}
}

func TestSettingsFromEnvDisabled(t *testing.T) {
	t.Setenv("OTEL_SDK_DISABLED", "TRUE")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	p, err := otelkit.NewProvider(s)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(t.Context())
	if p.Enabled() {
		t.Fatal("OTEL_SDK_DISABLED=true left a signal on")
	}
	_, span := p.TracerProvider().Tracer("t").Start(t.Context(), "noop")
	span.End()
	if span.SpanContext().IsValid() {
		t.Fatal("a disabled provider produced a real span")
	}
}

func TestSettingsFromEnvErrors(t *testing.T) {
	tests := []struct{ name, key, value, wantField, wantMsg string }{
		{"bool", "OTEL_SDK_DISABLED", "yes", "OTEL_SDK_DISABLED", "want true or false"},
		{"exporter", "OTEL_TRACES_EXPORTER", "zipkin", "OTEL_TRACES_EXPORTER", `unknown exporter "zipkin"`},
		{"two exporters", "OTEL_LOGS_EXPORTER", "otlp,console", "OTEL_LOGS_EXPORTER", "one exporter per signal"},
		{"timeout", "OTEL_EXPORTER_OTLP_TIMEOUT", "10s", "OTEL_EXPORTER_OTLP_TIMEOUT", "milliseconds"},
		{"protocol", "OTEL_EXPORTER_OTLP_PROTOCOL", "thrift", "OTEL_EXPORTER_OTLP_PROTOCOL", `unknown protocol "thrift"`},
		{"headers", "OTEL_EXPORTER_OTLP_HEADERS", "Authorization", "OTEL_EXPORTER_OTLP_HEADERS", "key=value"},
		{"header written as Name: value", "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=a,Authorization: Basic " + secret + "==",
			"OTEL_EXPORTER_OTLP_HEADERS", "entry 2 is not name=value"},
		{"header encoding", "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=" + secret + "%zz", "OTEL_EXPORTER_OTLP_HEADERS", "percent-encoding"},
		{"ratio", "OTEL_TRACES_SAMPLER_ARG", "2", "OTEL_TRACES_SAMPLER_ARG", "between 0 and 1"},
		{"queue", "OTEL_BSP_MAX_QUEUE_SIZE", "-5", "OTEL_BSP_MAX_QUEUE_SIZE", "non-negative integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
			t.Setenv("OTEL_TRACES_SAMPLER", "traceidratio")
			t.Setenv(tt.key, tt.value)
			_, err := otelkit.SettingsFromEnv()
			var se *otelkit.SettingsError
			if !errors.As(err, &se) || se.Field != tt.wantField {
				t.Fatalf("err = %v, want a SettingsError for %s", err, tt.wantField)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || strings.Contains(err.Error(), secret) {
				t.Fatalf("err = %q, want it to contain %q and no secret", err, tt.wantMsg)
			}
		})
	}
}

// settingsErrors returns the SettingsErrors joined in err.
func settingsErrors(err error) []*otelkit.SettingsError {
	var out []*otelkit.SettingsError
	var walk func(error)
	walk = func(err error) {
		var se *otelkit.SettingsError
		switch u := err.(type) {
		case *otelkit.SettingsError:
			out = append(out, u)
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		default:
			if errors.As(err, &se) {
				out = append(out, se)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// What NewProvider would refuse is refused by SettingsFromEnv already, once, naming the variable (it used to
// surface later as a Settings field such as Traces.Endpoint, or not at all for a NaN ratio; a bad general
// variable was reported once per signal).
func TestSettingsFromEnvNamesTheVariable(t *testing.T) {
	tests := []struct {
		name      string
		vars      map[string]string
		wantField string
		wantMsg   string
	}{
		{"headers for three signals", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=" + secret + "%zz"}, "OTEL_EXPORTER_OTLP_HEADERS", "percent-encoding"},
		{"timeout for three signals", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_TIMEOUT": "5s"}, "OTEL_EXPORTER_OTLP_TIMEOUT", "milliseconds"},
		{"sampler", map[string]string{"OTEL_TRACES_SAMPLER": "jaeger_remote"}, "OTEL_TRACES_SAMPLER", `unknown sampler "jaeger_remote"`},
		{"NaN ratio", map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "NaN"},
			"OTEL_TRACES_SAMPLER_ARG", "between 0 and 1"},
		{"general endpoint without scheme", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"},
			"OTEL_EXPORTER_OTLP_ENDPOINT", "missing scheme"},
		{"signal endpoint scheme", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "ftp://collector:4318"},
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", `unsupported scheme "ftp"`},
		{"gRPC endpoint with a path", map[string]string{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://collector:4317/v1/metrics",
			"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "grpc"}, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "no path"},
		{"endpoint port", map[string]string{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://collector:99999"},
			"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "port"},
		{"insecure with https", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://collector:4318",
			"OTEL_EXPORTER_OTLP_INSECURE": "true"}, "OTEL_EXPORTER_OTLP_INSECURE", "conflicts with the https endpoint"},
		{"insecure not a boolean", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_INSECURE": "yes"}, "OTEL_EXPORTER_OTLP_INSECURE", "want true or false"},
		{"propagator", map[string]string{"OTEL_PROPAGATORS": "tracecontext,b3"}, "OTEL_PROPAGATORS", "unsupported propagator"},
		{"header value with a line break, for three signals", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_HEADERS": "x-key=" + secret + "%0Ab"}, `OTEL_EXPORTER_OTLP_HEADERS["x-key"]`, "CR or LF"},
		{"header twice in different case", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_HEADERS": "X-Key=" + secret + ",x-key=" + secret}, `OTEL_EXPORTER_OTLP_HEADERS["x-key"]`,
			`duplicate header name (case-insensitive) of "X-Key"`},
		{"header the exporter sets", map[string]string{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://collector:4318",
			"OTEL_EXPORTER_OTLP_LOGS_HEADERS": "Content-Type=" + secret}, `OTEL_EXPORTER_OTLP_LOGS_HEADERS["Content-Type"]`,
			"set by the exporter"},
		{"reserved gRPC metadata", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4317",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "grpc-timeout=" + secret},
			`OTEL_EXPORTER_OTLP_TRACES_HEADERS["grpc-timeout"]`, "reserved gRPC metadata name"},
		{"temporality", map[string]string{"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "sometimes"},
			"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", `unknown temporality "sometimes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.vars {
				t.Setenv(k, v)
			}
			_, err := otelkit.SettingsFromEnv()
			ses := settingsErrors(err)
			if len(ses) != 1 || ses[0].Field != tt.wantField {
				t.Fatalf("err = %v, want exactly one SettingsError for %s", err, tt.wantField)
			}
			if !errors.Is(err, otelkit.ErrInvalidSettings) || !strings.Contains(err.Error(), tt.wantMsg) ||
				strings.Contains(err.Error(), secret) {
				t.Fatalf("err = %q, want it to contain %q and no secret", err, tt.wantMsg)
			}
		})
	}
}

// Enumerated values are case-insensitive, as the OpenTelemetry environment specification asks: a protocol,
// sampler, exporter, compression or temporality in capitals configures what it names.
func TestSettingsFromEnvValuesAnyCase(t *testing.T) {
	for k, v := range map[string]string{
		"OTEL_TRACES_EXPORTER":                              "OTLP",
		"OTEL_EXPORTER_OTLP_ENDPOINT":                       "http://collector:4317",
		"OTEL_EXPORTER_OTLP_PROTOCOL":                       "GRPC",
		"OTEL_EXPORTER_OTLP_COMPRESSION":                    "GZIP",
		"OTEL_TRACES_SAMPLER":                               "ParentBased_TraceIdRatio",
		"OTEL_TRACES_SAMPLER_ARG":                           "0.25",
		"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL":                  "HTTP/JSON",
		"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":                  "http://collector:4318",
		"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "Delta",
	} {
		t.Setenv(k, v)
	}
	s, err := otelkit.SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if s.Traces.Protocol != otelkit.ProtocolGRPC || s.Traces.Compression != otelkit.CompressionGzip ||
		s.Logs.Protocol != otelkit.ProtocolHTTPJSON {
		t.Fatalf("traces %s/%s, logs %s: want grpc/gzip and http/json", s.Traces.Protocol, s.Traces.Compression, s.Logs.Protocol)
	}
	if s.Sampler.Name != "parentbased_traceidratio" || s.Sampler.Ratio == nil || *s.Sampler.Ratio != 0.25 {
		t.Fatalf("sampler = %+v, want parentbased_traceidratio at 0.25", s.Sampler)
	}
	p, err := otelkit.NewProvider(s) // NewProvider accepts what SettingsFromEnv read
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Shutdown(t.Context()) // nothing was recorded: there is nothing to deliver
}
