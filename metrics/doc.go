// Package metrics is a validated, fast metrics client on top of the OpenTelemetry Go SDK: counters,
// histograms, durations, gauges, observable gauges and timers, recorded by name with string tags.
//
// It is the Go counterpart of the codex-otel crate's MetricsClient, made stricter and faster:
//
//   - Names and tags are validated (see [ValidateName] and [ValidateTag]); every error is typed and
//     checkable with errors.Is ([ErrInvalidName], [ErrInvalidTag], [ErrNegativeIncrement], ...), and its
//     message names the offending metric or tag.
//   - Instruments are created once per name. Using a name with another kind, unit or description returns
//     [ErrInstrumentConflict] and never creates a second instrument.
//   - The attribute set of every distinct (name, tags) pair is computed once and cached, so recording the
//     same series again does not allocate.
//   - Each instrument has a cap on distinct tag sets (default 2000, [DefaultCardinalityLimit]); further sets
//     are recorded into one overflow series {otel.metric.overflow="true"} (see [OverflowKey]) and counted
//     in [Client.Overflows], so a runaway tag cannot exhaust memory.
//   - A [Timer] records exactly once, however often it is stopped.
//   - A nil *Client is a usable no-op, and after [Client.Shutdown] every recording method returns
//     [ErrShutdown] instead of panicking.
//
// # Pipelines
//
// [New] builds a client that owns its own otelkit.Provider (metrics only) with the exporter of [Config]:
// OTLP over HTTP protobuf, HTTP JSON or gRPC, the console, or an in-memory otelkit.Memory for tests. Its
// Shutdown flushes and shuts that provider down.
//
// [NewFromProvider] and [NewFromMeterProvider] build a client on an existing pipeline, so one process has
// one metrics pipeline; such a client never shuts the pipeline down. On an otelkit.Provider the client's
// cardinality cap is kept at least 2 below the provider's MetricCardinalityLimit, so that the SDK keeps
// every tag set the client admits (see [NewFromProvider]).
//
// # Tags
//
// Tags are [Tag] values, written with [T]: c.Counter("codex.turns", 1, metrics.T("model", "gpt-5.1")).
// The exported attribute set is exactly the default tags of the client plus the call's tags; a call's tag
// overrides a default tag with the same key, and within one call the last tag with a key wins.
//
// # Descriptions and units
//
// Recording methods take only a name. The unit and description of an instrument are declared by name, in
// [Config.Instruments] or with [Client.Describe], before the instrument is first used. Duration histograms
// have a fixed unit ("ms" for [Client.RecordDuration], "s" for [Client.RecordDurationSeconds]) and a
// default description.
//
// # Temporality
//
// The default temporality is cumulative, the OpenTelemetry default that every backend understands. The
// codex-otel crate used delta; set Config.Temporality to "delta" to match it (each export, and each
// [Client.Snapshot], then reports what changed since the previous one).
package metrics
