package fxotel

import (
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/fx"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/session"
)

// Value groups through which other modules add telemetry behaviour. Use the As… helpers rather than the
// tags directly.
const (
	GroupSpanProcessors     = "otel.span_processors"
	GroupSamplers           = "otel.samplers"
	GroupMetricViews        = "otel.metric_views"
	GroupMetricReaders      = "otel.metric_readers"
	GroupLogProcessors      = "otel.log_processors"
	GroupResourceAttributes = "otel.resource_attributes"
	GroupSessionSinks       = "otel.session_sinks"
	GroupSettingsOverrides  = "otel.settings_overrides"
)

func asGroup(constructor any, iface any, group string) any {
	return fx.Annotate(constructor, fx.As(iface), fx.ResultTags(`group:"`+group+`"`))
}

// AsSpanProcessor annotates a constructor of an sdktrace.SpanProcessor so that its result joins the provider.
// Use it in fx.Provide:
//
//	fx.Provide(fxotel.AsSpanProcessor(NewAuditProcessor))
func AsSpanProcessor(constructor any) any {
	return asGroup(constructor, new(sdktrace.SpanProcessor), GroupSpanProcessors)
}

// AsSampler annotates a constructor of an sdktrace.Sampler that replaces Settings.Sampler. At most one
// sampler may be provided; two are an error at fx.New.
func AsSampler(constructor any) any {
	return asGroup(constructor, new(sdktrace.Sampler), GroupSamplers)
}

// AsMetricView annotates a constructor of an sdkmetric.View.
func AsMetricView(constructor any) any {
	return fx.Annotate(constructor, fx.ResultTags(`group:"`+GroupMetricViews+`"`))
}

// AsMetricReader annotates a constructor of an sdkmetric.Reader (a Prometheus exporter, a manual reader).
func AsMetricReader(constructor any) any {
	return asGroup(constructor, new(sdkmetric.Reader), GroupMetricReaders)
}

// AsLogProcessor annotates a constructor of an sdklog.Processor.
func AsLogProcessor(constructor any) any {
	return asGroup(constructor, new(sdklog.Processor), GroupLogProcessors)
}

// AsSessionSink annotates a constructor of a session.Sink that receives every session event.
func AsSessionSink(constructor any) any {
	return asGroup(constructor, new(session.Sink), GroupSessionSinks)
}

// ResourceAttributes adds resource attributes from another module:
//
//	fxotel.ResourceAttributes(attribute.String("team", "payments"))
//
// They override Settings.ResourceAttributes but not service.name, service.version or the environment.
func ResourceAttributes(attrs ...attribute.KeyValue) fx.Option {
	opts := make([]fx.Option, 0, len(attrs))
	for _, kv := range attrs {
		opts = append(opts, fx.Supply(fx.Annotated{Group: GroupResourceAttributes, Target: kv}))
	}
	return fx.Options(opts...)
}

// AsResourceAttribute annotates a constructor returning an attribute.KeyValue (for attributes computed from
// other dependencies).
func AsResourceAttribute(constructor any) any {
	return fx.Annotate(constructor, fx.ResultTags(`group:"`+GroupResourceAttributes+`"`))
}

// SettingsOverride changes the Settings after they are read (from the graph or the environment) and before
// the provider is built. fxoteltest uses it to swap exporters.
type SettingsOverride func(*otelkit.Settings)

// OverrideSettings adds a SettingsOverride. Overrides run in the order fx delivers the group.
func OverrideSettings(f SettingsOverride) fx.Option {
	return fx.Supply(fx.Annotated{Group: GroupSettingsOverrides, Target: f})
}
