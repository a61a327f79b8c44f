package otlptest

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// ErrClosed is returned by [Server.Pause] and [Server.Resume] after [Server.Close].
var ErrClosed = errors.New("otlptest: server closed")

// Server is a real OTLP receiver on loopback: OTLP/HTTP (protobuf and JSON,
// optionally gzip) and OTLP/gRPC for traces, metrics and logs. It records
// every request and the data of the accepted ones, and can inject faults.
// All methods are safe for concurrent use.
type Server struct {
	cfg config

	httpAddr string // fixed after the first listen, so Resume reuses the ports
	grpcAddr string

	// lifeMu serializes Close, Pause and Resume, which start and stop the
	// serving goroutines counted by serveWG. handlerWG counts in-flight handlers.
	// connWG counts open HTTP connections, whose goroutines can outlive
	// http.Server.Close by up to half a second.
	lifeMu    sync.Mutex
	serveWG   sync.WaitGroup
	connWG    sync.WaitGroup
	connsMu   sync.Mutex
	conns     map[net.Conn]struct{}
	handlerWG sync.WaitGroup
	closed    chan struct{} // closed by Close

	mu           sync.Mutex
	isClosed     bool
	paused       bool
	httpSrv      *http.Server
	grpcSrv      *grpc.Server
	data         store
	changed      chan struct{} // closed and replaced whenever data or stalls change
	script       []Fault
	scriptFor    map[Signal][]Fault
	defaultFault *Fault
	release      chan struct{}
	stalled      int
	grpcBodies   sync.Map // request message pointer -> raw bytes, filled by the gRPC codec
}

// NewServer starts a Server for a test, registers [Server.Close] with
// tb.Cleanup, and fails tb if the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatalf("otlptest: %v", err)
		return nil
	}
	tb.Cleanup(s.Close)
	return s
}

// Start starts a Server outside of a test: both listeners are bound before
// Start returns. The caller must call [Server.Close].
func Start(opts ...Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:     cfg,
		closed:  make(chan struct{}),
		changed: make(chan struct{}),
		release: make(chan struct{}),
	}
	hAddr, gAddr, err := s.listen(cfg.httpAddr, cfg.grpcAddr)
	if err != nil {
		return nil, err
	}
	s.httpAddr, s.grpcAddr = hAddr, gAddr
	return s, nil
}

// listen binds both listeners, starts serving and returns the bound addresses.
func (s *Server) listen(httpAddr, grpcAddr string) (string, string, error) {
	hl, err := net.Listen("tcp", httpAddr)
	if err != nil {
		return "", "", fmt.Errorf("otlptest: listen for OTLP/HTTP on %s: %w", httpAddr, err)
	}
	gl, err := net.Listen("tcp", grpcAddr)
	if err != nil {
		hl.Close()
		return "", "", fmt.Errorf("otlptest: listen for OTLP/gRPC on %s: %w", grpcAddr, err)
	}
	hs := &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // TLS handshake failures are expected in tests
		ConnState:         s.trackConn,
	}
	if s.cfg.tls != nil {
		hs.TLSConfig = s.cfg.tls.Clone()
	}
	gs := s.newGRPCServer()
	s.httpSrv, s.grpcSrv = hs, gs
	s.serveWG.Add(2)
	go func() {
		defer s.serveWG.Done()
		// Serve and ServeTLS return when the server is closed. newConfig has
		// checked that the TLS config has a certificate, so ServeTLS cannot
		// fail before taking ownership of the listener.
		if hs.TLSConfig != nil {
			_ = hs.ServeTLS(hl, "", "")
		} else {
			_ = hs.Serve(hl)
		}
	}()
	go func() {
		defer s.serveWG.Done()
		_ = gs.Serve(gl)
	}()
	return hl.Addr().String(), gl.Addr().String(), nil
}

// stopServers closes both servers and their connections and waits for the
// serving goroutines. Handlers still running see their requests canceled.
func (s *Server) stopServers(hs *http.Server, gs *grpc.Server) {
	if hs != nil {
		_ = hs.Close()
	}
	if gs != nil {
		gs.Stop()
	}
	s.serveWG.Wait() // no connection is accepted after this
	s.connWG.Wait()
}

// trackConn counts HTTP connections from their first to their last state,
// once per connection even if a terminal state is reported twice.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	switch state {
	case http.StateNew:
		if s.conns == nil {
			s.conns = make(map[net.Conn]struct{})
		}
		s.conns[c] = struct{}{}
		s.connWG.Add(1)
	case http.StateClosed, http.StateHijacked:
		if _, ok := s.conns[c]; ok {
			delete(s.conns, c)
			s.connWG.Done()
		}
	}
}

// Close stops both servers, releases stalled requests and waits for every
// goroutine of the server to finish. It is idempotent.
func (s *Server) Close() {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.mu.Lock()
	if s.isClosed {
		s.mu.Unlock()
		return
	}
	s.isClosed = true
	close(s.closed) // releases stalls and waiters
	hs, gs := s.httpSrv, s.grpcSrv
	s.httpSrv, s.grpcSrv = nil, nil
	s.mu.Unlock()
	s.stopServers(hs, gs)
	s.handlerWG.Wait()
}

// Pause closes both listeners and all open connections, so clients see
// "connection refused" as when a collector is down. Recorded data, scripts
// and stalled requests are kept (a stalled request whose connection is closed
// counts as a client that went away). Pausing a paused server does nothing.
func (s *Server) Pause() error {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.mu.Lock()
	if s.isClosed {
		s.mu.Unlock()
		return ErrClosed
	}
	if s.paused {
		s.mu.Unlock()
		return nil
	}
	s.paused = true
	hs, gs := s.httpSrv, s.grpcSrv
	s.httpSrv, s.grpcSrv = nil, nil
	s.mu.Unlock()
	s.stopServers(hs, gs)
	return nil
}

// Resume listens again on the same ports after [Server.Pause]. It fails if
// a port was taken in the meantime. Resuming a running server does nothing.
func (s *Server) Resume() error {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isClosed {
		return ErrClosed
	}
	if !s.paused {
		return nil
	}
	if _, _, err := s.listen(s.httpAddr, s.grpcAddr); err != nil {
		return err
	}
	s.paused = false
	return nil
}

// HTTPURL returns the base URL of the OTLP/HTTP server without a path, for
// example "http://127.0.0.1:4318", or "https://..." with TLS.
func (s *Server) HTTPURL() string {
	return s.scheme() + "://" + s.httpAddr
}

// GRPCAddr returns the host:port of the OTLP/gRPC server.
func (s *Server) GRPCAddr() string {
	return s.grpcAddr
}

// GRPCURL returns the OTLP/gRPC endpoint as a URL, for example
// "http://127.0.0.1:4317", or "https://..." with TLS.
func (s *Server) GRPCURL() string {
	return s.scheme() + "://" + s.grpcAddr
}

func (s *Server) scheme() string {
	if s.cfg.tls != nil {
		return "https"
	}
	return "http"
}

// enter registers an in-flight handler; it fails once the server is closed,
// so that Close can wait for all handlers.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isClosed {
		return false
	}
	s.handlerWG.Add(1)
	return true
}

// notifyLocked wakes every waiter. The caller holds s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// record stores a finished request and, when it was accepted, its data.
func (s *Server) record(r Request, msg proto.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.requests = append(s.data.requests, r)
	if r.Accepted {
		s.data.addData(msg)
	}
	s.notifyLocked()
}
