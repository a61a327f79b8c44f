package metrics

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/metric"
)

// Registration is an observable gauge callback registered with [Client.ObserveGauge]. The zero
// Registration has no callback: its Unregister does nothing and returns nil.
type Registration struct {
	c    *Client
	reg  metric.Registration
	once sync.Once
	err  error
}

// ObserveGauge registers fn as a callback of the float64 observable gauge called name: on every
// collection (each export and each Snapshot) fn is called and its value is reported with the default
// tags plus tags. Several callbacks may observe one name with different tags. fn must be safe for
// concurrent use and should return quickly; if it panics or returns NaN or an infinity, that is reported
// to the error handler (see [WithErrorHandler]) and nothing is observed. Call Unregister on the result to
// stop; Shutdown unregisters every callback after the final export.
//
// After Shutdown, including one that ends while ObserveGauge runs, it registers nothing and returns
// [ErrShutdown]. On a nil client it returns a nil *Registration (whose Unregister is a no-op) and nil.
func (c *Client) ObserveGauge(name string, fn func() float64, tags ...Tag) (*Registration, error) {
	if c == nil {
		return nil, nil
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: ObserveGauge %s: callback is nil", ErrInvalidValue, quote(name))
	}
	s, err := c.lookup(kindObservableGauge, name, tags)
	if err != nil {
		return nil, err
	}
	// Problems are reported to the error handler, not returned: the SDK would fail the whole collection.
	cb := func(_ context.Context, o metric.Observer) error {
		defer func() {
			if r := recover(); r != nil {
				c.handle(fmt.Errorf("metrics: observable gauge %s callback panicked: %v", quote(name), r))
			}
		}()
		v := fn()
		if err := finite(name, v); err != nil {
			c.handle(err)
			return nil
		}
		o.ObserveFloat64(c.counted(s).inst.obs, v, s.obs...)
		return nil
	}
	mreg, err := c.meter.RegisterCallback(cb, s.inst.obs)
	if err != nil {
		return nil, fmt.Errorf("metrics: cannot register the callback of %s: %w", quote(name), err)
	}
	r := &Registration{c: c, reg: mreg}
	c.regMu.Lock()
	// Shutdown may have run its unregisterAll while the callback was being registered. It sets closed
	// before unregisterAll takes regMu, so a client still open here is one whose unregisterAll will see r.
	closed := c.closed.Load()
	if !closed {
		c.regs[r] = struct{}{}
	}
	c.regMu.Unlock()
	if closed {
		if err := mreg.Unregister(); err != nil {
			return nil, fmt.Errorf("%w (and the callback of %s could not be unregistered: %w)", ErrShutdown, quote(name), err)
		}
		return nil, ErrShutdown
	}
	return r, nil
}

// Unregister stops the callback. It is idempotent and safe on a nil or zero Registration; later calls
// return the first result.
func (r *Registration) Unregister() error {
	if r == nil || r.c == nil {
		return nil
	}
	r.once.Do(func() {
		r.err = r.reg.Unregister()
		r.c.regMu.Lock()
		delete(r.c.regs, r)
		r.c.regMu.Unlock()
	})
	return r.err
}

// unregisterAll unregisters every callback (at Shutdown).
func (c *Client) unregisterAll() error {
	c.regMu.Lock()
	regs := make([]*Registration, 0, len(c.regs))
	for r := range c.regs {
		regs = append(regs, r)
	}
	c.regMu.Unlock()
	var errs []error
	for _, r := range regs {
		if err := r.Unregister(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
