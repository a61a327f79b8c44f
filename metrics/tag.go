package metrics

import (
	"sort"

	"go.opentelemetry.io/otel/attribute"
)

// Tag is one metric attribute: a string key and a string value. Tags are plain values so that a call such
// as c.Counter("x", 1, metrics.T("k", "v")) does not allocate.
type Tag struct {
	// Key is the attribute key: non-empty, at most [MaxTagKeyLength] characters of ASCII letters, digits
	// and "._-/" (see [ValidateTag]).
	Key string
	// Value is the attribute value, exported as a string attribute: non-empty, at most
	// [MaxTagValueLength] characters of ASCII letters, digits and "._-/" ([Sanitize] makes one from any
	// string).
	Value string
}

// T returns the tag key=value.
func T(key, value string) Tag { return Tag{Key: key, Value: value} }

// Tags converts a map into tags sorted by key.
func Tags(m map[string]string) []Tag {
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// mergeTags returns defaults overridden by tags, later tags winning, as an attribute set.
func mergeTags(defaults, tags []Tag) attribute.Set {
	kvs := make([]attribute.KeyValue, 0, len(defaults)+len(tags))
	for _, t := range defaults {
		kvs = append(kvs, attribute.String(t.Key, t.Value))
	}
	for _, t := range tags {
		kvs = append(kvs, attribute.String(t.Key, t.Value))
	}
	// NewSet keeps the last value of a repeated key.
	return attribute.NewSet(kvs...)
}

// sameTags reports whether a and b are the same tags in the same order.
func sameTags(a, b []Tag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
