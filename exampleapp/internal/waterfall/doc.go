// Package waterfall renders decoded OTLP spans as plain-text trace waterfalls: one block per trace, one
// line per span, indented under its parent, with a duration bar scaled to the trace, the duration, the
// status and a few key attributes.
//
//	trace 4bf92f3577b34da6a3ce929d0e0e4736  POST /v1/conversations/{id}/turns  6 spans  14.2ms
//	POST /v1/conversations/{id}/turns  http server     |########################|  14.2ms         http=200 session=demo-1
//	  exampleapp.v1.Tools/RunTool      grpc client     | ###################### |  12.0ms         rpc=OK
//
// [Render] is a pure function of its input: children are sorted by start time, bars are scaled to the
// trace's duration at a fixed width, and the output is ASCII only (other characters in names and values
// become '?'), so it can be compared with golden files. It never fails: spans whose parent is not in the
// input are drawn as roots and marked, and parent cycles cannot make it loop.
package waterfall
