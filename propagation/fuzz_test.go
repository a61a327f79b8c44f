package propagation_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/otelkit/otelkit/propagation"
)

// FuzzJSONValue decodes JSON-RPC params into a TraceContext and continues
// from it. Property: never panics; continuing succeeds exactly when the value
// parses; an accepted value captures back to a value that is valid header
// text, survives a JSON round trip, and continues to the same span context.
// The seed corpus is testdata/fuzz/FuzzJSONValue.
func FuzzJSONValue(f *testing.F) {
	f.Add(`{"traceparent":"` + refTraceParent + `","tracestate":"a=1"}`)
	f.Fuzz(func(t *testing.T, data string) {
		var tc propagation.TraceContext
		if json.Unmarshal([]byte(data), &tc) != nil {
			return
		}
		ctx, ok := propagation.ContextWithRemoteParent(t.Context(), tc)
		sc, parsed := tc.SpanContext()
		if ok != parsed {
			t.Fatalf("ContextWithRemoteParent ok=%v but SpanContext ok=%v", ok, parsed)
		}
		if !ok {
			if ctx != t.Context() {
				t.Fatal("ctx changed on invalid input")
			}
			return
		}
		back, ok := propagation.FromContext(ctx)
		if !ok {
			t.Fatalf("accepted %+v but cannot capture it back", tc)
		}
		for _, v := range []string{back.TraceParent, back.TraceState} {
			for i := 0; i < len(v); i++ {
				if v[i] < 0x20 || v[i] > 0x7e {
					t.Fatalf("captured value %q has byte %#x", v, v[i])
				}
			}
		}
		b, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		var again propagation.TraceContext
		if err := json.Unmarshal(b, &again); err != nil || again != back {
			t.Fatalf("JSON round trip of %+v gave %+v, %v", back, again, err)
		}
		sc2, ok := again.SpanContext()
		if !ok || !sc2.Equal(sc) {
			t.Fatalf("%+v continues to %v, want %v", again, sc2, sc)
		}
		h := http.Header{}
		if !tc.InjectHeader(h) || h.Get("traceparent") != back.TraceParent || h.Get("tracestate") != back.TraceState {
			t.Fatalf("InjectHeader wrote %v, capture gave %+v", h, back)
		}
	})
}
