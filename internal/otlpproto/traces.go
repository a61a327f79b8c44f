package otlpproto

import (
	"encoding/binary"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// spanFlagsTag is the two-byte tag of Span.flags (field 16, fixed32).
var spanFlagsTag = [2]byte{16<<3 | wireFixed32 | 0x80, 1}

func (e *Encoder) sizeResourceSpans(rs *tracepb.ResourceSpans) int {
	i := e.reserve()
	n := 0
	if rs != nil {
		if rs.Resource != nil {
			n += sizeLen(e.sizeResource(rs.Resource))
		}
		for _, ss := range rs.ScopeSpans {
			n += sizeLen(e.sizeScopeSpans(ss))
		}
		n += e.sizeStringField(rs.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendResourceSpans(b []byte, rs *tracepb.ResourceSpans) []byte {
	if rs == nil {
		return b
	}
	if rs.Resource != nil {
		b = e.appendResource(e.appendLen(append(b, tag(1, wireBytes))), rs.Resource)
	}
	for _, ss := range rs.ScopeSpans {
		b = e.appendScopeSpans(e.appendLen(append(b, tag(2, wireBytes))), ss)
	}
	return e.appendStringField(b, tag(3, wireBytes), rs.SchemaUrl)
}

func (e *Encoder) sizeScopeSpans(ss *tracepb.ScopeSpans) int {
	i := e.reserve()
	n := 0
	if ss != nil {
		if ss.Scope != nil {
			n += sizeLen(e.sizeScope(ss.Scope))
		}
		for _, s := range ss.Spans {
			n += sizeLen(e.sizeSpan(s))
		}
		n += e.sizeStringField(ss.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendScopeSpans(b []byte, ss *tracepb.ScopeSpans) []byte {
	if ss == nil {
		return b
	}
	if ss.Scope != nil {
		b = e.appendScope(e.appendLen(append(b, tag(1, wireBytes))), ss.Scope)
	}
	for _, s := range ss.Spans {
		b = e.appendSpan(e.appendLen(append(b, tag(2, wireBytes))), s)
	}
	return e.appendStringField(b, tag(3, wireBytes), ss.SchemaUrl)
}

func (e *Encoder) sizeSpan(s *tracepb.Span) int {
	i := e.reserve()
	if s == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeBytesField(s.TraceId) +
		sizeBytesField(s.SpanId) +
		e.sizeStringField(s.TraceState) +
		sizeBytesField(s.ParentSpanId) +
		e.sizeStringField(s.Name) +
		sizeVarintField(int32Varint(int32(s.Kind))) +
		sizeFixed64Field(s.StartTimeUnixNano) +
		sizeFixed64Field(s.EndTimeUnixNano) +
		e.sizeKeyValues(s.Attributes) +
		sizeVarintField(uint64(s.DroppedAttributesCount))
	for _, ev := range s.Events {
		n += sizeLen(e.sizeSpanEvent(ev))
	}
	n += sizeVarintField(uint64(s.DroppedEventsCount))
	for _, l := range s.Links {
		n += sizeLen(e.sizeSpanLink(l))
	}
	n += sizeVarintField(uint64(s.DroppedLinksCount))
	if st := s.Status; st != nil {
		// Status is a small leaf: its size is recomputed when it is
		// written rather than recorded.
		n += sizeLen(e.sizeStatus(st))
	}
	if s.Flags != 0 {
		n += len(spanFlagsTag) + 4
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendSpan(b []byte, s *tracepb.Span) []byte {
	if s == nil {
		return b
	}
	b = appendBytesField(b, tag(1, wireBytes), s.TraceId)
	b = appendBytesField(b, tag(2, wireBytes), s.SpanId)
	b = e.appendStringField(b, tag(3, wireBytes), s.TraceState)
	b = appendBytesField(b, tag(4, wireBytes), s.ParentSpanId)
	b = e.appendStringField(b, tag(5, wireBytes), s.Name)
	b = appendVarintField(b, tag(6, wireVarint), int32Varint(int32(s.Kind)))
	b = appendFixed64Field(b, tag(7, wireFixed64), s.StartTimeUnixNano)
	b = appendFixed64Field(b, tag(8, wireFixed64), s.EndTimeUnixNano)
	b = e.appendKeyValues(b, tag(9, wireBytes), s.Attributes)
	b = appendVarintField(b, tag(10, wireVarint), uint64(s.DroppedAttributesCount))
	for _, ev := range s.Events {
		b = e.appendSpanEvent(e.appendLen(append(b, tag(11, wireBytes))), ev)
	}
	b = appendVarintField(b, tag(12, wireVarint), uint64(s.DroppedEventsCount))
	for _, l := range s.Links {
		b = e.appendSpanLink(e.appendLen(append(b, tag(13, wireBytes))), l)
	}
	b = appendVarintField(b, tag(14, wireVarint), uint64(s.DroppedLinksCount))
	if st := s.Status; st != nil {
		b = e.appendStatus(append(b, tag(15, wireBytes)), st)
	}
	if s.Flags != 0 {
		b = append(b, spanFlagsTag[:]...)
		b = binary.LittleEndian.AppendUint32(b, s.Flags)
	}
	return b
}

// sizeStatus returns the body size of a non-nil Status, recording nothing.
func (e *Encoder) sizeStatus(st *tracepb.Status) int {
	return e.sizeStringField(st.Message) + sizeVarintField(int32Varint(int32(st.Code)))
}

// appendStatus appends the length and body of a non-nil Status.
func (e *Encoder) appendStatus(b []byte, st *tracepb.Status) []byte {
	b = appendVarint(b, uint64(e.sizeStatus(st)))
	b = e.appendStringField(b, tag(2, wireBytes), st.Message)
	return appendVarintField(b, tag(3, wireVarint), int32Varint(int32(st.Code)))
}

func (e *Encoder) sizeSpanEvent(ev *tracepb.Span_Event) int {
	i := e.reserve()
	n := 0
	if ev != nil {
		n = sizeFixed64Field(ev.TimeUnixNano) +
			e.sizeStringField(ev.Name) +
			e.sizeKeyValues(ev.Attributes) +
			sizeVarintField(uint64(ev.DroppedAttributesCount))
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendSpanEvent(b []byte, ev *tracepb.Span_Event) []byte {
	if ev == nil {
		return b
	}
	b = appendFixed64Field(b, tag(1, wireFixed64), ev.TimeUnixNano)
	b = e.appendStringField(b, tag(2, wireBytes), ev.Name)
	b = e.appendKeyValues(b, tag(3, wireBytes), ev.Attributes)
	return appendVarintField(b, tag(4, wireVarint), uint64(ev.DroppedAttributesCount))
}

func (e *Encoder) sizeSpanLink(l *tracepb.Span_Link) int {
	i := e.reserve()
	n := 0
	if l != nil {
		n = sizeBytesField(l.TraceId) +
			sizeBytesField(l.SpanId) +
			e.sizeStringField(l.TraceState) +
			e.sizeKeyValues(l.Attributes) +
			sizeVarintField(uint64(l.DroppedAttributesCount)) +
			sizeFixed32Field(l.Flags)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendSpanLink(b []byte, l *tracepb.Span_Link) []byte {
	if l == nil {
		return b
	}
	b = appendBytesField(b, tag(1, wireBytes), l.TraceId)
	b = appendBytesField(b, tag(2, wireBytes), l.SpanId)
	b = e.appendStringField(b, tag(3, wireBytes), l.TraceState)
	b = e.appendKeyValues(b, tag(4, wireBytes), l.Attributes)
	b = appendVarintField(b, tag(5, wireVarint), uint64(l.DroppedAttributesCount))
	return appendFixed32Field(b, tag(6, wireFixed32), l.Flags)
}
