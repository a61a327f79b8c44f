package grpcmw_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"slices"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/test/bufconn"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// healthServer is a gRPC health service (the standard
// grpc.health.v1.Health) whose Check reports the caller's session.
type healthServer struct {
	healthpb.UnimplementedHealthServer
}

func (healthServer) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	fmt.Println("check from session", session.FromContext(ctx).Metadata().SessionID)
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// A server and a client instrumented with one provider. The handler finds the
// session the client named in its metadata. The service is the standard
// health service, so the example compiles on its own; any generated service
// is registered the same way.
func Example() {
	mem := otelkit.NewMemory()
	provider, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "example", Traces: otelkit.InMemory(mem)})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = provider.Shutdown(context.Background()) }()

	srv := grpc.NewServer(append(grpcmw.ServerOptions(
		grpcmw.WithProvider(provider),
		grpcmw.WithSessionResolver(session.NewResolver(nil)),
		grpcmw.WithoutHealthFilter(), // health checks get no spans by default; here they are the traffic
	), grpc.WaitForHandlers(true))...) // Stop waits for the server span to end

	healthpb.RegisterHealthServer(srv, healthServer{})
	lis := bufconn.Listen(1 << 16)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(lis) }()

	conn, err := grpc.NewClient("passthrough:///example",
		append(grpcmw.DialOptions(grpcmw.WithProvider(provider), grpcmw.WithoutHealthFilter()),
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
			grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		log.Fatal(err)
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "x-session-id", "s-1")
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	fmt.Println(resp.GetStatus(), err)

	_ = conn.Close()
	srv.Stop()
	<-done
	var spans []string
	for _, s := range mem.Spans() {
		spans = append(spans, s.SpanKind.String()+" "+s.Name)
	}
	slices.Sort(spans)
	fmt.Println(spans)
	// Output:
	// check from session s-1
	// SERVING <nil>
	// [client grpc.health.v1.Health/Check server grpc.health.v1.Health/Check]
}

// A public gRPC endpoint behind load balancers: context from the balancers'
// addresses is trusted, anything else starts a new trace linked to the
// caller's.
func ExampleWithPolicy() {
	provider, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "api",
		Traces:      otelkit.OTLPGRPC("http://collector:4317"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = provider.Shutdown(context.Background()) }()

	policy, err := propagation.ParseTrustedPeers([]string{"10.0.0.0/8", "fd00::/8"})
	if err != nil {
		log.Fatal(err) // names the offending entry
	}
	srv := grpc.NewServer(grpcmw.ServerOptions(grpcmw.WithProvider(provider), grpcmw.WithPolicy(policy))...)
	lis, err := net.Listen("tcp", ":8443")
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.Serve(lis))
}

// Interceptors given before grpcmw's options run first, so a session
// enrich function can read what authentication stored in the context.
func ExampleServerOptions_ordering() {
	type accountKey struct{}
	auth := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		return next(context.WithValue(ctx, accountKey{}, "acct-1"), req) // after checking credentials
	}
	resolver := session.NewResolver(nil, session.WithEnrich(func(ctx context.Context, md *session.Metadata) {
		md.AccountID, _ = ctx.Value(accountKey{}).(string)
	}))
	opts := append([]grpc.ServerOption{grpc.ChainUnaryInterceptor(auth)},
		grpcmw.ServerOptions(grpcmw.WithSessionResolver(resolver))...)
	srv := grpc.NewServer(opts...)
	defer srv.Stop()
	fmt.Println(len(opts), "server options")
	// Output: 4 server options
}

// Instrument everything but one noisy method; health checks stay filtered.
func ExampleWithFilter() {
	opts := grpcmw.ServerOptions(grpcmw.WithFilter(func(fullMethod string) bool {
		return fullMethod != "/pkg.Telemetry/Heartbeat"
	}))
	fmt.Println(len(opts), "server option")
	// Output: 1 server option
}
