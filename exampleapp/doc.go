// Command exampleapp is an fx app-server instrumented with otelkit through fxotel.Module, built to show
// the kit working in a minute: run it with `make run` (or `go run ./exampleapp`).
//
// It serves three protocols that call each other:
//
//   - a chi HTTP API (fxotel.HTTPMiddleware): POST /v1/conversations/{id}/turns, GET
//     /v1/conversations/{id}, GET /v1/conversations/{id}/stream (server-sent events) and GET /v1/tools;
//   - a gRPC service exampleapp.v1.Tools (fxotel.GRPCServerOptions) with RunTool (unary) and StreamTokens
//     (server streaming), described by a hand-built file descriptor served through gRPC reflection, so
//     grpcurl works without .proto files;
//   - a JSON-RPC 2.0 app-server endpoint, POST /rpc on its own listener, whose requests carry the W3C trace
//     context and the session id in their params ({"trace": {"traceparent": …}, "sessionId": …}).
//
// A turn goes HTTP → gRPC Tools/RunTool (through fxotel.GRPCDialOptions) → JSON-RPC tools/exec (the gRPC
// handler's JSON-RPC client puts its span's context into params; the JSON-RPC server continues it), so one
// trace spans the three protocols. Handlers record session events: the user prompt (HTTP), the tool call
// (session RunTool, gRPC), the upstream API request (JSON-RPC) and stream events (SSE).
//
// With no OTEL_* exporter configured, telemetry goes over real OTLP/HTTP to an embedded loopback receiver
// (otlptest) and is printed as it arrives: each trace as a waterfall with its session log records, and the
// metric totals. The app then drives a short scripted demo against itself, prints curl and grpcurl
// commands, and serves until SIGINT or SIGTERM; it then drains its servers, flushes, and prints how many
// spans, metric points and log records were exported and received. Set OTEL_EXPORTER_OTLP_ENDPOINT (and
// friends) to send everything to a real collector instead.
//
// Usage:
//
//	exampleapp [-demo | -no-demo] [-http-addr A] [-grpc-addr A] [-rpc-addr A] [-receiver-addr A] [-fx-log]
package main
