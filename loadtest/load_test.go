package loadtest_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otelkit/otelkit/loadtest"
)

func get(url string) func(ctx context.Context, i int) (*http.Request, error) {
	return func(ctx context.Context, _ int) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}
}

func TestRunCountsEveryRequestOnKeepAliveConnections(t *testing.T) {
	var conns sync.Map
	var inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conns.Store(r.RemoteAddr, true)
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Millisecond) // let the workers overlap
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	res, err := loadtest.Run(t.Context(), loadtest.Load{Requests: 400, Concurrency: 8, Request: get(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() != 400 || res.Errors != 0 || res.Responses() != 400 || len(res.Latencies) != 400 {
		t.Fatalf("result: %d ok, %d errors, %d latencies", res.OK(), res.Errors, len(res.Latencies))
	}
	n := 0
	conns.Range(func(any, any) bool { n++; return true })
	if n > 8 {
		t.Fatalf("%d connections for 8 workers: keep-alive not used", n)
	}
	if most.Load() > 8 || most.Load() < 2 {
		t.Fatalf("at most %d requests in flight, want 2..8", most.Load())
	}
	if res.Elapsed <= 0 || res.PerSecond() <= 0 {
		t.Fatalf("elapsed %v, %v/s", res.Elapsed, res.PerSecond())
	}
}

func TestResultQuantileNearestRank(t *testing.T) {
	r := loadtest.Result{}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{{0, time.Millisecond}, {0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {0.999, 100 * time.Millisecond},
		{1, 100 * time.Millisecond}, {2, 100 * time.Millisecond}, {-1, time.Millisecond}}
	for _, tt := range tests {
		if got := r.Quantile(tt.q); got != tt.want {
			t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if (loadtest.Result{}).Quantile(0.5) != 0 || (loadtest.Result{}).PerSecond() != 0 {
		t.Fatal("empty result must give zeros")
	}
}

func TestRunInvalidLoad(t *testing.T) {
	for name, l := range map[string]loadtest.Load{
		"no requests":          {Request: get("http://127.0.0.1:1")},
		"no request func":      {Requests: 1},
		"negative concurrency": {Requests: 1, Concurrency: -1, Request: get("http://127.0.0.1:1")},
	} {
		if _, err := loadtest.Run(t.Context(), l); !errors.Is(err, loadtest.ErrInvalidLoad) {
			t.Errorf("%s: err = %v, want ErrInvalidLoad", name, err)
		}
	}
}

func TestRunStopsOnRequestError(t *testing.T) {
	boom := errors.New("boom")
	res, err := loadtest.Run(t.Context(), loadtest.Load{Requests: 1000, Concurrency: 4,
		Request: func(context.Context, int) (*http.Request, error) { return nil, boom }})
	if !errors.Is(err, boom) || res.Responses() != 0 {
		t.Fatalf("err = %v, %d responses", err, res.Responses())
	}
}

func TestRunTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	_ = ln.Close() // connection refused from now on
	res, err := loadtest.Run(t.Context(), loadtest.Load{Requests: 20, Concurrency: 2, Request: get(url)})
	if err != nil || res.Errors != 20 || res.FirstError == nil || res.Responses() != 0 {
		t.Fatalf("err %v, %d errors (first %v), %d responses", err, res.Errors, res.FirstError, res.Responses())
	}
	res, err = loadtest.Run(t.Context(), loadtest.Load{Requests: 20, Concurrency: 2, Request: get(url), StopOnError: true})
	if err != nil || res.Errors != 2 {
		t.Fatalf("StopOnError: err %v, %d errors, want one per worker", err, res.Errors)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		if served.Add(1) == 50 {
			cancel()
		}
	}))
	defer srv.Close()
	res, err := loadtest.Run(ctx, loadtest.Load{Requests: 100000, Concurrency: 4, Request: get(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Responses() + res.Errors; got > 60 {
		t.Fatalf("%d requests after the context ended at 50", got)
	}
}

// A server that never answers costs each request its Timeout, not the test's -timeout.
func TestRunRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.(http.Flusher).Flush() // headers now, body never
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for _, path := range []string{"/headers", "/body"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			start := time.Now()
			res, err := loadtest.Run(t.Context(), loadtest.Load{Requests: 4, Concurrency: 2,
				Timeout: 100 * time.Millisecond, Request: get(srv.URL + path)})
			if err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Fatalf("Run took %v with a 100ms per-request Timeout", el)
			}
			if res.Errors != 4 || res.Responses() != 0 {
				t.Fatalf("%d errors, %d responses: want every request timed out", res.Errors, res.Responses())
			}
			if !errors.Is(res.FirstError, context.DeadlineExceeded) ||
				!strings.Contains(res.FirstError.Error(), "Timeout 100ms") {
				t.Fatalf("first error %v: want one naming the Timeout and wrapping context.DeadlineExceeded", res.FirstError)
			}
			t.Log(res.FirstError)
		})
	}
}
