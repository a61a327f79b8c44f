package session_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

var fixedTime = time.Date(2025, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("X", 3600))

func fixedClock() time.Time { return fixedTime }

var authEnv = session.AuthEnv{
	OpenAIAPIKeyPresent: true, CodexAPIKeyPresent: false, CodexAPIKeyEnabled: true,
	ProviderKeyName: "AZURE_KEY", ProviderKeyPresent: true, RefreshTokenURLOverridePresent: false,
}

var envKeys = []string{"auth.env_openai_api_key_present", "auth.env_codex_api_key_present",
	"auth.env_codex_api_key_enabled", "auth.env_provider_key_name", "auth.env_provider_key_present",
	"auth.env_refresh_token_url_override_present"}

var fullAuth = session.RequestAuth{
	HeaderAttached: true, HeaderName: "authorization", RetryAfterUnauthorized: true,
	RecoveryMode: "managed", RecoveryPhase: "refresh", RequestID: "req-9", CFRay: "ray-9",
	Error: "bad_token", ErrorCode: "401x",
}

var authKeys = []string{"auth.header_attached", "auth.header_name", "auth.retry_after_unauthorized",
	"auth.recovery_mode", "auth.recovery_phase", "auth.request_id", "auth.cf_ray", "auth.error", "auth.error_code"}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestEventCatalog pins the name, log fields and span fields of every event.
