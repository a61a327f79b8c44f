package metrics_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
)

func TestNilClientIsNoop(t *testing.T) {
	var c *metrics.Client
	ctx := t.Context()
	must(t, c.Counter("codex.x", 1))
	must(t, c.Counter("bad name", -1)) // a no-op does not validate
	must(t, c.Histogram("codex.x", 1))
	must(t, c.RecordDuration("codex.x", time.Second))
	must(t, c.RecordDurationSeconds("codex.x", time.Second))
	must(t, c.Gauge("codex.x", 1))
	must(t, c.Describe("codex.x", metrics.InstrumentInfo{}))
	reg, err := c.ObserveGauge("codex.x", func() float64 { return 1 })
	must(t, err)
	must(t, reg.Unregister())
	tm, err := c.StartTimer("codex.x")
	must(t, err)
	if tm != nil {
		t.Fatal("nil client returned a timer")
	}
	must(t, tm.Stop())
	must(t, tm.Record(metrics.T("k", "v")))
	if tm.Elapsed() != 0 {
		t.Fatal("nil timer elapsed")
	}
	rm, err := c.Snapshot(ctx)
	must(t, err)
	if len(rm.ScopeMetrics) != 0 {
		t.Fatal("nil client snapshot has data")
	}
	if c.Overflows() != 0 || c.DefaultTags() != nil {
		t.Fatal("nil client has state")
	}
	must(t, c.ForceFlush(ctx))
	must(t, c.Shutdown(ctx))
}

func TestAfterShutdownEverythingIsNoop(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"env": "prod"})
	must(t, c.Counter("codex.x", 1))
	tm, err := c.StartTimer("codex.t")
	must(t, err)
	shutdown(t, c)
	exports := len(mem.Metrics())

	wantErr(t, c.Counter("codex.x", 1), metrics.ErrShutdown) // a cached series
	wantErr(t, c.Counter("codex.new", 1), metrics.ErrShutdown)
	wantErr(t, c.Histogram("codex.h", 1), metrics.ErrShutdown)
	wantErr(t, c.RecordDuration("codex.d", time.Second), metrics.ErrShutdown)
	wantErr(t, c.RecordDurationSeconds("codex.s", time.Second), metrics.ErrShutdown)
	wantErr(t, c.Gauge("codex.g", 1), metrics.ErrShutdown)
	wantErr(t, c.Describe("codex.g", metrics.InstrumentInfo{}), metrics.ErrShutdown)
	_, err = c.ObserveGauge("codex.o", func() float64 { return 1 })
	wantErr(t, err, metrics.ErrShutdown)
	_, err = c.StartTimer("codex.t")
	wantErr(t, err, metrics.ErrShutdown)
	wantErr(t, tm.Stop(), metrics.ErrShutdown)
	wantErr(t, c.ForceFlush(t.Context()), metrics.ErrShutdown)
	_, err = c.Snapshot(t.Context())
	wantErr(t, err, metrics.ErrShutdown)
	must(t, c.Shutdown(t.Context())) // idempotent
	if len(mem.Metrics()) != exports {
		t.Fatal("something was exported after shutdown")
	}
	if got := c.DefaultTags(); len(got) != 1 || got[0] != metrics.T("env", "prod") {
		t.Fatalf("DefaultTags = %v", got)
	}
}

func TestShutdownReportsExportFailure(t *testing.T) {
	// Nothing listens on this port: the final export fails within the deadline.
	c, err := metrics.New(metrics.Config{
		Exporter: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.ProtocolHTTPProtobuf,
			Endpoint: "http://127.0.0.1:1", Timeout: 200 * time.Millisecond, Retry: otelkit.Retry{Disabled: true}},
	}, metrics.WithErrorHandler(func(error) {}))
	must(t, err)
	must(t, c.Counter("codex.x", 1))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	err = c.Shutdown(ctx)
	wantErr(t, err, metrics.ErrProviderShutdown)
	if !errors.Is(c.Shutdown(ctx), metrics.ErrProviderShutdown) {
		t.Fatal("a second Shutdown does not return the first result")
	}
}

func TestForceFlushReportsExportFailure(t *testing.T) {
	c, err := metrics.New(metrics.Config{
		Exporter: otelkit.Exporter{Kind: otelkit.ExporterOTLP, Protocol: otelkit.ProtocolHTTPProtobuf,
			Endpoint: "http://127.0.0.1:1", Timeout: 200 * time.Millisecond, Retry: otelkit.Retry{Disabled: true}},
	}, metrics.WithErrorHandler(func(error) {}))
	must(t, err)
	defer func() { _ = c.Shutdown(context.Background()) }()
	must(t, c.Counter("codex.x", 1))
	wantErr(t, c.ForceFlush(t.Context()), metrics.ErrFlush)
}

