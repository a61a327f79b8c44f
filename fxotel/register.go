package fxotel

import (
	"sync/atomic"

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
//
// fx delivers the values of a group in a random order, different on every fx.New. fxotel never relies on it:
// it orders settings overrides by stage ([OverrideStage]), sorts span processors, log processors and session
// sinks by type, rejects conflicting resource attributes, and uses views and readers only in ways that do
// not depend on their order.
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
//
// Plugin processors run after the span-attributes processor and before the exporting one, sorted by the name
// of their Go type (package path, then type name), the same on every run whatever order fx delivers them in.
// Processors of the same type keep an unspecified order among themselves: when the order of two processors
// matters, provide one processor that calls them in turn.
func AsSpanProcessor(constructor any) any {
	return asGroup(constructor, new(sdktrace.SpanProcessor), GroupSpanProcessors)
}

// AsSampler annotates a constructor of an sdktrace.Sampler that replaces Settings.Sampler. At most one
// sampler may be provided; two are an error at fx.New.
func AsSampler(constructor any) any {
	return asGroup(constructor, new(sdktrace.Sampler), GroupSamplers)
}

// AsMetricView annotates a constructor of an sdkmetric.View (a rename, bucket boundaries, an attribute
// filter). Every view applies to the instruments it matches, so their order does not matter.
func AsMetricView(constructor any) any {
	return fx.Annotate(constructor, fx.ResultTags(`group:"`+GroupMetricViews+`"`))
}

// AsMetricReader annotates a constructor of an sdkmetric.Reader (a Prometheus exporter, a manual reader).
// Each reader collects every metric of the provider on its own, so their order does not matter.
func AsMetricReader(constructor any) any {
	return asGroup(constructor, new(sdkmetric.Reader), GroupMetricReaders)
}

// AsLogProcessor annotates a constructor of an sdklog.Processor. Plugin processors run before the exporting
// one, sorted by type like those of [AsSpanProcessor].
func AsLogProcessor(constructor any) any {
	return asGroup(constructor, new(sdklog.Processor), GroupLogProcessors)
}

// AsSessionSink annotates a constructor of a session.Sink that receives every session event. Sinks are called
// one after the other, sorted by type like the processors of [AsSpanProcessor].
func AsSessionSink(constructor any) any {
	return asGroup(constructor, new(session.Sink), GroupSessionSinks)
}

// ResourceAttributes adds resource attributes from another module:
//
//	fxotel.ResourceAttributes(attribute.String("team", "payments"))
//
// They override Settings.ResourceAttributes but not service.name, service.version or the environment. A key
// provided twice with different values (by this or by [AsResourceAttribute]) fails fx.New with
// [ErrPluginConflict] naming the key, since which value won would depend on fx's random group order; the same
// key and value twice is accepted.
func ResourceAttributes(attrs ...attribute.KeyValue) fx.Option {
	opts := make([]fx.Option, 0, len(attrs))
	for _, kv := range attrs {
		opts = append(opts, fx.Supply(fx.Annotated{Group: GroupResourceAttributes, Target: kv}))
	}
	return fx.Options(opts...)
}

// AsResourceAttribute annotates a constructor returning an attribute.KeyValue (for attributes computed from
// other dependencies). Conflicts are handled as by [ResourceAttributes].
func AsResourceAttribute(constructor any) any {
	return fx.Annotate(constructor, fx.ResultTags(`group:"`+GroupResourceAttributes+`"`))
}

// SettingsOverride changes the Settings after they are read (from the graph or the environment) and before
// the provider is built. fxoteltest uses it to swap exporters.
type SettingsOverride func(*otelkit.Settings)

// OverrideStage says when a [SettingsOverride] runs. fx delivers a value group in random order, so fxotel
// orders the overrides itself: by stage, then, within a stage, in the order the [OverrideSettings] and
// [OverrideSettingsAt] calls were made (normally the order they are written in fx.New), the last one winning.
type OverrideStage int

const (
	// StageReplace runs first. It is for overrides that replace the settings wholesale, such as
	// fxoteltest.Settings.
	StageReplace OverrideStage = -1
	// StageAdjust runs next. It is for overrides that change a few fields, and is what [OverrideSettings] uses.
	StageAdjust OverrideStage = 0
	// StageExporters runs last. It is for overrides that swap the exporters, such as fxoteltest.Memory and
	// fxoteltest.Receiver, so that a test's exporters survive a replacement.
	StageExporters OverrideStage = 1
)

// stagedOverride is what OverrideSettingsAt puts into the group: the override and its place.
type stagedOverride struct {
	stage OverrideStage
	seq   uint64
	apply SettingsOverride
}

// overrideSeq numbers the OverrideSettingsAt calls, so that overrides of one stage run in the order they were
// made. It is a counter, not configuration: its only use is to compare two calls.
var overrideSeq atomic.Uint64

// OverrideSettings adds a SettingsOverride at [StageAdjust]. A nil f is ignored.
func OverrideSettings(f SettingsOverride) fx.Option {
	return OverrideSettingsAt(StageAdjust, f)
}

// OverrideSettingsAt adds a SettingsOverride that runs at stage: after the overrides of earlier stages, and
// after those of the same stage made before this call. A nil f is ignored.
func OverrideSettingsAt(stage OverrideStage, f SettingsOverride) fx.Option {
	return fx.Supply(fx.Annotated{Group: GroupSettingsOverrides,
		Target: stagedOverride{stage: stage, seq: overrideSeq.Add(1), apply: f}})
}
