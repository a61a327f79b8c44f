package grpcmw_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
)

func newMemoryProvider(t *testing.T) (*otelkit.Provider, *otelkit.Memory) {
	t.Helper()
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "grpcmw-test",
		Traces:      otelkit.InMemory(mem),
		TraceState:  map[string]map[string]string{"example": {"alpha": "one"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p, mem
}

func TestWithProviderInjectsConfiguredTraceState(t *testing.T) {
	p, mem := newMemoryProvider(t)
	obs := &observer{}
	srv := serve(t, obs.handle, nil) // uninstrumented: the handler sees the raw metadata
	c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(grpcmw.WithProvider(p))...))

	tid, _ := trace.TraceIDFromHex(inTraceID)
	sid, _ := trace.SpanIDFromHex(inSpanID)
	ts, _ := trace.ParseTraceState(inState)
	ctx := trace.ContextWithRemoteSpanContext(t.Context(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled, TraceState: ts, Remote: true,
	}))
	m, _ := baggage.NewMemberRaw("tenant", "t1")
	b, _ := baggage.New(m)
	ctx = baggage.ContextWithBaggage(ctx, b)
	if _, err := c.Unary(ctx, "x"); err != nil {
		t.Fatal(err)
	}

	spans := mem.Spans()
	if len(spans) != 1 || spans[0].Name != spanName(testservice.MethodUnary) || spans[0].SpanKind != trace.SpanKindClient {
		t.Fatalf("spans %v, want one client span", spans)
	}
	cs := spans[0].SpanContext
	md := obs.all()[0].md
	wantTP := "00-" + inTraceID + "-" + cs.SpanID().String() + "-01"
	if got := md.Get("traceparent"); len(got) != 1 || got[0] != wantTP {
		t.Errorf("traceparent %q, want %q", got, wantTP)
	}
	if got := md.Get("tracestate"); len(got) != 1 || got[0] != "example=alpha:one,"+inState {
		t.Errorf("tracestate %q, want the configured member merged first", got)
	}
	if got := md.Get("baggage"); len(got) != 1 || got[0] != "tenant=t1" {
		t.Errorf("baggage %q", got)
	}
}

func TestLaterOptionWins(t *testing.T) {
	p, mem := newMemoryProvider(t)
	tel := newTelemetry(t, nil)
	srv := serve(t, nil, grpcmw.ServerOptions(nil, grpcmw.WithProvider(p), grpcmw.WithTracerProvider(tel.tp),
		grpcmw.WithTracerProvider(nil), grpcmw.WithMeterProvider(nil), grpcmw.WithPropagators(nil),
		grpcmw.WithSessionResolver(nil), grpcmw.WithFilter(nil), grpcmw.WithProvider(nil)))
	if _, err := testservice.NewClient(dial(t, srv.addr)).Unary(t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	if n := len(tel.ended(spanName(testservice.MethodUnary))); n != 1 {
		t.Errorf("%d spans in the later tracer provider, want 1", n)
	}
	if n := len(mem.Spans()); n != 0 {
		t.Errorf("%d spans in the provider's memory, want 0", n)
	}
}

// TestDefaults: without options, spans go to the global tracer provider and
// context is extracted as W3C trace context and baggage.
func TestDefaults(t *testing.T) {
	tel := newTelemetry(t, nil)
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tel.tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	obs := &observer{}
	srv := serve(t, obs.handle, grpcmw.ServerOptions())
	ctx := metadata.AppendToOutgoingContext(t.Context(), "traceparent", inSampled, "baggage", inBaggage)
	if _, err := testservice.NewClient(dial(t, srv.addr)).Unary(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	sp := tel.one(t, spanName(testservice.MethodUnary))
	if sp.Parent().TraceID().String() != inTraceID || sp.Parent().SpanID().String() != inSpanID {
		t.Errorf("parent %v, want the inbound context", sp.Parent())
	}
	if s := obs.all()[0]; s.baggage.Member("k1").Value() != "v1" {
		t.Errorf("baggage %q, want k1=v1", s.baggage)
	}
}
