package httpmw_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"

	"github.com/otelkit/otelkit/httpmw"
)

// recoverer is the outermost handler of the panic tests: it reports what reached it.
func recoverer(got chan<- any, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { got <- recover() }()
		next.ServeHTTP(w, r)
	})
}

type customPanic struct{ code int }

// panicHere is a named function so the stack trace can be checked.
func panicHere(v any) { panic(v) }

// TestPanic checks that a handler panic is recorded on the span (exception event with type, message and
// stack; Error status; error.type) and in the metrics, then reaches the server unchanged.
func TestPanic(t *testing.T) {
	for _, c := range []struct {
		name              string
		value             any
		excType, errType  string
		message           string
		wroteHeaderBefore bool
	}{
		{"string", "boom", "string", "string", "boom", false},
		{"error", errors.New("bad thing"), "*errors.errorString", "*errors.errorString", "bad thing", false},
		{"struct after writing", customPanic{7}, "github.com/otelkit/otelkit/httpmw_test.customPanic",
			"github.com/otelkit/otelkit/httpmw_test.customPanic", "{7}", true},
		{"http.ErrAbortHandler", http.ErrAbortHandler, "*errors.errorString", "net/http.ErrAbortHandler",
			"net/http: abort Handler", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			got := make(chan any, 1)
			srv := httptest.NewServer(recoverer(got, httpmw.New(rec.opts()...)(http.HandlerFunc(
				func(w http.ResponseWriter, _ *http.Request) {
					if c.wroteHeaderBefore {
						w.WriteHeader(http.StatusAccepted)
					}
					panicHere(c.value)
				}))))
			t.Cleanup(srv.Close)
			resp, err := srv.Client().Get(srv.URL + "/p")
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()

			v := <-got
			if err, ok := c.value.(error); ok {
				if v != err { // the very same value, so errors.Is(v, http.ErrAbortHandler) holds
					t.Errorf("the server got %#v, want %#v", v, c.value)
				}
			} else if v != c.value {
				t.Errorf("the server got %#v, want %#v", v, c.value)
			}

			span := rec.waitEnded(t, 1)[0]
			if span.Status().Code != codes.Error || !strings.Contains(span.Status().Description, c.message) {
				t.Errorf("status %v", span.Status())
			}
			a := attrMap(span.Attributes())
			if a["error.type"] != c.errType {
				t.Errorf("error.type %q, want %q", a["error.type"], c.errType)
			}
			wantStatus := ""
			if c.wroteHeaderBefore {
				wantStatus = "202"
			}
			if a["http.response.status_code"] != wantStatus {
				t.Errorf("status code %q, want %q", a["http.response.status_code"], wantStatus)
			}
			ev := span.Events()
			if len(ev) != 1 || ev[0].Name != "exception" {
				t.Fatalf("events %v, want one exception", ev)
			}
			ea := attrMap(ev[0].Attributes)
			if ea["exception.type"] != c.excType || ea["exception.message"] != c.message ||
				!strings.Contains(ea["exception.stacktrace"], "httpmw_test.panicHere") {
				t.Errorf("exception attributes %v", ea)
			}
			sets := histSets(t, rec.collect(t), "http.server.request.duration")
			if len(sets) != 1 {
				t.Fatalf("%d metric sets", len(sets))
			}
			for _, p := range sets {
				if v, _ := p.attrs.Value("error.type"); v.AsString() != c.errType || p.count != 1 {
					t.Errorf("metric %v count %d", setMap(p.attrs), p.count)
				}
			}
		})
	}
}
