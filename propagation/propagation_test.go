package propagation_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	otelprop "go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelkit/otelkit/propagation"
)

// TestNewTraceStateMerge is the reference's loopback trace test: continue
// from traceparent ...01-...02-01 with tracestate
// example=alpha:zero;keep:yes,other=value under configured
// {example:{alpha:one,beta:two}}, then capture the current span.
func TestNewTraceStateMerge(t *testing.T) {
	p, err := propagation.New(propagation.WithTraceState(refMembers()))
	if err != nil {
		t.Fatal(err)
	}
	parent, ok := propagation.ContextWithRemoteParent(t.Context(),
		propagation.TraceContext{TraceParent: refTraceParent, TraceState: refTraceState})
	if !ok {
		t.Fatal("ContextWithRemoteParent = false")
	}
	tracer, _ := newTracer(t, sdktrace.AlwaysSample())
	ctx, span := tracer.Start(parent, "trace-loopback")
	defer span.End()

	tc, ok := p.FromContext(ctx)
	if !ok {
		t.Fatal("FromContext = false")
	}
	if tc.TraceState != refMerged {
		t.Errorf("tracestate = %q, want %q", tc.TraceState, refMerged)
	}
	if !strings.HasPrefix(tc.TraceParent, "00-"+refTraceID+"-") {
		t.Errorf("traceparent = %q, want trace %s", tc.TraceParent, refTraceID)
	}

	h := http.Header{"Tracestate": {"stale=1"}}
	if !p.InjectHeader(ctx, h) || h.Get("tracestate") != refMerged || h.Get("traceparent") != tc.TraceParent {
		t.Errorf("InjectHeader wrote %v", h)
	}
	out := http.Header{}
	p.Inject(ctx, otelprop.HeaderCarrier(out))
	if out.Get("tracestate") != refMerged {
		t.Errorf("Inject tracestate = %q", out.Get("tracestate"))
	}
}

// TestNewRejectsInvalidTraceState is the reference's
// otel_provider_rejects_header_unsafe_configured_tracestate, plus other
// invalid members; the error names the member.
func TestNewRejectsInvalidTraceState(t *testing.T) {
	tests := []struct {
		name    string
		members map[string]map[string]string
		want    string
	}{
		{name: "newline in value", members: map[string]map[string]string{"example": {"alpha": "one\ntwo"}}, want: `configured tracestate value for member "example" field "alpha"`},
		{name: "comma in value", members: map[string]map[string]string{"example": {"alpha": "a,b"}}, want: `member "example" field "alpha"`},
		{name: "equals in field key", members: map[string]map[string]string{"example": {"a=b": "x"}}, want: `member "example" field "a=b"`},
		{name: "bad member key", members: map[string]map[string]string{"Ex ample": {"a": "x"}}, want: `member key "Ex ample"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := propagation.New(propagation.WithTraceState(tt.members))
			if err == nil || p != nil {
				t.Fatalf("New = %v, %v; want an error", p, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, propagation.ErrInvalidTraceState) {
				t.Errorf("error = %q, want it to contain %q and wrap ErrInvalidTraceState", err, tt.want)
			}
			if err2 := propagation.ValidateTraceState(tt.members); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("ValidateTraceState = %v, want %v", err2, err)
			}
		})
	}
}

func TestWithTraceStateCopies(t *testing.T) {
	members := refMembers()
	opt := propagation.WithTraceState(members)
	members["example"]["alpha"] = "bad\n"
	if _, err := propagation.New(opt); err != nil {
		t.Fatalf("New after the caller's map changed: %v", err)
	}
}

func TestNewPropagators(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		opts    []propagation.Option
		want    []string // sorted fields
		wantErr string
	}{
		{name: "default", want: []string{"baggage", "traceparent", "tracestate"}},
		{name: "env tracecontext", env: "tracecontext", want: []string{"traceparent", "tracestate"}},
		{name: "env with spaces", env: " baggage , tracecontext ", want: []string{"baggage", "traceparent", "tracestate"}},
		{name: "env none", env: "none", want: []string{}},
		{name: "option overrides env", env: "b3", opts: []propagation.Option{propagation.WithPropagators("baggage")}, want: []string{"baggage"}},
		{name: "later option wins", opts: []propagation.Option{propagation.WithPropagators("b3"), propagation.WithPropagators("tracecontext")}, want: []string{"traceparent", "tracestate"}},
		{name: "nil option ignored", opts: []propagation.Option{nil}, want: []string{"baggage", "traceparent", "tracestate"}},
		{name: "env b3", env: "b3", wantErr: `unsupported propagator "b3"`},
		{name: "env jaeger among others", env: "tracecontext,jaeger", wantErr: `unsupported propagator "jaeger"`},
		{name: "option xray", opts: []propagation.Option{propagation.WithPropagators("xray")}, wantErr: `"xray": otelkit propagates W3C context only (supported: "tracecontext", "baggage", "none")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(propagation.EnvPropagators, tt.env)
			p, err := propagation.New(tt.opts...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, propagation.ErrUnsupportedPropagator) {
					t.Fatalf("New error = %v, want %q wrapping ErrUnsupportedPropagator", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := p.Fields()
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Fields = %q, want %q", got, tt.want)
			}
			// The W3C capture path ignores OTEL_PROPAGATORS.
			if f := p.TraceContextPropagator().Fields(); !slices.Equal(f, []string{"traceparent", "tracestate"}) {
				t.Errorf("TraceContextPropagator().Fields = %q", f)
			}
		})
	}
}

func TestPropagatorsFromEnv(t *testing.T) {
	t.Setenv(propagation.EnvPropagators, "tracecontext")
	p, err := propagation.PropagatorsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Fields(); !slices.Equal(got, []string{"traceparent", "tracestate"}) {
		t.Errorf("Fields = %q", got)
	}
	t.Setenv(propagation.EnvPropagators, "ottrace")
	if _, err := propagation.PropagatorsFromEnv(); !errors.Is(err, propagation.ErrUnsupportedPropagator) {
		t.Errorf("PropagatorsFromEnv error = %v", err)
	}
}

func TestNilPropagation(t *testing.T) {
	var p *propagation.Propagation
	ctx := remoteCtx(t, refTraceParent, "a=1")
	h := http.Header{}
	p.Inject(ctx, otelprop.HeaderCarrier(h))
	p.Inject(ctx, nil)
	if h.Get("traceparent") != refTraceParent || h.Get("tracestate") != "a=1" {
		t.Errorf("nil Propagation injected %v", h)
	}
	back := p.Extract(t.Context(), otelprop.HeaderCarrier(h))
	if got := propagation.TraceIDHex(back); got != refTraceID {
		t.Errorf("extracted trace id %q", got)
	}
	if p.Extract(t.Context(), nil) != t.Context() {
		t.Error("Extract(nil carrier) changed ctx")
	}
	if tc, ok := p.FromContext(ctx); !ok || tc.TraceState != "a=1" {
		t.Errorf("FromContext = %+v, %v", tc, ok)
	}
	if !p.InjectHeader(ctx, http.Header{}) {
		t.Error("InjectHeader = false")
	}
	if len(p.Fields()) != 3 {
		t.Errorf("Fields = %q", p.Fields())
	}
}
