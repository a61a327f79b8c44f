package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
)

// demoConversation is the conversation the scripted demo talks in.
const demoConversation = "demo-1"

// demoStep is one request of the scripted demo.
type demoStep struct {
	title  string
	method string
	path   string
	body   string
	status int // the status the step expects
}

var demoSteps = []demoStep{
	{title: "a turn: HTTP -> gRPC Tools/RunTool -> JSON-RPC tools/exec, one trace",
		method: http.MethodPost, path: "/v1/conversations/" + demoConversation + "/turns",
		body: `{"prompt":"What is the weather in Paris?","tool":"search","arguments":"weather Paris"}`, status: http.StatusOK},
	{title: "a streamed answer: server-sent events relayed from a gRPC server stream",
		method: http.MethodGet, path: "/v1/conversations/" + demoConversation + "/stream?prompt=tell+me+a+joke", status: http.StatusOK},
	{title: "a failing tool: the error and its status propagate across the three protocols",
		method: http.MethodPost, path: "/v1/conversations/" + demoConversation + "/turns",
		body: `{"prompt":"Book a table for two","tool":"fail"}`, status: http.StatusBadGateway},
	{title: "a plain read",
		method: http.MethodGet, path: "/v1/conversations/" + demoConversation, status: http.StatusOK},
}

// runDemo drives the demo against the API at baseURL as a client of conversation demo-1 (X-Session-*
// headers), printing each request and response to out. wait, when not nil, is called with each response's
// trace id so that the trace's waterfall is printed before the next step; without it the trace ids are
// printed, to look the traces up in a collector's UI. It fails if a step does not get
// the status it expects.
func runDemo(ctx context.Context, out io.Writer, baseURL string, wait func(ctx context.Context, traceID string) error) error {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	fmt.Fprintf(out, "\n== demo: %d requests as conversation %s ==\n", len(demoSteps), demoConversation)
	for i, st := range demoSteps {
		fmt.Fprintf(out, "\n[%d/%d] %s\n      %s %s", i+1, len(demoSteps), st.title, st.method, st.path)
		if st.body != "" {
			fmt.Fprintf(out, "  %s", st.body)
		}
		fmt.Fprintln(out)
		traceID, err := demoRequest(ctx, client, out, baseURL, st, wait == nil)
		if err != nil {
			return fmt.Errorf("demo step %d (%s %s): %w", i+1, st.method, st.path, err)
		}
		if wait != nil && traceID != "" {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := wait(wctx, traceID)
			cancel()
			if err != nil {
				return fmt.Errorf("demo step %d: trace %s was not printed: %w", i+1, traceID, err)
			}
		}
	}
	return nil
}

// demoRequest sends one step and prints the answer; it returns the trace id from X-Trace-Id.
func demoRequest(ctx context.Context, client *http.Client, out io.Writer, baseURL string, st demoStep, printTraceIDs bool) (string, error) {
	var body io.Reader
	if st.body != "" {
		body = strings.NewReader(st.body)
	}
	req, err := http.NewRequestWithContext(ctx, st.method, baseURL+st.path, body)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-Session-Id", demoConversation)
	req.Header.Set("X-Session-Model", "demo-model")
	req.Header.Set("X-Session-Originator", "exampleapp_demo")
	req.Header.Set("X-Session-Source", "cli")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	traceID := resp.Header.Get(TraceIDHeader)
	var summary string
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		summary, err = summarizeEvents(resp.Body)
	} else {
		var b []byte
		b, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		summary = waterfall.Truncate(waterfall.ASCII(strings.Join(strings.Fields(string(b)), " ")), 110)
	}
	if err != nil {
		return traceID, err
	}
	fmt.Fprintf(out, "      <- %s  %s\n", resp.Status, summary)
	if traceID != "" && printTraceIDs {
		fmt.Fprintf(out, "         trace %s\n", traceID)
	}
	if resp.StatusCode != st.status {
		return traceID, fmt.Errorf("got %s, want %d", resp.Status, st.status)
	}
	return traceID, nil
}

// summarizeEvents reads a server-sent event stream and describes it: the event kinds with counts, and the
// text of the deltas.
func summarizeEvents(r io.Reader) (string, error) {
	var kinds []string
	counts := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if k, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			if counts[k] == 0 {
				kinds = append(kinds, k)
			}
			counts[k]++
		}
	}
	parts := make([]string, len(kinds))
	total := 0
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s x%d", k, counts[k])
		total += counts[k]
	}
	return fmt.Sprintf("%d events: %s", total, strings.Join(parts, ", ")), sc.Err()
}
