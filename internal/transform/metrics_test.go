package transform

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/exemplar"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

// providerMetrics records through a real MeterProvider and collects with a
// ManualReader of the given temporality.
func providerMetrics(t *testing.T, temporality metricdata.Temporality) *metricdata.ResourceMetrics {
	t.Helper()
	reader := sdkmetric.NewManualReader(sdkmetric.WithTemporalitySelector(
		func(sdkmetric.InstrumentKind) metricdata.Temporality { return temporality }))
	mp := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(reader),
		sdkmetric.WithResource(resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0",
			attribute.String("service.name", "transform-test"), attribute.Int("pid", 42))),
		sdkmetric.WithExemplarFilter(exemplar.AlwaysOnFilter),
		sdkmetric.WithView(
			sdkmetric.NewView(sdkmetric.Instrument{Name: "exp.*"}, sdkmetric.Stream{
				Aggregation: sdkmetric.AggregationBase2ExponentialHistogram{MaxSize: 160, MaxScale: 20},
			}),
			// Keys filtered out of the stream show up as exemplar filtered attributes.
			sdkmetric.NewView(sdkmetric.Instrument{Name: "requests"}, sdkmetric.Stream{
				AttributeFilter: attribute.NewAllowKeysFilter("route"),
			}),
		),
	)
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })

	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID(traceID), SpanID: trace.SpanID(spanID), TraceFlags: trace.FlagsSampled,
	})
	ctx := trace.ContextWithSpanContext(t.Context(), sc)
	a := mp.Meter("github.com/otelkit/otelkit/a", metric.WithInstrumentationVersion("v0.1.0"),
		metric.WithSchemaURL("https://opentelemetry.io/schemas/1.24.0"),
		metric.WithInstrumentationAttributes(attribute.String("lib", "a")))
	b := mp.Meter("b")

	requests, _ := a.Int64Counter("requests", metric.WithUnit("{request}"), metric.WithDescription("requests served"))
	requests.Add(ctx, 3, metric.WithAttributes(attribute.String("route", "/x"), attribute.String("user", "u1")))
	requests.Add(ctx, 2, metric.WithAttributes(attribute.String("route", "/y"), attribute.Int("shard", 2)))
	bytesIn, _ := a.Float64Counter("bytes.in", metric.WithUnit("By"))
	bytesIn.Add(context.Background(), 1.5) // No span: exemplar without trace context.
	active, _ := a.Int64UpDownCounter("active")
	active.Add(ctx, 5)
	active.Add(ctx, -7, metric.WithAttributes(attribute.Bool("idle", true)))
	level, _ := b.Float64UpDownCounter("level")
	level.Add(ctx, -0.25)
	latency, _ := a.Float64Histogram("latency", metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.01, 0.1, 1, 10))
	for _, v := range []float64{0.005, 0.05, 0.5, 5, 50} {
		latency.Record(ctx, v, metric.WithAttributes(attribute.String("method", "GET")))
	}
	size, _ := b.Int64Histogram("size")
	size.Record(ctx, 512)
	expH, _ := b.Float64Histogram("exp.float")
	for _, v := range []float64{-3, -0.5, 0, 0.001, 1, 2, 2.5, 1000} {
		expH.Record(ctx, v)
	}
	expI, _ := b.Int64Histogram("exp.int")
	expI.Record(ctx, 7, metric.WithAttributes(attribute.StringSlice("tags", []string{"p", "q"})))
	temp, _ := b.Float64Gauge("temperature")
	temp.Record(ctx, 21.5)
	queue, _ := b.Int64Gauge("queue")
	queue.Record(ctx, 9)
	_, _ = b.Int64ObservableCounter("observed", metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(100, metric.WithAttributes(attribute.Int("cpu", 0)))
		o.Observe(200, metric.WithAttributes(attribute.Int("cpu", 1)))
		return nil
	}))

	rm := new(metricdata.ResourceMetrics)
	if err := reader.Collect(t.Context(), rm); err != nil {
		t.Fatalf("collect: %v", err)
	}
	return rm
}

// bogus is an aggregation this package does not know.
type bogus struct{ metricdata.Gauge[int64] }

func invalidMetrics() *metricdata.ResourceMetrics {
	pts := []metricdata.DataPoint[int64]{{Time: t1, Value: 1}, {Time: t1, Value: 2}}
	return &metricdata.ResourceMetrics{
		Resource: resource.NewSchemaless(attribute.String("service.name", "svc")),
		ScopeMetrics: []metricdata.ScopeMetrics{
			{Scope: instrumentation.Scope{Name: "s1"}, Metrics: []metricdata.Metrics{
				{Name: "good.before", Data: metricdata.Gauge[int64]{DataPoints: pts}},
				{Name: "embedded.gauge", Data: bogus{metricdata.Gauge[int64]{DataPoints: pts}}},
				{Name: "pointer.gauge", Data: &metricdata.Gauge[int64]{DataPoints: pts}},
				{Name: "nil.data"},
				{Name: "sum.undefined.temporality", Data: metricdata.Sum[int64]{DataPoints: pts}},
				{Name: "good.after", Data: metricdata.Sum[float64]{
					Temporality: metricdata.DeltaTemporality,
					DataPoints:  []metricdata.DataPoint[float64]{{Time: t1, Value: 1}},
				}},
			}},
			{Scope: instrumentation.Scope{Name: "s2"}, Metrics: []metricdata.Metrics{
				{Name: "hist.bad.temporality", Data: metricdata.Histogram[float64]{
					Temporality: metricdata.Temporality(9),
					DataPoints:  []metricdata.HistogramDataPoint[float64]{{Count: 1}},
				}},
				{Name: "exphist.bad.temporality", Data: metricdata.ExponentialHistogram[int64]{
					DataPoints: []metricdata.ExponentialHistogramDataPoint[int64]{{Count: 1}},
				}},
			}},
		},
	}
}

