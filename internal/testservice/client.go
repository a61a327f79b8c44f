package testservice

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Client calls the test service. Each method runs one whole RPC.
type Client struct{ cc grpc.ClientConnInterface }

// NewClient returns a Client on cc.
func NewClient(cc grpc.ClientConnInterface) *Client { return &Client{cc: cc} }

// Unary sends in and returns the reply.
func (c *Client) Unary(ctx context.Context, in string, opts ...grpc.CallOption) (string, error) {
	out := new(wrapperspb.StringValue)
	if err := c.cc.Invoke(ctx, MethodUnary, wrapperspb.String(in), out, opts...); err != nil {
		return "", err
	}
	return out.GetValue(), nil
}

// ServerStream sends in and returns the [ServerStreamReplies] replies.
func (c *Client) ServerStream(ctx context.Context, in string, opts ...grpc.CallOption) ([]string, error) {
	stream, err := c.cc.NewStream(ctx, &desc.Streams[0], MethodServerStream, opts...)
	if err != nil {
		return nil, err
	}
	if err := stream.SendMsg(wrapperspb.String(in)); err != nil {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	return recvAll(stream)
}

// ClientStream sends each of ins and returns the reply: the handler's
// replies joined by commas.
func (c *Client) ClientStream(ctx context.Context, ins []string, opts ...grpc.CallOption) (string, error) {
	stream, err := c.cc.NewStream(ctx, &desc.Streams[1], MethodClientStream, opts...)
	if err != nil {
		return "", err
	}
	for _, in := range ins {
		if err := stream.SendMsg(wrapperspb.String(in)); err != nil {
			break // the server ended the RPC; RecvMsg reports its status
		}
	}
	if err := stream.CloseSend(); err != nil {
		return "", err
	}
	out := new(wrapperspb.StringValue)
	if err := stream.RecvMsg(out); err != nil {
		return "", err
	}
	return out.GetValue(), nil
}

// BidiStream sends each of ins, one at a time waiting for its reply, and
// returns the replies.
func (c *Client) BidiStream(ctx context.Context, ins []string, opts ...grpc.CallOption) ([]string, error) {
	stream, err := c.cc.NewStream(ctx, &desc.Streams[2], MethodBidiStream, opts...)
	if err != nil {
		return nil, err
	}
	outs := make([]string, 0, len(ins))
	for _, in := range ins {
		if err := stream.SendMsg(wrapperspb.String(in)); err != nil {
			break
		}
		out := new(wrapperspb.StringValue)
		if err := stream.RecvMsg(out); err != nil {
			return outs, err
		}
		outs = append(outs, out.GetValue())
	}
	if err := stream.CloseSend(); err != nil {
		return outs, err
	}
	rest, err := recvAll(stream)
	return append(outs, rest...), err
}

// recvAll receives replies until the end of the stream.
func recvAll(stream grpc.ClientStream) ([]string, error) {
	var outs []string
	for {
		out := new(wrapperspb.StringValue)
		err := stream.RecvMsg(out)
		if errors.Is(err, io.EOF) {
			return outs, nil
		}
		if err != nil {
			return outs, err
		}
		outs = append(outs, out.GetValue())
	}
}
