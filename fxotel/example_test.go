package fxotel_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/session"
)

// An fx app whose chi router uses the module's middleware. Settings are supplied here; without them the
// module reads the OTEL_* environment.
func Example() {
	mem := otelkit.NewMemory()
	var router http.Handler
	app := fx.New(
		fx.NopLogger,
		fxotel.Module,
		fx.Supply(otelkit.Settings{ServiceName: "orders", Traces: otelkit.InMemory(mem), Logs: otelkit.InMemory(mem)}),
		fx.Provide(func(mw fxotel.HTTPMiddleware) http.Handler {
			r := chi.NewRouter()
			r.Use(mw)
			r.Get("/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
				session.FromContext(r.Context()).Event(r.Context(), "order.viewed", nil, nil) // no-op without a session
				w.WriteHeader(http.StatusNoContent)
			})
			return r
		}),
		fx.Populate(&router),
	)
	if err := app.Start(context.Background()); err != nil {
		panic(err)
	}
	router.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/orders/42", nil))
	if err := app.Stop(context.Background()); err != nil {
		panic(err)
	}
	for _, s := range mem.Spans() {
		fmt.Println(s.Name)
	}
	// Output: GET /orders/{id}
}

// A plugin module adds a resource attribute without any code in fxotel.
func ExampleResourceAttributes() {
	mem := otelkit.NewMemory()
	plugin := fx.Module("team", fxotel.ResourceAttributes(attribute.String("team", "payments")))
	var p *otelkit.Provider
	app := fx.New(fx.NopLogger, fxotel.Module, plugin,
		fx.Supply(otelkit.Settings{Traces: otelkit.InMemory(mem)}), fx.Populate(&p))
	_ = app.Start(context.Background())
	team, _ := p.Resource().Set().Value("team")
	fmt.Println(team.AsString())
	_ = app.Stop(context.Background())
	// Output: payments
}

// Overrides run by stage, whatever order fx delivers them in: here the exporter swap runs after the
// adjustment written below it.
func ExampleOverrideSettingsAt() {
	mem := otelkit.NewMemory()
	var p *otelkit.Provider
	app := fx.New(fx.NopLogger, fxotel.Module,
		fx.Supply(otelkit.Settings{ServiceName: "orders", Traces: otelkit.OTLP("http://collector.internal:4318")}),
		fxotel.OverrideSettingsAt(fxotel.StageExporters, func(s *otelkit.Settings) { s.Traces = otelkit.InMemory(mem) }),
		fxotel.OverrideSettings(func(s *otelkit.Settings) { s.ServiceName += "-canary" }),
		fx.Populate(&p))
	if err := app.Err(); err != nil {
		panic(err)
	}
	fmt.Println(p.Settings().ServiceName, p.Exporters()[0].Kind)
	// Output: orders-canary memory
}
