package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/exampleapp/internal/jsonrpc"
	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/session"
)

// rpcServer is the JSON-RPC 2.0 app-server endpoint, POST /rpc on its own listener. Its requests carry the
// trace context and the session id in their params: it is served without the HTTP middleware, as an
// app-server's stdio or websocket transport would be.
type rpcServer struct{ addr net.Addr }

// URL returns the endpoint's URL.
func (s *rpcServer) URL() string { return "http://" + s.addr.String() + "/rpc" }

// execParams are the params of tools/exec (besides the trace and sessionId that every request may carry).
type execParams struct {
	Tool      string `json:"tool"`
	Arguments string `json:"arguments,omitempty"`
	CallID    string `json:"callId,omitempty"`
}

// execResult is the result of tools/exec.
type execResult struct {
	Output string `json:"output"`
	Lines  int    `json:"lines"`
}

func newRPCServer(lc fx.Lifecycle, cfg Config, p *otelkit.Provider, r *session.Resolver) (*rpcServer, error) {
	srv, err := jsonrpc.NewServer(jsonrpc.ServerConfig{Provider: p, Resolver: r})
	if err != nil {
		return nil, err
	}
	srv.Register("tools/exec", toolsExec)
	srv.Register("tools/list", func(context.Context, json.RawMessage) (any, error) { return toolNames(), nil })
	mux := http.NewServeMux()
	mux.Handle("/rpc", srv)
	addr, err := serveHTTP(lc, "-rpc-addr", cfg.RPCAddr, mux)
	if err != nil {
		return nil, err
	}
	return &rpcServer{addr: addr}, nil
}

// toolsExec runs a tool. The session is the one named by params.sessionId, and the context continues the
// trace of params.trace.
func toolsExec(ctx context.Context, raw json.RawMessage) (any, error) {
	var p execParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, jsonrpc.Errorf(jsonrpc.CodeInvalidParams, "invalid params: %v", err)
	}
	t, ok := tools[p.Tool]
	if !ok {
		return nil, jsonrpc.Errorf(jsonrpc.CodeInvalidParams, "unknown tool %q (have %s)", p.Tool, strings.Join(toolNames(), ", "))
	}
	out, err := t.run(ctx, p.Arguments)
	if err != nil {
		return nil, err // CodeServerError with the message
	}
	return execResult{Output: out, Lines: strings.Count(out, "\n") + 1}, nil
}

// newRPCClient is the JSON-RPC client of the gRPC handlers. Its HTTP transport is fxotel's, so each call
// also records an HTTP client span and metrics.
func newRPCClient(lc fx.Lifecycle, s *rpcServer, p *otelkit.Provider, transport fxotel.HTTPTransport) (*jsonrpc.Client, error) {
	base := &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second}
	lc.Append(fx.StopHook(base.CloseIdleConnections))
	return jsonrpc.NewClient(s.URL(), &http.Client{Transport: transport(base), Timeout: 10 * time.Second}, p)
}

// serveHTTP listens on addr now, serves h from OnStart and drains on OnStop (closing the connections left
// when the stop deadline passes). It returns the bound address.
func serveHTTP(lc fx.Lifecycle, flagName, addr string, h http.Handler) (net.Addr, error) {
	lis, err := listen(flagName, addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				_ = srv.Serve(lis) // returns http.ErrServerClosed on Shutdown
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			err := srv.Shutdown(ctx)
			if err != nil {
				_ = srv.Close()
			}
			<-done
			return err
		},
	})
	return lis.Addr(), nil
}

// listenError is a listen failure, naming the flag that sets the address.
type listenError struct {
	flag, addr string
	err        error
}

// Error names the address and the flag.
func (e *listenError) Error() string {
	return fmt.Sprintf("cannot listen on %s (%s): %v", e.addr, e.flag, e.err)
}

// Unwrap returns the listen error.
func (e *listenError) Unwrap() error { return e.err }

func listen(flagName, addr string) (net.Listener, error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &listenError{flag: flagName, addr: addr, err: err}
	}
	return lis, nil
}
