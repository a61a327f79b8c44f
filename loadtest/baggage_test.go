package loadtest_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/propagation"
)

// downstream is an HTTP service the app calls; it records the headers of every request it gets.
type downstream struct {
	srv     *httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func newDownstream(t testing.TB) *downstream {
	d := &downstream{}
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.headers = append(d.headers, r.Header.Clone())
		d.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *downstream) received() []http.Header {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]http.Header(nil), d.headers...)
}

// rpcDownstream is a plain (uninstrumented) gRPC test service on loopback that the app calls; it records
// the incoming metadata of every call.
type rpcDownstream struct {
	addr string
	mu   sync.Mutex
	mds  []metadata.MD
}

func newRPCDownstream(t testing.TB) *rpcDownstream {
	t.Helper()
	d := &rpcDownstream{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.addr = ln.Addr().String()
	srv := grpc.NewServer()
	testservice.Register(srv, func(ctx context.Context, _, in string) (string, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		d.mu.Lock()
		d.mds = append(d.mds, md.Copy())
		d.mu.Unlock()
		return in, nil
	})
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Stop(); <-done })
	return d
}

func (d *rpcDownstream) received() []metadata.MD {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]metadata.MD(nil), d.mds...)
}

// Baggage from peers the policy does not trust never reaches spans, log records or outgoing calls. The app
// copies the baggage of its context onto spans and log records (baggage span and log processors, as apps
// do), logs through slog, records a session event, and calls a downstream HTTP service through
// httpmw.Transport and a downstream gRPC service through grpcmw.DialOptions, for an HTTP request and a gRPC
// call that both carry canary baggage. For untrusted peers the downstreams get a traceparent but no baggage
// header or metadata, and no exported payload (every request body the receiver got, decompressed) contains
// a canary; the trusted controls show each of those paths would carry it.
func TestUntrustedBaggageNeverLeaks(t *testing.T) {
	const httpCanary, grpcCanary = "CANARY-HTTP-9f3b", "CANARY-GRPC-51c7"
	tests := []struct {
		name   string
		policy propagation.Policy
		leaks  bool
	}{
		{"trust-none", propagation.TrustNone(), false},
		{"untrusted peer", propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8")), false},
		{"trusted peer (control)", propagation.TrustPeers(netip.MustParsePrefix("127.0.0.0/8")), true},
		{"trust-all (control)", propagation.TrustAll(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			down, rpcDown := newDownstream(t), newRPCDownstream(t)
			s := newSystem(t, sysConfig{policy: tt.policy, spanProc: baggageSpans{}, logProc: baggageLogs{},
				slog: true, grpc: true, downstream: down.srv.URL, rpcDownstream: rpcDown.addr})

			req, err := http.NewRequestWithContext(bounded(t), http.MethodGet, s.url+"/users/42", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("traceparent", validTP)
			req.Header.Set("baggage", "canary="+httpCanary+",tenant=acme")
			req.Header.Set("X-Session-Id", "s-1")
			resp, err := s.client.RoundTrip(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("request: %v %v", resp, err)
			}
			_ = resp.Body.Close()
			ctx := metadata.AppendToOutgoingContext(t.Context(), "traceparent", validTP,
				"baggage", "canary="+grpcCanary, "x-session-id", "s-2")
			if err := s.unary(ctx, "baggage"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatal(err)
			}

			calls := down.received()
			if len(calls) != 2 {
				t.Fatalf("downstream got %d calls, want 2 (from the HTTP handler and the gRPC handler)", len(calls))
			}
			for i, h := range calls {
				if h.Get("Traceparent") == "" {
					t.Fatalf("outgoing call %d carries no traceparent: the transport did not propagate", i)
				}
				leaked := false
				for _, vs := range h {
					for _, v := range vs {
						leaked = leaked || strings.Contains(v, httpCanary) || strings.Contains(v, grpcCanary)
					}
				}
				if leaked != tt.leaks || (h.Get("Baggage") != "") != tt.leaks {
					t.Fatalf("outgoing call %d: baggage header %q, want baggage forwarded: %v", i, h.Get("Baggage"), tt.leaks)
				}
			}
			rpcs := rpcDown.received()
			if len(rpcs) != 2 {
				t.Fatalf("downstream gRPC service got %d calls, want 2 (from the HTTP handler and the gRPC handler)", len(rpcs))
			}
			for i, md := range rpcs {
				if len(md.Get("traceparent")) != 1 {
					t.Fatalf("outgoing RPC %d carries traceparent %q: grpcmw.DialOptions did not propagate", i, md.Get("traceparent"))
				}
				leaked := false
				for _, vs := range md {
					for _, v := range vs {
						leaked = leaked || strings.Contains(v, httpCanary) || strings.Contains(v, grpcCanary)
					}
				}
				if leaked != tt.leaks || (len(md.Get("baggage")) != 0) != tt.leaks {
					t.Fatalf("outgoing RPC %d: baggage metadata %q, want baggage forwarded: %v", i, md.Get("baggage"), tt.leaks)
				}
			}

			var spans, logs int
			found := map[string]bool{}
			for _, r := range s.col.Requests() {
				for _, c := range []string{httpCanary, grpcCanary} {
					if bytes.Contains(r.Body, []byte(c)) {
						found[string(r.Signal)+" "+c] = true
					}
				}
			}
			spans, logs = len(s.col.Spans()), len(s.col.Logs())
			if spans < 4 || logs < 4 { // server and client span per call; session event and slog line per call
				t.Fatalf("receiver decoded %d spans and %d log records, want at least 4 of each", spans, logs)
			}
			if !tt.leaks && len(found) > 0 {
				t.Fatalf("untrusted baggage reached the exported payloads: %v", found)
			}
			if tt.leaks {
				for _, want := range []string{"traces " + httpCanary, "traces " + grpcCanary, "logs " + httpCanary, "logs " + grpcCanary} {
					if !found[want] {
						t.Fatalf("control: %s not found in the payloads (found %v): the check cannot see a leak", want, found)
					}
				}
			}
		})
	}
}
