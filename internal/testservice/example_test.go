package testservice_test

import (
	"context"
	"fmt"
	"net"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/otelkit/otelkit/internal/testservice"
)

func Example() {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	testservice.Register(srv, func(_ context.Context, method, in string) (string, error) {
		return method[strings.LastIndex(method, "/")+1:] + ":" + strings.ToUpper(in), nil
	})
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(lis) }()
	defer func() { srv.Stop(); <-done }()

	cc, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cc.Close()

	c := testservice.NewClient(cc)
	ctx := context.Background()
	out, _ := c.Unary(ctx, "a")
	fmt.Println(out)
	outs, _ := c.ServerStream(ctx, "b")
	fmt.Println(outs)
	out, _ = c.ClientStream(ctx, []string{"c", "d"})
	fmt.Println(out)
	outs, _ = c.BidiStream(ctx, []string{"e", "f"})
	fmt.Println(outs)
	// Output:
	// Unary:A
	// [ServerStream:B ServerStream:B ServerStream:B]
	// ClientStream:C,ClientStream:D
	// [BidiStream:E BidiStream:F]
}
