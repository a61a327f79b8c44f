package metrics

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Recording methods ignore cancellation: they take no context and record with context.Background(), so
// no exemplars are attached.

// Counter adds inc to the monotonic int64 counter called name, with the default tags plus tags.
// A negative inc returns [ErrNegativeIncrement]. Name and tags are validated the first time this exact
// (name, tags) pair is seen; later calls with the same strings take a cached path that does not allocate.
func (c *Client) Counter(name string, inc int64, tags ...Tag) error {
	if c == nil {
		return nil
	}
	if inc < 0 {
		return fmt.Errorf("%w: metric %s got %d", ErrNegativeIncrement, quote(name), inc)
	}
	s, err := c.lookup(kindCounter, name, tags)
	if err != nil {
		return err
	}
	c.counted(s).inst.counter.Add(context.Background(), inc, s.add...)
	return nil
}

// Histogram records value into the float64 histogram called name (the SDK's default buckets, or those of
// a view). NaN and infinite values return [ErrInvalidValue].
func (c *Client) Histogram(name string, value float64, tags ...Tag) error {
	if c == nil {
		return nil
	}
	if err := finite(name, value); err != nil {
		return err
	}
	s, err := c.lookup(kindHistogram, name, tags)
	if err != nil {
		return err
	}
	c.counted(s).inst.hist.Record(context.Background(), value, s.rec...)
	return nil
}

// RecordDuration records d in milliseconds (fractional) into the histogram called name, with unit "ms",
// description [DescriptionMilliseconds] unless declared otherwise, and the bucket boundaries of
// [DurationMillisecondsBounds]. A negative d returns [ErrInvalidValue]. A name used here cannot also be
// used by Histogram or RecordDurationSeconds.
func (c *Client) RecordDuration(name string, d time.Duration, tags ...Tag) error {
	return c.recordDuration(kindDurationMs, name, d, tags)
}

// RecordDurationSeconds records d in seconds (fractional) into the histogram called name, with unit "s",
// description [DescriptionSeconds] unless declared otherwise, and the bucket boundaries of
// [DurationSecondsBounds]. A negative d returns [ErrInvalidValue].
func (c *Client) RecordDurationSeconds(name string, d time.Duration, tags ...Tag) error {
	return c.recordDuration(kindDurationSeconds, name, d, tags)
}

func (c *Client) recordDuration(k kind, name string, d time.Duration, tags []Tag) error {
	if c == nil {
		return nil
	}
	if d < 0 {
		return fmt.Errorf("%w: metric %s got a negative duration %s", ErrInvalidValue, quote(name), d)
	}
	s, err := c.lookup(k, name, tags)
	if err != nil {
		return err
	}
	v := float64(d) / float64(time.Millisecond)
	if k == kindDurationSeconds {
		v = d.Seconds()
	}
	c.counted(s).inst.hist.Record(context.Background(), v, s.rec...)
	return nil
}

// Gauge sets the float64 gauge called name to value (the last value recorded in a collection cycle is
// exported). NaN and infinite values return [ErrInvalidValue].
func (c *Client) Gauge(name string, value float64, tags ...Tag) error {
	if c == nil {
		return nil
	}
	if err := finite(name, value); err != nil {
		return err
	}
	s, err := c.lookup(kindGauge, name, tags)
	if err != nil {
		return err
	}
	c.counted(s).inst.gauge.Record(context.Background(), value, s.rec...)
	return nil
}

func finite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%w: metric %s got %v", ErrInvalidValue, quote(name), v)
	}
	return nil
}
