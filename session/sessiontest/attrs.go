package sessiontest

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// SpanEvent is a span event with the context of the span that holds it.
type SpanEvent struct {
	// Event is the span event: name, time and attributes.
	sdktrace.Event
	// SpanContext is the context of the span that holds the event.
	SpanContext trace.SpanContext
}

// Map converts attributes to a map of plain Go values (string, int64, float64, bool, or a slice of
// them), as attribute.Value.AsInterface returns them. A key that appears more than once fails the test
// (OTLP requires the keys of a record or event to be unique); the map keeps its last value.
func Map(tb testing.TB, kvs []attribute.KeyValue) map[string]any {
	tb.Helper()
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		k := string(kv.Key)
		if old, dup := m[k]; dup {
			tb.Errorf("sessiontest: attribute key %s appears more than once (%#v, then %#v)", k, old, kv.Value.AsInterface())
		}
		m[k] = kv.Value.AsInterface()
	}
	return m
}

// LogAttrs returns the attributes of a log record as a map, failing the test on a repeated key (see [Map]).
func LogAttrs(tb testing.TB, r sdklog.Record) map[string]any {
	tb.Helper()
	kvs := make([]attribute.KeyValue, 0, r.AttributesLen())
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		kvs = append(kvs, kv)
		return true
	})
	return Map(tb, kvs)
}

// EventAttrs returns the attributes of a span event as a map, failing the test on a repeated key (see [Map]).
func EventAttrs(tb testing.TB, e SpanEvent) map[string]any {
	tb.Helper()
	return Map(tb, e.Attributes)
}

// Keys returns the keys of m, sorted.
func Keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AssertKeys fails the test unless the keys of got are exactly keys (in any order), naming the missing
// and the unexpected ones.
func AssertKeys(tb testing.TB, got map[string]any, keys ...string) {
	tb.Helper()
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	var missing, extra []string
	for _, k := range keys {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	for _, k := range Keys(got) {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		slices.Sort(missing)
		tb.Errorf("sessiontest: attribute keys differ: missing %v, unexpected %v", missing, extra)
	}
}

// AssertAttrs fails the test unless got holds every key of want with an equal value. Integer wants may
// be written as int; they are compared as int64.
func AssertAttrs(tb testing.TB, got, want map[string]any) {
	tb.Helper()
	var diffs []string
	for _, k := range sortedKeys(want) {
		w := want[k]
		if i, ok := w.(int); ok {
			w = int64(i)
		}
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: missing, want %#v", k, w))
		case !reflect.DeepEqual(g, w):
			diffs = append(diffs, fmt.Sprintf("%s: got %#v, want %#v", k, g, w))
		}
	}
	if len(diffs) > 0 {
		tb.Errorf("sessiontest: attributes differ:\n\t%s", strings.Join(diffs, "\n\t"))
	}
}

// AssertAbsent fails the test if got has any of keys.
func AssertAbsent(tb testing.TB, got map[string]any, keys ...string) {
	tb.Helper()
	for _, k := range keys {
		if v, ok := got[k]; ok {
			tb.Errorf("sessiontest: attribute %s must be absent, got %#v", k, v)
		}
	}
}

// MetricAttrSets returns the attribute sets of the data points of the metric called name in rm, as
// string maps, failing the test when the metric is missing.
func MetricAttrSets(tb testing.TB, rm metricdata.ResourceMetrics, name string) []map[string]string {
	tb.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			var sets []attribute.Set
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Sum[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			default:
				tb.Fatalf("sessiontest: metric %q has unsupported data %T", name, m.Data)
			}
			out := make([]map[string]string, len(sets))
			for i, s := range sets {
				out[i] = make(map[string]string, s.Len())
				for _, kv := range s.ToSlice() {
					out[i][string(kv.Key)] = kv.Value.String()
				}
			}
			return out
		}
	}
	tb.Fatalf("sessiontest: metric %q not found in the snapshot", name)
	return nil
}

func sortedKeys(m map[string]any) []string { return Keys(m) }
