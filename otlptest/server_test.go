package otlptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func TestURLs(t *testing.T) {
	s := NewServer(t)
	if !strings.HasPrefix(s.HTTPURL(), "http://127.0.0.1:") || !strings.HasPrefix(s.GRPCURL(), "http://127.0.0.1:") ||
		s.GRPCURL() != "http://"+s.GRPCAddr() || s.HTTPURL() == s.GRPCURL() {
		t.Fatalf("URLs %s %s %s", s.HTTPURL(), s.GRPCURL(), s.GRPCAddr())
	}
	tlsServer := NewServer(t, WithTLS(NewCertificates(t).ServerTLS()))
	if !strings.HasPrefix(tlsServer.HTTPURL(), "https://127.0.0.1:") || !strings.HasPrefix(tlsServer.GRPCURL(), "https://127.0.0.1:") {
		t.Fatalf("TLS URLs %s %s", tlsServer.HTTPURL(), tlsServer.GRPCURL())
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"zero body limit", []Option{WithMaxBodyBytes(0)}, "otlptest: WithMaxBodyBytes(0): the limit must be positive"},
		{"TLS without certificate", []Option{WithTLS(&tls.Config{})}, "otlptest: WithTLS: the config has no server certificate"},
		{"empty address", []Option{WithHTTPAddr("")}, "otlptest: listen addresses must not be empty"},
		{"bad address", []Option{WithGRPCAddr("127.0.0.1:notaport")}, "otlptest: listen for OTLP/gRPC on 127.0.0.1:notaport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(tt.opts...)
			if err == nil {
				s.Close()
				t.Fatal("Start succeeded")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %q, want prefix %q", err, tt.want)
			}
		})
	}
}

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

func TestPauseResume(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	httpURL, grpcAddr := s.HTTPURL(), s.GRPCAddr()
	if st, _, _ := post(t, c, httpURL+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 200 {
		t.Fatalf("before pause: %d", st)
	}
	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	if err := s.Pause(); err != nil {
		t.Fatalf("second Pause: %v", err)
	}
	// A client holding a keep-alive connection sees it closed (EOF or a
	// reset) and then, like a new client, connection refused.
	for attempt := range 2 {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, httpURL+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("paused server answered %d", resp.StatusCode)
		}
		if attempt == 1 && !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("paused HTTP: %v, want connection refused", err)
		}
	}
	if _, err := net.DialTimeout("tcp", grpcAddr, waitTime); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("paused gRPC port: %v, want connection refused", err)
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	if err := s.Resume(); err != nil {
		t.Fatalf("second Resume: %v", err)
	}
	if s.HTTPURL() != httpURL || s.GRPCAddr() != grpcAddr {
		t.Fatalf("addresses changed: %s %s", s.HTTPURL(), s.GRPCAddr())
	}
	if st, _, _ := post(t, c, httpURL+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 200 {
		t.Fatalf("after resume: %d", st)
	}
	if _, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil)).Export(t.Context(), oneSpan("resumed")); err != nil {
		t.Fatalf("gRPC after resume: %v", err)
	}
	if n := len(s.WaitSpans(t, 3, waitTime)); n != 3 {
		t.Fatalf("%d spans", n)
	}
}

// fakeTB records failures instead of stopping the test.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = append(f.failed, fmt.Sprintf(format, args...))
}

func (f *fakeTB) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.failed...)
}

