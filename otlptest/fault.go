package otlptest

import (
	"fmt"
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
)

// Fault is a scripted misbehaviour of the collector for one export request.
// Build one with [Status], [PartialSuccess], [Stall] or [Reset] and hand it
// to [Server.Script], [Server.ScriptFor] or [Server.SetDefault]. The zero
// Fault accepts the request normally, so it can be used as a gap in a script.
type Fault struct {
	kind       faultKind
	status     int
	retryAfter time.Duration
	rejected   int64
	message    string
}

type faultKind uint8

const (
	faultNone faultKind = iota
	faultStatus
	faultPartial
	faultStall
	faultReset
)

// Status answers with the HTTP status code (for example 503). Over gRPC the
// code maps to a gRPC status: 429 to ResourceExhausted; 502, 503 and 504 to
// Unavailable; 400 to InvalidArgument; 401 to Unauthenticated; 403 to
// PermissionDenied; 404 to Unimplemented; other 4xx to InvalidArgument; 5xx
// to Internal. A 2xx code accepts the data and answers with that status over
// HTTP and OK over gRPC. The data of a rejected request is not recorded as
// spans, metrics or logs.
func Status(code int) Fault {
	return Fault{kind: faultStatus, status: code}
}

// WithRetryAfter adds a throttling delay to a [Status] fault: the HTTP
// Retry-After header in whole seconds (rounded up), and over gRPC a
// google.rpc.RetryInfo status detail with the exact delay.
func (f Fault) WithRetryAfter(d time.Duration) Fault {
	f.retryAfter = d
	return f
}

// PartialSuccess accepts the request, records its data, and answers 200 (OK
// over gRPC) with the partial_success field set: rejected is reported as
// rejected_spans, rejected_data_points or rejected_log_records, and msg as
// error_message.
func PartialSuccess(rejected int64, msg string) Fault {
	return Fault{kind: faultPartial, rejected: rejected, message: msg}
}

// Stall holds the request until [Server.Release] or [Server.Close] is called
// or the client gives up (cancels, times out or disconnects). When released
// it accepts the data and answers 200 (OK over gRPC), unless the client has
// gone, in which case nothing is recorded as data. [Server.WaitStalled]
// waits until requests are held.
func Stall() Fault {
	return Fault{kind: faultStall}
}

// Reset drops the connection without a response: over HTTP the TCP
// connection is closed with a reset (RST), so the client sees a connection
// error (over HTTP/2 only the stream is reset); over gRPC the call fails with
// Unavailable "connection reset". The data is not recorded.
func Reset() Fault {
	return Fault{kind: faultReset}
}

// String describes the fault, as recorded in [Request.Err].
func (f Fault) String() string {
	switch f.kind {
	case faultStatus:
		if f.retryAfter > 0 {
			return fmt.Sprintf("status %d (retry after %v)", f.status, f.retryAfter)
		}
		return fmt.Sprintf("status %d", f.status)
	case faultPartial:
		return fmt.Sprintf("partial success (%d rejected: %q)", f.rejected, f.message)
	case faultStall:
		return "stall"
	case faultReset:
		return "connection reset"
	}
	return "none"
}

// accepts reports whether a status fault lets the data through.
func (f Fault) accepts() bool {
	return f.kind != faultStatus || (f.status >= 200 && f.status < 300)
}

// retryAfterSeconds is the Retry-After header value: whole seconds, rounded up.
func (f Fault) retryAfterSeconds() int64 {
	return int64((f.retryAfter + time.Second - 1) / time.Second)
}

// grpcCode maps an HTTP status code of a [Status] fault to a gRPC code.
func grpcCode(status int) codes.Code {
	switch {
	case status >= 200 && status < 300:
		return codes.OK
	case status == http.StatusTooManyRequests:
		return codes.ResourceExhausted
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return codes.Unavailable
	case status == http.StatusBadRequest:
		return codes.InvalidArgument
	case status == http.StatusUnauthorized:
		return codes.Unauthenticated
	case status == http.StatusForbidden:
		return codes.PermissionDenied
	case status == http.StatusNotFound:
		return codes.Unimplemented
	case status >= 400 && status < 500:
		return codes.InvalidArgument
	default:
		return codes.Internal
	}
}

// Script queues faults for the next len(faults) export requests of any
// signal, in order, after the faults already queued. Requests that carry a
// signal with its own script ([Server.ScriptFor]) take from that one first.
// Only well-formed export requests consume faults; requests rejected as
// malformed, too large or sent to an unknown path do not.
func (s *Server) Script(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, faults...)
}

// ScriptFor queues faults for the next export requests of signal sig only.
// These take priority over the global [Server.Script].
func (s *Server) ScriptFor(sig Signal, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scriptFor == nil {
		s.scriptFor = make(map[Signal][]Fault)
	}
	s.scriptFor[sig] = append(s.scriptFor[sig], faults...)
}

// SetDefault sets the fault applied to every export request once the scripts
// are used up; nil restores normal acceptance.
func (s *Server) SetDefault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		s.defaultFault = nil
		return
	}
	c := *f
	s.defaultFault = &c
}

// Release lets every request stalled now proceed. Requests that stall later
// wait for the next Release.
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.release)
	s.release = make(chan struct{})
}

// nextFault takes the fault for the next export request of sig.
func (s *Server) nextFault(sig Signal) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.scriptFor[sig]; len(q) > 0 {
		s.scriptFor[sig] = q[1:]
		return q[0]
	}
	if len(s.script) > 0 {
		f := s.script[0]
		s.script = s.script[1:]
		return f
	}
	if s.defaultFault != nil {
		return *s.defaultFault
	}
	return Fault{}
}

// stall blocks until the request is released, the server closes, or done is
// closed (the client went away). It reports whether the client is still there.
func (s *Server) stall(done <-chan struct{}) bool {
	s.mu.Lock()
	release := s.release
	s.stalled++
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.stalled--
		s.notifyLocked()
		s.mu.Unlock()
	}()
	select {
	case <-release:
	case <-s.closed:
	case <-done:
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Stalled returns the number of requests currently held by a [Stall] fault.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}
