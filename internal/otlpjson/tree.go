package otlpjson

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

// appendNode encodes n as JSON. Parsed strings are valid UTF-8, so
// appendString leaves them unchanged.
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
