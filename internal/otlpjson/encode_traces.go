package otlpjson

import (
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// AppendTraces appends the OTLP/JSON encoding of req to dst and returns the
// extended slice. A nil req encodes as {}.
func AppendTraces(dst []byte, req *coltracepb.ExportTraceServiceRequest) []byte {
	dst = append(dst, '{')
	dst = appendList(dst, `"resourceSpans":`, req.GetResourceSpans(), appendResourceSpans)
	return append(dst, '}')
}

func appendResourceSpans(b []byte, rs *tracepb.ResourceSpans) []byte {
	b = append(b, '{')
	if rs != nil {
		b = appendResourceField(b, rs.Resource)
		b = appendList(b, `"scopeSpans":`, rs.ScopeSpans, appendScopeSpans)
		b = appendStringField(b, `"schemaUrl":`, rs.SchemaUrl)
	}
	return append(b, '}')
}

func appendScopeSpans(b []byte, ss *tracepb.ScopeSpans) []byte {
	b = append(b, '{')
	if ss != nil {
		b = appendScopeField(b, ss.Scope)
		b = appendList(b, `"spans":`, ss.Spans, appendSpan)
		b = appendStringField(b, `"schemaUrl":`, ss.SchemaUrl)
	}
	return append(b, '}')
}

func appendSpan(b []byte, s *tracepb.Span) []byte {
	b = append(b, '{')
	if s == nil {
		return append(b, '}')
	}
	b = appendIDField(b, `"traceId":`, s.TraceId)
	b = appendIDField(b, `"spanId":`, s.SpanId)
	b = appendStringField(b, `"traceState":`, s.TraceState)
	b = appendIDField(b, `"parentSpanId":`, s.ParentSpanId)
	b = appendUint32Field(b, `"flags":`, s.Flags)
	b = appendStringField(b, `"name":`, s.Name)
	b = appendInt32Field(b, `"kind":`, int32(s.Kind))
	b = appendUint64Field(b, `"startTimeUnixNano":`, s.StartTimeUnixNano)
	b = appendUint64Field(b, `"endTimeUnixNano":`, s.EndTimeUnixNano)
	b = appendList(b, `"attributes":`, s.Attributes, appendKeyValue)
	b = appendUint32Field(b, `"droppedAttributesCount":`, s.DroppedAttributesCount)
	b = appendList(b, `"events":`, s.Events, appendSpanEvent)
	b = appendUint32Field(b, `"droppedEventsCount":`, s.DroppedEventsCount)
	b = appendList(b, `"links":`, s.Links, appendSpanLink)
	b = appendUint32Field(b, `"droppedLinksCount":`, s.DroppedLinksCount)
	if st := s.Status; st != nil {
		b = append(appendKey(b, `"status":`), '{')
		b = appendStringField(b, `"message":`, st.Message)
		b = appendInt32Field(b, `"code":`, int32(st.Code))
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendSpanEvent(b []byte, e *tracepb.Span_Event) []byte {
	b = append(b, '{')
	if e != nil {
		b = appendUint64Field(b, `"timeUnixNano":`, e.TimeUnixNano)
		b = appendStringField(b, `"name":`, e.Name)
		b = appendList(b, `"attributes":`, e.Attributes, appendKeyValue)
		b = appendUint32Field(b, `"droppedAttributesCount":`, e.DroppedAttributesCount)
	}
	return append(b, '}')
}

func appendSpanLink(b []byte, l *tracepb.Span_Link) []byte {
	b = append(b, '{')
	if l != nil {
		b = appendIDField(b, `"traceId":`, l.TraceId)
		b = appendIDField(b, `"spanId":`, l.SpanId)
		b = appendStringField(b, `"traceState":`, l.TraceState)
		b = appendList(b, `"attributes":`, l.Attributes, appendKeyValue)
		b = appendUint32Field(b, `"droppedAttributesCount":`, l.DroppedAttributesCount)
		b = appendUint32Field(b, `"flags":`, l.Flags)
	}
	return append(b, '}')
}
