package metrics_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
)

// newMemClient builds a client exporting to a fresh Memory, like the reference harness
// (environment "test", service "codex-cli"), and shuts it down at cleanup.
func newMemClient(t *testing.T, defaults map[string]string, opts ...metrics.Option) (*metrics.Client, *otelkit.Memory) {
	t.Helper()
	mem := otelkit.NewMemory()
	c, err := metrics.New(metrics.Config{
		Environment: "test", ServiceName: "codex-cli", ServiceVersion: "1.2.3",
		Exporter: otelkit.InMemory(mem), DefaultTags: defaults,
	}, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Shutdown(context.Background()) })
	return c, mem
}

// shutdown shuts c down within a deadline and fails on error.
func shutdown(t *testing.T, c *metrics.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := c.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// must fails the test on a non-nil error. Like t.Fatal, call it only from the test's goroutine.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr checks that err wraps target and that its message contains every part.
func wantErr(t *testing.T, err, target error, parts ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want one wrapping %v", err, target)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not mention %q", err, p)
		}
	}
}

// fakeClock is a settable clock for timers.
type fakeClock struct{ now time.Time }

func (f *fakeClock) Now() time.Time          { return f.now }
func (f *fakeClock) Advance(d time.Duration) { f.now = f.now.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }
