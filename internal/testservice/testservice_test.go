package testservice_test

import (
	"context"
	"net"
	"slices"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/otelkit/otelkit/internal/testservice"
)

func TestServiceOverTCP(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	testservice.Register(srv, func(_ context.Context, method, in string) (string, error) {
		if in == "fail" {
			return "", status.Error(codes.NotFound, "no "+method)
		}
		return in + "!", nil
	})
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(lis) }()
	t.Cleanup(func() { srv.Stop(); <-done })
	cc, err := grpc.NewClient("passthrough:///"+lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	c := testservice.NewClient(cc)
	ctx := t.Context()

	if out, err := c.Unary(ctx, "x"); err != nil || out != "x!" {
		t.Errorf("Unary = %q, %v", out, err)
	}
	if outs, err := c.ServerStream(ctx, "y"); err != nil || !slices.Equal(outs, []string{"y!", "y!", "y!"}) {
		t.Errorf("ServerStream = %q, %v", outs, err)
	}
	if out, err := c.ClientStream(ctx, []string{"a", "b"}); err != nil || out != "a!,b!" {
		t.Errorf("ClientStream = %q, %v", out, err)
	}
	if outs, err := c.BidiStream(ctx, []string{"a", "b"}); err != nil || !slices.Equal(outs, []string{"a!", "b!"}) {
		t.Errorf("BidiStream = %q, %v", outs, err)
	}
	for name, call := range map[string]func() error{
		"unary":  func() error { _, err := c.Unary(ctx, "fail"); return err },
		"server": func() error { _, err := c.ServerStream(ctx, "fail"); return err },
		"client": func() error { _, err := c.ClientStream(ctx, []string{"ok", "fail", "ok"}); return err },
		"bidi":   func() error { _, err := c.BidiStream(ctx, []string{"ok", "fail", "ok"}); return err },
	} {
		if got := status.Code(call()); got != codes.NotFound {
			t.Errorf("%s: code %v, want NotFound", name, got)
		}
	}
}
