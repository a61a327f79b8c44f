package otlpproto

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// Wire types, combined with a field number into a tag: num<<3 | type. Every
// field of the OTLP messages has a number below 16, so its tag is one byte,
// except Span.flags (16), whose two-byte tag is written by the span encoder.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// tag returns the one-byte tag of field num (below 16) with wire type typ.
func tag(num, typ byte) byte { return num<<3 | typ }

// Sizes of whole fields (tag included) for the size pass. Each returns 0 for
// a value that proto3 implicit presence omits.

func sizeVarint(v uint64) int { return protowire.SizeVarint(v) }

// sizeLen returns the size of a length-delimited field with a one-byte tag and
// an n-byte payload.
func sizeLen(n int) int {
	if n < 0x80 {
		return 2 + n
	}
	return 1 + sizeVarint(uint64(n)) + n
}

// appendVarint is protowire.AppendVarint with an inlined one-byte case, the
// common one for lengths and small counts.
func appendVarint(b []byte, v uint64) []byte {
	if v < 0x80 {
		return append(b, byte(v))
	}
	return protowire.AppendVarint(b, v)
}

func sizeVarintField(v uint64) int {
	if v == 0 {
		return 0
	}
	return 1 + sizeVarint(v)
}

func sizeFixed64Field(v uint64) int {
	if v == 0 {
		return 0
	}
	return 9
}

func sizeFixed32Field(v uint32) int {
	if v == 0 {
		return 0
	}
	return 5
}

// sizeDoubleField treats only +0 as zero: proto3 writes -0.
func sizeDoubleField(v float64) int { return sizeFixed64Field(math.Float64bits(v)) }

func sizeOptionalDouble(v *float64) int {
	if v == nil {
		return 0
	}
	return 9
}

func sizeBytesField(v []byte) int {
	if len(v) == 0 {
		return 0
	}
	return sizeLen(len(v))
}

// Writers of whole fields for the write pass, mirroring the sizes above.

func appendVarintField(b []byte, t byte, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendVarint(append(b, t), v)
}

func appendFixed64Field(b []byte, t byte, v uint64) []byte {
	if v == 0 {
		return b
	}
	return binary.LittleEndian.AppendUint64(append(b, t), v)
}

func appendFixed32Field(b []byte, t byte, v uint32) []byte {
	if v == 0 {
		return b
	}
	return binary.LittleEndian.AppendUint32(append(b, t), v)
}

func appendDoubleField(b []byte, t byte, v float64) []byte {
	return appendFixed64Field(b, t, math.Float64bits(v))
}

func appendOptionalDouble(b []byte, t byte, v *float64) []byte {
	if v == nil {
		return b
	}
	return binary.LittleEndian.AppendUint64(append(b, t), math.Float64bits(*v))
}

func appendBytesField(b []byte, t byte, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = appendVarint(append(b, t), uint64(len(v)))
	return append(b, v...)
}

// sizeVarintPacked returns the payload size of a packed repeated varint field.
func sizeVarintPacked(vs []uint64) int {
	n := 0
	for _, v := range vs {
		n += sizeVarint(v)
	}
	return n
}

// sizeFixed64Packed returns the size of a packed repeated fixed64 or double
// field of n elements, 0 when it is empty.
func sizeFixed64Packed(n int) int {
	if n == 0 {
		return 0
	}
	return sizeLen(8 * n)
}

func appendFixed64Packed(b []byte, t byte, vs []uint64) []byte {
	if len(vs) == 0 {
		return b
	}
	b = appendVarint(append(b, t), uint64(8*len(vs)))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

func appendDoublePacked(b []byte, t byte, vs []float64) []byte {
	if len(vs) == 0 {
		return b
	}
	b = appendVarint(append(b, t), uint64(8*len(vs)))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// int32Varint is how protobuf writes int32 and enum values as varints: sign
// extended to 64 bits, so negative values take ten bytes.
func int32Varint(v int32) uint64 { return uint64(int64(v)) }

// zigzag32 is the sint32 encoding.
func zigzag32(v int32) uint64 { return protowire.EncodeZigZag(int64(v)) }

// validString is utf8.ValidString with a faster path for ASCII strings, the
// common case: it ORs the string eight bytes at a time and checks no byte has
// its top bit set.
func validString(s string) bool {
	var acc uint64
	if len(s) >= 8 {
		for t := s; len(t) > 8; t = t[8:] {
			acc |= load8(t)
		}
		acc |= load8(s[len(s)-8:]) // the last 8 bytes, overlapping
	} else {
		for i := 0; i < len(s); i++ {
			acc |= uint64(s[i])
		}
	}
	return acc&0x8080808080808080 == 0 || utf8.ValidString(s)
}

// load8 returns the first eight bytes of s as a little-endian integer (the
// compiler makes this one load).
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// repairedLen returns the length of s once each byte that is not part of a
// valid UTF-8 sequence is replaced by U+FFFD (three bytes).
func repairedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += len("\uFFFD") - 1
		}
		i += size
	}
	return n
}

// appendRepaired appends s with each byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD.
func appendRepaired(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			start = i + 1
		}
		i += size
	}
	return append(b, s[start:]...)
}
