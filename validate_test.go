package otelkit_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/otelkit/otelkit"
)

const secret = "s3cr3t-api-key-value"

func TestNewProviderRejectsBadSettings(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	badPEM := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(badPEM, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tooBig, half := 1.5, 0.5
	withHeaders := func(e otelkit.Exporter, h map[string]string) otelkit.Exporter { e.Headers = h; return e }
	tests := []struct {
		name      string
		settings  otelkit.Settings
		field     string // SettingsError.Field of the first error
		wantInMsg string
	}{
		{"no scheme", otelkit.Settings{Traces: otelkit.OTLP("collector:4318")}, "Traces.Endpoint", "missing scheme"},
		{"bad scheme", otelkit.Settings{Logs: otelkit.OTLP("ftp://collector")}, "Logs.Endpoint", `unsupported scheme "ftp"`},
		{"not a URL", otelkit.Settings{Metrics: otelkit.OTLP("http://bad host:4318")}, "Metrics.Endpoint", "not a valid URL"},
		{"missing host", otelkit.Settings{Traces: otelkit.OTLP("http:///v1/traces")}, "Traces.Endpoint", "missing host"},
		{"grpc path", otelkit.Settings{Traces: otelkit.OTLPGRPC("http://c:4317/v1/traces")}, "Traces.Endpoint", "has no path"},
		{"grpc no port", otelkit.Settings{Traces: otelkit.OTLPGRPC("collector")}, "Traces.Endpoint", "want host:port"},
		{"unknown protocol", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: "http/xml"}},
			"Traces.Protocol", `unknown protocol "http/xml"`},
		{"unknown compression", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Compression: "zstd"}},
			"Traces.Compression", `unknown compression "zstd"`},
		{"negative timeout", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Timeout: -1}},
			"Traces.Timeout", "must not be negative"},
		{"CR in header", otelkit.Settings{Traces: withHeaders(otelkit.OTLP(""), map[string]string{"Authorization": "Bearer " + secret + "\r\nX-Evil: 1"})},
			`Traces.Headers["Authorization"]`, "contains CR or LF"},
		{"LF in grpc header", otelkit.Settings{Metrics: withHeaders(otelkit.OTLPGRPC(""), map[string]string{"x-api-key": secret + "\n"})},
			`Metrics.Headers["x-api-key"]`, "contains CR or LF"},
		{"duplicate header", otelkit.Settings{Logs: withHeaders(otelkit.OTLP(""), map[string]string{"Authorization": secret, "authorization": secret})},
			`Logs.Headers["authorization"]`, `duplicate header name (case-insensitive) of "Authorization"`},
		{"bad header name", otelkit.Settings{Traces: withHeaders(otelkit.OTLP(""), map[string]string{"bad name": "v"})},
			`Traces.Headers["bad"…]`, "invalid header name"},
		{"credential typed into the header name", otelkit.Settings{Traces: withHeaders(otelkit.OTLP(""),
			map[string]string{"Authorization: Bearer " + secret: "="})}, `Traces.Headers["Authorization"…]`, "not name: value"},
		{"reserved header", otelkit.Settings{Traces: withHeaders(otelkit.OTLP(""), map[string]string{"Content-Type": "text/plain"})},
			`Traces.Headers["Content-Type"]`, "set by the exporter"},
		{"grpc reserved metadata", otelkit.Settings{Traces: withHeaders(otelkit.OTLPGRPC(""), map[string]string{"grpc-timeout": "1S"})},
			`Traces.Headers["grpc-timeout"]`, "reserved gRPC metadata"},
		{"half mTLS pair", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "https://c:4318",
			TLS: otelkit.TLS{CertFile: garbage}}}, "Traces.TLS", "must both be set"},
		{"unreadable CA", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "https://c:4318",
			TLS: otelkit.TLS{CAFile: filepath.Join(dir, "missing.pem")}}}, "Traces.TLS.CAFile", "cannot read"},
		{"no PEM in CA", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "https://c:4318",
			TLS: otelkit.TLS{CAFile: garbage}}}, "Traces.TLS.CAFile", "no PEM certificates found"},
		{"invalid CA PEM", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "https://c:4318",
			TLS: otelkit.TLS{CAFile: badPEM}}}, "Traces.TLS.CAFile", "invalid CA certificate"},
		{"invalid key pair", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "https://c:4318",
			TLS: otelkit.TLS{CertPEM: []byte("junk"), KeyPEM: []byte("-----BEGIN PRIVATE KEY-----\n" + secret + "\n-----END PRIVATE KEY-----\n")}}},
			"Traces.TLS", "invalid client certificate/key pair"},
		{"TLS on plaintext", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "http://c:4318",
			TLS: otelkit.TLS{CAFile: garbage}}}, "Traces.TLS", "plaintext http://"},
		{"insecure with https", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.ProtocolGRPC,
			Endpoint: "https://c:4317", Insecure: true}}, "Traces.Insecure", "conflicts with an https endpoint"},
		{"memory without Memory", otelkit.Settings{Traces: otelkit.Exporter{Kind: otelkit.ExporterMemory}}, "Traces.Memory", "required"},
		{"empty span attribute key", otelkit.Settings{SpanAttributes: map[string]string{"": "v"}}, "SpanAttributes", "empty attribute key"},
		{"span attribute key with space", otelkit.Settings{SpanAttributes: map[string]string{"bad key": "v"}},
			`SpanAttributes["bad key"]`, "space or control character"},
		{"bad tracestate", otelkit.Settings{TraceState: map[string]map[string]string{"example": {"alpha": "one\ntwo"}}},
			"TraceState", "configured tracestate value"},
		{"unsupported propagator", otelkit.Settings{Propagators: []string{"b3"}}, "Propagators", "b3"},
		{"unknown sampler", otelkit.Settings{Sampler: otelkit.Sampler{Name: "sometimes"}}, "Sampler.Name", `unknown sampler "sometimes"`},
		{"ratio out of range", otelkit.Settings{Sampler: otelkit.Sampler{Name: "traceidratio", Ratio: &tooBig}}, "Sampler.Ratio", "between 0 and 1"},
		{"ratio with a sampler that takes none", otelkit.Settings{Sampler: otelkit.Sampler{Name: "always_on", Ratio: &half}},
			"Sampler.Ratio", `only the traceidratio samplers take a ratio (Sampler.Name is "always_on")`},
		{"unknown temporality", otelkit.Settings{MetricTemporality: "sideways"}, "MetricTemporality", "unknown temporality"},
		{"negative interval", otelkit.Settings{MetricExportInterval: -1}, "MetricExportInterval", "must not be negative"},
		{"negative batch", otelkit.Settings{SpanBatch: otelkit.Batch{MaxQueueSize: -1}}, "SpanBatch", "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := otelkit.NewProvider(tt.settings)
			if err == nil {
				_ = p.Shutdown(t.Context())
				t.Fatal("NewProvider accepted invalid settings")
			}
			if !errors.Is(err, otelkit.ErrInvalidSettings) {
				t.Errorf("error %v does not wrap ErrInvalidSettings", err)
			}
			var se *otelkit.SettingsError
			if !errors.As(err, &se) || se.Field != tt.field {
				t.Errorf("field = %q, want %q (error: %v)", fieldOf(se), tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantInMsg)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks a secret: %q", err)
			}
		})
	}
}

