package console

import (
	"encoding/hex"
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
)

const (
	logValueWidth = 40
	logLineWidth  = 180
)

// hiddenLogKeys are the session envelope attributes, the same on every event of a session: they would
// only repeat themselves on every line. conversation.id is kept.
var hiddenLogKeys = map[string]bool{
	"event.name": true, "event.timestamp": true, "app.version": true, "auth_mode": true, "originator": true,
	"terminal.type": true, "model": true, "slug": true, "user.account_id": true, "user.email": true,
	"session_source": true, "service_name": true,
}

// logLine renders one log record: its event name, where it was recorded (the span's name when names has
// it, else the trace id) and its non-empty attributes except the envelope and the auth.* flags.
func logLine(r *logspb.LogRecord, names map[string]string) string {
	var b strings.Builder
	b.WriteString(padRight(waterfall.Truncate(waterfall.ASCII(eventName(r)), 24), 24))
	if name, ok := names[string(r.GetSpanId())]; ok {
		b.WriteString("  in " + waterfall.Truncate(waterfall.ASCII(name), 40))
	} else if len(r.GetTraceId()) > 0 {
		b.WriteString("  trace " + hex.EncodeToString(r.GetTraceId()))
	}
	for _, kv := range r.GetAttributes() {
		k := kv.GetKey()
		v := waterfall.Value(kv.GetValue())
		if hiddenLogKeys[k] || strings.HasPrefix(k, "auth.") || v == "" {
			continue
		}
		b.WriteString("  " + waterfall.ASCII(k) + "=" + quote(waterfall.Truncate(waterfall.ASCII(v), logValueWidth)))
	}
	if body := waterfall.Value(r.GetBody()); body != "" && body != eventName(r) {
		b.WriteString("  body=" + quote(waterfall.Truncate(waterfall.ASCII(body), logValueWidth)))
	}
	return waterfall.Truncate(b.String(), logLineWidth)
}

// eventName is the record's event name, its event.name attribute, or its severity.
func eventName(r *logspb.LogRecord) string {
	if n := r.GetEventName(); n != "" {
		return n
	}
	for _, kv := range r.GetAttributes() {
		if kv.GetKey() == "event.name" {
			if v, ok := kv.GetValue().GetValue().(*commonpb.AnyValue_StringValue); ok {
				return v.StringValue
			}
		}
	}
	if s := r.GetSeverityText(); s != "" {
		return s
	}
	return "log"
}

// cmpTime orders records by time (observed time when the time is unset).
func cmpTime(a, b *logspb.LogRecord) int {
	ta, tb := recordTime(a), recordTime(b)
	switch {
	case ta < tb:
		return -1
	case ta > tb:
		return 1
	}
	return 0
}

func recordTime(r *logspb.LogRecord) uint64 {
	if t := r.GetTimeUnixNano(); t != 0 {
		return t
	}
	return r.GetObservedTimeUnixNano()
}

func quote(v string) string {
	if strings.ContainsAny(v, " =\"") {
		return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`
	}
	return v
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}
