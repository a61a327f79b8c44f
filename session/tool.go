package session

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/otelkit/otelkit/metrics"
)

// Tool origins (span attribute tool_origin).
const (
	ToolOriginBuiltin = "builtin"
	ToolOriginMCP     = "mcp"
)

// ErrNilTool is returned by [Telemetry.RunTool] when given no function to run.
var ErrNilTool = errors.New("session: RunTool: the tool function is nil")

// ToolCall identifies one tool invocation.
type ToolCall struct {
	// Name names the tool (tool_name; metric tag tool, sanitised when invalid).
	Name string
	// CallID identifies the call (call_id).
	CallID string
	// Arguments are the call's arguments; sensitive: logs get them (arguments), spans their length
	// (arguments_length).
	Arguments string
	// MCPServer names the MCP server of an MCP tool (mcp_server, logs only; recorded even when empty, as ""
	// for a built-in tool); non-empty makes tool_origin "mcp".
	MCPServer string
	// MCPServerOrigin is where that server runs (mcp_server_origin, logs only; recorded even when empty).
	MCPServerOrigin string
	// Tags are extra metric tags for codex.tool.call and its duration, after tool and success. They must
	// be valid and bounded: never ids or free text.
	Tags []metrics.Tag
}

// ToolResult is the argument of [Telemetry.ToolResult]: a finished tool call.
type ToolResult struct {
	// ToolCall is the call that finished.
	ToolCall
	// Duration is how long the call took (duration_ms).
	Duration time.Duration
	// Success reports whether the tool succeeded (success; metric tag success).
	Success bool
	// Output is the tool's output or its preview; sensitive: logs get it (output), spans its length and
	// line count.
	Output string
}

// ToolResult records a finished tool call.
//
//   - metrics: counter codex.tool.call and duration codex.tool.call.duration_ms, tagged tool, success and
//     the call's Tags;
//   - log record codex.tool_result: tool_name, call_id, arguments, duration_ms, success, output,
//     mcp_server, mcp_server_origin (all always present: mcp_server and mcp_server_origin are "" for a
//     built-in tool, as the Rust reference crate emits them);
//   - span event codex.tool_result: tool_name, call_id, duration_ms, success, arguments_length and
//     output_length (bytes), output_line_count, tool_origin ("mcp" or "builtin") and mcp_tool.
func (t *Telemetry) ToolResult(ctx context.Context, r ToolResult) {
	if t.off() {
		return
	}
	t.toolResult(ctx, &r)
}

func (t *Telemetry) toolResult(ctx context.Context, r *ToolResult) {
	if t.metricsOn() {
		t.toolMetrics(&r.ToolCall, r.Success, r.Duration)
	}
	e := t.begin(ctx, EventToolResult, true)
	if e == nil {
		return
	}
	e.both(kToolName.String(r.Name))
	e.both(kCallID.String(r.CallID))
	e.logOnly(kArguments.String(r.Arguments))
	e.both(kDurationMs.Int64(ms(r.Duration)))
	e.both(kSuccess.Bool(r.Success))
	e.logOnly(kOutput.String(r.Output))
	e.logOnly(kMCPServer.String(r.MCPServer))
	e.logOnly(kMCPServerOrigin.String(r.MCPServerOrigin))
	e.traceOnly(kArgumentsLength.Int(len(r.Arguments)))
	e.traceOnly(kOutputLength.Int(len(r.Output)))
	e.traceOnly(kOutputLines.Int(lineCount(r.Output)))
	origin := ToolOriginBuiltin
	if r.MCPServer != "" {
		origin = ToolOriginMCP
	}
	e.traceOnly(kToolOrigin.String(origin))
	e.traceOnly(kMCPTool.Bool(r.MCPServer != ""))
	t.finish(ctx, e)
}

func (t *Telemetry) toolMetrics(c *ToolCall, success bool, d time.Duration) {
	var buf [maxStackTags]metrics.Tag
	tags := append(append(buf[:0], metrics.T(TagTool, tagValue(c.Name)), metrics.T(TagSuccess, boolTag(success))), c.Tags...)
	t.countAndTime(MetricToolCall, MetricToolCallDuration, d, tags...)
}

// RunTool runs f, timing it with the session's clock, records the outcome as [Telemetry.ToolResult] and
// returns f's results unchanged. When f returns an error, the recorded output is the error text and
// success is false. On a nil session f still runs, unrecorded. A nil f records nothing and returns
// [ErrNilTool].
func (t *Telemetry) RunTool(ctx context.Context, call ToolCall, f func(ctx context.Context) (output string, success bool, err error)) (string, bool, error) {
	if f == nil {
		return "", false, ErrNilTool
	}
	if t.off() {
		return f(ctx)
	}
	start := t.cfg.now()
	out, ok, err := f(ctx)
	r := ToolResult{ToolCall: call, Duration: t.cfg.now().Sub(start), Success: ok && err == nil, Output: out}
	if err != nil {
		r.Output = err.Error()
	}
	t.toolResult(ctx, &r)
	return out, ok, err
}

// ToolFailed is the argument of [Telemetry.ToolFailed]: a tool call that failed before producing a result
// (unknown tool, unparsable arguments, rejected by policy).
type ToolFailed struct {
	// ToolCall is the call that failed.
	ToolCall
	// Duration is how long the call took, 0 when the tool never ran (duration_ms).
	Duration time.Duration
	// Err is why the call failed; its text is recorded as the output (logs only).
	Err error
}

// ToolFailed records a failed tool call as a [Telemetry.ToolResult] with success false and the error text
// as output: the same metrics (so failures count in codex.tool.call), log record and span event. The span
// event carries the output's length and line count, never the error text.
func (t *Telemetry) ToolFailed(ctx context.Context, f ToolFailed) {
	if t.off() {
		return
	}
	r := ToolResult{ToolCall: f.ToolCall, Duration: f.Duration}
	if f.Err != nil {
		r.Output = f.Err.Error()
	}
	t.toolResult(ctx, &r)
}

// ToolDecision is the argument of [Telemetry.ToolDecision]: how a tool call was reviewed.
type ToolDecision struct {
	// ToolName names the tool (tool_name).
	ToolName string
	// CallID identifies the call (call_id).
	CallID string
	// Decision is the review's outcome, e.g. "approved", "denied"; recorded lower-cased (decision).
	Decision string
	// Source says who decided, e.g. "config", "user" (source).
	Source string
}

// ToolDecision records log record codex.tool_decision with tool_name, call_id, decision (lower-cased) and
// source. It has no span event and no metrics.
func (t *Telemetry) ToolDecision(ctx context.Context, d ToolDecision) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventToolDecision, false)
	if e == nil {
		return
	}
	e.logOnly(kToolName.String(d.ToolName))
	e.logOnly(kCallID.String(d.CallID))
	e.logOnly(kDecision.String(lower(d.Decision)))
	e.logOnly(kSource.String(d.Source))
	t.finish(ctx, e)
}

// lower lower-cases s, without allocating when it is already lower case.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// lineCount counts lines as Rust's str::lines does: a final line break does not start another line.
func lineCount(s string) int {
	if s == "" {
		return 0
	}
	n := strings.Count(s, "\n")
	if s[len(s)-1] != '\n' {
		n++
	}
	return n
}
