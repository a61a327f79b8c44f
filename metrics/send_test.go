package metrics_test

import (
	"maps"
	"testing"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestSendBuildsPayloadWithTagsAndHistograms(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli", "env": "prod"})
	must(t, c.Describe("codex.turns", metrics.InstrumentInfo{Unit: "{turn}", Description: "Turns taken."}))
	must(t, c.Describe("codex.active", metrics.InstrumentInfo{Description: "Active sessions."}))
	must(t, c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1"), metrics.T("env", "dev")))
	must(t, c.Histogram("codex.tool_latency", 25, metrics.T("tool", "shell")))
	must(t, c.Gauge("codex.active", 3, metrics.T("tool", "shell")))
	shutdown(t, c)

	exports := mem.Metrics()
	if len(exports) != 1 {
		t.Fatalf("exports = %d, want 1 (at shutdown)", len(exports))
	}
	rm := exports[0]

	turns := metricstest.Find(t, rm, "codex.turns")
	if got := metricstest.SumInt(t, turns, map[string]string{"service": "codex-cli", "env": "dev", "model": "gpt-5.1"}); got != 1 {
		t.Fatalf("codex.turns = %d, want 1", got)
	}
	if turns.Unit != "{turn}" || turns.Description != "Turns taken." {
		t.Fatalf("codex.turns unit %q description %q", turns.Unit, turns.Description)
	}
	if sum := turns.Data.(metricdata.Sum[int64]); !sum.IsMonotonic || sum.Temporality != metricdata.CumulativeTemporality {
		t.Fatalf("codex.turns monotonic=%v temporality=%v, want monotonic cumulative", sum.IsMonotonic, sum.Temporality)
	}

	lat := metricstest.Histogram(t, metricstest.Find(t, rm, "codex.tool_latency"),
		map[string]string{"service": "codex-cli", "env": "prod", "tool": "shell"})
	if lat.Sum != 25 || lat.Count != 1 {
		t.Fatalf("codex.tool_latency sum %v count %d, want 25 and 1", lat.Sum, lat.Count)
	}
	// A plain histogram keeps the SDK's default buckets.
	wantBounds := []float64{0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000}
	if !equalFloats(lat.Bounds, wantBounds) {
		t.Fatalf("bounds = %v, want %v", lat.Bounds, wantBounds)
	}
	// 25 falls in (10, 25].
	if lat.BucketCounts[3] != 1 || sumCounts(lat.BucketCounts) != 1 {
		t.Fatalf("bucket counts = %v", lat.BucketCounts)
	}

	active := metricstest.Find(t, rm, "codex.active")
	if got := metricstest.GaugeValue(t, active, map[string]string{"service": "codex-cli", "env": "prod", "tool": "shell"}); got != 3 {
		t.Fatalf("codex.active = %v, want 3", got)
	}
	if active.Description != "Active sessions." {
		t.Fatalf("codex.active description %q", active.Description)
	}

	res := metricstest.ResourceAttrs(rm)
	for k, v := range map[string]string{"service.name": "codex-cli", "service.version": "1.2.3", "deployment.environment.name": "test"} {
		if res[k] != v {
			t.Errorf("resource %s = %q, want %q", k, res[k], v)
		}
	}
	if got := rm.ScopeMetrics[0].Scope; got.Name != metrics.ScopeName || got.Version == "" {
		t.Errorf("scope = %+v, want %s with a version", got, metrics.ScopeName)
	}
}

func TestSendMergesDefaultTagsPerLine(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli", "env": "prod"})
	must(t, c.Counter("codex.alpha", 1, metrics.T("env", "dev"), metrics.T("component", "alpha")))
	must(t, c.Counter("codex.beta", 2, metrics.T("service", "worker"), metrics.T("component", "beta")))
	must(t, c.Counter("codex.gamma", 3)) // defaults only
	shutdown(t, c)

	rm := metricstest.Latest(t, mem.Metrics())
	for name, want := range map[string]map[string]string{
		"codex.alpha": {"service": "codex-cli", "env": "dev", "component": "alpha"},
		"codex.beta":  {"service": "worker", "env": "prod", "component": "beta"},
		"codex.gamma": {"service": "codex-cli", "env": "prod"},
	} {
		p := metricstest.Only(t, metricstest.Find(t, rm, name))
		if !maps.Equal(p.Attrs, want) {
			t.Errorf("%s attributes = %v, want exactly %v", name, p.Attrs, want)
		}
	}
}

func TestCallTagsLastWinsAndOrderDoesNotMatter(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"env": "prod"})
	must(t, c.Counter("codex.x", 1, metrics.T("a", "1"), metrics.T("b", "2")))
	must(t, c.Counter("codex.x", 1, metrics.T("b", "2"), metrics.T("a", "1")))
	must(t, c.Counter("codex.x", 1, metrics.T("a", "0"), metrics.T("b", "2"), metrics.T("a", "1")))
	must(t, c.Counter("codex.x", 1, metrics.T("env", "prod"), metrics.T("a", "1"), metrics.T("b", "2")))
	shutdown(t, c)
	p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.x"))
	if p.Int != 4 || !maps.Equal(p.Attrs, map[string]string{"env": "prod", "a": "1", "b": "2"}) {
		t.Fatalf("point = %v %d, want {a=1, b=2, env=prod} 4", p.Attrs, p.Int)
	}
}

