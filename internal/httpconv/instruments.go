package httpconv

import (
	"errors"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	semhttp "go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
)

// DurationBuckets are the explicit bucket boundaries (seconds) otelhttp v0.72 gives the request duration
// histograms.
var DurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// ServerInstruments are the HTTP server histograms, named, described and bucketed as otelhttp creates them.
type ServerInstruments struct {
	// Duration is http.server.request.duration (s).
	Duration metric.Float64Histogram
	// RequestSize is http.server.request.body.size (By).
	RequestSize metric.Int64Histogram
	// ResponseSize is http.server.response.body.size (By).
	ResponseSize metric.Int64Histogram
}

// NewServerInstruments creates the server histograms with m. An instrument that cannot be created is a
// no-op and its error is returned (joined), so the caller can report it and carry on.
func NewServerInstruments(m metric.Meter) (ServerInstruments, error) {
	var in ServerInstruments
	dur, err1 := semhttp.NewServerRequestDuration(m, metric.WithExplicitBucketBoundaries(DurationBuckets...))
	req, err2 := semhttp.NewServerRequestBodySize(m)
	resp, err3 := semhttp.NewServerResponseBodySize(m)
	in.Duration, in.RequestSize, in.ResponseSize = dur.Inst(), req.Inst(), resp.Inst()
	if in.Duration == nil {
		in.Duration = noop.Float64Histogram{}
	}
	if in.RequestSize == nil {
		in.RequestSize = noop.Int64Histogram{}
	}
	if in.ResponseSize == nil {
		in.ResponseSize = noop.Int64Histogram{}
	}
	return in, errors.Join(err1, err2, err3)
}

// ClientInstruments are the HTTP client histograms, as otelhttp creates them.
type ClientInstruments struct {
	// Duration is http.client.request.duration (s).
	Duration metric.Float64Histogram
	// RequestSize is http.client.request.body.size (By).
	RequestSize metric.Int64Histogram
}

// NewClientInstruments creates the client histograms with m; see [NewServerInstruments] for errors.
func NewClientInstruments(m metric.Meter) (ClientInstruments, error) {
	var in ClientInstruments
	dur, err1 := semhttp.NewClientRequestDuration(m, metric.WithExplicitBucketBoundaries(DurationBuckets...))
	req, err2 := semhttp.NewClientRequestBodySize(m)
	in.Duration, in.RequestSize = dur.Inst(), req.Inst()
	if in.Duration == nil {
		in.Duration = noop.Float64Histogram{}
	}
	if in.RequestSize == nil {
		in.RequestSize = noop.Int64Histogram{}
	}
	return in, errors.Join(err1, err2)
}
