package otlptest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit/otlptest"
)

func Example() {
	srv, err := otlptest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	body := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},` +
		`"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",` +
		`"name":"GET /orders/{id}","kind":2}]}]}]}`
	resp, err := http.Post(srv.HTTPURL()+"/v1/traces", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()

	for _, sp := range srv.Spans() {
		fmt.Println(resp.StatusCode, otlptest.ServiceName(sp.Resource), sp.Span.GetName(), sp.TraceID())
	}
	// Output:
	// 200 checkout GET /orders/{id} 5b8efff798038103d269b633813fc60c
}

func ExampleServer_Script() {
	srv, err := otlptest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	// The collector throttles twice, then accepts.
	srv.Script(otlptest.Status(503).WithRetryAfter(time.Second), otlptest.Status(429))
	for range 3 {
		resp, err := http.Post(srv.HTTPURL()+"/v1/logs", "application/json", strings.NewReader(`{}`))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	http.DefaultClient.CloseIdleConnections()
	// Output:
	// 503 Retry-After="1"
	// 429 Retry-After=""
	// 200 Retry-After=""
}

// ExampleNewServer shows the shape of a delivery test: point the code under
// test at the server, then wait for what it must deliver.
func ExampleNewServer() {
	var t testing.TB // the *testing.T of the test
	if t == nil {
		return // compile-only: examples have no *testing.T
	}
	srv := otlptest.NewServer(t, otlptest.WithTLS(otlptest.NewCertificates(t).ServerTLS()))
	// ... configure the exporter with srv.HTTPURL() or srv.GRPCURL() and run the code ...
	spans := srv.WaitSpans(t, 1, 5*time.Second)
	if got := spans[0].Span.GetName(); got != "GET /orders/{id}" {
		t.Errorf("span name %q", got)
	}
}
