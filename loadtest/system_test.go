package loadtest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/loadtest"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// protocol is one OTLP protocol and the exporter that targets an otlptest server with it.
type protocol struct {
	name string
	exp  func(*otlptest.Server) otelkit.Exporter
}

var (
	httpProtobuf = protocol{"http-protobuf", func(s *otlptest.Server) otelkit.Exporter { return otelkit.OTLP(s.HTTPURL()) }}
	httpJSON     = protocol{"http-json", func(s *otlptest.Server) otelkit.Exporter { return otelkit.OTLPJSON(s.HTTPURL()) }}
	grpcProto    = protocol{"grpc", func(s *otlptest.Server) otelkit.Exporter { return otelkit.OTLPGRPC(s.GRPCURL()) }}
	protocols    = []protocol{httpProtobuf, httpJSON, grpcProto}
)

// errorLog collects what the provider reports to its error handler.
type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) handle(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errorLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// dropped sums the DropError counts reported for sig.
func (l *errorLog) dropped(sig otelkit.Signal) int {
	n := 0
	for _, err := range l.all() {
		var de *otelkit.DropError
		if errors.As(err, &de) && de.Signal == sig {
			n += de.Count
		}
	}
	return n
}

// sysConfig configures a system. The zero value is an HTTP/protobuf exporter with default queues,
// every span sampled and the trust-all policy.
type sysConfig struct {
	proto         protocol
	spanQueue     int           // Settings.SpanBatch.MaxQueueSize (0: default)
	spanBatch     int           // Settings.SpanBatch.MaxExportBatchSize (0: default)
	logQueue      int           // Settings.LogBatch.MaxQueueSize (0: default)
	exportTimeout time.Duration // Exporter.Timeout (0: 2s)
	headers       map[string]string
	policy        propagation.Policy
	sampler       sdktrace.Sampler       // nil: always_on
	spanProc      sdktrace.SpanProcessor // extra span processor, nil for none
	logProc       sdklog.Processor       // extra log processor, nil for none
	downstream    string                 // URL the handler GETs through httpmw.Transport, "" for none
	rpcDownstream string                 // address of a test gRPC service the handler calls through grpcmw.DialOptions, "" for none
	slog          bool                   // the handler logs through the provider's slog handler
	paused        bool                   // the collector is down from the start
	grpc          bool                   // also serve the test gRPC service through grpcmw
	mtls          *otlptest.Certificates // the receiver requires mutual TLS with these; the exporter presents the client pair
}

// system is the app of app_test.go behind httpmw (traces, metrics, sessions), served by a real
// http.Server on loopback, exporting all three signals to an otlptest receiver.
type system struct {
	col    *otlptest.Server
	p      *otelkit.Provider
	errs   *errorLog
	srv    *http.Server
	url    string
	served atomic.Int64
	client *http.Transport // the handler's downstream transport
	serve  chan struct{}   // closed when Serve returns

	grpcSrv  *grpc.Server        // with sysConfig.grpc
	grpcConn *grpc.ClientConn    // a plain client connection to it (no instrumentation)
	rpc      *testservice.Client // the test service on grpcConn
}

func newSystem(t testing.TB, c sysConfig) *system {
	t.Helper()
	if c.proto.exp == nil {
		c.proto = httpProtobuf
	}
	var colOpts []otlptest.Option
	if c.mtls != nil {
		colOpts = append(colOpts, otlptest.WithTLS(c.mtls.ServerMTLS()))
	}
	s := &system{col: otlptest.NewServer(t, colOpts...), errs: &errorLog{}}
	e := c.proto.exp(s.col)
	if c.mtls != nil {
		e.TLS = otelkit.TLS{CAPEM: c.mtls.CAPEM, CertPEM: c.mtls.ClientCertPEM, KeyPEM: c.mtls.ClientKeyPEM}
	}
	e.Timeout = c.exportTimeout
	if e.Timeout == 0 {
		e.Timeout = 2 * time.Second
	}
	e.Retry.InitialInterval = 20 * time.Millisecond
	e.Retry.MaxInterval = 200 * time.Millisecond
	for k, v := range c.headers {
		e = e.WithHeader(k, v)
	}
	if c.paused {
		if err := s.col.Pause(); err != nil {
			t.Fatal(err)
		}
	}
	opts := []otelkit.Option{otelkit.WithErrorHandler(s.errs.handle), otelkit.WithSampler(c.sampler)}
	if c.sampler == nil {
		opts[1] = otelkit.WithSampler(sdktrace.AlwaysSample())
	}
	if c.spanProc != nil {
		opts = append(opts, otelkit.WithSpanProcessor(c.spanProc))
	}
	if c.logProc != nil {
		opts = append(opts, otelkit.WithLogProcessor(c.logProc))
	}
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "loadtest", ServiceVersion: "1.0.0",
		Traces: e, Metrics: e, Logs: e,
		SpanBatch: otelkit.Batch{MaxQueueSize: c.spanQueue, MaxExportBatchSize: c.spanBatch,
			ScheduleDelay: 100 * time.Millisecond},
		LogBatch:             otelkit.Batch{MaxQueueSize: c.logQueue, ScheduleDelay: 100 * time.Millisecond},
		MetricExportInterval: time.Minute,
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.p = p
	mc, err := metrics.NewFromProvider(p)
	if err != nil {
		t.Fatal(err)
	}
	resolver := session.NewResolver(session.NewFactory(session.WithLoggerProvider(p.EventLoggerProvider()),
		session.WithMetrics(mc), session.WithErrorHandler(s.errs.handle)))
	s.client = http.DefaultTransport.(*http.Transport).Clone()
	a := &app{downstream: c.downstream, served: func() { s.served.Add(1) },
		client: &http.Client{Transport: httpmw.Transport(s.client, httpmw.WithProvider(p))}}
	if c.slog {
		a.log = slog.New(p.SlogHandler("loadtest"))
	}
	if c.rpcDownstream != "" {
		conn, err := grpc.NewClient("passthrough:///"+c.rpcDownstream, append(grpcmw.DialOptions(grpcmw.WithProvider(p)),
			grpc.WithTransportCredentials(insecure.NewCredentials()))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		a.rpc = testservice.NewClient(conn)
	}
	mw := httpmw.New(httpmw.WithProvider(p), httpmw.WithSessionResolver(resolver), httpmw.WithPolicy(c.policy),
		httpmw.WithErrorHandler(s.errs.handle))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: a.router(mw), ReadHeaderTimeout: 5 * time.Second}
	s.serve = make(chan struct{})
	go func() {
		defer close(s.serve)
		_ = s.srv.Serve(ln)
	}()
	if c.grpc {
		s.startGRPC(t, a, resolver, c.policy)
	}
	t.Cleanup(func() {
		if s.grpcSrv != nil {
			_ = s.grpcConn.Close()
			s.grpcSrv.Stop()
		}
		_ = s.srv.Close()
		<-s.serve
		s.client.CloseIdleConnections()
		// Tests that want their telemetry delivered call stop; this only releases what is left.
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		_ = p.Shutdown(ctx)
		_ = mc.Shutdown(ctx)
		s.col.SetDefault(nil)
		s.col.Release()
	})
	return s
}

// startGRPC serves the test gRPC service through grpcmw (provider, policy, sessions) on loopback, answering
// like the HTTP route: the request message is set on the server span as test.case, the downstream is
// called, one session event recorded and a line logged.
func (s *system) startGRPC(t testing.TB, a *app, resolver *session.Resolver, policy propagation.Policy) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.grpcSrv = grpc.NewServer(grpcmw.ServerOptions(grpcmw.WithProvider(s.p), grpcmw.WithPolicy(policy),
		grpcmw.WithSessionResolver(resolver))...)
	testservice.Register(s.grpcSrv, func(ctx context.Context, _, in string) (string, error) {
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("test.case", in))
		if a.downstream != "" || a.rpc != nil {
			if err := a.callDownstream(ctx); err != nil {
				return "", err
			}
		}
		session.FromContext(ctx).APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200, Endpoint: "unary"})
		if a.log != nil {
			a.log.InfoContext(ctx, "rpc served", "test.case", in)
		}
		return in, nil
	})
	go func() { _ = s.grpcSrv.Serve(ln) }()
	s.grpcConn, err = grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	s.rpc = testservice.NewClient(s.grpcConn)
}

