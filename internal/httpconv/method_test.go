package httpconv

import (
	"strings"
	"testing"
)

func TestParseMethod(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     Method
		exact    bool
		name     string
		spanName string
	}{
		{"GET", MethodGet, true, "GET", "GET"},
		{"POST", MethodPost, true, "POST", "POST"},
		{"CONNECT", MethodConnect, true, "CONNECT", "CONNECT"},
		{"OPTIONS", MethodOptions, true, "OPTIONS", "OPTIONS"},
		{"TRACE", MethodTrace, true, "TRACE", "TRACE"},
		{"get", MethodGet, false, "GET", "GET"},
		{"Delete", MethodDelete, false, "DELETE", "DELETE"},
		{"pAtCh", MethodPatch, false, "PATCH", "PATCH"},
		{"FOO", MethodOther, false, "_OTHER", "HTTP"},
		{"PROPFIND", MethodOther, false, "_OTHER", "HTTP"},
		{"", MethodOther, false, "_OTHER", "HTTP"},
		{"GET ", MethodOther, false, "_OTHER", "HTTP"},
		{"ÉGET", MethodOther, false, "_OTHER", "HTTP"},
	} {
		m, exact := ParseMethod(c.in)
		if m != c.want || exact != c.exact || m.String() != c.name || m.SpanName() != c.spanName {
			t.Errorf("ParseMethod(%q) = %v %v %q %q, want %v %v %q %q", c.in, m, exact, m.String(), m.SpanName(),
				c.want, c.exact, c.name, c.spanName)
		}
		if got := m.Attr(); string(got.Key) != "http.request.method" || got.Value.AsString() != c.name {
			t.Errorf("Attr(%q) = %v", c.in, got)
		}
		// otelhttp's metric value: upper-cased, known or _OTHER.
		up := strings.ToUpper(c.in)
		switch up {
		case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE":
		default:
			up = "_OTHER"
		}
		if m.String() != up {
			t.Errorf("%q: %q, otelhttp records %q", c.in, m.String(), up)
		}
	}
	if Method(200).String() != "_OTHER" || Method(200).SpanName() != "HTTP" {
		t.Error("out-of-range Method")
	}
	if n := testing.AllocsPerRun(100, func() { ParseMethod("get") }); n != 0 {
		t.Errorf("ParseMethod allocates %v times", n)
	}
}
