package e2e

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"

	"github.com/otelkit/otelkit/otlptest"
)

// Metric names and the number of data points recordMetrics produces.
const (
	counterName   = "e2e.requests"
	histogramName = "e2e.latency"
	gaugeName     = "e2e.queue.depth"
	metricPoints  = 5 // 2 counter series + 2 histogram series + 1 gauge
)

var (
	attrsA = []attribute.KeyValue{attribute.String("http.route", "/a"), attribute.Int("http.response.status_code", 200)}
	attrsB = []attribute.KeyValue{attribute.String("http.route", "/b"), attribute.Int("http.response.status_code", 500)}
)

// recordMetrics records a counter, a histogram and a gauge on two attribute sets.
func recordMetrics(ctx context.Context, mp metric.MeterProvider) error {
	m := mp.Meter(scopeName, metric.WithInstrumentationVersion("1.0.0"))
	cnt, err := m.Int64Counter(counterName, metric.WithUnit("{request}"), metric.WithDescription("Requests served."))
	if err != nil {
		return err
	}
	hist, err := m.Float64Histogram(histogramName, metric.WithUnit("ms"), metric.WithDescription("Request latency."),
		metric.WithExplicitBucketBoundaries(1, 5, 10))
	if err != nil {
		return err
	}
	gauge, err := m.Int64Gauge(gaugeName, metric.WithUnit("{item}"))
	if err != nil {
		return err
	}
	a, b := metric.WithAttributes(attrsA...), metric.WithAttributes(attrsB...)
	cnt.Add(ctx, 3, a)
	cnt.Add(ctx, 4, a)
	cnt.Add(ctx, 5, b)
	hist.Record(ctx, 0.5, a)
	hist.Record(ctx, 2.5, a)
	hist.Record(ctx, 12, b)
	gauge.Record(ctx, 17, metric.WithAttributes(attribute.String("e2e.tricky", tricky)))
	return nil
}

// pointKey identifies a data point by its attributes.
func pointKey(m map[string]any) string {
	return fmt.Sprintf("%v %v", m["http.route"], m["http.response.status_code"])
}

// checkMetrics waits for the metrics at sink and asserts their values,
// attributes, types and resource.
func checkMetrics(t *testing.T, sink *otlptest.Server, service string) {
	byName := map[string]otlptest.Metric{}
	for _, name := range []string{counterName, histogramName, gaugeName} {
		got := sink.WaitMetrics(t, name, 15*time.Second)
		if len(got) != 1 {
			t.Fatalf("metric %q arrived %d times, want once (one export at Shutdown)", name, len(got))
		}
		byName[name] = got[0]
		if n := otlptest.ServiceName(got[0].Resource); n != service {
			t.Errorf("metric %q service.name %q, want %q", name, n, service)
		}
		if got[0].Scope.GetName() != scopeName {
			t.Errorf("metric %q scope %q, want %q", name, got[0].Scope.GetName(), scopeName)
		}
	}

	c := byName[counterName].Metric
	sum := c.GetSum()
	if sum == nil || !sum.GetIsMonotonic() || sum.GetAggregationTemporality() != metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE {
		t.Fatalf("counter %q: want a monotonic cumulative sum, got %v", counterName, c)
	}
	if c.GetUnit() != "{request}" || c.GetDescription() != "Requests served." {
		t.Errorf("counter unit %q description %q", c.GetUnit(), c.GetDescription())
	}
	wantCounts := map[string]int64{"/a 200": 7, "/b 500": 5}
	gotCounts := map[string]int64{}
	for _, p := range sum.GetDataPoints() {
		gotCounts[pointKey(otlptest.AttrMap(p.GetAttributes()))] = p.GetAsInt()
		if p.GetStartTimeUnixNano() == 0 || p.GetTimeUnixNano() < p.GetStartTimeUnixNano() {
			t.Errorf("counter point times start=%d time=%d", p.GetStartTimeUnixNano(), p.GetTimeUnixNano())
		}
	}
	if !reflect.DeepEqual(gotCounts, wantCounts) {
		t.Errorf("counter points %v, want %v", gotCounts, wantCounts)
	}

	h := byName[histogramName].Metric
	if h.GetHistogram() == nil || h.GetUnit() != "ms" {
		t.Fatalf("histogram %q: got %v", histogramName, h)
	}
	type hp struct {
		Count         uint64
		Sum, Min, Max float64
		Buckets       []uint64
		Bounds        []float64
	}
	wantHist := map[string]hp{
		"/a 200": {Count: 2, Sum: 3, Min: 0.5, Max: 2.5, Buckets: []uint64{1, 1, 0, 0}, Bounds: []float64{1, 5, 10}},
		"/b 500": {Count: 1, Sum: 12, Min: 12, Max: 12, Buckets: []uint64{0, 0, 0, 1}, Bounds: []float64{1, 5, 10}},
	}
	gotHist := map[string]hp{}
	for _, p := range h.GetHistogram().GetDataPoints() {
		gotHist[pointKey(otlptest.AttrMap(p.GetAttributes()))] = hp{p.GetCount(), p.GetSum(), p.GetMin(), p.GetMax(), p.GetBucketCounts(), p.GetExplicitBounds()}
	}
	if !reflect.DeepEqual(gotHist, wantHist) {
		t.Errorf("histogram points:\n got %+v\nwant %+v", gotHist, wantHist)
	}

	g := byName[gaugeName].Metric.GetGauge()
	if g == nil || len(g.GetDataPoints()) != 1 {
		t.Fatalf("gauge %q: got %v", gaugeName, byName[gaugeName].Metric)
	}
	gp := g.GetDataPoints()[0]
	if gp.GetAsInt() != 17 || !reflect.DeepEqual(otlptest.AttrMap(gp.GetAttributes()), map[string]any{"e2e.tricky": tricky}) {
		t.Errorf("gauge point %d %v, want 17 {e2e.tricky: %q}", gp.GetAsInt(), otlptest.AttrMap(gp.GetAttributes()), tricky)
	}

	total := 0
	for _, m := range sink.Metrics() {
		total += otlptest.Metric{Metric: m.Metric}.DataPoints()
	}
	if total != metricPoints {
		t.Errorf("%d data points arrived in all, want %d", total, metricPoints)
	}
}
