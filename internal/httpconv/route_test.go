package httpconv

import (
	"testing"

	"github.com/go-chi/chi/v5"
)

func TestJoinChiPatternsMatchesChi(t *testing.T) {
	for _, patterns := range [][]string{
		{"/"}, {"/users/{id}"}, {"/api/*", "/v1/*", "/items/{id}"}, {"/admin/*", "/"}, {"/files/*"},
		{"/api/*", "/v1/*"}, {"/a/*", "/*", "/b"}, {"/a/*", "/*/*", "/b/"}, {}, {"/x//"},
	} {
		rctx := chi.NewRouteContext()
		rctx.RoutePatterns = patterns
		if got, want := JoinChiPatterns(patterns), rctx.RoutePattern(); got != want {
			t.Errorf("JoinChiPatterns(%q) = %q, chi says %q", patterns, got, want)
		}
	}
}

func TestMuxRoute(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "/": "/", "GET /users/{id}": "/users/{id}", "GET example.com/x/{y}": "/x/{y}",
		"example.com/": "/", "/static/": "/static/", "POST /{$}": "/{$}", "GET": "",
	} {
		if got := MuxRoute(in); got != want {
			t.Errorf("MuxRoute(%q) = %q, want %q", in, got, want)
		}
	}
}
