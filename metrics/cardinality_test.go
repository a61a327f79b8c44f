package metrics_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/metrics/metricstest"
)

func TestCardinalityOverflow(t *testing.T) {
	c, mem := newMemClient(t, map[string]string{"service": "codex-cli"}, metrics.WithCardinalityLimit(3))
	for i := range 10 {
		must(t, c.Counter("codex.requests", int64(i+1), metrics.T("user", fmt.Sprintf("u%d", i))))
	}
	// Known sets keep recording into their own series after the cap is reached.
	must(t, c.Counter("codex.requests", 100, metrics.T("user", "u0")))
	// The cap is per instrument.
	must(t, c.Counter("codex.other", 1, metrics.T("user", "u9")))
	if got := c.Overflows(); got != 7 {
		t.Fatalf("Overflows() = %d, want 7", got)
	}
	shutdown(t, c)

	m := metricstest.FindLatest(t, mem.Metrics(), "codex.requests")
	pts := metricstest.Points(t, m)
	if len(pts) != 4 {
		t.Fatalf("%d series, want 3 + overflow: %v", len(pts), pts)
	}
	want := map[string]int64{"u0": 101, "u1": 2, "u2": 3}
	for user, v := range want {
		if got := metricstest.SumInt(t, m, map[string]string{"service": "codex-cli", "user": user}); got != v {
			t.Errorf("user %s = %d, want %d", user, got, v)
		}
	}
	// 4+5+...+10 went to the overflow series, which carries only the overflow attribute (the SDK's key,
	// with the string value "true": see OverflowKey).
	if got := metricstest.PointWithSet(t, m, clientOverflow).Int; got != 49 {
		t.Errorf("overflow = %d, want 49", got)
	}
	if got := metricstest.TotalInt(t, m); got != 55+100 {
		t.Errorf("total = %d, want 155", got)
	}
	p := metricstest.Only(t, metricstest.FindLatest(t, mem.Metrics(), "codex.other"))
	if !maps.Equal(p.Attrs, map[string]string{"service": "codex-cli", "user": "u9"}) {
		t.Errorf("codex.other = %v", p.Attrs)
	}
}

func TestCardinalityCountsSetsNotSpellings(t *testing.T) {
	c, mem := newMemClient(t, nil, metrics.WithCardinalityLimit(2))
	// Four spellings of one set, then a second set: no overflow.
	must(t, c.Histogram("codex.h", 1, metrics.T("a", "1"), metrics.T("b", "2")))
	must(t, c.Histogram("codex.h", 1, metrics.T("b", "2"), metrics.T("a", "1")))
	must(t, c.Histogram("codex.h", 1, metrics.T("a", "0"), metrics.T("a", "1"), metrics.T("b", "2")))
	must(t, c.Histogram("codex.h", 1, metrics.T("b", "0"), metrics.T("a", "1"), metrics.T("b", "2")))
	must(t, c.Histogram("codex.h", 1, metrics.T("a", "9")))
	must(t, c.Histogram("codex.h", 1, metrics.T("a", "8")))
	if got := c.Overflows(); got != 1 {
		t.Fatalf("Overflows() = %d, want 1", got)
	}
	shutdown(t, c)
	m := metricstest.FindLatest(t, mem.Metrics(), "codex.h")
	if p := metricstest.Histogram(t, m, map[string]string{"a": "1", "b": "2"}); p.Count != 4 {
		t.Fatalf("count = %d, want 4", p.Count)
	}
	if p := metricstest.Histogram(t, m, map[string]string{"otel.metric.overflow": "true"}); p.Count != 1 {
		t.Fatalf("overflow count = %d, want 1", p.Count)
	}
}

func TestDefaultCardinalityLimit(t *testing.T) {
	c, mem := newMemClient(t, nil)
	for i := range metrics.DefaultCardinalityLimit + 5 {
		must(t, c.Counter("codex.many", 1, metrics.T("id", fmt.Sprint(i))))
	}
	if got := c.Overflows(); got != 5 {
		t.Fatalf("Overflows() = %d, want 5", got)
	}
	shutdown(t, c)
	m := metricstest.FindLatest(t, mem.Metrics(), "codex.many")
	if n := len(metricstest.Points(t, m)); n != metrics.DefaultCardinalityLimit+1 {
		t.Fatalf("%d series, want %d", n, metrics.DefaultCardinalityLimit+1)
	}
	if got := metricstest.SumInt(t, m, map[string]string{"otel.metric.overflow": "true"}); got != 5 {
		t.Fatalf("overflow = %d", got)
	}
}

