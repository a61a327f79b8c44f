package otlpjson

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects, as encoding/json does,
// which also bounds the recursion of the parser and of the checker.
const maxDepth = 10000

// parseTree parses exactly one JSON value (RFC 8259) from data. Strings are
// unescaped; invalid UTF-8 and unpaired surrogates become U+FFFD, as
// encoding/json does.
func parseTree(data []byte) (node, error) {
	p := parser{data: data}
	p.skipSpace()
	n, err := p.value(0)
	if err != nil {
		return node{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return node{}, fmt.Errorf("%w: unexpected data after the top-level value at offset %d", ErrSyntax, p.pos)
	}
	return n, nil
}

type parser struct {
	data []byte
	pos  int
	buf  []byte // scratch space for unescaping strings
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// unexpected describes the byte at the current position.
func (p *parser) unexpected(want string) error {
	if p.pos >= len(p.data) {
		return fmt.Errorf("unexpected end of input, want %s", want)
	}
	return fmt.Errorf("unexpected %q at offset %d, want %s", rune(p.data[p.pos]), p.pos, want)
}

// value parses a value starting at p.pos, which is not whitespace.
func (p *parser) value(depth int) (node, error) {
	if p.pos >= len(p.data) {
		return node{}, p.unexpected("a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return node{kind: kindString, text: s}, err
	case c == 't':
		return p.literal("true", node{kind: kindBool, text: "true"})
	case c == 'f':
		return p.literal("false", node{kind: kindBool, text: "false"})
	case c == 'n':
		return p.literal("null", node{kind: kindNull})
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return node{}, p.unexpected("a value")
}

func (p *parser) literal(word string, n node) (node, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return node{}, fmt.Errorf("invalid literal at offset %d", p.pos)
	}
	p.pos += len(word)
	return n, nil
}

func (p *parser) object(depth int) (node, error) {
	if depth > maxDepth {
		return node{}, fmt.Errorf("nesting deeper than %d at offset %d", maxDepth, p.pos)
	}
	p.pos++ // '{'
	n := node{kind: kindObject}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return node{}, p.unexpected("a string key")
		}
		key, err := p.str()
		if err != nil {
			return node{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return node{}, p.unexpected("':'")
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.members = append(n.members, member{key: key, val: v})
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.skipSpace()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return n, nil
		}
		return node{}, p.unexpected("',' or '}'")
	}
}

func (p *parser) array(depth int) (node, error) {
	if depth > maxDepth {
		return node{}, fmt.Errorf("nesting deeper than %d at offset %d", maxDepth, p.pos)
	}
	p.pos++ // '['
	n := node{kind: kindArray}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		n.elems = append(n.elems, v)
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.skipSpace()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return n, nil
		}
		return node{}, p.unexpected("',' or ']'")
	}
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and keeps its text.
func (p *parser) number() (node, error) {
	d, start := p.data, p.pos
	i := start
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		return node{}, fmt.Errorf("invalid number at offset %d", start)
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return node{}, fmt.Errorf("invalid number at offset %d", start)
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return node{}, fmt.Errorf("invalid number at offset %d", start)
		}
	}
	p.pos = i
	return node{kind: kindNumber, text: string(d[start:i])}, nil
}

// str scans a string starting at the opening quote and returns its value.
func (p *parser) str() (string, error) {
	d := p.data
	start := p.pos + 1
	// Fast path: no escapes, ASCII or valid UTF-8.
	for i := start; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			if utf8.Valid(d[start:i]) {
				p.pos = i + 1
				return string(d[start:i]), nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	out := p.buf[:0]
	i := start
	for {
		if i >= len(d) {
			return "", fmt.Errorf("unterminated string starting at offset %d", p.pos)
		}
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = out
			return string(out), nil
		case c < 0x20:
			return "", fmt.Errorf("control character %q in string at offset %d", rune(c), i)
		case c == '\\':
			r, n, err := unescape(d, i)
			if err != nil {
				return "", err
			}
			out = utf8.AppendRune(out, r)
			i += n
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			out = utf8.AppendRune(out, r) // RuneError for invalid bytes
			i += n
		}
	}
}

// unescape decodes the escape sequence at d[i] ('\\') and returns the rune
// and the number of bytes consumed. Surrogate pairs are combined; unpaired
// surrogates become U+FFFD.
func unescape(d []byte, i int) (rune, int, error) {
	if i+1 >= len(d) {
		return 0, 0, fmt.Errorf("unterminated escape at offset %d", i)
	}
	switch d[i+1] {
	case '"', '\\', '/':
		return rune(d[i+1]), 2, nil
	case 'b':
		return '\b', 2, nil
	case 'f':
		return '\f', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'u':
		r, ok := hex4(d, i+2)
		if !ok {
			return 0, 0, fmt.Errorf("invalid \\u escape at offset %d", i)
		}
		if !utf16.IsSurrogate(r) {
			return r, 6, nil
		}
		if i+7 < len(d) && d[i+6] == '\\' && d[i+7] == 'u' {
			if r2, ok := hex4(d, i+8); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, 12, nil
				}
			}
		}
		return utf8.RuneError, 6, nil
	}
	return 0, 0, fmt.Errorf("invalid escape %q at offset %d", d[i:i+2], i)
}

// hex4 decodes the four hex digits at d[i:].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
