package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"
	"go.uber.org/fx"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/otelkit/otelkit/fxotel"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/propagation"
	"github.com/otelkit/otelkit/session"
)

// TraceIDHeader is the response header carrying the request's trace id, to look the trace up.
const TraceIDHeader = "X-Trace-Id"

// maxTurnBody bounds a turn's request body.
const maxTurnBody = 64 << 10

// validID is the shape of conversation ids in paths.
var validID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// httpAPI is the chi API server.
type httpAPI struct{ addr net.Addr }

// URL returns the API's base URL.
func (a *httpAPI) URL() string { return "http://" + a.addr.String() }

type apiParams struct {
	fx.In
	Lifecycle     fx.Lifecycle
	Config        Config
	Middleware    fxotel.HTTPMiddleware
	Resolver      *session.Resolver
	Metrics       *metrics.Client
	Tools         *toolsClient
	Conversations *conversations
}

// handlers holds what the API's handlers use.
type handlers struct {
	resolver *session.Resolver
	metrics  *metrics.Client
	tools    *toolsClient
	convs    *conversations
}

func newHTTPAPI(in apiParams) (*httpAPI, error) {
	h := &handlers{resolver: in.Resolver, metrics: in.Metrics, tools: in.Tools, convs: in.Conversations}
	r := chi.NewRouter()
	r.Use(in.Middleware) // first: its span covers everything after it
	r.Use(traceIDHeader)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	r.Route("/v1", func(r chi.Router) {
		r.Get("/tools", h.listTools)
		r.Route("/conversations/{id}", func(r chi.Router) {
			r.Get("/", h.getConversation)
			r.Post("/turns", h.postTurn)
			r.Get("/stream", h.stream)
		})
	})
	addr, err := serveHTTP(in.Lifecycle, "-http-addr", in.Config.HTTPAddr, r)
	if err != nil {
		return nil, err
	}
	return &httpAPI{addr: addr}, nil
}

// traceIDHeader sets X-Trace-Id to the request's trace id.
func traceIDHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := propagation.TraceIDHex(r.Context()); id != "" {
			w.Header().Set(TraceIDHeader, id)
		}
		next.ServeHTTP(w, r)
	})
}

// session returns the request's session: the one httpmw resolved from the X-Session-* headers, or else
// one opened for the conversation id of the path.
func (h *handlers) session(r *http.Request, id string) (context.Context, *session.Telemetry) {
	ctx := r.Context()
	if sess := session.FromContext(ctx); sess != nil {
		return ctx, sess
	}
	sess := h.resolver.FromMetadata(ctx, session.Metadata{SessionID: id})
	return session.NewContext(ctx, sess), sess
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// conversationID returns the {id} path parameter, or answers 400.
func conversationID(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	if !validID.MatchString(id) {
		writeError(w, http.StatusBadRequest, "conversation ids are 1 to 64 of A-Z a-z 0-9 . _ -")
		return "", false
	}
	return id, true
}

func (h *handlers) listTools(w http.ResponseWriter, _ *http.Request) {
	out := map[string]string{}
	for name, t := range tools {
		out[name] = t.description
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) getConversation(w http.ResponseWriter, r *http.Request) {
	id, ok := conversationID(w, r)
	if !ok {
		return
	}
	conv, ok := h.convs.get(id)
	if !ok {
		writeError(w, http.StatusNotFound, "no conversation "+id+"; POST a turn to start it")
		return
	}
	writeJSON(w, http.StatusOK, conv)
}

// turnRequest is the body of POST /v1/conversations/{id}/turns.
type turnRequest struct {
	Prompt    string `json:"prompt"`
	Tool      string `json:"tool,omitempty"`      // default "search"
	Arguments string `json:"arguments,omitempty"` // default: the prompt
}

// turnResponse is its answer.
type turnResponse struct {
	Conversation string `json:"conversation"`
	Turn         int    `json:"turn"`
	Tool         string `json:"tool"`
	Output       string `json:"output"`
}

// postTurn records the user prompt and runs the tool over gRPC (which runs it over JSON-RPC).
func (h *handlers) postTurn(w http.ResponseWriter, r *http.Request) {
	id, ok := conversationID(w, r)
	if !ok {
		return
	}
	var req turnRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxTurnBody)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "body: want JSON {\"prompt\": ..., \"tool\": ..., \"arguments\": ...}")
		return
	}
	if req.Prompt == "" {
		writeError(w, http.StatusBadRequest, `"prompt" is required`)
		return
	}
	if req.Tool == "" {
		req.Tool = "search"
	}
	if req.Arguments == "" {
		req.Arguments = req.Prompt
	}
	if _, known := tools[req.Tool]; !known {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown tool %q; GET /v1/tools lists them", req.Tool))
		return
	}
	ctx, sess := h.session(r, id)
	sess.UserPrompt(ctx, session.UserPrompt{Items: []session.UserInput{session.TextInput(req.Prompt)}})
	turn := h.convs.turn(id)
	out, err := h.tools.RunTool(withSession(ctx, sess), req.Tool, req.Arguments, fmt.Sprintf("call-%d", turn))
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	_ = h.metrics.Counter("exampleapp.turns", 1, metrics.T("tool", req.Tool), metrics.T("outcome", outcome))
	if err != nil {
		st, _ := status.FromError(err)
		h.convs.finish(id, req.Tool, "error: "+st.Message())
		writeError(w, httpStatus(st.Code()), st.Message())
		return
	}
	h.convs.finish(id, req.Tool, out)
	writeJSON(w, http.StatusOK, turnResponse{Conversation: id, Turn: turn, Tool: req.Tool, Output: out})
}

// httpStatus maps the gRPC code of a failed tool call to the API's status.
func httpStatus(c codes.Code) int {
	switch c {
	case codes.InvalidArgument:
		return http.StatusBadRequest
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case codes.Canceled:
		return 499 // the client went away
	case codes.Unavailable, codes.Unimplemented:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// errNoFlush is returned when the response writer cannot stream.
var errNoFlush = errors.New("streaming unsupported")
