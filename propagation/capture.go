package propagation

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// FromContext captures the span context of ctx as a [TraceContext]. It is
// Capture(ctx, nil): when an otelkit propagator with configured tracestate
// members is the OpenTelemetry global (Provider.InstallGlobals in the root
// package), those members are merged into the tracestate; otherwise the
// tracestate is the span's own. ok is false, and the value zero, when ctx has
// no valid span context, e.g. no span or a no-op tracer.
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
// means W3C trace context with the configured members of the installed
// global propagator: the global's own trace context propagator when the
// OpenTelemetry global is an otelkit propagator carrying configured members
// (the root package's Provider.Propagator() after Provider.InstallGlobals, or
// a [Propagation] with [WithTraceState]), plain W3C trace context otherwise.
// ok is false when ctx has no valid span context or prop writes no
// traceparent (e.g. OTEL_PROPAGATORS=none).
func Capture(ctx context.Context, prop propagation.TextMapPropagator) (TraceContext, bool) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return TraceContext{}, false
	}
	if prop == nil {
		prop = defaultTraceContextProp()
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
// tracestate. Like [FromContext], it merges in the configured tracestate
// members of the installed global propagator when that is an otelkit one
// (see [Capture]); pass a propagator explicitly with
// [Propagation.InjectHeader]. Existing traceparent and tracestate headers are
// replaced, and tracestate is removed when there is none. It returns false,
// leaving h unchanged, when ctx has no valid span context or h is nil.
func InjectHeader(ctx context.Context, h http.Header) bool {
	return injectHeader(ctx, defaultTraceContextProp(), h)
}

// injectHeader injects with prop into h when ctx has a valid span context.
func injectHeader(ctx context.Context, prop propagation.TextMapPropagator, h http.Header) bool {
	if h == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return false
	}
	prop.Inject(ctx, propagation.HeaderCarrier(h))
	return true
}
