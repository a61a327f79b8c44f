// Package grpcmw instruments gRPC servers and clients with OpenTelemetry, on
// top of contrib otelgrpc's stats handlers, and attaches otelkit sessions.
//
//	srv := grpc.NewServer(grpcmw.ServerOptions(
//		grpcmw.WithProvider(provider),
//		grpcmw.WithPolicy(propagation.TrustNone()), // a public endpoint
//		grpcmw.WithSessionResolver(session.NewResolver(factory)),
//	)...)
//
//	conn, err := grpc.NewClient(target, append(grpcmw.DialOptions(grpcmw.WithProvider(provider)),
//		grpc.WithTransportCredentials(creds))...)
//
// # What each RPC gets
//
// [ServerOptions] gives every RPC, unary or streaming, a server span named by
// its full method ("package.Service/Method", never anything with an id in
// it), the rpc.server.call.duration histogram, the client's W3C context
// extracted under the inbound trust policy, and, with a session resolver,
// its session in the context: session.FromContext(ctx) in a unary handler,
// session.FromContext(stream.Context()) in a streaming one, for every message
// of the stream. [DialOptions] gives client spans, rpc.client.call.duration
// and outgoing W3C context with the provider's configured tracestate merged
// in. Spans, metrics, attribute names and status codes are otelgrpc's (its
// scope and version; semconv v1.43: rpc.method, rpc.system.name,
// rpc.response.status_code, error.type), so dashboards built for otelgrpc
// work unchanged; OTEL_SEMCONV_STABILITY_OPT_IN=rpc/dup or rpc/old switches
// them as it does for otelgrpc.
//
// # Errors
//
// As the semantic conventions say, a server span is an error only for
// Unknown, DeadlineExceeded, Unimplemented, Internal, Unavailable and DataLoss
// (a NotFound answer is the server doing its job); a client span is an error
// for every code other than OK. The duration metrics carry
// rpc.response.status_code always and error.type (the code's canonical name,
// such as "INTERNAL") exactly when the RPC is an error on that side.
//
// # Inbound trust
//
// [WithPolicy] takes the propagation.Policy shared with httpmw. A trusted
// peer's context is the parent of the server span and its baggage reaches the
// handler. For an untrusted peer (every peer under TrustNone; peers outside
// the prefixes under TrustPeers, judged by the connection's address from
// grpc's peer.FromContext) the server span is a new root whose sampling the
// client's flag cannot force, linked to the client's span context, and
// inbound baggage is never even parsed.
//
// How: otelgrpc extracts context in its TagRPC with the propagator it is
// given, then starts the span; a public-endpoint function, also called in
// TagRPC, can make that span a new root linked to the extracted context.
// This package gives otelgrpc a policy-aware propagator that, for an
// untrusted peer, extracts only the remote span context (no baggage) through
// Policy.Extract, and a public-endpoint function that reports the same
// peer's distrust. The link is therefore passed when the span starts, where
// samplers can see it, instead of being added afterwards by an interceptor,
// and no interceptor is needed for the policy. otelgrpc extracts before it
// applies its filters, so when there are filters and the policy is not
// TrustAll, its handler is wrapped to mark the filtered RPCs (one context
// value each) and the propagator leaves an untrusted peer's context out of
// them (see Filters). The
// propagator also reads every value of the traceparent, tracestate and
// baggage metadata keys (otelgrpc's own carrier exposes only the first), so
// duplicated traceparent entries are rejected as W3C requires. Malformed or
// oversized values are treated as absent and never fail an RPC.
//
// # Sessions and interceptor order
//
// Sessions are resolved by a unary and a stream interceptor, installed only
// when [WithSessionResolver] is given. They are chained interceptors
// (grpc.ChainUnaryInterceptor), so they compose with others, which run in
// the order of their options: put an authentication interceptor's option
// before grpcmw's when the resolver's session.WithEnrich function reads what
// authentication stored in the context. The stats handler runs before every
// interceptor, so the span is already in the context they see.
//
// # Filters
//
// gRPC health checks (/grpc.health.v1.Health/*) get no span and no metric
// points by default ([WithoutHealthFilter] turns this off); [WithFilter] adds
// more. Filtered RPCs still get sessions. What their handlers see of the
// client's context follows the trust policy: from a trusted peer, the
// client's span context (as the remote parent of the handler's own spans and
// outgoing calls) and its baggage; from an untrusted peer, nothing: no span
// context, no link, no baggage, exactly as if the client had sent none.
// (An instrumented RPC from an untrusted peer hides the client's context
// behind its new-root server span; a filtered one has no span to do that, so
// its context is dropped instead.)
//
// # Cost
//
// Beyond otelgrpc, an RPC costs the metadata lookups of the policy-aware
// propagator and, with a resolver, the session's resolution, one context
// value and (streams) one wrapper. Nothing is allocated per instrumented RPC
// for options, filters or interceptors (a filtered RPC under a policy other
// than TrustAll costs one context value), and without a resolver no
// interceptor is installed.
// See BenchmarkUnary.
package grpcmw
