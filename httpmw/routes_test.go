package httpmw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/internal/httpconv"
)

type ctxKey struct{}

// withValue replaces the request, as many middlewares do.
func withValue(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, "v")))
	})
}

// setHeader passes the request on unchanged.
func setHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Layout", "1")
		next.ServeHTTP(w, r)
	})
}

// chiRoutes registers the same routes on any chi router: plain, nested Route, Mount and wildcard routes,
// and a net/http ServeMux mounted inside.
func chiRoutes(r chi.Router) {
	r.Get("/", okHandler)
	r.Get("/users/{id}", okHandler)
	r.Route("/api", func(r chi.Router) {
		r.Route("/v1", func(r chi.Router) {
			r.Get("/items/{id}", okHandler)
		})
	})
	admin := chi.NewRouter()
	admin.Get("/stats/{kind}", okHandler)
	r.Mount("/admin", admin)
	r.Get("/files/*", okHandler)
}

func muxRoutes(mw func(http.Handler) http.Handler) *http.ServeMux {
	if mw == nil {
		mw = func(h http.Handler) http.Handler { return h }
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", mw(http.HandlerFunc(okHandler)))
	mux.Handle("GET /users/{id}", mw(http.HandlerFunc(okHandler)))
	mux.Handle("/static/", mw(http.HandlerFunc(okHandler)))
	mux.Handle("GET example.com/hosted/{x}", mw(http.HandlerFunc(okHandler)))
	api := chi.NewRouter()
	api.Get("/api/things/{id}", okHandler)
	mux.Handle("/api/", mw(api))
	return mux
}

// v2Routes is a ServeMux that serves "/v2/" and "/v3/{rest...}" with a chi router behind
// http.StripPrefix: chi sees the path without the prefix. mw, when set, wraps the StripPrefix handler (inner) or the chi router (use).
func v2Routes(mw func(http.Handler) http.Handler, where string) *http.ServeMux {
	r := chi.NewRouter()
	if where == "use" {
		r.Use(mw)
	}
	r.Get("/things/{id}", okHandler)
	admin := chi.NewRouter()
	admin.Get("/stats/{kind}", okHandler)
	r.Mount("/admin", admin)
	strip := func(prefix string) http.Handler {
		h := http.StripPrefix(prefix, r)
		if where == "inner" {
			h = mw(h)
		}
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/v2/", strip("/v2"))
	mux.Handle("/v3/{rest...}", strip("/v3"))
	mux.HandleFunc("GET /v1/things/{id}", okHandler)
	return mux
}

var v2Cases = []routeCase{
	{"GET", "/v2/things/5", "GET /v2/things/{id}", "/v2/things/{id}"},
	{"GET", "/v2/admin/stats/cpu", "GET /v2/admin/stats/{kind}", "/v2/admin/stats/{kind}"},
	// A 404 inside chi's mounted sub-router: named after the mount, under the ServeMux prefix.
	{"GET", "/v2/admin/nope", "GET /v2/admin/*", "/v2/admin/*"},
	{"GET", "/v3/things/5", "GET /v3/things/{id}", "/v3/things/{id}"},
}

// legacyRoutes is a chi router that mounts a ServeMux at "/legacy" behind http.StripPrefix("/legacy").
func legacyRoutes(mw func(http.Handler) http.Handler, use bool) chi.Router {
	r := chi.NewRouter()
	if use {
		r.Use(mw)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", okHandler)
	mux.HandleFunc("/static/", okHandler)
	r.Mount("/legacy", http.StripPrefix("/legacy", mux))
	r.Get("/users/{id}", okHandler)
	return r
}

// legacyCases is the documented limit again: http.StripPrefix replaces the request, so the ServeMux
// pattern is out of reach and requests are named after chi's mount.
var legacyCases = []routeCase{
	{"GET", "/legacy/things/9", "GET /legacy/*", "/legacy/*"},
	{"GET", "/legacy/static/a.css", "GET /legacy/*", "/legacy/*"},
	{"GET", "/legacy/other", "GET /legacy/*", "/legacy/*"},
	{"GET", "/users/1", "GET /users/{id}", "/users/{id}"},
}

// muxReplacedCases are muxCases served by a ServeMux behind a middleware that replaces the request: the
// documented limit. ServeMux records the pattern only on the request it receives, which the middleware
// never sees, so spans are named "{method}" without http.route (never after the raw path); a chi router
// behind the ServeMux still gives its route, through the routing context the request's context carries.
func muxReplacedCases() []routeCase {
	var out []routeCase
	for _, c := range append(slices.Clone(muxCases), muxMissCases...) {
		if !strings.HasPrefix(c.target, "/api/") {
			m, _ := httpconv.ParseMethod(c.method)
			c.name, c.route = m.SpanName(), ""
		}
		out = append(out, c)
	}
	return out
}

type routeCase struct {
	method, target string
	name, route    string // route "" means no http.route
}

var chiCases = []routeCase{
	{"GET", "/", "GET /", "/"},
	{"GET", "/users/42", "GET /users/{id}", "/users/{id}"},
	{"GET", "/api/v1/items/7", "GET /api/v1/items/{id}", "/api/v1/items/{id}"},
	{"GET", "/admin/stats/cpu", "GET /admin/stats/{kind}", "/admin/stats/{kind}"},
	{"GET", "/files/a/b.txt", "GET /files/*", "/files/*"},
	{"DELETE", "/users/42", "DELETE", ""}, // 405
	{"GET", "/nope", "GET", ""},           // 404
	{"FOO", "/users/42", "HTTP", ""},      // unknown method
	// A 404 inside a mounted sub-router: named after the mount, as chi's RoutePattern reports it.
	{"PATCH", "/api/v1/nope", "PATCH /api/v1/*", "/api/v1/*"},
}

var muxCases = []routeCase{
	{"GET", "/", "GET /{$}", "/{$}"},
	{"GET", "/users/42", "GET /users/{id}", "/users/{id}"},
	{"GET", "/static/css/a.css", "GET /static/", "/static/"},
	{"POST", "/static/x", "POST /static/", "/static/"},
	{"GET", "http://example.com/hosted/1", "GET /hosted/{x}", "/hosted/{x}"},
	{"GET", "/api/things/5", "GET /api/things/{id}", "/api/things/{id}"},
	{"FOO", "/static/x", "HTTP /static/", "/static/"},
}

var muxMissCases = []routeCase{
	{"GET", "/nope", "GET", ""},
	{"DELETE", "/users/42", "DELETE", ""}, // 405
}

// TestRouteNames checks span names and http.route (span and metrics) in every supported layout.
func TestRouteNames(t *testing.T) {
	layouts := []struct {
		name  string
		build func(mw func(http.Handler) http.Handler) http.Handler
		cases []routeCase
	}{
		{"chi Use", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Use(mw)
			chiRoutes(r)
			return r
		}, chiCases},
		{"chi wrapped from outside", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			chiRoutes(r)
			return mw(r)
		}, chiCases},
		{"chi Use then RequestID and WithContext", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Use(mw, middleware.RequestID, withValue)
			chiRoutes(r)
			return r
		}, chiCases},
		{"chi wrapped with RequestID and WithContext between", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			chiRoutes(r)
			return mw(middleware.RequestID(withValue(r)))
		}, chiCases},
		{"chi Use in a sub-router", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Route("/api", func(r chi.Router) {
				r.Use(mw)
				r.Route("/v1", func(r chi.Router) { r.Get("/items/{id}", okHandler) })
			})
			return r
		}, []routeCase{{"GET", "/api/v1/items/7", "GET /api/v1/items/{id}", "/api/v1/items/{id}"}}},
		{"ServeMux mounted in chi", func(mw func(http.Handler) http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Use(mw)
			legacy := http.NewServeMux()
			legacy.HandleFunc("GET /legacy/things/{id}", okHandler)
			r.Mount("/legacy", legacy)
			r.Get("/files/*", okHandler)
			return r
		}, []routeCase{
			{"GET", "/legacy/things/9", "GET /legacy/things/{id}", "/legacy/things/{id}"},
			{"GET", "/legacy/other", "GET /legacy/*", "/legacy/*"}, // the ServeMux found nothing
			{"GET", "/files/x/y", "GET /files/*", "/files/*"},
		}},
		{"ServeMux wrapped from outside", func(mw func(http.Handler) http.Handler) http.Handler {
			return mw(muxRoutes(nil))
		}, append(slices.Clone(muxCases), muxMissCases...)},
		{"ServeMux wrapped with a middleware between", func(mw func(http.Handler) http.Handler) http.Handler {
			return mw(setHeader(muxRoutes(nil)))
		}, append(slices.Clone(muxCases), muxMissCases...)},
		{"ServeMux handlers wrapped", func(mw func(http.Handler) http.Handler) http.Handler {
			return muxRoutes(mw)
		}, muxCases},
		{"ServeMux wrapped with a request-replacing middleware between (documented limit)",
			func(mw func(http.Handler) http.Handler) http.Handler {
				return mw(withValue(muxRoutes(nil)))
			}, muxReplacedCases()},
		{"ServeMux with StripPrefix to chi, wrapped from outside", func(mw func(http.Handler) http.Handler) http.Handler {
			return mw(v2Routes(nil, ""))
		}, append(slices.Clone(v2Cases), routeCase{"GET", "/v1/things/1", "GET /v1/things/{id}", "/v1/things/{id}"},
			routeCase{"GET", "/other", "GET", ""})},
		{"ServeMux with StripPrefix to chi, chi Use", func(mw func(http.Handler) http.Handler) http.Handler {
			return v2Routes(mw, "use")
		}, v2Cases},
		{"ServeMux with StripPrefix to chi, mux handler wrapped", func(mw func(http.Handler) http.Handler) http.Handler {
			return v2Routes(mw, "inner")
		}, v2Cases},
		{"chi mounting StripPrefix to a ServeMux, chi Use (documented limit)", func(mw func(http.Handler) http.Handler) http.Handler {
			return legacyRoutes(mw, true)
		}, legacyCases},
		{"chi mounting StripPrefix to a ServeMux, wrapped from outside (documented limit)", func(mw func(http.Handler) http.Handler) http.Handler {
			return mw(legacyRoutes(nil, false))
		}, legacyCases},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			for _, c := range l.cases {
				t.Run(c.method+" "+c.target, func(t *testing.T) {
					rec := newRecorder(t)
					h := l.build(httpmw.New(rec.opts()...))
					serve(h, httptest.NewRequest(c.method, c.target, nil))

					span := rec.only(t)
					if span.Name() != c.name {
						t.Errorf("span name %q, want %q", span.Name(), c.name)
					}
					got := attrMap(span.Attributes())["http.route"]
					if got != c.route {
						t.Errorf("span http.route %q, want %q", got, c.route)
					}
					want := c.route
					if want == "" {
						want = "-"
					}
					rm := rec.collect(t)
					for _, name := range []string{"http.server.request.duration", "http.server.request.body.size",
						"http.server.response.body.size"} {
						if routes := routesOf(t, rm, name); !slices.Equal(routes, []string{want}) {
							t.Errorf("%s http.route %v, want [%s]", name, routes, want)
						}
					}
				})
			}
		})
	}
}

// TestUnknownMethod checks http.request.method and its _original for methods outside the standard nine.
func TestUnknownMethod(t *testing.T) {
	for _, c := range []struct{ method, want, original string }{
		{"GET", "GET", ""},
		{"get", "GET", "get"},
		{"FOO", "_OTHER", "FOO"},
		{"PROPFIND", "_OTHER", "PROPFIND"},
	} {
		t.Run(c.method, func(t *testing.T) {
			rec := newRecorder(t)
			h := httpmw.New(rec.opts()...)(http.HandlerFunc(okHandler))
			serve(h, httptest.NewRequest(c.method, "/x", nil))
			attrs := attrMap(rec.only(t).Attributes())
			if attrs["http.request.method"] != c.want || attrs["http.request.method_original"] != c.original {
				t.Errorf("method %q original %q, want %q %q", attrs["http.request.method"],
					attrs["http.request.method_original"], c.want, c.original)
			}
			for _, p := range histSets(t, rec.collect(t), "http.server.request.duration") {
				if v, _ := p.attrs.Value(attribute.Key("http.request.method")); v.AsString() != c.want {
					t.Errorf("metric method %q, want %q", v.AsString(), c.want)
				}
			}
		})
	}
}
