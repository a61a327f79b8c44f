package metrics_test

import (
	"context"
	"maps"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestSnapshotCollectsMetricsWithoutShutdown(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli"})
	must(t, c.Counter("codex.tool.call", 1, metrics.T("tool", "shell"), metrics.T("success", "true")))

	rm, err := c.Snapshot(t.Context())
	must(t, err)
	p := metricstest.Only(t, metricstest.Find(t, rm, "codex.tool.call"))
	want := map[string]string{"service": "codex-cli", "tool": "shell", "success": "true"}
	if p.Int != 1 || !maps.Equal(p.Attrs, want) {
		t.Fatalf("snapshot point = %v %d, want %v 1", p.Attrs, p.Int, want)
	}
	if metricstest.ResourceAttrs(rm)["service.name"] != "codex-cli" {
		t.Fatalf("snapshot resource = %v", metricstest.ResourceAttrs(rm))
	}
	if n := len(mem.Metrics()); n != 0 {
		t.Fatalf("the exporter got %d exports from a snapshot, want 0", n)
	}

	// The periodic pipeline is untouched: shutdown still exports the full value.
	must(t, c.Counter("codex.tool.call", 1, metrics.T("tool", "shell"), metrics.T("success", "true")))
	shutdown(t, c)
	if got := metricstest.SumInt(t, metricstest.FindLatest(t, mem.Metrics(), "codex.tool.call"), want); got != 2 {
		t.Fatalf("exported value = %d, want 2", got)
	}
	_, err = c.Snapshot(t.Context())
	wantErr(t, err, metrics.ErrShutdown)
}

func TestSnapshotDeltaReportsChangesSincePreviousSnapshot(t *testing.T) {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem), Temporality: metrics.TemporalityDelta})
	must(t, err)
	defer shutdown(t, c)
	must(t, c.Counter("codex.api_request", 2))
	rm, err := c.Snapshot(t.Context())
	must(t, err)
	if got := metricstest.TotalInt(t, metricstest.Find(t, rm, "codex.api_request")); got != 2 {
		t.Fatalf("first snapshot = %d", got)
	}
	must(t, c.Counter("codex.api_request", 5))
	rm, err = c.Snapshot(t.Context())
	must(t, err)
	if got := metricstest.TotalInt(t, metricstest.Find(t, rm, "codex.api_request")); got != 5 {
		t.Fatalf("second snapshot = %d, want 5", got)
	}
}

func TestSnapshotUnavailable(t *testing.T) {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem), DisableSnapshot: true})
	must(t, err)
	defer shutdown(t, c)
	_, err = c.Snapshot(t.Context())
	wantErr(t, err, metrics.ErrSnapshotUnavailable)
}

func TestSnapshotCollectFailure(t *testing.T) {
	c, _ := newMemClient(t, nil)
	must(t, c.Counter("codex.x", 1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Snapshot(ctx)
	wantErr(t, err, metrics.ErrSnapshot)
}

func TestNewFromProviderSharesThePipeline(t *testing.T) {
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "app", Metrics: otelkit.InMemory(mem), SnapshotReader: true})
	must(t, err)
	c, err := metrics.NewFromProvider(p, metrics.WithDefaultTags(metrics.T("component", "session")))
	must(t, err)
	other, err := metrics.NewFromProvider(p)
	must(t, err)

	must(t, c.Counter("codex.turns", 4, metrics.T("model", "gpt-5.1")))
	must(t, other.Counter("codex.other", 1))
	rm, err := c.Snapshot(t.Context())
	must(t, err)
	if got := metricstest.SumInt(t, metricstest.Find(t, rm, "codex.turns"), map[string]string{"component": "session", "model": "gpt-5.1"}); got != 4 {
		t.Fatalf("snapshot = %d", got)
	}
	if metricstest.ResourceAttrs(rm)["service.name"] != "app" {
		t.Fatal("snapshot does not carry the provider's resource")
	}

	// Shutting the client down flushes the shared pipeline but leaves it running.
	shutdown(t, c)
	if got := metricstest.TotalInt(t, metricstest.FindLatest(t, mem.Metrics(), "codex.turns")); got != 4 {
		t.Fatalf("flushed value = %d", got)
	}
	wantErr(t, c.Counter("codex.turns", 1), metrics.ErrShutdown)
	must(t, other.Counter("codex.other", 1))
	must(t, p.ForceFlush(t.Context()))
	if got := metricstest.TotalInt(t, metricstest.FindLatest(t, mem.Metrics(), "codex.other")); got != 2 {
		t.Fatalf("the other client's value = %d, want 2", got)
	}

	// A provider shut down first makes the client's shutdown quiet, not an error.
	must(t, p.Shutdown(t.Context()))
	shutdown(t, other)
}

func TestNewFromProviderWithoutSnapshotReader(t *testing.T) {
	p, err := otelkit.NewProvider(otelkit.Settings{Metrics: otelkit.InMemory(otelkit.NewMemory())})
	must(t, err)
	defer func() { must(t, p.Shutdown(context.Background())) }()
	c, err := metrics.NewFromProvider(p)
	must(t, err)
	_, err = c.Snapshot(t.Context())
	wantErr(t, err, metrics.ErrSnapshotUnavailable)
	must(t, c.ForceFlush(t.Context()))
	shutdown(t, c)

	_, err = metrics.NewFromProvider(nil)
	wantErr(t, err, metrics.ErrInvalidConfig, "provider")
	_, err = metrics.NewFromProvider(p, metrics.WithDefaultTags(metrics.T("", "x")))
	wantErr(t, err, metrics.ErrInvalidTag)
}

func TestNewFromMeterProvider(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { must(t, mp.Shutdown(context.Background())) }()
	c, err := metrics.NewFromMeterProvider(mp, reader, metrics.WithDefaultTags(metrics.T("env", "dev")))
	must(t, err)
	must(t, c.Histogram("codex.size", 10))
	rm, err := c.Snapshot(t.Context())
	must(t, err)
	h := metricstest.Histogram(t, metricstest.Find(t, rm, "codex.size"), map[string]string{"env": "dev"})
	if h.Sum != 10 || h.Count != 1 {
		t.Fatalf("histogram = %+v", h)
	}
	if rm.ScopeMetrics[0].Scope.Name != metrics.ScopeName || rm.ScopeMetrics[0].Scope.Version != otelkit.Version {
		t.Fatalf("scope = %+v", rm.ScopeMetrics[0].Scope)
	}
	must(t, c.ForceFlush(t.Context())) // nothing to flush, no error
	shutdown(t, c)
	// The meter provider keeps working for others.
	if _, err := mp.Meter("x").Int64Counter("x"); err != nil {
		t.Fatal(err)
	}

	noSnap, err := metrics.NewFromMeterProvider(mp, nil)
	must(t, err)
	_, err = noSnap.Snapshot(t.Context())
	wantErr(t, err, metrics.ErrSnapshotUnavailable)
	_, err = metrics.NewFromMeterProvider(nil, nil)
	wantErr(t, err, metrics.ErrInvalidConfig, "MeterProvider")
}
