package metricstest

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Point is one data point of a sum, gauge or histogram, flattened for assertions.
type Point struct {
	// Attrs are the point's attributes, every value rendered as a string (see [Attrs]): the string "true"
	// and the boolean true look the same here. Set has the typed values.
	Attrs map[string]string
	// Set is the point's attribute set as recorded, with typed values. Match it with [PointWithSet].
	Set attribute.Set
	// Value is the value of a sum or gauge point (int64 values converted); for a histogram, its sum.
	Value float64
	// Int is the value of an int64 sum or gauge point.
	Int int64
	// Count is the number of measurements of a histogram point.
	Count uint64
	// Sum is the sum of the measurements of a histogram point.
	Sum float64
	// Bounds are the bucket boundaries of a histogram point (a copy).
	Bounds []float64
	// BucketCounts are the counts of a histogram point's buckets, one more than Bounds (a copy).
	BucketCounts []uint64
}

// String renders the point's attributes as {k=v, ...}, sorted by key.
func (p Point) String() string { return formatAttrs(p.Attrs) }

func formatAttrs(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// Kind names the data type of m: "sum[int64]", "gauge[float64]", "histogram[float64]", ...
func Kind(m metricdata.Metrics) string {
	switch m.Data.(type) {
	case metricdata.Sum[int64]:
		return "sum[int64]"
	case metricdata.Sum[float64]:
		return "sum[float64]"
	case metricdata.Gauge[int64]:
		return "gauge[int64]"
	case metricdata.Gauge[float64]:
		return "gauge[float64]"
	case metricdata.Histogram[int64]:
		return "histogram[int64]"
	case metricdata.Histogram[float64]:
		return "histogram[float64]"
	case nil:
		return "none"
	}
	return fmt.Sprintf("%T", m.Data)
}

// Points returns the data points of m sorted by their attributes. It fails the test for data types it
// does not know (exponential histograms, summaries).
func Points(tb testing.TB, m metricdata.Metrics) []Point {
	tb.Helper()
	pts, ok := points(tb, m)
	if !ok {
		return nil
	}
	keys := make(map[*Point]string, len(pts))
	for i := range pts {
		keys[&pts[i]] = pts[i].String()
	}
	idx := make([]int, len(pts))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return keys[&pts[idx[a]]] < keys[&pts[idx[b]]] })
	out := make([]Point, len(pts))
	for i, j := range idx {
		out[i] = pts[j]
	}
	return out
}

// points returns the data points of m in the order of the data; ok is false (after failing the test) for
// data types it does not know.
func points(tb testing.TB, m metricdata.Metrics) (pts []Point, ok bool) {
	tb.Helper()
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		return numberPoints(d.DataPoints), true
	case metricdata.Sum[float64]:
		return numberPoints(d.DataPoints), true
	case metricdata.Gauge[int64]:
		return numberPoints(d.DataPoints), true
	case metricdata.Gauge[float64]:
		return numberPoints(d.DataPoints), true
	case metricdata.Histogram[int64]:
		return histPoints(d.DataPoints), true
	case metricdata.Histogram[float64]:
		return histPoints(d.DataPoints), true
	}
	tb.Fatalf("metricstest: metric %q has unsupported data %s", m.Name, Kind(m))
	return nil, false
}

func numberPoints[N int64 | float64](dps []metricdata.DataPoint[N]) []Point {
	out := make([]Point, len(dps))
	for i, dp := range dps {
		out[i] = Point{Attrs: Attrs(dp.Attributes), Set: dp.Attributes, Value: float64(dp.Value), Int: int64(dp.Value)}
	}
	return out
}

func histPoints[N int64 | float64](dps []metricdata.HistogramDataPoint[N]) []Point {
	out := make([]Point, len(dps))
	for i, dp := range dps {
		out[i] = Point{
			Attrs: Attrs(dp.Attributes), Set: dp.Attributes, Value: float64(dp.Sum), Sum: float64(dp.Sum), Count: dp.Count,
			Bounds: slices.Clone(dp.Bounds), BucketCounts: slices.Clone(dp.BucketCounts),
		}
	}
	return out
}

// AttrSets returns the attributes of every point of m, sorted.
func AttrSets(tb testing.TB, m metricdata.Metrics) []map[string]string {
	tb.Helper()
	pts := Points(tb, m)
	out := make([]map[string]string, len(pts))
	for i, p := range pts {
		out[i] = p.Attrs
	}
	return out
}

