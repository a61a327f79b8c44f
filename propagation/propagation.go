package propagation

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/propagation"

	"github.com/otelkit/otelkit/internal/w3c"
)

// Propagation is a propagator set with configured tracestate members. It is
// itself a propagation.TextMapPropagator (the set named by OTEL_PROPAGATORS or
// [WithPropagators]) and captures and injects W3C trace context with the
// configured members merged in.
//
// A provider normally supplies the equivalent propagator (the root package's
// Provider.Propagator(), validated when the provider is built); use [New]
// when there is no provider. A nil *Propagation behaves like New() with no
// configuration: W3C trace context and baggage, no configured members.
// A Propagation is immutable and safe for concurrent use.
type Propagation struct {
	traceContext propagation.TextMapPropagator // W3C with configured members
	all          propagation.TextMapPropagator // the configured set
}

var _ propagation.TextMapPropagator = (*Propagation)(nil)

// New builds a Propagation from, in order, defaults (tracecontext and
// baggage, no tracestate members), the OTEL_PROPAGATORS environment variable,
// and opts. It fails when a propagator name is not supported (wrapping
// [ErrUnsupportedPropagator]) or a configured tracestate member is invalid
// (wrapping [ErrInvalidTraceState], naming the member and field).
func New(opts ...Option) (*Propagation, error) {
	c := newConfig(opts)
	all, err := w3c.Propagators(c.names, c.traceState)
	if err != nil {
		return nil, err
	}
	return &Propagation{traceContext: w3c.TraceContext(c.traceState), all: all}, nil
}

// PropagatorsFromEnv returns the propagators named by OTEL_PROPAGATORS
// (tracecontext and baggage when unset), with no configured tracestate.
// Unsupported names (b3, b3multi, jaeger, xray, ottrace, unknown ones) give an
// error wrapping [ErrUnsupportedPropagator] that lists what is supported.
func PropagatorsFromEnv() (propagation.TextMapPropagator, error) {
	return w3c.Propagators(envPropagatorNames(), nil)
}

// set returns the configured propagator set.
func (p *Propagation) set() propagation.TextMapPropagator {
	if p == nil {
		return defaultPropagator
	}
	return p.all
}

// TraceContextPropagator returns the W3C traceparent/tracestate propagator
// with the configured tracestate members, whatever OTEL_PROPAGATORS says.
func (p *Propagation) TraceContextPropagator() propagation.TextMapPropagator {
	if p == nil {
		return defaultTraceContext
	}
	return p.traceContext
}

// Inject injects ctx's context into carrier with the configured propagators.
func (p *Propagation) Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	if carrier == nil {
		return
	}
	p.set().Inject(ctx, carrier)
}

// Extract extracts a context from carrier with the configured propagators,
// applying the inbound limits. It never fails: invalid input leaves ctx as it
// is. Apply a [Policy] to untrusted input instead of calling this directly.
func (p *Propagation) Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	if carrier == nil {
		return ctx
	}
	return p.set().Extract(ctx, carrier)
}

// Fields returns the header names the configured propagators use.
func (p *Propagation) Fields() []string { return p.set().Fields() }

// FromContext captures the span context of ctx as a [TraceContext] with the
// configured tracestate members merged in. ok is false when ctx has no valid
// span context.
func (p *Propagation) FromContext(ctx context.Context) (TraceContext, bool) {
	return Capture(ctx, p.TraceContextPropagator())
}

// InjectHeader writes the span context of ctx into h as traceparent and a
// tracestate with the configured members merged in, replacing existing
// headers and removing a stale tracestate. Baggage is not written (use
// Inject). It returns false, leaving h unchanged, when ctx has no valid span
// context or h is nil.
func (p *Propagation) InjectHeader(ctx context.Context, h http.Header) bool {
	return injectHeader(ctx, p.TraceContextPropagator(), h)
}