func TestResourceMetricsMatchesSDKExporter(t *testing.T) {
	tests := []struct {
		name    string
		rm      func(t *testing.T) *metricdata.ResourceMetrics
		wantErr bool
	}{
		{name: "literal, every aggregation and field", rm: func(*testing.T) *metricdata.ResourceMetrics { return literalMetrics() }},
		{name: "meter provider, cumulative", rm: func(t *testing.T) *metricdata.ResourceMetrics {
			return providerMetrics(t, metricdata.CumulativeTemporality)
		}},
		{name: "meter provider, delta", rm: func(t *testing.T) *metricdata.ResourceMetrics {
			return providerMetrics(t, metricdata.DeltaTemporality)
		}},
		{name: "nil resource", rm: func(*testing.T) *metricdata.ResourceMetrics {
			rm := literalMetrics()
			rm.Resource = nil
			return rm
		}},
		{name: "empty resource, no scopes", rm: func(*testing.T) *metricdata.ResourceMetrics {
			return &metricdata.ResourceMetrics{Resource: resource.Empty()}
		}},
		{name: "zero and pre-epoch times", rm: func(*testing.T) *metricdata.ResourceMetrics {
			early := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
			return &metricdata.ResourceMetrics{ScopeMetrics: []metricdata.ScopeMetrics{{Metrics: []metricdata.Metrics{
				{Name: "g", Data: metricdata.Gauge[float64]{DataPoints: []metricdata.DataPoint[float64]{
					{StartTime: early, Time: time.Time{}, Value: 1, Exemplars: []metricdata.Exemplar[float64]{{Time: early}}},
				}}},
			}}}}
		}},
		{name: "invalid metrics are dropped", rm: func(*testing.T) *metricdata.ResourceMetrics { return invalidMetrics() }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rm := tt.rm(t)
			sdkBody, sdkErr := sdkMetrics(t, rm)
			ourBody, ourErr := ourMetrics(t, rm)
			if (sdkErr != nil) != tt.wantErr || (ourErr != nil) != tt.wantErr {
				t.Fatalf("errors: SDK %v, ours %v; want error: %v", sdkErr, ourErr, tt.wantErr)
			}
			requireEqual(t, decodeMetrics(t, sdkBody), decodeMetrics(t, ourBody))
			requireSameBytes(t, sdkBody, ourBody)
		})
	}
}

func TestDataPointCount(t *testing.T) {
	if got := DataPointCount(literalMetrics()); got != literalPoints {
		t.Errorf("DataPointCount(literal) = %d, want %d", got, literalPoints)
	}
	// Points of unknown aggregations cannot be counted; those of a metric
	// dropped for its temporality can.
	if got, want := DataPointCount(invalidMetrics()), 2+2+1+1+1; got != want {
		t.Errorf("DataPointCount(invalid) = %d, want %d", got, want)
	}
	if got := DataPointCount(nil); got != 0 {
		t.Errorf("DataPointCount(nil) = %d, want 0", got)
	}
	for _, temp := range []metricdata.Temporality{metricdata.CumulativeTemporality, metricdata.DeltaTemporality} {
		rm := providerMetrics(t, temp)
		out, err := ResourceMetrics(rm)
		if err != nil {
			t.Fatalf("ResourceMetrics: %v", err)
		}
		if got, want := DataPointCount(rm), protoPoints(out); got != want || got == 0 {
			t.Errorf("%v: DataPointCount = %d, points converted = %d", temp, got, want)
		}
	}
}

// protoPoints counts the data points of out independently of the code under test.
func protoPoints(out *metricspb.ResourceMetrics) int {
	n := 0
	for _, sm := range out.GetScopeMetrics() {
		for _, m := range sm.GetMetrics() {
			n += len(m.GetGauge().GetDataPoints()) + len(m.GetSum().GetDataPoints()) +
				len(m.GetHistogram().GetDataPoints()) + len(m.GetExponentialHistogram().GetDataPoints()) +
				len(m.GetSummary().GetDataPoints())
		}
	}
	return n
}

func TestResourceMetricsNil(t *testing.T) {
	out, err := ResourceMetrics(nil)
	if out != nil || err != nil {
		t.Errorf("ResourceMetrics(nil) = %v, %v; want nil, nil", out, err)
	}
}

// Slices carved from shared arrays must have cap == len, so that a caller's
// append can never write over another message's elements.
func TestResourceMetricsSlicesAreCapped(t *testing.T) {
	out, err := ResourceMetrics(literalMetrics())
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, l, c int) {
		t.Helper()
		if l != c {
			t.Errorf("%s: len %d, cap %d", what, l, c)
		}
	}
	check("scope metrics", len(out.ScopeMetrics), cap(out.ScopeMetrics))
	check("resource attributes", len(out.Resource.Attributes), cap(out.Resource.Attributes))
	for _, sm := range out.ScopeMetrics {
		check("metrics", len(sm.Metrics), cap(sm.Metrics))
		check("scope attributes", len(sm.Scope.Attributes), cap(sm.Scope.Attributes))
		for _, m := range sm.Metrics {
			for _, p := range m.GetGauge().GetDataPoints() {
				check("point attributes", len(p.Attributes), cap(p.Attributes))
				check("exemplars", len(p.Exemplars), cap(p.Exemplars))
				for _, e := range p.Exemplars {
					check("filtered attributes", len(e.FilteredAttributes), cap(e.FilteredAttributes))
				}
			}
		}
	}
	pts := out.ScopeMetrics[0].Metrics[0].GetGauge().GetDataPoints()
	check("points", len(pts), cap(pts))
}
