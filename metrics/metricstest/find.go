package metricstest

import (
	"slices"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Lookup returns the metric called name in rm (the first one, across scopes) and whether it is there.
func Lookup(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

// Names returns the names of the metrics in rm, sorted, without repeats.
func Names(rm metricdata.ResourceMetrics) []string {
	var names []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// Find returns the metric called name in rm, failing the test if it is not there.
func Find(tb testing.TB, rm metricdata.ResourceMetrics, name string) metricdata.Metrics {
	tb.Helper()
	m, ok := Lookup(rm, name)
	if !ok {
		tb.Fatalf("metricstest: metric %q not found; metrics present: %q", name, Names(rm))
		return metricdata.Metrics{}
	}
	return m
}

// FindLatest returns the metric called name from the latest export that has it (exports are in
// order, as otelkit.Memory.Metrics returns them), failing the test if none has it.
func FindLatest(tb testing.TB, exports []metricdata.ResourceMetrics, name string) metricdata.Metrics {
	tb.Helper()
	for i := len(exports) - 1; i >= 0; i-- {
		if m, ok := Lookup(exports[i], name); ok {
			return m
		}
	}
	var seen []string
	for _, rm := range exports {
		seen = append(seen, Names(rm)...)
	}
	slices.Sort(seen)
	tb.Fatalf("metricstest: metric %q not found in %d export(s); metrics present: %q", name, len(exports), slices.Compact(seen))
	return metricdata.Metrics{}
}

// Latest returns the last export, failing the test when there is none.
func Latest(tb testing.TB, exports []metricdata.ResourceMetrics) metricdata.ResourceMetrics {
	tb.Helper()
	if len(exports) == 0 {
		tb.Fatalf("metricstest: no metric export")
		return metricdata.ResourceMetrics{}
	}
	return exports[len(exports)-1]
}

// Attrs returns an attribute set as a map of key to value (values as attribute.Value.String renders them,
// so the boolean true and the string "true" both become "true"). For typed values use the set itself, or
// Point.Set and [PointWithSet].
func Attrs(set attribute.Set) map[string]string {
	out := make(map[string]string, set.Len())
	for it := set.Iter(); it.Next(); {
		kv := it.Attribute()
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}

// ResourceAttrs returns the resource attributes of rm as a map.
func ResourceAttrs(rm metricdata.ResourceMetrics) map[string]string {
	if rm.Resource == nil {
		return map[string]string{}
	}
	return Attrs(*rm.Resource.Set())
}
