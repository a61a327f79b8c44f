package transform

import (
	"math"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
)

// ResourceLogs converts SDK log records to their OTLP form, exactly as the
// SDK's OTLP log exporters would send them: grouped by resource, then by
// instrumentation scope, keeping the order of the records within a scope.
//
// Resources and scopes come out in the order they first appear in records
// (the SDK exporters use map order for resources). As in the SDK, resources
// are told apart by their attributes alone, so the schema URL sent is that of
// the first record of the group. A resource without attributes is sent as no
// resource and the zero scope as no scope, as the SDK does. No records
// convert to nil.
//
// The result shares no mutable memory with records.
func ResourceLogs(records []sdklog.Record) []*logspb.ResourceLogs {
	if len(records) == 0 {
		return nil
	}
	// First pass: group the records and count what converting them takes.
	g := grouper{last: -1}
	groupOf := make([]int32, len(records))
	var c valueCounts
	for i := range records {
		r := &records[i]
		groupOf[i] = int32(g.find(r.Resource(), r.InstrumentationScope())) //nolint:gosec // Bounded by len(records).
		c.add(r.Body())
		r.WalkAttributes(c.addKeyValue)
	}
	for i := range g.res {
		c.addSet(g.res[i].res.Set())
	}
	for i := range g.scopes {
		c.addSet(&g.scopes[i].scope.Attributes)
	}
	a := new(logArena)
	a.reserve(&c)
	a.records.reserve(len(records))
	a.ids.reserve(24 * len(records)) // trace and span ids
	a.res.reserve(len(g.res))
	a.scopes.reserve(len(g.scopes))

	out := make([]*logspb.ResourceLogs, len(g.res))
	rls := make([]logspb.ResourceLogs, len(g.res))
	sls := make([]logspb.ScopeLogs, len(g.scopes))
	slPtrs := make([]*logspb.ScopeLogs, len(g.scopes))
	recPtrs := make([]*logspb.LogRecord, len(records))

	off := 0
	for i := range g.res {
		rg := &g.res[i]
		rl := &rls[i]
		if rg.res.Len() > 0 {
			rl.Resource = a.resource(rg.res)
		}
		rl.SchemaUrl = rg.res.SchemaURL()
		rl.ScopeLogs = slPtrs[off : off : off+rg.scopes]
		off += rg.scopes
		out[i] = rl
	}
	off = 0
	for i := range g.scopes {
		sg := &g.scopes[i]
		sl := &sls[i]
		if sg.scope != zeroScope {
			sl.Scope = a.scope(&sg.scope)
			sl.SchemaUrl = sg.scope.SchemaURL
		}
		sl.LogRecords = recPtrs[off : off : off+sg.count]
		off += sg.count
		rl := &rls[sg.res]
		rl.ScopeLogs = append(rl.ScopeLogs, sl) // Within capacity: no allocation.
	}
	for i := range records {
		sl := &sls[groupOf[i]]
		sl.LogRecords = append(sl.LogRecords, a.record(&records[i])) // Within capacity.
	}
	return out
}

// logArena converts log records, carving the OTLP messages out of slabs.
type logArena struct {
	attrArena
	records slab[logspb.LogRecord]
	ids     slab[byte]
}

func (a *logArena) record(r *sdklog.Record) *logspb.LogRecord {
	o := a.records.new()
	o.TimeUnixNano = timeUnixNano(r.Timestamp())
	o.ObservedTimeUnixNano = timeUnixNano(r.ObservedTimestamp())
	o.EventName = r.EventName()
	o.SeverityNumber = severityNumber(r.Severity())
	o.SeverityText = r.SeverityText()
	o.Body = a.value(r.Body())
	attrs := a.kvPtrs.make(r.AttributesLen())
	n := 0
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		if n == len(attrs) {
			return false
		}
		attrs[n] = a.keyValue(kv)
		n++
		return true
	})
	if n > 0 {
		o.Attributes = attrs[:n:n]
	}
	o.DroppedAttributesCount = clampUint32(r.DroppedAttributes())
	o.Flags = uint32(r.TraceFlags())
	if id := r.TraceID(); id.IsValid() {
		o.TraceId = a.ids.make(len(id))
		copy(o.TraceId, id[:])
	}
	if id := r.SpanID(); id.IsValid() {
		o.SpanId = a.ids.make(len(id))
		copy(o.SpanId, id[:])
	}
	return o
}

// severityNumber converts s. The OTLP numbers are the API's severities; any
// other value is unspecified, as in the SDK exporters.
func severityNumber(s log.Severity) logspb.SeverityNumber {
	if s < log.SeverityTrace1 || s > log.SeverityFatal4 {
		return logspb.SeverityNumber_SEVERITY_NUMBER_UNSPECIFIED
	}
	return logspb.SeverityNumber(s) //nolint:gosec // Range checked above.
}

func clampUint32(v int) uint32 {
	if v < 0 {
		return 0
	}
	if int64(v) > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(v) //nolint:gosec // Range checked above.
}
