package main

import (
	"context"
	"io"
	"strings"

	"go.uber.org/fx"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/session"
)

// toolsClient calls exampleapp.v1.Tools over a connection built with fxotel.GRPCDialOptions (client spans,
// rpc.client.call.duration, W3C context in the metadata).
type toolsClient struct{ cc *grpc.ClientConn }

func newToolsClient(lc fx.Lifecycle, s *grpcServer, opts fxotel.GRPCDialOptions) (*toolsClient, error) {
	cc, err := grpc.NewClient(s.Addr(), append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(cc.Close))
	return &toolsClient{cc: cc}, nil
}

// withSession adds the session's metadata to the outgoing gRPC metadata under the keys grpcmw's resolver
// reads (session.DefaultKeys, lower-cased), so the gRPC handler gets the same session.
func withSession(ctx context.Context, sess *session.Telemetry) context.Context {
	md := sess.Metadata()
	k := session.DefaultKeys
	var kv []string
	for _, p := range [][2]string{{k.SessionID, md.SessionID}, {k.Model, md.Model}, {k.Originator, md.Originator},
		{k.SessionSource, md.SessionSource}, {k.AppVersion, md.AppVersion}} {
		if p[1] != "" {
			kv = append(kv, strings.ToLower(p[0]), p[1])
		}
	}
	if len(kv) == 0 {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, kv...)
}

// RunTool calls Tools/RunTool and returns the tool's output.
func (c *toolsClient) RunTool(ctx context.Context, name, args, callID string) (string, error) {
	in, err := structpb.NewStruct(map[string]any{"tool": name, "arguments": args, "call_id": callID})
	if err != nil {
		return "", err
	}
	out := new(structpb.Struct)
	if err := c.cc.Invoke(ctx, methodRunTool, in, out); err != nil {
		return "", err
	}
	return out.GetFields()["output"].GetStringValue(), nil
}

// StreamTokens calls Tools/StreamTokens and hands each message to fn until the stream ends.
func (c *toolsClient) StreamTokens(ctx context.Context, prompt string, fn func(*structpb.Struct) error) error {
	stream, err := c.cc.NewStream(ctx, &toolsDesc.Streams[0], methodStreamTokens)
	if err != nil {
		return err
	}
	in, err := structpb.NewStruct(map[string]any{"prompt": prompt})
	if err != nil {
		return err
	}
	if err := stream.SendMsg(in); err != nil {
		return err
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		msg := new(structpb.Struct)
		err := stream.RecvMsg(msg)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(msg); err != nil {
			return err
		}
	}
}
