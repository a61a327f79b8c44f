package httpmw

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// finish runs deferred after the handler: it names the span after the route chi or ServeMux matched,
// records the response attributes and the metrics, ends the span and, if the handler panicked, records
// the panic and panics again with the same value.
func (m *middleware) finish(st *state) {
	p := recover()
	span := st.span

	ri := m.route(st)
	route := ""
	end := st.req.AppendLateAttrs(st.end[:0])
	if st.session != "" {
		end = append(end, semconv.SessionID(st.session))
	}
	if ri != nil {
		route = ri.route
		if route != st.req.Route {
			span.SetName(ri.names[st.req.Method])
			end = append(end, ri.attr)
		}
	}

	status := st.rw.Status()
	hijacked := st.rw.Hijacked()
	if status == 0 && !hijacked && p == nil {
		status = http.StatusOK // what net/http sends for a handler that wrote nothing
	}
	var errType string
	switch {
	case p != nil:
		errType = httpconv.PanicType(p)
		recordPanic(span, p)
	case httpconv.ServerError(status) && !hijacked:
		errType = httpconv.StatusErrorType(status)
		if status < 100 || status >= 600 {
			span.SetStatus(codes.Error, "Invalid HTTP status code "+errType)
		} else {
			span.SetStatus(codes.Error, "")
		}
	}

	read, written := st.body.BytesRead(), st.rw.Written()
	if read > 0 {
		end = append(end, semconv.HTTPRequestBodySize(int(read)))
	}
	if written > 0 {
		end = append(end, semconv.HTTPResponseBodySize(int(written)))
	}
	if status > 0 {
		end = append(end, semconv.HTTPResponseStatusCode(status))
	}
	if errType != "" {
		end = append(end, semconv.ErrorTypeKey.String(errType))
	}
	span.SetAttributes(end...)

	key := st.req.MetricKey(status, route, errType)
	ma, ok := m.metrics.Load(key)
	if !ok {
		ma = m.metrics.LoadOrStore(key, key.Attrs())
	}
	ctx := st.ctx
	m.inst.RequestSize.Record(ctx, read, ma.Opts...)
	m.inst.ResponseSize.Record(ctx, written, ma.Opts...)
	m.inst.Duration.Record(ctx, float64(time.Since(st.start))/float64(time.Second), ma.Opts...)
	span.End()

	if st.r2.MultipartForm != nil {
		st.r.MultipartForm = st.r2.MultipartForm // so net/http removes the temporary files
	}
	if p != nil {
		// Keep nothing pooled that the unwinding handler might still hold.
		panic(p)
	}
	if st.ownRctx {
		st.rctx.Reset()
		m.rctxs.Put(st.rctx)
	}
	st.release()
	m.states.Put(st)
}

// route returns the route the request matched, or nil: chi's pattern when a chi router routed it, the
// pattern a ServeMux recorded, or both combined when one router is inside the other (routeCache.both).
//
// The ServeMux pattern is the one on the request the middleware received when a ServeMux outside had
// matched already, else the one a ServeMux inside recorded on the request passed on. chi records its own
// pattern there too (Request.Pattern = RoutePattern()), possibly over a ServeMux's: a pattern ending in
// "*" (which ServeMux patterns never do) or equal to chi's route is chi's.
func (m *middleware) route(st *state) *routeInfo {
	var ri *routeInfo
	chiRouted := st.rctx != nil && len(st.rctx.RoutePatterns) > 0
	if chiRouted {
		if ri = m.routes.chi(st.rctx.RoutePatterns); ri == nil {
			return nil
		}
	}
	pattern, muxFirst := st.r.Pattern, true
	if pattern == "" || isChiPattern(pattern, ri) {
		pattern, muxFirst = st.r2.Pattern, false
		if pattern == "" || isChiPattern(pattern, ri) {
			return ri
		}
	}
	if !chiRouted {
		return m.routes.mux(pattern)
	}
	// Which router is outside: the one the middleware saw the pattern of before serving, or else the one
	// whose literal prefix the request path starts with (the inner one may have seen it stripped).
	muxOuter := muxFirst && !st.chiFirst
	if !muxFirst && !st.chiFirst && st.r.URL != nil {
		muxOuter = outerByPath(httpconv.MuxRoute(pattern), ri.route, st.r.URL.Path)
	}
	return m.routes.both(pattern, ri, muxOuter)
}

// isChiPattern reports whether a Request.Pattern was set by chi rather than by a ServeMux.
func isChiPattern(pattern string, ri *routeInfo) bool {
	return strings.HasSuffix(pattern, "*") || (ri != nil && pattern == ri.route)
}

// recordPanic adds the exception event (type, message and the stack of the panicking goroutine) and
// sets the error status.
func recordPanic(span trace.Span, p any) {
	msg := fmt.Sprint(p)
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(httpconv.TypeName(p)),
		semconv.ExceptionMessage(msg),
		semconv.ExceptionStacktrace(string(debug.Stack())),
	))
	span.SetStatus(codes.Error, "panic: "+msg)
}
