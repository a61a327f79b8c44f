package grpcmw_test

import (
	"context"
	"strconv"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
)

// messagesPerRPC is how many request messages callAll sends per method.
var messagesPerRPC = map[string]int{
	testservice.MethodUnary:        1,
	testservice.MethodServerStream: testservice.ServerStreamReplies,
	testservice.MethodClientStream: 3,
	testservice.MethodBidiStream:   3,
}

func TestSpansAndMetricsForEveryKind(t *testing.T) {
	srvTel, cliTel := newTelemetry(t, nil), newTelemetry(t, nil)
	obs := &observer{}
	srv := serve(t, obs.handle, grpcmw.ServerOptions(srvTel.options()...))
	c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(cliTel.options()...)...))
	for m, err := range callAll(t.Context(), c, "hi") {
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	srv.stop()

	for _, m := range allMethods {
		t.Run(spanName(m), func(t *testing.T) {
			name := spanName(m)
			ss, cs := srvTel.one(t, name), cliTel.one(t, name)
			if ss.SpanKind() != trace.SpanKindServer || cs.SpanKind() != trace.SpanKindClient {
				t.Errorf("kinds: server span %v, client span %v", ss.SpanKind(), cs.SpanKind())
			}
			if ss.SpanContext().TraceID() != cs.SpanContext().TraceID() ||
				ss.Parent().SpanID() != cs.SpanContext().SpanID() || !ss.Parent().IsRemote() {
				t.Errorf("server span %v has parent %v, want the client span %v", ss.SpanContext(), ss.Parent(), cs.SpanContext())
			}
			if got := ss.InstrumentationScope().Name; got != otelgrpc.ScopeName {
				t.Errorf("scope %q, want %q", got, otelgrpc.ScopeName)
			}
			for side, span := range map[string]sdktrace.ReadOnlySpan{"server": ss, "client": cs} {
				a := attrs(span.Attributes())
				if a[string(semconv.RPCMethodKey)] != name || a["rpc.system.name"] != "grpc" ||
					a[string(semconv.RPCResponseStatusCodeKey)] != "OK" {
					t.Errorf("%s span attributes %v", side, a)
				}
				if span.Status().Code != codes.Unset {
					t.Errorf("%s span status %v, want unset", side, span.Status())
				}
			}
			n := 0
			for _, s := range obs.all() {
				if s.method != m {
					continue
				}
				n++
				if !s.span.Equal(ss.SpanContext()) {
					t.Errorf("message %d saw span %v, want the server span %v for the whole RPC", n, s.span, ss.SpanContext())
				}
			}
			if n != messagesPerRPC[m] {
				t.Errorf("handled %d messages, want %d", n, messagesPerRPC[m])
			}
		})
	}

	for side, tel := range map[string]*telemetry{"rpc.server.call.duration": srvTel, "rpc.client.call.duration": cliTel} {
		pts := tel.histogram(t, side)
		if len(pts) != len(allMethods) {
			t.Fatalf("%s: %d points, want one per method (%d)", side, len(pts), len(allMethods))
		}
		methods := map[any]bool{}
		for _, p := range pts {
			a := attrs(p.Attributes.ToSlice())
			methods[a[string(semconv.RPCMethodKey)]] = true
			if p.Count != 1 || a["rpc.system.name"] != "grpc" || a[string(semconv.RPCResponseStatusCodeKey)] != "OK" {
				t.Errorf("%s point: count %d, attributes %v", side, p.Count, a)
			}
			if _, ok := a[string(semconv.ErrorTypeKey)]; ok {
				t.Errorf("%s point for OK has error.type: %v", side, a)
			}
		}
		for _, m := range allMethods {
			if !methods[spanName(m)] {
				t.Errorf("%s: no point with rpc.method %q (got %v)", side, spanName(m), methods)
			}
		}
	}
}

// canonical is the status code name the semantic conventions use.
var canonical = map[grpccodes.Code]string{
	grpccodes.OK: "OK", grpccodes.Canceled: "CANCELLED", grpccodes.Unknown: "UNKNOWN",
	grpccodes.InvalidArgument: "INVALID_ARGUMENT", grpccodes.DeadlineExceeded: "DEADLINE_EXCEEDED",
	grpccodes.NotFound: "NOT_FOUND", grpccodes.AlreadyExists: "ALREADY_EXISTS",
	grpccodes.PermissionDenied: "PERMISSION_DENIED", grpccodes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	grpccodes.FailedPrecondition: "FAILED_PRECONDITION", grpccodes.Aborted: "ABORTED",
	grpccodes.OutOfRange: "OUT_OF_RANGE", grpccodes.Unimplemented: "UNIMPLEMENTED",
	grpccodes.Internal: "INTERNAL", grpccodes.Unavailable: "UNAVAILABLE", grpccodes.DataLoss: "DATA_LOSS",
	grpccodes.Unauthenticated: "UNAUTHENTICATED",
}

