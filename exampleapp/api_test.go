package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAPIRequests(t *testing.T) {
	ta := startApp(t)
	defer ta.app.RequireStop()
	tests := []struct {
		name, method, path, body string
		want                     int
		contains                 string
	}{
		{"bad conversation id", "GET", "/v1/conversations/bad%20id", "", 400, "conversation ids"},
		{"unknown conversation", "GET", "/v1/conversations/nobody", "", 404, "no conversation nobody"},
		{"turn without prompt", "POST", "/v1/conversations/a/turns", `{"tool":"echo"}`, 400, `prompt\" is required`},
		{"turn with bad JSON", "POST", "/v1/conversations/a/turns", `{`, 400, "want JSON"},
		{"turn with unknown tool", "POST", "/v1/conversations/a/turns", `{"prompt":"x","tool":"rm"}`, 400, "unknown tool"},
		{"echo turn", "POST", "/v1/conversations/a/turns", `{"prompt":"x","tool":"echo","arguments":"y"}`, 200, `"output":"y"`},
		{"default tool is search", "POST", "/v1/conversations/a/turns", `{"prompt":"cats"}`, 200, `3 results for \"cats\"`},
		{"read it back", "GET", "/v1/conversations/a", "", 200, `"turns":2`},
		{"stream without prompt", "GET", "/v1/conversations/a/stream", "", 400, "prompt"},
		{"tools", "GET", "/v1/tools", "", 200, `"search"`},
		{"health", "GET", "/healthz", "", 200, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := ta.do(t, tt.method, tt.path, tt.body)
			if code != tt.want || !strings.Contains(body, tt.contains) {
				t.Errorf("%s %s = %d %s, want %d containing %s", tt.method, tt.path, code, body, tt.want, tt.contains)
			}
		})
	}
}

// TestSessionFromPath: without X-Session-* headers the handlers open the session of the path's id, and
// the gRPC and JSON-RPC hops get it too.
func TestSessionFromPath(t *testing.T) {
	ta := startApp(t)
	code, body, id := ta.do(t, http.MethodPost, "/v1/conversations/p-9/turns", `{"prompt":"x","tool":"search"}`)
	if code != http.StatusOK || id == "" {
		t.Fatalf("turn = %d %s (trace %q)", code, body, id)
	}
	var resp turnResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil || resp.Conversation != "p-9" || resp.Turn != 1 {
		t.Errorf("response %s: %v", body, err)
	}
	ta.app.RequireStop()
	var names []string
	for _, r := range ta.col.Logs() {
		if r.TraceID() != id {
			continue
		}
		names = append(names, eventName(r))
		if got := r.Attrs()["conversation.id"]; got != "p-9" {
			t.Errorf("%s has conversation.id %v, want p-9", eventName(r), got)
		}
	}
	if strings.Join(names, ",") != "codex.user_prompt,codex.api_request,codex.tool_result" {
		t.Errorf("session events %q", names)
	}
}

// TestTraceparentContinued: an inbound traceparent header is continued (the app trusts its callers).
func TestTraceparentContinued(t *testing.T) {
	ta := startApp(t)
	defer ta.app.RequireStop()
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	_, _, id := ta.do(t, http.MethodGet, "/v1/tools", "", "traceparent", tp)
	if id != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("X-Trace-Id %q, want the inbound trace id", id)
	}
}
