package waterfall

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// base is the start of every test trace: a fixed instant, so output never depends on the clock.
const base = uint64(1_700_000_000_000_000_000)

const (
	traceA = "4bf92f3577b34da6a3ce929d0e0e4736"
	traceB = "0af7651916cd43dd8448eb211c80319c"
)

type spanOpt func(*tracepb.Span)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// span builds a span of trace tid starting at base+start and lasting dur.
func span(tid, id, parent, name string, kind tracepb.Span_SpanKind, start, dur time.Duration, opts ...spanOpt) *tracepb.Span {
	sp := &tracepb.Span{
		TraceId:           mustHex(tid),
		SpanId:            mustHex(id),
		Name:              name,
		Kind:              kind,
		StartTimeUnixNano: base + uint64(start),
		EndTimeUnixNano:   base + uint64(start+dur),
	}
	if parent != "" {
		sp.ParentSpanId = mustHex(parent)
	}
	for _, o := range opts {
		o(sp)
	}
	return sp
}

func str(k, v string) spanOpt {
	return func(sp *tracepb.Span) {
		sp.Attributes = append(sp.Attributes, &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}})
	}
}

func num(k string, v int64) spanOpt {
	return func(sp *tracepb.Span) {
		sp.Attributes = append(sp.Attributes, &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}})
	}
}

func failed(msg string) spanOpt {
	return func(sp *tracepb.Span) {
		sp.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: msg}
	}
}

func events(names ...string) spanOpt {
	return func(sp *tracepb.Span) {
		for _, n := range names {
			sp.Events = append(sp.Events, &tracepb.Span_Event{Name: n, TimeUnixNano: sp.StartTimeUnixNano})
		}
	}
}

func links(n int) spanOpt {
	return func(sp *tracepb.Span) {
		for range n {
			sp.Links = append(sp.Links, &tracepb.Span_Link{TraceId: mustHex(traceB), SpanId: mustHex("1111111111111111")})
		}
	}
}

const (
	server = tracepb.Span_SPAN_KIND_SERVER
	client = tracepb.Span_SPAN_KIND_CLIENT
	intern = tracepb.Span_SPAN_KIND_INTERNAL
)

const ms = time.Millisecond

// crossProtocol is the exampleapp's turn: HTTP → gRPC → JSON-RPC (with its HTTP transport span).
func crossProtocol() []*tracepb.Span {
	return []*tracepb.Span{
		// Arrival order is children first, as batch exporters send them.
		span(traceA, "00000000000000a6", "00000000000000a4", "tools/exec", server, 5200*time.Microsecond, 6*ms,
			str("rpc.system.name", "jsonrpc"), str("session.id", "demo-1"), events("codex.api_request")),
		span(traceA, "00000000000000a5", "00000000000000a4", "POST", client, 4900*time.Microsecond, 6800*time.Microsecond,
			str("http.request.method", "POST"), num("http.response.status_code", 200)),
		span(traceA, "00000000000000a4", "00000000000000a3", "tools/exec", client, 4800*time.Microsecond, 7100*time.Microsecond,
			str("rpc.system.name", "jsonrpc")),
		span(traceA, "00000000000000a3", "00000000000000a2", "exampleapp.v1.Tools/RunTool", server, 4*ms, 8500*time.Microsecond,
			str("rpc.system.name", "grpc"), str("rpc.response.status_code", "OK"), events("codex.tool_result")),
		span(traceA, "00000000000000a2", "00000000000000a1", "exampleapp.v1.Tools/RunTool", client, 3*ms, 10*ms,
			str("rpc.system.name", "grpc"), str("rpc.response.status_code", "OK")),
		span(traceA, "00000000000000a1", "", "POST /v1/conversations/{id}/turns", server, 0, 14200*time.Microsecond,
			str("http.request.method", "POST"), num("http.response.status_code", 200), str("session.id", "demo-1"),
			events("codex.user_prompt")),
	}
}

