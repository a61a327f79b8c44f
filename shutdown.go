package otelkit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ForceFlush exports everything recorded so far, for all signals at once, and waits for it within ctx.
// It returns the export errors, joined, each once; after Shutdown it returns [ErrShutdown]. Plugin
// processors (see [WithSpanProcessor], [WithLogProcessor]) are flushed alongside otelkit's own exporting
// processors, so that a plugin that fails or stalls does not keep them from exporting.
func (p *Provider) ForceFlush(ctx context.Context) error {
	if p.shutdownStarted.Load() {
		return ErrShutdown
	}
	gctx, cancel := withGrace(ctx)
	defer cancel()
	defer p.reporter.sync(gctx) // the warnings of this flush reach the handler before it returns
	return p.perSignal(ctx, gctx,
		func(ctx context.Context) error {
			if p.tp == nil {
				return nil
			}
			if p.spp == nil {
				return p.tp.ForceFlush(ctx)
			}
			return alongside(ctx, p.tp.ForceFlush, p.spp.ForceFlush)
		},
		func(ctx context.Context) error {
			var err error
			if p.mpl != nil {
				err = p.mpl.forceFlush(ctx)
			}
			if p.mp != nil {
				err = joinCtx(ctx, err, p.mp.ForceFlush(ctx))
			}
			return err
		},
		func(ctx context.Context) error {
			if p.lp == nil {
				return nil
			}
			if p.lgp == nil {
				return p.lp.ForceFlush(ctx)
			}
			return alongside(ctx, p.lp.ForceFlush, p.lgp.ForceFlush)
		})
}

// alongside runs the SDK provider's flush (it reaches the plugin processors; ours are registered with no-op
// lifecycles, see [sdkSpans]) and our processor's flush side by side, each once, and joins their errors. A
// plugin that fails or stalls neither stops ours nor uses up its time.
func alongside(ctx context.Context, plugins, ours func(context.Context) error) error {
	ch := make(chan error, 1)
	go func() { ch <- plugins(ctx) }()
	err := ours(ctx)
	return joinCtx(ctx, err, <-ch)
}

// joinCtx joins errs, leaving out a bare ctx.Err() when another error already wraps it, so that an expired
// deadline is reported once.
func joinCtx(ctx context.Context, errs ...error) error {
	joined := errors.Join(errs...)
	cerr := ctx.Err()
	if cerr == nil || joined == nil {
		return joined
	}
	kept := errs[:0:0]
	bare := false
	for _, err := range errs {
		if err == cerr {
			bare = true
			continue
		}
		if err != nil {
			kept = append(kept, err)
		}
	}
	if bare && !errors.Is(errors.Join(kept...), cerr) {
		kept = append(kept, cerr)
	}
	return errors.Join(kept...)
}

