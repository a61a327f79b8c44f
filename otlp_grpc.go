package otelkit

import (
	"context"
	"errors"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip" // registers the gzip compressor
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// grpcUploader sends OTLP export requests over gRPC.
type grpcUploader struct {
	sink     *sink
	conn     *grpc.ClientConn
	endpoint string
	md       metadata.MD
	callOpts []grpc.CallOption
	timeout  time.Duration
	retry    Retry
	export   func(ctx context.Context, msg proto.Message, opts ...grpc.CallOption) (proto.Message, error)
}

func newGRPCUploader(p exporterPlan, s *sink) (*grpcUploader, error) {
	creds := insecure.NewCredentials()
	if p.tls != nil {
		creds = credentials.NewTLS(p.tls)
	}
	conn, err := grpc.NewClient(p.target, grpc.WithTransportCredentials(creds), grpc.WithUserAgent(userAgent))
	if err != nil {
		return nil, invalidErr(p.signal.field()+".Endpoint", "cannot create gRPC client", err)
	}
	u := &grpcUploader{sink: s, conn: conn, endpoint: p.endpoint(), timeout: p.timeout, retry: p.retry}
	if len(p.headers) > 0 {
		u.md = make(metadata.MD, len(p.headers))
		for _, h := range p.headers {
			u.md.Append(h.name, h.value)
		}
	}
	u.callOpts = append(u.callOpts, grpc.ForceCodecV2(newRepairingCodec()))
	if p.gzip {
		u.callOpts = append(u.callOpts, grpc.UseCompressor("gzip"))
	}
	switch p.signal {
	case SignalTraces:
		c := coltracepb.NewTraceServiceClient(conn)
		u.export = func(ctx context.Context, m proto.Message, o ...grpc.CallOption) (proto.Message, error) {
			return c.Export(ctx, m.(*coltracepb.ExportTraceServiceRequest), o...)
		}
	case SignalMetrics:
		c := colmetricspb.NewMetricsServiceClient(conn)
		u.export = func(ctx context.Context, m proto.Message, o ...grpc.CallOption) (proto.Message, error) {
			return c.Export(ctx, m.(*colmetricspb.ExportMetricsServiceRequest), o...)
		}
	default:
		c := collogspb.NewLogsServiceClient(conn)
		u.export = func(ctx context.Context, m proto.Message, o ...grpc.CallOption) (proto.Message, error) {
			return c.Export(ctx, m.(*collogspb.ExportLogsServiceRequest), o...)
		}
	}
	return u, nil
}

func (u *grpcUploader) upload(ctx context.Context, msg proto.Message) error {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	if u.md != nil {
		ctx = metadata.NewOutgoingContext(ctx, u.md)
	}
	var bo backoff
	for attempt := 1; ; attempt++ {
		resp, err := u.export(ctx, msg, u.callOpts...)
		if err == nil {
			u.sink.partial(resp)
			return nil
		}
		ee, wait := u.classify(ctx, err, attempt)
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
		ee.Err = err
		ee.retryable = true
		return ee, 0
	}
	ee.GRPCCode = st.Code().String()
	ee.Message = sanitizeMessage(st.Message())
	var wait time.Duration
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
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
		ee.retryable = wait > 0
	}
	return ee, wait
}

func (u *grpcUploader) shutdown(context.Context) error { return u.conn.Close() }
