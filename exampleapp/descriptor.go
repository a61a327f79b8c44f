package main

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/structpb"
)

// toolsProtoFile is the name of the file descriptor describing exampleapp.v1.Tools.
const toolsProtoFile = "exampleapp/v1/tools.proto"

// toolsFileProto is the descriptor protoc would produce for
//
//	syntax = "proto3";
//	package exampleapp.v1;
//	import "google/protobuf/struct.proto";
//	service Tools {
//	  rpc RunTool(google.protobuf.Struct) returns (google.protobuf.Struct);
//	  rpc StreamTokens(google.protobuf.Struct) returns (stream google.protobuf.Struct);
//	}
func toolsFileProto() *descriptorpb.FileDescriptorProto {
	const st = ".google.protobuf.Struct"
	return &descriptorpb.FileDescriptorProto{
		Name:       proto.String(toolsProtoFile),
		Package:    proto.String("exampleapp.v1"),
		Dependency: []string{structpb.File_google_protobuf_struct_proto.Path()},
		Syntax:     proto.String("proto3"),
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: proto.String("Tools"),
			Method: []*descriptorpb.MethodDescriptorProto{
				{Name: proto.String("RunTool"), InputType: proto.String(st), OutputType: proto.String(st)},
				{Name: proto.String("StreamTokens"), InputType: proto.String(st), OutputType: proto.String(st),
					ServerStreaming: proto.Bool(true)},
			},
		}},
	}
}

// files resolves descriptors for reflection: ours first, then the global registry (struct.proto and the
// reflection service's own files). Nothing is added to the global registry.
type files struct{ own *protoregistry.Files }

func toolsFiles() (*files, error) {
	own := new(protoregistry.Files)
	if err := own.RegisterFile(structpb.File_google_protobuf_struct_proto); err != nil {
		return nil, fmt.Errorf("exampleapp: register struct.proto: %w", err)
	}
	fd, err := protodesc.NewFile(toolsFileProto(), own)
	if err != nil {
		return nil, fmt.Errorf("exampleapp: build %s: %w", toolsProtoFile, err)
	}
	if err := own.RegisterFile(fd); err != nil {
		return nil, fmt.Errorf("exampleapp: register %s: %w", toolsProtoFile, err)
	}
	return &files{own: own}, nil
}

// FindFileByPath implements protodesc.Resolver.
func (f *files) FindFileByPath(path string) (protoreflect.FileDescriptor, error) {
	if fd, err := f.own.FindFileByPath(path); err == nil {
		return fd, nil
	}
	return protoregistry.GlobalFiles.FindFileByPath(path)
}

// FindDescriptorByName implements protodesc.Resolver.
func (f *files) FindDescriptorByName(name protoreflect.FullName) (protoreflect.Descriptor, error) {
	if d, err := f.own.FindDescriptorByName(name); err == nil {
		return d, nil
	}
	return protoregistry.GlobalFiles.FindDescriptorByName(name)
}
