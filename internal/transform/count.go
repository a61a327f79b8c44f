package transform

import (
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// DataPointCount returns the number of data points in rm: each point of a
// gauge, sum, histogram, exponential histogram or summary counts one.
// Metrics of an aggregation type this package does not know hold no points
// it can count and count zero. A nil rm counts zero.
func DataPointCount(rm *metricdata.ResourceMetrics) int {
	if rm == nil {
		return 0
	}
	n := 0
	for i := range rm.ScopeMetrics {
		ms := rm.ScopeMetrics[i].Metrics
		for j := range ms {
			n += pointCount(ms[j].Data)
		}
	}
	return n
}

// pointCount returns the number of data points in d.
func pointCount(d metricdata.Aggregation) int {
	switch d := d.(type) {
	case metricdata.Gauge[int64]:
		return len(d.DataPoints)
	case metricdata.Gauge[float64]:
		return len(d.DataPoints)
	case metricdata.Sum[int64]:
		return len(d.DataPoints)
	case metricdata.Sum[float64]:
		return len(d.DataPoints)
	case metricdata.Histogram[int64]:
		return len(d.DataPoints)
	case metricdata.Histogram[float64]:
		return len(d.DataPoints)
	case metricdata.ExponentialHistogram[int64]:
		return len(d.DataPoints)
	case metricdata.ExponentialHistogram[float64]:
		return len(d.DataPoints)
	case metricdata.Summary:
		return len(d.DataPoints)
	}
	return 0
}

// metricCounts is what converting a ResourceMetrics will need, counted in a
// cheap first pass so each slab is allocated once at its final size.
type metricCounts struct {
	scopes, metrics                            int
	gauges, sums, hists, expHists, summaries   int // metrics by kind
	ints, doubles                              int // gauge and sum points by value type
	histPts, expHistPts, summaryPts, quantiles int
	exemplars, exInts, exDoubles               int
	floats                                     int // histogram sums, mins and maxes
	values                                     valueCounts
}

func countMetrics(rm *metricdata.ResourceMetrics) *metricCounts {
	c := &metricCounts{scopes: len(rm.ScopeMetrics)}
	c.values.addSet(rm.Resource.Set())
	for i := range rm.ScopeMetrics {
		sm := &rm.ScopeMetrics[i]
		c.values.addSet(&sm.Scope.Attributes)
		c.metrics += len(sm.Metrics)
		for j := range sm.Metrics {
			c.add(sm.Metrics[j].Data)
		}
	}
	return c
}

func (c *metricCounts) add(d metricdata.Aggregation) {
	switch d := d.(type) {
	case metricdata.Gauge[int64]:
		c.gauges++
		countNumbers(c, d.DataPoints)
	case metricdata.Gauge[float64]:
		c.gauges++
		countNumbers(c, d.DataPoints)
	case metricdata.Sum[int64]:
		c.sums++
		countNumbers(c, d.DataPoints)
	case metricdata.Sum[float64]:
		c.sums++
		countNumbers(c, d.DataPoints)
	case metricdata.Histogram[int64]:
		c.hists++
		countHists(c, d.DataPoints)
	case metricdata.Histogram[float64]:
		c.hists++
		countHists(c, d.DataPoints)
	case metricdata.ExponentialHistogram[int64]:
		c.expHists++
		countExpHists(c, d.DataPoints)
	case metricdata.ExponentialHistogram[float64]:
		c.expHists++
		countExpHists(c, d.DataPoints)
	case metricdata.Summary:
		c.summaries++
		c.summaryPts += len(d.DataPoints)
		for i := range d.DataPoints {
			c.values.addSetLen(&d.DataPoints[i].Attributes)
			c.quantiles += len(d.DataPoints[i].QuantileValues)
		}
	}
}

func countNumbers[N int64 | float64](c *metricCounts, pts []metricdata.DataPoint[N]) {
	if isInt[N]() {
		c.ints += len(pts)
	} else {
		c.doubles += len(pts)
	}
	for i := range pts {
		c.values.addSetLen(&pts[i].Attributes)
		countExemplars(c, pts[i].Exemplars)
	}
}

func countHists[N int64 | float64](c *metricCounts, pts []metricdata.HistogramDataPoint[N]) {
	c.histPts += len(pts)
	c.floats += 3 * len(pts) // sum, min, max
	for i := range pts {
		c.values.addSetLen(&pts[i].Attributes)
		countExemplars(c, pts[i].Exemplars)
	}
}

func countExpHists[N int64 | float64](c *metricCounts, pts []metricdata.ExponentialHistogramDataPoint[N]) {
	c.expHistPts += len(pts)
	c.floats += 3 * len(pts) // sum, min, max
	for i := range pts {
		c.values.addSetLen(&pts[i].Attributes)
		countExemplars(c, pts[i].Exemplars)
	}
}

func countExemplars[N int64 | float64](c *metricCounts, ex []metricdata.Exemplar[N]) {
	c.exemplars += len(ex)
	if isInt[N]() {
		c.exInts += len(ex)
	} else {
		c.exDoubles += len(ex)
	}
	for i := range ex {
		c.values.addKeyValues(ex[i].FilteredAttributes)
	}
}

// isInt reports whether N is int64.
func isInt[N int64 | float64]() bool {
	var zero N
	_, ok := any(zero).(int64)
	return ok
}
