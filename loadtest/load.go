package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultConcurrency is the number of workers of a Load that does not set Concurrency.
const DefaultConcurrency = 16

// DefaultTimeout bounds each request of a Load that does not set Timeout.
const DefaultTimeout = 30 * time.Second

// ErrInvalidLoad is wrapped by the error Run returns for a Load it cannot run.
var ErrInvalidLoad = errors.New("loadtest: invalid load")

// Load describes a bounded stream of HTTP requests.
type Load struct {
	// Requests is the total number of requests to send. It must be positive.
	Requests int
	// Concurrency is the number of workers sending them, each waiting for its response before sending the
	// next request (default DefaultConcurrency).
	Concurrency int
	// Client sends the requests. Default: a client of its own whose transport keeps Concurrency idle
	// connections per host (keep-alive), closed when Run returns, and whose Timeout is the Load's.
	Client *http.Client
	// Request builds request i (0 ≤ i < Requests) with ctx, which carries the per-request Timeout. It is
	// required. An error ends the run.
	Request func(ctx context.Context, i int) (*http.Request, error)
	// Timeout bounds each request, from building it to the end of its response body (default
	// DefaultTimeout; negative: no bound). A request that takes longer counts in Result.Errors, with an
	// error that names the timeout and wraps context.DeadlineExceeded, and the worker goes on (or stops,
	// with StopOnError). The bound reaches the request through the ctx given to Request, and also through
	// the default Client's Timeout. The run as a whole is bounded by the ctx given to Run.
	Timeout time.Duration
	// StopOnError makes a worker stop at its first request that gets no response (for example connection
	// refused once the server is gone), instead of going on with the next one.
	StopOnError bool
}

// maxPrealloc bounds the latency slices allocated up front: a Load may ask for far more requests than it
// will get answered (a run stopped by its context).
const maxPrealloc = 1 << 16

// Result is what a Run saw. Latencies cover the requests that got a response, whose body was read to the
// end: the time from sending the request to the end of the body.
type Result struct {
	// Statuses counts responses per HTTP status code.
	Statuses map[int]int
	// Errors counts requests that got no complete response (transport errors, cancellation).
	Errors int
	// FirstError is the first such error, or nil.
	FirstError error
	// Latencies holds one duration per response, sorted ascending.
	Latencies []time.Duration
	// Elapsed is the wall time of the whole run.
	Elapsed time.Duration
}

// OK returns the number of 200 responses.
func (r Result) OK() int { return r.Statuses[http.StatusOK] }

// Responses returns the number of responses of any status.
func (r Result) Responses() int { return len(r.Latencies) }

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of the latencies by the nearest-rank method, or 0 when
// there are none. Quantile(0.5) is the median, Quantile(0.99) the 99th percentile.
func (r Result) Quantile(q float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 || math.IsNaN(q) {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	return r.Latencies[min(max(rank, 1), n)-1]
}

// PerSecond returns the responses per second over the run's elapsed time, or 0.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Run sends l.Requests requests from l.Concurrency workers and waits for them. It stops early, without
// error, when ctx ends: requests not sent are simply not counted. It returns an error wrapping
// ErrInvalidLoad for an invalid Load, or the first error of l.Request.
func Run(ctx context.Context, l Load) (Result, error) {
	if l.Requests <= 0 || l.Request == nil || l.Concurrency < 0 {
		return Result{}, errors.Join(ErrInvalidLoad,
			errors.New("loadtest: Requests must be positive, Request set and Concurrency not negative"))
	}
	workers := l.Concurrency
	if workers == 0 {
		workers = DefaultConcurrency
	}
	workers = min(workers, l.Requests)
	timeout := l.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	client := l.Client
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = workers
		client = &http.Client{Transport: tr, Timeout: max(timeout, 0)}
		defer tr.CloseIdleConnections()
	}

	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		res    = Result{Statuses: map[int]int{}, Latencies: make([]time.Duration, 0, min(l.Requests, maxPrealloc))}
		buildE error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	for range workers {
		wg.Go(func() {
			lat := make([]time.Duration, 0, min(l.Requests/workers+1, maxPrealloc))
			statuses := map[int]int{}
			var errs int
			var firstErr error
			defer func() {
				mu.Lock()
				res.Latencies = append(res.Latencies, lat...)
				for code, n := range statuses {
					res.Statuses[code] += n
				}
				res.Errors += errs
				if res.FirstError == nil {
					res.FirstError = firstErr
				}
				mu.Unlock()
			}()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= l.Requests {
					return
				}
				code, d, err, buildErr := send(ctx, client, l.Request, i, timeout)
				if buildErr != nil {
					mu.Lock()
					if buildE == nil {
						buildE = buildErr
					}
					mu.Unlock()
					cancel()
					return
				}
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
					if l.StopOnError {
						return
					}
					continue
				}
				statuses[code]++
				lat = append(lat, d)
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	return res, buildE
}

// send builds request i with a context bounded by timeout (none when negative) and sends it. buildErr is
// the error of build; err, a request that got no complete response.
func send(ctx context.Context, client *http.Client, build func(context.Context, int) (*http.Request, error), i int,
	timeout time.Duration) (code int, d time.Duration, err, buildErr error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, timeout, errRequestTimeout)
		defer cancel()
	}
	req, buildErr := build(ctx, i)
	if buildErr != nil {
		return 0, 0, nil, buildErr
	}
	code, d, err = do(client, req)
	if err != nil && (context.Cause(ctx) == errRequestTimeout || isClientTimeout(err)) {
		err = fmt.Errorf("loadtest: request %d got no complete response within the Load's Timeout %v: %w", i, timeout, err)
	}
	return code, d, err, nil
}

// errRequestTimeout is the cause of a request context that reached the Load's Timeout (net/http reports
// the cause).
var errRequestTimeout = fmt.Errorf("%w (Load.Timeout)", context.DeadlineExceeded)

// isClientTimeout reports whether err is the default client's Timeout, which also matches
// context.DeadlineExceeded.
func isClientTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout() && errors.Is(err, context.DeadlineExceeded)
}

// do sends req and reads the whole body.
func do(client *http.Client, req *http.Request) (int, time.Duration, error) {
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	cerr := resp.Body.Close()
	if err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	return resp.StatusCode, time.Since(start), nil
}