func TestEventCatalog(t *testing.T) {
	tests := []struct {
		name      string
		event     string
		record    func(context.Context, *session.Telemetry)
		logKeys   []string // besides the metadata
		traceKeys []string // besides the metadata; nil means no span event
		want      map[string]any
	}{
		{
			name: "conversation start", event: session.EventConversationStarts,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.ConversationStart(ctx, session.ConversationStart{
					ProviderName: "openai", ReasoningEffort: "high", ReasoningSummary: "auto", ContextWindow: 272000,
					AutoCompactTokenLimit: 200000, ApprovalPolicy: "on-request", SandboxPolicy: "workspace-write",
					MCPServers: []string{"files", "github"},
				})
			},
			logKeys: cat([]string{"provider_name", "reasoning_effort", "reasoning_summary", "context_window",
				"auto_compact_token_limit", "approval_policy", "sandbox_policy", "mcp_servers"}, envKeys),
			traceKeys: cat([]string{"provider_name", "reasoning_effort", "reasoning_summary", "context_window",
				"auto_compact_token_limit", "approval_policy", "sandbox_policy", "mcp_server_count"}, envKeys),
			want: map[string]any{"context_window": 272000, "auth.env_provider_key_name": "AZURE_KEY",
				"auth.env_openai_api_key_present": true, "auth.env_codex_api_key_present": false},
		},
		{
			name: "api request", event: session.EventAPIRequest,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.APIRequest(ctx, session.APIRequest{Attempt: 2, Status: 503, Err: errors.New("unavailable"),
					Duration: 300 * time.Millisecond, Endpoint: "/v1/responses", Auth: fullAuth})
			},
			logKeys: cat([]string{"duration_ms", "http.response.status_code", "error.message", "attempt", "endpoint"},
				authKeys, envKeys),
			traceKeys: cat([]string{"duration_ms", "http.response.status_code", "error.message", "attempt", "endpoint"},
				authKeys, envKeys),
			want: map[string]any{"duration_ms": 300, "http.response.status_code": 503, "error.message": "unavailable",
				"attempt": 2, "endpoint": "/v1/responses", "auth.header_name": "authorization"},
		},
		{
			name: "api request without response", event: session.EventAPIRequest,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.APIRequest(ctx, session.APIRequest{Attempt: 1, Duration: time.Millisecond})
			},
			logKeys:   cat([]string{"duration_ms", "attempt", "endpoint", "auth.header_attached", "auth.retry_after_unauthorized"}, envKeys),
			traceKeys: cat([]string{"duration_ms", "attempt", "endpoint", "auth.header_attached", "auth.retry_after_unauthorized"}, envKeys),
			want:      map[string]any{"endpoint": "unknown", "auth.header_attached": false},
		},
		{
			name: "websocket connect", event: session.EventWebSocketConnect,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.WebSocketConnect(ctx, session.WebSocketConnect{Duration: 12 * time.Millisecond, Status: 101,
					Endpoint: "/v1/responses", Auth: fullAuth})
			},
			logKeys:   cat([]string{"duration_ms", "http.response.status_code", "success", "endpoint", "auth.connection_reused"}, authKeys, envKeys),
			traceKeys: cat([]string{"duration_ms", "http.response.status_code", "success", "endpoint", "auth.connection_reused"}, authKeys, envKeys),
			want:      map[string]any{"success": true, "auth.connection_reused": false, "http.response.status_code": 101},
		},
		{
			name: "websocket request", event: session.EventWebSocketRequest,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.WebSocketRequest(ctx, session.WebSocketRequest{Duration: 400 * time.Millisecond,
					Err: errors.New("stream error"), ConnectionReused: true})
			},
			logKeys:   cat([]string{"duration_ms", "success", "error.message", "auth.connection_reused"}, envKeys),
			traceKeys: cat([]string{"duration_ms", "success", "error.message", "auth.connection_reused"}, envKeys),
			want: map[string]any{"auth.connection_reused": true, "error.message": "stream error", "success": false,
				"duration_ms": 400},
		},
		{
			name: "websocket event", event: session.EventWebSocketEvent,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.WebSocketEvent(ctx, session.WebSocketEvent{Kind: "response.created", Duration: 80 * time.Millisecond})
			},
			logKeys:   []string{"event.kind", "duration_ms", "success"},
			traceKeys: []string{"event.kind", "duration_ms", "success"},
			want:      map[string]any{"event.kind": "response.created", "duration_ms": 80, "success": true},
		},
		{
			name: "sse success is logged only", event: session.EventSSE,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.SSEEvent(ctx, session.SSEEvent{Kind: "response.output_text.delta", Duration: 5 * time.Millisecond})
			},
			logKeys: []string{"event.kind", "duration_ms"},
			want:    map[string]any{"event.kind": "response.output_text.delta", "duration_ms": 5},
		},
		{
			name: "sse failure", event: session.EventSSE,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.SSEEvent(ctx, session.SSEEvent{Duration: 30 * time.Second, Err: session.ErrIdleTimeout})
			},
			logKeys:   []string{"event.kind", "duration_ms", "error.message"},
			traceKeys: []string{"event.kind", "duration_ms", "error.message"},
			want:      map[string]any{"event.kind": "unknown", "error.message": "idle timeout waiting for SSE"},
		},
		{
			name: "sse completed", event: session.EventSSE,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.SSECompleted(ctx, session.SSECompleted{InputTokens: 100, OutputTokens: 20, CachedTokens: 60,
					ReasoningTokens: 7, ToolTokens: 3})
			},
			logKeys: []string{"event.kind", "input_token_count", "output_token_count", "cached_token_count",
				"reasoning_token_count", "tool_token_count"},
			traceKeys: []string{"event.kind", "input_token_count", "output_token_count", "cached_token_count",
				"reasoning_token_count", "tool_token_count"},
			want: map[string]any{"event.kind": "response.completed", "input_token_count": 100, "cached_token_count": 60},
		},
		{
			name: "sse completion failed", event: session.EventSSE,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.SSECompleted(ctx, session.SSECompleted{Err: errors.New("stream closed before response.completed")})
			},
			logKeys:   []string{"event.kind", "error.message"},
			traceKeys: []string{"event.kind", "error.message"},
			want:      map[string]any{"event.kind": "response.completed", "error.message": "stream closed before response.completed"},
		},
		{
			name: "tool decision is logged only", event: session.EventToolDecision,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.ToolDecision(ctx, session.ToolDecision{ToolName: "shell", CallID: "c1", Decision: "Approved", Source: "User"})
			},
			logKeys: []string{"tool_name", "call_id", "decision", "source"},
			want:    map[string]any{"decision": "approved", "source": "User"},
		},
		{
			name: "tool failed", event: session.EventToolResult,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.ToolFailed(ctx, session.ToolFailed{ToolCall: session.ToolCall{Name: "nope", CallID: "c2"},
					Err: errors.New("unknown tool: nope\nsee docs")})
			},
			logKeys: []string{"tool_name", "call_id", "arguments", "duration_ms", "success", "output", "mcp_server",
				"mcp_server_origin"},
			traceKeys: []string{"tool_name", "call_id", "duration_ms", "success", "arguments_length", "output_length",
				"output_line_count", "tool_origin", "mcp_tool"},
			want: map[string]any{"success": false, "duration_ms": 0, "tool_name": "nope"},
		},
		{
			name: "sandbox outcome", event: session.EventSandboxOutcome,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.SandboxOutcome(ctx, session.SandboxOutcome{ToolName: "shell", CallID: "c3", Outcome: "escalated",
					InitialDuration: 20 * time.Millisecond, EscalatedDuration: 70 * time.Millisecond})
			},
			logKeys:   []string{"tool_name", "call_id", "outcome", "initial_duration_ms", "escalated_duration_ms"},
			traceKeys: []string{"tool_name", "call_id", "outcome", "initial_duration_ms", "escalated_duration_ms"},
			want:      map[string]any{"initial_duration_ms": 20, "escalated_duration_ms": 70},
		},
		{
			name: "startup phase", event: session.EventStartupPhase,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.StartupPhase(ctx, session.StartupPhase{Phase: "load_config", Status: "ok", Duration: 9 * time.Millisecond})
			},
			logKeys:   []string{"startup.phase", "startup.status", "duration_ms"},
			traceKeys: []string{"startup.phase", "startup.status", "duration_ms"},
			want:      map[string]any{"startup.phase": "load_config", "startup.status": "ok", "duration_ms": 9},
		},
		{
			name: "turn ttft", event: session.EventTurnTTFT,
			record: func(ctx context.Context, s *session.Telemetry) {
				s.TurnTTFT(ctx, session.TurnTTFT{Duration: 1234 * time.Millisecond})
			},
			logKeys: []string{"duration_ms"}, traceKeys: []string{"duration_ms"},
			want: map[string]any{"duration_ms": 1234},
		},
		{
			name: "host event", event: "app.checkout",
			record: func(ctx context.Context, s *session.Telemetry) {
				s.Event(ctx, "app.checkout",
					[]attribute.KeyValue{attribute.String("order.id", "o-1"), attribute.String("model", "override")},
					[]attribute.KeyValue{attribute.Int("items", 3)})
			},
			logKeys: []string{"order.id"}, traceKeys: []string{"items"},
			want: map[string]any{"event.name": "app.checkout"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := fullMetadata()
			md.AuthEnv = authEnv
			h := sessiontest.New(t, md, session.WithClock(fixedClock))
			ctx, span := h.Start(t.Context(), "root")
			tt.record(ctx, h.Session)
			span.End()

			r := h.Log(t, tt.event)
			if r.EventName() != tt.event || !r.Timestamp().Equal(fixedTime) || r.Severity() != log.SeverityInfo {
				t.Errorf("log record: event name %q, timestamp %v, severity %v", r.EventName(), r.Timestamp(), r.Severity())
			}
			la := sessiontest.LogAttrs(t, r)
			sessiontest.AssertKeys(t, la, cat(logMeta, tt.logKeys)...)
			sessiontest.AssertAttrs(t, la, tt.want)
			sessiontest.AssertAttrs(t, la, map[string]any{"event.name": tt.event, "event.timestamp": "2025-03-04T04:06:07.891Z"})

			evs := h.SpanEvents(tt.event)
			if tt.traceKeys == nil {
				if len(evs) != 0 {
					t.Fatalf("got %d span events, want none", len(evs))
				}
				return
			}
			ev := h.SpanEvent(t, tt.event)
			if !ev.Time.Equal(fixedTime) {
				t.Errorf("span event time %v, want %v", ev.Time, fixedTime)
			}
			ta := sessiontest.EventAttrs(t, ev)
			sessiontest.AssertKeys(t, ta, cat(traceMeta, tt.traceKeys)...)
			for k, v := range tt.want {
				if _, ok := ta[k]; ok {
					sessiontest.AssertAttrs(t, ta, map[string]any{k: v})
				}
			}
		})
	}
}

