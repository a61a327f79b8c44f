package otlpproto

import (
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
)

func (e *Encoder) sizeResourceLogs(rl *logspb.ResourceLogs) int {
	i := e.reserve()
	n := 0
	if rl != nil {
		if rl.Resource != nil {
			n += sizeLen(e.sizeResource(rl.Resource))
		}
		for _, sl := range rl.ScopeLogs {
			n += sizeLen(e.sizeScopeLogs(sl))
		}
		n += e.sizeStringField(rl.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendResourceLogs(b []byte, rl *logspb.ResourceLogs) []byte {
	if rl == nil {
		return b
	}
	if rl.Resource != nil {
		b = e.appendResource(e.appendLen(append(b, tag(1, wireBytes))), rl.Resource)
	}
	for _, sl := range rl.ScopeLogs {
		b = e.appendScopeLogs(e.appendLen(append(b, tag(2, wireBytes))), sl)
	}
	return e.appendStringField(b, tag(3, wireBytes), rl.SchemaUrl)
}

func (e *Encoder) sizeScopeLogs(sl *logspb.ScopeLogs) int {
	i := e.reserve()
	n := 0
	if sl != nil {
		if sl.Scope != nil {
			n += sizeLen(e.sizeScope(sl.Scope))
		}
		for _, r := range sl.LogRecords {
			n += sizeLen(e.sizeLogRecord(r))
		}
		n += e.sizeStringField(sl.SchemaUrl)
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendScopeLogs(b []byte, sl *logspb.ScopeLogs) []byte {
	if sl == nil {
		return b
	}
	if sl.Scope != nil {
		b = e.appendScope(e.appendLen(append(b, tag(1, wireBytes))), sl.Scope)
	}
	for _, r := range sl.LogRecords {
		b = e.appendLogRecord(e.appendLen(append(b, tag(2, wireBytes))), r)
	}
	return e.appendStringField(b, tag(3, wireBytes), sl.SchemaUrl)
}

func (e *Encoder) sizeLogRecord(r *logspb.LogRecord) int {
	i := e.reserve()
	if r == nil {
		e.sizes[i] = 0
		return 0
	}
	n := sizeFixed64Field(r.TimeUnixNano) +
		sizeVarintField(int32Varint(int32(r.SeverityNumber))) +
		e.sizeStringField(r.SeverityText)
	if r.Body != nil {
		n += sizeLen(e.sizeAnyValue(r.Body))
	}
	n += e.sizeKeyValues(r.Attributes) +
		sizeVarintField(uint64(r.DroppedAttributesCount)) +
		sizeFixed32Field(r.Flags) +
		sizeBytesField(r.TraceId) +
		sizeBytesField(r.SpanId) +
		sizeFixed64Field(r.ObservedTimeUnixNano) +
		e.sizeStringField(r.EventName)
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendLogRecord(b []byte, r *logspb.LogRecord) []byte {
	if r == nil {
		return b
	}
	b = appendFixed64Field(b, tag(1, wireFixed64), r.TimeUnixNano)
	b = appendVarintField(b, tag(2, wireVarint), int32Varint(int32(r.SeverityNumber)))
	b = e.appendStringField(b, tag(3, wireBytes), r.SeverityText)
	if r.Body != nil {
		b = e.appendAnyValueField(b, tag(5, wireBytes), r.Body)
	}
	b = e.appendKeyValues(b, tag(6, wireBytes), r.Attributes)
	b = appendVarintField(b, tag(7, wireVarint), uint64(r.DroppedAttributesCount))
	b = appendFixed32Field(b, tag(8, wireFixed32), r.Flags)
	b = appendBytesField(b, tag(9, wireBytes), r.TraceId)
	b = appendBytesField(b, tag(10, wireBytes), r.SpanId)
	b = appendFixed64Field(b, tag(11, wireFixed64), r.ObservedTimeUnixNano)
	return e.appendStringField(b, tag(12, wireBytes), r.EventName)
}
