package metrics

import (
	"sync/atomic"
	"time"
)

// Timer measures one duration and records it, in milliseconds, exactly once. Make one with
// [Client.StartTimer]. It is safe for concurrent use: when several goroutines stop it, one records. The
// zero Timer records nothing: its Elapsed is 0 and Stop and Record return [ErrTimerNotStarted].
type Timer struct {
	c     *Client
	name  string
	tags  []Tag
	start time.Time
	done  atomic.Bool
}

// StartTimer starts a timer for the millisecond duration histogram called name (as [Client.RecordDuration]).
// The name and tags are validated, and the instrument is resolved, now: an invalid name or tag, or a
// name already used by another kind of instrument, is an error here rather than when the timer stops.
//
// On a nil client it returns a nil *Timer, whose methods do nothing and return nil.
func (c *Client) StartTimer(name string, tags ...Tag) (*Timer, error) {
	if c == nil {
		return nil, nil
	}
	if _, err := c.lookup(kindDurationMs, name, tags); err != nil {
		return nil, err
	}
	t := &Timer{c: c, name: name, start: c.now()}
	if len(tags) > 0 {
		t.tags = append(make([]Tag, 0, len(tags)), tags...)
	}
	return t, nil
}

// Elapsed returns the time since the timer started (0 for a nil or zero Timer).
func (t *Timer) Elapsed() time.Duration {
	if t == nil || t.c == nil {
		return 0
	}
	return t.c.now().Sub(t.start)
}

// Stop records the elapsed time with the timer's tags. Only the first Stop or Record records; later calls
// return [ErrTimerStopped] and record nothing.
func (t *Timer) Stop() error { return t.Record() }

// Record records the elapsed time with the timer's tags plus extra; an extra tag overrides a timer tag
// with the same key (codex-otel let the timer's tags win). Invalid extra tags return an error and leave
// the timer running, so it can still record. Only the first successful Stop or Record records; later calls
// return [ErrTimerStopped].
func (t *Timer) Record(extra ...Tag) error {
	if t == nil {
		return nil
	}
	if t.c == nil {
		return ErrTimerNotStarted
	}
	if t.done.Load() {
		return ErrTimerStopped
	}
	d := max(t.Elapsed(), 0) // an injected clock may step back
	tags := t.tags
	if len(extra) > 0 {
		if err := validateTags(t.name, extra); err != nil {
			return err
		}
		tags = append(append(make([]Tag, 0, len(t.tags)+len(extra)), t.tags...), extra...)
	}
	if !t.done.CompareAndSwap(false, true) {
		return ErrTimerStopped
	}
	return t.c.RecordDuration(t.name, d, tags...)
}
