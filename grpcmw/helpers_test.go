package grpcmw_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/session"
)

// telemetry is an in-memory tracer and meter provider pair.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

// newTelemetry returns providers recording into memory; a nil sampler means
// AlwaysSample.
func newTelemetry(t *testing.T, sampler sdktrace.Sampler) *telemetry {
	t.Helper()
	if sampler == nil {
		sampler = sdktrace.AlwaysSample()
	}
	tel := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(tel.spans))
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

// options are the grpcmw options recording into tel.
func (tel *telemetry) options(more ...grpcmw.Option) []grpcmw.Option {
	return append([]grpcmw.Option{grpcmw.WithTracerProvider(tel.tp), grpcmw.WithMeterProvider(tel.mp)}, more...)
}

// ended returns the ended spans named name.
func (tel *telemetry) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// one returns the single ended span named name.
func (tel *telemetry) one(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	got := tel.ended(name)
	if len(got) != 1 {
		t.Fatalf("%d ended spans named %q, want 1 (all: %v)", len(got), name, spanNames(tel.spans.Ended()))
	}
	return got[0]
}

func spanNames(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

// histogram collects the metrics and returns the data points of the float64
// histogram named name.
func (tel *telemetry) histogram(t *testing.T, name string) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var out []metricdata.HistogramDataPoint[float64]
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			h, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				t.Fatalf("%s is a %T, want a float64 histogram", name, m.Data)
			}
			out = append(out, h.DataPoints...)
		}
	}
	return out
}

// attrs turns a list of attributes into a map of their emitted values.
func attrs(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// seen is what a test handler observed for one request message.
type seen struct {
	method  string
	in      string
	span    trace.SpanContext
	session *session.Telemetry
	baggage baggage.Baggage
	md      metadata.MD
}

// observer is a testservice.Handler that records what it sees and replies
// with reply (nil: echo).
type observer struct {
	mu    sync.Mutex
	seen  []seen
	reply testservice.Handler
}

func (o *observer) handle(ctx context.Context, method, in string) (string, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	o.mu.Lock()
	o.seen = append(o.seen, seen{
		method: method, in: in, span: trace.SpanContextFromContext(ctx),
		session: session.FromContext(ctx), baggage: baggage.FromContext(ctx), md: md,
	})
	o.mu.Unlock()
	if o.reply != nil {
		return o.reply(ctx, method, in)
	}
	return in, nil
}

func (o *observer) all() []seen {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]seen(nil), o.seen...)
}

func (o *observer) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seen = nil
}

// testServer is a gRPC server on 127.0.0.1:0.
type testServer struct {
	addr string
	stop func()
}

// serve starts a gRPC server on 127.0.0.1:0 with opts, the test service
// answering with h, and whatever register adds. Its stop (also run at
// cleanup) returns once every handler, and so every stats handler call that
// ends spans and records metrics, has returned.
func serve(t *testing.T, h testservice.Handler, opts []grpc.ServerOption, register ...func(*grpc.Server)) *testServer {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(append(opts, grpc.WaitForHandlers(true))...)
	testservice.Register(srv, h)
	for _, r := range register {
		r(srv)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			srv.Stop()
			<-done
		})
	}
	t.Cleanup(stop)
	return &testServer{addr: lis.Addr().String(), stop: stop}
}

// dial connects to addr over plain TCP with opts.
func dial(t *testing.T, addr string, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	opts = append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)
	cc, err := grpc.NewClient("passthrough:///"+addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// callAll runs one RPC of each kind and returns their errors by method.
func callAll(ctx context.Context, c *testservice.Client, in string) map[string]error {
	errs := map[string]error{}
	_, errs[testservice.MethodUnary] = c.Unary(ctx, in)
	_, errs[testservice.MethodServerStream] = c.ServerStream(ctx, in)
	_, errs[testservice.MethodClientStream] = c.ClientStream(ctx, []string{in, in, in})
	_, errs[testservice.MethodBidiStream] = c.BidiStream(ctx, []string{in, in, in})
	return errs
}

// allMethods lists the test service's methods.
var allMethods = []string{
	testservice.MethodUnary, testservice.MethodServerStream,
	testservice.MethodClientStream, testservice.MethodBidiStream,
}

// spanName is the span name of a full method.
func spanName(fullMethod string) string { return fullMethod[1:] }
