package loadtest_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"google.golang.org/grpc"

	"github.com/otelkit/otelkit/session"
)

// route is the route template of the app's one API endpoint, and the server span's name.
const (
	route    = "/users/{id}"
	spanName = "GET " + route
)

// user is the app's small JSON response.
type user struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Plan    string `json:"plan"`
	Credits int    `json:"credits"`
}

// app is a realistic chi API: one route with a path parameter that records one session event, optionally
// calls a downstream service and logs through slog, and answers with a small JSON document.
type app struct {
	downstream string        // URL to GET for every request, "" for none
	client     *http.Client  // for downstream calls (instrumented with httpmw.Transport in the tests)
	rpc        rpcCaller     // a gRPC service to call for every request (through grpcmw.DialOptions), nil for none
	log        *slog.Logger  // nil for none
	served     func()        // called after each response is written, nil for none
	wait       time.Duration // simulated I/O (a database call) per request, 0 for none
}

// router returns the chi router of the app, with mw (may be nil) as its first middleware.
func (a *app) router(mw func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	if mw != nil {
		r.Use(mw)
	}
	r.Get(route, a.getUser)
	return r
}

func (a *app) getUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	start := time.Now()
	id := chi.URLParam(r, "id")
	if a.wait > 0 {
		time.Sleep(a.wait)
	}
	if a.downstream != "" || a.rpc != nil {
		if err := a.callDownstream(ctx); err != nil {
			http.Error(w, "downstream failed", http.StatusBadGateway)
			return
		}
	}
	session.FromContext(ctx).APIRequest(ctx, session.APIRequest{
		Attempt: 1, Status: http.StatusOK, Duration: time.Since(start), Endpoint: route,
	})
	if a.log != nil {
		a.log.InfoContext(ctx, "user served", "user.id", id)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(user{ID: id, Name: "Ada Lovelace", Plan: "team", Credits: len(id) * 7})
	if a.served != nil {
		a.served()
	}
}

// rpcCaller is the unary method of the test gRPC service's client.
type rpcCaller interface {
	Unary(ctx context.Context, in string, opts ...grpc.CallOption) (string, error)
}

// callDownstream calls the downstream gRPC service, if any, then GETs the downstream URL, if any.
func (a *app) callDownstream(ctx context.Context) error {
	if a.rpc != nil {
		if _, err := a.rpc.Unary(ctx, "downstream"); err != nil {
			return err
		}
	}
	if a.downstream == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.downstream, nil)
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// userRequest returns a load generator request function for GET /users/{i} on base, each request in one of
// eight sessions.
func userRequest(base string) func(ctx context.Context, i int) (*http.Request, error) {
	return func(ctx context.Context, i int) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/users/"+strconv.Itoa(i), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Session-Id", "session-"+strconv.Itoa(i%8))
		req.Header.Set("User-Agent", "loadtest/1")
		return req, nil
	}
}
