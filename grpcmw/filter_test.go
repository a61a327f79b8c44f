package grpcmw_test

import (
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
)

func registerHealth(s *grpc.Server) { healthpb.RegisterHealthServer(s, health.NewServer()) }

const healthCheck = "grpc.health.v1.Health/Check"

func TestHealthChecksFiltered(t *testing.T) {
	tests := []struct {
		name       string
		opts       []grpcmw.Option
		wantHealth bool
		wantBidi   bool
	}{
		{"default", nil, false, true},
		{"without health filter", []grpcmw.Option{grpcmw.WithoutHealthFilter()}, true, true},
		{"custom filter keeps the health filter", []grpcmw.Option{grpcmw.WithFilter(func(m string) bool {
			return m != testservice.MethodBidiStream
		})}, false, false},
		{"custom filter without health filter", []grpcmw.Option{grpcmw.WithoutHealthFilter(), grpcmw.WithFilter(func(m string) bool {
			return m != testservice.MethodBidiStream
		})}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srvTel, cliTel := newTelemetry(t, nil), newTelemetry(t, nil)
			srv := serve(t, nil, grpcmw.ServerOptions(srvTel.options(tt.opts...)...), registerHealth)
			cc := dial(t, srv.addr, grpcmw.DialOptions(cliTel.options(tt.opts...)...)...)
			resp, err := healthpb.NewHealthClient(cc).Check(t.Context(), &healthpb.HealthCheckRequest{})
			if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
				t.Fatalf("Check = %v, %v", resp, err)
			}
			c := testservice.NewClient(cc)
			if _, err := c.Unary(t.Context(), "x"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.BidiStream(t.Context(), []string{"x"}); err != nil {
				t.Fatal(err)
			}
			srv.stop()

			want := map[string]bool{
				healthCheck:                            tt.wantHealth,
				spanName(testservice.MethodUnary):      true,
				spanName(testservice.MethodBidiStream): tt.wantBidi,
			}
			for side, tel := range map[string]*telemetry{"server": srvTel, "client": cliTel} {
				histo := "rpc." + side + ".call.duration"
				points := map[any]int{}
				for _, p := range tel.histogram(t, histo) {
					points[attrs(p.Attributes.ToSlice())["rpc.method"]]++
				}
				for name, instrumented := range want {
					if n := len(tel.ended(name)); n != btoi(instrumented) {
						t.Errorf("%s: %d %s spans, want %d", side, n, name, btoi(instrumented))
					}
					if n := points[name]; n != btoi(instrumented) {
						t.Errorf("%s: %d %s points for %s, want %d", side, n, histo, name, btoi(instrumented))
					}
				}
			}
		})
	}
}

func TestIsHealthCheck(t *testing.T) {
	for m, want := range map[string]bool{
		"/grpc.health.v1.Health/Check":     true,
		"/grpc.health.v1.Health/Watch":     true,
		"/grpc.health.v1.Health/List":      true,
		"/grpc.health.v1.HealthX/Check":    false,
		"/grpc.health.v2.Health/Check":     false,
		"grpc.health.v1.Health/Check":      false,
		"/otelkit.test.TestService/Health": false,
		"":                                 false,
	} {
		if got := grpcmw.IsHealthCheck(m); got != want {
			t.Errorf("IsHealthCheck(%q) = %v, want %v", m, got, want)
		}
	}
}

// Server reflection (what grpcurl calls) is tooling, not traffic: no spans and no metric points by default.
func TestReflectionFiltered(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []grpcmw.Option
		want int
	}{{"default", nil, 0}, {"without health filter", []grpcmw.Option{grpcmw.WithoutHealthFilter()}, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			srvTel := newTelemetry(t, nil)
			srv := serve(t, nil, grpcmw.ServerOptions(srvTel.options(tt.opts...)...), func(s *grpc.Server) { reflection.Register(s) })
			cc := dial(t, srv.addr)
			stream, err := reflectionpb.NewServerReflectionClient(cc).ServerReflectionInfo(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if err := stream.Send(&reflectionpb.ServerReflectionRequest{
				MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{ListServices: "*"},
			}); err != nil {
				t.Fatal(err)
			}
			resp, err := stream.Recv()
			if err != nil || len(resp.GetListServicesResponse().GetService()) == 0 {
				t.Fatalf("ListServices = %v, %v", resp, err)
			}
			_ = stream.CloseSend()
			_, _ = stream.Recv() // wait for the server to end the stream
			srv.stop()
			name := "grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
			if n := len(srvTel.ended(name)); n != tt.want {
				t.Fatalf("%d reflection spans, want %d", n, tt.want)
			}
		})
	}
}

func TestIsReflection(t *testing.T) {
	for m, want := range map[string]bool{
		"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo":      true,
		"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": true,
		"/grpc.reflection.v2.ServerReflection/ServerReflectionInfo":      false,
		"/otelkit.test.TestService/Unary":                                false,
	} {
		if got := grpcmw.IsReflection(m); got != want {
			t.Errorf("IsReflection(%q) = %v", m, got)
		}
	}
}
