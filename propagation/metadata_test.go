package propagation_test

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/propagation"
)

func TestMetadataCarrier(t *testing.T) {
	md := metadata.MD{}
	c := propagation.MetadataCarrier(md)
	c.Set("TraceParent", "a")
	c.Set("traceparent", "b")
	if got := md["traceparent"]; !slices.Equal(got, []string{"b"}) {
		t.Errorf("after Set: %q, want [b] under the lower-case key", got)
	}
	md.Append("tracestate", "x=1", "y=2")
	if got := c.Get("TRACESTATE"); got != "x=1" {
		t.Errorf("Get = %q", got)
	}
	if got := c.Values("tracestate"); !slices.Equal(got, []string{"x=1", "y=2"}) {
		t.Errorf("Values = %q", got)
	}
	keys := c.Keys()
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"traceparent", "tracestate"}) {
		t.Errorf("Keys = %q", keys)
	}
	c.Delete("Tracestate")
	if c.Get("tracestate") != "" || c.Get("missing") != "" {
		t.Error("Delete or Get of a missing key")
	}
	propagation.MetadataCarrier(nil).Set("k", "v") // must not panic
}

func TestInjectOutgoing(t *testing.T) {
	bag, _ := baggage.New(mustMember(t, "user", "alice"))
	ctx := baggage.ContextWithBaggage(remoteCtx(t, refTraceParent, "a=1"), bag)
	ctx = metadata.AppendToOutgoingContext(ctx, "traceparent", "stale", "x-other", "kept")

	out := propagation.InjectOutgoing(ctx, nil)
	md, _ := metadata.FromOutgoingContext(out)
	want := map[string][]string{
		"traceparent": {refTraceParent},
		"tracestate":  {"a=1"},
		"baggage":     {"user=alice"},
		"x-other":     {"kept"},
	}
	for k, v := range want {
		if got := md[k]; !slices.Equal(got, v) {
			t.Errorf("metadata %q = %q, want %q", k, got, v)
		}
	}
	orig, _ := metadata.FromOutgoingContext(ctx)
	if got := orig["traceparent"]; !slices.Equal(got, []string{"stale"}) {
		t.Errorf("the original context's metadata changed: %q", got)
	}
}

// checkServer records the context of each Check call.
type checkServer struct {
	healthpb.UnimplementedHealthServer
	got chan context.Context
}

func (s *checkServer) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	s.got <- ctx
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

// startGRPC serves checkServer on loopback and returns a client.
func startGRPC(t *testing.T) (healthpb.HealthClient, chan context.Context) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	cs := &checkServer{got: make(chan context.Context, 1)}
	healthpb.RegisterHealthServer(srv, cs)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
		<-done
	})
	return healthpb.NewHealthClient(conn), cs.got
}

// TestGRPCMetadataBothDirections sends real gRPC calls over loopback.
func TestGRPCMetadataBothDirections(t *testing.T) {
	client, got := startGRPC(t)
	bag, _ := baggage.New(mustMember(t, "user", "alice"))
	traced := baggage.ContextWithBaggage(remoteCtx(t, refTraceParent, "a=1"), bag)

	tests := []struct {
		name       string
		ctx        context.Context
		extract    func(context.Context) (context.Context, bool)
		wantParent bool
		wantLink   bool
		wantTS     string
		wantBag    int
	}{
		{
			name: "inject outgoing, extract incoming",
			ctx:  propagation.InjectOutgoing(traced, nil),
			extract: func(ctx context.Context) (context.Context, bool) {
				return propagation.ExtractIncoming(ctx, nil), false
			},
			wantParent: true, wantTS: "a=1", wantBag: 1,
		},
		{
			name: "policy trusts loopback",
			ctx:  propagation.InjectOutgoing(traced, nil),
			extract: func(ctx context.Context) (context.Context, bool) {
				ctx, _, linked := propagation.TrustPeers(netip.MustParsePrefix("127.0.0.1/32")).ExtractGRPC(ctx, nil)
				return ctx, linked
			},
			wantParent: true, wantTS: "a=1", wantBag: 1,
		},
		{
			name: "public endpoint links",
			ctx:  propagation.InjectOutgoing(traced, nil),
			extract: func(ctx context.Context) (context.Context, bool) {
				ctx, _, linked := propagation.TrustNone().ExtractGRPC(ctx, nil)
				return ctx, linked
			},
			wantLink: true,
		},
		{
			name: "duplicated traceparent entries are invalid",
			ctx:  metadata.AppendToOutgoingContext(t.Context(), "traceparent", refTraceParent, "traceparent", specTP),
			extract: func(ctx context.Context) (context.Context, bool) {
				return propagation.ExtractIncoming(ctx, nil), false
			},
		},
		{
			name: "several tracestate entries combine",
			ctx:  metadata.AppendToOutgoingContext(t.Context(), "traceparent", refTraceParent, "tracestate", "a=1", "tracestate", "b=2"),
			extract: func(ctx context.Context) (context.Context, bool) {
				return propagation.ExtractIncoming(ctx, nil), false
			},
			wantParent: true, wantTS: "a=1,b=2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := client.Check(tt.ctx, &healthpb.HealthCheckRequest{}); err != nil {
				t.Fatal(err)
			}
			ctx, linked := tt.extract(<-got)
			sc := trace.SpanContextFromContext(ctx)
			if sc.IsRemote() != tt.wantParent {
				t.Fatalf("remote parent = %v, want %v", sc.IsRemote(), tt.wantParent)
			}
			if tt.wantParent && (sc.TraceID().String() != refTraceID || sc.TraceState().String() != tt.wantTS) {
				t.Errorf("parent = %v tracestate %q, want trace %s tracestate %q", sc, sc.TraceState().String(), refTraceID, tt.wantTS)
			}
			if linked != tt.wantLink {
				t.Errorf("linked = %v, want %v", linked, tt.wantLink)
			}
			if n := baggage.FromContext(ctx).Len(); n != tt.wantBag {
				t.Errorf("baggage members = %d, want %d", n, tt.wantBag)
			}
		})
	}
}
