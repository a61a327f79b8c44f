package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	otelprop "go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// MaxBodyBytes bounds a request body; larger requests get HTTP 413.
const MaxBodyBytes = 1 << 20

// Handler serves one method. params is the request's params as received (Meta fields included); the
// returned value is marshalled as the result. Return an [*Error] to choose the error code; any other
// error is answered with [CodeServerError] and its text.
type Handler func(ctx context.Context, params json.RawMessage) (any, error)

// ServerConfig configures a Server. The zero value serves without telemetry or sessions, trusting every
// inbound trace context.
type ServerConfig struct {
	// Provider supplies the tracer, the meter and the propagator used to read params.trace.
	Provider *otelkit.Provider
	// Resolver creates the session named by params.sessionId.
	Resolver *session.Resolver
	// Policy decides whether params.trace is continued (the default, TrustAll) or only linked.
	Policy propagation.Policy
}

// Server is an http.Handler serving JSON-RPC 2.0 over POST. Register every method before serving.
type Server struct {
	methods  map[string]Handler
	tracer   trace.Tracer
	duration rpcconv.ServerCallDuration
	prop     otelprop.TextMapPropagator
	policy   propagation.Policy
	resolver *session.Resolver
}

// NewServer returns a Server with no methods. It fails only if the duration instrument cannot be created.
func NewServer(cfg ServerConfig) (*Server, error) {
	s := &Server{methods: map[string]Handler{}, policy: cfg.Policy, resolver: cfg.Resolver,
		tracer: tracenoop.NewTracerProvider().Tracer(ScopeName)}
	meter := metricnoop.NewMeterProvider().Meter(ScopeName)
	if p := cfg.Provider; p != nil {
		s.tracer = p.TracerProvider().Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))
		meter = p.MeterProvider().Meter(ScopeName)
		s.prop = p.Propagator()
	}
	var err error
	if s.duration, err = rpcconv.NewServerCallDuration(meter); err != nil {
		return nil, fmt.Errorf("jsonrpc: rpc.server.call.duration: %w", err)
	}
	return s, nil
}

// Register serves method with h, replacing an earlier handler. It must not be called while serving.
func (s *Server) Register(method string, h Handler) { s.methods[method] = h }

// Methods returns the number of registered methods.
func (s *Server) Methods() int { return len(s.methods) }

// ServeHTTP answers one JSON-RPC request (HTTP 200 with a response, 204 for a notification).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "JSON-RPC requests are POSTed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	resp := s.handle(r, body)
	if resp == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// handle decodes and serves one message; nil means no response (a notification).
func (s *Server) handle(r *http.Request, body []byte) *Response {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return errResponse(null, Errorf(CodeInvalidRequest, "batch requests are not supported"))
	}
	var req Request
	if err := json.Unmarshal(trimmed, &req); err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) || len(trimmed) == 0 {
			return errResponse(null, Errorf(CodeParseError, "parse error"))
		}
		return errResponse(null, Errorf(CodeInvalidRequest, "invalid request"))
	}
	id := req.ID
	if len(id) == 0 {
		id = nil
	}
	if req.JSONRPC != Version || req.Method == "" {
		return errResponse(orNull(id), Errorf(CodeInvalidRequest, `invalid request: want "jsonrpc":"2.0" and a method`))
	}
	result, rpcErr := s.call(r, &req)
	if id == nil {
		return nil
	}
	if rpcErr != nil {
		return errResponse(id, rpcErr)
	}
	return &Response{JSONRPC: Version, ID: id, Result: result}
}

func orNull(id json.RawMessage) json.RawMessage {
	if id == nil {
		return null
	}
	return id
}

func errResponse(id json.RawMessage, e *Error) *Response {
	return &Response{JSONRPC: Version, ID: id, Error: e}
}

// call runs the method under a server span continued (or linked) from params.trace, with the session of
// params.sessionId in the context.
func (s *Server) call(r *http.Request, req *Request) (result json.RawMessage, rpcErr *Error) {
	start := time.Now()
	var meta Meta
	_ = json.Unmarshal(req.Params, &meta) // params that are not an object carry no meta
	carrier := meta.Trace
	if carrier == nil {
		carrier = &propagation.TraceContext{}
	}
	ctx, link, linked := s.policy.Extract(r.Context(), s.prop, carrier, propagation.PeerAddr(r.RemoteAddr))

	h, known := s.methods[req.Method]
	method := req.Method
	attrs := make([]attribute.KeyValue, 0, 6)
	if !known {
		method = "_OTHER" // never a client-chosen span name or metric attribute
		attrs = append(attrs, semconv.RPCMethodOriginal(req.Method))
	}
	attrs = append(attrs, semconv.RPCSystemNameJSONRPC, semconv.RPCMethod(method), semconv.JSONRPCProtocolVersion(Version))
	if id := idString(req.ID); id != "" {
		attrs = append(attrs, semconv.JSONRPCRequestID(id))
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...)}
	if linked {
		opts = append(opts, trace.WithLinks(link))
	}
	ctx, span := s.tracer.Start(ctx, method, opts...)
	defer span.End()
	if meta.SessionID != "" {
		if sess := s.resolver.FromMetadata(ctx, session.Metadata{SessionID: meta.SessionID}); sess != nil {
			ctx = session.NewContext(ctx, sess)
			span.SetAttributes(attribute.String("session.id", meta.SessionID))
		}
	}

	if !known {
		rpcErr = Errorf(CodeMethodNotFound, "method not found")
	} else {
		result, rpcErr = s.run(ctx, h, req.Params)
	}
	mattrs := []attribute.KeyValue{semconv.RPCMethod(method)}
	if rpcErr != nil {
		code := strconv.Itoa(rpcErr.Code)
		span.SetStatus(codes.Error, rpcErr.Message)
		span.SetAttributes(semconv.RPCResponseStatusCode(code), semconv.ErrorTypeKey.String(code))
		mattrs = append(mattrs, semconv.RPCResponseStatusCode(code), semconv.ErrorTypeKey.String(code))
	}
	s.duration.Record(ctx, time.Since(start).Seconds(), rpcconv.SystemNameAttr("jsonrpc"), mattrs...)
	return result, rpcErr
}

// run calls h, turning errors and panics into JSON-RPC errors.
func (s *Server) run(ctx context.Context, h Handler, params json.RawMessage) (result json.RawMessage, rpcErr *Error) {
	defer func() {
		if p := recover(); p != nil {
			trace.SpanFromContext(ctx).RecordError(fmt.Errorf("panic: %v", p))
			result, rpcErr = nil, Errorf(CodeInternalError, "internal error")
		}
	}()
	v, err := h(ctx, params)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, &Error{Code: CodeServerError, Message: err.Error()}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, Errorf(CodeInternalError, "cannot encode the result")
	}
	return b, nil
}
