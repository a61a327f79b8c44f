package session_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// TestSessionOverOTLP sends a session's events through a real provider to a loopback OTLP receiver and
// checks what it decoded: the log record (sensitive fields, trace correlation), the span event (safe
// fields only) and the metric (bounded tags).
func TestSessionOverOTLP(t *testing.T) {
	srv := otlptest.NewServer(t)
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "session-e2e",
		Traces:      otelkit.OTLP(srv.HTTPURL()),
		Logs:        otelkit.OTLP(srv.HTTPURL()),
		Metrics:     otelkit.OTLP(srv.HTTPURL()),
	})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := metrics.NewFromProvider(p)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(fullMetadata(), session.WithLoggerProvider(p.EventLoggerProvider()), session.WithMetrics(mc))

	ctx, span := p.TracerProvider().Tracer("e2e").Start(context.Background(), "turn")
	s.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput("super secret prompt")}})
	s.APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200, Duration: 300 * time.Millisecond, Endpoint: "/v1/responses"})
	span.End()

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := mc.Shutdown(shutdownCtx); err != nil {
		t.Fatal(err)
	}
	if err := p.Shutdown(shutdownCtx); err != nil {
		t.Fatal(err)
	}

	spans := srv.WaitSpans(t, 1, 5*time.Second)
	logs := srv.WaitLogs(t, 2, 5*time.Second)
	sp := spans[0]
	var prompt otlptest.LogRecord
	for _, r := range logs {
		if r.Record.GetEventName() == session.EventUserPrompt {
			prompt = r
		}
	}
	if prompt.Record == nil {
		t.Fatalf("no %s log record among %d", session.EventUserPrompt, len(logs))
	}
	if prompt.TraceID() != sp.TraceID() || prompt.SpanID() != sp.SpanID() {
		t.Errorf("log record %s/%s, span %s/%s", prompt.TraceID(), prompt.SpanID(), sp.TraceID(), sp.SpanID())
	}
	if got := prompt.Scope.GetName(); got != session.ScopeName {
		t.Errorf("log scope %q", got)
	}
	sessiontest.AssertAttrs(t, prompt.Attrs(), map[string]any{
		"prompt": "super secret prompt", "prompt_length": 19, "user.email": "dev@example.com",
		"event.name": session.EventUserPrompt,
	})

	events := sp.Span.GetEvents()
	if len(events) != 2 || events[0].GetName() != session.EventUserPrompt || events[1].GetName() != session.EventAPIRequest {
		t.Fatalf("span events: %v", events)
	}
	ev := otlptest.AttrMap(events[0].GetAttributes())
	sessiontest.AssertKeys(t, ev, with(traceMeta, "prompt_length", "text_input_count", "image_input_count",
		"local_image_input_count")...)

	var found bool
	for _, m := range srv.Metrics() {
		if m.Metric.GetName() != session.MetricAPIRequest {
			continue
		}
		found = true
		want := []map[string]any{{"app.version": "1.2.3", "auth_mode": "ApiKey", "model": "gpt-5",
			"originator": "test_originator", "service_name": "my_app_server_client", "session_source": "cli",
			"status": "200", "success": "true"}}
		if got := m.PointAttrs(); !reflect.DeepEqual(got, want) {
			t.Errorf("metric attributes %v\nwant %v", got, want)
		}
		if m.SumInt() != 1 {
			t.Errorf("codex.api_request = %d, want 1", m.SumInt())
		}
	}
	if !found {
		t.Errorf("metric %s not received", session.MetricAPIRequest)
	}
}