// Once the SDK holds its own overflow set it sends every set it has not stored yet there. The client's
// overflow series must not trigger that for sets it admitted: here the first measurement of a delta
// cycle is an overflow, and a timer admitted before the overflow stops afterwards.
func TestOverflowDoesNotCaptureAdmittedSets(t *testing.T) {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem), Temporality: metrics.TemporalityDelta, CardinalityLimit: 2})
	must(t, err)
	tm, err := c.StartTimer("codex.timed", metrics.T("route", "a"))
	must(t, err)
	must(t, c.RecordDuration("codex.timed", time.Millisecond, metrics.T("route", "b")))
	must(t, c.RecordDuration("codex.timed", time.Millisecond, metrics.T("route", "c"))) // overflows
	must(t, tm.Stop())

	must(t, c.Counter("codex.n", 1, metrics.T("k", "a")))
	must(t, c.Counter("codex.n", 1, metrics.T("k", "b")))
	must(t, c.ForceFlush(t.Context()))
	must(t, c.Counter("codex.n", 10, metrics.T("k", "z"))) // overflow first in the new cycle
	must(t, c.Counter("codex.n", 1, metrics.T("k", "a")))
	shutdown(t, c)

	exports := mem.Metrics()
	timed := metricstest.Find(t, exports[0], "codex.timed")
	for _, route := range []string{"a", "b"} {
		if h := metricstest.Histogram(t, timed, map[string]string{"route": route}); h.Count != 1 {
			t.Errorf("route %s count = %d", route, h.Count)
		}
	}
	if h := metricstest.Histogram(t, timed, map[string]string{metrics.OverflowKey: "true"}); h.Count != 1 {
		t.Errorf("overflow count = %d", h.Count)
	}
	n := metricstest.Find(t, metricstest.Latest(t, exports), "codex.n")
	if got := metricstest.SumInt(t, n, map[string]string{"k": "a"}); got != 1 {
		t.Errorf("k=a in the second cycle = %d, want 1", got)
	}
	if got := metricstest.SumInt(t, n, map[string]string{metrics.OverflowKey: "true"}); got != 10 {
		t.Errorf("overflow in the second cycle = %d, want 10", got)
	}
	if got := c.Overflows(); got != 2 {
		t.Errorf("Overflows() = %d, want 2", got)
	}
}

// Overflows counts measurements, so a timer beyond the cap counts once, when it records.
func TestOverflowsCountMeasurements(t *testing.T) {
	c, _ := newMemClient(t, nil, metrics.WithCardinalityLimit(1))
	must(t, c.RecordDuration("codex.d", time.Millisecond, metrics.T("k", "a")))
	tm, err := c.StartTimer("codex.d", metrics.T("k", "b"))
	must(t, err)
	if got := c.Overflows(); got != 0 {
		t.Fatalf("Overflows() after StartTimer = %d, want 0", got)
	}
	must(t, tm.Stop())
	if got := c.Overflows(); got != 1 {
		t.Fatalf("Overflows() after Stop = %d, want 1", got)
	}
	v := 1.0
	_, err = c.ObserveGauge("codex.g", func() float64 { return v })
	must(t, err)
	_, err = c.ObserveGauge("codex.g", func() float64 { return v }, metrics.T("k", "over"))
	must(t, err)
	_, err = c.Snapshot(t.Context())
	must(t, err)
	if got := c.Overflows(); got != 2 {
		t.Fatalf("Overflows() after one collection = %d, want 2", got)
	}
}

// On a shared provider the SDK's cardinality limit applies as well: it keeps limit-1 sets plus its own
// overflow series. The client's cap must leave room for its overflow series there, or admitted sets
// and the client's overflow series vanish into the SDK's overflow series and Overflows under-counts.
func TestNewFromProviderFitsTheProviderLimit(t *testing.T) {
	const sdkLimit, sets = 10, 14
	tests := []struct {
		name    string
		opts    []metrics.Option
		wantCap int
	}{
		{"default cap shrinks to fit", nil, sdkLimit - 2},
		{"explicit cap that fits", []metrics.Option{metrics.WithCardinalityLimit(5)}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := otelkit.NewProvider(otelkit.Settings{
				Metrics: otelkit.InMemory(otelkit.NewMemory()), SnapshotReader: true, MetricCardinalityLimit: sdkLimit,
			})
			must(t, err)
			t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
			c, err := metrics.NewFromProvider(p, tt.opts...)
			must(t, err)
			for i := range sets {
				must(t, c.Counter("codex.shared.capped", int64(i+1), metrics.T("id", fmt.Sprint(i))))
			}
			rm, err := c.Snapshot(t.Context())
			must(t, err)
			m := metricstest.Find(t, rm, "codex.shared.capped")
			for i := range tt.wantCap {
				if got := metricstest.SumInt(t, m, map[string]string{"id": fmt.Sprint(i)}); got != int64(i+1) {
					t.Errorf("admitted set id=%d = %d, want %d", i, got, i+1)
				}
			}
			var overflowed int64
			for i := tt.wantCap; i < sets; i++ {
				overflowed += int64(i + 1)
			}
			if got := metricstest.PointWithSet(t, m, clientOverflow).Int; got != overflowed {
				t.Errorf("overflow series = %d, want %d", got, overflowed)
			}
			if n := len(metricstest.Points(t, m)); n != tt.wantCap+1 {
				t.Errorf("%d series, want %d admitted + overflow: %v", n, tt.wantCap, metricstest.Points(t, m))
			}
			if got := c.Overflows(); got != uint64(sets-tt.wantCap) {
				t.Errorf("Overflows() = %d, want %d", got, sets-tt.wantCap)
			}
			shutdown(t, c)
		})
	}
}

