package session

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit/metrics"
)

// ConversationStart is the argument of [Telemetry.ConversationStart]: the configuration a conversation
// starts with. Empty strings and zero limits are not recorded.
type ConversationStart struct {
	// ProviderName names the model provider (provider_name).
	ProviderName string
	// ReasoningEffort is the configured reasoning effort, e.g. "high" (reasoning_effort).
	ReasoningEffort string
	// ReasoningSummary is the configured reasoning summary mode, e.g. "auto" (reasoning_summary).
	ReasoningSummary string
	// ContextWindow is the model's context window in tokens (context_window).
	ContextWindow int64
	// AutoCompactTokenLimit is the token count at which the conversation is compacted
	// (auto_compact_token_limit).
	AutoCompactTokenLimit int64
	// ApprovalPolicy is the tool approval policy, e.g. "on-request" (approval_policy).
	ApprovalPolicy string
	// SandboxPolicy is the sandbox policy, e.g. "workspace-write" (sandbox_policy).
	SandboxPolicy string
	// MCPServers names the MCP servers configured: logs get the names (mcp_servers, "" when there are
	// none), spans only their count (mcp_server_count).
	MCPServers []string
}

// ConversationStart records event codex.conversation_starts (log record and span event): provider_name,
// auth.env_*, reasoning_effort, reasoning_summary, context_window, auto_compact_token_limit,
// approval_policy and sandbox_policy (the strings when set, the numbers when not zero); the log record
// adds mcp_servers (joined with ", ", always present: "" when there are none), the span event
// mcp_server_count (always present).
func (t *Telemetry) ConversationStart(ctx context.Context, c ConversationStart) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventConversationStarts, true)
	if e == nil {
		return
	}
	e.bothStr(kProviderName, c.ProviderName)
	e.bothAll(t.common().env)
	e.bothStr(kReasoningEffort, c.ReasoningEffort)
	e.bothStr(kReasoningSummary, c.ReasoningSummary)
	if c.ContextWindow != 0 {
		e.both(kContextWindow.Int64(c.ContextWindow))
	}
	if c.AutoCompactTokenLimit != 0 {
		e.both(kAutoCompactTokenLimit.Int64(c.AutoCompactTokenLimit))
	}
	e.bothStr(kApprovalPolicy, c.ApprovalPolicy)
	e.bothStr(kSandboxPolicy, c.SandboxPolicy)
	if e.wantLog() {
		e.logOnly(kMCPServers.String(strings.Join(c.MCPServers, ", ")))
	}
	e.traceOnly(kMCPServerCount.Int(len(c.MCPServers)))
	t.finish(ctx, e)
}

// AuthRecovery is the argument of [Telemetry.AuthRecovery]: one step of recovering from an
// authentication failure (e.g. refreshing a token after a 401).
type AuthRecovery struct {
	// Mode is the recovery mode (auth.mode).
	Mode string
	// Step is the recovery step this event reports (auth.step).
	Step string
	// Outcome is how the step ended (auth.outcome).
	Outcome string
	// RequestID is the server's request id (auth.request_id).
	RequestID string
	// CFRay is the server's Cloudflare ray id (auth.cf_ray).
	CFRay string
	// Error is the authentication error being recovered from (auth.error).
	Error string
	// ErrorCode is its error code (auth.error_code).
	ErrorCode string
	// Reason says why recovery started (auth.recovery_reason).
	Reason string
	// StateChanged reports that the step changed the stored credentials (auth.state_changed).
	StateChanged bool
}

// AuthRecovery records event codex.auth_recovery (log record and span event) with the nine auth.*
// fields (strings only when set). It records no metrics.
func (t *Telemetry) AuthRecovery(ctx context.Context, a AuthRecovery) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventAuthRecovery, true)
	if e == nil {
		return
	}
	e.bothStr(kAuthMode, a.Mode)
	e.bothStr(kAuthStep, a.Step)
	e.bothStr(kAuthOutcome, a.Outcome)
	e.bothStr(kAuthRequestID, a.RequestID)
	e.bothStr(kAuthCFRay, a.CFRay)
	e.bothStr(kAuthError, a.Error)
	e.bothStr(kAuthErrorCode, a.ErrorCode)
	e.bothStr(kAuthRecoverReason, a.Reason)
	e.both(kAuthStateChanged.Bool(a.StateChanged))
	t.finish(ctx, e)
}

