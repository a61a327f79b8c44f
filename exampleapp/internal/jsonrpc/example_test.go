package jsonrpc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/exampleapp/internal/jsonrpc"
	"github.com/otelkit/otelkit/session"
)

// A call carries the caller's trace context and session id in its params; the server continues the trace
// and hands the session to the handler.
func Example() {
	mem := otelkit.NewMemory()
	p, _ := otelkit.NewProvider(otelkit.Settings{Traces: otelkit.InMemory(mem)})
	defer p.Shutdown(context.Background())

	srv, _ := jsonrpc.NewServer(jsonrpc.ServerConfig{Provider: p, Resolver: session.NewResolver(nil)})
	srv.Register("greet", func(ctx context.Context, params json.RawMessage) (any, error) {
		var in struct{ Name string }
		if err := json.Unmarshal(params, &in); err != nil {
			return nil, jsonrpc.Errorf(jsonrpc.CodeInvalidParams, "invalid params")
		}
		return "hello " + in.Name + " in " + session.FromContext(ctx).Metadata().SessionID, nil
	})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()

	client, _ := jsonrpc.NewClient(hs.URL, &http.Client{Transport: tr}, p)
	var out string
	err := client.Call(context.Background(), "greet", "conv-1", map[string]string{"name": "ada"}, &out)
	fmt.Println(out, err)

	spans := mem.Spans()
	client0, server0 := spans[1], spans[0] // the server span ends first
	fmt.Println(server0.Name, server0.SpanKind, "child of", client0.Name, client0.SpanKind,
		server0.Parent.SpanID() == client0.SpanContext.SpanID())
	// Output:
	// hello ada in conv-1 <nil>
	// greet server child of greet client true
}
