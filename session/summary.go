package session

import (
	"context"
	"errors"
	"math"
	"sync"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// ErrNoMetrics is returned by [Telemetry.RuntimeSummary] and [Telemetry.ResetRuntimeMetrics] for a nil
// session or one without a metrics client ([WithMetrics]).
var ErrNoMetrics = errors.New("session: no metrics client")

// RuntimeTotals is how many times something happened and how long it took in total.
type RuntimeTotals struct {
	// Count is how many times it happened.
	Count uint64
	// DurationMs is how long it took in total, in milliseconds.
	DurationMs uint64
}

// IsEmpty reports whether nothing was counted or timed.
func (r RuntimeTotals) IsEmpty() bool { return r.Count == 0 && r.DurationMs == 0 }

// Merge adds o to r, saturating at the largest uint64.
func (r *RuntimeTotals) Merge(o RuntimeTotals) {
	r.Count = satAdd(r.Count, o.Count)
	r.DurationMs = satAdd(r.DurationMs, o.DurationMs)
}

// RuntimeSummary totals the runtime metrics of the session's metrics client (reference §4.6): counts
// from the counters, durations from the sums of the duration histograms, rounded to whole milliseconds.
type RuntimeSummary struct {
	// ToolCalls totals codex.tool.call and codex.tool.call.duration_ms.
	ToolCalls RuntimeTotals
	// APICalls totals codex.api_request and codex.api_request.duration_ms.
	APICalls RuntimeTotals
	// StreamingEvents totals codex.sse_event and codex.sse_event.duration_ms.
	StreamingEvents RuntimeTotals
	// WebSocketCalls totals codex.websocket.request and codex.websocket.request.duration_ms.
	WebSocketCalls RuntimeTotals
	// WebSocketEvents totals codex.websocket.event and codex.websocket.event.duration_ms.
	WebSocketEvents RuntimeTotals

	// ResponsesAPIOverheadMs sums codex.responses_api_overhead.duration_ms.
	ResponsesAPIOverheadMs uint64
	// ResponsesAPIInferenceTimeMs sums codex.responses_api_inference_time.duration_ms.
	ResponsesAPIInferenceTimeMs uint64
	// ResponsesAPIEngineIAPITTFTMs sums codex.responses_api_engine_iapi_ttft.duration_ms.
	ResponsesAPIEngineIAPITTFTMs uint64
	// ResponsesAPIEngineServiceTTFTMs sums codex.responses_api_engine_service_ttft.duration_ms.
	ResponsesAPIEngineServiceTTFTMs uint64
	// ResponsesAPIEngineIAPITBTMs sums codex.responses_api_engine_iapi_tbt.duration_ms.
	ResponsesAPIEngineIAPITBTMs uint64
	// ResponsesAPIEngineServiceTBTMs sums codex.responses_api_engine_service_tbt.duration_ms.
	ResponsesAPIEngineServiceTBTMs uint64
	// TurnTTFTMs sums codex.turn.ttft.duration_ms ([RuntimeSummary.Merge] replaces it instead of adding).
	TurnTTFTMs uint64
}

// IsEmpty reports whether the summary holds nothing.
func (s RuntimeSummary) IsEmpty() bool { return s == RuntimeSummary{} }

// Merge adds o to s, saturating; TurnTTFTMs is replaced by o's when o's is set (as in the reference).
func (s *RuntimeSummary) Merge(o RuntimeSummary) {
	s.ToolCalls.Merge(o.ToolCalls)
	s.APICalls.Merge(o.APICalls)
	s.StreamingEvents.Merge(o.StreamingEvents)
	s.WebSocketCalls.Merge(o.WebSocketCalls)
	s.WebSocketEvents.Merge(o.WebSocketEvents)
	s.ResponsesAPIOverheadMs = satAdd(s.ResponsesAPIOverheadMs, o.ResponsesAPIOverheadMs)
	s.ResponsesAPIInferenceTimeMs = satAdd(s.ResponsesAPIInferenceTimeMs, o.ResponsesAPIInferenceTimeMs)
	s.ResponsesAPIEngineIAPITTFTMs = satAdd(s.ResponsesAPIEngineIAPITTFTMs, o.ResponsesAPIEngineIAPITTFTMs)
	s.ResponsesAPIEngineServiceTTFTMs = satAdd(s.ResponsesAPIEngineServiceTTFTMs, o.ResponsesAPIEngineServiceTTFTMs)
	s.ResponsesAPIEngineIAPITBTMs = satAdd(s.ResponsesAPIEngineIAPITBTMs, o.ResponsesAPIEngineIAPITBTMs)
	s.ResponsesAPIEngineServiceTBTMs = satAdd(s.ResponsesAPIEngineServiceTBTMs, o.ResponsesAPIEngineServiceTBTMs)
	if o.TurnTTFTMs > 0 {
		s.TurnTTFTMs = o.TurnTTFTMs
	}
}

// SummaryFromSnapshot totals the runtime metrics in rm as they are: deltas since the previous collection
// for delta temporality, totals since the start for cumulative. [Telemetry.RuntimeSummary] handles both.
func SummaryFromSnapshot(rm *metricdata.ResourceMetrics) RuntimeSummary {
	var delta, cum raw
	collect(rm, &delta, &cum)
	delta.add(&cum)
	return delta.summary()
}

// RuntimeSummary returns the runtime metrics recorded since the previous RuntimeSummary or
// [Telemetry.ResetRuntimeMetrics] of this session (or of sessions derived from it with WithModel),
// read from a snapshot of the metrics client. It works with either temporality:
//
//   - cumulative (the metrics client's default): the session keeps its own baseline and returns the
//     difference, so sessions sharing a client do not disturb each other;
//   - delta: each snapshot consumes what changed since the previous snapshot of the client, by any
//     session (the reference's behaviour).
//
// Metrics carry no session id, so the totals cover every session recording into the same client.
// Errors: [ErrNoMetrics], or the client's snapshot error (metrics.ErrSnapshotUnavailable when it has no
// snapshot reader).
func (t *Telemetry) RuntimeSummary(ctx context.Context) (RuntimeSummary, error) {
	if t.off() || t.cfg.metrics == nil {
		return RuntimeSummary{}, ErrNoMetrics
	}
	b := t.baseline()
	b.mu.Lock()
	defer b.mu.Unlock()
	rm, err := t.cfg.metrics.Snapshot(ctx)
	if err != nil {
		return RuntimeSummary{}, err
	}
	var delta, cum raw
	collect(&rm, &delta, &cum)
	since := cum
	since.sub(&b.cum)
	b.cum = cum
	delta.add(&since)
	return delta.summary(), nil
}

// ResetRuntimeMetrics starts a new runtime summary period: the next [Telemetry.RuntimeSummary] reports
// only what is recorded after it.
func (t *Telemetry) ResetRuntimeMetrics(ctx context.Context) error {
	_, err := t.RuntimeSummary(ctx)
	return err
}

// runtimeBaseline is the cumulative totals seen by the latest summary of a session.
type runtimeBaseline struct {
	mu  sync.Mutex
	cum raw
}

// The runtime metrics, as indexes into raw.
const (
	rtTool = iota
	rtAPI
	rtSSE
	rtWSRequest
	rtWSEvent
	rtOverhead
	rtInference
	rtIAPITTFT
	rtServiceTTFT
	rtIAPITBT
	rtServiceTBT
	rtTurnTTFT
	rtCount
)

// runtimeMetric maps a metric name to its slot and whether it is the count (or the duration) metric.
var runtimeMetric = map[string]struct {
	slot  int
	count bool
}{
	MetricToolCall: {rtTool, true}, MetricToolCallDuration: {rtTool, false},
	MetricAPIRequest: {rtAPI, true}, MetricAPIRequestDuration: {rtAPI, false},
	MetricSSEEvent: {rtSSE, true}, MetricSSEEventDuration: {rtSSE, false},
	MetricWebSocketRequest: {rtWSRequest, true}, MetricWebSocketRequestDuration: {rtWSRequest, false},
	MetricWebSocketEvent: {rtWSEvent, true}, MetricWebSocketEventDuration: {rtWSEvent, false},
	MetricResponsesAPIOverhead:          {rtOverhead, false},
	MetricResponsesAPIInferenceTime:     {rtInference, false},
	MetricResponsesAPIEngineIAPITTFT:    {rtIAPITTFT, false},
	MetricResponsesAPIEngineServiceTTFT: {rtServiceTTFT, false},
	MetricResponsesAPIEngineIAPITBT:     {rtIAPITBT, false},
	MetricResponsesAPIEngineServiceTBT:  {rtServiceTBT, false},
	MetricTurnTTFTDuration:              {rtTurnTTFT, false},
}

// raw holds unrounded totals: counts and duration sums (ms) per slot.
type raw struct {
	count [rtCount]float64
	ms    [rtCount]float64
}

func (r *raw) add(o *raw) {
	for i := range r.count {
		r.count[i] += o.count[i]
		r.ms[i] += o.ms[i]
	}
}

// sub subtracts a baseline, never going below zero (a restarted series starts again from zero).
func (r *raw) sub(o *raw) {
	for i := range r.count {
		r.count[i] = math.Max(0, r.count[i]-o.count[i])
		r.ms[i] = math.Max(0, r.ms[i]-o.ms[i])
	}
}

// collect adds the runtime metrics of rm into delta or cum according to their temporality.
func collect(rm *metricdata.ResourceMetrics, delta, cum *raw) {
	pick := func(t metricdata.Temporality) *raw {
		if t == metricdata.DeltaTemporality {
			return delta
		}
		return cum
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			rt, ok := runtimeMetric[m.Name]
			if !ok {
				continue
			}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				if rt.count {
					dst := pick(d.Temporality)
					for _, p := range d.DataPoints {
						dst.count[rt.slot] += float64(p.Value)
					}
				}
			case metricdata.Sum[float64]:
				if rt.count {
					dst := pick(d.Temporality)
					for _, p := range d.DataPoints {
						dst.count[rt.slot] += p.Value
					}
				}
			case metricdata.Histogram[float64]:
				if !rt.count {
					dst := pick(d.Temporality)
					for _, p := range d.DataPoints {
						dst.ms[rt.slot] += p.Sum
					}
				}
			case metricdata.Histogram[int64]:
				if !rt.count {
					dst := pick(d.Temporality)
					for _, p := range d.DataPoints {
						dst.ms[rt.slot] += float64(p.Sum)
					}
				}
			}
		}
	}
}

