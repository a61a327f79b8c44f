package httpmw_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// The middleware on a chi router: the span is named after the route template, not the path.
func Example() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	r := chi.NewRouter()
	r.Use(httpmw.New(httpmw.WithProvider(p)))
	r.Route("/api", func(r chi.Router) {
		r.Get("/users/{id}", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	})

	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/users/42", nil))
	for _, s := range mem.Spans() {
		fmt.Println(s.Name)
	}
	// Output: GET /api/users/{id}
}

// Wrapping a net/http ServeMux: the route comes from the mux pattern, without its method.
func ExampleNew_serveMux() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(http.ResponseWriter, *http.Request) {})
	h := httpmw.New(httpmw.WithProvider(p))(mux)

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/9", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/nowhere", nil))
	for _, s := range mem.Spans() {
		fmt.Println(s.Name)
	}
	// Output:
	// GET /items/{id}
	// GET
}

// Handlers find the request's session in its context.
func ExampleWithSessionResolver() {
	resolver := session.NewResolver(session.NewFactory())
	h := httpmw.New(httpmw.WithSessionResolver(resolver))(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		fmt.Println("session:", session.FromContext(r.Context()).Metadata().SessionID)
	}))

	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Session-Id", "sess-42")
	h.ServeHTTP(httptest.NewRecorder(), req)
	// Output: session: sess-42
}

// A public endpoint does not continue the caller's trace: it starts a new one linked to it.
func ExampleWithPolicy() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	h := httpmw.New(httpmw.WithProvider(p), httpmw.WithPolicy(propagation.TrustNone()))(http.NotFoundHandler())
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	h.ServeHTTP(httptest.NewRecorder(), req)

	s := mem.Spans()[0]
	fmt.Println("root:", !s.Parent.IsValid())
	fmt.Println("linked to:", s.Links[0].SpanContext.TraceID())
	// Output:
	// root: true
	// linked to: 4bf92f3577b34da6a3ce929d0e0e4736
}

// roundTripFunc is an in-memory RoundTripper, so the example needs no network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The client transport records a client span and propagates its context. Query values are redacted in
// url.full.
func ExampleTransport() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		fmt.Println("traceparent sent:", r.Header.Get("Traceparent") != "")
		return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", Body: http.NoBody, Request: r}, nil
	})
	client := &http.Client{Transport: httpmw.Transport(base, httpmw.WithProvider(p))}
	resp, err := client.Get("https://api.example.com/search?q=secret")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = resp.Body.Close()

	s := mem.Spans()[0]
	fmt.Println(s.Name, s.SpanKind)
	for _, a := range s.Attributes {
		if a.Key == "url.full" {
			fmt.Println(a.Value.AsString())
		}
	}
	// Output:
	// traceparent sent: true
	// GET client
	// https://api.example.com/search?q=REDACTED
}

// Sending the W3C traceresponse header, so that callers can look their request up.
func ExampleWithTraceResponseHeader() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	h := httpmw.New(httpmw.WithProvider(p), httpmw.WithTraceResponseHeader())(http.NotFoundHandler())
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Header().Get("Traceresponse")[:35])
	// Output: 00-4bf92f3577b34da6a3ce929d0e0e4736
}
