// Package e2e runs otelkit against a real OpenTelemetry Collector.
//
// The collector is built from the official collector modules by the
// collector builder (see collector/builder.yaml and `make collector`, which
// runs scripts/build-collector.sh) into bin/otelcol-otelkit. The tests of this
// package start it as a subprocess with a generated configuration and check
// the whole pipeline:
//
//	otelkit exporter → collector (OTLP receiver → batch → otlphttp exporter) → otlptest
//
// for traces, metrics and logs over OTLP/HTTP protobuf, OTLP/HTTP JSON and
// OTLP/gRPC, each with and without TLS on the collector's receiver. The data
// must arrive intact, and the collector must account for every item as
// accepted and exported, never refused or failed, in its own metrics and
// logs.
//
// The package also exports the small harness the tests use, so that other
// suites can run the same collector: [Start] and [Run] start one, [Collector]
// scrapes its telemetry ([Collector.Telemetry]) and reads its log
// ([Collector.Log]), and [RequireBinary] finds the binary or skips (fails
// under CI=true) with a message saying how to build it.
//
// # Without the binary
//
// When bin/otelcol-otelkit/otelcol-otelkit is missing, the tests skip with a
// message naming `make collector`, except under CI=true, where they fail:
// CI must run them. `make test` builds the binary first.
package e2e
