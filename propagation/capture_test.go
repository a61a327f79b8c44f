package propagation_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
	"github.com/otelkit/otelkit/propagation"
)

// TestContextWithRemoteParent covers the reference's parse cases: valid parse
// (remote, ids), invalid traceparent → none, tracestate alone → none.
func TestContextWithRemoteParent(t *testing.T) {
	tests := []struct {
		name   string
		in     propagation.TraceContext
		wantOK bool
	}{
		{name: "parses valid w3c trace context", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1"}, wantOK: true},
		{name: "invalid traceparent returns none", in: propagation.TraceContext{TraceParent: "not-a-traceparent"}},
		{name: "missing traceparent returns none", in: propagation.TraceContext{TraceState: "a=1"}},
		{name: "all-zero trace id returns none", in: propagation.TraceContext{TraceParent: "00-00000000000000000000000000000000-0000000000000002-01"}},
		{name: "empty", in: propagation.TraceContext{}},
	}
	type key struct{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := context.WithValue(t.Context(), key{}, "kept")
			ctx, ok := propagation.ContextWithRemoteParent(parent, tt.in)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				if ctx != parent {
					t.Error("ctx changed on invalid input")
				}
				return
			}
			if ctx.Value(key{}) != "kept" {
				t.Error("parent values lost")
			}
			sc := trace.SpanContextFromContext(ctx)
			if !sc.IsRemote() {
				t.Error("span context is not remote")
			}
			if got := sc.TraceID().String(); got != refTraceID {
				t.Errorf("trace id = %s, want %s", got, refTraceID)
			}
			if got := sc.SpanID().String(); got != refSpanID {
				t.Errorf("span id = %s, want %s", got, refSpanID)
			}
			if got := sc.TraceState().String(); got != "a=1" {
				t.Errorf("tracestate = %q", got)
			}
		})
	}
}

// TestTraceIDHex is the reference's current_span_trace_id_returns_hex_trace_id.
func TestTraceIDHex(t *testing.T) {
	tracer, _ := newTracer(t, sdktrace.AlwaysSample())
	ctx, span := tracer.Start(t.Context(), "op")
	defer span.End()
	id := propagation.TraceIDHex(ctx)
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("TraceIDHex = %q, want 32 lowercase hex characters", id)
	}
	if id == strings.Repeat("0", 32) {
		t.Fatal("TraceIDHex is all zeros")
	}
	if id != span.SpanContext().TraceID().String() {
		t.Errorf("TraceIDHex = %s, span has %s", id, span.SpanContext().TraceID())
	}
	if got := propagation.TraceIDHex(t.Context()); got != "" {
		t.Errorf("TraceIDHex without a span = %q", got)
	}
}

func TestFromContext(t *testing.T) {
	tracer, _ := newTracer(t, sdktrace.AlwaysSample())
	parent := remoteCtx(t, refTraceParent, refTraceState)
	ctx, span := tracer.Start(parent, "child")
	defer span.End()

	tc, ok := propagation.FromContext(ctx)
	if !ok {
		t.Fatal("FromContext ok = false")
	}
	want := "00-" + refTraceID + "-" + span.SpanContext().SpanID().String() + "-01"
	if tc.TraceParent != want {
		t.Errorf("traceparent = %q, want %q", tc.TraceParent, want)
	}
	if tc.TraceState != refTraceState {
		t.Errorf("tracestate = %q, want %q", tc.TraceState, refTraceState)
	}
	if sc, ok := propagation.FromSpanContext(span.SpanContext()); !ok || sc != tc {
		t.Errorf("FromSpanContext = %+v, %v; want %+v", sc, ok, tc)
	}

	for name, c := range map[string]context.Context{
		"no span":   t.Context(),
		"noop span": trace.ContextWithSpan(t.Context(), trace.SpanFromContext(t.Context())),
	} {
		if tc, ok := propagation.FromContext(c); ok || !tc.IsZero() {
			t.Errorf("%s: FromContext = %+v, %v; want nothing", name, tc, ok)
		}
	}
	if _, ok := propagation.FromSpanContext(trace.SpanContext{}); ok {
		t.Error("FromSpanContext(invalid) ok = true")
	}
}

func TestCapture(t *testing.T) {
	ctx := remoteCtx(t, refTraceParent, refTraceState)
	none, err := w3c.Propagators([]string{"none"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	merging, err := w3c.Propagators(nil, refMembers())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		prop   otelprop.TextMapPropagator
		wantOK bool
		wantTS string
	}{
		{name: "nil is plain W3C", prop: nil, wantOK: true, wantTS: refTraceState},
		{name: "provider-style merging propagator", prop: merging, wantOK: true, wantTS: refMerged},
		{name: "SDK propagator", prop: otelprop.TraceContext{}, wantOK: true, wantTS: refTraceState},
		{name: "none writes nothing", prop: none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, ok := propagation.Capture(ctx, tt.prop)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && (tc.TraceParent != refTraceParent || tc.TraceState != tt.wantTS) {
				t.Errorf("Capture = %+v, want traceparent %q tracestate %q", tc, refTraceParent, tt.wantTS)
			}
		})
	}
}

// TestInjectHeader is the reference's
// inject_span_w3c_trace_headers_replaces_existing_context.
func TestInjectHeader(t *testing.T) {
	tracer, _ := newTracer(t, sdktrace.AlwaysSample())
	ctx, span := tracer.Start(remoteCtx(t, refTraceParent, ""), "client")
	defer span.End()

	h := http.Header{}
	h.Add("traceparent", "00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01")
	h.Add("traceparent", "00-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-eeeeeeeeeeeeeeee-01")
	h.Set("tracestate", "stale=1")
	if !propagation.InjectHeader(ctx, h) {
		t.Fatal("InjectHeader = false")
	}
	want := "00-" + refTraceID + "-" + span.SpanContext().SpanID().String() + "-01"
	if got := h.Values("traceparent"); !slices.Equal(got, []string{want}) {
		t.Errorf("traceparent = %q, want [%q]", got, want)
	}
	if got := h.Values("tracestate"); got != nil {
		t.Errorf("tracestate = %q, want removed", got)
	}

	untouched := http.Header{"Traceparent": {"keep"}}
	if propagation.InjectHeader(t.Context(), untouched) || untouched.Get("traceparent") != "keep" {
		t.Error("InjectHeader without a span context changed the header")
	}
	if propagation.InjectHeader(ctx, nil) {
		t.Error("InjectHeader(nil header) = true")
	}
}
