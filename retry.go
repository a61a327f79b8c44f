package otelkit

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/otelkit/otelkit/internal/batch"
)

// backoff computes retry delays: exponential from Retry.InitialInterval to Retry.MaxInterval with ±20% jitter,
// replaced by the server's throttling hint when it gives one.
type backoff struct{}

// sleep waits before the next attempt. It returns false, without waiting, when the wait would run past the
// context's deadline, so an export never sleeps beyond its budget. A flush pre-empts our own backoff (the
// batch is then exported again at once, under the flush's deadline), but never a wait the server asked for
// with Retry-After or RetryInfo.
func (backoff) sleep(ctx context.Context, r Retry, attempt int, hint time.Duration) bool {
	d := hint
	if d <= 0 {
		d = r.InitialInterval << min(attempt-1, 16)
		if d > r.MaxInterval || d <= 0 {
			d = r.MaxInterval
		}
		d = time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return false
	}
	var preempt <-chan struct{}
	if hint <= 0 {
		preempt = batch.Preempted(ctx) // our own backoff gives way to a flush; a server's Retry-After does not
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-preempt:
		return false
	}
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP-date. Bad or past values give 0.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(time.Hour/time.Second) {
			secs = int64(time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil { // RFC 1123, RFC 850 and asctime, as HTTP allows
		if d := t.Sub(now); d > 0 {
			return min(d, time.Hour)
		}
	}
	return 0
}

// throttle remembers how long the collector asked us to wait (Retry-After, RetryInfo), across exports: when
// the wait is longer than one export's budget, the next exports must not send before it either.
type throttle struct{ notBefore atomic.Int64 } // unix nanoseconds; 0 when unset

// hold records that nothing may be sent for d.
func (t *throttle) hold(d time.Duration) {
	if d > 0 {
		t.notBefore.Store(time.Now().Add(d).UnixNano())
	}
}

// wait waits until the collector's requested time, if ctx allows; it reports false when it does not (the
// export then fails as retryable, without sending). Only ctx ends the wait: a flush does not pre-empt a
// wait the server asked for.
func (t *throttle) wait(ctx context.Context) bool {
	nb := t.notBefore.Load()
	if nb == 0 {
		return true
	}
	d := time.Until(time.Unix(0, nb))
	if d <= 0 {
		return true
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return false
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}
