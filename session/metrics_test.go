package session_test

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit/metrics"
	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

func testMetadata() session.Metadata {
	return session.Metadata{
		SessionID: "conv-1", Model: "gpt-5", Slug: "gpt-5", AccountID: "acct", AccountEmail: "a@b.c",
		AuthMode: "ApiKey", Originator: "test_originator", SessionSource: "cli", AppVersion: "0.136.0-alpha.1",
	}
}

// errorRecorder collects what the session's error handler receives.
type errorRecorder struct {
	mu   sync.Mutex
	errs []error
}

func (r *errorRecorder) handle(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func (r *errorRecorder) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

func onlySet(t *testing.T, h *sessiontest.Harness, name string) map[string]string {
	t.Helper()
	sets := sessiontest.MetricAttrSets(t, h.Snapshot(t), name)
	if len(sets) != 1 {
		t.Fatalf("metric %s has %d series, want 1: %v", name, len(sets), sets)
	}
	return sets[0]
}

func TestMetadataTags(t *testing.T) {
	withService := testMetadata()
	withService.ServiceName = "my_app_server_client"
	noAuth := testMetadata()
	noAuth.AuthMode = ""
	tests := []struct {
		name string
		md   session.Metadata
		opts []session.Option
		want map[string]string
	}{
		{
			name: "metadata tags in order with default and call tags",
			md:   testMetadata(),
			want: map[string]string{"app.version": "0.136.0-alpha.1", "auth_mode": "ApiKey", "model": "gpt-5",
				"originator": "test_originator", "service": "codex-cli", "session_source": "cli", "source": "tui"},
		},
		{
			name: "disabled",
			md:   testMetadata(), opts: []session.Option{session.WithoutMetadataTags()},
			want: map[string]string{"service": "codex-cli", "source": "tui"},
		},
		{
			name: "optional service name",
			md:   withService,
			want: map[string]string{"app.version": "0.136.0-alpha.1", "auth_mode": "ApiKey", "model": "gpt-5",
				"originator": "test_originator", "service": "codex-cli", "session_source": "cli", "source": "tui",
				"service_name": "my_app_server_client"},
		},
		{
			name: "no auth mode",
			md:   noAuth,
			want: map[string]string{"app.version": "0.136.0-alpha.1", "model": "gpt-5",
				"originator": "test_originator", "service": "codex-cli", "session_source": "cli", "source": "tui"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := &errorRecorder{}
			h := sessiontest.NewWith(t, sessiontest.Config{
				Metadata:       tt.md,
				SessionOptions: append([]session.Option{session.WithErrorHandler(errs.handle)}, tt.opts...),
				MetricsOptions: []metrics.Option{metrics.WithDefaultTags(metrics.T("service", "codex-cli"))},
			})
			h.Session.Counter("codex.test.counter", 1, metrics.T("source", "tui"))
			if got := onlySet(t, h, "codex.test.counter"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tags = %v\nwant   %v", got, tt.want)
			}
			if e := errs.all(); len(e) != 0 {
				t.Errorf("error handler got %v", e)
			}
		})
	}
}

func TestInvalidMetadataIsSanitisedNotDropped(t *testing.T) {
	md := testMetadata()
	md.Model = "gpt 5:latest"
	md.AppVersion = "0.136.0-alpha.1+frodex.1"
	md.SessionSource = ""
	md.Originator = "Codex Desktop (mac)"
	errs := &errorRecorder{}
	h := sessiontest.New(t, md, session.WithErrorHandler(errs.handle))
	ctx, span := h.Start(t.Context(), "root")
	h.Session.APIRequest(ctx, session.APIRequest{Attempt: 1, Status: 200, Duration: 300 * time.Millisecond})
	span.End()

	want := map[string]string{"app.version": "0.136.0-alpha.1_frodex.1", "auth_mode": "ApiKey",
		"model": "gpt_5_latest", "originator": "Codex_Desktop__mac", "session_source": "unspecified",
		"status": "200", "success": "true"}
	for _, name := range []string{session.MetricAPIRequest, session.MetricAPIRequestDuration} {
		if got := onlySet(t, h, name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s tags = %v\nwant %v", name, got, want)
		}
	}
	if e := errs.all(); len(e) != 0 {
		t.Errorf("error handler got %v", e)
	}
	// Logs keep the model as given; the originator is sanitised when the session is created.
	la := sessiontest.LogAttrs(t, h.Log(t, session.EventAPIRequest))
	sessiontest.AssertAttrs(t, la, map[string]any{"model": "gpt 5:latest", "app.version": "0.136.0-alpha.1+frodex.1",
		"originator": "Codex_Desktop__mac"})
	if got := h.Session.Metadata().Originator; got != "Codex_Desktop__mac" {
		t.Errorf("Metadata().Originator = %q", got)
	}
}

func TestEventMetrics(t *testing.T) {
	h := sessiontest.New(t, testMetadata(), session.WithoutMetadataTags())
	ctx := t.Context()
	s := h.Session
	s.APIRequest(ctx, session.APIRequest{Status: 0, Err: errors.New("dial"), Duration: time.Millisecond})
	s.ToolResult(ctx, session.ToolResult{ToolCall: session.ToolCall{Name: "mcp__files__read file",
		Tags: []metrics.Tag{metrics.T("sku", "codex")}}, Success: true, Duration: 5 * time.Millisecond})
	s.ToolFailed(ctx, session.ToolFailed{ToolCall: session.ToolCall{Name: "shell"}, Err: errors.New("denied")})
	s.SSEEvent(ctx, session.SSEEvent{Duration: time.Millisecond, Err: errors.New("x")})
	s.WebSocketRequest(ctx, session.WebSocketRequest{Duration: time.Millisecond})
	s.WebSocketEvent(ctx, session.WebSocketEvent{Kind: "response.failed", Duration: time.Millisecond, Err: errors.New("f")})
	s.StartupPhase(ctx, session.StartupPhase{Phase: "load config", Duration: time.Millisecond})
	s.StartupPhase(ctx, session.StartupPhase{Phase: "mcp", Status: "ok", Duration: time.Millisecond})
	s.TurnTTFT(ctx, session.TurnTTFT{Duration: time.Millisecond})
	// Events without metrics.
	s.WebSocketConnect(ctx, session.WebSocketConnect{})
	s.AuthRecovery(ctx, session.AuthRecovery{})
	s.SandboxOutcome(ctx, session.SandboxOutcome{})
	s.ToolDecision(ctx, session.ToolDecision{})
	s.SSECompleted(ctx, session.SSECompleted{})

	rm := h.Snapshot(t)
	want := map[string][]map[string]string{
		session.MetricAPIRequest:         {{"status": "none", "success": "false"}},
		session.MetricAPIRequestDuration: {{"status": "none", "success": "false"}},
		session.MetricToolCall: {
			{"tool": "mcp__files__read_file", "success": "true", "sku": "codex"},
			{"tool": "shell", "success": "false"},
		},
		session.MetricSSEEvent:                 {{"kind": "unknown", "success": "false"}},
		session.MetricWebSocketRequest:         {{"success": "true"}},
		session.MetricWebSocketEvent:           {{"kind": "response.failed", "success": "false"}},
		session.MetricStartupPhaseDuration:     {{"phase": "load_config"}, {"phase": "mcp", "status": "ok"}},
		session.MetricTurnTTFTDuration:         {{}},
		session.MetricToolCallDuration:         {{"tool": "mcp__files__read_file", "success": "true", "sku": "codex"}, {"tool": "shell", "success": "false"}},
		session.MetricWebSocketEventDuration:   {{"kind": "response.failed", "success": "false"}},
		session.MetricWebSocketRequestDuration: {{"success": "true"}},
		session.MetricSSEEventDuration:         {{"kind": "unknown", "success": "false"}},
	}
	var names []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name)
		}
	}
	if len(names) != len(want) {
		sort.Strings(names)
		t.Errorf("metrics recorded: %v, want %d", names, len(want))
	}
	for name, sets := range want {
		got := sessiontest.MetricAttrSets(t, rm, name)
		sortSets(got)
		sortSets(sets)
		if !reflect.DeepEqual(got, sets) {
			t.Errorf("%s: tags %v, want %v", name, got, sets)
		}
	}
}

