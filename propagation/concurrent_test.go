package propagation_test

import (
	"net/http"
	"net/netip"
	"sync"
	"testing"

	otelprop "go.opentelemetry.io/otel/propagation"

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
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				in := http.Header{}
				in.Set("traceparent", refTraceParent)
				in.Set("tracestate", refTraceState)
				in.Set("baggage", "k=v")
				peer := netip.MustParseAddr("10.0.0.1")
				if i%2 == 1 {
					peer = netip.MustParseAddr("192.0.2.1")
				}
				ctx, _, linked := policy.Extract(t.Context(), p, otelprop.HeaderCarrier(in), peer)
				if linked {
					continue
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
