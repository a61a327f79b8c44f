package otlptest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // accept gzip-compressed requests
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

func (s *Server) newGRPCServer() *grpc.Server {
	opts := []grpc.ServerOption{
		grpc.StatsHandler(statsHandler{s: s}),
		grpc.ForceServerCodec(recordingCodec{bodies: &s.grpcBodies}),
		grpc.MaxRecvMsgSize(int(min(s.cfg.maxBodyBytes, math.MaxInt32))),
		grpc.UnknownServiceHandler(s.unknownGRPC),
	}
	if s.cfg.tls != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(s.cfg.tls.Clone())))
	}
	gs := grpc.NewServer(opts...)
	coltracepb.RegisterTraceServiceServer(gs, traceService{s: s})
	colmetricspb.RegisterMetricsServiceServer(gs, metricsService{s: s})
	collogspb.RegisterLogsServiceServer(gs, logsService{s: s})
	return gs
}

type traceService struct {
	coltracepb.UnimplementedTraceServiceServer
	s *Server
}

// Export receives an OTLP/gRPC trace export.
func (t traceService) Export(ctx context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	resp, err := t.s.exportGRPC(ctx, SignalTraces, req)
	if err != nil {
		return nil, err
	}
	return resp.(*coltracepb.ExportTraceServiceResponse), nil
}

type metricsService struct {
	colmetricspb.UnimplementedMetricsServiceServer
	s *Server
}

// Export receives an OTLP/gRPC metrics export.
func (m metricsService) Export(ctx context.Context, req *colmetricspb.ExportMetricsServiceRequest) (*colmetricspb.ExportMetricsServiceResponse, error) {
	resp, err := m.s.exportGRPC(ctx, SignalMetrics, req)
	if err != nil {
		return nil, err
	}
	return resp.(*colmetricspb.ExportMetricsServiceResponse), nil
}

type logsService struct {
	collogspb.UnimplementedLogsServiceServer
	s *Server
}

// Export receives an OTLP/gRPC logs export.
func (l logsService) Export(ctx context.Context, req *collogspb.ExportLogsServiceRequest) (*collogspb.ExportLogsServiceResponse, error) {
	resp, err := l.s.exportGRPC(ctx, SignalLogs, req)
	if err != nil {
		return nil, err
	}
	return resp.(*collogspb.ExportLogsServiceResponse), nil
}

// exportGRPC handles one Export call of any signal.
func (s *Server) exportGRPC(ctx context.Context, sig Signal, req proto.Message) (proto.Message, error) {
	if !s.enter() {
		return nil, status.Error(codes.Unavailable, "otlptest: server closed")
	}
	defer s.handlerWG.Done()

	info := rpcInfoFrom(ctx)
	info.handled.Store(true)
	rec := info.request()
	rec.Signal = sig
	if raw, ok := s.grpcBodies.LoadAndDelete(req); ok {
		rec.Body = raw.([]byte)
	} else {
		rec.Body, _ = proto.Marshal(req)
	}
	fail := func(st *status.Status, reason string) (proto.Message, error) {
		rec.Status, rec.Err = int(st.Code()), reason
		s.record(rec, nil)
		return nil, st.Err()
	}

	fault := s.nextFault(sig)
	switch fault.kind {
	case faultStatus:
		if !fault.accepts() {
			return fail(grpcFaultStatus(fault), "fault: "+fault.String())
		}
	case faultReset:
		return fail(status.New(codes.Unavailable, "connection reset"), "fault: "+fault.String())
	case faultStall:
		if !s.stall(ctx.Done()) {
			return fail(status.FromContextError(ctx.Err()), "fault: stall ended by the client: "+ctx.Err().Error())
		}
	}
	rec.Status, rec.Accepted = int(codes.OK), true
	if fault.kind == faultPartial {
		rec.Err = "fault: " + fault.String()
	}
	s.accept(rec, req)
	return responseMessage(sig, fault), nil
}

// unknownGRPC records calls of methods the server does not implement, such
// as the profiles service, and answers Unimplemented.
func (s *Server) unknownGRPC(_ any, stream grpc.ServerStream) error {
	info := rpcInfoFrom(stream.Context())
	info.handled.Store(true)
	rec := info.request()
	st := status.Newf(codes.Unimplemented, "otlptest: unknown method %s", info.method)
	rec.Status, rec.Err = int(st.Code()), st.Message()
	s.record(rec, nil)
	return st.Err()
}

