package propagation

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/w3c"
)

// Environment variables a traced parent process sets for its children.
const (
	// EnvTraceParent holds the W3C traceparent to continue.
	EnvTraceParent = "TRACEPARENT"
	// EnvTraceState holds the optional W3C tracestate.
	EnvTraceState = "TRACESTATE"
)

// envParent is the trace context read from the environment, once per
// process (or per test reset).
type envParent struct {
	once sync.Once
	sc   trace.SpanContext
	ok   bool
}

// envCache holds the current envParent; tests replace it to read again.
var envCache atomic.Pointer[envParent]

// loadEnvParent returns the process's envParent, creating it on first use.
func loadEnvParent() *envParent {
	if e := envCache.Load(); e != nil {
		return e
	}
	envCache.CompareAndSwap(nil, new(envParent))
	return envCache.Load()
}

// resetEnv makes the next ContextFromEnv read the environment again. Tests
// only (see export_test.go).
func resetEnv() { envCache.Store(new(envParent)) }

// ContextFromEnv returns a copy of ctx whose remote parent is the trace
// context in the TRACEPARENT and optional TRACESTATE environment variables,
// for CLI-style tools started by a traced parent (see [TraceContext.Environ]).
//
// The variables are read once per process, on the first call. When
// TRACEPARENT is unset or empty, ok is false. When it is set but invalid, it
// is ignored: ok is false on every call and a single warning wrapping
// [ErrInvalidEnv] goes to the error handler of that first call
// ([WithErrorHandler]; otel.Handle by default). An invalid TRACESTATE is
// dropped with the same single warning while the traceparent is used. On
// ok=false ctx is returned unchanged.
func ContextFromEnv(ctx context.Context, opts ...EnvOption) (context.Context, bool) {
	e := loadEnvParent()
	e.once.Do(func() {
		c := envConfig{handle: otel.Handle}
		for _, o := range opts {
			if o != nil {
				o.applyEnv(&c)
			}
		}
		e.sc, e.ok = readEnvParent(c.handle)
	})
	if !e.ok {
		return ctx, false
	}
	return trace.ContextWithRemoteSpanContext(ctx, e.sc), true
}

// readEnvParent parses TRACEPARENT and TRACESTATE, reporting at most one
// warning to handle.
func readEnvParent(handle func(error)) (trace.SpanContext, bool) {
	tp := os.Getenv(EnvTraceParent)
	if tp == "" {
		return trace.SpanContext{}, false
	}
	ts := os.Getenv(EnvTraceState)
	sc, ok := w3c.SpanContextFromStrings(tp, ts)
	if !ok {
		handle(fmt.Errorf("%w: %s is set but invalid; ignoring trace context", ErrInvalidEnv, EnvTraceParent))
		return trace.SpanContext{}, false
	}
	if ts != "" && !w3c.ValidTraceState(ts) {
		handle(fmt.Errorf("%w: %s is set but invalid; continuing the trace without it", ErrInvalidEnv, EnvTraceState))
	}
	return sc, true
}
