package httpmw

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// maxStartAttrs bounds the span's start attributes.
const maxStartAttrs = httpconv.MaxServerStartAttrs

// maxEndAttrs bounds the attributes set when the request is done: the late request attributes,
// session.id, http.route, the body sizes, the status code and error.type.
const maxEndAttrs = httpconv.MaxServerLateAttrs + 6

// state is the per-request state of the server middleware, pooled: the response-writer and body wrappers,
// the request description, and fixed buffers for attributes and span options, so that a request allocates
// only what the SDK, chi and net/http allocate.
type state struct {
	rw   httpconv.ResponseWriter
	body httpconv.Body
	req  httpconv.ServerRequest

	attrs [maxStartAttrs]attribute.KeyValue
	// attrOpts[n] is trace.WithAttributes(attrs[:n]...), created on first use: the option refers to the
	// attrs array, which lives as long as the state, so it is built once per length instead of per request.
	attrOpts [maxStartAttrs + 1]trace.SpanStartOption
	opts     [4]trace.SpanStartOption
	end      [maxEndAttrs]attribute.KeyValue

	session  string // the session id, or ""
	span     trace.Span
	ctx      context.Context
	r, r2    *http.Request
	rctx     *chi.Context
	ownRctx  bool
	chiFirst bool // chi had routed the request before the middleware saw it
	start    time.Time
}

// withAttributes returns the span start option carrying st.attrs[:n].
func (st *state) withAttributes(n int) trace.SpanStartOption {
	if st.attrOpts[n] == nil {
		st.attrOpts[n] = trace.WithAttributes(st.attrs[:n]...)
	}
	return st.attrOpts[n]
}

// release drops the references to the finished request's objects. The attribute buffers keep referring
// to strings of the request until they are overwritten (or the pool is emptied by the next GC): clearing
// them on every request costs more than the little memory they keep.
func (st *state) release() {
	st.rw.Reset(nil)
	st.body.Reset(nil)
	st.span, st.ctx, st.r, st.r2, st.rctx, st.ownRctx, st.chiFirst, st.session = nil, nil, nil, nil, nil, false, false, ""
}
