package transform

import (
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// ResourceSpans converts SDK spans to their OTLP form, exactly as the SDK's
// OTLP trace exporters would send them: grouped by resource, then by
// instrumentation scope, keeping the order of the spans within a scope.
//
// Resources and scopes come out in the order they first appear in spans (the
// SDK exporters use map order for both). As in the SDK, resources are told
// apart by their attributes alone, so the schema URL sent is that of the first
// span of the group; a nil resource is sent as no resource and an empty one
// as an empty resource, and the zero scope as no scope. Every span carries a
// status, unset included, as in the SDK. Nil spans are skipped; no spans
// convert to nil.
//
// The result shares no mutable memory with spans.
func ResourceSpans(spans []sdktrace.ReadOnlySpan) []*tracepb.ResourceSpans {
	// First pass: group the spans and count what converting them takes.
	g := grouper{last: -1}
	groupOf := make([]int32, len(spans))
	var c valueCounts
	var n, events, links int
	for i, sd := range spans {
		if sd == nil {
			groupOf[i] = -1
			continue
		}
		n++
		groupOf[i] = int32(g.find(sd.Resource(), sd.InstrumentationScope())) //nolint:gosec // Bounded by len(spans).
		c.addKeyValues(sd.Attributes())
		for _, e := range sd.Events() {
			c.addKeyValues(e.Attributes)
		}
		for _, l := range sd.Links() {
			c.addKeyValues(l.Attributes)
		}
		events += len(sd.Events())
		links += len(sd.Links())
	}
	if n == 0 {
		return nil
	}
	for i := range g.res {
		c.addSet(g.res[i].res.Set())
	}
	for i := range g.scopes {
		c.addSet(&g.scopes[i].scope.Attributes)
	}
	a := new(spanArena)
	a.reserve(&c)
	a.spans.reserve(n)
	a.statuses.reserve(n)
	a.events.reserve(events)
	a.eventPtrs.reserve(events)
	a.links.reserve(links)
	a.linkPtrs.reserve(links)
	a.ids.reserve(32*n + 24*links) // trace, span and parent ids; trace and span ids of links
	a.res.reserve(len(g.res))
	a.scopes.reserve(len(g.scopes))

	out := make([]*tracepb.ResourceSpans, len(g.res))
	rss := make([]tracepb.ResourceSpans, len(g.res))
	sss := make([]tracepb.ScopeSpans, len(g.scopes))
	ssPtrs := make([]*tracepb.ScopeSpans, len(g.scopes))
	spanPtrs := make([]*tracepb.Span, n)

	off := 0
	for i := range g.res {
		rg := &g.res[i]
		rs := &rss[i]
		if rg.res != nil {
			rs.Resource = a.resource(rg.res)
		}
		rs.SchemaUrl = rg.res.SchemaURL()
		rs.ScopeSpans = ssPtrs[off : off : off+rg.scopes]
		off += rg.scopes
		out[i] = rs
	}
	off = 0
	for i := range g.scopes {
		sg := &g.scopes[i]
		ss := &sss[i]
		if sg.scope != zeroScope {
			ss.Scope = a.scope(&sg.scope)
			ss.SchemaUrl = sg.scope.SchemaURL
		}
		ss.Spans = spanPtrs[off : off : off+sg.count]
		off += sg.count
		rs := &rss[sg.res]
		rs.ScopeSpans = append(rs.ScopeSpans, ss) // Within capacity: no allocation.
	}
	for i, sd := range spans {
		if groupOf[i] < 0 {
			continue
		}
		ss := &sss[groupOf[i]]
		ss.Spans = append(ss.Spans, a.span(sd)) // Within capacity.
	}
	return out
}

// spanArena converts spans, carving the OTLP messages out of slabs.
type spanArena struct {
	attrArena
	spans     slab[tracepb.Span]
	statuses  slab[tracepb.Status]
	events    slab[tracepb.Span_Event]
	eventPtrs slab[*tracepb.Span_Event]
	links     slab[tracepb.Span_Link]
	linkPtrs  slab[*tracepb.Span_Link]
	ids       slab[byte]
}

func (a *spanArena) span(sd sdktrace.ReadOnlySpan) *tracepb.Span {
	sc := sd.SpanContext()
	o := a.spans.new()
	o.TraceId = a.traceID(sc.TraceID())
	o.SpanId = a.spanID(sc.SpanID())
	o.TraceState = sc.TraceState().String()
	parent := sd.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		o.ParentSpanId = a.spanID(psid)
	}
	o.Flags = spanFlags(sc.TraceFlags(), parent)
	o.Name = sd.Name()
	o.Kind = spanKind(sd.SpanKind())
	o.StartTimeUnixNano = timeUnixNano(sd.StartTime())
	o.EndTimeUnixNano = timeUnixNano(sd.EndTime())
	o.Attributes = a.keyValues(sd.Attributes())
	o.DroppedAttributesCount = clampUint32(sd.DroppedAttributes())
	if es := sd.Events(); len(es) > 0 {
		o.Events = a.eventPtrs.make(len(es))
		for i := range es {
			e := a.events.new()
			e.Name = es[i].Name
			e.TimeUnixNano = timeUnixNano(es[i].Time)
			e.Attributes = a.keyValues(es[i].Attributes)
			e.DroppedAttributesCount = clampUint32(es[i].DroppedAttributeCount)
			o.Events[i] = e
		}
	}
	o.DroppedEventsCount = clampUint32(sd.DroppedEvents())
	if ls := sd.Links(); len(ls) > 0 {
		o.Links = a.linkPtrs.make(len(ls))
		for i := range ls {
			l := a.links.new()
			lsc := ls[i].SpanContext
			l.TraceId = a.traceID(lsc.TraceID())
			l.SpanId = a.spanID(lsc.SpanID())
			l.Attributes = a.keyValues(ls[i].Attributes)
			l.DroppedAttributesCount = clampUint32(ls[i].DroppedAttributeCount)
			l.Flags = spanFlags(lsc.TraceFlags(), lsc)
			o.Links[i] = l
		}
	}
	o.DroppedLinksCount = clampUint32(sd.DroppedLinks())
	st := sd.Status()
	o.Status = a.statuses.new()
	o.Status.Code = statusCode(st.Code)
	o.Status.Message = st.Description
	return o
}

