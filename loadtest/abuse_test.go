package loadtest_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/loadtest"
	"github.com/otelkit/otelkit/otlptest"
	"github.com/otelkit/otelkit/propagation"
)

const (
	clientTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	clientSpanID  = "00f067aa0ba902b7"
	validTP       = "00-" + clientTraceID + "-" + clientSpanID + "-01"
	otherTP       = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
)

// baggageSpans copies the baggage of a span's context onto the span as baggage.<key> attributes, as apps
// do with a baggage span processor. It makes any baggage that reaches the handler visible on the wire.
type baggageSpans struct{}

func (baggageSpans) OnStart(ctx context.Context, s sdktrace.ReadWriteSpan) {
	for _, m := range baggage.FromContext(ctx).Members() {
		s.SetAttributes(attribute.String("baggage."+m.Key(), m.Value()))
	}
}
func (baggageSpans) OnEnd(sdktrace.ReadOnlySpan)      {}
func (baggageSpans) ForceFlush(context.Context) error { return nil }
func (baggageSpans) Shutdown(context.Context) error   { return nil }

// baggageLogs does the same for log records.
type baggageLogs struct{}

func (baggageLogs) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (baggageLogs) OnEmit(ctx context.Context, r *sdklog.Record) error {
	for _, m := range baggage.FromContext(ctx).Members() {
		r.AddAttributes(attribute.String("baggage."+m.Key(), m.Value()))
	}
	return nil
}
func (baggageLogs) ForceFlush(context.Context) error { return nil }
func (baggageLogs) Shutdown(context.Context) error   { return nil }

// hostile is one set of inbound trace headers and what must come of it with the trust-all policy: whether
// the client's span is the parent, the tracestate the server span carries, and whether baggage got in.
type hostile struct {
	name     string
	headers  map[string][]string
	parent   bool
	state    string
	baggage  bool
	httpOnly bool // not sendable as gRPC metadata (non-ASCII)
}

func hostileCases() []hostile {
	members := func(n int) string {
		m := make([]string, n)
		for i := range m {
			m[i] = "k" + strconv.Itoa(i) + "=v"
		}
		return strings.Join(m, ",")
	}
	tp := func(v ...string) map[string][]string { return map[string][]string{"traceparent": v} }
	with := func(k, v string) map[string][]string { return map[string][]string{"traceparent": {validTP}, k: {v}} }
	return []hostile{
		{name: "valid (control)", headers: map[string][]string{"traceparent": {validTP}, "tracestate": {"vendor=abc"},
			"baggage": {"tenant=acme"}}, parent: true, state: "vendor=abc", baggage: true},
		{name: "version ff", headers: tp("ff" + validTP[2:])},
		{name: "uppercase hex", headers: tp(strings.ToUpper(validTP))},
		{name: "zero trace id", headers: tp("00-00000000000000000000000000000000-" + clientSpanID + "-01")},
		{name: "zero span id", headers: tp("00-" + clientTraceID + "-0000000000000000-01")},
		{name: "version 00 with a fifth field", headers: tp(validTP + "-extra")},
		{name: "future version with a fifth field", headers: tp("cc" + validTP[2:] + "-future"), parent: true},
		{name: "8 KiB traceparent", headers: tp(strings.Repeat("a", 8<<10))},
		{name: "two traceparent headers", headers: tp(validTP, otherTP)},
		{name: "non-ASCII flags", headers: tp(validTP[:53] + "é"), httpOnly: true},
		{name: "tracestate with 33 members", headers: with("tracestate", members(33)), parent: true},
		{name: "tracestate over 512 bytes", headers: with("tracestate", "k="+strings.Repeat("v", 600)), parent: true},
		{name: "malformed tracestate", headers: with("tracestate", "a=1,=2,b"), parent: true},
		{name: "64 KiB tracestate", headers: with("tracestate", members(8000)), parent: true},
		{name: "baggage over 8 KiB", headers: with("baggage", "k="+strings.Repeat("v", 9000)), parent: true},
		{name: "baggage with 200 members", headers: with("baggage", members(200)), parent: true},
		{name: "malformed baggage", headers: with("baggage", "k=%zz,=v"), parent: true},
		{name: "all at once, 136 KiB", headers: map[string][]string{"traceparent": {strings.Repeat("0", 8<<10)},
			"tracestate": {members(8000)}, "baggage": {members(8000)}}},
	}
}

// checkHostile fails t unless the span of case h is as the trust-all policy must leave it.
func checkHostile(t *testing.T, h hostile, sp otlptest.Span) {
	t.Helper()
	parent := sp.TraceID() == clientTraceID && sp.ParentSpanID() == clientSpanID
	if parent != h.parent {
		t.Errorf("%s: parent %s/%s, want the client's span as parent: %v", h.name, sp.TraceID(), sp.ParentSpanID(), h.parent)
	}
	if !h.parent && sp.ParentSpanID() != "" {
		t.Errorf("%s: span has parent %s, want a root", h.name, sp.ParentSpanID())
	}
	if got := sp.Span.GetTraceState(); got != h.state {
		t.Errorf("%s: tracestate %.40q, want %q", h.name, got, h.state)
	}
	hasBaggage := false
	for k := range sp.Attrs() {
		hasBaggage = hasBaggage || strings.HasPrefix(k, "baggage.")
	}
	if hasBaggage != h.baggage {
		t.Errorf("%s: baggage reached the handler: %v, want %v", h.name, hasBaggage, h.baggage)
	}
}

