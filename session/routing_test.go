package session_test

import (
	"testing"
	"time"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// fullMetadata sets every metadata field, so that every metadata attribute is present.
func fullMetadata() session.Metadata {
	return session.Metadata{
		SessionID: "conv-1", Model: "gpt-5", Slug: "gpt-5-codex",
		AccountID: "acct-42", AccountEmail: "dev@example.com",
		AuthMode: "ApiKey", Originator: "test_originator", SessionSource: "cli",
		TerminalType: "xterm", AppVersion: "1.2.3", ServiceName: "my_app_server_client",
		LogUserPrompts: true,
	}
}

// Metadata keys of every span event and log record.
var (
	traceMeta = []string{"event.name", "event.timestamp", "conversation.id", "app.version", "auth_mode",
		"originator", "terminal.type", "model", "slug", "session_source", "service_name"}
	logMeta = append(append([]string(nil), traceMeta...), "user.account_id", "user.email")
)

func with(base []string, keys ...string) []string {
	return append(append([]string(nil), base...), keys...)
}

func TestRoutesUserPromptLogAndTraceEvents(t *testing.T) {
	h := sessiontest.New(t, fullMetadata())
	ctx, span := h.Start(t.Context(), "root")
	h.Session.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{
		session.TextInput("super secret "),
		{Kind: session.InputImage},
		session.TextInput("prompt"),
		{Kind: session.InputLocalImage, Text: "ignored"},
	}})
	span.End()

	logs := h.Logs()
	if len(logs) != 1 {
		t.Fatalf("got %d log records, want 1", len(logs))
	}
	la := sessiontest.LogAttrs(t, h.Log(t, session.EventUserPrompt))
	sessiontest.AssertKeys(t, la, with(logMeta, "prompt", "prompt_length")...)
	sessiontest.AssertAttrs(t, la, map[string]any{
		"prompt": "super secret prompt", "prompt_length": 19, "user.email": "dev@example.com",
		"user.account_id": "acct-42", "event.name": session.EventUserPrompt,
		"session_source": "cli", "service_name": "my_app_server_client",
	})

	spans := h.Memory.Spans()
	if len(spans) != 1 || len(spans[0].Events) != 1 {
		t.Fatalf("want 1 span with 1 event, got %d spans", len(spans))
	}
	ta := sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventUserPrompt))
	sessiontest.AssertKeys(t, ta, with(traceMeta, "prompt_length", "text_input_count", "image_input_count",
		"local_image_input_count")...)
	sessiontest.AssertAttrs(t, ta, map[string]any{
		"prompt_length": 19, "text_input_count": 2, "image_input_count": 1, "local_image_input_count": 1,
		"session_source": "cli", "service_name": "my_app_server_client",
	})
}

func TestUserPromptRedactedWithoutConsent(t *testing.T) {
	md := fullMetadata()
	md.LogUserPrompts = false
	h := sessiontest.New(t, md)
	ctx, span := h.Start(t.Context(), "root")
	h.Session.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput("héllo wörld")}})
	span.End()
	la := sessiontest.LogAttrs(t, h.Log(t, session.EventUserPrompt))
	sessiontest.AssertAttrs(t, la, map[string]any{"prompt": session.RedactedPrompt, "prompt_length": 11})
	ta := sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventUserPrompt))
	sessiontest.AssertAbsent(t, ta, "prompt", "user.email", "user.account_id")
	sessiontest.AssertAttrs(t, ta, map[string]any{"prompt_length": 11, "text_input_count": 1})
}

