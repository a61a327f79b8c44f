package metrics_test

import (
	"errors"
	"maps"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestRecordDurationRecordsHistogram(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.RecordDuration("codex.request_latency", 15*time.Millisecond, metrics.T("route", "chat")))
	shutdown(t, c)

	m := metricstest.FindLatest(t, mem.Metrics(), "codex.request_latency")
	if m.Unit != "ms" || m.Description != "Duration in milliseconds." {
		t.Fatalf("unit %q description %q", m.Unit, m.Description)
	}
	h := metricstest.Histogram(t, m, map[string]string{"route": "chat"})
	if !equalFloats(h.Bounds, metrics.DurationMillisecondsBounds()) {
		t.Fatalf("bounds = %v", h.Bounds)
	}
	wantCounts := make([]uint64, len(h.Bounds)+1)
	wantCounts[3] = 1 // (10, 25]
	if h.Sum != 15 || h.Count != 1 || !equalCounts(h.BucketCounts, wantCounts) {
		t.Fatalf("sum %v count %d buckets %v", h.Sum, h.Count, h.BucketCounts)
	}
}

func TestRecordDurationKeepsFractionalMilliseconds(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.RecordDuration("codex.fast", 1500*time.Microsecond))
	must(t, c.RecordDuration("codex.fast", 0))
	shutdown(t, c)
	h := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.fast"))
	if h.Sum != 1.5 || h.Count != 2 || h.BucketCounts[0] != 1 || h.BucketCounts[1] != 1 {
		t.Fatalf("sum %v count %d buckets %v", h.Sum, h.Count, h.BucketCounts)
	}
}

func TestRecordDurationSecondsUsesFractionalSecondsAndScaledBuckets(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.Describe("codex.request_duration_seconds", metrics.InstrumentInfo{Description: "Request time."}))
	for _, d := range []time.Duration{200 * time.Millisecond, time.Second, 4900 * time.Millisecond} {
		must(t, c.RecordDurationSeconds("codex.request_duration_seconds", d, metrics.T("route", "chat")))
	}
	shutdown(t, c)

	m := metricstest.FindLatest(t, mem.Metrics(), "codex.request_duration_seconds")
	if m.Unit != "s" || m.Description != "Request time." {
		t.Fatalf("unit %q description %q", m.Unit, m.Description)
	}
	h := metricstest.Histogram(t, m, map[string]string{"route": "chat"})
	wantBounds := []float64{0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 12, 15, 20, 30, 60, 120}
	if !equalFloats(h.Bounds, wantBounds) {
		t.Fatalf("bounds = %v", h.Bounds)
	}
	// 0.2 in (0.1, 0.25], 1 in (0.75, 1], 4.9 in (2.5, 5].
	wantCounts := make([]uint64, len(wantBounds)+1)
	wantCounts[7], wantCounts[10], wantCounts[12] = 1, 1, 1
	if !equalCounts(h.BucketCounts, wantCounts) {
		t.Fatalf("bucket counts = %v, want %v", h.BucketCounts, wantCounts)
	}
	if math.Abs(h.Sum-6.1) > 1e-9 || h.Count != 3 {
		t.Fatalf("sum %v count %d, want 6.1 and 3", h.Sum, h.Count)
	}
}

func TestDefaultSecondsDescription(t *testing.T) {
	c, mem := newMemClient(t, nil)
	must(t, c.RecordDurationSeconds("codex.goal.duration_s", 2*time.Second))
	shutdown(t, c)
	m := metricstest.FindLatest(t, mem.Metrics(), "codex.goal.duration_s")
	if m.Unit != "s" || m.Description != metrics.DescriptionSeconds {
		t.Fatalf("unit %q description %q", m.Unit, m.Description)
	}
}

func TestBoundsAreCopies(t *testing.T) {
	b := metrics.DurationMillisecondsBounds()
	b[1] = 999
	if metrics.DurationMillisecondsBounds()[1] != 5 {
		t.Fatal("DurationMillisecondsBounds shares its slice")
	}
	s := metrics.DurationSecondsBounds()
	s[1] = 999
	if metrics.DurationSecondsBounds()[1] != 0.005 {
		t.Fatal("DurationSecondsBounds shares its slice")
	}
}

