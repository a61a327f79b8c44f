package metricstest_test

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/otelkit/otelkit/metrics/metricstest"
)

// fakeTB records the first Fatalf and stops the goroutine, like testing.T does.
type fakeTB struct {
	testing.TB
	msg    string
	failed bool
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = true
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fails runs fn with a fake TB and checks that it failed with a message containing every part.
func fails(t *testing.T, fn func(tb testing.TB), parts ...string) {
	t.Helper()
	ft := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(ft)
	}()
	<-done
	if !ft.failed {
		t.Fatal("the helper did not fail")
	}
	for _, p := range parts {
		if !strings.Contains(ft.msg, p) {
			t.Fatalf("failure message %q does not mention %q", ft.msg, p)
		}
	}
}

// collect records a few instruments with the SDK and returns what a manual reader collects.
func collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	res := resource.NewSchemaless(attribute.String("service.name", "svc"))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
	defer func() { _ = mp.Shutdown(ctx) }()
	m := mp.Meter("test")
	ctr, _ := m.Int64Counter("requests")
	ctr.Add(ctx, 2, metric.WithAttributes(attribute.String("route", "a")))
	ctr.Add(ctx, 3, metric.WithAttributes(attribute.String("route", "b"), attribute.Bool("ok", true)))
	h, _ := m.Float64Histogram("latency", metric.WithExplicitBucketBoundaries(1, 10))
	h.Record(ctx, 0.5)
	h.Record(ctx, 5)
	h.Record(ctx, 50)
	g, _ := m.Int64Gauge("active")
	g.Record(ctx, 7, metric.WithAttributes(attribute.String("pool", "x")))
	fg, _ := m.Float64Gauge("ratio")
	fg.Record(ctx, 0.25)
	fs, _ := m.Float64UpDownCounter("balance")
	fs.Add(ctx, -1.5)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

func TestFindAndPoints(t *testing.T) {
	rm := collect(t)
	if got := metricstest.Names(rm); !slices.Equal(got, []string{"active", "balance", "latency", "ratio", "requests"}) {
		t.Fatalf("Names = %q", got)
	}
	if _, ok := metricstest.Lookup(rm, "nope"); ok {
		t.Fatal("Lookup found a missing metric")
	}
	req := metricstest.Find(t, rm, "requests")
	if metricstest.Kind(req) != "sum[int64]" {
		t.Fatalf("Kind = %s", metricstest.Kind(req))
	}
	if got := metricstest.SumInt(t, req, map[string]string{"route": "b", "ok": "true"}); got != 3 {
		t.Fatalf("SumInt = %d", got)
	}
	if got := metricstest.TotalInt(t, req); got != 5 {
		t.Fatalf("TotalInt = %d", got)
	}
	sets := metricstest.AttrSets(t, req)
	if len(sets) != 2 || !maps.Equal(sets[0], map[string]string{"ok": "true", "route": "b"}) || !maps.Equal(sets[1], map[string]string{"route": "a"}) {
		t.Fatalf("AttrSets = %v (want sorted by rendering)", sets)
	}
	hp := metricstest.Histogram(t, metricstest.Find(t, rm, "latency"), map[string]string{})
	if hp.Count != 3 || hp.Sum != 55.5 || !slices.Equal(hp.Bounds, []float64{1, 10}) || !slices.Equal(hp.BucketCounts, []uint64{1, 1, 1}) {
		t.Fatalf("Histogram = %+v", hp)
	}
	if p := metricstest.Only(t, metricstest.Find(t, rm, "latency")); p.Count != 3 {
		t.Fatalf("Only = %+v", p)
	}
	if got := metricstest.GaugeValue(t, metricstest.Find(t, rm, "active"), map[string]string{"pool": "x"}); got != 7 {
		t.Fatalf("int gauge = %v", got)
	}
	if got := metricstest.GaugeValue(t, metricstest.Find(t, rm, "ratio"), map[string]string{}); got != 0.25 {
		t.Fatalf("float gauge = %v", got)
	}
	if p := metricstest.Only(t, metricstest.Find(t, rm, "balance")); p.Value != -1.5 || metricstest.Kind(metricstest.Find(t, rm, "balance")) != "sum[float64]" {
		t.Fatalf("float sum = %+v", p)
	}
	if got := metricstest.ResourceAttrs(rm)["service.name"]; got != "svc" {
		t.Fatalf("ResourceAttrs = %v", metricstest.ResourceAttrs(rm))
	}
	if got := metricstest.ResourceAttrs(metricdata.ResourceMetrics{}); len(got) != 0 {
		t.Fatalf("ResourceAttrs of nothing = %v", got)
	}
	if s := (metricstest.Point{Attrs: map[string]string{"b": "2", "a": "1"}}).String(); s != "{a=1, b=2}" {
		t.Fatalf("String = %s", s)
	}
}

