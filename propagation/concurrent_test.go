package propagation_test

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/propagation"
)

// TestPropagationConcurrentSafe shares one Propagation and one Policy between
// goroutines that extract, capture and inject at the same time; run it with
// -race -count=100.
func TestPropagationConcurrentSafe(t *testing.T) {
	p, err := propagation.New(propagation.WithTraceState(refMembers()))
	if err != nil {
		t.Fatal(err)
	}
	policy := propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8"))
	tracer, _ := newTracer(t, sdktrace.AlwaysSample())
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 8 {
		wg.Go(func() {
			trusted := i%2 == 0
			for range 50 {
				in := http.Header{}
				in.Set("traceparent", refTraceParent)
				in.Set("tracestate", refTraceState)
				in.Set("baggage", "k=v")
				peer := netip.MustParseAddr("10.0.0.1")
				if !trusted {
					peer = netip.MustParseAddr("192.0.2.1")
				}
				ctx, link, linked := policy.Extract(t.Context(), p, otelprop.HeaderCarrier(in), peer)
				if !trusted {
					if msg := checkLinked(ctx, tracer, link, linked); msg != "" {
						errs <- "untrusted: " + msg
						return
					}
					continue
				}
				if linked {
					errs <- "trusted: linked instead of continuing the remote trace"
					return
				}
				tc, ok := p.FromContext(ctx)
				if !ok || tc.TraceState != refMerged {
					errs <- "capture: " + tc.TraceState
					return
				}
				out := http.Header{}
				p.Inject(ctx, otelprop.HeaderCarrier(out))
				if out.Get("tracestate") != refMerged || out.Get("baggage") != "k=v" {
					errs <- "inject: " + out.Get("tracestate") + " " + out.Get("baggage")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// checkLinked checks what an untrusted request gets from a policy: no remote
// parent and no baggage in ctx, a link to the inbound context, and a server
// span started from ctx with that link being a new root. It returns what is
// wrong, or "".
func checkLinked(ctx context.Context, tracer trace.Tracer, link trace.Link, linked bool) string {
	if !linked {
		return "not linked"
	}
	if sc := link.SpanContext; !sc.IsRemote() || sc.TraceID().String() != refTraceID || sc.SpanID().String() != refSpanID {
		return "link is not the inbound context: " + sc.TraceID().String() + "-" + sc.SpanID().String()
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return "remote parent kept: " + sc.TraceID().String()
	}
	if n := baggage.FromContext(ctx).Len(); n != 0 {
		return "inbound baggage kept: " + baggage.FromContext(ctx).String()
	}
	_, span := tracer.Start(ctx, "server", trace.WithLinks(link))
	defer span.End()
	ro, ok := span.(sdktrace.ReadOnlySpan)
	if !ok {
		return "not an SDK span"
	}
	if ro.Parent().IsValid() {
		return "server span has a parent: " + ro.Parent().SpanID().String()
	}
	if id := ro.SpanContext().TraceID().String(); id == refTraceID {
		return "server span continues the inbound trace " + id
	}
	if links := ro.Links(); len(links) != 1 || links[0].SpanContext.TraceID().String() != refTraceID ||
		links[0].SpanContext.SpanID().String() != refSpanID {
		return "server span lacks the link to the inbound context"
	}
	return ""
}
