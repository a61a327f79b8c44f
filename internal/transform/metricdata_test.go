package transform

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Test data for the metric tests, built literally.

var (
	t0 = time.Unix(1_700_000_000, 123_456_789).UTC()
	t1 = t0.Add(1500 * time.Millisecond)

	traceID = []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	spanID  = []byte{0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11}
)

// allKinds returns one attribute of every kind, nested ones included.
func allKinds(prefix string) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String(prefix+"str", "value"),
		attribute.String(prefix+"str.empty", ""),
		attribute.Int64(prefix+"int", -42),
		attribute.Float64(prefix+"float", 3.25),
		attribute.Bool(prefix+"bool", true),
		attribute.Bool(prefix+"bool.false", false),
		attribute.StringSlice(prefix+"strs", []string{"a", "", "c"}),
		attribute.Int64Slice(prefix+"ints", []int64{1, -2, 3}),
		attribute.Float64Slice(prefix+"floats", []float64{0.5, -1.5}),
		attribute.BoolSlice(prefix+"bools", []bool{true, false}),
		attribute.StringSlice(prefix+"strs.empty", []string{}),
		attribute.ByteSlice(prefix+"bytes", []byte{0, 1, 2, 0xff}),
		attribute.ByteSlice(prefix+"bytes.empty", []byte{}),
		attribute.Slice(prefix+"slice",
			attribute.StringValue("x"), attribute.Int64Value(7), attribute.Value{},
			attribute.SliceValue(attribute.BoolValue(true), attribute.Float64Value(2.5)),
			attribute.MapValue(attribute.String("k", "v")),
		),
		attribute.Map(prefix+"map",
			attribute.String("b", "2"), attribute.Int64("a", 1),
			attribute.Map("nested", attribute.ByteSlice("raw", []byte("hi")), attribute.Slice("list")),
		),
		attribute.Map(prefix + "map.empty"),
	}
}

func exemplarsOf[N int64 | float64](v N) []metricdata.Exemplar[N] {
	return []metricdata.Exemplar[N]{
		{
			FilteredAttributes: []attribute.KeyValue{attribute.String("user", "u1"), attribute.Int("shard", 3)},
			Time:               t1,
			Value:              v,
			SpanID:             spanID,
			TraceID:            traceID,
		},
		{Time: t0, Value: v + 1}, // No trace context and no filtered attributes.
	}
}

func set(kvs ...attribute.KeyValue) attribute.Set { return attribute.NewSet(kvs...) }

