package otelkit

import (
	"strings"
	"unicode/utf8"

	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/proto" // registers the proto codec wrapped below
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Protobuf refuses to encode a string field that is not valid UTF-8, so one bad attribute value would
// lose a whole batch. Encoding is tried as is first (no cost when all is well); on failure the invalid
// strings are repaired in place (each invalid byte becomes U+FFFD, as in OTLP/JSON), and encoding is tried again.

// marshalRepairing encodes msg, repairing invalid UTF-8 if the first attempt fails.
func marshalRepairing(msg proto.Message) ([]byte, error) {
	b, err := proto.Marshal(msg)
	if err != nil && repairUTF8(msg.ProtoReflect()) {
		return proto.Marshal(msg)
	}
	return b, err
}

// repairUTF8 replaces invalid UTF-8 in every string field of m, recursively, and reports whether it
// changed anything.
func repairUTF8(m protoreflect.Message) bool {
	changed := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				switch fd.Kind() {
				case protoreflect.StringKind:
					if s := l.Get(i).String(); !utf8.ValidString(s) {
						l.Set(i, protoreflect.ValueOfString(toValidUTF8(s)))
						changed = true
					}
				case protoreflect.MessageKind, protoreflect.GroupKind:
					changed = repairUTF8(l.Get(i).Message()) || changed
				}
			}
		case fd.IsMap():
			// OTLP has no map fields.
		case fd.Kind() == protoreflect.StringKind:
			if s := v.String(); !utf8.ValidString(s) {
				m.Set(fd, protoreflect.ValueOfString(toValidUTF8(s)))
				changed = true
			}
		case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
			changed = repairUTF8(v.Message()) || changed
		}
		return true
	})
	return changed
}

// toValidUTF8 replaces each invalid byte with U+FFFD, as encoding/json and our OTLP/JSON encoder do, so that
// a value arrives the same over every protocol.
func toValidUTF8(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// repairingCodec is gRPC's proto codec with the same repair on marshalling failure.
type repairingCodec struct{ base encoding.CodecV2 }

func newRepairingCodec() repairingCodec { return repairingCodec{base: encoding.GetCodecV2("proto")} }

func (c repairingCodec) Marshal(v any) (mem.BufferSlice, error) {
	out, err := c.base.Marshal(v)
	if err != nil {
		if m, ok := v.(proto.Message); ok && repairUTF8(m.ProtoReflect()) {
			return c.base.Marshal(v)
		}
	}
	return out, err
}

func (c repairingCodec) Unmarshal(data mem.BufferSlice, v any) error {
	return c.base.Unmarshal(data, v)
}
func (c repairingCodec) Name() string { return c.base.Name() }