func TestStatusCodes(t *testing.T) {
	tests := []struct {
		code        grpccodes.Code
		serverError bool // the semantic conventions' server error set
	}{
		{grpccodes.OK, false},
		{grpccodes.Canceled, false},
		{grpccodes.Unknown, true},
		{grpccodes.InvalidArgument, false},
		{grpccodes.DeadlineExceeded, true},
		{grpccodes.NotFound, false},
		{grpccodes.AlreadyExists, false},
		{grpccodes.PermissionDenied, false},
		{grpccodes.ResourceExhausted, false},
		{grpccodes.FailedPrecondition, false},
		{grpccodes.Aborted, false},
		{grpccodes.OutOfRange, false},
		{grpccodes.Unimplemented, true},
		{grpccodes.Internal, true},
		{grpccodes.Unavailable, true},
		{grpccodes.DataLoss, true},
		{grpccodes.Unauthenticated, false},
	}
	fail := func(_ context.Context, _, in string) (string, error) {
		n, _ := strconv.Atoi(in)
		if c := grpccodes.Code(n); c != grpccodes.OK {
			return "", status.Error(c, "boom "+c.String())
		}
		return in, nil
	}
	for _, tt := range tests {
		for _, m := range []string{testservice.MethodUnary, testservice.MethodBidiStream} {
			t.Run(tt.code.String()+"/"+spanName(m), func(t *testing.T) {
				srvTel, cliTel := newTelemetry(t, nil), newTelemetry(t, nil)
				srv := serve(t, fail, grpcmw.ServerOptions(srvTel.options()...))
				c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(cliTel.options()...)...))
				in := strconv.Itoa(int(tt.code))
				var err error
				if m == testservice.MethodUnary {
					_, err = c.Unary(t.Context(), in)
				} else {
					_, err = c.BidiStream(t.Context(), []string{in})
				}
				if got := status.Code(err); got != tt.code {
					t.Fatalf("RPC returned %v, want %v", err, tt.code)
				}
				srv.stop()

				wantMsg := ""
				if tt.code != grpccodes.OK {
					wantMsg = "boom " + tt.code.String()
				}
				checks := []struct {
					side  string
					tel   *telemetry
					err   bool
					histo string
				}{
					{"server", srvTel, tt.serverError, "rpc.server.call.duration"},
					{"client", cliTel, tt.code != grpccodes.OK, "rpc.client.call.duration"},
				}
				for _, ck := range checks {
					span := ck.tel.one(t, spanName(m))
					want := codes.Unset
					desc := ""
					if ck.err {
						want, desc = codes.Error, wantMsg
					}
					if st := span.Status(); st.Code != want || st.Description != desc {
						t.Errorf("%s span status %v %q, want %v %q", ck.side, st.Code, st.Description, want, desc)
					}
					if got := attrs(span.Attributes())[string(semconv.RPCResponseStatusCodeKey)]; got != canonical[tt.code] {
						t.Errorf("%s span %s = %v, want %s", ck.side, semconv.RPCResponseStatusCodeKey, got, canonical[tt.code])
					}
					pts := ck.tel.histogram(t, ck.histo)
					if len(pts) != 1 {
						t.Fatalf("%s: %d points, want 1", ck.histo, len(pts))
					}
					a := attrs(pts[0].Attributes.ToSlice())
					et, has := a[string(semconv.ErrorTypeKey)]
					if has != ck.err || (ck.err && et != canonical[tt.code]) {
						t.Errorf("%s error.type = %v (present %v), want present %v with %s", ck.histo, et, has, ck.err, canonical[tt.code])
					}
					if a[string(semconv.RPCResponseStatusCodeKey)] != canonical[tt.code] || a[string(semconv.RPCMethodKey)] != spanName(m) {
						t.Errorf("%s attributes %v", ck.histo, a)
					}
				}
			})
		}
	}
}
