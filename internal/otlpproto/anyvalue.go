package otlpproto

import (
	"encoding/binary"
	"math"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// AnyValue is the most frequent message (one per attribute), so it departs
// from the package's rule: only array and kvlist values, whose size is costly
// to recompute, record sizes (the AnyValue's, then the ArrayValue's or
// KeyValueList's); the write pass recomputes the size of the other kinds.
//
// The set member of the value oneof is written even when it holds its zero
// value. A nil array or kvlist in the oneof is an empty message; a typed nil
// oneof wrapper is an unset oneof; a nil AnyValue (an element of an array) is
// an empty message.

// sizeAnyValue returns the body size of v.
func (e *Encoder) sizeAnyValue(v *commonpb.AnyValue) int {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		if x != nil {
			return sizeLen(e.stringLen(x.StringValue))
		}
	case *commonpb.AnyValue_BoolValue:
		if x != nil {
			return 2
		}
	case *commonpb.AnyValue_IntValue:
		if x != nil {
			return 1 + sizeVarint(uint64(x.IntValue))
		}
	case *commonpb.AnyValue_DoubleValue:
		if x != nil {
			return 9
		}
	case *commonpb.AnyValue_ArrayValue:
		if x != nil {
			i := e.reserve()
			n := sizeLen(e.sizeArrayValue(x.ArrayValue))
			e.sizes[i] = n
			return n
		}
	case *commonpb.AnyValue_KvlistValue:
		if x != nil {
			i := e.reserve()
			n := sizeLen(e.sizeKeyValueList(x.KvlistValue))
			e.sizes[i] = n
			return n
		}
	case *commonpb.AnyValue_BytesValue:
		if x != nil {
			return sizeLen(len(x.BytesValue))
		}
	case *commonpb.AnyValue_StringValueStrindex:
		if x != nil {
			return 1 + sizeVarint(int32Varint(x.StringValueStrindex))
		}
	}
	return 0
}

func (e *Encoder) sizeArrayValue(a *commonpb.ArrayValue) int {
	i := e.reserve()
	n := 0
	for _, v := range a.GetValues() {
		n += sizeLen(e.sizeAnyValue(v))
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) sizeKeyValueList(l *commonpb.KeyValueList) int {
	i := e.reserve()
	n := e.sizeKeyValues(l.GetValues())
	e.sizes[i] = n
	return n
}

// appendAnyValueField appends v as field t: tag, length and body.
func (e *Encoder) appendAnyValueField(b []byte, t byte, v *commonpb.AnyValue) []byte {
	b = append(b, t)
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		if x != nil {
			return e.appendStringValue(b, x.StringValue)
		}
	case *commonpb.AnyValue_BoolValue:
		if x != nil {
			if x.BoolValue {
				return append(b, 2, tag(2, wireVarint), 1)
			}
			return append(b, 2, tag(2, wireVarint), 0)
		}
	case *commonpb.AnyValue_IntValue:
		if x != nil {
			b = append(b, byte(1+sizeVarint(uint64(x.IntValue))), tag(3, wireVarint))
			return appendVarint(b, uint64(x.IntValue))
		}
	case *commonpb.AnyValue_DoubleValue:
		if x != nil {
			return binary.LittleEndian.AppendUint64(append(b, 9, tag(4, wireFixed64)), math.Float64bits(x.DoubleValue))
		}
	case *commonpb.AnyValue_ArrayValue:
		if x != nil {
			b = append(e.appendLen(b), tag(5, wireBytes))
			b = e.appendLen(b)
			for _, v := range x.ArrayValue.GetValues() {
				b = e.appendAnyValueField(b, tag(1, wireBytes), v)
			}
			return b
		}
	case *commonpb.AnyValue_KvlistValue:
		if x != nil {
			b = append(e.appendLen(b), tag(6, wireBytes))
			b = e.appendLen(b)
			return e.appendKeyValues(b, tag(1, wireBytes), x.KvlistValue.GetValues())
		}
	case *commonpb.AnyValue_BytesValue:
		if x != nil {
			b = appendVarint(b, uint64(sizeLen(len(x.BytesValue))))
			b = appendVarint(append(b, tag(7, wireBytes)), uint64(len(x.BytesValue)))
			return append(b, x.BytesValue...)
		}
	case *commonpb.AnyValue_StringValueStrindex:
		if x != nil {
			v := int32Varint(x.StringValueStrindex)
			b = append(b, byte(1+sizeVarint(v)), tag(8, wireVarint))
			return appendVarint(b, v)
		}
	}
	return append(b, 0) // an empty message
}

// appendStringValue appends the length and body of an AnyValue holding s.
func (e *Encoder) appendStringValue(b []byte, s string) []byte {
	if !e.invalid || validString(s) {
		b = appendVarint(b, uint64(sizeLen(len(s))))
		b = appendVarint(append(b, tag(1, wireBytes)), uint64(len(s)))
		return append(b, s...)
	}
	n := repairedLen(s)
	b = appendVarint(b, uint64(sizeLen(n)))
	b = appendVarint(append(b, tag(1, wireBytes)), uint64(n))
	return appendRepaired(b, s)
}
