package metrics_test

import (
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestInstrumentKindConflicts(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.Counter("codex.count", 1))
	must(t, c.Histogram("codex.hist", 1))
	must(t, c.RecordDuration("codex.ms", time.Millisecond))
	must(t, c.RecordDurationSeconds("codex.s", time.Second))
	must(t, c.Gauge("codex.gauge", 1))
	_, err := c.ObserveGauge("codex.observed", func() float64 { return 1 })
	must(t, err)

	for _, tc := range []struct {
		name string
		err  error
		have string
	}{
		{"histogram on a counter", c.Histogram("codex.count", 1), "counter"},
		{"gauge on a counter", c.Gauge("codex.count", 1), "counter"},
		{"counter on a histogram", c.Counter("codex.hist", 1), "histogram"},
		{"duration on a plain histogram", c.RecordDuration("codex.hist", time.Millisecond), "histogram"},
		{"plain histogram on a duration", c.Histogram("codex.ms", 1), "millisecond duration histogram"},
		{"seconds on milliseconds", c.RecordDurationSeconds("codex.ms", time.Second), "millisecond duration histogram"},
		{"milliseconds on seconds", c.RecordDuration("codex.s", time.Second), "second duration histogram"},
		{"counter on a gauge", c.Counter("codex.gauge", 1), "gauge"},
		{"gauge on an observable gauge", c.Gauge("codex.observed", 1), "observable gauge"},
		// The same tags as the cached series of another kind: found through the cache, still a conflict.
		{"cached series of another kind", c.Gauge("codex.hist", 1), "histogram"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.err, metrics.ErrInstrumentConflict, tc.have)
		})
	}
	_, err = c.ObserveGauge("codex.gauge", func() float64 { return 1 })
	wantErr(t, err, metrics.ErrInstrumentConflict, `"codex.gauge"`)

	shutdown(t, c)
	rm := metricstest.Latest(t, mem.Metrics())
	// Exactly one instrument per name, with the first kind's data.
	for name, kind := range map[string]string{
		"codex.count": "sum[int64]", "codex.hist": "histogram[float64]", "codex.ms": "histogram[float64]",
		"codex.s": "histogram[float64]", "codex.gauge": "gauge[float64]", "codex.observed": "gauge[float64]",
	} {
		if got := metricstest.Kind(metricstest.Find(t, rm, name)); got != kind {
			t.Errorf("%s is %s, want %s", name, got, kind)
		}
	}
	n := 0
	for _, sm := range rm.ScopeMetrics {
		n += len(sm.Metrics)
	}
	if n != 6 {
		t.Fatalf("%d metrics exported, want 6", n)
	}
	p := metricstest.Only(t, metricstest.Find(t, rm, "codex.count"))
	if p.Int != 1 {
		t.Fatalf("codex.count = %d: a conflicting call was recorded", p.Int)
	}
}

func TestDescribeConflicts(t *testing.T) {
	c, mem := newMemClient(t, nil)
	info := metrics.InstrumentInfo{Unit: "{call}", Description: "Tool calls."}
	must(t, c.Describe("codex.tool.call", info))
	must(t, c.Describe("codex.tool.call", info)) // the same again is fine
	wantErr(t, c.Describe("codex.tool.call", metrics.InstrumentInfo{Unit: "1", Description: "Tool calls."}),
		metrics.ErrInstrumentConflict, `"codex.tool.call"`, `"{call}"`, `"1"`)
	must(t, c.Counter("codex.tool.call", 1))
	wantErr(t, c.Describe("codex.tool.call", metrics.InstrumentInfo{Description: "Other."}), metrics.ErrInstrumentConflict)

	// Describing an instrument created without a declaration: only its actual info matches.
	must(t, c.Counter("codex.plain", 1))
	wantErr(t, c.Describe("codex.plain", metrics.InstrumentInfo{Description: "Late."}), metrics.ErrInstrumentConflict, "already exists")
	must(t, c.Describe("codex.plain", metrics.InstrumentInfo{}))

	// Duration histograms have a fixed unit.
	must(t, c.Describe("codex.latency", metrics.InstrumentInfo{Unit: "s"}))
	wantErr(t, c.RecordDuration("codex.latency", time.Millisecond), metrics.ErrInstrumentConflict, `"s"`, `"ms"`)
	must(t, c.RecordDurationSeconds("codex.latency", time.Millisecond))
	must(t, c.RecordDuration("codex.default_ms", time.Millisecond))
	must(t, c.Describe("codex.default_ms", metrics.InstrumentInfo{Unit: "ms", Description: metrics.DescriptionMilliseconds}))
	must(t, c.Describe("codex.default_ms", metrics.InstrumentInfo{})) // the kind's defaults
	wantErr(t, c.Describe("codex.default_ms", metrics.InstrumentInfo{Unit: "s"}), metrics.ErrInstrumentConflict)

	shutdown(t, c)
	rm := metricstest.Latest(t, mem.Metrics())
	m := metricstest.Find(t, rm, "codex.tool.call")
	if m.Unit != "{call}" || m.Description != "Tool calls." {
		t.Fatalf("unit %q description %q", m.Unit, m.Description)
	}
	if m := metricstest.Find(t, rm, "codex.latency"); m.Unit != "s" || m.Description != metrics.DescriptionSeconds {
		t.Fatalf("codex.latency unit %q description %q", m.Unit, m.Description)
	}
}

func TestInstrumentsFromConfigAndOptions(t *testing.T) {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{
		Exporter: otelkit.InMemory(mem),
		Instruments: map[string]metrics.InstrumentInfo{
			"codex.bytes": {Unit: "By", Description: "Bytes sent."},
			"codex.other": {Description: "From config."},
		},
	}, metrics.WithInstrument("codex.other", metrics.InstrumentInfo{Description: "From option."}))
	must(t, err)
	must(t, c.Counter("codex.bytes", 10))
	must(t, c.Counter("codex.other", 1))
	shutdown(t, c)
	rm := metricstest.Latest(t, mem.Metrics())
	if m := metricstest.Find(t, rm, "codex.bytes"); m.Unit != "By" || m.Description != "Bytes sent." {
		t.Fatalf("codex.bytes unit %q description %q", m.Unit, m.Description)
	}
	if m := metricstest.Find(t, rm, "codex.other"); m.Description != "From option." {
		t.Fatalf("codex.other description %q", m.Description)
	}
}