// PointWith returns the point of m whose attributes, rendered as strings (see [Attrs]), are exactly
// attrs. It fails the test (listing the attribute sets present) when there is none, and when two points
// match, which happens only when they differ in the types of their values (the string "true" and the
// boolean true); use [PointWithSet] then.
func PointWith(tb testing.TB, m metricdata.Metrics, attrs map[string]string) Point {
	tb.Helper()
	pts, ok := points(tb, m)
	if !ok {
		return Point{}
	}
	found := -1
	for i, p := range pts {
		if !maps.Equal(p.Attrs, attrs) {
			continue
		}
		if found >= 0 {
			tb.Fatalf("metricstest: metric %q has two points with attributes %s, of different types: %s and %s; use PointWithSet",
				m.Name, formatAttrs(attrs), formatSet(pts[found].Set), formatSet(p.Set))
			return Point{}
		}
		found = i
	}
	if found >= 0 {
		return pts[found]
	}
	tb.Fatalf("metricstest: metric %q has no point with attributes %s; points: %s", m.Name, formatAttrs(attrs), describe(Points(tb, m)))
	return Point{}
}

// PointWithSet returns the point of m whose attribute set is exactly want, types included: the string
// "true" does not match the boolean true. It fails the test (listing the typed attribute sets present)
// when there is none.
//
//	overflow := metricstest.PointWithSet(t, m, attribute.NewSet(attribute.String(metrics.OverflowKey, "true")))
func PointWithSet(tb testing.TB, m metricdata.Metrics, want attribute.Set) Point {
	tb.Helper()
	pts, ok := points(tb, m)
	if !ok {
		return Point{}
	}
	for _, p := range pts {
		if p.Set.Equals(&want) {
			return p
		}
	}
	sorted := Points(tb, m)
	have := make([]string, len(sorted))
	for i, p := range sorted {
		have[i] = formatSet(p.Set)
	}
	tb.Fatalf("metricstest: metric %q has no point with attributes %s; points: %s", m.Name, formatSet(want), strings.Join(have, " "))
	return Point{}
}

// formatSet renders a set as {k=v, ...} sorted by key, naming the type of every value that is not a
// string: {flag=true (BOOL), k=v}.
func formatSet(set attribute.Set) string {
	parts := make([]string, 0, set.Len())
	for it := set.Iter(); it.Next(); {
		kv := it.Attribute()
		part := string(kv.Key) + "=" + kv.Value.String()
		if kv.Value.Type() != attribute.STRING {
			part += " (" + kv.Value.Type().String() + ")"
		}
		parts = append(parts, part)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// describe renders the attributes of pts for a failure message.
func describe(pts []Point) string {
	have := make([]string, len(pts))
	for i, p := range pts {
		have[i] = p.String()
	}
	return strings.Join(have, " ")
}

// Only returns the single point of m, failing the test when m has another number of points.
func Only(tb testing.TB, m metricdata.Metrics) Point {
	tb.Helper()
	if _, ok := points(tb, m); !ok {
		return Point{}
	}
	pts := Points(tb, m)
	if len(pts) != 1 {
		tb.Fatalf("metricstest: metric %q has %d points, want 1: %s", m.Name, len(pts), describe(pts))
		return Point{}
	}
	return pts[0]
}

// SumInt returns the value of the point with exactly attrs of the int64 sum m (a counter), failing the
// test if m is not an int64 sum or has no such point.
func SumInt(tb testing.TB, m metricdata.Metrics, attrs map[string]string) int64 {
	tb.Helper()
	if _, ok := m.Data.(metricdata.Sum[int64]); !ok {
		tb.Fatalf("metricstest: metric %q is %s, not sum[int64]", m.Name, Kind(m))
		return 0
	}
	return PointWith(tb, m, attrs).Int
}

// TotalInt returns the sum of every point of the int64 sum m.
func TotalInt(tb testing.TB, m metricdata.Metrics) int64 {
	tb.Helper()
	if _, ok := m.Data.(metricdata.Sum[int64]); !ok {
		tb.Fatalf("metricstest: metric %q is %s, not sum[int64]", m.Name, Kind(m))
		return 0
	}
	var total int64
	pts, _ := points(tb, m) // a sum[int64]: always known
	for _, p := range pts {
		total += p.Int
	}
	return total
}

// GaugeValue returns the value of the point with exactly attrs of the gauge m (int64 values
// converted), failing the test if m is not a gauge or has no such point.
func GaugeValue(tb testing.TB, m metricdata.Metrics, attrs map[string]string) float64 {
	tb.Helper()
	switch m.Data.(type) {
	case metricdata.Gauge[int64], metricdata.Gauge[float64]:
	default:
		tb.Fatalf("metricstest: metric %q is %s, not a gauge", m.Name, Kind(m))
		return 0
	}
	return PointWith(tb, m, attrs).Value
}

// Histogram returns the point with exactly attrs of the histogram m: bounds, bucket counts, sum and
// count. It fails the test if m is not a histogram or has no such point.
func Histogram(tb testing.TB, m metricdata.Metrics, attrs map[string]string) Point {
	tb.Helper()
	switch m.Data.(type) {
	case metricdata.Histogram[int64], metricdata.Histogram[float64]:
	default:
		tb.Fatalf("metricstest: metric %q is %s, not a histogram", m.Name, Kind(m))
		return Point{}
	}
	return PointWith(tb, m, attrs)
}
