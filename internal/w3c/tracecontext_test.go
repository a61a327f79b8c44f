package w3c

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// headers builds an http.Header the way net/http does from wire lines, so
// header name casing is canonicalised and repeated names keep every value.
func headers(kv ...string) http.Header {
	h := make(http.Header)
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// TestTraceContextExtractConformance runs the W3C Trace Context test suite's
// request cases (test/test.py) through Extract with HTTP headers.
func TestTraceContextExtractConformance(t *testing.T) {
	tests := []struct {
		name     string
		header   http.Header
		wantTID  string // "" means no remote parent
		wantTS   string
		wantFlag trace.TraceFlags
	}{
		{name: "both missing", header: headers()},
		{name: "traceparent only", header: headers("traceparent", specTP), wantTID: specTraceID, wantFlag: 1},
		{
			name:   "traceparent duplicated",
			header: headers("traceparent", "00-12345678901234567890123456789011-1234567890123456-01", "traceparent", specTP),
		},
		{name: "header name trace-parent", header: headers("trace-parent", specTP)},
		{name: "header name trace.parent", header: headers("trace.parent", specTP)},
		{name: "header name TraceParent", header: headers("TraceParent", specTP), wantTID: specTraceID, wantFlag: 1},
		{name: "header name TrAcEpArEnT", header: headers("TrAcEpArEnT", specTP), wantTID: specTraceID, wantFlag: 1},
		{name: "header name TRACEPARENT", header: headers("TRACEPARENT", specTP), wantTID: specTraceID, wantFlag: 1},
		{name: "version 00 trailing dot", header: headers("traceparent", specTP+".")},
		{name: "future version", header: headers("traceparent", "cc-"+specTraceID+"-"+specSpanID+"-01-what-the-future-will-be-like"), wantTID: specTraceID, wantFlag: 1},
		{name: "version ff", header: headers("traceparent", "ff-"+specTraceID+"-"+specSpanID+"-01")},
		{name: "trace id all zero", header: headers("traceparent", "00-00000000000000000000000000000000-"+specSpanID+"-01")},
		{name: "tracestate without traceparent", header: headers("tracestate", "foo=1,bar=2")},
		{
			name:    "tracestate inherited",
			header:  headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00", "tracestate", "foo=1,bar=2"),
			wantTID: specTraceID, wantTS: "foo=1,bar=2",
		},
		{
			name:    "tracestate header name trace-state",
			header:  headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00", "trace-state", "foo=1"),
			wantTID: specTraceID,
		},
		{
			name:    "tracestate header name TrAcEsTaTe",
			header:  headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00", "TrAcEsTaTe", "foo=1"),
			wantTID: specTraceID, wantTS: "foo=1",
		},
		{
			name:    "tracestate empty header then foo",
			header:  headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00", "tracestate", "", "tracestate", "foo=1"),
			wantTID: specTraceID, wantTS: "foo=1",
		},
		{
			name: "tracestate multiple headers",
			header: headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00",
				"tracestate", "foo=1,bar=2", "tracestate", "rojo=1,congo=2", "tracestate", "baz=3"),
			wantTID: specTraceID, wantTS: "foo=1,bar=2,rojo=1,congo=2,baz=3",
		},
		{
			name: "tracestate duplicated keys across headers dropped",
			header: headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-00",
				"tracestate", "foo=1", "tracestate", "foo=2"),
			wantTID: specTraceID,
		},
		{
			name: "tracestate 33 members dropped, traceparent kept",
			header: headers("traceparent", "00-"+specTraceID+"-"+specSpanID+"-01",
				"tracestate", members(1, 20), "tracestate", members(21, 13)),
			wantTID: specTraceID, wantFlag: 1,
		},
		{
			name:    "tracestate over 512 bytes dropped, traceparent kept",
			header:  headers("traceparent", specTP, "tracestate", bytes512+"v"),
			wantTID: specTraceID, wantFlag: 1,
		},
		{
			name:    "tracestate invalid key dropped",
			header:  headers("traceparent", specTP, "tracestate", "foo@=1,bar=2"),
			wantTID: specTraceID, wantFlag: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := TraceContext(nil).Extract(t.Context(), propagation.HeaderCarrier(tt.header))
			sc := trace.SpanContextFromContext(ctx)
			if tt.wantTID == "" {
				if sc.IsValid() {
					t.Fatalf("Extract gave %v, want no span context", sc)
				}
				return
			}
			if !sc.IsValid() || !sc.IsRemote() {
				t.Fatalf("Extract gave valid=%v remote=%v, want a remote span context", sc.IsValid(), sc.IsRemote())
			}
			if got := sc.TraceID().String(); got != tt.wantTID {
				t.Errorf("trace id = %s, want %s", got, tt.wantTID)
			}
			if got := sc.SpanID().String(); got != specSpanID {
				t.Errorf("span id = %s, want %s", got, specSpanID)
			}
			if got := sc.TraceState().String(); got != tt.wantTS {
				t.Errorf("tracestate = %q, want %q", got, tt.wantTS)
			}
			if sc.TraceFlags() != tt.wantFlag {
				t.Errorf("flags = %v, want %v", sc.TraceFlags(), tt.wantFlag)
			}
		})
	}
}

