package propagation_test

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/propagation"
)

// Values from the reference's tests and the W3C test suite.
const (
	refTraceParent = "00-00000000000000000000000000000001-0000000000000002-01"
	refTraceID     = "00000000000000000000000000000001"
	refSpanID      = "0000000000000002"
	refTraceState  = "example=alpha:zero;keep:yes,other=value"
	refMerged      = "example=alpha:one;keep:yes;beta:two,other=value"
	specTraceID    = "12345678901234567890123456789012"
	specSpanID     = "1234567890123456"
	specTP         = "00-" + specTraceID + "-" + specSpanID + "-01"
)

// refMembers is the reference's configured tracestate.
func refMembers() map[string]map[string]string {
	return map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
}

// newTracer returns an SDK tracer with the given sampler and a recorder of
// ended spans; the provider is shut down at cleanup.
func newTracer(t testing.TB, sampler sdktrace.Sampler) (trace.Tracer, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp.Tracer("propagation_test"), rec
}

// remoteCtx returns a context whose remote parent is the given headers.
func remoteCtx(t testing.TB, traceparent, tracestate string) context.Context {
	t.Helper()
	sc, ok := propagation.TraceContext{TraceParent: traceparent, TraceState: tracestate}.SpanContext()
	if !ok {
		t.Fatalf("invalid test traceparent %q", traceparent)
	}
	return trace.ContextWithRemoteSpanContext(context.Background(), sc)
}

// ctxMetadata returns the outgoing traceparent metadata of ctx.
func ctxMetadata(ctx context.Context) []string {
	md, _ := metadata.FromOutgoingContext(ctx)
	return md.Get("traceparent")
}