// Malformed and oversized traceparent, tracestate and baggage headers, sent to the instrumented chi server
// with the trust-all policy (where parsing is the only defence): every request is served 200, invalid
// traceparents start a new root, invalid or over-limit tracestate and baggage are dropped whole, and
// valid parts are kept, as W3C Trace Context and Baggage require. Checked on the decoded spans.
func TestHostileTraceHeadersHTTP(t *testing.T) {
	cases := hostileCases()
	s := newSystem(t, sysConfig{spanProc: baggageSpans{}})
	res, err := loadtest.Run(bounded(t), loadtest.Load{Requests: len(cases), Concurrency: 4,
		Request: func(ctx context.Context, i int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/users/case-"+strconv.Itoa(i), nil)
			if err == nil {
				for k, vs := range cases[i].headers {
					req.Header[http.CanonicalHeaderKey(k)] = vs
				}
			}
			return req, err
		}})
	if err != nil || res.OK() != len(cases) {
		t.Fatalf("%d of %d hostile requests answered 200 (statuses %v, first error %v)", res.OK(), len(cases),
			res.Statuses, res.FirstError)
	}
	if _, err := s.stop(t, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	spans, _ := serverSpans(s.col)
	byPath := map[string]otlptest.Span{}
	for _, sp := range spans {
		byPath[sp.Attrs()["url.path"].(string)] = sp
	}
	for i, h := range cases {
		sp, ok := byPath["/users/case-"+strconv.Itoa(i)]
		if !ok {
			t.Errorf("%s: no server span", h.name)
			continue
		}
		checkHostile(t, h, sp)
	}
}

// The same hostile values as gRPC metadata, against grpcmw with the trust-all policy: every RPC succeeds
// and the decoded server spans are as for HTTP.
func TestHostileTraceMetadataGRPC(t *testing.T) {
	var cases []hostile
	for _, h := range hostileCases() {
		if !h.httpOnly {
			cases = append(cases, h)
		}
	}
	s := newSystem(t, sysConfig{spanProc: baggageSpans{}, grpc: true})
	for i, h := range cases {
		md := metadata.MD{}
		for k, vs := range h.headers {
			md[k] = vs
		}
		ctx := metadata.NewOutgoingContext(t.Context(), md)
		if err := s.unary(ctx, "case-"+strconv.Itoa(i)); err != nil {
			t.Fatalf("%s: RPC failed: %v", h.name, err)
		}
	}
	if _, err := s.stop(t, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	byCase := map[string]otlptest.Span{}
	for _, sp := range s.col.Spans() {
		if c, ok := sp.Attrs()["test.case"].(string); ok {
			byCase[c] = sp
		}
	}
	for i, h := range cases {
		sp, ok := byCase["case-"+strconv.Itoa(i)]
		if !ok {
			t.Errorf("%s: no server span", h.name)
			continue
		}
		checkHostile(t, h, sp)
	}
}

// A client on a public endpoint (trust-none) cannot force sampling with sampled=01 nor suppress it with
// sampled=00. The sampler follows the parent (ParentBased), so with the trust-all policy (the controls) the
// client's flag decides; on the public endpoint our root sampler decides: never with ParentBased(Never),
// always with ParentBased(Always), and the client's span is only linked. Over HTTP and gRPC, checked on the
// decoded spans after Shutdown flushed everything.
func TestClientCannotControlSampling(t *testing.T) {
	tests := []struct {
		name      string
		root      sdktrace.Sampler
		flags     string
		policy    propagation.Policy
		wantSpans bool
	}{
		{"force 01, trust-all (control)", sdktrace.NeverSample(), "01", propagation.TrustAll(), true},
		{"force 01, public endpoint", sdktrace.NeverSample(), "01", propagation.TrustNone(), false},
		{"suppress 00, trust-all (control)", sdktrace.AlwaysSample(), "00", propagation.TrustAll(), false},
		{"suppress 00, public endpoint", sdktrace.AlwaysSample(), "00", propagation.TrustNone(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSystem(t, sysConfig{sampler: sdktrace.ParentBased(tt.root), policy: tt.policy, grpc: true})
			tp := "00-" + clientTraceID + "-" + clientSpanID + "-" + tt.flags
			req, err := http.NewRequestWithContext(bounded(t), http.MethodGet, s.url+"/users/7", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("traceparent", tp)
			resp, err := s.client.RoundTrip(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("request: %v %v", resp, err)
			}
			_ = resp.Body.Close()
			ctx := metadata.AppendToOutgoingContext(t.Context(), "traceparent", tp)
			if err := s.unary(ctx, "sampling"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.stop(t, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			got := s.col.Spans()
			if !tt.wantSpans {
				if len(got) != 0 {
					t.Fatalf("%d spans exported, want none: the client's flag %s must not decide", len(got), tt.flags)
				}
				return
			}
			if len(got) != 2 {
				t.Fatalf("%d spans exported, want the HTTP and the gRPC server span", len(got))
			}
			for _, sp := range got {
				public := tt.policy.String() == "trust-none"
				if !public {
					if sp.TraceID() != clientTraceID || sp.ParentSpanID() != clientSpanID {
						t.Fatalf("%s: trace %s parent %s, want the client's span as parent", sp.Span.GetName(), sp.TraceID(), sp.ParentSpanID())
					}
					continue
				}
				links := sp.Span.GetLinks()
				if sp.TraceID() == clientTraceID || sp.ParentSpanID() != "" || len(links) != 1 {
					t.Fatalf("%s: trace %s parent %q, %d links; want a new root linked to the client's span",
						sp.Span.GetName(), sp.TraceID(), sp.ParentSpanID(), len(links))
				}
				if l := links[0]; hexID(l.GetTraceId()) != clientTraceID || hexID(l.GetSpanId()) != clientSpanID {
					t.Fatalf("%s: link to %x/%x, want the client's span", sp.Span.GetName(), l.GetTraceId(), l.GetSpanId())
				}
			}
		})
	}
}

func hexID(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
