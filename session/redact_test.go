package session_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// clientError returns the error of an HTTP request to a closed server at a URL with credentials in its
// user info and query: a *url.Error, whose text holds the URL.
func clientError(t *testing.T) error {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := strings.Replace(srv.URL, "http://", "http://alice:hunter2@", 1) + "/v1/responses?token=secret&page=2#access_token=frag"
	srv.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("request to a closed server succeeded")
	}
	if !strings.Contains(err.Error(), "token=secret") {
		t.Fatalf("client error %q does not show the URL", err)
	}
	return err
}

// Error text recorded as error.message has the URLs in it redacted as url.full is (query values, user
// info and fragment), in log records and span events alike.
func TestErrorTextRedactsURLs(t *testing.T) {
	err := clientError(t)
	wrapped := errors.New("stream: " + err.Error() + "; retry at ws://bob@example.com:8080/ws?sig=abc123 later")
	events := []struct {
		event  string
		record func(context.Context, *session.Telemetry)
	}{
		{session.EventAPIRequest, func(ctx context.Context, s *session.Telemetry) {
			s.APIRequest(ctx, session.APIRequest{Attempt: 1, Err: err, Duration: time.Millisecond})
		}},
		{session.EventWebSocketConnect, func(ctx context.Context, s *session.Telemetry) {
			s.WebSocketConnect(ctx, session.WebSocketConnect{Err: err})
		}},
		{session.EventWebSocketRequest, func(ctx context.Context, s *session.Telemetry) {
			s.WebSocketRequest(ctx, session.WebSocketRequest{Err: wrapped})
		}},
		{session.EventWebSocketEvent, func(ctx context.Context, s *session.Telemetry) {
			s.WebSocketEvent(ctx, session.WebSocketEvent{Kind: "response.failed", Err: err})
		}},
		{session.EventSSE, func(ctx context.Context, s *session.Telemetry) {
			s.SSEEvent(ctx, session.SSEEvent{Err: wrapped})
		}},
	}
	for _, tt := range events {
		t.Run(tt.event, func(t *testing.T) {
			h := sessiontest.New(t, testMetadata())
			ctx, span := h.Start(t.Context(), "root")
			tt.record(ctx, h.Session)
			span.End()
			for side, attrs := range map[string]map[string]any{
				"log":        sessiontest.LogAttrs(t, h.Log(t, tt.event)),
				"span event": sessiontest.EventAttrs(t, h.SpanEvent(t, tt.event)),
			} {
				msg, _ := attrs["error.message"].(string)
				for _, secret := range []string{"secret", "alice", "hunter2", "***", "access_token", "bob@", "abc123"} {
					if strings.Contains(msg, secret) {
						t.Errorf("%s error.message %q holds %q", side, msg, secret)
					}
				}
				if !strings.Contains(msg, `/v1/responses?token=REDACTED&page=REDACTED"`) ||
					!strings.Contains(msg, "connection refused") {
					t.Errorf("%s error.message %q lost what is not secret", side, msg)
				}
			}
		})
	}
}

func TestRedactURLsInText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no url here", "no url here"},
		{"plain https://example.com/a/b stays", "plain https://example.com/a/b stays"},
		{`Get "https://u:p@h/x?a=1&b": EOF`, `Get "https://h/x?a=REDACTED&REDACTED": EOF`},
		{"two: http://h?k=v and grpc+tls://t@h2:1/p?x=y#f", "two: http://h?k=REDACTED and grpc+tls://h2:1/p?x=REDACTED"},
		{"fragment http://h/p#access_token=t and user only ftp://me@h", "fragment http://h/p and user only ftp://h"},
		{"at end http://h/?q=", "at end http://h/?q=REDACTED"},
		{"mailto-like user@host is not a URL", "mailto-like user@host is not a URL"},
		{"bare ://x?y=z", "bare ://x?y=z"},
		{"'http://h/p@q?r=s'", "'http://h/p@q?r=REDACTED'"},
	}
	for _, tt := range tests {
		h := sessiontest.New(t, testMetadata())
		h.Session.SSECompleted(t.Context(), session.SSECompleted{Err: errors.New(tt.in)})
		if got := sessiontest.LogAttrs(t, h.Log(t, session.EventSSE))["error.message"]; got != tt.want {
			t.Errorf("%q: error.message %q, want %q", tt.in, got, tt.want)
		}
	}
}