// A host event's attribute replaces the session's attribute of the same key: each key appears once in the
// log record and the span event (sessiontest fails on a repeated key), and event.name stays the name.
func TestHostEventAttributeOverridesMetadata(t *testing.T) {
	rec := sessiontest.NewRecorder()
	h := sessiontest.New(t, fullMetadata(), session.WithSink(rec))
	ctx, span := h.Start(t.Context(), "root")
	h.Session.Event(ctx, "app.x",
		[]attribute.KeyValue{attribute.String("model", "mine"), attribute.String("k", "1"),
			attribute.String("event.name", "spoofed"), attribute.String("k", "2"), attribute.String("user.email", "x@y")},
		[]attribute.KeyValue{attribute.String("model", "mine-too"), attribute.String("event.timestamp", "then")})
	h.Session.Event(ctx, "", nil, nil) // ignored
	span.End()

	la := sessiontest.LogAttrs(t, h.Log(t, "app.x"))
	sessiontest.AssertKeys(t, la, with(logMeta, "k")...)
	sessiontest.AssertAttrs(t, la, map[string]any{"model": "mine", "k": "2", "event.name": "app.x",
		"user.email": "x@y", "conversation.id": "conv-1"})
	ta := sessiontest.EventAttrs(t, h.SpanEvent(t, "app.x"))
	sessiontest.AssertKeys(t, ta, traceMeta...)
	sessiontest.AssertAttrs(t, ta, map[string]any{"model": "mine-too", "event.timestamp": "then", "event.name": "app.x"})
	if n := len(h.Logs()); n != 1 {
		t.Errorf("got %d log records, want 1", n)
	}
	// Sinks get the host's attributes, deduplicated the same way.
	e := rec.Named("app.x")[0]
	sessiontest.AssertKeys(t, sessiontest.Map(t, e.LogAttrs), "model", "k", "user.email")
	sessiontest.AssertKeys(t, sessiontest.Map(t, e.TraceAttrs), "model", "event.timestamp")

	// The pooled event buffers are reused by a catalog event afterwards: nothing of the host's is left.
	ctx, span = h.Start(t.Context(), "next")
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: time.Millisecond})
	span.End()
	sessiontest.AssertAttrs(t, sessiontest.LogAttrs(t, h.Log(t, session.EventTurnTTFT)), map[string]any{"model": "gpt-5"})
}

