package session

import (
	"context"
	"strconv"
	"time"

	"github.com/otelkit/otelkit/metrics"
)

// RequestAuth describes how a request or connection authenticated and, when it failed, how the server
// said so. String fields are recorded only when set; flags always.
type RequestAuth struct {
	// HeaderAttached reports whether an authorization header was sent (auth.header_attached).
	HeaderAttached bool
	// HeaderName names that header, never its value (auth.header_name).
	HeaderName string
	// RetryAfterUnauthorized reports that this is a retry after a 401 (auth.retry_after_unauthorized).
	RetryAfterUnauthorized bool
	// RecoveryMode is the auth recovery mode in effect, if any (auth.recovery_mode).
	RecoveryMode string
	// RecoveryPhase is the auth recovery phase in effect, if any (auth.recovery_phase).
	RecoveryPhase string
	// RequestID is the server's request id (auth.request_id).
	RequestID string
	// CFRay is the server's Cloudflare ray id (auth.cf_ray).
	CFRay string
	// Error is the server's authentication error (auth.error).
	Error string
	// ErrorCode is the server's authentication error code (auth.error_code).
	ErrorCode string
}

// APIRequest is the argument of [Telemetry.APIRequest]: one attempt of an upstream API call.
type APIRequest struct {
	// Attempt is the attempt number, from 1 (attempt).
	Attempt int64
	// Status is the HTTP status, 0 when there was no response (http.response.status_code; metric tag
	// status).
	Status int
	// Err is the transport or API error, if any (error.message, URLs redacted).
	Err error
	// Duration is the time to the response or the error (duration_ms).
	Duration time.Duration
	// Endpoint is the endpoint name or route template, a bounded value; "" is recorded as "unknown"
	// (endpoint).
	Endpoint string
	// Auth describes how the request authenticated (the auth.* fields).
	Auth RequestAuth
}

// Success reports whether the request succeeded: a 2xx status and no error.
func (r APIRequest) Success() bool { return r.Err == nil && r.Status >= 200 && r.Status <= 299 }

// APIRequest records one API request attempt.
//
//   - metrics: counter codex.api_request and duration codex.api_request.duration_ms, tagged status (the
//     code, or "none") and success;
//   - log record and span event codex.api_request: duration_ms, http.response.status_code (when there was
//     a response), error.message (when failed), attempt, the auth.* fields, endpoint and auth.env_*.
func (t *Telemetry) APIRequest(ctx context.Context, r APIRequest) {
	if t.off() {
		return
	}
	if t.metricsOn() {
		tags := [2]metrics.Tag{metrics.T(TagStatus, statusTag(r.Status)), metrics.T(TagSuccess, boolTag(r.Success()))}
		t.countAndTime(MetricAPIRequest, MetricAPIRequestDuration, r.Duration, tags[:]...)
	}
	e := t.begin(ctx, EventAPIRequest, true)
	if e == nil {
		return
	}
	e.both(kDurationMs.Int64(ms(r.Duration)))
	if r.Status != 0 {
		e.both(kStatusCode.Int(r.Status))
	}
	if r.Err != nil {
		e.both(kErrorMessage.String(errText(r.Err)))
	}
	e.both(kAttempt.Int64(r.Attempt))
	t.requestAuth(e, &r.Auth)
	e.both(kEndpoint.String(endpoint(r.Endpoint)))
	e.bothAll(t.common().env)
	t.finish(ctx, e)
}

func (t *Telemetry) requestAuth(e *ev, a *RequestAuth) {
	e.both(kAuthHeaderAttached.Bool(a.HeaderAttached))
	e.bothStr(kAuthHeaderName, a.HeaderName)
	e.both(kAuthRetryAfterUnauth.Bool(a.RetryAfterUnauthorized))
	e.bothStr(kAuthRecoveryMode, a.RecoveryMode)
	e.bothStr(kAuthRecoveryPhase, a.RecoveryPhase)
	e.bothStr(kAuthRequestID, a.RequestID)
	e.bothStr(kAuthCFRay, a.CFRay)
	e.bothStr(kAuthError, a.Error)
	e.bothStr(kAuthErrorCode, a.ErrorCode)
}