func TestFindLatest(t *testing.T) {
	first := collect(t)
	second := metricdata.ResourceMetrics{ScopeMetrics: []metricdata.ScopeMetrics{{Metrics: []metricdata.Metrics{{
		Name: "requests", Data: metricdata.Sum[int64]{DataPoints: []metricdata.DataPoint[int64]{{Value: 99}}},
	}}}}}
	exports := []metricdata.ResourceMetrics{first, second}
	if got := metricstest.TotalInt(t, metricstest.FindLatest(t, exports, "requests")); got != 99 {
		t.Fatalf("FindLatest took an older export: %d", got)
	}
	// A metric missing from the latest export is taken from the latest one that has it.
	if got := metricstest.GaugeValue(t, metricstest.FindLatest(t, exports, "active"), map[string]string{"pool": "x"}); got != 7 {
		t.Fatalf("FindLatest(active) = %v", got)
	}
	if got := metricstest.Latest(t, exports); len(got.ScopeMetrics) != 1 || got.Resource != nil {
		t.Fatal("Latest is not the last export")
	}
}

func TestFailures(t *testing.T) {
	rm := collect(t)
	req := metricstest.Find(t, rm, "requests")
	active := metricstest.Find(t, rm, "active")
	latency := metricstest.Find(t, rm, "latency")
	tests := []struct {
		name  string
		fn    func(tb testing.TB)
		parts []string
	}{
		{"Find missing", func(tb testing.TB) { metricstest.Find(tb, rm, "nope") }, []string{`"nope" not found`, `"requests"`}},
		{"FindLatest missing", func(tb testing.TB) { metricstest.FindLatest(tb, []metricdata.ResourceMetrics{rm}, "nope") }, []string{`"nope"`, "1 export(s)", `"latency"`}},
		{"FindLatest empty", func(tb testing.TB) { metricstest.FindLatest(tb, nil, "x") }, []string{"0 export(s)"}},
		{"Latest empty", func(tb testing.TB) { metricstest.Latest(tb, nil) }, []string{"no metric export"}},
		{"PointWith missing", func(tb testing.TB) { metricstest.PointWith(tb, req, map[string]string{"route": "c"}) }, []string{`"requests"`, "{route=c}", "{route=a}", "{ok=true, route=b}"}},
		{"PointWith subset is not a match", func(tb testing.TB) { metricstest.PointWith(tb, req, map[string]string{"route": "b"}) }, []string{"{route=b}"}},
		{"Only with two points", func(tb testing.TB) { metricstest.Only(tb, req) }, []string{"has 2 points, want 1"}},
		{"SumInt on a gauge", func(tb testing.TB) { metricstest.SumInt(tb, active, nil) }, []string{`"active" is gauge[int64], not sum[int64]`}},
		{"TotalInt on a histogram", func(tb testing.TB) { metricstest.TotalInt(tb, latency) }, []string{"histogram[float64]"}},
		{"GaugeValue on a sum", func(tb testing.TB) { metricstest.GaugeValue(tb, req, nil) }, []string{"not a gauge"}},
		{"Histogram on a sum", func(tb testing.TB) { metricstest.Histogram(tb, req, nil) }, []string{"not a histogram"}},
		{"Points on unsupported data", func(tb testing.TB) {
			metricstest.Points(tb, metricdata.Metrics{Name: "s", Data: metricdata.Summary{}})
		}, []string{`"s" has unsupported data metricdata.Summary`}},
		{"Points on no data", func(tb testing.TB) { metricstest.Points(tb, metricdata.Metrics{Name: "e"}) }, []string{"none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { fails(t, tt.fn, tt.parts...) })
	}
}

// softTB records failures but, unlike testing.T, does not stop the goroutine: helpers must return zero
// values right after failing instead of carrying on (and indexing out of range).
type softTB struct {
	testing.TB
	failures []string
}

func (s *softTB) Helper() {}
func (s *softTB) Fatalf(format string, args ...any) {
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

func TestHelpersReturnAfterFailing(t *testing.T) {
	rm := collect(t)
	req := metricstest.Find(t, rm, "requests")
	active := metricstest.Find(t, rm, "active")
	latency := metricstest.Find(t, rm, "latency")
	empty := metricdata.Metrics{Name: "empty", Data: metricdata.Sum[int64]{}}
	summary := metricdata.Metrics{Name: "s", Data: metricdata.Summary{}}
	tests := []struct {
		name string
		fn   func(tb testing.TB) any
		zero any
	}{
		{"Latest of nothing", func(tb testing.TB) any { return metricstest.Latest(tb, nil).Resource }, (*resource.Resource)(nil)},
		{"Only of no points", func(tb testing.TB) any { return metricstest.Only(tb, empty).Count }, uint64(0)},
		{"Only of two points", func(tb testing.TB) any { return metricstest.Only(tb, req).Int }, int64(0)},
		{"SumInt on a gauge", func(tb testing.TB) any { return metricstest.SumInt(tb, active, map[string]string{"pool": "x"}) }, int64(0)},
		{"TotalInt on a histogram", func(tb testing.TB) any { return metricstest.TotalInt(tb, latency) }, int64(0)},
		{"GaugeValue on a sum", func(tb testing.TB) any { return metricstest.GaugeValue(tb, req, map[string]string{"route": "a"}) }, float64(0)},
		{"Histogram on a sum", func(tb testing.TB) any { return metricstest.Histogram(tb, req, map[string]string{"route": "a"}).Int }, int64(0)},
		{"Find missing", func(tb testing.TB) any { return metricstest.Find(tb, rm, "nope").Name }, ""},
		{"PointWith missing", func(tb testing.TB) any { return metricstest.PointWith(tb, req, map[string]string{"route": "c"}).Int }, int64(0)},
		{"Points on unsupported data", func(tb testing.TB) any { return len(metricstest.Points(tb, summary)) }, 0},
		{"PointWith on unsupported data", func(tb testing.TB) any { return metricstest.PointWith(tb, summary, nil).Count }, uint64(0)},
		{"Only on unsupported data", func(tb testing.TB) any { return metricstest.Only(tb, summary).Count }, uint64(0)},
		{"AttrSets on unsupported data", func(tb testing.TB) any { return len(metricstest.AttrSets(tb, summary)) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &softTB{}
			got := tt.fn(tb) // must not panic
			if len(tb.failures) != 1 {
				t.Fatalf("%d failures, want exactly 1: %q", len(tb.failures), tb.failures)
			}
			if got != tt.zero {
				t.Fatalf("returned %v after failing, want the zero value %v", got, tt.zero)
			}
		})
	}
}

// Attrs renders every value as a string, so the boolean true and the string "true" look alike there;
// Point.Set and PointWithSet keep the types apart.
func TestTypedAttributes(t *testing.T) {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(ctx) }()
	ctr, _ := mp.Meter("test").Int64Counter("flags")
	ctr.Add(ctx, 1, metric.WithAttributes(attribute.Bool("flag", true)))
	ctr.Add(ctx, 2, metric.WithAttributes(attribute.String("flag", "true")))
	ctr.Add(ctx, 4, metric.WithAttributes(attribute.Int("n", 3)))
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	m := metricstest.Find(t, rm, "flags")

	if p := metricstest.PointWithSet(t, m, attribute.NewSet(attribute.Bool("flag", true))); p.Int != 1 {
		t.Errorf("boolean flag = %d, want 1", p.Int)
	}
	if p := metricstest.PointWithSet(t, m, attribute.NewSet(attribute.String("flag", "true"))); p.Int != 2 {
		t.Errorf("string flag = %d, want 2", p.Int)
	}
	p := metricstest.PointWithSet(t, m, attribute.NewSet(attribute.Int("n", 3)))
	if v, ok := p.Set.Value("n"); !ok || v.Type() != attribute.INT64 || v.AsInt64() != 3 || p.Attrs["n"] != "3" {
		t.Errorf("typed point = %v (%v), Attrs %v", v, v.Type(), p.Attrs)
	}
	// The string helpers still find an unambiguous point.
	if got := metricstest.SumInt(t, m, map[string]string{"n": "3"}); got != 4 {
		t.Errorf("SumInt(n=3) = %d", got)
	}

	fails(t, func(tb testing.TB) { metricstest.PointWith(tb, m, map[string]string{"flag": "true"}) },
		"two points", "{flag=true (BOOL)}", "{flag=true}", "PointWithSet")
	fails(t, func(tb testing.TB) {
		metricstest.PointWithSet(tb, m, attribute.NewSet(attribute.Bool("flag", false)))
	}, `"flags" has no point with attributes {flag=false (BOOL)}`, "{flag=true (BOOL)}", "{flag=true}", "{n=3 (INT64)}")
	fails(t, func(tb testing.TB) {
		metricstest.PointWithSet(tb, metricdata.Metrics{Name: "s", Data: metricdata.Summary{}}, attribute.NewSet())
	}, "unsupported data")
}
