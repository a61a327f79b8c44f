// Package otlpproto encodes the OTLP export requests of traces, metrics and
// logs (go.opentelemetry.io/proto/otlp collector/{trace,metrics,logs}/v1) in
// the protobuf binary wire format, without reflection.
//
// For every request that proto.Marshal accepts, [AppendTraces],
// [AppendMetrics] and [AppendLogs] write exactly the bytes that proto.Marshal
// writes, deterministic or not (OTLP has no map fields):
//
//   - fields in field-number order, except that the members of a oneof
//     (AnyValue.value, Metric.data, the value of NumberDataPoint and Exemplar)
//     come after the other fields, as protobuf-go writes them for
//     compatibility with historic output; proto3 optional fields (the sum,
//     min and max of histogram points) keep their place;
//   - proto3 implicit presence: zero numbers, empty strings and bytes, nil
//     messages and empty repeated fields are omitted, while a set oneof
//     member and a set optional field are written even when zero, and a
//     double of -0.0 is written;
//   - packed repeated numbers (bucket counts, explicit bounds);
//   - a nil message in a oneof or in a list written as an empty message, and
//     a typed nil oneof wrapper (such as (*AnyValue_StringValue)(nil)) treated
//     as an unset oneof.
//
// # Invalid UTF-8
//
// proto.Marshal fails on a string field that is not valid UTF-8, which would
// lose a whole batch for one bad attribute. These encoders instead write each
// invalid byte as U+FFFD (the replacement the OTLP/JSON encoder in
// internal/otlpjson makes), so encoding cannot fail; the output is then
// identical to proto.Marshal's encoding of the same request with its strings
// repaired that way.
//
// # Cost
//
// Protobuf writes each nested message's length before its bytes, so an
// [Encoder] makes two passes: the first computes the size of every nested
// message and records it in a scratch slice in traversal order, the second
// writes. An Encoder reused across calls (one per goroutine, or pooled) keeps
// that scratch and, with a reused destination buffer, encodes without
// allocating. The package-level functions borrow Encoders from an internal
// pool.
//
// # Limits
//
// Unknown fields retained in a message decoded from the wire are not written
// (proto.Marshal writes them back). Messages must not contain reference
// cycles (the encoders would recurse without end, as proto.Marshal does), and
// must not be modified while they are being encoded.
package otlpproto