func TestShutdownWhileRecording(t *testing.T) {
	c, _ := newMemClient(t, nil)
	tm, err := c.StartTimer("codex.t")
	must(t, err)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			<-start
			for i := range 200 {
				for _, err := range []error{
					c.Counter("codex.n", 1, metrics.T("w", strconv.Itoa(w))),
					c.Histogram("codex.h", float64(i)),
					c.Gauge("codex.g", 1),
					tm.Stop(),
				} {
					if err != nil && !errors.Is(err, metrics.ErrShutdown) && !errors.Is(err, metrics.ErrTimerStopped) {
						t.Errorf("unexpected error: %v", err)
					}
				}
			}
		})
	}
	close(start)
	shutdown(t, c)
	wg.Wait()
	wantErr(t, c.Counter("codex.n", 1), metrics.ErrShutdown)
}

func TestConfigJSON(t *testing.T) {
	in := metrics.Config{
		Environment: "prod", ServiceName: "codex-cli", ServiceVersion: "1.0.0",
		Exporter:       otelkit.OTLPJSON("http://collector:4318"),
		ExportInterval: 10 * time.Second, Temporality: metrics.TemporalityDelta,
		DefaultTags: map[string]string{"env": "prod"}, CardinalityLimit: 100,
		Instruments: map[string]metrics.InstrumentInfo{"codex.bytes": {Unit: "By", Description: "Bytes."}},
	}
	b, err := json.Marshal(in)
	must(t, err)
	for _, key := range []string{`"service_name":"codex-cli"`, `"temporality":"delta"`, `"default_tags":{"env":"prod"}`,
		`"cardinality_limit":100`, `"instruments":{"codex.bytes":{"unit":"By","description":"Bytes."}}`, `"kind":"otlp"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	var out metrics.Config
	must(t, json.Unmarshal(b, &out))
	if out.Exporter.Protocol != otelkit.ProtocolHTTPJSON || out.ExportInterval != in.ExportInterval ||
		out.Instruments["codex.bytes"] != in.Instruments["codex.bytes"] || out.DefaultTags["env"] != "prod" {
		t.Fatalf("round trip = %+v", out)
	}
}

// The zero values of the exported types are not made by the client, but using them must not panic.
func TestZeroValuesDoNotPanic(t *testing.T) {
	var tm metrics.Timer
	if d := tm.Elapsed(); d != 0 {
		t.Fatalf("zero Timer Elapsed = %v", d)
	}
	wantErr(t, tm.Stop(), metrics.ErrTimerNotStarted)
	wantErr(t, tm.Record(metrics.T("k", "v")), metrics.ErrTimerNotStarted)

	var reg metrics.Registration
	must(t, reg.Unregister()) // nothing was registered: nothing to stop
	must(t, reg.Unregister())
}

// ExportInterval in JSON is a duration string or nanoseconds, in the Exporter too; a bad one is an
// ErrInvalidConfig naming the key rather than a zero read silently.
func TestConfigJSONExportInterval(t *testing.T) {
	var cfg metrics.Config
	must(t, json.Unmarshal([]byte(`{"export_interval":60000000000}`), &cfg))
	if cfg.ExportInterval != 60*time.Second {
		t.Fatalf("ExportInterval = %v, want 60s", cfg.ExportInterval)
	}
	must(t, json.Unmarshal([]byte(`{"export_interval":"15s","temporality":"delta","exporter":{"kind":"otlp","timeout":"2s"}}`), &cfg))
	if cfg.ExportInterval != 15*time.Second || cfg.Temporality != "delta" || cfg.Exporter.Timeout != 2*time.Second {
		t.Fatalf("decoded ExportInterval %v, Temporality %q, Exporter.Timeout %v", cfg.ExportInterval, cfg.Temporality, cfg.Exporter.Timeout)
	}
	for doc, key := range map[string]string{`{"export_interval":"a minute"}`: "export_interval",
		`{"exporter":{"timeout":"soon"}}`: "exporter.timeout"} {
		err := json.Unmarshal([]byte(doc), &cfg)
		if !errors.Is(err, metrics.ErrInvalidConfig) || !strings.Contains(err.Error(), key+": ") {
			t.Errorf("%s: err = %v, want ErrInvalidConfig naming %s", doc, err, key)
		}
	}
}
