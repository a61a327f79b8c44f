package fxotel

import (
	"log/slog"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/otelkit/otelkit"
)

// EventLogger sends fx's own events (provides, invokes, hooks, errors) to the provider's logs through its slog
// bridge, under the scope "go.uber.org/fx". Add it next to Module: fx.New(fxotel.Module, fxotel.EventLogger, ...).
// Events logged before the provider exists are written nowhere.
var EventLogger = fx.WithLogger(func(p *otelkit.Provider) fxevent.Logger {
	return &fxevent.SlogLogger{Logger: slog.New(p.SlogHandler("go.uber.org/fx"))}
})
