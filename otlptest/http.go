package otlptest

import (
	"compress/gzip"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/otelkit/otelkit/internal/otlpjson"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

const (
	contentTypeProto = "application/x-protobuf"
	contentTypeJSON  = "application/json"
)

// httpSignal returns the signal of an OTLP/HTTP path: any path ending in
// /v1/traces, /v1/metrics or /v1/logs.
func httpSignal(path string) Signal {
	switch {
	case strings.HasSuffix(path, "/v1/traces"):
		return SignalTraces
	case strings.HasSuffix(path, "/v1/metrics"):
		return SignalMetrics
	case strings.HasSuffix(path, "/v1/logs"):
		return SignalLogs
	}
	return ""
}

// newRequestMessage returns an empty export request for sig.
func newRequestMessage(sig Signal) proto.Message {
	switch sig {
	case SignalTraces:
		return &coltracepb.ExportTraceServiceRequest{}
	case SignalMetrics:
		return &colmetricspb.ExportMetricsServiceRequest{}
	default:
		return &collogspb.ExportLogsServiceRequest{}
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		http.Error(w, "otlptest: server closed", http.StatusServiceUnavailable)
		return
	}
	defer s.handlerWG.Done()

	rec := Request{
		Signal:          httpSignal(r.URL.Path),
		Transport:       TransportHTTP,
		Path:            r.URL.Path,
		ContentType:     r.Header.Get("Content-Type"),
		ContentEncoding: r.Header.Get("Content-Encoding"),
		Header:          r.Header.Clone(),
		Time:            time.Now(),
	}
	reject := func(status int, format string, args ...any) {
		rec.Status, rec.Err = status, fmt.Sprintf(format, args...)
		http.Error(w, "otlptest: "+rec.Err, status)
		s.record(rec, nil)
	}
	if rec.Signal == "" {
		reject(http.StatusNotFound, "no OTLP endpoint at %s (paths must end in /v1/traces, /v1/metrics or /v1/logs)", r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reject(http.StatusMethodNotAllowed, "method %s not allowed, use POST", r.Method)
		return
	}
	mediaType, _, err := mime.ParseMediaType(rec.ContentType)
	if err != nil || (mediaType != contentTypeProto && mediaType != contentTypeJSON) {
		reject(http.StatusUnsupportedMediaType, "unsupported Content-Type %q, want %s or %s", rec.ContentType, contentTypeProto, contentTypeJSON)
		return
	}
	body, status, err := s.readBody(w, r)
	rec.Body = body
	if err != nil {
		reject(status, "%v", err)
		return
	}
	msg := newRequestMessage(rec.Signal)
	if mediaType == contentTypeJSON {
		err = otlpjson.Unmarshal(body, msg, !s.cfg.lenientJSON)
	} else {
		err = proto.Unmarshal(body, msg)
	}
	if err != nil {
		reject(http.StatusBadRequest, "malformed %s %s request: %v", mediaType, rec.Signal, err)
		return
	}

	fault := s.nextFault(rec.Signal)
	switch fault.kind {
	case faultStatus:
		if !fault.accepts() {
			if fault.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.FormatInt(fault.retryAfterSeconds(), 10))
			}
			reject(fault.status, "fault: %v", fault)
			return
		}
	case faultReset:
		rec.Err = "fault: " + fault.String()
		s.record(rec, nil)
		resetConnection(w)
		return
	case faultStall:
		if !s.stall(r.Context().Done()) {
			rec.Err = "fault: stall ended by the client: " + clientGoneReason(r)
			s.record(rec, nil)
			return
		}
	}

	resp, err := s.response(rec.Signal, fault, mediaType)
	if err != nil { // cannot happen for the six OTLP messages
		reject(http.StatusInternalServerError, "encode response: %v", err)
		return
	}
	rec.Status, rec.Accepted = http.StatusOK, true
	if fault.kind == faultStatus {
		rec.Status = fault.status
	}
	if fault.kind == faultPartial {
		rec.Err = "fault: " + fault.String()
	}
	s.accept(rec, msg)
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(resp)))
	w.WriteHeader(rec.Status)
	_, _ = w.Write(resp)
}

// clientGoneReason explains why a stalled HTTP request ended without a release.
func clientGoneReason(r *http.Request) string {
	if err := r.Context().Err(); err != nil {
		return err.Error()
	}
	return "gone"
}

// readBody reads the request body, decompressing gzip, within the size limit.
// On failure it returns the HTTP status to answer with.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	limit := s.cfg.maxBodyBytes
	var src io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, statusForReadError(err), fmt.Errorf("invalid gzip body: %w", err)
		}
		defer zr.Close()
		src = zr
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("unsupported Content-Encoding %q, want gzip or none", enc)
	}
	body, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return body, statusForReadError(err), fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return body[:limit], http.StatusRequestEntityTooLarge, fmt.Errorf("decompressed body larger than %d bytes", limit)
	}
	return body, 0, nil
}

func statusForReadError(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// resetConnection drops the connection without a response. Over HTTP/1 the
// TCP connection is closed with SO_LINGER 0, which sends RST; HTTP/2 cannot
// hijack, so the stream is aborted instead.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http resets the stream and recovers silently
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn() // skip the TLS close_notify alert
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
