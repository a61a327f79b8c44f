package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/otelkit/otelkit/session"
)

func TestSSEFromData(t *testing.T) {
	tests := []struct {
		name, event, data string
		kind, err         string
	}{
		{name: "done", data: " [DONE]\n"},
		{name: "event field wins", event: "response.created", data: `{"type":"other"}`, kind: "response.created"},
		{name: "type from data", data: `{"type":"response.output_text.delta","delta":"hi"}`, kind: "response.output_text.delta"},
		{name: "failed with message", data: `{"type":"response.failed","response":{"error":{"message":"rate limited"}}}`,
			kind: "response.failed", err: "rate limited"},
		{name: "failed top-level error", event: "response.failed", data: `{"error":{"message":"nope"}}`,
			kind: "response.failed", err: "nope"},
		{name: "failed without message", data: `{"type":"response.failed"}`, kind: "response.failed", err: "response.failed"},
		{name: "output item done", data: `{"type":"response.output_item.done","item":{"type":"message"}}`,
			kind: "response.output_item.done"},
		{name: "output item done without item", data: `{"type":"response.output_item.done","item":"x"}`,
			kind: "response.output_item.done", err: session.ErrOutputItemParse.Error()},
		{name: "invalid json", event: "response.created", data: `{not json`, kind: "response.created",
			err: "invalid JSON in SSE data: invalid character 'n' looking for beginning of object key string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := session.SSEFromData(tt.event, []byte(tt.data), 3*time.Millisecond)
			if s.Kind != tt.kind || s.Duration != 3*time.Millisecond {
				t.Errorf("kind %q duration %v, want %q", s.Kind, s.Duration, tt.kind)
			}
			switch {
			case tt.err == "" && s.Err != nil:
				t.Errorf("unexpected error %v", s.Err)
			case tt.err != "" && (s.Err == nil || s.Err.Error() != tt.err):
				t.Errorf("error %v, want %q", s.Err, tt.err)
			}
		})
	}
}

func TestWebSocketEventFromText(t *testing.T) {
	w := session.WebSocketEventFromText([]byte(`{"type":"responsesapi.websocket_timing","timing_metrics":{
		"responses_duration_excl_engine_and_client_tool_time_ms":124.4,
		"engine_service_total_ms":456.5,
		"engine_iapi_ttft_total_ms":-1,
		"engine_service_ttft_total_ms":"12",
		"engine_iapi_tbt_across_engine_calls_ms":1e300}}`), 20*time.Millisecond)
	if w.Kind != session.KindWebSocketTiming || w.Err != nil || w.Timing == nil {
		t.Fatalf("got %+v", w)
	}
	want := session.ResponsesTiming{
		Overhead: 124 * time.Millisecond, InferenceTime: 457 * time.Millisecond,
		EngineIAPITBT: time.Duration(1<<63-1) / time.Millisecond * time.Millisecond,
	}
	if *w.Timing != want {
		t.Errorf("timing %+v\nwant %+v", *w.Timing, want)
	}

	f := session.WebSocketEventFromText([]byte(`{"type":"response.failed","response":{"error":{"message":"bad"}}}`), 0)
	if f.Kind != session.KindResponseFailed || f.Err == nil || f.Err.Error() != "bad" {
		t.Errorf("failed: %+v", f)
	}
	p := session.WebSocketEventFromText([]byte(`nope`), 0)
	if p.Kind != session.KindParseError || p.Err == nil {
		t.Errorf("parse error: %+v", p)
	}
	ok := session.WebSocketEventFromText([]byte(`{"type":"response.created"}`), 0)
	if ok.Kind != "response.created" || ok.Err != nil || ok.Timing != nil {
		t.Errorf("created: %+v", ok)
	}
	if errors.Is(session.ErrIdleTimeout, session.ErrOutputItemParse) {
		t.Error("sentinels are distinct")
	}
}
