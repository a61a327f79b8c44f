package otelkit_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/otlptest"
)

// exportErrors returns the *ExportError values in err's tree (joined and wrapped errors).
func exportErrors(err error) []*otelkit.ExportError {
	var ee *otelkit.ExportError
	if errors.As(err, &ee) && err == error(ee) {
		return []*otelkit.ExportError{ee}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var out []*otelkit.ExportError
		for _, e := range u.Unwrap() {
			out = append(out, exportErrors(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return exportErrors(u.Unwrap())
	}
	return nil
}

// Our batch processor used to be flushed twice per ForceFlush (by the SDK, then directly): with the collector
// failing, one ForceFlush made two rounds of attempts and returned two ExportErrors. Without retries, each
// round is exactly one request.
func TestForceFlushFlushesOurProcessorsOnce(t *testing.T) {
	for _, sig := range []otelkit.Signal{otelkit.SignalTraces, otelkit.SignalLogs} {
		t.Run(string(sig), func(t *testing.T) {
			srv := otlptest.NewServer(t)
			srv.SetDefault(ptr(otlptest.Status(503)))
			e := otelkit.OTLP(srv.HTTPURL())
			e.Retry.Disabled = true
			s := otelkit.Settings{}
			if sig == otelkit.SignalTraces {
				s.Traces = e
			} else {
				s.Logs = e
			}
			var log errorLog
			p, err := otelkit.NewProvider(s, otelkit.WithErrorHandler(log.handle))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { shutdownQuickly(t, p) })
			oneSpan(t, p, "failing")
			slog.New(p.SlogHandler("t")).Info("failing")

			err = p.ForceFlush(t.Context())
			if ees := exportErrors(err); len(ees) != 1 || ees[0].StatusCode != 503 {
				t.Fatalf("ForceFlush returned %d ExportErrors, want one for the 503: %v", len(ees), err)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Fatalf("one ForceFlush sent %d requests, want 1", n)
			}
		})
	}
}

func TestForceFlushWithCollectorDownReturnsOneError(t *testing.T) {
	srv := otlptest.NewServer(t)
	e := otelkit.OTLP(srv.HTTPURL())
	e.Retry.Disabled = true
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	var log errorLog
	p := newTraceProvider(t, e, &log)
	t.Cleanup(func() { shutdownQuickly(t, p) })
	oneSpan(t, p, "lost")
	err := p.ForceFlush(t.Context())
	if ees := exportErrors(err); len(ees) != 1 || ees[0].Attempts != 1 {
		t.Fatalf("ForceFlush returned %d ExportErrors, want one of 1 attempt: %v", len(ees), err)
	}
}

// shutdownQuickly shuts p down within 100ms, for tests whose collector keeps failing (a Shutdown without a
// deadline would retry for the export's whole timeout).
func shutdownQuickly(t *testing.T, p *otelkit.Provider) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = p.Shutdown(ctx)
}

// failingProcessor is a plugin whose flush and shutdown fail; it counts the calls.
type failingProcessor struct{ flushes, shutdowns *atomic.Int32 }

func (failingProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (failingProcessor) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (f failingProcessor) ForceFlush(context.Context) error {
	f.flushes.Add(1)
	return errors.New("plugin flush failed")
}
func (f failingProcessor) Shutdown(context.Context) error {
	f.shutdowns.Add(1)
	return errors.New("plugin shutdown failed")
}

// A failing plugin must keep neither ForceFlush nor Shutdown from delivering through our processor, and each
// runs once per call.
func TestFailingPluginDoesNotKeepOurProcessorFromDelivering(t *testing.T) {
	srv := otlptest.NewServer(t)
	var flushes, shutdowns atomic.Int32
	p, err := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.OTLP(srv.HTTPURL())},
		otelkit.WithSpanProcessor(failingProcessor{&flushes, &shutdowns}))
	if err != nil {
		t.Fatal(err)
	}
	oneSpan(t, p, "flushed")
	err = p.ForceFlush(t.Context())
	if err == nil || !strings.Contains(err.Error(), "plugin flush failed") {
		t.Fatalf("ForceFlush = %v, want the plugin's error", err)
	}
	if got := srv.Spans(); len(got) != 1 || got[0].Span.GetName() != "flushed" {
		t.Fatalf("after ForceFlush the collector has %d spans, want the 1 span", len(got))
	}
	oneSpan(t, p, "at-shutdown")
	err = p.Shutdown(t.Context())
	if err == nil || strings.Count(err.Error(), "plugin shutdown failed") != 1 {
		t.Fatalf("Shutdown = %v, want the plugin's error once", err)
	}
	if got := len(srv.Spans()); got != 2 {
		t.Fatalf("after Shutdown the collector has %d spans, want 2", got)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2 (one per flush)", n)
	}
	if f, s := flushes.Load(), shutdowns.Load(); f != 1 || s != 1 {
		t.Fatalf("plugin flushed %d and shut down %d times, want once each", f, s)
	}
}
