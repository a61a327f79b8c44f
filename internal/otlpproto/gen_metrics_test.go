package otlpproto

import (
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

// Metric builders of gen, which is documented in gen_test.go.

func (g *gen) metric() *metricspb.Metric {
	if g.byte()%8 == 0 {
		return nil
	}
	m := &metricspb.Metric{Name: g.str(), Description: g.str(), Unit: g.str(), Metadata: g.keyValues(0)}
	temporality := func() metricspb.AggregationTemporality { return metricspb.AggregationTemporality(g.i32()) }
	nilData := g.byte()%6 == 0
	switch g.byte() % 7 {
	case 0:
		m.Data = &metricspb.Metric_Gauge{}
		if !nilData {
			m.Data = &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{DataPoints: list(g, 3, g.numberPoint)}}
		}
	case 1:
		m.Data = &metricspb.Metric_Sum{}
		if !nilData {
			m.Data = &metricspb.Metric_Sum{Sum: &metricspb.Sum{DataPoints: list(g, 3, g.numberPoint), AggregationTemporality: temporality(), IsMonotonic: g.byte()%2 == 1}}
		}
	case 2:
		m.Data = &metricspb.Metric_Histogram{}
		if !nilData {
			m.Data = &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{DataPoints: list(g, 3, g.histogramPoint), AggregationTemporality: temporality()}}
		}
	case 3:
		m.Data = &metricspb.Metric_ExponentialHistogram{}
		if !nilData {
			m.Data = &metricspb.Metric_ExponentialHistogram{ExponentialHistogram: &metricspb.ExponentialHistogram{
				DataPoints: list(g, 3, g.exponentialPoint), AggregationTemporality: temporality(),
			}}
		}
	case 4:
		m.Data = &metricspb.Metric_Summary{}
		if !nilData {
			m.Data = &metricspb.Metric_Summary{Summary: &metricspb.Summary{DataPoints: list(g, 3, g.summaryPoint)}}
		}
	case 5:
		m.Data = (*metricspb.Metric_Sum)(nil)
	}
	return m
}

func (g *gen) exemplars() []*metricspb.Exemplar {
	return list(g, 2, func() *metricspb.Exemplar {
		if g.byte()%8 == 0 {
			return nil
		}
		x := &metricspb.Exemplar{FilteredAttributes: g.keyValues(0), TimeUnixNano: g.u64(), SpanId: g.bytes(), TraceId: g.bytes()}
		switch g.byte() % 4 {
		case 1:
			x.Value = &metricspb.Exemplar_AsDouble{AsDouble: g.f64()}
		case 2:
			x.Value = &metricspb.Exemplar_AsInt{AsInt: int64(g.u64())}
		case 3:
			x.Value = (*metricspb.Exemplar_AsInt)(nil)
		}
		return x
	})
}

func (g *gen) numberPoint() *metricspb.NumberDataPoint {
	if g.byte()%8 == 0 {
		return nil
	}
	p := &metricspb.NumberDataPoint{
		Attributes: g.keyValues(0), StartTimeUnixNano: g.u64(), TimeUnixNano: g.u64(),
		Exemplars: g.exemplars(), Flags: uint32(g.u64()),
	}
	switch g.byte() % 4 {
	case 1:
		p.Value = &metricspb.NumberDataPoint_AsDouble{AsDouble: g.f64()}
	case 2:
		p.Value = &metricspb.NumberDataPoint_AsInt{AsInt: int64(g.u64())}
	case 3:
		p.Value = (*metricspb.NumberDataPoint_AsDouble)(nil)
	}
	return p
}

func (g *gen) histogramPoint() *metricspb.HistogramDataPoint {
	if g.byte()%8 == 0 {
		return nil
	}
	return &metricspb.HistogramDataPoint{
		Attributes: g.keyValues(0), StartTimeUnixNano: g.u64(), TimeUnixNano: g.u64(), Count: g.u64(), Sum: g.optF64(),
		BucketCounts: list(g, 20, g.u64), ExplicitBounds: list(g, 20, g.f64), Exemplars: g.exemplars(),
		Flags: uint32(g.u64()), Min: g.optF64(), Max: g.optF64(),
	}
}

func (g *gen) buckets() *metricspb.ExponentialHistogramDataPoint_Buckets {
	if g.byte()%3 == 0 {
		return nil
	}
	return &metricspb.ExponentialHistogramDataPoint_Buckets{Offset: g.i32(), BucketCounts: list(g, 40, g.u64)}
}

func (g *gen) exponentialPoint() *metricspb.ExponentialHistogramDataPoint {
	if g.byte()%8 == 0 {
		return nil
	}
	return &metricspb.ExponentialHistogramDataPoint{
		Attributes: g.keyValues(0), StartTimeUnixNano: g.u64(), TimeUnixNano: g.u64(), Count: g.u64(), Sum: g.optF64(),
		Scale: g.i32(), ZeroCount: g.u64(), Positive: g.buckets(), Negative: g.buckets(), Flags: uint32(g.u64()),
		Exemplars: g.exemplars(), Min: g.optF64(), Max: g.optF64(), ZeroThreshold: g.f64(),
	}
}

func (g *gen) summaryPoint() *metricspb.SummaryDataPoint {
	if g.byte()%8 == 0 {
		return nil
	}
	return &metricspb.SummaryDataPoint{
		Attributes: g.keyValues(0), StartTimeUnixNano: g.u64(), TimeUnixNano: g.u64(), Count: g.u64(), Sum: g.f64(),
		QuantileValues: list(g, 3, func() *metricspb.SummaryDataPoint_ValueAtQuantile {
			if g.byte()%4 == 0 {
				return nil
			}
			return &metricspb.SummaryDataPoint_ValueAtQuantile{Quantile: g.f64(), Value: g.f64()}
		}),
		Flags: uint32(g.u64()),
	}
}
