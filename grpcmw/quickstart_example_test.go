package grpcmw_test

import (
	"log"
	"net"

	"google.golang.org/grpc"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// A gRPC server and client on otelgrpc's stats handlers, with sessions and a public-endpoint policy
// (compile-only: it serves on a port).
func Example_quickstart() {
	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "tools", Traces: otelkit.OTLPGRPC("http://collector:4317")})
	if err != nil {
		log.Fatal(err)
	}
	srv := grpc.NewServer(grpcmw.ServerOptions(
		grpcmw.WithProvider(p),
		grpcmw.WithPolicy(propagation.TrustNone()),           // public: new root + link to the caller's trace
		grpcmw.WithSessionResolver(session.NewResolver(nil)), // session.FromContext(ctx) in handlers
	)...)
	dialOpts := grpcmw.DialOptions(grpcmw.WithProvider(p)) // for grpc.NewClient: client spans, W3C context out
	_ = dialOpts
	lis, err := net.Listen("tcp", "127.0.0.1:9090")
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.Serve(lis))
}
