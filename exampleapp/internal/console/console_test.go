package console

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"go.uber.org/goleak"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
	"github.com/otelkit/otelkit/otlptest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

var traceID, _ = hex.DecodeString(traceHex)

// syncBuffer is a bytes.Buffer safe for the console's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func sp(id, parent byte, name string, start, end uint64) *tracepb.Span {
	s := &tracepb.Span{TraceId: traceID, SpanId: []byte{0, 0, 0, 0, 0, 0, 0, id}, Name: name,
		Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: start, EndTimeUnixNano: end}
	if parent != 0 {
		s.ParentSpanId = []byte{0, 0, 0, 0, 0, 0, 0, parent}
	}
	return s
}

func spans(s ...*tracepb.Span) otlptest.Export {
	return otlptest.Export{Signal: otlptest.SignalTraces, Traces: &coltracepb.ExportTraceServiceRequest{
		ResourceSpans: []*tracepb.ResourceSpans{{ScopeSpans: []*tracepb.ScopeSpans{{Spans: s}}}}}}
}

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func logRec(name string, trace []byte, span byte, at uint64, attrs ...*commonpb.KeyValue) *logspb.LogRecord {
	r := &logspb.LogRecord{EventName: name, TraceId: trace, TimeUnixNano: at, Attributes: attrs}
	if span != 0 {
		r.SpanId = []byte{0, 0, 0, 0, 0, 0, 0, span}
	}
	return r
}

func logs(r ...*logspb.LogRecord) otlptest.Export {
	return otlptest.Export{Signal: otlptest.SignalLogs, Logs: &collogspb.ExportLogsServiceRequest{
		ResourceLogs: []*logspb.ResourceLogs{{ScopeLogs: []*logspb.ScopeLogs{{LogRecords: r}}}}}}
}

// quietConsole never prints on its own (the timer's thresholds are hours), so tests drive printReady.
func quietConsole(out *syncBuffer) *Console {
	return New(out, WithSettle(time.Hour), WithOrphanWait(2*time.Hour))
}

func TestTraceHeldUntilRootAndQuiet(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	defer c.Close()
	child := sp(2, 1, "child", 1_000, 2_000)
	c.Export(spans(child))
	now := time.Now()
	c.mu.Lock()
	c.printReady(now.Add(90*time.Minute), false) // quiet long enough, but no root and not an orphan yet
	c.mu.Unlock()
	if out.String() != "" {
		t.Fatalf("printed without a root: %q", out.String())
	}
	root := sp(1, 0, "root", 0, 3_000)
	c.Export(spans(root))
	c.mu.Lock()
	c.printReady(time.Now().Add(30*time.Minute), false) // root, but not quiet for the settle time
	c.mu.Unlock()
	if out.String() != "" {
		t.Fatalf("printed before the settle time: %q", out.String())
	}
	c.mu.Lock()
	c.printReady(time.Now().Add(61*time.Minute), false)
	c.mu.Unlock()
	if want := "\n" + waterfall.Render([]*tracepb.Span{child, root}, waterfall.Options{}); out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
	if err := c.Wait(t.Context(), traceHex); err != nil {
		t.Errorf("Wait after printing: %v", err)
	}
}

func TestOrphanPrintedAfterOrphanWait(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	defer c.Close()
	c.Export(spans(sp(2, 9, "remote child", 0, 10)))
	c.mu.Lock()
	c.printReady(time.Now().Add(2*time.Hour+time.Second), false)
	c.mu.Unlock()
	if !strings.Contains(out.String(), "remote child") || !strings.Contains(out.String(), "(parent 0000000000000009 not received)") {
		t.Errorf("output %q", out.String())
	}
}

func TestLogsWithTheirTrace(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	defer c.Close()
	// The log records arrive first, out of order, then the spans.
	c.Export(logs(
		logRec("codex.tool_result", traceID, 2, 20, str("conversation.id", "c1"), str("tool_name", "echo"), str("mcp_server", "")),
		logRec("codex.user_prompt", traceID, 1, 10, str("conversation.id", "c1"), str("prompt", "[REDACTED]"),
			str("event.name", "codex.user_prompt"), str("auth.header_attached", "true"), str("model", "m")),
	))
	c.Export(spans(sp(2, 1, "RunTool", 5, 30), sp(1, 0, "POST /turns", 0, 40)))
	c.Flush()
	got := out.String()
	want := "    codex.user_prompt         in POST /turns  conversation.id=c1  prompt=[REDACTED]\n" +
		"    codex.tool_result         in RunTool  conversation.id=c1  tool_name=echo\n"
	if !strings.HasSuffix(got, "  logs of this trace:\n"+want) {
		t.Errorf("output:\n%s\nwant it to end with the logs:\n%s", got, want)
	}
	if c := c.Counts(); c.Spans != 2 || c.LogRecords != 2 || c.MetricPoints != 0 {
		t.Errorf("counts %+v", c)
	}
}

func TestStandaloneLogs(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	defer c.Close()
	c.Export(logs(logRec("", nil, 0, 0, str("k", "a value")))) // no trace: at once
	if got, want := out.String(), "log                       k=\"a value\"\n"; got != want {
		t.Errorf("untraced log %q, want %q", got, want)
	}
	c.Export(spans(sp(1, 0, "root", 0, 1)))
	c.Flush()
	before := out.String()
	c.Export(logs(logRec("late", traceID, 1, 0))) // its trace is already on screen: at once, with the trace id
	if got := strings.TrimPrefix(out.String(), before); got != "late                      trace "+traceHex+"\n" {
		t.Errorf("late log %q", got)
	}
}

