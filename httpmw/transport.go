package httpmw

import (
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelkit/otelkit/internal/httpconv"
)

// Transport returns an http.RoundTripper that records a client span and the HTTP client metrics
// (http.client.request.duration, http.client.request.body.size) for each request and injects the span's
// context into the outgoing headers with the configured propagator: with [WithProvider], W3C trace context
// carrying the provider's configured tracestate members, and baggage. A nil base means
// http.DefaultTransport.
//
// The span is named "{method}" ("HTTP" for unknown methods) and carries the attributes otelhttp v0.72
// records, except that url.full has its query values replaced by "REDACTED" (see
// [WithoutQueryRedaction]); userinfo and the fragment are always removed. It ends when the response body is read to EOF or
// closed, or when the request fails. 4xx and 5xx responses are errors on client spans. The request given
// to RoundTrip is not modified: headers are injected into a copy.
func Transport(base http.RoundTripper, opts ...Option) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	c := newConfig(opts)
	t := &transport{
		base: base,
		tracer: c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(Version),
			trace.WithSchemaURL(semconv.SchemaURL)),
		prop:    c.prop,
		filters: c.filters,
		redact:  !c.fullQuery,
		kindOpt: trace.WithSpanKind(trace.SpanKindClient),
		metrics: httpconv.NewCache[httpconv.ClientMetricKey, *httpconv.MetricAttrs](maxMetricSets),
	}
	meter := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(Version),
		metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	if t.inst, err = httpconv.NewClientInstruments(meter); err != nil {
		c.handle(err)
	}
	return t
}

type transport struct {
	base    http.RoundTripper
	tracer  trace.Tracer
	inst    httpconv.ClientInstruments
	prop    propagation.TextMapPropagator
	filters []Filter
	redact  bool
	kindOpt trace.SpanStartOption
	metrics *httpconv.Cache[httpconv.ClientMetricKey, *httpconv.MetricAttrs]
}

func (t *transport) metricAttrs(k httpconv.ClientMetricKey) *httpconv.MetricAttrs {
	if ma, ok := t.metrics.Load(k); ok {
		return ma
	}
	return t.metrics.LoadOrStore(k, k.Attrs())
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	for _, f := range t.filters {
		if !f(r) {
			return t.base.RoundTrip(r)
		}
	}
	start := time.Now()
	var cr httpconv.ClientRequest
	httpconv.ReadClientRequest(&cr, r, t.redact)
	var buf [httpconv.MaxClientSpanAttrs]attribute.KeyValue
	ctx, span := t.tracer.Start(r.Context(), cr.Method.SpanName(), t.kindOpt,
		trace.WithAttributes(cr.AppendSpanAttrs(buf[:0])...))

	r2 := r.WithContext(ctx)
	r2.Header = r.Header.Clone()
	if r2.Header == nil {
		r2.Header = make(http.Header)
	}
	t.prop.Inject(ctx, propagation.HeaderCarrier(r2.Header))
	var tracker *requestTracker
	if r.Body != nil && r.Body != http.NoBody {
		tracker = newRequestTracker(r2)
	}

	resp, err := t.base.RoundTrip(r2)
	if err == nil {
		resp, err = checkResponse(t.base, r2, resp)
	}
	dur := time.Since(start)

	status, respProto, metricErr := 0, "", ""
	if err == nil {
		status, respProto = resp.StatusCode, resp.Proto
	} else {
		metricErr = httpconv.ClientMetricErrorType(err)
	}
	ma := t.metricAttrs(cr.MetricKey(status, respProto, metricErr))
	t.inst.Duration.Record(ctx, float64(dur)/float64(time.Second), ma.Opts...)
	if tracker == nil {
		t.inst.RequestSize.Record(ctx, 0, ma.Opts...)
	} else {
		tracker.publish(ctx, t.inst.RequestSize, ma)
	}

	if err != nil {
		span.SetAttributes(semconv.ErrorTypeKey.String(httpconv.ErrorType(err)))
		span.SetStatus(codes.Error, err.Error())
		span.End()
		return resp, err
	}
	var rbuf [4]attribute.KeyValue
	span.SetAttributes(httpconv.AppendClientResponse(rbuf[:0], resp)...)
	switch {
	case status < 100 || status >= 600:
		span.SetStatus(codes.Error, fmt.Sprintf("Invalid HTTP status code %d", status))
	case httpconv.ClientError(status):
		span.SetStatus(codes.Error, "")
	}
	resp.Body = newResponseBody(span, resp.Body)
	return resp, nil
}

// checkResponse applies net/http's rules for a RoundTripper's result, as http.Client would, so the
// wrapped body is never nil.
func checkResponse(rt http.RoundTripper, r *http.Request, resp *http.Response) (*http.Response, error) {
	switch {
	case resp == nil:
		return nil, fmt.Errorf("http: RoundTripper implementation (%T) returned a nil *Response with a nil error", rt)
	case resp.Body != nil:
		return resp, nil
	case resp.ContentLength > 0 && r.Method != http.MethodHead:
		return nil, fmt.Errorf("http: RoundTripper implementation (%T) returned a *Response with content length %d but a nil Body", rt, resp.ContentLength)
	default:
		resp.Body = http.NoBody
		return resp, nil
	}
}
