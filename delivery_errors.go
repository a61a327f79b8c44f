package otelkit

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExportError reports an export that failed after its retries. It never contains header values: the
// endpoint is rendered without user info or query.
type ExportError struct {
	// Signal is the signal whose export failed.
	Signal Signal
	// Endpoint is where the export went (scheme, host and path only).
	Endpoint string
	// StatusCode is the last HTTP status, or 0.
	StatusCode int
	// GRPCCode is the last gRPC status code name ("Unavailable"), or "".
	GRPCCode string
	// Attempts is how many times the export was tried.
	Attempts int
	// Message is the collector's explanation, sanitised and truncated, if it sent one.
	Message string
	// Err is the transport error or the context error that ended the retries, if any. Its text is redacted
	// like Message (no header values, endpoint credentials or query values); errors.Is and errors.As see
	// the original error beneath it.
	Err error

	retryable bool
}

// Error implements error.
func (e *ExportError) Error() string {
	var b strings.Builder
	b.WriteString("otelkit: ")
	b.WriteString(string(e.Signal))
	b.WriteString(" export to ")
	b.WriteString(e.Endpoint)
	b.WriteString(" failed")
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	switch {
	case e.StatusCode != 0:
		b.WriteString(": HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
	case e.GRPCCode != "":
		b.WriteString(": gRPC ")
		b.WriteString(e.GRPCCode)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the transport or context error.
func (e *ExportError) Unwrap() error { return e.Err }

// Retryable reports whether the failure was transient (unreachable, throttled, unavailable, timed out), in
// which case the batch processor keeps the data queued for the next attempt.
func (e *ExportError) Retryable() bool { return e.retryable }

// PartialSuccessError reports that the collector accepted an export but rejected part of it. It is passed to
// the error handler as a warning; the rejected items are counted in [Stats].
type PartialSuccessError struct {
	// Signal is the signal of the export.
	Signal Signal
	// Rejected is how many items the collector rejected, at most the number sent.
	Rejected int64
	// Message is the collector's explanation, redacted, sanitised and truncated; it may be empty.
	Message string
}

// Error implements error.
func (e *PartialSuccessError) Error() string {
	msg := "otelkit: collector rejected " + strconv.FormatInt(e.Rejected, 10) + " " + itemNoun(e.Signal)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// DropError reports telemetry that was dropped without being delivered. It is passed to the error handler
// as a warning; the counts are in [Stats].
type DropError struct {
	// Signal is the signal of the dropped items.
	Signal Signal
	// Count is how many items were dropped.
	Count int
	// Reason says why: "queue full or not delivered" (the queue had no room, for a new item or for a
	// failed batch put back), "not delivered during shutdown" or "recorded after shutdown". The error handler
	// and Shutdown's result see the same Reason for what Shutdown gave up on.
	Reason string
}

// Error implements error.
func (e *DropError) Error() string {
	return "otelkit: dropped " + strconv.Itoa(e.Count) + " " + itemNoun(e.Signal) + " (" + e.Reason + ")"
}

func itemNoun(s Signal) string {
	switch s {
	case SignalTraces:
		return "spans"
	case SignalMetrics:
		return "metric data points"
	default:
		return "log records"
	}
}

// sanitizeMessage keeps a collector message printable and short.
func sanitizeMessage(s string) string {
	const max = 256
	s = printable(strings.TrimSpace(s))
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// printable replaces invalid UTF-8 with '?' and control characters with spaces.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// throttled is the error of an export not sent because the collector asked to wait longer than the export's
// budget allows. It is retryable: the data stays queued.
func throttled(sig Signal, endpoint string, attempts int) *ExportError {
	return &ExportError{Signal: sig, Endpoint: endpoint, Attempts: attempts, retryable: true,
		Message: "not sent: the collector asked to wait (Retry-After) longer than the export's deadline allows"}
}
