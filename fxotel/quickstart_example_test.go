package fxotel_test

import (
	"context"
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
		fxotel.Module,
		fx.Invoke(func(lc fx.Lifecycle, mw fxotel.HTTPMiddleware) {
			r := chi.NewRouter()
			r.Use(mw)
			r.Get("/orders/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
			srv := &http.Server{Addr: "127.0.0.1:8080", Handler: r}
			lc.Append(fx.Hook{
				OnStart: func(context.Context) error {
					lis, err := net.Listen("tcp", srv.Addr)
					if err != nil {
						return err
					}
					go srv.Serve(lis)
					return nil
				},
				OnStop: srv.Shutdown, // drains before fxotel flushes
			})
		}),
	).Run()
}
