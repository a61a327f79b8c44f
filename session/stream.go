package session

import (
	"context"
	"time"

	"github.com/otelkit/otelkit/metrics"
)

// unknownKind is the event kind recorded when none is known.
const unknownKind = "unknown"

// KindResponseCompleted is the kind of the completion events ([Telemetry.SSECompleted]).
const KindResponseCompleted = "response.completed"

// SSEEvent is the argument of [Telemetry.SSEEvent]: one server-sent event of a response stream, or the
// failure to get one. [SSEFromData] builds it from a received event.
type SSEEvent struct {
	// Kind is the event type, e.g. "response.output_text.delta"; "" is recorded as "unknown"
	// (event.kind; metric tag kind).
	Kind string
	// Duration is the time waited for the event (duration_ms).
	Duration time.Duration
	// Err is non-nil when the event is a failure: a stream error, the idle timeout, response.failed
	// (error.message, URLs redacted).
	Err error
}

// SSEEvent records one stream event.
//
//   - metrics: counter codex.sse_event and duration codex.sse_event.duration_ms, tagged kind and success;
//   - success: log record codex.sse_event with event.kind and duration_ms (no span event: streams have
//     many events);
//   - failure: log record and span event codex.sse_event with event.kind, duration_ms and error.message.
func (t *Telemetry) SSEEvent(ctx context.Context, s SSEEvent) {
	if t.off() {
		return
	}
	kind, success := kindOr(s.Kind), s.Err == nil
	if t.metricsOn() {
		tags := [2]metrics.Tag{metrics.T(TagKind, tagValue(kind)), metrics.T(TagSuccess, boolTag(success))}
		t.countAndTime(MetricSSEEvent, MetricSSEEventDuration, s.Duration, tags[:]...)
	}
	e := t.begin(ctx, EventSSE, !success)
	if e == nil {
		return
	}
	e.both(kEventKind.String(kind))
	e.both(kDurationMs.Int64(ms(s.Duration)))
	if !success {
		e.both(kErrorMessage.String(errText(s.Err)))
	}
	t.finish(ctx, e)
}

// SSECompleted is the argument of [Telemetry.SSECompleted]: the token usage reported when a response
// completed, or why its completion could not be read. Token counts are recorded as given (0 when the
// server reported none).
type SSECompleted struct {
	// InputTokens is the number of input tokens (input_token_count).
	InputTokens int64
	// OutputTokens is the number of output tokens (output_token_count).
	OutputTokens int64
	// CachedTokens is the number of input tokens read from the cache (cached_token_count).
	CachedTokens int64
	// ReasoningTokens is the number of reasoning output tokens (reasoning_token_count).
	ReasoningTokens int64
	// ToolTokens is the number of tool tokens (tool_token_count).
	ToolTokens int64
	// Err, when set, reports that the completion failed; only error.message is recorded then.
	Err error
}

// SSECompleted records the completion of a response stream: log record and span event codex.sse_event
// with event.kind "response.completed" and either the five token counts or error.message. It records no
// metrics (the stream events themselves are counted by [Telemetry.SSEEvent]).
func (t *Telemetry) SSECompleted(ctx context.Context, c SSECompleted) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventSSE, true)
	if e == nil {
		return
	}
	e.both(kEventKind.String(KindResponseCompleted))
	if c.Err != nil {
		e.both(kErrorMessage.String(errText(c.Err)))
	} else {
		e.both(kInputTokens.Int64(c.InputTokens))
		e.both(kOutputTokens.Int64(c.OutputTokens))
		e.both(kCachedTokens.Int64(c.CachedTokens))
		e.both(kReasoningTokens.Int64(c.ReasoningTokens))
		e.both(kToolTokens.Int64(c.ToolTokens))
	}
	t.finish(ctx, e)
}

