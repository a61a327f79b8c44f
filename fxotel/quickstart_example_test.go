package fxotel_test

import (
	"net"
	"net/http"

	"github.com/go-chi/chi/v5"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit/fxotel"
)

// An fx app: settings from OTEL_* variables, the chi server takes the module's middleware, and the provider
// flushes after the server has drained (compile-only: it serves on a port).
func Example_quickstart() {
	fx.New(
		fxotel.Module, // otelkit.Settings from the graph, or from the OTEL_* variables
		fx.Invoke(func(lc fx.Lifecycle, mw fxotel.HTTPMiddleware) {
			r := chi.NewRouter()
			r.Use(mw) // span "GET /orders/{id}", HTTP metrics, session in the context
			r.Get("/orders/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
			srv := &http.Server{Addr: "127.0.0.1:8080", Handler: r}
			lc.Append(fx.StartStopHook(func() error {
				lis, err := net.Listen("tcp", srv.Addr)
				if err == nil {
					go srv.Serve(lis)
				}
				return err
			}, srv.Shutdown)) // the server drains before fxotel flushes
		}),
	).Run()
}
