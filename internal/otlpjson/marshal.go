package otlpjson

import (
	"fmt"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Marshal encodes any of the six OTLP collector export requests and responses
// of traces, metrics and logs as OTLP/JSON. Other messages yield an error
// wrapping [ErrUnsupportedMessage].
func Marshal(m proto.Message) ([]byte, error) {
	switch x := m.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		return AppendTraces(nil, x), nil
	case *colmetricspb.ExportMetricsServiceRequest:
		return AppendMetrics(nil, x), nil
	case *collogspb.ExportLogsServiceRequest:
		return AppendLogs(nil, x), nil
	case *coltracepb.ExportTraceServiceResponse:
		ps := x.GetPartialSuccess()
		return appendResponse(nil, ps != nil, `"rejectedSpans":`, ps.GetRejectedSpans(), ps.GetErrorMessage()), nil
	case *colmetricspb.ExportMetricsServiceResponse:
		ps := x.GetPartialSuccess()
		return appendResponse(nil, ps != nil, `"rejectedDataPoints":`, ps.GetRejectedDataPoints(), ps.GetErrorMessage()), nil
	case *collogspb.ExportLogsServiceResponse:
		ps := x.GetPartialSuccess()
		return appendResponse(nil, ps != nil, `"rejectedLogRecords":`, ps.GetRejectedLogRecords(), ps.GetErrorMessage()), nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedMessage, m)
}

// appendResponse encodes an Export*ServiceResponse, whose only field is the
// partial_success message holding a rejected count and an error message.
func appendResponse(b []byte, partial bool, rejectedKey string, rejected int64, msg string) []byte {
	b = append(b, '{')
	if partial {
		b = append(appendKey(b, `"partialSuccess":`), '{')
		b = appendInt64Field(b, rejectedKey, rejected)
		b = appendStringField(b, `"errorMessage":`, msg)
		b = append(b, '}')
	}
	return append(b, '}')
}