// opTimeout bounds each load, RPC and single request the system tests send, so that a hang fails the test
// within a minute with a message saying so, instead of reaching go test's -timeout (20 minutes). Every such
// operation takes well under a second when nothing hangs, even on two shared cores under -race.
const opTimeout = 60 * time.Second

// errHang is the cause of a context that reached opTimeout.
var errHang = fmt.Errorf("no answer within %v: the system under test hangs", opTimeout)

// bounded returns t's context bounded by opTimeout (cause errHang), cancelled when the test ends.
func bounded(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeoutCause(t.Context(), opTimeout, errHang)
	t.Cleanup(cancel)
	return ctx
}

// unary calls the test gRPC service with ctx's outgoing metadata, bounded by opTimeout.
func (s *system) unary(ctx context.Context, in string) error {
	ctx, cancel := context.WithTimeoutCause(ctx, opTimeout, errHang)
	defer cancel()
	_, err := s.rpc.Unary(ctx, in)
	if err != nil && context.Cause(ctx) == errHang {
		return fmt.Errorf("%w (%v)", errHang, err)
	}
	return err
}

// load sends n requests to GET /users/{i} from 16 workers and fails the test if any got no response or a
// status other than 200, or if the whole load takes longer than opTimeout.
func (s *system) load(t testing.TB, n int) loadtest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeoutCause(t.Context(), opTimeout, errHang)
	defer cancel()
	res, err := loadtest.Run(ctx, loadtest.Load{Requests: n, Concurrency: 16, Request: userRequest(s.url)})
	if err != nil {
		t.Fatal(err)
	}
	if context.Cause(ctx) == errHang {
		t.Fatalf("load: %v; %d of %d requests answered 200 (statuses %v, %d errors, first %v)",
			errHang, res.OK(), n, res.Statuses, res.Errors, res.FirstError)
	}
	if res.OK() != n || res.Errors != 0 {
		t.Fatalf("load: %d of %d requests answered 200 (statuses %v, %d errors, first %v)",
			res.OK(), n, res.Statuses, res.Errors, res.FirstError)
	}
	return res
}

// stop shuts the app's http.Server down gracefully, then the provider, within d each; it returns how long
// the provider's Shutdown took and its error.
func (s *system) stop(t testing.TB, d time.Duration) (time.Duration, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if s.grpcSrv != nil {
		s.grpcSrv.GracefulStop()
	}
	if err := s.srv.Shutdown(ctx); err != nil {
		t.Fatalf("http.Server.Shutdown: %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), d)
	defer cancel2()
	start := time.Now()
	err := s.p.Shutdown(ctx2)
	return time.Since(start), err
}
