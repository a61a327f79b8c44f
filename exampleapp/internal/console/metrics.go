package console

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"

	"github.com/otelkit/otelkit/exampleapp/internal/waterfall"
)

// breakdownKeys are the attributes a metric's total is broken down by: the first one its series have.
var breakdownKeys = []string{"http.route", "rpc.method", "tool", "kind", "status", "success", "http.response.status_code"}

const maxBreakdown = 4

// series is the running total of one metric stream (scope, name, attributes).
type series struct {
	name, unit, kind string
	attrs            map[string]string
	value            float64 // sums and gauges
	count            uint64  // histograms and summaries
	sum              float64
}

// totals accumulates received metrics: cumulative points replace, delta points add.
type totals struct {
	series map[string]*series
}

func newTotals() *totals { return &totals{series: map[string]*series{}} }

// add folds one export in and returns its number of data points.
func (t *totals) add(req *colmetricspb.ExportMetricsServiceRequest) uint64 {
	var n uint64
	for _, rm := range req.GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			scope := sm.GetScope().GetName()
			for _, m := range sm.GetMetrics() {
				n += t.metric(scope, m)
			}
		}
	}
	return n
}

func (t *totals) metric(scope string, m *metricspb.Metric) uint64 {
	get := func(kind string, attrs []*commonpb.KeyValue) *series {
		am := make(map[string]string, len(attrs))
		keys := make([]string, 0, len(attrs))
		for _, kv := range attrs {
			am[kv.GetKey()] = waterfall.Value(kv.GetValue())
			keys = append(keys, kv.GetKey())
		}
		slices.Sort(keys)
		var id strings.Builder
		id.WriteString(scope + "\x00" + m.GetName())
		for _, k := range keys {
			id.WriteString("\x00" + k + "=" + am[k])
		}
		s := t.series[id.String()]
		if s == nil {
			s = &series{name: m.GetName(), unit: m.GetUnit(), kind: kind, attrs: am}
			t.series[id.String()] = s
		}
		return s
	}
	switch d := m.GetData().(type) {
	case *metricspb.Metric_Sum:
		kind := "updown"
		if d.Sum.GetIsMonotonic() {
			kind = "counter"
		}
		delta := d.Sum.GetAggregationTemporality() == metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA
		for _, p := range d.Sum.GetDataPoints() {
			s := get(kind, p.GetAttributes())
			if delta {
				s.value += number(p)
			} else {
				s.value = number(p)
			}
		}
		return uint64(len(d.Sum.GetDataPoints()))
	case *metricspb.Metric_Gauge:
		for _, p := range d.Gauge.GetDataPoints() {
			get("gauge", p.GetAttributes()).value = number(p)
		}
		return uint64(len(d.Gauge.GetDataPoints()))
	case *metricspb.Metric_Histogram:
		delta := d.Histogram.GetAggregationTemporality() == metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA
		for _, p := range d.Histogram.GetDataPoints() {
			t.hist(get("histogram", p.GetAttributes()), delta, p.GetCount(), p.GetSum())
		}
		return uint64(len(d.Histogram.GetDataPoints()))
	case *metricspb.Metric_ExponentialHistogram:
		delta := d.ExponentialHistogram.GetAggregationTemporality() == metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA
		for _, p := range d.ExponentialHistogram.GetDataPoints() {
			t.hist(get("histogram", p.GetAttributes()), delta, p.GetCount(), p.GetSum())
		}
		return uint64(len(d.ExponentialHistogram.GetDataPoints()))
	case *metricspb.Metric_Summary:
		for _, p := range d.Summary.GetDataPoints() {
			t.hist(get("summary", p.GetAttributes()), false, p.GetCount(), p.GetSum())
		}
		return uint64(len(d.Summary.GetDataPoints()))
	}
	return 0
}

func (t *totals) hist(s *series, delta bool, count uint64, sum float64) {
	if delta {
		s.count += count
		s.sum += sum
		return
	}
	s.count, s.sum = count, sum
}

func number(p *metricspb.NumberDataPoint) float64 {
	if v, ok := p.GetValue().(*metricspb.NumberDataPoint_AsInt); ok {
		return float64(v.AsInt)
	}
	return p.GetAsDouble()
}

// render prints one line per metric name, sorted: kind, total (count and average for histograms) and a
// breakdown by the first of breakdownKeys its series have. It is "" when nothing was received.
func (t *totals) render() string {
	byName := map[string][]*series{}
	for _, s := range t.series {
		byName[s.name] = append(byName[s.name], s)
	}
	if len(byName) == 0 {
		return ""
	}
	names := make([]string, 0, len(byName))
	nameCol := 0
	for n := range byName {
		names = append(names, n)
		nameCol = max(nameCol, len(waterfall.ASCII(n)))
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("metrics (totals since start, " + plural(len(t.series), "series", "series") + ")\n")
	for _, n := range names {
		ss := byName[n]
		first := ss[0]
		line := "  " + padRight(waterfall.ASCII(n), nameCol) + "  " + padRight(first.kind, 9) + "  " + total(ss)
		if bd := breakdown(ss); bd != "" {
			line += "  " + bd
		}
		b.WriteString(strings.TrimRight(waterfall.Truncate(line, 200), " ") + "\n")
	}
	return b.String()
}

// total is "N" for sums and gauges, "N  avg D" for histograms.
func total(ss []*series) string {
	s0 := ss[0]
	switch s0.kind {
	case "histogram", "summary":
		var count uint64
		var sum float64
		for _, s := range ss {
			count += s.count
			sum += s.sum
		}
		out := padRight(strconv.FormatUint(count, 10), 6)
		if count > 0 {
			out += "  avg " + unitValue(sum/float64(count), s0.unit)
		}
		return padRight(out, 20)
	}
	var v float64
	for _, s := range ss {
		v += s.value
	}
	return padRight(num(v), 20)
}

// breakdown is "key: v1=n v2=n ..." over the series' values of the first breakdown key they have.
func breakdown(ss []*series) string {
	for _, k := range breakdownKeys {
		parts := map[string]float64{}
		for _, s := range ss {
			if v, ok := s.attrs[k]; ok {
				if s.kind == "histogram" || s.kind == "summary" {
					parts[v] += float64(s.count)
				} else {
					parts[v] += s.value
				}
			}
		}
		if len(parts) == 0 {
			continue
		}
		vals := make([]string, 0, len(parts))
		for v := range parts {
			vals = append(vals, v)
		}
		slices.SortFunc(vals, func(a, b string) int {
			if c := cmp.Compare(parts[b], parts[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		var out []string
		for i, v := range vals {
			if i == maxBreakdown {
				out = append(out, "+"+strconv.Itoa(len(vals)-maxBreakdown)+" more")
				break
			}
			out = append(out, quote(waterfall.Truncate(waterfall.ASCII(v), 40))+"="+num(parts[v]))
		}
		return k + ": " + strings.Join(out, " ")
	}
	return ""
}

// unitValue formats an average in its unit: durations for s and ms, bytes for By.
func unitValue(v float64, unit string) string {
	switch unit {
	case "s":
		return waterfall.FormatDuration(time.Duration(v * float64(time.Second)))
	case "ms":
		return waterfall.FormatDuration(time.Duration(v * float64(time.Millisecond)))
	case "By":
		return num(v) + "B"
	}
	return num(v) + unit
}

// num prints whole numbers without decimals and others with three significant digits.
func num(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
