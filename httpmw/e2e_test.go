package httpmw_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/otlptest"
)

// TestEndToEnd sends a request to a frontend server that calls a backend server through the client
// transport, both instrumented, and checks on a real OTLP/HTTP receiver that the three spans form one
// trace: frontend server span → client span → backend server span, plus the metrics.
func TestEndToEnd(t *testing.T) {
	collector := otlptest.NewServer(t)
	p, err := otelkit.NewProvider(otelkit.Settings{
		ServiceName: "e2e",
		Traces:      otelkit.OTLP(collector.HTTPURL()),
		Metrics:     otelkit.OTLP(collector.HTTPURL()),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	mw := httpmw.New(httpmw.WithProvider(p))

	backendRouter := chi.NewRouter()
	backendRouter.Use(mw)
	backendRouter.Get("/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "order "+chi.URLParam(r, "id"))
	})
	backend := httptest.NewServer(backendRouter)
	t.Cleanup(backend.Close)

	client := &http.Client{Transport: httpmw.Transport(nil, httpmw.WithProvider(p))}
	t.Cleanup(client.CloseIdleConnections)
	frontendRouter := chi.NewRouter()
	frontendRouter.Use(mw)
	frontendRouter.Get("/checkout/{id}", func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), "GET", backend.URL+"/orders/"+chi.URLParam(r, "id"), nil)
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		_, _ = io.Copy(w, resp.Body)
	})
	frontend := httptest.NewServer(frontendRouter)
	t.Cleanup(frontend.Close)

	resp, err := frontend.Client().Get(frontend.URL + "/checkout/7")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(body) != "order 7" {
		t.Fatalf("body %q", body)
	}
	frontend.Close() // the server spans end before the servers close
	backend.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}

	spans := collector.WaitSpans(t, 3, 10*time.Second)
	byName := map[string]otlptest.Span{}
	for _, s := range spans {
		byName[s.Span.GetName()] = s
	}
	front, call, back := byName["GET /checkout/{id}"], byName["GET"], byName["GET /orders/{id}"]
	if front.Span == nil || call.Span == nil || back.Span == nil || len(spans) != 3 {
		t.Fatalf("spans %v", keys(byName))
	}
	if front.TraceID() != call.TraceID() || call.TraceID() != back.TraceID() {
		t.Errorf("trace ids %s %s %s, want one trace", front.TraceID(), call.TraceID(), back.TraceID())
	}
	if front.ParentSpanID() != "" {
		t.Errorf("the frontend span has parent %s, want a root", front.ParentSpanID())
	}
	if call.ParentSpanID() != front.SpanID() || back.ParentSpanID() != call.SpanID() {
		t.Errorf("parents: client %s (want %s), backend %s (want %s)", call.ParentSpanID(), front.SpanID(),
			back.ParentSpanID(), call.SpanID())
	}
	if got := back.Attrs()["http.route"]; got != "/orders/{id}" {
		t.Errorf("backend http.route %v", got)
	}
	if got := call.Attrs()["url.full"]; got != backend.URL+"/orders/7" {
		t.Errorf("client url.full %v", got)
	}
	if back.Scope.GetName() != httpmw.ScopeName || back.Scope.GetVersion() != httpmw.Version {
		t.Errorf("scope %s %s", back.Scope.GetName(), back.Scope.GetVersion())
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	server := collector.WaitMetrics(t, "http.server.request.duration", 10*time.Second)
	last := server[len(server)-1] // cumulative: the last export has everything
	var routes []string
	for _, a := range last.PointAttrs() {
		routes = append(routes, fmt.Sprint(a["http.route"], " ", a["http.response.status_code"]))
	}
	slices.Sort(routes)
	if want := []string{"/checkout/{id} 200", "/orders/{id} 200"}; !slices.Equal(routes, want) {
		t.Errorf("server duration points %v, want %v", routes, want)
	}
	if last.HistogramCount() != 2 {
		t.Errorf("server duration count %d, want 2", last.HistogramCount())
	}
	clientM := collector.WaitMetrics(t, "http.client.request.duration", 10*time.Second)
	if c := clientM[len(clientM)-1]; c.HistogramCount() != 1 || len(c.PointAttrs()) != 1 ||
		c.PointAttrs()[0]["http.response.status_code"] != int64(200) {
		t.Errorf("client duration: count %d, points %v", c.HistogramCount(), c.PointAttrs())
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
