package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"go.uber.org/fx"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/reflection"
	reflectionv1 "google.golang.org/grpc/reflection/grpc_reflection_v1"
	reflectionv1alpha "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/otelkit/otelkit/exampleapp/internal/jsonrpc"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/session"
)

// The gRPC service, hand-written (no protoc): its messages are google.protobuf.Struct, whose JSON form is
// a plain object, so grpcurl -d '{"tool":"echo"}' works. descriptor.go describes it for reflection.
const (
	toolsService       = "exampleapp.v1.Tools"
	methodRunTool      = "/" + toolsService + "/RunTool"
	methodStreamTokens = "/" + toolsService + "/StreamTokens"
)

// toolsHandler is the service interface grpc checks the implementation against.
type toolsHandler interface {
	RunTool(ctx context.Context, in *structpb.Struct) (*structpb.Struct, error)
	StreamTokens(in *structpb.Struct, stream grpc.ServerStream) error
}

var toolsDesc = grpc.ServiceDesc{
	ServiceName: toolsService,
	HandlerType: (*toolsHandler)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "RunTool", Handler: runToolHandler}},
	Streams:     []grpc.StreamDesc{{StreamName: "StreamTokens", Handler: streamTokensHandler, ServerStreams: true}},
	Metadata:    toolsProtoFile,
}

func runToolHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(structpb.Struct)
	if err := dec(in); err != nil {
		return nil, err
	}
	h := srv.(toolsHandler)
	if interceptor == nil {
		return h.RunTool(ctx, in)
	}
	return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: methodRunTool},
		func(ctx context.Context, req any) (any, error) { return h.RunTool(ctx, req.(*structpb.Struct)) })
}

func streamTokensHandler(srv any, stream grpc.ServerStream) error {
	in := new(structpb.Struct)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	return srv.(toolsHandler).StreamTokens(in, stream)
}

// toolsServer implements exampleapp.v1.Tools. RunTool runs the tool through the JSON-RPC app-server.
type toolsServer struct{ rpc *jsonrpc.Client }

// RunTool runs {"tool", "arguments", "call_id"} and answers {"output", "success"}. The session comes from
// the call's metadata (x-session-id, resolved by grpcmw); the tool call is recorded with session.RunTool.
func (s *toolsServer) RunTool(ctx context.Context, in *structpb.Struct) (*structpb.Struct, error) {
	f := in.GetFields()
	name, args, callID := f["tool"].GetStringValue(), f["arguments"].GetStringValue(), f["call_id"].GetStringValue()
	if _, ok := tools[name]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown tool %q (have %s)", name, strings.Join(toolNames(), ", "))
	}
	sess := session.FromContext(ctx)
	call := session.ToolCall{Name: name, CallID: callID, Arguments: args}
	out, ok, err := sess.RunTool(ctx, call, func(ctx context.Context) (string, bool, error) {
		var res execResult
		err := s.rpc.Call(ctx, "tools/exec", sess.Metadata().SessionID, execParams{Tool: name, Arguments: args, CallID: callID}, &res)
		return res.Output, err == nil, err
	})
	if err != nil {
		return nil, rpcStatus(err)
	}
	return structpb.NewStruct(map[string]any{"output": out, "success": ok})
}

// rpcStatus maps a JSON-RPC call error to a gRPC status.
func rpcStatus(err error) error {
	var e *jsonrpc.Error
	if !errors.As(err, &e) {
		return status.Error(codes.Unavailable, err.Error())
	}
	switch e.Code {
	case jsonrpc.CodeInvalidParams:
		return status.Error(codes.InvalidArgument, e.Message)
	case jsonrpc.CodeMethodNotFound:
		return status.Error(codes.Unimplemented, e.Message)
	case jsonrpc.CodeServerError:
		return status.Error(codes.Unavailable, e.Message)
	}
	return status.Error(codes.Internal, e.Message)
}

// tokenDelay paces StreamTokens, as a model streaming its answer would.
const tokenDelay = 2 * time.Millisecond

// StreamTokens streams an answer to {"prompt"}: {"kind":"response.output_text.delta","delta"} messages,
// then {"kind":"response.completed","input_tokens","output_tokens"}.
func (s *toolsServer) StreamTokens(in *structpb.Struct, stream grpc.ServerStream) error {
	prompt := strings.Join(strings.Fields(in.GetFields()["prompt"].GetStringValue()), " ")
	if prompt == "" {
		return status.Error(codes.InvalidArgument, `"prompt" is required`)
	}
	if len(prompt) > 80 {
		prompt = prompt[:80]
	}
	words := strings.Fields(fmt.Sprintf("Here is a short answer about %s.", prompt))
	t := time.NewTicker(tokenDelay)
	defer t.Stop()
	for i := 0; i < len(words); i += 2 {
		select {
		case <-t.C:
		case <-stream.Context().Done():
			return status.FromContextError(stream.Context().Err()).Err()
		}
		chunk := strings.Join(words[i:min(i+2, len(words))], " ")
		if i > 0 {
			chunk = " " + chunk
		}
		msg, _ := structpb.NewStruct(map[string]any{"kind": "response.output_text.delta", "delta": chunk})
		if err := stream.SendMsg(msg); err != nil {
			return err
		}
	}
	done, _ := structpb.NewStruct(map[string]any{"kind": "response.completed",
		"input_tokens": float64(len(strings.Fields(prompt))), "output_tokens": float64(len(words))})
	return stream.SendMsg(done)
}

// grpcServer serves exampleapp.v1.Tools and gRPC reflection.
type grpcServer struct{ addr net.Addr }

// Addr returns the bound address.
func (s *grpcServer) Addr() string { return s.addr.String() }

func newGRPCServer(lc fx.Lifecycle, cfg Config, opts fxotel.GRPCServerOptions, rpc *jsonrpc.Client) (*grpcServer, error) {
	files, err := toolsFiles()
	if err != nil {
		return nil, err
	}
	s := grpc.NewServer(opts...)
	s.RegisterService(&toolsDesc, &toolsServer{rpc: rpc})
	ropts := reflection.ServerOptions{Services: s, DescriptorResolver: files}
	reflectionv1.RegisterServerReflectionServer(s, reflection.NewServerV1(ropts))
	reflectionv1alpha.RegisterServerReflectionServer(s, reflection.NewServer(ropts))
	lis, err := listen("-grpc-addr", cfg.GRPCAddr)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				_ = s.Serve(lis)
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			stopped := make(chan struct{})
			go func() { s.GracefulStop(); close(stopped) }() // waits for the RPCs in flight
			select {
			case <-stopped:
			case <-ctx.Done():
				s.Stop()
				<-stopped
			}
			<-done
			return ctx.Err()
		},
	})
	return &grpcServer{addr: lis.Addr()}, nil
}
