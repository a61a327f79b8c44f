package propagation_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/otelkit/otelkit/propagation"
)

func TestTraceContextJSON(t *testing.T) {
	tests := []struct {
		name string
		in   propagation.TraceContext
		want string
	}{
		{name: "both", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1"}, want: `{"traceparent":"` + refTraceParent + `","tracestate":"a=1"}`},
		{name: "no tracestate", in: propagation.TraceContext{TraceParent: refTraceParent}, want: `{"traceparent":"` + refTraceParent + `"}`},
		{name: "empty", in: propagation.TraceContext{}, want: `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("Marshal = %s, want %s", b, tt.want)
			}
			var back propagation.TraceContext
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != tt.in {
				t.Errorf("Unmarshal = %+v, want %+v", back, tt.in)
			}
			if back.IsZero() != (tt.in == propagation.TraceContext{}) {
				t.Errorf("IsZero = %v", back.IsZero())
			}
		})
	}
}

func TestTraceContextSpanContext(t *testing.T) {
	tests := []struct {
		name   string
		in     propagation.TraceContext
		wantOK bool
		wantTS string
	}{
		{name: "valid", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1"}, wantOK: true, wantTS: "a=1"},
		{name: "invalid traceparent", in: propagation.TraceContext{TraceParent: "00-zz-0000000000000002-01"}},
		{name: "tracestate alone", in: propagation.TraceContext{TraceState: "a=1"}},
		{name: "invalid tracestate dropped", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "A=1"}, wantOK: true},
		{name: "tracestate with newline dropped", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1\r\nx-evil: 1"}, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, ok := tt.in.SpanContext()
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				if sc.IsValid() {
					t.Errorf("span context %v on failure", sc)
				}
				return
			}
			if !sc.IsRemote() || sc.TraceID().String() != refTraceID || sc.SpanID().String() != refSpanID || !sc.IsSampled() {
				t.Errorf("span context = %v", sc)
			}
			if got := sc.TraceState().String(); got != tt.wantTS {
				t.Errorf("tracestate = %q, want %q", got, tt.wantTS)
			}
		})
	}
}

func TestTraceContextInjectHeader(t *testing.T) {
	tests := []struct {
		name   string
		in     propagation.TraceContext
		before http.Header
		wantOK bool
		wantTP []string
		wantTS []string
	}{
		{
			name: "replaces existing", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1"},
			before: http.Header{"Traceparent": {"old", "older"}, "Tracestate": {"b=2"}},
			wantOK: true, wantTP: []string{refTraceParent}, wantTS: []string{"a=1"},
		},
		{
			name: "removes tracestate when absent", in: propagation.TraceContext{TraceParent: refTraceParent},
			before: http.Header{"Tracestate": {"stale=1"}},
			wantOK: true, wantTP: []string{refTraceParent},
		},
		{
			name: "normalises future version and OWS", in: propagation.TraceContext{TraceParent: " cc-" + refTraceParent[3:] + "-extra ", TraceState: " a=1 , b=2 "},
			before: http.Header{},
			wantOK: true, wantTP: []string{refTraceParent}, wantTS: []string{"a=1,b=2"},
		},
		{
			name: "invalid tracestate never written", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1\r\nx: y"},
			before: http.Header{"Tracestate": {"stale=1"}},
			wantOK: true, wantTP: []string{refTraceParent},
		},
		{
			name: "invalid traceparent leaves header", in: propagation.TraceContext{TraceParent: "garbage\r\n", TraceState: "a=1"},
			before: http.Header{"Traceparent": {"keep"}},
			wantTP: []string{"keep"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.before
			if ok := tt.in.InjectHeader(h); ok != tt.wantOK {
				t.Fatalf("InjectHeader = %v, want %v", ok, tt.wantOK)
			}
			if got := h.Values("traceparent"); !slices.Equal(got, tt.wantTP) {
				t.Errorf("traceparent = %q, want %q", got, tt.wantTP)
			}
			if got := h.Values("tracestate"); !slices.Equal(got, tt.wantTS) {
				t.Errorf("tracestate = %q, want %q", got, tt.wantTS)
			}
		})
	}
	if (propagation.TraceContext{TraceParent: refTraceParent}).InjectHeader(nil) {
		t.Error("InjectHeader(nil) = true")
	}
}

func TestTraceContextCarrier(t *testing.T) {
	var tc propagation.TraceContext
	tc.Set("TraceParent", refTraceParent)
	tc.Set("tracestate", "a=1")
	tc.Set("baggage", "ignored=1")
	if tc.TraceParent != refTraceParent || tc.TraceState != "a=1" {
		t.Fatalf("after Set: %+v", tc)
	}
	if got := tc.Get("TRACEPARENT"); got != refTraceParent {
		t.Errorf("Get(TRACEPARENT) = %q", got)
	}
	if got := tc.Get("baggage"); got != "" {
		t.Errorf("Get(baggage) = %q", got)
	}
	if got := tc.Keys(); !slices.Equal(got, []string{"traceparent", "tracestate"}) {
		t.Errorf("Keys = %q", got)
	}
	tc.Delete("tracestate")
	if got := tc.Keys(); !slices.Equal(got, []string{"traceparent"}) {
		t.Errorf("Keys after Delete = %q", got)
	}
	var nilTC *propagation.TraceContext
	nilTC.Set("traceparent", "x") // must not panic
	if nilTC.Get("traceparent") != "" || nilTC.Keys() != nil {
		t.Error("nil carrier returned values")
	}
}

func TestTraceContextEnviron(t *testing.T) {
	tests := []struct {
		name string
		in   propagation.TraceContext
		want []string
	}{
		{name: "both", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: "a=1"}, want: []string{"TRACEPARENT=" + refTraceParent, "TRACESTATE=a=1"}},
		{name: "no tracestate", in: propagation.TraceContext{TraceParent: refTraceParent}, want: []string{"TRACEPARENT=" + refTraceParent}},
		{name: "invalid tracestate left out", in: propagation.TraceContext{TraceParent: refTraceParent, TraceState: strings.Repeat("x", 600)}, want: []string{"TRACEPARENT=" + refTraceParent}},
		{name: "invalid", in: propagation.TraceContext{TraceParent: "nope"}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Environ(); !slices.Equal(got, tt.want) {
				t.Errorf("Environ = %q, want %q", got, tt.want)
			}
		})
	}
}
