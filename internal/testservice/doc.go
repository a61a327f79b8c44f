// Package testservice is a small gRPC service for grpcmw's tests and
// benchmarks: one unary method and one method of each streaming kind
// (server, client and bidirectional), carrying
// google.protobuf.StringValue messages, so that no generated code is needed.
//
// Every request message is answered by a [Handler] that sees the RPC's
// context as the server hands it to the method (the unary context, or
// ServerStream.Context() for every message of a stream), which is what tests
// inspect for spans, sessions and baggage.
package testservice
