package httpmw_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// hostileGen generates malformed and oversized trace context and baggage values from a fixed seed.
type hostileGen struct{ r *rand.Rand }

const hostileChars = "0123456789abcdefABCDEF-=,;:%/ \t\x00\x01\x7f\xff\"'\\é😀{}[]"

func (g hostileGen) junk(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(hostileChars[g.r.IntN(len(hostileChars))])
	}
	return b.String()
}

func (g hostileGen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g hostileGen) traceparent() string {
	valid := "00-" + g.hex(32) + "-" + g.hex(16) + "-01"
	switch g.r.IntN(10) {
	case 0:
		return g.junk(g.r.IntN(200))
	case 1: // one character changed
		b := []byte(valid)
		b[g.r.IntN(len(b))] = hostileChars[g.r.IntN(len(hostileChars))]
		return string(b)
	case 2:
		return valid[:g.r.IntN(len(valid))]
	case 3:
		return "ff" + valid[2:]
	case 4:
		return "00-" + strings.Repeat("0", 32) + "-" + g.hex(16) + "-01"
	case 5:
		return strings.ToUpper(valid)
	case 6:
		return valid + "-" + g.junk(g.r.IntN(50))
	case 7:
		return strings.Repeat(valid, 1+g.r.IntN(2000))
	case 8:
		return "01-" + g.hex(32) + "-" + g.hex(16) + "-" + g.hex(2) + "-" + g.junk(10)
	default:
		return valid
	}
}

func (g hostileGen) tracestate() string {
	switch g.r.IntN(6) {
	case 0:
		return g.junk(g.r.IntN(1000))
	case 1: // too many members
		parts := make([]string, 30+g.r.IntN(200))
		for i := range parts {
			parts[i] = "k" + g.hex(4) + "=" + g.hex(8)
		}
		return strings.Join(parts, ",")
	case 2: // oversized value
		return "vendor=" + strings.Repeat("x", 256+g.r.IntN(100000))
	case 3: // duplicates and empty members
		return "a=1,,a=2, ,b=" + g.junk(5)
	case 4:
		return "UPPER=1,@bad=2,ok=3"
	default:
		return "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"
	}
}

func (g hostileGen) baggage() string {
	switch g.r.IntN(6) {
	case 0:
		return g.junk(g.r.IntN(2000))
	case 1: // too many members
		parts := make([]string, 65+g.r.IntN(5000))
		for i := range parts {
			parts[i] = "k" + g.hex(6) + "=v"
		}
		return strings.Join(parts, ",")
	case 2: // oversized
		return "big=" + strings.Repeat("v", 8193+g.r.IntN(200000))
	case 3: // bad escapes and properties
		return "a=%zz;;;=,b=%,=c;p=%G1"
	case 4:
		return "k=" + g.junk(30) + ";" + g.junk(30)
	default:
		return "tenant=acme,user=42;prop=1"
	}
}

// TestHostileHeaders serves 1,000 requests with malformed, oversized or repeated traceparent, tracestate
// and baggage headers, generated from a fixed seed, under each trust policy: every one must be answered
// 200, without a panic, with a server span whose parent (if any) really came from the request, and with
// bounded baggage in the handler.
func TestHostileHeaders(t *testing.T) {
	g := hostileGen{r: rand.New(rand.NewPCG(6, 1000))}
	policies := []propagation.Policy{propagation.TrustAll(), propagation.TrustNone()}
	recs := make([]*recorder, len(policies))
	handlers := make([]http.Handler, len(policies))
	for i, p := range policies {
		recs[i] = newRecorder(t)
		handlers[i] = httpmw.New(recs[i].opts(httpmw.WithPolicy(p))...)(http.HandlerFunc(
			func(w http.ResponseWriter, r *http.Request) {
				if n := baggage.FromContext(r.Context()).Len(); n > 64 {
					t.Errorf("handler sees %d baggage members", n)
				}
				if !trace.SpanContextFromContext(r.Context()).IsValid() {
					t.Error("handler context has no valid span")
				}
				okHandler(w, r)
			}))
	}
	const n = 1000
	for i := range n {
		req := httptest.NewRequest("GET", "/x", nil)
		for range 1 + g.r.IntN(3) {
			req.Header.Add("Traceparent", g.traceparent())
		}
		for range g.r.IntN(3) {
			req.Header.Add("Tracestate", g.tracestate())
		}
		for range g.r.IntN(3) {
			req.Header.Add("Baggage", g.baggage())
		}
		p := i % len(policies)
		w := serve(handlers[p], req)
		if w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i, w.Code)
		}
		spans := recs[p].ended()
		s := spans[len(spans)-1]
		if parent := s.Parent(); parent.IsValid() {
			if p != 0 {
				t.Fatalf("request %d: a public endpoint span has parent %v", i, parent)
			}
			if !strings.Contains(strings.Join(req.Header.Values("Traceparent"), " "), parent.TraceID().String()) {
				t.Fatalf("request %d: parent %v is not from the request", i, parent)
			}
		}
	}
	if got := len(recs[0].ended()) + len(recs[1].ended()); got != n {
		t.Errorf("%d spans, want %d", got, n)
	}
}

