package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// rig is a provider on memory, a server with an "echo" method and a client of it.
type rig struct {
	mem    *otelkit.Memory
	p      *otelkit.Provider
	srv    *Server
	http   *httptest.Server
	client *Client
	// seen is what the echo handler saw.
	seen struct {
		params  json.RawMessage
		session string
		span    trace.SpanContext
	}
}

func newRig(t testing.TB, policy propagation.Policy) *rig {
	t.Helper()
	r := &rig{mem: otelkit.NewMemory()}
	var err error
	r.p, err = otelkit.NewProvider(otelkit.Settings{ServiceName: "jsonrpc-test",
		Traces: otelkit.InMemory(r.mem), Metrics: otelkit.InMemory(r.mem),
		TraceState: map[string]map[string]string{"example": {"k": "v"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.p.Shutdown(context.Background()) })
	r.srv, err = NewServer(ServerConfig{Provider: r.p, Resolver: session.NewResolver(nil), Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	r.srv.Register("echo", func(ctx context.Context, params json.RawMessage) (any, error) {
		r.seen.params = params
		r.seen.session = session.FromContext(ctx).Metadata().SessionID
		r.seen.span = trace.SpanContextFromContext(ctx)
		var p struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, Errorf(CodeInvalidParams, "invalid params: %v", err)
		}
		switch p.Text {
		case "fail":
			return nil, errors.New("it failed")
		case "refuse":
			return nil, Errorf(-32001, "refused")
		case "panic":
			panic("boom")
		}
		return map[string]string{"text": p.Text}, nil
	})
	r.http = httptest.NewServer(r.srv)
	t.Cleanup(r.http.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	r.client, err = NewClient(r.http.URL+"/rpc", &http.Client{Transport: tr}, r.p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) spans(t *testing.T) tracetest.SpanStubs {
	t.Helper()
	if err := r.p.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r.mem.Spans()
}

func attrs(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func find(t *testing.T, spans tracetest.SpanStubs, name string, kind trace.SpanKind) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.Name == name && s.SpanKind == kind {
			return s
		}
	}
	t.Fatalf("no %v span %q among %d spans", kind, name, len(spans))
	return tracetest.SpanStub{}
}

func TestCallContinuesTraceFromParams(t *testing.T) {
	r := newRig(t, propagation.TrustAll())
	ctx, parent := r.p.TracerProvider().Tracer("test").Start(t.Context(), "caller")
	var out struct{ Text string }
	err := r.client.Call(ctx, "echo", "conv-7", map[string]string{"text": "hi"}, &out)
	parent.End()
	if err != nil || out.Text != "hi" {
		t.Fatalf("Call = %+v, %v", out, err)
	}

	var meta Meta
	if err := json.Unmarshal(r.seen.params, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.SessionID != "conv-7" || meta.Trace == nil {
		t.Fatalf("params meta = %+v (params %s)", meta, r.seen.params)
	}
	if !strings.Contains(meta.Trace.TraceState, "example=k:v") {
		t.Errorf("params.trace.tracestate = %q, want the configured member", meta.Trace.TraceState)
	}
	if r.seen.session != "conv-7" {
		t.Errorf("handler session %q, want conv-7", r.seen.session)
	}

	spans := r.spans(t)
	cs := find(t, spans, "echo", trace.SpanKindClient)
	ss := find(t, spans, "echo", trace.SpanKindServer)
	if cs.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("client span's parent is not the caller")
	}
	if ss.Parent.SpanID() != cs.SpanContext.SpanID() || !ss.Parent.IsRemote() || ss.SpanContext.TraceID() != cs.SpanContext.TraceID() {
		t.Errorf("server span parent %v, want the client span %v (remote)", ss.Parent, cs.SpanContext)
	}
	if r.seen.span.SpanID() != ss.SpanContext.SpanID() {
		t.Errorf("the handler's context does not hold the server span")
	}
	sa := attrs(ss.Attributes)
	for k, v := range map[string]string{"rpc.system.name": "jsonrpc", "rpc.method": "echo", "jsonrpc.protocol.version": "2.0",
		"jsonrpc.request.id": "1", "session.id": "conv-7"} {
		if sa[k] != v {
			t.Errorf("server span %s = %q, want %q", k, sa[k], v)
		}
	}
	if ca := attrs(cs.Attributes); ca["server.address"] != "127.0.0.1" || ca["rpc.method"] != "echo" {
		t.Errorf("client span attributes %v", ca)
	}
	if ss.Status.Code == codes.Error || cs.Status.Code == codes.Error {
		t.Errorf("statuses %v / %v, want no error", ss.Status, cs.Status)
	}

	names := map[string]int{}
	for _, rm := range r.mem.Metrics() {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				names[m.Name]++
			}
		}
	}
	if names["rpc.server.call.duration"] == 0 || names["rpc.client.call.duration"] == 0 {
		t.Errorf("metrics %v, want rpc.server.call.duration and rpc.client.call.duration", names)
	}
}

func TestCallErrors(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		text     string
		wantCode int
		span     string
	}{
		{name: "handler error", method: "echo", text: "fail", wantCode: CodeServerError, span: "echo"},
		{name: "handler *Error", method: "echo", text: "refuse", wantCode: -32001, span: "echo"},
		{name: "panic", method: "echo", text: "panic", wantCode: CodeInternalError, span: "echo"},
		{name: "unknown method", method: "no/such", text: "x", wantCode: CodeMethodNotFound, span: "_OTHER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, propagation.TrustAll())
			err := r.client.Call(t.Context(), tt.method, "", map[string]string{"text": tt.text}, nil)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.wantCode {
				t.Fatalf("Call error = %v, want code %d", err, tt.wantCode)
			}
			spans := r.spans(t)
			ss := find(t, spans, tt.span, trace.SpanKindServer)
			cs := find(t, spans, tt.method, trace.SpanKindClient)
			for _, s := range []tracetest.SpanStub{ss, cs} {
				a := attrs(s.Attributes)
				if code := strconv.Itoa(tt.wantCode); s.Status.Code != codes.Error || a["error.type"] != code || a["rpc.response.status_code"] != code {
					t.Errorf("%v span: status %v, attributes %v", s.SpanKind, s.Status, a)
				}
			}
			if tt.span == "_OTHER" {
				if got := attrs(ss.Attributes)["rpc.method_original"]; got != tt.method {
					t.Errorf("rpc.method_original = %q", got)
				}
			}
		})
	}
}

