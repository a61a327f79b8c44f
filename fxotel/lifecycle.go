package fxotel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
)

// lifecycle returns the provider's hooks. OnStart never blocks; OnStop flushes and shuts down within fx's
// stop deadline minus a margin.
func lifecycle(p *otelkit.Provider, cfg Config, logger *slog.Logger) fx.Hook {
	var restore func()
	return fx.Hook{
		OnStart: func(context.Context) error {
			// Everything that can fail comes before p.Start: fx runs no OnStop for a hook whose OnStart failed.
			if cfg.RuntimeMetrics {
				if err := runtime.Start(runtime.WithMeterProvider(p.MeterProvider())); err != nil {
					return fmt.Errorf("fxotel: runtime metrics: %w", err)
				}
			}
			p.Start()
			if cfg.InstallGlobals {
				restore = p.InstallGlobals()
			}
			attrs := make([]any, 0, 8)
			for _, e := range p.Exporters() {
				attrs = append(attrs, string(e.Signal), exporterSummary(e))
			}
			attrs = append(attrs, "globals", cfg.InstallGlobals)
			logger.Info("opentelemetry started", attrs...)
			return nil
		},
		OnStop: func(ctx context.Context) error {
			if restore != nil {
				defer restore()
			}
			ctx, cancel := withMargin(ctx, cfg.StopMargin)
			defer cancel()
			start := time.Now()
			err := p.Shutdown(ctx)
			st := p.Stats()
			logger.Info("opentelemetry stopped", "took", time.Since(start).Round(time.Millisecond),
				"spans_delivered", st.Spans.Delivered(), "metric_points_delivered", st.MetricPoints.Delivered(),
				"log_records_delivered", st.LogRecords.Delivered(),
				"lost", st.Spans.Lost()+st.MetricPoints.Lost()+st.LogRecords.Lost())
			if err != nil {
				logger.Warn("opentelemetry shutdown was incomplete", "error", err)
				if cfg.Strict {
					return err
				}
			}
			return nil
		},
	}
}

func exporterSummary(e otelkit.ExporterInfo) string {
	if e.Kind != otelkit.ExporterOTLP {
		return e.Kind.String()
	}
	return string(e.Protocol) + " " + e.Endpoint
}

// minStopMargin covers what runs after the provider's deadline: Shutdown may take up to 25ms more to account
// for drops (its documented grace), and the hook then logs.
const minStopMargin = 50 * time.Millisecond

// withMargin shortens ctx's deadline by the margin stopMargin chooses, so that shutdown finishes, and reports,
// before fx gives up on the hook.
func withMargin(ctx context.Context, margin time.Duration) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, deadline.Add(-stopMargin(time.Until(deadline), margin)))
}

// stopMargin is the time kept free at the end of the left time fx gives the stop hook: configured, or by
// default a tenth of left clamped to [50ms, 1s]; at least 50ms, but never more than half of left. A margin
// that used up the time left would hand Shutdown an expired context, and it would flush nothing; with less
// than 100ms left the hook may instead overrun fx's deadline by at most Shutdown's 25ms grace.
func stopMargin(left, configured time.Duration) time.Duration {
	if left <= 0 {
		return 0
	}
	margin := configured
	if margin <= 0 {
		margin = min(max(left/10, minStopMargin), time.Second)
	}
	return min(max(margin, minStopMargin), left/2)
}