// WebSocketConnect is the argument of [Telemetry.WebSocketConnect]: one websocket connection attempt.
type WebSocketConnect struct {
	// Duration is the time the connection took to open or fail (duration_ms).
	Duration time.Duration
	// Status is the HTTP status of the upgrade response, 0 when there was none
	// (http.response.status_code).
	Status int
	// Err is the connection error, if any (error.message, URLs redacted).
	Err error
	// Endpoint is the endpoint name or route template, a bounded value; "" is recorded as "unknown"
	// (endpoint).
	Endpoint string
	// Auth describes how the connection authenticated (the auth.* fields).
	Auth RequestAuth
	// ConnectionReused reports that an open connection was reused (auth.connection_reused).
	ConnectionReused bool
}

// Success reports whether the connection succeeded: no error and no status, or a 2xx (or 101) status.
func (w WebSocketConnect) Success() bool {
	return w.Err == nil && (w.Status == 0 || w.Status == 101 || w.Status >= 200 && w.Status <= 299)
}

// WebSocketConnect records event codex.websocket_connect (log record and span event): duration_ms,
// http.response.status_code (when set), success, error.message (when failed), endpoint, the auth.*
// fields, auth.connection_reused and auth.env_*. It records no metrics.
func (t *Telemetry) WebSocketConnect(ctx context.Context, w WebSocketConnect) {
	if t.off() {
		return
	}
	e := t.begin(ctx, EventWebSocketConnect, true)
	if e == nil {
		return
	}
	e.both(kDurationMs.Int64(ms(w.Duration)))
	if w.Status != 0 {
		e.both(kStatusCode.Int(w.Status))
	}
	e.both(kSuccess.Bool(w.Success()))
	if w.Err != nil {
		e.both(kErrorMessage.String(errText(w.Err)))
	}
	e.both(kEndpoint.String(endpoint(w.Endpoint)))
	t.requestAuth(e, &w.Auth)
	e.both(kAuthConnectionReused.Bool(w.ConnectionReused))
	e.bothAll(t.common().env)
	t.finish(ctx, e)
}

// WebSocketRequest is the argument of [Telemetry.WebSocketRequest]: one request sent over a websocket
// and answered (or failed).
type WebSocketRequest struct {
	// Duration is the time from sending the request to its answer or failure (duration_ms).
	Duration time.Duration
	// Err is the request's error, if any (error.message, URLs redacted); it makes success false.
	Err error
	// ConnectionReused reports that the request went over a connection already open
	// (auth.connection_reused).
	ConnectionReused bool
}

// WebSocketRequest records one websocket request.
//
//   - metrics: counter codex.websocket.request and duration codex.websocket.request.duration_ms, tagged
//     success;
//   - log record and span event codex.websocket_request: duration_ms, success, error.message (when
//     failed), auth.connection_reused and auth.env_*.
func (t *Telemetry) WebSocketRequest(ctx context.Context, w WebSocketRequest) {
	if t.off() {
		return
	}
	success := w.Err == nil
	if t.metricsOn() {
		t.countAndTime(MetricWebSocketRequest, MetricWebSocketRequestDuration, w.Duration, metrics.T(TagSuccess, boolTag(success)))
	}
	e := t.begin(ctx, EventWebSocketRequest, true)
	if e == nil {
		return
	}
	e.both(kDurationMs.Int64(ms(w.Duration)))
	e.both(kSuccess.Bool(success))
	if w.Err != nil {
		e.both(kErrorMessage.String(errText(w.Err)))
	}
	e.both(kAuthConnectionReused.Bool(w.ConnectionReused))
	e.bothAll(t.common().env)
	t.finish(ctx, e)
}

func endpoint(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// statusTags holds the status tag values of the common codes, so that tagging them does not allocate.
var statusTags = func() (m [600]string) {
	for i := 100; i < len(m); i++ {
		m[i] = strconv.Itoa(i)
	}
	return m
}()

// statusTag is the status metric tag: the code as a string, or "none" when there was no response.
func statusTag(code int) string {
	switch {
	case code <= 0:
		return "none"
	case code < len(statusTags) && statusTags[code] != "":
		return statusTags[code]
	}
	return strconv.Itoa(code)
}