// grpcFaultStatus builds the gRPC status of a Status fault, with a RetryInfo
// detail when it has a retry delay.
func grpcFaultStatus(f Fault) *status.Status {
	st := status.New(grpcCode(f.status), "otlptest: fault: "+f.String())
	if f.retryAfter > 0 {
		if withInfo, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(f.retryAfter)}); err == nil {
			st = withInfo
		}
	}
	return st
}

// grpcSignal returns the signal of an OTLP/gRPC full method name.
func grpcSignal(method string) Signal {
	switch method {
	case coltracepb.TraceService_Export_FullMethodName:
		return SignalTraces
	case colmetricspb.MetricsService_Export_FullMethodName:
		return SignalMetrics
	case collogspb.LogsService_Export_FullMethodName:
		return SignalLogs
	}
	return ""
}

// rpcInfo carries what the stats handler learns about a call to the handler.
type rpcInfo struct {
	method      string
	start       time.Time
	compression string      // written before the handler starts
	header      metadata.MD // written before the handler starts
	handled     atomic.Bool
}

type rpcInfoKey struct{}

func rpcInfoFrom(ctx context.Context) *rpcInfo {
	if info, ok := ctx.Value(rpcInfoKey{}).(*rpcInfo); ok {
		return info
	}
	info := &rpcInfo{start: time.Now()}
	if m, ok := grpc.Method(ctx); ok {
		info.method = m
	}
	info.header, _ = metadata.FromIncomingContext(ctx)
	return info
}

// request starts the Request record of a call.
func (info *rpcInfo) request() Request {
	h := make(http.Header, len(info.header))
	for k, vs := range info.header {
		key := http.CanonicalHeaderKey(k)
		h[key] = append(h[key], vs...)
	}
	rec := Request{
		Signal:          grpcSignal(info.method),
		Transport:       TransportGRPC,
		Path:            info.method,
		ContentEncoding: info.compression,
		Header:          h,
		Time:            info.start,
	}
	if ct := info.header.Get("content-type"); len(ct) > 0 {
		rec.ContentType = ct[0]
	}
	return rec
}

// statsHandler records the compression and metadata of each call, and
// records the calls that gRPC rejects before the handler runs (unknown
// methods, messages over the size limit, undecodable payloads).
type statsHandler struct {
	s *Server
}

// TagRPC attaches the rpcInfo of a call to its context.
func (h statsHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	return context.WithValue(ctx, rpcInfoKey{}, &rpcInfo{method: info.FullMethodName, start: time.Now()})
}

// HandleRPC fills the rpcInfo from the header and records calls that end
// without reaching a handler.
func (h statsHandler) HandleRPC(ctx context.Context, st stats.RPCStats) {
	info, ok := ctx.Value(rpcInfoKey{}).(*rpcInfo)
	if !ok {
		return
	}
	switch st := st.(type) {
	case *stats.InHeader:
		info.compression, info.header = st.Compression, st.Header
	case *stats.End:
		if info.handled.Load() || st.Error == nil {
			return
		}
		rec := info.request()
		s := status.Convert(st.Error)
		rec.Status, rec.Err = int(s.Code()), s.Message()
		h.s.record(rec, nil)
	}
}

// TagConn is part of stats.Handler; connections are not tracked.
func (statsHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

// HandleConn is part of stats.Handler; connections are not tracked.
func (statsHandler) HandleConn(context.Context, stats.ConnStats) {}

// recordingCodec is the protobuf codec, keeping a copy of each request's
// bytes for [Request.Body] until the handler takes it.
type recordingCodec struct {
	bodies *sync.Map
}

// Marshal encodes a response message.
func (recordingCodec) Marshal(v any) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("otlptest: cannot encode %T", v)
	}
	return proto.Marshal(m)
}

// Unmarshal decodes a request message and keeps a copy of its bytes.
func (c recordingCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("otlptest: cannot decode into %T", v)
	}
	if err := proto.Unmarshal(data, m); err != nil {
		return err
	}
	c.bodies.Store(m, bytes.Clone(data))
	return nil
}

// Name is "proto", the codec gRPC uses for application/grpc.
func (recordingCodec) Name() string { return "proto" }