// Shutdown flushes every signal and shuts the providers down, returning by ctx's deadline (plus at most
// 25ms for the pipelines to account for what they drop and for the error handler to receive it) even when
// the collector stalls. The three signals proceed in parallel so that a stalled endpoint for one cannot use
// up the others' time. Within a signal the plugin processors are shut down first, then otelkit's exporting
// processor flushes its queue and closes its connections; each is shut down once, and ours even when a
// plugin failed or used up ctx.
//
// It runs once: later and concurrent calls wait for the first and return its result (or their own ctx's
// error). The result joins every failure; when ctx expires it wraps ctx.Err() (context.DeadlineExceeded).
// Telemetry given up on is reported as a [DropError] and an export the collector refused for good as an
// [ExportError]; both are counted in [Provider.Stats] (metric data points included: when the deadline
// leaves no time for the final export, the points it would have sent are collected, counted as dropped and
// not exported). After Shutdown the providers are no-ops: recording never panics, and what is recorded then
// (a span that was still open included) is discarded by the SDK without being exported or counted — stop
// servers before the provider.
func (p *Provider) Shutdown(ctx context.Context) error {
	if !p.shutdownStarted.CompareAndSwap(false, true) {
		select {
		case <-p.shutdownDone:
			return p.shutdownErr
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.Start() // a provider built with WithManualStart and never started still flushes what it holds
	gctx, cancel := withGrace(ctx)
	defer cancel()
	before := p.Stats()
	err := p.perSignal(ctx, gctx, p.shutdownTraces, p.shutdownMetrics, p.shutdownLogs)
	if cerr := expired(ctx); cerr != nil && !errors.Is(err, cerr) {
		err = errors.Join(err, fmt.Errorf("otelkit: %w", cerr))
	}
	after := p.Stats()
	for _, d := range []struct {
		sig  Signal
		b, a SignalStats
	}{{SignalTraces, before.Spans, after.Spans}, {SignalMetrics, before.MetricPoints, after.MetricPoints},
		{SignalLogs, before.LogRecords, after.LogRecords}} {
		if d.a.Dropped > d.b.Dropped {
			err = errors.Join(err, &DropError{Signal: d.sig, Count: int(d.a.Dropped - d.b.Dropped), Reason: "not delivered during shutdown"})
		}
	}
	p.reporter.stop(gctx) // every warning reaches the handler before Shutdown returns, within the grace
	p.shutdownErr = err
	close(p.shutdownDone)
	return err
}

func (p *Provider) shutdownTraces(ctx context.Context) error {
	if p.tp == nil {
		return nil
	}
	// The SDK shuts the plugins down (and stops handing ended spans to any processor); then our processor
	// flushes its queue and closes its connections, once. It is called even when ctx has expired, which makes
	// the SDK skip processors: it must still stop its worker and count what it drops.
	err := p.tp.Shutdown(ctx)
	if p.spp != nil {
		err = joinCtx(ctx, err, p.spp.Shutdown(ctx))
	}
	return err
}

func (p *Provider) shutdownMetrics(ctx context.Context) error {
	var err error
	if p.mpl != nil {
		err = p.mpl.shutdown(ctx)
	}
	if p.mp != nil {
		err = joinCtx(ctx, err, p.mp.Shutdown(ctx))
	}
	return err
}

func (p *Provider) shutdownLogs(ctx context.Context) error {
	if p.lp == nil {
		return nil
	}
	err := p.elp.Shutdown(ctx) // stop intake from event emitters first; their records share lp's processors
	err = joinCtx(ctx, err, p.lp.Shutdown(ctx))
	if p.lgp != nil {
		err = joinCtx(ctx, err, p.lgp.Shutdown(ctx))
	}
	return err
}

// perSignal runs traces, metrics and logs steps in parallel and joins their errors, each prefixed by its
// signal. It returns by the end of grace (see withGrace) even if a step (say, a third-party processor)
// ignores ctx.
func (p *Provider) perSignal(ctx, grace context.Context, steps ...func(context.Context) error) error {
	names := [...]Signal{SignalTraces, SignalMetrics, SignalLogs}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := step(ctx); err != nil {
				errs[i] = fmt.Errorf("%s: %w", names[i], err)
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return errors.Join(errs...)
	case <-ctx.Done():
	}
	// The steps honour ctx and are finishing right now; give them the grace to account for what they drop,
	// but never wait on one that ignores ctx.
	select {
	case <-done:
		err := errors.Join(errs...)
		if !errors.Is(err, ctx.Err()) {
			err = errors.Join(err, fmt.Errorf("otelkit: %w", ctx.Err()))
		}
		return err
	case <-grace.Done():
		return fmt.Errorf("otelkit: %w", ctx.Err())
	}
}

// deadlineGrace is how long Shutdown and ForceFlush wait past an expired deadline for steps that honour it,
// and for the error handler to receive the warnings made before the deadline: one window for both.
const deadlineGrace = 25 * time.Millisecond

// withGrace returns a context, with ctx's values, that ends deadlineGrace after ctx does (at once if ctx
// never does and cancel is called).
func withGrace(ctx context.Context) (context.Context, context.CancelFunc) {
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(deadlineGrace, cancel) })
	return gctx, func() {
		stop()
		cancel()
	}
}

// expired returns ctx's error, or context.DeadlineExceeded when the deadline has passed but the context's
// timer has not fired yet.
func expired(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
