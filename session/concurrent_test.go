package session_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// TestSessionConcurrentSafe uses one session from 50 goroutines, each under its own span, and checks
// that every event arrived whole: the Makefile reruns it 100 times under -race.
func TestSessionConcurrentSafe(t *testing.T) {
	const workers = 50
	h := sessiontest.New(t, fullMetadata())
	s := h.Session
	if err := s.ResetRuntimeMetrics(t.Context()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, span := h.Start(session.NewContext(t.Context(), s), "worker")
			defer span.End()
			st := session.FromContext(ctx)
			st.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput("hi")}})
			_, _, _ = st.RunTool(ctx, session.ToolCall{Name: "shell", CallID: "c"},
				func(context.Context) (string, bool, error) { return "ok", true, nil })
			st.APIRequest(ctx, session.APIRequest{Attempt: int64(i), Status: 200, Duration: 2 * time.Millisecond})
			if i%10 == 0 {
				_, _ = st.RuntimeSummary(ctx) // concurrent snapshots must not race with recording
			}
		}()
	}
	wg.Wait()

	if n := len(h.Logs()); n != 3*workers {
		t.Errorf("got %d log records, want %d", n, 3*workers)
	}
	spans := h.Memory.Spans()
	if len(spans) != workers {
		t.Fatalf("got %d spans, want %d", len(spans), workers)
	}
	for _, sp := range spans {
		if len(sp.Events) != 3 {
			t.Fatalf("span %s has %d events, want 3", sp.SpanContext.SpanID(), len(sp.Events))
		}
		for _, e := range sp.Events {
			m := sessiontest.Map(t, e.Attributes)
			if m["conversation.id"] != "conv-1" || m["event.name"] != e.Name {
				t.Fatalf("event %s has attributes %v", e.Name, m)
			}
		}
	}
	for _, r := range h.Logs() {
		if !r.SpanID().IsValid() {
			t.Fatalf("log record %s is not correlated", r.EventName())
		}
	}
	// Every call is counted once in the metrics, whatever summaries ran meanwhile.
	var total int64
	for _, sm := range h.Snapshot(t).ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == session.MetricToolCall {
				for _, p := range sum.DataPoints {
					total += p.Value
				}
			}
		}
	}
	if total != workers {
		t.Errorf("codex.tool.call total %d, want %d", total, workers)
	}
}