// A cap the provider's limit cannot hold is a configuration error, not a silent loss of series.
func TestNewFromProviderRejectsACapBeyondTheProviderLimit(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sdkLimit int
		opts     []metrics.Option
	}{
		{"explicit cap equal to the SDK limit", 10, []metrics.Option{metrics.WithCardinalityLimit(10)}},
		{"explicit cap one over the fit", 10, []metrics.Option{metrics.WithCardinalityLimit(9)}},
		{"SDK limit leaves no room", 2, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := otelkit.NewProvider(otelkit.Settings{
				Metrics: otelkit.InMemory(otelkit.NewMemory()), MetricCardinalityLimit: tt.sdkLimit,
			})
			must(t, err)
			t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
			_, err = metrics.NewFromProvider(p, tt.opts...)
			wantErr(t, err, metrics.ErrInvalidConfig, "CardinalityLimit", "MetricCardinalityLimit")
		})
	}
}

// Without an SDK limit (negative) or with the default one, the client's cap is what it would be anyway,
// less what the default SDK limit needs.
func TestNewFromProviderDefaultCaps(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sdkLimit int
		sets     int
		wantOver uint64
	}{
		{"provider default limit", 0, metrics.DefaultCardinalityLimit, 2},
		{"no provider limit", -1, metrics.DefaultCardinalityLimit + 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := otelkit.NewProvider(otelkit.Settings{
				Metrics: otelkit.InMemory(otelkit.NewMemory()), SnapshotReader: true, MetricCardinalityLimit: tt.sdkLimit,
			})
			must(t, err)
			t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
			c, err := metrics.NewFromProvider(p)
			must(t, err)
			for i := range tt.sets {
				must(t, c.Counter("codex.many", 1, metrics.T("id", fmt.Sprint(i))))
			}
			if got := c.Overflows(); got != tt.wantOver {
				t.Fatalf("Overflows() = %d, want %d", got, tt.wantOver)
			}
			rm, err := c.Snapshot(t.Context())
			must(t, err)
			m := metricstest.Find(t, rm, "codex.many")
			if got := metricstest.SumInt(t, m, map[string]string{metrics.OverflowKey: "true"}); got != int64(tt.wantOver) {
				t.Fatalf("overflow series = %d, want %d", got, tt.wantOver)
			}
			if got := metricstest.SumInt(t, m, map[string]string{"id": "0"}); got != 1 {
				t.Fatalf("id=0 = %d", got)
			}
			shutdown(t, c)
		})
	}
}

var (
	// clientOverflow is the attribute set of the client's overflow series.
	clientOverflow = attribute.NewSet(attribute.String(metrics.OverflowKey, "true"))
	// sdkOverflow is the attribute set of the SDK's own overflow series.
	sdkOverflow = attribute.NewSet(attribute.Bool(metrics.OverflowKey, true))
)

// The client's overflow series is an ordinary set to the SDK (a string value, not the SDK's boolean): the
// SDK never holds its own overflow series while the client keeps within the SDK's limit, so it never
// sends a set the client admitted there. Were the client to record into the SDK's boolean set, the SDK
// would route every set it has not stored yet into it (TestOverflowDoesNotCaptureAdmittedSets).
func TestOverflowSeriesIsNotTheSDKs(t *testing.T) {
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem), CardinalityLimit: 2})
	must(t, err)
	for _, k := range []string{"a", "b", "c", "d"} {
		must(t, c.Counter("codex.n", 1, metrics.T("k", k)))
	}
	shutdown(t, c)
	m := metricstest.FindLatest(t, mem.Metrics(), "codex.n")
	p := metricstest.PointWithSet(t, m, clientOverflow)
	if v, _ := p.Set.Value(metrics.OverflowKey); v.Type() != attribute.STRING || p.Int != 2 {
		t.Fatalf("overflow series %s = %d, want the string \"true\" and 2", v.Type(), p.Int)
	}
	for _, pt := range metricstest.Points(t, m) {
		if pt.Set.Equals(&sdkOverflow) {
			t.Fatalf("the SDK's own overflow series holds %d measurements", pt.Int)
		}
	}
}
