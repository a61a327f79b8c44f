package otelkit

import (
	"context"
	"sync"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// Memory keeps exported telemetry in memory for tests. One Memory may serve all three signals:
//
//	mem := otelkit.NewMemory()
//	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem), Logs: otelkit.InMemory(mem)})
//
// Spans and log records are stored synchronously when they end or are emitted. Metrics are stored each time
// the provider exports them: on its interval, ForceFlush and Shutdown. All methods are safe for concurrent use
// and return copies.
type Memory struct {
	mu      sync.Mutex
	spans   tracetest.SpanStubs
	metrics []metricdata.ResourceMetrics
	logs    []sdklog.Record
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{} }

// Spans returns the ended spans in the order they ended.
func (m *Memory) Spans() tracetest.SpanStubs {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append(tracetest.SpanStubs(nil), m.spans...)
}

// Metrics returns every metric export in order. The last element holds the latest values.
func (m *Memory) Metrics() []metricdata.ResourceMetrics {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]metricdata.ResourceMetrics(nil), m.metrics...)
}

// Logs returns the emitted log records in order.
func (m *Memory) Logs() []sdklog.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]sdklog.Record, len(m.logs))
	for i := range m.logs {
		out[i] = m.logs[i].Clone()
	}
	return out
}

// Reset forgets everything stored.
func (m *Memory) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spans, m.metrics, m.logs = nil, nil, nil
}

// memSpans adapts Memory to sdktrace.SpanExporter.
type memSpans struct {
	m    *Memory
	sink *sink
}

func (e memSpans) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	stubs := tracetest.SpanStubsFromReadOnlySpans(spans)
	e.m.mu.Lock()
	e.m.spans = append(e.m.spans, stubs...)
	e.m.mu.Unlock()
	e.sink.sent.Add(uint64(len(spans)))
	return nil
}

func (memSpans) Shutdown(context.Context) error { return nil }

// memLogs adapts Memory to sdklog.Exporter.
type memLogs struct {
	m    *Memory
	sink *sink
}

func (e memLogs) Export(_ context.Context, records []sdklog.Record) error {
	e.m.mu.Lock()
	for i := range records {
		e.m.logs = append(e.m.logs, records[i].Clone())
	}
	e.m.mu.Unlock()
	e.sink.sent.Add(uint64(len(records)))
	return nil
}

func (memLogs) Shutdown(context.Context) error   { return nil }
func (memLogs) ForceFlush(context.Context) error { return nil }

// memMetrics adapts Memory to the metric pipeline. Collected data is never reused, so it is stored as is.
type memMetrics struct{ m *Memory }

func (e memMetrics) Export(_ context.Context, rm *metricdata.ResourceMetrics) error {
	e.m.mu.Lock()
	e.m.metrics = append(e.m.metrics, *rm)
	e.m.mu.Unlock()
	return nil
}

func (memMetrics) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}
func (memMetrics) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}
func (memMetrics) ForceFlush(context.Context) error { return nil }
func (memMetrics) Shutdown(context.Context) error   { return nil }
