package sessiontest_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// fakeTB records failures; Fatalf ends the calling goroutine like testing does.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
	runtime.Goexit()
}

// run calls fn with a fakeTB in its own goroutine and returns the failures.
func run(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestHarnessFindsEvents(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{SessionID: "s1", Model: "m"})
	ctx, span := h.Start(t.Context(), "root")
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: 5 * time.Millisecond})
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: 6 * time.Millisecond})
	h.Session.StartupPhase(ctx, session.StartupPhase{Phase: "boot", Duration: time.Millisecond})
	span.End()

	if n := len(h.LogsNamed(session.EventTurnTTFT)); n != 2 {
		t.Errorf("LogsNamed = %d, want 2", n)
	}
	if n := len(h.SpanEvents(session.EventTurnTTFT)); n != 2 {
		t.Errorf("SpanEvents = %d, want 2", n)
	}
	la := sessiontest.LogAttrs(t, h.Log(t, session.EventStartupPhase))
	sessiontest.AssertAttrs(t, la, map[string]any{"startup.phase": "boot", "duration_ms": 1, "model": "m"})
	ev := h.SpanEvent(t, session.EventStartupPhase)
	if ev.SpanContext.SpanID() != span.SpanContext().SpanID() {
		t.Error("span event has the wrong span context")
	}
	sets := sessiontest.MetricAttrSets(t, h.Snapshot(t), session.MetricStartupPhaseDuration)
	if len(sets) != 1 || sets[0]["phase"] != "boot" || sets[0]["model"] != "m" {
		t.Errorf("metric sets %v", sets)
	}

	// Failures name what was looked for and what exists.
	f := run(t, func(tb testing.TB) { h.Log(tb, session.EventTurnTTFT) })
	if !f.fatal || !strings.Contains(f.errors[0], `want 1 log record "codex.turn_ttft", got 2`) {
		t.Errorf("Log failure: %v", f.errors)
	}
	f = run(t, func(tb testing.TB) { h.SpanEvent(tb, "nope") })
	if !f.fatal || !strings.Contains(f.errors[0], `root/codex.startup_phase`) {
		t.Errorf("SpanEvent failure: %v", f.errors)
	}
	f = run(t, func(tb testing.TB) { sessiontest.MetricAttrSets(tb, h.Snapshot(t), "nope") })
	if !f.fatal || !strings.Contains(f.errors[0], `metric "nope" not found`) {
		t.Errorf("MetricAttrSets failure: %v", f.errors)
	}
}

func TestAssertions(t *testing.T) {
	got := sessiontest.Map(t, []attribute.KeyValue{attribute.String("a", "x"), attribute.Int("n", 3), attribute.Bool("b", true)})
	if f := run(t, func(tb testing.TB) {
		sessiontest.AssertKeys(tb, got, "a", "n", "b")
		sessiontest.AssertAttrs(tb, got, map[string]any{"a": "x", "n": 3, "b": true})
		sessiontest.AssertAbsent(tb, got, "z")
	}); len(f.errors) != 0 {
		t.Errorf("passing assertions failed: %v", f.errors)
	}
	f := run(t, func(tb testing.TB) {
		sessiontest.AssertKeys(tb, got, "a", "z")
		sessiontest.AssertAttrs(tb, got, map[string]any{"n": int64(4), "q": "w"})
		sessiontest.AssertAbsent(tb, got, "a")
	})
	want := []string{
		"attribute keys differ: missing [z], unexpected [b n]",
		"n: got 3, want 4",
		"q: missing",
		`attribute a must be absent, got "x"`,
	}
	all := strings.Join(f.errors, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("failures %q lack %q", all, w)
		}
	}
}

// Map, LogAttrs and EventAttrs fail on a repeated key: OTLP requires unique keys.
func TestDuplicateKeysFail(t *testing.T) {
	dup := []attribute.KeyValue{attribute.String("model", "a"), attribute.Int("n", 1), attribute.String("model", "b")}
	f := run(t, func(tb testing.TB) {
		if m := sessiontest.Map(tb, dup); m["model"] != "b" || len(m) != 2 {
			tb.Errorf("map %v", m)
		}
	})
	if len(f.errors) != 1 || !strings.Contains(f.errors[0], `attribute key model appears more than once ("a", then "b")`) {
		t.Errorf("Map failures: %v", f.errors)
	}
	f = run(t, func(tb testing.TB) {
		sessiontest.EventAttrs(tb, sessiontest.SpanEvent{Event: sdktrace.Event{Attributes: dup}})
	})
	if len(f.errors) != 1 {
		t.Errorf("EventAttrs failures: %v", f.errors)
	}
	// A record keeps repeated keys only from a provider that allows them (as EventLoggerProvider does).
	var got capture
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(&got), sdklog.WithAllowKeyDuplication())
	var rec log.Record
	rec.AddAttributes(dup...)
	lp.Logger("t").Emit(t.Context(), rec)
	if len(got.records) != 1 {
		t.Fatalf("captured %d records", len(got.records))
	}
	f = run(t, func(tb testing.TB) { sessiontest.LogAttrs(tb, got.records[0]) })
	if len(f.errors) != 1 {
		t.Errorf("LogAttrs failures: %v", f.errors)
	}
	if f := run(t, func(tb testing.TB) { sessiontest.Map(tb, dup[:2]) }); len(f.errors) != 0 {
		t.Errorf("unique keys failed: %v", f.errors)
	}
}

// capture is a log processor keeping the records it is given.
type capture struct{ records []sdklog.Record }

func (c *capture) OnEmit(_ context.Context, r *sdklog.Record) error {
	c.records = append(c.records, r.Clone())
	return nil
}
func (c *capture) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (c *capture) Shutdown(context.Context) error                         { return nil }
func (c *capture) ForceFlush(context.Context) error                       { return nil }

func TestRecorderCopiesEvents(t *testing.T) {
	rec := sessiontest.NewRecorder()
	s := session.New(session.Metadata{SessionID: "s"}, session.WithSink(rec))
	s.Event(t.Context(), "a", []attribute.KeyValue{attribute.String("k", "v")}, nil)
	s.Event(t.Context(), "b", nil, []attribute.KeyValue{attribute.String("k", "w")})
	evs := rec.Events()
	if len(evs) != 2 || len(rec.Named("a")) != 1 {
		t.Fatalf("events %v", evs)
	}
	// The session reuses its buffers; the recorder's copies must not change.
	if got := sessiontest.Map(t, evs[0].LogAttrs); got["k"] != "v" {
		t.Errorf("first event's attributes changed: %v", got)
	}
	if got := sessiontest.Map(t, evs[1].TraceAttrs); got["k"] != "w" {
		t.Errorf("second event %v", got)
	}
}

func TestHarnessWithoutMetrics(t *testing.T) {
	h := sessiontest.NewWith(t, sessiontest.Config{Metadata: session.Metadata{SessionID: "s"}, NoMetrics: true,
		MetricTemporality: "delta"})
	if h.Metrics != nil {
		t.Error("metrics client built")
	}
	h.Session.APIRequest(t.Context(), session.APIRequest{Status: 200})
	h.Log(t, session.EventAPIRequest)
}
