package metrics_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestObservableGaugeCallbackValues(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli"})
	must(t, c.Describe("codex.queue.depth", metrics.InstrumentInfo{Unit: "{item}", Description: "Queued items."}))
	var depth atomic.Int64
	depth.Store(3)
	calls := atomic.Int32{}
	reg, err := c.ObserveGauge("codex.queue.depth", func() float64 { calls.Add(1); return float64(depth.Load()) },
		metrics.T("queue", "a"))
	must(t, err)
	regB, err := c.ObserveGauge("codex.queue.depth", func() float64 { return 7 }, metrics.T("queue", "b"))
	must(t, err)

	rm, err := c.Snapshot(t.Context())
	must(t, err)
	m := metricstest.Find(t, rm, "codex.queue.depth")
	if m.Unit != "{item}" || m.Description != "Queued items." {
		t.Fatalf("unit %q description %q", m.Unit, m.Description)
	}
	if got := metricstest.GaugeValue(t, m, map[string]string{"service": "codex-cli", "queue": "a"}); got != 3 {
		t.Fatalf("queue a = %v", got)
	}
	if got := metricstest.GaugeValue(t, m, map[string]string{"service": "codex-cli", "queue": "b"}); got != 7 {
		t.Fatalf("queue b = %v", got)
	}

	depth.Store(5)
	must(t, regB.Unregister())
	must(t, regB.Unregister()) // idempotent
	rm, err = c.Snapshot(t.Context())
	must(t, err)
	p := metricstest.Only(t, metricstest.Find(t, rm, "codex.queue.depth"))
	if p.Value != 5 || p.Attrs["queue"] != "a" {
		t.Fatalf("after unregistering b: %v = %v", p.Attrs, p.Value)
	}

	// The final export still observes; afterwards the callback is gone.
	shutdown(t, c)
	if got := metricstest.GaugeValue(t, metricstest.FindLatest(t, mem.Metrics(), "codex.queue.depth"),
		map[string]string{"service": "codex-cli", "queue": "a"}); got != 5 {
		t.Fatalf("exported = %v", got)
	}
	before := calls.Load()
	must(t, reg.Unregister()) // already unregistered by Shutdown
	if calls.Load() != before {
		t.Fatal("callback ran after shutdown")
	}
}

func TestObservableGaugeCallbackProblemsAreReported(t *testing.T) {
	var mu sync.Mutex
	var reported []error
	c, _ := newMemClient(t, nil, metrics.WithErrorHandler(func(err error) {
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	}))
	_, err := c.ObserveGauge("codex.panics", func() float64 { panic("boom") })
	must(t, err)
	_, err = c.ObserveGauge("codex.nan", func() float64 { return nan() })
	must(t, err)
	_, err = c.ObserveGauge("codex.fine", func() float64 { return 1 })
	must(t, err)

	rm, err := c.Snapshot(t.Context())
	must(t, err) // one bad callback does not fail the collection
	if got := metricstest.GaugeValue(t, metricstest.Find(t, rm, "codex.fine"), map[string]string{}); got != 1 {
		t.Fatalf("codex.fine = %v", got)
	}
	if _, ok := metricstest.Lookup(rm, "codex.nan"); ok {
		if pts := metricstest.Points(t, metricstest.Find(t, rm, "codex.nan")); len(pts) != 0 {
			t.Fatalf("NaN was observed: %v", pts)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var sawPanic, sawNaN bool
	for _, err := range reported {
		sawPanic = sawPanic || strings.Contains(err.Error(), `"codex.panics" callback panicked: boom`)
		sawNaN = sawNaN || (errors.Is(err, metrics.ErrInvalidValue) && strings.Contains(err.Error(), `"codex.nan"`))
	}
	if !sawPanic || !sawNaN {
		t.Fatalf("reported = %v", reported)
	}
}

// hookedProvider hands out meters that call beforeRegister before registering a callback with the SDK.
type hookedProvider struct {
	metric.MeterProvider
	beforeRegister func()
}

func (p hookedProvider) Meter(name string, opts ...metric.MeterOption) metric.Meter {
	return hookedMeter{Meter: p.MeterProvider.Meter(name, opts...), beforeRegister: p.beforeRegister}
}

type hookedMeter struct {
	metric.Meter
	beforeRegister func()
}

func (m hookedMeter) RegisterCallback(f metric.Callback, insts ...metric.Observable) (metric.Registration, error) {
	m.beforeRegister()
	return m.Meter.RegisterCallback(f, insts...)
}

// A Shutdown that completes while ObserveGauge is registering its callback (after ObserveGauge checked
// that the client is open) must not leave the callback registered for ever.
func TestObserveGaugeRacingShutdown(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	var c *metrics.Client
	hooked := hookedProvider{MeterProvider: mp, beforeRegister: func() { shutdown(t, c) }}
	c, err := metrics.NewFromMeterProvider(hooked, reader)
	must(t, err)

	var calls atomic.Int32
	reg, err := c.ObserveGauge("codex.late", func() float64 { calls.Add(1); return 1 })
	wantErr(t, err, metrics.ErrShutdown)
	if reg != nil {
		t.Fatal("ObserveGauge returned a registration after Shutdown")
	}
	var rm metricdata.ResourceMetrics
	must(t, reader.Collect(t.Context(), &rm))
	if n := calls.Load(); n != 0 {
		t.Fatalf("the callback ran %d time(s) after Shutdown", n)
	}
}
