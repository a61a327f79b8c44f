package httpmw_test

import (
	"crypto/tls"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/httpmw"
)

// Attributes httpmw records that otelhttp v0.72 does not (documented in the package doc). Everything
// else must be equal.
var (
	// On server spans: http.route once the mux has matched (otelhttp only records it when known at the
	// start), error.type for 5xx responses.
	addedServerSpanAttrs = []string{"http.route", "error.type"}
	// On server metrics: error.type for 5xx responses.
	addedServerMetricAttrs = []string{"error.type"}
	// Left out of server metrics unless WithServerName configures them: otelhttp takes them from the Host
	// header, which lets any client create metric series.
	removedServerMetricAttrs = []string{"server.address", "server.port"}
)

func sideBySideMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", okHandler)
	mux.HandleFunc("POST /users", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(b)
	})
	mux.HandleFunc("/fail", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/denied", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusUnauthorized)
	})
	mux.HandleFunc("/empty", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/any/{x}", okHandler)
	return mux
}

type sideCase struct {
	name string
	req  func() *http.Request
}

var sideCases = []sideCase{
	{"get with user agent and query", func() *http.Request {
		r := httptest.NewRequest("GET", "/users/42?q=1", nil)
		r.Header.Set("User-Agent", "side-by-side/1.0")
		return r
	}},
	{"post with body", func() *http.Request {
		return httptest.NewRequest("POST", "/users", strings.NewReader(`{"name":"ada"}`))
	}},
	{"server error", func() *http.Request { return httptest.NewRequest("GET", "/fail", nil) }},
	{"client error", func() *http.Request { return httptest.NewRequest("GET", "/denied", nil) }},
	{"nothing written", func() *http.Request { return httptest.NewRequest("GET", "/empty", nil) }},
	{"not found", func() *http.Request { return httptest.NewRequest("GET", "/missing", nil) }},
	{"lower-case method", func() *http.Request { return httptest.NewRequest("get", "/any/1", nil) }},
	{"unknown method", func() *http.Request { return httptest.NewRequest("PURGE", "/any/1", nil) }},
	{"forwarded client", func() *http.Request {
		r := httptest.NewRequest("GET", "/any/2", nil)
		r.Header.Set("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
		return r
	}},
	{"tls on a non-default port, HTTP/2", func() *http.Request {
		r := httptest.NewRequest("GET", "https://example.com:8443/any/3", nil)
		r.TLS = &tls.ConnectionState{}
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
		return r
	}},
	{"ipv6 peer and remote parent", func() *http.Request {
		r := httptest.NewRequest("GET", "/any/4", nil)
		r.RemoteAddr = "[2001:db8::1]:5555"
		r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		return r
	}},
}

// TestSideBySideWithOtelhttp serves the same requests through otelhttp.NewHandler and httpmw.New, each
// recording into its own providers, and compares span names, statuses and attributes, and the metric
// attribute sets, counts, sums and buckets; once with the Host header as server.address, once with a
// configured server name (then the metric attribute sets are equal too, server.address included).
func TestSideBySideWithOtelhttp(t *testing.T) {
	for _, server := range []string{"", "api.example.com:9443"} {
		for _, c := range sideCases {
			t.Run(c.name+" server "+server, func(t *testing.T) { sideBySide(t, c, server) })
		}
	}
}

func sideBySide(t *testing.T, c sideCase, server string) {
	theirs, ours := newRecorder(t), newRecorder(t)
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	removed := removedServerMetricAttrs
	oopts := []otelhttp.Option{otelhttp.WithTracerProvider(theirs.tp),
		otelhttp.WithMeterProvider(theirs.mp), otelhttp.WithPropagators(prop)}
	var mopts []httpmw.Option
	if server != "" {
		oopts = append(oopts, otelhttp.WithServerName(server))
		mopts = append(mopts, httpmw.WithServerName(server))
		removed = nil
	}
	oh := otelhttp.NewHandler(sideBySideMux(), "server", oopts...)
	mh := httpmw.New(ours.opts(mopts...)...)(sideBySideMux())
	wt, wo := serve(oh, c.req()), serve(mh, c.req())
	if wt.Code != wo.Code || wt.Body.String() != wo.Body.String() {
		t.Fatalf("responses differ: otelhttp %d %q, httpmw %d %q", wt.Code, wt.Body, wo.Code, wo.Body)
	}

	ts, os := theirs.only(t), ours.only(t)
	if ts.Name() != os.Name() || ts.SpanKind() != os.SpanKind() || ts.Status() != os.Status() {
		t.Errorf("span differs: otelhttp %q %v %v, httpmw %q %v %v", ts.Name(), ts.SpanKind(), ts.Status(),
			os.Name(), os.SpanKind(), os.Status())
	}
	if !ts.Parent().Equal(os.Parent()) {
		t.Errorf("parent differs: otelhttp %v, httpmw %v", ts.Parent(), os.Parent())
	}
	compareAttrs(t, "span", attrMap(ts.Attributes()), attrMap(os.Attributes()), addedServerSpanAttrs, nil)
	checkAdditions(t, os, wo.Code)

	rt, ro := theirs.collect(t), ours.collect(t)
	for _, name := range []string{"http.server.request.duration", "http.server.request.body.size",
		"http.server.response.body.size"} {
		tp, op := histSets(t, rt, name), histSets(t, ro, name)
		if len(tp) != 1 || len(op) != 1 {
			t.Fatalf("%s: otelhttp has %d attribute sets, httpmw %d, want 1 each", name, len(tp), len(op))
		}
		var a, b histPoint
		for _, p := range tp {
			a = p
		}
		for _, p := range op {
			b = p
		}
		compareAttrs(t, name, setMap(a.attrs), setMap(b.attrs), addedServerMetricAttrs, removed)
		if a.count != b.count || !slices.Equal(a.bounds, b.bounds) {
			t.Errorf("%s: otelhttp count %d bounds %v, httpmw count %d bounds %v", name, a.count, a.bounds,
				b.count, b.bounds)
		}
		if name != "http.server.request.duration" && a.sum != b.sum {
			t.Errorf("%s: otelhttp sum %v, httpmw sum %v", name, a.sum, b.sum)
		}
	}
}

// compareAttrs fails unless theirs and ours are equal once the documented additions are removed from ours
// and the documented removals from theirs.
func compareAttrs(t *testing.T, what string, theirs, ours map[string]string, added, removed []string) {
	t.Helper()
	ours, theirs = maps.Clone(ours), maps.Clone(theirs)
	for _, k := range added {
		if _, ok := theirs[k]; !ok {
			delete(ours, k)
		}
	}
	for _, k := range removed {
		if _, ok := ours[k]; !ok {
			delete(theirs, k)
		}
	}
	if !maps.Equal(theirs, ours) {
		t.Errorf("%s attributes differ\notelhttp: %v\nhttpmw:   %v", what, theirs, ours)
	}
}

// checkAdditions checks the values of the documented additions on our span.
func checkAdditions(t *testing.T, s sdktrace.ReadOnlySpan, code int) {
	t.Helper()
	a := attrMap(s.Attributes())
	if code >= 500 {
		if a["error.type"] != "500" {
			t.Errorf("error.type %q on a %d response, want \"500\"", a["error.type"], code)
		}
	} else if _, ok := a["error.type"]; ok {
		t.Errorf("error.type %q on a %d response", a["error.type"], code)
	}
	if code != http.StatusNotFound && a["http.route"] == "" {
		t.Errorf("no http.route on the span: %v", a)
	}
}