// SandboxOutcome is the argument of [Telemetry.SandboxOutcome]: how a sandboxed command ended.
type SandboxOutcome struct {
	// ToolName names the tool that ran the command (tool_name).
	ToolName string
	// CallID identifies the tool call (call_id).
	CallID string
	// Outcome is how the command ended, e.g. "success", "denied", "escalated" (outcome).
	Outcome string
	// InitialDuration is the time of the first, sandboxed run (initial_duration_ms).
	InitialDuration time.Duration
	// EscalatedDuration is the time of the escalated run; 0 when not escalated, and then not recorded
	// (escalated_duration_ms).
	EscalatedDuration time.Duration
}

// SandboxOutcome records event codex.sandbox_outcome (log record and span event): tool_name, call_id,
// outcome, initial_duration_ms and escalated_duration_ms. It records no metrics.
func (t *Telemetry) SandboxOutcome(ctx context.Context, s SandboxOutcome) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventSandboxOutcome, true)
	if e == nil {
		return
	}
	e.both(kToolName.String(s.ToolName))
	e.both(kCallID.String(s.CallID))
	e.both(kOutcome.String(s.Outcome))
	e.both(kInitialDuration.Int64(ms(s.InitialDuration)))
	if s.EscalatedDuration > 0 {
		e.both(kEscalateDuration.Int64(ms(s.EscalatedDuration)))
	}
	t.finish(ctx, e)
}

// StartupPhase is the argument of [Telemetry.StartupPhase]: one timed phase of starting up.
type StartupPhase struct {
	// Phase is a bounded phase name (startup.phase; metric tag phase).
	Phase string
	// Status is an optional bounded status (startup.status; metric tag status when set).
	Status string
	// Duration is how long the phase took (duration_ms).
	Duration time.Duration
}

// StartupPhase records a startup phase: duration codex.startup.phase.duration_ms tagged phase and status
// (when set), and event codex.startup_phase (log record and span event) with startup.phase,
// startup.status (when set) and duration_ms.
func (t *Telemetry) StartupPhase(ctx context.Context, s StartupPhase) {
	if t.off() {
		return
	}
	if t.metricsOn() {
		tags := [2]metrics.Tag{metrics.T(TagPhase, tagValue(s.Phase))}
		n := 1
		if s.Status != "" {
			tags[1], n = metrics.T(TagStatus, tagValue(s.Status)), 2
		}
		t.duration(MetricStartupPhaseDuration, s.Duration, tags[:n]...)
	}
	e := t.begin(ctx, EventStartupPhase, true)
	if e == nil {
		return
	}
	e.both(kStartupPhase.String(s.Phase))
	e.bothStr(kStartupStatus, s.Status)
	e.both(kDurationMs.Int64(ms(s.Duration)))
	t.finish(ctx, e)
}

// TurnTTFT is the argument of [Telemetry.TurnTTFT]: the time from a turn's start to its first token.
type TurnTTFT struct {
	// Duration is the time from the turn's start to its first token (duration_ms).
	Duration time.Duration
}

// TurnTTFT records duration codex.turn.ttft.duration_ms and event codex.turn_ttft (log record and span
// event) with duration_ms.
func (t *Telemetry) TurnTTFT(ctx context.Context, v TurnTTFT) {
	if t.off() {
		return
	}
	if t.metricsOn() {
		t.duration(MetricTurnTTFTDuration, v.Duration)
	}
	e := t.begin(ctx, EventTurnTTFT, true)
	if e == nil {
		return
	}
	e.both(kDurationMs.Int64(ms(v.Duration)))
	t.finish(ctx, e)
}

// Event records a host-defined event: a log record with the session metadata and logAttrs (which may be
// sensitive), and a span event with the safe metadata and traceAttrs (which must not be). Keys stay
// unique, as OTLP requires: an attribute with the key of a session attribute (metadata or
// event.timestamp) replaces it, a key given twice keeps its last value, and event.name is always name
// (an event.name attribute is ignored). An empty name records nothing. Event records no metrics: use
// [Telemetry.Counter] and friends.
func (t *Telemetry) Event(ctx context.Context, name string, logAttrs, traceAttrs []attribute.KeyValue) {
	if t.off() || name == "" {
		return
	}
	e := t.begin(ctx, name, true)
	if e == nil {
		return
	}
	e.host = true
	e.log = appendHost(e.log, logAttrs)
	e.trace = appendHost(e.trace, traceAttrs)
	t.finish(ctx, e)
}