func errorChain() []*tracepb.Span {
	return []*tracepb.Span{
		span(traceA, "00000000000000b1", "", "POST /v1/conversations/{id}/turns", server, 0, 9*ms,
			str("http.request.method", "POST"), num("http.response.status_code", 502), str("error.type", "502"),
			failed(""), events("codex.user_prompt")),
		span(traceA, "00000000000000b2", "00000000000000b1", "exampleapp.v1.Tools/RunTool", client, 1*ms, 7*ms,
			str("rpc.system.name", "grpc"), str("rpc.response.status_code", "UNAVAILABLE"), str("error.type", "UNAVAILABLE"),
			failed("search backend unavailable (503)")),
		span(traceA, "00000000000000b3", "00000000000000b2", "tools/exec", server, 2*ms, 4*ms,
			str("rpc.system.name", "jsonrpc"), str("rpc.response.status_code", "-32000"), str("error.type", "-32000"),
			failed("search backend unavailable (503)"), events("codex.api_request", "exception")),
	}
}

// concurrent: a fan-out whose children overlap and arrive out of order, two of them starting together.
func concurrent() []*tracepb.Span {
	return []*tracepb.Span{
		span(traceA, "00000000000000c4", "00000000000000c1", "fetch profile", client, 2*ms, 3*ms),
		span(traceA, "00000000000000c3", "00000000000000c1", "fetch orders", client, 1*ms, 6*ms),
		span(traceA, "00000000000000c2", "00000000000000c1", "fetch cart", client, 1*ms, 2*ms),
		span(traceA, "00000000000000c5", "00000000000000c3", "SELECT orders", client, 2*ms, 4*ms, str("db.system.name", "postgresql")),
		span(traceA, "00000000000000c1", "", "GET /v1/dashboard", server, 0, 8*ms, str("http.request.method", "GET"),
			num("http.response.status_code", 200)),
		span(traceA, "00000000000000c6", "00000000000000c1", "render", intern, 7*ms, 500*time.Microsecond),
	}
}

func longValues() []*tracepb.Span {
	return []*tracepb.Span{
		span(traceA, "00000000000000d1", "", "POST /v1/conversations/{id}/turns/with/a/really/long/route/template", server, 0, 1500*time.Millisecond,
			str("http.request.method", "POST"), num("http.response.status_code", 400),
			str("session.id", "a-session-id-that-is-much-longer-than-the-value-width-allows"),
			events("codex.user_prompt", "codex.user_prompt", "codex.user_prompt", "codex.sse_event", "a-very-long-event-name-that-goes-on-and-on")),
		span(traceA, "00000000000000d2", "00000000000000d1", "caf\u00e9 \u2603 \x1b[31mred\x1b[0m", intern, 100*ms, 1200*time.Millisecond,
			failed("line one\nline two with \"quotes\" and = signs that go on for a while"), links(2)),
		span(traceA, "00000000000000d3", "00000000000000d2", "a nested span with a name long enough to be cut at the column", intern, 200*ms, 50*time.Microsecond),
	}
}