func (r *raw) totals(i int) RuntimeTotals {
	return RuntimeTotals{Count: round(r.count[i]), DurationMs: round(r.ms[i])}
}

func (r *raw) summary() RuntimeSummary {
	return RuntimeSummary{
		ToolCalls:                       r.totals(rtTool),
		APICalls:                        r.totals(rtAPI),
		StreamingEvents:                 r.totals(rtSSE),
		WebSocketCalls:                  r.totals(rtWSRequest),
		WebSocketEvents:                 r.totals(rtWSEvent),
		ResponsesAPIOverheadMs:          round(r.ms[rtOverhead]),
		ResponsesAPIInferenceTimeMs:     round(r.ms[rtInference]),
		ResponsesAPIEngineIAPITTFTMs:    round(r.ms[rtIAPITTFT]),
		ResponsesAPIEngineServiceTTFTMs: round(r.ms[rtServiceTTFT]),
		ResponsesAPIEngineIAPITBTMs:     round(r.ms[rtIAPITBT]),
		ResponsesAPIEngineServiceTBTMs:  round(r.ms[rtServiceTBT]),
		TurnTTFTMs:                      round(r.ms[rtTurnTTFT]),
	}
}

// round converts a total to whole units: non-finite and non-positive values are 0, huge ones saturate.
func round(v float64) uint64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0
	}
	v = math.Round(v)
	if v >= math.MaxUint64 {
		return math.MaxUint64
	}
	return uint64(v)
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}
