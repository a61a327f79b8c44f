package otlptest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/otelkit/otelkit/internal/otlpjson"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func TestHTTPJSON(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		encoding string
	}{
		{"plain", "/v1/traces", ""},
		{"gzip", "/v1/traces", "gzip"},
		{"custom path prefix", "/custom/prefix/v1/traces", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			c := newClient(t)
			body := []byte(jsonTrace)
			h := http.Header{}
			if tt.encoding == "gzip" {
				body = gzipBytes(t, body)
				h.Set("Content-Encoding", "gzip")
			}
			status, ct, resp := post(t, c, s.HTTPURL()+tt.path, "application/json; charset=utf-8", h, body)
			if status != http.StatusOK || ct != "application/json" || string(resp) != "{}" {
				t.Fatalf("got %d %q %s, want 200 application/json {}", status, ct, resp)
			}
			spans := s.WaitSpans(t, 1, waitTime)
			sp := spans[0]
			if sp.Span.GetName() != "GET /orders" || sp.TraceID() != hexTraceID || sp.SpanID() != hexSpanID || sp.ParentSpanID() != "" {
				t.Fatalf("decoded span %v", sp.Span)
			}
			if sp.Span.GetKind() != tracepb.Span_SPAN_KIND_SERVER || sp.Span.GetStartTimeUnixNano() != 1700000000000000000 ||
				sp.Span.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_OK {
				t.Fatalf("decoded span %v", sp.Span)
			}
			if got := sp.Attrs()["http.response.status_code"]; got != int64(200) {
				t.Fatalf("status code attribute = %#v", got)
			}
			if ServiceName(sp.Resource) != "checkout" || sp.Scope.GetName() != "raw" {
				t.Fatalf("resource %v scope %v", sp.Resource, sp.Scope)
			}
			reqs := s.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests recorded", len(reqs))
			}
			r := reqs[0]
			if r.Signal != SignalTraces || r.Transport != TransportHTTP || r.Path != tt.path || r.Status != 200 || !r.Accepted ||
				r.ContentEncoding != tt.encoding || string(r.Body) != jsonTrace || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("request record %+v", r)
			}
			if got := s.TraceRequests(); len(got) != 1 || len(got[0].GetResourceSpans()) != 1 {
				t.Fatalf("TraceRequests = %v", got)
			}
		})
	}
}

func TestHTTPProtobufAllSignals(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	traces := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{Name: "a"}, {Name: "b"}}}},
	}}}
	metrics := &colmetricspb.ExportMetricsServiceRequest{ResourceMetrics: []*metricspb.ResourceMetrics{{
		ScopeMetrics: []*metricspb.ScopeMetrics{{Metrics: []*metricspb.Metric{{
			Name: "requests", Data: &metricspb.Metric_Sum{Sum: &metricspb.Sum{DataPoints: []*metricspb.NumberDataPoint{
				{Value: &metricspb.NumberDataPoint_AsInt{AsInt: 3}}, {Value: &metricspb.NumberDataPoint_AsInt{AsInt: 4}},
			}}},
		}}}},
	}}}
	logs := &collogspb.ExportLogsServiceRequest{ResourceLogs: []*logspb.ResourceLogs{{
		ScopeLogs: []*logspb.ScopeLogs{{LogRecords: []*logspb.LogRecord{{
			Body: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "hello"}},
		}}}},
	}}}
	for path, msg := range map[string]proto.Message{"/v1/traces": traces, "/v1/metrics": metrics, "/v1/logs": logs} {
		body, err := proto.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		gz := http.Header{"Content-Encoding": {"gzip"}}
		status, ct, resp := post(t, c, s.HTTPURL()+path, "application/x-protobuf", gz, gzipBytes(t, body))
		if status != 200 || ct != "application/x-protobuf" || len(resp) != 0 {
			t.Fatalf("%s: got %d %q %q", path, status, ct, resp)
		}
	}
	if spans := s.WaitSpans(t, 2, waitTime); spans[0].Span.GetName() != "a" || spans[1].Span.GetName() != "b" {
		t.Fatalf("spans %v", spans)
	}
	m := s.WaitMetrics(t, "requests", waitTime)
	if len(m) != 1 || m[0].Kind() != "sum" || m[0].SumInt() != 7 || m[0].DataPoints() != 2 {
		t.Fatalf("metrics %v", m)
	}
	if l := s.WaitLogs(t, 1, waitTime); l[0].Body() != "hello" {
		t.Fatalf("logs %v", l)
	}
	if n := len(s.MetricsRequests()) + len(s.LogsRequests()) + len(s.TraceRequests()); n != 3 {
		t.Fatalf("%d accepted requests", n)
	}
	// Request.Body holds the decompressed body.
	for _, r := range s.Requests() {
		if r.ContentEncoding != "gzip" || len(r.Body) == 0 || r.Body[0] == 0x1f {
			t.Fatalf("request %s body not decompressed: %x", r.Path, r.Body[:2])
		}
	}
}

