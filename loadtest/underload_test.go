package loadtest_test

import (
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/otelkit/otelkit/loadtest"
)

// Request latency with the collector down against up, in alternating rounds (up, down, down, up, up,
// down) on one running system, medians over the rounds of each case. Performance is measured and logged
// (see BENCHMARKS.md); only generous sanity bounds are asserted (down/up under 3x at p50, 5x at p99): an
// unreachable collector must not make requests several times slower, since export is off the request path.
func TestLatencyCollectorDownVsUp(t *testing.T) {
	const perRound = 600
	s := newSystem(t, sysConfig{exportTimeout: time.Second})
	s.load(t, 200)                  // warm-up: connections, caches, instruments
	var p50, p99 [2][]time.Duration // [0] up, [1] down
	for _, down := range []bool{false, true, true, false, false, true} {
		if down {
			if err := s.col.Pause(); err != nil {
				t.Fatal(err)
			}
		}
		res := s.load(t, perRound)
		if down {
			if err := s.col.Resume(); err != nil {
				t.Fatal(err)
			}
		}
		i := 0
		if down {
			i = 1
		}
		p50[i] = append(p50[i], res.Quantile(0.5))
		p99[i] = append(p99[i], res.Quantile(0.99))
	}
	up50, down50, up99, down99 := median(p50[0]), median(p50[1]), median(p99[0]), median(p99[1])
	r50, r99 := float64(down50)/float64(up50), float64(down99)/float64(up99)
	t.Logf("collector up:   p50 %v p99 %v (rounds p50 %v p99 %v)", up50, up99, p50[0], p99[0])
	t.Logf("collector down: p50 %v p99 %v (rounds p50 %v p99 %v)", down50, down99, p50[1], p99[1])
	t.Logf("down/up ratio:  p50 %.2f p99 %.2f", r50, r99)
	if r50 >= 3 || r99 >= 5 {
		t.Fatalf("with the collector down, p50 is %.1fx (%v vs %v) and p99 %.1fx (%v vs %v) what they are with it up; "+
			"want under 3x and 5x", r50, down50, up50, r99, down99, up99)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// queueBound is the MaxQueueSize of the span and log queues in the memory test.
const queueBound = 1024

// heapCapBytes is the most the heap may grow above its level before the run while the collector is down.
//
// What the app retains while its exports fail is bounded by the queues: per signal at most MaxQueueSize
// items waiting plus, while an export is being tried, the items it took (up to MaxQueueSize more), so at most
// 2 × 1,024 spans and 2 × 1,024 log records here; the metrics are aggregated per route, status and session
// tags and do not grow with requests. One queued request (its span and its log record) costs about 4.5 KiB,
// measured below the bound, so the full queues hold about 9 MiB. The cap allows twice that for the garbage
// the collector has not reclaimed between cycles (GOGC=100 lets the heap grow to twice the live heap), plus
// the same again for the requests in progress, buffers and measurement noise: 48 MiB. Without the bound, the
// 6,000 requests of the test would retain about 27 MiB live and peak near twice that; the test also checks
// that the live heap after the run is under half of what an unbounded queue would retain.
const heapCapBytes = 48 << 20

// The collector is down while the app serves six times more requests than its queues hold: the heap,
// sampled every millisecond during the run, stays under heapCapBytes above its starting level, and the
// live heap after the run is what the full queues cost, not what every request would.
func TestMemoryBoundedWhileCollectorDown(t *testing.T) {
	const below, total = 500, 6000 // below: fewer requests than the queues hold
	s := newSystem(t, sysConfig{paused: true, spanQueue: queueBound, logQueue: queueBound, exportTimeout: time.Second})
	base := liveHeap()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Go(func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})

	s.load(t, below)
	perRequest := float64(growth(liveHeap(), base)) / below
	for range (total - below) / 500 {
		s.load(t, 500)
	}
	retained := growth(liveHeap(), base)
	close(stop)
	wg.Wait()

	st := s.p.Stats()
	t.Logf("base live heap %.1f MiB; %.0f bytes retained per queued request; after %d requests: %.1f MiB retained, "+
		"peak heap %.1f MiB above base (cap %d MiB); spans dropped %d, log records dropped %d",
		mib(base), perRequest, total, mib(retained), mib(growth(peak, base)), heapCapBytes>>20,
		st.Spans.Dropped, st.LogRecords.Dropped)
	if growth(peak, base) > heapCapBytes {
		t.Fatalf("heap peaked at %.1f MiB above its base with the collector down, cap %d MiB", mib(growth(peak, base)), heapCapBytes>>20)
	}
	unbounded := max(perRequest, 2048) * total // a span and a log record retain more than 2 KiB
	if float64(retained) > unbounded/2 {
		t.Fatalf("retained %.1f MiB after %d requests, over half of the %.1f MiB an unbounded queue would hold",
			mib(retained), total, unbounded/(1<<20))
	}
	if st.Spans.Dropped < total-2*queueBound || st.LogRecords.Dropped < total-2*queueBound {
		t.Fatalf("dropped %d spans and %d log records of %d: more than twice the queue bound retained",
			st.Spans.Dropped, st.LogRecords.Dropped, total)
	}
}

// liveHeap collects garbage and returns the bytes of live heap objects. It collects twice, so that what
// finalizers of the first cycle released is gone too.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// growth returns how far v is above base, or 0.
func growth(v, base uint64) uint64 { return v - min(v, base) }

// Graceful stop under load: clients keep sending until the server goes away; the http.Server drains, then
// the provider shuts down, and the receiver holds exactly one server span (status 200) and one session log
// record for every 200 response a client received, and nothing was dropped.
func TestGracefulStopDeliversEveryCompletedRequest(t *testing.T) {
	const before = 400 // requests served before the stop begins
	s := newSystem(t, sysConfig{})
	done := make(chan loadtest.Result, 1)
	go func() {
		res, _ := loadtest.Run(t.Context(), loadtest.Load{Requests: 1 << 30, Concurrency: 16,
			Request: userRequest(s.url), StopOnError: true})
		done <- res
	}()
	deadline := time.After(10 * time.Second)
	for s.served.Load() < before {
		select {
		case res := <-done:
			t.Fatalf("the load generator stopped after %d responses (%d errors, first: %v)", res.Responses(),
				res.Errors, res.FirstError)
		case <-deadline:
			t.Fatalf("only %d requests served in 10s", s.served.Load())
		case <-time.After(time.Millisecond):
		}
	}
	if _, err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	var res loadtest.Result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the load generator did not stop after the server went away")
	}
	completed := res.OK()
	if completed < before || res.Responses() != completed {
		t.Fatalf("%d responses, %d of them 200, want at least %d and all 200", res.Responses(), completed, before)
	}
	st := s.p.Stats()
	wantStats(t, "spans", st.Spans, uint64(completed), 0, 0, 0)
	wantStats(t, "log records", st.LogRecords, uint64(completed), 0, 0, 0)
	delivered(t, s.col, completed, completed, true)
	spans, _ := serverSpans(s.col)
	for _, sp := range spans {
		if code := sp.Attrs()["http.response.status_code"]; code != int64(200) {
			t.Fatalf("span %s has status %v", sp.SpanID(), code)
		}
	}
	t.Logf("%d requests completed before the stop; %d got no response (the server was gone)", completed, res.Errors)
}
