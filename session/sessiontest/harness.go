package sessiontest

import (
	"context"
	"testing"
	"time"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
)

// Harness is a session recording into memory: logs and spans into Memory (synchronously, as they are
// emitted and ended), metrics into a client whose snapshot reader [Harness.Snapshot] reads.
type Harness struct {
	// Provider is the provider the logs and spans go through, exporting into Memory.
	Provider *otelkit.Provider
	// Memory holds the log records and ended spans.
	Memory *otelkit.Memory
	// Metrics is the session's metrics client, nil with Config.NoMetrics.
	Metrics *metrics.Client
	// Factory makes sessions with the harness's outputs, e.g. for a session.Resolver under test.
	Factory *session.Factory
	// Session is the session of Config.Metadata, made by Factory.
	Session *session.Telemetry
}

// Config configures [NewWith].
type Config struct {
	// Metadata is the metadata of Harness.Session.
	Metadata session.Metadata
	// SessionOptions are added after the harness's own (logger provider, metrics).
	SessionOptions []session.Option
	// MetricsOptions configure the metrics client, e.g. metrics.WithDefaultTags.
	MetricsOptions []metrics.Option
	// MetricTemporality is "cumulative" (default) or "delta".
	MetricTemporality string
	// NoMetrics builds the session without a metrics client.
	NoMetrics bool
}

// New returns a harness for a session with md and opts. Everything is shut down when the test ends.
func New(tb testing.TB, md session.Metadata, opts ...session.Option) *Harness {
	tb.Helper()
	return NewWith(tb, Config{Metadata: md, SessionOptions: opts})
}

// NewWith returns a harness configured by cfg. Everything is shut down when the test ends.
func NewWith(tb testing.TB, cfg Config) *Harness {
	tb.Helper()
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName:       "sessiontest",
		Traces:            otelkit.InMemory(mem),
		Logs:              otelkit.InMemory(mem),
		SnapshotReader:    true,
		MetricTemporality: cfg.MetricTemporality,
	})
	if err != nil {
		tb.Fatalf("sessiontest: building the provider: %v", err)
	}
	h := &Harness{Provider: p, Memory: mem}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.Metrics.Shutdown(ctx); err != nil {
			tb.Errorf("sessiontest: metrics shutdown: %v", err)
		}
		if err := p.Shutdown(ctx); err != nil {
			tb.Errorf("sessiontest: provider shutdown: %v", err)
		}
	})
	opts := []session.Option{session.WithLoggerProvider(p.EventLoggerProvider())}
	if !cfg.NoMetrics {
		h.Metrics, err = metrics.NewFromProvider(p, cfg.MetricsOptions...)
		if err != nil {
			tb.Fatalf("sessiontest: building the metrics client: %v", err)
		}
		opts = append(opts, session.WithMetrics(h.Metrics))
	}
	h.Factory = session.NewFactory(append(opts, cfg.SessionOptions...)...)
	h.Session = h.Factory.New(cfg.Metadata)
	return h
}

// Start starts a span from the harness's tracer provider and returns the context carrying it. Span events
// of the session go to it; end it before reading [Harness.SpanEvents].
func (h *Harness) Start(ctx context.Context, name string) (context.Context, trace.Span) {
	return h.Provider.TracerProvider().Tracer("sessiontest").Start(ctx, name)
}

// Logs returns every log record emitted so far.
func (h *Harness) Logs() []sdklog.Record { return h.Memory.Logs() }

// LogsNamed returns the log records with event name name.
func (h *Harness) LogsNamed(name string) []sdklog.Record {
	var out []sdklog.Record
	for _, r := range h.Memory.Logs() {
		if r.EventName() == name {
			out = append(out, r)
		}
	}
	return out
}

// Log returns the only log record with event name name, failing the test when there is none or several.
func (h *Harness) Log(tb testing.TB, name string) sdklog.Record {
	tb.Helper()
	logs := h.LogsNamed(name)
	if len(logs) != 1 {
		tb.Fatalf("sessiontest: want 1 log record %q, got %d (all records: %v)", name, len(logs), logNames(h.Memory.Logs()))
	}
	return logs[0]
}

// SpanEvents returns the events called name of every ended span, in span end order.
func (h *Harness) SpanEvents(name string) []SpanEvent {
	var out []SpanEvent
	for _, s := range h.Memory.Spans() {
		for _, e := range s.Events {
			if e.Name == name {
				out = append(out, SpanEvent{Event: e, SpanContext: s.SpanContext})
			}
		}
	}
	return out
}

// SpanEvent returns the only span event called name, failing the test when there is none or several.
func (h *Harness) SpanEvent(tb testing.TB, name string) SpanEvent {
	tb.Helper()
	evs := h.SpanEvents(name)
	if len(evs) != 1 {
		var names []string
		for _, s := range h.Memory.Spans() {
			for _, e := range s.Events {
				names = append(names, s.Name+"/"+e.Name)
			}
		}
		tb.Fatalf("sessiontest: want 1 span event %q, got %d (ended spans' events: %v)", name, len(evs), names)
	}
	return evs[0]
}

// Snapshot collects the current metrics from the client's snapshot reader.
func (h *Harness) Snapshot(tb testing.TB) metricdata.ResourceMetrics {
	tb.Helper()
	rm, err := h.Metrics.Snapshot(context.Background())
	if err != nil {
		tb.Fatalf("sessiontest: metrics snapshot: %v", err)
	}
	return rm
}

func logNames(rs []sdklog.Record) []string {
	out := make([]string, len(rs))
	for i := range rs {
		out[i] = rs[i].EventName()
	}
	return out
}
