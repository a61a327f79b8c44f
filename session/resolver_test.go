package session_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/session"
)

func enrich(_ context.Context, md *session.Metadata) {
	md.AccountID, md.AuthMode, md.LogUserPrompts = "acct-7", "Chatgpt", true
}

func TestResolverFromHTTP(t *testing.T) {
	r := session.NewResolver(session.NewFactory(), session.WithEnrich(enrich))
	req := httptest.NewRequest("POST", "/v1/chat", nil)
	req.Header.Set("X-Session-Id", "  sess-1 ")
	req.Header.Set("x-session-model", "gpt-5")
	req.Header.Set("X-Session-Slug", "gpt-5-codex")
	req.Header.Set("X-Session-Originator", "codex vscode")
	req.Header.Set("X-Session-Source", "vscode")
	req.Header.Set("X-Session-Terminal", "vscode-term")
	req.Header.Set("X-Session-App-Version", "1.0.0")
	// Never taken from the client.
	req.Header.Set("X-Session-Account-Id", "spoofed")
	s := r.FromHTTP(req)
	want := session.Metadata{
		SessionID: "sess-1", Model: "gpt-5", Slug: "gpt-5-codex", Originator: "codex_vscode",
		SessionSource: "vscode", TerminalType: "vscode-term", AppVersion: "1.0.0",
		AccountID: "acct-7", AuthMode: "Chatgpt", LogUserPrompts: true,
	}
	if got := s.Metadata(); got != want {
		t.Errorf("metadata\n got %+v\nwant %+v", got, want)
	}
	if r.Factory() == nil {
		t.Error("Factory() is nil")
	}
}

func TestResolverFromGRPCAndMap(t *testing.T) {
	r := session.NewResolver(nil, session.WithKeys(session.Keys{SessionID: "Session-Id", Model: "Model"}))
	ctx := metadata.NewIncomingContext(t.Context(), metadata.Pairs("session-id", "g-1", "model", "o3"))
	if got := r.FromGRPC(ctx).Metadata(); got.SessionID != "g-1" || got.Model != "o3" {
		t.Errorf("gRPC metadata %+v", got)
	}
	got := r.FromMap(t.Context(), map[string]string{"Session-Id": "m-1", "Model": "o4", "X-Session-Slug": "ignored"})
	if md := got.Metadata(); md.SessionID != "m-1" || md.Model != "o4" || md.Slug != "" {
		t.Errorf("map metadata %+v", md)
	}
	if s := r.FromGRPC(t.Context()); s != nil {
		t.Error("gRPC call without metadata has a session")
	}
}

func TestResolverMissingIDGivesNoSession(t *testing.T) {
	called := false
	r := session.NewResolver(nil, session.WithEnrich(func(context.Context, *session.Metadata) { called = true }))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Session-Model", "gpt-5")
	if s := r.FromHTTP(req); s != nil {
		t.Error("request without a session id has a session")
	}
	req.Header.Set("X-Session-Id", " \t\x01 ")
	if s := r.FromHTTP(req); s != nil {
		t.Error("blank session id gives a session")
	}
	if s := r.FromMap(t.Context(), nil); s != nil {
		t.Error("nil map gives a session")
	}
	if s := r.FromMetadata(t.Context(), session.Metadata{Model: "x"}); s != nil {
		t.Error("metadata without id gives a session")
	}
	if called {
		t.Error("enrich ran without a session id")
	}
	var nilR *session.Resolver
	if nilR.FromHTTP(req) != nil || nilR.FromGRPC(t.Context()) != nil || nilR.FromMap(t.Context(), nil) != nil ||
		nilR.FromMetadata(t.Context(), session.Metadata{SessionID: "x"}) != nil || nilR.Factory() != nil {
		t.Error("nil resolver returned a session")
	}
	if r.FromHTTP(nil) != nil {
		t.Error("nil request returned a session")
	}
}

func TestResolverBoundsAndCleansValues(t *testing.T) {
	r := session.NewResolver(nil)
	tests := []struct {
		name, in, want string
	}{
		{name: "control characters", in: "a\x00b\x1bc\x7fd\r\ne", want: "abcde"},
		{name: "c1 and format characters", in: "x\u0085y\u202ez\u200bw", want: "xyzw"},
		{name: "invalid utf8", in: "ok\xff\xfe!", want: "ok!"},
		{name: "unicode kept", in: "héllo wörld", want: "héllo wörld"},
		{name: "oversized ascii", in: strings.Repeat("a", 5000), want: strings.Repeat("a", 256)},
		// 255 ASCII bytes then a 2-byte rune straddling the limit: cut before the rune.
		{name: "oversized at rune boundary", in: strings.Repeat("a", 255) + "é" + "zzz", want: strings.Repeat("a", 255)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := r.FromMap(t.Context(), map[string]string{"X-Session-Id": "id", "X-Session-Model": tt.in})
			got := s.Metadata().Model
			if got != tt.want {
				t.Errorf("model = %q (%d bytes), want %q", got, len(got), tt.want)
			}
			if !utf8.ValidString(got) || len(got) > 256 {
				t.Errorf("model %q is not bounded valid UTF-8", got)
			}
		})
	}
}