func fieldOf(se *otelkit.SettingsError) string {
	if se == nil {
		return "<none>"
	}
	return se.Field
}

func TestNewProviderReportsEveryProblemAtOnce(t *testing.T) {
	_, err := otelkit.NewProvider(otelkit.Settings{
		Traces:  otelkit.OTLP("ftp://x"),
		Metrics: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Compression: "lz4"},
		Sampler: otelkit.Sampler{Name: "nope"},
	})
	if err == nil {
		t.Fatal("accepted")
	}
	for _, f := range []string{"Traces.Endpoint", "Metrics.Compression", "Sampler.Name"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("joined error does not mention %s: %v", f, err)
		}
	}
}

func TestEndpointsNeverLeakCredentials(t *testing.T) {
	p, err := otelkit.NewProvider(otelkit.Settings{
		Traces: otelkit.OTLP("https://user:" + secret + "@collector.example:4318/otlp?token=" + secret),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(t.Context())
	for _, e := range p.Exporters() {
		if strings.Contains(e.String(), secret) {
			t.Fatalf("Exporters() leaks a secret: %s", e)
		}
	}
	if got := p.Exporters()[0].Endpoint; got != "https://collector.example:4318/otlp" {
		t.Fatalf("endpoint = %q", got)
	}
}

func TestEndpointRule(t *testing.T) {
	tests := []struct {
		exp  otelkit.Exporter
		want string
	}{
		{otelkit.OTLP("http://collector:4318"), "http://collector:4318/v1/traces"},
		{otelkit.OTLP("http://collector:4318/"), "http://collector:4318/v1/traces"},
		{otelkit.OTLP("HTTPS://collector:4318"), "https://collector:4318/v1/traces"},
		{otelkit.OTLP("http://collector:4318/custom/path"), "http://collector:4318/custom/path"},
		{otelkit.OTLPJSON("http://collector:4318/v1/traces"), "http://collector:4318/v1/traces"},
		{otelkit.OTLP(""), "http://localhost:4318/v1/traces"},
		{otelkit.OTLPGRPC("collector:4317"), "https://collector:4317"},
		{otelkit.OTLPGRPC("http://collector:4317"), "http://collector:4317"},
		{otelkit.OTLPGRPC(""), "http://localhost:4317"},
		{otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.ProtocolGRPC, Endpoint: "collector:4317", Insecure: true}, "http://collector:4317"},
	}
	for _, tt := range tests {
		t.Run(tt.exp.Endpoint, func(t *testing.T) {
			p, err := otelkit.NewProvider(otelkit.Settings{Traces: tt.exp})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Shutdown(t.Context())
			if got := p.Exporters()[0].Endpoint; got != tt.want {
				t.Fatalf("endpoint = %q, want %q", got, tt.want)
			}
		})
	}
}

// A long value quoted in a settings error is cut at 64 bytes, never inside a character: cutting "é" in half
// used to print a U+FFFD replacement character.
func TestQuotedValuesAreCutAtACharacterBoundary(t *testing.T) {
	long := strings.Repeat("x", 63) + "é" + "tail"
	for name, s := range map[string]otelkit.Settings{
		"protocol":    {Traces: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.Protocol(long)}},
		"temporality": {MetricTemporality: long},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := otelkit.NewProvider(s)
			if err == nil {
				t.Fatal("NewProvider accepted the value")
			}
			msg := err.Error()
			if !utf8.ValidString(msg) || strings.ContainsRune(msg, utf8.RuneError) {
				t.Fatalf("error splits a character: %q", msg)
			}
			if want := `"` + strings.Repeat("x", 63) + `…"`; !strings.Contains(msg, want) {
				t.Fatalf("error %q does not quote the value cut before the character, as %s", msg, want)
			}
		})
	}
}
