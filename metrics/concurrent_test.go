package metrics_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

// TestClientConcurrentSafe records from 32 goroutines into shared and per-goroutine series, through both
// the cached and the first-use paths, while snapshots are taken, and checks every total exactly.
func TestClientConcurrentSafe(t *testing.T) {
	const workers, rounds, limit = 32, 10, 32
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	c, err := metrics.NewFromMeterProvider(mp, reader,
		metrics.WithDefaultTags(metrics.T("service", "codex-cli")), metrics.WithCardinalityLimit(limit))
	must(t, err)

	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		id := strconv.Itoa(w)
		wg.Go(func() {
			<-start
			for i := range rounds {
				// t.Fatal must not be called from a worker goroutine: report and stop this worker.
				if err := errors.Join(
					// The same series from every goroutine, with constant strings.
					c.Counter("codex.shared", 1, metrics.T("kind", "same")),
					// The same series spelled with strings built at run time.
					c.Histogram("codex.latency", 2, metrics.T("route", strings.Clone("chat0"))),
					// One series per goroutine.
					c.Counter("codex.per_worker", 1, metrics.T("worker", id)),
					c.RecordDuration("codex.duration", time.Millisecond, metrics.T("worker", id)),
					c.Gauge("codex.last", float64(w), metrics.T("worker", id)),
					// Two sets per goroutine: half of them are beyond the cap.
					c.Counter("codex.capped", 1, metrics.T("worker", id), metrics.T("slot", strconv.Itoa(i%2))),
				); err != nil {
					t.Errorf("worker %d, round %d: %v", w, i, err)
					return
				}
				if i == rounds/2 && w%16 == 0 {
					if _, err := c.Snapshot(t.Context()); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	close(start)
	wg.Wait()

	rm, err := c.Snapshot(t.Context())
	must(t, err)
	if got := metricstest.SumInt(t, metricstest.Find(t, rm, "codex.shared"),
		map[string]string{"service": "codex-cli", "kind": "same"}); got != workers*rounds {
		t.Errorf("codex.shared = %d, want %d", got, workers*rounds)
	}
	if h := metricstest.Histogram(t, metricstest.Find(t, rm, "codex.latency"),
		map[string]string{"service": "codex-cli", "route": "chat0"}); h.Count != workers*rounds || h.Sum != 2*workers*rounds {
		t.Errorf("codex.latency count %d sum %v", h.Count, h.Sum)
	}
	// One pass over each metric's points (the assertions run under -race -count=100).
	byWorker := func(name string) map[string]metricstest.Point {
		out := map[string]metricstest.Point{}
		for _, p := range metricstest.Points(t, metricstest.Find(t, rm, name)) {
			if len(p.Attrs) != 2 || p.Attrs["service"] != "codex-cli" {
				t.Errorf("%s has a point with attributes %v", name, p.Attrs)
			}
			out[p.Attrs["worker"]] = p
		}
		if len(out) != workers {
			t.Errorf("%s has %d series, want %d", name, len(out), workers)
		}
		return out
	}
	perWorker, durations, last := byWorker("codex.per_worker"), byWorker("codex.duration"), byWorker("codex.last")
	for w := range workers {
		id := strconv.Itoa(w)
		if got := perWorker[id].Int; got != rounds {
			t.Errorf("worker %d count = %d", w, got)
		}
		if got := durations[id].Count; got != rounds {
			t.Errorf("worker %d durations = %d", w, got)
		}
		if got := last[id].Value; got != float64(w) {
			t.Errorf("worker %d gauge = %v", w, got)
		}
	}
	capped := metricstest.Find(t, rm, "codex.capped")
	if n := len(metricstest.Points(t, capped)); n != limit+1 {
		t.Errorf("codex.capped has %d series, want %d", n, limit+1)
	}
	overflowed := (2*workers - limit) * rounds / 2
	if got := metricstest.SumInt(t, capped, map[string]string{"otel.metric.overflow": "true"}); got != int64(overflowed) {
		t.Errorf("overflow series = %d, want %d", got, overflowed)
	}
	if got := metricstest.TotalInt(t, capped); got != workers*rounds {
		t.Errorf("codex.capped total = %d", got)
	}
	if got := c.Overflows(); got != uint64(overflowed) {
		t.Errorf("Overflows() = %d, want %d", got, overflowed)
	}
	must(t, c.Shutdown(t.Context()))
}