// orphans: two traces in one input; the second has a remote parent, a span whose parent never arrived, and
// two spans that are each other's parent.
func orphans() []*tracepb.Span {
	return []*tracepb.Span{
		span(traceB, "00000000000000e1", "00f067aa0ba902b7", "GET /v1/conversations/{id}", server, 5*ms, 2*ms,
			str("http.request.method", "GET"), num("http.response.status_code", 200)),
		span(traceB, "00000000000000e2", "00000000000000ff", "late child", intern, 6*ms, 500*time.Microsecond),
		span(traceB, "00000000000000e3", "00000000000000e4", "cycle a", intern, 6500*time.Microsecond, 100*time.Microsecond),
		span(traceB, "00000000000000e4", "00000000000000e3", "cycle b", intern, 6600*time.Microsecond, 100*time.Microsecond),
		span(traceA, "00000000000000e5", "", "single", tracepb.Span_SPAN_KIND_UNSPECIFIED, 0, 0),
		nil,
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name         string
		spans        []*tracepb.Span
		opts         Options
		expectedFile string
	}{
		{name: "nested across protocols", spans: crossProtocol(), expectedFile: "cross_protocol.txt"},
		{name: "error status", spans: errorChain(), expectedFile: "error_status.txt"},
		{name: "concurrent children", spans: concurrent(), expectedFile: "concurrent_children.txt"},
		{name: "long values truncated", spans: longValues(), opts: Options{NameWidth: 40, ValueWidth: 20}, expectedFile: "long_values.txt"},
		{name: "orphans, cycles and two traces", spans: orphans(), expectedFile: "orphans.txt"},
		{name: "narrow bars", spans: crossProtocol(), opts: Options{BarWidth: 8}, expectedFile: "narrow_bars.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.spans, tt.opts)
			path := filepath.Join("testdata", tt.expectedFile)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Render mismatch with %s (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
			}
			for i, l := range strings.Split(got, "\n") {
				for j := 0; j < len(l); j++ {
					if c := l[j]; c < ' ' || c > '~' {
						t.Fatalf("line %d has the non-ASCII byte %#x: %q", i+1, c, l)
					}
				}
			}
			if again := Render(tt.spans, tt.opts); again != got {
				t.Errorf("Render is not deterministic")
			}
		})
	}
}

func TestRenderEmpty(t *testing.T) {
	if got := Render(nil, Options{}); got != "" {
		t.Errorf("Render(nil) = %q, want empty", got)
	}
	if got := Render([]*tracepb.Span{nil}, Options{}); got != "" {
		t.Errorf("Render([nil]) = %q, want empty", got)
	}
}

// TestRenderSortsChildren checks the order without a golden file: children by start time, whatever the
// input order.
func TestRenderSortsChildren(t *testing.T) {
	got := Render(concurrent(), Options{})
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(got), "\n")[1:] {
		names = append(names, strings.SplitN(strings.TrimLeft(l, " "), "  ", 2)[0])
	}
	want := []string{"GET /v1/dashboard", "fetch cart", "fetch orders", "SELECT orders", "fetch profile", "render"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("order %q, want %q", names, want)
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		name            string
		from, to, total uint64
		width           int
		want            string
	}{
		{"whole", 0, 100, 100, 10, "##########"},
		{"first half", 0, 50, 100, 10, "#####     "},
		{"rounds outward", 5, 51, 100, 10, "######    "},
		{"zero length still shows", 50, 50, 100, 10, "     #    "},
		{"zero length at the end", 100, 100, 100, 10, "         #"},
		{"empty trace", 0, 0, 0, 4, "####"},
		{"huge values do not overflow", 1 << 62, 1<<63 + 1<<62, 1 << 63, 4, "  ##"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bar(tt.from, tt.to, tt.total, tt.width); got != tt.want {
				t.Errorf("bar = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{0, "0s"},
		{850, "850ns"},
		{4200, "4.20us"},
		{42 * time.Microsecond, "42.0us"},
		{850 * time.Microsecond, "850us"},
		{12345 * time.Microsecond, "12.3ms"},
		{1240 * time.Millisecond, "1.24s"},
		{59 * time.Second, "59.0s"},
		{123 * time.Second, "2m03s"},
		{time.Hour, "60m00s"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestASCIIAndTruncate(t *testing.T) {
	if got := ASCII("caf\u00e9\t\x1b[0m"); got != "caf???[0m" {
		t.Errorf("ASCII = %q", got)
	}
	if got := Truncate("abcdefgh", 6); got != "abc..." {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("abc", 6); got != "abc" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("abcdefgh", 1); got != "a..." {
		t.Errorf("Truncate(1) = %q", got)
	}
}
