package grpcmw_test

import (
	"context"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/propagation"
)

const (
	inTraceID   = "0af7651916cd43dd8448eb211c80319c"
	inSpanID    = "b7ad6b7169203331"
	inSampled   = "00-" + inTraceID + "-" + inSpanID + "-01"
	inUnsampled = "00-" + inTraceID + "-" + inSpanID + "-00"
	inState     = "rojo=00f067aa0ba902b7"
	inBaggage   = "k1=v1,k2=v2"
)

func mustPolicy(t *testing.T, cidrs ...string) propagation.Policy {
	t.Helper()
	p, err := propagation.ParseTrustedPeers(cidrs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInboundPolicy(t *testing.T) {
	tid, _ := trace.TraceIDFromHex(inTraceID)
	sid, _ := trace.SpanIDFromHex(inSpanID)
	parentBasedOn := sdktrace.ParentBased(sdktrace.AlwaysSample())
	parentBasedOff := sdktrace.ParentBased(sdktrace.NeverSample())

	tests := []struct {
		name        string
		policy      func(t *testing.T) propagation.Policy
		sampler     sdktrace.Sampler
		traceparent string
		continued   bool // the server span is a child of the inbound context
		sampled     bool // the server span is sampled (and so recorded)
	}{
		// Trusted: the inbound context is the parent, and its flag decides.
		{"trust-all/sampled", func(*testing.T) propagation.Policy { return propagation.TrustAll() }, parentBasedOn, inSampled, true, true},
		{"trust-all/unsampled", func(*testing.T) propagation.Policy { return propagation.TrustAll() }, parentBasedOn, inUnsampled, true, false},
		{"trust-all/sampled-root-off", func(*testing.T) propagation.Policy { return propagation.TrustAll() }, parentBasedOff, inSampled, true, true},
		// Public endpoint: new root with a link; the flag has no say.
		{"trust-none/unsampled-root-on", func(*testing.T) propagation.Policy { return propagation.TrustNone() }, parentBasedOn, inUnsampled, false, true},
		{"trust-none/sampled-root-on", func(*testing.T) propagation.Policy { return propagation.TrustNone() }, parentBasedOn, inSampled, false, true},
		{"trust-none/sampled-root-off", func(*testing.T) propagation.Policy { return propagation.TrustNone() }, parentBasedOff, inSampled, false, false},
		// Trusted peers by CIDR, from the connection's address (127.0.0.1).
		{"peers-loopback/unsampled", func(t *testing.T) propagation.Policy { return mustPolicy(t, "127.0.0.0/8") }, parentBasedOn, inUnsampled, true, false},
		{"peers-loopback/sampled", func(t *testing.T) propagation.Policy { return mustPolicy(t, "127.0.0.0/8") }, parentBasedOn, inSampled, true, true},
		{"peers-other/unsampled", func(t *testing.T) propagation.Policy { return mustPolicy(t, "10.0.0.0/8", "::1") }, parentBasedOn, inUnsampled, false, true},
		{"peers-other/sampled-root-off", func(t *testing.T) propagation.Policy { return mustPolicy(t, "127.0.0.2/32") }, parentBasedOff, inSampled, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tel := newTelemetry(t, tt.sampler)
			obs := &observer{}
			srv := serve(t, obs.handle, grpcmw.ServerOptions(tel.options(grpcmw.WithPolicy(tt.policy(t)))...))
			c := testservice.NewClient(dial(t, srv.addr)) // uninstrumented: sends exactly our metadata
			ctx := metadata.AppendToOutgoingContext(t.Context(),
				"traceparent", tt.traceparent, "tracestate", inState, "baggage", inBaggage)
			if _, err := c.Unary(ctx, "u"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.BidiStream(ctx, []string{"b1", "b2"}); err != nil {
				t.Fatal(err)
			}
			srv.stop()

			got := obs.all()
			if len(got) != 3 {
				t.Fatalf("%d messages handled, want 3", len(got))
			}
			for _, s := range got {
				if s.span.IsSampled() != tt.sampled {
					t.Errorf("%s: sampled %v, want %v", s.method, s.span.IsSampled(), tt.sampled)
				}
				if (s.span.TraceID() == tid) != tt.continued {
					t.Errorf("%s: trace %s, inbound %s, want continued=%v", s.method, s.span.TraceID(), tid, tt.continued)
				}
				wantMembers := 0
				if tt.continued {
					wantMembers = 2
					if s.span.TraceState().String() != inState {
						t.Errorf("%s: tracestate %q, want %q", s.method, s.span.TraceState(), inState)
					}
				} else if s.span.TraceState().Len() != 0 {
					t.Errorf("%s: new root inherited tracestate %q", s.method, s.span.TraceState())
				}
				if n := s.baggage.Len(); n != wantMembers {
					t.Errorf("%s: %d baggage members in the handler (%s), want %d", s.method, n, s.baggage, wantMembers)
				}
			}

			for _, m := range []string{testservice.MethodUnary, testservice.MethodBidiStream} {
				spans := tel.ended(spanName(m))
				if !tt.sampled {
					if len(spans) != 0 {
						t.Errorf("%s: %d spans recorded, want none (not sampled)", m, len(spans))
					}
					continue
				}
				if len(spans) != 1 {
					t.Fatalf("%s: %d spans, want 1", m, len(spans))
				}
				sp := spans[0]
				if tt.continued {
					if sp.Parent().TraceID() != tid || sp.Parent().SpanID() != sid || !sp.Parent().IsRemote() {
						t.Errorf("%s: parent %v, want the inbound context", m, sp.Parent())
					}
					if len(sp.Links()) != 0 {
						t.Errorf("%s: %d links on a child span", m, len(sp.Links()))
					}
					continue
				}
				if sp.Parent().IsValid() {
					t.Errorf("%s: parent %v, want a new root", m, sp.Parent())
				}
				links := sp.Links()
				if len(links) != 1 {
					t.Fatalf("%s: %d links, want 1 to the inbound context", m, len(links))
				}
				l := links[0].SpanContext
				if l.TraceID() != tid || l.SpanID() != sid || !l.IsRemote() ||
					l.IsSampled() != (tt.traceparent == inSampled) || l.TraceState().String() != inState {
					t.Errorf("%s: link %v, want the inbound context", m, l)
				}
			}
		})
	}
}

func TestUntrustedWithoutValidContext(t *testing.T) {
	for name, md := range map[string][]string{
		"absent":  {"baggage", inBaggage},
		"invalid": {"traceparent", "00-" + inTraceID + "-0000000000000000-01", "baggage", inBaggage},
		"dup":     {"traceparent", inSampled, "traceparent", inUnsampled},
	} {
		t.Run(name, func(t *testing.T) {
			tel := newTelemetry(t, nil)
			obs := &observer{}
			srv := serve(t, obs.handle, grpcmw.ServerOptions(tel.options(grpcmw.WithPolicy(propagation.TrustNone()))...))
			c := testservice.NewClient(dial(t, srv.addr))
			if _, err := c.Unary(metadata.AppendToOutgoingContext(t.Context(), md...), "x"); err != nil {
				t.Fatal(err)
			}
			srv.stop()
			sp := tel.one(t, spanName(testservice.MethodUnary))
			if sp.Parent().IsValid() || len(sp.Links()) != 0 {
				t.Errorf("parent %v, %d links: want a new root without links", sp.Parent(), len(sp.Links()))
			}
			if s := obs.all()[0]; s.baggage.Len() != 0 {
				t.Errorf("baggage %s reached the handler", s.baggage)
			}
		})
	}
}

// An RPC excluded by a filter gets no server span, so no new root replaces the
// inbound context: an untrusted client's context must not reach the handler at
// all (its spans and outgoing calls would join the client's trace, and the
// client's sampled flag would decide their sampling), while a trusted one's
// still does.
func TestFilteredRPCUnderPolicy(t *testing.T) {
	tid, _ := trace.TraceIDFromHex(inTraceID)
	skip := grpcmw.WithFilter(func(m string) bool {
		return m != testservice.MethodUnary && m != testservice.MethodBidiStream
	})
	tests := []struct {
		name    string
		policy  func(t *testing.T) propagation.Policy
		trusted bool
	}{
		{"trust-none", func(*testing.T) propagation.Policy { return propagation.TrustNone() }, false},
		{"peers-other", func(t *testing.T) propagation.Policy { return mustPolicy(t, "10.0.0.0/8") }, false},
		{"trust-all", func(*testing.T) propagation.Policy { return propagation.TrustAll() }, true},
		{"peers-loopback", func(t *testing.T) propagation.Policy { return mustPolicy(t, "127.0.0.0/8") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The handler's own spans: parent-based, so a remote parent's flag would decide.
			tel := newTelemetry(t, sdktrace.ParentBased(sdktrace.NeverSample()))
			var mu sync.Mutex
			var children []trace.SpanContext // the handler's own spans
			obs := &observer{reply: func(ctx context.Context, _, in string) (string, error) {
				_, sp := tel.tp.Tracer("handler").Start(ctx, "work")
				mu.Lock()
				children = append(children, sp.SpanContext())
				mu.Unlock()
				sp.End()
				return in, nil
			}}
			srv := serve(t, obs.handle, grpcmw.ServerOptions(tel.options(grpcmw.WithPolicy(tt.policy(t)), skip)...))
			c := testservice.NewClient(dial(t, srv.addr))
			ctx := metadata.AppendToOutgoingContext(t.Context(),
				"traceparent", inSampled, "tracestate", inState, "baggage", inBaggage)
			if _, err := c.Unary(ctx, "u"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.BidiStream(ctx, []string{"b1", "b2"}); err != nil {
				t.Fatal(err)
			}
			srv.stop()

			for _, m := range []string{testservice.MethodUnary, testservice.MethodBidiStream} {
				if n := len(tel.ended(spanName(m))); n != 0 {
					t.Errorf("%s: %d server spans for a filtered RPC", m, n)
				}
			}
			got := obs.all()
			if len(got) != 3 {
				t.Fatalf("%d messages handled, want 3", len(got))
			}
			for i, s := range got {
				if tt.trusted {
					if s.span.TraceID() != tid || !s.span.IsRemote() || s.baggage.Len() != 2 {
						t.Errorf("%s: span %v, baggage %q: want the trusted inbound context", s.method, s.span, s.baggage)
					}
					if children[i].TraceID() != tid || !children[i].IsSampled() {
						t.Errorf("%s: handler span %v, want a child of the trusted inbound context", s.method, children[i])
					}
					continue
				}
				if s.span.IsValid() || s.baggage.Len() != 0 {
					t.Errorf("%s: untrusted context reached the handler: span %v (trace %s, remote %v), baggage %q",
						s.method, s.span, s.span.TraceID(), s.span.IsRemote(), s.baggage)
				}
				if children[i].TraceID() == tid {
					t.Errorf("%s: handler span joined the untrusted trace %s", s.method, tid)
				}
			}
			if n := len(tel.ended("work")); !tt.trusted && n != 0 {
				t.Errorf("%d handler spans sampled: the untrusted sampled flag decided", n)
			}
		})
	}
}
