package otlpjson

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Unmarshal decodes OTLP/JSON data into m, which must be one of the six OTLP
// collector export requests and responses of traces, metrics and logs; m is
// reset first.
//
// In strict mode Unmarshal rejects everything the specification forbids:
// ids that are not hex strings of the exact length (for example base64 ids),
// enum values given as names, keys that are not the lowerCamelCase JSON name
// (for example "trace_id"), unknown fields and duplicate keys. Non-strict
// mode follows the receiver rules of the specification: unknown fields are
// ignored and both key spellings and enum names are accepted, but ids must
// still be hex. In both modes an empty id string means "no id", 64-bit
// integers may be strings or numbers, and null means the default value.
//
// Errors wrap one of the sentinel errors of this package and name the JSON
// path of the offending value, for example
// "resourceSpans[0].scopeSpans[0].spans[1].traceId".
func Unmarshal(data []byte, m proto.Message, strict bool) error {
	switch m.(type) {
	case *coltracepb.ExportTraceServiceRequest, *coltracepb.ExportTraceServiceResponse,
		*colmetricspb.ExportMetricsServiceRequest, *colmetricspb.ExportMetricsServiceResponse,
		*collogspb.ExportLogsServiceRequest, *collogspb.ExportLogsServiceResponse:
	default:
		return fmt.Errorf("%w: %T", ErrUnsupportedMessage, m)
	}
	pm := m.ProtoReflect()
	if !pm.IsValid() {
		return fmt.Errorf("%w: nil %T", ErrUnsupportedMessage, m)
	}
	proto.Reset(m)
	root, err := parseTree(data)
	if err != nil {
		return err
	}
	if root.kind != kindObject {
		return fmt.Errorf("%w: top-level value is %s, want object", ErrSyntax, root.kind)
	}
	c := checker{strict: strict}
	if err := c.message(&root, pm.Descriptor(), nil); err != nil {
		return err
	}
	canonical := appendNode(make([]byte, 0, len(data)), &root)
	opts := protojson.UnmarshalOptions{DiscardUnknown: !strict}
	if err := opts.Unmarshal(canonical, m); err != nil {
		return fmt.Errorf("%w: %s", ErrSyntax, protojsonPosition.ReplaceAllString(err.Error(), ""))
	}
	return nil
}

// protojsonPosition matches the prefix of protojson errors, whose line and
// column refer to the re-encoded document and would mislead the reader.
var protojsonPosition = regexp.MustCompile(`^proto:[\s\x{00a0}]*(\(line \d+:\d+\):[\s\x{00a0}]*)?`)

// checker walks a parsed document alongside the message descriptors, checks
// what the OTLP/JSON specification requires and rewrites hex ids to the
// base64 that protojson expects.
type checker struct {
	strict bool
}

// path is the JSON path of a value, built only when an error is reported.
type path struct {
	parent *path
	key    string // member key, or "" for an array element
	index  int
}

func (p *path) String() string {
	if p == nil {
		return "(root)"
	}
	var segs []string
	for ; p != nil; p = p.parent {
		if p.key != "" {
			segs = append(segs, "."+p.key)
		} else {
			segs = append(segs, "["+strconv.Itoa(p.index)+"]")
		}
	}
	var sb strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		sb.WriteString(segs[i])
	}
	return strings.TrimPrefix(sb.String(), ".")
}

