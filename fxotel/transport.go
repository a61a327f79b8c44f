package fxotel

import (
	"net/http"

	"go.uber.org/fx"
	"google.golang.org/grpc"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/session"
)

// HTTPMiddleware is the server middleware (chi or net/http) built on the module's provider, inbound policy
// and session resolver. Use it with r.Use(mw) or mw(handler).
type HTTPMiddleware func(http.Handler) http.Handler

// HTTPTransport wraps an http.RoundTripper (nil means http.DefaultTransport) so outgoing requests carry the
// trace context and record client spans and metrics.
type HTTPTransport func(http.RoundTripper) http.RoundTripper

// GRPCServerOptions are the options to add to grpc.NewServer: stats handler, inbound policy, sessions.
type GRPCServerOptions []grpc.ServerOption

// GRPCDialOptions are the options to add to grpc.NewClient: stats handler and trace context propagation.
type GRPCDialOptions []grpc.DialOption

type transportParams struct {
	fx.In
	Provider *otelkit.Provider
	Resolver *session.Resolver
	Config   Config `optional:"true"`
}

type httpResult struct {
	fx.Out
	Middleware HTTPMiddleware
	Transport  HTTPTransport
}

func newHTTP(in transportParams) (httpResult, error) {
	pol, err := in.Config.policy() // checked by newProvider already
	if err != nil {
		return httpResult{}, err
	}
	opts := []httpmw.Option{httpmw.WithProvider(in.Provider), httpmw.WithPolicy(pol), httpmw.WithSessionResolver(in.Resolver)}
	if len(in.Config.HealthPaths) > 0 {
		opts = append(opts, httpmw.WithHealthPaths(in.Config.HealthPaths...))
	}
	mw := httpmw.New(opts...)
	return httpResult{
		Middleware: mw,
		Transport: func(base http.RoundTripper) http.RoundTripper {
			return httpmw.Transport(base, httpmw.WithProvider(in.Provider))
		},
	}, nil
}

type grpcResult struct {
	fx.Out
	Server GRPCServerOptions
	Dial   GRPCDialOptions
}

func newGRPC(in transportParams) (grpcResult, error) {
	pol, err := in.Config.policy() // checked by newProvider already
	if err != nil {
		return grpcResult{}, err
	}
	return grpcResult{
		Server: grpcmw.ServerOptions(grpcmw.WithProvider(in.Provider), grpcmw.WithPolicy(pol),
			grpcmw.WithSessionResolver(in.Resolver)),
		Dial: grpcmw.DialOptions(grpcmw.WithProvider(in.Provider)),
	}, nil
}
