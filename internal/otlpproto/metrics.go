package otlpproto

import (
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

func (e *Encoder) sizeResourceMetrics(rm *metricspb.ResourceMetrics) int {
	i := e.reserve()
	n := 0
	if rm != nil {
		if rm.Resource != nil {
			n += sizeLen(e.sizeResource(rm.Resource))
		}
		for _, sm := range rm.ScopeMetrics {
			n += sizeLen(e.sizeScopeMetrics(sm))
		}
		n += e.sizeStringField(rm.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendResourceMetrics(b []byte, rm *metricspb.ResourceMetrics) []byte {
	if rm == nil {
		return b
	}
	if rm.Resource != nil {
		b = e.appendResource(e.appendLen(append(b, tag(1, wireBytes))), rm.Resource)
	}
	for _, sm := range rm.ScopeMetrics {
		b = e.appendScopeMetrics(e.appendLen(append(b, tag(2, wireBytes))), sm)
	}
	return e.appendStringField(b, tag(3, wireBytes), rm.SchemaUrl)
}

func (e *Encoder) sizeScopeMetrics(sm *metricspb.ScopeMetrics) int {
	i := e.reserve()
	n := 0
	if sm != nil {
		if sm.Scope != nil {
			n += sizeLen(e.sizeScope(sm.Scope))
		}
		for _, m := range sm.Metrics {
			n += sizeLen(e.sizeMetric(m))
		}
		n += e.sizeStringField(sm.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendScopeMetrics(b []byte, sm *metricspb.ScopeMetrics) []byte {
	if sm == nil {
		return b
	}
	if sm.Scope != nil {
		b = e.appendScope(e.appendLen(append(b, tag(1, wireBytes))), sm.Scope)
	}
	for _, m := range sm.Metrics {
		b = e.appendMetric(e.appendLen(append(b, tag(2, wireBytes))), m)
	}
	return e.appendStringField(b, tag(3, wireBytes), sm.SchemaUrl)
}

// sizeMetric sizes the set member of the data oneof (a nil message in it is
// an empty message; a typed nil oneof wrapper is an unset oneof).
func (e *Encoder) sizeMetric(m *metricspb.Metric) int {
	i := e.reserve()
	if m == nil {
		e.sizes[i] = 0
		return 0
	}
	n := e.sizeStringField(m.Name) +
		e.sizeStringField(m.Description) +
		e.sizeStringField(m.Unit) +
		e.sizeKeyValues(m.Metadata)
	switch d := m.Data.(type) {
	case *metricspb.Metric_Gauge:
		if d != nil {
			n += sizeLen(e.sizeGauge(d.Gauge))
		}
	case *metricspb.Metric_Sum:
		if d != nil {
			n += sizeLen(e.sizeSum(d.Sum))
		}
	case *metricspb.Metric_Histogram:
		if d != nil {
			n += sizeLen(e.sizeHistogram(d.Histogram))
		}
	case *metricspb.Metric_ExponentialHistogram:
		if d != nil {
			n += sizeLen(e.sizeExponentialHistogram(d.ExponentialHistogram))
		}
	case *metricspb.Metric_Summary:
		if d != nil {
			n += sizeLen(e.sizeSummary(d.Summary))
		}
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendMetric(b []byte, m *metricspb.Metric) []byte {
	if m == nil {
		return b
	}
	b = e.appendStringField(b, tag(1, wireBytes), m.Name)
	b = e.appendStringField(b, tag(2, wireBytes), m.Description)
	b = e.appendStringField(b, tag(3, wireBytes), m.Unit)
	b = e.appendKeyValues(b, tag(12, wireBytes), m.Metadata)
	// The data oneof (fields 5 to 11) comes last, as in proto.Marshal.
	switch d := m.Data.(type) {
	case *metricspb.Metric_Gauge:
		if d != nil {
			b = e.appendLen(append(b, tag(5, wireBytes)))
			for _, p := range d.Gauge.GetDataPoints() {
				b = e.appendNumberDataPoint(e.appendLen(append(b, tag(1, wireBytes))), p)
			}
		}
	case *metricspb.Metric_Sum:
		if d != nil {
			b = e.appendLen(append(b, tag(7, wireBytes)))
			for _, p := range d.Sum.GetDataPoints() {
				b = e.appendNumberDataPoint(e.appendLen(append(b, tag(1, wireBytes))), p)
			}
			b = appendVarintField(b, tag(2, wireVarint), int32Varint(int32(d.Sum.GetAggregationTemporality())))
			if d.Sum.GetIsMonotonic() {
				b = append(b, tag(3, wireVarint), 1)
			}
		}
	case *metricspb.Metric_Histogram:
		if d != nil {
			b = e.appendLen(append(b, tag(9, wireBytes)))
			for _, p := range d.Histogram.GetDataPoints() {
				b = e.appendHistogramDataPoint(e.appendLen(append(b, tag(1, wireBytes))), p)
			}
			b = appendVarintField(b, tag(2, wireVarint), int32Varint(int32(d.Histogram.GetAggregationTemporality())))
		}
	case *metricspb.Metric_ExponentialHistogram:
		if d != nil {
			h := d.ExponentialHistogram
			b = e.appendLen(append(b, tag(10, wireBytes)))
			for _, p := range h.GetDataPoints() {
				b = e.appendExponentialHistogramDataPoint(e.appendLen(append(b, tag(1, wireBytes))), p)
			}
			b = appendVarintField(b, tag(2, wireVarint), int32Varint(int32(h.GetAggregationTemporality())))
		}
	case *metricspb.Metric_Summary:
		if d != nil {
			b = e.appendLen(append(b, tag(11, wireBytes)))
			for _, p := range d.Summary.GetDataPoints() {
				b = e.appendSummaryDataPoint(e.appendLen(append(b, tag(1, wireBytes))), p)
			}
		}
	}
	return b
}

func (e *Encoder) sizeGauge(g *metricspb.Gauge) int {
	i := e.reserve()
	n := 0
	for _, p := range g.GetDataPoints() {
		n += sizeLen(e.sizeNumberDataPoint(p))
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) sizeSum(s *metricspb.Sum) int {
	i := e.reserve()
	n := 0
	for _, p := range s.GetDataPoints() {
		n += sizeLen(e.sizeNumberDataPoint(p))
	}
	n += sizeVarintField(int32Varint(int32(s.GetAggregationTemporality())))
	if s.GetIsMonotonic() {
		n += 2
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) sizeHistogram(h *metricspb.Histogram) int {
	i := e.reserve()
	n := 0
	for _, p := range h.GetDataPoints() {
		n += sizeLen(e.sizeHistogramDataPoint(p))
	}
	n += sizeVarintField(int32Varint(int32(h.GetAggregationTemporality())))
	e.sizes[i] = n
	return n
}

func (e *Encoder) sizeExponentialHistogram(h *metricspb.ExponentialHistogram) int {
	i := e.reserve()
	n := 0
	for _, p := range h.GetDataPoints() {
		n += sizeLen(e.sizeExponentialHistogramDataPoint(p))
	}
	n += sizeVarintField(int32Varint(int32(h.GetAggregationTemporality())))
	e.sizes[i] = n
	return n
}

func (e *Encoder) sizeSummary(s *metricspb.Summary) int {
	i := e.reserve()
	n := 0
	for _, p := range s.GetDataPoints() {
		n += sizeLen(e.sizeSummaryDataPoint(p))
	}
	e.sizes[i] = n
	return n
}
