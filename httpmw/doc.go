// Package httpmw instruments HTTP servers (chi or net/http) and clients with OpenTelemetry: server spans
// named after the route template, the HTTP server and client metrics of the semantic conventions, W3C
// trace context through an inbound trust policy, sessions in the request context, and a client transport
// that propagates the context with the provider's configured tracestate.
//
// # Quick start
//
//	p, _ := otelkit.NewProvider(settings)
//	r := chi.NewRouter()
//	r.Use(httpmw.New(httpmw.WithProvider(p), httpmw.WithSessionResolver(resolver)))
//	r.Get("/users/{id}", getUser) // span "GET /users/{id}"
//
//	client := &http.Client{Transport: httpmw.Transport(nil, httpmw.WithProvider(p))}
//
// # Routes
//
// The server span is named "{method} {route}", and http.route is recorded on the span and the metrics,
// with the route template, never the raw path. The route is read after the handler returns, so it is
// right in these layouts:
//
//   - r.Use(mw) on a chi router, mw(router) around a whole chi router (the middleware gives chi the
//     routing context it would otherwise create itself), nested Route and Mount sub-routers
//     ("/api/v1/users/{id}"), and middlewares in between that replace the request
//     (middleware.RequestID, r.WithContext): chi's routing context is shared, so its pattern is read
//     whatever request the router saw;
//   - net/http ServeMux patterns (Go 1.22+): mw(mux) reads Request.Pattern from the request it passed to
//     the mux, and mw inside a mux (mux.Handle(p, mw(h))) knows the route from the start. The method and
//     host of a pattern are dropped ("GET example.com/items/{id}" → "/items/{id}");
//   - a chi router behind a ServeMux and http.StripPrefix (mux.Handle("/v2/", http.StripPrefix("/v2", r)),
//     with mw around the mux, inside it or in r.Use): chi's route is joined to the ServeMux prefix
//     ("/v2/things/{id}") unless it already starts with it.
//
// One layout is beyond reach: a middleware that replaces the request (r.WithContext, http.StripPrefix)
// between mw and a ServeMux, with no chi router behind the ServeMux. ServeMux records the pattern only in
// the Request.Pattern field of the request it receives, a copy mw never sees, and writes nothing to the
// context that the copy shares with mw's request; so mw cannot learn the route and names the span
// "{method}" with no http.route (never the raw path). Put mw next to the mux, or inside it
// (mux.Handle(p, mw(h))). The same holds for a ServeMux mounted in chi behind http.StripPrefix: the span is
// named after chi's mount ("GET /legacy/*").
//
// A request no route matched is named "{method}" with no http.route. A request that entered a chi
// sub-router (Route, Mount) but matched nothing there is named after the mount, as chi's RoutePattern
// reports it ("GET /api/v1/*"); when a ServeMux mounted in chi matched, its more specific pattern wins.
// Methods other than the nine standard ones are recorded as http.request.method "_OTHER" with
// http.request.method_original, and named "HTTP" ("HTTP /route"), as the semantic conventions require.
//
// # Attributes and metrics
//
// Server spans carry the attributes otelhttp v0.72 records (server.address, server.port, url.scheme,
// url.path, http.request.method, network.peer.address/port, network.protocol.version, user_agent.original,
// client.address, http.response.status_code, http.request.body.size, http.response.body.size). The
// attributes the semantic conventions list as important for sampling (server.address, server.port,
// url.scheme, url.path, http.request.method, user_agent.original, client.address, and http.route when
// already known) are given when the span starts, so samplers see them; the others are set with the
// response attributes in one call when the request is done, which halves the SDK's attribute copying.
// Exported spans are the same either way. Added to otelhttp's attributes:
//
//   - http.route on the span, once the router has matched (otelhttp only records it when known at start);
//   - error.type on the span and the metrics: the status code for 5xx responses, the panic's type for a
//     panic ("net/http.ErrAbortHandler" for http.ErrAbortHandler);
//   - session.id on the span, when a session is resolved (never on metrics).
//
// 5xx responses set the span status to Error; 4xx do not (they are the client's error). A hijacked
// connection (a WebSocket upgrade) is never an error; when the handler wrote no status before hijacking,
// no http.response.status_code is recorded.
//
// The metrics are otelhttp's, with its bucket boundaries: http.server.request.duration (s),
// http.server.request.body.size and http.server.response.body.size (By), with http.request.method,
// url.scheme, network.protocol.name/version, http.response.status_code, http.route and error.type, and
// server.address and server.port only when [WithServerName] configures them. Their attribute sets are
// computed once per route, method and status and cached.
//
// # Hostile requests
//
// Headers are client input. Metric attributes take only values from small sets (the route table, the
// normalised method, status codes, known protocol versions, the configured server name): unlike otelhttp,
// the Host header never reaches the metrics, since any client could otherwise create series at will (the
// semantic conventions make server.address opt-in on HTTP server metrics for this reason). On spans,
// server.address is the configured server name, else the Host header when it is a valid host name or IP
// address of at most 255 bytes, else absent (with server.port); client.address from X-Forwarded-For follows
// the same rule (else the peer address); user_agent.original is cut to 1 KiB, url.path to 2 KiB and
// http.request.method_original to 64 bytes, at a UTF-8 character boundary.
//
// # Trust policy
//
// Inbound traceparent, tracestate and baggage go through a propagation.Policy ([WithPolicy]). With the
// default TrustAll the client's span is the parent. For a public endpoint (propagation.TrustNone) or an
// untrusted peer (propagation.TrustPeers), the server span is a new root with a link to the client's span
// context, inbound baggage is absent from the handler's context, and client.address is the connection's
// peer address rather than X-Forwarded-For. Malformed or oversized headers are ignored, never an error.
//
// # Sessions
//
// With [WithSessionResolver] each request's session is resolved from its headers and stored in the
// request context: handlers call session.FromContext(r.Context()). A request without a session id gets a
// nil session, which is a usable no-op.
//
// # Panics
//
// A panic in the handler is recorded on the span (an "exception" event with the type, message and stack
// trace; status Error; error.type), the metrics are recorded, and the panic is raised again with the same
// value, so net/http or an outer recovery middleware sees it unchanged (http.ErrAbortHandler included).
//
// # Response writer
//
// Handlers get a wrapper of their http.ResponseWriter (pooled, one per request) that implements
// http.Flusher, http.Hijacker, io.ReaderFrom, io.StringWriter and http.Pusher by delegation and has
// Unwrap, so http.NewResponseController works (Flush, Hijack, SetReadDeadline, SetWriteDeadline,
// EnableFullDuplex). Server-sent events flush as they are written. The wrapper and the request body
// wrapper must not be used after the handler returns, as net/http already requires.
//
// # Filters and ordering
//
// Requests to the health paths (/healthz, /readyz, /livez by default; [WithHealthPaths]) and requests a
// [WithFilter] filter rejects are served without a span or metrics, and their trace context headers are
// not extracted; when the policy does not trust the peer, a remote span context or baggage an earlier
// middleware put in the context is removed, so the handler's spans never join an untrusted trace.
//
// Put the middleware first (outermost), so that its span covers the other middlewares and its duration
// the whole request, and so that recovery middlewares inside it let panics reach it only when they
// re-panic.
//
// # Client
//
// [Transport] records client spans ("{method}"; 4xx and 5xx are errors) and the client metrics
// (http.client.request.duration, http.client.request.body.size), and injects the span context. url.full
// has its userinfo and fragment removed and its query values (and query parts without a value, which may
// be secrets of their own: "?SECRET") replaced by "REDACTED" unless [WithoutQueryRedaction].
//
// # Performance
//
// Everything that can be is computed when the middleware is built; per request there are no closures, no
// fmt or strconv, one pooled state (response-writer and body wrappers, attribute buffers), and cached
// route names and metric attribute sets. See BENCHMARKS.md at the module root for measurements against
// otelhttp and otelchi.
package httpmw