func TestClientSendsEnqueuedMetric(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1")))
	if n := len(mem.Metrics()); n != 0 {
		t.Fatalf("exported %d times before shutdown", n)
	}
	shutdown(t, c)
	p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.turns"))
	if p.Int != 1 || p.Attrs["model"] != "gpt-5.1" {
		t.Fatalf("point = %v", p)
	}
}

func TestShutdownWithoutMetricsExportsNothing(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli"})
	shutdown(t, c)
	if n := len(mem.Metrics()); n != 0 {
		t.Fatalf("exports = %d, want 0", n)
	}
}

func TestForceFlushExportsWithoutShutdown(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.Counter("codex.turns", 2))
	must(t, c.ForceFlush(t.Context()))
	p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.turns"))
	if p.Int != 2 {
		t.Fatalf("value = %d, want 2", p.Int)
	}
	must(t, c.Counter("codex.turns", 3)) // still usable
	shutdown(t, c)
	if p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.turns")); p.Int != 5 {
		t.Fatalf("cumulative value = %d, want 5", p.Int)
	}
}

// Delta temporality exports what was added since the previous export, cumulative the running total; the
// name is case-insensitive, as otelkit.Settings.MetricTemporality is.
func TestTemporality(t *testing.T) {
	for _, tt := range []struct {
		temporality string
		want        metricdata.Temporality
		second      int64 // the second export's value, after adding 2 then 3
	}{
		{metrics.TemporalityDelta, metricdata.DeltaTemporality, 3},
		{"Delta", metricdata.DeltaTemporality, 3},
		{"DELTA", metricdata.DeltaTemporality, 3},
		{"Cumulative", metricdata.CumulativeTemporality, 5},
	} {
		t.Run(tt.temporality, func(t *testing.T) {
			mem := otelkit.NewMemory()
			c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem), Temporality: tt.temporality})
			must(t, err)
			must(t, c.Counter("codex.turns", 2))
			must(t, c.ForceFlush(t.Context()))
			must(t, c.Counter("codex.turns", 3))
			shutdown(t, c)
			exports := mem.Metrics()
			if len(exports) != 2 {
				t.Fatalf("exports = %d, want 2", len(exports))
			}
			for i, want := range []int64{2, tt.second} {
				m := metricstest.Find(t, exports[i], "codex.turns")
				if got := m.Data.(metricdata.Sum[int64]).Temporality; got != tt.want {
					t.Fatalf("export %d temporality = %v, want %v", i, got, tt.want)
				}
				if got := metricstest.TotalInt(t, m); got != want {
					t.Fatalf("export %d = %d, want %d", i, got, want)
				}
			}
		})
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sumCounts(c []uint64) uint64 {
	var n uint64
	for _, v := range c {
		n += v
	}
	return n
}
