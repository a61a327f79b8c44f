package session_test

import (
	"context"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit/session"
	"github.com/otelkit/otelkit/session/sessiontest"
)

// Clients choose the values of the X-Session-* headers: 5,000 requests with distinct values must not make
// 5,000 metric series. The values reach logs and spans (bounded), but metric tags only when allow-listed.
func TestClientMetadataCannotExplodeSeries(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{})
	r := session.NewResolver(h.Factory, session.WithAllowedTagValues(session.AllowedTagValues{
		Model: []string{"gpt-5", "o3"}, SessionSource: []string{"cli", "vscode"},
	}))
	const n = 5000
	for i := range n {
		req := httptest.NewRequest("POST", "/v1/turns", nil)
		req.Header.Set("X-Session-Id", "s-"+strconv.Itoa(i))
		model := "model-" + strconv.Itoa(i)
		if i%10 == 0 {
			model = "gpt-5"
		}
		req.Header.Set("X-Session-Model", model)
		req.Header.Set("X-Session-Originator", "orig_"+strconv.Itoa(i))
		req.Header.Set("X-Session-Source", []string{"cli", "src-" + strconv.Itoa(i)}[i%2])
		req.Header.Set("X-Session-App-Version", "1.0."+strconv.Itoa(i)+strings.Repeat("x", 400))
		s := r.FromHTTP(req)
		s.APIRequest(context.Background(), session.APIRequest{Attempt: 1, Status: 200, Duration: time.Millisecond})
	}
	sets := sessiontest.MetricAttrSets(t, h.Snapshot(t), session.MetricAPIRequest)
	got := map[string]map[string]bool{}
	for _, set := range sets {
		for _, k := range []string{"model", "originator", "session_source", "app.version"} {
			if got[k] == nil {
				got[k] = map[string]bool{}
			}
			got[k][set[k]] = true
		}
	}
	want := map[string]map[string]bool{
		"model":          {"gpt-5": true, session.TagValueOther: true},
		"originator":     {session.TagValueOther: true},
		"session_source": {"cli": true, session.TagValueOther: true},
		"app.version":    {session.TagValueOther: true},
	}
	if !reflect.DeepEqual(got, want) || len(sets) > 4 {
		t.Errorf("%d series with tag values %v, want at most 4 with %v", len(sets), got, want)
	}

	// Logs keep what the client sent, bounded and cleaned.
	logs := h.LogsNamed(session.EventAPIRequest)
	if len(logs) != n {
		t.Fatalf("%d log records, want %d", len(logs), n)
	}
	la := sessiontest.LogAttrs(t, logs[1])
	sessiontest.AssertAttrs(t, la, map[string]any{"model": "model-1", "originator": "orig_1", "session_source": "src-1"})
	if v, _ := la["app.version"].(string); len(v) != 256 || !strings.HasPrefix(v, "1.0.1x") {
		t.Errorf("app.version in the log is %d bytes, want the 256-byte bound", len(v))
	}
}

// Metadata the host sets is tagged as given (sanitised): sessions from New or a Factory, values the enrich
// function changes, metadata passed to FromMetadata, and WithModel.
func TestHostMetadataIsTagged(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{})
	r := session.NewResolver(h.Factory, session.WithEnrich(func(_ context.Context, md *session.Metadata) {
		if md.Model == "gpt-5-latest" {
			md.Model = "gpt-5" // the host maps the client's alias to its own name
		}
		md.ServiceName = "svc"
	}))
	req := httptest.NewRequest("POST", "/", nil)
	req.Header.Set("X-Session-Id", "s")
	req.Header.Set("X-Session-Model", "gpt-5-latest")
	req.Header.Set("X-Session-Source", "cli")
	s := r.FromHTTP(req)
	s.Counter("codex.test.a", 1)
	s.WithModel("o3", "o3").Counter("codex.test.b", 1)
	r.FromMetadata(t.Context(), session.Metadata{SessionID: "m", Model: "o4", SessionSource: "exec"}).Counter("codex.test.c", 1)
	rm := h.Snapshot(t)
	for name, want := range map[string]map[string]string{
		"codex.test.a": {"model": "gpt-5", "session_source": session.TagValueOther, "service_name": "svc"},
		"codex.test.b": {"model": "o3", "session_source": session.TagValueOther, "service_name": "svc"},
		"codex.test.c": {"model": "o4", "session_source": "exec", "service_name": "svc"},
	} {
		sets := sessiontest.MetricAttrSets(t, rm, name)
		if len(sets) != 1 {
			t.Fatalf("%s: %d series", name, len(sets))
		}
		for k, v := range want {
			if sets[0][k] != v {
				t.Errorf("%s: tag %s = %q, want %q (all: %v)", name, k, sets[0][k], v, sets[0])
			}
		}
	}
	if md := s.Metadata(); md.Model != "gpt-5" || md.SessionSource != "cli" {
		t.Errorf("metadata %+v", md)
	}
}

// WithAllowedTagValues appends; matching is exact, after the resolver's cleaning.
func TestAllowedTagValuesAppend(t *testing.T) {
	h := sessiontest.New(t, session.Metadata{})
	r := session.NewResolver(h.Factory,
		session.WithAllowedTagValues(session.AllowedTagValues{Model: []string{"a"}, Originator: []string{"codex_cli"}}),
		session.WithAllowedTagValues(session.AllowedTagValues{Model: []string{"b"}, AppVersion: []string{"1.2.3"}}))
	for i, model := range []string{"a", " b\x00 ", "B", "c"} {
		r.FromMap(t.Context(), map[string]string{"X-Session-Id": "s", "X-Session-Model": model,
			"X-Session-Originator": "codex_cli", "X-Session-App-Version": "1.2.3", "X-Session-Source": "cli"}).
			Counter("codex.test."+strconv.Itoa(i), 1)
	}
	rm := h.Snapshot(t)
	for i, model := range []string{"a", "b", session.TagValueOther, session.TagValueOther} {
		set := sessiontest.MetricAttrSets(t, rm, "codex.test."+strconv.Itoa(i))[0]
		want := map[string]string{"model": model, "originator": "codex_cli", "app.version": "1.2.3",
			"session_source": session.TagValueOther}
		if !reflect.DeepEqual(set, want) {
			t.Errorf("request %d: tags %v, want %v", i, set, want)
		}
	}
}
