package otlptest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// waitFor blocks until ready, evaluated under s.mu after every change to the
// recorded data, returns true, or until timeout; on timeout it fails tb with
// what arrived, built by describe under s.mu. It never polls: every
// recording closes the channel it waits on.
func (s *Server) waitFor(tb testing.TB, timeout time.Duration, ready func() bool, describe func() string) bool {
	tb.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if ready() {
			s.mu.Unlock()
			return true
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			s.mu.Lock()
			msg := describe() + "; " + s.summaryLocked()
			s.mu.Unlock()
			tb.Fatalf("otlptest: timed out after %v: %s", timeout, msg)
			return false
		case <-s.closed:
			s.mu.Lock()
			done := ready()
			msg := describe() + "; " + s.summaryLocked()
			s.mu.Unlock()
			if done {
				return true
			}
			tb.Fatalf("otlptest: server closed while waiting: %s", msg)
			return false
		}
	}
}

// summaryLocked describes the requests received so far, for failure messages.
func (s *Server) summaryLocked() string {
	reqs := s.data.requests
	accepted := 0
	for _, r := range reqs {
		if r.Accepted {
			accepted++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests received, %d accepted", len(reqs), accepted)
	if s.stalled > 0 {
		fmt.Fprintf(&b, ", %d stalled", s.stalled)
	}
	const show = 5
	for i := max(0, len(reqs)-show); i < len(reqs); i++ {
		r := reqs[i]
		fmt.Fprintf(&b, "\n  #%d %s %s (%s) -> %d", i+1, r.Transport, r.Path, r.ContentType, r.Status)
		if r.Err != "" {
			fmt.Fprintf(&b, ": %s", r.Err)
		}
	}
	return b.String()
}

// WaitSpans waits until at least n spans have been accepted and returns
// copies of all spans received. After timeout it fails tb with how many
// arrived and a summary of the requests, and returns what it has.
func (s *Server) WaitSpans(tb testing.TB, n int, timeout time.Duration) []Span {
	tb.Helper()
	s.waitFor(tb, timeout,
		func() bool { return len(s.data.spans) >= n },
		func() string { return fmt.Sprintf("waiting for %d spans, %d arrived", n, len(s.data.spans)) })
	return s.Spans()
}

// WaitLogs waits until at least n log records have been accepted and returns
// copies of all log records received; on timeout it fails tb like [Server.WaitSpans].
func (s *Server) WaitLogs(tb testing.TB, n int, timeout time.Duration) []LogRecord {
	tb.Helper()
	s.waitFor(tb, timeout,
		func() bool { return len(s.data.logs) >= n },
		func() string { return fmt.Sprintf("waiting for %d log records, %d arrived", n, len(s.data.logs)) })
	return s.Logs()
}

// WaitMetrics waits until a metric named name has been accepted and returns
// copies of every received metric with that name (one per export that
// carried it); on timeout it fails tb with the names that did arrive.
func (s *Server) WaitMetrics(tb testing.TB, name string, timeout time.Duration) []Metric {
	tb.Helper()
	s.waitFor(tb, timeout,
		func() bool {
			for _, m := range s.data.metrics {
				if m.Metric.GetName() == name {
					return true
				}
			}
			return false
		},
		func() string {
			seen := map[string]bool{}
			var names []string
			for _, m := range s.data.metrics {
				if n := m.Metric.GetName(); !seen[n] {
					seen[n] = true
					names = append(names, n)
				}
			}
			return fmt.Sprintf("waiting for metric %q, %d metrics arrived with names %q", name, len(s.data.metrics), names)
		})
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMetrics(s.data.metrics, name)
}

// WaitRequests waits until at least n requests (accepted or not) have been
// answered and returns a snapshot of all of them; on timeout it fails tb.
func (s *Server) WaitRequests(tb testing.TB, n int, timeout time.Duration) []Request {
	tb.Helper()
	s.waitFor(tb, timeout,
		func() bool { return len(s.data.requests) >= n },
		func() string { return fmt.Sprintf("waiting for %d requests, %d arrived", n, len(s.data.requests)) })
	return s.Requests()
}

// WaitStalled waits until at least n requests are being held by a [Stall]
// fault, so that a test can act while the collector hangs and then call
// [Server.Release]; on timeout it fails tb.
func (s *Server) WaitStalled(tb testing.TB, n int, timeout time.Duration) {
	tb.Helper()
	s.waitFor(tb, timeout,
		func() bool { return s.stalled >= n },
		func() string { return fmt.Sprintf("waiting for %d stalled requests, %d stalled", n, s.stalled) })
}
