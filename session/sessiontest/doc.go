// Package sessiontest helps test code that records session telemetry: [New] builds a session whose logs,
// spans and metrics are kept in memory, and the helpers find log records, span events and metric points
// by name and compare their attributes, with clear failure messages.
//
//	h := sessiontest.New(t, session.Metadata{SessionID: "s1", Model: "gpt-5"})
//	ctx, span := h.Start(t.Context(), "turn")
//	h.Session.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput("hi")}})
//	span.End()
//	sessiontest.AssertKeys(t, sessiontest.EventAttrs(t, h.SpanEvent(t, session.EventUserPrompt)), ...)
//
// [Map], [LogAttrs] and [EventAttrs] fail the test when a key appears more than once: OTLP requires the
// attribute keys of a log record or span event to be unique.
//
// A [Recorder] is a lighter double: a session.Sink that keeps the events a session records, without any
// OpenTelemetry pipeline.
package sessiontest
