package otlpproto

import (
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
)

// Messages shared by all signals.

// sizeKeyValues returns the size of a repeated KeyValue field.
func (e *Encoder) sizeKeyValues(kvs []*commonpb.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		n += sizeLen(e.sizeKeyValue(kv))
	}
	return n
}

func (e *Encoder) appendKeyValues(b []byte, t byte, kvs []*commonpb.KeyValue) []byte {
	for _, kv := range kvs {
		b = e.appendKeyValue(e.appendLen(append(b, t)), kv)
	}
	return b
}

func (e *Encoder) sizeResource(r *resourcepb.Resource) int {
	i := e.reserve()
	n := 0
	if r != nil {
		n = e.sizeKeyValues(r.Attributes) +
			sizeVarintField(uint64(r.DroppedAttributesCount))
		for _, ref := range r.EntityRefs {
			n += sizeLen(e.sizeEntityRef(ref))
		}
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendResource(b []byte, r *resourcepb.Resource) []byte {
	if r == nil {
		return b
	}
	b = e.appendKeyValues(b, tag(1, wireBytes), r.Attributes)
	b = appendVarintField(b, tag(2, wireVarint), uint64(r.DroppedAttributesCount))
	for _, ref := range r.EntityRefs {
		b = e.appendEntityRef(e.appendLen(append(b, tag(3, wireBytes))), ref)
	}
	return b
}

func (e *Encoder) sizeEntityRef(ref *commonpb.EntityRef) int {
	i := e.reserve()
	n := 0
	if ref != nil {
		n = e.sizeStringField(ref.SchemaUrl) + e.sizeStringField(ref.Type)
		for _, k := range ref.IdKeys {
			n += sizeLen(e.stringLen(k))
		}
		for _, k := range ref.DescriptionKeys {
			n += sizeLen(e.stringLen(k))
		}
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendEntityRef(b []byte, ref *commonpb.EntityRef) []byte {
	if ref == nil {
		return b
	}
	b = e.appendStringField(b, tag(1, wireBytes), ref.SchemaUrl)
	b = e.appendStringField(b, tag(2, wireBytes), ref.Type)
	// Repeated strings are written even when empty.
	for _, k := range ref.IdKeys {
		b = e.appendString(append(b, tag(3, wireBytes)), k)
	}
	for _, k := range ref.DescriptionKeys {
		b = e.appendString(append(b, tag(4, wireBytes)), k)
	}
	return b
}

func (e *Encoder) sizeScope(s *commonpb.InstrumentationScope) int {
	i := e.reserve()
	n := 0
	if s != nil {
		n = e.sizeStringField(s.Name) +
			e.sizeStringField(s.Version) +
			e.sizeKeyValues(s.Attributes) +
			sizeVarintField(uint64(s.DroppedAttributesCount))
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendScope(b []byte, s *commonpb.InstrumentationScope) []byte {
	if s == nil {
		return b
	}
	b = e.appendStringField(b, tag(1, wireBytes), s.Name)
	b = e.appendStringField(b, tag(2, wireBytes), s.Version)
	b = e.appendKeyValues(b, tag(3, wireBytes), s.Attributes)
	return appendVarintField(b, tag(4, wireVarint), uint64(s.DroppedAttributesCount))
}

func (e *Encoder) sizeKeyValue(kv *commonpb.KeyValue) int {
	i := e.reserve()
	n := 0
	if kv != nil {
		n = e.sizeStringField(kv.Key)
		if kv.Value != nil {
			n += sizeLen(e.sizeAnyValue(kv.Value))
		}
		n += sizeVarintField(int32Varint(kv.KeyStrindex))
	}
	e.sizes[i] = n
	return n
}

func (e *Encoder) appendKeyValue(b []byte, kv *commonpb.KeyValue) []byte {
	if kv == nil {
		return b
	}
	b = e.appendStringField(b, tag(1, wireBytes), kv.Key)
	if kv.Value != nil {
		b = e.appendAnyValueField(b, tag(2, wireBytes), kv.Value)
	}
	return appendVarintField(b, tag(3, wireVarint), int32Varint(kv.KeyStrindex))
}
