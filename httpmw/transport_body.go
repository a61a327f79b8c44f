package httpmw

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// requestTracker counts the bytes the transport reads from a request body and records
// http.client.request.body.size once both RoundTrip has returned and the body is closed: transports may
// keep writing the body after the response arrives.
type requestTracker struct {
	mu        sync.Mutex
	body      *trackedBody // the body being sent; a GetBody retry replaces it; nil records nothing
	getBody   func() (io.ReadCloser, error)
	published bool
	recorded  bool
	ctx       context.Context
	hist      metric.Int64Histogram
	attrs     *httpconv.MetricAttrs
}

func newRequestTracker(r *http.Request) *requestTracker {
	t := &requestTracker{}
	t.body = &trackedBody{rc: r.Body, tracker: t}
	r.Body = t.body
	if r.GetBody != nil {
		t.getBody = r.GetBody
		r.GetBody = t.retryBody
	}
	return t
}

// retryBody is the request's GetBody: the transport sends the new body instead.
func (t *requestTracker) retryBody() (io.ReadCloser, error) {
	rc, err := t.getBody()
	if err != nil || rc == nil || rc == http.NoBody {
		t.mu.Lock()
		t.body = nil
		t.mu.Unlock()
		return rc, err
	}
	b := &trackedBody{rc: rc, tracker: t}
	t.mu.Lock()
	t.body = b
	t.mu.Unlock()
	return b, nil
}

// publish is called when RoundTrip returns.
func (t *requestTracker) publish(ctx context.Context, h metric.Int64Histogram, ma *httpconv.MetricAttrs) {
	t.mu.Lock()
	t.ctx, t.hist, t.attrs, t.published = ctx, h, ma, true
	t.mu.Unlock()
	t.maybeRecord()
}

func (t *requestTracker) maybeRecord() {
	t.mu.Lock()
	b := t.body
	ready := t.published && !t.recorded && (b == nil || b.closed.Load())
	if ready {
		t.recorded = true
	}
	t.mu.Unlock()
	if !ready {
		return
	}
	var n int64
	if b != nil {
		n = b.read.Load()
	}
	t.hist.Record(t.ctx, n, t.attrs.Opts...)
}

// trackedBody counts what is read from a request body.
type trackedBody struct {
	rc      io.ReadCloser
	tracker *requestTracker
	read    atomic.Int64
	closed  atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *trackedBody) Close() error {
	b.closed.Store(true)
	b.tracker.maybeRecord()
	return b.rc.Close()
}

// responseBody ends the client span when the body is read to EOF or closed, and records read errors.
type responseBody struct {
	rc    io.ReadCloser
	span  trace.Span
	ended atomic.Bool
}

// readWriteBody keeps the io.Writer of a 101 Switching Protocols body.
type readWriteBody struct{ *responseBody }

func (b readWriteBody) Write(p []byte) (int, error) {
	n, err := b.rc.(io.Writer).Write(p)
	if err != nil {
		b.fail(err)
	}
	return n, err
}

func newResponseBody(span trace.Span, rc io.ReadCloser) io.ReadCloser {
	b := &responseBody{rc: rc, span: span}
	if _, ok := rc.(io.ReadWriteCloser); ok {
		return readWriteBody{b}
	}
	return b
}

func (b *responseBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	switch err {
	case nil:
	case io.EOF:
		b.end()
	default:
		b.fail(err)
	}
	return n, err
}

func (b *responseBody) fail(err error) {
	b.span.SetAttributes(semconv.ErrorTypeKey.String(httpconv.ErrorType(err)))
	b.span.SetStatus(codes.Error, err.Error())
}

func (b *responseBody) end() {
	if b.ended.CompareAndSwap(false, true) {
		b.span.End()
	}
}

func (b *responseBody) Close() error {
	b.end()
	return b.rc.Close()
}
