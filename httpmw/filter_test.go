package httpmw_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"

	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// TestFilters checks the health paths (default and replaced) and WithFilter: filtered requests are served
// with no span and no metrics.
func TestFilters(t *testing.T) {
	noAdmin := func(r *http.Request) bool { return !strings.HasPrefix(r.URL.Path, "/admin") }
	noHead := func(r *http.Request) bool { return r.Method != http.MethodHead }
	for _, c := range []struct {
		name         string
		opts         []httpmw.Option
		instrumented []string // "METHOD path" of the requests below that get a span
	}{
		{"defaults", nil, []string{"GET /ping", "GET /admin/x", "GET /work", "HEAD /work"}},
		{"health paths replaced", []httpmw.Option{httpmw.WithHealthPaths("/ping")},
			[]string{"GET /healthz", "GET /readyz", "GET /livez", "GET /admin/x", "GET /work", "HEAD /work"}},
		{"no health paths", []httpmw.Option{httpmw.WithHealthPaths()},
			[]string{"GET /healthz", "GET /readyz", "GET /livez", "GET /ping", "GET /admin/x", "GET /work", "HEAD /work"}},
		{"filters append", []httpmw.Option{httpmw.WithFilter(noAdmin), httpmw.WithFilter(noHead, nil)},
			[]string{"GET /ping", "GET /work"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			served := 0
			h := httpmw.New(rec.opts(c.opts...)...)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				served++
				okHandler(w, r)
			}))
			paths := []string{"/healthz", "/readyz", "/livez", "/ping", "/admin/x", "/work"}
			for _, p := range paths {
				serve(h, httptest.NewRequest("GET", p, nil))
			}
			serve(h, httptest.NewRequest("HEAD", "/work", nil))
			want := slices.Clone(c.instrumented)
			var got []string
			for _, s := range rec.ended() {
				got = append(got, s.Name()[:strings.IndexByte(s.Name()+" ", ' ')]+" "+attrMap(s.Attributes())["url.path"])
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("instrumented %v, want %v", got, want)
			}
			if served != len(paths)+1 {
				t.Errorf("served %d requests, want %d", served, len(paths)+1)
			}
			var counted uint64
			for _, p := range histSets(t, rec.collect(t), "http.server.request.duration") {
				counted += p.count
			}
			if counted != uint64(len(want)) {
				t.Errorf("metrics counted %d requests, want %d", counted, len(want))
			}
		})
	}
}

// TestSession checks that the resolved session reaches the handler through the request context and its
// id the span (never the metrics), that requests without a session id get none, and that filtered
// requests get their session too.
func TestSession(t *testing.T) {
	rec := newRecorder(t)
	resolver := session.NewResolver(session.NewFactory())
	var got []string
	h := httpmw.New(rec.opts(httpmw.WithSessionResolver(resolver))...)(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if s := session.FromContext(r.Context()); s != nil {
				got = append(got, s.Metadata().SessionID+"/"+s.Metadata().Model)
			} else {
				got = append(got, "none")
			}
			okHandler(w, r)
		}))
	for _, c := range []struct{ path, id string }{{"/a", "s-1"}, {"/b", ""}, {"/healthz", "s-2"}} {
		req := httptest.NewRequest("GET", c.path, nil)
		if c.id != "" {
			req.Header.Set("X-Session-Id", c.id)
			req.Header.Set("X-Session-Model", "m1")
		}
		serve(h, req)
	}
	if want := []string{"s-1/m1", "none", "s-2/m1"}; !slices.Equal(got, want) {
		t.Errorf("handler sessions %v, want %v", got, want)
	}
	spans := rec.ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	if id := attrMap(spans[0].Attributes())["session.id"]; id != "s-1" {
		t.Errorf("session.id %q, want s-1", id)
	}
	if id, ok := attrMap(spans[1].Attributes())["session.id"]; ok {
		t.Errorf("session.id %q on a request without a session", id)
	}
	for _, p := range histSets(t, rec.collect(t), "http.server.request.duration") {
		if _, ok := p.attrs.Value("session.id"); ok {
			t.Errorf("session.id on a metric: %v", setMap(p.attrs))
		}
	}
}

