package loadtest_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// Invalid settings that carry a header value or private key are refused by NewProvider or SettingsFromEnv,
// and the error names the field without the value or key material.
func TestSecretsNotInConstructionErrors(t *testing.T) {
	certs := otlptest.NewCertificates(t)
	dir := t.TempDir()
	badKey := filepath.Join(dir, "bad-key.pem")
	garbage := "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZS1rZXktbWF0ZXJpYWwtc2VjcmV0LXZhbHVl\n-----END PRIVATE KEY-----\n"
	if err := os.WriteFile(badKey, []byte(garbage), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := append([]string{headerSecret, "Z2FyYmFnZS1rZXktbWF0ZXJpYWwtc2VjcmV0LXZhbHVl"}, keyMaterial(certs.ClientKeyPEM)...)
	base := func(e otelkit.Exporter) otelkit.Settings { return otelkit.Settings{Traces: e, Metrics: e, Logs: e} }
	http := otelkit.OTLP("http://127.0.0.1:4318")
	grpc := otelkit.OTLPGRPC("127.0.0.1:4317")
	grpc.Insecure = true
	withTLS := func(tls otelkit.TLS) otelkit.Exporter {
		e := otelkit.OTLP("https://127.0.0.1:4318")
		e.TLS = tls
		return e
	}
	tests := []struct {
		name string
		s    otelkit.Settings
	}{
		{"CR LF in a header value", base(http.WithHeader("Authorization", "Bearer "+headerSecret+"\r\nX-Evil: 1"))},
		{"NUL in a header value", base(http.WithHeader("X-Api-Key", headerSecret+"\x00"))},
		{"duplicate header names", base(otelkit.Exporter{Kind: otelkit.ExporterOTLP, Endpoint: "http://127.0.0.1:4318",
			Headers: map[string]string{"X-Api-Key": headerSecret, "x-api-key": headerSecret + "2"}})},
		{"reserved header", base(http.WithHeader("Content-Type", headerSecret))},
		{"header name with a space", base(http.WithHeader("X Api Key", headerSecret))},
		{"binary gRPC metadata", base(grpc.WithHeader("x-key-bin", headerSecret))},
		{"reserved gRPC metadata", base(grpc.WithHeader("grpc-timeout", headerSecret))},
		{"credentials in a bad URL", base(otelkit.OTLP("http://user:" + headerSecret + "@127.0.0.1:99999999/x?token=" + headerSecret + "#f"))},
		{"credentials in a gRPC URL", base(otelkit.OTLPGRPC("http://user:" + headerSecret + "@127.0.0.1:4317"))},
		{"garbage private key (PEM)", base(withTLS(otelkit.TLS{CertPEM: certs.ClientCertPEM, KeyPEM: []byte(garbage)}))},
		{"garbage private key (file)", base(withTLS(otelkit.TLS{CertFile: certs.ClientCertFile, KeyFile: badKey}))},
		{"key of another certificate", base(withTLS(otelkit.TLS{CertFile: certs.ServerCertFile, KeyPEM: certs.ClientKeyPEM}))},
		{"certificate and key swapped", base(withTLS(otelkit.TLS{CertFile: certs.ClientKeyFile, KeyFile: certs.ClientCertFile}))},
		{"private key as the CA", base(withTLS(otelkit.TLS{CAFile: certs.ClientKeyFile}))},
		{"private key as the CA (PEM)", base(withTLS(otelkit.TLS{CAPEM: certs.ClientKeyPEM}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := otelkit.NewProvider(tt.s)
			if err == nil {
				_ = p.Shutdown(t.Context())
				t.Fatal("NewProvider accepted the invalid settings")
			}
			if !errors.Is(err, otelkit.ErrInvalidSettings) {
				t.Fatalf("error %v does not wrap ErrInvalidSettings", err)
			}
			noSecrets(t, "NewProvider error", errorTexts(err), secrets)
		})
	}

	env := []struct {
		name string
		vars map[string]string
	}{
		{"bad percent-encoding in OTEL_EXPORTER_OTLP_HEADERS", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
			"OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%ZZ" + headerSecret}},
		{"header without '=' in OTEL_EXPORTER_OTLP_TRACES_HEADERS", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
			"OTEL_EXPORTER_OTLP_TRACES_HEADERS": "Authorization: Bearer " + headerSecret}},
		{"garbage OTEL_EXPORTER_OTLP_CLIENT_KEY", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318",
			"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": certs.ClientCertFile, "OTEL_EXPORTER_OTLP_CLIENT_KEY": badKey}},
		{"private key as OTEL_EXPORTER_OTLP_CERTIFICATE", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318",
			"OTEL_EXPORTER_OTLP_CERTIFICATE": certs.ClientKeyFile}},
	}
	for _, tt := range env {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.vars {
				t.Setenv(k, v)
			}
			s, err := otelkit.SettingsFromEnv()
			if err == nil {
				var p *otelkit.Provider
				if p, err = otelkit.NewProvider(s); err == nil {
					_ = p.Shutdown(t.Context())
					t.Fatal("the invalid environment was accepted")
				}
			}
			noSecrets(t, "settings error", errorTexts(err), secrets)
		})
	}
}