func gauge(name string, v int64) *metricspb.Metric {
	return &metricspb.Metric{Name: name, Data: &metricspb.Metric_Gauge{Gauge: &metricspb.Gauge{
		DataPoints: []*metricspb.NumberDataPoint{{Value: &metricspb.NumberDataPoint_AsInt{AsInt: v}}}}}}
}

func counter(name string, temporality metricspb.AggregationTemporality, points map[string]int64) *metricspb.Metric {
	s := &metricspb.Sum{IsMonotonic: true, AggregationTemporality: temporality}
	for tool, v := range points {
		s.DataPoints = append(s.DataPoints, &metricspb.NumberDataPoint{Attributes: []*commonpb.KeyValue{str("tool", tool)},
			Value: &metricspb.NumberDataPoint_AsInt{AsInt: v}})
	}
	return &metricspb.Metric{Name: name, Data: &metricspb.Metric_Sum{Sum: s}}
}

func histogram(name, unit, route string, count uint64, sum float64) *metricspb.Metric {
	return &metricspb.Metric{Name: name, Unit: unit, Data: &metricspb.Metric_Histogram{Histogram: &metricspb.Histogram{
		AggregationTemporality: metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE,
		DataPoints: []*metricspb.HistogramDataPoint{{Attributes: []*commonpb.KeyValue{str("http.route", route)},
			Count: count, Sum: &sum}}}}}
}

func metrics(ms ...*metricspb.Metric) otlptest.Export {
	return otlptest.Export{Signal: otlptest.SignalMetrics, Metrics: &colmetricspb.ExportMetricsServiceRequest{
		ResourceMetrics: []*metricspb.ResourceMetrics{{ScopeMetrics: []*metricspb.ScopeMetrics{{
			Scope: &commonpb.InstrumentationScope{Name: "s"}, Metrics: ms}}}}}}
}

func TestMetricTotals(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	defer c.Close()
	cum := metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE
	delta := metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA
	first := metrics(
		counter("calls", cum, map[string]int64{"search": 2, "echo": 1}),
		counter("events", delta, map[string]int64{"a": 1}),
		histogram("http.server.request.duration", "s", "/a", 4, 0.02),
		histogram("http.server.request.duration", "s", "/b", 1, 0.01),
		gauge("active", 3),
	)
	c.Export(first)
	want1 := "\nmetrics (totals since start, 6 series)\n" +
		"  active                        gauge      3\n" +
		"  calls                         counter    3                     tool: search=2 echo=1\n" +
		"  events                        counter    1                     tool: a=1\n" +
		"  http.server.request.duration  histogram  5       avg 6.00ms    http.route: /a=4 /b=1\n"
	if got := out.String(); got != want1 {
		t.Fatalf("first export:\n%q\nwant\n%q", got, want1)
	}
	c.Export(metrics(counter("calls", cum, map[string]int64{"search": 2, "echo": 1}))) // unchanged: not printed again
	if got := out.String(); got != want1 {
		t.Errorf("an unchanged export printed again:\n%s", got)
	}
	c.Export(metrics(counter("events", delta, map[string]int64{"a": 2}))) // delta points add up
	if got := out.String(); !strings.HasSuffix(got, "  events                        counter    3                     tool: a=3\n"+
		"  http.server.request.duration  histogram  5       avg 6.00ms    http.route: /a=4 /b=1\n") {
		t.Errorf("after a delta export:\n%s", got)
	}
	if n := c.Counts().MetricPoints; n != 6+2+1 {
		t.Errorf("metric points %d, want 9", n)
	}
}

func TestBreakdownIsCapped(t *testing.T) {
	tt := newTotals()
	tt.add(metrics(counter("c", metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE,
		map[string]int64{"a": 6, "b": 5, "c": 4, "d": 3, "e": 2, "f": 1})).Metrics)
	if got := tt.render(); !strings.Contains(got, "tool: a=6 b=5 c=4 d=3 +2 more") {
		t.Errorf("render %q", got)
	}
}

func TestWaitAndClose(t *testing.T) {
	out := &syncBuffer{}
	c := quietConsole(out)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := c.Wait(ctx, traceHex); err != context.DeadlineExceeded {
		t.Errorf("Wait for a trace never printed: %v", err)
	}
	c.Export(spans(sp(1, 0, "held", 0, 1)))
	waited := make(chan error, 1)
	go func() { waited <- c.Wait(context.Background(), traceHex) }()
	c.Close() // prints what is held, which releases the waiter
	if err := <-waited; err != nil {
		t.Errorf("Wait: %v", err)
	}
	if !strings.Contains(out.String(), "held") {
		t.Errorf("Close did not print the held trace: %q", out.String())
	}
	c.Export(spans(&tracepb.Span{TraceId: []byte{1}, SpanId: []byte{2}, Name: "after close"}))
	if !strings.Contains(out.String(), "after close") {
		t.Errorf("an export after Close was not printed at once")
	}
	c.Close() // idempotent
}

// TestTimerPrints: with a short settle time the console prints by itself.
func TestTimerPrints(t *testing.T) {
	out := &syncBuffer{}
	c := New(out, WithSettle(10*time.Millisecond))
	defer c.Close()
	c.Export(spans(sp(1, 0, "by the timer", 0, 1)))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := c.Wait(ctx, traceHex); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "by the timer") {
		t.Errorf("output %q", out.String())
	}
}