func (c *checker) message(n *node, md protoreflect.MessageDescriptor, at *path) error {
	fields := md.Fields()
	var seenBuf [24]protoreflect.FieldNumber // OTLP messages have fewer fields
	seen := seenBuf[:0]
	var oneofs []protoreflect.OneofDescriptor
	kept := n.members[:0]
	for i := range n.members {
		mem := n.members[i]
		here := &path{parent: at, key: mem.key}
		fd := fields.ByJSONName(mem.key)
		if fd == nil {
			fd = fields.ByTextName(mem.key)
			if fd != nil && c.strict {
				return fmt.Errorf("%w at %s: use %q", ErrKeyName, here, fd.JSONName())
			}
		}
		if fd == nil {
			if c.strict {
				return fmt.Errorf("%w at %s: %s has no such field", ErrUnknownField, here, md.FullName())
			}
			continue // receivers ignore unknown fields
		}
		for _, num := range seen {
			if num == fd.Number() {
				return fmt.Errorf("%w at %s: field %s given twice", ErrDuplicateKey, here, fd.JSONName())
			}
		}
		seen = append(seen, fd.Number())
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() && mem.val.kind != kindNull {
			for _, o := range oneofs {
				if o == od {
					return fmt.Errorf("%w at %s: another member of oneof %s is already set", ErrDuplicateKey, here, od.Name())
				}
			}
			oneofs = append(oneofs, od)
		}
		if err := c.field(&mem.val, fd, here); err != nil {
			return err
		}
		kept = append(kept, mem)
	}
	n.members = kept
	return nil
}

func (c *checker) field(n *node, fd protoreflect.FieldDescriptor, at *path) error {
	if n.kind == kindNull {
		return nil
	}
	if fd.IsList() {
		if n.kind != kindArray {
			return fmt.Errorf("%w at %s: got %s, want array", ErrSyntax, at, n.kind)
		}
		for i := range n.elems {
			if err := c.value(&n.elems[i], fd, &path{parent: at, index: i}); err != nil {
				return err
			}
		}
		return nil
	}
	return c.value(n, fd, at)
}

func (c *checker) value(n *node, fd protoreflect.FieldDescriptor, at *path) error {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if n.kind != kindObject {
			return fmt.Errorf("%w at %s: got %s, want object", ErrSyntax, at, n.kind)
		}
		return c.message(n, fd.Message(), at)
	case protoreflect.EnumKind:
		if n.kind == kindString && c.strict {
			return fmt.Errorf("%w at %s: got string %s", ErrEnumName, at, quote(n.text))
		}
	case protoreflect.BytesKind:
		if size := idSize(fd); size > 0 {
			return convertID(n, size, at)
		}
	}
	return nil
}

// idSize returns the byte length of the id held by fd, or 0 when fd is not an
// id field. OTLP names its ids trace_id, span_id and parent_span_id in every
// message that carries them (Span, Span.Link, LogRecord, Exemplar).
func idSize(fd protoreflect.FieldDescriptor) int {
	switch fd.Name() {
	case "trace_id":
		return 16
	case "span_id", "parent_span_id":
		return 8
	}
	return 0
}

// convertID replaces the hex id in n by its base64 encoding.
func convertID(n *node, size int, at *path) error {
	if n.kind != kindString {
		return fmt.Errorf("%w at %s: got %s, want a hex string", ErrInvalidID, at, n.kind)
	}
	if n.text == "" {
		return nil // an empty id is an absent id
	}
	if len(n.text) != 2*size {
		return fmt.Errorf("%w at %s: got %d characters %s, want %d hex digits%s",
			ErrInvalidID, at, len(n.text), quote(n.text), 2*size, base64Hint(n.text, size))
	}
	var raw [16]byte
	if _, err := hex.Decode(raw[:size], []byte(n.text)); err != nil {
		return fmt.Errorf("%w at %s: %s is not hex%s", ErrInvalidID, at, quote(n.text), base64Hint(n.text, size))
	}
	n.text = base64.StdEncoding.EncodeToString(raw[:size])
	return nil
}

// base64Hint explains a common encoder bug: ids written by the plain proto3
// JSON mapping, which uses base64.
func base64Hint(s string, size int) string {
	if raw, err := base64.StdEncoding.DecodeString(s); err == nil && len(raw) == size {
		return " (this looks like base64; OTLP/JSON ids are hex)"
	}
	return ""
}

// quote quotes s for an error message, shortening long values.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
