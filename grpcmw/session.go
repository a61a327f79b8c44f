package grpcmw

import (
	"context"

	"google.golang.org/grpc"

	"github.com/otelkit/otelkit/session"
)

// sessionInterceptor puts the session of each RPC in its context. Its
// methods are bound once, when the options are built, so no closure is
// created per RPC.
type sessionInterceptor struct {
	resolver *session.Resolver
}

// unary is the grpc.UnaryServerInterceptor.
func (si *sessionInterceptor) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if t := si.resolver.FromGRPC(ctx); t != nil {
		ctx = session.NewContext(ctx, t)
	}
	return handler(ctx, req)
}

// stream is the grpc.StreamServerInterceptor. The session lives as long as
// the stream: every message handled through ss sees it in ss.Context().
func (si *sessionInterceptor) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	ctx := ss.Context()
	t := si.resolver.FromGRPC(ctx)
	if t == nil {
		return handler(srv, ss)
	}
	return handler(srv, &serverStream{ServerStream: ss, ctx: session.NewContext(ctx, t)})
}

// serverStream is a grpc.ServerStream whose Context carries the session.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the stream's context with the session.
func (s *serverStream) Context() context.Context { return s.ctx }
