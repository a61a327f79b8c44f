package transform

import (
	"errors"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

// ResourceMetrics converts SDK metric data to its OTLP form, exactly as the
// SDK's OTLP metric exporters would send it.
//
// A metric that cannot be converted (an unknown aggregation type, or a sum or
// histogram of unknown temporality) is left out and reported in the returned
// error, which joins one [*MetricError] per such metric; everything else is
// kept, and a scope whose metrics were all left out is still sent, as the SDK
// does. Check the error with errors.Is against [ErrUnknownAggregation] or
// [ErrUnknownTemporality], or errors.As with *MetricError. A nil rm converts
// to nil.
//
// The result shares bucket counts, bounds and exemplar trace and span ids with
// rm: neither may be changed while the other is in use.
func ResourceMetrics(rm *metricdata.ResourceMetrics) (*metricspb.ResourceMetrics, error) {
	if rm == nil {
		return nil, nil
	}
	a := newMetricArena(countMetrics(rm))
	out := &metricspb.ResourceMetrics{
		Resource:     a.resource(rm.Resource),
		ScopeMetrics: a.scopePtrs.make(len(rm.ScopeMetrics)),
		SchemaUrl:    rm.Resource.SchemaURL(),
	}
	var errs []error
	for i := range rm.ScopeMetrics {
		sm := &rm.ScopeMetrics[i]
		o := a.scopeMetrics.new()
		o.Scope = a.scope(&sm.Scope)
		o.SchemaUrl = sm.Scope.SchemaURL
		ms := a.metricPtrs.make(len(sm.Metrics))
		n := 0
		for j := range sm.Metrics {
			m, err := a.metric(&sm.Metrics[j])
			if err != nil {
				errs = append(errs, newMetricError(sm.Scope.Name, &sm.Metrics[j], err))
				continue
			}
			ms[n] = m
			n++
		}
		if n > 0 {
			o.Metrics = ms[:n:n]
		}
		out.ScopeMetrics[i] = o
	}
	return out, errors.Join(errs...)
}

// metricArena converts metrics, carving the OTLP messages out of slabs sized
// by a counting pass.
type metricArena struct {
	attrArena
	scopeMetrics slab[metricspb.ScopeMetrics]
	scopePtrs    slab[*metricspb.ScopeMetrics]
	metrics      slab[metricspb.Metric]
	metricPtrs   slab[*metricspb.Metric]

	gauges    slab[metricspb.Gauge]
	mGauges   slab[metricspb.Metric_Gauge]
	sums      slab[metricspb.Sum]
	mSums     slab[metricspb.Metric_Sum]
	hists     slab[metricspb.Histogram]
	mHists    slab[metricspb.Metric_Histogram]
	expHists  slab[metricspb.ExponentialHistogram]
	mExpHists slab[metricspb.Metric_ExponentialHistogram]
	summaries slab[metricspb.Summary]
	mSummary  slab[metricspb.Metric_Summary]

	numbers      slab[metricspb.NumberDataPoint]
	numberPtrs   slab[*metricspb.NumberDataPoint]
	asInts       slab[metricspb.NumberDataPoint_AsInt]
	asDoubles    slab[metricspb.NumberDataPoint_AsDouble]
	histPts      slab[metricspb.HistogramDataPoint]
	histPtrs     slab[*metricspb.HistogramDataPoint]
	expHistPts   slab[metricspb.ExponentialHistogramDataPoint]
	expHistPtrs  slab[*metricspb.ExponentialHistogramDataPoint]
	buckets      slab[metricspb.ExponentialHistogramDataPoint_Buckets]
	summaryPts   slab[metricspb.SummaryDataPoint]
	summaryPtrs  slab[*metricspb.SummaryDataPoint]
	quantiles    slab[metricspb.SummaryDataPoint_ValueAtQuantile]
	quantilePtrs slab[*metricspb.SummaryDataPoint_ValueAtQuantile]
	exemplars    slab[metricspb.Exemplar]
	exemplarPtrs slab[*metricspb.Exemplar]
	exInts       slab[metricspb.Exemplar_AsInt]
	exDoubles    slab[metricspb.Exemplar_AsDouble]
	floats       slab[float64]
}

func newMetricArena(c *metricCounts) *metricArena {
	a := new(metricArena)
	a.reserve(&c.values)
	a.scopes.reserve(c.scopes)
	a.res.reserve(1)
	a.scopeMetrics.reserve(c.scopes)
	a.scopePtrs.reserve(c.scopes)
	a.metrics.reserve(c.metrics)
	a.metricPtrs.reserve(c.metrics)
	a.gauges.reserve(c.gauges)
	a.mGauges.reserve(c.gauges)
	a.sums.reserve(c.sums)
	a.mSums.reserve(c.sums)
	a.hists.reserve(c.hists)
	a.mHists.reserve(c.hists)
	a.expHists.reserve(c.expHists)
	a.mExpHists.reserve(c.expHists)
	a.summaries.reserve(c.summaries)
	a.mSummary.reserve(c.summaries)
	a.numbers.reserve(c.ints + c.doubles)
	a.numberPtrs.reserve(c.ints + c.doubles)
	a.asInts.reserve(c.ints)
	a.asDoubles.reserve(c.doubles)
	a.histPts.reserve(c.histPts)
	a.histPtrs.reserve(c.histPts)
	a.expHistPts.reserve(c.expHistPts)
	a.expHistPtrs.reserve(c.expHistPts)
	a.buckets.reserve(2 * c.expHistPts)
	a.summaryPts.reserve(c.summaryPts)
	a.summaryPtrs.reserve(c.summaryPts)
	a.quantiles.reserve(c.quantiles)
	a.quantilePtrs.reserve(c.quantiles)
	a.exemplars.reserve(c.exemplars)
	a.exemplarPtrs.reserve(c.exemplars)
	a.exInts.reserve(c.exInts)
	a.exDoubles.reserve(c.exDoubles)
	a.floats.reserve(c.floats)
	return a
}

// metric converts m, or reports why it cannot.
func (a *metricArena) metric(m *metricdata.Metrics) (*metricspb.Metric, error) {
	out := a.metrics.new()
	out.Name = m.Name
	out.Description = m.Description
	out.Unit = m.Unit
	var err error
	switch d := m.Data.(type) {
	case metricdata.Gauge[int64]:
		out.Data = gauge(a, d.DataPoints)
	case metricdata.Gauge[float64]:
		out.Data = gauge(a, d.DataPoints)
	case metricdata.Sum[int64]:
		out.Data, err = sum(a, d)
	case metricdata.Sum[float64]:
		out.Data, err = sum(a, d)
	case metricdata.Histogram[int64]:
		out.Data, err = histogram(a, d)
	case metricdata.Histogram[float64]:
		out.Data, err = histogram(a, d)
	case metricdata.ExponentialHistogram[int64]:
		out.Data, err = expHistogram(a, d)
	case metricdata.ExponentialHistogram[float64]:
		out.Data, err = expHistogram(a, d)
	case metricdata.Summary:
		out.Data = a.summary(d.DataPoints)
	default:
		err = ErrUnknownAggregation
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// temporality converts t; an unknown temporality is an error, and the SDK
// exporters drop such a metric too.
func temporality(t metricdata.Temporality) (metricspb.AggregationTemporality, error) {
	switch t {
	case metricdata.DeltaTemporality:
		return metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA, nil
	case metricdata.CumulativeTemporality:
		return metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE, nil
	}
	return metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_UNSPECIFIED, ErrUnknownTemporality
}

func gauge[N int64 | float64](a *metricArena, pts []metricdata.DataPoint[N]) *metricspb.Metric_Gauge {
	g := a.gauges.new()
	g.DataPoints = numberPoints(a, pts)
	w := a.mGauges.new()
	w.Gauge = g
	return w
}

func sum[N int64 | float64](a *metricArena, d metricdata.Sum[N]) (*metricspb.Metric_Sum, error) {
	t, err := temporality(d.Temporality)
	if err != nil {
		return nil, err
	}
	s := a.sums.new()
	s.AggregationTemporality = t
	s.IsMonotonic = d.IsMonotonic
	s.DataPoints = numberPoints(a, d.DataPoints)
	w := a.mSums.new()
	w.Sum = s
	return w, nil
}

func histogram[N int64 | float64](a *metricArena, d metricdata.Histogram[N]) (*metricspb.Metric_Histogram, error) {
	t, err := temporality(d.Temporality)
	if err != nil {
		return nil, err
	}
	h := a.hists.new()
	h.AggregationTemporality = t
	h.DataPoints = histPoints(a, d.DataPoints)
	w := a.mHists.new()
	w.Histogram = h
	return w, nil
}

func expHistogram[N int64 | float64](
	a *metricArena, d metricdata.ExponentialHistogram[N],
) (*metricspb.Metric_ExponentialHistogram, error) {
	t, err := temporality(d.Temporality)
	if err != nil {
		return nil, err
	}
	h := a.expHists.new()
	h.AggregationTemporality = t
	h.DataPoints = expHistPoints(a, d.DataPoints)
	w := a.mExpHists.new()
	w.ExponentialHistogram = h
	return w, nil
}

func (a *metricArena) summary(pts []metricdata.SummaryDataPoint) *metricspb.Metric_Summary {
	s := a.summaries.new()
	s.DataPoints = a.summaryPoints(pts)
	w := a.mSummary.new()
	w.Summary = s
	return w
}
