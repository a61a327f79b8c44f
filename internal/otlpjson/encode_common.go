package otlpjson

import (
	"strconv"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
)

// Encoders of the messages shared by all signals. A nil message encodes as {}.

func appendResourceField(b []byte, r *resourcepb.Resource) []byte {
	if r == nil {
		return b
	}
	b = append(appendKey(b, `"resource":`), '{')
	b = appendList(b, `"attributes":`, r.Attributes, appendKeyValue)
	b = appendUint32Field(b, `"droppedAttributesCount":`, r.DroppedAttributesCount)
	b = appendList(b, `"entityRefs":`, r.EntityRefs, appendEntityRef)
	return append(b, '}')
}

func appendScopeField(b []byte, s *commonpb.InstrumentationScope) []byte {
	if s == nil {
		return b
	}
	b = append(appendKey(b, `"scope":`), '{')
	b = appendStringField(b, `"name":`, s.Name)
	b = appendStringField(b, `"version":`, s.Version)
	b = appendList(b, `"attributes":`, s.Attributes, appendKeyValue)
	b = appendUint32Field(b, `"droppedAttributesCount":`, s.DroppedAttributesCount)
	return append(b, '}')
}

func appendEntityRef(b []byte, e *commonpb.EntityRef) []byte {
	b = append(b, '{')
	if e != nil {
		b = appendStringField(b, `"schemaUrl":`, e.SchemaUrl)
		b = appendStringField(b, `"type":`, e.Type)
		b = appendList(b, `"idKeys":`, e.IdKeys, appendString)
		b = appendList(b, `"descriptionKeys":`, e.DescriptionKeys, appendString)
	}
	return append(b, '}')
}

func appendKeyValue(b []byte, kv *commonpb.KeyValue) []byte {
	b = append(b, '{')
	if kv != nil {
		b = appendStringField(b, `"key":`, kv.Key)
		if kv.Value != nil {
			b = appendAnyValue(appendKey(b, `"value":`), kv.Value)
		}
		b = appendInt32Field(b, `"keyStrindex":`, kv.KeyStrindex)
	}
	return append(b, '}')
}

// appendAnyValue writes the set member of the value oneof even when it holds
// its zero value; an unset oneof encodes as {}.
func appendAnyValue(b []byte, v *commonpb.AnyValue) []byte {
	b = append(b, '{')
	if v == nil {
		return append(b, '}')
	}
	switch x := v.Value.(type) {
	case *commonpb.AnyValue_StringValue:
		if x != nil {
			b = appendString(appendKey(b, `"stringValue":`), x.StringValue)
		}
	case *commonpb.AnyValue_BoolValue:
		if x != nil {
			b = appendBool(appendKey(b, `"boolValue":`), x.BoolValue)
		}
	case *commonpb.AnyValue_IntValue:
		if x != nil {
			b = appendInt64(appendKey(b, `"intValue":`), x.IntValue)
		}
	case *commonpb.AnyValue_DoubleValue:
		if x != nil {
			b = appendDouble(appendKey(b, `"doubleValue":`), x.DoubleValue)
		}
	case *commonpb.AnyValue_ArrayValue:
		if x != nil {
			b = append(appendKey(b, `"arrayValue":`), '{')
			b = appendList(b, `"values":`, x.ArrayValue.GetValues(), appendAnyValue)
			b = append(b, '}')
		}
	case *commonpb.AnyValue_KvlistValue:
		if x != nil {
			b = append(appendKey(b, `"kvlistValue":`), '{')
			b = appendList(b, `"values":`, x.KvlistValue.GetValues(), appendKeyValue)
			b = append(b, '}')
		}
	case *commonpb.AnyValue_BytesValue:
		if x != nil {
			b = appendBytes(appendKey(b, `"bytesValue":`), x.BytesValue)
		}
	case *commonpb.AnyValue_StringValueStrindex:
		if x != nil {
			b = strconv.AppendInt(appendKey(b, `"stringValueStrindex":`), int64(x.StringValueStrindex), 10)
		}
	}
	return append(b, '}')
}
