package otelkit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/otelkit/otelkit"
)

// Settings printed with fmt or logged with slog (text or JSON) never show a header value, endpoint
// credentials or query values, or a private key given in memory; what identifies the configuration (header
// names, hosts, paths, file names) is kept. JSON encoding, a configuration format, keeps every field.
func TestSettingsPrintWithoutSecrets(t *testing.T) {
	const apiKey, password, token = "sk-live-0123456789", "hunter2-pass", "tok-abcdef"
	key := []byte("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n")
	s := otelkit.Settings{ServiceName: "checkout"}
	s.Traces = otelkit.OTLP("https://user:"+password+"@collector.example:4318/v1/traces?api_key="+token).
		WithHeader("Authorization", "Bearer "+apiKey)
	s.Traces.TLS.KeyPEM = key
	s.Traces.TLS.CertPEM = []byte("cert")
	s.Logs = otelkit.OTLPGRPC("collector.example:4317").WithHeader("x-api-key", apiKey)
	s.Metrics = otelkit.OTLP("http://%zz" + token) // not a URL: replaced whole

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("config", "settings", s, "traces", s.Traces)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("config", "settings", s, "traces", s.Traces)
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%+v": fmt.Sprintf("%+v", s), "%s": fmt.Sprint(s),
		"exporter %+v": fmt.Sprintf("%+v", s.Traces), "TLS %+v": fmt.Sprintf("%+v", s.Traces.TLS),
		"slog text": text.String(), "slog JSON": js.String(),
	}
	for name, out := range outputs {
		for _, secret := range []string{apiKey, password, token, "MIIEvQIBADAN"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows a secret (%q):\n%s", name, secret, out)
			}
		}
	}
	for _, name := range []string{"%+v", "slog text", "slog JSON"} {
		for _, kept := range []string{"checkout", "Authorization", "x-api-key", "collector.example:4318/v1/traces",
			"api_key", "[REDACTED]"} {
			if !strings.Contains(outputs[name], kept) {
				t.Errorf("%s lacks %q:\n%s", name, kept, outputs[name])
			}
		}
	}
	if !strings.Contains(outputs["TLS %+v"], "CertPEM:[4 bytes]") || !strings.Contains(outputs["TLS %+v"], "KeyPEM:[REDACTED]") {
		t.Errorf("TLS prints %s, want the certificate's size and the key redacted", outputs["TLS %+v"])
	}

	// The slog JSON is valid JSON with the redacted values in place.
	var rec struct {
		Settings struct {
			Traces struct {
				Endpoint string            `json:"endpoint"`
				Headers  map[string]string `json:"headers"`
			} `json:"traces"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		t.Fatalf("slog JSON output: %v\n%s", err, js.String())
	}
	if got := rec.Settings.Traces.Headers["Authorization"]; got != "[REDACTED]" {
		t.Errorf("logged Authorization = %q, want [REDACTED]", got)
	}
	if got, want := rec.Settings.Traces.Endpoint,
		"https://%5BREDACTED%5D@collector.example:4318/v1/traces?api_key=%5BREDACTED%5D"; got != want {
		t.Errorf("logged endpoint = %q, want %q", got, want)
	}

	// Redacted leaves the original alone, and JSON encoding keeps every field.
	if s.Traces.Headers["Authorization"] != "Bearer "+apiKey {
		t.Fatal("Redacted changed the Settings it was called on")
	}
	b, err := json.Marshal(s)
	if err != nil || !strings.Contains(string(b), apiKey) {
		t.Fatalf("json.Marshal = %s, %v: want the configuration whole", b, err)
	}
}
