package session_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
)

// Arguments built once, as a caller holding its data would pass them.
var (
	argPrompt = session.UserPrompt{Items: []session.UserInput{session.TextInput("hello")}}
	argTool   = session.ToolResult{ToolCall: session.ToolCall{Name: "shell", CallID: "c", Arguments: "ls"},
		Duration: time.Millisecond, Success: true, Output: "a\nb"}
	argAPI      = session.APIRequest{Attempt: 1, Status: 200, Duration: time.Millisecond, Endpoint: "/v1/responses"}
	errArg      = errors.New("x")
	argAttrs    = []attribute.KeyValue{attribute.String("k", "v")}
	argToolFunc = func(context.Context) (string, bool, error) { return "out", true, nil }
)

// everyMethod calls every method of s.
func everyMethod(ctx context.Context, s *session.Telemetry) {
	s.ConversationStart(ctx, session.ConversationStart{ProviderName: "p"})
	s.UserPrompt(ctx, argPrompt)
	s.APIRequest(ctx, argAPI)
	s.WebSocketConnect(ctx, session.WebSocketConnect{Status: 101})
	s.WebSocketRequest(ctx, session.WebSocketRequest{Duration: time.Millisecond})
	s.WebSocketEvent(ctx, session.WebSocketEvent{Kind: "k", Duration: time.Millisecond})
	s.SSEEvent(ctx, session.SSEEvent{Kind: "k", Duration: time.Millisecond})
	s.SSECompleted(ctx, session.SSECompleted{InputTokens: 1})
	s.ToolDecision(ctx, session.ToolDecision{ToolName: "t", Decision: "approved"})
	s.ToolResult(ctx, argTool)
	_, _, _ = s.RunTool(ctx, argTool.ToolCall, argToolFunc)
	s.ToolFailed(ctx, session.ToolFailed{ToolCall: argTool.ToolCall, Err: errArg})
	s.AuthRecovery(ctx, session.AuthRecovery{Mode: "m"})
	s.SandboxOutcome(ctx, session.SandboxOutcome{Outcome: "ok"})
	s.StartupPhase(ctx, session.StartupPhase{Phase: "p", Duration: time.Millisecond})
	s.TurnTTFT(ctx, session.TurnTTFT{Duration: time.Millisecond})
	s.Event(ctx, "host.event", argAttrs, argAttrs)
	s.Counter("codex.x", 1)
	s.Histogram("codex.y", 1)
	s.RecordDuration("codex.z", time.Millisecond)
}

func TestNilSessionIsSafeAndFree(t *testing.T) {
	var s *session.Telemetry
	ctx := context.Background()
	everyMethod(ctx, s)
	if s.WithModel("m", "s") != nil || s.Metadata() != (session.Metadata{}) {
		t.Error("nil session derived a session")
	}
	if _, err := s.RuntimeSummary(ctx); !errors.Is(err, session.ErrNoMetrics) {
		t.Errorf("RuntimeSummary: %v", err)
	}
	if err := s.ResetRuntimeMetrics(ctx); !errors.Is(err, session.ErrNoMetrics) {
		t.Errorf("ResetRuntimeMetrics: %v", err)
	}
	if got := session.FromContext(ctx); got != nil {
		t.Error("FromContext of an empty context is not nil")
	}
	if n := testing.AllocsPerRun(100, func() { everyMethod(ctx, session.FromContext(ctx)) }); n != 0 {
		t.Errorf("nil session: %v allocations per run, want 0", n)
	}
	var f *session.Factory
	if f.New(session.Metadata{SessionID: "x"}) != nil {
		t.Error("nil factory made a session")
	}
}

func TestSessionWithoutOutputsIsFree(t *testing.T) {
	s := session.New(fullMetadata())
	ctx := session.NewContext(context.Background(), s)
	if session.FromContext(ctx) != s {
		t.Fatal("FromContext did not return the session")
	}
	if n := testing.AllocsPerRun(100, func() { everyMethod(ctx, session.FromContext(ctx)) }); n != 0 {
		t.Errorf("session without outputs: %v allocations per run, want 0", n)
	}
}

func TestNilMetricsClientOption(t *testing.T) {
	s := session.New(fullMetadata(), session.WithMetrics((*metrics.Client)(nil)), nil)
	everyMethod(context.Background(), s)
	if _, err := s.RuntimeSummary(context.Background()); !errors.Is(err, session.ErrNoMetrics) {
		t.Errorf("RuntimeSummary: %v", err)
	}
}

// A zero-value Factory or Telemetry (never built by NewFactory or New) has no configuration: it is a
// no-op like a nil session, never a panic.
func TestZeroValuesAreNoOps(t *testing.T) {
	ctx := context.Background()
	md := session.Metadata{SessionID: "z", Model: "m"}
	var f session.Factory
	zeroFactorySession := f.New(md)
	var zero session.Telemetry
	for name, s := range map[string]*session.Telemetry{
		"zero factory":   zeroFactorySession,
		"zero session":   &zero,
		"derived":        (&zero).WithModel("m2", "s2"),
		"new(Telemetry)": new(session.Telemetry),
	} {
		t.Run(name, func(t *testing.T) {
			everyMethod(ctx, s)
			if _, err := s.RuntimeSummary(ctx); !errors.Is(err, session.ErrNoMetrics) {
				t.Errorf("RuntimeSummary: %v", err)
			}
			if err := s.ResetRuntimeMetrics(ctx); !errors.Is(err, session.ErrNoMetrics) {
				t.Errorf("ResetRuntimeMetrics: %v", err)
			}
			ran := false
			out, ok, err := s.RunTool(ctx, session.ToolCall{Name: "t"}, func(context.Context) (string, bool, error) {
				ran = true
				return "o", true, nil
			})
			if !ran || out != "o" || !ok || err != nil {
				t.Errorf("RunTool: ran %v, got %q %v %v", ran, out, ok, err)
			}
			if n := testing.AllocsPerRun(100, func() { everyMethod(ctx, s) }); n != 0 {
				t.Errorf("%v allocations per run, want 0", n)
			}
		})
	}
	if got := zeroFactorySession.Metadata(); got.SessionID != "z" {
		t.Errorf("zero factory session metadata %+v", got)
	}
	var r session.Resolver
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Session-Id", "x")
	if r.FromHTTP(req) != nil || r.FromMetadata(ctx, md) != nil || r.FromMap(ctx, map[string]string{"X-Session-Id": "x"}) != nil {
		t.Error("zero Resolver made a session")
	}
}