// valuesCarrier is a carrier like gRPC metadata: lower-case keys, several
// values per key, and a Delete method.
type valuesCarrier map[string][]string

func (c valuesCarrier) Get(k string) string {
	if v := c[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c valuesCarrier) Set(k, v string)          { c[k] = []string{v} }
func (c valuesCarrier) Keys() []string           { return nil }
func (c valuesCarrier) Values(k string) []string { return c[k] }
func (c valuesCarrier) Delete(k string)          { delete(c, k) }
func (c valuesCarrier) value(k string) []string  { return c[k] }

// getOnlyCarrier supports only Get, Set and Keys.
type getOnlyCarrier map[string]string

func (c getOnlyCarrier) Get(k string) string     { return c[k] }
func (c getOnlyCarrier) Set(k, v string)         { c[k] = v }
func (c getOnlyCarrier) Keys() []string          { return nil }
func (c getOnlyCarrier) value(k string) []string { return valueOf(c, k) }

// valueOf returns the value of k in m as a slice, or nil when absent.
func valueOf[M ~map[string]string](m M, k string) []string {
	if v, ok := m[k]; ok {
		return []string{v}
	}
	return nil
}

func TestTraceContextCarriers(t *testing.T) {
	tp2 := "00-" + specTraceID + "-2234567890123456-01"
	tests := []struct {
		name    string
		carrier propagation.TextMapCarrier
		wantOK  bool
		wantTS  string
	}{
		{name: "map carrier", carrier: propagation.MapCarrier{"traceparent": specTP, "tracestate": "a=1"}, wantOK: true, wantTS: "a=1"},
		{name: "map carrier is case-sensitive", carrier: propagation.MapCarrier{"Traceparent": specTP}},
		{name: "values carrier", carrier: valuesCarrier{"traceparent": {specTP}, "tracestate": {"a=1", "b=2"}}, wantOK: true, wantTS: "a=1,b=2"},
		{name: "values carrier duplicated traceparent", carrier: valuesCarrier{"traceparent": {specTP, tp2}}},
		{name: "get-only carrier", carrier: getOnlyCarrier{"traceparent": specTP, "tracestate": "a=1"}, wantOK: true, wantTS: "a=1"},
		{name: "get-only carrier empty", carrier: getOnlyCarrier{}},
		{name: "nil carrier", carrier: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, ok := ExtractSpanContext(tt.carrier)
			if ok != tt.wantOK {
				t.Fatalf("ExtractSpanContext ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && sc.TraceState().String() != tt.wantTS {
				t.Errorf("tracestate = %q, want %q", sc.TraceState().String(), tt.wantTS)
			}
		})
	}
}

func remoteContext(t testing.TB, tracestate string) context.Context {
	t.Helper()
	sc, ok := SpanContextFromStrings(specTP, tracestate)
	if !ok {
		t.Fatal("invalid test span context")
	}
	return trace.ContextWithRemoteSpanContext(context.Background(), sc)
}

func TestTraceContextInject(t *testing.T) {
	ref := map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
	tests := []struct {
		name       string
		configured map[string]map[string]string
		tracestate string
		before     http.Header
		wantTS     []string // nil means no tracestate header
	}{
		{name: "sets traceparent", before: http.Header{}},
		{name: "replaces existing", tracestate: "a=1", before: headers("traceparent", "00-"+strings.Repeat("1", 32)+"-"+strings.Repeat("2", 16)+"-00", "tracestate", "old=1", "tracestate", "older=2"), wantTS: []string{"a=1"}},
		{name: "removes stale tracestate", before: headers("tracestate", "stale=1"), wantTS: nil},
		{name: "reference merge", configured: ref, tracestate: "example=alpha:zero;keep:yes,other=value", before: http.Header{}, wantTS: []string{"example=alpha:one;keep:yes;beta:two,other=value"}},
		{name: "configured only", configured: ref, before: http.Header{}, wantTS: []string{"example=alpha:one;beta:two"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.before
			TraceContext(tt.configured).Inject(remoteContext(t, tt.tracestate), propagation.HeaderCarrier(h))
			if got := h.Values("traceparent"); !slices.Equal(got, []string{specTP}) {
				t.Errorf("traceparent = %q, want [%q]", got, specTP)
			}
			if got := h.Values("tracestate"); !slices.Equal(got, tt.wantTS) {
				t.Errorf("tracestate = %q, want %q", got, tt.wantTS)
			}
		})
	}
}

func TestTraceContextInjectOtherCarriers(t *testing.T) {
	ctx := remoteContext(t, "")
	type viewer interface {
		propagation.TextMapCarrier
		value(string) []string
	}
	tests := []struct {
		name    string
		carrier viewer
	}{
		{name: "values carrier with Delete", carrier: valuesCarrier{"tracestate": {"stale=1"}}},
		{name: "get-only carrier", carrier: getOnlyCarrier{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			TraceContext(nil).Inject(ctx, tt.carrier)
			if got := tt.carrier.value("traceparent"); !slices.Equal(got, []string{specTP}) {
				t.Errorf("traceparent = %q", got)
			}
			if got := tt.carrier.value("tracestate"); got != nil {
				t.Errorf("tracestate = %q, want none", got)
			}
		})
	}
	m := propagation.MapCarrier{"tracestate": "stale=1"}
	TraceContext(nil).Inject(ctx, m)
	if got := valueOf(m, "tracestate"); got != nil {
		t.Errorf("map carrier tracestate = %q, want removed", got)
	}
}

func TestTraceContextInjectInvalid(t *testing.T) {
	h := headers("traceparent", "keep", "tracestate", "keep=1")
	TraceContext(nil).Inject(t.Context(), propagation.HeaderCarrier(h))
	if h.Get("traceparent") != "keep" || h.Get("tracestate") != "keep=1" {
		t.Errorf("Inject without a span context changed the carrier: %v", h)
	}
	TraceContext(nil).Inject(remoteContext(t, ""), nil) // must not panic
}

func TestTraceContextFields(t *testing.T) {
	got := TraceContext(nil).Fields()
	if !slices.Equal(got, []string{"traceparent", "tracestate"}) {
		t.Errorf("Fields = %q", got)
	}
}

// TestTraceContextRoundTrip checks Extract(Inject(x)) == x against the SDK's
// propagator in both directions.
func TestTraceContextRoundTrip(t *testing.T) {
	ours, sdk := TraceContext(nil), propagation.TraceContext{}
	ctx := remoteContext(t, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
	for _, dir := range []struct {
		name     string
		inj, ext propagation.TextMapPropagator
	}{
		{"ours to ours", ours, ours},
		{"ours to sdk", ours, sdk},
		{"sdk to ours", sdk, ours},
	} {
		t.Run(dir.name, func(t *testing.T) {
			h := http.Header{}
			dir.inj.Inject(ctx, propagation.HeaderCarrier(h))
			got := trace.SpanContextFromContext(dir.ext.Extract(context.Background(), propagation.HeaderCarrier(h)))
			want := trace.SpanContextFromContext(ctx)
			if !got.Equal(want) {
				t.Errorf("round trip = %v, want %v", got, want)
			}
		})
	}
}
