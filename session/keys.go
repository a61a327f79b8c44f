package session

import "go.opentelemetry.io/otel/attribute"

// Event names: the log record's EventName, its event.name attribute, and the span event's name.
const (
	EventConversationStarts = "codex.conversation_starts"
	EventUserPrompt         = "codex.user_prompt"
	EventAPIRequest         = "codex.api_request"
	EventWebSocketConnect   = "codex.websocket_connect"
	EventWebSocketRequest   = "codex.websocket_request"
	EventWebSocketEvent     = "codex.websocket_event"
	EventSSE                = "codex.sse_event"
	EventToolDecision       = "codex.tool_decision"
	EventToolResult         = "codex.tool_result"
	EventAuthRecovery       = "codex.auth_recovery"
	EventSandboxOutcome     = "codex.sandbox_outcome"
	EventStartupPhase       = "codex.startup_phase"
	EventTurnTTFT           = "codex.turn_ttft"
)

// Metadata attribute keys, on every log record and (except the user keys) every span event.
const (
	KeyEventName      attribute.Key = "event.name"
	KeyEventTimestamp attribute.Key = "event.timestamp"
	KeyConversationID attribute.Key = "conversation.id"
	KeyAppVersion     attribute.Key = "app.version"
	KeyAuthMode       attribute.Key = "auth_mode"
	KeyOriginator     attribute.Key = "originator"
	KeyTerminalType   attribute.Key = "terminal.type"
	KeyModel          attribute.Key = "model"
	KeySlug           attribute.Key = "slug"
	KeySessionSource  attribute.Key = "session_source"
	KeyServiceName    attribute.Key = "service_name"
	// KeyUserAccountID and KeyUserEmail are sensitive: log records only.
	KeyUserAccountID attribute.Key = "user.account_id"
	KeyUserEmail     attribute.Key = "user.email"
)

// RedactedPrompt replaces the prompt text in log records of sessions that do not allow prompt logging.
const RedactedPrompt = "[REDACTED]"

// Event field keys (reference §3.4 names).
const (
	kDurationMs   attribute.Key = "duration_ms"
	kSuccess      attribute.Key = "success"
	kErrorMessage attribute.Key = "error.message"
	kEndpoint     attribute.Key = "endpoint"
	kAttempt      attribute.Key = "attempt"
	kStatusCode   attribute.Key = "http.response.status_code"
	kEventKind    attribute.Key = "event.kind"

	// auth details of requests and connections
	kAuthHeaderAttached   attribute.Key = "auth.header_attached"
	kAuthHeaderName       attribute.Key = "auth.header_name"
	kAuthRetryAfterUnauth attribute.Key = "auth.retry_after_unauthorized"
	kAuthRecoveryMode     attribute.Key = "auth.recovery_mode"
	kAuthRecoveryPhase    attribute.Key = "auth.recovery_phase"
	kAuthRequestID        attribute.Key = "auth.request_id"
	kAuthCFRay            attribute.Key = "auth.cf_ray"
	kAuthError            attribute.Key = "auth.error"
	kAuthErrorCode        attribute.Key = "auth.error_code"
	kAuthConnectionReused attribute.Key = "auth.connection_reused"

	// auth recovery
	kAuthMode          attribute.Key = "auth.mode"
	kAuthStep          attribute.Key = "auth.step"
	kAuthOutcome       attribute.Key = "auth.outcome"
	kAuthRecoverReason attribute.Key = "auth.recovery_reason"
	kAuthStateChanged  attribute.Key = "auth.state_changed"

	// authentication environment (Metadata.AuthEnv)
	kEnvOpenAIKeyPresent     attribute.Key = "auth.env_openai_api_key_present"
	kEnvCodexKeyPresent      attribute.Key = "auth.env_codex_api_key_present"
	kEnvCodexKeyEnabled      attribute.Key = "auth.env_codex_api_key_enabled"
	kEnvProviderKeyName      attribute.Key = "auth.env_provider_key_name"
	kEnvProviderKeyPresent   attribute.Key = "auth.env_provider_key_present"
	kEnvRefreshURLOverridden attribute.Key = "auth.env_refresh_token_url_override_present"

	// conversation start
	kProviderName          attribute.Key = "provider_name"
	kReasoningEffort       attribute.Key = "reasoning_effort"
	kReasoningSummary      attribute.Key = "reasoning_summary"
	kContextWindow         attribute.Key = "context_window"
	kAutoCompactTokenLimit attribute.Key = "auto_compact_token_limit"
	kApprovalPolicy        attribute.Key = "approval_policy"
	kSandboxPolicy         attribute.Key = "sandbox_policy"
	kMCPServers            attribute.Key = "mcp_servers"
	kMCPServerCount        attribute.Key = "mcp_server_count"

	// user prompt
	kPrompt          attribute.Key = "prompt"
	kPromptLength    attribute.Key = "prompt_length"
	kTextInputs      attribute.Key = "text_input_count"
	kImageInputs     attribute.Key = "image_input_count"
	kLocalImageInput attribute.Key = "local_image_input_count"

	// tools
	kToolName        attribute.Key = "tool_name"
	kCallID          attribute.Key = "call_id"
	kArguments       attribute.Key = "arguments"
	kArgumentsLength attribute.Key = "arguments_length"
	kOutput          attribute.Key = "output"
	kOutputLength    attribute.Key = "output_length"
	kOutputLines     attribute.Key = "output_line_count"
	kMCPServer       attribute.Key = "mcp_server"
	kMCPServerOrigin attribute.Key = "mcp_server_origin"
	kToolOrigin      attribute.Key = "tool_origin"
	kMCPTool         attribute.Key = "mcp_tool"
	kDecision        attribute.Key = "decision"
	kSource          attribute.Key = "source"

	// sandbox, startup
	kOutcome          attribute.Key = "outcome"
	kInitialDuration  attribute.Key = "initial_duration_ms"
	kEscalateDuration attribute.Key = "escalated_duration_ms"
	kStartupPhase     attribute.Key = "startup.phase"
	kStartupStatus    attribute.Key = "startup.status"

	// stream completion
	kInputTokens     attribute.Key = "input_token_count"
	kOutputTokens    attribute.Key = "output_token_count"
	kCachedTokens    attribute.Key = "cached_token_count"
	kReasoningTokens attribute.Key = "reasoning_token_count"
	kToolTokens      attribute.Key = "tool_token_count"
)
