package otlptest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strings"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestTLSRawClients(t *testing.T) {
	certs := NewCertificates(t)
	for _, name := range []string{certs.CAFile, certs.ServerCertFile, certs.ServerKeyFile, certs.ClientCertFile, certs.ClientKeyFile} {
		if data, err := os.ReadFile(name); err != nil || !strings.Contains(string(data), "-----BEGIN") {
			t.Fatalf("%s: %v", name, err)
		}
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certs.CAPEM) {
		t.Fatal("CAPEM holds no certificate")
	}
	if _, err := tls.X509KeyPair(certs.ClientCertPEM, certs.ClientKeyPEM); err != nil {
		t.Fatalf("client PEM pair: %v", err)
	}
	s := NewServer(t, WithTLS(certs.ServerMTLS()))

	// With the client certificate: accepted on both transports, also via "localhost".
	withCert := &http.Client{Transport: &http.Transport{TLSClientConfig: certs.ClientTLS()}, Timeout: waitTime}
	t.Cleanup(withCert.CloseIdleConnections)
	for _, url := range []string{s.HTTPURL(), strings.Replace(s.HTTPURL(), "127.0.0.1", "localhost", 1)} {
		if st, _, body := post(t, withCert, url+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 200 {
			t.Fatalf("%s with client certificate: %d %s", url, st, body)
		}
	}
	if _, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, certs.ClientTLS())).Export(t.Context(), oneSpan("mtls")); err != nil {
		t.Fatalf("gRPC with client certificate: %v", err)
	}

	// Trusting the CA but presenting no certificate: the handshake fails.
	noCert := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	bare := &http.Client{Transport: &http.Transport{TLSClientConfig: noCert}, Timeout: waitTime}
	t.Cleanup(bare.CloseIdleConnections)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := bare.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("HTTPS without client certificate got %d, want a handshake error", resp.StatusCode)
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("HTTPS without client certificate: %v, want a certificate error", err)
	}
	_, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, noCert)).Export(t.Context(), oneSpan("no cert"))
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("gRPC without client certificate: %v, want Unavailable", err)
	}

	// Plaintext against the TLS port fails too (a 400 or a reset connection).
	plain := newClient(t)
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, strings.Replace(s.HTTPURL(), "https", "http", 1)+"/v1/traces", strings.NewReader(jsonTrace))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := plain.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("plain HTTP to the TLS port: %d", resp.StatusCode)
		}
	}
	if n := len(s.Spans()); n != 3 {
		t.Fatalf("%d spans, want 3 from the authenticated clients", n)
	}
}
