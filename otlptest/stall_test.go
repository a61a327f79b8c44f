package otlptest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestFaultStallReleasedHTTP(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Stall(), Stall())
	done := make(chan int, 2)
	for range 2 {
		go func() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				done <- -1
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
	}
	s.WaitStalled(t, 2, waitTime)
	if s.Stalled() != 2 || len(s.Requests()) != 0 || len(s.Spans()) != 0 {
		t.Fatalf("stalled %d, %d requests before release", s.Stalled(), len(s.Requests()))
	}
	s.Release()
	for range 2 {
		if st := <-done; st != 200 {
			t.Fatalf("released request got %d", st)
		}
	}
	if len(s.WaitSpans(t, 2, waitTime)) != 2 || s.Stalled() != 0 {
		t.Fatalf("stalled %d after release", s.Stalled())
	}
}

func TestFaultStallCanceledHTTP(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Stall())
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	s.WaitStalled(t, 1, waitTime)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client error %v, want context.Canceled", err)
	}
	r := s.WaitRequests(t, 1, waitTime)[0]
	if r.Accepted || r.Status != 0 || !strings.Contains(r.Err, "stall ended by the client") {
		t.Fatalf("recorded %+v", r)
	}
	if len(s.Spans()) != 0 || s.Stalled() != 0 {
		t.Fatalf("%d spans, %d stalled after the client left", len(s.Spans()), s.Stalled())
	}
}

func TestFaultStallGRPC(t *testing.T) {
	s := NewServer(t)
	client := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil))
	s.Script(Stall(), Stall())

	errc := make(chan error, 1)
	go func() {
		_, err := client.Export(context.Background(), oneSpan("released"))
		errc <- err
	}()
	s.WaitStalled(t, 1, waitTime)
	s.Release()
	if err := <-errc; err != nil {
		t.Fatalf("released call: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Export(ctx, oneSpan("timed out"))
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("stalled call: got %v, want DeadlineExceeded", err)
	}
	reqs := s.WaitRequests(t, 2, waitTime)
	// The server sees either its own deadline or the client's cancellation first.
	if st := codes.Code(reqs[1].Status); !reqs[0].Accepted || reqs[1].Accepted || (st != codes.DeadlineExceeded && st != codes.Canceled) {
		t.Fatalf("requests %+v", reqs)
	}
	if spans := s.Spans(); len(spans) != 1 || spans[0].Span.GetName() != "released" {
		t.Fatalf("spans %v", spans)
	}
}

func TestFaultStallReleasedByClose(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t)
	s.Script(Stall())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	s.WaitStalled(t, 1, waitTime)
	s.Close()
	s.Close() // idempotent
	select {
	case <-done:
	case <-time.After(waitTime):
		t.Fatal("client still blocked after Close")
	}
	if err := s.Pause(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Pause after Close: %v", err)
	}
	if err := s.Resume(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Resume after Close: %v", err)
	}
}

func TestFaultResetHTTP(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Reset())
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got a %d response, want a connection error", resp.StatusCode)
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v, want connection reset by peer", err)
	}
	r := s.WaitRequests(t, 1, waitTime)[0]
	if r.Accepted || r.Status != 0 || r.Err != "fault: connection reset" || len(s.Spans()) != 0 {
		t.Fatalf("recorded %+v", r)
	}
	// The next request is served normally.
	if st, _, _ := post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 200 {
		t.Fatalf("after reset: %d", st)
	}
}

func TestFaultResetGRPC(t *testing.T) {
	s := NewServer(t)
	s.Script(Reset())
	_, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil)).Export(t.Context(), oneSpan("op"))
	if st := status.Convert(err); st.Code() != codes.Unavailable || st.Message() != "connection reset" {
		t.Fatalf("got %v, want Unavailable connection reset", err)
	}
	if r := s.WaitRequests(t, 1, waitTime)[0]; r.Accepted || r.Status != int(codes.Unavailable) {
		t.Fatalf("recorded %+v", r)
	}
}

// TestFaultResetTLS checks the reset over HTTPS, where HTTP/1.1 connections
// are reset under the TLS layer and HTTP/2 streams are aborted.
func TestFaultResetTLS(t *testing.T) {
	certs := NewCertificates(t)
	s := NewServer(t, WithTLS(certs.ServerTLS()))
	for _, h2 := range []bool{false, true} {
		tr := &http.Transport{TLSClientConfig: certs.ClientTLS(), ForceAttemptHTTP2: h2}
		t.Cleanup(tr.CloseIdleConnections)
		c := &http.Client{Transport: tr, Timeout: waitTime}
		s.Script(Reset())
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("h2=%v: got a %d response, want a connection error", h2, resp.StatusCode)
		}
		// The server keeps serving: a new connection, or over HTTP/2 a new stream.
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		resp, err = c.Do(req)
		if err != nil {
			t.Fatalf("h2=%v: after reset: %v", h2, err)
		}
		resp.Body.Close()
		if wantMajor := map[bool]int{false: 1, true: 2}[h2]; resp.StatusCode != 200 || resp.ProtoMajor != wantMajor {
			t.Fatalf("h2=%v: after reset: %d over %s", h2, resp.StatusCode, resp.Proto)
		}
		reqs := s.Requests()
		if r := reqs[len(reqs)-2]; r.Err != "fault: connection reset" || r.Accepted {
			t.Fatalf("h2=%v: recorded %+v", h2, r)
		}
	}
	if n := len(s.Spans()); n != 2 {
		t.Fatalf("%d spans, want 2", n)
	}
}
