package main

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	reflectionv1 "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/structpb"
)

func dialTools(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// TestReflection does what grpcurl does: list the services and fetch the descriptor of Tools.
func TestReflection(t *testing.T) {
	ta := startApp(t)
	defer ta.app.RequireStop()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	stream, err := reflectionv1.NewServerReflectionClient(dialTools(t, ta.GRPC.Addr())).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(req *reflectionv1.ServerReflectionRequest) *reflectionv1.ServerReflectionResponse {
		t.Helper()
		if err := stream.Send(req); err != nil {
			t.Fatal(err)
		}
		resp, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if e := resp.GetErrorResponse(); e != nil {
			t.Fatalf("reflection error %d: %s", e.GetErrorCode(), e.GetErrorMessage())
		}
		return resp
	}
	var services []string
	for _, s := range ask(&reflectionv1.ServerReflectionRequest{
		MessageRequest: &reflectionv1.ServerReflectionRequest_ListServices{}}).GetListServicesResponse().GetService() {
		services = append(services, s.GetName())
	}
	if !slices.Contains(services, toolsService) {
		t.Fatalf("services %q, want %s", services, toolsService)
	}
	resp := ask(&reflectionv1.ServerReflectionRequest{
		MessageRequest: &reflectionv1.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: toolsService + ".RunTool"}})
	files := resp.GetFileDescriptorResponse().GetFileDescriptorProto()
	var tools *descriptorpb.FileDescriptorProto
	var names []string
	for _, b := range files {
		fd := new(descriptorpb.FileDescriptorProto)
		if err := proto.Unmarshal(b, fd); err != nil {
			t.Fatal(err)
		}
		names = append(names, fd.GetName())
		if fd.GetName() == toolsProtoFile {
			tools = fd
		}
	}
	if tools == nil || !slices.Contains(names, "google/protobuf/struct.proto") {
		t.Fatalf("files %q, want %s and its dependency struct.proto", names, toolsProtoFile)
	}
	m := tools.GetService()[0].GetMethod()
	if len(m) != 2 || m[0].GetName() != "RunTool" || m[1].GetName() != "StreamTokens" || !m[1].GetServerStreaming() ||
		m[0].GetInputType() != ".google.protobuf.Struct" {
		t.Errorf("methods %v", m)
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != io.EOF {
		t.Errorf("after CloseSend: %v", err)
	}
}

// TestGRPCCalls calls the service as grpcurl would, with a plain (uninstrumented) client.
func TestGRPCCalls(t *testing.T) {
	ta := startApp(t)
	defer ta.app.RequireStop()
	cc := dialTools(t, ta.GRPC.Addr())
	ctx := metadata.AppendToOutgoingContext(t.Context(), "x-session-id", "g1")

	in, _ := structpb.NewStruct(map[string]any{"tool": "echo", "arguments": "hello"})
	out := new(structpb.Struct)
	if err := cc.Invoke(ctx, methodRunTool, in, out); err != nil {
		t.Fatal(err)
	}
	if f := out.GetFields(); f["output"].GetStringValue() != "hello" || !f["success"].GetBoolValue() {
		t.Errorf("RunTool = %v", out)
	}

	for _, tc := range []struct {
		name string
		in   map[string]any
		want codes.Code
	}{
		{"unknown tool", map[string]any{"tool": "nope"}, codes.InvalidArgument},
		{"failing tool", map[string]any{"tool": "fail"}, codes.Unavailable},
	} {
		in, _ := structpb.NewStruct(tc.in)
		err := cc.Invoke(ctx, methodRunTool, in, new(structpb.Struct))
		if status.Code(err) != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

	stream, err := cc.NewStream(ctx, &toolsDesc.Streams[0], methodStreamTokens)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := structpb.NewStruct(map[string]any{"prompt": "the   sea"})
	if err := stream.SendMsg(req); err != nil {
		t.Fatal(err)
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var text string
	var last *structpb.Struct
	for {
		msg := new(structpb.Struct)
		if err := stream.RecvMsg(msg); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		text += msg.GetFields()["delta"].GetStringValue()
		last = msg
	}
	if text != "Here is a short answer about the sea." {
		t.Errorf("streamed text %q", text)
	}
	if f := last.GetFields(); f["kind"].GetStringValue() != "response.completed" || f["input_tokens"].GetNumberValue() != 2 ||
		f["output_tokens"].GetNumberValue() != 8 {
		t.Errorf("last message %v", last)
	}

	empty, _ := structpb.NewStruct(map[string]any{})
	s2, err := cc.NewStream(ctx, &toolsDesc.Streams[0], methodStreamTokens)
	if err != nil {
		t.Fatal(err)
	}
	_ = s2.SendMsg(empty)
	_ = s2.CloseSend()
	if err := s2.RecvMsg(new(structpb.Struct)); status.Code(err) != codes.InvalidArgument {
		t.Errorf("StreamTokens without a prompt: %v", err)
	}
}
