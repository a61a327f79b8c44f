package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/exampleapp/internal/console"
)

// printBanner describes what is listening and where telemetry goes.
func printBanner(out io.Writer, s servers, p *otelkit.Provider, emb *embedded) {
	fmt.Fprintf(out, "exampleapp: an fx app-server instrumented by otelkit (fxotel.Module)\n")
	fmt.Fprintf(out, "  HTTP API   %-34s chi + fxotel.HTTPMiddleware\n", s.API.URL())
	fmt.Fprintf(out, "  gRPC       %-34s exampleapp.v1.Tools + reflection, fxotel.GRPCServerOptions\n", s.GRPC.Addr())
	fmt.Fprintf(out, "  JSON-RPC   %-34s app-server endpoint, W3C trace context in params\n", s.RPC.URL())
	if emb != nil {
		fmt.Fprintf(out, "  telemetry  %-34s embedded OTLP/HTTP receiver, printing what arrives\n", emb.URL())
		fmt.Fprintf(out, "             (set OTEL_EXPORTER_OTLP_ENDPOINT to send to a collector instead)\n")
		return
	}
	for _, e := range p.Exporters() {
		fmt.Fprintf(out, "  telemetry  %s\n", e)
	}
}

// printTryIt prints commands to try while the app serves.
func printTryIt(out io.Writer, s servers) {
	api, grpcAddr, rpc := s.API.URL(), s.GRPC.Addr(), s.RPC.URL()
	lines := []string{
		"",
		"== serving; try it (each request prints its trace), Ctrl-C to stop and flush ==",
		"",
		"  # HTTP -> gRPC -> JSON-RPC, as conversation c1 (the X-Session-* headers name the session)",
		fmt.Sprintf(`  curl -s -X POST %s/v1/conversations/c1/turns -H 'X-Session-Id: c1' -d '{"prompt":"hello","tool":"search"}'`, api),
		"  # server-sent events relayed from a gRPC stream; a read; a failure",
		fmt.Sprintf(`  curl -sN '%s/v1/conversations/c1/stream?prompt=hi'`, api),
		fmt.Sprintf(`  curl -s %s/v1/conversations/c1`, api),
		fmt.Sprintf(`  curl -s -X POST %s/v1/conversations/c1/turns -d '{"prompt":"hello","tool":"fail"}'`, api),
		"  # continue your own trace: traceparent header (HTTP) or params.trace (JSON-RPC)",
		fmt.Sprintf(`  curl -s -X POST %s/v1/conversations/c1/turns -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' -d '{"prompt":"hi","tool":"echo"}'`, api),
		fmt.Sprintf(`  curl -s %s -d '{"jsonrpc":"2.0","id":1,"method":"tools/exec","params":{"tool":"echo","arguments":"hi","sessionId":"c1","trace":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}}'`, rpc),
		"  # gRPC (reflection is on; grpcurl: go install github.com/fullstorydev/grpcurl/cmd/grpcurl@latest)",
		fmt.Sprintf(`  grpcurl -plaintext -H 'x-session-id: c1' -d '{"tool":"echo","arguments":"hi"}' %s exampleapp.v1.Tools/RunTool`, grpcAddr),
		fmt.Sprintf(`  grpcurl -plaintext -d '{"prompt":"hi"}' %s exampleapp.v1.Tools/StreamTokens`, grpcAddr),
		"",
	}
	fmt.Fprintln(out, strings.Join(lines, "\n"))
}

// printReport prints what shutdown flushed and what was delivered, and what the embedded receiver got.
func printReport(out io.Writer, took time.Duration, before, after otelkit.Stats, recv *console.Counts) {
	lost := after.Spans.Lost() + after.MetricPoints.Lost() + after.LogRecords.Lost()
	outcome := "telemetry flushed"
	if lost > 0 {
		outcome = "telemetry NOT all delivered"
	}
	fmt.Fprintf(out, "\n== stopped in %s: servers drained, %s ==\n", took.Round(time.Millisecond), outcome)
	fmt.Fprintf(out, "  flushed at shutdown  %s\n", counts(
		after.Spans.Delivered()-before.Spans.Delivered(),
		after.MetricPoints.Delivered()-before.MetricPoints.Delivered(),
		after.LogRecords.Delivered()-before.LogRecords.Delivered()))
	fmt.Fprintf(out, "  exported in total    %s  (%d lost)\n", counts(after.Spans.Delivered(), after.MetricPoints.Delivered(),
		after.LogRecords.Delivered()), lost)
	if recv != nil {
		fmt.Fprintf(out, "  received             %s  by the embedded receiver\n", counts(recv.Spans, recv.MetricPoints, recv.LogRecords))
	}
}

func counts(spans, points, logs uint64) string {
	return plural(spans, "span") + ", " + plural(points, "metric point") + ", " + plural(logs, "log record")
}

func plural(n uint64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
