package w3c

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/propagation"
)

// spyCarrier records every key read from an HTTP header carrier.
type spyCarrier struct {
	propagation.HeaderCarrier
	read []string
}

func (c *spyCarrier) Get(k string) string {
	c.read = append(c.read, strings.ToLower(k))
	return c.HeaderCarrier.Get(k)
}

func (c *spyCarrier) Values(k string) []string {
	c.read = append(c.read, strings.ToLower(k))
	return c.HeaderCarrier.Values(k)
}

func TestRemoteSpanContext(t *testing.T) {
	ours, err := Propagators(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	foreign := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	tests := []struct {
		name     string
		prop     propagation.TextMapPropagator
		header   http.Header
		parent   context.Context
		wantOK   bool
		wantFast bool
	}{
		{name: "ours", prop: ours, header: headers("traceparent", specTP, "tracestate", "a=1", "baggage", "k=v"), wantOK: true, wantFast: true},
		{name: "ours trace context alone", prop: TraceContext(nil), header: headers("traceparent", specTP), wantOK: true, wantFast: true},
		{name: "foreign composite", prop: foreign, header: headers("traceparent", specTP, "tracestate", "a=1", "baggage", "k=v"), wantOK: true},
		{name: "foreign trace context", prop: propagation.TraceContext{}, header: headers("traceparent", specTP, "tracestate", "a=1"), wantOK: true},
		{name: "foreign, nothing inbound, local parent ignored", prop: foreign, header: headers("baggage", "k=v"), parent: remoteContext(t, "")},
		{name: "ours, invalid", prop: ours, header: headers("traceparent", "00-00")},
		{name: "baggage only set", prop: Baggage(), header: headers("traceparent", specTP)},
		{name: "nil propagator", prop: nil, header: headers("traceparent", specTP)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := tt.parent
			if parent == nil {
				parent = context.Background()
			}
			spy := &spyCarrier{HeaderCarrier: propagation.HeaderCarrier(tt.header)}
			var carrier propagation.TextMapCarrier = spy
			if tt.wantFast {
				carrier = propagation.HeaderCarrier(tt.header) // the fast path reads the map directly
			}
			sc, ok := RemoteSpanContext(parent, tt.prop, carrier)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && (!sc.IsRemote() || sc.TraceID().String() != specTraceID || sc.TraceState().String() != tt.header.Get("tracestate")) {
				t.Errorf("span context = %v", sc)
			}
			if !ok && sc.IsValid() {
				t.Errorf("span context %v with ok=false", sc)
			}
			if slices.Contains(spy.read, "baggage") {
				t.Errorf("baggage was read: %q", spy.read)
			}
			if w3cOnly(tt.prop) != tt.wantFast && tt.prop != nil && tt.wantOK {
				t.Errorf("w3cOnly = %v, want %v", w3cOnly(tt.prop), tt.wantFast)
			}
		})
	}
	if _, ok := RemoteSpanContext(context.Background(), ours, nil); ok {
		t.Error("nil carrier gave a span context")
	}
}

func TestCompositeFieldsOrder(t *testing.T) {
	p, err := Propagators([]string{"baggage", "tracecontext", "baggage"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Fields(); !slices.Equal(got, []string{"baggage", "traceparent", "tracestate"}) {
		t.Errorf("Fields = %q", got)
	}
	if got := (composite{TraceContext(nil), TraceContext(nil)}).Fields(); !slices.Equal(got, []string{"traceparent", "tracestate"}) {
		t.Errorf("duplicate fields: %q", got)
	}
}

func TestConfiguredTraceContext(t *testing.T) {
	members := map[string]map[string]string{"example": {"alpha": "one"}}
	set := func(names []string, conf map[string]map[string]string) propagation.TextMapPropagator {
		t.Helper()
		p, err := Propagators(names, conf)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		prop   propagation.TextMapPropagator
		wantOK bool
	}{
		{name: "set with members", prop: set(nil, members), wantOK: true},
		{name: "trace context alone with members", prop: set([]string{"tracecontext"}, members), wantOK: true},
		{name: "TraceContext with members", prop: TraceContext(members), wantOK: true},
		{name: "set without members", prop: set(nil, nil)},
		{name: "TraceContext without members", prop: TraceContext(nil)},
		{name: "baggage only", prop: set([]string{"baggage"}, members)},
		{name: "none", prop: set([]string{"none"}, members)},
		{name: "foreign", prop: propagation.NewCompositeTextMapPropagator(TraceContext(members))},
		{name: "nil", prop: nil},
		{name: "nil pointer", prop: (*traceContext)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, ok := ConfiguredTraceContext(tt.prop)
			if ok != tt.wantOK || (tc != nil) != tt.wantOK {
				t.Fatalf("ConfiguredTraceContext = %v, %v; want ok %v", tc, ok, tt.wantOK)
			}
			if !ok {
				return
			}
			if _, isTC := tc.(*traceContext); !isTC {
				t.Errorf("got %T, want the trace context propagator", tc)
			}
		})
	}
}
