package otlptest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestFaultStatusSequenceHTTP(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(503).WithRetryAfter(1500*time.Millisecond), Status(429).WithRetryAfter(3*time.Second), Status(500), Fault{})
	want := []struct {
		status     int
		retryAfter string
		err        string
	}{
		{503, "2", "fault: status 503 (retry after 1.5s)"},
		{429, "3", "fault: status 429 (retry after 3s)"},
		{500, "", "fault: status 500"},
		{200, "", ""},
		{200, "", ""},
	}
	for i, w := range want {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.HTTPURL()+"/v1/traces", strings.NewReader(jsonTrace))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != w.status || resp.Header.Get("Retry-After") != w.retryAfter {
			t.Fatalf("request %d: got %d Retry-After %q, want %d %q", i, resp.StatusCode, resp.Header.Get("Retry-After"), w.status, w.retryAfter)
		}
	}
	reqs := s.Requests()
	for i, w := range want {
		if reqs[i].Status != w.status || reqs[i].Err != w.err || reqs[i].Accepted != (w.status == 200) {
			t.Fatalf("request %d recorded as %+v", i, reqs[i])
		}
	}
	if n := len(s.Spans()); n != 2 {
		t.Fatalf("%d spans recorded, want 2 (rejected requests carry no data)", n)
	}
}

// TestFaultRetriedBySDK checks that the SDK exporter retries a 503 and that
// only the accepted attempt becomes data.
func TestFaultRetriedBySDK(t *testing.T) {
	s := NewServer(t)
	s.Script(Status(503), Status(502))
	exp, err := otlptracehttp.New(t.Context(), otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: true, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond, MaxElapsedTime: waitTime}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	if err := exp.ExportSpans(t.Context(), testSpans()); err != nil {
		t.Fatalf("ExportSpans: %v", err)
	}
	reqs := s.WaitRequests(t, 3, waitTime)
	if reqs[0].Status != 503 || reqs[1].Status != 502 || reqs[2].Status != 200 || len(s.Spans()) != 1 {
		t.Fatalf("requests %d %d %d, %d spans", reqs[0].Status, reqs[1].Status, reqs[2].Status, len(s.Spans()))
	}
}

func TestFaultGRPCStatus(t *testing.T) {
	s := NewServer(t)
	client := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil))
	s.Script(Status(503).WithRetryAfter(2500*time.Millisecond), Status(429), Status(400), Status(401), Status(403), Status(404), Status(418), Status(500))
	wantCodes := []codes.Code{codes.Unavailable, codes.ResourceExhausted, codes.InvalidArgument, codes.Unauthenticated,
		codes.PermissionDenied, codes.Unimplemented, codes.InvalidArgument, codes.Internal, codes.OK}
	for i, want := range wantCodes {
		_, err := client.Export(t.Context(), oneSpan("op"))
		st := status.Convert(err)
		if st.Code() != want {
			t.Fatalf("call %d: got %v, want %v", i, err, want)
		}
		if i == 0 {
			details := st.Details()
			if len(details) != 1 {
				t.Fatalf("details %v", details)
			}
			ri, ok := details[0].(*errdetails.RetryInfo)
			if !ok || ri.GetRetryDelay().AsDuration() != 2500*time.Millisecond {
				t.Fatalf("RetryInfo %v", details[0])
			}
			if st.Message() != "otlptest: fault: status 503 (retry after 2.5s)" {
				t.Fatalf("message %q", st.Message())
			}
		}
	}
	reqs := s.Requests()
	for i, want := range wantCodes {
		if reqs[i].Status != int(want) || reqs[i].Accepted != (want == codes.OK) {
			t.Fatalf("call %d recorded as %+v", i, reqs[i])
		}
	}
	if len(s.Spans()) != 1 {
		t.Fatalf("%d spans, want 1", len(s.Spans()))
	}
}

func TestGRPCCodeMapping(t *testing.T) {
	for status, want := range map[int]codes.Code{
		200: codes.OK, 204: codes.OK, 400: codes.InvalidArgument, 401: codes.Unauthenticated, 403: codes.PermissionDenied,
		404: codes.Unimplemented, 408: codes.InvalidArgument, 429: codes.ResourceExhausted, 500: codes.Internal,
		501: codes.Internal, 502: codes.Unavailable, 503: codes.Unavailable, 504: codes.Unavailable, 599: codes.Internal,
	} {
		if got := grpcCode(status); got != want {
			t.Errorf("grpcCode(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestFaultPartialSuccess(t *testing.T) {
	s := NewServer(t)
	s.Script(PartialSuccess(1, "span too old"), PartialSuccess(0, "just a warning"))

	exp := newHTTPTraceExporter(t, otlptracehttp.WithEndpointURL(s.HTTPURL()+"/v1/traces"))
	err := exp.ExportSpans(t.Context(), testSpans())
	if err == nil || !strings.Contains(err.Error(), "span too old") || !strings.Contains(err.Error(), "1 spans rejected") {
		t.Fatalf("HTTP exporter error %v, want the partial success", err)
	}

	resp, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil)).Export(t.Context(), oneSpan("op"))
	if err != nil {
		t.Fatal(err)
	}
	if ps := resp.GetPartialSuccess(); ps.GetRejectedSpans() != 0 || ps.GetErrorMessage() != "just a warning" {
		t.Fatalf("gRPC partial success %v", resp)
	}
	spans := s.WaitSpans(t, 2, waitTime) // partial success keeps the data
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	for _, r := range s.Requests() {
		if !r.Accepted || !strings.HasPrefix(r.Err, "fault: partial success") {
			t.Fatalf("recorded %+v", r)
		}
	}
}

func TestFaultScriptForAndDefault(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(500))
	s.ScriptFor(SignalLogs, Status(503))
	postSig := func(path string) int {
		st, _, _ := post(t, c, s.HTTPURL()+path, "application/json", nil, []byte(`{}`))
		return st
	}
	if got := postSig("/v1/logs"); got != 503 {
		t.Fatalf("logs: %d, want the scoped 503", got)
	}
	if got := postSig("/v1/logs"); got != 500 {
		t.Fatalf("logs: %d, want the global 500 once the scoped script is used", got)
	}
	if got := postSig("/v1/traces"); got != 200 {
		t.Fatalf("traces: %d, want 200", got)
	}
	// Malformed requests do not consume faults.
	s.Script(Status(502))
	if st, _, _ := post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(`{`)); st != 400 {
		t.Fatalf("malformed: %d", st)
	}
	if got := postSig("/v1/traces"); got != 502 {
		t.Fatalf("traces: %d, want the 502 kept for a well-formed request", got)
	}
	def := Status(504)
	s.SetDefault(&def)
	def = Status(200) // SetDefault copies the fault
	for range 2 {
		if got := postSig("/v1/metrics"); got != 504 {
			t.Fatalf("default: %d, want 504", got)
		}
	}
	s.SetDefault(nil)
	if got := postSig("/v1/metrics"); got != 200 {
		t.Fatalf("after clearing the default: %d", got)
	}
	s.Script(Status(202))
	if got := postSig("/v1/metrics"); got != 202 || !s.Requests()[len(s.Requests())-1].Accepted {
		t.Fatalf("2xx fault: %d, want 202 and accepted", got)
	}
}
