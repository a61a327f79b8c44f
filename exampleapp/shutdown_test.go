package main

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestStopDrainsTurnInFlight: a turn still running when the app stops completes through all three
// protocols (the API drains first; gRPC and JSON-RPC are still up), and all its spans and session events
// are delivered by the time Stop returns.
func TestStopDrainsTurnInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	tools["gate"] = tool{description: "waits for the test", run: func(ctx context.Context, args string) (string, error) {
		close(entered)
		select {
		case <-release:
			return "released " + args, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}}
	t.Cleanup(func() { delete(tools, "gate") })

	ta := startApp(t)
	type result struct {
		code    int
		body    string
		traceID string
		err     error
	}
	done := make(chan result, 1)
	go func() {
		code, body, id, err := ta.request(context.Background(), http.MethodPost, "/v1/conversations/s-1/turns",
			`{"prompt":"x","tool":"gate","arguments":"y"}`)
		done <- result{code, body, id, err}
	}()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the turn never reached the tool")
	}

	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		stopped <- ta.app.Stop(ctx)
	}()
	// The API stops accepting connections first; the turn in flight keeps going.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ta.API.addr.String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the API kept accepting connections after Stop began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)

	r := <-done
	if r.err != nil || r.code != http.StatusOK || r.body == "" {
		t.Fatalf("turn in flight: %d %s %v", r.code, r.body, r.err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Stop: %v", err)
	}
	checkTurnTrace(t, ta.col, r.traceID, "s-1") // all six spans, delivered before Stop returned
	var events int
	for _, l := range ta.col.Logs() {
		if l.TraceID() == r.traceID {
			events++
		}
	}
	if events != 2 {
		t.Errorf("%d session events delivered for the turn in flight, want 2 (prompt, tool result)", events)
	}
}
