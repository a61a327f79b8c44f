package grpcmw_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/otelkit/otelkit/grpcmw"
	"github.com/otelkit/otelkit/internal/testservice"
	"github.com/otelkit/otelkit/session"
)

func TestSessionReachesEveryKind(t *testing.T) {
	tel := newTelemetry(t, nil)
	obs := &observer{}
	srv := serve(t, obs.handle, grpcmw.ServerOptions(tel.options(grpcmw.WithSessionResolver(session.NewResolver(nil)))...))
	c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(tel.options()...)...))

	t.Run("with metadata", func(t *testing.T) {
		obs.reset()
		ctx := metadata.AppendToOutgoingContext(t.Context(),
			"x-session-id", "sess-42", "x-session-model", "gpt-test", "x-session-source", "cli")
		for m, err := range callAll(ctx, c, "hi") {
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
		}
		got := obs.all()
		counts := map[string]int{}
		for _, s := range got {
			counts[s.method]++
			md := s.session.Metadata()
			if s.session == nil || md.SessionID != "sess-42" || md.Model != "gpt-test" || md.SessionSource != "cli" {
				t.Errorf("%s message %d: session %+v", s.method, counts[s.method], md)
			}
			if !s.span.IsValid() {
				t.Errorf("%s message %d: no span in the context", s.method, counts[s.method])
			}
		}
		for _, m := range allMethods {
			if counts[m] != messagesPerRPC[m] {
				t.Errorf("%s: %d messages handled, want %d", m, counts[m], messagesPerRPC[m])
			}
		}
	})

	t.Run("without metadata", func(t *testing.T) {
		obs.reset()
		for m, err := range callAll(t.Context(), c, "hi") {
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
		}
		got := obs.all()
		if len(got) != 10 {
			t.Fatalf("%d messages handled, want 10", len(got))
		}
		for _, s := range got {
			if s.session != nil {
				t.Errorf("%s: session %+v, want nil", s.method, s.session.Metadata())
			}
			// The nil session is a usable no-op.
			if md := s.session.Metadata(); md != (session.Metadata{}) {
				t.Errorf("nil session metadata %+v", md)
			}
			if !s.span.IsValid() {
				t.Errorf("%s: no span in the context", s.method)
			}
		}
	})
}

func TestNoResolverNoSession(t *testing.T) {
	obs := &observer{}
	opts := grpcmw.ServerOptions(newTelemetry(t, nil).options()...)
	if len(opts) != 1 {
		t.Errorf("ServerOptions without a resolver returned %d options, want only the stats handler", len(opts))
	}
	srv := serve(t, obs.handle, opts)
	c := testservice.NewClient(dial(t, srv.addr))
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-session-id", "sess-1")
	for m, err := range callAll(ctx, c, "hi") {
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	for _, s := range obs.all() {
		if s.session != nil {
			t.Errorf("%s: session without a resolver", s.method)
		}
	}
}

type authKey struct{}

// TestEnrichSeesEarlierInterceptors shows the documented ordering: an
// authentication interceptor given before ServerOptions runs first, so the
// resolver's enrich function reads what it stored.
func TestEnrichSeesEarlierInterceptors(t *testing.T) {
	auth := grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		return h(context.WithValue(ctx, authKey{}, "acct-unary"), req)
	})
	authStream := grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		return h(srv, &ctxStream{ServerStream: ss, ctx: context.WithValue(ss.Context(), authKey{}, "acct-stream")})
	})
	resolver := session.NewResolver(nil, session.WithEnrich(func(ctx context.Context, md *session.Metadata) {
		md.AccountID, _ = ctx.Value(authKey{}).(string)
		md.AuthMode = "test"
	}))
	obs := &observer{}
	opts := append([]grpc.ServerOption{auth, authStream},
		grpcmw.ServerOptions(newTelemetry(t, nil).options(grpcmw.WithSessionResolver(resolver))...)...)
	srv := serve(t, obs.handle, opts)
	c := testservice.NewClient(dial(t, srv.addr))
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-session-id", "sess-7")
	for m, err := range callAll(ctx, c, "hi") {
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	for _, s := range obs.all() {
		want := "acct-stream"
		if s.method == testservice.MethodUnary {
			want = "acct-unary"
		}
		if md := s.session.Metadata(); md.AccountID != want || md.AuthMode != "test" || md.SessionID != "sess-7" {
			t.Errorf("%s: session %+v, want account %q", s.method, md, want)
		}
	}
}

type ctxStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *ctxStream) Context() context.Context { return s.ctx }

func TestSessionsConcurrentSafe(t *testing.T) {
	tel := newTelemetry(t, nil)
	srv := serve(t, func(ctx context.Context, _, in string) (string, error) {
		return session.FromContext(ctx).Metadata().SessionID, nil
	}, grpcmw.ServerOptions(tel.options(grpcmw.WithSessionResolver(session.NewResolver(nil)))...))
	c := testservice.NewClient(dial(t, srv.addr, grpcmw.DialOptions(tel.options()...)...))
	var wg sync.WaitGroup
	errs := make(chan error, 8*4)
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				id := fmt.Sprintf("sess-%d-%d", g, i)
				ctx := metadata.AppendToOutgoingContext(t.Context(), "x-session-id", id)
				var got string
				var err error
				if i%2 == 0 {
					got, err = c.Unary(ctx, "")
				} else {
					var outs []string
					outs, err = c.BidiStream(ctx, []string{"", ""})
					if len(outs) > 0 {
						got = outs[len(outs)-1]
					}
				}
				if err != nil || got != id {
					errs <- fmt.Errorf("%s: got %q, %v", id, got, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
