package sessiontest_test

import (
	"context"
	"fmt"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// A Recorder keeps what a session records, without any OpenTelemetry pipeline.
func ExampleRecorder() {
	rec := sessiontest.NewRecorder()
	s := session.New(session.Metadata{SessionID: "s1"}, session.WithSink(rec))
	s.ToolDecision(context.Background(), session.ToolDecision{ToolName: "shell", Decision: "Approved", Source: "user"})

	for _, e := range rec.Events() {
		fmt.Print(e.Name, " ", e.Metadata.SessionID)
		for _, kv := range e.LogAttrs {
			if kv.Key == "tool_name" || kv.Key == "decision" {
				fmt.Print(" ", kv.Value.AsString())
			}
		}
		fmt.Println()
	}
	// Output:
	// codex.tool_decision s1 shell approved
}
