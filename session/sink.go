package session

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Event is what a session recorded, as passed to sinks: the event name, its time, the session metadata and
// the attributes that went to the log record (may be sensitive) and to the span event (safe).
type Event struct {
	// Name is the event name, e.g. "codex.user_prompt".
	Name string
	// Time is when the event was recorded (the session's clock).
	Time time.Time
	// Metadata is the metadata of the session that recorded the event.
	Metadata Metadata
	// LogAttrs are the event's fields as the log record got them, without the metadata: they may be
	// sensitive (prompt text, tool arguments and output).
	LogAttrs []attribute.KeyValue
	// TraceAttrs are the event's fields as the span event got them, without the metadata: safe values
	// only. They are built even when no span is recording.
	TraceAttrs []attribute.KeyValue
}

// Sink receives every event a session records, after it is logged, traced and measured. Sinks are called
// synchronously on the recording goroutine and must be fast and safe for concurrent use; they must not
// retain the attribute slices.
type Sink interface {
	OnEvent(ctx context.Context, e Event)
}

// SinkFunc adapts a function to [Sink].
type SinkFunc func(ctx context.Context, e Event)

// OnEvent calls f.
func (f SinkFunc) OnEvent(ctx context.Context, e Event) { f(ctx, e) }
