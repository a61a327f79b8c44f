package otlptest

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
)

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
