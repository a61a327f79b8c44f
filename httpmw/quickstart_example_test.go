package httpmw_test

import (
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/httpmw"
	"github.com/otelkit/otelkit/session"
)

// A chi API with spans named after route templates, semconv HTTP metrics and per-request sessions
// (compile-only: it serves on a port).
func Example_chi() {
	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "api", Traces: otelkit.OTLP("http://collector:4318")})
	if err != nil {
		log.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(httpmw.New(httpmw.WithProvider(p), httpmw.WithSessionResolver(session.NewResolver(nil))))
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Event(r.Context(), "user.viewed", nil, nil) // span "GET /users/{id}"
	})
	client := &http.Client{Transport: httpmw.Transport(nil, httpmw.WithProvider(p))} // propagates W3C context
	_ = client
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", r))
}