func TestEmptyMetadataIsOmitted(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{SessionID: "s"})
	ctx, span := h.Start(t.Context(), "root")
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: time.Millisecond})
	span.End()
	sessiontest.AssertKeys(t, sessiontest.LogAttrs(t, h.Log(t, session.EventTurnTTFT)),
		"event.name", "event.timestamp", "conversation.id", "duration_ms")
	sessiontest.AssertKeys(t, sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventTurnTTFT)),
		"event.name", "event.timestamp", "conversation.id", "duration_ms")
}

// Empty optional string fields are omitted, but the MCP server fields of log records are always present,
// "" when empty, as the package documentation says (and as the Rust reference crate emits them).
func TestEmptyOptionalFields(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{SessionID: "s"})
	ctx, span := h.Start(t.Context(), "root")
	h.Session.ConversationStart(ctx, session.ConversationStart{})
	h.Session.ToolResult(ctx, session.ToolResult{ToolCall: session.ToolCall{Name: "shell", CallID: "c1"}, Success: true})
	h.Session.AuthRecovery(ctx, session.AuthRecovery{})
	h.Session.APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200, Endpoint: "/v1/responses"})
	span.End()
	base := []string{"event.name", "event.timestamp", "conversation.id"}
	env := []string{"auth.env_openai_api_key_present", "auth.env_codex_api_key_present",
		"auth.env_codex_api_key_enabled", "auth.env_refresh_token_url_override_present"}

	conv := sessiontest.LogAttrs(t, h.Log(t, session.EventConversationStarts))
	sessiontest.AssertKeys(t, conv, cat(base, env, []string{"mcp_servers"})...)
	sessiontest.AssertAttrs(t, conv, map[string]any{"mcp_servers": ""})
	sessiontest.AssertKeys(t, sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventConversationStarts)),
		cat(base, env, []string{"mcp_server_count"})...)

	tool := sessiontest.LogAttrs(t, h.Log(t, session.EventToolResult))
	sessiontest.AssertKeys(t, tool, cat(base, []string{"tool_name", "call_id", "arguments", "duration_ms",
		"success", "output", "mcp_server", "mcp_server_origin"})...)
	sessiontest.AssertAttrs(t, tool, map[string]any{"mcp_server": "", "mcp_server_origin": ""})

	sessiontest.AssertKeys(t, sessiontest.LogAttrs(t, h.Log(t, session.EventAuthRecovery)),
		cat(base, []string{"auth.state_changed"})...)
	sessiontest.AssertKeys(t, sessiontest.LogAttrs(t, h.Log(t, session.EventAPIRequest)),
		cat(base, env, []string{"duration_ms", "http.response.status_code", "attempt", "auth.header_attached",
			"auth.retry_after_unauthorized", "endpoint"})...)
}

