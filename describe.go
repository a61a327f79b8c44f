package otelkit

import "strings"

// ExporterInfo describes where one signal goes, without secrets (no header values, no URL user info or query).
type ExporterInfo struct {
	// Signal is the signal described.
	Signal Signal
	// Kind is where the signal goes (none, otlp, console or memory).
	Kind ExporterKind
	// Protocol is the OTLP protocol, for ExporterOTLP; empty otherwise.
	Protocol Protocol
	// Endpoint is, for ExporterOTLP, the URL posted to or the gRPC address, without user info or query.
	Endpoint string
}

// String renders the exporter as "traces: otlp http/protobuf http://collector:4318/v1/traces".
func (e ExporterInfo) String() string {
	var b strings.Builder
	b.WriteString(string(e.Signal))
	b.WriteString(": ")
	b.WriteString(e.Kind.String())
	if e.Kind == ExporterOTLP {
		b.WriteString(" ")
		b.WriteString(string(e.Protocol))
		b.WriteString(" ")
		b.WriteString(e.Endpoint)
	}
	return b.String()
}

// Exporters describes the exporter of each signal, for start-up logs.
func (p *Provider) Exporters() []ExporterInfo {
	out := make([]ExporterInfo, 0, 3)
	for _, ep := range []exporterPlan{p.plan.traces, p.plan.metrics, p.plan.logs} {
		out = append(out, ExporterInfo{Signal: ep.signal, Kind: ep.kind, Protocol: ep.protocol, Endpoint: ep.endpoint()})
	}
	return out
}
