package propagation_test

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/propagation"
)

func TestContextFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		traceparent string
		tracestate  string
		wantOK      bool
		wantTS      string
		wantWarning string // "" means none
	}{
		{name: "unset", wantOK: false},
		{name: "valid", traceparent: refTraceParent, tracestate: "a=1", wantOK: true, wantTS: "a=1"},
		{name: "valid without tracestate", traceparent: refTraceParent, wantOK: true},
		{name: "invalid traceparent", traceparent: "00-xyz", tracestate: "a=1", wantWarning: "TRACEPARENT is set but invalid; ignoring trace context"},
		{name: "invalid tracestate", traceparent: refTraceParent, tracestate: "A=1", wantOK: true, wantWarning: "TRACESTATE is set but invalid; continuing the trace without it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(propagation.EnvTraceParent, tt.traceparent)
			t.Setenv(propagation.EnvTraceState, tt.tracestate)
			propagation.ResetEnv()
			t.Cleanup(propagation.ResetEnv)

			var (
				mu       sync.Mutex
				warnings []error
			)
			handler := propagation.WithErrorHandler(func(err error) {
				mu.Lock()
				defer mu.Unlock()
				warnings = append(warnings, err)
			})
			// Many concurrent callers: the environment is read once and
			// warned about at most once.
			var wg sync.WaitGroup
			var oks atomic.Int32
			for range 16 {
				wg.Go(func() {
					ctx, ok := propagation.ContextFromEnv(t.Context(), handler)
					if ok {
						oks.Add(1)
						if ctx == t.Context() {
							t.Error("ok but ctx unchanged")
						}
					} else if ctx != t.Context() {
						t.Error("not ok but ctx changed")
					}
				})
			}
			wg.Wait()

			if want := map[bool]int32{true: 16, false: 0}[tt.wantOK]; oks.Load() != want {
				t.Fatalf("%d of 16 calls ok, want %d", oks.Load(), want)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.wantWarning == "" {
				if len(warnings) != 0 {
					t.Fatalf("warnings = %v, want none", warnings)
				}
			} else {
				if len(warnings) != 1 {
					t.Fatalf("got %d warnings (%v), want exactly 1", len(warnings), warnings)
				}
				if !strings.Contains(warnings[0].Error(), tt.wantWarning) || !errors.Is(warnings[0], propagation.ErrInvalidEnv) {
					t.Errorf("warning = %q, want %q wrapping ErrInvalidEnv", warnings[0], tt.wantWarning)
				}
			}
			if !tt.wantOK {
				return
			}
			ctx, _ := propagation.ContextFromEnv(t.Context())
			sc := trace.SpanContextFromContext(ctx)
			if !sc.IsRemote() || sc.TraceID().String() != refTraceID || sc.SpanID().String() != refSpanID {
				t.Errorf("span context = %v", sc)
			}
			if got := sc.TraceState().String(); got != tt.wantTS {
				t.Errorf("tracestate = %q, want %q", got, tt.wantTS)
			}
		})
	}
}

func TestContextFromEnvReadsOnce(t *testing.T) {
	t.Setenv(propagation.EnvTraceParent, refTraceParent)
	t.Setenv(propagation.EnvTraceState, "")
	propagation.ResetEnv()
	t.Cleanup(propagation.ResetEnv)
	if _, ok := propagation.ContextFromEnv(t.Context()); !ok {
		t.Fatal("first call ok = false")
	}
	t.Setenv(propagation.EnvTraceParent, "garbage")
	warned := false
	ctx, ok := propagation.ContextFromEnv(t.Context(), propagation.WithErrorHandler(func(error) { warned = true }))
	if !ok || warned || propagation.TraceIDHex(ctx) != refTraceID {
		t.Errorf("second call: ok=%v warned=%v trace=%q; want the first reading", ok, warned, propagation.TraceIDHex(ctx))
	}
}
