package session_test

import (
	"context"
	"net/http/httptest"
	"testing"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// discard is a log processor that wants every record and drops it, so benchmarks measure the session and
// the SDK, not an exporter.
type discard struct{}

func (discard) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (discard) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (discard) Shutdown(context.Context) error                         { return nil }
func (discard) ForceFlush(context.Context) error                       { return nil }

// spans hands out contexts with a recording span, replaced every 64 events (a span keeps at most 128).
type spans struct {
	tracer trace.Tracer
	ctx    context.Context
	span   trace.Span
	n      int
}

func (s *spans) next() context.Context {
	if s.n%64 == 0 {
		if s.span != nil {
			s.span.End()
		}
		s.ctx, s.span = s.tracer.Start(context.Background(), "turn")
	}
	s.n++
	return s.ctx
}

// benchSession returns a session logging to a discarding SDK logger provider configured as
// otelkit.Provider.EventLoggerProvider is (no attribute deduplication), and recording spans.
func benchSession(b *testing.B, opts ...session.Option) (*session.Telemetry, *spans) {
	b.Helper()
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(discard{}), sdklog.WithAllowKeyDuplication())
	tp := sdktrace.NewTracerProvider() // spans are sampled and recording even without processors
	b.Cleanup(func() {
		_ = lp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})
	s := session.New(fullMetadata(), append([]session.Option{session.WithLoggerProvider(lp)}, opts...)...)
	return s, &spans{tracer: tp.Tracer("bench")}
}

// BenchmarkEvent records one event with logging and tracing on (and metrics, in the metrics case).
func BenchmarkEvent(b *testing.B) {
	b.Run("UserPrompt", func(b *testing.B) {
		s, sp := benchSession(b)
		b.ReportAllocs()
		for b.Loop() {
			s.UserPrompt(sp.next(), argPrompt)
		}
	})
	b.Run("ToolResult", func(b *testing.B) {
		s, sp := benchSession(b)
		b.ReportAllocs()
		for b.Loop() {
			s.ToolResult(sp.next(), argTool)
		}
	})
	b.Run("APIRequest", func(b *testing.B) {
		s, sp := benchSession(b)
		b.ReportAllocs()
		for b.Loop() {
			s.APIRequest(sp.next(), argAPI)
		}
	})
	b.Run("APIRequestWithMetrics", func(b *testing.B) {
		h := sessiontest.NewWith(b, sessiontest.Config{NoMetrics: true})
		mc, err := metrics.NewFromProvider(h.Provider)
		if err != nil {
			b.Fatal(err)
		}
		s, sp := benchSession(b, session.WithMetrics(mc))
		b.ReportAllocs()
		for b.Loop() {
			s.APIRequest(sp.next(), argAPI)
		}
	})
	b.Run("MetricsOnly", func(b *testing.B) {
		h := sessiontest.NewWith(b, sessiontest.Config{NoMetrics: true})
		mc, err := metrics.NewFromProvider(h.Provider)
		if err != nil {
			b.Fatal(err)
		}
		s := session.New(fullMetadata(), session.WithMetrics(mc))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			s.APIRequest(ctx, argAPI)
		}
	})
}

// BenchmarkNilSession is the path of handlers whose request has no session: it must not allocate.
func BenchmarkNilSession(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s := session.FromContext(ctx)
		s.UserPrompt(ctx, argPrompt)
		s.ToolResult(ctx, argTool)
		s.APIRequest(ctx, argAPI)
		_, _, _ = s.RunTool(ctx, argTool.ToolCall, argToolFunc)
	}
}

// BenchmarkSessionWithoutOutputs is a session whose logger is off, outside any span, without metrics.
func BenchmarkSessionWithoutOutputs(b *testing.B) {
	s := session.New(fullMetadata())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s.UserPrompt(ctx, argPrompt)
		s.ToolResult(ctx, argTool)
		s.APIRequest(ctx, argAPI)
	}
}

func BenchmarkResolverFromHTTP(b *testing.B) {
	r := session.NewResolver(session.NewFactory())
	req := httptest.NewRequest("POST", "/v1/chat", nil)
	req.Header.Set("X-Session-Id", "0193f0e4-6a4e-7c1e-9a55-8d2f7c0b1a22")
	req.Header.Set("X-Session-Model", "gpt-5")
	req.Header.Set("X-Session-Originator", "codex_vscode")
	req.Header.Set("X-Session-Source", "vscode")
	req.Header.Set("X-Session-App-Version", "1.2.3")
	b.ReportAllocs()
	for b.Loop() {
		if r.FromHTTP(req) == nil {
			b.Fatal("no session")
		}
	}
}
