package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/otelkit/otelkit/session"
)

// stream answers GET /v1/conversations/{id}/stream?prompt=… with server-sent events relayed from the gRPC
// stream Tools/StreamTokens, recording each event (session SSEEvent) and the completion (SSECompleted).
func (h *handlers) stream(w http.ResponseWriter, r *http.Request) {
	id, ok := conversationID(w, r)
	if !ok {
		return
	}
	prompt := r.URL.Query().Get("prompt")
	if prompt == "" {
		writeError(w, http.StatusBadRequest, "the prompt query parameter is required")
		return
	}
	rc := http.NewResponseController(w)
	ctx, sess := h.session(r, id)
	sess.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput(prompt)}})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		sess.SSEEvent(ctx, session.SSEEvent{Err: fmt.Errorf("%w: %v", errNoFlush, err)})
		return
	}
	last := time.Now()
	err := h.tools.StreamTokens(withSession(ctx, sess), prompt, func(msg *structpb.Struct) error {
		f := msg.GetFields()
		kind := f["kind"].GetStringValue()
		if kind == session.KindResponseCompleted {
			sess.SSECompleted(ctx, session.SSECompleted{
				InputTokens:  int64(f["input_tokens"].GetNumberValue()),
				OutputTokens: int64(f["output_tokens"].GetNumberValue()),
			})
		} else {
			now := time.Now()
			sess.SSEEvent(ctx, session.SSEEvent{Kind: kind, Duration: now.Sub(last)})
			last = now
		}
		data, err := json.Marshal(msg)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data); err != nil {
			return err
		}
		return rc.Flush()
	})
	if err != nil {
		st, _ := status.FromError(err)
		sess.SSEEvent(ctx, session.SSEEvent{Kind: "error", Duration: time.Since(last), Err: err})
		data, _ := json.Marshal(map[string]string{"error": st.Message()})
		_, _ = fmt.Fprintf(w, "event: error\ndata: %s\n\n", data)
		_ = rc.Flush()
	}
}
