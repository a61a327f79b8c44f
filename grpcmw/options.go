package grpcmw

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	otkprop "github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// config is what [ServerOptions] and [DialOptions] build from defaults, then
// options, in that order.
type config struct {
	tp       trace.TracerProvider
	mp       metric.MeterProvider
	prop     propagation.TextMapPropagator
	policy   otkprop.Policy
	resolver *session.Resolver
	filters  []Filter
	health   bool // the default health-check filter is on
}

// Option configures [ServerOptions] and [DialOptions]. Options are applied in
// order; nil options are ignored. Options about inbound requests (the policy,
// the session resolver) are ignored by DialOptions.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// newConfig applies the defaults, then opts.
func newConfig(opts []Option) *config {
	c := &config{health: true}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	if c.prop == nil {
		// A nil *Propagation is W3C trace context and baggage with the inbound
		// limits and no configured tracestate.
		c.prop = (*otkprop.Propagation)(nil)
	}
	return c
}

// WithProvider takes the tracer provider, meter provider and propagator from
// p: p.TracerProvider(), p.MeterProvider() and p.Propagator() (W3C trace
// context with the provider's configured tracestate members merged into
// outgoing context, the inbound limits, and baggage). It is the usual way to
// configure this package. Each of the three is a scalar: a later
// [WithTracerProvider], [WithMeterProvider] or [WithPropagators] replaces
// the one taken from p, and a later WithProvider replaces all three. A nil p
// is ignored.
func WithProvider(p *otelkit.Provider) Option {
	return optionFunc(func(c *config) {
		if p == nil {
			return
		}
		c.tp = p.TracerProvider()
		c.mp = p.MeterProvider()
		c.prop = p.Propagator()
	})
}

// WithTracerProvider sets the tracer provider the spans are created with.
// Default: the OpenTelemetry global tracer provider at the time of the call to
// ServerOptions or DialOptions (a no-op unless globals were installed, for
// example with Provider.InstallGlobals). The last one wins, including over
// [WithProvider]. A nil tp is ignored.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	})
}

// WithMeterProvider sets the meter provider of the RPC metrics
// (rpc.server.call.duration, rpc.client.call.duration). Default: the
// OpenTelemetry global meter provider at the time of the call. The last one
// wins, including over [WithProvider]. A nil mp is ignored.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	})
}

// WithPropagators sets the propagator that extracts inbound context (server)
// and injects outbound context (client). Default: W3C trace context and
// baggage with otelkit's strict parsing and inbound limits (not the global
// propagator, whose default propagates nothing). The OTEL_PROPAGATORS
// environment variable is not read here: it is read when building the
// Provider whose Propagator [WithProvider] takes. The last one wins, including
// over WithProvider. A nil p is ignored.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.prop = p
		}
	})
}

// WithPolicy sets the inbound trust policy of the server (see
// propagation.Policy). Default: propagation.TrustAll(), for internal services:
// the client's context is the parent of the server span and its baggage is
// kept. With propagation.TrustNone() (public endpoints), or a
// propagation.TrustPeers / ParseTrustedPeers policy when the peer address is
// outside the trusted prefixes, the server span is a new root with a link to
// the client's span context, inbound baggage is dropped, and the client's
// sampled flag has no say in sampling. The peer is the connection's address
// (grpc's peer.FromContext). The last one wins; DialOptions ignores it.
func WithPolicy(p otkprop.Policy) Option {
	return optionFunc(func(c *config) { c.policy = p })
}

// WithSessionResolver makes the server resolve a session from each RPC's
// incoming metadata (see session.Resolver.FromGRPC) and put it in the
// handler's context, where session.FromContext finds it; streaming handlers
// find it in ServerStream.Context() for the whole stream. An RPC whose
// metadata has no session id gets no session (session.FromContext returns
// nil, a usable no-op). Default: none, and then no interceptor is installed.
// Sessions are resolved for every RPC, including filtered ones. The last one
// wins; DialOptions ignores it. A nil r is ignored.
func WithSessionResolver(r *session.Resolver) Option {
	return optionFunc(func(c *config) {
		if r != nil {
			c.resolver = r
		}
	})
}

// WithFilter adds a filter: an RPC is instrumented (span and metrics) only
// when every filter returns true for its full method. Filters append; the
// default health-check filter (see [WithoutHealthFilter]) is applied besides
// them. A filtered RPC's handler still gets a trusted peer's context (see
// [WithPolicy]) but nothing of an untrusted peer's. A nil f is ignored.
func WithFilter(f Filter) Option {
	return optionFunc(func(c *config) {
		if f != nil {
			c.filters = append(c.filters, f)
		}
	})
}

// WithoutHealthFilter instruments gRPC health checks
// (/grpc.health.v1.Health/*) and server reflection (grpcurl's
// /grpc.reflection.v1.ServerReflection/*) too. By default they get no span and
// no metric points: load balancers call health checks every few seconds, and
// reflection is tooling, not traffic. Filters added with [WithFilter] still apply.
func WithoutHealthFilter() Option {
	return optionFunc(func(c *config) { c.health = false })
}