func TestRunTool(t *testing.T) {
	now := fixedTime
	clock := func() time.Time { return now }
	h := sessiontest.New(t, fullMetadata(), session.WithClock(clock))
	ctx, span := h.Start(t.Context(), "root")

	out, ok, err := h.Session.RunTool(ctx, session.ToolCall{Name: "shell", CallID: "c1", Arguments: "ls"},
		func(context.Context) (string, bool, error) {
			now = now.Add(250 * time.Millisecond)
			return "a\nb\n", true, nil
		})
	if out != "a\nb\n" || !ok || err != nil {
		t.Fatalf("RunTool returned %q %v %v", out, ok, err)
	}
	boom := errors.New("boom")
	_, ok, err = h.Session.RunTool(ctx, session.ToolCall{Name: "shell", CallID: "c2"},
		func(context.Context) (string, bool, error) {
			now = now.Add(10 * time.Millisecond)
			return "partial", true, boom
		})
	if ok != true || err != boom {
		t.Fatalf("RunTool must return f's results unchanged, got %v %v", ok, err)
	}
	if _, _, err := h.Session.RunTool(ctx, session.ToolCall{}, nil); !errors.Is(err, session.ErrNilTool) {
		t.Errorf("RunTool with a nil function: error %v, want ErrNilTool", err)
	}
	if _, _, err := (*session.Telemetry)(nil).RunTool(ctx, session.ToolCall{}, nil); !errors.Is(err, session.ErrNilTool) {
		t.Errorf("nil session's RunTool with a nil function: error %v, want ErrNilTool", err)
	}
	span.End()

	evs := h.SpanEvents(session.EventToolResult)
	if len(evs) != 2 {
		t.Fatalf("got %d tool result span events, want 2", len(evs))
	}
	sessiontest.AssertAttrs(t, sessiontest.EventAttrs(t, evs[0]), map[string]any{
		"duration_ms": 250, "success": true, "output_length": 4, "output_line_count": 2, "tool_origin": "builtin",
		"mcp_tool": false, "call_id": "c1",
	})
	sessiontest.AssertAttrs(t, sessiontest.EventAttrs(t, evs[1]), map[string]any{"duration_ms": 10, "success": false})
	logs := h.LogsNamed(session.EventToolResult)
	sessiontest.AssertAttrs(t, sessiontest.LogAttrs(t, logs[1]), map[string]any{"output": "boom", "success": false})

	// On a nil session the tool still runs.
	var nilSession *session.Telemetry
	ran := false
	out, _, _ = nilSession.RunTool(ctx, session.ToolCall{}, func(context.Context) (string, bool, error) {
		ran = true
		return "x", true, nil
	})
	if !ran || out != "x" {
		t.Error("RunTool on a nil session did not run the tool")
	}
}

