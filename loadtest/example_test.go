package loadtest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/otelkit/otelkit/loadtest"
)

// Run sends a bounded stream of requests from a fixed number of keep-alive workers and reports what came
// back.
func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/items/13" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()

	res, err := loadtest.Run(context.Background(), loadtest.Load{
		Requests:    100,
		Concurrency: 4,
		Request: func(ctx context.Context, i int) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/items/"+strconv.Itoa(i), nil)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("200:", res.OK(), "404:", res.Statuses[http.StatusNotFound], "errors:", res.Errors)
	fmt.Println("latencies:", len(res.Latencies), "p50 <= p99:", res.Quantile(0.5) <= res.Quantile(0.99))
	// Output:
	// 200: 99 404: 1 errors: 0
	// latencies: 100 p50 <= p99: true
}
