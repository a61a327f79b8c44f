package httpmw_test

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/httpmw"
)

// echoServer answers /ok with 200, /created with 201 and the request body, anything else with 404, and
// hands each request's headers to seen.
func echoServer(t *testing.T, seen chan<- http.Header) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			seen <- r.Header.Clone()
		}
		switch r.URL.Path {
		case "/ok":
			_, _ = io.WriteString(w, "ok")
		case "/created":
			b, _ := io.ReadAll(r.Body)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestTransportSideBySideWithOtelhttp sends the same requests through otelhttp.NewTransport and
// httpmw.Transport and compares client spans and metrics. Documented differences: the span name is
// "{method}" (otelhttp: "HTTP {method}"), and url.full has its query values redacted.
func TestTransportSideBySideWithOtelhttp(t *testing.T) {
	srv := echoServer(t, nil)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	cases := []struct {
		name, method, url, body string
		wantErr                 bool
	}{
		{"ok", "GET", srv.URL + "/ok", "", false},
		{"with body", "POST", srv.URL + "/created", "payload", false},
		{"not found", "GET", srv.URL + "/missing", "", false},
		{"connection refused", "GET", closedURL + "/ok", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			theirs, ours := newRecorder(t), newRecorder(t)
			prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
			clients := []*http.Client{
				{Transport: otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(theirs.tp),
					otelhttp.WithMeterProvider(theirs.mp), otelhttp.WithPropagators(prop))},
				{Transport: httpmw.Transport(http.DefaultTransport, ours.opts()...)},
			}
			for _, cl := range clients {
				var body io.Reader
				if c.body != "" {
					body = strings.NewReader(c.body)
				}
				req, err := http.NewRequestWithContext(t.Context(), c.method, c.url, body)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := cl.Do(req)
				if (err != nil) != c.wantErr {
					t.Fatalf("error %v, want error %v", err, c.wantErr)
				}
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
			}
			ts, os := theirs.only(t), ours.only(t)
			if ts.Name() != "HTTP "+c.method || os.Name() != c.method {
				t.Errorf("names: otelhttp %q, httpmw %q", ts.Name(), os.Name())
			}
			if ts.SpanKind() != trace.SpanKindClient || os.SpanKind() != trace.SpanKindClient {
				t.Errorf("kinds %v %v", ts.SpanKind(), os.SpanKind())
			}
			if ts.Status().Code != os.Status().Code {
				t.Errorf("status: otelhttp %v, httpmw %v", ts.Status(), os.Status())
			}
			compareAttrs(t, "client span", attrMap(ts.Attributes()), attrMap(os.Attributes()), nil, nil)

			rt, ro := theirs.collect(t), ours.collect(t)
			for _, name := range []string{"http.client.request.duration", "http.client.request.body.size"} {
				tp, op := histSets(t, rt, name), histSets(t, ro, name)
				if len(tp) != 1 || len(op) != 1 {
					t.Fatalf("%s: otelhttp has %d attribute sets, httpmw %d, want 1 each", name, len(tp), len(op))
				}
				for k, a := range tp {
					b, ok := op[k]
					if !ok || a.count != b.count || (name != "http.client.request.duration" && a.sum != b.sum) {
						t.Errorf("%s: otelhttp %v (%d, %v), httpmw %v", name, setMap(a.attrs), a.count, a.sum, op)
					}
				}
			}
		})
	}
}

// TestTransportURLRedaction checks url.full: userinfo and fragment removed always, query values and
// parts without a value redacted by default.
func TestTransportURLRedaction(t *testing.T) {
	srv := echoServer(t, nil)
	for _, c := range []struct {
		name string
		opts []httpmw.Option
		want string
	}{
		{"default", nil, "/ok?token=REDACTED&page=REDACTED&REDACTED"},
		{"without redaction", []httpmw.Option{httpmw.WithoutQueryRedaction()}, "/ok?token=s3cret&page=2&SECRET"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			cl := &http.Client{Transport: httpmw.Transport(nil, rec.opts(c.opts...)...)}
			u := strings.Replace(srv.URL, "http://", "http://user:pass@", 1) + "/ok?token=s3cret&page=2&SECRET#access_token=t0ken"
			resp, err := cl.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			got := attrMap(rec.only(t).Attributes())["url.full"]
			if got != srv.URL+c.want {
				t.Errorf("url.full %q, want %q", got, srv.URL+c.want)
			}
		})
	}
}

// TestTransportPropagation checks that the transport injects the client span's context, with the
// provider's configured tracestate members, and does not modify the caller's request.
func TestTransportPropagation(t *testing.T) {
	seen := make(chan http.Header, 1)
	srv := echoServer(t, seen)
	mem := otelkit.NewMemory()
	p, err := otelkit.NewProvider(otelkit.Settings{
		Traces:     otelkit.InMemory(mem),
		TraceState: map[string]map[string]string{"acme": {"tenant": "t1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })

	cl := &http.Client{Transport: httpmw.Transport(nil, httpmw.WithProvider(p))}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/ok", nil)
	req.Header.Set("X-Keep", "1")
	before := req.Header.Clone()
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	h := <-seen

	spans := mem.Spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	sc := spans[0].SpanContext
	want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
	if got := h.Get("Traceparent"); got != want {
		t.Errorf("traceparent %q, want %q", got, want)
	}
	if got := h.Get("Tracestate"); got != "acme=tenant:t1" {
		t.Errorf("tracestate %q, want acme=tenant:t1", got)
	}
	if h.Get("X-Keep") != "1" {
		t.Errorf("request header lost: %v", h)
	}
	if !maps.EqualFunc(req.Header, before, func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }) {
		t.Errorf("the caller's request headers were modified: %v", req.Header)
	}
}

// TestTransportSpanLifetime checks that the client span ends when the body is closed, not before, and
// that 4xx responses are errors on client spans.
func TestTransportSpanLifetime(t *testing.T) {
	srv := echoServer(t, nil)
	rec := newRecorder(t)
	cl := &http.Client{Transport: httpmw.Transport(nil, rec.opts()...)}
	resp, err := cl.Get(srv.URL + "/missing")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.ended()); n != 0 {
		t.Fatalf("%d spans ended before the body was closed", n)
	}
	_ = resp.Body.Close()
	s := rec.only(t)
	if s.Status().Code != codes.Error {
		t.Errorf("status %v on a 404, want Error", s.Status())
	}
	if a := attrMap(s.Attributes()); a["error.type"] != "404" || a["http.response.status_code"] != "404" {
		t.Errorf("attributes %v", a)
	}
}