// literalMetrics covers every aggregation and every field the SDK sends.
func literalMetrics() *metricdata.ResourceMetrics {
	res := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0",
		append(allKinds("res."), attribute.String("service.name", "svc"))...)
	withMinMax := metricdata.HistogramDataPoint[float64]{
		Attributes: set(attribute.String("route", "/a")), StartTime: t0, Time: t1,
		Count: 6, Bounds: []float64{0, 5, 10}, BucketCounts: []uint64{1, 2, 3, 0},
		Min: metricdata.NewExtrema(-1.5), Max: metricdata.NewExtrema(9.75), Sum: 30.5,
		Exemplars: exemplarsOf(4.5),
	}
	noMinMax := metricdata.HistogramDataPoint[int64]{
		Attributes: set(), StartTime: t0, Time: t1, Count: 0,
		Bounds: []float64{1}, BucketCounts: []uint64{0, 0},
	}
	expPoint := metricdata.ExponentialHistogramDataPoint[float64]{
		Attributes: set(attribute.Bool("ok", true)), StartTime: t0, Time: t1,
		Count: 12, Min: metricdata.NewExtrema(-8.0), Max: metricdata.NewExtrema(16.0), Sum: 21.25,
		Scale: 3, ZeroCount: 2, ZeroThreshold: 1e-9,
		PositiveBucket: metricdata.ExponentialBucket{Offset: -2, Counts: []uint64{1, 0, 3, 2}},
		NegativeBucket: metricdata.ExponentialBucket{Offset: 4, Counts: []uint64{2, 2}},
		Exemplars:      exemplarsOf(1.0),
	}
	expInt := metricdata.ExponentialHistogramDataPoint[int64]{
		Attributes: set(), Time: t1, Count: 3, Sum: 9, Scale: -1, ZeroCount: 3,
		Exemplars: exemplarsOf[int64](5),
	}
	return &metricdata.ResourceMetrics{
		Resource: res,
		ScopeMetrics: []metricdata.ScopeMetrics{
			{
				Scope: instrumentation.Scope{
					Name: "github.com/otelkit/otelkit/a", Version: "v1.2.3",
					SchemaURL:  "https://opentelemetry.io/schemas/1.24.0",
					Attributes: set(allKinds("scope.")...),
				},
				Metrics: []metricdata.Metrics{
					{Name: "gauge.int", Description: "an int gauge", Unit: "{item}", Data: metricdata.Gauge[int64]{
						DataPoints: []metricdata.DataPoint[int64]{
							{Attributes: set(allKinds("dp.")...), Time: t1, Value: -7, Exemplars: exemplarsOf[int64](3)},
							{Attributes: set(attribute.String("a", "b")), StartTime: t0, Time: t1, Value: 0},
						},
					}},
					{Name: "gauge.float", Data: metricdata.Gauge[float64]{
						DataPoints: []metricdata.DataPoint[float64]{{Time: t1, Value: 2.5}},
					}},
					{Name: "sum.mono.cumulative", Unit: "By", Data: metricdata.Sum[int64]{
						Temporality: metricdata.CumulativeTemporality, IsMonotonic: true,
						DataPoints: []metricdata.DataPoint[int64]{
							{Attributes: set(attribute.Int("code", 200)), StartTime: t0, Time: t1, Value: 1 << 40, Exemplars: exemplarsOf[int64](9)},
						},
					}},
					{Name: "sum.mono.delta", Data: metricdata.Sum[float64]{
						Temporality: metricdata.DeltaTemporality, IsMonotonic: true,
						DataPoints: []metricdata.DataPoint[float64]{{StartTime: t0, Time: t1, Value: 0.125}},
					}},
					{Name: "sum.updown.cumulative", Data: metricdata.Sum[float64]{
						Temporality: metricdata.CumulativeTemporality,
						DataPoints:  []metricdata.DataPoint[float64]{{StartTime: t0, Time: t1, Value: -3.5}},
					}},
					{Name: "sum.updown.delta", Data: metricdata.Sum[int64]{
						Temporality: metricdata.DeltaTemporality,
						DataPoints: []metricdata.DataPoint[int64]{
							{StartTime: t0, Time: t1, Value: -1},
							{Attributes: set(attribute.String("x", "y")), StartTime: t0, Time: t1, Value: 2},
						},
					}},
					{Name: "sum.empty", Data: metricdata.Sum[int64]{Temporality: metricdata.DeltaTemporality}},
				},
			},
			{
				Scope: instrumentation.Scope{Name: "b"},
				Metrics: []metricdata.Metrics{
					{Name: "hist.float", Unit: "s", Data: metricdata.Histogram[float64]{
						Temporality: metricdata.DeltaTemporality,
						DataPoints:  []metricdata.HistogramDataPoint[float64]{withMinMax},
					}},
					{Name: "hist.int", Data: metricdata.Histogram[int64]{
						Temporality: metricdata.CumulativeTemporality,
						DataPoints:  []metricdata.HistogramDataPoint[int64]{noMinMax},
					}},
					{Name: "exphist.float", Data: metricdata.ExponentialHistogram[float64]{
						Temporality: metricdata.CumulativeTemporality,
						DataPoints:  []metricdata.ExponentialHistogramDataPoint[float64]{expPoint},
					}},
					{Name: "exphist.int", Data: metricdata.ExponentialHistogram[int64]{
						Temporality: metricdata.DeltaTemporality,
						DataPoints:  []metricdata.ExponentialHistogramDataPoint[int64]{expInt},
					}},
					{Name: "summary", Description: "quantiles", Data: metricdata.Summary{
						DataPoints: []metricdata.SummaryDataPoint{
							{
								Attributes: set(attribute.String("q", "all")), StartTime: t0, Time: t1,
								Count: 10, Sum: 55.5,
								QuantileValues: []metricdata.QuantileValue{{Quantile: 0, Value: 1}, {Quantile: 0.5, Value: 5}, {Quantile: 1, Value: 10}},
							},
							{Time: t1},
						},
					}},
				},
			},
			{}, // The zero scope, with no metrics.
		},
	}
}

// literalPoints is the number of data points in literalMetrics.
const literalPoints = 2 + 1 + 1 + 1 + 1 + 2 + 0 + 1 + 1 + 1 + 1 + 2
