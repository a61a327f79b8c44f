package session

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Event is what a session recorded, as passed to sinks: the event name, its time, the session metadata and
// the attributes that went to the log record (may be sensitive) and to the span event (safe).
type Event struct {
	Name       string
	Time       time.Time
	Metadata   Metadata
	LogAttrs   []attribute.KeyValue
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
