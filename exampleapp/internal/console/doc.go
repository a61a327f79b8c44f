// Package console prints the telemetry an OTLP receiver gets, as it arrives, for people: each trace as a
// waterfall (package waterfall) followed by the log records that carry its trace id, standalone log
// records as one line each, and metric totals whenever they change.
//
// Spans of one trace arrive in several exports (children usually before their root), so a trace is held
// until it has a root span and nothing new arrived for it for a short settle time, or until it has waited
// long enough without a root (a remote parent, a lost span). [Console.Export] is meant for
// otlptest.WithOnExport; [Console.Close] prints whatever is still held.
package console
