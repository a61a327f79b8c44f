package session_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/otelkit/otelkit/session"
)

// countingProcessor counts the records it is given.
type countingProcessor struct {
	discard
	n *int
}

func (p countingProcessor) OnEmit(context.Context, *sdklog.Record) error { *p.n++; return nil }

// Only WithGlobals makes a session use the global logger provider.
func TestWithGlobals(t *testing.T) {
	var n int
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(countingProcessor{n: &n}))
	prev := otel.GetLoggerProvider()
	otel.SetLoggerProvider(lp)
	t.Cleanup(func() {
		otel.SetLoggerProvider(prev)
		_ = lp.Shutdown(context.Background())
	})

	session.New(fullMetadata()).TurnTTFT(t.Context(), session.TurnTTFT{})
	if n != 0 {
		t.Fatalf("a session without WithGlobals logged %d records to the global provider", n)
	}
	session.New(fullMetadata(), session.WithGlobals()).TurnTTFT(t.Context(), session.TurnTTFT{})
	if n != 1 {
		t.Fatalf("a session with WithGlobals logged %d records, want 1", n)
	}
}