func sortSets(s []map[string]string) {
	sort.Slice(s, func(i, j int) bool { return fmtSet(s[i]) < fmtSet(s[j]) })
}

func fmtSet(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k, v := range m {
		ks = append(ks, k+"="+v)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func TestMetricFailuresGoToTheHandler(t *testing.T) {
	errs := &errorRecorder{}
	h := sessiontest.New(t, testMetadata(), session.WithErrorHandler(errs.handle))
	ctx, span := h.Start(t.Context(), "root")
	// An invalid per-call tag fails the metric, never the event.
	h.Session.ToolResult(ctx, session.ToolResult{ToolCall: session.ToolCall{Name: "shell",
		Tags: []metrics.Tag{metrics.T("bad key", "v")}}, Success: true})
	// A name already used with another kind is an instrument conflict.
	h.Session.TurnTTFT(ctx, session.TurnTTFT{Duration: time.Millisecond})
	h.Session.Counter(session.MetricTurnTTFTDuration, 1)
	span.End()
	got := errs.all()
	if len(got) != 3 {
		t.Fatalf("error handler got %d errors, want 3 (tool counter, tool duration, conflict): %v", len(got), got)
	}
	if !errors.Is(got[0], metrics.ErrInvalidTag) || !errors.Is(got[1], metrics.ErrInvalidTag) {
		t.Errorf("want ErrInvalidTag, got %v", got[:2])
	}
	if !errors.Is(got[2], metrics.ErrInstrumentConflict) {
		t.Errorf("want ErrInstrumentConflict, got %v", got[2])
	}
	h.Log(t, session.EventToolResult)
	h.SpanEvent(t, session.EventToolResult)
}

func TestSessionWithoutMetrics(t *testing.T) {
	h := sessiontest.NewWith(t, sessiontest.Config{Metadata: testMetadata(), NoMetrics: true})
	h.Session.APIRequest(t.Context(), session.APIRequest{Status: 200})
	h.Session.Counter("x", 1)
	h.Session.Histogram("y", 1)
	h.Session.RecordDuration("z", time.Second)
	h.Log(t, session.EventAPIRequest)
	if _, err := h.Session.RuntimeSummary(t.Context()); !errors.Is(err, session.ErrNoMetrics) {
		t.Errorf("RuntimeSummary error = %v, want ErrNoMetrics", err)
	}
}

func TestMetricFacade(t *testing.T) {
	h := sessiontest.New(t, testMetadata(), session.WithoutMetadataTags())
	h.Session.Histogram("codex.test.hist", 2.5, metrics.T("a", "b"))
	h.Session.RecordDuration("codex.test.duration_ms", -time.Second)
	h.Session.RecordDuration("codex.test.duration_ms", 3*time.Millisecond)
	rm := h.Snapshot(t)
	if got := sessiontest.MetricAttrSets(t, rm, "codex.test.hist"); !reflect.DeepEqual(got, []map[string]string{{"a": "b"}}) {
		t.Errorf("hist tags %v", got)
	}
	s := session.SummaryFromSnapshot(&rm)
	if !s.IsEmpty() {
		t.Errorf("summary of non-runtime metrics is %+v", s)
	}
}
