package main

import (
	"go.uber.org/fx"

	"github.com/otelkit/otelkit/fxotel"
)

// Default listen addresses: loopback, fixed ports so the printed curl commands work.
const (
	DefaultHTTPAddr = "127.0.0.1:7070"
	DefaultGRPCAddr = "127.0.0.1:7071"
	DefaultRPCAddr  = "127.0.0.1:7072"
)

// Config holds the listen addresses ("127.0.0.1:0" picks a free port).
type Config struct {
	HTTPAddr string // chi HTTP API
	GRPCAddr string // gRPC exampleapp.v1.Tools (and reflection)
	RPCAddr  string // JSON-RPC app-server endpoint (POST /rpc)
}

// servers are the app's servers, for printing their addresses and for the demo.
type servers struct {
	fx.In
	API  *httpAPI
	GRPC *grpcServer
	RPC  *rpcServer
}

// appModule is the application: fxotel.Module plus the three servers and what they share. Settings come
// from an otelkit.Settings in the graph, or from the OTEL_* environment (see fxotel.Module).
//
// fx stops in reverse order of construction, and the constructors depend on each other so that the API
// drains first, then the gRPC client and server, then the JSON-RPC endpoint and its client's connections,
// and the telemetry is flushed last (fxotel): a request in flight at Ctrl-C completes and its spans are
// delivered.
func appModule(cfg Config) fx.Option {
	return fx.Options(
		fxotel.Module,
		fx.Supply(cfg),
		fx.Provide(
			newConversations,
			newRPCServer,
			newRPCClient,
			newGRPCServer,
			newToolsClient,
			newHTTPAPI,
		),
		fx.Invoke(func(servers) {}),
	)
}
