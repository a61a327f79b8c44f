package otlpjson

import (
	"encoding/json"
	"errors"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The seed corpora live in testdata/fuzz and run as ordinary tests; run
// `go test -fuzz=FuzzUnmarshal ./internal/otlpjson` to explore further.

func allMessages() []proto.Message {
	return []proto.Message{
		&coltracepb.ExportTraceServiceRequest{}, &coltracepb.ExportTraceServiceResponse{},
		&colmetricspb.ExportMetricsServiceRequest{}, &colmetricspb.ExportMetricsServiceResponse{},
		&collogspb.ExportLogsServiceRequest{}, &collogspb.ExportLogsServiceResponse{},
	}
}

var sentinels = []error{ErrSyntax, ErrInvalidID, ErrEnumName, ErrKeyName, ErrUnknownField, ErrDuplicateKey}

// FuzzUnmarshal checks that Unmarshal never panics, that every error wraps a
// sentinel, and that whatever it accepts survives a strict round trip.
func FuzzUnmarshal(f *testing.F) {
	for _, fx := range fixtures() {
		data, err := Marshal(fx.msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, proto0 := range allMessages() {
			for _, strict := range []bool{true, false} {
				m := proto0.ProtoReflect().New().Interface()
				err := Unmarshal(data, m, strict)
				if err != nil {
					if !wrapsSentinel(err) {
						t.Fatalf("%T strict=%v: error %q wraps no sentinel", m, strict, err)
					}
					continue
				}
				again, err := Marshal(m)
				if err != nil {
					t.Fatalf("Marshal of decoded %T: %v", m, err)
				}
				back := proto0.ProtoReflect().New().Interface()
				if err := Unmarshal(again, back, true); err != nil {
					t.Fatalf("%T strict=%v: re-encoded document rejected: %v\ninput %q\nre-encoded %s", m, strict, err, data, again)
				}
				if !proto.Equal(m, back) {
					t.Fatalf("%T strict=%v: round trip differs\nfirst  %v\nsecond %v", m, strict, m, back)
				}
			}
		}
	})
}

// FuzzRoundTrip decodes binary protobuf, encodes it with Append*, and checks
// that the strict decoder restores the same message, or rejects it only for
// ids of the wrong length, which binary protobuf allows and OTLP/JSON cannot
// express.
func FuzzRoundTrip(f *testing.F) {
	for _, fx := range fixtures()[:3] {
		data, err := proto.Marshal(fx.msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, proto0 := range allMessages() {
			m := proto0.ProtoReflect().New().Interface()
			if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, m); err != nil {
				continue
			}
			encoded, err := Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(encoded) {
				t.Fatalf("%T: invalid JSON %s", m, encoded)
			}
			back := proto0.ProtoReflect().New().Interface()
			err = Unmarshal(encoded, back, true)
			if hasBadID(m.ProtoReflect()) {
				if !errors.Is(err, ErrInvalidID) {
					t.Fatalf("%T with a wrong-length id: got %v, want ErrInvalidID", m, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%T: strict Unmarshal of Append output: %v\n%s", m, err, encoded)
			}
			if !proto.Equal(m, back) {
				t.Fatalf("%T: round trip differs\nwant %v\ngot  %v\njson %s", m, m, back, encoded)
			}
		}
	})
}

func wrapsSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// hasBadID reports whether any id field in m is set with a length other than
// the id's size.
func hasBadID(m protoreflect.Message) bool {
	bad := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Kind() == protoreflect.BytesKind && idSize(fd) > 0:
			if n := len(v.Bytes()); n != 0 && n != idSize(fd) {
				bad = true
			}
		case fd.Kind() == protoreflect.MessageKind && fd.IsList():
			l := v.List()
			for i := 0; i < l.Len() && !bad; i++ {
				bad = hasBadID(l.Get(i).Message())
			}
		case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
			bad = hasBadID(v.Message())
		}
		return !bad
	})
	return bad
}
