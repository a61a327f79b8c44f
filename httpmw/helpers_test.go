package httpmw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelkit/otelkit/httpmw"
)

// recorder is an in-memory tracer and meter provider pair for one test.
type recorder struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	mp     *sdkmetric.MeterProvider
}

func newRecorder(t testing.TB) *recorder {
	t.Helper()
	rec := &recorder{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	rec.tp = sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithSpanProcessor(rec.spans))
	rec.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(rec.reader))
	t.Cleanup(func() {
		_ = rec.tp.Shutdown(context.Background())
		_ = rec.mp.Shutdown(context.Background())
	})
	return rec
}

// opts returns the options that make httpmw record into rec, followed by more.
func (rec *recorder) opts(more ...httpmw.Option) []httpmw.Option {
	return append([]httpmw.Option{httpmw.WithTracerProvider(rec.tp), httpmw.WithMeterProvider(rec.mp)}, more...)
}

// ended returns the ended spans.
func (rec *recorder) ended() []sdktrace.ReadOnlySpan { return rec.spans.Ended() }

// only returns the single ended span, failing the test otherwise.
func (rec *recorder) only(t testing.TB) sdktrace.ReadOnlySpan {
	t.Helper()
	s := rec.ended()
	if len(s) != 1 {
		t.Fatalf("got %d ended spans, want 1: %v", len(s), spanNames(s))
	}
	return s[0]
}

func spanNames(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

// collect returns the metrics recorded so far.
func (rec *recorder) collect(t testing.TB) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := rec.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("collect: %v", err)
	}
	return rm
}

// metric returns the named metric, or false.
func findMetric(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

// histSets returns the attribute sets of a histogram's data points with their counts.
func histSets(t testing.TB, rm metricdata.ResourceMetrics, name string) map[attribute.Distinct]histPoint {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return nil
	}
	out := map[attribute.Distinct]histPoint{}
	switch d := m.Data.(type) {
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out[p.Attributes.Equivalent()] = histPoint{attrs: p.Attributes, count: p.Count, sum: p.Sum, bounds: p.Bounds}
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			out[p.Attributes.Equivalent()] = histPoint{attrs: p.Attributes, count: p.Count, sum: float64(p.Sum), bounds: p.Bounds}
		}
	default:
		t.Fatalf("%s is a %T, not a histogram", name, m.Data)
	}
	return out
}

type histPoint struct {
	attrs  attribute.Set
	count  uint64
	sum    float64
	bounds []float64
}

// attrMap returns attributes as a map of key to value (String form, to compare across types easily).
func attrMap(kvs []attribute.KeyValue) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

// setMap is attrMap for an attribute set.
func setMap(s attribute.Set) map[string]string { return attrMap(s.ToSlice()) }

// routesOf returns the sorted http.route values (or "-" when absent) of a histogram's points, one per
// request counted.
func routesOf(t testing.TB, rm metricdata.ResourceMetrics, name string) []string {
	t.Helper()
	var out []string
	for _, p := range histSets(t, rm, name) {
		r, ok := p.attrs.Value("http.route")
		v := "-"
		if ok {
			v = r.AsString()
		}
		for range p.count {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// serve runs one request through h and returns the response recorder.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// okHandler writes "ok".
func okHandler(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("ok"))
}

// waitEnded waits until rec has n ended spans (servers end theirs after the client may have its
// response) and returns them.
func (rec *recorder) waitEnded(t testing.TB, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := rec.ended()
		if len(s) >= n {
			if len(s) > n {
				t.Fatalf("got %d ended spans, want %d: %v", len(s), n, spanNames(s))
			}
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d ended spans, got %v", n, spanNames(s))
		}
		time.Sleep(2 * time.Millisecond)
	}
}
