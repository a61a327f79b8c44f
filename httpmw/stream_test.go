package httpmw_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"

	"github.com/otelkit/otelkit/httpmw"
)

// TestSSEStreaming streams server-sent events through the middleware and reads them one by one with a
// real client: each event must arrive before the server writes the next, so every flush went through.
func TestSSEStreaming(t *testing.T) {
	for _, c := range []struct {
		name  string
		flush func(http.ResponseWriter) error
	}{
		{"http.Flusher", func(w http.ResponseWriter) error { w.(http.Flusher).Flush(); return nil }},
		{"http.ResponseController", func(w http.ResponseWriter) error { return http.NewResponseController(w).Flush() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			next := make(chan struct{})
			const events = 3
			srv := httptest.NewServer(httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				rc := http.NewResponseController(w)
				if err := rc.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
					t.Errorf("SetWriteDeadline through the wrapper: %v", err)
				}
				for i := range events {
					if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
						return
					}
					if err := c.flush(w); err != nil {
						t.Errorf("flush: %v", err)
						return
					}
					select {
					case <-next:
					case <-r.Context().Done():
						return
					case <-time.After(10 * time.Second):
						t.Error("the client did not receive event", i)
						return
					}
				}
			})))
			t.Cleanup(srv.Close)

			resp, err := srv.Client().Get(srv.URL + "/events")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			for i := range events {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
				if want := fmt.Sprintf("data: %d\n", i); line != want {
					t.Fatalf("got %q, want %q", line, want)
				}
				if _, err := br.ReadString('\n'); err != nil {
					t.Fatal(err)
				}
				next <- struct{}{} // only now may the server write the next event
			}
			span := rec.waitEnded(t, 1)[0]
			a := attrMap(span.Attributes())
			if a["http.response.status_code"] != "200" || a["http.response.body.size"] != "27" {
				t.Errorf("attributes %v", a)
			}
		})
	}
}

// TestHijack performs a raw 101 Switching Protocols exchange through the middleware: the connection is
// hijacked, bytes flow both ways, and the span is not an error.
func TestHijack(t *testing.T) {
	for _, c := range []struct {
		name   string
		hijack func(http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error)
	}{
		{"http.Hijacker", func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
			return w.(http.Hijacker).Hijack()
		}},
		{"http.ResponseController", func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
			return http.NewResponseController(w).Hijack()
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			srv := httptest.NewServer(httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, brw, err := c.hijack(w)
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				defer conn.Close()
				_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
				_ = brw.Flush()
				line, err := brw.ReadString('\n')
				if err != nil {
					return
				}
				_, _ = brw.WriteString("echo: " + line)
				_ = brw.Flush()
			})))
			t.Cleanup(srv.Close)

			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			_, _ = io.WriteString(conn, "GET /ws HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusSwitchingProtocols {
				t.Fatalf("status %d", resp.StatusCode)
			}
			_, _ = io.WriteString(conn, "ping\n")
			if line, err := br.ReadString('\n'); err != nil || line != "echo: ping\n" {
				t.Fatalf("got %q, %v", line, err)
			}

			span := rec.waitEnded(t, 1)[0]
			a := attrMap(span.Attributes())
			if span.Status().Code != codes.Unset {
				t.Errorf("status %v, want unset", span.Status())
			}
			if _, ok := a["error.type"]; ok {
				t.Errorf("error.type %q on a hijacked connection", a["error.type"])
			}
			if _, ok := a["http.response.status_code"]; ok {
				t.Errorf("status code %q recorded, but the handler wrote none", a["http.response.status_code"])
			}
			for _, p := range histSets(t, rec.collect(t), "http.server.request.duration") {
				if _, ok := p.attrs.Value("error.type"); ok {
					t.Errorf("metric error.type on a hijacked connection: %v", setMap(p.attrs))
				}
			}
		})
	}
}

// TestSwitchingProtocolsStatus checks that an explicit 101 is recorded and is not an error.
func TestSwitchingProtocolsStatus(t *testing.T) {
	rec := newRecorder(t)
	h := httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusSwitchingProtocols)
	}))
	serve(h, httptest.NewRequest("GET", "/ws", nil))
	s := rec.only(t)
	if a := attrMap(s.Attributes()); a["http.response.status_code"] != "101" || a["error.type"] != "" ||
		s.Status().Code != codes.Unset {
		t.Errorf("attributes %v, status %v", a, s.Status())
	}
}

// readFromWriter is a ResponseWriter with its own ReadFrom, like net/http's.
type readFromWriter struct {
	*httptest.ResponseRecorder
	readFrom int
}

func (w *readFromWriter) ReadFrom(r io.Reader) (int64, error) {
	w.readFrom++
	return io.Copy(w.ResponseRecorder, r)
}

// onlyReader hides strings.Reader's WriteTo, so io.Copy has to use the writer's ReadFrom.
type onlyReader struct{ io.Reader }

// TestReaderFrom checks that io.Copy into the wrapped writer uses the underlying ReadFrom (net/http's uses
// sendfile) and that the bytes are counted.
func TestReaderFrom(t *testing.T) {
	rec := newRecorder(t)
	body := strings.Repeat("x", 10000)
	h := httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if _, ok := w.(io.ReaderFrom); !ok {
			t.Error("the wrapper is not an io.ReaderFrom")
		}
		_, _ = io.Copy(w, onlyReader{strings.NewReader(body)})
	}))
	w := &readFromWriter{ResponseRecorder: httptest.NewRecorder()}
	h.ServeHTTP(w, httptest.NewRequest("GET", "/file", nil))
	if w.readFrom != 1 || w.Body.String() != body {
		t.Errorf("ReadFrom called %d times, body %d bytes", w.readFrom, w.Body.Len())
	}
	if a := attrMap(rec.only(t).Attributes()); a["http.response.body.size"] != "10000" || a["http.response.status_code"] != "200" {
		t.Errorf("attributes %v", a)
	}
}

// TestUnsupportedInterfaces checks that the wrapper reports what the writer underneath cannot do.
func TestUnsupportedInterfaces(t *testing.T) {
	rec := newRecorder(t)
	h := httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if _, _, err := w.(http.Hijacker).Hijack(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Hijack: %v, want ErrNotSupported", err)
		}
		if err := w.(http.Pusher).Push("/x", nil); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Push: %v, want ErrNotSupported", err)
		}
		if err := http.NewResponseController(w).Flush(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Flush: %v, want ErrNotSupported", err)
		}
	}))
	h.ServeHTTP(plainWriter{httptest.NewRecorder()}, httptest.NewRequest("GET", "/", nil))
}

// plainWriter is a ResponseWriter with none of the optional interfaces.
type plainWriter struct{ rr *httptest.ResponseRecorder }

func (w plainWriter) Header() http.Header         { return w.rr.Header() }
func (w plainWriter) Write(b []byte) (int, error) { return w.rr.Write(b) }
func (w plainWriter) WriteHeader(code int)        { w.rr.WriteHeader(code) }
