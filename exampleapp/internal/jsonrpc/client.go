package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
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
)

// maxResponseBytes bounds a response body.
const maxResponseBytes = 4 << 20

// Client calls a JSON-RPC server over HTTP POST. It is safe for concurrent use.
type Client struct {
	url      string
	hc       *http.Client
	tracer   trace.Tracer
	duration rpcconv.ClientCallDuration
	prop     otelprop.TextMapPropagator
	server   []attribute.KeyValue
	nextID   atomic.Int64
}

// NewClient returns a Client posting to endpoint with hc (nil means http.DefaultClient). Give hc a
// transport built with fxotel.HTTPTransport or httpmw.Transport to also record the HTTP client span and
// metrics under each call's span. p supplies the tracer, meter and propagator (nil: no telemetry, and
// params.trace is W3C trace context without configured tracestate members).
func NewClient(endpoint string, hc *http.Client, p *otelkit.Provider) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jsonrpc: endpoint %q: want an http(s) URL", endpoint)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{url: endpoint, hc: hc, tracer: tracenoop.NewTracerProvider().Tracer(ScopeName)}
	meter := metricnoop.NewMeterProvider().Meter(ScopeName)
	if p != nil {
		c.tracer = p.TracerProvider().Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))
		meter = p.MeterProvider().Meter(ScopeName)
		c.prop = p.Propagator()
	}
	if c.duration, err = rpcconv.NewClientCallDuration(meter); err != nil {
		return nil, fmt.Errorf("jsonrpc: rpc.client.call.duration: %w", err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	c.server = append(c.server, semconv.ServerAddress(host))
	if n, err := strconv.Atoi(port); err == nil {
		c.server = append(c.server, semconv.ServerPort(n))
	}
	return c, nil
}

// Call invokes method with params (a struct or map that marshals to a JSON object, or nil) and decodes the
// result into result (unless nil). It records a client span named method and rpc.client.call.duration,
// and adds the span's W3C context as params.trace and sessionID (when not empty) as params.sessionId. An
// error response is returned as an [*Error].
func (c *Client) Call(ctx context.Context, method, sessionID string, params, result any) (err error) {
	start := time.Now()
	id := c.nextID.Add(1)
	attrs := append([]attribute.KeyValue{semconv.RPCSystemNameJSONRPC, semconv.RPCMethod(method),
		semconv.JSONRPCProtocolVersion(Version), semconv.JSONRPCRequestID(strconv.FormatInt(id, 10))}, c.server...)
	ctx, span := c.tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	defer func() {
		mattrs := []attribute.KeyValue{semconv.RPCMethod(method)}
		if err != nil {
			et := errorType(err)
			msg := err.Error()
			span.SetAttributes(semconv.ErrorTypeKey.String(et))
			mattrs = append(mattrs, semconv.ErrorTypeKey.String(et))
			var e *Error
			if errors.As(err, &e) {
				msg = e.Message
				span.SetAttributes(semconv.RPCResponseStatusCode(et))
				mattrs = append(mattrs, semconv.RPCResponseStatusCode(et))
			}
			span.SetStatus(codes.Error, msg)
		}
		c.duration.Record(ctx, time.Since(start).Seconds(), rpcconv.SystemNameAttr("jsonrpc"), append(mattrs, c.server...)...)
		span.End()
	}()

	p, err := c.params(ctx, sessionID, params)
	if err != nil {
		return err
	}
	body, err := json.Marshal(Request{JSONRPC: Version, ID: json.RawMessage(strconv.FormatInt(id, 10)), Method: method, Params: p})
	if err != nil {
		return fmt.Errorf("jsonrpc: encode %s request: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("jsonrpc: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("jsonrpc: %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("jsonrpc: %s: read the response: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("jsonrpc: %s: HTTP %d", method, resp.StatusCode)
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Errorf("jsonrpc: %s: decode the response: %w", method, err)
	}
	if out.Error != nil {
		return out.Error
	}
	if result != nil && len(out.Result) > 0 {
		if err := json.Unmarshal(out.Result, result); err != nil {
			return fmt.Errorf("jsonrpc: %s: decode the result: %w", method, err)
		}
	}
	return nil
}

// params returns params as a JSON object with the Meta fields set from ctx's span and sessionID.
func (c *Client) params(ctx context.Context, sessionID string, params any) (json.RawMessage, error) {
	obj := map[string]json.RawMessage{}
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return nil, fmt.Errorf("jsonrpc: encode params: %w", err)
		}
		if string(b) != "null" {
			if err := json.Unmarshal(b, &obj); err != nil {
				return nil, fmt.Errorf("jsonrpc: params must encode to a JSON object, got %.20s", b)
			}
		}
	}
	if tc, ok := propagation.Capture(ctx, c.prop); ok {
		b, err := json.Marshal(tc)
		if err != nil {
			return nil, fmt.Errorf("jsonrpc: encode the trace context: %w", err)
		}
		obj["trace"] = b
	}
	if sessionID != "" {
		b, _ := json.Marshal(sessionID) // a string always encodes
		obj["sessionId"] = b
	}
	return json.Marshal(obj)
}

// errorType is the low-cardinality error.type of a failed call: the JSON-RPC code, "timeout",
// "canceled" or "transport".
func errorType(err error) string {
	var e *Error
	switch {
	case errors.As(err, &e):
		return strconv.Itoa(e.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "transport"
}
