package loadtest_test

// Fuzz targets for parsers of inbound data that had none: the trusted-peer policy (ParseTrustedPeers,
// PeerAddr, Trusts, Extract) and the session stream-event parsers (SSEFromData, WebSocketEventFromText).
// Their seed corpora are in testdata/fuzz/<Name>/ and run with every `go test`; `make fuzz` explores.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// modelPeer is PeerAddr as documented: "ip:port", "[ipv6]:port", or a bare IP, bracketed or not; unmapped.
func modelPeer(remote string) netip.Addr {
	s := strings.TrimSpace(remote)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}

// modelPrefixes parses trusted-peer entries as documented: CIDR prefixes or single addresses, trimmed,
// blanks skipped; ok is false when an entry is neither.
func modelPrefixes(entries []string) (out []netip.Prefix, ok bool) {
	for _, raw := range entries {
		s := strings.TrimSpace(raw)
		switch {
		case s == "":
		case strings.Contains(s, "/"):
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, false
			}
			if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
		default:
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, false
			}
			a = a.WithZone("")
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out, true
}

// FuzzTrustedPeers: parsing a trusted-peer list and a connection's remote address never panics; the list
// is accepted exactly when every entry is a prefix or an address; the zero address is never trusted; the
// trust decision does not depend on the spelling of the peer (zone, IPv4-mapped IPv6) and matches the
// prefixes; and Extract (and ExtractHTTP) continue the remote trace with its baggage exactly for trusted
// peers, and otherwise start a new root linked to it, without baggage.
func FuzzTrustedPeers(f *testing.F) {
	f.Add("10.0.0.0/8, 192.0.2.1", "10.1.2.3:443")
	f.Fuzz(func(t *testing.T, list, remote string) {
		entries := strings.Split(list, ",")
		p, err := propagation.ParseTrustedPeers(entries)
		prefixes, ok := modelPrefixes(entries)
		if (err == nil) != ok {
			t.Fatalf("ParseTrustedPeers(%q) err = %v, want ok=%v", entries, err, ok)
		}
		if err != nil {
			if !errors.Is(err, propagation.ErrInvalidPeer) {
				t.Fatalf("error %v does not wrap ErrInvalidPeer", err)
			}
			return
		}
		peer := propagation.PeerAddr(remote)
		if want := modelPeer(remote); peer != want {
			t.Fatalf("PeerAddr(%q) = %v, want %v", remote, peer, want)
		}
		if p.Trusts(netip.Addr{}) {
			t.Fatal("the zero address is trusted")
		}
		trusted := p.Trusts(peer)
		if peer.IsValid() {
			want := false
			for _, pfx := range prefixes {
				want = want || pfx.Contains(peer.WithZone("").Unmap())
			}
			if trusted != want {
				t.Fatalf("%v trusts %v: %v, want %v", p, peer, trusted, want)
			}
			if peer.Zone() != "" && p.Trusts(peer.WithZone("")) != trusted {
				t.Fatalf("trust of %v depends on its zone", peer)
			}
			if peer.Is4() && p.Trusts(netip.AddrFrom16(peer.As16())) != trusted {
				t.Fatalf("trust of %v differs when written as IPv4-mapped IPv6", peer)
			}
		}
		carrier := otelprop.MapCarrier{"traceparent": validTP, "baggage": "tenant=acme"}
		ctx, link, linked := p.Extract(context.Background(), nil, carrier, peer)
		checkExtract(t, ctx, link, linked, trusted)
		r, _ := http.NewRequest(http.MethodGet, "http://example.com/", nil)
		r.RemoteAddr = remote
		r.Header.Set("traceparent", validTP)
		r.Header.Set("baggage", "tenant=acme")
		ctx, link, linked = p.ExtractHTTP(r, nil)
		checkExtract(t, ctx, link, linked, trusted)
	})
}

func checkExtract(t *testing.T, ctx context.Context, link trace.Link, linked, trusted bool) {
	t.Helper()
	sc := trace.SpanContextFromContext(ctx)
	bag := baggage.FromContext(ctx)
	if trusted {
		if !sc.IsRemote() || sc.TraceID().String() != clientTraceID || bag.Len() != 1 || linked {
			t.Fatalf("trusted peer: remote %v baggage %d linked %v, want the remote parent and its baggage", sc, bag.Len(), linked)
		}
		return
	}
	if sc.IsValid() || bag.Len() != 0 || !linked || link.SpanContext.TraceID().String() != clientTraceID {
		t.Fatalf("untrusted peer: parent %v baggage %d linked %v, want a link only", sc, bag.Len(), linked)
	}
}

// discardLogs is a log processor that drops every record.
type discardLogs struct{}

func (discardLogs) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (discardLogs) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (discardLogs) ForceFlush(context.Context) error                       { return nil }
func (discardLogs) Shutdown(context.Context) error                         { return nil }

// FuzzStreamEvents: classifying an upstream server-sent event or websocket message never panics and
// follows the documented rules ("[DONE]" succeeds, text that is not JSON fails, response.failed fails,
// timings are never negative), and recording the result through a session (log record and span event)
// never panics either.
func FuzzStreamEvents(f *testing.F) {
	f.Add("", []byte(`{"type":"response.output_text.delta","delta":"hi"}`))
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(discardLogs{}))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	f.Cleanup(func() {
		_ = lp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})
	sess := session.New(session.Metadata{SessionID: "fuzz", Model: "m"}, session.WithLoggerProvider(lp))
	f.Fuzz(func(t *testing.T, event string, data []byte) {
		ctx, span := tp.Tracer("fuzz").Start(context.Background(), "stream")
		defer span.End()
		const waited = 3 * time.Millisecond
		sse := session.SSEFromData(event, data, waited)
		trimmed := strings.TrimSpace(string(data))
		switch {
		case sse.Duration != waited:
			t.Fatalf("duration %v, want %v", sse.Duration, waited)
		case trimmed == "[DONE]" && (sse.Err != nil || sse.Kind != event):
			t.Fatalf("[DONE] gave %+v", sse)
		case trimmed != "[DONE]" && !json.Valid(data) && sse.Err == nil:
			t.Fatalf("invalid JSON %q accepted as %+v", data, sse)
		case event != "" && sse.Kind != event:
			t.Fatalf("kind %q, want the event field %q", sse.Kind, event)
		case sse.Kind == session.KindResponseFailed && sse.Err == nil:
			t.Fatalf("response.failed without an error: %q", data)
		}
		sess.SSEEvent(ctx, sse)

		ws := session.WebSocketEventFromText(data, waited)
		if !json.Valid(data) && (ws.Kind != session.KindParseError || ws.Err == nil) {
			t.Fatalf("invalid JSON %q gave %+v", data, ws)
		}
		if ws.Kind == session.KindResponseFailed && ws.Err == nil {
			t.Fatalf("response.failed without an error: %q", data)
		}
		if tm := ws.Timing; tm != nil {
			for _, d := range []time.Duration{tm.Overhead, tm.InferenceTime, tm.EngineIAPITTFT, tm.EngineServiceTTFT,
				tm.EngineIAPITBT, tm.EngineServiceTBT} {
				if d < 0 || d%time.Millisecond != 0 {
					t.Fatalf("timing %v from %q: want whole non-negative milliseconds", d, data)
				}
			}
		}
		sess.WebSocketEvent(ctx, ws)
	})
}
