package grpcmw_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/propagation"
)

// hostileCase is one generated set of inbound trace metadata.
type hostileCase struct {
	kind    string
	md      []string // key, value pairs; keys may repeat
	traceID string   // the trace id of a valid traceparent, "" when invalid
}

const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

func randString(r *rand.Rand, alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	for range n {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func randHex(r *rand.Rand, n int) string {
	s := randString(r, "0123456789abcdef", n)
	if strings.Trim(s, "0") == "" {
		return "1" + s[1:]
	}
	return s
}

// hostileCases generates n deterministic sets of malformed, oversized or
// (as a control) valid traceparent, tracestate and baggage metadata. Every
// value is printable ASCII, which is all gRPC lets a client send.
func hostileCases(n int) []hostileCase {
	r := rand.New(rand.NewPCG(7, 2026))
	out := make([]hostileCase, 0, n)
	for i := range n {
		tid, sid := randHex(r, 32), randHex(r, 16)
		valid := "00-" + tid + "-" + sid + "-01"
		c := hostileCase{}
		var tp []string
		switch i % 9 {
		case 0: // control: valid traceparent, hostile tracestate/baggage only
			c.kind, tp, c.traceID = "valid", []string{valid}, tid
		case 1: // one character of the ids replaced by a non-hex one
			pos := 3 + r.IntN(49)
			if pos == 35 {
				pos = 36
			}
			bad := randString(r, "ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ!#$%&*+./:;<=>?@^_`|~", 1)
			c.kind, tp = "bad-char", []string{valid[:pos] + bad + valid[pos+1:]}
		case 2:
			c.kind, tp = "truncated", []string{valid[:r.IntN(len(valid))]}
		case 3:
			c.kind, tp = "version-ff", []string{"ff" + valid[2:]}
		case 4:
			c.kind, tp = "zero-trace-id", []string{"00-" + strings.Repeat("0", 32) + "-" + sid + "-01"}
		case 5:
			c.kind, tp = "oversized", []string{valid + "-" + randString(r, printable, 600+r.IntN(2000))}
		case 6:
			c.kind, tp = "duplicated", []string{valid, "00-" + randHex(r, 32) + "-" + sid + "-01"}
		case 7:
			c.kind, tp = "garbage", []string{randString(r, printable, r.IntN(600))}
		case 8:
			c.kind, tp = "uppercase", []string{strings.ToUpper(valid[:3]) + strings.ToUpper(tid) + valid[35:]}
		}
		for _, v := range tp {
			c.md = append(c.md, "traceparent", v)
		}
		c.md = append(c.md, hostileTraceState(r)...)
		c.md = append(c.md, hostileBaggage(r)...)
		out = append(out, c)
	}
	return out
}

func hostileTraceState(r *rand.Rand) []string {
	switch r.IntN(6) {
	case 0: // too many members
		var m []string
		for j := range 33 + r.IntN(40) {
			m = append(m, fmt.Sprintf("k%d=v%d", j, j))
		}
		return []string{"tracestate", strings.Join(m, ",")}
	case 1: // too long
		return []string{"tracestate", "a=" + randString(r, "abcdef0123456789", 520+r.IntN(1000))}
	case 2: // invalid keys and values, duplicates, empty members
		return []string{"tracestate", "UPPER=x,a=b,a=c,,=v,k=" + randString(r, printable, r.IntN(40))}
	case 3: // several entries that are fine alone but not together
		return []string{"tracestate", "a=1", "tracestate", "a=2", "tracestate", randString(r, printable, r.IntN(300))}
	case 4:
		return []string{"tracestate", randString(r, printable, r.IntN(1200))}
	}
	return []string{"tracestate", "congo=t61rcWkgMzE"}
}

func hostileBaggage(r *rand.Rand) []string {
	switch r.IntN(6) {
	case 0: // too many members
		var m []string
		for j := range 181 + r.IntN(100) {
			m = append(m, fmt.Sprintf("k%d=v", j))
		}
		return []string{"baggage", strings.Join(m, ",")}
	case 1: // too many bytes across entries
		return []string{"baggage", "a=" + strings.Repeat("x", 5000), "baggage", "b=" + strings.Repeat("y", 5000)}
	case 2: // bad percent-encoding, no '=', properties
		return []string{"baggage", "k=%zz,novalue,p=1;prop;x=y,%=%"}
	case 3:
		return []string{"baggage", randString(r, printable, r.IntN(1500))}
	case 4:
		return nil
	}
	return []string{"baggage", "user=alice"}
}

func TestHostileMetadataNeverFailsAnRPC(t *testing.T) {
	cases := hostileCases(1000)
	for _, pol := range []struct {
		name   string
		policy propagation.Policy
	}{{"trust-all", propagation.TrustAll()}, {"trust-none", propagation.TrustNone()}} {
		t.Run(pol.name, func(t *testing.T) {
			tel := newTelemetry(t, sdktrace.ParentBased(sdktrace.AlwaysSample()))
			obs := &observer{}
			srv := serve(t, obs.handle, grpcmw.ServerOptions(tel.options(grpcmw.WithPolicy(pol.policy))...))
			c := testservice.NewClient(dial(t, srv.addr))

			var wg sync.WaitGroup
			work := make(chan int)
			errs := make(chan error, len(cases))
			for range 8 {
				wg.Go(func() {
					for i := range work {
						ctx := metadata.AppendToOutgoingContext(t.Context(), cases[i].md...)
						if _, err := c.Unary(ctx, strconv.Itoa(i)); err != nil {
							errs <- fmt.Errorf("case %d (%s): %v", i, cases[i].kind, err)
						}
					}
				})
			}
			for i := range cases {
				work <- i
			}
			close(work)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			srv.stop()

			spans := map[trace.SpanID]sdktrace.ReadOnlySpan{}
			for _, s := range tel.spans.Ended() {
				spans[s.SpanContext().SpanID()] = s
			}
			got := obs.all()
			if len(got) != len(cases) {
				t.Fatalf("%d RPCs handled, want %d", len(got), len(cases))
			}
			for _, s := range got {
				i, _ := strconv.Atoi(s.in)
				hc := cases[i]
				sp, ok := spans[s.span.SpanID()]
				if !ok {
					t.Errorf("case %d (%s): no server span", i, hc.kind)
					continue
				}
				if s.baggage.Len() > propagation.MaxBaggageMembers || len(s.baggage.String()) > propagation.MaxBaggageBytes {
					t.Errorf("case %d: baggage over the limits reached the handler (%d members)", i, s.baggage.Len())
				}
				if ts := s.span.TraceState().String(); len(ts) > propagation.MaxTraceStateBytes {
					t.Errorf("case %d: tracestate of %d bytes", i, len(ts))
				}
				continued := sp.Parent().IsValid()
				switch {
				case pol.name == "trust-none":
					if continued || s.baggage.Len() != 0 {
						t.Errorf("case %d (%s): untrusted context continued (%v) or baggage kept (%d)", i, hc.kind, continued, s.baggage.Len())
					}
					if wantLinks := btoi(hc.traceID != ""); len(sp.Links()) != wantLinks {
						t.Errorf("case %d (%s): %d links, want %d", i, hc.kind, len(sp.Links()), wantLinks)
					}
				case hc.traceID != "":
					if !continued || sp.SpanContext().TraceID().String() != hc.traceID {
						t.Errorf("case %d (%s): valid context not continued (trace %s)", i, hc.kind, sp.SpanContext().TraceID())
					}
				case continued:
					t.Errorf("case %d (%s): invalid traceparent %q continued as %v", i, hc.kind, hc.md[1], sp.Parent())
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