// TestMiddlewareConcurrentSafe serves requests from many goroutines through one middleware (pooled
// state, shared caches) and checks every span and measurement.
func TestMiddlewareConcurrentSafe(t *testing.T) {
	rec := newRecorder(t)
	resolver := session.NewResolver(session.NewFactory())
	h := httpmw.New(rec.opts(httpmw.WithSessionResolver(resolver))...)(sideBySideMux())
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				req := httptest.NewRequest("GET", "/users/"+string(rune('a'+w)), nil)
				req.Header.Set("X-Session-Id", "s")
				if i%2 == 1 {
					req = httptest.NewRequest("GET", "/fail", nil)
				}
				serve(h, req)
			}
		})
	}
	wg.Wait()
	spans := rec.ended()
	if len(spans) != workers*each {
		t.Fatalf("%d spans, want %d", len(spans), workers*each)
	}
	counts := map[string]int{}
	for _, s := range spans {
		counts[s.Name()]++
	}
	if counts["GET /users/{id}"] != workers*(each+1)/2 || counts["GET /fail"] != workers*(each/2) {
		t.Errorf("span names %v", counts)
	}
	var total uint64
	for _, p := range histSets(t, rec.collect(t), "http.server.request.duration") {
		total += p.count
	}
	if total != workers*each {
		t.Errorf("metrics counted %d requests, want %d", total, workers*each)
	}
}

// TestFilteredUntrustedContext checks that a request the filters exclude never gets the client's trace
// context as the parent of the handler's spans when the policy does not trust the peer: the middleware
// does not extract the headers of a filtered request, and a remote span context or baggage an earlier
// middleware put in the context is removed, as for instrumented requests. A trusted peer's context is left
// as it is.
func TestFilteredUntrustedContext(t *testing.T) {
	prop := otelprop.NewCompositeTextMapPropagator(otelprop.TraceContext{}, otelprop.Baggage{})
	// extractFirst is an earlier middleware that extracts the inbound context itself.
	extractFirst := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(prop.Extract(r.Context(), otelprop.HeaderCarrier(r.Header))))
		})
	}
	for _, c := range []struct {
		name    string
		policy  propagation.Policy
		trusted bool
	}{
		{"trust all", propagation.TrustAll(), true},
		{"public endpoint", propagation.TrustNone(), false},
		{"untrusted peer", propagation.TrustPeers(netip.MustParsePrefix("10.0.0.0/8")), false},
		{"trusted peer", propagation.TrustPeers(netip.MustParsePrefix("192.0.2.0/24")), true},
	} {
		for _, earlier := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/extracted earlier %v", c.name, earlier), func(t *testing.T) {
				rec := newRecorder(t)
				tracer := rec.tp.Tracer("handler")
				var bag int
				inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					bag = baggage.FromContext(r.Context()).Len()
					_, span := tracer.Start(r.Context(), "handler work")
					span.End()
					okHandler(w, r)
				})
				var h http.Handler = httpmw.New(rec.opts(httpmw.WithPolicy(c.policy),
					httpmw.WithFilter(func(r *http.Request) bool { return r.URL.Path != "/skip" }))...)(inner)
				if earlier {
					h = extractFirst(h)
				}
				for _, path := range []string{"/healthz", "/skip"} {
					req := httptest.NewRequest("GET", path, nil) // from 192.0.2.1
					req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
					req.Header.Set("Baggage", "tenant=acme")
					serve(h, req)
					spans := rec.ended()
					work := spans[len(spans)-1]
					if len(spans) != 1 || work.Name() != "handler work" {
						t.Fatalf("%s: spans %v, want only the handler's", path, spanNames(spans))
					}
					rec.spans.Reset()
					joined := work.SpanContext().TraceID().String() == "4bf92f3577b34da6a3ce929d0e0e4736"
					if want := c.trusted && earlier; joined != want || (bag == 1) != want {
						t.Errorf("%s: handler span joined the inbound trace %v (parent %v), baggage members %d; want joined %v",
							path, joined, work.Parent(), bag, want)
					}
				}
			})
		}
	}
}
