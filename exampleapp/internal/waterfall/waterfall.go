package waterfall

import (
	"encoding/hex"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// Defaults of [Options].
const (
	DefaultBarWidth   = 24
	DefaultNameWidth  = 44
	DefaultValueWidth = 32
)

// Options tune the layout. Zero fields take the defaults.
type Options struct {
	// BarWidth is the number of columns the whole trace's duration spans (default 24).
	BarWidth int
	// NameWidth caps the name column, indentation included (default 44); longer names end in "...".
	NameWidth int
	// ValueWidth caps each attribute value (default 32); longer values end in "...".
	ValueWidth int
}

func (o Options) withDefaults() Options {
	if o.BarWidth <= 0 {
		o.BarWidth = DefaultBarWidth
	}
	if o.NameWidth <= 0 {
		o.NameWidth = DefaultNameWidth
	}
	if o.ValueWidth <= 0 {
		o.ValueWidth = DefaultValueWidth
	}
	return o
}

// Render draws the spans as one waterfall per trace, traces ordered by their first start time (then trace
// id), separated by a blank line. Each block starts with a header line (trace id, root span name, span
// count, duration, errors) followed by one line per span:
//
//	name (indented under its parent)  protocol+kind  |bar|  duration  status  key attributes
//
// The protocol is rpc.system.name (or rpc.system) for RPC spans and "http" for spans with
// http.request.method; the status is "ERROR", "OK" or empty (unset). Key attributes are session.id,
// http.response.status_code, rpc.response.status_code, rpc.grpc.status_code and error.type (shown as
// session=, http=, rpc=, grpc=, error=), the status message of errors (msg=), the number of links and the
// names of span events (events=). A span whose parent is not among the spans is drawn as a root with
// "(parent <id> not received)", and spans caught in a parent cycle with "(parent cycle)". Nil spans are skipped; the result is "" when there is nothing to draw.
func Render(spans []*tracepb.Span, opts Options) string {
	opts = opts.withDefaults()
	var b strings.Builder
	for i, t := range group(spans) {
		if i > 0 {
			b.WriteByte('\n')
		}
		renderTrace(&b, t, opts)
	}
	return b.String()
}

// trace is the spans of one trace id and their time range.
type trace struct {
	id         string
	spans      []*tracepb.Span
	start, end uint64
}

func group(spans []*tracepb.Span) []*trace {
	byID := map[string]*trace{}
	var out []*trace
	for _, sp := range spans {
		if sp == nil {
			continue
		}
		id := hex.EncodeToString(sp.GetTraceId())
		t := byID[id]
		if t == nil {
			t = &trace{id: id, start: math.MaxUint64}
			byID[id] = t
			out = append(out, t)
		}
		t.spans = append(t.spans, sp)
		s, e := bounds(sp)
		t.start = min(t.start, s)
		t.end = max(t.end, e)
	}
	slices.SortStableFunc(out, func(a, b *trace) int {
		if a.start != b.start {
			return cmpU64(a.start, b.start)
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

// bounds returns the span's start and end, the end never before the start.
func bounds(sp *tracepb.Span) (start, end uint64) {
	start, end = sp.GetStartTimeUnixNano(), sp.GetEndTimeUnixNano()
	return start, max(start, end)
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// line is one span in drawing order.
type line struct {
	span  *tracepb.Span
	depth int
	note  string // why a span with a parent id is drawn as a root
}

func spanLess(a, b *tracepb.Span) int {
	if c := cmpU64(a.GetStartTimeUnixNano(), b.GetStartTimeUnixNano()); c != 0 {
		return c
	}
	if c := strings.Compare(a.GetName(), b.GetName()); c != 0 {
		return c
	}
	return slices.Compare(a.GetSpanId(), b.GetSpanId())
}

// order lays the trace out depth first, children by start time. Spans left over (parent cycles) are drawn
// as roots after the others.
func order(t *trace) []line {
	ids := make(map[string]bool, len(t.spans))
	children := map[string][]*tracepb.Span{}
	for _, sp := range t.spans {
		ids[string(sp.GetSpanId())] = true
	}
	var roots []*tracepb.Span
	for _, sp := range t.spans {
		p := string(sp.GetParentSpanId())
		if p == "" || !ids[p] {
			roots = append(roots, sp)
			continue
		}
		children[p] = append(children[p], sp)
	}
	slices.SortStableFunc(roots, spanLess)
	for _, kids := range children {
		slices.SortStableFunc(kids, spanLess)
	}
	out := make([]line, 0, len(t.spans))
	seen := make(map[*tracepb.Span]bool, len(t.spans))
	var walk func(sp *tracepb.Span, depth int, note string)
	walk = func(sp *tracepb.Span, depth int, note string) {
		if seen[sp] {
			return
		}
		seen[sp] = true
		out = append(out, line{span: sp, depth: depth, note: note})
		for _, kid := range children[string(sp.GetSpanId())] {
			walk(kid, depth+1, "")
		}
	}
	for _, r := range roots {
		note := ""
		if p := r.GetParentSpanId(); len(p) > 0 {
			note = "(parent " + hex.EncodeToString(p) + " not received)"
		}
		walk(r, 0, note)
	}
	if len(out) < len(t.spans) {
		rest := slices.Clone(t.spans)
		slices.SortStableFunc(rest, spanLess)
		for _, sp := range rest {
			walk(sp, 0, "(parent cycle)")
		}
	}
	return out
}

func renderTrace(b *strings.Builder, t *trace, o Options) {
	lines := order(t)
	labels := make([]string, len(lines))
	whats := make([]string, len(lines))
	nameCol, whatCol, errs := 0, 0, 0
	for i, l := range lines {
		labels[i] = Truncate(strings.Repeat("  ", l.depth)+ASCII(l.span.GetName()), o.NameWidth)
		whats[i] = protoKind(l.span)
		nameCol = max(nameCol, len(labels[i]))
		whatCol = max(whatCol, len(whats[i]))
		if l.span.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR {
			errs++
		}
	}
	total := t.end - t.start
	b.WriteString("trace ")
	b.WriteString(t.id)
	b.WriteString("  ")
	b.WriteString(Truncate(ASCII(lines[0].span.GetName()), o.NameWidth))
	b.WriteString("  ")
	b.WriteString(plural(len(lines), "span"))
	b.WriteString("  ")
	b.WriteString(FormatDuration(nanos(total)))
	if errs > 0 {
		b.WriteString("  ")
		b.WriteString(plural(errs, "error"))
	}
	b.WriteByte('\n')
	for i, l := range lines {
		s, e := bounds(l.span)
		var row strings.Builder
		row.WriteString(padRight(labels[i], nameCol))
		row.WriteString("  ")
		row.WriteString(padRight(whats[i], whatCol))
		row.WriteString("  |")
		row.WriteString(bar(s-t.start, e-t.start, total, o.BarWidth))
		row.WriteString("|  ")
		row.WriteString(padLeft(FormatDuration(nanos(e-s)), 7))
		row.WriteString("  ")
		row.WriteString(padRight(status(l.span), 5))
		row.WriteString("  ")
		row.WriteString(attrs(l, o))
		b.WriteString(strings.TrimRight(row.String(), " "))
		b.WriteByte('\n')
	}
}

func plural(n int, what string) string {
	s := itoa(n) + " " + what
	if n != 1 {
		s += "s"
	}
	return s
}

func nanos(d uint64) time.Duration {
	if d > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(d)
}

// bar draws [from, to) of total in width columns: from rounded down, to rounded up, at least one column.
func bar(from, to, total uint64, width int) string {
	w := uint64(width)
	var a, z uint64
	if total == 0 {
		a, z = 0, w
	} else {
		a = scale(from, w, total, false)
		z = scale(to, w, total, true)
	}
	a = min(a, w-1)
	z = min(max(z, a+1), w)
	return strings.Repeat(" ", int(a)) + strings.Repeat("#", int(z-a)) + strings.Repeat(" ", int(w-z))
}

// scale returns v*w/total rounded down (or up), without overflow; v <= total.
func scale(v, w, total uint64, up bool) uint64 {
	hi, lo := bits.Mul64(v, w)
	q, r := bits.Div64(hi, lo, total)
	if up && r > 0 {
		q++
	}
	return q
}

func status(sp *tracepb.Span) string {
	switch sp.GetStatus().GetCode() {
	case tracepb.Status_STATUS_CODE_ERROR:
		return "ERROR"
	case tracepb.Status_STATUS_CODE_OK:
		return "OK"
	}
	return ""
}

var kindNames = map[tracepb.Span_SpanKind]string{
	tracepb.Span_SPAN_KIND_INTERNAL: "internal",
	tracepb.Span_SPAN_KIND_SERVER:   "server",
	tracepb.Span_SPAN_KIND_CLIENT:   "client",
	tracepb.Span_SPAN_KIND_PRODUCER: "producer",
	tracepb.Span_SPAN_KIND_CONSUMER: "consumer",
}

// protoKind is "http server", "grpc client", "jsonrpc server", or just the kind.
func protoKind(sp *tracepb.Span) string {
	proto := ""
	for _, kv := range sp.GetAttributes() {
		switch kv.GetKey() {
		case "rpc.system.name", "rpc.system":
			proto = ASCII(kv.GetValue().GetStringValue())
		case "http.request.method":
			if proto == "" {
				proto = "http"
			}
		}
	}
	kind := kindNames[sp.GetKind()]
	switch {
	case proto == "":
		return kind
	case kind == "":
		return Truncate(proto, 12)
	}
	return Truncate(proto, 12) + " " + kind
}
