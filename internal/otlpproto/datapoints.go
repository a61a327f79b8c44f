package otlpproto

import (
	"encoding/binary"
	"math"

	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

func (e *Encoder) sizeNumberDataPoint(p *metricspb.NumberDataPoint) int {
	i := e.reserve()
	if p == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeFixed64Field(p.StartTimeUnixNano) + sizeFixed64Field(p.TimeUnixNano)
	switch v := p.Value.(type) {
	case *metricspb.NumberDataPoint_AsDouble:
		if v != nil {
			n += 9
		}
	case *metricspb.NumberDataPoint_AsInt:
		if v != nil {
			n += 9
		}
	}
	n += e.sizeExemplars(p.Exemplars) +
		e.sizeKeyValues(p.Attributes) +
		sizeVarintField(uint64(p.Flags))
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendNumberDataPoint(b []byte, p *metricspb.NumberDataPoint) []byte {
	if p == nil {
		return b
	}
	b = appendFixed64Field(b, tag(2, wireFixed64), p.StartTimeUnixNano)
	b = appendFixed64Field(b, tag(3, wireFixed64), p.TimeUnixNano)
	b = e.appendExemplars(b, tag(5, wireBytes), p.Exemplars)
	b = e.appendKeyValues(b, tag(7, wireBytes), p.Attributes)
	b = appendVarintField(b, tag(8, wireVarint), uint64(p.Flags))
	// The value oneof (fields 4 and 6) comes last, as in proto.Marshal.
	switch v := p.Value.(type) {
	case *metricspb.NumberDataPoint_AsDouble:
		if v != nil {
			b = binary.LittleEndian.AppendUint64(append(b, tag(4, wireFixed64)), math.Float64bits(v.AsDouble))
		}
	case *metricspb.NumberDataPoint_AsInt:
		if v != nil {
			b = binary.LittleEndian.AppendUint64(append(b, tag(6, wireFixed64)), uint64(v.AsInt))
		}
	}
	return b
}

func (e *Encoder) sizeHistogramDataPoint(p *metricspb.HistogramDataPoint) int {
	i := e.reserve()
	if p == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeFixed64Field(p.StartTimeUnixNano) +
		sizeFixed64Field(p.TimeUnixNano) +
		sizeFixed64Field(p.Count) +
		sizeOptionalDouble(p.Sum) +
		sizeFixed64Packed(len(p.BucketCounts)) +
		sizeFixed64Packed(len(p.ExplicitBounds)) +
		e.sizeExemplars(p.Exemplars) +
		e.sizeKeyValues(p.Attributes) +
		sizeVarintField(uint64(p.Flags)) +
		sizeOptionalDouble(p.Min) +
		sizeOptionalDouble(p.Max)
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendHistogramDataPoint(b []byte, p *metricspb.HistogramDataPoint) []byte {
	if p == nil {
		return b
	}
	b = appendFixed64Field(b, tag(2, wireFixed64), p.StartTimeUnixNano)
	b = appendFixed64Field(b, tag(3, wireFixed64), p.TimeUnixNano)
	b = appendFixed64Field(b, tag(4, wireFixed64), p.Count)
	b = appendOptionalDouble(b, tag(5, wireFixed64), p.Sum)
	b = appendFixed64Packed(b, tag(6, wireBytes), p.BucketCounts)
	b = appendDoublePacked(b, tag(7, wireBytes), p.ExplicitBounds)
	b = e.appendExemplars(b, tag(8, wireBytes), p.Exemplars)
	b = e.appendKeyValues(b, tag(9, wireBytes), p.Attributes)
	b = appendVarintField(b, tag(10, wireVarint), uint64(p.Flags))
	b = appendOptionalDouble(b, tag(11, wireFixed64), p.Min)
	return appendOptionalDouble(b, tag(12, wireFixed64), p.Max)
}

func (e *Encoder) sizeExponentialHistogramDataPoint(p *metricspb.ExponentialHistogramDataPoint) int {
	i := e.reserve()
	if p == nil {
		e.sizes[i] = 0
		return 0
	}
	n := e.sizeKeyValues(p.Attributes) +
		sizeFixed64Field(p.StartTimeUnixNano) +
		sizeFixed64Field(p.TimeUnixNano) +
		sizeFixed64Field(p.Count) +
		sizeOptionalDouble(p.Sum) +
		sizeVarintField(zigzag32(p.Scale)) +
		sizeFixed64Field(p.ZeroCount)
	if p.Positive != nil {
		n += sizeLen(e.sizeBuckets(p.Positive))
	}
	if p.Negative != nil {
		n += sizeLen(e.sizeBuckets(p.Negative))
	}
	n += sizeVarintField(uint64(p.Flags)) +
		e.sizeExemplars(p.Exemplars) +
		sizeOptionalDouble(p.Min) +
		sizeOptionalDouble(p.Max) +
		sizeDoubleField(p.ZeroThreshold)
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendExponentialHistogramDataPoint(b []byte, p *metricspb.ExponentialHistogramDataPoint) []byte {
	if p == nil {
		return b
	}
	b = e.appendKeyValues(b, tag(1, wireBytes), p.Attributes)
	b = appendFixed64Field(b, tag(2, wireFixed64), p.StartTimeUnixNano)
	b = appendFixed64Field(b, tag(3, wireFixed64), p.TimeUnixNano)
	b = appendFixed64Field(b, tag(4, wireFixed64), p.Count)
	b = appendOptionalDouble(b, tag(5, wireFixed64), p.Sum)
	b = appendVarintField(b, tag(6, wireVarint), zigzag32(p.Scale))
	b = appendFixed64Field(b, tag(7, wireFixed64), p.ZeroCount)
	if p.Positive != nil {
		b = e.appendBuckets(e.appendLen(append(b, tag(8, wireBytes))), p.Positive)
	}
	if p.Negative != nil {
		b = e.appendBuckets(e.appendLen(append(b, tag(9, wireBytes))), p.Negative)
	}
	b = appendVarintField(b, tag(10, wireVarint), uint64(p.Flags))
	b = e.appendExemplars(b, tag(11, wireBytes), p.Exemplars)
	b = appendOptionalDouble(b, tag(12, wireFixed64), p.Min)
	b = appendOptionalDouble(b, tag(13, wireFixed64), p.Max)
	return appendDoubleField(b, tag(14, wireFixed64), p.ZeroThreshold)
}

// sizeBuckets records two sizes: the Buckets message's, then its packed
// bucket_counts payload's.
func (e *Encoder) sizeBuckets(bk *metricspb.ExponentialHistogramDataPoint_Buckets) int {
	i := e.reserve()
	j := e.reserve()
	packed := sizeVarintPacked(bk.BucketCounts)
	n := sizeVarintField(zigzag32(bk.Offset))
	if len(bk.BucketCounts) > 0 {
		n += sizeLen(packed)
	}
	e.sizes[i] = n
	e.sizes[j] = packed
	return n
}

func (e *Encoder) appendBuckets(b []byte, bk *metricspb.ExponentialHistogramDataPoint_Buckets) []byte {
	b = appendVarintField(b, tag(1, wireVarint), zigzag32(bk.Offset))
	if len(bk.BucketCounts) == 0 {
		e.next++ // the packed payload's size, unused
		return b
	}
	b = e.appendLen(append(b, tag(2, wireBytes)))
	for _, c := range bk.BucketCounts {
		b = appendVarint(b, c)
	}
	return b
}

func (e *Encoder) sizeSummaryDataPoint(p *metricspb.SummaryDataPoint) int {
	i := e.reserve()
	if p == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeFixed64Field(p.StartTimeUnixNano) +
		sizeFixed64Field(p.TimeUnixNano) +
		sizeFixed64Field(p.Count) +
		sizeDoubleField(p.Sum)
	for _, q := range p.QuantileValues {
		n += sizeLen(sizeValueAtQuantile(q))
	}
	n += e.sizeKeyValues(p.Attributes) + sizeVarintField(uint64(p.Flags))
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendSummaryDataPoint(b []byte, p *metricspb.SummaryDataPoint) []byte {
	if p == nil {
		return b
	}
	b = appendFixed64Field(b, tag(2, wireFixed64), p.StartTimeUnixNano)
	b = appendFixed64Field(b, tag(3, wireFixed64), p.TimeUnixNano)
	b = appendFixed64Field(b, tag(4, wireFixed64), p.Count)
	b = appendDoubleField(b, tag(5, wireFixed64), p.Sum)
	for _, q := range p.QuantileValues {
		// A ValueAtQuantile is at most 18 bytes: its length is one byte
		// and is not recorded.
		b = append(b, tag(6, wireBytes), byte(sizeValueAtQuantile(q)))
		b = appendDoubleField(b, tag(1, wireFixed64), q.GetQuantile())
		b = appendDoubleField(b, tag(2, wireFixed64), q.GetValue())
	}
	b = e.appendKeyValues(b, tag(7, wireBytes), p.Attributes)
	return appendVarintField(b, tag(8, wireVarint), uint64(p.Flags))
}

func sizeValueAtQuantile(q *metricspb.SummaryDataPoint_ValueAtQuantile) int {
	return sizeDoubleField(q.GetQuantile()) + sizeDoubleField(q.GetValue())
}

func (e *Encoder) sizeExemplars(xs []*metricspb.Exemplar) int {
	n := 0
	for _, x := range xs {
		n += sizeLen(e.sizeExemplar(x))
	}
	return n
}

func (e *Encoder) appendExemplars(b []byte, t byte, xs []*metricspb.Exemplar) []byte {
	for _, x := range xs {
		b = e.appendExemplar(e.appendLen(append(b, t)), x)
	}
	return b
}

func (e *Encoder) sizeExemplar(x *metricspb.Exemplar) int {
	i := e.reserve()
	if x == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeFixed64Field(x.TimeUnixNano)
	switch v := x.Value.(type) {
	case *metricspb.Exemplar_AsDouble:
		if v != nil {
			n += 9
		}
	case *metricspb.Exemplar_AsInt:
		if v != nil {
			n += 9
		}
	}
	n += sizeBytesField(x.SpanId) +
		sizeBytesField(x.TraceId) +
		e.sizeKeyValues(x.FilteredAttributes)
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendExemplar(b []byte, x *metricspb.Exemplar) []byte {
	if x == nil {
		return b
	}
	b = appendFixed64Field(b, tag(2, wireFixed64), x.TimeUnixNano)
	b = appendBytesField(b, tag(4, wireBytes), x.SpanId)
	b = appendBytesField(b, tag(5, wireBytes), x.TraceId)
	b = e.appendKeyValues(b, tag(7, wireBytes), x.FilteredAttributes)
	// The value oneof (fields 3 and 6) comes last, as in proto.Marshal.
	switch v := x.Value.(type) {
	case *metricspb.Exemplar_AsDouble:
		if v != nil {
			b = binary.LittleEndian.AppendUint64(append(b, tag(3, wireFixed64)), math.Float64bits(v.AsDouble))
		}
	case *metricspb.Exemplar_AsInt:
		if v != nil {
			b = binary.LittleEndian.AppendUint64(append(b, tag(6, wireFixed64)), uint64(v.AsInt))
		}
	}
	return b
}
