package session

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
)

// timestampLayout is event.timestamp: UTC RFC 3339 with millisecond precision and a Z suffix.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// maxPooledAttrs bounds the buffers kept in the pool, so one huge host event does not pin memory.
const maxPooledAttrs = 128

// ev is one event under construction: its event-specific log and trace attributes. It comes from a pool
// and goes back, cleared, when the event is finished.
type ev struct {
	name    string
	ts      time.Time
	span    trace.Span
	logOn   bool // the logger wants the record
	traceOn bool // the span in the context is recording
	sinks   bool // the session has sinks
	host    bool // the attributes are a host's (Event): they may repeat the session's keys
	log     []attribute.KeyValue
	trace   []attribute.KeyValue
	out     []attribute.KeyValue // scratch: metadata + event attributes
}

var evPool = sync.Pool{New: func() any {
	return &ev{
		log:   make([]attribute.KeyValue, 0, 24),
		trace: make([]attribute.KeyValue, 0, 24),
		out:   make([]attribute.KeyValue, 0, 48),
	}
}}

// begin starts event name, or returns nil when nothing would receive it: the logger is disabled for it,
// the span in ctx is not recording (or the event is not traced), and there are no sinks.
func (t *Telemetry) begin(ctx context.Context, name string, traced bool) *ev {
	logOn := t.cfg.logger.Enabled(ctx, log.EnabledParameters{Severity: log.SeverityInfo, EventName: name})
	var span trace.Span
	traceOn := false
	if traced {
		span = trace.SpanFromContext(ctx)
		traceOn = span.IsRecording()
	}
	sinks := len(t.cfg.sinks) > 0
	if !logOn && !traceOn && !sinks {
		return nil
	}
	e := evPool.Get().(*ev)
	e.name, e.ts, e.span = name, t.cfg.now(), span
	e.logOn, e.traceOn, e.sinks = logOn, traceOn, sinks
	return e
}

// wantLog reports whether log attributes are consumed (by the logger or sinks): expensive log-only values
// are built only then.
func (e *ev) wantLog() bool { return e.logOn || e.sinks }

func (e *ev) both(kv attribute.KeyValue) {
	e.log = append(e.log, kv)
	e.trace = append(e.trace, kv)
}

func (e *ev) logOnly(kv attribute.KeyValue)   { e.log = append(e.log, kv) }
func (e *ev) traceOnly(kv attribute.KeyValue) { e.trace = append(e.trace, kv) }

// bothStr adds a string field to both sides when it is not empty: optional fields are omitted when empty
// (not mcp_server, mcp_server_origin and mcp_servers, always present; see the package documentation).
func (e *ev) bothStr(k attribute.Key, v string) {
	if v != "" {
		e.both(k.String(v))
	}
}

func (e *ev) bothAll(kvs []attribute.KeyValue) {
	e.log = append(e.log, kvs...)
	e.trace = append(e.trace, kvs...)
}

// finish emits the log record, then the span event, then calls the sinks, and returns e to the pool.
func (t *Telemetry) finish(ctx context.Context, e *ev) {
	c := t.common()
	var buf [32]byte
	head := [2]attribute.KeyValue{
		KeyEventName.String(e.name),
		KeyEventTimestamp.String(string(e.ts.UTC().AppendFormat(buf[:0], timestampLayout))),
	}
	if e.logOn {
		out := e.envelope(head[:], c.log, e.log)
		var r log.Record
		r.SetEventName(e.name)
		r.SetTimestamp(e.ts)
		r.SetSeverity(log.SeverityInfo)
		r.SetSeverityText("INFO")
		r.AddAttributes(out...)
		t.cfg.logger.Emit(ctx, r)
		e.out = out
	}
	if e.traceOn {
		out := e.envelope(head[:], c.trace, e.trace)
		e.span.AddEvent(e.name, trace.WithTimestamp(e.ts), trace.WithAttributes(out...))
		e.out = out
	}
	if e.sinks {
		ev := Event{Name: e.name, Time: e.ts, Metadata: t.md, LogAttrs: e.log, TraceAttrs: e.trace}
		for _, s := range t.cfg.sinks {
			s.OnEvent(ctx, ev)
		}
	}
	e.release()
}

// envelope returns, in e's scratch buffer, the attributes of a log record or span event: head, then the
// session's metadata, then own (the event's fields). The catalog's events never repeat a key; a host's
// event may, and then its attribute replaces the session's (OTLP requires unique keys).
func (e *ev) envelope(head, meta, own []attribute.KeyValue) []attribute.KeyValue {
	if !e.host {
		return append(append(append(e.out[:0], head...), meta...), own...)
	}
	return append(appendMissing(appendMissing(e.out[:0], head, own), meta, own), own...)
}

// appendMissing appends the attributes of src whose keys own does not have.
func appendMissing(dst, src, own []attribute.KeyValue) []attribute.KeyValue {
	for _, kv := range src {
		if indexKey(own, kv.Key) < 0 {
			dst = append(dst, kv)
		}
	}
	return dst
}

// appendHost appends a host's attributes to dst, which holds no others: event.name is dropped (it is the
// event's name), and a repeated key keeps its last value in the place of its first.
func appendHost(dst, src []attribute.KeyValue) []attribute.KeyValue {
	for _, kv := range src {
		switch i := indexKey(dst, kv.Key); {
		case kv.Key == KeyEventName:
		case i >= 0:
			dst[i] = kv
		default:
			dst = append(dst, kv)
		}
	}
	return dst
}

func indexKey(kvs []attribute.KeyValue, k attribute.Key) int {
	for i := range kvs {
		if kvs[i].Key == k {
			return i
		}
	}
	return -1
}

// release clears e (it may hold prompt text or tool output) and pools it, unless it grew too large.
func (e *ev) release() {
	if cap(e.log) > maxPooledAttrs || cap(e.trace) > maxPooledAttrs || cap(e.out) > 2*maxPooledAttrs {
		return
	}
	clear(e.log)
	clear(e.trace)
	clear(e.out)
	e.log, e.trace, e.out = e.log[:0], e.trace[:0], e.out[:0]
	e.span, e.host = nil, false
	evPool.Put(e)
}

// ms returns d in whole milliseconds, negative durations counting as 0.
func ms(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return d.Milliseconds()
}

func boolTag(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
