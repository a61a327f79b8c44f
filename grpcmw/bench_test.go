package grpcmw_test

import (
	"context"
	"net"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/test/bufconn"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// discard is the cheapest span processor: it drops every span.
type discard struct{}

func (discard) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discard) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discard) Shutdown(context.Context) error                  { return nil }
func (discard) ForceFlush(context.Context) error                { return nil }

// BenchmarkUnary compares one unary RPC over bufconn: bare gRPC, otelgrpc's
// stats handlers on both sides, and this package on both sides with a
// session resolved from metadata. Both instrumented cases use the same SDK
// providers (AlwaysSample, a discarding span processor, a manual metric
// reader that is never collected) and the same W3C propagator. Every case
// sends the same session metadata. Besides ns/op it reports cpu-ns/op, the
// process CPU time per RPC (client and server together), which a busy
// machine disturbs less than wall time.
func BenchmarkUnary(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithSpanProcessor(discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	prop, err := propagation.New(propagation.WithPropagators("tracecontext", "baggage"))
	if err != nil {
		b.Fatal(err)
	}
	otelOpts := []otelgrpc.Option{otelgrpc.WithTracerProvider(tp), otelgrpc.WithMeterProvider(mp), otelgrpc.WithPropagators(prop)}
	ours := []grpcmw.Option{grpcmw.WithTracerProvider(tp), grpcmw.WithMeterProvider(mp), grpcmw.WithPropagators(prop)}

	cases := []struct {
		name string
		srv  []grpc.ServerOption
		cli  []grpc.DialOption
	}{
		{"bare_unary", nil, nil},
		{"otelgrpc_stats_handlers",
			[]grpc.ServerOption{grpc.StatsHandler(otelgrpc.NewServerHandler(otelOpts...))},
			[]grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelOpts...))}},
		{"ours_with_session",
			grpcmw.ServerOptions(append(ours, grpcmw.WithSessionResolver(session.NewResolver(nil)))...),
			grpcmw.DialOptions(ours...)},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c := benchClient(b, bc.srv, bc.cli)
			ctx := metadata.AppendToOutgoingContext(context.Background(),
				"x-session-id", "bench-session", "x-session-model", "m")
			if out, err := c.Unary(ctx, "ping"); err != nil || out != "ping" {
				b.Fatalf("warm-up: %q, %v", out, err)
			}
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if _, err := c.Unary(ctx, "ping"); err != nil {
					b.Fatal(err)
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// benchClient serves the test service on bufconn and returns a client.
func benchClient(b *testing.B, sopts []grpc.ServerOption, dopts []grpc.DialOption) *testservice.Client {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(sopts...)
	testservice.Register(srv, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	dopts = append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, dopts...)
	cc, err := grpc.NewClient("passthrough:///bufnet", dopts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cc.Close()
		srv.Stop()
		<-done
	})
	return testservice.NewClient(cc)
}
