package otlptest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTB records failures instead of stopping the test.
type fakeTB struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = append(f.failed, fmt.Sprintf(format, args...))
}

func (f *fakeTB) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.failed...)
}

func TestWaitTimeouts(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(503))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/metrics", "application/x-protobuf", nil, mustMarshal(t, oneMetric("queue.depth", 1)))

	tests := []struct {
		name string
		wait func(tb testing.TB)
		want string
	}{
		{"spans", func(tb testing.TB) { s.WaitSpans(tb, 3, 20*time.Millisecond) }, "otlptest: timed out after 20ms: waiting for 3 spans, 1 arrived; 3 requests received, 2 accepted\n" +
			"  #1 http /v1/traces (application/json) -> 503: fault: status 503\n" +
			"  #2 http /v1/traces (application/json) -> 200\n" +
			"  #3 http /v1/metrics (application/x-protobuf) -> 200"},
		{"logs", func(tb testing.TB) { s.WaitLogs(tb, 1, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 1 log records, 0 arrived; 3 requests received"},
		{"metrics", func(tb testing.TB) { s.WaitMetrics(tb, "orders", time.Millisecond) }, `otlptest: timed out after 1ms: waiting for metric "orders", 1 metrics arrived with names ["queue.depth"]`},
		{"requests", func(tb testing.TB) { s.WaitRequests(tb, 4, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 4 requests, 3 arrived"},
		{"stalled", func(tb testing.TB) { s.WaitStalled(tb, 1, time.Millisecond) }, "otlptest: timed out after 1ms: waiting for 1 stalled requests, 0 stalled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &fakeTB{TB: t}
			tt.wait(tb)
			msgs := tb.messages()
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tt.want) {
				t.Fatalf("failure messages %q, want one starting with %q", msgs, tt.want)
			}
		})
	}

	// Waits that are already satisfied do not fail.
	tb := &fakeTB{TB: t}
	if got := s.WaitSpans(tb, 1, time.Millisecond); len(got) != 1 || len(tb.messages()) != 0 {
		t.Fatalf("satisfied wait: %d spans, failures %q", len(got), tb.messages())
	}
}

func TestWaitWokenByArrival(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	got := make(chan int, 1)
	go func() { got <- len(s.WaitSpans(t, 2, waitTime)) }()
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	if n := <-got; n != 2 {
		t.Fatalf("WaitSpans returned %d spans", n)
	}
}

func TestWaitFailsWhenClosed(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tb := &fakeTB{TB: t}
	start := time.Now()
	s.WaitSpans(tb, 1, waitTime)
	if msgs := tb.messages(); len(msgs) != 1 || !strings.HasPrefix(msgs[0], "otlptest: server closed while waiting: waiting for 1 spans, 0 arrived") {
		t.Fatalf("messages %q", msgs)
	}
	if time.Since(start) > waitTime/2 {
		t.Fatal("wait on a closed server did not return at once")
	}
}
