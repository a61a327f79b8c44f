package otlpproto

import (
	"bytes"
	"testing"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// The seed corpora live in testdata/fuzz and run as ordinary tests; explore
// further with `go test -fuzz=FuzzBuilt ./internal/otlpproto` (or
// -fuzz=FuzzDecoded).

// FuzzBuilt builds a request of each signal from the input (see gen) and
// checks that its encoding is proto.Marshal's when proto.Marshal accepts it
// and, when it contains invalid UTF-8, that it decodes and is proto.Marshal's
// encoding of the same request with each invalid byte replaced by U+FFFD.
func FuzzBuilt(f *testing.F) {
	f.Fuzz(checkBuilt)
}

var builders = []func(*gen) proto.Message{
	func(g *gen) proto.Message { return g.traces() },
	func(g *gen) proto.Message { return g.metrics() },
	func(g *gen) proto.Message { return g.logs() },
}

func checkBuilt(t *testing.T, data []byte) {
	{
		e := new(Encoder)
		for _, build := range builders {
			m := build(&gen{data: data})
			got := encodeWith(t, e, nil, m)
			want, err := proto.Marshal(m)
			if err == nil {
				if !bytes.Equal(got, want) {
					t.Fatalf("%T: differs from proto.Marshal at byte %d\ngot  %x\nwant %x", m, firstDiff(got, want), got, want)
				}
				continue
			}
			back := m.ProtoReflect().Type().New().Interface()
			if err := proto.Unmarshal(got, back); err != nil {
				t.Fatalf("%T with invalid UTF-8: output does not decode: %v", m, err)
			}
			// The same request built again (proto.Clone would drop -0.0),
			// repaired through the test's own oracle.
			fixed := build(&gen{data: data})
			repaired(fixed.ProtoReflect())
			want, err = proto.Marshal(fixed)
			if err != nil {
				t.Fatalf("%T: repaired request still rejected: %v", m, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%T with invalid UTF-8: differs from the repaired request's encoding at byte %d\ngot  %x\nwant %x",
					m, firstDiff(got, want), got, want)
			}
		}
	}
}

// FuzzDecoded decodes the input as each of the three requests and checks
// that whatever proto.Unmarshal accepts (unknown fields discarded, since
// they are not written) encodes exactly as proto.Marshal encodes it.
func FuzzDecoded(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		e := new(Encoder)
		for _, m := range []proto.Message{
			&coltracepb.ExportTraceServiceRequest{},
			&colmetricspb.ExportMetricsServiceRequest{},
			&collogspb.ExportLogsServiceRequest{},
		} {
			if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, m); err != nil {
				continue
			}
			assertIdentical(t, e, m)
		}
	})
}
