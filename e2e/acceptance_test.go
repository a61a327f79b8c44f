package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// sent is how many items of each signal the provider delivered.
type sent struct{ spans, metricPoints, logRecords uint64 }

// counter returns the value of the collector counter base (with a "_total"
// suffix, should the exposition add one) summed over series matching labels.
func counter(tel Telemetry, base string, labels map[string]string) (float64, bool) {
	v, ok := tel.Sum(base, labels)
	v2, ok2 := tel.Sum(base+"_total", labels)
	return v + v2, ok || ok2
}

// acceptance is one expectation on the collector's own metrics.
type acceptance struct {
	metric string
	labels map[string]string
	want   float64
	// optional: absent counts as 0 (the collector creates failure counters
	// only when something fails).
	optional bool
}

func acceptances(transport string, n sent) []acceptance {
	recv := map[string]string{"receiver": "otlp", "transport": transport}
	exp := map[string]string{"exporter": "otlp_http"}
	var out []acceptance
	for _, s := range []struct {
		unit string
		n    uint64
	}{{"spans", n.spans}, {"metric_points", n.metricPoints}, {"log_records", n.logRecords}} {
		out = append(out,
			acceptance{metric: "otelcol_receiver_accepted_" + s.unit, labels: recv, want: float64(s.n)},
			acceptance{metric: "otelcol_receiver_refused_" + s.unit, labels: recv, want: 0},
			acceptance{metric: "otelcol_receiver_failed_" + s.unit, labels: recv, want: 0, optional: true},
			acceptance{metric: "otelcol_exporter_sent_" + s.unit, labels: exp, want: float64(s.n)},
			acceptance{metric: "otelcol_exporter_send_failed_" + s.unit, labels: exp, want: 0, optional: true},
			acceptance{metric: "otelcol_exporter_enqueue_failed_" + s.unit, labels: exp, want: 0, optional: true},
		)
	}
	return out
}

// problems returns the expectations tel does not meet.
func problems(tel Telemetry, want []acceptance) []string {
	var out []string
	for _, a := range want {
		got, ok := counter(tel, a.metric, a.labels)
		switch {
		case !ok && !a.optional:
			out = append(out, fmt.Sprintf("%s%v is missing, want %v", a.metric, a.labels, a.want))
		case got != a.want:
			out = append(out, fmt.Sprintf("%s%v = %v, want %v", a.metric, a.labels, got, a.want))
		}
	}
	return out
}

// checkAcceptance scrapes the collector's own metrics until its receiver
// and exporter counters account for every item we sent (the exporter counts
// a batch after the downstream receiver answered), then asserts each
// expectation; no item may be refused or fail.
func checkAcceptance(t *testing.T, col *Collector, transport string, n sent) {
	want := acceptances(transport, n)
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		tel, err := col.Telemetry(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		p := problems(tel, want)
		if len(p) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collector's own metrics do not account for what we sent (%+v):\n  %s\nmetrics seen: %v",
				n, strings.Join(p, "\n  "), tel.Names("otelcol_"))
		}
		<-tick.C
	}
}

// checkCollectorLog asserts the collector logged nothing at error level and
// wrote nothing to stdout/stderr, and reports its warnings.
func checkCollectorLog(t *testing.T, col *Collector) {
	entries, err := col.Log()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Errorf("the collector log %s is empty", col.LogPath())
	}
	for _, e := range entries {
		switch {
		case e.IsError():
			t.Errorf("collector logged an error: %s", e.Raw)
		case strings.EqualFold(e.Level, "warn"):
			t.Logf("collector warning: %s", e.Raw)
		}
	}
	out, err := col.Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "" {
		t.Errorf("the collector wrote to stdout/stderr:\n%s", out)
	}
}