// ResponsesTiming holds the server-side timings a responses API websocket may report
// ("responsesapi.websocket_timing" messages). Zero and negative values are absent and not recorded.
type ResponsesTiming struct {
	// Overhead is the responses API's time excluding engine and client tool time
	// (codex.responses_api_overhead.duration_ms).
	Overhead time.Duration
	// InferenceTime is the engine service's total time (codex.responses_api_inference_time.duration_ms).
	InferenceTime time.Duration
	// EngineIAPITTFT is the engine IAPI time to first token (codex.responses_api_engine_iapi_ttft.duration_ms).
	EngineIAPITTFT time.Duration
	// EngineServiceTTFT is the engine service time to first token
	// (codex.responses_api_engine_service_ttft.duration_ms).
	EngineServiceTTFT time.Duration
	// EngineIAPITBT is the engine IAPI time between tokens across engine calls
	// (codex.responses_api_engine_iapi_tbt.duration_ms).
	EngineIAPITBT time.Duration
	// EngineServiceTBT is the engine service time between tokens across engine calls
	// (codex.responses_api_engine_service_tbt.duration_ms).
	EngineServiceTBT time.Duration
}

// WebSocketEvent is the argument of [Telemetry.WebSocketEvent]: one message received on a responses API
// websocket, or the failure to receive one. [WebSocketEventFromText] builds it from a text message.
type WebSocketEvent struct {
	// Kind is the message type; "" is recorded as "unknown" (event.kind; metric tag kind).
	Kind string
	// Duration is the time waited for the message (duration_ms).
	Duration time.Duration
	// Err is non-nil for a failure: closed, stream error, response.failed, unparsable (error.message,
	// URLs redacted).
	Err error
	// Timing, when set, holds the server-side timings of a timing message, recorded as metrics.
	Timing *ResponsesTiming
}

// WebSocketEvent records one websocket message. Control frames (ping, pong) should not be recorded.
//
//   - metrics: counter codex.websocket.event and duration codex.websocket.event.duration_ms, tagged kind
//     and success; when Timing is set, one duration per non-zero timing (the codex.responses_api_* names);
//   - log record and span event codex.websocket_event: event.kind, duration_ms, success and error.message
//     (when failed).
func (t *Telemetry) WebSocketEvent(ctx context.Context, w WebSocketEvent) {
	if t.off() {
		return
	}
	kind, success := kindOr(w.Kind), w.Err == nil
	if t.metricsOn() {
		tags := [2]metrics.Tag{metrics.T(TagKind, tagValue(kind)), metrics.T(TagSuccess, boolTag(success))}
		t.countAndTime(MetricWebSocketEvent, MetricWebSocketEventDuration, w.Duration, tags[:]...)
		if w.Timing != nil {
			t.timing(w.Timing)
		}
	}
	e := t.begin(ctx, EventWebSocketEvent, true)
	if e == nil {
		return
	}
	e.both(kEventKind.String(kind))
	e.both(kDurationMs.Int64(ms(w.Duration)))
	e.both(kSuccess.Bool(success))
	if w.Err != nil {
		e.both(kErrorMessage.String(errText(w.Err)))
	}
	t.finish(ctx, e)
}

func (t *Telemetry) timing(rt *ResponsesTiming) {
	for _, m := range [...]struct {
		name string
		d    time.Duration
	}{
		{MetricResponsesAPIOverhead, rt.Overhead},
		{MetricResponsesAPIInferenceTime, rt.InferenceTime},
		{MetricResponsesAPIEngineIAPITTFT, rt.EngineIAPITTFT},
		{MetricResponsesAPIEngineServiceTTFT, rt.EngineServiceTTFT},
		{MetricResponsesAPIEngineIAPITBT, rt.EngineIAPITBT},
		{MetricResponsesAPIEngineServiceTBT, rt.EngineServiceTBT},
	} {
		if m.d > 0 {
			t.duration(m.name, m.d)
		}
	}
}

func kindOr(kind string) string {
	if kind == "" {
		return unknownKind
	}
	return kind
}
