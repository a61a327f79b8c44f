package otlptest

import (
	"bytes"
	"net/http"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Signal names an OTLP signal.
type Signal string

// The OTLP signals a Server receives.
const (
	SignalTraces  Signal = "traces"
	SignalMetrics Signal = "metrics"
	SignalLogs    Signal = "logs"
)

// Transports recorded in [Request.Transport].
const (
	TransportHTTP = "http"
	TransportGRPC = "grpc"
)

// Request records one request the Server received, whatever became of it:
// accepted, rejected by a fault, malformed, or sent to an unknown path.
type Request struct {
	// Signal is the signal of the endpoint, or "" for an unknown path or method.
	Signal Signal
	// Transport is [TransportHTTP] or [TransportGRPC].
	Transport string
	// Path is the HTTP request path or the gRPC full method name
	// (for example "/opentelemetry.proto.collector.trace.v1.TraceService/Export").
	Path string
	// ContentType is the Content-Type header ("application/grpc" and the like for gRPC).
	ContentType string
	// ContentEncoding is the Content-Encoding header, or the gRPC compression ("gzip").
	ContentEncoding string
	// Header holds the HTTP headers, or the gRPC metadata under canonical header keys.
	Header http.Header
	// Body is the request body after decompression; for gRPC, the protobuf message bytes.
	Body []byte
	// Status is the HTTP status sent, or the gRPC status code as an int
	// (0 for OK); 0 for HTTP when no response was sent (a Reset fault or a
	// client that went away).
	Status int
	// Accepted reports whether the data was accepted and recorded as data.
	Accepted bool
	// Err explains a rejection: the decode error, the fault, or the cancellation.
	Err string
	// Time is when the request arrived.
	Time time.Time
}

func (r Request) clone() Request {
	r.Header = r.Header.Clone()
	r.Body = bytes.Clone(r.Body)
	return r
}

// Span is a received span with the resource and scope it was sent under.
type Span struct {
	// Resource is the resource of the ResourceSpans the span came in.
	Resource *resourcepb.Resource
	// Scope is the instrumentation scope of the ScopeSpans the span came in.
	Scope *commonpb.InstrumentationScope
	// Span is the span as decoded.
	Span *tracepb.Span
}

// Metric is a received metric with the resource and scope it was sent under.
type Metric struct {
	// Resource is the resource of the ResourceMetrics the metric came in.
	Resource *resourcepb.Resource
	// Scope is the instrumentation scope of the ScopeMetrics the metric came in.
	Scope *commonpb.InstrumentationScope
	// Metric is the metric as decoded, with its data points.
	Metric *metricspb.Metric
}

// LogRecord is a received log record with the resource and scope it was sent under.
type LogRecord struct {
	// Resource is the resource of the ResourceLogs the record came in.
	Resource *resourcepb.Resource
	// Scope is the instrumentation scope of the ScopeLogs the record came in.
	Scope *commonpb.InstrumentationScope
	// Record is the log record as decoded.
	Record *logspb.LogRecord
}

// Export is passed to the functions registered with [WithOnExport]: the
// request record and the decoded export request, of which exactly the field
// for Signal is set.
type Export struct {
	// Signal is the signal of the export request.
	Signal Signal
	// Request is the record of the request, as [Server.Requests] returns it.
	Request Request
	// Traces is the decoded request when Signal is traces, else nil.
	Traces *coltracepb.ExportTraceServiceRequest
	// Metrics is the decoded request when Signal is metrics, else nil.
	Metrics *colmetricspb.ExportMetricsServiceRequest
	// Logs is the decoded request when Signal is logs, else nil.
	Logs *collogspb.ExportLogsServiceRequest
}

// store is the data a Server has recorded. The Server's mutex guards it.
// Stored messages are never modified, and accessors hand out clones.
type store struct {
	requests   []Request
	traceReqs  []*coltracepb.ExportTraceServiceRequest
	metricReqs []*colmetricspb.ExportMetricsServiceRequest
	logReqs    []*collogspb.ExportLogsServiceRequest
	spans      []Span
	metrics    []Metric
	logs       []LogRecord
}

// addData flattens an accepted export request into the store.
func (st *store) addData(msg proto.Message) {
	switch req := msg.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		st.traceReqs = append(st.traceReqs, req)
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					st.spans = append(st.spans, Span{Resource: rs.GetResource(), Scope: ss.GetScope(), Span: sp})
				}
			}
		}
	case *colmetricspb.ExportMetricsServiceRequest:
		st.metricReqs = append(st.metricReqs, req)
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					st.metrics = append(st.metrics, Metric{Resource: rm.GetResource(), Scope: sm.GetScope(), Metric: m})
				}
			}
		}
	case *collogspb.ExportLogsServiceRequest:
		st.logReqs = append(st.logReqs, req)
		for _, rl := range req.GetResourceLogs() {
			for _, sl := range rl.GetScopeLogs() {
				for _, r := range sl.GetLogRecords() {
					st.logs = append(st.logs, LogRecord{Resource: rl.GetResource(), Scope: sl.GetScope(), Record: r})
				}
			}
		}
	}
}

