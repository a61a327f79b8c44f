package console

import (
	"context"
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
	"github.com/otelkit/otelkit/otlptest"
)

// Defaults of the options.
const (
	DefaultSettle     = 250 * time.Millisecond
	DefaultOrphanWait = 2 * time.Second
	// maxRemembered bounds the printed trace ids kept for Wait and for recognising late log records.
	maxRemembered = 4096
)

// Counts is what a Console has received.
type Counts struct {
	Spans        uint64
	MetricPoints uint64
	LogRecords   uint64
}

// Option configures a Console.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	settle, orphanWait time.Duration
	waterfall          waterfall.Options
}

// WithSettle sets how long a trace with a root span must be quiet before it is printed (default 250ms).
func WithSettle(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.settle = d
		}
	})
}

// WithOrphanWait sets how long a trace without a root span (or log records without spans) is held before
// it is printed anyway (default 2s).
func WithOrphanWait(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.orphanWait = d
		}
	})
}

// WithWaterfall sets the waterfall layout.
func WithWaterfall(o waterfall.Options) Option {
	return optionFunc(func(c *config) { c.waterfall = o })
}

// Console prints received telemetry to a writer. Its methods are safe for concurrent use.
type Console struct {
	out io.Writer
	cfg config

	mu      sync.Mutex
	pending map[string]*pending
	printed map[string]bool
	order   []string // printed ids, oldest first, to forget the oldest
	totals  *totals
	last    string // the metrics block printed last
	counts  Counts
	changed chan struct{}
	closed  bool

	quit, done chan struct{}
	once       sync.Once
}

type pending struct {
	spans       []*tracepb.Span
	logs        []*logspb.LogRecord
	first, last time.Time
	root        bool
}

// New returns a Console writing to out and starts its timer; call Close to stop it.
func New(out io.Writer, opts ...Option) *Console {
	cfg := config{settle: DefaultSettle, orphanWait: DefaultOrphanWait}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	c := &Console{
		out: out, cfg: cfg,
		pending: map[string]*pending{}, printed: map[string]bool{}, totals: newTotals(),
		changed: make(chan struct{}), quit: make(chan struct{}), done: make(chan struct{}),
	}
	go c.run(max(cfg.settle/5, 10*time.Millisecond))
	return c
}

func (c *Console) run(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			c.mu.Lock()
			c.printReady(now, false)
			c.mu.Unlock()
		case <-c.quit:
			return
		}
	}
}

// Export takes one accepted export request, as otlptest.WithOnExport delivers it.
func (c *Console) Export(e otlptest.Export) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range e.Traces.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				c.counts.Spans++
				p := c.hold(hex.EncodeToString(sp.GetTraceId()), now)
				p.spans = append(p.spans, sp)
				p.root = p.root || len(sp.GetParentSpanId()) == 0
			}
		}
	}
	for _, rl := range e.Logs.GetResourceLogs() {
		for _, sl := range rl.GetScopeLogs() {
			for _, r := range sl.GetLogRecords() {
				c.counts.LogRecords++
				id := hex.EncodeToString(r.GetTraceId())
				if len(r.GetTraceId()) == 0 || (c.printed[id] && c.pending[id] == nil) {
					c.write(logLine(r, nil) + "\n") // no trace, or its trace is already on screen
					continue
				}
				p := c.hold(id, now)
				p.logs = append(p.logs, r)
			}
		}
	}
	if e.Metrics != nil {
		c.counts.MetricPoints += c.totals.add(e.Metrics)
		if block := c.totals.render(); block != "" && block != c.last {
			c.last = block
			c.write("\n" + block)
		}
	}
	if c.closed {
		c.printReady(now, true)
	}
}

func (c *Console) hold(id string, now time.Time) *pending {
	p := c.pending[id]
	if p == nil {
		p = &pending{first: now}
		c.pending[id] = p
	}
	p.last = now
	return p
}

// printReady prints the traces that are ready at now (all of them with force), oldest first.
// The caller holds c.mu.
func (c *Console) printReady(now time.Time, force bool) {
	var ids []string
	for id, p := range c.pending {
		quiet := now.Sub(p.last)
		if force || (quiet >= c.cfg.settle && (p.root || now.Sub(p.first) >= c.cfg.orphanWait)) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := c.pending[a].first.Compare(c.pending[b].first); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, id := range ids {
		c.write("\n" + c.block(id, c.pending[id]))
		delete(c.pending, id)
		c.remember(id)
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// block renders one trace: its waterfall, then its log records.
func (c *Console) block(id string, p *pending) string {
	var b strings.Builder
	if len(p.spans) > 0 {
		b.WriteString(waterfall.Render(p.spans, c.cfg.waterfall))
	} else {
		b.WriteString("trace " + id + "  (no spans received)\n")
	}
	if len(p.logs) == 0 {
		return b.String()
	}
	names := make(map[string]string, len(p.spans))
	for _, sp := range p.spans {
		names[string(sp.GetSpanId())] = sp.GetName()
	}
	slices.SortStableFunc(p.logs, func(a, b *logspb.LogRecord) int {
		return cmpTime(a, b)
	})
	b.WriteString("  logs of this trace:\n")
	for _, r := range p.logs {
		b.WriteString("    " + logLine(r, names) + "\n")
	}
	return b.String()
}

func (c *Console) remember(id string) {
	if c.printed[id] {
		return
	}
	c.printed[id] = true
	c.order = append(c.order, id)
	if len(c.order) > maxRemembered {
		delete(c.printed, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *Console) write(s string) { _, _ = io.WriteString(c.out, s) }

// Wait blocks until the trace with id (32 hex characters) has been printed, or ctx is done.
func (c *Console) Wait(ctx context.Context, id string) error {
	for {
		c.mu.Lock()
		done, ch := c.printed[id] || c.closed, c.changed
		c.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Flush prints every trace held, ready or not.
func (c *Console) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.printReady(time.Now(), true)
}

// Counts returns what the Console has received so far.
func (c *Console) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts
}

// Close stops the timer and prints every trace still held. Later exports are still printed, at once.
func (c *Console) Close() {
	c.once.Do(func() {
		close(c.quit)
		<-c.done
		c.mu.Lock()
		defer c.mu.Unlock()
		c.printReady(time.Now(), true)
		c.closed = true
		close(c.changed) // wakes every Wait
		c.changed = make(chan struct{})
	})
}
