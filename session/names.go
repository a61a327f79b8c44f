package session

// Metric names (reference §4.7). Durations are milliseconds (metrics.Client.RecordDuration).
const (
	MetricToolCall                 = "codex.tool.call"
	MetricToolCallDuration         = "codex.tool.call.duration_ms"
	MetricAPIRequest               = "codex.api_request"
	MetricAPIRequestDuration       = "codex.api_request.duration_ms"
	MetricSSEEvent                 = "codex.sse_event"
	MetricSSEEventDuration         = "codex.sse_event.duration_ms"
	MetricWebSocketRequest         = "codex.websocket.request"
	MetricWebSocketRequestDuration = "codex.websocket.request.duration_ms"
	MetricWebSocketEvent           = "codex.websocket.event"
	MetricWebSocketEventDuration   = "codex.websocket.event.duration_ms"
	MetricStartupPhaseDuration     = "codex.startup.phase.duration_ms"
	MetricTurnTTFTDuration         = "codex.turn.ttft.duration_ms"

	MetricResponsesAPIOverhead          = "codex.responses_api_overhead.duration_ms"
	MetricResponsesAPIInferenceTime     = "codex.responses_api_inference_time.duration_ms"
	MetricResponsesAPIEngineIAPITTFT    = "codex.responses_api_engine_iapi_ttft.duration_ms"
	MetricResponsesAPIEngineServiceTTFT = "codex.responses_api_engine_service_ttft.duration_ms"
	MetricResponsesAPIEngineIAPITBT     = "codex.responses_api_engine_iapi_tbt.duration_ms"
	MetricResponsesAPIEngineServiceTBT  = "codex.responses_api_engine_service_tbt.duration_ms"
)

// Metric tag keys. The first six are the session's metadata tags, added in this order (see
// [WithoutMetadataTags]); the rest are per-event tags.
const (
	TagAuthMode      = "auth_mode"
	TagSessionSource = "session_source"
	TagOriginator    = "originator"
	TagServiceName   = "service_name"
	TagModel         = "model"
	TagAppVersion    = "app.version"

	TagTool    = "tool"
	TagSuccess = "success"
	TagStatus  = "status"
	TagKind    = "kind"
	TagPhase   = "phase"
)

// TagValueOther is the metric tag value of client-supplied metadata (a model, originator, session source
// or app version a [Resolver] read from a request) that is not listed with [WithAllowedTagValues]. Logs
// and spans keep the value itself.
const TagValueOther = "other"
