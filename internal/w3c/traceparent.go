package w3c

import (
	"go.opentelemetry.io/otel/trace"
)

// Header names, lower case as they appear in gRPC metadata and map carriers.
const (
	// TraceParentHeader is the W3C traceparent header name.
	TraceParentHeader = "traceparent"
	// TraceStateHeader is the W3C tracestate header name.
	TraceStateHeader = "tracestate"
	// BaggageHeader is the W3C baggage header name.
	BaggageHeader = "baggage"
)

// Canonical MIME forms of the header names, as net/http stores them.
const (
	canonicalTraceParent = "Traceparent"
	canonicalTraceState  = "Tracestate"
	canonicalBaggage     = "Baggage"
)

const (
	// traceParentLen is the length of a version 00 traceparent:
	// 2 (version) + 1 + 32 (trace-id) + 1 + 16 (parent-id) + 1 + 2 (flags).
	traceParentLen = 55
	// knownFlags are the trace flags defined by Trace Context Level 2:
	// sampled (0x01) and random (0x02). Other bits are reserved and dropped.
	knownFlags = trace.FlagsSampled | trace.FlagsRandom
)

const hexDigits = "0123456789abcdef"

// unhexTable maps a lowercase hex digit to its value and every other byte
// (upper-case hex digits are invalid in traceparent) to 0xff.
var unhexTable = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range []byte(hexDigits) {
		t[c] = byte(i)
	}
	return t
}()

// decodeHex decodes the lowercase hex string src into dst (len(src) must be
// 2*len(dst)) and reports whether every character was a lowercase hex digit.
func decodeHex(dst []byte, src string) bool {
	_ = src[2*len(dst)-1]
	var bad byte
	for i := range dst {
		hi, lo := unhexTable[src[2*i]], unhexTable[src[2*i+1]]
		dst[i] = hi<<4 | lo
		bad |= hi | lo
	}
	// Valid digits are < 16, so any high bit marks an invalid character.
	return bad&0xf0 == 0
}

// isOWS reports whether c is optional white space (SP or HTAB).
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS(s string) string {
	for s != "" && isOWS(s[0]) {
		s = s[1:]
	}
	for s != "" && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// ParseTraceParent parses one traceparent header value strictly, as W3C Trace
// Context Level 2 requires of a receiver:
//
//   - leading and trailing optional white space is ignored;
//   - version is two lowercase hex digits and must not be ff;
//   - version 00 is exactly 55 characters; a higher (future) version is at
//     least 55 characters and anything after the flags must start with '-';
//   - trace-id (32) and parent-id (16) are lowercase hex and not all zeros;
//   - flags are two lowercase hex digits; only the sampled and random bits are
//     kept, reserved bits are ignored.
//
// ok is false for anything else. It never allocates and never panics.
func ParseTraceParent(s string) (tid trace.TraceID, sid trace.SpanID, flags trace.TraceFlags, ok bool) {
	s = trimOWS(s)
	if len(s) < traceParentLen || s[2] != '-' || s[35] != '-' || s[52] != '-' {
		return tid, sid, 0, false
	}
	var ver, fl [1]byte
	if !decodeHex(ver[:], s[0:2]) || ver[0] == 0xff {
		return tid, sid, 0, false
	}
	if len(s) > traceParentLen && (ver[0] == 0 || s[traceParentLen] != '-') {
		return tid, sid, 0, false
	}
	if !decodeHex(tid[:], s[3:35]) || !decodeHex(sid[:], s[36:52]) || !decodeHex(fl[:], s[53:55]) {
		return tid, sid, 0, false
	}
	if !tid.IsValid() || !sid.IsValid() {
		return tid, sid, 0, false
	}
	return tid, sid, trace.TraceFlags(fl[0]) & knownFlags, true
}

// appendTraceParent writes the version 00 traceparent of the given ids and
// flags (reserved flag bits cleared) into buf.
func appendTraceParent(buf *[traceParentLen]byte, tid trace.TraceID, sid trace.SpanID, flags trace.TraceFlags) {
	buf[0], buf[1], buf[2] = '0', '0', '-'
	for i, b := range tid {
		buf[3+2*i], buf[4+2*i] = hexDigits[b>>4], hexDigits[b&0x0f]
	}
	buf[35] = '-'
	for i, b := range sid {
		buf[36+2*i], buf[37+2*i] = hexDigits[b>>4], hexDigits[b&0x0f]
	}
	buf[52] = '-'
	f := byte(flags & knownFlags)
	buf[53], buf[54] = hexDigits[f>>4], hexDigits[f&0x0f]
}

// FormatTraceParent returns the version 00 traceparent of sc, or "" when sc is
// not valid. Reserved flag bits are cleared.
func FormatTraceParent(sc trace.SpanContext) string {
	if !sc.IsValid() {
		return ""
	}
	var buf [traceParentLen]byte
	appendTraceParent(&buf, sc.TraceID(), sc.SpanID(), sc.TraceFlags())
	return string(buf[:])
}
