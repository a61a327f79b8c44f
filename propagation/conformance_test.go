package propagation_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/propagation"
)

// The W3C Trace Context test suite (w3c/trace-context test/test.py) sends
// requests to a service and checks the traceparent/tracestate the service
// sends on in its callback. Here the service is an httptest server that
// extracts with TrustAll, starts a server span and injects into an outgoing
// header set, which it returns as JSON; requests are written byte for byte on
// a loopback TCP connection so header name casing and repeated headers reach
// net/http exactly as the suite sends them.

// w3cService starts the service under test and returns its address.
func w3cService(t *testing.T) string {
	t.Helper()
	tracer, _ := newTracer(t, sdktrace.ParentBased(sdktrace.AlwaysSample()))
	prop, err := propagation.New(propagation.WithPropagators("tracecontext", "baggage"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _, _ := propagation.TrustAll().ExtractHTTP(r, prop)
		ctx, span := tracer.Start(ctx, "w3c")
		defer span.End()
		out := http.Header{}
		prop.Inject(ctx, otelprop.HeaderCarrier(out))
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// callRaw writes one request with the given header lines and decodes the
// service's callback headers, which must hold at most one traceparent and one
// tracestate.
func callRaw(t *testing.T, addr string, headers [][2]string) propagation.TraceContext {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var req strings.Builder
	req.WriteString("GET /test HTTP/1.1\r\nHost: harness\r\nConnection: close\r\n")
	for _, h := range headers {
		fmt.Fprintf(&req, "%s: %s\r\n", h[0], h[1])
	}
	req.WriteString("\r\n")
	if _, err := conn.Write([]byte(req.String())); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var out http.Header
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out["Traceparent"]) > 1 || len(out["Tracestate"]) > 1 {
		t.Fatalf("service sent several headers: %v", out)
	}
	return propagation.TraceContext{TraceParent: out.Get("traceparent"), TraceState: out.Get("tracestate")}
}

const (
	sameTrace = "same" // the service continued the harness's trace
	newTrace  = "new"  // the service started a new trace
)

func w3cMembers(from, to int) string {
	parts := make([]string, 0, to-from+1)
	for i := from; i <= to; i++ {
		parts = append(parts, fmt.Sprintf("bar%02d=%02d", i, i))
	}
	return strings.Join(parts, ",")
}

var (
	w3cKey      = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
	w3cVendKey  = w3cKey + "@a-z0-9_-*/"
	w3cValueAll = func() string {
		var b strings.Builder
		for c := 0x20; c <= 0x7e; c++ {
			if c != ',' && c != '=' {
				b.WriteByte(byte(c))
			}
		}
		return b.String()
	}()
)

func TestW3CTraceContextSuite(t *testing.T) {
	addr := w3cService(t)
	tp := func(s string) [2]string { return [2]string{"traceparent", s} }
	ts := func(s string) [2]string { return [2]string{"tracestate", s} }
	tp00 := tp("00-" + specTraceID + "-" + specSpanID + "-00")
	tests := []struct {
		name    string
		headers [][2]string
		trace   string // sameTrace or newTrace
		wantTS  string // exact outgoing tracestate
	}{
		{name: "both traceparent and tracestate missing", trace: newTrace},
		{name: "traceparent included tracestate missing", headers: [][2]string{tp(specTP)}, trace: sameTrace},
		{name: "traceparent duplicated", headers: [][2]string{tp("00-12345678901234567890123456789011-" + specSpanID + "-01"), tp(specTP)}, trace: newTrace},
		{name: "traceparent header name trace-parent", headers: [][2]string{{"trace-parent", specTP}}, trace: newTrace},
		{name: "traceparent header name trace.parent", headers: [][2]string{{"trace.parent", specTP}}, trace: newTrace},
		{name: "traceparent casing TraceParent", headers: [][2]string{{"TraceParent", specTP}}, trace: sameTrace},
		{name: "traceparent casing TrAcEpArEnT", headers: [][2]string{{"TrAcEpArEnT", specTP}}, trace: sameTrace},
		{name: "traceparent casing TRACEPARENT", headers: [][2]string{{"TRACEPARENT", specTP}}, trace: sameTrace},
		{name: "version 0x00 trailing dot", headers: [][2]string{tp(specTP + ".")}, trace: newTrace},
		{name: "version 0x00 extra field", headers: [][2]string{tp(specTP + "-what-the-future-will-be-like")}, trace: newTrace},
		{name: "version 0xcc", headers: [][2]string{tp("cc-" + specTraceID + "-" + specSpanID + "-01")}, trace: sameTrace},
		{name: "version 0xcc extra field", headers: [][2]string{tp("cc-" + specTraceID + "-" + specSpanID + "-01-what-the-future-will-be-like")}, trace: sameTrace},
		{name: "version 0xcc extra without dash", headers: [][2]string{tp("cc-" + specTraceID + "-" + specSpanID + "-01.what-the-future-will-be-like")}, trace: newTrace},
		{name: "version 0xff", headers: [][2]string{tp("ff-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "version illegal .0", headers: [][2]string{tp(".0-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "version illegal 0.", headers: [][2]string{tp("0.-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "version too long 000", headers: [][2]string{tp("000-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "version too long 0000", headers: [][2]string{tp("0000-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "version too short", headers: [][2]string{tp("0-" + specTraceID + "-" + specSpanID + "-01")}, trace: newTrace},
		{name: "trace id all zero", headers: [][2]string{tp("00-00000000000000000000000000000000-" + specSpanID + "-01")}, trace: newTrace},
		{name: "trace id illegal first", headers: [][2]string{tp("00-.2345678901234567890123456789012-" + specSpanID + "-01")}, trace: newTrace},
		{name: "trace id illegal last", headers: [][2]string{tp("00-1234567890123456789012345678901.-" + specSpanID + "-01")}, trace: newTrace},
		{name: "trace id too long", headers: [][2]string{tp("00-123456789012345678901234567890123-" + specSpanID + "-01")}, trace: newTrace},
		{name: "trace id too short", headers: [][2]string{tp("00-1234567890123456789012345678901-" + specSpanID + "-01")}, trace: newTrace},
		{name: "parent id all zero", headers: [][2]string{tp("00-" + specTraceID + "-0000000000000000-01")}, trace: newTrace},
		{name: "parent id illegal first", headers: [][2]string{tp("00-" + specTraceID + "-.234567890123456-01")}, trace: newTrace},
		{name: "parent id illegal last", headers: [][2]string{tp("00-" + specTraceID + "-123456789012345.-01")}, trace: newTrace},
		{name: "parent id too long", headers: [][2]string{tp("00-" + specTraceID + "-12345678901234567-01")}, trace: newTrace},
		{name: "parent id too short", headers: [][2]string{tp("00-" + specTraceID + "-123456789012345-01")}, trace: newTrace},
		{name: "flags illegal .0", headers: [][2]string{tp("00-" + specTraceID + "-" + specSpanID + "-.0")}, trace: newTrace},
		{name: "flags illegal 0.", headers: [][2]string{tp("00-" + specTraceID + "-" + specSpanID + "-0.")}, trace: newTrace},
		{name: "flags too long", headers: [][2]string{tp("00-" + specTraceID + "-" + specSpanID + "-001")}, trace: newTrace},
		{name: "flags too short", headers: [][2]string{tp("00-" + specTraceID + "-" + specSpanID + "-1")}, trace: newTrace},
		{name: "traceparent OWS leading space", headers: [][2]string{tp(" " + specTP)}, trace: sameTrace},
		{name: "traceparent OWS leading tab", headers: [][2]string{tp("\t" + specTP)}, trace: sameTrace},
		{name: "traceparent OWS trailing space", headers: [][2]string{tp(specTP + " ")}, trace: sameTrace},
		{name: "traceparent OWS trailing tab", headers: [][2]string{tp(specTP + "\t")}, trace: sameTrace},
		{name: "traceparent OWS both", headers: [][2]string{tp("\t " + specTP + " \t")}, trace: sameTrace},
		{name: "tracestate without traceparent foo", headers: [][2]string{ts("foo=1")}, trace: newTrace},
		{name: "tracestate without traceparent foo bar", headers: [][2]string{ts("foo=1,bar=2")}, trace: newTrace},
		{name: "tracestate inherited", headers: [][2]string{tp00, ts("foo=1,bar=2")}, trace: sameTrace, wantTS: "foo=1,bar=2"},
		{name: "tracestate header name trace-state", headers: [][2]string{tp00, {"trace-state", "foo=1"}}, trace: sameTrace},
		{name: "tracestate header name trace.state", headers: [][2]string{tp00, {"trace.state", "foo=1"}}, trace: sameTrace},
		{name: "tracestate casing TraceState", headers: [][2]string{tp00, {"TraceState", "foo=1"}}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate casing TrAcEsTaTe", headers: [][2]string{tp00, {"TrAcEsTaTe", "foo=1"}}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate casing TRACESTATE", headers: [][2]string{tp00, {"TRACESTATE", "foo=1"}}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate empty header", headers: [][2]string{tp00, ts("")}, trace: sameTrace},
		{name: "tracestate foo then empty", headers: [][2]string{tp00, ts("foo=1"), ts("")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate empty then foo", headers: [][2]string{tp00, ts(""), ts("foo=1")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate multiple headers different keys", headers: [][2]string{tp00, ts("foo=1,bar=2"), ts("rojo=1,congo=2"), ts("baz=3")}, trace: sameTrace, wantTS: "foo=1,bar=2,rojo=1,congo=2,baz=3"},
		{name: "tracestate duplicated keys", headers: [][2]string{tp00, ts("foo=1,foo=1")}, trace: sameTrace},
		{name: "tracestate duplicated keys different values", headers: [][2]string{tp00, ts("foo=1,foo=2")}, trace: sameTrace},
		{name: "tracestate duplicated keys across headers", headers: [][2]string{tp00, ts("foo=1"), ts("foo=1")}, trace: sameTrace},
		{name: "tracestate duplicated keys across headers different values", headers: [][2]string{tp00, ts("foo=1"), ts("foo=2")}, trace: sameTrace},
		{name: "tracestate all allowed characters", headers: [][2]string{tp00, ts(w3cKey + "=" + w3cValueAll)}, trace: sameTrace, wantTS: w3cKey + "=" + w3cValueAll},
		{name: "tracestate all allowed characters vendor key", headers: [][2]string{tp00, ts(w3cVendKey + "=" + w3cValueAll)}, trace: sameTrace, wantTS: w3cVendKey + "=" + w3cValueAll},
		{name: "tracestate OWS around commas", headers: [][2]string{tp00, ts("foo=1 \t , \t bar=2, \t baz=3")}, trace: sameTrace, wantTS: "foo=1,bar=2,baz=3"},
		{name: "tracestate OWS tabs", headers: [][2]string{tp00, ts("foo=1\t \t,\t \tbar=2,\t \tbaz=3")}, trace: sameTrace, wantTS: "foo=1,bar=2,baz=3"},
		{name: "tracestate OWS leading space", headers: [][2]string{tp00, ts(" foo=1")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate OWS leading tab", headers: [][2]string{tp00, ts("\tfoo=1")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate OWS trailing space", headers: [][2]string{tp00, ts("foo=1 ")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate OWS trailing tab", headers: [][2]string{tp00, ts("foo=1\t")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate OWS both", headers: [][2]string{tp00, ts("\t foo=1 \t")}, trace: sameTrace, wantTS: "foo=1"},
		{name: "tracestate key with space", headers: [][2]string{tp00, ts("foo =1")}, trace: sameTrace},
		{name: "tracestate key uppercase", headers: [][2]string{tp00, ts("FOO=1")}, trace: sameTrace},
		{name: "tracestate key with dot", headers: [][2]string{tp00, ts("foo.bar=1")}, trace: sameTrace},
		{name: "tracestate vendor foo@", headers: [][2]string{tp00, ts("foo@=1,bar=2")}, trace: sameTrace},
		{name: "tracestate vendor @foo", headers: [][2]string{tp00, ts("@foo=1,bar=2")}, trace: sameTrace},
		{name: "tracestate vendor foo@@bar", headers: [][2]string{tp00, ts("foo@@bar=1,bar=2")}, trace: sameTrace},
		{name: "tracestate vendor foo@bar@baz", headers: [][2]string{tp00, ts("foo@bar@baz=1,bar=2")}, trace: sameTrace},
		{name: "tracestate 32 members", headers: [][2]string{tp00, ts(w3cMembers(1, 10)), ts(w3cMembers(11, 20)), ts(w3cMembers(21, 30)), ts(w3cMembers(31, 32))}, trace: sameTrace, wantTS: w3cMembers(1, 32)},
		{name: "tracestate 33 members", headers: [][2]string{tp00, ts(w3cMembers(1, 10)), ts(w3cMembers(11, 20)), ts(w3cMembers(21, 30)), ts(w3cMembers(31, 33))}, trace: sameTrace},
		{name: "tracestate key 256", headers: [][2]string{tp00, ts("foo=1"), ts(strings.Repeat("z", 256) + "=1")}, trace: sameTrace, wantTS: "foo=1," + strings.Repeat("z", 256) + "=1"},
		{name: "tracestate key 257", headers: [][2]string{tp00, ts("foo=1"), ts(strings.Repeat("z", 257) + "=1")}, trace: sameTrace},
		{name: "tracestate tenant 241 vendor 14", headers: [][2]string{tp00, ts("foo=1"), ts(strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1")}, trace: sameTrace, wantTS: "foo=1," + strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1"},
		{name: "tracestate tenant 242", headers: [][2]string{tp00, ts("foo=1"), ts(strings.Repeat("t", 242) + "@v=1")}, trace: sameTrace},
		{name: "tracestate vendor 15", headers: [][2]string{tp00, ts("foo=1"), ts("t@" + strings.Repeat("v", 15) + "=1")}, trace: sameTrace},
		{name: "tracestate value with equals", headers: [][2]string{tp00, ts("foo=bar=baz")}, trace: sameTrace},
		{name: "tracestate empty value", headers: [][2]string{tp00, ts("foo=,bar=3")}, trace: sameTrace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := callRaw(t, addr, tt.headers)
			sc, ok := got.SpanContext()
			if !ok {
				t.Fatalf("service sent invalid traceparent %q", got.TraceParent)
			}
			switch tt.trace {
			case sameTrace:
				if sc.TraceID().String() != specTraceID {
					t.Errorf("trace id = %s, want %s (continued)", sc.TraceID(), specTraceID)
				}
				if sc.SpanID().String() == specSpanID {
					t.Errorf("parent id = %s, want a new one", sc.SpanID())
				}
			case newTrace:
				if id := sc.TraceID().String(); id == specTraceID || id == "12345678901234567890123456789011" {
					t.Errorf("trace id = %s, want a new trace", id)
				}
			}
			if got.TraceState != tt.wantTS {
				t.Errorf("tracestate = %q, want %q", got.TraceState, tt.wantTS)
			}
		})
	}
}

// TestW3CMultipleCallbacks is the suite's AdvancedTest: one inbound context,
// several outgoing calls share the trace id and each has a new parent id.
func TestW3CMultipleCallbacks(t *testing.T) {
	addr := w3cService(t)
	traces, parents := map[string]bool{}, map[string]bool{}
	for range 3 {
		sc, ok := callRaw(t, addr, [][2]string{{"traceparent", specTP}}).SpanContext()
		if !ok {
			t.Fatal("invalid traceparent")
		}
		traces[sc.TraceID().String()] = true
		parents[sc.SpanID().String()] = true
	}
	if len(traces) != 1 || !traces[specTraceID] || len(parents) != 3 {
		t.Errorf("trace ids %v, parent ids %v", traces, parents)
	}
}
