package main

import (
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// The gRPC service has no .proto file: its descriptor is built in code (descriptor.go) and served by
// gRPC reflection, which is what grpcurl reads.
func Example_grpcService() {
	files, err := toolsFiles()
	if err != nil {
		panic(err)
	}
	d, err := files.FindDescriptorByName(toolsService)
	if err != nil {
		panic(err)
	}
	methods := d.(protoreflect.ServiceDescriptor).Methods()
	for i := range methods.Len() {
		m := methods.Get(i)
		out := string(m.Output().FullName())
		if m.IsStreamingServer() {
			out = "stream " + out
		}
		fmt.Printf("%s(%s) returns (%s)\n", m.FullName(), m.Input().FullName(), out)
	}
	// Output:
	// exampleapp.v1.Tools.RunTool(google.protobuf.Struct) returns (google.protobuf.Struct)
	// exampleapp.v1.Tools.StreamTokens(google.protobuf.Struct) returns (stream google.protobuf.Struct)
}

// The demo's requests, as a client of the HTTP API sends them.
func Example_demoSteps() {
	for _, st := range demoSteps {
		fmt.Println(st.method, st.path, st.status)
	}
	// Output:
	// POST /v1/conversations/demo-1/turns 200
	// GET /v1/conversations/demo-1/stream?prompt=tell+me+a+joke 200
	// POST /v1/conversations/demo-1/turns 502
	// GET /v1/conversations/demo-1 200
}
