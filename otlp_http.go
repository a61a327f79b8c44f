package otelkit

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/otelkit/otelkit/internal/otlpjson"
)

const (
	maxResponseBytes = 64 << 10
	userAgent        = "otelkit/" + Version
)

// httpUploader posts OTLP export requests over HTTP with protobuf or JSON bodies.
type httpUploader struct {
	sink     *sink
	url      string
	endpoint string // redacted, for messages
	header   http.Header
	client   *http.Client
	json     bool
	gzip     bool
	timeout  time.Duration
	retry    Retry
	throttle throttle
	zips     sync.Pool    // *gzip.Writer
	sizeHint atomic.Int64 // size of the last JSON body, to size the next buffer
}

func newHTTPUploader(p exporterPlan, s *sink) *httpUploader {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = p.tls
	tr.MaxIdleConnsPerHost = 4
	tr.ForceAttemptHTTP2 = p.tls != nil
	h := make(http.Header, len(p.headers)+3)
	for _, kv := range p.headers {
		h.Set(kv.name, kv.value)
	}
	if p.protocol == ProtocolHTTPJSON {
		h.Set("Content-Type", "application/json")
	} else {
		h.Set("Content-Type", "application/x-protobuf")
	}
	if p.gzip {
		h.Set("Content-Encoding", "gzip")
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", userAgent)
	}
	return &httpUploader{
		sink: s, url: p.url.String(), endpoint: redactURL(p.url), header: h,
		client: &http.Client{Transport: tr, CheckRedirect: noRedirects},
		json:   p.protocol == ProtocolHTTPJSON, gzip: p.gzip, timeout: p.timeout, retry: p.retry,
	}
}

// noRedirects makes the client return a redirect response instead of following it. An OTLP endpoint never
// redirects an export: following would turn the POST into a body-less GET on 301/302/303 (whose 200 would
// count as delivered), or carry the API key to another host or over plaintext. The 3xx is reported as a
// failed export naming the status.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// encode renders msg as the request body. Bodies are not pooled: the transport may read a body after Do
// returns (RoundTripper contract), so a reused buffer could be overwritten while still being sent.
func (u *httpUploader) encode(msg proto.Message) ([]byte, error) {
	b, _ := appendRequest(make([]byte, 0, int(u.sizeHint.Load())+512), msg, u.json)
	u.sizeHint.Store(int64(len(b)))
	if !u.gzip {
		return b, nil
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)/4+64))
	zw, _ := u.zips.Get().(*gzip.Writer)
	if zw == nil {
		zw = gzip.NewWriter(out)
	} else {
		zw.Reset(out)
	}
	_, _ = zw.Write(b)
	err := zw.Close()
	zw.Reset(io.Discard)
	u.zips.Put(zw)
	return out.Bytes(), err
}

func (u *httpUploader) upload(ctx context.Context, msg proto.Message) error {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	body, err := u.encode(msg)
	if err != nil {
		return &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, Message: "encoding failed", Err: u.sink.transportError(err)}
	}
	n := items(msg)
	var bo backoff
	for attempt := 1; ; attempt++ {
		if !u.throttle.wait(ctx) {
			return throttled(u.sink.signal, u.endpoint, attempt-1)
		}
		ee, wait := u.attempt(ctx, body, attempt, n)
		if ee == nil {
			return nil
		}
		u.throttle.hold(wait)
		if !ee.retryable || u.retry.Disabled {
			return ee
		}
		if !bo.sleep(ctx, u.retry, attempt, wait) {
			if ee.Err == nil && ctx.Err() != nil {
				ee.Err = ctx.Err()
			}
			return ee
		}
	}
}

// attempt sends body once. It returns nil on success, or the error and the server's Retry-After.
func (u *httpUploader) attempt(ctx context.Context, body []byte, attempt int, n int64) (*ExportError, time.Duration) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.url, bytes.NewReader(body))
	if err != nil {
		return &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, Attempts: attempt, Err: u.sink.transportError(err)}, 0
	}
	req.Header = u.header.Clone()
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	resp, err := u.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, which may carry a query with credentials
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		// The inner error may still quote the peer (a malformed status line echoing the request line).
		return &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, Attempts: attempt, Err: u.sink.transportError(err),
			retryable: isTransient(err)}, 0
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes)) // let the connection be reused
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		u.partialSuccess(data, ct, n)
		return nil, 0
	}
	ee := &ExportError{Signal: u.sink.signal, Endpoint: u.endpoint, StatusCode: resp.StatusCode, Attempts: attempt,
		Message: u.sink.message(statusMessage(data, ct))}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		ee.Message = "the endpoint redirects; redirects are not followed (configure the collector's own URL)"
		return ee, 0
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		ee.retryable = true
		return ee, retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return ee, 0
}

// partialSuccess reads the export response and reports rejected items.
func (u *httpUploader) partialSuccess(data []byte, contentType string, n int64) {
	if len(data) == 0 {
		return
	}
	var resp proto.Message
	switch u.sink.signal {
	case SignalTraces:
		resp = &coltracepb.ExportTraceServiceResponse{}
	case SignalMetrics:
		resp = &colmetricspb.ExportMetricsServiceResponse{}
	default:
		resp = &collogspb.ExportLogsServiceResponse{}
	}
	var err error
	if strings.HasPrefix(contentType, "application/json") {
		err = otlpjson.Unmarshal(data, resp, false)
	} else {
		err = proto.Unmarshal(data, resp)
	}
	if err != nil {
		return // a 2xx is a success even when the body is not an OTLP response
	}
	u.sink.partial(resp, n)
}

// statusMessage extracts the message of a google.rpc.Status error body, or a text body, as is: the caller
// redacts and shortens it with sink.message.
func statusMessage(data []byte, contentType string) string {
	if len(data) == 0 {
		return ""
	}
	var st status.Status
	switch {
	case strings.HasPrefix(contentType, "application/x-protobuf"):
		if proto.Unmarshal(data, &st) == nil {
			return st.GetMessage()
		}
	case strings.HasPrefix(contentType, "application/json"):
		var js struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(data, &js) == nil {
			return js.Message
		}
	case strings.HasPrefix(contentType, "text/"):
		return string(data)
	}
	return ""
}

// isTransient reports whether a transport error is worth retrying: connection refused or reset, timeouts,
// and the end of an export's own deadline (the data stays queued for the next cycle).
func isTransient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isConnError(err)
}

func isConnError(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe)
}

func (u *httpUploader) shutdown(context.Context) error {
	u.client.CloseIdleConnections()
	return nil
}
