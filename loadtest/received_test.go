package loadtest_test

import (
	"testing"

	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/session"
)

// serverSpans returns the distinct decoded server spans of the route, and how many spans arrived more than
// once (an export the client gave up on after the receiver had accepted it is sent again: OTLP delivery is
// at least once).
func serverSpans(col *otlptest.Server) (spans []otlptest.Span, dups int) {
	seen := map[string]bool{}
	for _, sp := range col.Spans() {
		if sp.Span.GetName() != spanName {
			continue
		}
		if seen[sp.SpanID()] {
			dups++
			continue
		}
		seen[sp.SpanID()] = true
		spans = append(spans, sp)
	}
	return spans, dups
}

// sessionLogs returns the distinct decoded session log records of the route (one per request, told apart
// by the span they were recorded in), and how many arrived more than once.
func sessionLogs(col *otlptest.Server) (logs []otlptest.LogRecord, dups int) {
	seen := map[string]bool{}
	for _, lr := range col.Logs() {
		if lr.Record.GetEventName() != session.EventAPIRequest {
			continue
		}
		if seen[lr.SpanID()] {
			dups++
			continue
		}
		seen[lr.SpanID()] = true
		logs = append(logs, lr)
	}
	return logs, dups
}

// delivered fails t unless the receiver decoded exactly spans distinct server spans and logs distinct
// session log records; with once, it also fails on duplicates.
func delivered(t testing.TB, col *otlptest.Server, spans, logs int, once bool) {
	t.Helper()
	sp, spDups := serverSpans(col)
	lr, lrDups := sessionLogs(col)
	if len(sp) != spans || len(lr) != logs {
		t.Fatalf("receiver decoded %d distinct server spans and %d session log records, want %d and %d",
			len(sp), len(lr), spans, logs)
	}
	if spDups+lrDups > 0 {
		if once {
			t.Fatalf("receiver got %d spans and %d log records twice", spDups, lrDups)
		}
		t.Logf("receiver got %d spans and %d log records twice (an export timed out after it was accepted)", spDups, lrDups)
	}
}
