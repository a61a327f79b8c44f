package otelkit

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"

	"github.com/otelkit/otelkit/internal/transform"
)

// metricExporter is what the metric pipeline needs from an exporter.
type metricExporter interface {
	Export(context.Context, *metricdata.ResourceMetrics) error
	Shutdown(context.Context) error
}

// otlpMetrics converts collected metrics to OTLP and sends them through an uploader.
type otlpMetrics struct {
	up   uploader
	sink *sink
}

func (e otlpMetrics) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	m, err := transform.ResourceMetrics(rm)
	if err != nil {
		e.sink.handle(err) // unconvertible aggregations are skipped; the rest is still sent
	}
	return e.up.upload(ctx, &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{m}})
}

func (e otlpMetrics) Shutdown(ctx context.Context) error { return e.up.shutdown(ctx) }

func newMetricExporter(p exporterPlan, up uploader, s *sink) (metricExporter, error) {
	switch p.kind {
	case ExporterOTLP:
		return otlpMetrics{up: up, sink: s}, nil
	case ExporterConsole:
		return stdoutmetric.New(stdoutmetric.WithWriter(p.writer), stdoutmetric.WithPrettyPrint())
	case ExporterMemory:
		return memMetrics{m: p.memory}, nil
	}
	return nil, nil
}

// metricPipeline collects from a manual reader on an interval and exports, so that every export error and
// count goes through the provider's handler and stats. Collect+export runs under one lock, in order.
type metricPipeline struct {
	reader   *sdkmetric.ManualReader
	exp      metricExporter
	sink     *sink
	interval time.Duration
	timeout  time.Duration

	mu      sync.Mutex
	quit    chan struct{}
	done    chan struct{}
	base    context.Context // cancelled when shutdown ends, aborting a scheduled export in flight
	cancel  context.CancelFunc
	started sync.Once
	once    sync.Once
	err     error
}

func newMetricPipeline(exp metricExporter, temporality sdkmetric.TemporalitySelector, interval, timeout time.Duration, s *sink) *metricPipeline {
	base, cancel := context.WithCancel(context.Background())
	return &metricPipeline{
		reader: sdkmetric.NewManualReader(sdkmetric.WithTemporalitySelector(temporality)),
		exp:    exp, sink: s, interval: interval, timeout: timeout,
		quit: make(chan struct{}), done: make(chan struct{}), base: base, cancel: cancel,
	}
}

func (m *metricPipeline) start() { m.started.Do(func() { go m.run() }) }

func (m *metricPipeline) run() {
	defer close(m.done)
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			ctx, cancel := context.WithTimeout(m.base, m.timeout)
			if _, err := m.collectAndExport(ctx); err != nil {
				m.sink.handle(err)
			}
			cancel()
		case <-m.quit:
			return
		}
	}
}

// collectAndExport collects current data and exports it. Nothing is sent when there are no data points.
// It reports whether the collection ran: it does not once ctx has ended, and the data then stays in the
// SDK's aggregations.
func (m *metricPipeline) collectAndExport(ctx context.Context) (collected bool, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var rm metricdata.ResourceMetrics
	if err := m.reader.Collect(ctx, &rm); err != nil {
		return transform.DataPointCount(&rm) > 0, err
	}
	n := uint64(transform.DataPointCount(&rm))
	if n == 0 {
		return true, nil
	}
	if err := m.exp.Export(ctx, &rm); err != nil {
		m.sink.failed.Add(n)
		return true, err
	}
	m.sink.sent.Add(n)
	return true, nil
}

func (m *metricPipeline) forceFlush(ctx context.Context) error {
	_, err := m.collectAndExport(ctx)
	return err
}

// shutdown stops the loop, exports one last time, and shuts the exporter down, all within ctx. The exporter
// is shut down even when ctx has expired, so its connections are released.
//
// When ctx ends before the final collection could run (a scheduled export was still in flight, or the
// deadline had already passed), the data points that collection would have exported are counted as
// dropped and reported as a [DropError]: they are collected without being exported, which is in memory
// and quick.
func (m *metricPipeline) shutdown(ctx context.Context) error {
	m.once.Do(func() {
		close(m.quit)
		m.started.Do(func() { close(m.done) }) // never started: there is no loop to wait for
		collected := false
		select {
		case <-m.done:
			collected, m.err = m.collectAndExport(ctx)
		case <-ctx.Done():
			m.err = ctx.Err()
		}
		m.cancel() // aborts a scheduled export still in flight: its points are counted as failed
		if !collected {
			m.dropUncollected(ctx)
			// Let the aborted export account for its points before Shutdown reads the stats.
			wait := time.NewTimer(deadlineGrace)
			select {
			case <-m.done:
			case <-wait.C:
			}
			wait.Stop()
		}
		m.err = errors.Join(m.err, m.exp.Shutdown(ctx))
	})
	return m.err
}

// dropUncollected counts as dropped, and reports, the data points of a final collection that ctx did not
// leave time for. The reader allows concurrent collections, so a scheduled export still holding mu does not
// delay the count; the observable callbacks get a short deadline of their own.
func (m *metricPipeline) dropUncollected(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deadlineGrace)
	defer cancel()
	var rm metricdata.ResourceMetrics
	_ = m.reader.Collect(cctx, &rm)
	if n := transform.DataPointCount(&rm); n > 0 {
		m.sink.dropped.Add(uint64(n))
		m.sink.handle(&DropError{Signal: SignalMetrics, Count: n, Reason: "not collected before the shutdown deadline"})
	}
}
