package session_test

import (
	"math"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// recordScenario records the reference's runtime_summary scenario (§6.6).
func recordScenario(t *testing.T, s *session.Telemetry) {
	t.Helper()
	ctx := t.Context()
	s.ToolResult(ctx, session.ToolResult{ToolCall: session.ToolCall{Name: "shell", CallID: "c1"},
		Duration: 250 * time.Millisecond, Success: true, Output: "ok"})
	s.APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200, Duration: 300 * time.Millisecond})
	s.WebSocketRequest(ctx, session.WebSocketRequest{Duration: 400 * time.Millisecond})
	s.SSEEvent(ctx, session.SSEFromData("response.created", []byte(`{"type":"response.created"}`), 120*time.Millisecond))
	s.WebSocketEvent(ctx, session.WebSocketEventFromText([]byte(`{"type":"response.created"}`), 80*time.Millisecond))
	s.WebSocketEvent(ctx, session.WebSocketEventFromText([]byte(`{"type":"responsesapi.websocket_timing",
		"timing_metrics":{"responses_duration_excl_engine_and_client_tool_time_ms":124,
		"engine_service_total_ms":457,"engine_iapi_ttft_total_ms":211,"engine_service_ttft_total_ms":233,
		"engine_iapi_tbt_across_engine_calls_ms":377,"engine_service_tbt_across_engine_calls_ms":399}}`),
		20*time.Millisecond))
	s.TurnTTFT(ctx, session.TurnTTFT{Duration: 90 * time.Millisecond})
}

var scenarioSummary = session.RuntimeSummary{
	ToolCalls:                       session.RuntimeTotals{Count: 1, DurationMs: 250},
	APICalls:                        session.RuntimeTotals{Count: 1, DurationMs: 300},
	StreamingEvents:                 session.RuntimeTotals{Count: 1, DurationMs: 120},
	WebSocketCalls:                  session.RuntimeTotals{Count: 1, DurationMs: 400},
	WebSocketEvents:                 session.RuntimeTotals{Count: 2, DurationMs: 100},
	ResponsesAPIOverheadMs:          124,
	ResponsesAPIInferenceTimeMs:     457,
	ResponsesAPIEngineIAPITTFTMs:    211,
	ResponsesAPIEngineServiceTTFTMs: 233,
	ResponsesAPIEngineIAPITBTMs:     377,
	ResponsesAPIEngineServiceTBTMs:  399,
	TurnTTFTMs:                      90,
}

