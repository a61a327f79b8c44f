package httpmw_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/otelkit/otelkit/httpmw"
)

// TestRequestBody checks that the bytes the handler reads are counted, that the caller's request keeps its
// own body, and that a multipart form parsed by the handler is handed back to the original request, where
// net/http finds it to remove its temporary files.
func TestRequestBody(t *testing.T) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "big.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("z"), 4096))
	_ = mw.Close()
	size := buf.Len()

	rec := newRecorder(t)
	h := httpmw.New(rec.opts()...)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1024); err != nil { // larger than memory: spills to a file
			t.Errorf("ParseMultipartForm: %v", err)
		}
		_, _ = io.WriteString(w, "stored")
	}))
	req := httptest.NewRequest("POST", "/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	body := req.Body
	serve(h, req)

	if req.Body != body {
		t.Error("the caller's request body was replaced")
	}
	if req.MultipartForm == nil || len(req.MultipartForm.File["file"]) != 1 {
		t.Fatal("the parsed multipart form did not reach the original request")
	}
	_ = req.MultipartForm.RemoveAll()
	a := attrMap(rec.only(t).Attributes())
	if a["http.request.body.size"] != strconv.Itoa(size) {
		t.Errorf("http.request.body.size %q, want %d", a["http.request.body.size"], size)
	}
	for _, p := range histSets(t, rec.collect(t), "http.server.request.body.size") {
		if p.count != 1 || p.sum != float64(size) {
			t.Errorf("request body size metric: count %d sum %v, want 1 %d", p.count, p.sum, size)
		}
	}
}