func (a *spanArena) traceID(id trace.TraceID) []byte {
	b := a.ids.make(len(id))
	copy(b, id[:])
	return b
}

func (a *spanArena) spanID(id trace.SpanID) []byte {
	b := a.ids.make(len(id))
	copy(b, id[:])
	return b
}

// spanFlags holds the W3C trace flags in its low byte, and says that whether
// the parent (or the linked span) is remote is known, and whether it is.
func spanFlags(tf trace.TraceFlags, parent trace.SpanContext) uint32 {
	flags := uint32(tf) | uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)
	if parent.IsRemote() {
		flags |= uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	}
	return flags
}

func spanKind(k trace.SpanKind) tracepb.Span_SpanKind {
	switch k {
	case trace.SpanKindInternal:
		return tracepb.Span_SPAN_KIND_INTERNAL
	case trace.SpanKindServer:
		return tracepb.Span_SPAN_KIND_SERVER
	case trace.SpanKindClient:
		return tracepb.Span_SPAN_KIND_CLIENT
	case trace.SpanKindProducer:
		return tracepb.Span_SPAN_KIND_PRODUCER
	case trace.SpanKindConsumer:
		return tracepb.Span_SPAN_KIND_CONSUMER
	}
	return tracepb.Span_SPAN_KIND_UNSPECIFIED
}

func statusCode(c codes.Code) tracepb.Status_StatusCode {
	switch c {
	case codes.Ok:
		return tracepb.Status_STATUS_CODE_OK
	case codes.Error:
		return tracepb.Status_STATUS_CODE_ERROR
	}
	return tracepb.Status_STATUS_CODE_UNSET
}
