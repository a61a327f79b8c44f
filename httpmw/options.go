package httpmw

import (
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	otkprop "github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// DefaultHealthPaths are the request paths [New] does not instrument unless [WithHealthPaths] says
// otherwise: no span and no metrics, the handler still runs.
var DefaultHealthPaths = []string{"/healthz", "/readyz", "/livez"}

// Filter decides whether a request is instrumented: it returns false to skip the span and the metrics
// (the request is still served). Filters must be fast and must not read the body.
type Filter func(*http.Request) bool

// config is what [New] and [Transport] build from defaults, then options, in that order.
type config struct {
	tp            trace.TracerProvider
	mp            metric.MeterProvider
	prop          propagation.TextMapPropagator
	policy        otkprop.Policy
	filters       []Filter
	health        []string
	resolver      *session.Resolver
	traceResponse bool
	serverName    string
	fullQuery     bool
	handle        func(error)
}

// Option configures [New] (server) and [Transport] (client). Options are applied in order; nil options
// are ignored. Options about inbound requests (policy, health paths, session resolver, traceresponse,
// server name) are ignored by Transport; the query-redaction option is ignored by New.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) *config {
	c := &config{health: DefaultHealthPaths, handle: otel.Handle}
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
		// A nil *Propagation is W3C trace context and baggage with the inbound limits.
		c.prop = (*otkprop.Propagation)(nil)
	}
	return c
}

// WithProvider takes the tracer provider, meter provider and propagator from p: p.TracerProvider(),
// p.MeterProvider() and p.Propagator() (W3C trace context with the provider's configured tracestate
// members merged into outgoing context, the inbound limits, and baggage). It is the usual way to configure
// this package. Each of the three is a scalar: a later [WithTracerProvider], [WithMeterProvider] or
// [WithPropagators] replaces the one taken from p, and a later WithProvider replaces all three. A nil p is
// ignored.
func WithProvider(p *otelkit.Provider) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.tp, c.mp, c.prop = p.TracerProvider(), p.MeterProvider(), p.Propagator()
		}
	})
}

// WithTracerProvider sets the tracer provider spans are created with. Default: the OpenTelemetry global
// tracer provider at the time New or Transport is called (a no-op unless globals were installed, e.g. with
// Provider.InstallGlobals). The last one wins, including over [WithProvider]. Nil is ignored.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	})
}

// WithMeterProvider sets the meter provider of the HTTP histograms. Default: the OpenTelemetry global
// meter provider at the time of the call. The last one wins, including over [WithProvider]. Nil is ignored.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	})
}

// WithPropagators sets the propagator that extracts inbound context (server) and injects outbound context
// (client). Default: W3C trace context and baggage with otelkit's strict parsing and inbound limits, not
// the global propagator (whose default propagates nothing); OTEL_PROPAGATORS is read when building the
// Provider whose propagator [WithProvider] takes. The last one wins, including over WithProvider. Nil is
// ignored.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.prop = p
		}
	})
}

// WithPolicy sets the inbound trust policy (see propagation.Policy). Default: propagation.TrustAll(), for
// internal services. With propagation.TrustNone() (public endpoints), or a TrustPeers policy when the
// direct peer (Request.RemoteAddr, never X-Forwarded-For) is outside the trusted prefixes, the server span
// is a new root with a link to the inbound span context, inbound baggage is dropped, and client.address is
// the peer address instead of the first X-Forwarded-For entry. The last one wins; Transport ignores it.
func WithPolicy(p otkprop.Policy) Option {
	return optionFunc(func(c *config) { c.policy = p })
}

// WithFilter adds filters: a request is instrumented only when every filter returns true. It appends to
// the filters given before; the health-path filter ([WithHealthPaths]) applies besides them. Transport
// applies filters to outgoing requests too. Nil filters are ignored.
func WithFilter(f ...Filter) Option {
	return optionFunc(func(c *config) {
		for _, x := range f {
			if x != nil {
				c.filters = append(c.filters, x)
			}
		}
	})
}

// WithHealthPaths replaces the request paths (exact URL.Path matches) that are never instrumented.
// Default: [DefaultHealthPaths] (/healthz, /readyz, /livez). WithHealthPaths() with no path instruments
// every path. The last one wins; Transport ignores it.
func WithHealthPaths(paths ...string) Option {
	return optionFunc(func(c *config) { c.health = append([]string(nil), paths...) })
}

// WithSessionResolver makes the server resolve each request's session from its headers (see
// session.Resolver.FromHTTP) and put it in the request context, where handlers find it with
// session.FromContext; the session id is recorded on the server span as session.id (never on metrics).
// A request without a session id gets no session (a nil, no-op *session.Telemetry). The resolver's enrich
// function sees the request context as it reached the middleware. Sessions are resolved for filtered
// requests too. Default: none. The last one wins; Transport ignores it. Nil is ignored.
func WithSessionResolver(r *session.Resolver) Option {
	return optionFunc(func(c *config) {
		if r != nil {
			c.resolver = r
		}
	})
}

// WithTraceResponseHeader makes the server send the W3C Trace Context Level 2 traceresponse header,
// "00-{trace-id}-{server span id}-{flags}", so clients can find the trace of their request. Off by default:
// it reveals trace ids to whoever calls the server. Filtered requests get no header. Transport ignores it.
func WithTraceResponseHeader() Option {
	return optionFunc(func(c *config) { c.traceResponse = true })
}

// WithServerName sets server.address (and server.port, if name has one) to the server's primary name
// instead of the request's Host header. The server metrics carry server.address and server.port only with
// this option, and only from name (a Host header would let clients create metric series at will). Default:
// on spans the Host header when it is a valid host (as otelhttp does, but bounded), on metrics none. The
// last one wins; Transport ignores it.
func WithServerName(name string) Option {
	return optionFunc(func(c *config) { c.serverName = name })
}

// WithoutQueryRedaction makes the client record url.full with its query values. By default they are
// replaced by "REDACTED" (keys kept: "?token=REDACTED"; a part without a value is replaced whole:
// "?SECRET" → "?REDACTED"), since query strings often carry tokens; userinfo and the fragment
// are always removed. New ignores it.
func WithoutQueryRedaction() Option {
	return optionFunc(func(c *config) { c.fullQuery = true })
}

// WithErrorHandler receives the errors met while setting up instruments. Default: otel.Handle, the
// OpenTelemetry global error handler. The last one wins. Nil is ignored.
func WithErrorHandler(h func(error)) Option {
	return optionFunc(func(c *config) {
		if h != nil {
			c.handle = h
		}
	})
}