func TestHTTPRejects(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 2048)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		encoding    string
		body        []byte
		wantStatus  int
		wantErr     string // substring of the recorded error and the response body
		wantSignal  Signal
	}{
		{"unknown path", "POST", "/v1/profiles", "application/json", "", []byte(`{}`), 404, "no OTLP endpoint at /v1/profiles", ""},
		{"root path", "POST", "/", "application/json", "", []byte(`{}`), 404, "no OTLP endpoint at /", ""},
		{"GET", "GET", "/v1/traces", "application/json", "", nil, 405, "method GET not allowed", SignalTraces},
		{"text body", "POST", "/v1/traces", "text/plain", "", []byte(`{}`), 415, `unsupported Content-Type "text/plain"`, SignalTraces},
		{"no content type", "POST", "/v1/logs", "", "", []byte(`{}`), 415, `unsupported Content-Type ""`, SignalLogs},
		{"brotli", "POST", "/v1/traces", "application/json", "br", []byte(`{}`), 415, `unsupported Content-Encoding "br"`, SignalTraces},
		{"bad gzip", "POST", "/v1/traces", "application/json", "gzip", []byte(`{}`), 400, "invalid gzip body", SignalTraces},
		{"bad protobuf", "POST", "/v1/metrics", "application/x-protobuf", "", []byte{0xff, 0xff}, 400, "malformed application/x-protobuf metrics request", SignalMetrics},
		{"bad JSON", "POST", "/v1/traces", "application/json", "", []byte(`{"resourceSpans":`), 400, "malformed application/json traces request: otlpjson: invalid JSON", SignalTraces},
		{"body too large", "POST", "/v1/traces", "application/json", "", big, 413, "request body too large", SignalTraces},
		{"decompressed too large", "POST", "/v1/traces", "application/json", "gzip", big, 413, "decompressed body larger than 1024 bytes", SignalTraces},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t, WithMaxBodyBytes(1024))
			c := newClient(t)
			body := tt.body
			if tt.encoding == "gzip" && tt.name != "bad gzip" {
				body = gzipBytes(t, body)
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, s.HTTPURL()+tt.path, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var respBody bytes.Buffer
			_, _ = respBody.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || !strings.Contains(respBody.String(), tt.wantErr) ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("got %d %q %q, want %d containing %q", resp.StatusCode, resp.Header.Get("Content-Type"), respBody.String(), tt.wantStatus, tt.wantErr)
			}
			reqs := s.WaitRequests(t, 1, waitTime)
			r := reqs[0]
			if r.Status != tt.wantStatus || r.Accepted || !strings.Contains(r.Err, tt.wantErr) || r.Signal != tt.wantSignal || r.Path != tt.path {
				t.Fatalf("recorded %+v", r)
			}
			if len(s.Spans())+len(s.Metrics())+len(s.Logs()) != 0 {
				t.Fatal("data of a rejected request was recorded")
			}
		})
	}
}

func TestHTTPStrictJSON(t *testing.T) {
	base64Trace := "W47/95gDgQPSabYzgT/GDA=="
	tests := []struct {
		name    string
		body    string
		wantErr string
	}{
		{"base64 ids", strings.Replace(jsonTrace, hexTraceID, base64Trace, 1), "otlpjson: invalid id at resourceSpans[0].scopeSpans[0].spans[0].traceId"},
		{"enum names", strings.Replace(jsonTrace, `"kind":2`, `"kind":"SPAN_KIND_SERVER"`, 1), "otlpjson: enum value must be an integer at resourceSpans[0].scopeSpans[0].spans[0].kind"},
		{"snake case keys", strings.Replace(jsonTrace, `"startTimeUnixNano"`, `"start_time_unix_nano"`, 1), `otlpjson: key is not the lowerCamelCase JSON name at resourceSpans[0].scopeSpans[0].spans[0].start_time_unix_nano: use "startTimeUnixNano"`},
		{"unknown field", strings.Replace(jsonTrace, `"kind":2`, `"kind":2,"colour":"red"`, 1), "otlpjson: unknown field at resourceSpans[0].scopeSpans[0].spans[0].colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			strict := NewServer(t)
			lenient := NewServer(t, WithLenientJSON())
			c := newClient(t)
			status, _, resp := post(t, c, strict.HTTPURL()+"/v1/traces", "application/json", nil, []byte(tt.body))
			if status != 400 || !strings.Contains(string(resp), tt.wantErr) {
				t.Fatalf("strict: got %d %s, want 400 with %q", status, resp, tt.wantErr)
			}
			if r := strict.Requests()[0]; !strings.Contains(r.Err, tt.wantErr) || r.Accepted {
				t.Fatalf("strict: recorded %+v", r)
			}
			status, _, resp = post(t, c, lenient.HTTPURL()+"/v1/traces", "application/json", nil, []byte(tt.body))
			wantLenient := 200
			if tt.name == "base64 ids" {
				wantLenient = 400 // ids must be hex even for lenient receivers
			}
			if status != wantLenient {
				t.Fatalf("lenient: got %d %s, want %d", status, resp, wantLenient)
			}
		})
	}
}

// TestHTTPJSONResponses checks that success responses use the request's
// encoding, including the partial success message.
func TestHTTPJSONResponses(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.ScriptFor(SignalLogs, PartialSuccess(2, "two too old"))
	_, ct, resp := post(t, c, s.HTTPURL()+"/v1/logs", "application/json", nil, []byte(`{}`))
	var got collogspb.ExportLogsServiceResponse
	if err := otlpjson.Unmarshal(resp, &got, true); err != nil || ct != "application/json" {
		t.Fatalf("response %q %s: %v", ct, resp, err)
	}
	if got.GetPartialSuccess().GetRejectedLogRecords() != 2 || got.GetPartialSuccess().GetErrorMessage() != "two too old" {
		t.Fatalf("partial success %v", &got)
	}
	if string(resp) != `{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"two too old"}}` {
		t.Fatalf("response body %s", resp)
	}
}
