package propagation

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// noCtx is the parent of contexts that exist only to hand a span context to a
// propagator's Inject; nothing reads their deadline or values.
var noCtx = context.Background()

// Package defaults: W3C trace context with no configured tracestate, and the
// same plus baggage. Both are immutable.
var (
	defaultTraceContext = w3c.TraceContext(nil)
	defaultPropagator   = mustDefault()
)

// mustDefault builds the default set; with no names and no members it cannot
// fail.
func mustDefault() propagation.TextMapPropagator {
	p, err := w3c.Propagators(nil, nil)
	if err != nil {
		return propagation.NewCompositeTextMapPropagator(defaultTraceContext, w3c.Baggage())
	}
	return p
}

// FromContext captures the span context of ctx as a [TraceContext], without
// configured tracestate members (see [Capture] and [Propagation.FromContext]
// for those). ok is false, and the value zero, when ctx has no valid span
// context, e.g. no span or a no-op tracer.
func FromContext(ctx context.Context) (TraceContext, bool) {
	return Capture(ctx, nil)
}

// FromSpanContext returns sc as a [TraceContext]. ok is false when sc is not
// valid.
func FromSpanContext(sc trace.SpanContext) (TraceContext, bool) {
	if !sc.IsValid() {
		return TraceContext{}, false
	}
	return TraceContext{TraceParent: w3c.FormatTraceParent(sc), TraceState: sc.TraceState().String()}, true
}

// Capture injects the span context of ctx with prop and returns the
// traceparent and tracestate it wrote, so a merging propagator such as the
// provider's Propagator() adds its configured tracestate members. A nil prop
// means plain W3C trace context. ok is false when ctx has no valid span
// context or prop writes no traceparent (e.g. OTEL_PROPAGATORS=none).
func Capture(ctx context.Context, prop propagation.TextMapPropagator) (TraceContext, bool) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return TraceContext{}, false
	}
	if prop == nil {
		prop = defaultTraceContext
	}
	var tc TraceContext
	prop.Inject(ctx, &tc)
	if tc.TraceParent == "" {
		return TraceContext{}, false
	}
	return tc, true
}

// TraceIDHex returns the trace id of the span context in ctx as 32 lowercase
// hex characters, or "" when ctx has no valid span context.
func TraceIDHex(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return ""
	}
	return sc.TraceID().String()
}

// ContextWithRemoteParent returns a copy of ctx whose remote parent is tc, so
// the next span started from it continues tc's trace. ok is false, and ctx is
// returned unchanged, when tc has no valid traceparent (a tracestate alone is
// not enough). An invalid or over-limit tracestate is dropped.
func ContextWithRemoteParent(ctx context.Context, tc TraceContext) (context.Context, bool) {
	sc, ok := tc.SpanContext()
	if !ok {
		return ctx, false
	}
	return trace.ContextWithRemoteSpanContext(ctx, sc), true
}

// InjectHeader writes the span context of ctx into h as traceparent and
// tracestate, without configured tracestate members (see
// [Propagation.InjectHeader]). Existing traceparent and tracestate headers are
// replaced, and tracestate is removed when there is none. It returns false,
// leaving h unchanged, when ctx has no valid span context or h is nil.
func InjectHeader(ctx context.Context, h http.Header) bool {
	return injectHeader(ctx, defaultTraceContext, h)
}

// injectHeader injects with prop into h when ctx has a valid span context.
func injectHeader(ctx context.Context, prop propagation.TextMapPropagator, h http.Header) bool {
	if h == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return false
	}
	prop.Inject(ctx, propagation.HeaderCarrier(h))
	return true
}
