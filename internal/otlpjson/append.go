package otlpjson

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strconv"
	"unicode/utf8"
)

// The encoders write every member with appendKey, which inserts the comma
// separator unless the member is the first of its object: the byte before the
// first member is always the object's '{', and no JSON value ends in '{'.
// Arrays use appendElem the same way with '['.

// appendKey appends a separator when needed and the quoted key with its colon,
// which the caller passes preformatted (for example `"traceId":`).
func appendKey(b []byte, key string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	return append(b, key...)
}

// appendElem appends an array separator when the next element is not the first.
func appendElem(b []byte) []byte {
	if b[len(b)-1] != '[' {
		b = append(b, ',')
	}
	return b
}

// appendList appends key and a JSON array of items, or nothing when items is empty.
func appendList[T any](b []byte, key string, items []T, elem func([]byte, T) []byte) []byte {
	if len(items) == 0 {
		return b
	}
	b = appendKey(b, key)
	b = append(b, '[')
	for _, it := range items {
		b = appendElem(b)
		b = elem(b, it)
	}
	return append(b, ']')
}

// appendStringField appends a string member unless s is empty.
func appendStringField(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(appendKey(b, key), s)
}

// appendUint32Field appends an unsigned 32-bit member as a JSON number unless it is zero.
func appendUint32Field(b []byte, key string, v uint32) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendUint(appendKey(b, key), uint64(v), 10)
}

// appendInt32Field appends a signed 32-bit member (or enum) as a JSON number unless it is zero.
func appendInt32Field(b []byte, key string, v int32) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(appendKey(b, key), int64(v), 10)
}

// appendUint64Field appends a 64-bit member as a quoted decimal string unless it is zero.
func appendUint64Field(b []byte, key string, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendUint64(appendKey(b, key), v)
}

// appendInt64Field appends a signed 64-bit member as a quoted decimal string unless it is zero.
func appendInt64Field(b []byte, key string, v int64) []byte {
	if v == 0 {
		return b
	}
	return appendInt64(appendKey(b, key), v)
}

// appendDoubleField appends a double member unless it is +0 (proto3 treats -0 as set).
func appendDoubleField(b []byte, key string, v float64) []byte {
	if math.Float64bits(v) == 0 {
		return b
	}
	return appendDouble(appendKey(b, key), v)
}

// appendOptionalDouble appends a proto3 optional double member when it is present.
func appendOptionalDouble(b []byte, key string, v *float64) []byte {
	if v == nil {
		return b
	}
	return appendDouble(appendKey(b, key), *v)
}

// appendIDField appends an id member as lowercase hex unless the id is empty.
func appendIDField(b []byte, key string, id []byte) []byte {
	if len(id) == 0 {
		return b
	}
	b = append(appendKey(b, key), '"')
	b = hex.AppendEncode(b, id)
	return append(b, '"')
}

func appendUint64(b []byte, v uint64) []byte {
	b = append(b, '"')
	b = strconv.AppendUint(b, v, 10)
	return append(b, '"')
}

func appendInt64(b []byte, v int64) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, v, 10)
	return append(b, '"')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

func appendBytes(b []byte, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

// appendDouble formats v the way the proto3 JSON mapping does: the shortest
// representation that round-trips, in exponent form only for very small and
// very large magnitudes, and the strings "NaN", "Infinity" and "-Infinity" for
// non-finite values.
func appendDouble(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Infinity"`...)
	}
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		// Shorten a two-digit negative exponent with a leading zero: 1e-07 -> 1e-7.
		n := len(b)
		if n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendString appends s as a JSON string. It escapes '"', '\\' and control
// characters and replaces invalid UTF-8 with U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
