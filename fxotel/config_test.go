package fxotel_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/fxotel/fxoteltest"
)

// A bad Config fails fx.New although nothing asks for the middleware or the gRPC options.
func TestInvalidConfigFailsFxNewNamingTheField(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   fxotel.Config
		field string
	}{
		{"bad peer on a public endpoint", fxotel.Config{PublicEndpoint: true, TrustedPeers: []string{"10.0.0.0/33"}}, "Config.TrustedPeers"},
		{"bad peer alone", fxotel.Config{TrustedPeers: []string{"proxy.internal"}}, "Config.TrustedPeers"},
		{"negative stop margin", fxotel.Config{StopMargin: -time.Second}, "Config.StopMargin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := otelkit.NewMemory()
			err := fx.New(fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem), fx.Supply(tc.cfg)).Err()
			if !errors.Is(err, fxotel.ErrInvalidConfig) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("err = %v, want ErrInvalidConfig naming %s", err, tc.field)
			}
		})
	}
}

// TrustedPeers without PublicEndpoint is not ignored: only the listed peers are trusted.
func TestTrustedPeersAloneImplyThePeerPolicy(t *testing.T) {
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	for _, tc := range []struct {
		name    string
		peer    string
		trusted bool
	}{
		{"listed peer", "10.1.2.3:40000", true},
		{"other peer", "203.0.113.9:40000", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := otelkit.NewMemory()
			var mw fxotel.HTTPMiddleware
			app := fxtest.New(t, fx.NopLogger, fxotel.Module, fxoteltest.Memory(mem),
				fx.Supply(fxotel.Config{TrustedPeers: []string{"10.0.0.0/8"}}), fx.Populate(&mw))
			app.RequireStart()
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
			req := httptest.NewRequest(http.MethodGet, "/orders", nil)
			req.RemoteAddr = tc.peer
			req.Header.Set("Traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
			h.ServeHTTP(httptest.NewRecorder(), req)
			app.RequireStop()
			spans := mem.Spans()
			if len(spans) != 1 {
				t.Fatalf("spans = %d, want 1", len(spans))
			}
			sp := spans[0]
			child := sp.SpanContext.TraceID().String() == traceID && sp.Parent.IsRemote()
			if child != tc.trusted {
				t.Fatalf("server span is a child of the inbound context: %v, want %v (links %v)", child, tc.trusted, sp.Links)
			}
			if !tc.trusted && (len(sp.Links) != 1 || sp.Links[0].SpanContext.TraceID().String() != traceID) {
				t.Fatalf("untrusted span links = %v, want one link to the inbound context", sp.Links)
			}
		})
	}
}

// A Config decoded from JSON takes StopMargin as a duration string or nanoseconds; a bad one is an
// ErrInvalidConfig naming the key, and the other fields decode as usual.
func TestConfigJSON(t *testing.T) {
	var c fxotel.Config
	if err := json.Unmarshal([]byte(`{"strict": true, "stop_margin": "750ms", "trusted_peers": ["10.0.0.0/8"]}`), &c); err != nil {
		t.Fatal(err)
	}
	if !c.Strict || c.StopMargin != 750*time.Millisecond || len(c.TrustedPeers) != 1 {
		t.Fatalf("decoded %+v", c)
	}
	if err := json.Unmarshal([]byte(`{"stop_margin": 2000000}`), &c); err != nil || c.StopMargin != 2*time.Millisecond {
		t.Fatalf("nanoseconds: %v, %v", c.StopMargin, err)
	}
	err := json.Unmarshal([]byte(`{"stop_margin": "half a second"}`), &c)
	if !errors.Is(err, fxotel.ErrInvalidConfig) || !strings.Contains(err.Error(), "stop_margin") {
		t.Fatalf("err = %v, want ErrInvalidConfig naming stop_margin", err)
	}
}
