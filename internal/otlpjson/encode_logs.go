package otlpjson

import (
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
)

// AppendLogs appends the OTLP/JSON encoding of req to dst and returns the
// extended slice. A nil req encodes as {}.
func AppendLogs(dst []byte, req *collogspb.ExportLogsServiceRequest) []byte {
	dst = append(dst, '{')
	dst = appendList(dst, `"resourceLogs":`, req.GetResourceLogs(), appendResourceLogs)
	return append(dst, '}')
}

func appendResourceLogs(b []byte, rl *logspb.ResourceLogs) []byte {
	b = append(b, '{')
	if rl != nil {
		b = appendResourceField(b, rl.Resource)
		b = appendList(b, `"scopeLogs":`, rl.ScopeLogs, appendScopeLogs)
		b = appendStringField(b, `"schemaUrl":`, rl.SchemaUrl)
	}
	return append(b, '}')
}

func appendScopeLogs(b []byte, sl *logspb.ScopeLogs) []byte {
	b = append(b, '{')
	if sl != nil {
		b = appendScopeField(b, sl.Scope)
		b = appendList(b, `"logRecords":`, sl.LogRecords, appendLogRecord)
		b = appendStringField(b, `"schemaUrl":`, sl.SchemaUrl)
	}
	return append(b, '}')
}

func appendLogRecord(b []byte, r *logspb.LogRecord) []byte {
	b = append(b, '{')
	if r == nil {
		return append(b, '}')
	}
	b = appendUint64Field(b, `"timeUnixNano":`, r.TimeUnixNano)
	b = appendUint64Field(b, `"observedTimeUnixNano":`, r.ObservedTimeUnixNano)
	b = appendInt32Field(b, `"severityNumber":`, int32(r.SeverityNumber))
	b = appendStringField(b, `"severityText":`, r.SeverityText)
	if r.Body != nil {
		b = appendAnyValue(appendKey(b, `"body":`), r.Body)
	}
	b = appendList(b, `"attributes":`, r.Attributes, appendKeyValue)
	b = appendUint32Field(b, `"droppedAttributesCount":`, r.DroppedAttributesCount)
	b = appendUint32Field(b, `"flags":`, r.Flags)
	b = appendIDField(b, `"traceId":`, r.TraceId)
	b = appendIDField(b, `"spanId":`, r.SpanId)
	b = appendStringField(b, `"eventName":`, r.EventName)
	return append(b, '}')
}
