package httpconv

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
)

// ResponseWriter wraps an http.ResponseWriter to learn the status code and body size of a response while
// keeping every optional interface working: http.Flusher (and FlushError), http.Hijacker, io.ReaderFrom,
// io.StringWriter and http.Pusher are implemented by delegation, and Unwrap lets http.ResponseController
// reach the deadline and full-duplex methods of the writer underneath.
//
// Because one type implements all of them, a type assertion such as w.(http.Hijacker) succeeds even when
// the wrapped writer cannot hijack; the method then returns an error wrapping http.ErrNotSupported, just as
// http.ResponseController does. Flush on a writer that cannot flush does nothing.
//
// A ResponseWriter is meant to be embedded in pooled per-request state: [ResponseWriter.Reset] prepares it
// for a request. Like the writer it wraps, it is not safe for concurrent use.
type ResponseWriter struct {
	rw       http.ResponseWriter
	status   int
	written  int64
	err      error
	hijacked bool
}

var (
	_ http.ResponseWriter = (*ResponseWriter)(nil)
	_ http.Flusher        = (*ResponseWriter)(nil)
	_ http.Hijacker       = (*ResponseWriter)(nil)
	_ http.Pusher         = (*ResponseWriter)(nil)
	_ io.ReaderFrom       = (*ResponseWriter)(nil)
	_ io.StringWriter     = (*ResponseWriter)(nil)
)

// Reset makes w wrap rw for a new response (nil releases the previous one).
func (w *ResponseWriter) Reset(rw http.ResponseWriter) {
	*w = ResponseWriter{rw: rw}
}

// Status returns the final status code written (an explicit WriteHeader, or 200 implied by the first
// Write, ReadFrom or Flush), or 0 when none was, e.g. a hijacked connection or a handler that wrote nothing.
// Informational 1xx codes other than 101 are not final and are not reported.
func (w *ResponseWriter) Status() int { return w.status }

// Written returns the number of body bytes written.
func (w *ResponseWriter) Written() int64 { return w.written }

// Err returns the error of the last failed write, or nil.
func (w *ResponseWriter) Err() error { return w.err }

// Hijacked reports whether the connection was hijacked.
func (w *ResponseWriter) Hijacked() bool { return w.hijacked }

// Unwrap returns the wrapped writer, for http.ResponseController.
func (w *ResponseWriter) Unwrap() http.ResponseWriter { return w.rw }

// Header returns the wrapped writer's header map.
func (w *ResponseWriter) Header() http.Header { return w.rw.Header() }

// WriteHeader records the first final status code and passes code on.
func (w *ResponseWriter) WriteHeader(code int) {
	if w.status == 0 && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.rw.WriteHeader(code)
}

func (w *ResponseWriter) implicitOK() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
}

// Write writes body bytes, implying status 200 if no status was written.
func (w *ResponseWriter) Write(p []byte) (int, error) {
	w.implicitOK()
	n, err := w.rw.Write(p)
	w.count(int64(n), err)
	return n, err
}

// WriteString writes body bytes from s without converting it to a byte slice when the wrapped writer
// implements io.StringWriter (net/http's does).
func (w *ResponseWriter) WriteString(s string) (int, error) {
	w.implicitOK()
	n, err := io.WriteString(w.rw, s)
	w.count(int64(n), err)
	return n, err
}

// ReadFrom copies src to the response with the wrapped writer's ReadFrom when it has one (net/http's uses
// sendfile for files), else with io.Copy.
func (w *ResponseWriter) ReadFrom(src io.Reader) (int64, error) {
	w.implicitOK()
	var n int64
	var err error
	if rf, ok := w.rw.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(writerOnly{w.rw}, src)
	}
	w.count(n, err)
	return n, err
}

// writerOnly hides every method but Write, so io.Copy cannot loop back into ReadFrom.
type writerOnly struct{ io.Writer }

func (w *ResponseWriter) count(n int64, err error) {
	w.written += n
	if err != nil {
		w.err = err
	}
}

// Flush sends buffered data to the client (implying status 200). It does nothing when no writer underneath
// can flush; use http.NewResponseController(w).Flush to see that error.
func (w *ResponseWriter) Flush() { _ = w.FlushError() }

// FlushError is Flush returning the error, as http.ResponseController calls it.
func (w *ResponseWriter) FlushError() error {
	w.implicitOK()
	rw := w.rw
	for {
		switch t := rw.(type) {
		case interface{ FlushError() error }:
			return t.FlushError()
		case http.Flusher:
			t.Flush()
			return nil
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return fmt.Errorf("httpconv: %T cannot flush: %w", w.rw, http.ErrNotSupported)
		}
	}
}

// Hijack takes over the connection from the writer underneath that supports it. A hijacked response is
// not an error; its status is whatever was written before, often none.
func (w *ResponseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	rw := w.rw
	for {
		switch t := rw.(type) {
		case http.Hijacker:
			c, brw, err := t.Hijack()
			if err == nil {
				w.hijacked = true
			}
			return c, brw, err
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return nil, nil, fmt.Errorf("httpconv: %T cannot hijack: %w", w.rw, http.ErrNotSupported)
		}
	}
}

// Push initiates an HTTP/2 server push through the writer underneath that supports it.
func (w *ResponseWriter) Push(target string, opts *http.PushOptions) error {
	rw := w.rw
	for {
		switch t := rw.(type) {
		case http.Pusher:
			return t.Push(target, opts)
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return fmt.Errorf("httpconv: %T cannot push: %w", w.rw, http.ErrNotSupported)
		}
	}
}
