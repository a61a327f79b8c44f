package otlpjson

import (
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

// AppendMetrics appends the OTLP/JSON encoding of req to dst and returns the
// extended slice. A nil req encodes as {}.
func AppendMetrics(dst []byte, req *colmetricspb.ExportMetricsServiceRequest) []byte {
	dst = append(dst, '{')
	dst = appendList(dst, `"resourceMetrics":`, req.GetResourceMetrics(), appendResourceMetrics)
	return append(dst, '}')
}

func appendResourceMetrics(b []byte, rm *metricspb.ResourceMetrics) []byte {
	b = append(b, '{')
	if rm != nil {
		b = appendResourceField(b, rm.Resource)
		b = appendList(b, `"scopeMetrics":`, rm.ScopeMetrics, appendScopeMetrics)
		b = appendStringField(b, `"schemaUrl":`, rm.SchemaUrl)
	}
	return append(b, '}')
}

func appendScopeMetrics(b []byte, sm *metricspb.ScopeMetrics) []byte {
	b = append(b, '{')
	if sm != nil {
		b = appendScopeField(b, sm.Scope)
		b = appendList(b, `"metrics":`, sm.Metrics, appendMetric)
		b = appendStringField(b, `"schemaUrl":`, sm.SchemaUrl)
	}
	return append(b, '}')
}

func appendMetric(b []byte, m *metricspb.Metric) []byte {
	b = append(b, '{')
	if m == nil {
		return append(b, '}')
	}
	b = appendStringField(b, `"name":`, m.Name)
	b = appendStringField(b, `"description":`, m.Description)
	b = appendStringField(b, `"unit":`, m.Unit)
	switch d := m.Data.(type) {
	case *metricspb.Metric_Gauge:
		if d != nil {
			b = append(appendKey(b, `"gauge":`), '{')
			b = appendList(b, `"dataPoints":`, d.Gauge.GetDataPoints(), appendNumberDataPoint)
			b = append(b, '}')
		}
	case *metricspb.Metric_Sum:
		if d != nil {
			b = append(appendKey(b, `"sum":`), '{')
			b = appendList(b, `"dataPoints":`, d.Sum.GetDataPoints(), appendNumberDataPoint)
			b = appendInt32Field(b, `"aggregationTemporality":`, int32(d.Sum.GetAggregationTemporality()))
			if d.Sum.GetIsMonotonic() {
				b = append(appendKey(b, `"isMonotonic":`), "true"...)
			}
			b = append(b, '}')
		}
	case *metricspb.Metric_Histogram:
		if d != nil {
			b = append(appendKey(b, `"histogram":`), '{')
			b = appendList(b, `"dataPoints":`, d.Histogram.GetDataPoints(), appendHistogramDataPoint)
			b = appendInt32Field(b, `"aggregationTemporality":`, int32(d.Histogram.GetAggregationTemporality()))
			b = append(b, '}')
		}
	case *metricspb.Metric_ExponentialHistogram:
		if d != nil {
			h := d.ExponentialHistogram
			b = append(appendKey(b, `"exponentialHistogram":`), '{')
			b = appendList(b, `"dataPoints":`, h.GetDataPoints(), appendExponentialHistogramDataPoint)
			b = appendInt32Field(b, `"aggregationTemporality":`, int32(h.GetAggregationTemporality()))
			b = append(b, '}')
		}
	case *metricspb.Metric_Summary:
		if d != nil {
			b = append(appendKey(b, `"summary":`), '{')
			b = appendList(b, `"dataPoints":`, d.Summary.GetDataPoints(), appendSummaryDataPoint)
			b = append(b, '}')
		}
	}
	b = appendList(b, `"metadata":`, m.Metadata, appendKeyValue)
	return append(b, '}')
}

func appendNumberDataPoint(b []byte, p *metricspb.NumberDataPoint) []byte {
	b = append(b, '{')
	if p == nil {
		return append(b, '}')
	}
	b = appendList(b, `"attributes":`, p.Attributes, appendKeyValue)
	b = appendUint64Field(b, `"startTimeUnixNano":`, p.StartTimeUnixNano)
	b = appendUint64Field(b, `"timeUnixNano":`, p.TimeUnixNano)
	switch v := p.Value.(type) {
	case *metricspb.NumberDataPoint_AsDouble:
		if v != nil {
			b = appendDouble(appendKey(b, `"asDouble":`), v.AsDouble)
		}
	case *metricspb.NumberDataPoint_AsInt:
		if v != nil {
			b = appendInt64(appendKey(b, `"asInt":`), v.AsInt)
		}
	}
	b = appendList(b, `"exemplars":`, p.Exemplars, appendExemplar)
	b = appendUint32Field(b, `"flags":`, p.Flags)
	return append(b, '}')
}

func appendHistogramDataPoint(b []byte, p *metricspb.HistogramDataPoint) []byte {
	b = append(b, '{')
	if p == nil {
		return append(b, '}')
	}
	b = appendList(b, `"attributes":`, p.Attributes, appendKeyValue)
	b = appendUint64Field(b, `"startTimeUnixNano":`, p.StartTimeUnixNano)
	b = appendUint64Field(b, `"timeUnixNano":`, p.TimeUnixNano)
	b = appendUint64Field(b, `"count":`, p.Count)
	b = appendOptionalDouble(b, `"sum":`, p.Sum)
	b = appendList(b, `"bucketCounts":`, p.BucketCounts, appendUint64)
	b = appendList(b, `"explicitBounds":`, p.ExplicitBounds, appendDouble)
	b = appendList(b, `"exemplars":`, p.Exemplars, appendExemplar)
	b = appendUint32Field(b, `"flags":`, p.Flags)
	b = appendOptionalDouble(b, `"min":`, p.Min)
	b = appendOptionalDouble(b, `"max":`, p.Max)
	return append(b, '}')
}

func appendExponentialHistogramDataPoint(b []byte, p *metricspb.ExponentialHistogramDataPoint) []byte {
	b = append(b, '{')
	if p == nil {
		return append(b, '}')
	}
	b = appendList(b, `"attributes":`, p.Attributes, appendKeyValue)
	b = appendUint64Field(b, `"startTimeUnixNano":`, p.StartTimeUnixNano)
	b = appendUint64Field(b, `"timeUnixNano":`, p.TimeUnixNano)
	b = appendUint64Field(b, `"count":`, p.Count)
	b = appendOptionalDouble(b, `"sum":`, p.Sum)
	b = appendInt32Field(b, `"scale":`, p.Scale)
	b = appendUint64Field(b, `"zeroCount":`, p.ZeroCount)
	b = appendBucketsField(b, `"positive":`, p.Positive)
	b = appendBucketsField(b, `"negative":`, p.Negative)
	b = appendUint32Field(b, `"flags":`, p.Flags)
	b = appendList(b, `"exemplars":`, p.Exemplars, appendExemplar)
	b = appendOptionalDouble(b, `"min":`, p.Min)
	b = appendOptionalDouble(b, `"max":`, p.Max)
	b = appendDoubleField(b, `"zeroThreshold":`, p.ZeroThreshold)
	return append(b, '}')
}

func appendBucketsField(b []byte, key string, bk *metricspb.ExponentialHistogramDataPoint_Buckets) []byte {
	if bk == nil {
		return b
	}
	b = append(appendKey(b, key), '{')
	b = appendInt32Field(b, `"offset":`, bk.Offset)
	b = appendList(b, `"bucketCounts":`, bk.BucketCounts, appendUint64)
	return append(b, '}')
}

func appendSummaryDataPoint(b []byte, p *metricspb.SummaryDataPoint) []byte {
	b = append(b, '{')
	if p == nil {
		return append(b, '}')
	}
	b = appendList(b, `"attributes":`, p.Attributes, appendKeyValue)
	b = appendUint64Field(b, `"startTimeUnixNano":`, p.StartTimeUnixNano)
	b = appendUint64Field(b, `"timeUnixNano":`, p.TimeUnixNano)
	b = appendUint64Field(b, `"count":`, p.Count)
	b = appendDoubleField(b, `"sum":`, p.Sum)
	b = appendList(b, `"quantileValues":`, p.QuantileValues, appendValueAtQuantile)
	b = appendUint32Field(b, `"flags":`, p.Flags)
	return append(b, '}')
}

func appendValueAtQuantile(b []byte, q *metricspb.SummaryDataPoint_ValueAtQuantile) []byte {
	b = append(b, '{')
	if q != nil {
		b = appendDoubleField(b, `"quantile":`, q.Quantile)
		b = appendDoubleField(b, `"value":`, q.Value)
	}
	return append(b, '}')
}

func appendExemplar(b []byte, e *metricspb.Exemplar) []byte {
	b = append(b, '{')
	if e == nil {
		return append(b, '}')
	}
	b = appendList(b, `"filteredAttributes":`, e.FilteredAttributes, appendKeyValue)
	b = appendUint64Field(b, `"timeUnixNano":`, e.TimeUnixNano)
	switch v := e.Value.(type) {
	case *metricspb.Exemplar_AsDouble:
		if v != nil {
			b = appendDouble(appendKey(b, `"asDouble":`), v.AsDouble)
		}
	case *metricspb.Exemplar_AsInt:
		if v != nil {
			b = appendInt64(appendKey(b, `"asInt":`), v.AsInt)
		}
	}
	b = appendIDField(b, `"spanId":`, e.SpanId)
	b = appendIDField(b, `"traceId":`, e.TraceId)
	return append(b, '}')
}
