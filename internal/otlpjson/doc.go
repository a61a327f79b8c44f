// Package otlpjson encodes and decodes the OTLP/JSON wire format
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) for the
// six OTLP collector export messages of traces, metrics and logs.
//
// OTLP/JSON is the proto3 JSON mapping with these deviations, all of which
// this package implements:
//
//   - traceId, spanId and parentSpanId (in spans, span links, log records and
//     metric exemplars) are hex strings, not base64;
//   - enum values are integers, never names;
//   - object keys are the lowerCamelCase JSON names of the fields.
//
// Everything else follows the proto3 JSON mapping exactly as protojson does:
// 64-bit integers are decimal strings, non-finite doubles are the strings
// "NaN", "Infinity" and "-Infinity", bytes are standard base64, fields holding
// their default value are omitted, a set oneof member is always written (for
// example {"intValue":"0"}) and proto3 optional fields are written when present.
//
// # Encoding
//
// [AppendTraces], [AppendMetrics] and [AppendLogs] are hand-written encoders
// that append into a caller-supplied buffer without reflection and without
// per-field allocations. Invalid UTF-8 in strings is replaced by U+FFFD.
// Messages must not contain reference cycles.
//
// # Decoding
//
// [Unmarshal] decodes into any of the six request and response messages. In
// strict mode it rejects everything the specification forbids, so that an
// encoder bug cannot hide behind a forgiving receiver: ids that are not hex of
// the exact length, enum names, keys that are not the lowerCamelCase JSON name,
// unknown fields and duplicate keys. Non-strict mode follows the receiver rules
// of the specification (unknown fields are ignored, both key spellings and
// enum names are accepted) but still requires hex ids.
package otlpjson
