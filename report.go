package otelkit

import (
	"context"
	"sync"
	"sync/atomic"
)

// reportBuffer bounds the warnings waiting for the error handler; beyond it they are counted, not queued.
const reportBuffer = 256

// reporter passes warnings and errors to the error handler from its own goroutine. A handler may log
// through this very provider (the slog bridge feeds the log pipeline): called from a pipeline's worker, it
// could block that worker on its own full queue. Reports never block whoever makes them.
//
// The goroutine starts with the first report (a provider with nothing to report runs none) and ends with
// stop; reports after stop are counted as lost.
type reporter struct {
	handle func(error)
	ch     chan any // error, or a chan struct{} marking a sync point
	quit   chan struct{}
	done   chan struct{}
	lost   atomic.Uint64 // reports dropped: buffer full, or made after stop

	mu      sync.Mutex
	running bool
	stopped bool
}

func newReporter(handle func(error)) *reporter {
	return &reporter{handle: handle, ch: make(chan any, reportBuffer), quit: make(chan struct{}), done: make(chan struct{})}
}

func (r *reporter) run() {
	defer close(r.done)
	for {
		select {
		case m := <-r.ch:
			r.deliver(m)
		case <-r.quit:
			for {
				select {
				case m := <-r.ch:
					r.deliver(m)
				default:
					return
				}
			}
		}
	}
}

func (r *reporter) deliver(m any) {
	switch m := m.(type) {
	case error:
		r.handle(m)
	case chan struct{}:
		close(m)
	}
}

// report queues err for the handler, or counts it as lost. It never blocks.
func (r *reporter) report(err error) {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		r.lost.Add(1)
		return
	}
	if !r.running {
		r.running = true
		go r.run()
	}
	r.mu.Unlock()
	select {
	case r.ch <- err:
	default:
		r.lost.Add(1)
	}
}

func (r *reporter) isRunning() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// sync waits, within ctx, until everything reported before the call has been handled. Do not call it from
// the handler itself.
func (r *reporter) sync(ctx context.Context) {
	if !r.isRunning() {
		return // nothing was ever reported
	}
	mark := make(chan struct{})
	select {
	case r.ch <- mark:
	case <-ctx.Done():
		return
	case <-r.done:
		return
	}
	select {
	case <-mark:
	case <-ctx.Done():
	case <-r.done:
	}
}

// stop handles what is queued and ends the goroutine, waiting at most until ctx ends. It runs once.
func (r *reporter) stop(ctx context.Context) {
	r.mu.Lock()
	first, running := !r.stopped, r.running
	r.stopped = true
	r.mu.Unlock()
	if !running {
		return
	}
	if first {
		close(r.quit)
	}
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}
