package otelkit

import (
	"sync/atomic"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/otelkit/otelkit/internal/batch"
)

// Stats counts what happened to the telemetry a Provider handled, per signal. Read it with [Provider.Stats].
type Stats struct {
	// Spans counts the sampled spans handed to otelkit's exporter.
	Spans SignalStats
	// MetricPoints counts the metric data points in otelkit's exports.
	MetricPoints SignalStats
	// LogRecords counts the log records handed to otelkit's exporter.
	LogRecords SignalStats
	// UnreportedWarnings counts the warnings (see [WithErrorHandler]) the error handler was never given:
	// made while it was 256 behind, or after Shutdown. The losses they describe are still in the counts above.
	UnreportedWarnings uint64
}

// SignalStats counts the items of one signal.
//
// Every item ends in exactly one of: delivered (Sent minus Rejected), Rejected, Failed or Dropped; items still
// queued or in flight are in none of them yet.
type SignalStats struct {
	// Sent is the number of items in exports the collector acknowledged.
	Sent uint64
	// Rejected is the number of acknowledged items the collector reported as rejected (OTLP partial success).
	Rejected uint64
	// Failed is the number of items in exports that failed permanently (for example HTTP 400), or, for metrics,
	// in any failed export.
	Failed uint64
	// Dropped is the number of items given up on without delivery: the queue was full, or they were still
	// queued when Shutdown's deadline passed; for metrics, the data points of the final collection that
	// Shutdown's deadline left no time to export. (Telemetry recorded after Shutdown is discarded by the SDK
	// before it reaches otelkit, and is not counted.)
	Dropped uint64
}

// Delivered is Sent minus Rejected.
func (s SignalStats) Delivered() uint64 { return s.Sent - s.Rejected }

// Lost is Rejected + Failed + Dropped: items that did not reach the collector's pipeline.
func (s SignalStats) Lost() uint64 { return s.Rejected + s.Failed + s.Dropped }

// sink collects one signal's counters and forwards warnings to the error handler.
type sink struct {
	signal   Signal
	handle   func(error)
	redact   func(string) string // removes configured header values from collector messages; may be nil
	sent     atomic.Uint64
	rejected atomic.Uint64
	failed   atomic.Uint64
	dropped  atomic.Uint64
	counters func() (sent, dropped, failed uint64) // the batch processor's counters, when the signal has one
}

func (s *sink) snapshot() SignalStats {
	st := SignalStats{Sent: s.sent.Load(), Rejected: s.rejected.Load(), Failed: s.failed.Load(), Dropped: s.dropped.Load()}
	if s.counters != nil {
		sent, d, f := s.counters()
		st.Sent += sent
		st.Dropped += d
		st.Failed += f
	}
	return st
}

// message sanitises text from a collector (or a proxy in front of it) for errors and logs: without the
// configured header values and endpoint credentials, printable and short. Secrets are removed before the
// text is shortened, so that no truncated secret is left for the redactor to miss.
func (s *sink) message(m string) string {
	if s.redact != nil {
		m = s.redact(m)
	}
	return sanitizeMessage(m)
}

// transportError returns err with its text redacted like a collector message (without truncation), for
// ExportError.Err: a transport error may quote what the peer sent back (a malformed status line echoing the
// request's query, a header line echoing a credential). errors.Is and errors.As still reach err.
func (s *sink) transportError(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	clean := text
	if s.redact != nil {
		clean = s.redact(clean)
	}
	clean = printable(clean)
	if clean == text {
		return err
	}
	return &redactedError{text: clean, err: err}
}

// hooks routes a batch processor's warnings to the error handler.
func (s *sink) hooks() batch.Hooks {
	return batch.Hooks{
		Dropped: func(n int, reason string) { s.handle(&DropError{Signal: s.signal, Count: n, Reason: reason}) },
		Error:   s.handle,
	}
}

// partial records an OTLP partial-success response to an export of items items. A collector claiming to
// reject more than it was sent is capped, so that Delivered never goes negative.
func (s *sink) partial(resp proto.Message, items int64) {
	var n int64
	var msg string
	switch r := resp.(type) {
	case *coltracepb.ExportTraceServiceResponse:
		n, msg = r.GetPartialSuccess().GetRejectedSpans(), r.GetPartialSuccess().GetErrorMessage()
	case *colmetricspb.ExportMetricsServiceResponse:
		n, msg = r.GetPartialSuccess().GetRejectedDataPoints(), r.GetPartialSuccess().GetErrorMessage()
	case *collogspb.ExportLogsServiceResponse:
		n, msg = r.GetPartialSuccess().GetRejectedLogRecords(), r.GetPartialSuccess().GetErrorMessage()
	}
	if n <= 0 && msg == "" {
		return
	}
	n = max(0, min(n, items))
	if n > 0 {
		s.rejected.Add(uint64(n))
	}
	s.handle(&PartialSuccessError{Signal: s.signal, Rejected: n, Message: s.message(msg)})
}

// items counts what an export request carries: spans, metric data points or log records.
func items(msg proto.Message) int64 {
	var n int
	switch m := msg.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		for _, rs := range m.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				n += len(ss.GetSpans())
			}
		}
	case *colmetricspb.ExportMetricsServiceRequest:
		for _, rm := range m.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, met := range sm.GetMetrics() {
					n += dataPoints(met)
				}
			}
		}
	case *collogspb.ExportLogsServiceRequest:
		for _, rl := range m.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				n += len(sl.GetLogRecords())
			}
		}
	}
	return int64(n)
}

func dataPoints(m *metricspb.Metric) int {
	switch d := m.GetData().(type) {
	case *metricspb.Metric_Gauge:
		return len(d.Gauge.GetDataPoints())
	case *metricspb.Metric_Sum:
		return len(d.Sum.GetDataPoints())
	case *metricspb.Metric_Histogram:
		return len(d.Histogram.GetDataPoints())
	case *metricspb.Metric_ExponentialHistogram:
		return len(d.ExponentialHistogram.GetDataPoints())
	case *metricspb.Metric_Summary:
		return len(d.Summary.GetDataPoints())
	}
	return 0
}
