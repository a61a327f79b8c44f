package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMakeDemo runs `make demo` itself (the recipe `make run` shares: build, then exec the binary) on free
// ports and with no OTEL_* variables, so it uses the embedded receiver, then checks what it printed.
func TestMakeDemo(t *testing.T) {
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Fatalf("make is needed, as for `make test`: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "bin", "exampleapp")                // where the recipe builds it
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute) // a cold build on a slow machine, then the demo
	defer cancel()

	cmd := exec.CommandContext(ctx, makeBin, "-s", "-C", root, "demo",
		"ARGS=-http-addr 127.0.0.1:0 -grpc-addr 127.0.0.1:0 -rpc-addr 127.0.0.1:0")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OTEL_") && !strings.HasPrefix(kv, "TRACEPARENT=") &&
			!strings.HasPrefix(kv, "MAKEFLAGS=") && !strings.HasPrefix(kv, "MFLAGS=") && !strings.HasPrefix(kv, "MAKELEVEL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("make demo: %v (after %v)\nstdout:\n%s\nstderr:\n%s", err, time.Since(start), stdout.String(), stderr.String())
	}
	out := stdout.String()
	if stderr.Len() > 0 {
		t.Errorf("stderr is not empty (export warnings?):\n%s", stderr.String())
	}

	for _, re := range []string{
		// the cross-protocol waterfall, with the failing turn's errors
		`(?m)^trace [0-9a-f]{32}  POST /v1/conversations/\{id\}/turns  6 spans  \S+$`,
		`(?m)^trace [0-9a-f]{32}  POST /v1/conversations/\{id\}/turns  6 spans  \S+  5 errors$`,
		`(?m)^POST /v1/conversations/\{id\}/turns +http server +\|#+\| +\S+ +session=demo-1 http=200 events=codex.user_prompt$`,
		`(?m)^  exampleapp.v1.Tools/RunTool +grpc client +\|[# ]+\| +\S+ +rpc=OK$`,
		`(?m)^    exampleapp.v1.Tools/RunTool +grpc server +\|[# ]+\| +\S+ +rpc=OK events=codex.tool_result$`,
		`(?m)^      tools/exec +jsonrpc client +\|[# ]+\| +\S+$`,
		`(?m)^        POST +http client +\|[# ]+\| +\S+ +http=200$`,
		`(?m)^        tools/exec +jsonrpc server +\|[# ]+\| +\S+ +session=demo-1 events=codex.api_request$`,
		`(?m)^        tools/exec +jsonrpc server +\|[# ]+\| +\S+  ERROR  session=demo-1 rpc=-32000 error=-32000 msg="search backend unavailable \(503\)"`,
		`(?m)^  exampleapp.v1.Tools/StreamTokens +grpc client`,
		// the session events, under their trace
		`(?m)^    codex.user_prompt +in POST /v1/conversations/\{id\}/turns  conversation.id=demo-1  prompt_length=29  prompt=\[REDACTED\]$`,
		`(?m)^    codex.api_request +in tools/exec  conversation.id=demo-1  duration_ms=\d+  http.response.status_code=200`,
		`(?m)^    codex.tool_result +in exampleapp.v1.Tools/RunTool  conversation.id=demo-1  tool_name=search  call_id=call-1`,
		`(?m)^    codex.sse_event +in GET /v1/conversations/\{id\}/stream  conversation.id=demo-1  event.kind=response.completed`,
		// the metric totals
		`(?m)^  http.server.request.duration +histogram +4 +avg \S+ +http.route: /v1/conversations/\{id\}/turns=2 `,
		`(?m)^  rpc.server.call.duration +histogram +5 +avg \S+ +rpc.method: `,
		`(?m)^  codex.tool.call +counter +2 +tool: fail=1 search=1$`,
		`(?m)^  codex.api_request +counter +2 +status: 200=1 503=1$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output does not match %s", re)
		}
	}

	exported := regexp.MustCompile(`(?m)^  exported in total    (\d+) spans, (\d+) metric points, (\d+) log records  \(0 lost\)$`).FindStringSubmatch(out)
	received := regexp.MustCompile(`(?m)^  received             (\d+) spans, (\d+) metric points, (\d+) log records  by the embedded receiver$`).FindStringSubmatch(out)
	if exported == nil || received == nil {
		t.Fatalf("no exported/received lines in the output:\n%s", out)
	}
	if exported[1] != "16" || exported[3] != "13" || exported[2] == "0" {
		t.Errorf("exported %s spans, %s metric points, %s log records; want 16 spans, some points, 13 log records",
			exported[1], exported[2], exported[3])
	}
	if strings.Join(exported[1:], " ") != strings.Join(received[1:], " ") {
		t.Errorf("exported %v but the receiver got %v", exported[1:], received[1:])
	}
	if !regexp.MustCompile(`(?m)^  flushed at shutdown  \d+ spans?, \d+ metric points?, \d+ log records?$`).MatchString(out) {
		t.Errorf("no flushed-at-shutdown line")
	}
	if t.Failed() {
		t.Logf("stdout:\n%s", out)
	}

	// A listen failure names the flag. (Run as a process: fx runs no stop hooks when construction fails, so
	// in-process the provider fxotel built before the failing constructor would keep its goroutines.)
	bad := exec.CommandContext(ctx, bin, "-demo", "-http-addr", "127.0.0.1:-1", "-grpc-addr", "127.0.0.1:0", "-rpc-addr", "127.0.0.1:0")
	bad.Env = cmd.Env
	msg, err := bad.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(msg), "cannot listen on 127.0.0.1:-1 (-http-addr)") {
		t.Errorf("with a bad -http-addr: %v\n%s", err, msg)
	}
}
