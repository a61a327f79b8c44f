// Package batch is the bounded batching queue behind otelkit's span and log processors.
//
// Items are queued by producers and exported by one worker goroutine in batches, when a batch fills up,
// when the schedule delay passes, or on Flush. The queue is bounded: a full queue drops the new item and
// counts it, or, in blocking mode, makes the producer wait. A batch whose export fails with a retryable
// error goes back to the head of the queue (within the bound) and is tried again on the next cycle, so an
// outage of the collector loses nothing until the queue is full.
package batch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Config sizes a Processor. MaxQueue, MaxBatch, Delay and ExportTimeout must be positive.
type Config struct {
	MaxQueue      int
	MaxBatch      int
	Delay         time.Duration
	ExportTimeout time.Duration
	Blocking      bool
	// Concurrency is how many batches may be exported at once (default 1). The export function must then be
	// safe for concurrent use.
	Concurrency int
}

// Hooks receive what the processor cannot return to a caller. Any may be nil.
type Hooks struct {
	// Dropped is called by the worker with the number of items dropped since the last call and why.
	Dropped func(n int, reason string)
	// Error is called with export errors of background (scheduled) exports.
	Error func(error)
}

// Retryable is implemented by export errors that are worth trying again later (the collector was
// unreachable, throttled or unavailable). Other errors drop the batch.
type Retryable interface{ Retryable() bool }

// IsRetryable reports whether err (or an error it wraps) says it is retryable.
func IsRetryable(err error) bool {
	var r Retryable
	return errors.As(err, &r) && r.Retryable()
}

// ErrShutdown is returned by Flush after Shutdown.
var ErrShutdown = errors.New("batch processor is shut down")

type preemptKey struct{}

// Preempted returns a channel that is closed when a Flush or Shutdown wants the worker: an export that is
// waiting to retry should give up (returning its retryable error) so that the data is exported again at
// once, under the flush's deadline. It is nil for contexts that did not come from a Processor.
func Preempted(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(preemptKey{}).(chan struct{})
	return ch
}

type flushReq struct {
	ctx  context.Context
	done chan error
}

// Processor batches items of type T and hands them to an export function.
type Processor[T any] struct {
	cfg    Config
	export func(context.Context, []T) error
	hooks  Hooks

	mu         sync.Mutex
	room       *sync.Cond // signalled when the queue shrinks or closes (blocking producers wait here)
	queue      []T
	closed     bool
	final      bool // Shutdown has counted the leftovers: anything requeued later is dropped
	unreported int  // drops not yet passed to hooks.Dropped
	unshipped  int  // items Shutdown gave up on, not yet reported
	late       int  // items offered after shutdown, not yet reported

	inflight int // items taken by the worker and not yet resolved
	owed     int // in-flight items already counted as dropped by Shutdown; undone if they succeed later

	sent    atomic.Uint64 // items in successful exports
	dropped atomic.Uint64 // items given up on without delivery
	failed  atomic.Uint64 // items in exports that failed with a non-retryable error
	scratch []T           // the worker's batch buffer, reused

	preempt      chan struct{} // closed by Flush to hurry a background export that is backing off; guarded by mu
	flushWaiting int           // Flush calls not yet taken by the worker: background exports start pre-empted
	kick         chan struct{} // a batch is full
	flushCh      chan flushReq
	quit         chan struct{} // closed by Shutdown after the final flush
	done         chan struct{} // closed when the worker exits

	base   context.Context // cancelled when Shutdown gives up, aborting an export in flight
	cancel context.CancelFunc

	startOnce    sync.Once
	shutdownOnce sync.Once
	shutdownErr  error
}

// New returns a Processor. Its worker goroutine starts with Start, or with the first Flush or Shutdown;
// items enqueued before that wait in the (bounded) queue. Shutdown stops the worker.
func New[T any](cfg Config, export func(context.Context, []T) error, hooks Hooks) *Processor[T] {
	base, cancel := context.WithCancel(context.Background())
	p := &Processor[T]{
		cfg: cfg, export: export, hooks: hooks,
		queue:   make([]T, 0, min(cfg.MaxBatch, cfg.MaxQueue)),
		kick:    make(chan struct{}, 1),
		flushCh: make(chan flushReq),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
		base:    base, cancel: cancel,
	}
	p.room = sync.NewCond(&p.mu)
	return p
}

// Start starts the worker goroutine. It is idempotent.
func (p *Processor[T]) Start() { p.startOnce.Do(func() { go p.run() }) }

