package session_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
)

// printSink prints the event-specific attributes of each event, as a log record and a span event get them.
var printSink = session.SinkFunc(func(_ context.Context, e session.Event) {
	fmt.Println(e.Name)
	fmt.Println("  log:  ", format(e.LogAttrs))
	fmt.Println("  trace:", format(e.TraceAttrs))
})

func format(kvs []attribute.KeyValue) string {
	out := ""
	for i, kv := range kvs {
		if i > 0 {
			out += " "
		}
		if kv.Value.Type() == attribute.STRING {
			out += string(kv.Key) + "=" + strconv.Quote(kv.Value.AsString())
		} else {
			out += string(kv.Key) + "=" + kv.Value.String()
		}
	}
	return out
}

// A prompt's text reaches the log record only when the session allows it; the span event gets its length
// and item counts.
func ExampleTelemetry_UserPrompt() {
	prompt := session.UserPrompt{Items: []session.UserInput{
		session.TextInput("fix the flaky test"),
		{Kind: session.InputImage},
	}}

	private := session.New(session.Metadata{SessionID: "s1"}, session.WithSink(printSink))
	private.UserPrompt(context.Background(), prompt)

	consenting := session.New(session.Metadata{SessionID: "s2", LogUserPrompts: true}, session.WithSink(printSink))
	consenting.UserPrompt(context.Background(), prompt)
	// Output:
	// codex.user_prompt
	//   log:   prompt_length=18 prompt="[REDACTED]"
	//   trace: prompt_length=18 text_input_count=1 image_input_count=1 local_image_input_count=0
	// codex.user_prompt
	//   log:   prompt_length=18 prompt="fix the flaky test"
	//   trace: prompt_length=18 text_input_count=1 image_input_count=1 local_image_input_count=0
}

// A Resolver builds each request's session from its headers; server-side facts (the authenticated
// account, consent to log prompts) come from the enrich function, never from the client.
func ExampleResolver_FromHTTP() {
	factory := session.NewFactory() // in a server: session.WithLoggerProvider(p.EventLoggerProvider()), session.WithMetrics(mc)
	resolver := session.NewResolver(factory, session.WithEnrich(func(_ context.Context, md *session.Metadata) {
		md.AccountID, md.AuthMode = "acct-42", "ApiKey"
	}))

	req := httptest.NewRequest("POST", "/v1/turns", nil)
	req.Header.Set("X-Session-Id", "conv-7")
	req.Header.Set("X-Session-Model", "gpt-5")
	req.Header.Set("X-Session-Originator", "codex vscode")

	s := resolver.FromHTTP(req)
	ctx := session.NewContext(req.Context(), s) // what httpmw does; handlers call session.FromContext(ctx)
	md := session.FromContext(ctx).Metadata()
	fmt.Println(md.SessionID, md.Model, md.Originator, md.AccountID, md.AuthMode)

	req.Header.Del("X-Session-Id")
	fmt.Println(resolver.FromHTTP(req) == nil)
	// Output:
	// conv-7 gpt-5 codex_vscode acct-42 ApiKey
	// true
}

// Clients choose their X-Session-* headers, so a client-supplied model becomes a metric tag only when it is
// allowed; any other value is tagged "other". Logs and spans keep the value as sent.
func ExampleWithAllowedTagValues() {
	mem := otelkit.NewMemory()
	mc, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(mem)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = mc.Shutdown(context.Background()) }()
	resolver := session.NewResolver(session.NewFactory(session.WithMetrics(mc)),
		session.WithAllowedTagValues(session.AllowedTagValues{Model: []string{"gpt-5", "o3"}}))

	for _, model := range []string{"gpt-5", "my-finetune-123", "o3", "x' OR 1=1"} {
		req := httptest.NewRequest("POST", "/v1/turns", nil)
		req.Header.Set("X-Session-Id", "conv-7")
		req.Header.Set("X-Session-Model", model)
		resolver.FromHTTP(req).TurnTTFT(req.Context(), session.TurnTTFT{Duration: time.Second})
	}

	rm, err := mc.Snapshot(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	var models []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok && m.Name == session.MetricTurnTTFTDuration {
				for _, p := range h.DataPoints {
					v, _ := p.Attributes.Value(session.TagModel)
					models = append(models, fmt.Sprintf("%s:%d", v.AsString(), p.Count))
				}
			}
		}
	}
	sort.Strings(models)
	fmt.Println(models)
	// Output:
	// [gpt-5:1 o3:1 other:2]
}

// RunTool times a tool call and records its outcome; the tool's arguments and output stay in the log
// record, and the span event gets their sizes.
func ExampleTelemetry_RunTool() {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := session.New(session.Metadata{SessionID: "s1"}, session.WithSink(printSink), session.WithClock(clock))

	out, ok, err := s.RunTool(context.Background(),
		session.ToolCall{Name: "shell", CallID: "call-1", Arguments: `{"cmd":"ls"}`},
		func(context.Context) (string, bool, error) {
			now = now.Add(250 * time.Millisecond) // the tool takes 250 ms
			return "go.mod\nmain.go\n", true, nil
		})
	fmt.Printf("%q %v %v\n", out, ok, err)
	// Output:
	// codex.tool_result
	//   log:   tool_name="shell" call_id="call-1" arguments="{\"cmd\":\"ls\"}" duration_ms=250 success=true output="go.mod\nmain.go\n" mcp_server="" mcp_server_origin=""
	//   trace: tool_name="shell" call_id="call-1" duration_ms=250 success=true arguments_length=12 output_length=15 output_line_count=2 tool_origin="builtin" mcp_tool=false
	// "go.mod\nmain.go\n" true <nil>
}