// Sinks run last: when a sink is called, the event's log record is emitted, its span event added and its
// metrics recorded. The sink checks that itself, at the time it is called.
func TestSinksReceiveEventsLast(t *testing.T) {
	rec := sessiontest.NewRecorder()
	var h *sessiontest.Harness
	type seen struct {
		name                string
		logs, spanEvents    int
		apiRequestMetricPts int
	}
	var calls []seen
	h = sessiontest.New(t, fullMetadata(), session.WithSink(rec), session.WithSink(session.SinkFunc(
		func(ctx context.Context, e session.Event) {
			s := seen{name: e.Name, logs: len(h.LogsNamed(e.Name))}
			if ro, ok := trace.SpanFromContext(ctx).(sdktrace.ReadOnlySpan); ok {
				for _, ev := range ro.Events() {
					if ev.Name == e.Name {
						s.spanEvents++
					}
				}
			}
			for _, sm := range h.Snapshot(t).ScopeMetrics {
				for _, m := range sm.Metrics {
					if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == session.MetricAPIRequest {
						for _, p := range sum.DataPoints {
							s.apiRequestMetricPts += int(p.Value)
						}
					}
				}
			}
			calls = append(calls, s)
		})))
	ctx, span := h.Start(t.Context(), "root")
	h.Session.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput("secret")}})
	h.Session.APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200})
	span.End()

	want := []seen{
		{name: session.EventUserPrompt, logs: 1, spanEvents: 1},
		{name: session.EventAPIRequest, logs: 1, spanEvents: 1, apiRequestMetricPts: 1},
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("when the sink ran: %+v\nwant %+v", calls, want)
	}
	evs := rec.Named(session.EventUserPrompt)
	if len(evs) != 1 {
		t.Fatalf("recorder got %d events", len(evs))
	}
	e := evs[0]
	if e.Metadata.SessionID != "conv-1" {
		t.Errorf("sink metadata %+v", e.Metadata)
	}
	sessiontest.AssertKeys(t, sessiontest.Map(t, e.LogAttrs), "prompt_length", "prompt")
	sessiontest.AssertKeys(t, sessiontest.Map(t, e.TraceAttrs), "prompt_length", "text_input_count",
		"image_input_count", "local_image_input_count")
}

// A session with only a sink still builds log-only values for it, with redaction applied.
func TestSinkOnlySession(t *testing.T) {
	rec := sessiontest.NewRecorder()
	s := session.New(session.Metadata{SessionID: "s"}, session.WithSink(rec))
	s.UserPrompt(t.Context(), session.UserPrompt{Items: []session.UserInput{session.TextInput("secret")}})
	s.ConversationStart(t.Context(), session.ConversationStart{MCPServers: []string{"a", "b"}})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("got %d events", len(evs))
	}
	sessiontest.AssertAttrs(t, sessiontest.Map(t, evs[0].LogAttrs), map[string]any{"prompt": session.RedactedPrompt})
	sessiontest.AssertAttrs(t, sessiontest.Map(t, evs[1].LogAttrs), map[string]any{"mcp_servers": "a, b"})
	sessiontest.AssertAttrs(t, sessiontest.Map(t, evs[1].TraceAttrs), map[string]any{"mcp_server_count": 2})
}
