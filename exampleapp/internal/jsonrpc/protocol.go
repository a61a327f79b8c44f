package jsonrpc

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/otelkit/otelkit/propagation"
)

// Version is the protocol version every message carries in its "jsonrpc" member.
const Version = "2.0"

// ScopeName is the instrumentation scope of the spans and metrics this package records.
const ScopeName = "github.com/otelkit/otelkit/exampleapp/internal/jsonrpc"

// Error codes of the JSON-RPC 2.0 specification, and the first of the implementation-defined server
// errors, used for handler errors that are not an [*Error].
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternalError  = -32603
	CodeServerError    = -32000
)

// Request is a JSON-RPC 2.0 request. A request without an ID is a notification: it gets no response.
type Request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// Response is a JSON-RPC 2.0 response: exactly one of Result and Error is set.
type Response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
}

// Error is a JSON-RPC error object. Handlers return one to choose the code; it is also what
// [Client.Call] returns for an error response.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string { return "jsonrpc: error " + strconv.Itoa(e.Code) + ": " + e.Message }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Meta is what app-server clients put in the params of every request besides the method's fields: the
// W3C trace context of the calling span and the session (conversation) id.
type Meta struct {
	Trace     *propagation.TraceContext `json:"trace,omitempty"`
	SessionID string                    `json:"sessionId,omitempty"`
}

// null is the id of responses to requests whose id could not be read.
var null = json.RawMessage("null")

// idString renders a request id for the jsonrpc.request.id attribute: a string id without its quotes,
// a number as written, "" when absent.
func idString(id json.RawMessage) string {
	var s string
	if json.Unmarshal(id, &s) == nil {
		return s
	}
	if len(id) == 0 || string(id) == "null" {
		return ""
	}
	return string(id)
}