// clone returns a deep copy of m, keeping nil as nil.
func clone[M proto.Message](m M) M {
	var zero M
	if any(m) == any(zero) {
		return m
	}
	return proto.Clone(m).(M)
}

// Requests returns a snapshot of every request received so far, in the order
// their responses were decided.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.data.requests))
	for i, r := range s.data.requests {
		out[i] = r.clone()
	}
	return out
}

// Spans returns copies of the spans of all accepted trace requests, in
// arrival order. Data of rejected requests (for example answered 503 by a
// fault) is not included.
func (s *Server) Spans() []Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneSpans(s.data.spans)
}

func cloneSpans(in []Span) []Span {
	out := make([]Span, len(in))
	for i, sp := range in {
		out[i] = Span{Resource: clone(sp.Resource), Scope: clone(sp.Scope), Span: clone(sp.Span)}
	}
	return out
}

// Metrics returns copies of the metrics of all accepted metrics requests, in arrival order.
func (s *Server) Metrics() []Metric {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMetrics(s.data.metrics, "")
}

// cloneMetrics copies the metrics named name, or all metrics when name is "".
func cloneMetrics(in []Metric, name string) []Metric {
	out := make([]Metric, 0, len(in))
	for _, m := range in {
		if name == "" || m.Metric.GetName() == name {
			out = append(out, Metric{Resource: clone(m.Resource), Scope: clone(m.Scope), Metric: clone(m.Metric)})
		}
	}
	return out
}

// Logs returns copies of the log records of all accepted logs requests, in arrival order.
func (s *Server) Logs() []LogRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneLogs(s.data.logs)
}

func cloneLogs(in []LogRecord) []LogRecord {
	out := make([]LogRecord, len(in))
	for i, r := range in {
		out[i] = LogRecord{Resource: clone(r.Resource), Scope: clone(r.Scope), Record: clone(r.Record)}
	}
	return out
}

// TraceRequests returns copies of the accepted trace export requests, in order.
func (s *Server) TraceRequests() []*coltracepb.ExportTraceServiceRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.data.traceReqs)
}

// MetricsRequests returns copies of the accepted metrics export requests, in order.
func (s *Server) MetricsRequests() []*colmetricspb.ExportMetricsServiceRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.data.metricReqs)
}

// LogsRequests returns copies of the accepted logs export requests, in order.
func (s *Server) LogsRequests() []*collogspb.ExportLogsServiceRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneAll(s.data.logReqs)
}

func cloneAll[M proto.Message](in []M) []M {
	out := make([]M, len(in))
	for i, m := range in {
		out[i] = clone(m)
	}
	return out
}

// Reset forgets every recorded request and all recorded data. Scripted
// faults, the default fault and stalled requests are not affected.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = store{}
	s.notifyLocked()
}