func TestWaitTimeouts(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(503))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/metrics", "application/x-protobuf", nil, mustMarshal(t, oneMetric("queue.depth", 1)))

	tests := []struct {
		name string
		wait func(tb testing.TB)
		want string
	}{
		{"spans", func(tb testing.TB) { s.WaitSpans(tb, 3, 20*time.Millisecond) }, "otlptest: timed out after 20ms: waiting for 3 spans, 1 arrived; 3 requests received, 2 accepted\n" +
			"  #1 http /v1/traces (application/json) -> 503: fault: status 503\n" +
			"  #2 http /v1/traces (application/json) -> 200\n" +
			"  #3 http /v1/metrics (application/x-protobuf) -> 200"},
		{"logs", func(tb testing.TB) { s.WaitLogs(tb, 1, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 1 log records, 0 arrived; 3 requests received"},
		{"metrics", func(tb testing.TB) { s.WaitMetrics(tb, "orders", time.Millisecond) }, `otlptest: timed out after 1ms: waiting for metric "orders", 1 metrics arrived with names ["queue.depth"]`},
		{"requests", func(tb testing.TB) { s.WaitRequests(tb, 4, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 4 requests, 3 arrived"},
		{"stalled", func(tb testing.TB) { s.WaitStalled(tb, 1, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 1 stalled requests, 0 stalled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &fakeTB{TB: t}
			tt.wait(tb)
			msgs := tb.messages()
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tt.want) {
				t.Fatalf("failure messages %q, want one starting with %q", msgs, tt.want)
			}
		})
	}

	// Waits that are already satisfied do not fail.
	tb := &fakeTB{TB: t}
	if got := s.WaitSpans(tb, 1, time.Millisecond); len(got) != 1 || len(tb.messages()) != 0 {
		t.Fatalf("satisfied wait: %d spans, failures %q", len(got), tb.messages())
	}
}

func TestWaitWokenByArrival(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	got := make(chan int, 1)
	go func() { got <- len(s.WaitSpans(t, 2, waitTime)) }()
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	if n := <-got; n != 2 {
		t.Fatalf("WaitSpans returned %d spans", n)
	}
}

func TestWaitFailsWhenClosed(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tb := &fakeTB{TB: t}
	start := time.Now()
	s.WaitSpans(tb, 1, waitTime)
	if msgs := tb.messages(); len(msgs) != 1 || !strings.HasPrefix(msgs[0], "otlptest: server closed while waiting: waiting for 1 spans, 0 arrived") {
		t.Fatalf("messages %q", msgs)
	}
	if time.Since(start) > waitTime/2 {
		t.Fatal("wait on a closed server did not return at once")
	}
}

func TestResetForgetsData(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(500), Fault{}, Status(501))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	s.Reset()
	if len(s.Requests()) != 0 || len(s.Spans()) != 0 || len(s.TraceRequests()) != 0 {
		t.Fatal("Reset kept data")
	}
	// Scripts survive Reset.
	if st, _, _ := post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 501 {
		t.Fatalf("after Reset: %d, want the scripted 501", st)
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	sp := s.WaitSpans(t, 1, waitTime)[0]
	sp.Span.Name = "mutated"
	sp.Resource.Attributes = nil
	s.Requests()[0].Body[0] = 'X'
	s.Requests()[0].Header.Set("Content-Type", "mutated")
	s.TraceRequests()[0].ResourceSpans = nil
	again := s.Spans()[0]
	if again.Span.GetName() != "GET /orders" || ServiceName(again.Resource) != "checkout" ||
		s.Requests()[0].Body[0] != '{' || s.Requests()[0].Header.Get("Content-Type") != "application/json" ||
		len(s.TraceRequests()[0].ResourceSpans) != 1 {
		t.Fatal("mutating returned values changed the recorded data")
	}
}

func TestOnExport(t *testing.T) {
	var mu sync.Mutex
	var got []Export
	s := NewServer(t, WithOnExport(func(e Export) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
	}), WithOnExport(nil))
	c := newClient(t)
	s.Script(Status(503))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace)) // rejected: no callback
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	if _, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil)).Export(t.Context(), oneSpan("grpc")); err != nil {
		t.Fatal(err)
	}
	s.WaitSpans(t, 2, waitTime)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("%d callbacks, want 2", len(got))
	}
	if got[0].Signal != SignalTraces || got[0].Request.Transport != TransportHTTP || !got[0].Request.Accepted ||
		got[0].Traces.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName() != "GET /orders" || got[0].Metrics != nil {
		t.Fatalf("first export %+v", got[0])
	}
	if got[1].Request.Transport != TransportGRPC || got[1].Traces.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName() != "grpc" {
		t.Fatalf("second export %+v", got[1])
	}
}

// TestServerConcurrentSafe exports on both transports while reading, waiting,
// scripting and resetting; run it with -race and a high -count.
func TestServerConcurrentSafe(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	client := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil))
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if w%2 == 0 {
					post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
				} else if _, err := client.Export(t.Context(), oneSpan(fmt.Sprint(i))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for range each {
			_ = s.Spans()
			_ = s.Requests()
			_ = s.TraceRequests()
			s.ScriptFor(SignalMetrics, Status(500))
			s.SetDefault(nil)
		}
	})
	s.WaitRequests(t, workers*each, waitTime)
	wg.Wait()
	if n := len(s.Spans()); n != workers*each {
		t.Fatalf("%d spans, want %d", n, workers*each)
	}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
