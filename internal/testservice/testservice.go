package testservice

import (
	"context"
	"errors"
	"io"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ServiceName is the fully qualified name of the service.
const ServiceName = "otelkit.test.TestService"

// Full method names, as gRPC and grpcmw's span names see them (span names
// drop the leading slash).
const (
	MethodUnary        = "/" + ServiceName + "/Unary"
	MethodServerStream = "/" + ServiceName + "/ServerStream"
	MethodClientStream = "/" + ServiceName + "/ClientStream"
	MethodBidiStream   = "/" + ServiceName + "/BidiStream"
)

// ServerStreamReplies is how many replies ServerStream sends for its one
// request.
const ServerStreamReplies = 3

// Handler computes the reply to one request message of method (a full method
// name). ctx is the context the server gives the method. A non-nil error
// ends the RPC with it (return a status error to choose the code).
type Handler func(ctx context.Context, method, in string) (string, error)

// Echo is the Handler that replies with the request.
func Echo(_ context.Context, _, in string) (string, error) { return in, nil }

type service struct{ h Handler }

// Register registers the service on s, answering every message with h (nil
// means [Echo]).
func Register(s grpc.ServiceRegistrar, h Handler) {
	if h == nil {
		h = Echo
	}
	s.RegisterService(&desc, &service{h: h})
}

var desc = grpc.ServiceDesc{
	ServiceName: ServiceName,
	HandlerType: (*any)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Unary", Handler: unaryHandler}},
	Streams: []grpc.StreamDesc{
		{StreamName: "ServerStream", Handler: serverStreamHandler, ServerStreams: true},
		{StreamName: "ClientStream", Handler: clientStreamHandler, ClientStreams: true},
		{StreamName: "BidiStream", Handler: bidiStreamHandler, ServerStreams: true, ClientStreams: true},
	},
}

func unaryHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(wrapperspb.StringValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	s := srv.(*service)
	call := func(ctx context.Context, req any) (any, error) {
		out, err := s.h(ctx, MethodUnary, req.(*wrapperspb.StringValue).GetValue())
		if err != nil {
			return nil, err
		}
		return wrapperspb.String(out), nil
	}
	if interceptor == nil {
		return call(ctx, in)
	}
	return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: MethodUnary}, call)
}

func serverStreamHandler(srv any, stream grpc.ServerStream) error {
	in := new(wrapperspb.StringValue)
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	h := srv.(*service).h
	for range ServerStreamReplies {
		out, err := h(stream.Context(), MethodServerStream, in.GetValue())
		if err != nil {
			return err
		}
		if err := stream.SendMsg(wrapperspb.String(out)); err != nil {
			return err
		}
	}
	return nil
}

func clientStreamHandler(srv any, stream grpc.ServerStream) error {
	h := srv.(*service).h
	var outs []string
	for {
		in := new(wrapperspb.StringValue)
		err := stream.RecvMsg(in)
		if errors.Is(err, io.EOF) {
			return stream.SendMsg(wrapperspb.String(strings.Join(outs, ",")))
		}
		if err != nil {
			return err
		}
		out, err := h(stream.Context(), MethodClientStream, in.GetValue())
		if err != nil {
			return err
		}
		outs = append(outs, out)
	}
}

func bidiStreamHandler(srv any, stream grpc.ServerStream) error {
	h := srv.(*service).h
	for {
		in := new(wrapperspb.StringValue)
		err := stream.RecvMsg(in)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		out, err := h(stream.Context(), MethodBidiStream, in.GetValue())
		if err != nil {
			return err
		}
		if err := stream.SendMsg(wrapperspb.String(out)); err != nil {
			return err
		}
	}
}
