package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"time"
)

// Message kinds with a meaning to the parsers.
const (
	KindResponseFailed          = "response.failed"
	KindOutputItemDone          = "response.output_item.done"
	KindWebSocketTiming         = "responsesapi.websocket_timing"
	KindParseError              = "parse_error"
	sseDone                     = "[DONE]"
	maxTimingMs         float64 = math.MaxInt64 / float64(time.Millisecond)
)

// ErrIdleTimeout is the error to record when no stream event arrived within the idle timeout:
// SSEEvent{Err: ErrIdleTimeout, Duration: waited}.
var ErrIdleTimeout = errors.New("idle timeout waiting for SSE")

// ErrOutputItemParse is the error of a response.output_item.done event without an item.
var ErrOutputItemParse = errors.New("failed to parse response.output_item.done")

// streamMessage is what the parsers read of a responses API message.
type streamMessage struct {
	Type     string                     `json:"type"`
	Item     json.RawMessage            `json:"item"`
	Timing   map[string]json.RawMessage `json:"timing_metrics"`
	Error    *apiError                  `json:"error"`
	Response *struct {
		Error *apiError `json:"error"`
	} `json:"response"`
}

type apiError struct {
	Message string `json:"message"`
}

// failure returns the error of a response.failed message: its error message, or the kind.
func (m *streamMessage) failure() error {
	switch {
	case m.Response != nil && m.Response.Error != nil && m.Response.Error.Message != "":
		return errors.New(m.Response.Error.Message)
	case m.Error != nil && m.Error.Message != "":
		return errors.New(m.Error.Message)
	}
	return errors.New(KindResponseFailed)
}

// SSEFromData classifies a received server-sent event as the reference does. event is the SSE event
// field (may be empty: the JSON "type" is used then), data its data and d the time waited for it.
//
//   - data "[DONE]": success;
//   - data that is not JSON: failure;
//   - type "response.failed": failure, with the response's error message;
//   - type "response.output_item.done" without an item object: failure ([ErrOutputItemParse]);
//   - any other JSON: success.
func SSEFromData(event string, data []byte, d time.Duration) SSEEvent {
	s := SSEEvent{Kind: event, Duration: d}
	if string(bytes.TrimSpace(data)) == sseDone {
		return s
	}
	var m streamMessage
	if err := json.Unmarshal(data, &m); err != nil {
		s.Err = errors.New("invalid JSON in SSE data: " + err.Error())
		return s
	}
	if s.Kind == "" {
		s.Kind = m.Type
	}
	switch s.Kind {
	case KindResponseFailed:
		s.Err = m.failure()
	case KindOutputItemDone:
		if !isObject(m.Item) {
			s.Err = ErrOutputItemParse
		}
	}
	return s
}

// WebSocketEventFromText classifies a text message of a responses API websocket as the reference does:
// the kind is its JSON "type"; "response.failed" is a failure; a "responsesapi.websocket_timing"
// message carries [ResponsesTiming] (its timing_metrics fields, whole milliseconds; values that are not
// finite non-negative numbers are skipped); text that is not JSON is a failure of kind "parse_error".
func WebSocketEventFromText(data []byte, d time.Duration) WebSocketEvent {
	w := WebSocketEvent{Duration: d}
	var m streamMessage
	if err := json.Unmarshal(data, &m); err != nil {
		w.Kind = KindParseError
		w.Err = errors.New("invalid JSON in websocket message: " + err.Error())
		return w
	}
	w.Kind = m.Type
	switch m.Type {
	case KindResponseFailed:
		w.Err = m.failure()
	case KindWebSocketTiming:
		w.Timing = &ResponsesTiming{
			Overhead:          timingMs(m.Timing, "responses_duration_excl_engine_and_client_tool_time_ms"),
			InferenceTime:     timingMs(m.Timing, "engine_service_total_ms"),
			EngineIAPITTFT:    timingMs(m.Timing, "engine_iapi_ttft_total_ms"),
			EngineServiceTTFT: timingMs(m.Timing, "engine_service_ttft_total_ms"),
			EngineIAPITBT:     timingMs(m.Timing, "engine_iapi_tbt_across_engine_calls_ms"),
			EngineServiceTBT:  timingMs(m.Timing, "engine_service_tbt_across_engine_calls_ms"),
		}
	}
	return w
}

// timingMs reads a millisecond field: a finite number ≥ 0, rounded to whole milliseconds and clamped.
// Anything else is 0 (absent).
func timingMs(fields map[string]json.RawMessage, key string) time.Duration {
	raw, ok := fields[key]
	if !ok {
		return 0
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	v = math.Round(v)
	if v >= maxTimingMs {
		return time.Duration(math.MaxInt64/int64(time.Millisecond)) * time.Millisecond
	}
	return time.Duration(v) * time.Millisecond
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 1 && raw[0] == '{'
}
