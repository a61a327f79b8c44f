package session_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
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
		// Valid JSON is never a parse failure: only "type" (and the fields a kind needs) is read, and a
		// field of an unexpected type is ignored.
		{name: "error field of another type", data: `{"type":"response.created","error":"x"}`, kind: "response.created"},
		{name: "response of another type", data: `{"type":"response.in_progress","response":[1,2]}`, kind: "response.in_progress"},
		{name: "type not a string", data: `{"type":7}`},
		{name: "type not a string with event", event: "response.created", data: `{"type":7,"item":3}`, kind: "response.created"},
		{name: "json that is not an object", event: "keepalive", data: `[1,"x"]`, kind: "keepalive"},
		{name: "json scalar", data: `42`},
		{name: "failed with odd error shapes", data: `{"type":"response.failed","error":"flat","response":{"error":"flat too"}}`,
			kind: "response.failed", err: "response.failed"},
		{name: "failed message not a string", data: `{"type":"response.failed","response":{"error":{"message":5}},"error":{"message":"top"}}`,
			kind: "response.failed", err: "top"},
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
	// Valid JSON is never a parse error, whatever the types of the fields the kind does not need.
	for _, data := range []string{`{"type":"response.created","error":"x"}`, `{"type":"response.created","timing_metrics":1}`,
		`{"type":"response.created","response":"r"}`} {
		if w := session.WebSocketEventFromText([]byte(data), 0); w.Kind != "response.created" || w.Err != nil {
			t.Errorf("%s: %+v, want success of kind response.created", data, w)
		}
	}
	if w := session.WebSocketEventFromText([]byte(`{"type":7}`), 0); w.Kind != "" || w.Err != nil {
		t.Errorf("numeric type: %+v, want success of no (unknown) kind", w)
	}
	if w := session.WebSocketEventFromText([]byte(`{"type":"responsesapi.websocket_timing","timing_metrics":[1]}`), 0); w.Err != nil ||
		w.Timing == nil || *w.Timing != (session.ResponsesTiming{}) {
		t.Errorf("timing metrics of another type: %+v", w)
	}
	if errors.Is(session.ErrIdleTimeout, session.ErrOutputItemParse) {
		t.Error("sentinels are distinct")
	}
}

// Valid JSON with fields of unexpected types is recorded as a successful event, in the log record and the
// metric points alike.
func TestParsedEventsRecordSuccess(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{SessionID: "s"}, session.WithoutMetadataTags())
	ctx := t.Context()
	h.Session.SSEEvent(ctx, session.SSEFromData("", []byte(`{"type":"response.created","error":"x"}`), time.Millisecond))
	h.Session.WebSocketEvent(ctx, session.WebSocketEventFromText([]byte(`{"type":7}`), time.Millisecond))

	la := sessiontest.LogAttrs(t, h.Log(t, session.EventSSE))
	sessiontest.AssertAttrs(t, la, map[string]any{"event.kind": "response.created"})
	sessiontest.AssertAbsent(t, la, "error.message")
	wa := sessiontest.LogAttrs(t, h.Log(t, session.EventWebSocketEvent))
	sessiontest.AssertAttrs(t, wa, map[string]any{"event.kind": "unknown", "success": true})
	sessiontest.AssertAbsent(t, wa, "error.message")

	rm := h.Snapshot(t)
	if got := sessiontest.MetricAttrSets(t, rm, session.MetricSSEEvent); !reflect.DeepEqual(got,
		[]map[string]string{{"kind": "response.created", "success": "true"}}) {
		t.Errorf("%s points %v", session.MetricSSEEvent, got)
	}
	if got := sessiontest.MetricAttrSets(t, rm, session.MetricWebSocketEvent); !reflect.DeepEqual(got,
		[]map[string]string{{"kind": "unknown", "success": "true"}}) {
		t.Errorf("%s points %v", session.MetricWebSocketEvent, got)
	}
}
