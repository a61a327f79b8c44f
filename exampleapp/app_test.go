package main

import (
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/jsonrpc"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/otlptest"
)

const (
	server = tracepb.Span_SPAN_KIND_SERVER
	client = tracepb.Span_SPAN_KIND_CLIENT
)

// crossTrace is the spans of one turn, checked to form the chain
// HTTP server → gRPC client → gRPC server → JSON-RPC client → {HTTP client, JSON-RPC server}.
type crossTrace struct {
	httpServer, grpcClient, grpcServer, rpcClient, httpClient, rpcServer otlptest.Span
}

func checkTurnTrace(t *testing.T, col *otlptest.Server, id, sessionID string) crossTrace {
	t.Helper()
	tr := spansOf(col, id)
	if len(tr) != 6 {
		t.Fatalf("trace %s has %d spans, want 6", id, len(tr))
	}
	var c crossTrace
	c.httpServer = only(t, tr, httpmw.ScopeName, server, "POST /v1/conversations/{id}/turns")
	c.grpcClient = only(t, tr, otelgrpc.ScopeName, client, "exampleapp.v1.Tools/RunTool")
	c.grpcServer = only(t, tr, otelgrpc.ScopeName, server, "exampleapp.v1.Tools/RunTool")
	c.rpcClient = only(t, tr, jsonrpc.ScopeName, client, "tools/exec")
	c.httpClient = only(t, tr, httpmw.ScopeName, client, "POST")
	c.rpcServer = only(t, tr, jsonrpc.ScopeName, server, "tools/exec")
	for _, link := range []struct {
		name          string
		child, parent otlptest.Span
	}{
		{"gRPC client under the HTTP server span", c.grpcClient, c.httpServer},
		{"gRPC server under the gRPC client span (W3C context in gRPC metadata)", c.grpcServer, c.grpcClient},
		{"JSON-RPC client under the gRPC server span", c.rpcClient, c.grpcServer},
		{"HTTP client under the JSON-RPC client span (its transport)", c.httpClient, c.rpcClient},
		{"JSON-RPC server under the JSON-RPC client span (W3C context in params)", c.rpcServer, c.rpcClient},
	} {
		if got, want := link.child.ParentSpanID(), link.parent.SpanID(); got != want {
			t.Errorf("%s: parent %s, want %s", link.name, got, want)
		}
	}
	if p := c.httpServer.ParentSpanID(); p != "" {
		t.Errorf("the HTTP server span has parent %s, want a root", p)
	}
	if got := otlptest.ServiceName(c.rpcServer.Resource); got != "exampleapp-test" {
		t.Errorf("service.name %q", got)
	}
	if a := c.rpcServer.Attrs(); a["rpc.system.name"] != "jsonrpc" || a["session.id"] != sessionID || a["jsonrpc.protocol.version"] != "2.0" {
		t.Errorf("JSON-RPC server span attributes %v", a)
	}
	if a := c.httpServer.Attrs(); a["http.route"] != "/v1/conversations/{id}/turns" {
		t.Errorf("HTTP server span attributes %v", a)
	}
	return c
}

// TestDemoOneTraceAcrossProtocols boots the app under fxtest, runs the demo, stops, and checks what the
// receiver decoded: one trace per turn across HTTP, gRPC and JSON-RPC, the session events as correlated
// logs, the metrics, and the failing turn's error statuses.
func TestDemoOneTraceAcrossProtocols(t *testing.T) {
	ta := startApp(t)
	ids := ta.demo(t)
	ta.app.RequireStop() // drains, then flushes: everything must be at the receiver now, without waiting

	if n := len(ta.col.Spans()); n != 16 {
		t.Errorf("%d spans received, want 16 (6 + 3 + 6 + 1)", n)
	}
	ok := checkTurnTrace(t, ta.col, ids[0], demoConversation)
	failed := checkTurnTrace(t, ta.col, ids[2], demoConversation)
	if a := ok.httpServer.Attrs(); a["session.id"] != demoConversation {
		t.Errorf("HTTP server span session.id %v, want the X-Session-Id header's", a["session.id"])
	}
	for _, s := range []otlptest.Span{ok.httpServer, ok.grpcClient, ok.grpcServer, ok.rpcClient, ok.rpcServer} {
		if s.Span.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR {
			t.Errorf("span %q of the successful turn has status %v", s.Span.GetName(), s.Span.GetStatus())
		}
	}
	for _, s := range []otlptest.Span{failed.httpServer, failed.grpcClient, failed.grpcServer, failed.rpcClient, failed.rpcServer} {
		if s.Span.GetStatus().GetCode() != tracepb.Status_STATUS_CODE_ERROR {
			t.Errorf("span %q of the failing turn has status %v, want an error", s.Span.GetName(), s.Span.GetStatus())
		}
	}
	if a := failed.rpcServer.Attrs(); a["rpc.response.status_code"] != "-32000" || failed.rpcServer.Span.GetStatus().GetMessage() != errUpstreamDown.Error() {
		t.Errorf("failing JSON-RPC server span: %v, status %v", a, failed.rpcServer.Span.GetStatus())
	}
	if a := failed.grpcServer.Attrs(); a["rpc.response.status_code"] != "UNAVAILABLE" {
		t.Errorf("failing gRPC server span attributes %v", a)
	}
	if a := failed.httpServer.Attrs(); a["http.response.status_code"] != int64(502) {
		t.Errorf("failing HTTP server span attributes %v", a)
	}

	stream := spansOf(ta.col, ids[1])
	if len(stream) != 3 {
		t.Errorf("the stream's trace has %d spans, want 3", len(stream))
	} else {
		hs := only(t, stream, httpmw.ScopeName, server, "GET /v1/conversations/{id}/stream")
		gc := only(t, stream, otelgrpc.ScopeName, client, "exampleapp.v1.Tools/StreamTokens")
		gs := only(t, stream, otelgrpc.ScopeName, server, "exampleapp.v1.Tools/StreamTokens")
		if gc.ParentSpanID() != hs.SpanID() || gs.ParentSpanID() != gc.SpanID() {
			t.Errorf("stream trace links: %s→%s→%s", hs.SpanID(), gc.ParentSpanID(), gs.ParentSpanID())
		}
	}

	checkSessionLogs(t, ta.col, ok, failed)
	checkMetrics(t, ta.col)
}

