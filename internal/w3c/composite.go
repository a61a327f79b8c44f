package w3c

import (
	"context"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// composite runs propagators in order, like the OpenTelemetry composite, but
// with a deterministic Fields and a type RemoteSpanContext can recognise.
type composite []propagation.TextMapPropagator

var _ propagation.TextMapPropagator = composite(nil)

// Inject implements propagation.TextMapPropagator.
func (c composite) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	for _, p := range c {
		p.Inject(ctx, carrier)
	}
}

// Extract implements propagation.TextMapPropagator.
func (c composite) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	for _, p := range c {
		ctx = p.Extract(ctx, carrier)
	}
	return ctx
}

// Fields implements propagation.TextMapPropagator: every field once, in
// propagator order.
func (c composite) Fields() []string {
	var fields []string
	for _, p := range c {
		for _, f := range p.Fields() {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	return fields
}

// RemoteSpanContext returns the remote span context prop would extract from
// carrier, without extracting (or even parsing) baggage: it is what an
// untrusted request may contribute as a span link. For propagators built by
// this package it parses traceparent and tracestate directly; for others it
// runs prop.Extract on a context with an explicitly empty span context and a
// view of carrier that hides the baggage header. ok is false when there is no
// valid remote span context.
func RemoteSpanContext(ctx context.Context, prop propagation.TextMapPropagator, carrier propagation.TextMapCarrier) (trace.SpanContext, bool) {
	if carrier == nil || prop == nil {
		return trace.SpanContext{}, false
	}
	if w3cOnly(prop) {
		return ExtractSpanContext(carrier)
	}
	probe := prop.Extract(trace.ContextWithSpanContext(ctx, trace.SpanContext{}), noBaggage{carrier})
	sc := trace.SpanContextFromContext(probe)
	if !sc.IsValid() || !sc.IsRemote() {
		return trace.SpanContext{}, false
	}
	return sc, true
}

// w3cOnly reports whether prop extracts a span context exactly as
// ExtractSpanContext does: a trace context propagator of this package, alone
// or in a composite with this package's baggage propagator.
func w3cOnly(prop propagation.TextMapPropagator) bool {
	switch p := prop.(type) {
	case *traceContext:
		return true
	case composite:
		found := false
		for _, q := range p {
			switch q.(type) {
			case *traceContext:
				found = true
			case baggagePropagator:
			default:
				return false
			}
		}
		return found
	}
	return false
}

// ConfiguredTraceContext returns the W3C trace context propagator inside prop
// when prop was built by this package ([TraceContext], or [Propagators] with
// "tracecontext") and carries configured tracestate members. ok is false for
// any other propagator, including this package's without configured members,
// so callers can tell a provider's merging propagator from a plain one. It
// does not allocate.
func ConfiguredTraceContext(prop propagation.TextMapPropagator) (_ propagation.TextMapPropagator, ok bool) {
	switch p := prop.(type) {
	case *traceContext:
		if p != nil && len(p.conf.members) > 0 {
			return p, true
		}
	case composite:
		for _, q := range p {
			if tc, isTC := q.(*traceContext); isTC && tc != nil && len(tc.conf.members) > 0 {
				return tc, true
			}
		}
	}
	return nil, false
}

// noBaggage hides the baggage header of an untrusted carrier.
type noBaggage struct {
	propagation.TextMapCarrier
}

// Get implements propagation.TextMapCarrier.
func (c noBaggage) Get(key string) string {
	if strings.EqualFold(key, BaggageHeader) {
		return ""
	}
	return c.TextMapCarrier.Get(key)
}

// Values implements propagation.ValuesGetter.
func (c noBaggage) Values(key string) []string {
	if strings.EqualFold(key, BaggageHeader) {
		return nil
	}
	if vg, ok := c.TextMapCarrier.(propagation.ValuesGetter); ok {
		return vg.Values(key)
	}
	if v := c.TextMapCarrier.Get(key); v != "" {
		return []string{v}
	}
	return nil
}
