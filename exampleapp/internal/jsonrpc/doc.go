// Package jsonrpc is a small JSON-RPC 2.0 server and client over HTTP POST, instrumented the way
// app-server hosts need: the W3C trace context and the session (conversation) id travel in the request's
// params, not in transport headers, so a call can be continued from any transport (HTTP here; stdio or a
// websocket in a real app-server).
//
// Every request's params object may carry, besides the method's own fields:
//
//	{"trace": {"traceparent": "00-…-…-01", "tracestate": "…"}, "sessionId": "c-42", …}
//
// The [Client] starts a client span per call, captures it into params.trace with the provider's
// propagator (so configured tracestate members are merged in) and sets params.sessionId. The [Server]
// extracts params.trace through a propagation.Policy (trusted peers continue the caller's trace; untrusted
// ones get a new root with a link), starts a server span named after the method, resolves the session from
// params.sessionId and puts it in the handler's context (session.FromContext), and records
// rpc.server.call.duration. Span and metric attributes follow the OpenTelemetry RPC semantic conventions
// for JSON-RPC (rpc.system.name "jsonrpc", rpc.method, jsonrpc.protocol.version, jsonrpc.request.id,
// rpc.response.status_code and error.type on errors).
//
// Single requests and notifications are supported; batches are answered with an Invalid Request error.
package jsonrpc
