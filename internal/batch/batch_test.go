package batch

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder is an export function that stores batches and can fail or stall on demand.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	fail    []error       // errors returned by the next exports, in order
	stall   chan struct{} // when non-nil, exports block until it is closed or ctx ends
	deaf    bool          // with stall: ignore ctx (an exporter that does not honour cancellation)
	calls   chan int      // receives the size of each export attempt
}

func newRecorder() *recorder { return &recorder{calls: make(chan int, 1024)} }

func (r *recorder) export(ctx context.Context, items []int) error {
	r.calls <- len(items)
	r.mu.Lock()
	stall := r.stall
	var err error
	if len(r.fail) > 0 {
		err, r.fail = r.fail[0], r.fail[1:]
	}
	r.mu.Unlock()
	if stall != nil && r.deaf {
		<-stall
	} else if stall != nil {
		select {
		case <-stall:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.batches = append(r.batches, append([]int(nil), items...))
	r.mu.Unlock()
	return nil
}

func (r *recorder) delivered() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var all []int
	for _, b := range r.batches {
		all = append(all, b...)
	}
	return all
}

type transient struct{}

func (transient) Error() string   { return "collector unavailable" }
func (transient) Retryable() bool { return true }

func cfg(queue, batch int) Config {
	return Config{MaxQueue: queue, MaxBatch: batch, Delay: time.Hour, ExportTimeout: time.Second}
}

func TestNothingRunsBeforeStart(t *testing.T) {
	r := newRecorder()
	p := New(cfg(100, 2), r.export, Hooks{})
	p.Enqueue(1)
	p.Enqueue(2) // a full batch, but no worker yet: it waits in the queue
	if n := len(r.delivered()); n != 0 || p.Len() != 2 {
		t.Fatalf("delivered %d before Start", n)
	}
	if err := p.Shutdown(t.Context()); err != nil { // Shutdown starts the worker to flush
		t.Fatal(err)
	}
	if got := r.delivered(); len(got) != 2 {
		t.Fatalf("delivered %v, want the 2 queued items", got)
	}
}

func TestFlushDeliversInOrderInBatches(t *testing.T) {
	r := newRecorder()
	p := New(cfg(100, 4), r.export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	for i := range 10 {
		if !p.Enqueue(i) {
			t.Fatalf("Enqueue(%d) refused", i)
		}
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := r.delivered()
	if len(got) != 10 {
		t.Fatalf("delivered %v, want 0..9", got)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("delivered %v, want 0..9 in order", got)
		}
	}
	for _, b := range r.batches {
		if len(b) > 4 {
			t.Fatalf("batch of %d exceeds MaxBatch 4", len(b))
		}
	}
}

func TestFullBatchExportsWithoutWaitingForTheDelay(t *testing.T) {
	r := newRecorder()
	p := New(cfg(100, 3), r.export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	for i := range 3 {
		p.Enqueue(i)
	}
	select {
	case n := <-r.calls:
		if n != 3 {
			t.Fatalf("exported %d items, want a batch of 3", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a full batch was not exported (the delay is an hour)")
	}
}

func TestQueueFullDropsAndCounts(t *testing.T) {
	r := newRecorder()
	r.stall = make(chan struct{})
	var mu sync.Mutex
	var reported int
	p := New(cfg(4, 2), r.export, Hooks{Dropped: func(n int, _ string) { mu.Lock(); reported += n; mu.Unlock() }})
	p.Start()
	for i := range 2 {
		p.Enqueue(i) // a full batch: the worker takes it and stalls in export
	}
	<-r.calls
	accepted := 0
	for i := range 10 {
		if p.Enqueue(100 + i) {
			accepted++
		}
	}
	if accepted != 4 || p.Dropped() != 6 {
		t.Fatalf("accepted %d, dropped %d; want 4 accepted (queue bound) and 6 dropped", accepted, p.Dropped())
	}
	close(r.stall)
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := len(r.delivered()); got != 6 {
		t.Fatalf("delivered %d, want the 2 in flight + 4 queued", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if reported != 6 {
		t.Fatalf("Dropped hook saw %d, want 6", reported)
	}
}

func TestBlockingModeLosesNothing(t *testing.T) {
	r := newRecorder()
	c := cfg(8, 4)
	c.Blocking = true
	p := New(c, r.export, Hooks{})
	p.Start()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 250 {
				if !p.Enqueue(g*1000 + i) {
					t.Errorf("blocking Enqueue refused an item")
				}
			}
		}()
	}
	wg.Wait()
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := len(r.delivered()); got != 2000 || p.Dropped() != 0 {
		t.Fatalf("delivered %d dropped %d, want 2000 and 0", got, p.Dropped())
	}
}

func TestRetryableFailureIsRequeuedAndDeliveredLater(t *testing.T) {
	r := newRecorder()
	r.fail = []error{transient{}}
	p := New(cfg(100, 10), r.export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	for i := range 5 {
		p.Enqueue(i)
	}
	if err := p.Flush(t.Context()); !IsRetryable(err) {
		t.Fatalf("first flush: %v, want the retryable error", err)
	}
	if p.Len() != 5 {
		t.Fatalf("queue holds %d after a retryable failure, want the 5 items back", p.Len())
	}
	p.Enqueue(5)
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := r.delivered()
	want := []int{0, 1, 2, 3, 4, 5}
	if len(got) != len(want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("delivered %v, want %v (requeued items first)", got, want)
		}
	}
	if p.Dropped() != 0 || p.Failed() != 0 {
		t.Fatalf("dropped %d failed %d, want 0", p.Dropped(), p.Failed())
	}
}

func TestRequeueKeepsTheBound(t *testing.T) {
	r := newRecorder()
	r.stall = make(chan struct{})
	r.fail = []error{transient{}}
	p := New(cfg(4, 4), r.export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	for i := range 4 {
		p.Enqueue(i) // taken by the worker, which stalls then fails retryably
	}
	<-r.calls
	for i := range 3 {
		p.Enqueue(10 + i) // the queue refills while the batch is in flight
	}
	close(r.stall)
	// The failed batch goes back to the queue; the next export happens on Flush.
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	// 4 failed + 3 queued = 7 > bound 4: 3 of the failed batch were dropped on requeue.
	if p.Dropped() != 3 {
		t.Fatalf("dropped %d, want 3", p.Dropped())
	}
	if got := r.delivered(); len(got) != 4 || got[0] != 0 {
		t.Fatalf("delivered %v, want the oldest item first and 4 in all", got)
	}
}

func TestPermanentFailureIsCountedAsFailed(t *testing.T) {
	r := newRecorder()
	r.fail = []error{errors.New("HTTP 400")}
	p := New(cfg(100, 10), r.export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	for i := range 3 {
		p.Enqueue(i)
	}
	if err := p.Flush(t.Context()); err == nil {
		t.Fatal("Flush hid the export error")
	}
	if p.Failed() != 3 || p.Len() != 0 {
		t.Fatalf("failed %d queued %d, want 3 failed and nothing requeued", p.Failed(), p.Len())
	}
}

func TestShutdownReturnsByDeadlineWhenExportStalls(t *testing.T) {
	r := newRecorder()
	r.stall = make(chan struct{}) // never released: only the deadline ends the export
	p := New(Config{MaxQueue: 100, MaxBatch: 10, Delay: time.Hour, ExportTimeout: time.Minute}, r.export, Hooks{})
	p.Start()
	for i := range 15 {
		p.Enqueue(i)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := p.Shutdown(ctx)
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Shutdown took %v with a 200ms deadline", el)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown error %v does not wrap DeadlineExceeded", err)
	}
	if p.Dropped() != 15 {
		t.Fatalf("dropped %d, want all 15 undelivered items counted", p.Dropped())
	}
	if p.Enqueue(99) || p.Dropped() != 16 {
		t.Fatalf("an item after shutdown was accepted or not counted as dropped (dropped=%d)", p.Dropped())
	}
	if err2 := p.Shutdown(t.Context()); err2 != err {
		t.Fatalf("second Shutdown returned %v, want the first result %v", err2, err)
	}
	if err := p.Flush(t.Context()); !errors.Is(err, ErrShutdown) {
		t.Fatalf("Flush after Shutdown = %v, want ErrShutdown", err)
	}
}

func TestConcurrentSafe(t *testing.T) {
	r := newRecorder()
	c := cfg(64, 8)
	c.Delay = time.Millisecond
	p := New(c, r.export, Hooks{})
	p.Start()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 200 {
				p.Enqueue(i)
			}
		}()
		go func() {
			defer wg.Done()
			for range 20 {
				_ = p.Flush(context.Background())
				_ = p.Len()
			}
		}()
	}
	wg.Wait()
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := uint64(len(r.delivered())) + p.Dropped(); got != 800 {
		t.Fatalf("delivered+dropped = %d, want every one of the 800 items accounted for", got)
	}
}

func TestLateSuccessAfterShutdownDeadlineIsNotCountedAsDropped(t *testing.T) {
	r := newRecorder()
	r.stall = make(chan struct{})
	r.deaf = true
	p := New(Config{MaxQueue: 100, MaxBatch: 4, Delay: time.Hour, ExportTimeout: time.Minute}, r.export, Hooks{})
	p.Start()
	for i := range 4 {
		p.Enqueue(i)
	}
	<-r.calls // the worker is exporting the full batch and will not notice cancellation
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := p.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
	}
	if p.Dropped() != 4 {
		t.Fatalf("dropped %d at the deadline, want the 4 in flight", p.Dropped())
	}
	close(r.stall) // the export completes after all
	select {
	case <-p.done: // the worker exits once the export has been accounted for
	case <-time.After(5 * time.Second):
		t.Fatal("worker did not exit after its export completed")
	}
	if p.Sent() != 4 || p.Dropped() != 0 {
		t.Fatalf("after the late success: sent %d dropped %d, want 4 and 0", p.Sent(), p.Dropped())
	}
}

// A background export that is waiting to retry gives way to Flush: it is pre-empted, its batch goes back to
// the queue, and the flush exports it at once.
func TestFlushPreemptsABackingOffExport(t *testing.T) {
	var calls atomic.Int32
	waiting := make(chan struct{})
	var mu sync.Mutex
	var got []int
	export := func(ctx context.Context, items []int) error {
		if calls.Add(1) == 1 {
			close(waiting)
			select { // the exporter's retry backoff: only pre-emption (or ctx) ends it
			case <-Preempted(ctx):
				return transient{}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if Preempted(ctx) != nil {
			return errors.New("the flush's export must not be pre-emptible")
		}
		mu.Lock()
		got = append(got, items...)
		mu.Unlock()
		return nil
	}
	p := New(Config{MaxQueue: 10, MaxBatch: 2, Delay: time.Hour, ExportTimeout: time.Minute}, export, Hooks{})
	p.Start()
	defer p.Shutdown(context.Background())
	p.Enqueue(1)
	p.Enqueue(2) // a full batch: the background export starts and backs off
	<-waiting
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := p.Flush(ctx); err != nil {
		t.Fatalf("Flush = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || calls.Load() != 2 {
		t.Fatalf("delivered %v in %d calls, want [1 2] re-exported by the flush", got, calls.Load())
	}
}

// With Concurrency 4, a flush has four batches in flight at once (each export waits until all four have
// started), every batch is accounted for on its own, and a retryable failure re-queues only its batch.
func TestConcurrentExports(t *testing.T) {
	var inFlight, peak atomic.Int32
	var calls atomic.Int32
	barrier := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	var got []int
	export := func(ctx context.Context, items []int) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if calls.Add(1) <= 4 {
			if n == 4 {
				once.Do(func() { close(barrier) })
			}
			select {
			case <-barrier:
			case <-ctx.Done():
				return ctx.Err()
			}
			if items[0] == 4 { // the second batch fails retryably the first time
				return transient{}
			}
		}
		mu.Lock()
		got = append(got, items...)
		mu.Unlock()
		return nil
	}
	p := New(Config{MaxQueue: 100, MaxBatch: 4, Delay: time.Hour, ExportTimeout: 5 * time.Second, Concurrency: 4},
		export, Hooks{})
	defer p.Shutdown(context.Background())
	for i := range 16 {
		p.Enqueue(i)
	}
	// The first cycle (started by the full batches or by this flush) exports four batches at once; one fails
	// retryably and goes back to the queue; the next flush delivers it.
	if err := p.Flush(t.Context()); err != nil && !IsRetryable(err) {
		t.Fatalf("first flush = %v", err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if peak.Load() != 4 {
		t.Fatalf("peak concurrency %d, want 4", peak.Load())
	}
	if calls.Load() != 5 || p.Failed() != 0 {
		t.Fatalf("%d export calls, %d failed; want 4 concurrent + 1 retry of the failed batch", calls.Load(), p.Failed())
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(got)
	if len(got) != 16 || got[0] != 0 || got[15] != 15 || p.Sent() != 16 || p.Dropped() != 0 {
		t.Fatalf("delivered %v (sent %d, dropped %d), want 0..15 exactly once", got, p.Sent(), p.Dropped())
	}
}

// A full batch waiting (kick pending) while a background export backs off used to win the worker's select
// over a Flush and start a fresh, un-pre-empted backoff: the Flush then waited it out.
func TestFlushIsNotStarvedByAPendingKick(t *testing.T) {
	for range 20 {
		started := make(chan struct{}, 10)
		export := func(ctx context.Context, _ []int) error {
			pre := Preempted(ctx)
			if pre == nil {
				return nil // the flush's export: the collector is fine
			}
			started <- struct{}{}
			select { // a background export in our own backoff
			case <-pre:
			case <-ctx.Done():
			}
			return transient{}
		}
		p := New(Config{MaxQueue: 100, MaxBatch: 2, Delay: time.Hour, ExportTimeout: 5 * time.Second}, export, Hooks{})
		p.Start()
		p.Enqueue(1)
		p.Enqueue(2) // kick: a background export starts and backs off
		<-started
		p.Enqueue(3)
		p.Enqueue(4) // another kick, pending while the worker is busy
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		err := p.Flush(ctx)
		cancel()
		if err != nil {
			t.Fatalf("Flush = %v: it waited out a background backoff", err)
		}
		if err := p.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		if p.Sent() != 4 {
			t.Fatalf("sent %d of 4", p.Sent())
		}
	}
}

// In blocking mode a failed batch goes back even when the queue filled up meanwhile: nothing is dropped.
func TestBlockingRequeueDropsNothing(t *testing.T) {
	r := newRecorder()
	r.stall = make(chan struct{})
	r.fail = []error{transient{}}
	c := cfg(4, 4)
	c.Blocking = true
	p := New(c, r.export, Hooks{})
	p.Start()
	for i := range 4 {
		p.Enqueue(i) // taken by the worker, which stalls then fails retryably
	}
	<-r.calls
	for i := range 4 {
		p.Enqueue(10 + i) // the queue is full again while the batch is in flight
	}
	close(r.stall)
	if err := p.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := len(r.delivered()); got != 8 || p.Dropped() != 0 {
		t.Fatalf("delivered %d, dropped %d; want all 8 delivered in blocking mode", got, p.Dropped())
	}
}
