package httpmw

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/httpconv"
	"github.com/otelkit/otelkit/internal/w3c"
	otkprop "github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// New returns the server middleware: for every request that passes the filters it extracts the inbound
// trace context through the trust policy, starts a server span named "{method} {route}", resolves the
// session, serves the request and records the span's final attributes and the HTTP server metrics. See the
// package documentation for routes, attributes, panics and ordering.
//
// The returned function may wrap any number of handlers; they share the instruments and caches.
func New(opts ...Option) func(http.Handler) http.Handler {
	m := newMiddleware(newConfig(opts))
	return func(next http.Handler) http.Handler {
		h := &handler{m: m, next: next}
		if routes, ok := next.(chi.Routes); ok {
			h.routes = routes
		}
		return h
	}
}

// middleware is what New builds once: tracer, instruments, options and caches.
type middleware struct {
	tracer        trace.Tracer
	inst          httpconv.ServerInstruments
	prop          propagation.TextMapPropagator
	policy        otkprop.Policy
	trustAll      bool // the policy trusts everyone, X-Forwarded-For included
	filters       []Filter
	health        []string
	resolver      *session.Resolver
	traceResponse bool
	serverName    string

	kindOpt    trace.SpanStartOption
	newRootOpt trace.SpanStartOption

	routes  routeCache
	metrics *httpconv.Cache[httpconv.ServerMetricKey, *httpconv.MetricAttrs]
	states  sync.Pool // *state
	rctxs   sync.Pool // *chi.Context
}

func newMiddleware(c *config) *middleware {
	m := &middleware{
		tracer: c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(Version),
			trace.WithSchemaURL(semconv.SchemaURL)),
		prop:          c.prop,
		policy:        c.policy,
		trustAll:      c.policy.Trusts(netip.Addr{}),
		filters:       c.filters,
		health:        c.health,
		resolver:      c.resolver,
		traceResponse: c.traceResponse,
		serverName:    c.serverName,
		kindOpt:       trace.WithSpanKind(trace.SpanKindServer),
		newRootOpt:    trace.WithNewRoot(),
		routes:        newRouteCache(),
		metrics:       httpconv.NewCache[httpconv.ServerMetricKey, *httpconv.MetricAttrs](maxMetricSets),
	}
	meter := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(Version),
		metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	if m.inst, err = httpconv.NewServerInstruments(meter); err != nil {
		c.handle(err)
	}
	m.states.New = func() any { return new(state) }
	m.rctxs.New = func() any { return chi.NewRouteContext() }
	return m
}

// maxMetricSets bounds the cached metric attribute sets; beyond it sets are built per request. Their values
// come from small sets only (see httpconv.ServerRequest.MetricKey), so the bound is a safety net. The SDK's
// own cardinality limit still applies.
const maxMetricSets = 2048

// handler is the middleware around one next handler.
type handler struct {
	m      *middleware
	next   http.Handler
	routes chi.Routes // next, when it is a chi router
}

// instrumented reports whether r passes the health paths and the filters.
func (m *middleware) instrumented(r *http.Request) bool {
	if len(m.health) > 0 && r.URL != nil {
		for _, p := range m.health {
			if r.URL.Path == p {
				return false
			}
		}
	}
	for _, f := range m.filters {
		if !f(r) {
			return false
		}
	}
	return true
}

// extract applies the trust policy to r's trace context and baggage, and says whether the peer is trusted
// (and with it the X-Forwarded-For header).
func (m *middleware) extract(r *http.Request) (_ context.Context, link trace.Link, linked, trusted bool) {
	carrier := propagation.HeaderCarrier(r.Header)
	if m.trustAll { // the peer address does not matter: do not parse it
		ctx, link, linked := m.policy.Extract(r.Context(), m.prop, carrier, netip.Addr{})
		return ctx, link, linked, true
	}
	peer := otkprop.PeerAddr(r.RemoteAddr)
	ctx, link, linked := m.policy.Extract(r.Context(), m.prop, carrier, peer)
	return ctx, link, linked, m.policy.Trusts(peer)
}

// ServeHTTP instruments one request: see [New].
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	if !m.instrumented(r) {
		m.serveFiltered(h.next, w, r)
		return
	}
	st := m.states.Get().(*state)
	st.start = time.Now()
	st.rctx = chi.RouteContext(r.Context())
	st.chiFirst = st.rctx != nil && len(st.rctx.RoutePatterns) > 0

	ctx, link, linked, trustXFF := m.extract(r)
	httpconv.ReadServerRequest(&st.req, m.serverName, r, trustXFF)
	attrs := st.req.AppendStartAttrs(st.attrs[:0])
	var tel *session.Telemetry
	if m.resolver != nil {
		if tel = m.resolver.FromHTTP(r); tel != nil {
			st.session = tel.Metadata().SessionID
		}
	}
	name := st.req.Method.SpanName()
	if st.req.Route != "" { // inside a ServeMux: the route is known already
		if ri := m.routes.mux(r.Pattern); ri != nil {
			name = ri.names[st.req.Method]
		}
	}
	opts := append(st.opts[:0], m.kindOpt, st.withAttributes(len(attrs)))
	if linked {
		opts = append(opts, m.newRootOpt, trace.WithLinks(link))
	}
	ctx, span := m.tracer.Start(ctx, name, opts...)

	if st.rctx == nil {
		// Wrapping a router from outside: give chi the routing context it would create, so that the
		// pattern it builds is still ours to read once the request is served.
		st.rctx = m.rctxs.Get().(*chi.Context)
		st.rctx.Reset()
		st.rctx.Routes = h.routes
		st.ownRctx = true
		ctx = context.WithValue(ctx, chi.RouteCtxKey, st.rctx)
	}
	if tel != nil {
		ctx = session.NewContext(ctx, tel)
	}
	if m.traceResponse {
		if sc := span.SpanContext(); sc.IsValid() {
			w.Header()["Traceresponse"] = []string{w3c.FormatTraceParent(sc)}
		}
	}
	st.rw.Reset(w)
	r2 := r.WithContext(ctx)
	if r.Body != nil && r.Body != http.NoBody {
		st.body.Reset(r.Body)
		r2.Body = &st.body
	}
	st.span, st.ctx, st.r, st.r2 = span, ctx, r, r2

	defer m.finish(st)
	h.next.ServeHTTP(&st.rw, r2)
}

// serveFiltered serves a request the filters exclude: no span, no metrics, and its trace context headers
// are not extracted. When the policy does not trust the peer, a remote span context or baggage that an
// earlier middleware put in the context is removed, as for an instrumented request, so that the handler's
// spans never join the client's trace. The session is attached as usual.
func (m *middleware) serveFiltered(next http.Handler, w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !m.trustAll && !m.policy.Trusts(otkprop.PeerAddr(r.RemoteAddr)) {
		if trace.SpanContextFromContext(ctx).IsRemote() {
			ctx = trace.ContextWithSpanContext(ctx, trace.SpanContext{})
		}
		if baggage.FromContext(ctx).Len() > 0 {
			ctx = baggage.ContextWithoutBaggage(ctx)
		}
	}
	if m.resolver != nil {
		if tel := m.resolver.FromHTTP(r); tel != nil {
			ctx = session.NewContext(ctx, tel)
		}
	}
	if ctx != r.Context() {
		r = r.WithContext(ctx)
	}
	next.ServeHTTP(w, r)
}
