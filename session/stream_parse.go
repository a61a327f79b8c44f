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

// streamMessage is a responses API message read generically, as the reference reads it (a JSON value
// indexed by key): only "type" and the fields a kind needs are read, each on its own, and a field of an
// unexpected type is treated as absent. Valid JSON is therefore never a parse failure.
type streamMessage map[string]json.RawMessage

// parseMessage decodes data. Valid JSON that is not an object gives an empty message; only invalid JSON
// is an error.
func parseMessage(data []byte) (streamMessage, error) {
	var m streamMessage
	if err := json.Unmarshal(data, &m); err != nil {
		// Unmarshal checks the syntax of all of data first, so a type error means valid JSON that is not
		// an object.
		if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return nil, nil
		}
		return nil, err
	}
	return m, nil
}

// str returns the string field key, or "" when it is absent or not a string.
func (m streamMessage) str(key string) string {
	raw, ok := m[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// obj returns the object field key, or nil when it is absent or not an object.
func (m streamMessage) obj(key string) streamMessage {
	raw, ok := m[key]
	if !ok || !isObject(raw) {
		return nil
	}
	var o streamMessage
	if json.Unmarshal(raw, &o) != nil {
		return nil
	}
	return o
}

// failure returns the error of a response.failed message: response.error.message, else error.message,
// else the kind.
func (m streamMessage) failure() error {
	if msg := m.obj("response").obj("error").str("message"); msg != "" {
		return errors.New(msg)
	}
	if msg := m.obj("error").str("message"); msg != "" {
		return errors.New(msg)
	}
	return errors.New(KindResponseFailed)
}

// SSEFromData classifies a received server-sent event as the reference does. event is the SSE event
// field (may be empty: the JSON "type" is used then), data its data and d the time waited for it.
//
//   - data "[DONE]": success;
//   - data that is not JSON: failure;
//   - type "response.failed": failure, with the response's error message (response.error.message, else
//     error.message, else "response.failed");
//   - type "response.output_item.done" without an item object: failure ([ErrOutputItemParse]);
//   - any other JSON: success. The data is read generically: fields other than those above are not
//     looked at, and a field of an unexpected type counts as absent (a "type" that is not a string gives
//     no kind, recorded as "unknown").
func SSEFromData(event string, data []byte, d time.Duration) SSEEvent {
	s := SSEEvent{Kind: event, Duration: d}
	if string(bytes.TrimSpace(data)) == sseDone {
		return s
	}
	m, err := parseMessage(data)
	if err != nil {
		s.Err = errors.New("invalid JSON in SSE data: " + err.Error())
		return s
	}
	if s.Kind == "" {
		s.Kind = m.str("type")
	}
	switch s.Kind {
	case KindResponseFailed:
		s.Err = m.failure()
	case KindOutputItemDone:
		if !isObject(m["item"]) {
			s.Err = ErrOutputItemParse
		}
	}
	return s
}

// WebSocketEventFromText classifies a text message of a responses API websocket as the reference does:
// the kind is its JSON "type"; "response.failed" is a failure; a "responsesapi.websocket_timing"
// message carries [ResponsesTiming] (its timing_metrics fields, whole milliseconds; values that are not
// finite non-negative numbers are skipped); text that is not JSON is a failure of kind "parse_error".
// Valid JSON is read generically, as by [SSEFromData]: a field of an unexpected type counts as absent and
// is never a parse error.
func WebSocketEventFromText(data []byte, d time.Duration) WebSocketEvent {
	w := WebSocketEvent{Duration: d}
	m, err := parseMessage(data)
	if err != nil {
		w.Kind = KindParseError
		w.Err = errors.New("invalid JSON in websocket message: " + err.Error())
		return w
	}
	w.Kind = m.str("type")
	switch w.Kind {
	case KindResponseFailed:
		w.Err = m.failure()
	case KindWebSocketTiming:
		timing := m.obj("timing_metrics")
		w.Timing = &ResponsesTiming{
			Overhead:          timingMs(timing, "responses_duration_excl_engine_and_client_tool_time_ms"),
			InferenceTime:     timingMs(timing, "engine_service_total_ms"),
			EngineIAPITTFT:    timingMs(timing, "engine_iapi_ttft_total_ms"),
			EngineServiceTTFT: timingMs(timing, "engine_service_ttft_total_ms"),
			EngineIAPITBT:     timingMs(timing, "engine_iapi_tbt_across_engine_calls_ms"),
			EngineServiceTBT:  timingMs(timing, "engine_service_tbt_across_engine_calls_ms"),
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
