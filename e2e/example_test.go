package e2e_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/e2e"
	"github.com/otelkit/otelkit/otlptest"
)

// ParseTelemetry reads the collector's own metrics; Sum adds up the series
// of one metric that carry the given labels.
func ExampleParseTelemetry() {
	exposition := `# HELP otelcol_receiver_accepted_spans Number of spans successfully pushed into the pipeline.
# TYPE otelcol_receiver_accepted_spans counter
otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 3
otelcol_receiver_accepted_spans{receiver="otlp",transport="http"} 4
otelcol_receiver_refused_spans{receiver="otlp",transport="http"} 0
`
	tel, err := e2e.ParseTelemetry(strings.NewReader(exposition))
	if err != nil {
		fmt.Println(err)
		return
	}
	all, _ := tel.Sum("otelcol_receiver_accepted_spans", nil)
	http, _ := tel.Sum("otelcol_receiver_accepted_spans", map[string]string{"transport": "http"})
	refused, found := tel.Sum("otelcol_receiver_refused_spans", nil)
	fmt.Println(all, http, refused, found)
	fmt.Println(tel.Names("otelcol_receiver_"))
	// Output:
	// 7 4 0 true
	// [otelcol_receiver_accepted_spans otelcol_receiver_refused_spans]
}

// Start runs the collector built by `make collector` between an otelkit
// provider and an otlptest receiver. (In tests, prefer e2e.Run, which stops
// the collector and skips when the binary is missing.)
func ExampleStart() {
	sink, err := otlptest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sink.Close()
	dir, err := os.MkdirTemp("", "otelcol-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	col, err := e2e.Start(e2e.Config{ExportEndpoint: sink.HTTPURL(), Dir: dir})
	if err != nil {
		fmt.Println(err) // for example: the collector binary is not built; run `make collector`
		return
	}
	defer col.Stop()

	p, err := otelkit.NewProvider(otelkit.Settings{ServiceName: "example", Traces: otelkit.OTLP(col.HTTPEndpoint())})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, span := p.TracerProvider().Tracer("example").Start(context.Background(), "hello")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	// The span now travels collector → otlptest; sink.Spans() shows it once the batch timeout passed.
}