func TestRoutesToolResultLogAndTraceEvents(t *testing.T) {
	h := sessiontest.New(t, fullMetadata())
	ctx, span := h.Start(t.Context(), "root")
	h.Session.ToolResult(ctx, session.ToolResult{
		ToolCall: session.ToolCall{
			Name: "read_file", CallID: "call-1", Arguments: `{"cmd":"ls -la"}`,
			MCPServer: "files", MCPServerOrigin: "stdio",
		},
		Duration: 1500 * time.Millisecond, Success: true,
		Output: "line one\nline two is here",
	})
	span.End()

	la := sessiontest.LogAttrs(t, h.Log(t, session.EventToolResult))
	sessiontest.AssertKeys(t, la, with(logMeta, "tool_name", "call_id", "arguments", "duration_ms", "success",
		"output", "mcp_server", "mcp_server_origin")...)
	sessiontest.AssertAttrs(t, la, map[string]any{
		"tool_name": "read_file", "call_id": "call-1", "arguments": `{"cmd":"ls -la"}`, "duration_ms": 1500,
		"success": true, "output": "line one\nline two is here", "mcp_server": "files", "mcp_server_origin": "stdio",
	})

	ta := sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventToolResult))
	sessiontest.AssertKeys(t, ta, with(traceMeta, "tool_name", "call_id", "duration_ms", "success",
		"arguments_length", "output_length", "output_line_count", "tool_origin", "mcp_tool")...)
	sessiontest.AssertAttrs(t, ta, map[string]any{
		"arguments_length": 16, "output_length": 25, "output_line_count": 2, "tool_origin": "mcp",
		"mcp_tool": true, "duration_ms": 1500, "success": true,
	})
}

func TestRoutesAuthRecoveryLogAndTraceEvents(t *testing.T) {
	h := sessiontest.New(t, fullMetadata())
	ctx, span := h.Start(t.Context(), "root")
	h.Session.AuthRecovery(ctx, session.AuthRecovery{
		Mode: "managed", Step: "refresh_token", Outcome: "recovered", RequestID: "req-1", CFRay: "ray-1",
		Error: "missing_authorization_header", ErrorCode: "token_expired", Reason: "unauthorized",
		StateChanged: true,
	})
	span.End()
	want := map[string]any{
		"auth.mode": "managed", "auth.step": "refresh_token", "auth.outcome": "recovered",
		"auth.request_id": "req-1", "auth.cf_ray": "ray-1", "auth.error": "missing_authorization_header",
		"auth.error_code": "token_expired", "auth.recovery_reason": "unauthorized", "auth.state_changed": true,
	}
	auth := sessiontest.Keys(want)
	la := sessiontest.LogAttrs(t, h.Log(t, session.EventAuthRecovery))
	sessiontest.AssertKeys(t, la, with(logMeta, auth...)...)
	sessiontest.AssertAttrs(t, la, want)
	ta := sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventAuthRecovery))
	sessiontest.AssertKeys(t, ta, with(traceMeta, auth...)...)
	sessiontest.AssertAttrs(t, ta, want)
}

func TestLogRecordsCorrelateWithSpan(t *testing.T) {
	h := sessiontest.New(t, fullMetadata())
	ctx, span := h.Start(t.Context(), "root")
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: 42 * time.Millisecond})
	span.End()
	r := h.Log(t, session.EventTurnTTFT)
	sc := span.SpanContext()
	if r.TraceID() != sc.TraceID() || r.SpanID() != sc.SpanID() {
		t.Fatalf("log record trace/span = %s/%s, want %s/%s", r.TraceID(), r.SpanID(), sc.TraceID(), sc.SpanID())
	}
	if !r.TraceFlags().IsSampled() {
		t.Error("log record trace flags are not sampled")
	}
	ev := h.SpanEvent(t, session.EventTurnTTFT)
	if ev.SpanContext.SpanID() != sc.SpanID() {
		t.Errorf("span event on span %s, want %s", ev.SpanContext.SpanID(), sc.SpanID())
	}
}

func TestEventOutsideSpanStillLogs(t *testing.T) {
	h := sessiontest.New(t, fullMetadata())
	h.Session.TurnTTFT(t.Context(), session.TurnTTFT{Duration: 42 * time.Millisecond})
	r := h.Log(t, session.EventTurnTTFT)
	if r.TraceID().IsValid() || r.SpanID().IsValid() {
		t.Errorf("log record outside a span has trace %s span %s", r.TraceID(), r.SpanID())
	}
	sessiontest.AssertAttrs(t, sessiontest.LogAttrs(t, r), map[string]any{"duration_ms": 42})
	// A span started and ended afterwards has no event: nothing went to a span.
	_, span := h.Start(t.Context(), "later")
	span.End()
	if evs := h.SpanEvents(session.EventTurnTTFT); len(evs) != 0 {
		t.Errorf("got %d span events, want 0", len(evs))
	}
}
