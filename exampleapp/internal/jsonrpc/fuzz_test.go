package jsonrpc

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/otelkit/otelkit/propagation"
)

// FuzzServeHTTP: whatever body a client POSTs (any JSON or not, any trace context or session id in the
// params), the server never panics and answers with a well-formed JSON-RPC 2.0 response (exactly one of
// result and error, the request's id or null), 204 for a notification, or 413 for an oversized body.
func FuzzServeHTTP(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"echo","params":{"text":"hi","sessionId":"s-1",` +
			`"trace":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"a=b"}}}`,
		`{"jsonrpc":"2.0","id":"x","method":"echo","params":{"trace":{"traceparent":"00-zz-00-01"}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"echo","params":{"text":"panic"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"echo","params":{"text":"fail"}}`,
		`{"jsonrpc":"2.0","id":4,"method":"nope"}`,
		`{"jsonrpc":"2.0","method":"echo","params":{"text":"n"}}`,
		`{"jsonrpc":"2.0","id":5,"method":"echo","params":{"trace":{"traceparent":1},"sessionId":["a"]}}`,
		`[{"jsonrpc":"2.0","id":1,"method":"echo"}]`,
		`{"jsonrpc":`, ``, `null`, `"hello"`,
	} {
		f.Add([]byte(s))
	}
	r := newRig(f, propagation.TrustAll())
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		r.srv.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/rpc", bytes.NewReader(body)))
		switch w.Code {
		case http.StatusNoContent:
			if w.Body.Len() != 0 {
				t.Fatalf("204 with a body: %q", w.Body)
			}
			return
		case http.StatusRequestEntityTooLarge:
			if len(body) <= MaxBodyBytes {
				t.Fatalf("413 for %d bytes", len(body))
			}
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
		var members map[string]json.RawMessage
		var resp Response
		if err := json.Unmarshal(w.Body.Bytes(), &members); err != nil {
			t.Fatalf("response is not a JSON object: %v: %q", err, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("response does not decode: %v: %q", err, w.Body)
		}
		_, hasID := members["id"]
		_, hasResult := members["result"]
		_, hasError := members["error"]
		if resp.JSONRPC != Version || !hasID || hasResult == hasError {
			t.Fatalf("malformed response %q to %q", w.Body, body)
		}
		if hasError && (resp.Error == nil || resp.Error.Code == 0) {
			t.Fatalf("error without a code: %q", w.Body)
		}
	})
}
