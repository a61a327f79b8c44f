package grpcmw_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/session"
)

// TestOneTraceAcrossGRPCAndHTTP: a client calls a gRPC server whose handler
// calls an HTTP backend, everything instrumented by one provider exporting
// OTLP/gRPC to a real receiver. What the receiver decodes is one trace per
// call, with every span the child of the one before.
func TestOneTraceAcrossGRPCAndHTTP(t *testing.T) {
	col := otlptest.NewServer(t)
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "grpcmw-crossproto",
		Traces:      otelkit.OTLPGRPC(col.GRPCURL()),
		Metrics:     otelkit.OTLPGRPC(col.GRPCURL()),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })

	backend := httptest.NewServer(httpmw.New(httpmw.WithProvider(p))(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "pong")
	})))
	t.Cleanup(backend.Close)
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	httpClient := &http.Client{Transport: httpmw.Transport(base, httpmw.WithProvider(p))}

	srv := serve(t, func(ctx context.Context, _, in string) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, backend.URL+"/backend", nil)
		if err != nil {
			return "", err
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return "", err
		}
		return in + ":" + string(body) + ":" + session.FromContext(ctx).Metadata().SessionID, nil
	}, grpcmw.ServerOptions(grpcmw.WithProvider(p), grpcmw.WithSessionResolver(session.NewResolver(nil))))
	c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(grpcmw.WithProvider(p))...))

	tracer := p.TracerProvider().Tracer("crossproto-test")
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-session-id", "sess-x")
	uctx, unaryRoot := tracer.Start(ctx, "unary-root")
	out, err := c.Unary(uctx, "ping")
	unaryRoot.End()
	if err != nil || out != "ping:pong:sess-x" {
		t.Fatalf("Unary = %q, %v", out, err)
	}
	bctx, bidiRoot := tracer.Start(ctx, "bidi-root")
	outs, err := c.BidiStream(bctx, []string{"a", "b", "c"})
	bidiRoot.End()
	if err != nil || !slices.Equal(outs, []string{"a:pong:sess-x", "b:pong:sess-x", "c:pong:sess-x"}) {
		t.Fatalf("BidiStream = %q, %v", outs, err)
	}

	srv.stop()
	backend.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}

	// unary: root, gRPC client, gRPC server, HTTP client, HTTP server;
	// bidi: root, gRPC client, gRPC server, then an HTTP client and server per message.
	spans := col.WaitSpans(t, 5+9, 10*time.Second)
	if len(spans) != 14 {
		t.Fatalf("%d spans arrived, want 14", len(spans))
	}
	byTrace := map[string][]otlptest.Span{}
	for _, s := range spans {
		if got := otlptest.ServiceName(s.Resource); got != "grpcmw-crossproto" {
			t.Errorf("span %q has service.name %q", s.Span.GetName(), got)
		}
		byTrace[s.TraceID()] = append(byTrace[s.TraceID()], s)
	}
	if len(byTrace) != 2 {
		t.Fatalf("spans in %d traces, want 2 (one per call)", len(byTrace))
	}
	for _, tr := range byTrace {
		checkCrossTrace(t, tr)
	}

	for _, m := range col.WaitMetrics(t, "rpc.server.call.duration", 10*time.Second) {
		methods := map[any]bool{}
		for _, a := range m.PointAttrs() {
			methods[a["rpc.method"]] = true
		}
		if !methods[spanName(testservice.MethodUnary)] || !methods[spanName(testservice.MethodBidiStream)] || m.HistogramCount() != 2 {
			t.Errorf("rpc.server.call.duration: methods %v, count %d", methods, m.HistogramCount())
		}
	}
}

// checkCrossTrace checks the spans of one trace: root → gRPC client → gRPC
// server → (HTTP client → HTTP server) for every message.
func checkCrossTrace(t *testing.T, tr []otlptest.Span) {
	t.Helper()
	find := func(scope string, kind tracepb.Span_SpanKind) []otlptest.Span {
		var out []otlptest.Span
		for _, s := range tr {
			if s.Scope.GetName() == scope && s.Span.GetKind() == kind {
				out = append(out, s)
			}
		}
		return out
	}
	var root otlptest.Span
	for _, s := range tr {
		if s.ParentSpanID() == "" {
			root = s
		}
	}
	gc := find(otelgrpc.ScopeName, tracepb.Span_SPAN_KIND_CLIENT)
	gs := find(otelgrpc.ScopeName, tracepb.Span_SPAN_KIND_SERVER)
	hc := find(httpmw.ScopeName, tracepb.Span_SPAN_KIND_CLIENT)
	hs := find(httpmw.ScopeName, tracepb.Span_SPAN_KIND_SERVER)
	if root.Span == nil || len(gc) != 1 || len(gs) != 1 || len(hc) == 0 || len(hc) != len(hs) || len(tr) != 3+2*len(hc) {
		t.Fatalf("trace %s: root %v, %d gRPC client, %d gRPC server, %d HTTP client, %d HTTP server spans of %d",
			tr[0].TraceID(), root.Span != nil, len(gc), len(gs), len(hc), len(hs), len(tr))
	}
	if gc[0].ParentSpanID() != root.SpanID() {
		t.Errorf("gRPC client span's parent %s, want the root %s", gc[0].ParentSpanID(), root.SpanID())
	}
	if gs[0].ParentSpanID() != gc[0].SpanID() {
		t.Errorf("gRPC server span's parent %s, want the gRPC client span %s", gs[0].ParentSpanID(), gc[0].SpanID())
	}
	if gs[0].Span.GetName() != gc[0].Span.GetName() {
		t.Errorf("gRPC span names %q and %q", gc[0].Span.GetName(), gs[0].Span.GetName())
	}
	for i := range hc {
		if hc[i].ParentSpanID() != gs[0].SpanID() {
			t.Errorf("HTTP client span %d's parent %s, want the gRPC server span %s", i, hc[i].ParentSpanID(), gs[0].SpanID())
		}
		n := 0
		for _, s := range hs {
			if s.ParentSpanID() == hc[i].SpanID() {
				n++
			}
		}
		if n != 1 {
			t.Errorf("HTTP client span %s has %d HTTP server children, want 1", hc[i].SpanID(), n)
		}
	}
}
