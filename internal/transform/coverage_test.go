package transform

import (
	"testing"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
)

// TestProviderMetricsCoverage guards the MeterProvider fixture: the SDK
// comparison proves something only if the data holds every case it is meant to.
func TestProviderMetricsCoverage(t *testing.T) {
	seen := map[string]bool{}
	mark := func(cond bool, what string) {
		if cond {
			seen[what] = true
		}
	}
	exemplars := func(ex []*metricspb.Exemplar) {
		for _, e := range ex {
			mark(len(e.FilteredAttributes) > 0, "exemplar filtered attributes")
			mark(len(e.TraceId) == 16 && len(e.SpanId) == 8, "exemplar trace context")
			mark(len(e.TraceId) == 0, "exemplar without trace context")
		}
	}
	for _, temp := range []metricdata.Temporality{metricdata.CumulativeTemporality, metricdata.DeltaTemporality} {
		out, err := ResourceMetrics(providerMetrics(t, temp))
		if err != nil {
			t.Fatal(err)
		}
		mark(len(out.Resource.Attributes) > 0 && out.SchemaUrl != "", "resource")
		for _, sm := range out.ScopeMetrics {
			mark(sm.Scope.Version != "" && sm.SchemaUrl != "" && len(sm.Scope.Attributes) > 0, "full scope")
			for _, m := range sm.Metrics {
				switch d := m.Data.(type) {
				case *metricspb.Metric_Gauge:
					for _, p := range d.Gauge.DataPoints {
						_, isInt := p.Value.(*metricspb.NumberDataPoint_AsInt)
						mark(isInt, "int gauge")
						mark(!isInt, "float gauge")
					}
				case *metricspb.Metric_Sum:
					mark(true, "sum "+d.Sum.AggregationTemporality.String()+map[bool]string{true: " monotonic", false: " up-down"}[d.Sum.IsMonotonic])
					for _, p := range d.Sum.DataPoints {
						exemplars(p.Exemplars)
					}
				case *metricspb.Metric_Histogram:
					for _, p := range d.Histogram.DataPoints {
						mark(p.Min != nil && p.Max != nil && len(p.ExplicitBounds) > 0, "histogram")
						exemplars(p.Exemplars)
					}
				case *metricspb.Metric_ExponentialHistogram:
					for _, p := range d.ExponentialHistogram.DataPoints {
						mark(len(p.Positive.GetBucketCounts()) > 0 && len(p.Negative.GetBucketCounts()) > 0 &&
							p.ZeroCount > 0 && p.Scale != 0, "exponential histogram")
					}
				}
			}
		}
	}
	for _, w := range []string{
		"resource", "full scope", "int gauge", "float gauge", "histogram", "exponential histogram",
		"sum AGGREGATION_TEMPORALITY_CUMULATIVE monotonic", "sum AGGREGATION_TEMPORALITY_CUMULATIVE up-down",
		"sum AGGREGATION_TEMPORALITY_DELTA monotonic", "sum AGGREGATION_TEMPORALITY_DELTA up-down",
		"exemplar filtered attributes", "exemplar trace context", "exemplar without trace context",
	} {
		if !seen[w] {
			t.Errorf("the fixture lacks %q", w)
		}
	}
}
