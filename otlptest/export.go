package otlptest

import (
	"github.com/otelkit/otelkit/internal/otlpjson"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// responseMessage builds the Export*ServiceResponse for sig, with
// partial_success set for a PartialSuccess fault.
func responseMessage(sig Signal, f Fault) proto.Message {
	partial := f.kind == faultPartial
	switch sig {
	case SignalTraces:
		resp := &coltracepb.ExportTraceServiceResponse{}
		if partial {
			resp.PartialSuccess = &coltracepb.ExportTracePartialSuccess{RejectedSpans: f.rejected, ErrorMessage: f.message}
		}
		return resp
	case SignalMetrics:
		resp := &colmetricspb.ExportMetricsServiceResponse{}
		if partial {
			resp.PartialSuccess = &colmetricspb.ExportMetricsPartialSuccess{RejectedDataPoints: f.rejected, ErrorMessage: f.message}
		}
		return resp
	default:
		resp := &collogspb.ExportLogsServiceResponse{}
		if partial {
			resp.PartialSuccess = &collogspb.ExportLogsPartialSuccess{RejectedLogRecords: f.rejected, ErrorMessage: f.message}
		}
		return resp
	}
}

// response encodes the response for an HTTP request in its media type.
func (s *Server) response(sig Signal, f Fault, mediaType string) ([]byte, error) {
	msg := responseMessage(sig, f)
	if mediaType == contentTypeJSON {
		return otlpjson.Marshal(msg)
	}
	return proto.Marshal(msg)
}

// accept runs the WithOnExport functions with copies of an accepted request,
// then records it with its data, so that a test that has waited for the data
// also sees the effects of the functions.
func (s *Server) accept(rec Request, msg proto.Message) {
	defer s.record(rec, msg)
	for _, fn := range s.cfg.onExport {
		e := Export{Signal: rec.Signal, Request: rec.clone()}
		switch m := proto.Clone(msg).(type) {
		case *coltracepb.ExportTraceServiceRequest:
			e.Traces = m
		case *colmetricspb.ExportMetricsServiceRequest:
			e.Metrics = m
		case *collogspb.ExportLogsServiceRequest:
			e.Logs = m
		}
		fn(e)
	}
}