// checkSessionLogs: each turn's session events are log records with the conversation id, the trace id of
// the turn and the span id of the span that recorded them, one per protocol; the prompt text is redacted.
func checkSessionLogs(t *testing.T, col *otlptest.Server, ok, failed crossTrace) {
	t.Helper()
	logs := col.Logs()
	for _, turn := range []struct {
		name  string
		trace crossTrace
		succ  bool
	}{{"successful turn", ok, true}, {"failing turn", failed, false}} {
		want := map[string]otlptest.Span{
			"codex.user_prompt": turn.trace.httpServer, // HTTP handler
			"codex.tool_result": turn.trace.grpcServer, // gRPC handler, session.RunTool
			"codex.api_request": turn.trace.rpcServer,  // JSON-RPC handler
		}
		got := map[string]int{}
		for _, r := range logs {
			if r.TraceID() != turn.trace.httpServer.TraceID() {
				continue
			}
			name := eventName(r)
			sp, expected := want[name]
			if !expected {
				t.Errorf("%s: unexpected log record %q", turn.name, name)
				continue
			}
			got[name]++
			a := r.Attrs()
			if a["conversation.id"] != demoConversation {
				t.Errorf("%s: %s has conversation.id %v", turn.name, name, a["conversation.id"])
			}
			if r.SpanID() != sp.SpanID() {
				t.Errorf("%s: %s recorded in span %s, want %s (%s)", turn.name, name, r.SpanID(), sp.SpanID(), sp.Span.GetName())
			}
			switch name {
			case "codex.user_prompt":
				if a["prompt"] != "[REDACTED]" {
					t.Errorf("%s: prompt %v, want it redacted", turn.name, a["prompt"])
				}
			case "codex.tool_result":
				if a["success"] != turn.succ {
					t.Errorf("%s: tool_result success %v", turn.name, a["success"])
				}
			case "codex.api_request":
				status := int64(200)
				if !turn.succ {
					status = 503
				}
				if a["http.response.status_code"] != status {
					t.Errorf("%s: api_request status %v, want %d", turn.name, a["http.response.status_code"], status)
				}
			}
		}
		for name := range want {
			if got[name] != 1 {
				t.Errorf("%s: %d %s log records, want 1", turn.name, got[name], name)
			}
		}
	}
	for _, r := range logs {
		if strings.Contains(r.Record.String(), "Paris?") {
			t.Errorf("prompt text leaked into a log record: %v", r.Record)
		}
	}
}

// checkMetrics reads the last metrics export (the one made at shutdown, cumulative) for the HTTP and RPC
// semantic-convention metrics and the session metrics.
func checkMetrics(t *testing.T, col *otlptest.Server) {
	t.Helper()
	reqs := col.MetricsRequests()
	if len(reqs) == 0 {
		t.Fatal("no metrics export received")
	}
	type key struct{ name, attr string }
	counts := map[key]int64{}
	for _, rm := range reqs[len(reqs)-1].GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				mm := otlptest.Metric{Metric: m}
				for i, a := range mm.PointAttrs() {
					var label string
					for _, k := range []string{"http.route", "rpc.system.name", "tool"} {
						if v, ok := a[k].(string); ok {
							label = v
							break
						}
					}
					var n int64
					if h := m.GetHistogram(); h != nil {
						n = int64(h.GetDataPoints()[i].GetCount())
					} else if s := m.GetSum(); s != nil {
						n = s.GetDataPoints()[i].GetAsInt()
					}
					counts[key{m.GetName(), label}] += n
				}
			}
		}
	}
	for k, want := range map[key]int64{
		{"http.server.request.duration", "/v1/conversations/{id}/turns"}:  2,
		{"http.server.request.duration", "/v1/conversations/{id}/stream"}: 1,
		{"http.server.request.duration", "/v1/conversations/{id}"}:        1,
		{"rpc.server.call.duration", "grpc"}:                              3, // RunTool x2, StreamTokens
		{"rpc.server.call.duration", "jsonrpc"}:                           2, // tools/exec x2
		{"rpc.client.call.duration", "jsonrpc"}:                           2,
		{"http.client.request.duration", ""}:                              2,
		{"codex.tool.call", "search"}:                                     1,
		{"codex.tool.call", "fail"}:                                       1,
		{"codex.api_request", ""}:                                         2,
		{"codex.sse_event", ""}:                                           5,
		{"exampleapp.turns", "search"}:                                    1,
		{"exampleapp.turns", "fail"}:                                      1,
	} {
		if counts[k] != want {
			t.Errorf("%s{%s}: %d, want %d", k.name, k.attr, counts[k], want)
		}
	}
}