// Bounds the middleware keeps attribute values from request headers within (see internal/httpconv).
const (
	maxSpanValueLen   = 2048 // url.path; user_agent.original is shorter still
	maxMetricValueLen = 255  // server.address, the longest string a metric attribute can take from a request
	maxMetricSeries   = 8    // the requests below reach one route with at most a few statuses
)

// TestHostileRequestAttributes serves requests with huge or invalid Host, User-Agent, X-Forwarded-For,
// session headers, paths and methods, and thousands of distinct valid Host headers: every span attribute
// stays bounded, metric attributes never carry the Host header (only a configured server name), and the
// number of metric series stays that of the routes, methods and statuses.
func TestHostileRequestAttributes(t *testing.T) {
	huge := strings.Repeat("h", 900_000)
	hosts := []string{huge, huge + ":8080", "bad host/\x00\u00e9", "[" + huge + "]:443", "[::1%" + huge + "]",
		"example.com:" + huge, "a..b-" + strings.Repeat("x", 300)}
	longPath := "/items/" + strings.Repeat("\u00e9", 500_000)
	longMethod := "X" + strings.Repeat("Y", 100_000)
	longAgent := strings.Repeat("\u00e9", 300_000) + "agent"
	longXFF := huge + ", 10.0.0.1"
	longSession := "s" + huge
	hostile := func(i int) *http.Request {
		req := httptest.NewRequest("GET", "/items/1", nil)
		switch i % 3 {
		case 0:
			req.Host = hosts[(i/3)%len(hosts)]
		case 1:
			req.URL.Path = longPath
		case 2:
			req.Method = longMethod
		}
		req.Header.Set("User-Agent", longAgent)
		req.Header.Set("X-Forwarded-For", longXFF)
		req.Header.Set("X-Session-Id", longSession)
		req.Header.Set("X-Session-Model", huge)
		req.Header.Set("X-Session-Originator", huge)
		return req
	}
	// Many distinct well-formed hosts: each would be a metric series if server.address came from Host.
	distinct := func(i int) *http.Request {
		req := httptest.NewRequest("GET", "/items/1", nil)
		req.Host = "tenant" + strings.Repeat("x", i%200) + string(rune('a'+i%26)) + ".example.com"
		return req
	}
	for _, c := range []struct {
		name       string
		serverName string
	}{{"host header", ""}, {"configured server name", "api.example.com:8443"}} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			mux := http.NewServeMux()
			mux.HandleFunc("/items/{id}", okHandler)
			var opts []httpmw.Option
			if c.serverName != "" {
				opts = append(opts, httpmw.WithServerName(c.serverName))
			}
			h := httpmw.New(rec.opts(append(opts,
				httpmw.WithSessionResolver(session.NewResolver(session.NewFactory())))...)...)(mux)
			const n = 3000
			for i := range n {
				req := distinct(i)
				if i%3 == 0 {
					req = hostile(i)
				}
				if w := serve(h, req); w.Code != http.StatusOK && w.Code != http.StatusMethodNotAllowed {
					t.Fatalf("request %d: status %d", i, w.Code)
				}
			}
			spans := rec.ended()
			if len(spans) != n {
				t.Fatalf("%d spans, want %d", len(spans), n)
			}
			for i, s := range spans {
				for _, kv := range s.Attributes() {
					if v := kv.Value.String(); len(v) > maxSpanValueLen {
						t.Fatalf("span %d: %s has %d bytes", i, kv.Key, len(v))
					}
					if kv.Key == "server.address" && c.serverName == "" && (strings.ContainsAny(kv.Value.AsString(), " /\x00") ||
						len(kv.Value.AsString()) > maxMetricValueLen) {
						t.Fatalf("span %d: invalid server.address %q", i, kv.Value.AsString())
					}
				}
			}
			rm := rec.collect(t)
			for _, name := range []string{"http.server.request.duration", "http.server.request.body.size",
				"http.server.response.body.size"} {
				sets := histSets(t, rm, name)
				if len(sets) == 0 || len(sets) > maxMetricSeries {
					t.Errorf("%s: %d series, want 1 to %d", name, len(sets), maxMetricSeries)
				}
				for _, p := range sets {
					for _, kv := range p.attrs.ToSlice() {
						if v := kv.Value.String(); len(v) > maxMetricValueLen {
							t.Fatalf("%s: %s has %d bytes", name, kv.Key, len(v))
						}
					}
					addr, ok := p.attrs.Value("server.address")
					port, portOK := p.attrs.Value("server.port")
					switch {
					case c.serverName == "" && (ok || portOK):
						t.Errorf("%s: server.address %q server.port %v from the Host header", name, addr.AsString(), port)
					case c.serverName != "" && (addr.AsString() != "api.example.com" || port.AsInt64() != 8443):
						t.Errorf("%s: server.address %q server.port %v, want the configured name", name, addr.AsString(), port)
					}
				}
			}
		})
	}
}
