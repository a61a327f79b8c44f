package httpmw_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/propagation"
)

const (
	inboundTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	inboundSpanID  = "00f067aa0ba902b7"
	inboundParent  = "00-" + inboundTraceID + "-" + inboundSpanID + "-01"
)

// seenCtx is what a handler observed in its request context.
type seenCtx struct {
	sc      trace.SpanContext
	baggage int
}

func capture(ch chan<- seenCtx) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ch <- seenCtx{sc: trace.SpanContextFromContext(r.Context()), baggage: baggage.FromContext(r.Context()).Len()}
		_, _ = io.WriteString(w, "ok")
	})
}

// TestPolicy checks the trust policies against a real server (the peer is 127.0.0.1): a trusted peer's
// context is the parent and its baggage kept; an untrusted one gives a new root linked to the inbound
// context, without baggage, and client.address ignores X-Forwarded-For.
func TestPolicy(t *testing.T) {
	trusted, err := propagation.ParseTrustedPeers([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		policy  propagation.Policy
		trusted bool
	}{
		{"trust all (default)", propagation.TrustAll(), true},
		{"public endpoint", propagation.TrustNone(), false},
		{"trusted CIDR", trusted, true},
		{"other CIDR", propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8")), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			seen := make(chan seenCtx, 1)
			srv := httptest.NewServer(httpmw.New(rec.opts(httpmw.WithPolicy(c.policy))...)(capture(seen)))
			t.Cleanup(srv.Close)

			req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/x", nil)
			req.Header.Set("Traceparent", inboundParent)
			req.Header.Set("Baggage", "tenant=acme,user=42")
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			got := <-seen
			span := rec.waitEnded(t, 1)[0]

			if got.sc.SpanID() != span.SpanContext().SpanID() {
				t.Errorf("handler context holds span %v, want the server span %v", got.sc.SpanID(), span.SpanContext().SpanID())
			}
			clientAddr := attrMap(span.Attributes())["client.address"]
			if c.trusted {
				if span.Parent().TraceID().String() != inboundTraceID || span.Parent().SpanID().String() != inboundSpanID ||
					!span.Parent().IsRemote() {
					t.Errorf("parent %v, want the inbound context", span.Parent())
				}
				if len(span.Links()) != 0 {
					t.Errorf("links %v, want none", span.Links())
				}
				if got.baggage != 2 {
					t.Errorf("handler sees %d baggage members, want 2", got.baggage)
				}
				if clientAddr != "203.0.113.9" {
					t.Errorf("client.address %q, want the forwarded client", clientAddr)
				}
				return
			}
			if span.Parent().IsValid() {
				t.Errorf("parent %v, want a new root", span.Parent())
			}
			if span.SpanContext().TraceID().String() == inboundTraceID {
				t.Error("the new root reuses the inbound trace id")
			}
			if l := span.Links(); len(l) != 1 || l[0].SpanContext.TraceID().String() != inboundTraceID ||
				l[0].SpanContext.SpanID().String() != inboundSpanID {
				t.Errorf("links %v, want one to the inbound context", l)
			}
			if got.baggage != 0 {
				t.Errorf("handler sees %d baggage members, want none", got.baggage)
			}
			if clientAddr != "127.0.0.1" {
				t.Errorf("client.address %q, want the peer 127.0.0.1", clientAddr)
			}
		})
	}
}

// TestPolicyBaggageAlreadyInContext checks that, for a public endpoint, baggage placed in the context by
// an earlier middleware is removed too.
func TestPolicyBaggageAlreadyInContext(t *testing.T) {
	rec := newRecorder(t)
	seen := make(chan seenCtx, 1)
	h := httpmw.New(rec.opts(httpmw.WithPolicy(propagation.TrustNone()))...)(capture(seen))
	m, _ := baggage.NewMember("k", "v")
	b, _ := baggage.New(m)
	req := httptest.NewRequestWithContext(baggage.ContextWithBaggage(context.Background(), b), "GET", "/", nil)
	serve(h, req)
	if got := <-seen; got.baggage != 0 {
		t.Errorf("handler sees %d baggage members, want none", got.baggage)
	}
}
