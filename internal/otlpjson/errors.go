package otlpjson

import "errors"

// Errors returned by [Unmarshal] and [Marshal], wrapped with the JSON path of
// the offending value; test for them with [errors.Is].
var (
	// ErrSyntax reports input that is not valid JSON or whose values have the
	// wrong JSON type for the field they are given for.
	ErrSyntax = errors.New("otlpjson: invalid JSON")
	// ErrInvalidID reports a traceId, spanId or parentSpanId that is not a hex
	// string of the exact length (32 hex digits for a trace id, 16 for a span id).
	ErrInvalidID = errors.New("otlpjson: invalid id")
	// ErrEnumName reports an enum value given as a name; OTLP/JSON requires integers.
	ErrEnumName = errors.New("otlpjson: enum value must be an integer")
	// ErrKeyName reports an object key that is the proto field name instead of
	// the lowerCamelCase JSON name (strict mode only).
	ErrKeyName = errors.New("otlpjson: key is not the lowerCamelCase JSON name")
	// ErrUnknownField reports an object key that names no field (strict mode only).
	ErrUnknownField = errors.New("otlpjson: unknown field")
	// ErrDuplicateKey reports an object key given twice, or two members of one oneof.
	ErrDuplicateKey = errors.New("otlpjson: duplicate key")
	// ErrUnsupportedMessage reports a message that is not one of the six OTLP
	// collector export requests and responses for traces, metrics and logs.
	ErrUnsupportedMessage = errors.New("otlpjson: unsupported message type")
)
