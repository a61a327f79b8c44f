package w3c

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run with every
// `go test`; `go test -fuzz=FuzzTraceParent ./internal/w3c` explores further.

// FuzzTraceParent: parsing never panics; an accepted value re-formats to a
// version 00 header that parses to the same ids and flags; whatever the SDK's
// propagator accepts, we accept with the same result.
func FuzzTraceParent(f *testing.F) {
	f.Add(specTP)
	f.Fuzz(func(t *testing.T, s string) {
		tid, sid, flags, ok := ParseTraceParent(s)
		sdk := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(),
			propagation.MapCarrier{"traceparent": s}))
		if sdk.IsValid() && (!ok || sdk.TraceID() != tid || sdk.SpanID() != sid || sdk.TraceFlags() != flags) {
			t.Fatalf("SDK accepts %q as %v but we give ok=%v %v %v %v", s, sdk, ok, tid, sid, flags)
		}
		if !ok {
			return
		}
		sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: flags})
		out := FormatTraceParent(sc)
		tid2, sid2, flags2, ok2 := ParseTraceParent(out)
		if !ok2 || tid2 != tid || sid2 != sid || flags2 != flags {
			t.Fatalf("%q re-formats to %q which parses differently", s, out)
		}
	})
}

// FuzzTraceState: parsing two combined headers never panics; an accepted
// state is within the limits and re-injects to a header that parses to the
// same state; merging configured members into it keeps it valid; and what the
// SDK's parser accepts within the limits we accept identically.
func FuzzTraceState(f *testing.F) {
	f.Add("foo=1,bar=2", "")
	conf, err := buildConfigured(map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		// What the SDK accepts within the limits, we accept identically (we
		// also accept the white-space-only members W3C allows and it rejects).
		if sdk, err := trace.ParseTraceState(a); err == nil && len(sdk.String()) <= MaxTraceStateBytes {
			if single, ok := ParseTraceState([]string{a}); !ok || single.String() != sdk.String() {
				t.Fatalf("SDK accepts %q as %q, we give ok=%v %q", a, sdk.String(), ok, single.String())
			}
		}
		ts, ok := ParseTraceState([]string{a, b})
		if !ok {
			if ts.Len() != 0 {
				t.Fatalf("rejected %q %q but returned %q", a, b, ts.String())
			}
			return
		}
		s := ts.String()
		if ts.Len() > MaxTraceStateMembers || len(s) > MaxTraceStateBytes {
			t.Fatalf("accepted %q %q over the limits: %d members, %d bytes", a, b, ts.Len(), len(s))
		}
		again, ok := ParseTraceState([]string{s})
		if !ok || again.String() != s {
			t.Fatalf("%q re-parses to ok=%v %q", s, ok, again.String())
		}
		merged := conf.merge(ts)
		if m, ok := ParseTraceState([]string{merged}); !ok || m.Len() == 0 {
			t.Fatalf("merge of %q gave invalid %q", s, merged)
		}
	})
}

// FuzzBaggage: parsing two combined headers never panics; accepted baggage is
// within the member limit, and re-injecting it gives a header that extracts
// to the same members whenever it fits the byte limit.
func FuzzBaggage(f *testing.F) {
	f.Add("user=alice,tenant=a%20b;prop", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{"Baggage": {a, b}}
		bag := baggage.FromContext(Baggage().Extract(context.Background(), propagation.HeaderCarrier(h)))
		if bag.Len() > MaxBaggageMembers {
			t.Fatalf("%d members accepted", bag.Len())
		}
		if len(a)+1+len(b) > MaxBaggageBytes && bag.Len() > 0 {
			t.Fatalf("accepted %d bytes", len(a)+1+len(b))
		}
		out := http.Header{}
		Baggage().Inject(baggage.ContextWithBaggage(context.Background(), bag), propagation.HeaderCarrier(out))
		if len(out.Get("baggage")) > MaxBaggageBytes {
			return
		}
		again := baggage.FromContext(Baggage().Extract(context.Background(), propagation.HeaderCarrier(out)))
		if again.Len() != bag.Len() {
			t.Fatalf("re-injected %q has %d members, want %d", out.Get("baggage"), again.Len(), bag.Len())
		}
		for _, m := range bag.Members() {
			got := again.Member(m.Key())
			if got.Value() != m.Value() || len(got.Properties()) != len(m.Properties()) {
				t.Fatalf("member %q = %q (%d props), want %q (%d props)", m.Key(), got.Value(),
					len(got.Properties()), m.Value(), len(m.Properties()))
			}
		}
	})
}
