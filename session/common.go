package session

import (
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelkit/otelkit/metrics"
)

// precomputed holds what every event of a session repeats, built once per session on first use.
type precomputed struct {
	log   []attribute.KeyValue // metadata for log records (with the user keys)
	trace []attribute.KeyValue // metadata for span events (a prefix of log, capacity-capped)
	env   []attribute.KeyValue // the auth.env_* fields
	tags  []metrics.Tag        // metadata metric tags, nil when off
}

// common returns the session's precomputed attributes and tags.
func (t *Telemetry) common() *precomputed {
	t.once.Do(t.precompute)
	return t.pre
}

func (t *Telemetry) precompute() {
	t.pre = new(precomputed)
	md := &t.md
	kvs := make([]attribute.KeyValue, 0, 11)
	add := func(k attribute.Key, v string) {
		if v != "" {
			kvs = append(kvs, k.String(v))
		}
	}
	add(KeyConversationID, md.SessionID)
	add(KeyAppVersion, md.AppVersion)
	add(KeyAuthMode, md.AuthMode)
	add(KeyOriginator, md.Originator)
	add(KeyTerminalType, md.TerminalType)
	add(KeyModel, md.Model)
	add(KeySlug, md.Slug)
	add(KeySessionSource, md.SessionSource)
	add(KeyServiceName, md.ServiceName)
	n := len(kvs)
	add(KeyUserAccountID, md.AccountID)
	add(KeyUserEmail, md.AccountEmail)
	t.pre.log = kvs
	t.pre.trace = kvs[:n:n]

	e := md.AuthEnv
	env := []attribute.KeyValue{
		kEnvOpenAIKeyPresent.Bool(e.OpenAIAPIKeyPresent),
		kEnvCodexKeyPresent.Bool(e.CodexAPIKeyPresent),
		kEnvCodexKeyEnabled.Bool(e.CodexAPIKeyEnabled),
	}
	if e.ProviderKeyName != "" {
		env = append(env, kEnvProviderKeyName.String(e.ProviderKeyName), kEnvProviderKeyPresent.Bool(e.ProviderKeyPresent))
	}
	t.pre.env = append(env, kEnvRefreshURLOverridden.Bool(e.RefreshTokenURLOverridePresent))

	if t.cfg.metrics != nil && !t.cfg.noMetaTags {
		t.pre.tags = metadataTags(md, t.other)
	}
}

// metadataTags returns the session's metric tags in the reference's order: auth_mode (when set),
// session_source, originator, service_name (when set), model, app.version. Invalid values are sanitised,
// never dropped, so an odd model name cannot cost the metric; the fields in other are [TagValueOther].
func metadataTags(md *Metadata, other tagFields) []metrics.Tag {
	tags := make([]metrics.Tag, 0, 6)
	if md.AuthMode != "" {
		tags = append(tags, metrics.T(TagAuthMode, tagValue(md.AuthMode)))
	}
	tags = append(tags, metrics.T(TagSessionSource, other.value(tagSessionSource, md.SessionSource)),
		metrics.T(TagOriginator, other.value(tagOriginator, md.Originator)))
	if md.ServiceName != "" {
		tags = append(tags, metrics.T(TagServiceName, tagValue(md.ServiceName)))
	}
	return append(tags, metrics.T(TagModel, other.value(tagModel, md.Model)),
		metrics.T(TagAppVersion, other.value(tagAppVersion, md.AppVersion)))
}

// tagFields is a set of the metadata fields a client may supply that are metric tags. The bits follow the
// order of Resolver.allow: model, originator, session source, app version.
type tagFields uint8

const (
	tagModel tagFields = 1 << iota
	tagOriginator
	tagSessionSource
	tagAppVersion
)

// value is the metric tag value of field f with value v: [TagValueOther] when f is in the set, otherwise
// v sanitised.
func (s tagFields) value(f tagFields, v string) string {
	if s&f != 0 {
		return TagValueOther
	}
	return tagValue(v)
}

// tagValue returns v when it is a valid metric tag value, otherwise metrics.Sanitize(v) (which maps an
// empty value to "unspecified"). A valid value costs no allocation.
func tagValue(v string) string {
	if v != "" && metrics.ValidateTag(metrics.Tag{Key: "k", Value: v}) == nil {
		return v
	}
	return metrics.Sanitize(v)
}

// sanitizeOriginator maps a free-form originator to a valid metric tag value, as the reference does when
// a session is created. An empty originator stays empty.
func sanitizeOriginator(s string) string {
	if s == "" {
		return ""
	}
	return tagValue(s)
}
