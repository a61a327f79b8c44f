package otlptest

import (
	"crypto/tls"
	"strings"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// dialGRPC connects to the server's gRPC endpoint; the connection is closed
// when the test ends. A nil tlsCfg dials without TLS.
func dialGRPC(t *testing.T, s *Server, tlsCfg *tls.Config) *grpc.ClientConn {
	t.Helper()
	creds := insecure.NewCredentials()
	if tlsCfg != nil {
		creds = credentials.NewTLS(tlsCfg)
	}
	conn, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func oneMetric(name string, v int64) *colmetricspb.ExportMetricsServiceRequest {
	return &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{{
		ScopeMetrics: []*metricspb.ScopeMetrics{{Metrics: []*metricspb.Metric{{
			Name: name, Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{DataPoints: []*metricspb.NumberDataPoint{
				{Value: &metricspb.NumberDataPoint_AsInt{AsInt: v}},
			}}},
		}}}},
	}}}
}

func oneLog(body string) *collogspb.ExportLogsServiceRequest {
	return &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{
			Body: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: body}},
		}}}},
	}}}
}

func oneSpan(name string) *coltracepb.ExportTraceServiceRequest {
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{Name: name}}}},
	}}}
}

func TestGRPCAllSignals(t *testing.T) {
	s := NewServer(t)
	conn := dialGRPC(t, s, nil)
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-api-key", "secret", "x-tenant", "t1")
	metricsReq := oneMetric("queue.depth", 9)
	if _, err := colmetricspb.NewMetricsServiceClient(conn).Export(ctx, metricsReq, grpc.UseCompressor(gzip.Name)); err != nil {
		t.Fatalf("metrics Export: %v", err)
	}
	if _, err := collogspb.NewLogsServiceClient(conn).Export(ctx, oneLog("hello")); err != nil {
		t.Fatalf("logs Export: %v", err)
	}
	if _, err := coltracepb.NewTraceServiceClient(conn).Export(ctx, oneSpan("op")); err != nil {
		t.Fatalf("trace Export: %v", err)
	}
	if m := s.WaitMetrics(t, "queue.depth", waitTime); m[0].SumInt() != 9 {
		t.Fatalf("metrics %v", m)
	}
	if l := s.WaitLogs(t, 1, waitTime); l[0].Body() != "hello" {
		t.Fatalf("logs %v", l)
	}
	if sp := s.WaitSpans(t, 1, waitTime); sp[0].Span.GetName() != "op" {
		t.Fatalf("spans %v", sp)
	}
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	m := reqs[0]
	if m.Signal != SignalMetrics || m.Transport != TransportGRPC || m.ContentEncoding != "gzip" ||
		m.Path != "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export" ||
		m.Header.Get("X-Api-Key") != "secret" || m.Header.Get("X-Tenant") != "t1" || !m.Accepted {
		t.Fatalf("metrics request %+v", m)
	}
	var body colmetricspb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(m.Body, &body); err != nil || !proto.Equal(&body, metricsReq) {
		t.Fatalf("recorded body %x does not decode to the request: %v", m.Body, err)
	}
	if reqs[1].Signal != SignalLogs || reqs[1].ContentEncoding != "" || reqs[2].Signal != SignalTraces {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestGRPCRejectedBeforeHandler(t *testing.T) {
	s := NewServer(t, WithMaxBodyBytes(64))
	conn := dialGRPC(t, s, nil)

	_, err := collogspb.NewLogsServiceClient(conn).Export(t.Context(), oneLog(strings.Repeat("x", 100)))
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("oversized message: got %v, want ResourceExhausted", err)
	}
	r := s.WaitRequests(t, 1, waitTime)[0]
	if r.Signal != SignalLogs || r.Status != int(codes.ResourceExhausted) || r.Accepted || !strings.Contains(r.Err, "larger than max") {
		t.Fatalf("oversized request recorded as %+v", r)
	}

	err = conn.Invoke(t.Context(), "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export",
		&collogspb.ExportLogsServiceRequest{}, &collogspb.ExportLogsServiceResponse{})
	if status.Code(err) != codes.Unimplemented {
		t.Fatalf("unknown method: got %v, want Unimplemented", err)
	}
	r = s.WaitRequests(t, 2, waitTime)[1]
	if r.Signal != "" || r.Status != int(codes.Unimplemented) || r.Path != "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export" {
		t.Fatalf("unknown method recorded as %+v", r)
	}
	if len(s.Logs()) != 0 {
		t.Fatal("data of a rejected request was recorded")
	}
}
