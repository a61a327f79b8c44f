package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/otelkit/otelkit/session"
)

// tool is one tool the app-server can run. Tool names are a fixed set, so they are safe as the metric
// tag "tool".
type tool struct {
	description string
	run         func(ctx context.Context, args string) (string, error)
}

// tools are the tools of tools/exec, RunTool and turns.
var tools = map[string]tool{
	"echo":   {description: "returns its arguments", run: echoTool},
	"search": {description: "searches a (simulated) upstream API", run: searchTool},
	"fail":   {description: "calls an upstream API that is down (to show errors)", run: failTool},
}

// toolNames returns the tool names, sorted.
func toolNames() []string {
	names := make([]string, 0, len(tools))
	for n := range tools {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func echoTool(_ context.Context, args string) (string, error) { return args, nil }

// upstreamLatency is how long the simulated upstream API takes.
const upstreamLatency = 3 * time.Millisecond

// callUpstream simulates one upstream API request and records it as a session event.
func callUpstream(ctx context.Context, status int) (time.Duration, error) {
	start := time.Now()
	t := time.NewTimer(upstreamLatency)
	defer t.Stop()
	var err error
	select {
	case <-t.C:
	case <-ctx.Done():
		status, err = 0, ctx.Err()
	}
	if err == nil && status >= 400 {
		err = fmt.Errorf("upstream answered %d", status)
	}
	d := time.Since(start)
	session.FromContext(ctx).APIRequest(ctx, session.APIRequest{
		Attempt: 1, Status: status, Err: err, Duration: d, Endpoint: "search.v1",
		Auth: session.RequestAuth{HeaderAttached: true, HeaderName: "Authorization"},
	})
	return d, err
}

func searchTool(ctx context.Context, args string) (string, error) {
	if _, err := callUpstream(ctx, 200); err != nil {
		return "", err
	}
	q := strings.TrimSpace(args)
	if q == "" {
		q = "nothing"
	}
	return fmt.Sprintf("3 results for %q:\n1. %s - overview\n2. %s - latest news\n3. %s - discussion", q, q, q, q), nil
}

// errUpstreamDown is the error of the fail tool.
var errUpstreamDown = errors.New("search backend unavailable (503)")

func failTool(ctx context.Context, _ string) (string, error) {
	if _, err := callUpstream(ctx, 503); err != nil && ctx.Err() != nil {
		return "", err
	}
	return "", errUpstreamDown
}
