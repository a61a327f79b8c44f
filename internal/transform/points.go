package transform

import (
	"time"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

func numberPoints[N int64 | float64](a *metricArena, pts []metricdata.DataPoint[N]) []*metricspb.NumberDataPoint {
	out := a.numberPtrs.make(len(pts))
	for i := range out {
		p := &pts[i]
		o := a.numbers.new()
		o.Attributes = a.set(&p.Attributes)
		o.StartTimeUnixNano = timeUnixNano(p.StartTime)
		o.TimeUnixNano = timeUnixNano(p.Time)
		o.Exemplars = exemplars(a, p.Exemplars)
		switch v := any(p.Value).(type) {
		case int64:
			w := a.asInts.new()
			w.AsInt = v
			o.Value = w
		case float64:
			w := a.asDoubles.new()
			w.AsDouble = v
			o.Value = w
		}
		out[i] = o
	}
	return out
}

func histPoints[N int64 | float64](a *metricArena, pts []metricdata.HistogramDataPoint[N]) []*metricspb.HistogramDataPoint {
	out := a.histPtrs.make(len(pts))
	for i := range out {
		p := &pts[i]
		o := a.histPts.new()
		o.Attributes = a.set(&p.Attributes)
		o.StartTimeUnixNano = timeUnixNano(p.StartTime)
		o.TimeUnixNano = timeUnixNano(p.Time)
		o.Count = p.Count
		o.Sum = a.float(float64(p.Sum))
		o.BucketCounts = p.BucketCounts
		o.ExplicitBounds = p.Bounds
		o.Exemplars = exemplars(a, p.Exemplars)
		if v, ok := p.Min.Value(); ok {
			o.Min = a.float(float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			o.Max = a.float(float64(v))
		}
		out[i] = o
	}
	return out
}

func expHistPoints[N int64 | float64](
	a *metricArena, pts []metricdata.ExponentialHistogramDataPoint[N],
) []*metricspb.ExponentialHistogramDataPoint {
	out := a.expHistPtrs.make(len(pts))
	for i := range out {
		p := &pts[i]
		o := a.expHistPts.new()
		o.Attributes = a.set(&p.Attributes)
		o.StartTimeUnixNano = timeUnixNano(p.StartTime)
		o.TimeUnixNano = timeUnixNano(p.Time)
		o.Count = p.Count
		o.Sum = a.float(float64(p.Sum))
		o.Scale = p.Scale
		o.ZeroCount = p.ZeroCount
		o.ZeroThreshold = p.ZeroThreshold
		o.Exemplars = exemplars(a, p.Exemplars)
		o.Positive = a.bucket(&p.PositiveBucket)
		o.Negative = a.bucket(&p.NegativeBucket)
		if v, ok := p.Min.Value(); ok {
			o.Min = a.float(float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			o.Max = a.float(float64(v))
		}
		out[i] = o
	}
	return out
}

func (a *metricArena) bucket(b *metricdata.ExponentialBucket) *metricspb.ExponentialHistogramDataPoint_Buckets {
	o := a.buckets.new()
	o.Offset = b.Offset
	o.BucketCounts = b.Counts
	return o
}

func (a *metricArena) summaryPoints(pts []metricdata.SummaryDataPoint) []*metricspb.SummaryDataPoint {
	out := a.summaryPtrs.make(len(pts))
	for i := range out {
		p := &pts[i]
		o := a.summaryPts.new()
		o.Attributes = a.set(&p.Attributes)
		o.StartTimeUnixNano = timeUnixNano(p.StartTime)
		o.TimeUnixNano = timeUnixNano(p.Time)
		o.Count = p.Count
		o.Sum = p.Sum
		o.QuantileValues = a.quantilePtrs.make(len(p.QuantileValues))
		for j, q := range p.QuantileValues {
			v := a.quantiles.new()
			v.Quantile = q.Quantile
			v.Value = q.Value
			o.QuantileValues[j] = v
		}
		out[i] = o
	}
	return out
}

func exemplars[N int64 | float64](a *metricArena, ex []metricdata.Exemplar[N]) []*metricspb.Exemplar {
	out := a.exemplarPtrs.make(len(ex))
	for i := range out {
		e := &ex[i]
		o := a.exemplars.new()
		o.FilteredAttributes = a.keyValues(e.FilteredAttributes)
		o.TimeUnixNano = timeUnixNano(e.Time)
		o.SpanId = e.SpanID
		o.TraceId = e.TraceID
		switch v := any(e.Value).(type) {
		case int64:
			w := a.exInts.new()
			w.AsInt = v
			o.Value = w
		case float64:
			w := a.exDoubles.new()
			w.AsDouble = v
			o.Value = w
		}
		out[i] = o
	}
	return out
}

func (a *metricArena) float(v float64) *float64 {
	p := a.floats.new()
	*p = v
	return p
}

// timeUnixNano returns t as nanoseconds since the Unix epoch, and 0 for times
// before it (including the zero time), as the SDK exporters do.
func timeUnixNano(t time.Time) uint64 {
	return uint64(max(0, t.UnixNano())) //nolint:gosec // Negative values are clamped.
}
