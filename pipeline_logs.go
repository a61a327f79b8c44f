package otelkit

import (
	"context"
	"errors"
	"sync"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutlog"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"

	"github.com/otelkit/otelkit/internal/batch"
	"github.com/otelkit/otelkit/internal/transform"
)

// otlpLogs converts log records to OTLP and sends them through an uploader.
type otlpLogs struct{ up uploader }

func (e otlpLogs) Export(ctx context.Context, records []sdklog.Record) error {
	if len(records) == 0 {
		return nil
	}
	return e.up.upload(ctx, &collogspb.ExportLogsServiceRequest{ResourceLogs: transform.ResourceLogs(records)})
}

func (e otlpLogs) Shutdown(ctx context.Context) error { return e.up.shutdown(ctx) }
func (otlpLogs) ForceFlush(context.Context) error     { return nil }

func logExporter(p exporterPlan, up uploader, s *sink) (sdklog.Exporter, error) {
	switch p.kind {
	case ExporterOTLP:
		return otlpLogs{up: up}, nil
	case ExporterConsole:
		return stdoutlog.New(stdoutlog.WithWriter(p.writer), stdoutlog.WithPrettyPrint())
	case ExporterMemory:
		return memLogs{m: p.memory, sink: s}, nil
	}
	return nil, nil
}

// logProcessor queues log records for a batch export through a bounded queue.
type logProcessor struct {
	q   *batch.Processor[sdklog.Record]
	exp sdklog.Exporter

	once sync.Once
	err  error
}

// newLogProcessor batches log records for exp, with up to concurrency exports at once (exp must then be safe
// for concurrent use, as the OTLP exporter is).
func newLogProcessor(exp sdklog.Exporter, b Batch, concurrency int, s *sink) *logProcessor {
	q := batch.New(batch.Config{
		MaxQueue: b.MaxQueueSize, MaxBatch: b.MaxExportBatchSize, Delay: b.ScheduleDelay,
		ExportTimeout: b.ExportTimeout, Blocking: b.Blocking, Concurrency: concurrency,
	}, exp.Export, s.hooks())
	s.counters = func() (uint64, uint64, uint64) { return q.Sent(), q.Dropped(), q.Failed() }
	return &logProcessor{q: q, exp: exp}
}

func (*logProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }

// OnEmit queues a copy: the SDK reuses the record after OnEmit returns.
func (p *logProcessor) OnEmit(_ context.Context, r *sdklog.Record) error {
	p.q.Enqueue(r.Clone())
	return nil
}

func (p *logProcessor) ForceFlush(ctx context.Context) error { return p.q.Flush(ctx) }

// Shutdown flushes the queue, then shuts the exporter down, once; later calls return the first result.
func (p *logProcessor) Shutdown(ctx context.Context) error {
	p.once.Do(func() { p.err = errors.Join(p.q.Shutdown(ctx), p.exp.Shutdown(ctx)) })
	return p.err
}
