package grpcmw

import (
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
)

// DialOptions returns the options to add to grpc.NewClient so that every
// RPC made on the connection is instrumented:
//
//   - a client span named by the full method without its leading slash, kind
//     client, child of the span in the call's context, ended when the RPC ends;
//   - the rpc.client.call.duration histogram (seconds);
//   - the call's context injected into the outgoing metadata with the
//     configured propagator (with [WithProvider]: W3C traceparent, a
//     tracestate with the provider's configured members merged in, and
//     baggage), replacing traceparent entries already there.
//
// Every status other than OK makes the client span an error, as the semantic
// conventions say for clients. Health checks are not instrumented unless
// [WithoutHealthFilter], but their context is still propagated.
// [WithPolicy] and [WithSessionResolver] are ignored.
func DialOptions(opts ...Option) []grpc.DialOption {
	c := newConfig(opts)
	hopts := []otelgrpc.Option{
		otelgrpc.WithTracerProvider(c.tp),
		otelgrpc.WithMeterProvider(c.mp),
		otelgrpc.WithPropagators(c.prop),
	}
	if f := c.otelgrpcFilter(); f != nil {
		hopts = append(hopts, otelgrpc.WithFilter(f))
	}
	return []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(hopts...))}
}
