package sessiontest

import (
	"context"
	"slices"
	"sync"

	"github.com/otelkit/otelkit/session"
)

// Recorder is a session.Sink that keeps a copy of every event, for tests that need no OpenTelemetry
// pipeline: session.New(md, session.WithSink(rec)). It is safe for concurrent use.
type Recorder struct {
	mu     sync.Mutex
	events []session.Event
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// OnEvent stores a copy of e.
func (r *Recorder) OnEvent(_ context.Context, e session.Event) {
	e.LogAttrs = slices.Clone(e.LogAttrs)
	e.TraceAttrs = slices.Clone(e.TraceAttrs)
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// Events returns the recorded events in order.
func (r *Recorder) Events() []session.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// Named returns the recorded events called name.
func (r *Recorder) Named(name string) []session.Event {
	var out []session.Event
	for _, e := range r.Events() {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}
