package httpconv

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"
)

type typedErr struct{}

func (typedErr) Error() string     { return "typed" }
func (typedErr) ErrorType() string { return "custom.kind" }

func TestErrorTypes(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Err: errors.New("refused")}
	for _, c := range []struct {
		err          error
		span, metric string
	}{
		{opErr, "*net.OpError", "net.OpError"},
		{fmt.Errorf("wrapped: %w", opErr), "*net.OpError", "fmt.wrapError"},
		{typedErr{}, "custom.kind", "github.com/otelkit/otelkit/internal/httpconv.typedErr"},
		{nil, "_OTHER", "_OTHER"},
	} {
		if got := ErrorType(c.err); got != c.span {
			t.Errorf("ErrorType(%v) = %q, want %q", c.err, got, c.span)
		}
		if got := ClientMetricErrorType(c.err); got != c.metric {
			t.Errorf("ClientMetricErrorType(%v) = %q, want %q", c.err, got, c.metric)
		}
	}
}

func TestPanicType(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"boom", "string"},
		{42, "int"},
		{http.ErrAbortHandler, "net/http.ErrAbortHandler"},
		{fmt.Errorf("x: %w", http.ErrAbortHandler), "net/http.ErrAbortHandler"},
		{errors.New("e"), "*errors.errorString"},
		{typedErr{}, "custom.kind"},
		{struct{ A int }{1}, "struct { A int }"},
	} {
		if got := PanicType(c.v); got != c.want {
			t.Errorf("PanicType(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
	if TypeName(nil) != "<nil>" || TypeName(&typedErr{}) != "*httpconv.typedErr" {
		t.Errorf("TypeName: %q %q", TypeName(nil), TypeName(&typedErr{}))
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[int]string{100: "100", 404: "404", 500: "500", 599: "599", 999: "999", 1000: "1000", 42: "42"} {
		if got := StatusErrorType(code); got != want {
			t.Errorf("StatusErrorType(%d) = %q", code, got)
		}
	}
	if n := testing.AllocsPerRun(10, func() { StatusErrorType(503) }); n != 0 {
		t.Errorf("StatusErrorType allocates %v times", n)
	}
	for code, want := range map[int]bool{0: false, 200: false, 404: false, 500: true, 503: true, 600: true, 99: true} {
		if ServerError(code) != want {
			t.Errorf("ServerError(%d) != %v", code, want)
		}
	}
	for code, want := range map[int]bool{200: false, 302: false, 404: true, 500: true, 99: true} {
		if ClientError(code) != want {
			t.Errorf("ClientError(%d) != %v", code, want)
		}
	}
}