func TestRuntimeSummaryCollectsToolAPIAndStreamingMetrics(t *testing.T) {
	for _, temporality := range []string{"cumulative", "delta"} {
		t.Run(temporality, func(t *testing.T) {
			h := sessiontest.NewWith(t, sessiontest.Config{Metadata: testMetadata(), MetricTemporality: temporality})
			s := h.Session
			// Something recorded before the reset is not part of the summary.
			s.APIRequest(t.Context(), session.APIRequest{Status: 500, Duration: time.Second})
			if err := s.ResetRuntimeMetrics(t.Context()); err != nil {
				t.Fatal(err)
			}
			recordScenario(t, s)
			got, err := s.RuntimeSummary(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got != scenarioSummary {
				t.Errorf("summary\n got %+v\nwant %+v", got, scenarioSummary)
			}
			// The summary consumed the period: the next one is empty until something is recorded.
			got, err = s.RuntimeSummary(t.Context())
			if err != nil || !got.IsEmpty() {
				t.Errorf("second summary = %+v, %v; want empty", got, err)
			}
			s.ToolResult(t.Context(), session.ToolResult{Duration: 7 * time.Millisecond})
			got, _ = s.RuntimeSummary(t.Context())
			want := session.RuntimeSummary{ToolCalls: session.RuntimeTotals{Count: 1, DurationMs: 7}}
			if got != want {
				t.Errorf("third summary = %+v, want %+v", got, want)
			}
		})
	}
}

// With cumulative temporality, each session has its own baseline: one session's summary does not
// consume another's.
func TestRuntimeSummaryBaselinesPerSession(t *testing.T) {
	h := sessiontest.New(t, testMetadata())
	a := h.Session
	b := h.Factory.New(session.Metadata{SessionID: "other"})
	for _, s := range []*session.Telemetry{a, b} {
		if err := s.ResetRuntimeMetrics(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	a.ToolResult(t.Context(), session.ToolResult{Duration: 10 * time.Millisecond})
	if got, _ := a.RuntimeSummary(t.Context()); got.ToolCalls != (session.RuntimeTotals{Count: 1, DurationMs: 10}) {
		t.Errorf("a: %+v", got.ToolCalls)
	}
	// b sees the same process-wide call: its baseline was taken before it.
	if got, _ := b.RuntimeSummary(t.Context()); got.ToolCalls != (session.RuntimeTotals{Count: 1, DurationMs: 10}) {
		t.Errorf("b: %+v", got.ToolCalls)
	}
	// A session derived with WithModel shares a's baseline.
	a2 := a.WithModel("gpt-5-mini", "mini")
	if a2.Metadata().Model != "gpt-5-mini" || a2.Metadata().SessionID != "conv-1" {
		t.Errorf("WithModel metadata %+v", a2.Metadata())
	}
	if got, _ := a2.RuntimeSummary(t.Context()); !got.IsEmpty() {
		t.Errorf("a2 summary %+v, want empty", got)
	}
}

func TestSummaryFromSnapshot(t *testing.T) {
	hist := func(tmp metricdata.Temporality, sums ...float64) metricdata.Histogram[float64] {
		h := metricdata.Histogram[float64]{Temporality: tmp}
		for _, s := range sums {
			h.DataPoints = append(h.DataPoints, metricdata.HistogramDataPoint[float64]{Sum: s, Count: 1})
		}
		return h
	}
	rm := &metricdata.ResourceMetrics{ScopeMetrics: []metricdata.ScopeMetrics{{Metrics: []metricdata.Metrics{
		{Name: session.MetricToolCall, Data: metricdata.Sum[int64]{Temporality: metricdata.DeltaTemporality,
			IsMonotonic: true, DataPoints: []metricdata.DataPoint[int64]{
				{Value: 2, Attributes: attribute.NewSet(attribute.String("tool", "a"))}, {Value: 3}}}},
		{Name: session.MetricToolCallDuration, Data: hist(metricdata.DeltaTemporality, 10.4, 20.4)},
		{Name: session.MetricAPIRequestDuration, Data: hist(metricdata.CumulativeTemporality, math.Inf(1))},
		{Name: session.MetricSSEEventDuration, Data: metricdata.Histogram[int64]{Temporality: metricdata.DeltaTemporality,
			DataPoints: []metricdata.HistogramDataPoint[int64]{{Sum: 7}}}},
		{Name: session.MetricResponsesAPIOverhead, Data: hist(metricdata.DeltaTemporality, -3)},
		{Name: "codex.other", Data: metricdata.Sum[int64]{DataPoints: []metricdata.DataPoint[int64]{{Value: 99}}}},
	}}}}
	got := session.SummaryFromSnapshot(rm)
	want := session.RuntimeSummary{
		ToolCalls:       session.RuntimeTotals{Count: 5, DurationMs: 31},
		StreamingEvents: session.RuntimeTotals{DurationMs: 7},
	}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestRuntimeSummaryMerge(t *testing.T) {
	a := session.RuntimeSummary{ToolCalls: session.RuntimeTotals{Count: math.MaxUint64 - 1, DurationMs: 5}, TurnTTFTMs: 10}
	a.Merge(session.RuntimeSummary{ToolCalls: session.RuntimeTotals{Count: 5, DurationMs: 5}, ResponsesAPIOverheadMs: 3})
	if a.ToolCalls.Count != math.MaxUint64 || a.ToolCalls.DurationMs != 10 || a.TurnTTFTMs != 10 || a.ResponsesAPIOverheadMs != 3 {
		t.Errorf("merge: %+v", a)
	}
	a.Merge(session.RuntimeSummary{TurnTTFTMs: 20})
	if a.TurnTTFTMs != 20 {
		t.Errorf("TurnTTFTMs = %d, want 20 (replaced)", a.TurnTTFTMs)
	}
	if (session.RuntimeTotals{}).IsEmpty() != true || a.IsEmpty() {
		t.Error("IsEmpty")
	}
}