func TestTimerRecordsOnce(t *testing.T) {
	clock := newFakeClock()
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli"}, metrics.WithClock(clock.Now))

	t.Run("stop twice", func(t *testing.T) {
		tm, err := c.StartTimer("codex.stop_twice", metrics.T("route", "chat"))
		must(t, err)
		clock.Advance(40 * time.Millisecond)
		if got := tm.Elapsed(); got != 40*time.Millisecond {
			t.Fatalf("Elapsed = %v", got)
		}
		must(t, tm.Stop())
		clock.Advance(time.Second)
		wantErr(t, tm.Stop(), metrics.ErrTimerStopped)
		wantErr(t, tm.Record(), metrics.ErrTimerStopped)
	})
	t.Run("record then stop", func(t *testing.T) {
		tm, err := c.StartTimer("codex.record_then_stop", metrics.T("route", "chat"))
		must(t, err)
		clock.Advance(7 * time.Millisecond)
		must(t, tm.Record(metrics.T("route", "edit"), metrics.T("success", "true")))
		wantErr(t, tm.Stop(), metrics.ErrTimerStopped)
	})
	t.Run("invalid extra tags leave the timer running", func(t *testing.T) {
		tm, err := c.StartTimer("codex.retry", metrics.T("route", "chat"))
		must(t, err)
		clock.Advance(3 * time.Millisecond)
		wantErr(t, tm.Record(metrics.T("bad key", "v")), metrics.ErrInvalidTag, `"codex.retry"`)
		must(t, tm.Stop())
	})
	t.Run("concurrent stops record once", func(t *testing.T) {
		tm, err := c.StartTimer("codex.concurrent")
		must(t, err)
		clock.Advance(time.Millisecond)
		var wg sync.WaitGroup
		var mu sync.Mutex
		oks := 0
		for range 16 {
			wg.Go(func() {
				if err := tm.Stop(); err == nil {
					mu.Lock()
					oks++
					mu.Unlock()
				} else if !errors.Is(err, metrics.ErrTimerStopped) {
					t.Errorf("Stop: %v", err)
				}
			})
		}
		wg.Wait()
		if oks != 1 {
			t.Fatalf("%d Stops succeeded, want 1", oks)
		}
	})
	shutdown(t, c)

	rm := metricstest.Latest(t, mem.Metrics())
	for _, tc := range []struct {
		name  string
		attrs map[string]string
		sum   float64
	}{
		{"codex.stop_twice", map[string]string{"service": "codex-cli", "route": "chat"}, 40},
		{"codex.record_then_stop", map[string]string{"service": "codex-cli", "route": "edit", "success": "true"}, 7},
		{"codex.retry", map[string]string{"service": "codex-cli", "route": "chat"}, 3},
		{"codex.concurrent", map[string]string{"service": "codex-cli"}, 1},
	} {
		m := metricstest.Find(t, rm, tc.name)
		if m.Unit != "ms" {
			t.Errorf("%s unit %q", tc.name, m.Unit)
		}
		p := metricstest.Only(t, m)
		if p.Count != 1 || p.Sum != tc.sum || !maps.Equal(p.Attrs, tc.attrs) {
			t.Errorf("%s = count %d sum %v attrs %v, want 1, %v, %v", tc.name, p.Count, p.Sum, p.Attrs, tc.sum, tc.attrs)
		}
	}
}

func TestTimerRejectsInvalidInputsAtConstruction(t *testing.T) {
	c, mem := newMemClient(t, nil)
	for _, tc := range []struct {
		name   string
		metric string
		tags   []metrics.Tag
		target error
	}{
		{"bad name", "bad name", nil, metrics.ErrInvalidName},
		{"leading digit", "1timer", nil, metrics.ErrInvalidName},
		{"bad tag key", "codex.timer", []metrics.Tag{metrics.T("bad key", "v")}, metrics.ErrInvalidTag},
		{"empty tag value", "codex.timer", []metrics.Tag{metrics.T("k", "")}, metrics.ErrInvalidTag},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm, err := c.StartTimer(tc.metric, tc.tags...)
			if tm != nil {
				t.Fatal("StartTimer returned a timer with an error")
			}
			wantErr(t, err, tc.target)
		})
	}
	t.Run("kind conflict", func(t *testing.T) {
		must(t, c.Counter("codex.calls", 1))
		_, err := c.StartTimer("codex.calls")
		wantErr(t, err, metrics.ErrInstrumentConflict, `"codex.calls"`, "counter")
	})
	shutdown(t, c)
	if _, ok := metricstest.Lookup(metricstest.Latest(t, mem.Metrics()), "codex.timer"); ok {
		t.Fatal("an invalid timer exported a metric")
	}
}

func TestTimerRealClock(t *testing.T) {
	c, mem := newMemClient(t, nil)
	tm, err := c.StartTimer("codex.real")
	must(t, err)
	must(t, tm.Stop())
	shutdown(t, c)
	p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.real"))
	if p.Count != 1 || p.Sum < 0 {
		t.Fatalf("count %d sum %v", p.Count, p.Sum)
	}
}

func TestTimerClockStepsBack(t *testing.T) {
	clock := newFakeClock()
	c, mem := newMemClient(t, nil, metrics.WithClock(clock.Now))
	tm, err := c.StartTimer("codex.back")
	must(t, err)
	clock.Advance(-time.Second)
	must(t, tm.Stop())
	shutdown(t, c)
	if p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.back")); p.Count != 1 || p.Sum != 0 {
		t.Fatalf("count %d sum %v, want 1 and 0", p.Count, p.Sum)
	}
}

func equalCounts(a, b []uint64) bool {
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
