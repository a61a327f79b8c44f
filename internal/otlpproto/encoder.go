package otlpproto

import (
	"slices"
	"sync"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
)

// Encoder encodes OTLP export requests as protobuf. It keeps the scratch of
// its size pass between calls, so an Encoder that is reused (and a
// destination buffer that is reused) makes encoding allocation-free.
//
// The zero Encoder is ready to use. An Encoder must not be used by two
// goroutines at once; pool Encoders, or use the package-level functions,
// which do.
type Encoder struct {
	// sizes holds the size of each nested message, in the order in which
	// the write pass meets them (parents before children). The size pass
	// reserves a message's slot before it sizes the message's children.
	sizes []int
	// next is the write pass's cursor in sizes.
	next int
	// invalid reports that the size pass met a string that is not valid
	// UTF-8; while it is false the write pass copies strings unchecked.
	invalid bool
}

// AppendTraces appends the protobuf encoding of req to dst and returns the
// extended slice. Invalid UTF-8 in string fields is written with each invalid
// byte replaced by U+FFFD; otherwise the bytes are identical to
// proto.Marshal's. A nil req encodes as an empty message (no bytes).
func (e *Encoder) AppendTraces(dst []byte, req *coltracepb.ExportTraceServiceRequest) []byte {
	e.reset()
	n := 0
	for _, rs := range req.GetResourceSpans() {
		n += sizeLen(e.sizeResourceSpans(rs))
	}
	dst = slices.Grow(dst, n)
	for _, rs := range req.GetResourceSpans() {
		dst = e.appendResourceSpans(e.appendLen(append(dst, tag(1, wireBytes))), rs)
	}
	return dst
}

// AppendMetrics appends the protobuf encoding of req to dst and returns the
// extended slice, like [Encoder.AppendTraces].
func (e *Encoder) AppendMetrics(dst []byte, req *colmetricspb.ExportMetricsServiceRequest) []byte {
	e.reset()
	n := 0
	for _, rm := range req.GetResourceMetrics() {
		n += sizeLen(e.sizeResourceMetrics(rm))
	}
	dst = slices.Grow(dst, n)
	for _, rm := range req.GetResourceMetrics() {
		dst = e.appendResourceMetrics(e.appendLen(append(dst, tag(1, wireBytes))), rm)
	}
	return dst
}

// AppendLogs appends the protobuf encoding of req to dst and returns the
// extended slice, like [Encoder.AppendTraces].
func (e *Encoder) AppendLogs(dst []byte, req *collogspb.ExportLogsServiceRequest) []byte {
	e.reset()
	n := 0
	for _, rl := range req.GetResourceLogs() {
		n += sizeLen(e.sizeResourceLogs(rl))
	}
	dst = slices.Grow(dst, n)
	for _, rl := range req.GetResourceLogs() {
		dst = e.appendResourceLogs(e.appendLen(append(dst, tag(1, wireBytes))), rl)
	}
	return dst
}

// The two passes follow one pattern throughout the package: sizeX(m)
// reserves a slot for m in e.sizes, sizes m's children (which reserve theirs
// after it), records the size of m's body in its slot and returns it;
// appendX(b, m) writes m's body only, its caller having written the tag and,
// with e.appendLen, the length. So the write pass consumes the slots in the
// order in which the size pass reserved them, and both passes must visit the
// same messages in the same order. A nil m has an empty body. Small leaves
// (AnyValue scalars, Status, ValueAtQuantile) record nothing: their sizes are
// recomputed by the write pass.

func (e *Encoder) reset() {
	e.sizes = e.sizes[:0]
	e.next = 0
	e.invalid = false
}

// reserve appends a slot for the size of the message about to be sized and
// returns its index.
func (e *Encoder) reserve() int {
	e.sizes = append(e.sizes, 0)
	return len(e.sizes) - 1
}

// appendLen appends, as a varint, the next recorded size: the length of the
// nested message whose body the caller writes next.
func (e *Encoder) appendLen(b []byte) []byte {
	n := e.sizes[e.next]
	e.next++
	return appendVarint(b, uint64(n))
}

// stringLen returns the encoded length of s, noting whether it needs repair.
func (e *Encoder) stringLen(s string) int {
	if validString(s) {
		return len(s)
	}
	e.invalid = true
	return repairedLen(s)
}

// sizeStringField returns the size of a string field, 0 when s is empty.
func (e *Encoder) sizeStringField(s string) int {
	if s == "" {
		return 0
	}
	return sizeLen(e.stringLen(s))
}

// appendString appends s as a length-delimited payload (without tag).
func (e *Encoder) appendString(b []byte, s string) []byte {
	if !e.invalid || validString(s) {
		b = appendVarint(b, uint64(len(s)))
		return append(b, s...)
	}
	b = appendVarint(b, uint64(repairedLen(s)))
	return appendRepaired(b, s)
}

// appendStringField appends a string field unless s is empty.
func (e *Encoder) appendStringField(b []byte, t byte, s string) []byte {
	if s == "" {
		return b
	}
	return e.appendString(append(b, t), s)
}

// maxPooledSizes bounds the scratch that a pooled Encoder keeps, so that one
// huge request does not pin its scratch for the life of the process.
const maxPooledSizes = 1 << 18

var encoders = sync.Pool{New: func() any { return new(Encoder) }}

func getEncoder() *Encoder { return encoders.Get().(*Encoder) }

func putEncoder(e *Encoder) {
	if cap(e.sizes) <= maxPooledSizes {
		encoders.Put(e)
	}
}

// AppendTraces appends the protobuf encoding of req to dst with a pooled
// [Encoder]; see [Encoder.AppendTraces].
func AppendTraces(dst []byte, req *coltracepb.ExportTraceServiceRequest) []byte {
	e := getEncoder()
	dst = e.AppendTraces(dst, req)
	putEncoder(e)
	return dst
}

// AppendMetrics appends the protobuf encoding of req to dst with a pooled
// [Encoder]; see [Encoder.AppendMetrics].
func AppendMetrics(dst []byte, req *colmetricspb.ExportMetricsServiceRequest) []byte {
	e := getEncoder()
	dst = e.AppendMetrics(dst, req)
	putEncoder(e)
	return dst
}

// AppendLogs appends the protobuf encoding of req to dst with a pooled
// [Encoder]; see [Encoder.AppendLogs].
func AppendLogs(dst []byte, req *collogspb.ExportLogsServiceRequest) []byte {
	e := getEncoder()
	dst = e.AppendLogs(dst, req)
	putEncoder(e)
	return dst
}