func TestInvalidTraceInParamsStartsRoot(t *testing.T) {
	r := newRig(t, propagation.TrustAll())
	body := `{"jsonrpc":"2.0","id":"a","method":"echo","params":{"text":"x","trace":{"traceparent":"00-zz-11-01"}}}`
	resp := post(t, r.http.URL, body)
	if !strings.Contains(resp, `"result":{"text":"x"}`) || !strings.Contains(resp, `"id":"a"`) {
		t.Fatalf("response %s", resp)
	}
	ss := find(t, r.spans(t), "echo", trace.SpanKindServer)
	if ss.Parent.IsValid() {
		t.Errorf("server span has parent %v, want a new root", ss.Parent)
	}
	if got := attrs(ss.Attributes)["jsonrpc.request.id"]; got != "a" {
		t.Errorf("jsonrpc.request.id = %q, want a", got)
	}
}

func TestUntrustedPeerIsLinked(t *testing.T) {
	r := newRig(t, propagation.TrustNone())
	tp := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	post(t, r.http.URL, `{"jsonrpc":"2.0","id":1,"method":"echo","params":{"text":"x","trace":{"traceparent":"`+tp+`"}}}`)
	ss := find(t, r.spans(t), "echo", trace.SpanKindServer)
	if ss.Parent.IsValid() || len(ss.Links) != 1 || ss.Links[0].SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("parent %v, links %v: want a new root linked to the caller", ss.Parent, ss.Links)
	}
}

func post(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	http.DefaultClient.CloseIdleConnections()
	return string(b)
}

func TestProtocolErrors(t *testing.T) {
	r := newRig(t, propagation.TrustAll())
	tests := []struct {
		name, method, body string
		status             int
		want               string
	}{
		{"parse error", "POST", `{"jsonrpc":`, 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`},
		{"empty body", "POST", ``, 200, `"code":-32700`},
		{"batch", "POST", `[{"jsonrpc":"2.0","id":1,"method":"echo"}]`, 200, `"code":-32600`},
		{"wrong version", "POST", `{"jsonrpc":"1.0","id":3,"method":"echo"}`, 200, `{"jsonrpc":"2.0","id":3,"error":{"code":-32600`},
		{"not an object", "POST", `"hello"`, 200, `"code":-32600`},
		{"invalid params", "POST", `{"jsonrpc":"2.0","id":4,"method":"echo","params":[1]}`, 200, `"code":-32602`},
		{"notification", "POST", `{"jsonrpc":"2.0","method":"echo","params":{"text":"n"}}`, 204, ``},
		{"GET", "GET", ``, 405, `POSTed`},
		{"too large", "POST", `{"jsonrpc":"2.0","id":5,"method":"echo","params":{"text":"` + strings.Repeat("x", MaxBodyBytes) + `"}}`, 413, `too large`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, r.http.URL, strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			http.DefaultClient.CloseIdleConnections()
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.want) {
				t.Errorf("%d %s, want %d containing %s", resp.StatusCode, b, tt.status, tt.want)
			}
		})
	}
}

func TestNewClientRejectsBadEndpoint(t *testing.T) {
	for _, ep := range []string{"", "localhost:1/rpc", "ftp://x/rpc", "http:///rpc"} {
		if _, err := NewClient(ep, nil, nil); err == nil {
			t.Errorf("NewClient(%q) succeeded", ep)
		}
	}
}

func TestParamsMustBeAnObject(t *testing.T) {
	c, err := NewClient("http://127.0.0.1:1/rpc", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Call(t.Context(), "m", "", []int{1}, nil); err == nil || !strings.Contains(err.Error(), "JSON object") {
		t.Errorf("Call with an array = %v", err)
	}
}