// Enqueue adds an item. It never blocks unless the processor is in blocking mode and the queue is full.
// It reports whether the item was queued.
func (p *Processor[T]) Enqueue(item T) bool {
	p.mu.Lock()
	for !p.closed && len(p.queue) >= p.cfg.MaxQueue {
		if !p.cfg.Blocking {
			p.dropLocked(1)
			p.mu.Unlock()
			return false
		}
		p.room.Wait()
	}
	if p.closed {
		p.late++
		p.dropped.Add(1)
		p.mu.Unlock()
		return false
	}
	p.queue = append(p.queue, item)
	full := len(p.queue) == p.cfg.MaxBatch
	p.mu.Unlock()
	if full {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
	return true
}

func (p *Processor[T]) dropLocked(n int) {
	p.unreported += n
	p.dropped.Add(uint64(n))
}

// Len returns the number of queued items.
func (p *Processor[T]) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

// Dropped returns how many items were dropped so far: queue full, not delivered before Shutdown gave up,
// or offered after Shutdown.
func (p *Processor[T]) Dropped() uint64 { return p.dropped.Load() }

// Sent returns how many items were in successful exports.
func (p *Processor[T]) Sent() uint64 { return p.sent.Load() }

// Failed returns how many items were in exports that failed with a non-retryable error.
func (p *Processor[T]) Failed() uint64 { return p.failed.Load() }

// Flush exports everything queued now and returns the export errors. It honours ctx: on expiry it returns
// ctx.Err() while the worker goes on in the background.
func (p *Processor[T]) Flush(ctx context.Context) error {
	p.Start()
	p.mu.Lock()
	p.flushWaiting++
	if p.preempt != nil {
		close(p.preempt)
		p.preempt = nil
	}
	p.mu.Unlock()
	req := flushReq{ctx: ctx, done: make(chan error, 1)}
	sent := false
	select {
	case p.flushCh <- req:
		sent = true
	case <-p.quit:
	case <-ctx.Done():
	}
	p.mu.Lock()
	p.flushWaiting--
	p.mu.Unlock()
	if !sent {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrShutdown
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown stops accepting items, flushes what is queued, then stops the worker. It runs once; later calls
// return the first result. When ctx expires first, the export in flight is aborted, what is still queued is
// counted as dropped, and the returned error is ctx.Err().
func (p *Processor[T]) Shutdown(ctx context.Context) error {
	p.Start()
	p.shutdownOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.room.Broadcast()
		p.mu.Unlock()

		err := p.Flush(ctx)
		if ctx.Err() != nil {
			p.cancel() // abort an export in flight
		}
		close(p.quit)
		select {
		case <-p.done:
		case <-ctx.Done():
			// Abort an export in flight; the worker honours that at once, and is given a moment to finish
			// its accounting (and its warnings) before ours, but is not waited for if the exporter hangs.
			p.cancel()
			wait := time.NewTimer(abortWait)
			select {
			case <-p.done:
			case <-wait.C:
			}
			wait.Stop()
		}
		p.cancel()

		p.mu.Lock()
		n := len(p.queue) + p.inflight // an export still in flight is corrected if it succeeds
		p.dropped.Add(uint64(n))
		p.unshipped += n
		p.owed = p.inflight
		p.queue = nil
		p.final = true
		p.mu.Unlock()
		p.reportDrops()
		p.shutdownErr = err
	})
	return p.shutdownErr
}

// abortWait is how long Shutdown waits, once its deadline has passed, for the worker to return from an
// export it aborted. It is shorter than the grace otelkit's Shutdown allows past the deadline.
const abortWait = 15 * time.Millisecond

// run is the worker: it exports on kicks, on the schedule and on flush requests until quit.
func (p *Processor[T]) run() {
	defer close(p.done)
	defer p.reportDrops()
	timer := time.NewTimer(p.cfg.Delay)
	defer timer.Stop()
	for {
		select {
		case <-p.kick:
			p.background(true)
		case <-timer.C:
			p.background(false)
		case req := <-p.flushCh:
			ctx, stop := joinCancel(req.ctx, p.base)
			req.done <- p.exportQueued(ctx, false)
			stop()
		case <-p.quit:
			return
		}
		p.reportDrops()
		timer.Reset(p.cfg.Delay)
	}
}

func (p *Processor[T]) background(fullOnly bool) {
	ch := make(chan struct{})
	p.mu.Lock()
	if p.flushWaiting > 0 {
		close(ch) // a flush is already waiting for the worker: do not make it wait for a backoff
	} else {
		p.preempt = ch
	}
	p.mu.Unlock()
	err := p.exportQueued(context.WithValue(p.base, preemptKey{}, ch), fullOnly)
	p.mu.Lock()
	if p.preempt == ch {
		p.preempt = nil
	}
	p.mu.Unlock()
	if err != nil && p.hooks.Error != nil {
		p.hooks.Error(err)
	}
}

// exportQueued takes the queue (with fullOnly, only whole batches) and exports it batch by batch. When a
// batch fails retryably, it and the batches after it go back to the head of the queue for the next cycle.
func (p *Processor[T]) exportQueued(ctx context.Context, fullOnly bool) error {
	p.mu.Lock()
	n := len(p.queue)
	if fullOnly {
		n -= n % p.cfg.MaxBatch
	}
	if n == 0 {
		p.mu.Unlock()
		return nil
	}
	p.scratch = append(p.scratch[:0], p.queue[:n]...)
	rest := copy(p.queue, p.queue[n:])
	clear(p.queue[rest:])
	p.queue = p.queue[:rest]
	p.inflight = n
	p.room.Broadcast()
	p.mu.Unlock()

	items := p.scratch
	defer clear(items) // release references; the buffer is reused
	var (
		errMu sync.Mutex
		errs  []error
		stop  atomic.Bool // a batch failed retryably, or the cycle's context ended: launch no more
		wg    sync.WaitGroup
		slots = make(chan struct{}, max(1, p.cfg.Concurrency))
	)
	for off := 0; off < n; off += p.cfg.MaxBatch {
		slots <- struct{}{} // with Concurrency 1, this waits for the previous batch to be resolved
		if stop.Load() {
			<-slots
			p.giveBack(items[off:n])
			break
		}
		batch := items[off:min(off+p.cfg.MaxBatch, n)]
		run := func() {
			defer func() { <-slots }()
			ectx, cancel := context.WithTimeout(ctx, p.cfg.ExportTimeout)
			err := p.export(ectx, batch)
			cancel()
			// An export that Shutdown aborted is not the collector's failure: its batch goes back to the
			// queue, and Shutdown counts it as dropped.
			if err != nil && !(ctx.Err() != nil && p.base.Err() != nil) {
				errMu.Lock()
				errs = append(errs, err)
				errMu.Unlock()
			}
			if !p.resolve(batch, err, ctx.Err() != nil) {
				stop.Store(true)
			}
		}
		if cap(slots) == 1 {
			run()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			run()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// resolve accounts for one exported batch and reports whether to go on. After a retryable failure, or when
// the cycle's context has ended, the batch goes back to the queue.
func (p *Processor[T]) resolve(batch []T, err error, ctxDone bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := len(batch)
	p.inflight -= k
	switch {
	case err == nil:
		p.sent.Add(uint64(k))
		p.undoOwedLocked(k)
		return true
	case ctxDone || IsRetryable(err):
		p.returnLocked(batch)
		return false
	default:
		p.failed.Add(uint64(k))
		p.undoOwedLocked(k)
		return true
	}
}

// giveBack returns batches that were taken but not exported.
func (p *Processor[T]) giveBack(items []T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight -= len(items)
	p.returnLocked(items)
}

// returnLocked puts undelivered items back in the queue, unless Shutdown has already counted them as dropped.
func (p *Processor[T]) returnLocked(items []T) {
	if p.final {
		p.owed -= min(p.owed, len(items)) // counted as dropped by Shutdown; nothing more to do
		return
	}
	p.requeueLocked(items)
}

// undoOwedLocked corrects Shutdown's count for in-flight items that were resolved after it (delivered or
// failed rather than dropped).
func (p *Processor[T]) undoOwedLocked(n int) {
	if u := min(p.owed, n); u > 0 {
		p.owed -= u
		p.dropped.Add(^uint64(u - 1))
	}
}

// requeueLocked puts undelivered items back at the head of the queue, keeping the bound: what does not fit
// is dropped — except in blocking mode, where nothing is dropped: the queue may then hold up to twice
// MaxQueue items while producers wait.
func (p *Processor[T]) requeueLocked(items []T) {
	keep := max(0, min(len(items), p.cfg.MaxQueue-len(p.queue)))
	if p.cfg.Blocking {
		keep = len(items)
	}
	p.dropLocked(len(items) - keep)
	if keep == 0 {
		return
	}
	q := make([]T, 0, max(cap(p.queue), keep+len(p.queue)))
	q = append(q, items[:keep]...)
	p.queue = append(q, p.queue...)
}

func (p *Processor[T]) reportDrops() {
	p.mu.Lock()
	n, unshipped, late := p.unreported, p.unshipped, p.late
	p.unreported, p.unshipped, p.late = 0, 0, 0
	p.mu.Unlock()
	if p.hooks.Dropped == nil {
		return
	}
	if n > 0 {
		p.hooks.Dropped(n, "queue full or not delivered")
	}
	if unshipped > 0 {
		p.hooks.Dropped(unshipped, "not delivered during shutdown")
	}
	if late > 0 {
		p.hooks.Dropped(late, "recorded after shutdown")
	}
}

// joinCancel returns a context that ends when ctx or other ends, keeping ctx's deadline and values, and a
// function that releases it.
func joinCancel(ctx, other context.Context) (context.Context, func()) {
	joined, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(other, func() { cancel(context.Cause(other)) })
	return joined, func() {
		stop()
		cancel(nil)
	}
}
