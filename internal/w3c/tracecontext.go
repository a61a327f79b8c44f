package w3c

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// traceContext is the W3C traceparent/tracestate propagator with configured
// tracestate members.
type traceContext struct {
	conf configured
}

var _ propagation.TextMapPropagator = (*traceContext)(nil)

// TraceContext returns a propagator for W3C traceparent and tracestate.
//
// Inject writes the version 00 traceparent of the span context in ctx (only
// the sampled and random flags) and its tracestate merged with the configured
// members: configured members first in key order; in a configured member that
// is already present, configured fields are replaced in place (the first
// occurrence kept), other fields are kept and missing configured fields are
// appended; the other members follow in order within 32 members and 512
// bytes. For example
// `example=alpha:zero;keep:yes,other=value` with {example: {alpha: one,
// beta: two}} becomes `example=alpha:one;keep:yes;beta:two,other=value`.
// Existing values in the carrier are replaced, and a stale tracestate is
// removed when there is none to write (for http.Header, map carriers and
// carriers with a Delete(key) method). Nothing is written when the span
// context is invalid.
//
// Extract parses strictly (see [ParseTraceParent] and [ParseTraceState]):
// header names are case-insensitive for HTTP headers, more than one
// traceparent value is invalid, several tracestate values are combined, and an
// invalid or over-limit tracestate is dropped while a valid traceparent is
// still used. The result is a remote span context; on invalid input ctx is
// returned unchanged. Extract never panics and allocates only the parsed
// tracestate and the returned context.
//
// configured should have passed [ValidateConfigured]; members that do not are
// skipped. The map is copied.
func TraceContext(configured map[string]map[string]string) propagation.TextMapPropagator {
	return &traceContext{conf: lenientConfigured(configured)}
}

// Inject implements propagation.TextMapPropagator.
func (p *traceContext) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() || carrier == nil {
		return
	}
	var buf [traceParentLen]byte
	appendTraceParent(&buf, sc.TraceID(), sc.SpanID(), sc.TraceFlags())
	setValue(carrier, TraceParentHeader, string(buf[:]))
	if ts := p.conf.merge(sc.TraceState()); ts != "" {
		setValue(carrier, TraceStateHeader, ts)
	} else {
		deleteValue(carrier, TraceStateHeader)
	}
}

// Extract implements propagation.TextMapPropagator.
func (p *traceContext) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	sc, ok := ExtractSpanContext(carrier)
	if !ok {
		return ctx
	}
	return trace.ContextWithRemoteSpanContext(ctx, sc)
}

// Fields implements propagation.TextMapPropagator.
func (p *traceContext) Fields() []string {
	return []string{TraceParentHeader, TraceStateHeader}
}

// ExtractSpanContext reads traceparent and tracestate from carrier as the
// TraceContext propagator's Extract does and returns the remote span context.
func ExtractSpanContext(carrier propagation.TextMapCarrier) (trace.SpanContext, bool) {
	var one [1]string
	tps := getValues(carrier, TraceParentHeader, &one)
	if len(tps) != 1 {
		return trace.SpanContext{}, false // absent, or duplicated headers
	}
	tid, sid, flags, ok := ParseTraceParent(tps[0])
	if !ok {
		return trace.SpanContext{}, false
	}
	ts, _ := ParseTraceState(getValues(carrier, TraceStateHeader, &one))
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    tid,
		SpanID:     sid,
		TraceFlags: flags,
		TraceState: ts,
		Remote:     true,
	}), true
}

// SpanContextFromStrings parses a traceparent and an optional tracestate (as
// carried in JSON-RPC params or environment variables) into a remote span
// context. ok is false when traceparent is invalid; an invalid tracestate is
// dropped.
func SpanContextFromStrings(traceparent, tracestate string) (trace.SpanContext, bool) {
	tid, sid, flags, ok := ParseTraceParent(traceparent)
	if !ok {
		return trace.SpanContext{}, false
	}
	var ts trace.TraceState
	if tracestate != "" {
		ts, _ = ParseTraceState([]string{tracestate})
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    tid,
		SpanID:     sid,
		TraceFlags: flags,
		TraceState: ts,
		Remote:     true,
	}), true
}

// ValidTraceState reports whether tracestate, as one header value, is valid
// and within the limits.
func ValidTraceState(tracestate string) bool {
	_, ok := ParseTraceState([]string{tracestate})
	return ok
}
