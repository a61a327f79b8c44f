package propagation

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

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

// installedTraceContext returns the W3C trace context propagator of the
// OpenTelemetry global propagator when that global is one of ours carrying
// configured tracestate members: the root package's Provider.Propagator()
// (installed by Provider.InstallGlobals) or a [Propagation] from [New] with
// [WithTraceState]. ok is false for any other global, including the
// OpenTelemetry default and a set named "none" or "baggage" alone. It reads
// the global on every call, without allocating, so a later InstallGlobals or
// its restore takes effect at once.
func installedTraceContext() (_ propagation.TextMapPropagator, ok bool) {
	g := otel.GetTextMapPropagator()
	if p, isOurs := g.(*Propagation); isOurs {
		if p == nil {
			return nil, false
		}
		g = p.traceContext
	}
	return w3c.ConfiguredTraceContext(g)
}

// defaultTraceContextProp is the traceparent/tracestate propagator of the
// helpers that take no propagator: the installed one with its configured
// members (see installedTraceContext), otherwise plain W3C trace context.
func defaultTraceContextProp() propagation.TextMapPropagator {
	if tc, ok := installedTraceContext(); ok {
		return tc
	}
	return defaultTraceContext
}

// injectDefault injects ctx into carrier as the default set does (W3C trace
// context, then baggage), with the installed configured tracestate members
// merged in when there are any (see installedTraceContext).
func injectDefault(ctx context.Context, carrier propagation.TextMapCarrier) {
	tc, ok := installedTraceContext()
	if !ok {
		defaultPropagator.Inject(ctx, carrier)
		return
	}
	tc.Inject(ctx, carrier)
	w3c.Baggage().Inject(ctx, carrier)
}
