package otlpjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// node is a parsed JSON value that keeps object members in order, duplicates
// included, and numbers as their original text, so that it can be checked
// against the OTLP schema, edited and encoded again without loss.
type node struct {
	kind    nodeKind
	text    string   // string value, number text, or "true"/"false"
	members []member // object members, in input order
	elems   []node   // array elements
}

type member struct {
	key string
	val node
}

type nodeKind uint8

const (
	kindNull nodeKind = iota
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

func (k nodeKind) String() string {
	switch k {
	case kindNull:
		return "null"
	case kindBool:
		return "boolean"
	case kindNumber:
		return "number"
	case kindString:
		return "string"
	case kindObject:
		return "object"
	default:
		return "array"
	}
}

// parseTree parses exactly one JSON value from data. encoding/json bounds the
// nesting depth, so the recursion below is bounded too.
func parseTree(data []byte) (node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := parseValue(dec)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return node{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return node{}, fmt.Errorf("%w: unexpected data after the top-level value", ErrSyntax)
	}
	return n, nil
}

func parseValue(dec *json.Decoder) (node, error) {
	tok, err := dec.Token()
	if err != nil {
		return node{}, err
	}
	switch t := tok.(type) {
	case nil:
		return node{kind: kindNull}, nil
	case bool:
		if t {
			return node{kind: kindBool, text: "true"}, nil
		}
		return node{kind: kindBool, text: "false"}, nil
	case json.Number:
		return node{kind: kindNumber, text: string(t)}, nil
	case string:
		return node{kind: kindString, text: t}, nil
	case json.Delim:
		switch t {
		case '{':
			n := node{kind: kindObject}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return node{}, err
				}
				key, ok := kt.(string)
				if !ok {
					return node{}, fmt.Errorf("object key is %v, not a string", kt)
				}
				v, err := parseValue(dec)
				if err != nil {
					return node{}, err
				}
				n.members = append(n.members, member{key: key, val: v})
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := node{kind: kindArray}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return node{}, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
	}
	return node{}, fmt.Errorf("unexpected token %v", tok)
}

// appendNode encodes n as JSON. Strings decoded by encoding/json are valid
// UTF-8 (it replaces invalid sequences), so appendString leaves them unchanged.
func appendNode(b []byte, n *node) []byte {
	switch n.kind {
	case kindNull:
		return append(b, "null"...)
	case kindBool, kindNumber:
		return append(b, n.text...)
	case kindString:
		return appendString(b, n.text)
	case kindObject:
		b = append(b, '{')
		for i := range n.members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, n.members[i].key)
			b = append(b, ':')
			b = appendNode(b, &n.members[i].val)
		}
		return append(b, '}')
	default:
		b = append(b, '[')
		for i := range n.elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNode(b, &n.elems[i])
		}
		return append(b, ']')
	}
}
