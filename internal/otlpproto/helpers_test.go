package otlpproto

import (
	"bytes"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// encodeWith encodes one of the three requests with e, appending to dst.
func encodeWith(t testing.TB, e *Encoder, dst []byte, m proto.Message) []byte {
	t.Helper()
	switch x := m.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		dst = e.AppendTraces(dst, x)
	case *colmetricspb.ExportMetricsServiceRequest:
		dst = e.AppendMetrics(dst, x)
	case *collogspb.ExportLogsServiceRequest:
		dst = e.AppendLogs(dst, x)
	default:
		t.Fatalf("unsupported message %T", m)
	}
	if e.next != len(e.sizes) {
		t.Fatalf("%T: write pass used %d of %d recorded sizes", m, e.next, len(e.sizes))
	}
	return dst
}

// encodePackage encodes one of the three requests with the package-level
// functions.
func encodePackage(t testing.TB, dst []byte, m proto.Message) []byte {
	t.Helper()
	switch x := m.(type) {
	case *coltracepb.ExportTraceServiceRequest:
		return AppendTraces(dst, x)
	case *colmetricspb.ExportMetricsServiceRequest:
		return AppendMetrics(dst, x)
	case *collogspb.ExportLogsServiceRequest:
		return AppendLogs(dst, x)
	}
	t.Fatalf("unsupported message %T", m)
	return nil
}

// assertIdentical checks that our encoding of m is byte for byte what
// proto.Marshal writes, deterministic or not, through both APIs and after
// a prefix.
func assertIdentical(t testing.TB, e *Encoder, m proto.Message) []byte {
	t.Helper()
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatalf("%T: proto.Marshal: %v", m, err)
	}
	plain, err := proto.Marshal(m)
	if err != nil {
		t.Fatalf("%T: proto.Marshal: %v", m, err)
	}
	if !bytes.Equal(plain, want) {
		t.Fatalf("%T: deterministic and plain proto.Marshal differ", m)
	}
	got := encodeWith(t, e, nil, m)
	if !bytes.Equal(got, want) {
		t.Fatalf("%T: encoding differs from proto.Marshal at byte %d of %d/%d\ngot  %x\nwant %x",
			m, firstDiff(got, want), len(got), len(want), got, want)
	}
	if pkg := encodePackage(t, nil, m); !bytes.Equal(pkg, want) {
		t.Fatalf("%T: package-level encoding differs from proto.Marshal", m)
	}
	prefix := []byte("prefix")
	if withPrefix := encodeWith(t, e, prefix, m); !bytes.Equal(withPrefix, append(prefix, want...)) {
		t.Fatalf("%T: encoding after a prefix differs", m)
	}
	return got
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// repaired replaces, in m and recursively, every string with invalid UTF-8
// by its conversion through []rune, which the Go specification defines as
// replacing each invalid byte with U+FFFD: an oracle independent of the
// encoder's own repair.
func repaired(m protoreflect.Message) {
	fix := func(s string) string { return string([]rune(s)) }
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				switch fd.Kind() {
				case protoreflect.StringKind:
					l.Set(i, protoreflect.ValueOfString(fix(l.Get(i).String())))
				case protoreflect.MessageKind:
					repaired(l.Get(i).Message())
				}
			}
		case fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString(fix(v.String())))
		case fd.Kind() == protoreflect.MessageKind:
			repaired(v.Message())
		}
		return true
	})
}
