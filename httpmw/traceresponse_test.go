package httpmw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/httpmw"
)

// TestTraceResponseHeader checks that traceresponse is off by default and, when on, carries the trace id,
// the server span id and the sampled flag.
func TestTraceResponseHeader(t *testing.T) {
	rec := newRecorder(t)
	w := serve(httpmw.New(rec.opts()...)(http.HandlerFunc(okHandler)), httptest.NewRequest("GET", "/", nil))
	if v, ok := w.Header()["Traceresponse"]; ok {
		t.Errorf("traceresponse %q sent by default", v)
	}

	rec = newRecorder(t)
	h := httpmw.New(rec.opts(httpmw.WithTraceResponseHeader())...)(http.HandlerFunc(okHandler))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Traceparent", inboundParent)
	w = serve(h, req)
	sc := rec.only(t).SpanContext()
	want := "00-" + inboundTraceID + "-" + sc.SpanID().String() + "-01"
	if got := w.Header().Get("Traceresponse"); got != want {
		t.Errorf("traceresponse %q, want %q", got, want)
	}

	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	w = serve(httpmw.New(httpmw.WithTracerProvider(tp), httpmw.WithTraceResponseHeader())(http.HandlerFunc(okHandler)),
		httptest.NewRequest("GET", "/", nil))
	got := w.Header().Get("Traceresponse")
	if len(got) != 55 || got[:3] != "00-" || got[53:] != "00" {
		t.Errorf("traceresponse %q for an unsampled span, want version 00 and flags 00", got)
	}
}
