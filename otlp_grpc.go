package otelkit

import (
	"context"
	"errors"
	"sync"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	grpcbackoff "google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip" // registers the gzip compressor
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// grpcUploader sends OTLP export requests over gRPC. The connection is created on the first export, so
// that a provider that never exports (or whose construction is abandoned) leaves no goroutines behind.
type grpcUploader struct {
	sink     *sink
	target   string
	dialOpts []grpc.DialOption
	connOnce sync.Once
	conn     *grpc.ClientConn
	connErr  error
	closed   bool // guarded by mu
	mu       sync.Mutex
	endpoint string
	md       metadata.MD
	callOpts []grpc.CallOption
	timeout  time.Duration
	retry    Retry
	throttle throttle
}

func newGRPCUploader(p exporterPlan, s *sink) *grpcUploader {
	creds := insecure.NewCredentials()
	if p.tls != nil {
		creds = credentials.NewTLS(p.tls)
	}
	u := &grpcUploader{sink: s, target: p.target, endpoint: p.endpoint(), timeout: p.timeout, retry: p.retry,
		dialOpts: []grpc.DialOption{
			grpc.WithTransportCredentials(creds),
			grpc.WithUserAgent(userAgent),
			// grpc-go's default reconnect backoff grows to 120s: after an outage, exports would keep failing long
			// after the collector is back. Reconnect at most a second apart instead.
			grpc.WithConnectParams(grpc.ConnectParams{
				Backoff:           grpcbackoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: time.Second},
				MinConnectTimeout: 5 * time.Second,
			}),
		}}
	// Wait for the connection (within the export's deadline) instead of failing at once while it reconnects:
	// queued data goes out as soon as the collector is reachable again.
	u.callOpts = append(u.callOpts, grpc.WaitForReady(true))
	if len(p.headers) > 0 {
		u.md = make(metadata.MD, len(p.headers))
		for _, h := range p.headers {
			u.md.Append(h.name, h.value)
		}
	}
	u.callOpts = append(u.callOpts, grpc.ForceCodecV2(newOTLPCodec()))
	if p.gzip {
		u.callOpts = append(u.callOpts, grpc.UseCompressor("gzip"))
	}
	return u // the endpoint was validated by grpcEndpoint; the connection is made on first use
}

// client returns the connection, creating it on first use.
func (u *grpcUploader) client() (*grpc.ClientConn, error) {
	u.connOnce.Do(func() {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.closed {
			u.connErr = errors.New("exporter is shut down")
			return
		}
		u.conn, u.connErr = grpc.NewClient(u.target, u.dialOpts...)
	})
	return u.conn, u.connErr
}

func (u *grpcUploader) call(ctx context.Context, conn *grpc.ClientConn, msg proto.Message) (proto.Message, error) {
	switch m := msg.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		return coltracepb.NewTraceServiceClient(conn).Export(ctx, m, u.callOpts...)
	case *colmetricspb.ExportMetricsServiceRequest:
		return colmetricspb.NewMetricsServiceClient(conn).Export(ctx, m, u.callOpts...)
	case *collogspb.ExportLogsServiceRequest:
		return collogspb.NewLogsServiceClient(conn).Export(ctx, m, u.callOpts...)
	}
	return nil, errors.New("unknown OTLP request type")
}

func (u *grpcUploader) upload(ctx context.Context, msg proto.Message) error {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	if u.md != nil {
		ctx = metadata.NewOutgoingContext(ctx, u.md)
	}
	conn, err := u.client()
	if err != nil {
		return &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, Err: u.sink.transportError(err)}
	}
	var bo backoff
	for attempt := 1; ; attempt++ {
		if !u.throttle.wait(ctx) {
			return throttled(u.sink.signal, u.endpoint, attempt-1)
		}
		resp, err := u.call(ctx, conn, msg)
		if err == nil {
			u.sink.partial(resp, items(msg))
			return nil
		}
		ee, wait := u.classify(ctx, err, attempt)
		u.throttle.hold(wait)
		if !ee.retryable || u.retry.Disabled || !bo.sleep(ctx, u.retry, attempt, wait) {
			return ee
		}
	}
}

// classify turns a gRPC error into an ExportError and the server's RetryInfo delay. Retryable codes follow
// the OTLP specification; RESOURCE_EXHAUSTED is retried only when the server sent RetryInfo.
func (u *grpcUploader) classify(ctx context.Context, err error, attempt int) (*ExportError, time.Duration) {
	ee := &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, Attempts: attempt}
	if ctx.Err() != nil {
		ee.Err = ctx.Err()
		ee.retryable = errors.Is(ctx.Err(), context.DeadlineExceeded)
		return ee, 0
	}
	st, ok := status.FromError(err)
	if !ok {
		ee.Err = u.sink.transportError(err)
		ee.retryable = true
		return ee, 0
	}
	ee.GRPCCode = st.Code().String()
	if msg := st.Message(); st.Code() != codes.DeadlineExceeded || msg != context.DeadlineExceeded.Error() {
		ee.Message = u.sink.message(msg) // (Err says "context deadline exceeded" below; not twice)
	}
	var wait time.Duration
	retryInfo := false
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			retryInfo = true
			wait = min(ri.GetRetryDelay().AsDuration(), time.Hour)
		}
	}
	switch st.Code() {
	case codes.DeadlineExceeded:
		ee.Err = context.DeadlineExceeded // gRPC may see the deadline a moment before ctx's own timer fires
		ee.retryable = true
	case codes.Canceled, codes.Aborted, codes.OutOfRange, codes.Unavailable, codes.DataLoss:
		ee.retryable = true
	case codes.ResourceExhausted:
		ee.retryable = retryInfo // the server says the exhaustion is temporary
	}
	return ee, wait
}

func (u *grpcUploader) shutdown(context.Context) error {
	u.mu.Lock()
	u.closed = true
	u.mu.Unlock()
	u.connOnce.Do(func() { u.connErr = errors.New("exporter is shut down") }) // no connection will be made now
	if u.conn == nil {
		return nil
	}
	return u.conn.Close()
}
