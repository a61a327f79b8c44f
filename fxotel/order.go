package fxotel

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit"
)

// fx delivers the values of a group in a random order (dig shuffles them on every build). The functions in
// this file turn the groups into inputs whose effect is the same on every run.

// applyOverrides runs the staged overrides by stage, then in the order they were made, and the unordered
// ones (put into the group directly, as plain SettingsOverride values) at the end of StageAdjust. Two
// unordered overrides are an error: nothing says which should win.
func applyOverrides(s *otelkit.Settings, staged []stagedOverride, unordered []SettingsOverride) error {
	unordered = slices.DeleteFunc(slices.Clone(unordered), func(o SettingsOverride) bool { return o == nil })
	if n := len(unordered); n > 1 {
		return fmt.Errorf("%w: %d SettingsOverride values put into %q directly, which fx delivers in random "+
			"order; add them with OverrideSettings or OverrideSettingsAt", ErrPluginConflict, n, GroupSettingsOverrides)
	}
	staged = slices.Clone(staged)
	slices.SortFunc(staged, func(a, b stagedOverride) int {
		return cmp.Or(cmp.Compare(a.stage, b.stage), cmp.Compare(a.seq, b.seq))
	})
	ranUnordered := len(unordered) == 0
	for _, o := range staged {
		if !ranUnordered && o.stage > StageAdjust {
			unordered[0](s)
			ranUnordered = true
		}
		if o.apply != nil {
			o.apply(s)
		}
	}
	if !ranUnordered {
		unordered[0](s)
	}
	return nil
}

// sortByType returns vs sorted by the name of each value's dynamic type (package path and name), keeping nil
// values out. Values of one type stay in the order they came in, which for a value group is random.
func sortByType[T any](vs []T) []T {
	out := make([]T, 0, len(vs))
	for _, v := range vs {
		if any(v) != nil {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b T) int {
		return cmp.Compare(typeName(reflect.TypeOf(a)), typeName(reflect.TypeOf(b)))
	})
	return out
}

// typeName names t with its full package path, which reflect.Type.String does not.
func typeName(t reflect.Type) string {
	switch {
	case t.Name() != "":
		return t.PkgPath() + "." + t.Name()
	case t.Kind() == reflect.Pointer:
		return "*" + typeName(t.Elem())
	default:
		return t.String()
	}
}

// resourceAttributes returns attrs sorted by key, with exact duplicates removed. A key with two different
// values is an error naming the key: which one won would depend on the group order.
func resourceAttributes(attrs []attribute.KeyValue) ([]attribute.KeyValue, error) {
	out := slices.Clone(attrs)
	slices.SortStableFunc(out, func(a, b attribute.KeyValue) int { return cmp.Compare(a.Key, b.Key) })
	for i := 1; i < len(out); i++ {
		if out[i].Key == out[i-1].Key && !sameValue(out[i].Value, out[i-1].Value) {
			return nil, fmt.Errorf("%w: resource attribute %q provided with two different values", ErrPluginConflict,
				string(out[i].Key))
		}
	}
	return slices.CompactFunc(out, func(a, b attribute.KeyValue) bool { return a.Key == b.Key }), nil
}

func sameValue(a, b attribute.Value) bool { return a.Type() == b.Type() && a.String() == b.String() }
