package httpconv

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestResponseWriterStatus(t *testing.T) {
	for _, c := range []struct {
		name  string
		do    func(w *ResponseWriter)
		want  int
		bytes int64
	}{
		{"nothing", func(*ResponseWriter) {}, 0, 0},
		{"explicit", func(w *ResponseWriter) { w.WriteHeader(404) }, 404, 0},
		{"first wins", func(w *ResponseWriter) { w.WriteHeader(500); w.WriteHeader(200) }, 500, 0},
		{"write implies 200", func(w *ResponseWriter) { _, _ = w.Write([]byte("abc")) }, 200, 3},
		{"write string", func(w *ResponseWriter) { _, _ = io.WriteString(w, "abcd") }, 200, 4},
		{"flush implies 200", func(w *ResponseWriter) { w.Flush() }, 200, 0},
		{"read from", func(w *ResponseWriter) { _, _ = io.Copy(w, strings.NewReader("hello")) }, 200, 5},
		{"1xx is not final", func(w *ResponseWriter) { w.WriteHeader(103); w.WriteHeader(204) }, 204, 0},
		{"101 is final", func(w *ResponseWriter) { w.WriteHeader(101) }, 101, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var w ResponseWriter
			w.Reset(httptest.NewRecorder())
			c.do(&w)
			if w.Status() != c.want || w.Written() != c.bytes || w.Err() != nil || w.Hijacked() {
				t.Errorf("status %d written %d err %v hijacked %v, want %d %d", w.Status(), w.Written(), w.Err(),
					w.Hijacked(), c.want, c.bytes)
			}
		})
	}
}

// stringWriter records whether WriteString was used.
type stringWriter struct {
	*httptest.ResponseRecorder
	strings int
}

func (w *stringWriter) WriteString(s string) (int, error) {
	w.strings++
	return w.ResponseRecorder.WriteString(s)
}

// unwrapper is a third-party wrapper with only Unwrap.
type unwrapper struct{ http.ResponseWriter }

func (u unwrapper) Unwrap() http.ResponseWriter { return u.ResponseWriter }

func TestResponseWriterDelegation(t *testing.T) {
	sw := &stringWriter{ResponseRecorder: httptest.NewRecorder()}
	var w ResponseWriter
	w.Reset(sw)
	if n, err := io.WriteString(&w, "hi"); n != 2 || err != nil || sw.strings != 1 {
		t.Errorf("WriteString: %d %v, underlying calls %d", n, err, sw.strings)
	}
	if w.Unwrap() != sw {
		t.Error("Unwrap")
	}
	w.Header().Set("X", "1")
	if sw.Header().Get("X") != "1" {
		t.Error("Header")
	}

	// Flush reaches a flusher below a wrapper that only unwraps.
	rr := httptest.NewRecorder()
	w.Reset(unwrapper{rr})
	if err := w.FlushError(); err != nil || !rr.Flushed {
		t.Errorf("FlushError through Unwrap: %v, flushed %v", err, rr.Flushed)
	}
	if err := http.NewResponseController(&w).Flush(); err != nil {
		t.Errorf("ResponseController.Flush: %v", err)
	}
}

func TestResponseWriterAllocs(t *testing.T) {
	rr := httptest.NewRecorder()
	var w ResponseWriter
	buf := []byte("x")
	n := testing.AllocsPerRun(100, func() {
		w.Reset(rr)
		w.WriteHeader(200)
		_, _ = w.Write(buf)
		_, _ = w.WriteString("y")
		w.Flush()
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func TestBody(t *testing.T) {
	var b Body
	b.Reset(io.NopCloser(strings.NewReader("hello world")))
	p := make([]byte, 4)
	for {
		if _, err := b.Read(p); err != nil {
			break
		}
	}
	if b.BytesRead() != 11 || b.Err() != nil || b.Close() != nil {
		t.Errorf("read %d, err %v", b.BytesRead(), b.Err())
	}
	b.Reset(io.NopCloser(iotestErr{}))
	if _, err := b.Read(p); err == nil || b.Err() == nil {
		t.Error("read error not kept")
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
