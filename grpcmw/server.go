package grpcmw

import (
	"net/netip"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/stats"
)

// ServerOptions returns the options to add to grpc.NewServer so that every
// RPC, unary or streaming, is instrumented:
//
//   - a server span named by the full method without its leading slash
//     ("package.Service/Method"), kind server, with the semconv RPC
//     attributes, ended when the RPC ends (for streams: when the whole stream
//     ends);
//   - the rpc.server.call.duration histogram (seconds) with rpc.method,
//     rpc.system.name, rpc.response.status_code and, for failures, error.type;
//   - the client's W3C context extracted from the metadata under the inbound
//     [WithPolicy] policy (trusted: the client span is the parent; otherwise
//     a new root with a link, no baggage, local sampling);
//   - with [WithSessionResolver], the session resolved from the metadata in
//     the handler's context (unary) or ServerStream.Context() (streams).
//
// Span status follows the semantic conventions for servers: only Unknown,
// DeadlineExceeded, Unimplemented, Internal, Unavailable and DataLoss are
// errors; other codes (NotFound, InvalidArgument, ...) leave the status
// unset. Health checks are not instrumented unless [WithoutHealthFilter].
// The handler of an RPC that is not instrumented gets a trusted peer's
// context, but nothing of an untrusted peer's (no span context, no baggage).
//
// The result holds a grpc.StatsHandler option and, with a session resolver,
// grpc.ChainUnaryInterceptor and grpc.ChainStreamInterceptor options, so it
// composes with other options and interceptors. Chained interceptors run in
// the order their options are given: put an authentication interceptor's
// option before these when a session.WithEnrich function reads what it
// stored in the context.
func ServerOptions(opts ...Option) []grpc.ServerOption {
	c := newConfig(opts)
	out := make([]grpc.ServerOption, 0, 3)
	out = append(out, grpc.StatsHandler(newServerHandler(c)))
	if c.resolver != nil {
		si := &sessionInterceptor{resolver: c.resolver}
		out = append(out, grpc.ChainUnaryInterceptor(si.unary), grpc.ChainStreamInterceptor(si.stream))
	}
	return out
}

// newServerHandler builds the otelgrpc server stats handler for c.
func newServerHandler(c *config) stats.Handler {
	// Only TrustAll trusts the zero address.
	sp := &serverPropagator{inner: c.prop, policy: c.policy, trustAll: c.policy.Trusts(netip.Addr{})}
	hopts := []otelgrpc.Option{
		otelgrpc.WithTracerProvider(c.tp),
		otelgrpc.WithMeterProvider(c.mp),
		otelgrpc.WithPropagators(sp),
	}
	f := c.otelgrpcFilter()
	if f != nil {
		hopts = append(hopts, otelgrpc.WithFilter(f))
	}
	if sp.trustAll {
		return otelgrpc.NewServerHandler(hopts...)
	}
	hopts = append(hopts, otelgrpc.WithPublicEndpointFn(sp.untrusted))
	h := otelgrpc.NewServerHandler(hopts...)
	if f == nil {
		return h
	}
	// A filtered RPC gets no server span, so nothing would replace an
	// untrusted remote context with a new root: tell the propagator.
	return &filteringHandler{Handler: h, instrument: f}
}
