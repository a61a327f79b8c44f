package transform

import (
	"errors"
	"reflect"
	"strconv"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

var (
	// ErrUnknownAggregation reports a metric whose Data is not one of the
	// metricdata aggregations (Gauge, Sum, Histogram, ExponentialHistogram of
	// int64 or float64, or Summary), including a nil Data.
	ErrUnknownAggregation = errors.New("unknown aggregation")
	// ErrUnknownTemporality reports a sum or histogram whose temporality is
	// neither delta nor cumulative.
	ErrUnknownTemporality = errors.New("unknown temporality")
)

// MetricError reports a metric that [ResourceMetrics] could not convert and
// left out of its result.
type MetricError struct {
	// Scope is the name of the instrumentation scope of the metric.
	Scope string
	// Name is the name of the metric.
	Name string
	// Points is the number of data points left out with the metric, as
	// [DataPointCount] counts them (zero for an unknown aggregation).
	Points int
	// Err is [ErrUnknownAggregation] or [ErrUnknownTemporality].
	Err error
	// detail names the offending aggregation type or temporality.
	detail string
}

// Error returns the reason the metric was left out, naming the metric, its
// scope and the offending aggregation type or temporality.
func (e *MetricError) Error() string {
	reason := "invalid data"
	if e.Err != nil {
		reason = e.Err.Error()
	}
	msg := "transform: metric " + strconv.Quote(e.Name) + " of scope " + strconv.Quote(e.Scope) +
		" left out: " + reason
	if e.detail != "" {
		msg += " " + e.detail
	}
	return msg
}

// Unwrap returns Err.
func (e *MetricError) Unwrap() error { return e.Err }

func newMetricError(scope string, m *metricdata.Metrics, err error) *MetricError {
	e := &MetricError{Scope: scope, Name: m.Name, Points: pointCount(m.Data), Err: err}
	switch {
	case errors.Is(err, ErrUnknownTemporality):
		e.detail = temporalityOf(m.Data).String()
	case m.Data == nil:
		e.detail = "<nil>"
	default:
		e.detail = reflect.TypeOf(m.Data).String()
	}
	return e
}

// temporalityOf returns the temporality of d, for error messages.
func temporalityOf(d metricdata.Aggregation) metricdata.Temporality {
	switch d := d.(type) {
	case metricdata.Sum[int64]:
		return d.Temporality
	case metricdata.Sum[float64]:
		return d.Temporality
	case metricdata.Histogram[int64]:
		return d.Temporality
	case metricdata.Histogram[float64]:
		return d.Temporality
	case metricdata.ExponentialHistogram[int64]:
		return d.Temporality
	case metricdata.ExponentialHistogram[float64]:
		return d.Temporality
	}
	return 0
}
