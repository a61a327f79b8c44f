package otelkit

import (
	"context"
	"errors"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/otelkit/otelkit/internal/batch"
	"github.com/otelkit/otelkit/internal/transform"
)

// uploader sends one export request (the three OTLP collector request types) with retries.
type uploader interface {
	upload(ctx context.Context, msg proto.Message) error
	shutdown(ctx context.Context) error
}

func newUploader(p exporterPlan, s *sink) uploader {
	if p.protocol == ProtocolGRPC {
		return newGRPCUploader(p, s)
	}
	return newHTTPUploader(p, s)
}

// otlpSpans converts spans to OTLP and sends them through an uploader.
type otlpSpans struct{ up uploader }

func (e otlpSpans) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	rs := transform.ResourceSpans(spans)
	if len(rs) == 0 {
		return nil
	}
	return e.up.upload(ctx, &coltracepb.ExportTraceServiceRequest{ResourceSpans: rs})
}

func (e otlpSpans) Shutdown(ctx context.Context) error { return e.up.shutdown(ctx) }

// spanExporter builds the exporter for the plan. up is the OTLP uploader, created beforehand.
func spanExporter(p exporterPlan, up uploader, s *sink) (sdktrace.SpanExporter, error) {
	switch p.kind {
	case ExporterOTLP:
		return otlpSpans{up: up}, nil
	case ExporterConsole:
		return stdouttrace.New(stdouttrace.WithWriter(p.writer), stdouttrace.WithPrettyPrint())
	case ExporterMemory:
		return memSpans{m: p.memory, sink: s}, nil
	}
	return nil, nil
}

// spanProcessor queues sampled spans for a batch export through a bounded queue.
type spanProcessor struct {
	q   *batch.Processor[sdktrace.ReadOnlySpan]
	exp sdktrace.SpanExporter

	once sync.Once
	err  error
}

// newSpanProcessor batches spans for exp, with up to concurrency exports at once (exp must then be safe for
// concurrent use, as the OTLP exporter is).
func newSpanProcessor(exp sdktrace.SpanExporter, b Batch, concurrency int, s *sink) *spanProcessor {
	q := batch.New(batch.Config{
		MaxQueue: b.MaxQueueSize, MaxBatch: b.MaxExportBatchSize, Delay: b.ScheduleDelay,
		ExportTimeout: b.ExportTimeout, Blocking: b.Blocking, Concurrency: concurrency,
	}, exp.ExportSpans, s.hooks())
	s.counters = func() (uint64, uint64, uint64) { return q.Sent(), q.Dropped(), q.Failed() }
	return &spanProcessor{q: q, exp: exp}
}

func (*spanProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

func (p *spanProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	if s.SpanContext().IsSampled() {
		p.q.Enqueue(s)
	}
}

func (p *spanProcessor) ForceFlush(ctx context.Context) error { return p.q.Flush(ctx) }

// Shutdown flushes the queue, then shuts the exporter down, once; later calls return the first result.
func (p *spanProcessor) Shutdown(ctx context.Context) error {
	p.once.Do(func() { p.err = errors.Join(p.q.Shutdown(ctx), p.exp.Shutdown(ctx)) })
	return p.err
}

// attrProcessor sets the configured attributes on every span when it starts.
type attrProcessor struct{ attrs []attribute.KeyValue }

func (a attrProcessor) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) {
	s.SetAttributes(a.attrs...)
}
func (attrProcessor) OnEnd(sdktrace.ReadOnlySpan)      {}
func (attrProcessor) ForceFlush(context.Context) error { return nil }
func (attrProcessor) Shutdown(context.Context) error   { return nil }
