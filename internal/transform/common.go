package transform

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
)

// invalidValue is what the SDK exporters send for an attribute type they do
// not know.
const invalidValue = "INVALID"

// Resource converts r to its OTLP form. The result is never nil, even for a
// nil or empty resource: this is how the metric exporter sends it. (The log
// exporter leaves the resource out when it has no attributes; [ResourceLogs]
// does the same.) The schema URL is not part of the OTLP Resource message; it
// goes on the ResourceMetrics or ResourceLogs that holds it.
func Resource(r *resource.Resource) *resourcepb.Resource {
	var c valueCounts
	c.addSet(r.Set())
	var a attrArena
	a.reserve(&c)
	a.res.reserve(1)
	return a.resource(r)
}

// Scope converts s to its OTLP form. The result is never nil. The schema URL
// is not part of the OTLP InstrumentationScope message; it goes on the
// ScopeMetrics or ScopeLogs that holds it.
func Scope(s instrumentation.Scope) *commonpb.InstrumentationScope {
	var c valueCounts
	c.addSet(&s.Attributes)
	var a attrArena
	a.reserve(&c)
	a.scopes.reserve(1)
	return a.scope(&s)
}

// KeyValues converts attrs to OTLP key-values, keeping their order. It
// returns nil for an empty slice.
func KeyValues(attrs []attribute.KeyValue) []*commonpb.KeyValue {
	var c valueCounts
	c.addKeyValues(attrs)
	var a attrArena
	a.reserve(&c)
	return a.keyValues(attrs)
}

// Value converts v to an OTLP AnyValue. It serves attribute values and log
// bodies alike (since otel v1.47 a log body is an [attribute.Value]), with
// every kind: scalars, bytes, typed slices, and nested slices and maps. The
// result is never nil: an empty value becomes an empty AnyValue, which is how
// the SDK exporters send an empty log body. A value of a kind this package
// does not know becomes the string "INVALID", as in the SDK exporters.
func Value(v attribute.Value) *commonpb.AnyValue {
	var c valueCounts
	c.add(v)
	var a attrArena
	a.reserve(&c)
	return a.value(v)
}

// attrArena converts attributes and values, carving the OTLP messages out of
// slabs.
type attrArena struct {
	kvs     slab[commonpb.KeyValue]
	kvPtrs  slab[*commonpb.KeyValue]
	anys    slab[commonpb.AnyValue]
	anyPtrs slab[*commonpb.AnyValue]
	strs    slab[commonpb.AnyValue_StringValue]
	ints    slab[commonpb.AnyValue_IntValue]
	doubles slab[commonpb.AnyValue_DoubleValue]
	bools   slab[commonpb.AnyValue_BoolValue]
	bytes   slab[commonpb.AnyValue_BytesValue]
	arrays  slab[commonpb.AnyValue_ArrayValue]
	arrayVs slab[commonpb.ArrayValue]
	kvlists slab[commonpb.AnyValue_KvlistValue]
	kvlistV slab[commonpb.KeyValueList]
	scopes  slab[commonpb.InstrumentationScope]
	res     slab[resourcepb.Resource]
}

func (a *attrArena) resource(r *resource.Resource) *resourcepb.Resource {
	out := a.res.new()
	out.Attributes = a.set(r.Set())
	return out
}

func (a *attrArena) scope(s *instrumentation.Scope) *commonpb.InstrumentationScope {
	out := a.scopes.new()
	out.Name = s.Name
	out.Version = s.Version
	out.Attributes = a.set(&s.Attributes)
	return out
}

// set converts the attributes of s in their (sorted) set order.
func (a *attrArena) set(s *attribute.Set) []*commonpb.KeyValue {
	out := a.kvPtrs.make(s.Len())
	for i := range out {
		kv, _ := s.Get(i)
		out[i] = a.keyValue(kv)
	}
	return out
}

func (a *attrArena) keyValues(attrs []attribute.KeyValue) []*commonpb.KeyValue {
	out := a.kvPtrs.make(len(attrs))
	for i := range out {
		out[i] = a.keyValue(attrs[i])
	}
	return out
}

func (a *attrArena) keyValue(kv attribute.KeyValue) *commonpb.KeyValue {
	out := a.kvs.new()
	out.Key = string(kv.Key)
	out.Value = a.value(kv.Value)
	return out
}

// value converts v. The cases mirror the SDK exporters' conversion.
func (a *attrArena) value(v attribute.Value) *commonpb.AnyValue {
	av := a.anys.new()
	switch v.Type() {
	case attribute.EMPTY:
	case attribute.BOOL:
		w := a.bools.new()
		w.BoolValue = v.AsBool()
		av.Value = w
	case attribute.INT64:
		w := a.ints.new()
		w.IntValue = v.AsInt64()
		av.Value = w
	case attribute.FLOAT64:
		w := a.doubles.new()
		w.DoubleValue = v.AsFloat64()
		av.Value = w
	case attribute.STRING:
		av.Value = a.str(v.AsString())
	case attribute.BYTESLICE:
		w := a.bytes.new()
		w.BytesValue = v.AsByteSlice()
		av.Value = w
	case attribute.BOOLSLICE:
		vals := v.AsBoolSlice()
		elems := a.array(av, len(vals))
		for i, b := range vals {
			w := a.bools.new()
			w.BoolValue = b
			elems[i] = a.anys.new()
			elems[i].Value = w
		}
	case attribute.INT64SLICE:
		vals := v.AsInt64Slice()
		elems := a.array(av, len(vals))
		for i, n := range vals {
			w := a.ints.new()
			w.IntValue = n
			elems[i] = a.anys.new()
			elems[i].Value = w
		}
	case attribute.FLOAT64SLICE:
		vals := v.AsFloat64Slice()
		elems := a.array(av, len(vals))
		for i, f := range vals {
			w := a.doubles.new()
			w.DoubleValue = f
			elems[i] = a.anys.new()
			elems[i].Value = w
		}
	case attribute.STRINGSLICE:
		vals := v.AsStringSlice()
		elems := a.array(av, len(vals))
		for i, s := range vals {
			elems[i] = a.anys.new()
			elems[i].Value = a.str(s)
		}
	case attribute.SLICE:
		vals := v.AsSlice()
		elems := a.array(av, len(vals))
		for i := range vals {
			elems[i] = a.value(vals[i])
		}
	case attribute.MAP:
		w := a.kvlists.new()
		w.KvlistValue = a.kvlistV.new()
		w.KvlistValue.Values = a.keyValues(v.AsMap())
		av.Value = w
	default:
		av.Value = a.str(invalidValue)
	}
	return av
}

func (a *attrArena) str(s string) *commonpb.AnyValue_StringValue {
	w := a.strs.new()
	w.StringValue = s
	return w
}

// array makes av an array of n elements and returns the elements to fill.
func (a *attrArena) array(av *commonpb.AnyValue, n int) []*commonpb.AnyValue {
	w := a.arrays.new()
	w.ArrayValue = a.arrayVs.new()
	w.ArrayValue.Values = a.anyPtrs.make(n)
	av.Value = w
	return w.ArrayValue.Values
}
