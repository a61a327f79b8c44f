package session

import (
	"time"

	"github.com/otelkit/otelkit/metrics"
)

// maxStackTags is how many tags (metadata plus the event's) are merged without allocating.
const maxStackTags = 12

// metricsOn reports whether the session records metrics.
func (t *Telemetry) metricsOn() bool { return t.cfg.metrics != nil }

// Counter adds inc to the counter name with the session's metadata tags (unless [WithoutMetadataTags])
// followed by tags; a later tag overrides an earlier one with the same key. Failures go to the error
// handler ([WithErrorHandler]). A nil session, or one without metrics, does nothing.
func (t *Telemetry) Counter(name string, inc int64, tags ...metrics.Tag) {
	if t.off() || t.cfg.metrics == nil {
		return
	}
	t.count(name, inc, tags...)
}

// Histogram records value into the histogram name with the session's metadata tags and tags, as
// [Telemetry.Counter] does.
func (t *Telemetry) Histogram(name string, value float64, tags ...metrics.Tag) {
	if t.off() || t.cfg.metrics == nil {
		return
	}
	var buf [maxStackTags]metrics.Tag
	if err := t.cfg.metrics.Histogram(name, value, t.tags(buf[:0], tags)...); err != nil {
		t.cfg.handle(err)
	}
}

// RecordDuration records d in milliseconds into the duration histogram name with the session's metadata
// tags and tags, as [Telemetry.Counter] does. A negative d is recorded as 0.
func (t *Telemetry) RecordDuration(name string, d time.Duration, tags ...metrics.Tag) {
	if t.off() || t.cfg.metrics == nil {
		return
	}
	t.duration(name, d, tags...)
}

func (t *Telemetry) tags(dst, extra []metrics.Tag) []metrics.Tag {
	return append(append(dst, t.common().tags...), extra...)
}

func (t *Telemetry) count(name string, inc int64, extra ...metrics.Tag) {
	var buf [maxStackTags]metrics.Tag
	if err := t.cfg.metrics.Counter(name, inc, t.tags(buf[:0], extra)...); err != nil {
		t.cfg.handle(err)
	}
}

func (t *Telemetry) duration(name string, d time.Duration, extra ...metrics.Tag) {
	if d < 0 {
		d = 0
	}
	var buf [maxStackTags]metrics.Tag
	if err := t.cfg.metrics.RecordDuration(name, d, t.tags(buf[:0], extra)...); err != nil {
		t.cfg.handle(err)
	}
}

// countAndTime records the counter and duration pair of an event (codex.x and codex.x.duration_ms).
func (t *Telemetry) countAndTime(count, dur string, d time.Duration, extra ...metrics.Tag) {
	t.count(count, 1, extra...)
	t.duration(dur, d, extra...)
}
