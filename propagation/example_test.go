package propagation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/propagation"
)

// A JSON-RPC client puts the current trace context in its params; the
// app-server continues the trace from them.
func Example_jsonRPC() {
	type params struct {
		Prompt string                    `json:"prompt"`
		Trace  *propagation.TraceContext `json:"trace,omitempty"`
	}

	// Client: ctx carries the span of the current operation.
	ctx, _ := propagation.ContextWithRemoteParent(context.Background(), propagation.TraceContext{
		TraceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		TraceState:  "congo=t61rcWkgMzE",
	})
	p := params{Prompt: "hello"}
	if tc, ok := propagation.FromContext(ctx); ok {
		p.Trace = &tc
	}
	wire, _ := json.Marshal(p)
	fmt.Println(string(wire))

	// Server: decode and continue.
	var got params
	_ = json.Unmarshal(wire, &got)
	serverCtx := context.Background()
	if got.Trace != nil {
		serverCtx, _ = propagation.ContextWithRemoteParent(serverCtx, *got.Trace)
	}
	fmt.Println(propagation.TraceIDHex(serverCtx))
	// Output:
	// {"prompt":"hello","trace":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"congo=t61rcWkgMzE"}}
	// 4bf92f3577b34da6a3ce929d0e0e4736
}

// Continuing from an inbound HTTP request's headers, trusting the peer.
func ExamplePolicy_ExtractHTTP() {
	r := httptest.NewRequest(http.MethodGet, "/v1/chat", nil)
	r.RemoteAddr = "10.1.2.3:41000" // the load balancer
	r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	r.Header.Set("Tracestate", "congo=t61rcWkgMzE")

	policy, err := propagation.ParseTrustedPeers([]string{"10.0.0.0/8"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, _, linked := policy.ExtractHTTP(r, nil)
	sc := trace.SpanContextFromContext(ctx)
	fmt.Println(policy, sc.IsRemote(), sc.TraceID(), sc.TraceState(), linked)
	// Output:
	// trust-peers(10.0.0.0/8) true 4bf92f3577b34da6a3ce929d0e0e4736 congo=t61rcWkgMzE false
}

// On a public endpoint the server span is a new root linked to whatever the
// client sent; the client's sampled flag and baggage are ignored.
func ExampleTrustNone() {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.NeverSample())))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	h := http.Header{}
	h.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") // "sample me"
	h.Set("Baggage", "role=admin")

	ctx, link, linked := propagation.TrustNone().Extract(context.Background(), nil, otelprop.HeaderCarrier(h), propagation.PeerAddr("203.0.113.7:5555"))
	var opts []trace.SpanStartOption
	if linked {
		opts = append(opts, trace.WithLinks(link))
	}
	_, span := tp.Tracer("example").Start(ctx, "POST /v1/chat", opts...)
	defer span.End()

	fmt.Println("linked to", link.SpanContext.TraceID())
	fmt.Println("new trace:", span.SpanContext().TraceID() != link.SpanContext.TraceID())
	fmt.Println("sampled:", span.SpanContext().IsSampled())
	// Output:
	// linked to 4bf92f3577b34da6a3ce929d0e0e4736
	// new trace: true
	// sampled: false
}

// Configured tracestate members are merged into every outgoing tracestate.
// With a provider, its Propagator() does this; New gives the same without one.
func ExampleNew() {
	p, err := propagation.New(propagation.WithTraceState(map[string]map[string]string{
		"example": {"alpha": "one", "beta": "two"},
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, _ := propagation.ContextWithRemoteParent(context.Background(), propagation.TraceContext{
		TraceParent: "00-00000000000000000000000000000001-0000000000000002-01",
		TraceState:  "example=alpha:zero;keep:yes,other=value",
	})
	h := http.Header{}
	p.InjectHeader(ctx, h)
	fmt.Println(h.Get("Tracestate"))

	_, err = propagation.New(propagation.WithTraceState(map[string]map[string]string{
		"example": {"alpha": "one\ntwo"},
	}))
	fmt.Println(err)
	// Output:
	// example=alpha:one;keep:yes;beta:two,other=value
	// invalid configured tracestate value for member "example" field "alpha": byte 0x0a at offset 3 is not allowed (printable ASCII except ',' ';' '=')
}

// A CLI tool started by a traced parent continues its trace.
func ExampleContextFromEnv() {
	// The parent process would run the child with
	// cmd.Env = append(os.Environ(), tc.Environ()...).
	tc := propagation.TraceContext{TraceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
	fmt.Println(tc.Environ())

	// The child, at start-up:
	if ctx, ok := propagation.ContextFromEnv(context.Background()); ok {
		_ = ctx // start the tool's root span from ctx
	}
	// Output:
	// [TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01]
}

// gRPC metadata in both directions.
func ExampleInjectOutgoing() {
	ctx, _ := propagation.ContextWithRemoteParent(context.Background(), propagation.TraceContext{
		TraceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
	})
	ctx = propagation.InjectOutgoing(ctx, nil) // client side, before the call
	// On the server, propagation.ExtractIncoming(ctx, nil) or
	// policy.ExtractGRPC(ctx, nil) reads it back.
	fmt.Println(ctxMetadata(ctx))
	// Output:
	// [00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01]
}
