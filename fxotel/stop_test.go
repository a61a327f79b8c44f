package fxotel_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/otlptest"
)

// gate holds handlers until released, and counts how many are waiting.
type gate struct {
	release  chan struct{}
	entered  atomic.Int32
	stopping chan struct{} // closed when the first server starts draining
	once     sync.Once
}

func (g *gate) wait(ctx context.Context) error {
	g.entered.Add(1)
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gate) draining() { g.once.Do(func() { close(g.stopping) }) }

type httpServer struct{ addr string }

func newHTTPServer(lc fx.Lifecycle, mw fxotel.HTTPMiddleware, g *gate) (*httpServer, error) {
	r := chi.NewRouter()
	r.Use(mw)
	r.Get("/slow/{id}", func(w http.ResponseWriter, req *http.Request) {
		if err := g.wait(req.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("done " + chi.URLParam(req, "id")))
	})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() { _ = srv.Serve(lis) }()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			g.draining()
			return srv.Shutdown(ctx) // waits for the requests in flight
		},
	})
	return &httpServer{addr: lis.Addr().String()}, nil
}

type grpcServer struct{ addr string }

func newGRPCServer(lc fx.Lifecycle, opts fxotel.GRPCServerOptions, g *gate) (*grpcServer, error) {
	s := grpc.NewServer(opts...)
	testservice.Register(s, func(ctx context.Context, _, in string) (string, error) {
		if err := g.wait(ctx); err != nil {
			return "", err
		}
		return "done " + in, nil
	})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() { _ = s.Serve(lis) }()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			g.draining()
			done := make(chan struct{})
			go func() { s.GracefulStop(); close(done) }() // waits for the RPCs in flight
			select {
			case <-done:
				return nil
			case <-ctx.Done():
				s.Stop()
				return ctx.Err()
			}
		},
	})
	return &grpcServer{addr: lis.Addr().String()}, nil
}

func TestNothingLostAtStop(t *testing.T) {
	const perProtocol = 20
	for _, proto := range []otelkit.Protocol{otelkit.ProtocolHTTPProtobuf, otelkit.ProtocolHTTPJSON, otelkit.ProtocolGRPC} {
		t.Run(string(proto), func(t *testing.T) {
			srv := otlptest.NewServer(t)
			g := &gate{release: make(chan struct{}), stopping: make(chan struct{})}
			var hs *httpServer
			var gs *grpcServer
			app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Receiver(srv, proto),
				fx.Supply(g), fx.Provide(newHTTPServer, newGRPCServer), fx.Populate(&hs, &gs))
			app.RequireStart()

			conn, err := grpc.NewClient(gs.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			client := testservice.NewClient(conn)
			var httpDone, grpcDone atomic.Int32
			var wg sync.WaitGroup
			for i := range perProtocol {
				wg.Add(2)
				go func() {
					defer wg.Done()
					resp, err := http.Get(fmt.Sprintf("http://%s/slow/%d", hs.addr, i))
					if err == nil {
						if resp.StatusCode == http.StatusOK {
							httpDone.Add(1)
						}
						resp.Body.Close()
					}
				}()
				go func() {
					defer wg.Done()
					if _, err := client.Unary(context.Background(), fmt.Sprint(i)); err == nil {
						grpcDone.Add(1)
					}
				}()
			}
			waitUntil(t, func() bool { return g.entered.Load() == 2*perProtocol }, "all requests in their handlers")

			stopped := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				stopped <- app.Stop(ctx)
			}()
			select {
			case <-g.stopping: // app.Stop is running and the servers are draining
			case err := <-stopped:
				close(g.release)
				t.Fatalf("app.Stop returned before any server drained: %v", err)
			case <-time.After(10 * time.Second):
				close(g.release)
				t.Fatal("timed out waiting for app.Stop to drain the servers")
			}
			close(g.release) // now the requests in flight complete
			wg.Wait()
			if err := <-stopped; err != nil {
				t.Fatalf("app.Stop: %v", err)
			}
			if httpDone.Load() != perProtocol || grpcDone.Load() != perProtocol {
				t.Fatalf("completed %d HTTP and %d gRPC requests, want %d each", httpDone.Load(), grpcDone.Load(), perProtocol)
			}
			var httpSpans, grpcSpans int
			for _, sp := range srv.Spans() {
				switch sp.Span.GetName() {
				case "GET /slow/{id}":
					httpSpans++
				case strings.TrimPrefix(testservice.MethodUnary, "/"):
					grpcSpans++
				}
			}
			if httpSpans != perProtocol || grpcSpans != perProtocol {
				t.Fatalf("delivered %d HTTP and %d gRPC server spans, want %d each (every completed request)",
					httpSpans, grpcSpans, perProtocol)
			}
		})
	}
}

func waitUntil(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
